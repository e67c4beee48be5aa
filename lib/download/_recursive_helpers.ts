/**
 * The recursion's helpers: GNU wget's tests on URLs (directories, domains, `match_except_index`)
 * and the file operations of the walk (reading pages in chunks, making directories over files in
 * the way, never writing through a planted symbolic link). Private to `lib/download/`.
 *
 * @module
 */

import type { HttpResponse } from "../http/client.ts";
import type { UrlParts } from "../http/url.ts";
import type { DownloadOptions } from "./download.ts";
import { parseHttpDate } from "./http_date.ts";
import { storedLength } from "./_stored_length.ts";
import { percentDecode } from "../internal/percent_decode.ts";
import type { HeldBody } from "./_held_body.ts";
import { PAGE_BYTES_DECODER_LABEL } from "./_resolve_link.ts";

/**
 * GNU wget's `u->dir`: the path without its leading `/` and its last element, unescaped (so
 * `/%62/x.html` is in `b`, for `-I`, `-X` and `-np`, as GNU's).
 */
export function directoryOf(url: UrlParts): string {
  const path = url.pathname.slice(1);
  return percentDecode(path.slice(0, Math.max(0, path.lastIndexOf("/"))));
}

/** GNU wget's `subdir_p`: `inner` is `outer` or below it. */
export function isSubdirectory(outer: string, inner: string): boolean {
  if (outer === "") return true;
  return inner === outer || inner.startsWith(`${outer}/`);
}

/**
 * GNU wget's `has_html_suffix_p`: the name ends in `.html`, `.htm`, or any one character and `html`
 * (`.xhtml`, `.shtml`, `.phtml`), whatever the case.
 */
export function hasHtmlSuffix(file: string): boolean {
  const dot = file.lastIndexOf(".");
  if (dot < 0 || file.includes("/", dot)) return false;
  const suffix = file.slice(dot + 1).toLowerCase();
  return suffix === "html" || suffix === "htm" || (suffix.length === 5 && suffix.endsWith("html"));
}

export function domainMatches(host: string, domains: readonly string[]): boolean {
  const lower = host.toLowerCase();
  return domains.some((d) => {
    const domain = d.toLowerCase();
    return lower.endsWith(domain) &&
      (lower.length === domain.length || domain.startsWith(".") ||
        lower[lower.length - domain.length - 1] === ".");
  });
}

/** GNU wget's `match_except_index`: `http://h/` and `http://h/index.html` are one page. */
export function sameExceptIndex(a: string, b: string): boolean {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === 0) return false;
  if (i === a.length && i === b.length) return true;
  if (i < a.length && i < b.length) return false;
  const longer = i < a.length ? a : b;
  let at = i;
  if (longer[at] !== "/") at--;
  const rest = longer.slice(at);
  return rest === "/" || rest === "/index.html";
}

/**
 * The bytes of a page read from disk for its links at a time. Their text is 32 to 64 KiB (a page
 * byte above 127 makes it two bytes a character), below V8's 128 KiB for an ordinary heap object:
 * larger strings go to its large-object space, which only a full collection frees, so a big page
 * read in 256 KiB pieces grew the process by about its own size (a 64 MiB page: +47 MiB of peak
 * memory against a 64 KiB page's; in 32 KiB pieces ~+18 MiB, V8's young generation at its bound).
 */
export const PAGE_CHUNK_BYTES = 32 * 1024;

/** One read buffer for every file read in pieces: each piece is decoded before the next read. */
let chunkBuffer: Uint8Array | undefined;

/** What {@linkcode fileChunks} decodes with: a `TextDecoder`'s `decode`. */
export interface ChunkDecoder {
  decode(bytes?: Uint8Array, options?: TextDecodeOptions): string;
}

/**
 * A file's text {@linkcode PAGE_CHUNK_BYTES} at a time, as `decoder` reads it: by default a
 * page's text byte for byte (see `escapePageBytes`). The pieces are read into one buffer and
 * decoded before each is handed out, so two readers may take turns.
 */
export function* fileChunks(
  path: string,
  decoder: ChunkDecoder = new TextDecoder(PAGE_BYTES_DECODER_LABEL),
): Generator<string> {
  using file = Deno.openSync(path);
  const buffer = chunkBuffer ??= new Uint8Array(PAGE_CHUNK_BYTES);
  while (true) {
    const n = file.readSync(buffer);
    if (n === null) break;
    yield decoder.decode(buffer.subarray(0, n), { stream: true });
  }
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}

/**
 * A page's text byte for byte, as {@linkcode fileChunks} reads it, from a body held beside the
 * file (an answer not saved over another fetch's file): {@linkcode PAGE_CHUNK_BYTES} at a time.
 */
