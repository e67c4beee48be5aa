/**
 * `resolve-hostname` (and the resolution wget does through the same library) beside glibc
 * (getent; GNU wget for wget) where real configurations and real name servers differ from the
 * plain case: search lists whose domains are refused, failing or silent; resolv.conf's attempts,
 * rotate, no-aaaa, scoped and unspecified name servers, indented lines; every name server dead;
 * CNAME chains inside one answer, also through names that are no host names; reverse zones with
 * several PTR records or a bad one; -x through nsswitch.conf's order; address literals; hosts-file
 * lines glibc reads in its own way; systemd's myhostname source; AI_ADDRCONFIG on a host of one
 * family. As root, in a mount namespace with the
 * test's resolv.conf, hosts and nsswitch.conf over `/etc`, against a DNS server of the test's own
 * on port 53 of a loopback address (resolv.conf cannot name a port) that answers by the name's
 * suffix. Ignored, with the reason, where namespaces, getent or a peer cannot be had.
 */

import assert from "node:assert/strict";
import { decodeDnsMessage, DNS_RCODE, DNS_TYPE, type DnsRecord } from "../../lib/dns/message.ts";
import { answerTo, startDnsServerAt } from "../harness/dns_peers.ts";
import { bindFixedPort, loopbackAddresses } from "../harness/loopback_address.ts";
import { tempDir } from "../harness/peers.ts";
import { ROOT } from "../harness/run.ts";
import { myHostnameInstalled } from "../../lib/dns/_my_hostname.ts";
import {
  ahostsSideBySide,
  type EtcFiles,
  etcNamespaceCommand,
  etcNamespaceUnavailable,
  resolveHostnameCommand,
  runWithEtcFiles,
} from "../harness/etc_namespace.ts";

const IGNORE = etcNamespaceUnavailable(["getent"]);
const IGNORED = IGNORE ? ` (ignored: ${IGNORE})` : "";

/**
 * Loopback addresses of this file's own (tests/harness/loopback_address.ts): its DNS server's, a
 * second server's (options rotate), a TCP-only server's (options use-vc), and three where nothing
 * listens: dead name servers (ICMP port unreachable).
 */
const [SERVER, SECOND_SERVER, TCP_SERVER, ...DEAD] = loopbackAddresses(6) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

const A = (name: string, data: string): DnsRecord => ({
  name,
  type: DNS_TYPE.A,
  class: 1,
  ttl: 60,
  data,
});
const PTR = (name: string, data: string): DnsRecord => ({
  name,
  type: DNS_TYPE.PTR,
  class: 1,
  ttl: 60,
  data,
});

/** How many questions the server had for each name (lower case). */
const asked = new Map<string, number>();

/**
 * What the server answers, by the name asked: under `silent.test` nothing, under `sf.test`,
 * `rf.test`, `ni.test` SERVFAIL, REFUSED, NOTIMP; `myhost` asked as it is and `myhost.ok.test`
 * have different addresses, so the answer tells which name was asked; anything else NXDOMAIN.
 */
function answer(wire: Uint8Array, server: string): Uint8Array | undefined {
  const query = decodeDnsMessage(wire);
  const question = query.questions[0];
  if (!question) return undefined;
  const name = question.name.toLowerCase();
  // A name with a byte the codec shows escaped (a CR): NXDOMAIN on the query's own bytes, as a
  // real server echoes the question (re-encoding the decoded name would not give them back).
  if (name.includes("\\")) {
    const reply = wire.slice();
    reply[2] = (reply[2] ?? 0) | 0x80; // QR
    reply[3] = 0x80 | DNS_RCODE.NXDOMAIN; // RA, NXDOMAIN
    return reply;
  }
  const count = (asked.get(name) ?? 0) + 1;
  asked.set(name, count);
  if (name.endsWith("silent.test")) return undefined;
  // Which server answered.
  if (name.endsWith("which.test")) {
    return answerTo(query, {
      answers: question.type === DNS_TYPE.A ? [A(question.name, server)] : [],
    });
  }
  // A lossy path: the first three questions for a name are lost, the fourth is answered.
  if (name.endsWith("lossy.test")) {
    return count <= 3 ? undefined : answerTo(query, {
      answers: question.type === DNS_TYPE.A ? [A(question.name, "10.0.0.4")] : [],
    });
  }
  for (const [suffix, rcode] of [["sf.test", 2], ["rf.test", 5], ["ni.test", 4]] as const) {
    if (name.endsWith(suffix)) return answerTo(query, { rcode });
  }
  const addresses: Record<string, string> = {
    "myhost": "10.0.0.1",
    "myhost.ok.test": "10.0.0.2",
    "host.silent.test.ok.test": "10.0.0.3",
    "x.rf.test.ok.test": "10.0.0.5",
  };
  const address = addresses[name];
  if (address !== undefined) {
    return answerTo(query, {
      answers: question.type === DNS_TYPE.A ? [A(question.name, address)] : [],
    });
  }
  // A CNAME chain of N links in one answer, ending at 10.0.0.20.
  const chain = /^chain(\d+)\.test$/.exec(name);
  if (chain) {
    const links = Number(chain[1]);
    const records: DnsRecord[] = Array.from({ length: links }, (_, i) => ({
      name: i === 0 ? question.name : `link${i}.test`,
      type: DNS_TYPE.CNAME,
      class: 1,
      ttl: 60,
      data: `link${i + 1}.test`,
    }));
    if (question.type === DNS_TYPE.A) records.push(A(`link${links}.test`, "10.0.0.20"));
    return answerTo(query, { answers: records });
  }
  // CNAME targets that are no host names, which glibc follows without naming them (bug 12154):
  // `cnbad1.test` -> `has space.test` (10.0.0.21); `cnbad2.test` -> `ok1.test` -> `x;y.test` ->
  // `ok2.test` (10.0.0.22); `cnbad3.test` -> `-lead.test` (no address).
  const hostileChains: Record<string, [string[], string | undefined]> = {
    "cnbad1.test": [["has space.test"], "10.0.0.21"],
    "cnbad2.test": [["ok1.test", "x;y.test", "ok2.test"], "10.0.0.22"],
    "cnbad3.test": [["-lead.test"], undefined],
  };
  // A CNAME of another owner before the name's own address, which glibc follows all the same.
  if (name === "cnstray.test") {
    return answerTo(query, {
      answers: [
        { name: "other.test", type: DNS_TYPE.CNAME, class: 1, ttl: 60, data: "x.test" },
        ...(question.type === DNS_TYPE.A ? [A(question.name, "10.0.0.23")] : []),
      ],
    });
  }
  const hostile = hostileChains[name];
  if (hostile !== undefined) {
    const [targets, address] = hostile;
    const records: DnsRecord[] = targets.map((target, i) => ({
      name: i === 0 ? question.name : targets[i - 1]!,
      type: DNS_TYPE.CNAME,
      class: 1,
      ttl: 60,
      data: target,
    }));
    if (question.type === DNS_TYPE.A && address) records.push(A(targets.at(-1)!, address));
    return answerTo(query, { answers: records });
  }
  // Both families, and a name in two search domains with one family in each.
  const families: Record<string, { a?: string; aaaa?: string }> = {
    "both.ok.test": { a: "10.0.0.12", aaaa: "fd00::12" },
    "dual.a.test": { aaaa: "fd00::a" },
    "dual.b.test": { a: "10.0.0.11" },
  };
  const family = families[name] ?? (name.startsWith("xn--") ? { a: "10.0.0.9" } : undefined);
  if (family !== undefined) {
    const data = question.type === DNS_TYPE.A ? family.a : family.aaaa;
    return answerTo(query, {
      answers: data === undefined ? [] : [{ ...A(question.name, data), type: question.type }],
    });
  }
  const pointers: Record<string, string[]> = {
    "1.2.0.10.in-addr.arpa": ["one.test", "two.test", "three.test"],
    "2.2.0.10.in-addr.arpa": ["bad_name!.test", "good.test"],
    "3.2.0.10.in-addr.arpa": ["dnsonly.test"],
  };
  const names = pointers[name];
  if (names !== undefined && question.type === DNS_TYPE.PTR) {
    return answerTo(query, { answers: names.map((data) => PTR(question.name, data)) });
  }
  return answerTo(query, { rcode: DNS_RCODE.NXDOMAIN, authoritative: true });
}

