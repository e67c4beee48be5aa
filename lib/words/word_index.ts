/**
 * A compact word index for rack lookups, laid out in one (shareable) buffer so that workers can
 * use the same bytes without a copy.
 *
 * Layout, all little-endian 32-bit words then bytes:
 *
 * ```
 * header   magic, word count, text bytes, 0
 * starts   starts[n] = index of the first word with at most n letters (n = 0 ... 33)
 * masks    one 26-bit letter set per word ("which letters occur")
 * offsets  word i is text[offsets[i] ... offsets[i + 1])
 * text     the words' lowercase letters, back to back
 * ```
 *
 * Words are sorted longest first, then alphabetically, which is the order results are reported
 * in, so a lookup never sorts. A lookup skips every word longer than the rack, rejects most of the
 * rest with one mask test (`word & ~rack` must be empty, or hold no more letters than blanks), and
 * counts letters only for the few that pass.
 *
 * @module
 */

import { MAX_RACK_LETTERS } from "./rack.ts";

const MAGIC = 0x57444958; // "WDIX"
const HEADER_WORDS = 4;
const START_WORDS = MAX_RACK_LETTERS + 2;
const LETTER_A = 97;

/** Options for {@linkcode buildWordIndex}. */
export interface BuildWordIndexOptions {
  /** Put the index in a `SharedArrayBuffer`, which workers share instead of copying. @default {true} */
  shared?: boolean;
}

/**
 * Words that a rack can form, answered from a compact index. Build one with
 * {@linkcode buildWordIndex}; use it elsewhere (a worker) with
 * `new WordIndex(index.buffer)`.
 *
 * @example Find words in a rack with a blank
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildWordIndex } from "@netkit/netkit/words";
 *
 * const index = buildWordIndex(["cat", "act", "at", "dog", "tact"]);
 * assert.deepEqual(index.find("tac"), ["act", "cat", "at"]); // longest first
 * assert.deepEqual(index.find("ta?c"), ["tact", "act", "cat", "at"]); // ? is any letter
 * ```
 */
export class WordIndex {
  readonly #buffer: ArrayBuffer | SharedArrayBuffer;
  readonly #count: number;
  readonly #starts: Uint32Array;
  readonly #masks: Uint32Array;
  readonly #offsets: Uint32Array;
  readonly #text: Uint8Array;
  readonly #tally = new Int8Array(26);

  /**
   * Uses an index built elsewhere, e.g. one posted to a worker. The bytes are not copied.
   *
   * @throws {TypeError} if the buffer does not hold an index.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { buildWordIndex, WordIndex } from "@netkit/netkit/words";
   *
   * const same = new WordIndex(buildWordIndex(["zoo"]).buffer);
   * assert.deepEqual(same.find("ooz"), ["zoo"]);
   * ```
   */
  constructor(buffer: ArrayBuffer | SharedArrayBuffer) {
    if (buffer.byteLength < (HEADER_WORDS + START_WORDS) * 4) {
      throw new TypeError("The buffer does not hold a word index");
    }
    const [magic, count, textBytes] = new Uint32Array(buffer, 0, HEADER_WORDS);
    if (magic !== MAGIC || count === undefined || textBytes === undefined) {
      throw new TypeError("The buffer does not hold a word index");
    }
    let at = HEADER_WORDS * 4;
    this.#starts = new Uint32Array(buffer, at, START_WORDS);
    at += START_WORDS * 4;
    this.#masks = new Uint32Array(buffer, at, count);
    at += count * 4;
    this.#offsets = new Uint32Array(buffer, at, count + 1);
    at += (count + 1) * 4;
    this.#text = new Uint8Array(buffer, at, textBytes);
    this.#buffer = buffer;
    this.#count = count;
  }

  /** The bytes of the index; post them to a worker and wrap them there with `new WordIndex()`. */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.#buffer;
  }

  /** How many words the index holds. */
  get size(): number {
    return this.#count;
  }

  /**
   * Every word the rack can form, each tile used at most once, `?` standing for any letter.
   *
   * @param rack Lowercase letters and `?`, as {@linkcode parseRack} returns them.
   * @returns Lowercase words, longest first, then alphabetically.
   */
  find(rack: string): string[] {
    const { counts, rackMask, blanks } = tallyRack(rack);
    const tally = this.#tally;
    const masks = this.#masks;
    const offsets = this.#offsets;
    const text = this.#text;
    const found: string[] = [];
    const first = this.#starts[Math.min(rack.length, MAX_RACK_LETTERS + 1)];
    if (first === undefined) throw new RangeError(`No start for racks of ${rack.length} letters`);
    for (let i = first; i < this.#count; i++) {
      const mask = masks[i];
      if (mask === undefined) throw new RangeError(`Word ${i} lies outside the index`);
      if (!maskFits(mask, rackMask, blanks)) continue;
      const start = offsets[i];
      const end = offsets[i + 1];
      if (start === undefined || end === undefined) {
        throw new RangeError(`Word ${i} lies outside the index`);
      }
      if (!fits(text, start, end, counts, tally, blanks)) continue;
      found.push(decode(text, start, end));
    }
    return found;
  }
}

