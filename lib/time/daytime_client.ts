/**
 * The client side of the daytime protocol (RFC 867): connect, read the one line the server
 * sends.
 *
 * @module
 */

import { createClientSocket, DEFAULT_CONNECT_TIMEOUT_MS, parsePort } from "../net/socket.ts";
import { SocketStream } from "../net/socket_stream.ts";
import { exchangeDatagram } from "./_udp.ts";
import { deadlineSignal } from "../internal/deadline_signal.ts";
import { SocketError } from "../net/socket_error.ts";

/** Options of {@linkcode requestDaytime}. */
export interface DaytimeRequestOptions {
  /** Give up after this many milliseconds, connecting and reading together. @default {10000} */
  timeoutMs?: number;
  /** Abort from outside. */
  signal?: AbortSignal;
  /** The longest line accepted. @default {1024} */
  maxLineBytes?: number;
  /** TCP, or UDP (RFC 867: any datagram is answered with one holding the line). @default {"tcp"} */
  transport?: "tcp" | "udp";
}

/**
 * Asks a daytime server for the time.
 *
 * @param host The server's name or address.
 * @param port The server's port.
 * @returns The line it sent, without its line ending; `null` when it closed without sending one.
 * @throws {RangeError} for a bad port; {@linkcode LineTooLongError} for a line over the limit.
 * @throws {SocketError} when the server cannot be reached or the read times out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestDaytime } from "@netkit/netkit/time";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const serving = listener.accept().then(async (conn) => {
 *   await conn.write(new TextEncoder().encode("Tue Nov 24 01:08:48 2026\r\n"));
 *   conn.close();
 * });
 * assert.equal(await requestDaytime("127.0.0.1", listener.addr.port), "Tue Nov 24 01:08:48 2026");
 * await serving;
 * ```
 */
export async function requestDaytime(
  host: string,
  port: number | string,
  options: DaytimeRequestOptions = {},
): Promise<string | null> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (options.transport === "udp") {
    const answer = await exchangeDatagram(host, parsePort(port), new Uint8Array(0), {
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const text = new TextDecoder().decode(answer.subarray(0, options.maxLineBytes ?? 1024));
    const [first = ""] = text.split("\n");
    const line = first.replace(/\r$/, "");
    return line === "" && answer.length === 0 ? null : line;
  }
  // timeoutMs bounds the whole request: connecting and the answer together.
  using deadline = deadlineSignal(
    timeoutMs,
    options.signal,
    () => new SocketError({ step: "read", host, port: Number(port), failure: "timed-out" }),
  );
  const conn = await createClientSocket(host, port, {
    connectTimeoutMs: timeoutMs,
    signal: deadline.signal,
  });
  await using stream = new SocketStream(conn, {
    readTimeoutMs: timeoutMs,
    maxLineBytes: options.maxLineBytes ?? 1024,
    host,
    port: Number(port),
    signal: deadline.signal,
  });
  return await stream.readLine();
}
