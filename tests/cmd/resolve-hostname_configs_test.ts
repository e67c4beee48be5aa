/**
 * `resolve-hostname` beside glibc 2.36 on configurations the other comparisons leave out: the
 * syntax and actions of nsswitch.conf's `hosts:` line (the last one wins, `[SUCCESS=continue]`,
 * blanks inside brackets, a line glibc cannot parse, how a failing DNS source counts), a missing
 * hosts file, `::1` in the hosts file asked for IPv4, hosts-file names DNS could not carry,
 * search domains glibc trims or skips, `sortlist`, `HOSTALIASES`, the spelling of an answer's
 * owner, a repeated record, which source `--ahosts` takes both families from; and, as a guard,
 * search lists and options where the two already agree. As root, in a mount namespace with the
 * test's resolv.conf, hosts and nsswitch.conf over `/etc`, against a DNS server of the test's own
 * on port 53 of a loopback address. The oracle is `getent ahostsv4` (getaddrinfo's IPv4 path asks
 * the same sources as gethostbyname), `getent hosts` (gethostbyname2, gethostbyaddr) and
 * `getent ahosts`. Ignored, with the reason, where namespaces or getent cannot be had.
 */

import assert from "node:assert/strict";
import { decodeDnsMessage, DNS_RCODE, DNS_TYPE } from "../../lib/dns/message.ts";
import { answerTo, startDnsServerAt } from "../harness/dns_peers.ts";
import { loopbackAddress } from "../harness/loopback_address.ts";
import { tempDir } from "../harness/peers.ts";
import { ROOT } from "../harness/run.ts";
import {
  ahostsSideBySide,
  type EtcFiles,
  etcNamespaceUnavailable,
  resolveHostnameCommand,
  runWithEtcFiles,
  runWithEtcFilesAbsent,
} from "../harness/etc_namespace.ts";

const IGNORE = etcNamespaceUnavailable(["getent"]);
const IGNORED = IGNORE ? ` (ignored: ${IGNORE})` : "";

/** A loopback address of its own for this file's DNS server (tests/harness/loopback_address.ts). */
const SERVER = loopbackAddress();

/**
 * What the server answers, by the name asked (A questions only have addresses): `sf.test`
 * SERVFAIL, `rf.test` REFUSED, `silent.test` nothing, `dns.test` and `both.test` an address,
 * `myhost.corp.test` and `myhost` (asked as it is) one each, `up.test` one under the owner
 * `UP.Test`, `many.test` four in four networks, `dup.test` one twice, `six.test` an IPv6 one
 * only, `x.y` and `x.y.corp.test` one each; anything else NXDOMAIN.
 */
function answer(wire: Uint8Array): Uint8Array | undefined {
  const query = decodeDnsMessage(wire);
  const question = query.questions[0];
  if (!question) return undefined;
  const name = question.name.toLowerCase();
  if (name === "silent.test") return undefined;
  if (name === "sf.test") return answerTo(query, { rcode: DNS_RCODE.SERVFAIL });
  if (name === "rf.test") return answerTo(query, { rcode: DNS_RCODE.REFUSED });
  const addresses: Record<string, [string, ...string[]]> = {
    "dns.test": ["dns.test", "10.8.0.1"],
    "both.test": ["both.test", "10.8.0.2"],
    "myhost.corp.test": ["myhost.corp.test", "10.8.0.3"],
    "myhost": ["myhost", "10.8.0.4"],
    "up.test": ["UP.Test", "10.8.0.5"],
    "many.test": ["many.test", "192.168.8.1", "10.8.0.6", "172.16.8.1", "10.8.0.7"],
    "dup.test": ["dup.test", "10.8.0.8", "10.8.0.9", "10.8.0.8"],
    "x.y": ["x.y", "10.8.0.10"],
    "x.y.corp.test": ["x.y.corp.test", "10.8.0.11"],
  };
  if (name === "six.test") {
    return answerTo(query, {
      answers: question.type === DNS_TYPE.AAAA
        ? [{ name: "six.test", type: DNS_TYPE.AAAA, class: 1, ttl: 60, data: "fd00::8:1" }]
        : [],
    });
  }
  const found = addresses[name];
  if (found === undefined) {
    return answerTo(query, { rcode: DNS_RCODE.NXDOMAIN, authoritative: true });
  }
  const [owner, ...data] = found;
  return answerTo(query, {
    answers: question.type === DNS_TYPE.A
      ? data.map((address) => ({ name: owner, type: DNS_TYPE.A, class: 1, ttl: 60, data: address }))
      : [],
  });
}

