/**
 * A loopback port held for a peer while it starts, so that the kernel gives it to no one else.
 *
 * A port found free (listen on port 0, note the port, close) is free only at that moment: until
 * the peer binds it, anything on the machine that binds port 0 (another test file of a parallel
 * run, another suite, an outgoing connection) may be given it. This module keeps a TCP socket
 * bound to the port with `SO_REUSEADDR`, without listening: a bind to port 0 never gets a port an
 * equal address is bound to, so nobody is handed it, while the peer (nginx, Apache, lighttpd,
 * python's http.server, tinyproxy, busybox, openssl, redis, Deno: all set `SO_REUSEADDR`) can
 * still bind it and listen, since the held socket does not listen. Disposed of once the peer
 * listens (or failed). Made with libc (`--allow-ffi`, Linux), as refused_port.ts's socket.
 *
 * Someone who picked the port as free before it was held and binds it by number can still take
 * it: {@linkcode startPeer} sees that (the peer ends, or a stranger listens there) and starts
 * again on another port.
 *
 * @module
 */

const AF_INET = 2;
const SOCK_STREAM = 1;
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;
/** The socket is not inherited by the peer itself. */
const SOCK_CLOEXEC = 0o2000000;
/** `struct sockaddr_in`: family (host order), port (network order), address, padding. */
const SOCKADDR_IN_BYTES = 16;

/** A port of an IPv4 loopback address that no bind to port 0 is given until disposal. */
export interface ReservedPort extends Disposable {
  /** The port, bound (not listening, `SO_REUSEADDR`) until disposal. */
  readonly port: number;
}

/**
 * Binds a TCP socket with `SO_REUSEADDR` to a port of `hostname` (an IPv4 address) chosen by the
 * kernel, without listening, and keeps it until disposal. With `reuseAddress: false` nothing else
 * can listen there either: connects to the port are refused (refused_port.ts).
 *
 * @returns The port; dispose of it (`using`) once the peer listens there.
 * @throws {Error} when libc cannot make or bind the socket.
 *
 * @example A peer can listen on the held port; a bind to port 0 is not given it
 * ```ts
 * import assert from "node:assert/strict";
 * import { reservePort } from "./reserved_port.ts";
 *
 * using reserved = reservePort();
 * for (let i = 0; i < 100; i++) {
 *   using other = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 *   assert.notEqual(other.addr.port, reserved.port);
 * }
 * using peer = Deno.listen({ hostname: "127.0.0.1", port: reserved.port });
 * assert.equal(peer.addr.port, reserved.port);
 * ```
 */
export function reservePort(
  hostname = "127.0.0.1",
  { reuseAddress = true }: { reuseAddress?: boolean } = {},
): ReservedPort {
  const octets = hostname.split(".").map(Number);
  if (octets.length !== 4 || octets.some((n) => !(n >= 0 && n <= 255))) {
    throw new TypeError(`reservePort(): not an IPv4 address: ${hostname}`);
  }
  const libc = Deno.dlopen("libc.so.6", {
    socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
    setsockopt: { parameters: ["i32", "i32", "i32", "buffer", "u32"], result: "i32" },
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
    if (fd < 0) throw new Error("reservePort(): socket() failed");
    const one = new Uint8Array(new Int32Array([1]).buffer);
    const reuse = () => libc.symbols.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, one, one.length);
    if (reuseAddress && reuse() !== 0) {
      throw new Error("reservePort(): setsockopt(SO_REUSEADDR) failed");
    }
    const address = new Uint8Array(SOCKADDR_IN_BYTES);
    const view = new DataView(address.buffer);
    view.setUint16(0, AF_INET, true); // Host order: the little-endian machines the tests run on.
    address.set(octets, 4); // Port 0: the kernel picks one.
    if (libc.symbols.bind(fd, address, SOCKADDR_IN_BYTES) !== 0) {
      throw new Error("reservePort(): bind() failed");
    }
    const length = new Uint32Array([SOCKADDR_IN_BYTES]);
    if (libc.symbols.getsockname(fd, address, new Uint8Array(length.buffer)) !== 0) {
      throw new Error("reservePort(): getsockname() failed");
    }
    return { port: view.getUint16(2, false), [Symbol.dispose]: release };
  } catch (error) {
    release();
    throw error;
  }
}
