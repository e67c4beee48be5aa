import assert from "node:assert/strict";
import {
  findHostByAddress,
  findHostByName,
  type HostsEntry,
  keptHostsFile,
  parseHostsFile,
} from "../../../lib/dns/hosts_file.ts";
import {
  entriesNaming,
  entriesWithAddress,
  hostsText,
  keptHostsText,
  readHostsText,
} from "../../../lib/dns/_hosts_text.ts";
import { resolveAddress, resolveHost } from "../../../lib/dns/resolver.ts";
import { tempDir } from "../../harness/peers.ts";
import { seededRandom } from "../../harness/seeded_random.ts";

/** Every answer the resolver takes from a hosts file, from the lines found and from all lines. */
function assertSameAnswers(text: string, names: string[], addresses: string[]): void {
  const all = parseHostsFile(text);
  const hosts = hostsText(text);
  for (const name of names) {
    for (const family of [4, 6] as const) {
      for (const ipv6AsIpv4 of [true, false]) {
        assert.deepEqual(
          findHostByName(entriesNaming(hosts, name), name, family, { ipv6AsIpv4 }),
          findHostByName(all, name, family, { ipv6AsIpv4 }),
          `${JSON.stringify(name)} ${family} ${ipv6AsIpv4} in ${JSON.stringify(text)}`,
        );
      }
    }
    // lookupAddresses' lines: each read in its own family.
    const own = (entries: HostsEntry[]) =>
      entries.filter((e) => findHostByName([e], name, e.family, { ipv6AsIpv4: false }));
    assert.deepEqual(own(entriesNaming(hosts, name)), own(all), JSON.stringify({ text, name }));
  }
  for (const address of addresses) {
    assert.deepEqual(
      findHostByAddress(entriesWithAddress(hosts, address), address),
      findHostByAddress(all, address),
      `${address} in ${JSON.stringify(text)}`,
    );
  }
}

const ADDRESSES = ["10.0.0.1", "127.0.0.1", "::1", "::ffff:10.0.0.1", "fd00::1", "0.0.0.0", "::"];

Deno.test("entriesNaming() finds the lines a whole-file parse matches: edge lines", () => {
  const text = [
    "# blocklist",
    "0.0.0.0 first.test",
    "10.0.0.1 a.test a # a.test again in a comment",
    "#10.0.0.9 a.test",
    "10.0.0.2 x#a.test",
    "10.0.0.3 A.TEST\r",
    "10.0.0.4\tb.test\va.test\fc.test",
    "  10.0.0.5 aa.test a.testa xa.test",
    "::ffff:10.0.0.1 mapped.test a.test",
    "0::1 localhost ip6-localhost",
    "FD00:0::1 six.test a.test",
    "10.0.0.6 trail.test.",
    "10.0.0.7 " + "alias.test ".repeat(5_000) + "a.test",
    "x".repeat(100_000),
    "01.2.3.4 bad.test a.test",
    "10.0.0.8",
    "0.0.0.0 last.test",
  ].join("\n");
  const names = [
    "a.test",
    "A.Test",
    "a",
    "b.test",
    "c.test",
    "first.test",
    "last.test",
    "localhost",
    "ip6-localhost",
    "trail.test",
    "trail.test.",
    "alias.test",
    "mapped.test",
    "aa.test",
    "missing.test",
    "",
    "a b",
    "a#",
    "x",
  ];
  assertSameAnswers(text, names, ADDRESSES);
  assertSameAnswers(text + "\n", names, ADDRESSES);
  // Names and lines where lower-casing is not plain ASCII: a Kelvin sign is a "k", a final sigma
  // is lower-cased in its place, and a dotted capital I (two characters in lower case) has
  // every line parsed.
  const unicode = "10.0.0.1 \u212Aey.test ΑΣ ΑΣ.b\n10.0.0.2 key.test ας ασ.b\n";
  const unicodeNames = ["key.test", "KEY.TEST", "ας", "ασ", "ΑΣ", "ασ.b", "ας.b", "σ"];
  assertSameAnswers(unicode, unicodeNames, ADDRESSES);
  assertSameAnswers("10.0.0.3 İ.test\n" + unicode, [...unicodeNames, "i̇.test", "İ.test"], []);
  const dotted = hostsText("10.0.0.3 İ.test\n");
  assert.equal(entriesNaming(dotted, "x").length, 0); // an ASCII name: searched in the text
  assert.equal(dotted.lower, undefined);
  assert.equal(entriesNaming(dotted, "\u03c3").length, 1); // another: every line
  assert.equal(dotted.lower, null);
});