const HOSTS = "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n" +
  "10.8.1.1 files.test\n10.8.1.2 both.test\n10.8.1.3 sf.test rf.test silent.test\n";

function etc(nsswitch: string, resolvConf = `nameserver ${SERVER}\n`, hosts = HOSTS): EtcFiles {
  return {
    "resolv.conf": `${resolvConf}options timeout:1 attempts:1\n`,
    hosts,
    "nsswitch.conf": nsswitch,
  };
}

/** What getent ahostsv4 gives: its canonical name and addresses (one per STREAM line). */
async function glibcLookup(dir: string, files: EtcFiles, name: string) {
  const run = await runWithEtcFiles(dir, files, ["getent", "ahostsv4", name]);
  const lines = run.stdout.split("\n").filter((line) => / STREAM /.test(line));
  return {
    officialName: lines[0]?.split(/\s+/)[2],
    addresses: lines.map((line) => line.split(/\s+/)[0] ?? ""),
  };
}

/** What resolve-hostname --json gives for one name. */
async function netkitLookup(dir: string, files: EtcFiles, name: string) {
  const run = await runWithEtcFiles(dir, files, resolveHostnameCommand("--json", name));
  const json = JSON.parse(run.stdout.trim() || "{}") as {
    officialName?: string;
    addresses?: string[];
  };
  return { officialName: json.officialName, addresses: json.addresses ?? [] };
}

/** What, nsswitch.conf, name, and the addresses getent must give (a broken namespace cannot agree). */
const NSSWITCH_CASES: [string, string, string, string[]][] = [
  ["the last hosts: line wins (dns)", "hosts: files\nhosts: dns\n", "both.test", ["10.8.0.2"]],
  ["the last hosts: line wins (files)", "hosts: dns\nhosts: files\n", "both.test", ["10.8.1.2"]],
  [
    "[SUCCESS=continue]: the next source's answer counts",
    "hosts: files [SUCCESS=continue] dns\n",
    "both.test",
    ["10.8.0.2"],
  ],
  [
    "[SUCCESS=continue]: the next source's failure counts",
    "hosts: files [SUCCESS=continue] dns\n",
    "files.test",
    [],
  ],
  ["blanks inside brackets", "hosts: dns [ NOTFOUND = return ] files\n", "files.test", []],
  ["a service name is case-sensitive", "hosts: Files\n", "files.test", []],
  ["an empty hosts: line names no source", "hosts:\n", "files.test", []],
  [
    "an action before any source ends the list",
    "hosts: [NOTFOUND=return] files\n",
    "files.test",
    [],
  ],
  [
    "an unknown action: the file is not used",
    "hosts: dns [NOTFOUND=bogus] files\n",
    "files.test",
    [],
  ],
  [
    "a bracket left open: the file is not used",
    "hosts: dns [NOTFOUND=return files\n",
    "files.test",
    [],
  ],
  [
    "'! ' is no negation: the file is not used",
    "hosts: dns [! UNAVAIL=return] files\n",
    "files.test",
    [],
  ],
  [
    "a bad line of another database: the file is not used",
    "passwd: files [bogus]\nhosts: files dns\n",
    "files.test",
    [],
  ],
  ["a CR ends a comment", "hosts: dns #x\rfiles\n", "files.test", ["10.8.1.1"]],
  ["a line of an unknown database is ignored", "foo: files [bogus]\nhosts: files\n", "files.test", [
    "10.8.1.1",
  ]],
  ["SERVFAIL is UNAVAIL: [UNAVAIL=return]", "hosts: dns [UNAVAIL=return] files\n", "sf.test", []],
  ["SERVFAIL is not TRYAGAIN", "hosts: dns [TRYAGAIN=return] files\n", "sf.test", ["10.8.1.3"]],
  ["REFUSED is UNAVAIL", "hosts: dns [UNAVAIL=return] files\n", "rf.test", []],
  ["REFUSED is not TRYAGAIN", "hosts: dns [TRYAGAIN=return] files\n", "rf.test", ["10.8.1.3"]],
  ["a time-out is UNAVAIL", "hosts: dns [UNAVAIL=return] files\n", "silent.test", []],
  ["a time-out is not TRYAGAIN", "hosts: dns [TRYAGAIN=return] files\n", "silent.test", [
    "10.8.1.3",
  ]],
];

