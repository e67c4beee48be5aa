import assert from "node:assert/strict";
import { loadWordIndex, loadWordList, SOWPODS_WORDS } from "../../../lib/words/dictionary.ts";
import { findWords } from "../../../lib/words/word_index.ts";
import { tempDir } from "../../harness/peers.ts";

Deno.test("loadWordIndex() builds SOWPODS once, with every word", async () => {
  const [index, again] = await Promise.all([loadWordIndex(), loadWordIndex()]);
  assert.equal(index, again);
  assert.equal(index.size, SOWPODS_WORDS);
  assert.deepEqual(index.find("lexical").slice(0, 5), [
    "lexical",
    "alexic",
    "allice",
    "caille",
    "lexica",
  ]);
  assert.ok(index.buffer.byteLength < 6 * 1024 * 1024, `${index.buffer.byteLength} bytes`);
});

Deno.test("loadWordIndex() reads a word list file", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/words`;
  await Deno.writeTextFile(path, "Cat\r\nact\n\nit's\ntac\n");
  const index = await loadWordIndex({ dict: path });
  assert.deepEqual(index.find("tca"), ["act", "cat", "tac"]);
  await assert.rejects(loadWordIndex({ dict: `${dir.path}/missing` }), Deno.errors.NotFound);
});

Deno.test("findWords() over SOWPODS answers as the index does", async () => {
  const [index, words] = await Promise.all([loadWordIndex(), loadWordList()]);
  assert.equal(words.length, SOWPODS_WORDS);
  for (const rack of ["lexical", "qu?ck", "aeinrst", "??", "zzzzzz", "a?????b"]) {
    assert.deepEqual(findWords(words, rack), index.find(rack), rack);
  }
});

Deno.test("loadWordList() refuses a file larger than the bound, and a device without end", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "alpha\nbeta\n");
    assert.deepEqual(await loadWordList(path, 11), ["alpha", "beta", ""]);
    await assert.rejects(loadWordList(path, 10), RangeError);
  } finally {
    await Deno.remove(path);
  }
  await assert.rejects(loadWordList("/dev/zero", 1024 * 1024), /larger than 1048576 bytes/);
});
