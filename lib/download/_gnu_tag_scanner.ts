/**
 * Tags read from text as GNU wget's own scanner (src/html-parse.c) reads them, for the text of
 * `<script>`, `<style>`, `<title>` and the other elements an HTML5 tokenizer reads as text, where
 * GNU wget still finds tags. What sets it apart from an HTML5 tokenizer is what it does with
 * markup that is no tag: a `<` before a letter in a script (`for (i=0; i<spans.length; i++)`)
 * starts a tag for both, but where the HTML5 tokenizer reads on to the next `>` (taking the
 * `<a href='#x'>` of a string further on for attributes of that tag), GNU's scanner gives up at
 * the first character no tag can hold there and looks for the next `<` just after the one it
 * gave up on. The same members as {@linkcode TagScanner} that the link extractor uses; the tags
 * are reported by `end()`. Private to `lib/download/`.
 *
 * @module
 */

import type { TagScannerHandlers } from "./_tag_scanner.ts";

/** GNU's `NAME_CHAR_P`: printable ASCII but blank, `=`, `<`, `>` and `/`. */
function isNameChar(code: number): boolean {
  return code > 32 && code < 127 && code !== 61 && code !== 60 && code !== 62 && code !== 47;
}

/** C's `isspace` in the C locale. */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * Where the scan goes on after `<!` at `bang` (a `<!DOCTYPE ...>`, a `<![CDATA[`, a comment in its
 * strict form): after the `<` or `>` that ends the declaration, or just after the `!` when what
 * follows is no declaration. A declaration, as GNU wget's scanner reads one: names, quoted strings
 * and `--...--` comments, blanks between them, up to a `<` or `>` that is not the text's last
 * character; anything else, or the text ending first, is none.
 */
function declarationEnd(text: string, bang: number): number {
  const last = text.length - 1;
  // Each character looked at must come before the text's last one, or it is no declaration.
  const at = (i: number) => (i < last ? text.charCodeAt(i) : -1);
  const notOne = bang + 1;
  if (at(bang) !== 33) return notOne;
  let i = bang + 1;
  for (;;) {
    const c = at(i);
    if (c === -1) return notOne;
    if (c === 60 || c === 62) return i + 1;
    if (c === 32 || c === 9 || c === 13 || c === 10) {
      i++;
    } else if (c === 45) {
      // A comment: `--`, then anything up to the next `--`.
      if (at(i + 1) !== 45) return notOne;
      i += 2;
      for (;;) {
        const d = at(i);
        if (d === -1) return notOne;
        if (d !== 45) {
          i++;
          continue;
        }
        const e = at(i + 1);
        if (e === -1) return notOne;
        i += e === 45 ? 2 : 1;
        if (e === 45) break;
      }
    } else if (c === 34 || c === 39) {
      // A quoted string, up to the same quote.
      let j = i + 1;
      for (;;) {
        const d = at(j);
        if (d === -1) return notOne;
        if (d === c) break;
        j++;
      }
      i = j + 1;
    } else if (isNameChar(c)) {
      // A name: up to a dash (a comment follows) or the first character no name holds.
      while (at(i) !== 45 && isNameChar(at(i))) i++;
    } else {
      return notOne;
    }
  }
}

/** Thrown inside the scan when it runs off the end of the text: GNU's scan ends there. */
const END = Symbol("end");

/**
 * Reads text (given with `write`, read at `end()`) and reports its tags as GNU wget's scanner
 * finds them: `startIndex` at the tag's `<`, `endIndex` at its `>` (or just before the `<` that
 * ends it, as GNU ends a tag there too); attribute names lower-cased, values as written (a
 * minimized attribute's value is its name, as GNU's), the first of repeats kept.
 */
export class GnuTagScanner {
  /** Where the tag being reported starts: its `<`. */
  startIndex = 0;
  /** Where the tag being reported ends. */
  endIndex = 0;
  #handlers: TagScannerHandlers;
  #text = "";

  /** A scanner reporting to `handlers`. */
  constructor(handlers: TagScannerHandlers) {
    this.#handlers = handlers;
  }

  /** Takes the next piece of the text. */
  write(chunk: string): void {
    this.#text += chunk;
  }