Deno.test({
  name: `resolve-hostname reads nsswitch.conf's hosts: line as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    for (const [what, nsswitch, name, expected] of NSSWITCH_CASES) {
      await t.step(what, async () => {
        const files = etc(nsswitch);
        const glibc = await glibcLookup(dir.path, files, name);
        assert.deepEqual(glibc.addresses, expected, "getent itself");
        const ours = await netkitLookup(dir.path, files, name);
        assert.deepEqual(ours.addresses, glibc.addresses);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname reads a hosts-file line of ::1 as 127.0.0.1 for IPv4, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const hostsFiles = [HOSTS, "::1 ip6-localhost\n127.0.0.1 localhost\n"];
    for (const [i, hosts] of hostsFiles.entries()) {
      const files = etc("hosts: files\n", "nameserver 127.0.0.1\n", hosts);
      for (const name of ["localhost", "ip6-localhost", "ip6-loopback"]) {
        await t.step(`${name} (hosts file ${i + 1})`, async () => {
          const glibc = await glibcLookup(dir.path, files, name);
          const ours = await netkitLookup(dir.path, files, name);
          if (glibc.addresses.length === 0) return; // not in that file
          assert.deepEqual(ours, glibc);
        });
      }
      await t.step(`-x 127.0.0.1 (hosts file ${i + 1})`, async () => {
        const glibc = await runWithEtcFiles(dir.path, files, ["getent", "hosts", "127.0.0.1"]);
        const glibcNames = (glibc.stdout.split("\n")[0] ?? "").trim().split(/\s+/).slice(1);
        assert.notDeepEqual(glibcNames, [], "getent itself");
        const ours = await runWithEtcFiles(
          dir.path,
          files,
          resolveHostnameCommand("--json", "-x", "127.0.0.1"),
        );
        assert.deepEqual(JSON.parse(ours.stdout).names, glibcNames);
      });
      // getaddrinfo with both families reads each line in its own family.
      await t.step(`--ahosts localhost (hosts file ${i + 1})`, async () => {
        const { glibc, netkit } = await ahostsSideBySide(dir.path, files, "localhost");
        assert.equal(netkit, glibc);
      });
    }
  },
});

Deno.test({
  name:
    `resolve-hostname names a DNS answer as asked, not as its owner is spelt, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    const files = etc("hosts: files dns\n");
    const glibc = await glibcLookup(dir.path, files, "up.test");
    assert.deepEqual(glibc, { officialName: "up.test", addresses: ["10.8.0.5"] }, "getent itself");
    assert.deepEqual(await netkitLookup(dir.path, files, "up.test"), glibc);
    const { glibc: ahosts, netkit } = await ahostsSideBySide(dir.path, files, "up.test");
    assert.equal(netkit, ahosts);
  },
});

