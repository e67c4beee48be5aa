/**
 * The links of a web page, as GNU wget's recursion sees them: from HTML (read tag by tag with
 * htmlparser2's tokenizer, no tree built, see `_tag_scanner.ts`) and from CSS (`url(...)`,
 * `@import`), resolved against the page's URL or its `<base href>`.
 *
 * @module
 */

import { TagScanner, type TagScannerHandlers } from "./_tag_scanner.ts";
import { GnuTagScanner } from "./_gnu_tag_scanner.ts";
import { escapePageBytes, hasPageBytes, resolveLinkFast } from "./_resolve_link.ts";
import { escapeStrayPercents } from "./_gnu_reencode.ts";
import { CssChunkScanner, isBadUrl, isCssSpace, scanCssChunks } from "./_css_chunks.ts";
import { TextWindow } from "./_text_window.ts";

/** One link found in a page. */
export interface PageLink {
  /** The absolute URL, without its fragment. */
  url: string;
  /** The link as written in the page. */
  raw: string;
  /** Where `raw` sits in the page's text: `[start, end)` in UTF-16 code units. */
  start: number;
  /** End of `raw` in the page's text. */
  end: number;
  /** Needed to display the page (an image, a script, a stylesheet): GNU wget's "inline". */
  inline: boolean;
  /** The link is expected to be an HTML page (`<a href>`, frames), so it is parsed if it is. */
  expectHtml: boolean;
  /** The link is a stylesheet (`<link rel=stylesheet>`, `@import`), parsed as CSS whatever its type. */
  expectCss: boolean;
  /** Not to be followed: `<base href>`, a form's action. Kept for link conversion. */
  ignore: boolean;
  /** The link is `<base href>`. */
  base: boolean;
  /** The link sits inside other text (CSS, `srcset`, a refresh): replaced without quotes. */
  plain: boolean;
  /** The link is in CSS (a stylesheet, `<style>`, a `style` attribute). */
  css: boolean;
  /**
   * The seconds of a `<meta http-equiv=refresh content="N; URL=...">`: `start` and `end` then
   * span the whole `content` value, which link conversion rewrites as GNU wget does
   * (`N; URL=new`); `raw` is the URL part.
   */
  refreshTimeout?: number;
}

/** What {@linkcode extractHtmlLinks} found. */
export interface HtmlLinks {
  /** The links, in document order. */
  links: PageLink[];
  /** `<meta name="robots" content="nofollow">` (or `none`) was found. */
  nofollow: boolean;
}

/** Options of {@linkcode extractHtmlLinks}. */
export interface HtmlLinkOptions {
  /** Only these tags (`--follow-tags`). */
  followTags?: readonly string[] | undefined;
  /** Never these tags (`--ignore-tags`). */
  ignoreTags?: readonly string[] | undefined;
}

/** Attributes holding URLs, by tag, with GNU wget's kind: inline (`i`), HTML (`h`), or both. */
const URL_ATTRIBUTES: Record<string, Record<string, "i" | "h" | "ih">> = {
  a: { href: "h" },
  applet: { code: "i" },
  area: { href: "h" },
  bgsound: { src: "i" },
  body: { background: "i" },
  embed: { href: "h", src: "ih" },
  fig: { src: "i" },
  frame: { src: "ih" },
  iframe: { src: "ih" },
  img: { href: "i", lowsrc: "i", src: "i" },
  input: { src: "i" },
  layer: { src: "ih" },
  object: { data: "i" },
  overlay: { src: "ih" },
  script: { src: "i" },
  table: { background: "i" },
  td: { background: "i" },
  th: { background: "i" },
  video: { src: "i", poster: "i" },
  audio: { src: "i", poster: "i" },
  source: { src: "i" },
};

/**
 * Elements whose content htmlparser2 reads as text, where GNU wget's tag scanner, which knows no
 * such elements, still finds tags: their text is scanned again for links, by GNU's rules
 * (`_gnu_tag_scanner.ts`).
 */
const RAW_TEXT_TAGS = new Set([
  "script",
  "style",
  "title",
  "textarea",
  "xmp",
  "iframe",
  "noembed",
  "noframes",
  "plaintext",
]);

/** Tags read for more than their URL attributes (see `onopentag`). */
const SPECIAL_TAGS = new Set(["base", "form", "link", "meta", "style"]);

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** Resolves `raw` against `base`; undefined when it does not parse. The fragment is dropped. */
const resolve = (function resolve(raw: string, base: string): string | undefined {
  const trimmed = escapeStrayPercents(raw.trim());
  // Most links (`a.html`, `../img/p.png`, `?page=2`) are resolved by hand, equal to the parser.
  const fast = resolveLinkFast(trimmed, base);
  if (fast !== undefined) return fast;
  try {
    // The fragment cut from the serialized URL, whose first "#" always starts it (a "#" elsewhere
    // is percent-encoded): setting `hash` would parse the URL a second time. A page's bytes
    // above 0x7F stay the bytes they are.
    const href = new URL(hasPageBytes(trimmed) ? escapePageBytes(trimmed) : trimmed, base).href;
    const hash = href.indexOf("#");
    return hash < 0 ? href : href.slice(0, hash);
  } catch {
    return undefined;
  }
}).bind(undefined);

