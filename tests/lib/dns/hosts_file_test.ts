import assert from "node:assert/strict";
import {
  findHostByAddress,
  findHostByName,
  MAX_HOSTS_FILE_BYTES,
  parseHostConf,
  parseHostsFile,
  readHostsFile,
  reorderByInterfaces,
  trimDomains,
} from "../../../lib/dns/hosts_file.ts";
import { tempDir } from "../../harness/peers.ts";

const SAMPLE = [
  "# The machine's names",
  "127.0.0.1\tlocalhost",
  "127.0.1.1   box.example   box   # this machine",
  "",
  "::1     localhost ip6-localhost ip6-loopback",
  "fe00::0 ip6-localnet",
  "10.0.0.1 web.test web\r",
  "   10.0.0.2\t\tweb.test   ",
  "2001:DB8:0:0::1 six.test",
].join("\n");

Deno.test("parseHostsFile() reads addresses, official names and aliases", () => {
  assert.deepEqual(parseHostsFile(SAMPLE), [
    { address: "127.0.0.1", family: 4, names: ["localhost"] },
    { address: "127.0.1.1", family: 4, names: ["box.example", "box"] },
    { address: "::1", family: 6, names: ["localhost", "ip6-localhost", "ip6-loopback"] },
    { address: "fe00::", family: 6, names: ["ip6-localnet"] },
    { address: "10.0.0.1", family: 4, names: ["web.test", "web"] },
    { address: "10.0.0.2", family: 4, names: ["web.test"] },
    { address: "2001:db8::1", family: 6, names: ["six.test"] },
  ]);
});

Deno.test("parseHostsFile() skips garbage lines and keeps going", () => {
  const garbage = [
    "not-an-address name",
    "10.0.0.1",
    "10.0.0.1#comment name",
    "#10.0.0.9 commented.test",
    "01.2.3.4 leading-zero.test",
    "1.2.3 short.test",
    "fe80::1%eth0 scoped.test",
    "\0\0\0\xff\xfe binary",
    "10.0.0.3 good.test",
    "x".repeat(100_000),
    "10.0.0.4 " + "long.test ".repeat(10_000),
  ].join("\n");
  const entries = parseHostsFile(garbage);
  // The address alone (also before a comment) is a line glibc reads (an empty name), kept
  // without names.
  assert.deepEqual(entries.map((e) => e.address), ["10.0.0.1", "10.0.0.1", "10.0.0.3", "10.0.0.4"]);
  assert.deepEqual(entries[0]?.names, []);
  assert.deepEqual(entries[1]?.names, []);
  assert.equal(entries[3]?.names.length, 10_000);
  assert.deepEqual(parseHostsFile(""), []);
  assert.deepEqual(parseHostsFile("\n\n#\n"), []);
});

Deno.test("parseHostsFile() never throws on seeded random input", () => {
  let seed = 11;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const alphabet = "0123456789abcdef.:# \t\n\rxyz%[]";
  for (let n = 0; n < 2000; n++) {
    let text = "";
    for (let i = Math.floor(next() * 200); i > 0; i--) {
      text += alphabet[Math.floor(next() * alphabet.length)];
    }
    for (const entry of parseHostsFile(text)) {
      assert.ok(entry.family === 4 || entry.family === 6);
    }
  }
});

Deno.test("findHostByName() takes the first line's name and every line's addresses", () => {
  const entries = parseHostsFile(SAMPLE);
  assert.deepEqual(findHostByName(entries, "WEB", 4)?.addresses, ["10.0.0.1"]);
  assert.deepEqual(findHostByName(entries, "Web.Test", 4), {
    officialName: "web.test",
    aliases: ["web"],
    addresses: ["10.0.0.1", "10.0.0.2"],
  });
  assert.deepEqual(findHostByName(entries, "localhost", 6)?.addresses, ["::1"]);
  assert.equal(findHostByName(entries, "six.test", 4), undefined);
  // As glibc's strcasecmp (checked with getent): a final dot matches only a final dot.
  assert.equal(findHostByName(entries, "six.test.", 6), undefined);
  const dotted = parseHostsFile("10.0.0.6 trail.test.\n::ffff:10.0.0.4 mapped.test\n");
  assert.equal(findHostByName(dotted, "trail.test.", 4)?.officialName, "trail.test.");
  assert.equal(findHostByName(dotted, "trail.test", 4), undefined);
  // An IPv4-mapped line answers IPv4 as IPv4 (glibc), and IPv6 as written.
  assert.deepEqual(findHostByName(dotted, "mapped.test", 4)?.addresses, ["10.0.0.4"]);
  assert.deepEqual(findHostByName(dotted, "mapped.test", 6)?.addresses, ["::ffff:10.0.0.4"]);
  assert.deepEqual(findHostByAddress(dotted, "10.0.0.4"), ["mapped.test"]);
  assert.equal(findHostByAddress(dotted, "::ffff:10.0.0.6"), undefined); // not the other way
  assert.equal(findHostByName(entries, "missing", 4), undefined);
});

