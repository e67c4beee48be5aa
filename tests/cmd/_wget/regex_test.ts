import assert from "node:assert/strict";
import { pcreRegExp, posixRegExp } from "../../../cmd/_wget/regex.ts";

Deno.test("posixRegExp() reads POSIX extended syntax as glibc's regcomp does", () => {
  const cases: [string, string, boolean][] = [
    ["[[:digit:]]+\\.txt$", "/a/12.txt", true],
    ["[[:digit:]]+\\.txt$", "/a/b.txt", false],
    ["\\d", "1", false], // \d is a plain d in POSIX
    ["\\d", "d", true],
    ["[\\.]", "\\", true], // a backslash is itself inside brackets
    ["[\\.]", "x", false],
    ["[]a]", "]", true], // a ] first in the list is a member
    ["[^[:alpha:]]", "a", false],
    ["[^[:alpha:]]", "1", true],
    ["\\<page\\>", "/page/", true],
    ["\\<page\\>", "/pages/", false],
    ["(ab)\\1", "abab", true],
    ["a{2}", "aa", true],
    ["x/y", "x/y", true],
    ["[a-c]", "b", true],
    ["[[:upper:][:digit:]]", "Q", true],
    ["[[.-.]]", "-", true],
  ];
  for (const [source, text, matches] of cases) {
    assert.equal(posixRegExp(source).test(text), matches, `${source} on ${text}`);
  }
});

Deno.test("posixRegExp() refuses what glibc refuses", () => {
  for (const source of ["[abc", "a\\", "[[:nope:]]", "[[:alpha:", "(a"]) {
    assert.throws(() => posixRegExp(source), SyntaxError, source);
  }
});

Deno.test("pcreRegExp() takes PCRE's leading option settings as flags", () => {
  assert.ok(pcreRegExp("(?i)ABC").test("abc"));
  assert.ok(pcreRegExp("(?i)(?s)a.b").test("A\nb"));
  assert.ok(pcreRegExp("\\d+").test("42"));
  assert.ok(!pcreRegExp("ABC").test("abc"));
  assert.throws(() => pcreRegExp("(?i)[a"), SyntaxError);
});