Deno.test("entriesNaming() parses only the lines that may name it, once per name", () => {
  const text = "0.0.0.0 ads.test\n".repeat(1_000) + "10.0.0.1 web.test # web.test\n";
  const hosts = hostsText(text);
  const entries = entriesNaming(hosts, "WEB.TEST");
  assert.deepEqual(entries, [{ address: "10.0.0.1", family: 4, names: ["web.test"] }]);
  assert.equal(entriesNaming(hosts, "web.test"), entries); // kept
  assert.equal(hosts.all, undefined); // no whole-file parse
  assert.equal(entriesWithAddress(hosts, "10.0.0.1").length, 1);
  assert.equal(entriesWithAddress(hosts, "0.0.0.0").length, 1_000);
  assert.throws(() => entriesWithAddress(hosts, "web.test"), SyntaxError);
  // A blocklist of `:: NAME` lines: its IPv6 spelling is read once, and its lines are no
  // candidates for another address.
  const six = hostsText("::1 localhost\n" + ":: ads.test\n".repeat(1_000) + "::FFFF:10.0.0.1 m\n");
  assert.deepEqual(entriesWithAddress(six, "127.0.0.1").map((e) => e.address), ["::1"]);
  assert.deepEqual(entriesWithAddress(six, "10.0.0.1").map((e) => e.address), ["::ffff:10.0.0.1"]);
  assert.equal(entriesWithAddress(six, "fd00::1").length, 0);
  assert.equal(entriesWithAddress(six, "0::0").length, 1_000);
});

Deno.test("entriesNaming() and entriesWithAddress() match a whole-file parse on seeded random files", () => {
  const random = seededRandom(16);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const addresses = [
    ...ADDRESSES,
    "0::1",
    "0:0:0:0:0:0:0:1",
    "::FFFF:10.0.0.1",
    "::ffff:a00:1",
    "::ffff:7f00:1",
    "fe80::1%lo",
    "FD00::1",
    "01.2.3.4",
    "1.2.3",
    "garbage",
    "10.0.0.1#x",
    "a.test",
  ];
  const names = [
    "a",
    "a.test",
    "A.Test",
    "b.test",
    "localhost",
    "trail.test.",
    "trail.test",
    "σ",
    "Σ",
    "ΑΣ",
    "ας",
    "ΑΣ.b",
    "\u212A",
    "k",
    "ß",
    "ẞ",
    "x#y",
    "10.0.0.1",
    "::1",
    "aa.test",
    "a.testa",
    "Ä.TEST",
    "a:b",
    "\0",
    "a\0b.test", // a NUL ends the line, as for glibc's C strings
    "a.b",
    "axb",
    "a+b",
    "(a)",
    "[a]",
    "a\\b",
    "^a$",
    "a|b",
    "a?",
    "{1}",
    "\u212Ak",
  ];
  const blanks = [" ", "\t", "\v", "\f", "\r", "  "];
  const cased = (text: string) => {
    const r = random();
    if (r < 0.6) return text;
    if (r < 0.75) return text.toUpperCase();
    return [...text].map((c) => random() < 0.5 ? c.toUpperCase() : c).join("");
  };
  const line = () => {
    const r = random();
    if (r < 0.04) return "";
    if (r < 0.08) return `#${pick(addresses)} ${pick(names)}`;
    let text = (random() < 0.1 ? pick(blanks) : "") + cased(pick(addresses));
    for (let n = Math.floor(random() * 5); n > 0; n--) {
      text += pick(blanks) + (random() < 0.01 ? "İ" : cased(pick(names)));
      if (random() < 0.04) text += `#${pick(names)}`;
    }
    if (random() < 0.1) text += `${pick(blanks)}# ${pick(names)}`;
    if (random() < 0.1) text += "\r";
    return text;
  };
  for (let file = 0; file < 3_000; file++) {
    const lines = Array.from({ length: Math.floor(random() * 12) }, line);
    const text = lines.join("\n") + (random() < 0.5 ? "\n" : "");
    const asked = Array.from(
      { length: 4 },
      () => random() < 0.1 ? pick(["", "a b", "a#", "a\n"]) : cased(pick(names)),
    );
    assertSameAnswers(text, asked, [pick(ADDRESSES), pick(ADDRESSES)]);
  }
});

