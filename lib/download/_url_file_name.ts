/**
 * A URL's file name as GNU wget's url_file_name makes it, said once for plain `wget URL`
 * (`fileNameFromUrl`) and for the recursion's paths (`localPathForUrl`): the text percent-decoded
 * as GNU decodes it, then each byte a file name may not hold escaped as `%XX`. Private to
 * `lib/download/`.
 *
 * @module
 */

import { urlUnescapeBytes } from "../internal/percent_decode.ts";
import type { FileNameRestrictions } from "./restrict_file_names.ts";

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();
const STRICT_DECODER = new TextDecoder("utf-8", { fatal: true });

/**
 * `text`, a piece of a URL's path as the URL has it, decoded `decodes` times as GNU wget's
 * url_unescape decodes (every `%XX` but `%00`; a `%` without two hex digits stays), then with the
 * bytes `restrict` forbids escaped as `%XX`, and any byte that is no part of a UTF-8 character.
 * A file's name is decoded twice, as GNU's: its URL parser's split_path decodes the name, and
 * url_file_name decodes "FILE?QUERY" again (`pct%2541` is `pctA`); a query, and a directory's
 * name (append_dir_structure's), once (`%2541` is `%41`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unescapedFileName } from "./_url_file_name.ts";
 * import { UNIX_FILE_NAMES } from "./restrict_file_names.ts";
 *
 * assert.equal(unescapedFileName("pct%2541", UNIX_FILE_NAMES, 2), "pctA");
 * assert.equal(unescapedFileName("pct%2541", UNIX_FILE_NAMES, 1), "pct%41");
 * assert.equal(unescapedFileName("a%252Fb%0A", UNIX_FILE_NAMES, 2), "a%2Fb%0A");
 * assert.equal(unescapedFileName("%C3%A9%FF%20", UNIX_FILE_NAMES, 2), "\u00e9%FF ");
 * ```
 */
export function unescapedFileName(
  text: string,
  restrict: FileNameRestrictions,
  decodes: 1 | 2,
): string {
  let bytes = urlUnescapeBytes(ENCODER.encode(text));
  if (decodes === 2) bytes = urlUnescapeBytes(bytes);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    // A byte that is no part of a UTF-8 character is escaped too: a name on disk is UTF-8 here
    // (GNU wget writes the byte as it is; a Deno path cannot hold it, and U+FFFD would make
    // `%FE` and `%FF` one name).
    const size = byte < 0x80 ? 1 : utf8Length(bytes, i);
    if (size === 0 || mustEscape(byte, restrict)) {
      const hex = byte.toString(16).toUpperCase().padStart(2, "0");
      out.push(0x25, hex.charCodeAt(0), hex.charCodeAt(1));
    } else {
      for (let j = 0; j < size; j++) out.push(bytes[i + j]!);
      i += size - 1;
    }
  }
  return DECODER.decode(new Uint8Array(out));
}

/** The length of the UTF-8 character that starts at `bytes[at]` (not ASCII), or 0 for none. */
function utf8Length(bytes: Uint8Array, at: number): number {
  const lead = bytes[at]!;
  const size = lead >= 0xc2 && lead <= 0xdf
    ? 2
    : lead >= 0xe0 && lead <= 0xef
    ? 3
    : lead >= 0xf0 && lead <= 0xf4
    ? 4
    : 0;
  if (size === 0 || at + size > bytes.length) return 0;
  try {
    // The fatal decoder refuses overlong forms, surrogates and bad continuation bytes.
    STRICT_DECODER.decode(bytes.subarray(at, at + size));
    return size;
  } catch {
    return 0;
  }
}

/** GNU wget's file name character table (url.c's `filechr_table`) for the chosen rules. */
function mustEscape(byte: number, restrict: FileNameRestrictions): boolean {
  if (byte === 0 || byte === 0x2f) return true;
  if (restrict.control && (byte < 0x20 || byte === 0x7f)) return true;
  if (restrict.ascii && byte > 0x7f) return true;
  if (restrict.os === "windows") {
    return byte === 0x5c || byte === 0x7c || byte === 0x3a || byte === 0x22 || byte === 0x2a ||
      byte === 0x3f || byte === 0x3c || byte === 0x3e;
  }
  return false;
}
