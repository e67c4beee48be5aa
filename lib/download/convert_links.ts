/**
 * GNU wget's `-k`/`--convert-links`, run after the whole download: in each saved HTML or CSS
 * file, a link to a file that was downloaded becomes a relative path to it, a relative link to
 * one that was not becomes the absolute URL, and `<base href>` is emptied.
 *
 * @module
 */

import { CssLinkReader, type HtmlLinkOptions, HtmlLinkReader, type PageLink } from "./links.ts";
import { ConvertedFile } from "./_converted_file.ts";
import { escapePageBytes, hasPageBytes, PAGE_BYTES_DECODER_LABEL } from "./_resolve_link.ts";
import { fileChunks } from "./_recursive_helpers.ts";

/** GNU wget's `construct_relative`: the path from `from`'s directory to `to`. */
function relativePath(from: string, to: string): string {
  let start = 0;
  for (let i = 0; i < from.length && from[i] === to[i]; i++) {
    if (from[i] === "/") start = i + 1;
  }
  const base = from.slice(start);
  const link = to.slice(start);
  const depth = base.split("/").length - 1;
  if (depth === 0) {
    const special = /[/:]/.exec(link);
    if (special && special[0] === ":") return `./${link}`;
  }
  return "../".repeat(depth) + link;
}

