/**
 * Where GNU wget puts a URL on disk when it recurses: `HOST[:PORT]/dir/file?query`, with `-nd`,
 * `-nH`, `--protocol-directories` and `--cut-dirs`. Every path element is percent-decoded and
 * then made safe (`/` and control characters escaped as `%XX`, `..` as `%2E%2E`), so no URL can
 * name a file outside the download directory.
 *
 * @module
 */

import { searchOf, type UrlParts } from "../http/url.ts";
import { MAX_NAME_LENGTH } from "./file_name.ts";
import { unescapedFileName } from "./_url_file_name.ts";
import { type FileNameRestrictions, UNIX_FILE_NAMES } from "./restrict_file_names.ts";

/** How URLs map to paths (GNU wget's `-nd`, `-x`, `-nH`, `--cut-dirs`, ...). */
export interface DiskLayout {
  /** Recreate the URL's directories (`-x`, the default with `-r`); false for `-nd`. @default {true} */
  directories?: boolean | undefined;
  /** Start with a directory named after the host (and port); false for `-nH`. @default {true} */
  hostDirectories?: boolean | undefined;
  /** Start with a directory named after the scheme (`--protocol-directories`). */
  protocolDirectories?: boolean | undefined;
  /** Drop this many leading directories of the URL's path (`--cut-dirs`). @default {0} */
  cutDirs?: number | undefined;
  /**
   * GNU wget's `--restrict-file-names`: which characters become `%XX`. @default {unix, control
   * characters escaped}
   */
  restrict?: FileNameRestrictions | undefined;
  /** The name for a URL whose path ends in `/`. @default {"index.html"} */
  indexName?: string | undefined;
}

const DEFAULT_PORT: Record<string, string> = { "http:": "80", "https:": "443" };
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/**
 * The relative path, with `/` separators, under which GNU wget saves `url`.
 *
 * A file name longer than GNU wget's limit (236 bytes: the system's 255, less room for `.1` or
 * `.html`) is cut to it, as GNU wget cuts it, but for one past 4096 bytes of path (GNU's
 * `pathconf(2)` there fails).
 *
 * @param url An absolute `http:` or `https:` URL.
 * @param layout The options that shape the path.
 * @param onShortened Told the file name's length in bytes, and the limit, when it is cut.
 * @returns A relative path with no empty, `.` or `..` element.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localPathForUrl } from "@netkit/netkit/download";
 *
 * assert.equal(localPathForUrl("http://h:8080/a/b/c.html"), "h:8080/a/b/c.html");
 * assert.equal(localPathForUrl("http://h/a/?q=x%2Fy", { hostDirectories: false }), "a/index.html?q=x%2Fy");
 * assert.equal(localPathForUrl("http://h/a/b/c.png", { cutDirs: 1 }), "h/b/c.png");
 * assert.equal(localPathForUrl("http://h/a/b/c.png", { directories: false }), "c.png");
 * assert.equal(localPathForUrl("http://h/a/%2E%2E%2F..%2Fx"), "h/a/..%2F..%2Fx");
 * assert.equal(localPathForUrl(`http://h/${"x".repeat(300)}`), `h/${"x".repeat(236)}`);
 * ```
 */