Deno.test("findHostByName() reads a ::1 line as 127.0.0.1 for IPv4, as gethostbyname", () => {
  const entries = parseHostsFile("127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
  // Checked with getent ahostsv4 (glibc 2.36): the ::1 line's address and alias join in.
  assert.deepEqual(findHostByName(entries, "localhost", 4), {
    officialName: "localhost",
    aliases: ["ip6-localhost"],
    addresses: ["127.0.0.1", "127.0.0.1"],
  });
  assert.deepEqual(findHostByName(entries, "ip6-localhost", 4)?.addresses, ["127.0.0.1"]);
  // getaddrinfo for both families reads each line in its own.
  assert.deepEqual(
    findHostByName(entries, "localhost", 4, { ipv6AsIpv4: false })?.addresses,
    ["127.0.0.1"],
  );
  assert.deepEqual(findHostByName(entries, "ip6-localhost", 6)?.addresses, ["::1"]);
  // Any other IPv6 line is skipped for IPv4, and an IPv4 line for IPv6.
  const other = parseHostsFile("fd00::1 six.test\n10.0.0.1 four.test\n");
  assert.equal(findHostByName(other, "six.test", 4), undefined);
  assert.equal(findHostByName(other, "four.test", 6), undefined);
  // By address: the first line with 127.0.0.1, a ::1 line included.
  const first = parseHostsFile("::1 ip6-localhost\n127.0.0.1 localhost\n");
  assert.deepEqual(findHostByAddress(first, "127.0.0.1"), ["ip6-localhost"]);
  assert.deepEqual(findHostByAddress(first, "::1"), ["ip6-localhost"]);
});

Deno.test("findHostByAddress() compares addresses as bytes", () => {
  const entries = parseHostsFile(SAMPLE);
  assert.deepEqual(findHostByAddress(entries, "0:0::1"), [
    "localhost",
    "ip6-localhost",
    "ip6-loopback",
  ]);
  assert.deepEqual(findHostByAddress(entries, "10.0.0.1"), ["web.test", "web"]);
  assert.equal(findHostByAddress(entries, "10.0.0.99"), undefined);
  assert.throws(() => findHostByAddress(entries, "web.test"), SyntaxError);
});

Deno.test("readHostsFile() reads a file and refuses one too large to be a hosts file", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/hosts`;
  await Deno.writeTextFile(path, SAMPLE);
  assert.equal((await readHostsFile(path)).length, 7);
  await Deno.truncate(path, MAX_HOSTS_FILE_BYTES + 1); // sparse: no 16 MiB written
  await assert.rejects(readHostsFile(path), RangeError);
  await assert.rejects(readHostsFile(`${dir.path}/missing`), Deno.errors.NotFound);
});

Deno.test("findHostByAddress() finds a line with the address alone, without names, as glibc", () => {
  // glibc's files source parses `10.9.9.9` alone with an empty official name, and gethostbyaddr
  // takes it (getent hosts 10.9.9.9 prints the address and succeeds), asking no later source;
  // a name is never found on it.
  const entries = parseHostsFile("10.9.9.9\n10.9.9.8 # only a comment\n10.9.9.9 later.test\n");
  assert.deepEqual(findHostByAddress(entries, "10.9.9.9"), []);
  assert.deepEqual(findHostByAddress(entries, "10.9.9.8"), []);
  assert.equal(findHostByName(entries, "later.test", 4)?.officialName, "later.test");
  assert.equal(findHostByName(entries, "", 4), undefined);
});

Deno.test("findHostByName() under host.conf's multi off takes the first line only, as glibc", () => {
  const entries = parseHostsFile("fd00::1 m.test\n10.0.0.1 m.test\n10.0.0.2 x.test m.test\n");
  assert.deepEqual(findHostByName(entries, "m.test", 4, { multi: false }), {
    officialName: "m.test",
    aliases: [],
    addresses: ["10.0.0.1"],
  });
  assert.deepEqual(findHostByName(entries, "m.test", 4)?.aliases, ["m.test", "x.test"]);
  assert.deepEqual(findHostByName(entries, "m.test", 6, { multi: false })?.addresses, ["fd00::1"]);
});

Deno.test("parseHostConf() reads multi as glibc's res_hconf (checked with getent)", () => {
  const multi = (text: string, env?: string) => parseHostConf(text, { multi: env }).multi;
  assert.equal(multi("multi on\n"), true);
  assert.equal(multi("multi off\n"), false);
  assert.equal(multi(""), false); // no file: glibc's default
  assert.equal(multi("order hosts,bind\n"), false);
  assert.equal(multi("  MULTI On # comment\n"), true);
  assert.equal(multi("multi onx\n"), true); // garbage after "on": glibc warns, and takes it
  assert.equal(multi("multi\n"), false);
  assert.equal(multi("multi yes\n"), false);
  assert.equal(multi("multi on\nmulti yes\n"), true); // a bad argument leaves the flag
  assert.equal(multi("multi off\nmulti on\n"), true);
  assert.equal(multi("multi#on\n"), false);
  assert.equal(multi("multi,on\n"), false);
  assert.equal(multi("multi-x on\n"), false);
  assert.equal(multi("multi on\n", "off"), false); // RESOLV_MULTI after the file
  assert.equal(multi("", "ON"), true);
  assert.equal(multi("multi on\n", "maybe"), true);
});

Deno.test("parseHostConf() reads trim lists as glibc's res_hconf (checked with getent)", () => {
  const trim = (text: string, env: { addTrim?: string; overrideTrim?: string } = {}) =>
    parseHostConf(text, env).trim;
  assert.deepEqual(trim("trim .corp.test\n"), [".corp.test"]);
  assert.deepEqual(trim("trim .a.test, .b.test\t.c.test # x\n"), [".a.test", ".b.test", ".c.test"]);
  assert.deepEqual(trim("trim .a.test;.b.test\n"), [".a.test;.b.test"]); // only `,` ends a word
  assert.deepEqual(trim("trim .a.test ; .b.test\n"), [".a.test", ".b.test"]);
  assert.deepEqual(trim("trim .a.test,\n"), [".a.test"]); // a separator with nothing after it
  assert.deepEqual(trim("trim .a .b .c .d .e\ntrim .f\n"), [".a", ".b", ".c", ".d"]); // four
  assert.deepEqual(trim("trim\ntrim .corp.test\n"), ["", ".corp.test"]);
  assert.deepEqual(trim("trim .a.test\n", { addTrim: ".b.test" }), [".a.test", ".b.test"]);
  assert.deepEqual(trim("trim .a.test\n", { addTrim: ".b", overrideTrim: ".c" }), [".c"]);
});

Deno.test("trimDomains() cuts as glibc's gethostbyaddr (checked with getent)", () => {
  const names = ["m.corp.test", "a.corp.test", "b.other.test", "c.CORP.test"];
  assert.deepEqual(trimDomains(names, [".corp.test"]), ["m", "a", "b.other.test", "c"]);
  assert.deepEqual(trimDomains(names, ["corp.test"]), ["m.", "a.", "b.other.test", "c."]);
  assert.deepEqual(trimDomains(names, [".test", ".corp.test"]), [
    "m.corp",
    "a.corp",
    "b.other",
    "c.CORP",
  ]);
  // The empty domain (`trim` alone) ends every name: it is the first found, and cuts nothing.
  assert.deepEqual(trimDomains(names, ["", ".corp.test"]), names);
  assert.deepEqual(trimDomains(["corp.test"], ["corp.test"]), ["corp.test"]); // not longer
});

Deno.test("parseHostsFile() ends a line at a NUL, as glibc's files source (checked with getent)", () => {
  const entries = parseHostsFile("10.0.0.17 x\0nul.test\n10.0.0.18\0 y.test\n10.0.0.19 z.test\n");
  assert.deepEqual(entries.map((entry) => entry.names), [["x"], [], ["z.test"]]);
});

Deno.test("parseHostConf() reads reorder, and reorderByInterfaces() swaps as glibc (checked with getent)", () => {
  assert.equal(parseHostConf("").reorder, false);
  assert.equal(parseHostConf("REORDER On # x\n").reorder, true);
  assert.equal(parseHostConf("reorder on\n", { reorder: "off" }).reorder, false);
  const lo = { family: "IPv4", address: "127.0.0.1", netmask: "255.0.0.0" };
  const eth0 = { family: "IPv4", address: "192.0.2.2", netmask: "255.255.255.0" };
  const six = { family: "IPv6", address: "fd00::2", netmask: "ffff:ffff:ffff:ffff::" };
  // The first address of a network of the host trades places with the first address.
  assert.deepEqual(
    reorderByInterfaces(["10.0.0.1", "10.0.0.2", "192.0.2.50", "127.0.0.5"], [lo, eth0, six]),
    ["192.0.2.50", "10.0.0.2", "10.0.0.1", "127.0.0.5"],
  );
  assert.deepEqual(reorderByInterfaces(["127.0.0.6", "10.0.0.3"], [lo, eth0]), [
    "127.0.0.6",
    "10.0.0.3",
  ]);
  assert.deepEqual(reorderByInterfaces(["10.0.0.1", "10.0.0.2"], [lo, eth0]), [
    "10.0.0.1",
    "10.0.0.2",
  ]);
  assert.deepEqual(reorderByInterfaces(["10.0.0.1", "192.0.2.9"], []), ["10.0.0.1", "192.0.2.9"]);
});