/** The test's DNS server on port 53 of {@linkcode SERVER} (or another address), UDP and TCP. */
function startServer(address = SERVER): AsyncDisposable {
  return startDnsServerAt(address, 53, (wire) => answer(wire, address));
}

const HOSTS = "127.0.0.1 localhost\n::ffff:10.1.1.4 mapped.test\n10.1.1.6 trail.test.\n";

function files(resolvConf: string): EtcFiles {
  return { "resolv.conf": resolvConf, hosts: HOSTS, "nsswitch.conf": "hosts: files dns\n" };
}

/** getent ahostsv4's addresses, without repeats ([] when the name did not resolve). */
async function getentAddresses(dir: string, etc: EtcFiles, name: string): Promise<string[]> {
  const run = await runWithEtcFiles(dir, etc, ["getent", "ahostsv4", name]);
  return [...new Set(run.stdout.split("\n").filter((l) => l !== "").map((l) => l.split(/\s+/)[0]))]
    .filter((address): address is string => address !== undefined);
}

/** resolve-hostname --json's answer for one name. */
async function netkit(dir: string, etc: EtcFiles, ...args: string[]) {
  const run = await runWithEtcFiles(dir, etc, resolveHostnameCommand("--json", ...args));
  return {
    code: run.code,
    json: JSON.parse(run.stdout.trim() || "{}") as {
      officialName?: string;
      aliases?: string[];
      addresses?: string[];
      names?: string[];
      error?: { kind: string; message: string };
    },
  };
}

/** {@linkcode SERVER} in inet_aton's three-part form (`127.B.N`), which glibc reads. */
const SERVER_SHORT = SERVER.replace(/(\d+)\.(\d+)$/, (_, c, d) => `${Number(c) * 256 + Number(d)}`);

/** What, resolv.conf, name, and the addresses getent must give. */
const SEARCH_CASES: [string, string, string, string[]][] = [
  [
    "an indented search line is no setting",
    `nameserver ${SERVER}\n search ok.test\n`,
    "myhost",
    ["10.0.0.1"],
  ],
  [
    "options ndots:x is ndots:0 (atoi): the name is asked as it is first",
    `nameserver ${SERVER}\nsearch ok.test\noptions ndots:x\n`,
    "myhost",
    ["10.0.0.1"],
  ],
  [
    "options no_tld_query, the old spelling",
    `nameserver ${SERVER}\nsearch nx.test\noptions no_tld_query\n`,
    "myhost",
    [],
  ],
  [
    "search . (the root) asks the name in its place in the list",
    `nameserver ${SERVER}\nsearch nx.test . ok.test\n`,
    "myhost",
    ["10.0.0.1"],
  ],
  [
    "a CRLF file: the CR stays in the search domain (and the name server line is no address)",
    // timeout:30: an answer not matched to its question would show as a hang.
    `nameserver ${SERVER}\noptions timeout:30\nsearch ok.test\r\n`,
    "myhost",
    ["10.0.0.1"],
  ],
  [
    "a name server in inet_aton's short form",
    `nameserver ${SERVER_SHORT}\n`,
    "myhost.ok.test",
    ["10.0.0.2"],
  ],
  [
    "REFUSED on the first search domain ends the list; the name is then asked as it is",
    `nameserver ${SERVER}\nsearch rf.test ok.test\n`,
    "myhost",
    ["10.0.0.1"],
  ],
  [
    "NOTIMP on the first search domain ends the list as REFUSED does",
    `nameserver ${SERVER}\nsearch ni.test ok.test\n`,
    "myhost",
    ["10.0.0.1"],
  ],
  [
    "SERVFAIL on the first search domain goes on to the next",
    `nameserver ${SERVER}\nsearch sf.test ok.test\n`,
    "myhost",
    ["10.0.0.2"],
  ],
  [
    "NXDOMAIN, then SERVFAIL, then an answer",
    `nameserver ${SERVER}\nsearch nx.test sf.test ok.test\n`,
    "myhost",
    ["10.0.0.2"],
  ],
  [
    "a silent search domain ends the list; the name is then asked as it is",
    `nameserver ${SERVER}\nsearch silent.test ok.test\noptions timeout:1 attempts:1\n`,
    "myhost",
    ["10.0.0.1"],
  ],
  [
    "a name asked as it is first that times out still goes through the search list",
    `nameserver ${SERVER}\nsearch ok.test\noptions timeout:1 attempts:1\n`,
    "host.silent.test",
    ["10.0.0.3"],
  ],
  [
    "a name asked as it is first that is refused still goes through the search list",
    `nameserver ${SERVER}\nsearch ok.test\noptions ndots:1\n`,
    "myhost.rf.test",
    [],
  ],
];

