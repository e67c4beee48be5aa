/**
 * The new text of a page `-k` converts, written to a new file beside the page a piece at a time,
 * so that a page of any size costs its text once in memory, not again as a whole new text and its
 * bytes.
 *
 * @module
 */

import { freeFileName } from "./_free_name.ts";

/** About how many characters are gathered before they are written. */
const WRITE_BATCH_CHARS = 64 * 1024;

/**
 * A new file beside `page` (`page.converting`, or the first free `page.N.converting`) that text
 * is appended to, encoded as UTF-8 or, when `utf8` is false, one byte a character (a page read
 * one character per byte is written back byte for byte). Made at the first write; on a failed
 * write it is removed and the error thrown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConvertedFile } from "./_converted_file.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const converted = new ConvertedFile(`${dir}/page.html`, true);
 * converted.write("<a href=");
 * converted.write('"caf\u00e9.html">');
 * const path = converted.close();
 * assert.equal(path, `${dir}/page.html.converting`);
 * assert.equal(await Deno.readTextFile(path), '<a href="caf\u00e9.html">');
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class ConvertedFile {
  readonly #page: string;
  readonly #utf8: boolean;
  #path: string | undefined;
  #file: Deno.FsFile | undefined;
  #pending: string[] = [];
  #pendingChars = 0;

  /** A file beside `page`, to be made at the first write. */
  constructor(page: string, utf8: boolean) {
    this.#page = page;
    this.#utf8 = utf8;
  }

  /** Appends `text`. */
  write(text: string): void {
    this.#pending.push(text);
    this.#pendingChars += text.length;
    if (this.#pendingChars >= WRITE_BATCH_CHARS) this.#flush();
  }

  /** Writes what is left and closes the file; its path (made now if nothing was written). */
  close(): string {
    this.#flush();
    this.#open().close();
    this.#file = undefined;
    return this.#path!;
  }

  /** Closes and removes the file if it was made (after a failure elsewhere). */
  discard(): void {
    if (this.#file === undefined) return;
    this.#file.close();
    this.#file = undefined;
    try {
      Deno.removeSync(this.#path!);
    } catch {
      // Gone already.
    }
  }

  #open(): Deno.FsFile {
    if (this.#file !== undefined) return this.#file;
    this.#path = freeFileName(this.#page, ".converting");
    this.#file = Deno.openSync(this.#path, { write: true, createNew: true });
    return this.#file;
  }

  #flush(): void {
    if (this.#pendingChars === 0 && this.#file !== undefined) return;
    const text = this.#pending.join("");
    this.#pending = [];
    this.#pendingChars = 0;
    const file = this.#open();
    try {
      // A long piece (the page's text after its last link) in slices, never between the two
      // halves of a surrogate pair.
      for (let at = 0; at < text.length;) {
        let end = Math.min(text.length, at + WRITE_BATCH_CHARS);
        const last = text.charCodeAt(end - 1);
        if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
        const piece = text.slice(at, end);
        const bytes = this.#utf8
          ? new TextEncoder().encode(piece)
          : Uint8Array.from(piece, (c) => c.charCodeAt(0) & 0xff);
        for (let written = 0; written < bytes.length;) {
          written += file.writeSync(bytes.subarray(written));
        }
        at = end;
      }
    } catch (error) {
      this.discard();
      throw error;
    }
  }
}