/** What, resolv.conf's search lines, LOCALDOMAIN (or none), and the addresses getent must give. */
const SEARCH_CASES: [string, string, string | undefined, string[]][] = [
  ["a search domain's leading dot is dropped", "search .corp.test\n", undefined, ["10.8.0.3"]],
  ["so is a domain line's", "domain .corp.test\n", undefined, ["10.8.0.3"]],
  ["and LOCALDOMAIN's", "", ".corp.test", ["10.8.0.3"]],
  [
    "a domain with an empty label ends the search list; the name is asked as it is",
    "search bad..test corp.test\n",
    undefined,
    ["10.8.0.4"],
  ],
  ["so does one with two final dots", "search corp.test.. corp.test\n", undefined, ["10.8.0.4"]],
  ["so does '..'", "search .. corp.test\n", undefined, ["10.8.0.4"]],
  [
    "so does one with a label over 63 bytes",
    `search ${"l".repeat(64)}.test corp.test\n`,
    undefined,
    ["10.8.0.4"],
  ],
];

Deno.test({
  name: `resolve-hostname skips and trims search domains as glibc's res_search${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    for (const [what, search, localDomain, expected] of SEARCH_CASES) {
      await t.step(what, async () => {
        const files = etc("hosts: files dns\n", `nameserver ${SERVER}\n${search}`);
        const env: Record<string, string> = localDomain === undefined
          ? {}
          : { LOCALDOMAIN: localDomain };
        const glibc = await runWithEtcFiles(dir.path, files, ["getent", "ahostsv4", "myhost"], env);
        const addresses = glibc.stdout.split("\n").filter((line) => / STREAM /.test(line))
          .map((line) => line.split(/\s+/)[0]);
        assert.deepEqual(addresses, expected, "getent itself");
        const ours = await runWithEtcFiles(
          dir.path,
          files,
          resolveHostnameCommand("--json", "myhost"),
          env,
        );
        assert.deepEqual(JSON.parse(ours.stdout).addresses, expected, ours.stdout);
      });
    }
  },
});

/**
 * `hosts:` lines with sources glibc cannot load (no module: `resolve`; one without hosts
 * functions: `systemd`) after or between loadable ones, and the addresses `getent hosts NAME`
 * (gethostbyname2, then gethostbyname) and `getent ahostsv4` (getaddrinfo) must give.
 */
const UNLOADABLE_CASES: [string, string, string[], string[]][] = [
  // gethostbyname never asks them: DNS's answer, passed on, counts; getaddrinfo counts the
  // last one UNAVAIL, and fails.
  ["hosts: dns [SUCCESS=continue] resolve\n", "dns.test", ["10.8.0.1"], []],
  ["hosts: dns [SUCCESS=continue] systemd FILES\n", "dns.test", ["10.8.0.1"], []],
  // ...and stops at one whose UNAVAIL action is return, where the answer before it counts.
  ["hosts: files [SUCCESS=continue] resolve [UNAVAIL=return] dns\n", "both.test", [
    "10.8.1.2",
  ], []],
  // Passed over, with a loadable source after it, by both.
  ["hosts: resolve files\n", "files.test", ["10.8.1.1"], ["10.8.1.1"]],
];

Deno.test({
  name: `resolve-hostname passes over hosts: sources glibc cannot load as gethostbyname${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    for (const [nsswitch, name, byName, byAddrinfo] of UNLOADABLE_CASES) {
      await t.step(`${nsswitch.trim()}: ${name}`, async () => {
        const files = etc(nsswitch);
        const glibc = await runWithEtcFiles(dir.path, files, ["getent", "hosts", name]);
        assert.deepEqual(addressColumn(glibc.stdout), byName, "getent itself");
        assert.deepEqual((await netkitLookup(dir.path, files, name)).addresses, byName);
        assert.deepEqual((await glibcLookup(dir.path, files, name)).addresses, byAddrinfo);
        const ahostsv4 = await runWithEtcFiles(dir.path, files, [
          Deno.execPath(),
          "eval",
          `import { lookupAddresses } from "${ROOT}/lib/dns/resolver.ts";` +
          `const found = await lookupAddresses("${name}", { family: 4 }).catch(() => undefined);` +
          `console.log((found?.addresses ?? []).map((a) => a.address).join("\\n"));`,
        ]);
        assert.deepEqual(ahostsv4.stdout.trim().split("\n").filter((a) => a !== ""), byAddrinfo);
      });
    }
    // gethostbyaddr walks them as gethostbyname does.
    const files = etc("hosts: files [SUCCESS=continue] resolve\n");
    const glibc = await runWithEtcFiles(dir.path, files, ["getent", "hosts", "10.8.1.1"]);
    assert.match(glibc.stdout, /files\.test/, "getent itself");
    const ours = await runWithEtcFiles(
      dir.path,
      files,
      resolveHostnameCommand("--json", "-x", "10.8.1.1"),
    );
    assert.match(ours.stdout, /"files\.test"/);
  },
});

