/**
 * Resolving a page's links without the WHATWG URL parser for the shapes most links have (`a.html`,
 * `../img/p.png`, `/blog/`, `?page=2`): a relative path or query of characters the parser copies
 * as they are, against an `http:` or `https:` page. Anything else is left to `new URL()`; the
 * results are equal to its own (tests/lib/download/_resolve_link_test.ts compares them over many
 * shapes). Private to `lib/download/`.
 *
 * @module
 */

import { splitLinkUrl } from "./_link_url.ts";

/**
 * A path the parser copies unchanged: no `%` (`%2e` is a dot segment), no `\` (a separator in
 * http URLs), nothing it percent-encodes (space, `"`, `<`, `>`, `` ` ``, `{`, `}`, `^`, `|`,
 * controls, non-ASCII), no `'`, `[` or `]`, and no `:` (a scheme, or a Windows drive letter such
 * as `C:`, which Deno's parser keeps where `..` follows it).
 */
const PATH_SAFE = /^[A-Za-z0-9\-._~!$&()*+,;=@/]*$/;
/** A query the parser copies unchanged (it encodes `'` in http and https queries). */
const QUERY_SAFE = /^[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*$/;

/** A base URL split once: `http://host:port`, the path, its directory, and `?query` (or ""). */
interface Base {
  origin: string;
  path: string;
  directory: string;
  query: string;
}

/** The last base split (a page's links share one). */
let lastBaseText: string | undefined;
let lastBase: Base | undefined;

/** Splits `text` after the parser has made it canonical; undefined unless http or https. */
function splitBase(text: string): Base | undefined {
  if (text === lastBaseText) return lastBase;
  let base: Base | undefined;
  try {
    // A page's URL is mostly the walker's canonical href: then it is its own serialization.
    const href = splitLinkUrl(text) === undefined ? new URL(text).href : text;
    const scheme = href.startsWith("http://") ? 7 : href.startsWith("https://") ? 8 : 0;
    if (scheme > 0) {
      // In a canonical http(s) URL the authority holds no "/", the path always starts with one,
      // and a "?" or "#" in it is always percent-encoded.
      const pathStart = href.indexOf("/", scheme);
      const hash = href.indexOf("#", pathStart);
      const end = hash < 0 ? href.length : hash;
      const question = href.indexOf("?", pathStart);
      const pathEnd = question < 0 || question > end ? end : question;
      const path = href.slice(pathStart, pathEnd);
      base = {
        origin: href.slice(0, pathStart),
        path,
        directory: path.slice(0, path.lastIndexOf("/") + 1),
        query: href.slice(pathEnd, end),
      };
    }
  } catch {
    base = undefined;
  }
  lastBaseText = text;
  lastBase = base;
  return base;
}

/** WHATWG's path state on a path of plain segments: `.` and `..` taken out. */
function removeDotSegments(path: string): string {
  if (!path.includes("/.")) return path;
  const segments = path.split("/");
  const out: string[] = [];
  const last = segments.length - 1;
  for (let i = 1; i <= last; i++) {
    const segment = segments[i]!;
    if (segment === "..") {
      out.pop();
      if (i === last) out.push("");
    } else if (segment === ".") {
      if (i === last) out.push("");
    } else {
      out.push(segment);
    }
  }
  return `/${out.join("/")}`;
}

/**
 * `removeDotSegments(directory + relative)` for a canonical `directory` (ending in `/`, no dot
 * segments) without splitting the path: the leading `../` and `./` of `relative` (most pages'
 * links to their site's other directories: `../../core/marker/trait.Sized.html`) taken off
 * `directory`, the general case for dot segments anywhere else.
 */
function joinRelative(directory: string, relative: string): string {
  let dir = directory;
  let i = 0;
  for (;;) {
    if (relative.startsWith("../", i)) {
      // Up one: `/a/b/` to `/a/`; the root stays the root.
      if (dir.length > 1) dir = dir.slice(0, dir.lastIndexOf("/", dir.length - 2) + 1);
      i += 3;
    } else if (relative.startsWith("./", i)) {
      i += 2;
    } else {
      break;
    }
  }
  const rest = i === 0 ? relative : relative.slice(i);
  if (rest.includes("/.") || rest.charCodeAt(0) === 0x2e) return removeDotSegments(dir + rest);
  return dir + rest;
}

/**
 * `new URL(raw, base).href` without its fragment, for the shapes handled here; undefined for the
 * others (a scheme, `//host`, escapes, characters the parser would encode or drop), which the
 * caller resolves with `new URL()`. `raw` is the link as trimmed by the caller.
 */
export function resolveLinkFast(raw: string, base: string): string | undefined {
  const hash = raw.indexOf("#");
  const input = hash < 0 ? raw : raw.slice(0, hash);
  const parts = splitBase(base);
  if (parts === undefined) return undefined;
  const question = input.indexOf("?");
  const pathPart = question < 0 ? input : input.slice(0, question);
  const query = question < 0 ? "" : input.slice(question);
  if (query !== "" && !QUERY_SAFE.test(query)) return undefined;
  if (pathPart === "") {
    // "" keeps the base's query, "?x" replaces it.
    return parts.origin + parts.path + (question < 0 ? parts.query : query);
  }
  if (!PATH_SAFE.test(pathPart)) return undefined;
  if (pathPart.charCodeAt(0) === 0x2f) {
    if (pathPart.charCodeAt(1) === 0x2f) return undefined; // "//host/..."
    return parts.origin + removeDotSegments(pathPart) + query;
  }
  return parts.origin + joinRelative(parts.directory, pathPart) + query;
}

/**
 * Pages are read for links byte for byte (`x-user-defined`: bytes above 0x7F become U+F780 to
 * U+F7FF), whatever their encoding; a link's such characters are its bytes, kept as `%XX`
 * escapes as GNU wget keeps them (`caf%E9.html` in a Latin-1 page, `caf%C3%A9.html` in a UTF-8
 * one, as the URL parser would encode an e with an acute accent).
 */
export const PAGE_BYTES_DECODER_LABEL = "x-user-defined";

/** `text` with the page bytes among its characters (U+F780 to U+F7FF) as `%XX` escapes. */
export function escapePageBytes(text: string): string {
  return text.replace(
    /[\uF780-\uF7FF]/g,
    (char) => `%${(char.charCodeAt(0) - 0xf700).toString(16).toUpperCase()}`,
  );
}

/** Whether `text` holds page bytes above 0x7F (see {@linkcode escapePageBytes}). */
export function hasPageBytes(text: string): boolean {
  return /[\uF780-\uF7FF]/.test(text);
}