Deno.test({
  name: `resolve-hostname reads resolv.conf and walks the search list as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startServer();
    await using dir = await tempDir();
    for (const [what, resolvConf, name, expected] of SEARCH_CASES) {
      await t.step(what, async () => {
        const etc = files(resolvConf);
        const glibc = await getentAddresses(dir.path, etc, name);
        assert.deepEqual(glibc, expected, "getent itself");
        const ours = await netkit(dir.path, etc, name);
        assert.deepEqual(ours.json.addresses ?? [], glibc, JSON.stringify(ours.json));
        assert.equal(ours.code, glibc.length > 0 ? 0 : 1);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname with LOCALDOMAIN set but empty asks a name only as it is${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using _server = startServer();
    await using dir = await tempDir();
    const etc = files(`nameserver ${SERVER}\nsearch ok.test\n`);
    const env = { LOCALDOMAIN: "" };
    const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "ahostsv4", "myhost"], env);
    assert.match(glibc.stdout, /^10\.0\.0\.1 +STREAM myhost\n/, "getent itself");
    const ours = await runWithEtcFiles(
      dir.path,
      etc,
      resolveHostnameCommand("--json", "myhost"),
      env,
    );
    assert.deepEqual(JSON.parse(ours.stdout).addresses, ["10.0.0.1"]);
  },
});

Deno.test({
  name: `resolve-hostname --ahosts lists both families as getent ahosts (getaddrinfo)${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startServer();
    await using dir = await tempDir();
    const cases: [string, string, string][] = [
      ["both families", `nameserver ${SERVER}\n`, "both.ok.test"],
      ["options no-aaaa asks no AAAA", `nameserver ${SERVER}\noptions no-aaaa\n`, "both.ok.test"],
      [
        "the first search name with an address of either family ends the search",
        `nameserver ${SERVER}\nsearch a.test b.test\n`,
        "dual",
      ],
      [
        "the same, the IPv4 name first",
        `nameserver ${SERVER}\nsearch b.test a.test\n`,
        "dual",
      ],
    ];
    for (const name of ["bücher.test", "xn--bcher-kva.test"]) {
      cases.push([
        `an international name, shown in Unicode: ${name}`,
        `nameserver ${SERVER}\n`,
        name,
      ]);
    }
    for (const [what, resolvConf, name] of cases) {
      await t.step(what, async () => {
        const etc = files(resolvConf);
        const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "ahosts", name]);
        assert.notEqual(glibc.stdout, "", "getent itself");
        // getent shows xn-- names in Unicode through libidn2; without it, in ASCII.
        if (glibc.stdout.includes("xn--")) return;
        const ours = await runWithEtcFiles(dir.path, etc, resolveHostnameCommand("--ahosts", name));
        assert.equal(ours.stdout, glibc.stdout);
      });
    }
    // Found by tests/cmd/resolve-hostname_random_test.ts (seed 517): the same for a HOSTALIASES
    // alias, which goes through the search list.
    await t.step("the same for a HOSTALIASES alias", async () => {
      const env = { HOSTALIASES: `${dir.path}/aliases` };
      await Deno.writeTextFile(env.HOSTALIASES, "twofam dual\n");
      const etc = files(`nameserver ${SERVER}\nsearch a.test b.test\n`);
      const argv = ["getent", "ahosts", "twofam"];
      const glibc = await runWithEtcFiles(dir.path, etc, argv, env);
      assert.match(glibc.stdout, /^fd00::a /, "getent itself");
      const ours = await runWithEtcFiles(
        dir.path,
        etc,
        resolveHostnameCommand("--ahosts", "twofam"),
        env,
      );
      assert.equal(ours.stdout, glibc.stdout);
    });
  },
});

Deno.test({
  name: `resolve-hostname asks a name server written with an IPv6 scope, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    // ::1 has one port 53 for the whole machine: a parallel run holding it skips the steps.
    let server: AsyncDisposable;
    try {
      server = startServer("::1");
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
      console.error("skipped: [::1]:53 is taken");
      return;
    }
    await using _server = server;
    await using dir = await tempDir();
    // A name for a link-local address only (glibc drops `lo` on ::1), a number for any.
    for (const nameServer of ["::1%lo", "::1%1"]) {
      await t.step(nameServer, async () => {
        const etc = files(`nameserver ${nameServer}\n`);
        const glibc = await getentAddresses(dir.path, etc, "myhost.ok.test");
        assert.deepEqual(glibc, ["10.0.0.2"], "getent itself");
        const ours = await netkit(dir.path, etc, "myhost.ok.test");
        assert.deepEqual(ours.json.addresses, glibc, JSON.stringify(ours.json));
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname asks nameserver 0.0.0.0 (this host) as glibc, and sees it dead${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const etc = files("nameserver 0.0.0.0\noptions timeout:30 attempts:1\n");
    // 127.0.0.1 has one port 53 for the whole machine: a parallel run holding it skips the test.
    let server: AsyncDisposable;
    try {
      server = startServer("127.0.0.1");
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
      console.error("skipped: 127.0.0.1:53 is taken");
      return;
    }
    try {
      await t.step("a server on 127.0.0.1:53 answers", async () => {
        const glibc = await getentAddresses(dir.path, etc, "myhost.ok.test");
        assert.deepEqual(glibc, ["10.0.0.2"], "getent itself");
        const ours = await netkit(dir.path, etc, "myhost.ok.test");
        assert.deepEqual(ours.json.addresses, glibc, JSON.stringify(ours.json));
      });
    } finally {
      await server[Symbol.asyncDispose]();
    }
    await t.step("none: both fail at once (timeout:30 would show as a hang)", async () => {
      const glibc = await getentAddresses(dir.path, etc, "myhost.ok.test");
      assert.deepEqual(glibc, [], "getent itself");
      const ours = await netkit(dir.path, etc, "myhost.ok.test");
      assert.equal(ours.code, 1);
      assert.match(ours.json.error?.message ?? "", /refused/);
    });
  },
});

/** A DNS server on TCP port 53 of `address` only (RFC 1035 §4.2.2 framing), no UDP. */
function startTcpOnlyServer(address: string): AsyncDisposable {
  const tcp = bindFixedPort(`${address}:53`, () => Deno.listen({ hostname: address, port: 53 }));
  const readFull = async (conn: Deno.Conn, bytes: Uint8Array) => {
    for (let got = 0; got < bytes.length;) {
      const n = await conn.read(bytes.subarray(got));
      if (n === null) throw new Error("closed");
      got += n;
    }
  };
  const serving = (async () => {
    try {
      for await (const conn of tcp) {
        try {
          const head = new Uint8Array(2);
          await readFull(conn, head);
          const query = new Uint8Array((head[0]! << 8) | head[1]!);
          await readFull(conn, query);
          const reply = answer(query, address) ?? new Uint8Array();
          const framed = new Uint8Array(2 + reply.length);
          framed.set([reply.length >> 8, reply.length & 255]);
          framed.set(reply, 2);
          for (let sent = 0; sent < framed.length;) {
            sent += await conn.write(framed.subarray(sent));
          }
        } catch {
          // The client went away.
        } finally {
          conn.close();
        }
      }
    } catch {
      // Closed.
    }
  })();
  return {
    async [Symbol.asyncDispose]() {
      tcp.close();
      await serving;
    },
  };
}

Deno.test({
  name: `resolve-hostname asks over TCP only under options use-vc, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    const address = TCP_SERVER;
    await using _server = startTcpOnlyServer(address);
    await using dir = await tempDir();
    // timeout:30: a wait for a UDP answer that never comes would show as a hang, not a pass.
    const etc = files(`nameserver ${address}\noptions use-vc timeout:30 attempts:1\n`);
    const glibc = await getentAddresses(dir.path, etc, "myhost.ok.test");
    assert.deepEqual(glibc, ["10.0.0.2"], "getent itself");
    const ours = await netkit(dir.path, etc, "myhost.ok.test");
    assert.deepEqual(ours.json.addresses, glibc, JSON.stringify(ours.json));
  },
});

