import assert from "node:assert/strict";
import { buildWordIndex, findWords, WordIndex } from "../../../lib/words/word_index.ts";

const WORDS = ["cat", "act", "at", "a", "tact", "dog", "attack", "Zoo", "it's", "café", ""];

/** The slow, obvious answer, to compare the index with. */
function bruteForce(words: string[], rack: string): string[] {
  const found = new Set<string>();
  for (const raw of words) {
    const word = raw.toLowerCase();
    if (!/^[a-z]+$/.test(word)) continue;
    const tiles = rack.split("");
    const fits = [...word].every((letter) => {
      const at = tiles.indexOf(letter);
      const blank = tiles.indexOf("?");
      if (at >= 0) return tiles.splice(at, 1);
      if (blank >= 0) return tiles.splice(blank, 1);
      return false;
    });
    if (fits) found.add(word);
  }
  return [...found].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

Deno.test("WordIndex.find() answers longest first, then alphabetically", () => {
  const index = buildWordIndex(WORDS);
  assert.deepEqual(index.find("tac"), ["act", "cat", "at", "a"]);
  assert.deepEqual(index.find("tact"), ["tact", "act", "cat", "at", "a"]);
  assert.deepEqual(index.find("xyz"), []);
});

Deno.test("WordIndex.find() uses each tile at most once", () => {
  const index = buildWordIndex(["aa", "aaa", "a"]);
  assert.deepEqual(index.find("aa"), ["aa", "a"]);
  assert.deepEqual(index.find("a"), ["a"]);
});

Deno.test("WordIndex.find() lets a blank stand for any letter", () => {
  const index = buildWordIndex(WORDS);
  assert.deepEqual(index.find("ta?c"), ["tact", "act", "cat", "at", "a"]);
  assert.deepEqual(index.find("???"), ["act", "cat", "dog", "zoo", "at", "a"]);
  assert.deepEqual(index.find("a?"), ["at", "a"]);
});

Deno.test("buildWordIndex() lowercases, deduplicates and skips non-letters", () => {
  const index = buildWordIndex([
    "Zebra",
    "zebra",
    "ZEBRA",
    "it's",
    "naïve",
    " bra\r",
    "x".repeat(40),
  ]);
  assert.equal(index.size, 2);
  assert.deepEqual(index.find("arbez"), ["zebra", "bra"]);
});

Deno.test("WordIndex.find() and findWords() agree with brute force on random racks", () => {
  const words = [..."abcdefghij"].flatMap((a) =>
    [..."aeiou"].flatMap((b) => [a + b, b + a + a, a + b + "st"])
  );
  const index = buildWordIndex(words);
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 300; i++) {
    const rack = Array.from(
      { length: 1 + Math.floor(random() * 6) },
      () => "abcdeiostu?"[Math.floor(random() * 11)],
    ).join("");
    const expected = bruteForce(words, rack);
    assert.deepEqual(index.find(rack), expected, rack);
    assert.deepEqual(findWords(words, rack), expected, rack);
  }
});

Deno.test("WordIndex shares its SharedArrayBuffer instead of copying it", () => {
  const index = buildWordIndex(WORDS);
  assert.ok(index.buffer instanceof SharedArrayBuffer);
  const again = new WordIndex(index.buffer);
  assert.equal(again.buffer, index.buffer);
  assert.deepEqual(again.find("god"), ["dog"]);
  assert.ok(buildWordIndex(WORDS, { shared: false }).buffer instanceof ArrayBuffer);
});

Deno.test("new WordIndex() refuses bytes that are not an index", () => {
  assert.throws(() => new WordIndex(new ArrayBuffer(8)), TypeError);
  assert.throws(() => new WordIndex(new ArrayBuffer(4096)), TypeError);
});

Deno.test("findWords() cleans the list as buildWordIndex() does", () => {
  const words = ["Zebra", "zebra", " bra\r", "it's", "naïve", "", "x".repeat(40)];
  assert.deepEqual(findWords(words, "arbez"), ["zebra", "bra"]);
  assert.deepEqual(findWords(words, "x".repeat(32)), []);
});
