/**
 * A loopback port where connections are certainly refused, for tests of "connection refused".
 *
 * A port found free (listen on port 0, note the port, close) is free only at that moment: before
 * the test connects, anything on the machine that listens on port 0 (another test file of the
 * run, another run) may be given it, and the connect is then accepted. This module keeps a TCP
 * socket bound to the port, without listening, until the test disposes of it: the kernel gives the
 * port to no one else (no port-0 listener gets it, a listen on it fails with `AddrInUse`, on
 * 127.0.0.1 or on the wildcard address), and a connect to it finds no listener, so it is refused.
 * Deno cannot bind without listening, so the socket is made with libc (`--allow-ffi`, Linux).
 *
 * @module
 */

import { reservePort } from "./reserved_port.ts";

/** A port on 127.0.0.1 where connects are refused while it is not disposed of. */
export interface RefusedPort extends Disposable {
  /** The address, 127.0.0.1. */
  readonly hostname: string;
  /** The port, bound (not listening) until disposal. */
  readonly port: number;
}

/**
 * Binds a TCP socket to a port of 127.0.0.1 chosen by the kernel, without listening, and keeps it
 * until disposal: connects to `hostname:port` are refused, and nothing else can take the port.
 *
 * @returns The address and port; dispose of it (`using`) to free the port.
 * @throws {Error} when libc cannot make or bind the socket.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refusedPort } from "./refused_port.ts";
 *
 * using refused = refusedPort();
 * await assert.rejects(
 *   Deno.connect({ hostname: refused.hostname, port: refused.port }),
 *   Deno.errors.ConnectionRefused,
 * );
 * assert.throws(() => Deno.listen({ hostname: "0.0.0.0", port: refused.port }), Deno.errors.AddrInUse);
 * ```
 */
export function refusedPort(): RefusedPort {
  const hostname = "127.0.0.1";
  const held = reservePort(hostname, { reuseAddress: false });
  return { hostname, port: held.port, [Symbol.dispose]: () => held[Symbol.dispose]() };
}
