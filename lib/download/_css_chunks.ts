/**
 * A stylesheet's URL values read from its text given in pieces (a file read a chunk at a time),
 * exactly as `extractCssLinks` reads the whole text (links.ts's `cssLinks`): what is carried from
 * one piece to the next is the scanner's place (inside a comment, a string, a `url(...)`, after
 * `@import`), a few characters of lookahead (`url(`, `@import`, `/*`, an escape's `\`) and the
 * text of a URL value being read, so memory stays flat whatever the sheet's size.
 * @module
 */

/**
 * Whether `c` is CSS white space (as `cssLinks` skips it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCssSpace } from "./_css_chunks.ts";
 *
 * assert.equal(isCssSpace("\f"), true);
 * assert.equal(isCssSpace("\v"), false);
 * assert.equal(isCssSpace(undefined), false);
 * ```
 */
export function isCssSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f";
}

/**
 * Whether CSS reads an unquoted `url(...)` value (escapes taken out) as no URL: one with a blank,
 * a quote, a `(` or a control character.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isBadUrl } from "./_css_chunks.ts";
 *
 * assert.equal(isBadUrl("img/a.png"), false);
 * assert.equal(isBadUrl("a b.png"), true);
 * assert.equal(isBadUrl("a(b.png"), true);
 * ```
 */
export function isBadUrl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x20 || code === 0x22 || code === 0x27 || code === 0x28 || code === 0x7f) {
      return true;
    }
  }
  return false;
}

/**
 * Calls `found(raw, start, expectCss)` for every URL value of a stylesheet given in `chunks`, in
 * order, as `cssLinks` finds them in the whole text: `raw` as written (escapes kept), `start` its
 * position in the whole text, `expectCss` for an `@import`. Stops reading `chunks` where the
 * whole-text scan stops (an unclosed comment, string or `url(`).
 *
 * @example A `url(` cut between two chunks
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanCssChunks } from "./_css_chunks.ts";
 *
 * const found: [string, number, boolean][] = [];
 * scanCssChunks(['@import "a.css"; p { background: u', "rl( b.png ) }"], (raw, start, css) => {
 *   found.push([raw, start, css]);
 * });
 * assert.deepEqual(found, [["a.css", 9, true], ["b.png", 38, false]]);
 * ```
 */
export function scanCssChunks(
  chunks: Iterable<string>,
  found: (raw: string, start: number, expectCss: boolean) => void,
): void {
  const scanner = new CssChunkScanner(found);
  for (const chunk of chunks) scanner.write(chunk);
  scanner.end();
}

/**
 * {@linkcode scanCssChunks} a piece at a time, telling where every URL value before it has been
 * found (`settled`): the start of a value still being read, or else where the scan stands.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CssChunkScanner } from "./_css_chunks.ts";
 *
 * const found: [string, number][] = [];
 * const scanner = new CssChunkScanner((raw, start) => found.push([raw, start]));
 * scanner.write("a { background: url(b");
 * assert.equal(scanner.settled, 20);
 * scanner.write(".png) }");
 * assert.deepEqual(found, [["b.png", 20]]);
 * assert.equal(scanner.settled, 28);
 * scanner.end();
 * ```
 */
export class CssChunkScanner {
  readonly #scan: Generator<void, void, string | undefined>;
  readonly #state = { settled: 0 };
  #done = false;

  /** A scan telling `found` of each URL value, its place and whether it is a stylesheet's. */
  constructor(found: (raw: string, start: number, expectCss: boolean) => void) {
    this.#scan = cssScan(found, this.#state);
    this.#scan.next();
  }

  /** Where every URL value before it has been found. */
  get settled(): number {
    return this.#state.settled;
  }

