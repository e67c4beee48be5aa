/**
 * The Time Protocol (RFC 868): the time as 32-bit big-endian seconds since 1900-01-01 00:00 UTC.
 *
 * @module
 */

/** Seconds from 1900-01-01 to 1970-01-01, the offset between RFC 868 time and Unix time. */
export const RFC868_EPOCH_OFFSET = 2_208_988_800;

const TWO_TO_32 = 2 ** 32;

/**
 * Encodes `date` as RFC 868's four bytes: whole seconds since 1900, big-endian, modulo 2^3^2 (the
 * count wraps on 2036-02-07; instants before 1900 wrap too).
 *
 * @param date The instant to encode.
 * @returns Four new bytes.
 * @throws {RangeError} for an invalid date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeRfc868Time } from "@netkit/netkit/time";
 *
 * const bytes = encodeRfc868Time(new Date(0));
 * assert.deepEqual(bytes, new Uint8Array([0x83, 0xaa, 0x7e, 0x80])); // 2208988800 s after 1900
 * ```
 */
export function encodeRfc868Time(date: Date): Uint8Array {
  const bytes = new Uint8Array(4);
  writeRfc868Time(date, bytes);
  return bytes;
}

/**
 * Writes RFC 868's four bytes for `date` into `target` at `offset`, without allocating.
 *
 * @throws {RangeError} for an invalid date or too little room.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeRfc868Time } from "@netkit/netkit/time";
 *
 * const buffer = new Uint8Array(4);
 * writeRfc868Time(new Date("1900-01-01T00:00:01Z"), buffer);
 * assert.deepEqual(buffer, new Uint8Array([0, 0, 0, 1]));
 * ```
 */
export function writeRfc868Time(date: Date, target: Uint8Array, offset = 0): void {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError(`Invalid date "${date}"`);
  if (offset < 0 || offset + 4 > target.length) {
    throw new RangeError(`No room for 4 bytes at offset "${offset}"`);
  }
  const seconds = Math.floor(time / 1000) + RFC868_EPOCH_OFFSET;
  const wrapped = ((seconds % TWO_TO_32) + TWO_TO_32) % TWO_TO_32;
  target[offset] = wrapped >>> 24;
  target[offset + 1] = (wrapped >>> 16) & 0xff;
  target[offset + 2] = (wrapped >>> 8) & 0xff;
  target[offset + 3] = wrapped & 0xff;
}

/**
 * Decodes RFC 868's four bytes. Counts below 2^3^1 are taken as after the 2036 wrap (so the result
 * lies between 1968 and 2104), the usual reading since the protocol's count ran past half.
 *
 * @param bytes Exactly four bytes.
 * @returns The instant, to the second.
 * @throws {RangeError} unless given four bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRfc868Time } from "@netkit/netkit/time";
 *
 * const date = decodeRfc868Time(new Uint8Array([0x83, 0xaa, 0x7e, 0x80]));
 * assert.equal(date.getTime(), 0);
 * ```
 */
export function decodeRfc868Time(bytes: Uint8Array): Date {
  if (bytes.length !== 4) throw new RangeError(`Expected 4 bytes, got "${bytes.length}"`);
  const count = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  const seconds = count < 2 ** 31 ? count + TWO_TO_32 : count;
  return new Date((seconds - RFC868_EPOCH_OFFSET) * 1000);
}
