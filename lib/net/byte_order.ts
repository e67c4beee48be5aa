/**
 * The C byte-order helpers (`htons`, `htonl`, `ntohs`, `ntohl`) for numbers: network byte order is
 * big-endian; the host's order is whatever this machine uses (little-endian on x86 and most ARM).
 *
 * @module
 */

/** True when this machine stores the least significant byte first (x86, most ARM). */
export const HOST_IS_LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkRange(value: number, max: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name}() takes a whole number from 0 to ${max}, not "${value}"`);
  }
}

/** Swaps the two bytes of a 16-bit value on a little-endian host; the check names the caller. */
function swap16(value: number, name: string): number {
  checkRange(value, 0xffff, name);
  return HOST_IS_LITTLE_ENDIAN ? ((value & 0xff) << 8) | (value >>> 8) : value;
}

/** Reverses the four bytes of a 32-bit value on a little-endian host. */
function swap32(value: number, name: string): number {
  checkRange(value, 0xffffffff, name);
  if (!HOST_IS_LITTLE_ENDIAN) return value;
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) |
    (value >>> 24)) >>> 0;
}

/**
 * Host to network short: the 16-bit `value` as a big-endian machine would hold it.
 *
 * @param value A whole number from 0 to 65535.
 * @returns The value with its bytes swapped on a little-endian host, unchanged on a big-endian one.
 * @throws {RangeError} for anything outside 0..65535 or not whole.
 *
 * @example Port 80 in network order, read back as a host number on x86
 * ```ts
 * import assert from "node:assert/strict";
 * import { htons, ntohs } from "@netkit/netkit/net";
 *
 * assert.equal(ntohs(htons(80)), 80);
 * ```
 */
export function htons(value: number): number {
  return swap16(value, "htons");
}

/**
 * Network to host short: the inverse of {@linkcode htons} (the same swap).
 *
 * @param value A whole number from 0 to 65535.
 * @throws {RangeError} for anything outside 0..65535 or not whole.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HOST_IS_LITTLE_ENDIAN, ntohs } from "@netkit/netkit/net";
 *
 * assert.equal(ntohs(0x5000), HOST_IS_LITTLE_ENDIAN ? 80 : 0x5000);
 * ```
 */
export function ntohs(value: number): number {
  return swap16(value, "ntohs");
}

/**
 * Host to network long: the 32-bit `value` as a big-endian machine would hold it.
 *
 * @param value A whole number from 0 to 4294967295.
 * @returns An unsigned 32-bit number.
 * @throws {RangeError} for anything outside 0..2^32-1 or not whole.
 *
 * @example 127.0.0.1 as a host number, then in network order
 * ```ts
 * import assert from "node:assert/strict";
 * import { HOST_IS_LITTLE_ENDIAN, htonl } from "@netkit/netkit/net";
 *
 * assert.equal(htonl(0x7f000001), HOST_IS_LITTLE_ENDIAN ? 0x0100007f : 0x7f000001);
 * ```
 */
export function htonl(value: number): number {
  return swap32(value, "htonl");
}

/**
 * Network to host long: the inverse of {@linkcode htonl} (the same swap).
 *
 * @param value A whole number from 0 to 4294967295.
 * @returns An unsigned 32-bit number.
 * @throws {RangeError} for anything outside 0..2^32-1 or not whole.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { htonl, ntohl } from "@netkit/netkit/net";
 *
 * assert.equal(ntohl(htonl(0xdeadbeef)), 0xdeadbeef);
 * ```
 */
export function ntohl(value: number): number {
  return swap32(value, "ntohl");
}