/** The address column of getent's lines (of its STREAM lines for ahosts). */
function addressColumn(stdout: string): string[] {
  return stdout.split("\n").filter((line) => line !== "" && !/ (DGRAM|RAW) /.test(line))
    .map((line) => line.split(/\s+/)[0] ?? "");
}

Deno.test({
  name:
    `resolve-hostname orders DNS addresses by resolv.conf's sortlist as gethostbyname${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    const sortlists = [
      "sortlist 172.16.0.0/255.240.0.0 10.0.0.0\n", // a netmask, then a class A network
      "sortlist 172.16.0.0&255.240.0.0\nsortlist 10.8.0.7/255.255.255.255\n", // two lines add up
      "sortlist 10.8.0.7/255.255.255.255;172.16.0.0/255.240.0.0\n", // ';' ends the list
      "sortlist 172.16.8.1/255.255.0.0 10.8.0.6\n", // an address with host bits never matches
    ];
    for (const sortlist of sortlists) {
      await t.step(sortlist.trim(), async () => {
        const files = etc("hosts: dns\n", `nameserver ${SERVER}\n${sortlist}`);
        // getent hosts: gethostbyname2, IPv6 first (no data here), then IPv4.
        const glibc = await runWithEtcFiles(dir.path, files, ["getent", "hosts", "many.test"]);
        assert.equal(addressColumn(glibc.stdout).length, 4, "getent itself");
        assert.deepEqual(
          (await netkitLookup(dir.path, files, "many.test")).addresses,
          addressColumn(glibc.stdout),
        );
        // getaddrinfo for both families does not sort by it...
        const ahosts = await ahostsSideBySide(dir.path, files, "many.test");
        assert.equal(ahosts.netkit, ahosts.glibc);
        // ...but for IPv4 alone it does (gethostbyname3_r underneath): lookupAddresses with
        // family 4, which wget -4 and createClientSocket use.
        const ahostsv4 = await runWithEtcFiles(dir.path, files, [
          "getent",
          "ahostsv4",
          "many.test",
        ]);
        const family4 = await runWithEtcFiles(dir.path, files, [
          Deno.execPath(),
          "eval",
          `import { lookupAddresses } from "${ROOT}/lib/dns/resolver.ts";` +
          `const found = await lookupAddresses("many.test", { family: 4 });` +
          `console.log(found.addresses.map((a) => a.address).join("\\n"));`,
        ]);
        assert.deepEqual(family4.stdout.trim().split("\n"), addressColumn(ahostsv4.stdout));
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname keeps an A record the answer repeats, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    const files = etc("hosts: dns\n");
    const glibc = await runWithEtcFiles(dir.path, files, ["getent", "ahostsv4", "dup.test"]);
    assert.deepEqual(addressColumn(glibc.stdout), ["10.8.0.8", "10.8.0.9", "10.8.0.8"]);
    assert.deepEqual(
      (await netkitLookup(dir.path, files, "dup.test")).addresses,
      addressColumn(glibc.stdout),
    );
    const ahosts = await ahostsSideBySide(dir.path, files, "dup.test");
    assert.equal(ahosts.netkit, ahosts.glibc);
  },
});

Deno.test({
  name:
    `resolve-hostname --ahosts names a hosts-file name by its first line, either family${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    for (
      const hosts of [
        "10.8.4.1 a.test mixed\nfd00::84 b.test mixed\n",
        "fd00::84 b.test mixed\n10.8.4.1 a.test mixed\n",
      ]
    ) {
      await t.step(JSON.stringify(hosts), async () => {
        const files = etc("hosts: files\n", "nameserver 127.0.0.1\n", hosts);
        const { glibc, netkit } = await ahostsSideBySide(dir.path, files, "mixed");
        assert.notEqual(glibc, "", "getent itself");
        assert.equal(netkit, glibc);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname asks DNS for a HOSTALIASES alias of a single label, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    const aliases = `${dir.path}/aliases`;
    await Deno.writeTextFile(
      aliases,
      "# a comment line is no alias\n\nother\tdns.test\nSHORT  myhost.corp.test  trailing words\n" +
        "files files.test\nlonely\nsingle myhost\nchain single\ndotted x.y\nfinal x.y.\n",
    );
    const files = etc(
      "hosts: files dns\n",
      `nameserver ${SERVER}\nsearch corp.test\noptions ndots:2\n`,
    );
    const env = { HOSTALIASES: aliases };
    // short: the alias; other: case and blanks as glibc reads them; files: the hosts file is
    // asked for the name itself; short.: a final dot is no single label; myhost: no alias, the
    // search list. Found by tests/cmd/resolve-hostname_random_test.ts (seed 517): the alias goes
    // through the search list (single: myhost.corp.test, dotted: x.y.corp.test), but as it is
    // with a final dot (final) or when it has an alias of its own (chain: myhost).
    const names = ["short", "Short", "other", "files", "short.", "myhost", "lonely"];
    for (const name of [...names, "single", "chain", "dotted", "final"]) {
      await t.step(name, async () => {
        const glibc = await runWithEtcFiles(dir.path, files, ["getent", "ahostsv4", name], env);
        const ours = await runWithEtcFiles(
          dir.path,
          files,
          resolveHostnameCommand("--json", name),
          env,
        );
        const json = JSON.parse(ours.stdout);
        assert.deepEqual(json.addresses ?? [], addressColumn(glibc.stdout));
        if (json.addresses) assert.equal(json.officialName, glibc.stdout.split(/\s+/)[2]);
      });
    }
  },
});

Deno.test({
  name:
    `resolve-hostname --ahosts takes both families from the first source with either, as getaddrinfo${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    // DNS has six.test in IPv6 only and dns.test in IPv4 only; the hosts file the other family.
    const hosts = "10.8.1.4 six.test\nfd00::8:2 dns.test\n";
    for (const nsswitch of ["hosts: dns files\n", "hosts: files dns\n"]) {
      for (const name of ["six.test", "dns.test"]) {
        await t.step(`${nsswitch.trim()}: ${name}`, async () => {
          const files = etc(nsswitch, `nameserver ${SERVER}\n`, hosts);
          const { glibc, netkit } = await ahostsSideBySide(dir.path, files, name);
          assert.equal(addressColumn(glibc).length, 1, "getent itself");
          assert.equal(netkit, glibc);
        });
      }
    }
  },
});

Deno.test({
  name:
    `resolve-hostname --ahosts under no-aaaa passes the A question's failure on to nsswitch.conf for both families, as getaddrinfo${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    // Found by tests/cmd/resolve-hostname_random_test.ts (seeds 5982, 6101): under no-aaaa
    // getaddrinfo asks A alone, and its one lookup of both families is UNAVAIL when the A
    // question's servers failed (REFUSED, nothing listening), so the hosts file is asked after
    // `[NOTFOUND=return]` and gives its IPv6 line; netkit's IPv6 half, which asked nothing, said
    // NOTFOUND and ended the lookup with nothing. An A question answered NXDOMAIN still ends it.
    const hosts = "fd00::8:3 rf.test dead.test nx.test\n";
    const dead = loopbackAddress();
    for (
      const [name, resolvConf] of <[string, string][]> [
        ["rf.test", `nameserver ${SERVER}\noptions no-aaaa\n`],
        ["dead.test", `nameserver ${dead}\noptions no-aaaa\n`],
        ["nx.test", `nameserver ${SERVER}\noptions no-aaaa\n`],
        ["rf.test", `nameserver ${SERVER}\n`],
      ]
    ) {
      await t.step(`${resolvConf.replaceAll("\n", "; ")}${name}`, async () => {
        const files = etc("hosts: dns [NOTFOUND=return] files\n", resolvConf, hosts);
        const { glibc, netkit } = await ahostsSideBySide(dir.path, files, name);
        assert.equal(addressColumn(glibc).length, name === "nx.test" ? 0 : 1, "getent itself");
        assert.equal(netkit, glibc);
      });
    }
  },
});

Deno.test({
  name:
    `resolve-hostname --ahosts reads a hosts-file line in its own family after DNS, as getaddrinfo${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    // Found by tests/cmd/resolve-hostname_random_test.ts (seed 2): a `::1` or IPv4-mapped line
    // is IPv6 only for getaddrinfo, whether the file comes first or after a source that found
    // nothing (it also answered 127.0.0.1 and 10.8.6.1 there); the lines in file order, which
    // RFC 6724 keeps for an IPv4 and an IPv4-mapped address (it listed IPv6 first).
    const hosts = "127.0.0.1 localhost\n::1 lo6.test\n::ffff:10.8.6.1 mapped.test\n" +
      "10.8.6.2 mixed.test\n::ffff:10.8.6.3 mixed.test\n";
    for (const nsswitch of ["hosts: dns files\n", "hosts: files dns\n"]) {
      for (const name of ["lo6.test", "mapped.test", "mixed.test"]) {
        await t.step(`${nsswitch.trim()}: ${name}`, async () => {
          const files = etc(nsswitch, `nameserver ${SERVER}\n`, hosts);
          const { glibc, netkit } = await ahostsSideBySide(dir.path, files, name);
          assert.notEqual(glibc, "", "getent itself");
          assert.equal(netkit, glibc);
        });
      }
    }
  },
});

Deno.test({
  name: `resolve-hostname finds a hosts-file name DNS could not carry, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    // glibc's files source compares any text; only its DNS source refuses what is no host name.
    const hosts = "10.8.5.1 odd.test a*b trail- x\\y\n";
    const files = etc("hosts: files dns\n", `nameserver ${SERVER}\n`, hosts);
    for (const name of ["a*b", "trail-", "x\\y", "A*B", "nope*"]) {
      await t.step(name, async () => {
        const glibc = await glibcLookup(dir.path, files, name);
        assert.deepEqual(glibc.addresses, name === "nope*" ? [] : ["10.8.5.1"], "getent itself");
        assert.deepEqual(await netkitLookup(dir.path, files, name), glibc);
        const { glibc: ahosts, netkit } = await ahostsSideBySide(dir.path, files, name);
        assert.equal(netkit, ahosts);
      });
    }
    await t.step("a name not in the file is still said to be no host name", async () => {
      const run = await runWithEtcFiles(dir.path, files, resolveHostnameCommand("nope*"));
      assert.equal(run.code, 1);
      assert.match(run.stderr, /It is not a valid host name/);
    });
  },
});

Deno.test({
  name: `resolve-hostname takes a missing hosts file for an unavailable source, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    const cases: [string, string[]][] = [
      ["hosts: files [UNAVAIL=return] dns\n", []],
      ["hosts: files [NOTFOUND=return] dns\n", ["10.8.0.1"]],
    ];
    for (const [nsswitch, expected] of cases) {
      await t.step(nsswitch.trim(), async () => {
        const files = {
          "resolv.conf": `nameserver ${SERVER}\noptions timeout:1 attempts:1\n`,
          "nsswitch.conf": nsswitch,
        };
        const glibc = await runWithEtcFilesAbsent(dir.path, files, ["hosts"], [
          "getent",
          "ahostsv4",
          "dns.test",
        ]);
        assert.deepEqual(addressColumn(glibc.stdout), expected, "getent itself");
        const ours = await runWithEtcFilesAbsent(
          dir.path,
          files,
          ["hosts"],
          resolveHostnameCommand("--json", "dns.test"),
        );
        assert.deepEqual(JSON.parse(ours.stdout).addresses ?? [], expected, ours.stdout);
        const ahosts = await runWithEtcFilesAbsent(dir.path, files, ["hosts"], [
          "getent",
          "ahosts",
          "dns.test",
        ]);
        const oursAhosts = await runWithEtcFilesAbsent(
          dir.path,
          files,
          ["hosts"],
          resolveHostnameCommand("--ahosts", "dns.test"),
        );
        assert.equal(oursAhosts.stdout, ahosts.stdout);
      });
    }
  },
});

/** resolv.conf text (and environment), name, and what getent gives: configurations that agree. */
const AGREEING_CASES: [string, string, Record<string, string>, string, string[]][] = [
  ["the last search line wins", "search nx.test\nsearch corp.test\n", {}, "myhost", ["10.8.0.3"]],
  [
    "seven search domains, the last answering",
    "search a.test b.test c.test d.test e.test f.test corp.test\n",
    {},
    "myhost",
    ["10.8.0.3"],
  ],
  [
    "ndots:0 asks a single label as it is first",
    "search corp.test\noptions ndots:0\n",
    {},
    "myhost",
    ["10.8.0.4"],
  ],
  ["ndots:16 is ndots:15", "search corp.test\noptions ndots:16\n", {}, "x.y", ["10.8.0.11"]],
  [
    "options on two lines add up",
    "search corp.test\noptions ndots:2\noptions timeout:1\n",
    {},
    "x.y",
    ["10.8.0.11"],
  ],
  [
    "a name with ndots dots is asked as it is first",
    "search corp.test\noptions ndots:1\n",
    {},
    "x.y",
    ["10.8.0.10"],
  ],
  [
    "RES_OPTIONS over the file",
    "search corp.test\noptions ndots:2\n",
    { RES_OPTIONS: "ndots:1" },
    "x.y",
    ["10.8.0.10"],
  ],
  [
    "LOCALDOMAIN with several domains, blanks and tabs",
    "search nx.test\n",
    { LOCALDOMAIN: "a.test\t corp.test" },
    "myhost",
    ["10.8.0.3"],
  ],
  [
    "';' and '#' are search domains like any other",
    "search nx.test ; # corp.test\n",
    {},
    "myhost",
    ["10.8.0.3"],
  ],
  ["a final dot is no search", "search corp.test\noptions ndots:2\n", {}, "x.y.", ["10.8.0.10"]],
  [
    "unknown options are ignored",
    "search corp.test\noptions bogus ndots:2 edns0 trust-ad\n",
    {},
    "x.y",
    ["10.8.0.11"],
  ],
];

Deno.test({
  name: `resolve-hostname agrees with glibc on resolv.conf's search lists and options${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    for (const [what, resolvConf, env, name, expected] of AGREEING_CASES) {
      await t.step(what, async () => {
        const files = etc("hosts: files dns\n", `nameserver ${SERVER}\n${resolvConf}`);
        const glibc = await runWithEtcFiles(dir.path, files, ["getent", "ahostsv4", name], env);
        assert.deepEqual(addressColumn(glibc.stdout), expected, "getent itself");
        const ours = await runWithEtcFiles(
          dir.path,
          files,
          resolveHostnameCommand("--json", name),
          env,
        );
        assert.deepEqual(JSON.parse(ours.stdout).addresses, expected, ours.stdout);
      });
    }
  },
});
