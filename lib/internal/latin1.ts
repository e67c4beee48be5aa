/**
 * Text whose characters stand for one byte each (ISO-8859-1, code points 0 to 255), and back:
 * header fields as they are on the wire, and files whose bytes must come out as they went in.
 *
 * @module
 */

/**
 * Text of code points up to 255 as one byte each (a higher one keeps its low byte).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { latin1Bytes } from "./latin1.ts";
 *
 * assert.deepEqual(latin1Bytes("a\xe9\x80"), new Uint8Array([0x61, 0xe9, 0x80]));
 * ```
 */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Bytes as text, one character a byte (code point = byte value; not `TextDecoder("latin1")`, which
 * is windows-1252 and maps 0x80-0x9f elsewhere): {@linkcode latin1Bytes} gives them back.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { latin1Bytes, latin1Text } from "./latin1.ts";
 *
 * const bytes = new Uint8Array([0x61, 0xe9, 0x80, 0xff]);
 * assert.equal(latin1Text(bytes), "a\xe9\x80\xff");
 * assert.deepEqual(latin1Bytes(latin1Text(bytes)), bytes);
 * ```
 */
export function latin1Text(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return text;
}
