/**
 * The client side of the time protocol (RFC 868): the server sends the time as four bytes,
 * seconds since 1900, over TCP (it sends them and closes) or UDP (it answers any datagram).
 *
 * @module
 */

import { createClientSocket, DEFAULT_CONNECT_TIMEOUT_MS, parsePort } from "../net/socket.ts";
import { SocketStream, UnexpectedEofError } from "../net/socket_stream.ts";
import { decodeRfc868Time } from "./rfc868_time.ts";
import { exchangeDatagram } from "./_udp.ts";
import { deadlineSignal } from "../internal/deadline_signal.ts";
import { SocketError } from "../net/socket_error.ts";

/** The transports RFCs 867 and 868 define. */
export type TimeTransport = "tcp" | "udp";

/** Options of {@linkcode requestRfc868Time}. */
export interface TimeRequestOptions {
  /** Give up after this long, connecting and the answer together. @default {10000} */
  timeoutMs?: number;
  /** Abort from outside. */
  signal?: AbortSignal;
  /** TCP or UDP. @default {"tcp"} */
  transport?: TimeTransport;
  /**
   * The client's clock: the four bytes name one instant in each 136-year era of RFC 868's
   * count, and the one nearest this clock is returned (see {@linkcode decodeRfc868Time}).
   * @default {() => new Date()}
   */
  now?: () => Date;
}

/**
 * Asks a time server (RFC 868) for the time.
 *
 * @param host The server's name or address.
 * @param port The server's port (37 is the standard one).
 * @returns The time it sent, in the era of RFC 868's count nearest the client's clock (BusyBox
 * rdate's reading: right across the 2036 wrap and after); `null` when it closed (TCP) or
 * answered (UDP) with fewer than four bytes.
 * @throws {RangeError} for a bad port.
 * @throws {SocketError} when the server cannot be reached or does not answer in time.
 *
 * @example Ask a server on loopback that sends the Unix epoch (the clock given, so that the
 * example reads 1970 whatever the year: a clock after 2038 would read the era after)
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeRfc868Time, requestRfc868Time } from "@netkit/netkit/time";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const serving = listener.accept().then(async (conn) => {
 *   await conn.write(encodeRfc868Time(new Date(0)));
 *   conn.close();
 * });
 * const now = () => new Date("2026-12-01T00:00:00Z");
 * const date = await requestRfc868Time("127.0.0.1", listener.addr.port, { now });
 * assert.equal(date?.getTime(), 0);
 * await serving;
 * ```
 */
export async function requestRfc868Time(
  host: string,
  port: number | string,
  options: TimeRequestOptions = {},
): Promise<Date | null> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const checkedPort = parsePort(port);
  const now = options.now ?? (() => new Date());
  if (options.transport === "udp") {
    const answer = await exchangeDatagram(host, checkedPort, new Uint8Array(0), {
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return answer.length < 4 ? null : decodeRfc868Time(answer.subarray(0, 4), now());
  }
  // timeoutMs bounds the whole request: connecting and the answer together.
  using deadline = deadlineSignal(
    timeoutMs,
    options.signal,
    () => new SocketError({ step: "read", host, port: checkedPort, failure: "timed-out" }),
  );
  const conn = await createClientSocket(host, checkedPort, {
    connectTimeoutMs: timeoutMs,
    signal: deadline.signal,
  });
  await using stream = new SocketStream(conn, {
    readTimeoutMs: timeoutMs,
    host,
    port: checkedPort,
    signal: deadline.signal,
  });
  try {
    const bytes = await stream.readExactly(4);
    return decodeRfc868Time(bytes, now());
  } catch (error) {
    if (error instanceof UnexpectedEofError) return null;
    throw error;
  }
}
