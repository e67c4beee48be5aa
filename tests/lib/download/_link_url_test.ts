import assert from "node:assert/strict";
import { parseLinkUrl, splitLinkUrl } from "../../../lib/download/_link_url.ts";
import { type DiskLayout, localPathForUrl } from "../../../lib/download/disk_layout.ts";
import { parseHttpUrl, searchOf, type UrlParts } from "../../../lib/http/url.ts";
import { seededRandom } from "../../harness/seeded_random.ts";

/** What a `URL` gives, by getter, for comparing. */
const FIELDS = [
  "href",
  "protocol",
  "host",
  "hostname",
  "port",
  "pathname",
  "search",
  "username",
  "password",
  "hash",
] as const;

const SCHEMES = ["http://", "https://", "HTTP://", "Https://", "ftp://", "http:/", "http:", ""];
const USERINFO = ["", "u@", "u:p@", ":@", "@", "u%40x:p@"];
const HOSTS = [
  "example.org",
  "127.0.0.1",
  "localhost",
  "a-b.c-d.example",
  "10.0.255.1",
  "h1",
  "EXAMPLE.org",
  "xn--nxasmq6b.com",
  "xn--a.com",
  "bücher.de",
  "0x7f.1",
  "1.2.3",
  "1.2.3.4.",
  "256.1.1.1",
  "01.2.3.4",
  "0",
  "1.2.3.0x4",
  "a.0x",
  "a.08",
  "1a.2b",
  "255.255.255.255",
  "0.0.0.0",
  "a..b",
  ".a",
  "a.",
  "-a-",
  "h%41st",
  "h%2Est",
  "[::1]",
  "[::FFFF:1.2.3.4]",
  "[2001:db8::1]",
  "",
  "a b",
  "a\\b",
  "a_b",
  "x".repeat(64) + ".org",
];
const PORTS = [
  "",
  ":8080",
  ":1",
  ":65535",
  ":80",
  ":443",
  ":0",
  ":",
  ":00",
  ":0080",
  ":1",
  ":65535",
  ":65536",
  ":99999",
  ":123456",
  ":8a",
];
const SEGMENTS = [
  "a",
  "b.html",
  "index.html",
  "caf%C3%A9",
  "",
  ".",
  "..",
  "%2e",
  "%2E%2e",
  ".%2e",
  "%2e.",
  "...",
  ".x",
  "x.",
  "%41",
  "%7E",
  "%7e",
  "%zz",
  "%",
  "%4",
  "\\",
  " ",
  "\t",
  "é",
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
  ";",
  "=",
  ":",
  "@",
  "~",
  "!",
  "$",
  "&",
  "(",
  ")",
  "*",
  "+",
  ",",
  "C:",
  "\x01",
  "\x7f",
  "\uF7E9",
];
const QUERIES = [
  "",
  "?",
  "?q=1",
  "?q=1&r=%2F",
  "?a=b:c@d/e",
  "?50%",
  "?a/b?c",
  "?'",
  "?%",
  "?%zz",
  '?"',
  "?<>",
  "? ",
  "?é",
  "?\\",
  "?^|`{}[]",
  "??",
  "?#",
];
const FRAGMENTS = ["", "#", "#top", "#a#b", "#é"];

function pick<T>(random: () => number, from: readonly T[]): T {
  return from[Math.floor(random() * from.length)]!;
}

/** A random URL text: each part a plain one most times (as a site's links), else any. */
function randomHref(random: () => number): string {
  // The plain ones lead each list.
  const part = <T>(from: readonly T[], plain: number) =>
    pick(random, random() < 0.7 ? from.slice(0, plain) : from);
  let path = "";
  const segments = Math.floor(random() * 5);
  for (let i = 0; i < segments; i++) {
    path += `/${part(SEGMENTS, 4)}`;
    if (random() < 0.3) path += part(SEGMENTS, 4);
  }
  if (random() < 0.3 || path === "") path += "/";
  if (random() < 0.05) path = path.replaceAll("/", "\\");
  return part(SCHEMES, 2) + part(USERINFO, 1) + part(HOSTS, 6) + part(PORTS, 4) + path +
    part(QUERIES, 6) + part(FRAGMENTS, 1);
}