export function* heldChunks(body: HeldBody): Generator<string> {
  const decoder = new TextDecoder(PAGE_BYTES_DECODER_LABEL);
  for (const chunk of body.chunks()) {
    for (let at = 0; at < chunk.length; at += PAGE_CHUNK_BYTES) {
      yield decoder.decode(chunk.subarray(at, at + PAGE_CHUNK_BYTES), { stream: true });
    }
  }
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}

export function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** A symbolic link planted at a file's name is removed, never written through. */
export function removeIfLink(path: string): void {
  try {
    if (Deno.lstatSync(path).isSymlink) Deno.removeSync(path);
  } catch {
    // Absent: nothing to do.
  }
}

/**
 * The files of one walk whose bodies could not be written (a full disk), in the order they failed:
 * with several threads the fetches under way when the disk filled fail together, where GNU (one
 * URL at a time) stops at the first and never asks for the others. The empty ones are removed,
 * but the first when none holds a byte (GNU leaves its one failed file, empty when the disk was
 * full before its first byte).
 */
export function removeEmptyFailures(paths: readonly string[]): void {
  if (paths.length < 2) return;
  const empty = paths.filter((path) => {
    try {
      const info = Deno.lstatSync(path);
      return info.isFile && info.size === 0;
    } catch {
      return false;
    }
  });
  for (const path of empty.length === paths.length ? empty.slice(1) : empty) {
    try {
      Deno.removeSync(path);
    } catch {
      // Gone already.
    }
  }
}

/**
 * `-N`: the time and size of the copy of a file here, or undefined without one. With `-K`,
 * `FILE.orig` when it is there: the file itself was rewritten by `-k` (GNU wget's
 * `set_file_timestamp`). Only when `FILE` itself is there, a regular file, as GNU's `http_loop`
 * asks first (`file_exists_p`): a `FILE.orig` beside no `FILE` (`-E` saved `x.php` as
 * `x.php.html`), or beside a directory `FILE` (`-E` saved `/Img` as `Img.html`, then `/Img/x`
 * made `Img/`), is no copy. Not so after a HEAD that named the file (`fileFirst` false: GNU's
 * `check_file_output` under `--content-disposition`), where `FILE.orig` is taken whether `FILE`
 * is there or not (`-E` saved `/n28` as `n28.html`, `-K` kept `n28.orig`).
 */
export function localCopy(
  path: string,
  backupConverted: boolean,
  fileFirst = true,
): { mtime: Date; size: number } | undefined {
  if (fileFirst) {
    try {
      if (!Deno.statSync(path).isFile) return undefined;
    } catch {
      return undefined;
    }
  }
  for (const candidate of backupConverted ? [`${path}.orig`, path] : [path]) {
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && info.mtime) return { mtime: info.mtime, size: info.size };
    } catch {
      // Not there: the next candidate, or none.
    }
  }
  return undefined;
}

/**
 * The key of GNU wget's "black list" of URLs seen in a walk: the URL with every `%HH` escape
 * decoded (but `%00`), so that `t%7Ex.html` and `t~x.html`, or `a%2Fb` and `a/b`, are one URL
 * and only the first met is fetched, as GNU wget's `blacklist_add` keys them.
 */
export function seenKey(url: string): string {
  if (!url.includes("%")) return url;
  return url.replace(
    /%([0-9a-fA-F]{2})/g,
    (escape, hex: string) => hex === "00" ? escape : String.fromCharCode(parseInt(hex, 16)),
  );
}

/**
 * The names `-E` may give a file planned as `planned` once its answer's type is known (`.html`
 * for a page, `.css` for a stylesheet, as `withPageExtension`), without `planned` itself: with
 * several threads a URL whose own name is one of them waits for that answer (GNU's one-at-a-time
 * run has it before it asks).
 */
export function extensionAliases(planned: string): string[] {
  const aliases: string[] = [];
  if (!/\.html?$/i.test(planned)) aliases.push(`${planned}.html`);
  if (!/\.css$/i.test(planned)) aliases.push(`${planned}.css`);
  return aliases;
}

/**
 * Whether `response` holds nothing newer than the local copy: a Last-Modified no later than the
 * copy's time and, when it says (and `--ignore-length` does not ignore it), the copy's size (GNU
 * wget's test for keeping a copy under `-N`).
 */
export function isNoNewerThan(
  response: HttpResponse,
  local: { mtime: Date; size: number },
  compression: DownloadOptions["compression"],
  ignoreContentLength: boolean,
): boolean {
  const time = parseHttpDate(response.head.headers.get("Last-Modified"));
  const length = storedLength(response, compression, ignoreContentLength);
  return time <= local.mtime.getTime() && (length === undefined || length === local.size);
}
