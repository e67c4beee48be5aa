import assert from "node:assert/strict";
import { MAX_RACK_LETTERS, parseRack, RackError, sortRack } from "../../../lib/words/rack.ts";

Deno.test("parseRack() lowercases letters and keeps blanks", () => {
  assert.equal(parseRack("LeXiCaL"), "lexical");
  assert.equal(parseRack("??"), "??");
  assert.equal(parseRack("a".repeat(MAX_RACK_LETTERS)), "a".repeat(MAX_RACK_LETTERS));
});

Deno.test("parseRack() refuses hostile racks with the problem named", () => {
  const table: [string, string][] = [
    ["", "empty"],
    ["abc1", "invalid"],
    ["a b", "invalid"],
    [" abc", "invalid"],
    ["ab/c", "invalid"],
    ["é", "invalid"],
    ["abc\n", "invalid"],
    ["ａｂｃ", "invalid"],
    ["*", "invalid"],
    ["a".repeat(MAX_RACK_LETTERS + 1), "too-long"],
    ["x".repeat(1_000_000), "too-long"],
  ];
  for (const [rack, problem] of table) {
    assert.throws(() => parseRack(rack), (error) => {
      assert.ok(error instanceof RackError && error instanceof RangeError);
      assert.equal(error.problem, problem, JSON.stringify(rack.slice(0, 10)));
      assert.ok(error.message.length < 200);
      return true;
    });
  }
});

Deno.test("sortRack() gives anagrams one key", () => {
  assert.equal(sortRack("lexical"), sortRack("callxie"));
  assert.equal(sortRack("b?a"), "?ab");
});
