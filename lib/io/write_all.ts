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
 * let total = 0;
 * const slow = { write: (p: Uint8Array) => Promise.resolve((total += Math.min(3, p.length), Math.min(3, p.length))) };
 * await writeAll(slow, new Uint8Array(10));
 * assert.equal(total, 10);
 * ```
 */
export async function writeAll(dest: ByteWriter, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += await dest.write(bytes.subarray(offset));
  }
}