/**
 * Finds where the value of attribute `name` sits in a tag's source text (`tag` starts at
 * `offset` in the page), for link conversion: the tag is walked attribute by attribute, so text
 * inside another attribute's quoted value never matches. Where it cannot be found, -1 to -1: a
 * link without a place, which conversion leaves alone (an empty value, `href=""`, is a place).
 * `occurrence` 1 is where the attribute is written a second time, and so on. With `all`, every
 * place of the attribute is added to it, in order, in one walk (what is returned then is unused).
 */
function attributeSpan(
  tag: string,
  offset: number,
  name: string,
  occurrence = 0,
  all?: { start: number; end: number }[],
): { start: number; end: number } {
  let skip = occurrence;
  const space = " \t\n\r\f";
  let i = 1;
  // The tag name.
  while (i < tag.length && !space.includes(tag[i]!) && tag[i] !== ">" && tag[i] !== "/") i++;
  while (i < tag.length) {
    while (i < tag.length && (space.includes(tag[i]!) || tag[i] === "/")) i++;
    if (i >= tag.length || tag[i] === ">") break;
    const nameStart = i;
    while (i < tag.length && !space.includes(tag[i]!) && !"=>/".includes(tag[i]!)) i++;
    // A name starting with "=" (as in `<a =x>`) takes that "=" as its first character.
    if (i === nameStart) i++;
    const attribute = tag.slice(nameStart, i).toLowerCase();
    let j = i;
    while (j < tag.length && space.includes(tag[j]!)) j++;
    if (tag[j] !== "=") {
      i = j;
      continue;
    }
    j++;
    while (j < tag.length && space.includes(tag[j]!)) j++;
    const quote = tag[j];
    let start: number;
    let end: number;
    if (quote === '"' || quote === "'") {
      start = j + 1;
      const close = tag.indexOf(quote, start);
      end = close < 0 ? tag.length : close;
      i = close < 0 ? tag.length : close + 1;
    } else {
      start = j;
      end = j;
      while (end < tag.length && !space.includes(tag[end]!) && tag[end] !== ">") end++;
      i = end;
    }
    // The first of repeated attributes (unless another is asked for), as in the parser. An empty
    // value without quotes (`action=>`) has no place GNU wget would rewrite.
    if (attribute === name && (all !== undefined || skip-- === 0)) {
      const span = quote !== '"' && quote !== "'" && end === start
        ? { start: -1, end: -1 }
        : { start: offset + start, end: offset + end };
      if (all === undefined) return span;
      all.push(span);
    }
  }
  return { start: -1, end: -1 };
}

/**
 * The links of an HTML page, as GNU wget finds them: `a`, `area`, `link`, `img` (and `srcset`),
 * `script`, `iframe`, `frame`, `embed`, `source`, `video`, `audio`, `object`, backgrounds,
 * `<meta http-equiv=refresh>`, CSS in `<style>` and `style` attributes, and tags written in the
 * text of `<script>`, `<title>`, `<textarea>`, `<iframe>`, `<noframes>` and the other raw-text
 * elements (GNU wget's scanner reads tags there too); `<base href>` changes the base of the links
 * after it; a form's action is listed but marked `ignore`.
 *
 * @param html The page's text.
 * @param pageUrl The page's URL (after redirects), the base of relative links.
 * @param options Tags to follow or ignore (`--follow-tags`, `--ignore-tags`).
 * @returns The links in document order, and whether the page asks robots not to follow them.
 *
 * @example Links of a small page
 * ```ts
 * import assert from "node:assert/strict";
 * import { extractHtmlLinks } from "@netkit/netkit/download";
 *
 * const { links } = extractHtmlLinks(
 *   `<a href="b.html#top">b</a><img src="/i.png"><form action="/post"></form>`,
 *   "http://example.org/dir/a.html",
 * );
 * assert.deepEqual(links.map((l) => [l.url, l.inline, l.ignore]), [
 *   ["http://example.org/dir/b.html", false, false],
 *   ["http://example.org/i.png", true, false],
 *   ["http://example.org/post", false, true],
 * ]);
 * ```
 */
export function extractHtmlLinks(
  html: string,
  pageUrl: string,
  options: HtmlLinkOptions = {},
): HtmlLinks {
  const scanner = htmlLinkScanner(pageUrl, options, html);
  scanner.parser.write(html);
  return scanner.finish();
}

/**
 * The links of an HTML page given in pieces (a file read a chunk at a time), so a page of any
 * size is read in bounded memory. The links carry no positions (`start` and `end` are 0): use
 * {@linkcode extractHtmlLinks} where they are needed, as for link conversion.
 *
 * @param chunks The page's text, in order.
 * @param pageUrl The page's URL (after redirects), the base of relative links.
 * @param options Tags to follow or ignore.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extractHtmlLinksFromChunks } from "@netkit/netkit/download";
 *
 * const { links } = extractHtmlLinksFromChunks(['<a hr', 'ef="b.html">b</', "a>"], "http://h/a/");
 * assert.deepEqual(links.map((l) => l.url), ["http://h/a/b.html"]);
 * ```
 */
export function extractHtmlLinksFromChunks(
  chunks: Iterable<string>,
  pageUrl: string,
  options: HtmlLinkOptions = {},
): HtmlLinks {
  const scanner = htmlLinkScanner(pageUrl, options, undefined);
  for (const chunk of chunks) scanner.parser.write(chunk);
  return scanner.finish();
}

