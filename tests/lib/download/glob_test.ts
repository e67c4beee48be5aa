/**
 * `globMatches` beside glibc's own `fnmatch()` (compiled with gcc at test time, run under
 * `LC_ALL=C.UTF-8`, GNU wget's locale in the tests): random wildcards with brackets, ranges,
 * classes, escapes and unterminated brackets, against random names, with GNU wget's flags (0 for
 * `-A`/`-R`, `FNM_PATHNAME` for `-I`/`-X`, each with and without `FNM_CASEFOLD`).
 */

import assert from "node:assert/strict";
import { globMatches } from "../../../lib/download/_glob.ts";
import { missingPeer, tempDir } from "../../harness/peers.ts";
import { randomDraws } from "../../harness/seeded_random.ts";

const FNMATCH_C = `#define _GNU_SOURCE
#include <fnmatch.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
/* Each line: FLAGS TAB PATTERN TAB NAME; prints 1 where fnmatch() matches, else 0. */
int main(void) {
  setlocale(LC_ALL, "");
  static char line[16384];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\\n")] = 0;
    char *pattern = strchr(line, '\\t');
    *pattern++ = 0;
    char *name = strchr(pattern, '\\t');
    *name++ = 0;
    int flags = (strchr(line, 'p') ? FNM_PATHNAME : 0) | (strchr(line, 'i') ? FNM_CASEFOLD : 0);
    printf("%d\\n", fnmatch(pattern, name, flags) == 0);
  }
  return 0;
}
`;

const PIECES = [
  ..."aAbBzZ09/.-!^][\\:*?éÉ",
  "[:upper:]",
  "[:lower:]",
  "[:alpha:]",
  "[:digit:]",
  "[:alnum:]",
  "[:punct:]",
  "[:space:]",
  "[:xdigit:]",
  "[:foo:]",
  "[=a=]",
  "[.b.]",
  "a-z",
  "A-Z",
  "Z-a",
  "[a-",
  "x",
];
const NAME_CHARACTERS = [..."aAbBzZ09/.-!^][\\:éÉ x"];

/** `count` random (flags, pattern, name) triples from `seed`. */
function randomCases(seed: number, count: number): [string, string, string][] {
  const { int, pick, chance } = randomDraws(seed);
  const cases: [string, string, string][] = [];
  for (let k = 0; k < count; k++) {
    let pattern = Array.from({ length: int(1, 8) }, () => pick(PIECES)).join("");
    if (chance(0.5)) pattern = `[${pattern}`;
    if (chance(0.3)) pattern += "]";
    const name = Array.from({ length: int(0, 6) }, () => pick(NAME_CHARACTERS)).join("");
    cases.push([pick(["-", "i", "p", "pi"]), pattern, name]);
  }
  return cases;
}

Deno.test({
  name: "globMatches() answers as glibc's fnmatch() on 40,000 random wildcards and names",
  ignore: missingPeer(["gcc"]) !== undefined,
  async fn() {
    await using dir = await tempDir();
    await Deno.writeTextFile(`${dir.path}/fnmatch.c`, FNMATCH_C);
    const program = `${dir.path}/fnmatch`;
    const built = await new Deno.Command("gcc", {
      args: ["-O1", "-Wall", "-o", program, `${dir.path}/fnmatch.c`],
      stderr: "piped",
    }).output();
    assert.ok(built.success, new TextDecoder().decode(built.stderr));
    const cases: [string, string, string][] = [
      // GNU wget's -A '[[:upper:]]*' --ignore-case (seed 2000182 of the random test).
      ["i", "[[:upper:]]*", "About.html"],
      ["i", "[[:upper:]]*", "about.html"],
      ["i", "[A-C]*", "about.html"],
      ["p", "a/*", "a/b/c"],
      ["-", "[]x]y", "]y"],
      ["-", "[!]x]y", "ay"],
      ...randomCases(1, 20_000),
      ...randomCases(2, 20_000),
    ];
    const child = new Deno.Command(program, {
      stdin: "piped",
      stdout: "piped",
      env: { LC_ALL: "C.UTF-8" },
    }).spawn();
    // (Read while writing: the answers fill the pipe before the questions are all written.)
    const answers = child.output();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(cases.map((c) => `${c.join("\t")}\n`).join("")));
    await writer.close();
    const output = await answers;
    const glibc = new TextDecoder().decode(output.stdout).split("\n");
    assert.equal(glibc.length, cases.length + 1);
    assert.deepEqual(glibc.slice(0, 3), ["1", "0", "1"]);
    const differences = cases.flatMap(([flags, pattern, name], k) => {
      const ours = globMatches(pattern, name, {
        pathname: flags.includes("p"),
        foldCase: flags.includes("i"),
      });
      return (ours ? "1" : "0") === glibc[k] ? [] : [{ flags, pattern, name, glibc: glibc[k] }];
    });
    assert.deepEqual(differences, []);
  },
});

Deno.test("globMatches() takes a name of 200,000 characters (a hostile link's) without deep calls", () => {
  const name = `${"a".repeat(200_000)}.html`;
  assert.equal(globMatches("*.html", name), true);
  assert.equal(globMatches("*[[:upper:]]*", name, { foldCase: true }), false);
  assert.equal(globMatches("a*/*", `a/${name}`, { pathname: true }), true);
});
