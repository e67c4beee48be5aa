/**
 * Writing a whole buffer to a writer that may take fewer bytes than offered.
 *
 * @module
 */

import type { ByteWriter } from "./duplex.ts";

/**
 * Writes all of `bytes` to `dest`, looping over partial writes.
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
    offset += await dest.write(bytes.subarray(offset));
  }
}
