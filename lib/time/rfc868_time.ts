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
 * Decodes RFC 868's four bytes. The 32-bit count wraps every 2^3^2 seconds (136 years; first on
 * 2036-02-07 06:28:16 UTC), so the bytes name one instant in each 136-year era:
 * - with `near` (the reader's own clock), the instant of the era nearest it, within 2^3^1 s (68
 *   years) either side, as BusyBox's rdate reads it (its clock plus the count's difference from
 *   its clock taken as a signed 32-bit number): a reader whose clock is right reads every era right;
 * - without it, the instant between 1968-01-20 03:14:08 and 2104-02-26 09:42:23 UTC (counts below
 *   2^3^1 are taken as after the 2036 wrap), the reading nearest any clock of this century.
 *
 * @param bytes Exactly four bytes.
 * @param near The reader's clock, e.g. `new Date()`; the result is the instant nearest it.
 * @returns The instant, to the second.
 * @throws {RangeError} unless given four bytes, or when `near` is an invalid date.
 *
 * @example Read the bytes of the Unix epoch, and bytes sent after the 2036 wrap
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRfc868Time } from "@netkit/netkit/time";
 *
 * const date = decodeRfc868Time(new Uint8Array([0x83, 0xaa, 0x7e, 0x80]));
 * assert.equal(date.getTime(), 0);
 * // Five seconds after the wrap: the count is 5 again, read as 2036 (not 1900) near 2026 ...
 * const wrapped = new Uint8Array([0, 0, 0, 5]);
 * const in2026 = new Date("2026-12-01T00:00:00Z");
 * assert.equal(decodeRfc868Time(wrapped, in2026).toISOString(), "2036-02-07T06:28:21.000Z");
 * // ... and as 2172, the era after, by a reader whose clock says 2150.
 * const in2150 = new Date("2150-01-01T00:00:00Z");
 * assert.equal(decodeRfc868Time(wrapped, in2150).toISOString(), "2172-03-15T12:56:37.000Z");
 * ```
 */
export function decodeRfc868Time(bytes: Uint8Array, near?: Date): Date {
  if (bytes.length !== 4) throw new RangeError(`Expected 4 bytes, got "${bytes.length}"`);
  const count = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  if (near === undefined) {
    const seconds = count < 2 ** 31 ? count + TWO_TO_32 : count;
    return new Date((seconds - RFC868_EPOCH_OFFSET) * 1000);
  }
  const nearMs = near.getTime();
  if (Number.isNaN(nearMs)) throw new RangeError(`Invalid date "${near}"`);
  const nearSeconds = Math.floor(nearMs / 1000) + RFC868_EPOCH_OFFSET;
  // The count's difference from the reader's own count, as a signed 32-bit number (rdate's
  // `(int32_t)(nett - cur)`): from -2^31 up to 2^31 - 1 seconds.
  const difference = (count - nearSeconds) | 0;
  return new Date((nearSeconds + difference - RFC868_EPOCH_OFFSET) * 1000);
}