export function localPathForUrl(
  url: string | UrlParts,
  layout: DiskLayout = DEFAULT_LAYOUT,
  onShortened?: (bytes: number, limit: number) => void,
): string {
  return localPathOf(url, layout, onShortened);
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** {@linkcode localPathForUrl}, compiled with the module (see above). */
const localPathOf = (function localPathOf(
  url: string | UrlParts,
  layout: DiskLayout,
  onShortened?: (bytes: number, limit: number) => void,
): string {
  const parsed = typeof url === "string" ? new URL(url) : url;
  const restrict = layout.restrict ?? UNIX_FILE_NAMES;
  const windows = restrict.os === "windows";
  const pathname = parsed.pathname;
  const slash = pathname.lastIndexOf("/");
  let directory = "";
  if (layout.directories ?? true) {
    // A site's files share a few directories: each is worked out once per layout.
    const memo = directoryMemo(layout);
    const key = `${parsed.protocol}//${parsed.host}${pathname.slice(0, slash)}`;
    let known = memo?.get(key);
    if (known === undefined) {
      known = directoryFor(parsed, layout, restrict);
      if (memo && memo.size < MAX_MEMO_ENTRIES) memo.set(key, known);
    }
    directory = known.path;
    // GNU wget says so each time it names a file there.
    for (const bytes of known.shortened ?? []) onShortened?.(bytes, MAX_FILE_NAME_BYTES);
  }
  const segment = pathname.slice(slash + 1);
  const file = segment === "" ? layout.indexName ?? "index.html" : segment;
  const search = searchOf(parsed);
  const query = search === "" ? "" : (windows ? "@" : "?") + search.slice(1);
  const name = safeElement(file + query, restrict, query === "" ? -1 : file.length);
  return directory +
    (name.length * 3 <= MAX_FILE_NAME_BYTES || pastPathMax(directory)
      ? name
      : clipName(name, onShortened));
}).bind(undefined);

/** GNU wget's longest file name: `NAME_MAX` (255) less its `CHOMP_BUFFER` (19). */
const MAX_FILE_NAME_BYTES = MAX_NAME_LENGTH;

/** The system's longest path, in bytes with its NUL (Linux's `PATH_MAX`). */
const PATH_MAX = 4096;

/**
 * Whether the path before a name is too long for GNU wget to measure the name's limit: its
 * `get_max_length` asks `pathconf(2)` about that path, which fails with ENAMETOOLONG, and
 * `append_uri_pathel` then keeps the name whole and says nothing (the file cannot be written
 * there anyway).
 */
function pastPathMax(before: string): boolean {
  return before.length >= PATH_MAX || ENCODER.encode(before).length >= PATH_MAX;
}

/** `name` cut to {@linkcode MAX_FILE_NAME_BYTES} bytes, between two characters (a file's or a directory's). */
function clipName(name: string, onShortened?: (bytes: number, limit: number) => void): string {
  const bytes = ENCODER.encode(name);
  if (bytes.length <= MAX_FILE_NAME_BYTES) return name;
  onShortened?.(bytes.length, MAX_FILE_NAME_BYTES);
  let end = MAX_FILE_NAME_BYTES;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  // Nor in the middle of a %XX escape, as GNU wget.
  if (bytes[end - 1] === 0x25) end -= 1;
  else if (bytes[end - 2] === 0x25) end -= 2;
  return DECODER.decode(bytes.subarray(0, end));
}

/** The layout used when none is given (one object, so it never fills a memo of its own). */
const DEFAULT_LAYOUT: DiskLayout = {};
/** The directories of each layout's paths already worked out, by scheme, host and path. */
const DIRECTORY_MEMOS = new WeakMap<DiskLayout, Map<string, DirectoryPath>>();
/** A bound on each memo, for a run over very many directories. */
const MAX_MEMO_ENTRIES = 10_000;

/** Marks a layout seen once: a memo is made only for one used again, as a recursion's is. */
const SEEN_ONCE = new Map<string, DirectoryPath>();

/** A directory part of a path on disk, and the lengths of the names cut to make it. */
interface DirectoryPath {
  path: string;
  shortened?: number[];
}

function directoryMemo(layout: DiskLayout): Map<string, DirectoryPath> | undefined {
  if (layout === DEFAULT_LAYOUT) return undefined;
  const memo = DIRECTORY_MEMOS.get(layout);
  if (memo === undefined) {
    DIRECTORY_MEMOS.set(layout, SEEN_ONCE);
    return undefined;
  }
  if (memo !== SEEN_ONCE) return memo;
  const made = new Map<string, DirectoryPath>();
  DIRECTORY_MEMOS.set(layout, made);
  return made;
}

/**
 * The directory part of `parsed`'s path on disk, with its final `/` (or "" for none); each
 * directory's name cut to {@linkcode MAX_FILE_NAME_BYTES} bytes, as GNU wget cuts every name.
 */
function directoryFor(
  parsed: UrlParts,
  layout: DiskLayout,
  restrict: FileNameRestrictions,
): DirectoryPath {
  const shortened: number[] = [];
  const parts: string[] = [];
  if (layout.protocolDirectories) parts.push(parsed.protocol.slice(0, -1));
  if (layout.hostDirectories ?? true) {
    // An IPv6 host as GNU wget names its directory: `::1:8080`, without the URL's brackets.
    const bare = parsed.hostname.startsWith("[") ? parsed.hostname.slice(1, -1) : parsed.hostname;
    const host = bare === ".." ? "%2E%2E" : bare;
    const port = parsed.port !== "" && parsed.port !== DEFAULT_PORT[parsed.protocol]
      ? `${restrict.os === "windows" ? "+" : ":"}${parsed.port}`
      : "";
    parts.push(host + port);
  }
  const directories = parsed.pathname.split("/").slice(1, -1);
  let cut = layout.cutDirs ?? 0;
  for (const directory of directories) {
    if (cut-- > 0 || directory === "") continue;
    // (A directory's name is decoded once, as GNU wget decodes `u->path`'s: `%2541` is `%41`.)
    const name = safeElement(directory, restrict, -1, true);
    parts.push(
      name.length * 3 <= MAX_FILE_NAME_BYTES || pastPathMax(parts.join("/") + "/")
        ? name
        : clipName(name, (bytes) => shortened.push(bytes)),
    );
  }
  const path = parts.length === 0 ? "" : `${parts.join("/")}/`;
  return shortened.length === 0 ? { path } : { path, shortened };
}

/**
 * One path element: percent-decoded, then escaped as GNU wget's `--restrict-file-names` says
 * (`/`, NUL and control characters by default); `..` and `.` become `%2E%2E` and `%2E`. A query
 * separator at `separator` (`?`, or `@` on windows) is GNU wget's own and stays as it is; the
 * query after it is decoded once, as GNU's: its url_file_name joins the file's name, decoded
 * already by the URL parser (split_path), to the query as the URL has it, then decodes the whole
 * (`x?q=%2541` is `x?q=%41`, `%2541` alone `A`).
 */
function safeElement(
  text: string,
  restrict: FileNameRestrictions = UNIX_FILE_NAMES,
  separator = -1,
  decodeOnce = false,
): string {
  let name: string;
  // deno-lint-ignore no-control-regex
  if (restrict === UNIX_FILE_NAMES && !/[%\x00-\x1f\x7f/]/.test(text)) {
    // The common case, a plain name on unix rules, needs no decoding.
    name = text;
  } else if (separator >= 0) {
    name = unescapedFileName(text.slice(0, separator), restrict, 2) + text[separator] +
      unescapedFileName(text.slice(separator + 1), restrict, 1);
  } else {
    name = unescapedFileName(text, restrict, decodeOnce ? 1 : 2);
  }
  // GNU wget changes the case of ASCII letters only (c_tolower, byte by byte).
  if (restrict.case === "lower") name = name.replace(/[A-Z]+/g, (t) => t.toLowerCase());
  if (restrict.case === "upper") name = name.replace(/[a-z]+/g, (t) => t.toUpperCase());
  if (name === "..") return "%2E%2E";
  if (name === "." || name === "") return "%2E";
  return name;
}