/** Asserts that `split` (splitLinkUrl's parts of `href`) is what the parser gives, field by field. */
function assertSameAsParser(href: string, split: UrlParts): void {
  let parsed: URL;
  try {
    parsed = new URL(href);
  } catch {
    assert.fail(`${JSON.stringify(href)}: split, but the parser refuses it`);
  }
  for (const field of FIELDS) {
    assert.equal(split[field], parsed[field], `${JSON.stringify(href)}: ${field}`);
  }
  assert.equal(searchOf(split), searchOf(parsed), JSON.stringify(href));
  // What the walker makes of it: the request, and the file's name in each layout.
  assert.deepEqual(parseHttpUrl(split), parseHttpUrl(parsed), JSON.stringify(href));
  const layouts: DiskLayout[] = [
    {},
    { protocolDirectories: true, cutDirs: 1 },
    { restrict: { os: "windows", control: true, ascii: false } },
  ];
  for (const layout of layouts) {
    assert.equal(localPathForUrl(split, layout), localPathForUrl(parsed, layout), href);
  }
}

/** The seeds run by default; `NETKIT_LINK_URL_SEED` adds one. */
const SEEDS = [
  1,
  2,
  3,
  20261202,
  ...(Deno.env.get("NETKIT_LINK_URL_SEED") ? [Number(Deno.env.get("NETKIT_LINK_URL_SEED"))] : []),
];

Deno.test("splitLinkUrl() gives a URL's parts or nothing, on seeded hostile hrefs", () => {
  for (const seed of SEEDS) {
    const random = seededRandom(seed);
    let split = 0;
    let canonicalSplit = 0;
    for (let i = 0; i < 20_000; i++) {
      const text = randomHref(random);
      // As written: split only when the parser would give back the same text.
      const direct = splitLinkUrl(text);
      if (direct !== undefined) {
        split++;
        assertSameAsParser(text, direct);
      }
      // As the walker meets it: the parser's href without its fragment (links.ts's, resolveLinkFast's).
      let href: string;
      try {
        href = new URL(text).href;
      } catch {
        continue;
      }
      const hash = href.indexOf("#");
      const link = hash < 0 ? href : href.slice(0, hash);
      const canonical = splitLinkUrl(link);
      if (canonical !== undefined) {
        canonicalSplit++;
        assertSameAsParser(link, canonical);
      }
      // parseLinkUrl: the same parts either way, or the parser's error.
      const either = parseLinkUrl(link);
      for (const field of FIELDS) assert.equal(either[field], new URL(link)[field], link);
    }
    // The split is taken, not only declined.
    assert.ok(split > 1_000, `seed ${seed}: only ${split} texts split`);
    assert.ok(canonicalSplit > 3_000, `seed ${seed}: only ${canonicalSplit} hrefs split`);
  }
});

Deno.test("splitLinkUrl() takes an ordinary site's links and leaves the rest to the parser", () => {
  for (
    const href of [
      "http://127.0.0.1:8080/blog/post-2.html",
      "http://127.0.0.1:8080/blog/",
      "https://example.org/a/b.css?v=3",
      "http://example.org/search.html?",
      "http://example.org/caf%C3%A9.html",
      "http://example.org/.hidden/x..y/",
    ]
  ) {
    const split = splitLinkUrl(href);
    assert.ok(split, href);
    assertSameAsParser(href, split);
  }
  for (
    const href of [
      "http://u:p@example.org/",
      "http://[::1]:8080/",
      "http://example.org:80/",
      "http://EXAMPLE.org/",
      "http://xn--nxasmq6b.com/",
      "http://1.2.3/",
      "http://example.org/a/../b",
      "http://example.org/%2e/b",
      "http://example.org/a b",
      "http://example.org/a#f",
      "ftp://example.org/",
      "http://example.org",
    ]
  ) {
    assert.equal(splitLinkUrl(href), undefined, href);
  }
  assert.throws(() => parseLinkUrl("http://[::1/"), TypeError);
});
