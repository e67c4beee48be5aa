import { deepEqual, equal } from "node:assert/strict";
import {
  HstsStore,
  openHstsStore,
  parseStrictTransportSecurity,
  saveHstsStore,
} from "../../../lib/download/hsts.ts";
import { parseHttpUrl } from "../../../lib/http/url.ts";

const url = (text: string) => parseHttpUrl(text);

Deno.test("a store's bytes survive its reading and writing: not UTF-8, upper case past ASCII", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/.wget-hsts`;
    const encoder = new TextEncoder();
    // A host of bytes that are no UTF-8 (0xff, 0xe9) and one with an upper-case letter past
    // ASCII (C's c_tolower leaves it); both written back byte for byte.
    const odd = new Uint8Array([...encoder.encode("caf"), 0xe9, 0xff, ...encoder.encode(".test")]);
    const tab = encoder.encode("\t0\t0\t1700000000\t99999999999\n");
    const upper = encoder.encode("\u00c9T\u00c9.Test\t0\t1\t1700000000\t99999999999\n");
    await Deno.writeFile(path, new Uint8Array([...odd, ...tab, ...upper]));
    await Deno.utime(path, 1_000, 1_000);
    const { store } = openHstsStore(path, { now: () => 1_700_000_100n });
    equal(store?.size, 2);
    store!.record(url("https://example.com/"), "max-age=60");
    saveHstsStore(store!, path);
    const bytes = await Deno.readFile(path);
    const text = new TextDecoder("latin1").decode(bytes);
    const lines = text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
    equal(lines.length, 3);
    // The odd host's bytes as they were.
    const start = text.indexOf("\ncaf") + 1;
    deepEqual(bytes.subarray(start, start + odd.length), odd);
    // "ÉTÉ.Test" is "ÉtÉ.test" (UTF-8 bytes kept, ASCII letters lowered).
    equal(
      new TextDecoder().decode(bytes).includes("\u00c9t\u00c9.test\t0\t1\t1700000000\t99999999999"),
      true,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HstsStore: GNU 1.21.3's expiry, renewal within the second, and overflowing ages", () => {
  let now = 1_000n;
  const store = new HstsStore({ now: () => now });
  equal(store.record(url("https://a.example/"), "max-age=10"), "added");
  // Within the same second: nothing changes (GNU compares the seconds).
  equal(store.record(url("https://a.example/"), "max-age=99; includeSubDomains"), "updated");
  deepEqual(store.entries()[0], {
    host: "a.example",
    port: 0,
    includeSubdomains: false,
    created: 1_000n,
    maxAge: 10n,
  });
  equal(store.upgrade(url("http://a.example/x"))?.href, "https://a.example/x");
  now = 1_010n;
  equal(store.upgrade(url("http://a.example/x"))?.href, "https://a.example/x");
  now = 1_011n;
  equal(store.upgrade(url("http://a.example/x")), undefined);
  equal(store.size, 0);
  // An age past int64 is kept, and expired at once (created + age wraps, as GNU's).
  store.record(url("https://b.example/"), "max-age=99999999999999999999");
  equal(store.size, 1);
  equal(store.peek(url("http://b.example/")), undefined);
  // Negative ages are never kept.
  equal(store.record(url("https://c.example/"), "max-age=-1"), "ignored");
  equal(store.record(url("http://c.example/"), "max-age=100"), "ignored");
  equal(store.record(url("https://[::1]/"), "max-age=100"), "ignored");
  equal(store.record(url("https://c.example/"), "includeSubDomains"), "unparsable");
  equal(store.record(url("http://c.example/"), "includeSubDomains"), "unparsable");
});

Deno.test("parseStrictTransportSecurity() reads parameters as GNU's extract_param", () => {
  const table: [string, [bigint, boolean] | undefined][] = [
    ['max-age="100"; includeSubDomains', [100n, true]],
    ["max-age=40 junk; includesubdomains", [40n, true]],
    [";max-age=5", undefined],
    ["max-age", [0n, false]],
    ["foo bar; max-age=5", undefined],
    ['max-age="7', undefined],
    ['max-age="8"x; includeSubDomains', [8n, true]],
    ["includeSubDomains; max-age=8; foo bar", [8n, true]],
    ["max-age=+9", [9n, false]],
  ];
  for (const [header, expected] of table) {
    const parsed = parseStrictTransportSecurity(header);
    deepEqual(
      parsed && [parsed.maxAge, parsed.includeSubdomains],
      expected,
      header,
    );
  }
});

Deno.test("HstsStore's order: the file's lines, then hosts learned; renewed in place, removed gone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/.wget-hsts`;
    await Deno.writeTextFile(
      path,
      [
        "c.example\t0\t0\t100\t99999999999",
        "a.example\t0\t0\t100\t99999999999",
        "old.example\t0\t0\t100\t5",
        "b.example\t0\t0\t100\t99999999999",
        "",
      ].join("\n"),
    );
    await Deno.utime(path, 1_000, 1_000);
    const { store } = openHstsStore(path, { now: () => 1_700_000_000n });
    const hosts = () => store!.entries().map((entry) => entry.host);
    deepEqual(hosts(), ["c.example", "a.example", "old.example", "b.example"]);
    equal(store!.record(url("https://z.example/"), "max-age=60"), "added");
    equal(store!.record(url("https://a.example/"), "max-age=60"), "updated");
    equal(store!.upgrade(url("http://old.example/")), undefined);
    equal(store!.record(url("https://b.example/"), "max-age=0"), "updated");
    equal(store!.record(url("https://d.example/"), "max-age=60"), "added");
    deepEqual(hosts(), ["c.example", "a.example", "z.example", "d.example"]);
    equal(store!.entries()[1]!.created, 1_700_000_000n);
    // Another run's file meanwhile: its new hosts follow, a known one takes a newer entry in place.
    await Deno.writeTextFile(
      path,
      "e.example\t0\t0\t100\t99999999999\nc.example\t0\t1\t1800000000\t7\n",
    );
    await Deno.utime(path, 2_000, 2_000);
    saveHstsStore(store!, path);
    const lines = (await Deno.readTextFile(path)).split("\n");
    deepEqual(lines.slice(0, 3), [
      "# HSTS 1.0 Known Hosts database for GNU Wget.",
      "# Edit at your own risk.",
      "# <hostname>\t<port>\t<incl. subdomains>\t<created>\t<max-age>",
    ]);
    deepEqual(lines.slice(3), [
      "c.example\t0\t1\t1800000000\t7",
      "a.example\t0\t0\t1700000000\t60",
      "z.example\t0\t0\t1700000000\t60",
      "d.example\t0\t0\t1700000000\t60",
      "e.example\t0\t0\t100\t99999999999",
      "",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
