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

const AF_INET = 2;
const SOCK_STREAM = 1;
/** The socket is not inherited by the commands a test runs. */
const SOCK_CLOEXEC = 0o2000000;
/** `struct sockaddr_in`: family (host order), port (network order), address, padding. */
const SOCKADDR_IN_BYTES = 16;

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
  const libc = Deno.dlopen("libc.so.6", {
    socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
    bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
    getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
    close: { parameters: ["i32"], result: "i32" },
  });
  const fd = libc.symbols.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const release = () => {
    if (fd >= 0) libc.symbols.close(fd);
    libc.close();
  };
  try {
    if (fd < 0) throw new Error("refusedPort(): socket() failed");
    const address = new Uint8Array(SOCKADDR_IN_BYTES);
    const view = new DataView(address.buffer);
    view.setUint16(0, AF_INET, true); // Host order: the little-endian machines the tests run on.
    address.set([127, 0, 0, 1], 4); // Port 0: the kernel picks one.
    if (libc.symbols.bind(fd, address, SOCKADDR_IN_BYTES) !== 0) {
      throw new Error("refusedPort(): bind() failed");
    }
    const length = new Uint32Array([SOCKADDR_IN_BYTES]);
    if (libc.symbols.getsockname(fd, address, new Uint8Array(length.buffer)) !== 0) {
      throw new Error("refusedPort(): getsockname() failed");
    }
    const port = view.getUint16(2, false);
    return { hostname: "127.0.0.1", port, [Symbol.dispose]: release };
  } catch (error) {
    release();
    throw error;
  }
}
