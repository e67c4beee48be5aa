/**
 * Writing a whole buffer to a writer that may take fewer bytes than offered.
 *
 * @module
 */

import type { ByteWriter } from "./duplex.ts";

/**
 * Writes all of `bytes` to `dest`, looping over partial writes.
 *
 * @throws {Deno.errors.WriteZero} when `dest.write()` reports no byte taken, or more than it was
 * given: it breaks the writer contract, and looping on would never end (or skip bytes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeAll } from "@netkit/netkit/io";
 *
 * // A writer that takes at most 3 bytes per call.
 * const received: number[] = [];
 * const slow = {
 *   write: (p: Uint8Array) => {
 *     received.push(...p.subarray(0, 3));
 *     return Promise.resolve(Math.min(3, p.length));
 *   },
 * };
 * await writeAll(slow, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
 * assert.deepEqual(received, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
 * ```
 */
export async function writeAll(dest: ByteWriter, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const left = bytes.length - offset;
    const n = await dest.write(bytes.subarray(offset));
    // A writer that takes nothing would be called for ever (on promises alone, so that not even
    // a timer could stop it); one that claims more than it was given would skip bytes.
    if (!(n > 0 && n <= left)) throw badWriteCount(n, left);
    offset += n;
  }
}

/** The error for a writer that reported `n` bytes taken out of `offered`. */
function badWriteCount(n: number, offered: number): Deno.errors.WriteZero {
  return new Deno.errors.WriteZero(`The writer reported "${n}" bytes written of ${offered}`);
}