/**
 * The words of a list that a rack can form, without building an index: for a process that answers
 * one rack and exits (the scrabble-word-finder command), where building the index would cost more
 * than the lookup. Words are cleaned as {@linkcode buildWordIndex} cleans them.
 *
 * @param words The dictionary, in any order.
 * @param rack Lowercase letters and `?`, as {@linkcode parseRack} returns them.
 * @returns Lowercase words, longest first, then alphabetically, without duplicates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findWords } from "@netkit/netkit/words";
 *
 * assert.deepEqual(findWords(["CAT", "act", "dog", "Cat"], "t?ac"), ["act", "cat"]);
 * ```
 */
export function findWords(words: Iterable<string>, rack: string): string[] {
  const { counts, rackMask, blanks } = tallyRack(rack);
  const tally = new Int8Array(26);
  const scratch = new Uint8Array(MAX_RACK_LETTERS);
  const found: string[] = [];
  for (const word of words) {
    let start = 0;
    let end = word.length;
    while (start < end && word.charCodeAt(start) <= 32) start++;
    while (end > start && word.charCodeAt(end - 1) <= 32) end--;
    const length = end - start;
    if (length === 0 || length > rack.length) continue;
    let mask = 0;
    let letters = true;
    for (let i = 0; i < length && letters; i++) {
      const code = word.charCodeAt(start + i) | 0x20;
      letters = code >= LETTER_A && code <= LETTER_A + 25;
      scratch[i] = code;
      mask |= 1 << (code - LETTER_A);
    }
    if (!letters || !maskFits(mask, rackMask, blanks)) continue;
    if (fits(scratch, 0, length, counts, tally, blanks)) found.push(decode(scratch, 0, length));
  }
  found.sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  return found.filter((word, i) => i === 0 || word !== found[i - 1]);
}

/** A rack's letter counts, letter set and blanks. */
function tallyRack(rack: string): { counts: Int8Array; rackMask: number; blanks: number } {
  const counts = new Int8Array(26);
  let rackMask = 0;
  let blanks = 0;
  for (let i = 0; i < rack.length; i++) {
    const letter = rack.charCodeAt(i) - LETTER_A;
    const count = counts[letter]; // undefined outside a-z
    if (count !== undefined) {
      counts[letter] = count + 1;
      rackMask |= 1 << letter;
    } else {
      blanks++;
    }
  }
  return { counts, rackMask, blanks };
}

/** The quick test: the word's letters outside the rack are no more than the blanks. */
function maskFits(wordMask: number, rackMask: number, blanks: number): boolean {
  const extra = wordMask & ~rackMask;
  return extra === 0 || (blanks > 0 && popcount(extra) <= blanks);
}

function decode(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
}

/** Whether `text[start ... end)` can be made from the letter counts plus blanks. */
function fits(
  text: Uint8Array,
  start: number,
  end: number,
  counts: Int8Array,
  tally: Int8Array,
  blanks: number,
): boolean {
  tally.set(counts);
  let spare = blanks;
  for (let at = start; at < end; at++) {
    const byte = text[at];
    if (byte === undefined) throw new RangeError(`Word text ends before ${end}`);
    const left = tally[byte - LETTER_A];
    if (left === undefined) throw new RangeError(`Byte ${byte} of the word index is not a letter`);
    tally[byte - LETTER_A] = left - 1;
    if (left - 1 < 0 && --spare < 0) return false;
  }
  return true;
}

