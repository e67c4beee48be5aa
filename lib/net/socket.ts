/**
 * TCP socket helpers on `Deno.connect` and `Deno.listen`: the lecture's `createClientSocket` and
 * `createServerSocket` (the lecture: the networking lecture notes netkit implements), with typed
 * errors and port checks done before any system call.
 *
 * @module
 */

import { startDeadline } from "../internal/deadline.ts";
import { classifySocketError, SocketError } from "./socket_error.ts";
import { DEFAULT_CONNECT_TIMEOUT_MS } from "./timeouts.ts";

// Its home is timeouts.ts now, beside the other deadlines; re-exported for existing imports.
export { DEFAULT_CONNECT_TIMEOUT_MS };

// parsePort lives in host_port.ts (no socket code to load for it); re-exported here.
export { parsePort, type ParsePortOptions } from "./host_port.ts";
import { formatHostPort, parsePort } from "./host_port.ts";
import { MissingPermissionError } from "../io/missing_permission_error.ts";

/** Options of {@linkcode createClientSocket}. */
export interface ClientSocketOptions {
  /**
   * Give up connecting (name lookup included) after this many milliseconds; `Infinity` for no
   * timer of its own. @default {10000} (`DEFAULT_CONNECT_TIMEOUT_MS`)
   */
  connectTimeoutMs?: number | undefined;
  /**
   * The former name of `connectTimeoutMs`, still read when that is not given.
   * @deprecated Use `connectTimeoutMs`; `timeoutMs` names the deadline of a whole operation.
   */
  timeoutMs?: number | undefined;
  /** Abort from outside, e.g. on SIGINT: the call rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
}

/**
 * Chooses the addresses a client connects to, in place of the system's resolver: called with the
 * host and port to reach and a function that connects to one address, it returns a connection
 * that function made -- for instance after resolving the name itself and trying each address in
 * turn, as GNU wget does (the HTTP client's and `connectTls`'s `connectVia` option).
 *
 * @example Try 127.0.0.1 for any name
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ConnectStrategy, createClientSocket } from "@netkit/netkit/net";
 *
 * const tried: string[] = [];
 * const viaLoopback: ConnectStrategy = (_host, _port, connectTo) => {
 *   tried.push("127.0.0.1");
 *   return connectTo("127.0.0.1");
 * };
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const port = listener.addr.port;
 * using conn = await viaLoopback("example.test", port, (address) => createClientSocket(address, port));
 * assert.equal(conn.remoteAddr.port, port);
 * assert.deepEqual(tried, ["127.0.0.1"]);
 * ```
 */
export type ConnectStrategy = <T>(
  host: string,
  port: number,
  connectTo: (address: string) => Promise<T>,
) => Promise<T>;

/**
 * `strategy`, which also tells `onReached` the address of each connection it makes (the HTTP
 * client reports it as the connection's peer; `connectTls` goes back to it for a second handshake).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ConnectStrategy, createClientSocket, reportingReached } from "@netkit/netkit/net";
 *
 * const viaLoopback: ConnectStrategy = (_host, _port, connectTo) => connectTo("127.0.0.1");
 * let reached: string | undefined;
 * const reporting = reportingReached(viaLoopback, (address) => (reached = address));
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const port = listener.addr.port;
 * using _conn = await reporting("example.test", port, (address) => createClientSocket(address, port));
 * assert.equal(reached, "127.0.0.1");
 * ```
 */
export function reportingReached(
  strategy: ConnectStrategy,
  onReached: (address: string) => void,
): ConnectStrategy {
  return (host, port, connectTo) =>
    strategy(host, port, async (address) => {
      const conn = await connectTo(address);
      onReached(address);
      return conn;
    });
}

/** Strips the brackets of an IPv6 literal written as in a URL (`[::1]` -> `::1`). */
function bareHost(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/**
 * Opens a TCP connection to `host:port` (IPv4 or IPv6, names resolved by the system).
 *
 * @param host A host name or an address literal such as `::1` or `[::1]`.
 * @param port A port from 1 to 65535.
 * @returns The open connection; the caller closes it, usually with `using`.
 * @throws {RangeError} for a bad port, before any system call.
 * @throws {SocketError} naming the step that failed (resolve, connect) and why; `failure`
 * `"timed-out"` (code `TIMEOUT`) past `connectTimeoutMs`.
 * @throws {MissingPermissionError} when Deno's permissions do not reach `host:port`; its `flag`
 * is the one to grant (`--allow-net=127.0.0.1:8080`).
 * @throws The caller's `signal.reason` when `signal` aborts, at once.
 *
 * @example Read the time from a daytime server on loopback
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClientSocket } from "@netkit/netkit/net";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const served = (async () => {
 *   using peer = await listener.accept();
 *   await peer.write(new TextEncoder().encode("Mon Nov 30 04:20:00 2026\r\n"));
 * })();
 * using conn = await createClientSocket("127.0.0.1", listener.addr.port);
 * assert.equal(conn.remoteAddr.port, listener.addr.port);
 * const text = await new Response(conn.readable).text();
 * assert.equal(text, "Mon Nov 30 04:20:00 2026\r\n");
 * await served;
 * ```
 *
 * @example A refused connection names the step and the peer
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClientSocket, SocketError } from "@netkit/netkit/net";
 *
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const { port } = listener.addr;
 * listener.close(); // nothing listens on the port any more
 * await assert.rejects(createClientSocket("127.0.0.1", port), (error) => {
 *   assert.ok(error instanceof SocketError);
 *   assert.equal(error.failure, "refused");
 *   assert.equal(error.code, "ECONNREFUSED");
 *   assert.equal(error.message, `Cannot connect to "127.0.0.1:${port}": connection refused`);
 *   return true;
 * });
 * ```
 */
export async function createClientSocket(
  host: string,
  port: number | string,
  options: ClientSocketOptions = {},
): Promise<Deno.TcpConn> {
  const checkedPort = parsePort(port);
  const hostname = bareHost(host);
  const timeoutMs = options.connectTimeoutMs ?? options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const signal = options.signal;
  if (signal?.aborted) throw signal.reason;
  // The deadline is startDeadline(), not AbortSignal.timeout(): an abort listener on the latter
  // loads Deno's timers, a few milliseconds of a command's start-up.
  const stop = new AbortController();
  const deadline = Number.isFinite(timeoutMs)
    ? startDeadline(timeoutMs, () => stop.abort())
    : undefined;
  let onAbort: (() => void) | undefined;
  try {
    const connecting = Deno.connect({ hostname, port: checkedPort, signal: stop.signal });
    if (!signal) return await connecting;
    // Settle at once on abort, whatever the connect is doing (a name lookup cannot be stopped);
    // a connection that still opens afterwards is closed.
    return await new Promise<Deno.TcpConn>((resolve, reject) => {
      onAbort = () => {
        stop.abort();
        reject(signal.reason);
        connecting.then((conn) => conn.close(), () => {});
      };
      signal.addEventListener("abort", onAbort, { once: true });
      connecting.then(resolve, reject);
    });
  } catch (error) {
    if (signal?.aborted && error === signal.reason) throw error;
    throwIfRefused(error, `connecting to "${formatHostPort(hostname, checkedPort)}"`);
    let failure = classifySocketError(error);
    if (deadline?.passed) failure = "timed-out";
    const step = failure === "not-found" ? "resolve" : "connect";
    throw new SocketError({ step, host: hostname, port: checkedPort, failure, cause: error });
  } finally {
    deadline?.cancel();
    if (onAbort) signal?.removeEventListener("abort", onAbort);
  }
}

/** Options of {@linkcode createServerSocket}. */
export interface ServerSocketOptions {
  /**
   * The address to listen on. The default `::` serves IPv4 and IPv6 clients alike; where the
   * machine has no IPv6, `0.0.0.0` is used instead. @default {"::"}
   */
  hostname?: string | undefined;
  /** Let several processes listen on one port (needs `--unstable-net`). @default {false} */
  reusePort?: boolean;
}

/**
 * Listens for TCP connections on `port`. Port 0 picks a free port; read it back from `.addr`.
 *
 * @param port A port from 0 to 65535.
 * @returns The listener; the caller closes it, usually with `using`.
 * @throws {RangeError} for a bad port, before any system call.
 * @throws {SocketError} with step `bind` (address in use, not available).
 * @throws {MissingPermissionError} when Deno's permissions do not reach the address; its `flag`
 * is the one to grant.
 *
 * @example Listen on a free loopback port
 * ```ts
 * import assert from "node:assert/strict";
 * import { createServerSocket } from "@netkit/netkit/net";
 *
 * using listener = createServerSocket(0, { hostname: "127.0.0.1" });
 * assert.ok(listener.addr.port > 0);
 * ```
 */
export function createServerSocket(
  port: number | string,
  options: ServerSocketOptions = {},
): Deno.TcpListener {
  const checkedPort = parsePort(port, { allowZero: true });
  const hostname = bareHost(options.hostname ?? "::");
  const listen = (name: string) =>
    Deno.listen({
      hostname: name,
      port: checkedPort,
      transport: "tcp",
      ...(options.reusePort ? { reusePort: true } : {}),
    });
  try {
    return listen(hostname);
  } catch (error) {
    throwIfRefused(error, `listening on "${formatHostPort(hostname, checkedPort)}"`);
    const failure = classifySocketError(error);
    if (options.hostname === undefined && failure === "address-not-available") {
      try {
        return listen("0.0.0.0");
      } catch (fallbackError) {
        throwIfRefused(fallbackError, `listening on "${formatHostPort("0.0.0.0", checkedPort)}"`);
        throw new SocketError({
          step: "bind",
          host: "0.0.0.0",
          port: checkedPort,
          failure: classifySocketError(fallbackError),
          cause: fallbackError,
        });
      }
    }
    throw new SocketError({
      step: "bind",
      host: hostname,
      port: checkedPort,
      failure,
      cause: error,
    });
  }
}

/** Throws Deno's permission refusal as a {@linkcode MissingPermissionError} naming the flag. */
function throwIfRefused(error: unknown, step: string): void {
  const refused = MissingPermissionError.from(error, step);
  if (refused instanceof MissingPermissionError) throw refused;
}
