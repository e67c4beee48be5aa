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
const SOCK_DGRAM = 2;
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;
/** The socket is not inherited by the peer itself. */
const SOCK_CLOEXEC = 0o2000000;
/** `struct sockaddr_in`: family (host order), port (network order), address, padding. */
const SOCKADDR_IN_BYTES = 16;

/** `EADDRINUSE` on Linux: the address and port are bound already. */
const EADDRINUSE = 98;

/**
 * {@linkcode reservePort}'s `bind()` refused the port: another socket holds it (`EADDRINUSE`),
 * or, with `errno`, some other reason. A caller that wants another port tries again on this
 * error alone; any other error means nothing can be held here (no FFI, not Linux).
 *
 * @example A port held without `SO_REUSEADDR` cannot be held again
 * ```ts
 * import assert from "node:assert/strict";
 * import { PortBindError, reservePort } from "./reserved_port.ts";
 *
 * using held = reservePort("127.0.0.1", { reuseAddress: false });
 * assert.throws(
 *   () => reservePort("127.0.0.1", { port: held.port }),
 *   (error) => error instanceof PortBindError && error.inUse && error.port === held.port,
 * );
 * ```
 */
export class PortBindError extends Error {
  /** The port asked for (0: one the kernel picks). */
  readonly port: number;
  /** `bind()`'s errno. */
  readonly errno: number;
  constructor(hostname: string, port: number, transport: string, errno: number) {
    super(
      `reservePort(): bind() of ${transport} ${hostname}:${port} failed: ${
        errno === EADDRINUSE ? "the address is in use (EADDRINUSE)" : `errno ${errno}`
      }`,
    );
    this.name = "PortBindError";
    this.port = port;
    this.errno = errno;
  }
  /** Whether the port is bound already (`EADDRINUSE`). */
  get inUse(): boolean {
    return this.errno === EADDRINUSE;
  }
}

/** A port of an IPv4 loopback address that no bind to port 0 is given until disposal. */
export interface ReservedPort extends Disposable {
  /** The port, bound (not listening, `SO_REUSEADDR`) until disposal. */
  readonly port: number;
}

/** Options of {@linkcode reservePort}. */
export interface ReservePortOptions {
  /**
   * `SO_REUSEADDR` on the held socket, so that a peer (which sets it too) can bind the port;
   * false: nobody else can. @default {true}
   */
  reuseAddress?: boolean;
  /**
   * The protocol whose port is held. A UDP port held with `SO_REUSEADDR` is given to no bind to
   * port 0 that does not set `SO_REUSEADDR` (Linux gives one that does a port shared with a
   * socket that does); a DNS server binds it all the same. @default {"tcp"}
   */
  transport?: "tcp" | "udp";
  /** The port to hold (say the TCP port held for the same peer), rather than one the kernel picks. */
  port?: number;
}

/**
 * Binds a TCP socket with `SO_REUSEADDR` to a port of `hostname` (an IPv4 address) chosen by the
 * kernel (or `port`), without listening, and keeps it until disposal; a UDP socket with
 * `transport: "udp"`. With `reuseAddress: false` nothing else
 * can listen there either: connects to the port are refused (refused_port.ts).
 *
 * @returns The port; dispose of it (`using`) once the peer listens there.
 * @throws {PortBindError} when the port cannot be bound (`inUse`: another socket has it).
 * @throws {Error} when libc cannot make the socket (or cannot be loaded: no FFI).
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
 *
 * @example The same port held over UDP too, for a DNS server
 * ```ts
 * import assert from "node:assert/strict";
 * import { reservePort } from "./reserved_port.ts";
 *
 * using tcp = reservePort();
 * using udp = reservePort("127.0.0.1", { transport: "udp", port: tcp.port });
 * assert.equal(udp.port, tcp.port);
 * for (let i = 0; i < 100; i++) {
 *   const other = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
 *   const port = (other.addr as Deno.NetAddr).port;
 *   other.close();
 *   assert.notEqual(port, udp.port);
 * }
 * ```
 */
export function reservePort(
  hostname = "127.0.0.1",
  { reuseAddress = true, transport = "tcp", port = 0 }: ReservePortOptions = {},
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
    __errno_location: { parameters: [], result: "pointer" },
  });
  const type = transport === "udp" ? SOCK_DGRAM : SOCK_STREAM;
  const fd = libc.symbols.socket(AF_INET, type | SOCK_CLOEXEC, 0);
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
    view.setUint16(2, port, false); // Port 0: the kernel picks one.
    address.set(octets, 4);
    if (libc.symbols.bind(fd, address, SOCKADDR_IN_BYTES) !== 0) {
      // errno is the calling thread's: read right after the call, on the same thread.
      const errno = new Deno.UnsafePointerView(libc.symbols.__errno_location()!).getInt32();
      throw new PortBindError(hostname, port, transport, errno);
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
