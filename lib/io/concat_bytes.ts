/**
 * Joining byte chunks into one array.
 *
 * @module
 */

/**
 * Copies `parts`, in order, into one new array.
 *
 * @param parts The chunks; none is kept.
 * @returns A fresh array of their total length.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { concatBytes } from "@netkit/netkit/io";
 *
 * const joined = concatBytes([new Uint8Array([1, 2]), new Uint8Array([]), new Uint8Array([3])]);
 * assert.deepEqual(joined, new Uint8Array([1, 2, 3]));
 * ```
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const part of parts) length += part.length;
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}
