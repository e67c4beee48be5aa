/**
 * The socket address structures of Linux, `sockaddr_in` (16 bytes) and `sockaddr_in6` (28 bytes),
 * encoded and decoded byte for byte as the kernel lays them out:
 *
 * ```c
 * struct sockaddr_in {             // <netinet/in.h>, 16 bytes
 *   sa_family_t    sin_family;     // offset 0, 2 bytes, host order: AF_INET (2)
 *   in_port_t      sin_port;       // offset 2, 2 bytes, network order
 *   struct in_addr sin_addr;       // offset 4, 4 bytes, network order
 *   unsigned char  sin_zero[8];    // offset 8, 8 bytes, zero
 * };
 *
 * struct sockaddr_in6 {            // <netinet/in.h>, 28 bytes
 *   sa_family_t     sin6_family;   // offset 0, 2 bytes, host order: AF_INET6 (10)
 *   in_port_t       sin6_port;     // offset 2, 2 bytes, network order
 *   uint32_t        sin6_flowinfo; // offset 4, 4 bytes, network order
 *   struct in6_addr sin6_addr;     // offset 8, 16 bytes, network order
 *   uint32_t        sin6_scope_id; // offset 24, 4 bytes, host order (an interface index)
 * };
 * ```
 *
 * @module
 */

import { HOST_IS_LITTLE_ENDIAN } from "./byte_order.ts";
import { inetNtop, inetPton } from "./inet.ts";

/** Linux's `AF_INET`. */
export const AF_INET = 2;
/** Linux's `AF_INET6`. */
export const AF_INET6 = 10;
/** The size of `struct sockaddr_in`. */
export const SOCKADDR_IN_SIZE = 16;
/** The size of `struct sockaddr_in6`. */
export const SOCKADDR_IN6_SIZE = 28;

/** A decoded socket address. */
export interface SocketAddress {
  /** `AF_INET` (2) or `AF_INET6` (10). */
  family: typeof AF_INET | typeof AF_INET6;
  /** The address as text (`inet_ntop`). */
  address: string;
  /** The port, 0 to 65535. */
  port: number;
  /** IPv6 only: the flow label field. @default {0} */
  flowInfo?: number;
  /** IPv6 only: the interface index of a link-local address. @default {0} */
  scopeId?: number;
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`A port is a whole number from 0 to 65535, not "${port}"`);
  }
}

function checkUint32(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${name} is a whole number from 0 to 4294967295, not "${value}"`);
  }
}

/**
 * Encodes `struct sockaddr_in`.
 *
 * @param address An IPv4 address literal.
 * @param port 0 to 65535.
 * @returns 16 bytes.
 * @throws {SyntaxError} for a bad address; {RangeError} for a bad port.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeSockaddrIn } from "@netkit/netkit/net";
 *
 * const bytes = encodeSockaddrIn("127.0.0.1", 80);
 * assert.equal(bytes.length, 16);
 * assert.equal(bytes[2], 0);
 * assert.equal(bytes[3], 80);
 * assert.equal(bytes[4], 127);
 * ```
 */
export function encodeSockaddrIn(address: string, port: number): Uint8Array {
  checkPort(port);
  const bytes = new Uint8Array(SOCKADDR_IN_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, AF_INET, HOST_IS_LITTLE_ENDIAN);
  view.setUint16(2, port, false);
  bytes.set(inetPton(address, 4), 4);
  return bytes;
}

/** Options of {@linkcode encodeSockaddrIn6}. */
export interface SockaddrIn6Options {
  /** `sin6_flowinfo`. @default {0} */
  flowInfo?: number;
  /** `sin6_scope_id`. @default {0} */
  scopeId?: number;
}

/**
 * Encodes `struct sockaddr_in6`.
 *
 * @param address An IPv6 address literal.
 * @param port 0 to 65535.
 * @returns 28 bytes.
 * @throws {SyntaxError} for a bad address; {RangeError} for a bad port, flow info or scope.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSockaddr, encodeSockaddrIn6 } from "@netkit/netkit/net";
 *
 * const bytes = encodeSockaddrIn6("::1", 443);
 * assert.equal(bytes.length, 28);
 * assert.equal(bytes[23], 1);
 * assert.equal(decodeSockaddr(bytes).address, "::1");
 * ```
 */
export function encodeSockaddrIn6(
  address: string,
  port: number,
  options: SockaddrIn6Options = {},
): Uint8Array {
  checkPort(port);
  const flowInfo = options.flowInfo ?? 0;
  const scopeId = options.scopeId ?? 0;
  checkUint32(flowInfo, "sin6_flowinfo");
  checkUint32(scopeId, "sin6_scope_id");
  const bytes = new Uint8Array(SOCKADDR_IN6_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, AF_INET6, HOST_IS_LITTLE_ENDIAN);
  view.setUint16(2, port, false);
  view.setUint32(4, flowInfo, false);
  bytes.set(inetPton(address, 6), 8);
  view.setUint32(24, scopeId, HOST_IS_LITTLE_ENDIAN);
  return bytes;
}

/**
 * Decodes a `struct sockaddr_in` or `struct sockaddr_in6`, the family read from its first field.
 *
 * @param bytes 16 bytes of `sockaddr_in` or 28 of `sockaddr_in6` (longer buffers, as from a
 * `sockaddr_storage`, are read up to the structure's size).
 * @returns The family, address text, port, and for IPv6 the flow info and scope id.
 * @throws {TypeError} when `bytes` is no `Uint8Array`.
 * @throws {RangeError} for an unknown family or a buffer too short for it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeSockaddr, encodeSockaddrIn } from "@netkit/netkit/net";
 *
 * const { address, port } = decodeSockaddr(encodeSockaddrIn("192.0.2.7", 8080));
 * assert.equal(address, "192.0.2.7");
 * assert.equal(port, 8080);
 * ```
 */
export function decodeSockaddr(bytes: Uint8Array): SocketAddress {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`decodeSockaddr() takes a Uint8Array, not ${typeof bytes}`);
  }
  if (bytes.length < 2) {
    throw new RangeError(`A socket address needs at least 2 bytes, not ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const family = view.getUint16(0, HOST_IS_LITTLE_ENDIAN);
  const need = family === AF_INET ? SOCKADDR_IN_SIZE : SOCKADDR_IN6_SIZE;
  if (family !== AF_INET && family !== AF_INET6) {
    throw new RangeError(`Unknown address family ${family}: expected AF_INET (2) or AF_INET6 (10)`);
  }
  if (bytes.length < need) {
    throw new RangeError(
      `A ${
        family === AF_INET ? "sockaddr_in" : "sockaddr_in6"
      } is ${need} bytes, not ${bytes.length}`,
    );
  }
  const port = view.getUint16(2, false);
  if (family === AF_INET) {
    return { family, address: inetNtop(bytes.slice(4, 8)), port };
  }
  return {
    family,
    address: inetNtop(bytes.slice(8, 24)),
    port,
    flowInfo: view.getUint32(4, false),
    scopeId: view.getUint32(24, HOST_IS_LITTLE_ENDIAN),
  };
}
