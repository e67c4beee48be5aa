/**
 * Fills a buffer from a file, however many reads it takes.
 *
 * @module
 */

/**
 * Reads into `bytes` until it is full or the reader ends.
 *
 * @returns The part of `bytes` filled: shorter than `bytes` only at end of file.
 */
export async function readFull(
  reader: { read(p: Uint8Array): Promise<number | null> },
  bytes: Uint8Array,
): Promise<Uint8Array> {
  let filled = 0;
  while (filled < bytes.length) {
    const n = await reader.read(bytes.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return bytes.subarray(0, filled);
}