Deno.test("resolveHost() and resolveAddress() answer from a large hosts file as from its parse", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/hosts`;
  const lines = ["127.0.0.1 localhost first.test", "::1 localhost ip6-localhost"];
  for (let i = 0; i < 20_000; i++) lines.push(`0.0.0.0 ads${i}.example`);
  lines.push("10.0.0.1 Last.Test alias.test", "#10.0.0.2 last.test", "10.0.0.3 last.test\r");
  const text = lines.join("\n") + "\n";
  await Deno.writeTextFile(path, text);
  const all = parseHostsFile(text);
  const options = { hostsFile: path, nsswitchConf: false as const, nameServer: "127.0.0.1:1" };
  for (const name of ["localhost", "first.test", "last.test", "ALIAS.test", "ads19999.example"]) {
    const entry = await resolveHost(name, options);
    const match = findHostByName(all, name, 4);
    assert.deepEqual(
      { officialName: entry.officialName, aliases: entry.aliases, addresses: entry.addresses },
      match,
    );
  }
  assert.deepEqual(await resolveAddress("10.0.0.3", options), ["last.test"]);
  assert.deepEqual(await resolveAddress("127.0.0.1", options), ["localhost", "first.test"]);
  // The resolver's copy is kept with the file, and read again when it changes.
  const kept = keptHostsText(path);
  assert.ok(kept !== undefined);
  assert.equal(await readHostsText(path), kept);
  await Deno.writeTextFile(path, "10.0.0.9 last.test\n", { append: true });
  assert.equal(keptHostsText(path), undefined);
  assert.deepEqual((await resolveHost("last.test", options)).addresses, [
    "10.0.0.1",
    "10.0.0.3",
    "10.0.0.9",
  ]);
});

Deno.test("resolveHost() parses a small hosts file whole and searches a large one, as it grows and shrinks", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/hosts`;
  const options = { hostsFile: path, nsswitchConf: false as const, nameServer: "127.0.0.1:1" };
  const small = "127.0.0.1 localhost\n10.0.0.1 web.test\n";
  await Deno.writeTextFile(path, small);
  assert.deepEqual((await resolveHost("WEB.test", options)).addresses, ["10.0.0.1"]);
  assert.ok(keptHostsFile(path) !== undefined); // parsed whole, as ever
  assert.equal(keptHostsText(path), undefined);
  // Over 16 KiB: searched.
  const large = small + "0.0.0.0 ads.example\n".repeat(1_000) + "10.0.0.2 web.test\n";
  await Deno.writeTextFile(path, large);
  assert.deepEqual((await resolveHost("web.test", options)).addresses, ["10.0.0.1", "10.0.0.2"]);
  assert.ok(keptHostsText(path) !== undefined);
  assert.deepEqual(await resolveAddress("10.0.0.2", options), ["web.test"]);
  await Deno.writeTextFile(path, "10.0.0.3 web.test\n");
  assert.deepEqual((await resolveHost("web.test", options)).addresses, ["10.0.0.3"]);
  assert.equal(keptHostsText(path), undefined);
});
