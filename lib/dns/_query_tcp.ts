/**
 * A DNS question over TCP (RFC 1035 section 4.2.2, RFC 7766), for the client (`client.ts`): apart
 * from it, as most questions never need TCP (only a truncated answer, `use-vc` or a process
 * without UDP do), so that a lookup does not load the TCP socket and its stream.
 *
 * @module
 */

import { formatNameServer, type NameServer } from "./name_server.ts";
import { DnsBadResponseError, DnsTimeoutError } from "./errors.ts";
import { createClientSocket } from "../net/socket.ts";
import { SocketError } from "../net/socket_error.ts";
import { SocketStream, UnexpectedEofError } from "../net/socket_stream.ts";
import { MissingPermissionError } from "../io/missing_permission_error.ts";

/**
 * Asks over TCP: a two-byte length, then the message, both ways (RFC 1035 section 4.2.2), within
 * `timeoutMs` for connecting and the exchange together; `sent` is called once the question is
 * written.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { queryTcp } from "./_query_tcp.ts";
 *
 * // A server that answers any question with the question itself, over TCP.
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const served = (async () => {
 *   using conn = await listener.accept();
 *   const head = new Uint8Array(2);
 *   await conn.read(head);
 *   const message = new Uint8Array((head[0]! << 8) | head[1]!);
 *   await conn.read(message);
 *   await conn.write(new Uint8Array([...head, ...message]));
 * })();
 * const query = new Uint8Array([0x12, 0x34, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
 * const server = { hostname: "127.0.0.1", port: listener.addr.port };
 * assert.deepEqual(await queryTcp(query, "x.test", server, 5_000), query);
 * await served;
 * ```
 */
export async function queryTcp(
  query: Uint8Array,
  name: string,
  server: Required<NameServer>,
  timeoutMs: number,
  signal?: AbortSignal,
  sent?: () => void,
): Promise<Uint8Array> {
  const where = formatNameServer(server);
  // One budget for connecting and the exchange together.
  const started = performance.now();
  let conn: Deno.TcpConn;
  try {
    conn = await createClientSocket(server.hostname, server.port, {
      connectTimeoutMs: timeoutMs,
      signal,
    });
  } catch (error) {
    signal?.throwIfAborted();
    // createClientSocket() names the refusal already; this says what it was for.
    const refusal = error instanceof MissingPermissionError ? error.cause : undefined;
    if (refusal instanceof Deno.errors.NotCapable) {
      throw MissingPermissionError.from(refusal, `asking the name server ${where} over TCP`, {
        kind: "net",
        target: where,
      });
    }
    if (error instanceof SocketError && error.failure === "timed-out") {
      throw new DnsTimeoutError(name, timeoutMs, { server: where, cause: error });
    }
    throw error;
  }
  const stream = new SocketStream(conn, { host: server.hostname, port: server.port });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stream.close();
  }, Math.max(1, timeoutMs - (performance.now() - started)));
  const { promise: aborted, reject: abortWith } = Promise.withResolvers<never>();
  aborted.catch(() => {});
  const onAbort = () => {
    abortWith(signal!.reason);
    stream.close();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) onAbort();
  try {
    const framed = new Uint8Array(2 + query.length);
    new DataView(framed.buffer).setUint16(0, query.length);
    framed.set(query, 2);
    const exchange = async () => {
      await stream.write(framed);
      await stream.flush();
      sent?.();
      const head = await stream.readExactly(2);
      const length = ((head[0] ?? 0) << 8) | (head[1] ?? 0);
      return await stream.readExactly(length);
    };
    return await Promise.race([exchange(), aborted]);
  } catch (error) {
    signal?.throwIfAborted();
    if (timedOut) throw new DnsTimeoutError(name, timeoutMs, { server: where, cause: error });
    if (error instanceof UnexpectedEofError) {
      throw new DnsBadResponseError(name, "the TCP connection closed mid-answer", {
        server: where,
        cause: error,
      });
    }
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    clearTimeout(timer);
    stream.close();
  }
}
