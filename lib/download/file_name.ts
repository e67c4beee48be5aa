/**
 * File names for downloads, as GNU wget chooses them and made safe: the URL's last path segment
 * (`index.html` for an empty one), or a `Content-Disposition` file name; decoded, with no `/`, no
 * control characters, no `.` or `..`, so a name can never leave the target directory.
 *
 * @module
 */

import { percentDecode } from "../internal/percent_decode.ts";
import type { HttpUrl } from "../http/url.ts";
import { unescapedFileName } from "./_url_file_name.ts";
import { UNIX_FILE_NAMES } from "./restrict_file_names.ts";

/** The name used when a URL's path ends in `/`. */
export const DEFAULT_INDEX_NAME = "index.html";
/**
 * The longest name produced, in UTF-8 bytes, as GNU wget's: file systems allow 255 bytes, less 19
 * for `.1`, `.html`, `.orig` and the like added after.
 */
export const MAX_NAME_LENGTH = 236;

/**
 * The local name for `url`: its last path segment and query, percent-decoded and made safe;
 * `index.html` for an empty segment, its query kept too (an empty one as `?`, as GNU wget).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileNameFromUrl } from "@netkit/netkit/download";
 * import { parseHttpUrl } from "@netkit/netkit/http";
 *
 * assert.equal(fileNameFromUrl(parseHttpUrl("http://h/a/b%20c.txt")), "b c.txt");
 * assert.equal(fileNameFromUrl(parseHttpUrl("http://h/dir/")), "index.html");
 * assert.equal(fileNameFromUrl(parseHttpUrl("http://h/dir/?q=a%2Fb")), "index.html?q=a%2Fb");
 * assert.equal(fileNameFromUrl(parseHttpUrl("http://h/a.html?")), "a.html?");
 * assert.equal(fileNameFromUrl(parseHttpUrl("http://h/x%2F..%2Fy")), "x%2F..%2Fy");
 * ```
 */
export function fileNameFromUrl(url: HttpUrl): string {
  const query = url.target.indexOf("?");
  const path = query >= 0 ? url.target.slice(0, query) : url.target;
  const search = query >= 0 ? url.target.slice(query) : "";
  const segment = path.slice(path.lastIndexOf("/") + 1);
  // A directory's file is index.html, its query kept as for any other name (GNU wget's
  // `index.html?q=1`), so that the queries of one directory do not all fall on index.html.
  // The segment is decoded twice, the query once, as GNU's url_file_name (and -r's names).
  const name = segment === "" ? DEFAULT_INDEX_NAME : unescapedFileName(segment, UNIX_FILE_NAMES, 2);
  return safeFileName(name + unescapedFileName(search, UNIX_FILE_NAMES, 1), DEFAULT_INDEX_NAME);
}

/**
 * Makes `name` a safe base name: `/` becomes `%2F`, control characters become `%XX`, a name that
 * is empty, `.` or `..` becomes `fallback`, and a long name is cut short.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { safeFileName } from "@netkit/netkit/download";
 *
 * assert.equal(safeFileName("../../etc/passwd", "x"), "..%2F..%2Fetc%2Fpasswd");
 * assert.equal(safeFileName("a\nb\0", "x"), "a%0Ab%00");
 * assert.equal(safeFileName("..", "index.html"), "index.html");
 * ```
 */
export function safeFileName(name: string, fallback: string): string {
  // deno-lint-ignore no-control-regex
  const escaped = name.replace(/[\x00-\x1f\x7f/]/g, (c) => `%${hex(c)}`);
  if (escaped === "" || escaped === "." || escaped === "..") return fallback;
  return clipUtf8(escaped, MAX_NAME_LENGTH);
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, cut between characters. */
function clipUtf8(text: string, maxBytes: number): string {
  // No UTF-16 code unit takes more than 3 bytes: most names need no walk at all.
  if (text.length * 3 <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * The file name a `Content-Disposition` header offers, reduced to a safe base name: the part after
 * the last `/` or `\`, without leading dots (no hidden files), or undefined when there is none.
 * `filename*=UTF-8''...` wins over `filename=`, whose value is read as GNU wget reads it (a quoted
 * one ends at the next quote, backslashes and all; `%XX` escapes decoded).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { contentDispositionFileName } from "@netkit/netkit/download";
 *
 * assert.equal(contentDispositionFileName('attachment; filename="../../x.txt"'), "x.txt");
 * const encoded = "attachment; filename*=UTF-8''%C3%A9t%C3%A9.txt";
 * assert.equal(contentDispositionFileName(encoded), "\u00e9t\u00e9.txt");
 * assert.equal(contentDispositionFileName('attachment; filename="/"'), undefined);
 * assert.equal(contentDispositionFileName("inline"), undefined);
 * ```
 */
export function contentDispositionFileName(header: string): string | undefined {
  let name: string | undefined;
  const extended = /(?:^|;)\s*filename\*\s*=\s*([^']*)'[^']*'([^;]*)/i.exec(header);
  const [, charsetField, encoded] = extended ?? [];
  if (charsetField !== undefined && encoded !== undefined) {
    const charset = charsetField.trim().toLowerCase();
    if (charset === "utf-8" || charset === "") {
      name = afterLastSeparator(percentDecode(encoded.trim()));
    }
  }
  if (name === undefined) {
    // As GNU wget reads it: a quoted value ends at the next quote (a backslash is no escape, so
    // `C:\dir\name.txt` keeps its separators); the name after the last separator has its %XX
    // escapes decoded (a decoded `/` is escaped again below, as `%2F`).
    const plain = /(?:^|;)\s*filename\s*=\s*(?:"([^"]*)"|([^;]*))/i.exec(header);
    const value = plain?.[1] ?? plain?.[2]?.trim();
    if (value !== undefined) name = percentDecode(afterLastSeparator(value));
  }
  if (name === undefined) return undefined;
  const safe = safeFileName(name.replace(/^[.\s]+/, "").trimEnd(), "");
  return safe === "" ? undefined : safe;
}

/** What follows the last `/` or `\\`. */
function afterLastSeparator(text: string): string {
  return text.slice(Math.max(text.lastIndexOf("/"), text.lastIndexOf("\\")) + 1);
}

function hex(c: string): string {
  return c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0");
}