/**
 * The links of an HTML page given a piece at a time, with their places in the page's text (as
 * {@linkcode extractHtmlLinks} gives them), handed out as soon as no link can come before them:
 * what it holds of the text follows the page's longest tag or raw-text element (`<script>`,
 * `<style>`), not the page's size, so that link conversion (`-k`) reads a page of any size in
 * bounded memory.
 *
 * @example Links handed out as the page comes
 * ```ts
 * import assert from "node:assert/strict";
 * import { HtmlLinkReader } from "@netkit/netkit/download";
 *
 * const reader = new HtmlLinkReader("http://h/a/");
 * const [link] = reader.write('<a href="b.html">b</a> <img sr');
 * assert.equal(link!.url, "http://h/a/b.html");
 * assert.equal(reader.text(link!.start, link!.end), "b.html");
 * // The <img> tag's start: its link, still to come, lies after it.
 * assert.equal(reader.settled, 23);
 * assert.deepEqual(reader.write('c="c.png">'), []);
 * assert.deepEqual(reader.end().map((l) => [l.url, reader.text(l.start, l.end)]), [
 *   ["http://h/a/c.png", "c.png"],
 * ]);
 * ```
 */
export class HtmlLinkReader {
  readonly #scanner: LinkScanner;
  readonly #text = new TextWindow();
  /** Links found whose place is not settled yet. */
  #pending: PageLink[] = [];

  /**
   * A reader of the page at `pageUrl` (the base of its relative links).
   *
   * @param pageUrl The page's URL (after redirects).
   * @param options Tags to follow or ignore (`--follow-tags`, `--ignore-tags`).
   */
  constructor(pageUrl: string, options: HtmlLinkOptions = {}) {
    this.#scanner = htmlLinkScanner(pageUrl, options, this.#text);
  }

  /**
   * Where every link before it has been handed out: the text from there on is held (and the
   * text before it until the next {@linkcode HtmlLinkReader.write}).
   */
  get settled(): number {
    return this.#text.settled;
  }

  /**
   * Reads the next piece of the page; the text before the last {@linkcode
   * HtmlLinkReader.settled} place is let go first.
   *
   * @returns The links before the new settled place, by place (links at one place in the
   * order found), none of them handed out before.
   */
  write(piece: string): PageLink[] {
    const text = this.#text;
    text.next(piece);
    const scanner = this.#scanner;
    scanner.parser.write(piece);
    text.settle(scanner.settled);
    return this.#settle(scanner.takeLinks(), text.settled);
  }

  /** Ends the page: the links not handed out yet, by place. Its text stays readable. */
  end(): PageLink[] {
    const found = this.#scanner.finish().links;
    this.#text.settle(this.#text.length);
    return this.#settle(found, Infinity);
  }

  /**
   * The page's text from `start` to `end`, "" when `end` is not after `start`.
   *
   * @throws {RangeError} for text before the place settled before the last write.
   */
  text(start: number, end?: number): string {
    return this.#text.slice(start, end);
  }

  /** The pending links and `found` before `settled`, by place; the others kept pending. */
  #settle(found: PageLink[], settled: number): PageLink[] {
    let pending = this.#pending;
    if (found.length > 0) pending = pending.length === 0 ? found : pending.concat(found);
    if (pending.length === 0) return pending;
    byPlace(pending);
    let count = 0;
    while (count < pending.length && pending[count]!.start < settled) count++;
    this.#pending = count === pending.length ? [] : pending.slice(count);
    return count === pending.length ? pending : pending.slice(0, count);
  }
}

/**
 * The links of a stylesheet given a piece at a time, with their places (as {@linkcode
 * extractCssLinks} gives them), handed out as they are found, holding the text from the last
 * settled place on: what {@linkcode HtmlLinkReader} is for HTML.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CssLinkReader } from "@netkit/netkit/download";
 *
 * const reader = new CssLinkReader("http://h/css/main.css");
 * assert.deepEqual(reader.write("p { background: url(a"), []);
 * const [link] = reader.write(".png) } h1 { }");
 * assert.equal(link!.url, "http://h/css/a.png");
 * assert.equal(reader.text(link!.start, link!.end), "a.png");
 * assert.deepEqual(reader.end(), []);
 * ```
 */
export class CssLinkReader {
  readonly #sheetUrl: string;
  readonly #text = new TextWindow();
  readonly #scanner: CssChunkScanner;
  #found: PageLink[] = [];

  /** A reader of the stylesheet at `sheetUrl` (the base of its relative links). */
  constructor(sheetUrl: string) {
    this.#sheetUrl = sheetUrl;
    this.#scanner = new CssChunkScanner((raw, start, expectCss) => {
      const link = cssLink(raw, start, expectCss, this.#sheetUrl);
      if (link !== undefined) this.#found.push(link);
    });
  }

  /** Where every link before it has been handed out (see {@linkcode HtmlLinkReader.settled}). */
  get settled(): number {
    return this.#text.settled;
  }

  /** Reads the next piece of the sheet: the links found in it, in order. */
  write(piece: string): PageLink[] {
    this.#text.next(piece);
    this.#scanner.write(piece);
    this.#text.settle(this.#scanner.settled);
    return this.#take();
  }

  /** Ends the sheet: the links not handed out yet. Its text stays readable. */
  end(): PageLink[] {
    this.#scanner.end();
    this.#text.settle(this.#text.length);
    return this.#take();
  }

  /** The sheet's text from `start` to `end` (see {@linkcode HtmlLinkReader.text}). */
  text(start: number, end?: number): string {
    return this.#text.slice(start, end);
  }

  #take(): PageLink[] {
    const found = this.#found;
    if (found.length > 0) this.#found = [];
    return found;
  }
}

