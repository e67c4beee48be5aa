import assert from "node:assert/strict";
import { main } from "../../cmd/scrabble-word-finder.ts";
import { tempDir } from "../harness/peers.ts";
import { captureConsole, runDeno } from "../harness/run.ts";

const SCRIPT = new URL("../../cmd/scrabble-word-finder.ts", import.meta.url).pathname;

function run(...args: string[]) {
  return runDeno(["run", "-A", "--quiet", SCRIPT, ...args]);
}

Deno.test("scrabble-word-finder prints words longest first, then alphabetically", async () => {
  const { code, stdout, stderr } = await run("LeXiCaL");
  assert.equal(code, 0, stderr);
  const words = stdout.trimEnd().split("\n");
  assert.equal(words.length, 53);
  assert.deepEqual(words.slice(0, 6), ["lexical", "alexic", "allice", "caille", "lexica", "axile"]);
  assert.deepEqual(words.slice(-3), ["la", "li", "xi"]);
});

Deno.test("scrabble-word-finder lets ? stand for any letter", async () => {
  const { code, stdout } = await run("qu?ck");
  assert.equal(code, 0);
  assert.deepEqual(stdout.split("\n").slice(0, 2), ["quack", "quick"]);
});

Deno.test("scrabble-word-finder reads --dict and prints nothing when no word fits", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/words`, "Tac\ncat\nact\ndog\n");
  const found = await run("--dict", `${dir.path}/words`, "TCA");
  assert.deepEqual(found.stdout, "act\ncat\ntac\n");
  const none = await run("--dict", `${dir.path}/words`, "zz");
  assert.deepEqual([none.code, none.stdout], [0, ""]);
  const missing = await run("--dict", `${dir.path}/missing`, "abc");
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^scrabble-word-finder: Cannot read the dictionary/);
});

Deno.test("scrabble-word-finder refuses bad racks with exit 2", async () => {
  for (
    const args of [[""], ["ab1"], ["a b"], ["é"], ["a".repeat(33)], [], ["ab", "cd"], [
      "--nope",
      "ab",
    ]]
  ) {
    const { result, stderr } = await captureConsole(() => main(args));
    assert.equal(result, 2, JSON.stringify(args));
    assert.match(stderr, /^scrabble-word-finder: /);
  }
  const { code, stderr } = await run("abc!");
  assert.equal(code, 2);
  assert.match(stderr, /^scrabble-word-finder: The rack "abc!" holds something other/);
});

Deno.test("scrabble-word-finder --help exits 0", async () => {
  const { result, stdout } = await captureConsole(() => main(["--help"]));
  assert.equal(result, 0);
  assert.match(stdout, /^Usage: scrabble-word-finder \[--dict FILE\] LETTERS/);
});
