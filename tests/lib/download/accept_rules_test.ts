import assert from "node:assert/strict";
import { acceptsDirectory, acceptsFileName } from "../../../lib/download/accept_rules.ts";

Deno.test("acceptsFileName() matches suffixes and wildcards as GNU wget's -A and -R", () => {
  const table: [string, object, boolean][] = [
    ["a.png", { accept: ["png"] }, true],
    ["a.png", { accept: [".png"] }, true],
    ["apng", { accept: ["png"] }, true],
    ["a.gif", { accept: ["png", "jpg"] }, false],
    ["dir/a.gif", { reject: ["gif"] }, false],
    ["a.html?q=1", { accept: ["html"] }, false],
    ["a.html?q=1", { accept: ["*.html*"] }, true],
    ["a.html", { accept: ["a.htm?"] }, true],
    ["b.html", { accept: ["[ab].html"] }, true],
    ["c.html", { accept: ["[!ab].html"] }, true],
    ["a.PNG", { accept: ["png"] }, false],
    ["a.PNG", { accept: ["png"], ignoreCase: true }, true],
    ["a.png", { accept: ["png"], reject: ["a.*"] }, false],
    ["x", {}, true],
    // fnmatch's classes, and FNM_CASEFOLD, which tests a class on the name's own letter.
    ["About.html", { reject: ["[[:upper:]]*"] }, false],
    ["about.html", { reject: ["[[:upper:]]*"] }, true],
    ["about.html", { reject: ["[[:upper:]]*"], ignoreCase: true }, true],
    ["9.txt", { accept: ["[[:digit:]]*"] }, true],
    ["B.html", { reject: ["[a-p]*"], ignoreCase: true }, false],
    ["P.html", { reject: ["[!p]*"], ignoreCase: true }, true],
    ["]x", { accept: ["[]]x"] }, true],
    ["z", { accept: ["[z-a]"] }, false],
  ];
  for (const [name, rules, expected] of table) {
    assert.equal(acceptsFileName(name, rules), expected, `${name} ${JSON.stringify(rules)}`);
  }
});

Deno.test("acceptsDirectory() reads -I and -X as GNU wget: prefixes, and wildcards within one level", () => {
  const table: [string, object, boolean][] = [
    ["docs/a", { include: ["/docs"] }, true],
    ["docsx", { include: ["/docs"] }, false],
    ["", { include: ["/docs"] }, false],
    ["a/b/c", { exclude: ["a/*"] }, true],
    ["a/b", { exclude: ["a/*"] }, false],
    ["A/B", { exclude: ["/a"], ignoreCase: true }, false],
    ["x", { include: ["/"] }, true],
  ];
  for (const [dir, rules, expected] of table) {
    assert.equal(acceptsDirectory(dir, rules), expected, `${dir} ${JSON.stringify(rules)}`);
  }
});