  /** Reads the text and reports its tags; a tag cut off by the end is not reported. */
  end(): void {
    const text = this.#text;
    this.#text = "";
    try {
      this.#scan(text);
    } catch (error) {
      if (error !== END) throw error;
    }
  }

  /** Starts on a new text, reporting to `handlers`. */
  restart(handlers: TagScannerHandlers): void {
    this.#handlers = handlers;
    this.#text = "";
    this.startIndex = 0;
    this.endIndex = 0;
  }

  #scan(text: string): void {
    const end = text.length;
    const at = (i: number) => text.charCodeAt(i);
    // GNU's ADVANCE: the scan ends when it runs off the text.
    const advance = (i: number) => {
      if (i + 1 >= end) throw END;
      return i + 1;
    };
    const skipSpace = (i: number) => {
      while (isSpace(at(i))) i = advance(i);
      return i;
    };
    let p = 0;
    lookForTag: for (;;) {
      p = text.indexOf("<", p);
      if (p < 0) return;
      const tagStart = p;
      p = advance(p);
      if (at(p) === 33) {
        // `<!--` (GNU's default, loose comments) ends at the next `-->`, if any.
        if (p + 3 < end && at(p + 1) === 45 && at(p + 2) === 45) {
          const close = text.indexOf("-->", p + 3);
          if (close >= 0) p = close + 3;
        } else {
          p = declarationEnd(text, p);
        }
        if (p === end) return;
        continue;
      }
      const endTag = at(p) === 47;
      if (endTag) p = advance(p);
      const nameStart = p;
      while (isNameChar(at(p))) p = advance(p);
      if (p === nameStart) continue;
      const name = text.slice(nameStart, p).toLowerCase();
      p = skipSpace(p);
      const backOut = () => tagStart + 1;
      if (endTag && at(p) !== 62 && at(p) !== 60) {
        p = backOut();
        continue;
      }
      const attributes: Record<string, string> = {};
      let repeated: [string, string][] | undefined;
      for (;;) {
        p = skipSpace(p);
        if (at(p) === 47) {
          // `<a b=c />`: the tag ends after the slash, or it was none.
          p = skipSpace(advance(p));
          if (at(p) !== 60 && at(p) !== 62) {
            p = backOut();
            continue lookForTag;
          }
        }
        if (at(p) === 60 || at(p) === 62) break;
        const attributeStart = p;
        while (isNameChar(at(p))) p = advance(p);
        const attributeEnd = p;
        if (attributeStart === attributeEnd) {
          p = backOut();
          continue lookForTag;
        }
        p = skipSpace(p);
        let value: string;
        const next = at(p);
        if (isNameChar(next) || next === 47 || next === 60 || next === 62) {
          // `<ul compact>`: the name is the value.
          value = text.slice(attributeStart, attributeEnd);
        } else if (next === 61) {
          p = skipSpace(advance(p));
          const quote = at(p);
          if (quote === 34 || quote === 39) {
            p = advance(p);
            const valueStart = p;
            let newlineSeen = false;
            while (at(p) !== quote) {
              if (!newlineSeen && at(p) === 10) {
                // A newline inside quotes: a quote left open, most likely. Read again from the
                // value's start, up to the quote or to a `<` or `>` (which drops the tag).
                p = valueStart;
                newlineSeen = true;
                continue;
              }
              if (newlineSeen && (at(p) === 60 || at(p) === 62)) break;
              p = advance(p);
            }
            if (at(p) !== quote) continue lookForTag;
            value = text.slice(valueStart, p);
            p = advance(p);
          } else {
            const valueStart = p;
            while (!isSpace(at(p)) && at(p) !== 60 && at(p) !== 62) p = advance(p);
            if (p === valueStart) {
              p = backOut();
              continue lookForTag;
            }
            value = text.slice(valueStart, p);
          }
        } else {
          p = backOut();
          continue lookForTag;
        }
        const attribute = text.slice(attributeStart, attributeEnd).toLowerCase();
        if (!Object.hasOwn(attributes, attribute)) attributes[attribute] = value;
        else (repeated ??= []).push([attribute, value]);
      }
      this.startIndex = tagStart;
      this.endIndex = at(p) === 62 ? p : p - 1;
      if (endTag) this.#handlers.onclosetag?.(name);
      else this.#handlers.onopentag?.(name, attributes, repeated);
      if (at(p) !== 60) p = advance(p);
    }
  }
}