Deno.test({
  name: `resolve-hostname tells nsswitch.conf a failed DNS lookup as glibc's errno does${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startServer();
    await using dir = await tempDir();
    // Found by tests/cmd/resolve-hostname_random_test.ts (seeds 69, 96): glibc's dns source
    // reads errno, not the answer. A last search-list name whose servers failed (REFUSED,
    // SERVFAIL: ETIMEDOUT) leaves it set, so the lookup is UNAVAIL though its error is the
    // NXDOMAIN of the name as it is; over TCP (use-vc) an error code is the answer: NOTFOUND.
    const hosts = "127.0.0.1 localhost\n10.0.9.1 x.rf.test\n10.0.9.2 files.test files\n";
    const nsswitch = "hosts: dns [NOTFOUND=return] files\n";
    const cases: [string, string, string, string[]][] = [
      ["a search domain REFUSED", `search rf.test\n`, "files.test", ["10.0.9.2"]],
      ["a search domain SERVFAIL", `search sf.test\n`, "files.test", ["10.0.9.2"]],
      ["only NXDOMAIN", `search nx.test\n`, "files.test", []],
      // The last question answered clears errno: NOTFOUND, though SERVFAIL is the error.
      ["SERVFAIL, then NXDOMAIN", `search sf.test nx.test\n`, "files", []],
      ["REFUSED over TCP", `options use-vc\n`, "x.rf.test", []],
    ];
    for (const [what, lines, name, expected] of cases) {
      await t.step(what, async () => {
        const tcp = lines.includes("use-vc") ? startTcpOnlyServer(TCP_SERVER) : undefined;
        try {
          const server = tcp ? TCP_SERVER : SERVER;
          const etc = {
            "resolv.conf": `nameserver ${server}\n${lines}options timeout:1 attempts:1\n`,
            hosts,
            "nsswitch.conf": nsswitch,
          };
          assert.deepEqual(await getentAddresses(dir.path, etc, name), expected, "getent itself");
          const ours = await netkit(dir.path, etc, name);
          assert.deepEqual(ours.json.addresses ?? [], expected, JSON.stringify(ours.json));
        } finally {
          await tcp?.[Symbol.asyncDispose]();
        }
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname asks the root of a search list as a search domain, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using _server = startServer();
    await using dir = await tempDir();
    // Found by tests/cmd/resolve-hostname_random_test.ts (seeds 42, 135, 141): `search .` puts
    // the name itself in the list, and its REFUSED there ends the list as a domain's does
    // (x.rf.test.ok.test, which has an address, is never asked), where the name asked as it is
    // first (dots >= ndots) goes on.
    const etc = files(`nameserver ${SERVER}\nsearch . ok.test\noptions ndots:3 timeout:1\n`);
    assert.deepEqual(await getentAddresses(dir.path, etc, "x.rf.test"), [], "getent itself");
    const ours = await netkit(dir.path, etc, "x.rf.test");
    assert.deepEqual(ours.json.addresses ?? [], [], JSON.stringify(ours.json));
    // Seed 145: a name asked as it is first is asked again in the root's place, and its REFUSED
    // there ends the list.
    const twice = files(`nameserver ${SERVER}\nsearch . ok.test\noptions timeout:1\n`);
    assert.deepEqual(await getentAddresses(dir.path, twice, "x.rf.test"), [], "getent itself");
    assert.deepEqual((await netkit(dir.path, twice, "x.rf.test")).json.addresses ?? [], []);
    // Seed 492: a list that ends before the root's place asks the name as it is after all.
    const rootNotReached = files(`nameserver ${SERVER}\nsearch x.rf.test . ok.test\n`);
    const beforeRoot = await getentAddresses(dir.path, rootNotReached, "myhost");
    assert.deepEqual(beforeRoot, ["10.0.0.1"], "getent itself");
    assert.deepEqual((await netkit(dir.path, rootNotReached, "myhost")).json.addresses, beforeRoot);
    const asIsFirst = files(`nameserver ${SERVER}\nsearch ok.test\noptions ndots:2 timeout:1\n`);
    const glibc = await getentAddresses(dir.path, asIsFirst, "x.rf.test");
    assert.deepEqual(glibc, ["10.0.0.5"], "getent itself");
    assert.deepEqual((await netkit(dir.path, asIsFirst, "x.rf.test")).json.addresses, glibc);
  },
});

Deno.test({
  name: `resolve-hostname6 under no-aaaa asks A questions for its search list, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using _server = startServer();
    await using dir = await tempDir();
    // Found by tests/cmd/resolve-hostname_random_test.ts (seed 42): glibc 2.36 sends an AAAA
    // question as an A one and reads the answer as no data, so a REFUSED search domain asked
    // last makes the dns source UNAVAIL (errno) and [NOTFOUND=return] lets the hosts file answer.
    const etc = {
      "resolv.conf": `nameserver ${SERVER}\nsearch nx.test rf.test\n` +
        "options no-aaaa no-tld-query timeout:1\n",
      hosts: "127.0.0.1 localhost\nfd00::9 myhost\n",
      "nsswitch.conf": "hosts: dns [NOTFOUND=return] files\n",
    };
    const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "hosts", "myhost"]);
    assert.match(glibc.stdout, /^fd00::9 /, "getent itself");
    const ours = await runWithEtcFiles(
      dir.path,
      etc,
      resolveHostnameCommand("--json", "myhost").map((arg) =>
        arg === "cmd/resolve-hostname.ts" ? "cmd/resolve-hostname6.ts" : arg
      ),
    );
    assert.deepEqual(JSON.parse(ours.stdout).addresses, ["fd00::9"], ours.stdout);
  },
});

