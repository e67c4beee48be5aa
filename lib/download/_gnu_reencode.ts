/**
 * GNU Wget 1.21.3's `reencode_escapes` (url.c), for the characters the WHATWG URL parser leaves as
 * they are: each `%` that starts no escape is written `%25`, and `\`, `^`, `|`, `` ` ``, `{` and
 * `}` (unsafe and not reserved, for GNU) are percent-encoded. GNU asks for `/a|b` as `/a%7Cb` and
 * for `/a\b` as `/a%5Cb`, where the parser keeps the `|` and reads the `\` as a `/`. The other
 * characters GNU encodes (controls, space, `"`, `<`, `>`, bytes above 0x7F) the parser encodes
 * alike. Private to `lib/download/`.
 *
 * @module
 */

/** What GNU encodes and the parser does not (or not in a query): a stray `%`, the six. */
const UNSAFE = /%(?![0-9A-Fa-f]{2})|[\\^|`{}]/g;

/**
 * `text` (a URL, or a link as a page writes it) with GNU's escapes for what the URL parser would
 * leave or read otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gnuReencode } from "./_gnu_reencode.ts";
 *
 * assert.equal(gnuReencode("http://h/a|b^c.html"), "http://h/a%7Cb%5Ec.html");
 * assert.equal(gnuReencode("img\\p.png?q={1}"), "img%5Cp.png?q=%7B1%7D");
 * assert.equal(gnuReencode("50%.html"), "50%25.html");
 * assert.equal(gnuReencode("a%20b.html"), "a%20b.html");
 * ```
 */
export function gnuReencode(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  return text.replace(
    UNSAFE,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
}
