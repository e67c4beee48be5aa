import assert from "node:assert/strict";
import { resolveLinkFast } from "../../../lib/download/_resolve_link.ts";
import { escapeStrayPercents } from "../../../lib/download/_gnu_reencode.ts";

/** What links.ts did before the fast path: the WHATWG parser, the fragment cut. */
function slow(raw: string, base: string): string | undefined {
  try {
    const href = new URL(raw, base).href;
    const hash = href.indexOf("#");
    return hash < 0 ? href : href.slice(0, hash);
  } catch {
    return undefined;
  }
}

const BASES = [
  "http://127.0.0.1:8080/blog/post-1.html",
  "http://127.0.0.1:8080/blog/",
  "http://example.org",
  "http://example.org/",
  "http://example.org/a/b/c",
  "http://example.org/a/b/c/?q=1&r=%2F",
  "http://example.org/a?",
  "http://example.org/a/#frag",
  "http://example.org/a/b?x#y",
  "https://u:p@example.org:8443/d%20ir/f.html?x=1",
  "http://[::1]:8080/v6/x.html",
  "HTTP://EXAMPLE.ORG:80/A/./B/../C.html",
  "http://example.org/a/%2e%2E/b/",
  "http://example.org/a//b//",
  "http://example.org/ü/ß.html",
  "https://example.org/a\\b/c",
  "ftp://example.org/a/b",
  "file:///tmp/a/b.html",
  "mailto:someone@example.org",
  "not a url",
];

/** Pieces links are made of: plain names, dot segments, and everything the parser treats apart. */
const PIECES = [
  "",
  "a",
  "b.html",
  "post-2.html",
  "images/p1.png",
  ".",
  "..",
  "./",
  "../",
  "/",
  "//",
  "?",
  "#",
  "?q=1",
  "?page=2&n=3",
  "#top",
  "x:y",
  "mailto:x",
  "http:",
  "http://other.org/z",
  "%2e",
  "%2E%2e",
  ".%2e",
  "%41",
  "%zz",
  "\\",
  " ",
  "\t",
  "\n",
  "a b",
  "'",
  '"',
  "<",
  ">",
  "`",
  "{",
  "}",
  "^",
  "|",
  "[",
  "]",
  "é",
  "\u00a0",
  "~",
  "@",
  ";",
  "=",
  "&amp;",
  "!",
  "$",
  "(",
  ")",
  "*",
  "+",
  ",",
  "-",
  "_",
  ".hidden",
  "..x",
  "x..",
  "C:",
  "c|",
  "\x01",
  "\x7f",
  "?'",
  "?%2F",
  "?a/b?c",
  "/..",
  "/.",
];

/** A small deterministic generator (xorshift), so a failure names the same case every run. */
function* combinations(count: number): Generator<string> {
  let x = 2463534242;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(next() * 5);
    let raw = "";
    for (let j = 0; j < n; j++) {
      raw += PIECES[Math.floor(next() * PIECES.length)]!;
      if (next() < 0.4) raw += "/";
    }
    yield raw;
  }
}

Deno.test("resolveLinkFast() equals new URL(raw, base) without the fragment, over many shapes", () => {
  const raws = [
    ...PIECES,
    ...PIECES.flatMap((a) => PIECES.map((b) => a + b)),
    ...PIECES.flatMap((a) => PIECES.map((b) => `${a}/${b}`)),
    ...combinations(40_000),
    // Every ASCII character, and a few beyond, in a path, a query and a first segment.
    ...[...Array(128).keys(), 0xa0, 0xe9, 0x2028, 0xfeff].flatMap((code) => {
      const c = String.fromCharCode(code);
      return [`a${c}b`, `?a${c}b`, `${c}`, `/${c}/..`, `x/${c}${c}/../y`, `.${c}`, `${c}.`];
    }),
  ];
  let fast = 0;
  for (const base of BASES) {
    for (const raw of raws) {
      const got = resolveLinkFast(raw, base);
      if (got === undefined) continue;
      fast++;
      assert.equal(got, slow(raw, base), `${JSON.stringify(raw)} against ${base}`);
    }
  }
  // The fast path is taken, not only declined.
  assert.ok(fast > 50_000, `only ${fast} resolved by hand`);
});

Deno.test("resolveLinkFast() takes the shapes of an ordinary site's links", () => {
  const base = "http://127.0.0.1:8080/blog/post-1.html";
  const common: [string, string][] = [
    ["post-2.html", "http://127.0.0.1:8080/blog/post-2.html"],
    ["./", "http://127.0.0.1:8080/blog/"],
    ["images/p1.png", "http://127.0.0.1:8080/blog/images/p1.png"],
    ["../index.html", "http://127.0.0.1:8080/index.html"],
    ["/blog/drafts/d1.html", "http://127.0.0.1:8080/blog/drafts/d1.html"],
    ["?page=2", "http://127.0.0.1:8080/blog/post-1.html?page=2"],
    ["#top", "http://127.0.0.1:8080/blog/post-1.html"],
    ["tags/t1.html#x", "http://127.0.0.1:8080/blog/tags/t1.html"],
    ["search.html?q=a%2Fb&n=1", "http://127.0.0.1:8080/blog/search.html?q=a%2Fb&n=1"],
  ];
  for (const [raw, expected] of common) assert.equal(resolveLinkFast(raw, base), expected, raw);
  // rustdoc's links up a deep directory, past the root too, with dot segments after them.
  const deep = "http://127.0.0.1:8080/rust/alloc/vec/struct.Vec.html";
  for (
    const raw of [
      "../../core/marker/trait.Sized.html",
      "../../../../../../x.html",
      "./.././../a/./b/../c.html",
      "../..",
      "../../",
      "../.hidden/../x",
      ".././",
    ]
  ) {
    assert.equal(resolveLinkFast(raw, deep), slow(raw, deep), raw);
  }
  // Left to the parser: a scheme, another host, escapes in a path, a backslash, a space.
  for (const raw of ["http://h/", "mailto:x", "//h/x", "a%20b", "a\\b", "a b", "é"]) {
    assert.equal(resolveLinkFast(raw, base), undefined, raw);
  }
});

Deno.test("escapeStrayPercents() writes a % that starts no escape as %25, as GNU wget", () => {
  assert.equal(escapeStrayPercents("50%.html"), "50%25.html");
  assert.equal(escapeStrayPercents("{% if x %}"), "{%25 if x %25}");
  assert.equal(escapeStrayPercents("a%zz%4"), "a%25zz%254");
  assert.equal(escapeStrayPercents("caf%C3%a9%25.html"), "caf%C3%a9%25.html");
  assert.equal(escapeStrayPercents("plain.html"), "plain.html");
});