Deno.test({
  name: `resolve-hostname makes resolv.conf's attempts rounds over the servers, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startServer();
    await using dir = await tempDir();
    await t.step("each round asks a failing server again", async () => {
      const etc = files(`nameserver ${SERVER}\noptions attempts:3\n`);
      const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "ahostsv4", "glibc.sf.test"]);
      assert.equal(glibc.code, 2, "getent itself");
      const ours = await netkit(dir.path, etc, "netkit.sf.test");
      assert.equal(ours.code, 1);
      assert.equal(asked.get("netkit.sf.test"), asked.get("glibc.sf.test"));
      assert.equal(asked.get("glibc.sf.test"), 3, "getent itself");
    });
    await t.step("a question lost in one round is answered in the next", async () => {
      // glibc sends one datagram a round, netkit three (at 0, 1/3 and 2/3 of the time):
      // three lost questions cost glibc three rounds, netkit one; both get the fourth answered.
      const etc = files(`nameserver ${SERVER}\noptions timeout:1 attempts:4\n`);
      const glibc = await getentAddresses(dir.path, etc, "glibc.lossy.test");
      assert.deepEqual(glibc, ["10.0.0.4"], "getent itself");
      const ours = await netkit(dir.path, etc, "netkit.lossy.test");
      assert.deepEqual(ours.json.addresses, glibc, JSON.stringify(ours.json));
    });
  },
});

Deno.test({
  name: `resolve-hostname starts at a random server under options rotate, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    const second = SECOND_SERVER;
    await using _first = startServer();
    await using _second = startServer(second);
    await using dir = await tempDir();
    const etc = files(`nameserver ${SERVER}\nnameserver ${second}\noptions rotate\n`);
    // One question a process: both servers answer some of 16 runs (each run picks one at
    // random: all 16 the same has a chance of 2^-15).
    const runs = Array.from({ length: 16 }, (_, i) => i);
    const glibc = new Set<string>();
    const ours = new Set<string>();
    for (const i of runs) {
      for (const address of await getentAddresses(dir.path, etc, `g${i}.which.test`)) {
        glibc.add(address);
      }
      for (
        const address of (await netkit(dir.path, etc, `n${i}.which.test`)).json.addresses ?? []
      ) {
        ours.add(address);
      }
    }
    assert.deepEqual([...glibc].sort(), [SERVER, second].sort(), "getent itself");
    assert.deepEqual([...ours].sort(), [...glibc].sort());
  },
});

Deno.test({
  name: `resolve-hostname gives up at once when every name server is dead, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    // timeout:30, glibc's largest: waiting for a dead server would show as a hang, not a pass.
    const configs = [
      ["one dead server", `nameserver ${DEAD[0]}\noptions timeout:30 attempts:1\n`],
      [
        "three dead servers",
        DEAD.map((s) => `nameserver ${s}\n`).join("") + "options timeout:30\n",
      ],
      [
        "a dead server and a search list",
        `nameserver ${DEAD[0]}\nsearch a.test b.test\n` +
        "options timeout:30\n",
      ],
    ];
    for (const [what, resolvConf] of configs) {
      await t.step(what!, async () => {
        const etc = files(resolvConf!);
        const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "ahostsv4", "myhost"]);
        assert.equal(glibc.code, 2, "getent itself");
        const ours = await netkit(dir.path, etc, "myhost");
        assert.equal(ours.code, 1);
        assert.notEqual(ours.json.error?.kind, "timed-out", JSON.stringify(ours.json));
        assert.match(ours.json.error?.message ?? "", /refused/);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname follows a CNAME chain inside one answer as far as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startServer();
    await using dir = await tempDir();
    const etc = files(`nameserver ${SERVER}\n`);
    for (const links of [9, 17, 40]) {
      await t.step(`${links} links`, async () => {
        const name = `chain${links}.test`;
        const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "ahostsv4", name]);
        const [address, , official] = glibc.stdout.trim().split(/\s+/);
        assert.equal(address, "10.0.0.20", "getent itself");
        const ours = await netkit(dir.path, etc, name);
        assert.deepEqual(ours.json.addresses, [address], JSON.stringify(ours.json));
        assert.equal(ours.json.officialName, official);
      });
    }
  },
});

Deno.test({
  name:
    `resolve-hostname follows a CNAME to a name that is no host name as glibc, never naming it${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startServer();
    await using dir = await tempDir();
    const etc = files(`nameserver ${SERVER}\n`);
    for (const name of ["cnbad1.test", "cnbad2.test", "cnbad3.test"]) {
      await t.step(name, async () => {
        const v4 = await runWithEtcFiles(dir.path, etc, ["getent", "ahostsv4", name]);
        const [address, , canonical] = v4.stdout.trim().split(/\s+/);
        const hosts = await runWithEtcFiles(dir.path, etc, ["getent", "hosts", name]);
        const [, official, ...aliases] = hosts.stdout.trim().split(/\s+/);
        const ours = await netkit(dir.path, etc, name);
        if (name === "cnbad3.test") {
          assert.equal(v4.code, 2, "getent itself");
          assert.equal(ours.code, 1, JSON.stringify(ours.json));
          return;
        }
        assert.equal(address, name === "cnbad1.test" ? "10.0.0.21" : "10.0.0.22", "getent itself");
        assert.deepEqual(ours.json.addresses, [address], JSON.stringify(ours.json));
        assert.equal(ours.json.officialName, canonical);
        assert.equal(ours.json.officialName, official);
        assert.deepEqual(ours.json.aliases, aliases);
        const { glibc, netkit: ahosts } = await ahostsSideBySide(dir.path, etc, name);
        assert.equal(ahosts, glibc);
      });
    }
  },
});

