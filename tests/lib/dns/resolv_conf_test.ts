import assert from "node:assert/strict";
import { parseResolvConf, searchNames, sortBySortList } from "../../../lib/dns/resolv_conf.ts";

Deno.test("parseResolvConf() reads resolv.conf as glibc's res_init does", () => {
  const config = parseResolvConf(
    [
      "# comment",
      "; comment too",
      " nameserver 127.0.0.9", // indented: no setting, as for glibc (checked with getent)
      "Nameserver 127.0.0.9",
      "nameserver",
      "nameserver 127.2", // inet_aton's form, as glibc's __inet_aton_exact
      "nameserver not-an-address",
      "nameserver ::1",
      "nameserver 127.0.0.3",
      "nameserver 127.0.0.4",
      "domain first.test",
      "search corp.test. lab.test",
      "options ndots:20 timeout:99 attempts:9 rotate no-tld-query use-vc edns0",
    ].join("\n"),
  );
  assert.deepEqual(config.nameServers, ["127.0.0.2", "::1", "127.0.0.3"]);
  const scoped = parseResolvConf(
    "nameserver fe80::0:1%eth0\nnameserver 127.0.0.1%lo\nnameserver ::1%lo\nnameserver ::2%3\n",
  );
  // As glibc: a scope on IPv6 only, by name only for a link-local address, else by number.
  assert.deepEqual(scoped.nameServers, ["fe80::1%eth0", "::1", "::2%3"]);
  // A CRLF file: the CR stays in the word (glibc splits at spaces and tabs only).
  const crlf = parseResolvConf("nameserver 127.0.0.9\r\nsearch a.test\r\noptions ndots:2\r\n");
  assert.deepEqual(crlf.nameServers, ["127.0.0.1"]);
  assert.deepEqual(crlf.search, ["a.test\r"]);
  assert.equal(crlf.ndots, 2);
  // res_setoptions reads numbers with atoi and flags by their start.
  const sloppy = parseResolvConf(
    "options ndots:2junk timeout:x attempts:9x no_tld_query rotatex\n",
  );
  assert.equal(sloppy.ndots, 2);
  assert.equal(sloppy.attemptTimeoutMs, 1000);
  assert.equal(sloppy.attempts, 5);
  assert.equal(sloppy.noTldQuery, true);
  assert.equal(sloppy.rotate, true);
  assert.equal(parseResolvConf("options ndots:x\n").ndots, 0);
  const indented = parseResolvConf("nameserver 127.0.0.2\n\tsearch lab.test\nsearch\n");
  assert.deepEqual(indented.search, []);
  assert.deepEqual(config.search, ["corp.test", "lab.test"]);
  assert.equal(config.ndots, 15);
  assert.equal(config.attemptTimeoutMs, 30_000);
  assert.equal(config.attempts, 5);
  assert.equal(config.rotate, true);
  assert.equal(config.noTldQuery, true);
  assert.equal(config.useTcp, true);
  assert.equal(config.edns0, true);
  assert.equal(config.trustAd, false);
  assert.equal(parseResolvConf("options trust-ad edns0x\n").trustAd, true);
  assert.equal(parseResolvConf("options trust-ad edns0x\n").edns0, true);
});

Deno.test("parseResolvConf() defaults, LOCALDOMAIN, RES_OPTIONS and the host's own domain", () => {
  const empty = parseResolvConf("");
  assert.deepEqual(empty.nameServers, ["127.0.0.1"]);
  assert.deepEqual(empty.search, []);
  assert.equal(empty.ndots, 1);
  assert.equal(empty.attemptTimeoutMs, 5000);
  assert.equal(empty.attempts, 2);
  assert.deepEqual(parseResolvConf("", { hostName: "vm.corp.test" }).search, ["corp.test"]);
  assert.deepEqual(parseResolvConf("search a.test", { hostName: "vm.corp.test" }).search, [
    "a.test",
  ]);
  const env = parseResolvConf("search a.test\noptions ndots:3\n", {
    localDomain: "b.test c.test",
    resOptions: "ndots:0 timeout:2",
  });
  assert.deepEqual(env.search, ["b.test", "c.test"]);
  assert.equal(env.ndots, 0);
  assert.equal(env.attemptTimeoutMs, 2000);
  // atoi("x") is 0, as for glibc (checked with getent: the name is asked as it is first).
  const junk = parseResolvConf("options ndots:x timeout:-1");
  assert.equal(junk.ndots, 0);
  assert.equal(junk.attemptTimeoutMs, 1000);
});