/** A link's kind, as `LinkScanner.#add` takes it. */
interface LinkKind {
  inline?: boolean;
  expectHtml?: boolean;
  expectCss?: boolean;
  ignore?: boolean;
  base?: boolean;
  plain?: boolean;
  refreshTimeout?: number;
}

/** A link read without its page's text, where no link has a place (see `LinkScanner`). */
const noSpan = { start: 0, end: 0 };

/** A link whose place in the page's text could not be found: conversion leaves it alone. */
const unplaced = { start: -1, end: -1 };

/** The text a scanner takes its links' places from: the whole page, or a window on it. */
interface PageText {
  readonly length: number;
  slice(start: number, end?: number): string;
}

/** Sorts links by their places, links at one place kept in the order they were found. */
function byPlace(links: PageLink[]): PageLink[] {
  return links.sort((a, b) => a.start - b.start);
}

/**
 * A page's parser and its handlers, built once and used for page after page (a walk reads
 * hundreds): the handlers are this object's methods, so a page makes no functions and the
 * tokenizer calls the same ones on every page. With `html` (the whole page) links carry their
 * positions; without it the page may come in pieces, and what was read from the source text comes
 * from the parsed attribute values and text instead. A `flat` scanner (for the text of a raw-text
 * element) knows no raw-text elements, as GNU wget's scanner knows none, so it never scans text
 * twice.
 */
class LinkScanner implements TagScannerHandlers {
  /** The tokenizer, reporting to this object. */
  readonly parser: TagScanner | GnuTagScanner;
  readonly #flat: boolean;
  #pageUrl = "";
  #options: HtmlLinkOptions = {};
  #html: PageText | undefined;
  #follow: Set<string> | undefined;
  #ignore: Set<string> | undefined;
  #links: PageLink[] = [];
  #base = "";
  /**
   * The links resolved against `base` so far, by their text: a page writes the same link many
   * times (a rustdoc page `../../core/marker/trait.Sized.html` hundreds of times), resolved once.
   */
  #resolved = new Map<string, string | undefined>();
  #nofollow = false;
  /** The raw-text element being read (none: undefined): where its text starts, the text so far. */
  #rawName: string | undefined;
  #rawStart = 0;
  #rawText = "";
  /** The raw-text element is CSS (`<style>`). */
  #rawCss = false;
  /** The opening tag being read: its source text (with `html` only) and where it starts. */
  #tagText: string | undefined;
  #tagStart = 0;

  constructor(flat: boolean) {
    this.#flat = flat;
    // GNU's scanner knows no raw-text elements: every tag in the text is seen, as by GNU wget,
    // and markup that is no tag (a script's `i<n`) is given up at once, as GNU gives it up.
    this.parser = flat ? new GnuTagScanner(this) : new TagScanner(this);
  }

  /** Starts on a page. */
  start(pageUrl: string, options: HtmlLinkOptions, html: PageText | undefined): void {
    this.#pageUrl = pageUrl;
    this.#options = options;
    this.#html = html;
    this.#follow = options.followTags?.length
      ? new Set(options.followTags.map((t) => t.toLowerCase()))
      : undefined;
    this.#ignore = options.ignoreTags?.length
      ? new Set(options.ignoreTags.map((t) => t.toLowerCase()))
      : undefined;
    this.#links = [];
    this.#base = pageUrl;
    this.#nofollow = false;
    this.#rawName = undefined;
    this.#rawText = "";
    this.#rawCss = false;
  }

  /**
   * Where every link before it has been found: the last tag's start (a link of a tag still
   * being read lies after it) or, inside a raw-text element, where its text starts (its links
   * are found when it closes).
   */
  get settled(): number {
    return this.#rawName !== undefined ? this.#rawStart : this.parser.startIndex;
  }

  /** The links found since the last call, in the order they were found. */
  takeLinks(): PageLink[] {
    const links = this.#links;
    this.#links = [];
    return links;
  }