Deno.test({
  name:
    `resolve-hostname follows only the chain's own CNAME records, where glibc follows any (on purpose)${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using _server = startServer();
    await using dir = await tempDir();
    const etc = files(`nameserver ${SERVER}\n`);
    // glibc's getanswer_r: "No check for owner name match, based on historic precedent".
    const v4 = await runWithEtcFiles(dir.path, etc, ["getent", "ahostsv4", "cnstray.test"]);
    assert.equal(v4.stdout, "", "getent itself");
    const ours = await netkit(dir.path, etc, "cnstray.test");
    assert.deepEqual(ours.json.addresses, ["10.0.0.23"], JSON.stringify(ours.json));
    assert.equal(ours.json.officialName, "cnstray.test");
  },
});

Deno.test({
  name: `resolve-hostname -x takes the first PTR record as glibc's gethostbyaddr${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startServer();
    await using dir = await tempDir();
    const etc = files(`nameserver ${SERVER}\n`);
    // `::10.0.2.3`, IPv4-compatible: asked in the IPv4 zone, as glibc (seed 20718).
    for (const address of ["10.0.2.1", "10.0.2.2", "10.0.2.9", "::10.0.2.3"]) {
      await t.step(address, async () => {
        const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "hosts", address]);
        const glibcNames = glibc.stdout.trim().split(/\s+/).slice(1);
        const ours = await netkit(dir.path, etc, "-x", address);
        assert.deepEqual(ours.json.names ?? [], glibcNames, JSON.stringify(ours.json));
        assert.equal(ours.code, glibc.code === 0 ? 0 : 1);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname -x asks the sources of nsswitch.conf's hosts: line in order${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startServer();
    await using dir = await tempDir();
    const hosts = "127.0.0.1 localhost\n10.0.2.1 filesname.test\n";
    for (const nsswitch of ["hosts: files\n", "hosts: dns files\n", "hosts: files dns\n"]) {
      for (const address of ["10.0.2.1", "10.0.2.9", "10.0.2.3"]) {
        await t.step(`${nsswitch.trim()}: ${address}`, async () => {
          const etc = {
            "resolv.conf": `nameserver ${SERVER}\n`,
            hosts,
            "nsswitch.conf": nsswitch,
          };
          const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "hosts", address]);
          const glibcNames = glibc.stdout.trim().split(/\s+/).slice(1);
          const ours = await netkit(dir.path, etc, "-x", address);
          assert.deepEqual(ours.json.names ?? [], glibcNames, JSON.stringify(ours.json));
        });
      }
    }
  },
});