/** GNU wget's `html_quote_string`. */
function htmlQuote(text: string): string {
  return text.replace(
    /[&<>" ]/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&#32;",
  );
}

/** GNU wget's `local_quote_string`: a file name as a URL path (`?` kept unless `-E`). */
function localQuote(name: string, css: boolean, adjustExtension: boolean): string {
  const escaped = name.replace(
    /[%#;?]/g,
    (c) =>
      c === "%" ? "%25" : c === "#" ? "%23" : c === ";" ? "%3B" : adjustExtension ? "%3F" : "?",
  );
  return css ? escaped : htmlQuote(escaped);
}

/**
 * GNU wget's `convert_basename` (`--convert-file-only`): the link as written, its last part
 * (after its last `/`) replaced by the saved file's name when the two differ, merged as GNU's
 * `uri_merge` merges them. GNU takes the link itself for the file's name when the saved path
 * has no directory part (a file saved at the top of the current directory).
 */
function convertBasename(raw: string, saved: string): string {
  const name = saved.includes("/") ? saved.slice(saved.lastIndexOf("/") + 1) : raw;
  return raw.slice(raw.lastIndexOf("/") + 1) === name ? raw : uriMerge(raw, name);
}

/** GNU wget's `uri_merge`: `link` read against `base`, with GNU's minimal parsing. */
function uriMerge(base: string, link: string): string {
  if (/^[a-zA-Z0-9+.-]+:/.test(link)) return link;
  const pathEnd = base.search(/[?#]/);
  const end = pathEnd < 0 ? base.length : pathEnd;
  if (link === "") return base;
  if (link.startsWith("?")) return base.slice(0, end) + link;
  if (link.startsWith("#")) {
    const hash = base.indexOf("#");
    return base.slice(0, hash < 0 ? base.length : hash) + link;
  }
  if (link.startsWith("//")) {
    const slash = base.slice(0, end).indexOf("/");
    return (slash >= 0 && base[slash + 1] === "/" ? base.slice(0, slash) : "") + link;
  }
  if (link.startsWith("/")) {
    // After "scheme://host" when there is one, else from the start.
    const first = base.slice(0, end).indexOf("/");
    if (first < 0 || base[first + 1] !== "/") return link;
    const slash = base.slice(0, end).indexOf("/", first + 2);
    return base.slice(0, slash < 0 ? end : slash) + link;
  }
  const slash = end === 0 ? -1 : base.lastIndexOf("/", end - 1);
  if (slash < 0) return link;
  if (slash >= 2 && base[slash - 1] === "/" && base[slash - 2] === ":") {
    return `${base.slice(0, end)}/${link}`;
  }
  return base.slice(0, slash + 1) + link;
}

/**
 * The ASCII characters the URL parser percent-encodes in a path or query that GNU wget's `-k`
 * writes as they are in a link it makes absolute (its `url_parse` of a page's link does not
 * encode): `a{b}.html` becomes `http://h/a{b}.html`, not `http://h/a%7Bb%7D.html`; `%` only
 * where no escape follows (`50%.html`, asked for as `/50%25.html`); and the control characters
 * but tab, line feed and carriage return (which neither keeps), written raw (`&#1;` in a link
 * is byte 1 in GNU's rewritten page, `%01` in the request).
 */
const KEPT_AS_WRITTEN = ` "<>\`{}'%\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f` +
  `\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f`;
/** One of {@linkcode KEPT_AS_WRITTEN}. */
// deno-lint-ignore no-control-regex -- the control characters GNU's -k writes raw.
const KEPT_CHARACTER = /[ "<>`{}'%\x01-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/**
 * `url` (the link `raw` resolved against `base`) with the characters of {@linkcode KEPT_AS_WRITTEN}
 * that `raw` holds written as they are again, where the parser or the resolver encoded them:
 * each is resolved as a private-use character, whose escape is then put back. `url` itself when
 * there are none, or when `raw` holds a character beyond ASCII.
 */
function asWritten(raw: string, base: string, url: string): string {
  const hash = raw.indexOf("#");
  const link = (hash < 0 ? raw : raw.slice(0, hash)).trim();
  // None of them (most links): nothing to write again.
  if (!KEPT_CHARACTER.test(link)) return url;
  let marked = "";
  let found = false;
  for (let i = 0; i < link.length; i++) {
    const c = link[i]!;
    const index = KEPT_AS_WRITTEN.indexOf(c);
    if (index < 0 || (c === "%" && /^[0-9A-Fa-f]{2}/.test(link.slice(i + 1, i + 3)))) {
      marked += c;
    } else {
      marked += String.fromCharCode(0xe000 + index);
      found = true;
    }
  }
  // A link with a non-ASCII character GNU's url_parse escapes whole (its IRI code's
  // reencode_escapes): `caf\u00e9/a b.html` is `http://h/caf%C3%A9/a%20b.html`.
  if (!found || /[\uE000-\uE03F]|[\u0080-\uFFFF]/.test(link)) return url;
  let href: string;
  try {
    href = new URL(hasPageBytes(marked) ? escapePageBytes(marked) : marked, base).href;
  } catch {
    return url;
  }
  const cut = href.indexOf("#");
  // U+E000 to U+E03F are %EE%80%80 to %EE%80%BF in UTF-8.
  return (cut < 0 ? href : href.slice(0, cut)).replace(
    /%EE%80%([89AB][0-9A-F])/g,
    (_, digits: string) => KEPT_AS_WRITTEN[parseInt(digits, 16) - 0x80] ?? "",
  );
}

/** The fragment of a link as written (GNU wget's `find_fragment`: a `#` not after `&`). */
function fragmentOf(raw: string): string {
  let i = raw.indexOf("#");
  while (i > 0 && raw[i - 1] === "&") i = raw.indexOf("#", i + 1);
  return i < 0 ? "" : raw.slice(i);
}

/**
 * Options of {@linkcode convertLinks}; `followTags` and `ignoreTags` as the run that saved the
 * page had them (GNU wget converts only the links it would have followed).
 */
export interface ConvertLinksOptions extends HtmlLinkOptions {
  /** `-E` was given: `?` in local names is escaped as `%3F`. */
  adjustExtension?: boolean | undefined;
  /**
   * `--convert-file-only`: a link to a saved file keeps what it says but its last part, which
   * becomes the file's name (`/blog/post?x=1` for a file `post?x=1.html` saved by `-E` is
   * `/blog/post%3Fx=1.html`), as GNU wget.
   */
  fileOnly?: boolean | undefined;
  /** Keep the original here before rewriting the file (`-K`). */
  backupPath?: string | undefined;
  /**
   * Told, when links were rewritten, how many now name a downloaded file and how many a URL
   * (GNU wget's "2-5" after "Converting links in FILE... 7.").
   */
  onConverted?(counts: { toFiles: number; toUrls: number }): void;
}

/**
 * Rewrites the links of the saved page `path` (fetched from `pageUrl`) for local browsing.
 *
 * @param path The saved HTML or CSS file, rewritten in place.
 * @param pageUrl The URL its links are relative to.
 * @param kind Whether it is HTML or CSS.
 * @param saved Every downloaded URL and the file it was saved as (paths in the same form as
 * `path`, so relative paths between them are right).
 * @returns How many links were rewritten.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { convertLinks } from "@netkit/netkit/download";
 *
 * const dir = await Deno.makeTempDir();
 * const page = `${dir}/h/a/index.html`;
 * await Deno.mkdir(`${dir}/h/a`, { recursive: true });
 * await Deno.writeTextFile(page, `<a href="/b/x.html#t">x</a> <img src=y.png>`);
 * const saved = new Map([["http://h/b/x.html", `${dir}/h/b/x.html`]]);
 * assert.equal(convertLinks(page, "http://h/a/", "html", saved), 2);
 * assert.equal(
 *   await Deno.readTextFile(page),
 *   `<a href="../b/x.html#t">x</a> <img src="http://h/a/y.png">`,
 * );
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function convertLinks(
  path: string,
  pageUrl: string,
  kind: "html" | "css",
  saved: ReadonlyMap<string, string>,
  options: ConvertLinksOptions = {},
): number {
  // UTF-8 when the whole page is; else one character per byte (links keep their bytes, as the
  // walk read them, so every byte is written back as it was).
  try {
    return convertPage(path, pageUrl, kind, saved, options, true);
  } catch (error) {
    if (!(error instanceof NotUtf8)) throw error;
    return convertPage(path, pageUrl, kind, saved, options, false);
  }
}

/** A page read as UTF-8 that is not: read again one character per byte. */
class NotUtf8 extends Error {}

/**
 * {@linkcode convertLinks} with the page read a piece at a time as UTF-8 (`utf8`; throws
 * `NotUtf8` at the first byte that is not) or one character per byte, its new text written
 * beside it as its links come: what is held of the page is a piece and the reader's window.
 */
function convertPage(
  path: string,
  pageUrl: string,
  kind: "html" | "css",
  saved: ReadonlyMap<string, string>,
  options: ConvertLinksOptions,
  utf8: boolean,
): number {
  const reader = kind === "css" ? new CssLinkReader(pageUrl) : new HtmlLinkReader(pageUrl, {
    followTags: options.followTags,
    ignoreTags: options.ignoreTags,
  });
  // The new text, written beside the page as it is made.
  const converted = new ConvertedFile(path, utf8);
  let at = 0;
  let count = 0;
  let toFiles = 0;
  let toUrls = 0;
  // The base of the links after a `<base href>` is its URL.
  let base = pageUrl;
  // The path to each saved file from this one, worked out once (a page links to the same files
  // many times).
  const relative = new Map<string, string>();
  /** Writes the text up to each link and the link's replacement. */
  const convert = (links: PageLink[]) => {
    for (const link of links) {
      // An empty value (`href=""`, the page itself) is converted too, as GNU wget converts it.
      if (link.start < at || link.end < link.start) continue;
      const css = link.css;
      const isBase = link.base;
      const local = saved.get(link.url);
      let replacement: string;
      if (isBase) {
        base = link.url;
        // Emptied, but for its fragment, which GNU's replace_attr writes again (`#f`).
        replacement = link.plain ? "" : fragmentOf(reader.text(link.start, link.end));
      } else if (local !== undefined && options.fileOnly) {
        // The link as the page writes it, entities and all, as GNU wget reads it there.
        const written = reader.text(link.start, link.end);
        const adjust = options.adjustExtension ?? false;
        replacement = localQuote(convertBasename(written, local), css, adjust);
        // GNU's replace_attr writes the fragment of the link again after it.
        if (!link.plain) replacement += fragmentOf(written);
        toFiles++;
      } else if (local !== undefined) {
        let to = relative.get(local);
        if (to === undefined) relative.set(local, to = relativePath(path, local));
        replacement = localQuote(to, css, options.adjustExtension ?? false);
        // As written, entities and all (GNU's replace_attr copies the page's bytes).
        if (!link.plain) replacement += fragmentOf(reader.text(link.start, link.end));
        toFiles++;
      } else if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(link.raw.trim())) {
        // A CSS link keeps its escapes (`url(a\\ b.png)`): its URL is the one resolved.
        const url = css && link.raw.includes("\\") ? link.url : asWritten(link.raw, base, link.url);
        replacement = css ? url : htmlQuote(url);
        if (!link.plain) replacement += fragmentOf(reader.text(link.start, link.end));
        toUrls++;
      } else {
        continue;
      }
      // A refresh's whole `content` is written again, as GNU wget's `replace_attr_refresh_hack`.
      if (link.refreshTimeout !== undefined) {
        replacement = `${link.refreshTimeout}; URL=${replacement}`;
      }
      let start = link.start;
      let end = link.end;
      if (!link.plain) {
        const quote = reader.text(start - 1, start);
        if ((quote === '"' || quote === "'") && reader.text(end, end + 1) === quote) {
          start--;
          end++;
          replacement = quote + replacement + quote;
        } else {
          replacement = `"${replacement}"`;
        }
      }
      converted.write(reader.text(at, start));
      converted.write(replacement);
      at = end;
      count++;
    }
  };
  try {
    const decoder = new TextDecoder(utf8 ? "utf-8" : PAGE_BYTES_DECODER_LABEL, {
      fatal: utf8,
      ignoreBOM: true,
    });
    const decode = (bytes?: Uint8Array, options?: TextDecodeOptions) => {
      try {
        return decoder.decode(bytes, options);
      } catch (error) {
        throw error instanceof TypeError ? new NotUtf8() : error;
      }
    };
    for (const piece of fileChunks(path, { decode })) {
      convert(reader.write(piece));
      // The text before the place settled now is let go at the next piece: written out now.
      if (reader.settled > at) {
        converted.write(reader.text(at, reader.settled));
        at = reader.settled;
      }
    }
    convert(reader.end());
    if (count > 0) converted.write(reader.text(at));
  } catch (error) {
    // The new file of a conversion that failed midway goes.
    converted.discard();
    throw error;
  }
  if (count === 0) {
    converted.discard();
    return 0;
  }
  // Written beside the page first, then renamed over it (a new file, as GNU's unlink and
  // create: never through a hard link): a write that fails (a full disk) leaves the page, and
  // -K's backup, as they were, where writing the page itself again would leave it cut short;
  // the new file, cut short, is removed (a name taken meanwhile is someone else's, kept).
  const convertedPath = converted.close();
  if (options.backupPath !== undefined) Deno.renameSync(path, options.backupPath);
  Deno.renameSync(convertedPath, path);
  options.onConverted?.({ toFiles, toUrls });
  return count;
}