  /** Ends the page: its links, and the scanner back to the idle ones, holding nothing of it. */
  finish(): HtmlLinks {
    const parser = this.parser;
    parser.end();
    // An element left open at the end of the page (`<plaintext>`, a cut `<script>`) ends there.
    if (this.#rawName !== undefined) this.#closeRawText(this.#html?.length ?? 0);
    const found = { links: this.#links, nofollow: this.#nofollow };
    parser.restart(this);
    this.#links = [];
    this.#html = undefined;
    this.#tagText = undefined;
    this.#rawText = "";
    this.#resolved.clear();
    if (this.#flat) idleScanners.flat.push(this);
    else idleScanners.html.push(this);
    return found;
  }

  onopentag(
    name: string,
    rawAttributes: Record<string, string>,
    repeated?: [string, string][],
  ): void {
    const parser = this.parser;
    if (!this.#flat && this.#rawName === undefined && RAW_TEXT_TAGS.has(name)) {
      this.#rawName = name;
      this.#rawStart = parser.endIndex + 1;
      this.#rawText = "";
      this.#rawCss = false;
    }
    // --follow-tags and --ignore-tags leave a style attribute and <style>'s text read, as GNU
    // wget reads them on every tag.
    const follow = this.#follow;
    const followed = !((follow && !follow.has(name)) || this.#ignore?.has(name));
    if (name === "style" && this.#rawName === "style") this.#rawCss = true;
    // Most tags (div, p, span, ...) carry no link but in a style attribute: their attributes are
    // not decoded at all.
    if (
      (!followed || (!SPECIAL_TAGS.has(name) && !Object.hasOwn(URL_ATTRIBUTES, name))) &&
      !Object.hasOwn(rawAttributes, "style")
    ) {
      return;
    }
    // Decoded only when a value holds an entity (most tags have none: no copy then).
    let attributes = rawAttributes;
    for (const key in rawAttributes) {
      if (!rawAttributes[key]!.includes("&")) continue;
      attributes = {};
      for (const [name, value] of Object.entries(rawAttributes)) {
        attributes[name] = decodeEntities(value);
      }
      break;
    }
    this.#tagText = this.#html?.slice(parser.startIndex, parser.endIndex + 1);
    this.#tagStart = parser.startIndex;
    if (!followed) {
      this.#styleLinks(rawAttributes.style!);
      return;
    }
    if (name === "base") {
      const href = attributes.href;
      if (href !== undefined) {
        this.#add(href, this.#span("href"), { ignore: true, base: true });
        const next = resolve(href, this.#pageUrl) ?? this.#base;
        if (next !== this.#base) this.#resolved.clear();
        this.#base = next;
      }
    } else if (name === "form") {
      if (attributes.action !== undefined) {
        this.#add(attributes.action, this.#span("action"), { ignore: true });
      }
    } else if (name === "link") {
      const href = attributes.href;
      if (href !== undefined) {
        const rel = trimBlanks(attributes.rel ?? "").toLowerCase();
        const type = attributes.type === undefined
          ? undefined
          : trimBlanks(attributes.type).toLowerCase();
        if (rel === "stylesheet" || rel === "alternate stylesheet") {
          this.#add(href, this.#span("href"), { inline: true, expectCss: true });
        } else if (rel === "shortcut icon" || rel === "icon" || rel === "manifest") {
          this.#add(href, this.#span("href"), { inline: true });
        } else {
          const html = attributes.rel !== undefined && (!type || type === "text/html");
          this.#add(href, this.#span("href"), { expectHtml: html });
        }
      }
    } else if (name === "meta") {
      this.#metaTag(attributes);
    } else {
      // The attributes in the order the page gives them, as GNU wget orders links by their
      // place in the page (`<img srcset=... src=...>`: the srcset's first).
      const table = Object.hasOwn(URL_ATTRIBUTES, name) ? URL_ATTRIBUTES[name] : undefined;
      // (for...in: the same order as Object.entries, without an array a tag.)
      for (const attribute in attributes) {
        const value = attributes[attribute]!;
        if (attribute === "style") {
          this.#styleLinks(rawAttributes.style!);
          continue;
        }
        if (attribute === "srcset" && name === "img") {
          this.#srcset(this.#span("srcset"), value);
          continue;
        }
        const kind = table && Object.hasOwn(table, attribute) ? table[attribute] : undefined;
        if (kind === undefined) continue;
        this.#add(value, this.#span(attribute), {
          inline: kind.includes("i"),
          expectHtml: kind.includes("h"),
        });
      }
      // A URL attribute written again is a link too, as GNU wget reads every one of a tag's
      // attributes (`<a href=x href=y>`: both).
      if (repeated !== undefined && table !== undefined) {
        const seen: Record<string, number> = {};
        const tagText = this.#tagText;
        // Every place of an attribute in one walk of the tag: a walk for each repeat took
        // minutes on `<img src src src ...>` 100 KB long (tests/fuzz).
        const places = new Map<string, { start: number; end: number }[]>();
        for (const [attribute, value] of repeated) {
          const kind = Object.hasOwn(table, attribute) ? table[attribute] : undefined;
          if (kind === undefined) continue;
          const occurrence = seen[attribute] = (seen[attribute] ?? 0) + 1;
          let at = noSpan;
          if (tagText !== undefined) {
            let all = places.get(attribute);
            if (all === undefined) {
              places.set(attribute, all = []);
              attributeSpan(tagText, this.#tagStart, attribute, 0, all);
            }
            at = all[occurrence] ?? unplaced;
          }
          this.#add(decodeEntities(value), at, {
            inline: kind.includes("i"),
            expectHtml: kind.includes("h"),
          });
        }
      }
      return;
    }
    if (rawAttributes.style !== undefined) this.#styleLinks(rawAttributes.style);
  }

  ontext(text: string): void {
    if (this.#rawName !== undefined && this.#html === undefined) this.#rawText += text;
  }

  onclosetag(name: string): void {
    if (this.#rawName === name) this.#closeRawText(this.parser.startIndex);
  }

  /** Where the value of the opening tag's attribute `name` sits in the page. */
  #span(attribute: string): { start: number; end: number } {
    const tagText = this.#tagText;
    return tagText === undefined ? noSpan : attributeSpan(tagText, this.#tagStart, attribute);
  }

  /** Adds the link `raw`, resolved against the base (none when it does not resolve). */
  #add(raw: string, span: { start: number; end: number }, kind: LinkKind): void {
    const resolved = this.#resolved;
    let url = resolved.get(raw);
    if (url === undefined) {
      if (resolved.has(raw)) return;
      url = resolve(raw, this.#base);
      resolved.set(raw, url);
      if (url === undefined) return;
    }
    const link: PageLink = {
      url,
      raw,
      start: span.start,
      end: span.end,
      inline: kind.inline ?? false,
      expectHtml: kind.expectHtml ?? false,
      expectCss: kind.expectCss ?? false,
      ignore: kind.ignore ?? false,
      base: kind.base ?? false,
      plain: kind.plain ?? false,
      css: false,
    };
    if (kind.refreshTimeout !== undefined) link.refreshTimeout = kind.refreshTimeout;
    this.#links.push(link);
  }

  /**
   * The links of a `style` attribute's CSS, read as the page writes it (entities and all), as
   * GNU wget reads it.
   */
  #styleLinks(style: string): void {
    const at = this.#span("style");
    const source = this.#html?.slice(at.start, at.end);
    const placed = source === style;
    const css = placed ? source : style;
    const links = this.#links;
    const lost = this.#html === undefined ? noSpan : unplaced;
    for (const link of cssLinks(css, this.#base, placed ? at.start : 0)) {
      links.push(placed ? link : { ...link, ...lost });
    }
  }

  /** The links in the text of the raw-text element being read, which ends at `end`. */
  #closeRawText(end: number): void {
    const html = this.#html;
    const start = this.#rawStart;
    const css = this.#rawCss;
    const text = html === undefined ? this.#rawText : html.slice(start, end);
    this.#rawName = undefined;
    this.#rawText = "";
    const links = this.#links;
    if (css) { for (const link of cssLinks(text, this.#base, start)) links.push(link); }
    if (!text.includes("<")) return;
    const inner = takeScanner(true);
    inner.start(this.#base, this.#options, html === undefined ? undefined : text);
    inner.parser.write(text);
    const found = inner.finish();
    for (const link of found.links) {
      links.push(
        html === undefined ? link : { ...link, start: link.start + start, end: link.end + start },
      );
    }
    if (found.nofollow) this.#nofollow = true;
  }

  /** GNU wget's `srcset` reading: URLs up to whitespace, trailing commas cut, descriptors skipped. */
  #srcset(span: { start: number; end: number }, decoded: string): void {
    // The source text gives positions; where it cannot be found (markup too broken to place the
    // attribute), the parsed value gives the same links without them.
    const source = this.#html?.slice(span.start, span.end);
    const placed = source !== undefined && decodeEntities(source) === decoded;
    const value = placed ? span : this.#html === undefined ? noSpan : unplaced;
    const text = placed ? source : decoded;
    const space = " \f\n\r\t";
    let offset = 0;
    while (offset < text.length) {
      let start = offset;
      while (start < text.length && (space + ",").includes(text[start] ?? "")) start++;
      if (start >= text.length) return;
      let end = start;
      while (end < text.length && !space.includes(text[end] ?? " ")) end++;
      let descriptor = true;
      while (end - 1 > start && text[end - 1] === ",") {
        descriptor = false;
        end--;
      }
      if (end > start) {
        const raw = placed ? decodeEntities(text.slice(start, end)) : text.slice(start, end);
        const at = placed ? { start: value.start + start, end: value.start + end } : value;
        this.#add(raw, at, {
          inline: true,
          plain: true,
        });
      }
      if (descriptor) {
        let inParen = false;
        for (offset = end; offset < text.length; offset++) {
          const c = text[offset];
          if (c === "(") inParen = true;
          else if (c === ")" && inParen) inParen = false;
          else if (c === "," && !inParen) break;
        }
      } else {
        offset = end;
      }
    }
  }

  #metaTag(attributes: Record<string, string>): void {
    // GNU wget reads values without the blanks around them (" Refresh ", " 1; url=x").
    const equiv = attributes["http-equiv"] === undefined
      ? undefined
      : trimBlanks(attributes["http-equiv"]).toLowerCase();
    const content = attributes.content === undefined ? undefined : trimBlanks(attributes.content);
    if (content === undefined) return;
    if (equiv === "refresh") {
      // GNU wget's reading (strtol, then ";"): blanks, a sign and digits, or nothing at all,
      // then ";", blanks, "URL=" (any case), blanks, the URL; no link for seconds below 0.
      const match = /^(?:[ \t\n\v\f\r]*([+-]?\d+))?;[ \t\n\v\f\r]*url=[ \t\n\v\f\r]*(.*)$/is
        .exec(content);
      const seconds = Number(match?.[1] ?? 0);
      if (match && seconds >= 0) {
        const url = (match[2] ?? "").trim();
        // (+ 0: a "-0;" refresh is one of 0 seconds, not -0.)
        this.#add(url, this.#span("content"), {
          expectHtml: true,
          refreshTimeout: seconds + 0,
        });
      }
    } else if (trimBlanks(attributes.name ?? "").toLowerCase() === "robots") {
      if (robotsNofollow(content)) this.#nofollow = true;
    }
  }
}

/**
 * Scanners whose page is done, for HTML and for the text of raw-text elements (read as GNU
 * wget's scanner reads it): a page's scanner is taken from here rather than built anew. One in
 * use (an outer page while a `<noscript>`'s text is read) is never here.
 */
const idleScanners: { html: LinkScanner[]; flat: LinkScanner[] } = { html: [], flat: [] };

/** An idle scanner, GNU wget's for the text of a raw-text element when `flat`. */
const takeScanner = (function takeScanner(flat: boolean): LinkScanner {
  return (flat ? idleScanners.flat.pop() : idleScanners.html.pop()) ?? new LinkScanner(flat);
}).bind(undefined);

/** A scanner started on a page. */
const htmlLinkScanner = (function htmlLinkScanner(
  pageUrl: string,
  options: HtmlLinkOptions,
  html: PageText | undefined,
): LinkScanner {
  const scanner = takeScanner(false);
  scanner.start(pageUrl, options, html);
  return scanner;
}).bind(undefined);

/**
 * The links of a stylesheet: every `url(...)` (inline) and every `@import` (a stylesheet),
 * skipping comments and strings that are not URLs.
 *
 * @param css The stylesheet's text.
 * @param sheetUrl The stylesheet's URL, the base of relative links.
 * @returns The links in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extractCssLinks } from "@netkit/netkit/download";
 *
 * const links = extractCssLinks(
 *   `@import "a.css"; /* url(no.png) *\/ body { background: url( 'img/b.png' ) }`,
 *   "http://example.org/css/main.css",
 * );
 * assert.deepEqual(links.map((l) => [l.url, l.expectCss]), [
 *   ["http://example.org/css/a.css", true],
 *   ["http://example.org/css/img/b.png", false],
 * ]);
 * ```
 */
export function extractCssLinks(css: string, sheetUrl: string): PageLink[] {
  return cssLinks(css, sheetUrl, 0);
}

/**
 * The links of a stylesheet given in pieces (a file read a chunk at a time), exactly those
 * {@linkcode extractCssLinks} finds in the whole text, positions included, in memory that does
 * not grow with the sheet (a comment, string, `url(` or escape may be cut between two pieces).
 *
 * @param chunks The stylesheet's text, in order.
 * @param sheetUrl The stylesheet's URL, the base of relative links.
 * @returns The links in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { extractCssLinksFromChunks } from "@netkit/netkit/download";
 *
 * const links = extractCssLinksFromChunks(
 *   ["@imp", 'ort "a.css"; /* url(n', "o.png) *\/ p { background: ur", "l(img/b.png) }"],
 *   "http://example.org/css/main.css",
 * );
 * assert.deepEqual(links.map((l) => [l.url, l.start, l.expectCss]), [
 *   ["http://example.org/css/a.css", 9, true],
 *   ["http://example.org/css/img/b.png", 55, false],
 * ]);
 * ```
 */
export function extractCssLinksFromChunks(
  chunks: Iterable<string>,
  sheetUrl: string,
): PageLink[] {
  const links: PageLink[] = [];
  scanCssChunks(chunks, (raw, start, expectCss) => {
    const link = cssLink(raw, start, expectCss, sheetUrl);
    if (link !== undefined) links.push(link);
  });
  return links;
}

/** The link a CSS URL value (`raw`, at `start`) stands for; undefined for none (empty, `data:`). */
function cssLink(
  raw: string,
  start: number,
  expectCss: boolean,
  base: string,
): PageLink | undefined {
  // The URL its escapes stand for (`a\ b.png` is "a b.png"), as a browser reads it.
  const value = raw.includes("\\") ? cssUnescape(raw) : raw;
  const url = resolve(value, base);
  if (url === undefined || value.trim() === "" || value.startsWith("data:")) return undefined;
  return {
    url,
    raw,
    start,
    end: start + raw.length,
    inline: true,
    expectHtml: false,
    expectCss,
    ignore: false,
    base: false,
    plain: true,
    css: true,
  };
}

/** Scans CSS for `url(...)` and `@import "..."`; positions are offset by `offset`. */
function cssLinks(css: string, base: string, offset: number): PageLink[] {
  const links: PageLink[] = [];
  const push = (raw: string, start: number, expectCss: boolean) => {
    const link = cssLink(raw, offset + start, expectCss, base);
    if (link !== undefined) links.push(link);
  };
  /** Reads `url(...)` at `i` (just past `url(`); returns the index after `)`. */
  const readUrl = (i: number, expectCss: boolean): number => {
    while (i < css.length && isCssSpace(css[i])) i++;
    const quote = css[i];
    if (quote === '"' || quote === "'") {
      const close = closingQuote(css, i);
      if (close < 0) return css.length;
      push(css.slice(i + 1, close), i + 1, expectCss);
      const paren = css.indexOf(")", close);
      return paren < 0 ? css.length : paren + 1;
    }
    let paren = i;
    while (paren < css.length && css[paren] !== ")") paren += css[paren] === "\\" ? 2 : 1;
    if (paren >= css.length) return css.length;
    let end = paren;
    while (end > i && isCssSpace(css[end - 1])) end--;
    const raw = css.slice(i, end);
    // A blank, quote, `(` or control character inside makes it no URL (CSS's bad-url token;
    // GNU's lexer agrees): `url(a b.png)` is not followed.
    if (!isBadUrl(raw.replace(/\\[^]/g, ""))) push(raw, i, expectCss);
    return paren + 1;
  };
  let i = 0;
  while (i < css.length) {
    const c = css[i];
    if (c === "/" && css[i + 1] === "*") {
      const close = css.indexOf("*/", i + 2);
      i = close < 0 ? css.length : close + 2;
    } else if (c === '"' || c === "'") {
      i = skipString(css, i);
    } else if (c === "\\") {
      i += 2;
    } else if ((c === "u" || c === "U") && css.slice(i, i + 4).toLowerCase() === "url(") {
      const previous = css[i - 1];
      if (previous !== undefined && /[\w-]/.test(previous)) {
        i += 4;
        continue;
      }
      i = readUrl(i + 4, false);
    } else if (c === "@" && css.slice(i, i + 7).toLowerCase() === "@import") {
      let j = i + 7;
      while (j < css.length && isCssSpace(css[j])) j++;
      const quote = css[j];
      if (quote === '"' || quote === "'") {
        const close = closingQuote(css, j);
        if (close < 0) break;
        push(css.slice(j + 1, close), j + 1, true);
        i = close + 1;
      } else if (css.slice(j, j + 4).toLowerCase() === "url(") {
        i = readUrl(j + 4, true);
      } else {
        i = j;
      }
    } else {
      i++;
    }
  }
  return links;
}

/**
 * GNU wget's entity decoding in attribute values: `&lt;`, `&gt;`, `&amp;`, `&apos;`, `&quot;`
 * (the `;` optional) and `&#DDD;`/`&#xHH;` below 128, nothing else, so links read as GNU wget
 * reads them (and the entity tables of a full HTML decoder are never loaded).
 */
function decodeEntities(value: string): string {
  if (!value.includes("&")) return value;
  return value.replace(
    /&(?:#(x[0-9a-fA-F]+|[0-9]+);?|(lt|gt|amp|apos|quot)(;|(?![a-zA-Z0-9])))/g,
    (whole, numeric: string | undefined, named: string | undefined) => {
      if (named !== undefined) {
        return { lt: "<", gt: ">", amp: "&", apos: "'", quot: '"' }[named] ?? whole;
      }
      const code = numeric!.startsWith("x")
        ? parseInt(numeric!.slice(1), 16)
        : parseInt(numeric!, 10);
      return code > 0 && code < 128 ? String.fromCharCode(code) : whole;
    },
  );
}

/**
 * Whether a `<meta name="robots">` content says nofollow as GNU wget's tag_handle_meta reads it:
 * `none` alone (any case), or a word (up to a comma or a blank, after blanks) at the start or
 * after a comma that `nofollow` begins with, in any case (GNU compares only the word's length:
 * `no`, `NOFOL` and an empty word say it too); the words after a blank but before the next comma
 * are not read (`noindex nofollow` does not say it).
 */
function robotsNofollow(content: string): boolean {
  if (content.toLowerCase() === "none") return true;
  const blanks = " \f\n\r\t\v";
  let at = 0;
  while (at < content.length) {
    while (at < content.length && blanks.includes(content[at]!)) at++;
    let end = at;
    while (end < content.length && content[end] !== "," && !blanks.includes(content[end]!)) end++;
    const word = content.slice(at, end).toLowerCase();
    if (word.length <= 8 && "nofollow".startsWith(word)) return true;
    const comma = content.indexOf(",", end);
    at = comma < 0 ? content.length : comma + 1;
  }
  return false;
}

/** Where the CSS string opened by the quote at `i` closes (escaped quotes skipped); -1 if never. */
function closingQuote(css: string, i: number): number {
  const quote = css[i];
  for (let j = i + 1; j < css.length; j++) {
    if (css[j] === "\\") j++;
    else if (css[j] === quote) return j;
  }
  return -1;
}

/**
 * CSS's escapes taken out of a URL (CSS Syntax 4.3.7): `\` and 1 to 6 hex digits (and one
 * white space after them) is that code point, `\` before a line break in a string is nothing,
 * `\` before anything else is that character.
 */
function cssUnescape(text: string): string {
  return text.replace(
    /\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\n\r\f])?|(\r\n|[\n\r\f])|([\s\S])|$)/g,
    (_whole, hex: string | undefined, newline: string | undefined, other: string | undefined) => {
      if (hex !== undefined) {
        const code = parseInt(hex, 16);
        return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)
          ? "\ufffd"
          : String.fromCodePoint(code);
      }
      if (newline !== undefined) return "";
      return other ?? "";
    },
  );
}

/**
 * `value` as GNU wget's parser keeps a quoted attribute value: without the blanks around it (its
 * `c_isspace`) and without line breaks inside (`rel="style\nsheet"` is `stylesheet`).
 */
function trimBlanks(value: string): string {
  return value.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$|[\n\r]/g, "");
}

function skipString(css: string, i: number): number {
  const quote = css[i];
  for (let j = i + 1; j < css.length; j++) {
    if (css[j] === "\\") j++;
    else if (css[j] === quote || css[j] === "\n") return j + 1;
  }
  return css.length;
}