Deno.test({
  name: `resolve-hostname -x takes a failed DNS question for NOTFOUND, as gethostbyaddr${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startServer();
    await using dir = await tempDir();
    // Found by tests/cmd/resolve-hostname_random_test.ts (seed 2): glibc's dns source for
    // gethostbyaddr restores errno before it tells UNAVAIL from NOTFOUND, so a dead server is
    // NOTFOUND, and [!UNAVAIL=return] ends the lookup before the file.
    const hosts = "127.0.0.1 localhost\n10.0.2.1 filesname.test\n";
    const cases: [string, string, string[]][] = [
      [`nameserver ${DEAD[0]}\n`, "hosts: dns [!UNAVAIL=return] files\n", []],
      [`nameserver ${DEAD[0]}\n`, "hosts: dns [NOTFOUND=return] files\n", []],
      [`nameserver ${DEAD[0]}\n`, "hosts: dns [UNAVAIL=return] files\n", ["filesname.test"]],
    ];
    for (const [resolvConf, nsswitch, expected] of cases) {
      await t.step(`${resolvConf.trim()}, ${nsswitch.trim()}`, async () => {
        const etc = {
          "resolv.conf": `${resolvConf}options timeout:1 attempts:1\n`,
          hosts,
          "nsswitch.conf": nsswitch,
        };
        const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "hosts", "10.0.2.1"]);
        assert.deepEqual(glibc.stdout.trim().split(/\s+/).slice(1), expected, "getent itself");
        const ours = await netkit(dir.path, etc, "-x", "10.0.2.1");
        assert.deepEqual(ours.json.names ?? [], expected, JSON.stringify(ours.json));
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname merges hosts-file lines as glibc, repeats kept${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const etc = {
      "resolv.conf": `nameserver ${DEAD[0]}\n`,
      hosts: "127.0.0.1 localhost\n127.0.0.1 localhost.localdomain localhost\n" +
        "10.1.1.1 d.test da\n10.1.1.1 d.test da db\n10.1.1.2 D.TEST da\n",
      "nsswitch.conf": "hosts: files\n",
    };
    for (const name of ["localhost", "d.test", "da"]) {
      await t.step(name, async () => {
        // getent hosts: gethostbyname2's entry, one line per address, each with every name.
        const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "hosts", name]);
        const lines = glibc.stdout.trim().split("\n").map((line) => line.split(/\s+/));
        const ours = await netkit(dir.path, etc, name);
        assert.deepEqual(ours.json.addresses, lines.map(([address]) => address));
        assert.deepEqual(
          [ours.json.officialName, ...(ours.json as { aliases?: string[] }).aliases ?? []],
          lines[0]?.slice(1),
        );
        const ahosts = await runWithEtcFiles(dir.path, etc, ["getent", "ahosts", name]);
        const ourAhosts = await runWithEtcFiles(
          dir.path,
          etc,
          resolveHostnameCommand("--ahosts", name),
        );
        assert.equal(ourAhosts.stdout, ahosts.stdout);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname names an address literal as typed, as gethostbyname does${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const etc = files("nameserver 127.0.0.1\n");
    for (const literal of ["127.1", "10.0.0.1", "127.000.000.001"]) {
      await t.step(literal, async () => {
        // getaddrinfo's canonical name, as getent ahostsv4 prints it (gethostbyname's h_name
        // is the same, but getent hosts turns an address into a reverse lookup).
        const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "ahostsv4", literal]);
        const [address, , official] = glibc.stdout.trim().split(/\s+/);
        const ours = await netkit(dir.path, etc, literal);
        assert.equal(ours.json.officialName, official);
        assert.deepEqual(ours.json.addresses, [address]);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname reads hosts-file lines as glibc: IPv4-mapped, a final dot${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    // Port 53 of a dead address: what the hosts file does not answer fails at once.
    const etc = files(`nameserver ${DEAD[0]}\n`);
    for (const name of ["mapped.test", "trail.test.", "trail.test"]) {
      await t.step(name, async () => {
        const glibc = await getentAddresses(dir.path, etc, name);
        const ours = await netkit(dir.path, etc, name);
        assert.deepEqual(ours.json.addresses ?? [], glibc, JSON.stringify(ours.json));
      });
    }
    for (const address of ["10.1.1.4", "::ffff:10.1.1.6"]) {
      await t.step(`-x ${address}`, async () => {
        const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "hosts", address]);
        const glibcNames = glibc.stdout.trim().split(/\s+/).slice(1);
        const ours = await netkit(dir.path, etc, "-x", address);
        assert.deepEqual(ours.json.names ?? [], glibcNames, JSON.stringify(ours.json));
      });
    }
  },
});

/** Why systemd's myhostname source cannot be compared here, or undefined when it can. */
function myHostnameUnavailable(): string | undefined {
  if (IGNORE) return IGNORE;
  return myHostnameInstalled() ? undefined : "libnss-myhostname is not installed";
}
const MYHOSTNAME_IGNORE = myHostnameUnavailable();

Deno.test({
  name: `resolve-hostname answers localhost names as systemd's myhostname source${
    MYHOSTNAME_IGNORE ? ` (ignored: ${MYHOSTNAME_IGNORE})` : ""
  }`,
  ignore: MYHOSTNAME_IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const etc = {
      "resolv.conf": `nameserver ${DEAD[0]}\n`,
      hosts: "10.9.9.9 other.test\n",
      "nsswitch.conf": "hosts: files myhostname dns\n",
    };
    const own = Deno.hostname();
    const names = ["localhost", "FOO.LocalHost", "a.localhost.localdomain", "other.test", own];
    for (const name of [...names, "_gateway", "_Gateway."]) {
      await t.step(`--ahosts ${name}`, async () => {
        const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "ahosts", name]);
        // _gateway: only where this host has a default route.
        if (!names.includes(name) && glibc.stdout === "") return;
        assert.notEqual(glibc.stdout, "", "getent itself");
        const ours = await runWithEtcFiles(dir.path, etc, resolveHostnameCommand("--ahosts", name));
        assert.equal(ours.stdout, glibc.stdout);
      });
    }
    await t.step(`resolve-hostname ${own}`, async () => {
      const glibc = await getentAddresses(dir.path, etc, own);
      const ours = await netkit(dir.path, etc, own);
      assert.deepEqual(ours.json.addresses, glibc);
      // The name as typed, but "localhost" for a host named as localhost (localhost,
      // box.localhost, localhost.localdomain): getent's canonical name, not this host's name.
      const canonical = await runWithEtcFiles(dir.path, etc, ["getent", "ahostsv4", own]);
      const glibcName = (canonical.stdout.split("\n")[0] ?? "").trim().split(/\s+/)[2];
      assert.equal(ours.json.officialName, glibcName);
    });
    const interfaces = Deno.networkInterfaces().map((nic) => nic.address)
      .filter((address) => !address.startsWith("127.") && address !== "::1");
    // The default routes' gateways, as getent ahosts _gateway lists them.
    const gatewayList = await runWithEtcFiles(dir.path, etc, ["getent", "ahosts", "_gateway"]);
    const gateways = [
      ...new Set(
        gatewayList.stdout.split("\n").filter((l) => l !== "").map((l) =>
          (l.split(/\s+/)[0] ?? "").replace(/%.*$/, "")
        ),
      ),
    ];
    for (const address of ["127.0.0.1", "::1", "127.0.0.2", ...interfaces, ...gateways]) {
      await t.step(`-x ${address}`, async () => {
        const glibc = await runWithEtcFiles(dir.path, etc, ["getent", "hosts", address]);
        // One line per address of the entry; the names are on each.
        const glibcNames = (glibc.stdout.split("\n")[0] ?? "").trim().split(/\s+/).slice(1);
        assert.notDeepEqual(glibcNames, [], "getent itself");
        const ours = await netkit(dir.path, etc, "-x", address);
        assert.deepEqual(ours.json.names ?? [], glibcNames, JSON.stringify(ours.json));
      });
    }
  },
});

/**
 * Runs `argv` on a host without systemd's myhostname module: the test's files over `/etc`, and
 * `/dev/null` over each `libnss_myhostname.so.2` there is (glibc cannot load it; netkit finds no
 * regular file), in a mount namespace.
 */
async function withoutMyHostnameModule(dir: string, etc: EtcFiles, argv: string[]) {
  const triplet = `${Deno.build.arch}-linux-gnu`;
  const modules = new Set<string>();
  for (const lib of [`/lib/${triplet}`, `/usr/lib/${triplet}`, "/lib64", "/usr/lib64"]) {
    try {
      modules.add(Deno.realPathSync(`${lib}/libnss_myhostname.so.2`));
    } catch {
      // Not there.
    }
  }
  // ["unshare", "-m", "sh", "-c", SCRIPT, "sh"]: the module hidden before the script's mounts.
  const [, , , , script, ...rest] = await etcNamespaceCommand(dir, etc);
  const hide = [...modules].map((path) => `mount --bind /dev/null ${path} && `).join("");
  const output = await new Deno.Command("unshare", {
    args: ["-m", "sh", "-c", `${hide}${script}`, ...rest, ...argv],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, stdout: new TextDecoder().decode(output.stdout) };
}

Deno.test({
  name: `resolve-hostname passes over myhostname where glibc cannot load its module${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const own = Deno.hostname();
    // Debian's default has no libnss-myhostname: a hosts line naming it (copied from Fedora, or
    // left by a removed package) must not make the host's own name, or a [!UNAVAIL=return]
    // after it, answer otherwise than getent does.
    for (
      const hostsLine of [
        "files myhostname dns",
        "myhostname [!UNAVAIL=return] files",
        "myhostname [UNAVAIL=return] files",
        "myhostname files",
      ]
    ) {
      const etc = {
        "resolv.conf": `nameserver ${DEAD[0]}\noptions timeout:1 attempts:1\n`,
        hosts: "10.9.9.9 other.test\n127.0.0.9 localhost\n",
        "nsswitch.conf": `hosts: ${hostsLine}\n`,
      };
      for (const name of ["localhost", "other.test", own]) {
        await t.step(`hosts: ${hostsLine}, --ahosts ${name}`, async () => {
          const glibc = await withoutMyHostnameModule(dir.path, etc, ["getent", "ahosts", name]);
          const ours = await withoutMyHostnameModule(
            dir.path,
            etc,
            resolveHostnameCommand("--ahosts", name),
          );
          assert.equal(ours.stdout, glibc.stdout);
          assert.equal(ours.code === 0, glibc.code === 0, `exit codes ${ours.code}, ${glibc.code}`);
        });
      }
      await t.step(`hosts: ${hostsLine}, -x 127.0.0.9`, async () => {
        const glibc = await withoutMyHostnameModule(dir.path, etc, [
          "getent",
          "hosts",
          "127.0.0.9",
        ]);
        const glibcNames = (glibc.stdout.split("\n")[0] ?? "").trim().split(/\s+/).slice(1)
          .filter((n) => n !== "");
        const ours = await withoutMyHostnameModule(
          dir.path,
          etc,
          resolveHostnameCommand("--json", "-x", "127.0.0.9"),
        );
        const names = ours.code === 0 ? JSON.parse(ours.stdout).names : [];
        assert.deepEqual(names, glibcNames);
      });
    }
  },
});