  /** Scans the next piece. */
  write(piece: string): void {
    if (piece !== "" && !this.#done && this.#scan.next(piece).done) this.#done = true;
  }

  /** Scans to the end of the text. */
  end(): void {
    if (!this.#done) this.#scan.next(undefined);
    this.#done = true;
  }
}

/**
 * The character-level scan: each `yield` asks for the next chunk (undefined at the end), with
 * `state.settled` set to where every URL value before it has been found.
 */
function* cssScan(
  found: (raw: string, start: number, expectCss: boolean) => void,
  state: { settled: number },
): Generator<void, void, string | undefined> {
  /** The text at hand: what is left of the last chunks, then the newest. */
  let buf = "";
  /** The position of `buf[0]` in the whole text. */
  let base = 0;
  /** The character before `buf[0]` (for the one look back, before `url(`). */
  let before: string | undefined;
  /** The place in `buf`; past its end by one after an escape's `\` at its end. */
  let i = 0;
  /** Where in `buf` a URL value being read starts (-1: none), and its text before `buf`. */
  let mark = -1;
  let held: string[] = [];
  /** Where the URL value being read starts in the whole text. */
  let valueStart = 0;
  let ended = false;

  /** Takes the next chunk, dropping what is read; false at the end of the text. */
  function* more(): Generator<void, boolean, string | undefined> {
    if (ended) return false;
    state.settled = mark >= 0 ? valueStart : base + Math.min(i, buf.length);
    const chunk = yield;
    if (chunk === undefined) {
      ended = true;
      return false;
    }
    const keep = Math.min(i, buf.length);
    if (mark >= 0) {
      if (keep > mark) held.push(buf.slice(mark, keep));
      mark = 0;
    }
    if (keep > 0) before = buf[keep - 1];
    buf = keep === buf.length ? chunk : buf.slice(keep) + chunk;
    base += keep;
    i -= keep;
    return true;
  }
  /** Reads on until `n` characters from `i` are at hand (fewer only at the end of the text). */
  function* fill(n: number): Generator<void, boolean, string | undefined> {
    while (buf.length - i < n) {
      if (!(yield* more())) return false;
    }
    return true;
  }
  /** The URL value from `mark` to `end` (in `buf`), and no value read any more. */
  const take = (end: number): string => {
    const tail = buf.slice(mark, end);
    const raw = held.length === 0 ? tail : held.join("") + tail;
    held = [];
    mark = -1;
    return raw;
  };
  /** Where the string whose quote is before `i` closes (escaped quotes skipped); -1 if never. */
  function* closingQuote(quote: string): Generator<void, number, string | undefined> {
    while (true) {
      for (; i < buf.length; i++) {
        if (buf[i] === "\\") i++;
        else if (buf[i] === quote) return i;
      }
      if (!(yield* more())) return -1;
    }
  }
  /** Skips CSS white space from `i`; false at the end of the text. */
  function* skipSpaces(): Generator<void, boolean, string | undefined> {
    while (true) {
      while (i < buf.length && isCssSpace(buf[i])) i++;
      if (i < buf.length) return true;
      if (!(yield* more())) return false;
    }
  }
  /** Reads the string whose `quote` is at `i` as a URL value, to past its close; false if none. */
  function* readQuoted(
    quote: string,
    expectCss: boolean,
  ): Generator<void, boolean, string | undefined> {
    i++;
    mark = i;
    const start = valueStart = base + i;
    const close = yield* closingQuote(quote);
    if (close < 0) return false;
    found(take(close), start, expectCss);
    i = close + 1;
    return true;
  }
  /** Reads a `url(...)` whose `(` is before `i`, to past its `)`; false at the end of the text. */
  function* readUrl(expectCss: boolean): Generator<void, boolean, string | undefined> {
    if (!(yield* skipSpaces())) return false;
    const quote = buf[i];
    if (quote === '"' || quote === "'") {
      if (!(yield* readQuoted(quote, expectCss))) return false;
      while (true) {
        const paren = buf.indexOf(")", i);
        if (paren >= 0) {
          i = paren + 1;
          return true;
        }
        i = buf.length;
        if (!(yield* more())) return false;
      }
    }
    mark = i;
    const start = valueStart = base + i;
    while (true) {
      while (i < buf.length && buf[i] !== ")") i += buf[i] === "\\" ? 2 : 1;
      if (i < buf.length) break;
      if (!(yield* more())) return false;
    }
    let raw = take(i);
    let end = raw.length;
    while (end > 0 && isCssSpace(raw[end - 1])) end--;
    if (end < raw.length) raw = raw.slice(0, end);
    if (!isBadUrl(raw.replace(/\\[^]/g, ""))) found(raw, start, expectCss);
    i++;
    return true;
  }

  while (true) {
    if (i >= buf.length && !(yield* fill(1))) return;
    const c = buf[i];
    if (c === "/") {
      if (buf.length - i < 2) yield* fill(2);
      if (buf[i + 1] !== "*") {
        i++;
        continue;
      }
      i += 2;
      while (true) {
        const close = buf.indexOf("*/", i);
        if (close >= 0) {
          i = close + 2;
          break;
        }
        // (The last character may be the `*` of `*/`.)
        i = Math.max(i, buf.length - 1);
        if (!(yield* more())) return;
      }
    } else if (c === '"' || c === "'") {
      i++;
      while (true) {
        for (; i < buf.length; i++) {
          if (buf[i] === "\\") i++;
          else if (buf[i] === c || buf[i] === "\n") break;
        }
        if (i < buf.length) break;
        if (!(yield* more())) return;
      }
      i++;
    } else if (c === "\\") {
      i += 2;
    } else if (c === "u" || c === "U") {
      if (buf.length - i < 4) yield* fill(4);
      if (buf.slice(i, i + 4).toLowerCase() !== "url(") {
        i++;
        continue;
      }
      const previous = i > 0 ? buf[i - 1] : before;
      i += 4;
      if (previous !== undefined && /[\w-]/.test(previous)) continue;
      if (!(yield* readUrl(false))) return;
    } else if (c === "@") {
      if (buf.length - i < 7) yield* fill(7);
      if (buf.slice(i, i + 7).toLowerCase() !== "@import") {
        i++;
        continue;
      }
      i += 7;
      if (!(yield* skipSpaces())) return;
      const quote = buf[i];
      if (quote === '"' || quote === "'") {
        if (!(yield* readQuoted(quote, true))) return;
      } else {
        if (buf.length - i < 4) yield* fill(4);
        if (buf.slice(i, i + 4).toLowerCase() === "url(") {
          i += 4;
          if (!(yield* readUrl(true))) return;
        }
      }
    } else {
      // (On to the next character that may start something.)
      i++;
      while (i < buf.length && STARTS[buf.charCodeAt(i)] !== 1) i++;
    }
  }
}

/** The characters that may start a comment, a string, an escape, `url(` or `@import`. */
const STARTS = new Uint8Array(128);
for (const c of "/\"'\\uU@") STARTS[c.charCodeAt(0)] = 1;
