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

/** A `%` not followed by two hex digits. */
const STRAY_PERCENT = /%(?![0-9A-Fa-f]{2})/g;

/** What GNU encodes and the parser does not (or not in a query): a stray `%`, the six. */
const UNSAFE = new RegExp(`${STRAY_PERCENT.source}|[\\\\^|\`{}]`, "g");

/**
 * `link` with each `%` that starts no escape written `%25`, as GNU wget's `reencode_escapes`
 * writes it (`50%.html` is asked for as `/50%25.html`; the URL parser keeps the bare `%`, which
 * nginx answers 400). Links inside pages get only this part of GNU's encoding: the other
 * characters keep the browser's reading (see `gnuReencode`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeStrayPercents } from "./_gnu_reencode.ts";
 *
 * assert.equal(escapeStrayPercents("50%.html"), "50%25.html");
 * assert.equal(escapeStrayPercents("a%20b|c.html"), "a%20b|c.html");
 * ```
 */
export function escapeStrayPercents(link: string): string {
  return link.includes("%") ? link.replace(STRAY_PERCENT, "%25") : link;
}

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
