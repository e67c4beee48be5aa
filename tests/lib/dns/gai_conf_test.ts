import assert from "node:assert/strict";
import { DEFAULT_GAI_CONFIG, parseGaiConf, readGaiConf } from "../../../lib/dns/gai_conf.ts";
import { sortAddresses } from "../../../lib/dns/address_order.ts";

const HOST = ["127.0.0.1/8", "::1/128", "192.0.2.2/24", "fd00::2/64", "fe80::1/64"];

const rows = (text: string, table: "labels" | "precedences") =>
  parseGaiConf(text)[table].map((row) => `${row.bits}=${row.value}`);

Deno.test("parseGaiConf() replaces a whole table by the file's lines, ::/0 added", () => {
  const config = parseGaiConf("precedence ::ffff:0:0/96 100\n");
  assert.equal(config.labels, DEFAULT_GAI_CONFIG.labels);
  assert.equal(config.scopesV4, DEFAULT_GAI_CONFIG.scopesV4);
  assert.deepEqual(rows("precedence ::ffff:0:0/96 100\n", "precedences"), ["96=100", "0=40"]);
  assert.deepEqual(rows("label ::1/128 3\n", "labels"), ["128=3", "0=1"]);
  // A ::/0 line of the file's own: nothing added.
  assert.deepEqual(rows("label ::/0 9\nlabel ::1/128 3\n", "labels"), ["128=3", "0=9"]);
  // Longest first; of equal lengths the earlier line.
  assert.deepEqual(rows("label 2001::/16 1\nlabel ::1/128 2\nlabel 2002::/16 3\n", "labels"), [
    "128=2",
    "16=1",
    "16=3",
    "0=1",
  ]);
});

Deno.test("parseGaiConf() skips what glibc 2.36 skips and reads what its strtoul reads", () => {
  const cases: [string, string[]][] = [
    ["# precedence ::ffff:0:0/96 100", []],
    ["precedence ::ffff:0:0/96 100 # prefer IPv4", ["96=100", "0=40"]],
    ["  precedence\t::1/128\t7 extra words", ["128=7", "0=40"]],
    ["precedence ::1 7", []], // no /BITS: glibc reads an uninitialised pointer, drops the line
    ["precedence ::1/129 7", []],
    ["precedence ::1/12/8 7", []],
    ["precedence 1.2.3.4/32 7", []],
    ["precedence ::1/128 2147483648", []],
    ["precedence ::1/128 -1", []],
    ["precedence ::1/128 0x10", []],
    ["Precedence ::1/128 7", []],
    ["precedence ::1/+128 -0", ["128=0", "0=40"]],
    ["precedence ::1/128", ["128=0", "0=40"]], // no value: strtoul("") is 0
    ["precedence ::1/ 60", ["0=60"]], // an empty length is 0 bits
    ["precedence ::1/0128 07", ["128=7", "0=40"]],
  ];
  for (const [text, expected] of cases) {
    const defaults = DEFAULT_GAI_CONFIG.precedences.map((row) => `${row.bits}=${row.value}`);
    assert.deepEqual(rows(text, "precedences"), expected.length ? expected : defaults, text);
  }
});

Deno.test("parseGaiConf() reads scopev4 lines in both forms, replacing 127/8 and 169.254/16", () => {
  const scopes = (text: string) =>
    parseGaiConf(text).scopesV4.map((row) =>
      `${row.address.toString(16)}/${row.bits}=${row.scope}`
    );
  assert.deepEqual(scopes("scopev4 ::ffff:169.254.0.0/112 2"), ["a9fe0000/16=2", "0/0=14"]);
  assert.deepEqual(scopes("scopev4 10.1.2.3/8 5"), ["a000000/8=5", "0/0=14"]);
  assert.deepEqual(scopes("scopev4 0.0.0.0/0 3\nscopev4 ::ffff:10.0.0.0/104 5"), [
    "a000000/8=5",
    "0/0=3",
  ]);
  for (const junk of ["scopev4 10.0.0.0 5", "scopev4 ::ffff:10.0.0.0/95 5", "scopev4 fd00::/8 5"]) {
    assert.equal(parseGaiConf(junk).scopesV4, DEFAULT_GAI_CONFIG.scopesV4, junk);
  }
  // With a scopev4 line, 127/8 is no longer link-local: 127.0.0.1 to ::1 ties on scope no more.
  const policy = parseGaiConf("scopev4 ::ffff:169.254.0.0/112 2\nprecedence ::/0 40");
  assert.deepEqual(sortAddresses(["::1", "127.0.0.1"], HOST, { policy }), ["::1", "127.0.0.1"]);
  assert.deepEqual(sortAddresses(["127.0.0.1", "::1"], HOST, { policy }), ["::1", "127.0.0.1"]);
});

Deno.test("parseGaiConf() keeps the last reload line's word", () => {
  assert.equal(parseGaiConf("").reload, undefined);
  assert.equal(parseGaiConf("reload yes").reload, true);
  assert.equal(parseGaiConf("reload yes\nreload Yes").reload, false);
});

Deno.test("sortAddresses() follows a gai.conf preferring IPv4", () => {
  const policy = parseGaiConf("precedence ::ffff:0:0/96 100\n");
  assert.deepEqual(sortAddresses(["fd00::9", "::1", "192.0.2.7", "127.0.0.1"], HOST, { policy }), [
    "127.0.0.1",
    "192.0.2.7",
    "::1",
    "fd00::9",
  ]);
});

Deno.test("readGaiConf() reads a file once, and again on a change only after reload yes", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "label ::1/128 9\n");
    assert.equal(readGaiConf(path).labels[0]?.value, 9);
    await Deno.writeTextFile(path, "label ::1/128 8\nreload yes\n");
    await Deno.utime(path, 1, 1);
    assert.equal(readGaiConf(path).labels[0]?.value, 9);
    const other = await Deno.makeTempFile();
    try {
      await Deno.writeTextFile(other, "label ::1/128 8\nreload yes\n");
      assert.equal(readGaiConf(other).labels[0]?.value, 8);
      await Deno.writeTextFile(other, "label ::1/128 7\n");
      await Deno.utime(other, 2, 2);
      assert.equal(readGaiConf(other).labels[0]?.value, 7);
      // The flag stays with a file that has no reload line; gone: the defaults.
      await Deno.remove(other);
      assert.equal(readGaiConf(other), DEFAULT_GAI_CONFIG);
    } finally {
      await Deno.remove(other).catch(() => {});
    }
  } finally {
    await Deno.remove(path);
  }
  assert.equal(readGaiConf("/nonexistent/gai.conf"), DEFAULT_GAI_CONFIG);
});