Deno.test("searchNames() asks the root of the search list in its place", () => {
  const rooted = parseResolvConf("search a.test . b.test\n");
  assert.deepEqual(rooted.search, ["a.test", "", "b.test"]);
  assert.deepEqual(searchNames("x", rooted), ["x.a.test", "x", "x.b.test"]);
  // Asked as it is first, and again in the root's place (found by the random resolver test).
  assert.deepEqual(searchNames("x.y", rooted), ["x.y", "x.y.a.test", "x.y", "x.y.b.test"]);
  // LOCALDOMAIN set but empty: the name only as it is, as for glibc (checked with getent).
  const empty = parseResolvConf("search a.test\n", { localDomain: "" });
  assert.deepEqual(empty.search, [""]);
  assert.deepEqual(searchNames("x", empty), ["x"]);
  assert.deepEqual(parseResolvConf("", { localDomain: "c.test d.test\ne.test" }).search, [
    "c.test",
    "d.test",
  ]);
});

Deno.test("parseResolvConf() trims search domains as glibc's res_search (checked with getent)", () => {
  // One leading dot goes (`.` is the root), and one final dot after a label.
  assert.deepEqual(parseResolvConf("search .a.test b.test. . c.test\n").search, [
    "a.test",
    "b.test",
    "",
    "c.test",
  ]);
  assert.deepEqual(parseResolvConf("domain .a.test\n").search, ["a.test"]);
  assert.deepEqual(parseResolvConf("", { localDomain: ".a.test b.test." }).search, [
    "a.test",
    "b.test",
  ]);
  // What still cannot follow a name stays, so that its name cannot be sent and ends the list.
  const bad = parseResolvConf("search .. a..test b.test.. ..c.test\n");
  assert.deepEqual(bad.search, [".", "a..test", "b.test..", ".c.test"]);
  assert.deepEqual(searchNames("x", bad), ["x..", "x.a..test", "x.b.test..", "x..c.test", "x"]);
});

Deno.test("searchNames() orders names as glibc's res_search", () => {
  const two = parseResolvConf("search a.test b.test\noptions ndots:2\n");
  assert.deepEqual(searchNames("host", two), ["host.a.test", "host.b.test", "host"]);
  assert.deepEqual(searchNames("x.y", two), ["x.y.a.test", "x.y.b.test", "x.y"]);
  assert.deepEqual(searchNames("x.y.z", two), ["x.y.z", "x.y.z.a.test", "x.y.z.b.test"]);
  assert.deepEqual(searchNames("x.y.", two), ["x.y"]);
  const noTld = parseResolvConf("search a.test\noptions no-tld-query\n");
  assert.deepEqual(searchNames("host", noTld), ["host.a.test"]);
  assert.deepEqual(searchNames("host", parseResolvConf("")), ["host"]);
});

Deno.test("parseResolvConf() reads sortlist lines as glibc's res_init", () => {
  const { sortList } = parseResolvConf(
    [
      "sortlist 172.16.0.0/255.240.0.0 10.0.0.0 130.1.0.0 192.0.2.0 224.0.0.0",
      "sortlist 10.1.1.1&255.255.255.255 10.2/bad not-a-network ;10.3.0.0",
      "sortlist 127.1/8",
    ].join("\n"),
  );
  assert.deepEqual(sortList, [
    { network: "172.16.0.0", mask: "255.240.0.0" },
    // No mask: the class's, as glibc's net_mask.
    { network: "10.0.0.0", mask: "255.0.0.0" },
    { network: "130.1.0.0", mask: "255.255.0.0" },
    { network: "192.0.2.0", mask: "255.255.255.0" },
    { network: "224.0.0.0", mask: "255.255.255.0" },
    // Lines add up; `&` as `/`; a mask that is none is the class's; `;` ends the line.
    { network: "10.1.1.1", mask: "255.255.255.255" },
    { network: "10.0.0.2", mask: "255.0.0.0" },
    // inet_aton's forms, as glibc: `/8` is the mask 0.0.0.8.
    { network: "127.0.0.1", mask: "0.0.0.8" },
  ]);
  const many = parseResolvConf(
    `sortlist ${Array.from({ length: 12 }, (_, i) => `10.${i}.0.0`).join(" ")}`,
  );
  assert.equal(many.sortList.length, 10);
  assert.deepEqual(parseResolvConf("").sortList, []);
});