function popcount(n: number): number {
  n = n - ((n >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Builds a {@linkcode WordIndex} from a word list. Words are lowercased; words with anything but
 * the letters a-z (apostrophes, accents), empty ones, duplicates and words longer than any rack
 * ({@linkcode MAX_RACK_LETTERS}) are left out.
 *
 * @param words The dictionary, in any order (an alphabetical list builds fastest).
 * @returns The index, in a `SharedArrayBuffer` unless `shared: false`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildWordIndex } from "@netkit/netkit/words";
 *
 * const index = buildWordIndex(["Zebra", "it's", "ZEBRA", "bra"]);
 * assert.equal(index.size, 2); // "zebra" once, "bra"; "it's" is no word
 * ```
 */
export function buildWordIndex(
  words: Iterable<string>,
  options: BuildWordIndexOptions = {},
): WordIndex {
  // Words are read where they lie (no lowercased copies): a build of SOWPODS allocates little
  // beyond the index itself.
  const list = Array.isArray(words) ? words as string[] : [...words];
  const trimmed = new Int32Array(list.length);
  const byLength: number[][] = Array.from({ length: MAX_RACK_LETTERS + 1 }, () => []);
  for (let i = 0; i < list.length; i++) {
    const word = list[i];
    if (word === undefined) throw new TypeError(`Word ${i} is not a string`);
    let start = 0;
    let end = word.length;
    while (start < end && word.charCodeAt(start) <= 32) start++;
    while (end > start && word.charCodeAt(end - 1) <= 32) end--;
    const length = end - start;
    if (length === 0 || length > MAX_RACK_LETTERS || !isLetters(word, start, end)) continue;
    trimmed[i] = start;
    const bucket = byLength[length];
    if (bucket === undefined) throw new RangeError(`No bucket for words of ${length} letters`);
    bucket.push(i);
  }
  const compare = (a: number, b: number) => {
    const wordA = list[a];
    const wordB = list[b];
    const startA = trimmed[a];
    const startB = trimmed[b];
    if (
      wordA === undefined || wordB === undefined || startA === undefined || startB === undefined
    ) {
      throw new RangeError(`Word ${a} or ${b} lies outside the list`);
    }
    return compareWords(wordA, startA, wordB, startB);
  };
  let count = 0;
  let textBytes = 0;
  // Bucket 0 stays empty: empty words were skipped above.
  for (const [length, unsorted] of byLength.entries()) {
    const bucket = uniqueSorted(unsorted, compare);
    byLength[length] = bucket;
    count += bucket.length;
    textBytes += bucket.length * length;
  }
  const byteLength = (HEADER_WORDS + START_WORDS + count + count + 1) * 4 + textBytes;
  const buffer = options.shared === false
    ? new ArrayBuffer(byteLength)
    : new SharedArrayBuffer(byteLength);
  const header = new Uint32Array(buffer, 0, HEADER_WORDS);
  header.set([MAGIC, count, textBytes, 0]);
  let at = HEADER_WORDS * 4;
  const starts = new Uint32Array(buffer, at, START_WORDS);
  at += START_WORDS * 4;
  const masks = new Uint32Array(buffer, at, count);
  at += count * 4;
  const offsets = new Uint32Array(buffer, at, count + 1);
  at += (count + 1) * 4;
  const text = new Uint8Array(buffer, at, textBytes);

  let index = 0;
  let offset = 0;
  starts[MAX_RACK_LETTERS + 1] = 0;
  for (let length = MAX_RACK_LETTERS; length >= 0; length--) {
    starts[length] = index;
    for (const at of byLength[length] ?? []) {
      const word = list[at];
      const first = trimmed[at];
      if (word === undefined || first === undefined) {
        throw new RangeError(`Word ${at} lies outside the list`);
      }
      let mask = 0;
      offsets[index] = offset;
      for (let i = first; i < first + length; i++) {
        const code = word.charCodeAt(i) | 0x20;
        text[offset++] = code;
        mask |= 1 << (code - LETTER_A);
      }
      masks[index++] = mask;
    }
  }
  offsets[count] = offset;
  return new WordIndex(buffer);
}

/** Whether `word[start ... end)` holds only the letters a-z and A-Z. */
function isLetters(word: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = word.charCodeAt(i) | 0x20;
    if (code < LETTER_A || code > LETTER_A + 25) return false;
  }
  return true;
}

/** Compares two checked words of one length, ignoring case, without copying them. */
function compareWords(a: string, aStart: number, b: string, bStart: number): number {
  const length = a.length - aStart;
  for (let i = 0; i < length; i++) {
    const difference = (a.charCodeAt(aStart + i) | 0x20) - (b.charCodeAt(bStart + i) | 0x20);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The bucket in order, duplicates dropped; an already sorted bucket is returned as it is. */
function uniqueSorted(bucket: number[], compare: (a: number, b: number) => number): number[] {
  let sorted = true;
  let previous: number | undefined;
  for (const at of bucket) {
    if (previous !== undefined && compare(previous, at) >= 0) {
      sorted = false;
      break;
    }
    previous = at;
  }
  if (sorted) return bucket;
  bucket.sort(compare);
  previous = undefined;
  return bucket.filter((at) => {
    const keep = previous === undefined || compare(previous, at) !== 0;
    previous = at;
    return keep;
  });
}
