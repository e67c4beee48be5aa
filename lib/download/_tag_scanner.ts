/**
 * The tags of a page in order, as a link extractor needs them and no more: each opening tag's
 * name and attributes with where the tag starts and ends, closing tags, and the text between.
 * Built on htmlparser2's `Tokenizer` alone, without its `Parser`: the parser keeps the open
 * elements in an array it grows at the front, so a page of n unclosed tags costs it n^2 steps
 * (100,000 `<div>`s, 1.2 MB, took 2.6 s), while the tokenizer's time grows with the page. No tree
 * is built and no tag is closed for another: links need none of that. Private to
 * `lib/download/`.
 *
 * @module
 */

import type { Tokenizer as HtmlTokenizer } from "npm:htmlparser2@12.0.0";
import { TextWindow } from "./_text_window.ts";

// Only htmlparser2's Tokenizer module is loaded, not the package's entry: the entry loads the
// Parser, domhandler, domutils, dom-serializer and entities' encoding tables too (~35 files),
// which cost a `wget -r` ~8 ms of start-up (bench/README.md, the twenty-fifth session). The
// package's `exports` name no `./dist/Tokenizer.js`, so the file is found beside the entry that
// `import.meta.resolve` names, in whichever place Deno keeps the package (its cache, a
// node_modules directory, a compiled executable's embedded files). `inGraph` is never called:
// its literal specifier keeps the package in the module graph, so that Deno resolves it
// before `import.meta.resolve` asks and `deno compile` embeds it.
const inGraph = () => import("npm:htmlparser2@12.0.0");
void inGraph;
const Tokenizer: typeof HtmlTokenizer = (await import(
  new URL("./Tokenizer.js", import.meta.resolve("npm:htmlparser2@12.0.0")).href
)).default;
type Tokenizer = HtmlTokenizer;

/** What {@linkcode TagScanner} reports. */
export interface TagScannerHandlers {
  /**
   * An opening tag: its name and attributes (names lower-cased, the first of repeats kept), and
   * the repeats in order, when an attribute is written again (`<a href=x href=y>`).
   */
  onopentag?(
    name: string,
    attributes: Record<string, string>,
    repeated?: [string, string][],
  ): void;
  /** A closing tag, by its lower-cased name. */
  onclosetag?(name: string): void;
  /** Text between tags (the content of `<script>`, `<style>` and the like in HTML mode). */
  ontext?(text: string): void;
}

/** Options of {@linkcode TagScanner}. */
export interface TagScannerOptions {
  /**
   * XML's rules: no element's content is read as text (in HTML, `<script>`, `<style>`,
   * `<title>`, `<textarea>` and a few others hold text that looks like tags). @default {false}
   */
  xmlMode?: boolean;
}

/**
 * Reads a page (whole, or in pieces with `write`) and reports its tags. `startIndex` and
 * `endIndex` hold the reported tag's `<` and `>` positions in the whole text, as htmlparser2's
 * `Parser` gives them; entities are left as written.
 */
export class TagScanner {
  /** Where the tag being reported starts: its `<`. */
  startIndex = 0;
  /** Where the tag being reported ends: its `>`. */
  endIndex = 0;
  #handlers: TagScannerHandlers;
  readonly #tokenizer: Tokenizer;
  /** The pieces written and not yet passed. */
  readonly #text = new TextWindow();
  #tagName = "";
  #attributes: Record<string, string> = {};
  #repeated: [string, string][] | undefined;
  #attributeName = "";
  #attributeValue = "";

  /** A scanner reporting to `handlers`. */
  constructor(handlers: TagScannerHandlers, options: TagScannerOptions = {}) {
    this.#handlers = handlers;
    const openTag = (endIndex: number) => {
      this.endIndex = endIndex;
      const attributes = this.#attributes;
      const repeated = this.#repeated;
      this.#attributes = {};
      this.#repeated = undefined;
      this.#handlers.onopentag?.(this.#tagName, attributes, repeated);
    };
    this.#tokenizer = new Tokenizer({ xmlMode: options.xmlMode ?? false, decodeEntities: false }, {
      onopentagname: (start, endIndex) => {
        this.startIndex = start - 1;
        this.#tagName = this.#slice(start, endIndex).toLowerCase();
        this.#attributes = {};
        this.#repeated = undefined;
      },
      onattribname: (start, endIndex) => {
        this.#attributeName = this.#slice(start, endIndex).toLowerCase();
        this.#attributeValue = "";
      },
      // A value cut between two pieces comes in two calls.
      onattribdata: (start, endIndex) => {
        this.#attributeValue += this.#slice(start, endIndex);
      },
      onattribend: () => {
        if (!Object.hasOwn(this.#attributes, this.#attributeName)) {
          this.#attributes[this.#attributeName] = this.#attributeValue;
        } else {
          (this.#repeated ??= []).push([this.#attributeName, this.#attributeValue]);
        }
        this.#attributeValue = "";
      },
      onopentagend: openTag,
      // XML's `<x/>` (HTML reads it as an opening tag too).
      onselfclosingtag: openTag,
      onclosetag: (start, endIndex) => {
        this.startIndex = start - 2;
        this.endIndex = endIndex;
        this.#handlers.onclosetag?.(this.#slice(start, endIndex).toLowerCase());
      },
      // A tag cut by the end of the page after its name and a `/` (`<a/`) or a closing tag's name
      // (`</a `) is reported by htmlparser2's end() as text from place -1, its mark for no
      // section: nothing of the page. The cut tag is dropped (HTML's eof-in-tag), no text.
      ontext: (start, endIndex) => {
        if (this.#handlers.ontext && start >= 0) {
          this.#handlers.ontext(this.#slice(start, endIndex));
        }
      },
      // Entities stay as written (decodeEntities is off); comments, CDATA, declarations and
      // processing instructions hold no tags.
      onattribentity: () => {},
      ontextentity: () => {},
      oncdata: () => {},
      oncomment: () => {},
      ondeclaration: () => {},
      onprocessinginstruction: () => {},
      onend: () => {},
    });
  }

  /** Reads the next piece of the page. */
  write(chunk: string): void {
    this.#text.append(chunk);
    this.#tokenizer.write(chunk);
  }

  /** Reads what is left: a tag cut off by the end is not reported. */
  end(): void {
    this.#tokenizer.end();
    this.#text.clear();
  }

  /**
   * Starts on a new page, reporting to `handlers`, as a new scanner with the same options would
   * (htmlparser2's own `reset()` of its tokenizer, as its `Parser` reuses one): a walk reading
   * many pages builds one tokenizer, not one a page.
   */
  restart(handlers: TagScannerHandlers): void {
    this.#handlers = handlers;
    this.#tokenizer.reset();
    this.startIndex = 0;
    this.endIndex = 0;
    this.#text.clear();
    this.#tagName = "";
    this.#attributes = {};
    this.#repeated = undefined;
    this.#attributeName = "";
    this.#attributeValue = "";
  }

  /** The text from `start` to `end` of the whole page; pieces wholly before `start` are let go. */
  #slice(start: number, end: number): string {
    const text = this.#text;
    text.release(start);
    return text.slice(start, end);
  }
}