Deno.test("sortBySortList() orders as gethostbyname's addrsort", () => {
  const { sortList } = parseResolvConf("sortlist 10.0.0.0/255.0.0.0 192.168.1.0/255.255.255.0\n");
  assert.deepEqual(
    sortBySortList(["1.1.1.1", "192.168.1.9", "10.9.9.9", "2.2.2.2", "10.1.1.1"], sortList),
    ["10.9.9.9", "10.1.1.1", "192.168.1.9", "1.1.1.1", "2.2.2.2"],
  );
  // A network with bits outside its mask matches nothing, as in glibc.
  const hostBits = parseResolvConf("sortlist 10.0.0.1/255.0.0.0\n").sortList;
  assert.deepEqual(sortBySortList(["1.1.1.1", "10.0.0.1"], hostBits), ["1.1.1.1", "10.0.0.1"]);
  // Only the first 48 addresses are sorted (MAX_NR_ADDRS).
  const fifty = Array.from({ length: 50 }, (_, i) => `1.1.1.${i}`).concat("10.0.0.9");
  const sorted = sortBySortList(fifty, sortList);
  assert.equal(sorted[0], "1.1.1.0");
  assert.equal(sorted.at(-1), "10.0.0.9");
  assert.equal(sorted.length, 51);
});

Deno.test("parseResolvConf() reads option numbers as glibc's atoi (checked with getent)", () => {
  const ndots = (text: string, resOptions?: string) =>
    parseResolvConf(text, resOptions === undefined ? {} : { resOptions }).ndots;
  // atoi skips C's white space, past the end of the word: `ndots: 2` is 2, and so is a VT.
  assert.equal(ndots("options ndots: 2\n"), 2);
  assert.equal(ndots("options ndots:\u000b3\n"), 3);
  assert.equal(ndots("", "ndots:\n2"), 2);
  assert.equal(ndots("options ndots:+3\n"), 3);
  // (int) strtol: a long saturates, then the int keeps the low 32 bits.
  assert.equal(ndots("options ndots:4294967297\n"), 1);
  assert.equal(ndots("options ndots:2147483648\n"), 0); // INT_MIN, in 4 bits
  assert.equal(ndots("options ndots:99999999999999999999\n"), 15); // LONG_MAX: -1, in 4 bits
  assert.equal(ndots("options ndots:-99999999999999999999\n"), 0); // LONG_MIN: 0
  assert.equal(ndots("options ndots:99999999999\n"), 15);
  const wrapped = parseResolvConf("options timeout:4294967298 attempts:4294967299\n");
  assert.equal(wrapped.attemptTimeoutMs, 2000);
  assert.equal(wrapped.attempts, 3);
  // A word after a number's spaces is still read as an option of its own.
  assert.equal(parseResolvConf("options ndots: 2 rotate\n").rotate, true);
});

Deno.test("parseResolvConf() takes the host's domain as glibc's domain_from_hostname", () => {
  const search = (hostName: string) => parseResolvConf("", { hostName }).search;
  assert.deepEqual(search("www.example.com"), ["example.com"]);
  assert.deepEqual(search("example"), []);
  // Whatever follows the first dot, read as res_search reads a domain (checked with getent).
  assert.deepEqual(search("www.example.com."), ["example.com"]);
  assert.deepEqual(search(".example.com"), ["example.com"]);
  assert.deepEqual(search("www..example.com"), ["example.com"]);
  assert.deepEqual(search("www."), [""]);
  assert.deepEqual(searchNames("x.y", parseResolvConf("", { hostName: "www." })), ["x.y", "x.y"]);
});

Deno.test("parseResolvConf() ends a line at a NUL, as glibc's res_init (checked with getent)", () => {
  const config = parseResolvConf(
    "nameserver 192.0.2.9\0junk\nsearch a.test\0 b.test\noptions ndots:2\0 ndots:1\n",
  );
  assert.deepEqual(config.nameServers, ["192.0.2.9"]);
  assert.deepEqual(config.search, ["a.test"]);
  assert.equal(config.ndots, 2);
});