const IPV4_ONLY_IGNORE = IGNORE ?? etcNamespaceUnavailable(["getent", "ip"]) ??
  (new Deno.Command("unshare", { args: ["-n", "true"] }).outputSync().success
    ? undefined
    : "unshare -n is not permitted here");

/** Runs `argv` on a host of IPv4 only: a network namespace whose lo has 10.9.9.9 besides 127.0.0.1. */
async function onIpv4OnlyHost(dir: string, etc: EtcFiles, argv: string[]) {
  // ["unshare", "-m", "sh", "-c", SCRIPT, "sh"]: the script, run after lo is set up.
  const [, , , , script, ...rest] = await etcNamespaceCommand(dir, etc);
  const output = await new Deno.Command("unshare", {
    args: [
      "-m",
      "-n",
      "sh",
      "-c",
      `ip link set lo up && ip addr add 10.9.9.9/32 dev lo && ${script}`,
      ...rest,
      ...argv,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stdout: new TextDecoder().decode(output.stdout),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

Deno.test({
  name: `resolve-hostname --ahosts asks one family on a host of one, as AI_ADDRCONFIG${
    IPV4_ONLY_IGNORE ? ` (ignored: ${IPV4_ONLY_IGNORE})` : ""
  }`,
  ignore: IPV4_ONLY_IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const etc = {
      "resolv.conf": "nameserver 127.0.0.1\n",
      hosts: "127.0.0.1 localhost\n10.5.5.5 dual.test\nfd00::55 dual.test\n",
      "nsswitch.conf": "hosts: files\n",
    };
    for (const name of ["dual.test", "::1"]) {
      await t.step(name, async () => {
        const glibc = await onIpv4OnlyHost(dir.path, etc, ["getent", "ahosts", name]);
        if (name === "dual.test") {
          assert.match(glibc.stdout, /^10\.5\.5\.5 +STREAM dual\.test\n/, "getent itself");
          assert.doesNotMatch(glibc.stdout, /fd00/, "getent itself");
        }
        const ours = await onIpv4OnlyHost(dir.path, etc, resolveHostnameCommand("--ahosts", name));
        assert.equal(ours.stdout, glibc.stdout);
        assert.equal(ours.code === 0, glibc.code === 0);
      });
    }
  },
});

/** netkit's wget fetching `url` once into /dev/null, as the GNU wget it is compared with. */
function netkitWget(url: string): string[] {
  return [Deno.execPath(), "run", "-A", "cmd/wget.ts", "-t1", "-O", "/dev/null", url];
}

Deno.test({
  name: `wget resolves both families on a host of one, as GNU wget (no AI_ADDRCONFIG)${
    IPV4_ONLY_IGNORE ? ` (ignored: ${IPV4_ONLY_IGNORE})` : ""
  }`,
  ignore: IPV4_ONLY_IGNORE !== undefined || etcNamespaceUnavailable(["wget"]) !== undefined,
  async fn() {
    await using dir = await tempDir();
    const etc = {
      "resolv.conf": "nameserver 127.0.0.1\n",
      hosts: "127.0.0.1 localhost\n127.0.0.1 dual.test\n::1 dual.test\n",
      "nsswitch.conf": "hosts: files\n",
    };
    // Port 9 of loopback: refused at once; only the "Resolving" line is compared.
    const url = "http://dual.test:9/";
    const resolving = (text: string) => /^Resolving .*$/m.exec(text)?.[0];
    const gnu = await onIpv4OnlyHost(dir.path, etc, ["wget", "-t1", "-O", "/dev/null", url]);
    assert.equal(resolving(gnu.stderr), "Resolving dual.test (dual.test)... ::1, 127.0.0.1");
    const ours = await onIpv4OnlyHost(dir.path, etc, netkitWget(url));
    assert.equal(resolving(ours.stderr), resolving(gnu.stderr));
  },
});

Deno.test({
  name: `wget tries a hosts-file address listed twice twice, as GNU wget${IGNORED}`,
  ignore: IGNORE !== undefined || etcNamespaceUnavailable(["wget"]) !== undefined,
  async fn() {
    await using dir = await tempDir();
    const etc = {
      "resolv.conf": `nameserver ${DEAD[0]}\n`,
      hosts: "127.0.0.1 localhost\n127.0.0.1 dup.test\n127.0.0.1 dup.test\n",
      "nsswitch.conf": "hosts: files\n",
    };
    // Port 9 of loopback: refused at once; the lines about resolving and connecting compared.
    const url = "http://dup.test:9/";
    const lines = (text: string) =>
      text.split("\n").filter((l) => /^(Resolving|Connecting)/.test(l));
    const gnu = await runWithEtcFiles(dir.path, etc, ["wget", "-t1", "-O", "/dev/null", url]);
    assert.equal(lines(gnu.stderr).length, 3, gnu.stderr);
    const ours = await runWithEtcFiles(dir.path, etc, netkitWget(url));
    assert.deepEqual(lines(ours.stderr), lines(gnu.stderr));
  },
});
