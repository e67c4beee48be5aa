/**
 * `resolve-hostname`, the library's lookups (`resolveHost`, `lookupAddresses`,
 * `createClientSocket`) and `wget` beside glibc 2.36 (getent, the lecture's C calls, GNU wget)
 * with the resolv.conf files containers have (issue #16: "inside a Kubernetes pod `myservice` and
 * `kubernetes.default` do not resolve"): a Kubernetes pod's (`search default.svc.cluster.local
 * svc.cluster.local cluster.local corp.test`, `options ndots:5`, and its variants with
 * `timeout:1 attempts:2 edns0`, `single-request-reopen`, `use-vc`, `no-aaaa`), Docker's
 * (`ndots:0`; the default bridge's copy of the host's file), long search lists, `domain` and
 * `search` together, `search .`, and `LOCALDOMAIN` and `RES_OPTIONS` over a pod's file.
 *
 * The name server is the test's own, on port 53 of a loopback address (resolv.conf cannot name
 * a port; a pod's `10.96.0.10` is never asked), serving a zone as CoreDNS serves a cluster's:
 * services with an IPv4 address only (no data for AAAA), a headless service's addresses in a
 * fixed order, a pod of a StatefulSet, an ExternalName service (a CNAME to an outside name, its
 * addresses in the same answer), SERVFAIL for one name and for another's AAAA question, an AAAA
 * question lost once (conntrack's race), empty non-terminals (`svc.cluster.local`: no data),
 * NXDOMAIN for everything else; and, as a check with a real server, dnsmasq serving the same
 * names. Each logs every question it sees, so the questions each side asks, in their order, are
 * compared too, not only the answers: each side makes its calls in one process with a marker
 * question between two (tests/harness/marked_lookups_probe.ts). The hosts files are kubelet's and
 * Docker's own.
 * As root, in a mount namespace with the test's resolv.conf, hosts and nsswitch.conf over
 * `/etc`. Ignored, with the reason, where namespaces, getent, gcc or GNU wget cannot be had.
 */

import assert from "node:assert/strict";
import {
  decodeDnsMessage,
  DNS_RCODE,
  DNS_TYPE,
  type DnsMessage,
  type DnsRecord,
} from "../../lib/dns/message.ts";
import {
  answerTo,
  listenDnsPort,
  startDnsmasqOnPort53,
  startDnsServerAt,
} from "../harness/dns_peers.ts";
import {
  type EtcFiles,
  etcNamespaceUnavailable,
  resolveHostnameCommand,
  runWithEtcFiles,
} from "../harness/etc_namespace.ts";
import {
  compileGlibcCalls,
  type GlibcCall,
  glibcCallsUnavailable,
  parseGlibcCalls,
} from "../harness/glibc_calls.ts";
import { loopbackAddress, loopbackAddresses } from "../harness/loopback_address.ts";
import { failureKind } from "../harness/lookup_failure_kind.ts";
import { type MarkedLookup, markName, splitAtMarks } from "../harness/marked_lookups_probe.ts";
import { tempDir } from "../harness/peers.ts";

const IGNORE = etcNamespaceUnavailable(["getent"]) ?? glibcCallsUnavailable();
const IGNORED = IGNORE ? ` (ignored: ${IGNORE})` : "";
const WGET_IGNORE = IGNORE ?? etcNamespaceUnavailable(["wget"]);

/** The loopback address of this file's name server (and of `myservice`'s HTTP server). */
const SERVER = loopbackAddress();

/** What the zone holds for a name: addresses of each family, a CNAME, or an error code. */
interface ZoneEntry {
  a?: string[];
  aaaa?: string[];
  cname?: string;
  rcode?: number;
  /** The answer code of AAAA questions, where not `rcode`'s. */
  aaaaRcode?: number;
  /** Every other AAAA question goes unanswered, the first included: a conntrack race's loss. */
  losesAaaa?: boolean;
}

/** A cluster's names as CoreDNS serves them, and a few outside names. */
const ZONE: Record<string, ZoneEntry> = {
  "myservice.default.svc.cluster.local": { a: [SERVER] },
  "kubernetes.default.svc.cluster.local": { a: ["10.96.0.1"] },
  // A headless service: one address per pod, in an order of the server's (fixed here).
  "headless.default.svc.cluster.local": { a: ["10.244.2.6", "10.244.1.5", "10.244.3.7"] },
  "db-0.headless.default.svc.cluster.local": { a: ["10.244.1.5"] },
  "dual.default.svc.cluster.local": { a: ["10.96.2.2"], aaaa: ["fd00:96::2"] },
  // The AAAA question of the pair lost on its way (Linux's conntrack race of two UDP questions
  // from one socket, behind the "5 s DNS delays" of Kubernetes), the next one answered.
  "racy.default.svc.cluster.local": { a: ["10.96.3.3"], losesAaaa: true },
  // An address, and SERVFAIL for AAAA (CoreDNS with an upstream failing AAAA questions).
  "half.default.svc.cluster.local": { a: ["10.96.4.4"], aaaaRcode: DNS_RCODE.SERVFAIL },
  // An ExternalName service: CoreDNS answers the CNAME and the target's records together.
  "ext.default.svc.cluster.local": { cname: "www.example.test" },
  "broken.default.svc.cluster.local": { rcode: DNS_RCODE.SERVFAIL },
  "broken.corp.test": { a: ["198.51.100.21"] },
  "intranet.corp.test": { a: ["198.51.100.20"] },
  "www.example.test": { a: ["198.51.100.10"], aaaa: ["2001:db8::10"] },
  "example.test": { a: ["198.51.100.1"] },
  "a.b.c.d.e.f": { a: ["198.51.100.30"] },
};

/** Whether `name` is an empty non-terminal of the zone (`svc.cluster.local`): no data. */
function emptyNonTerminal(name: string): boolean {
  return Object.keys(ZONE).some((owner) => owner.endsWith(`.${name}`));
}

/** The records of `name` of `type`, following a CNAME inside the zone, as CoreDNS answers. */
function recordsOf(name: string, type: number): DnsRecord[] {
  const entry = ZONE[name];
  if (entry?.cname !== undefined) {
    const cname: DnsRecord = { name, type: DNS_TYPE.CNAME, class: 1, ttl: 5, data: entry.cname };
    return [cname, ...recordsOf(entry.cname, type)];
  }
  const data = type === DNS_TYPE.A ? entry?.a : type === DNS_TYPE.AAAA ? entry?.aaaa : undefined;
  return (data ?? []).map((address) => ({ name, type, class: 1, ttl: 5, data: address }));
}

/** One question the server saw: `TYPE NAME`, with `+edns` and `/tcp` where so asked. */
interface Seen {
  name: string;
  text: string;
}

/** How many AAAA questions each name with `losesAaaa` had. */
const aaaaAsked = new Map<string, number>();

/** The answer to `query` (undefined: none), and the question logged in `log`. */
function answer(query: DnsMessage, tcp: boolean, log: Seen[]): Uint8Array | undefined {
  const question = query.questions[0];
  if (question === undefined) return answerTo(query, { rcode: DNS_RCODE.FORMERR });
  const name = question.name.toLowerCase().replace(/\.$/, "");
  const type = question.type === DNS_TYPE.A
    ? "A"
    : question.type === DNS_TYPE.AAAA
    ? "AAAA"
    : String(question.type);
  const edns = query.additionals.some((record) => record.type === 41);
  log.push({ name, text: `${type}${edns ? "+edns" : ""}${tcp ? "/tcp" : ""} ${name}` });
  const entry = ZONE[name];
  if (entry?.losesAaaa && question.type === DNS_TYPE.AAAA) {
    const count = (aaaaAsked.get(name) ?? 0) + 1;
    aaaaAsked.set(name, count);
    if (count % 2 === 1) return undefined;
  }
  const rcode = question.type === DNS_TYPE.AAAA ? entry?.aaaaRcode ?? entry?.rcode : entry?.rcode;
  if (rcode !== undefined) return answerTo(query, { rcode });
  if (entry === undefined && !emptyNonTerminal(name)) {
    return answerTo(query, { rcode: DNS_RCODE.NXDOMAIN, authoritative: true });
  }
  return answerTo(query, { authoritative: true, answers: recordsOf(name, question.type) });
}

/** The zone's server on port 53 of {@linkcode SERVER}, UDP and TCP, and its log. */
interface ZoneServer extends AsyncDisposable {
  /** Where it listens (port 53). */
  address: string;
  log: Seen[];
  /** Settles once the log has every question a finished client asked. */
  settled?: () => Promise<void>;
}

function startZoneServer(): ZoneServer {
  const [udp, tcp] = listenDnsPort(SERVER, 53);
  const log: Seen[] = [];
  const serving = (async () => {
    try {
      while (true) {
        const [wire, from] = await udp.receive();
        const reply = answer(decodeDnsMessage(wire), false, log);
        if (reply) await udp.send(reply, from);
      }
    } catch {
      // Closed.
    }
  })();
  const connections = new Set<Deno.TcpConn>();
  const serveConnection = async (conn: Deno.TcpConn) => {
    // Several questions on one connection, as glibc sends A and AAAA under use-vc.
    const read = async (bytes: Uint8Array) => {
      for (let got = 0; got < bytes.length;) {
        const n = await conn.read(bytes.subarray(got));
        if (n === null) return false;
        got += n;
      }
      return true;
    };
    try {
      while (true) {
        const head = new Uint8Array(2);
        if (!await read(head)) break;
        const body = new Uint8Array((head[0]! << 8) | head[1]!);
        if (!await read(body)) break;
        const reply = answer(decodeDnsMessage(body), true, log);
        if (!reply) continue;
        const framed = new Uint8Array(2 + reply.length);
        framed.set([reply.length >> 8, reply.length & 0xff]);
        framed.set(reply, 2);
        for (let sent = 0; sent < framed.length;) sent += await conn.write(framed.subarray(sent));
      }
    } catch {
      // The client went away.
    } finally {
      connections.delete(conn);
      conn.close();
    }
  };
  const accepting = (async () => {
    const served: Promise<void>[] = [];
    try {
      for await (const conn of tcp) {
        connections.add(conn);
        served.push(serveConnection(conn));
      }
    } catch {
      // Closed.
    }
    await Promise.all(served);
  })();
  return {
    address: SERVER,
    log,
    async [Symbol.asyncDispose]() {
      udp.close();
      tcp.close();
      for (const conn of connections) conn.close();
      await Promise.all([serving, accepting]);
    },
  };
}

/**
 * The same zone from dnsmasq, a real server (its SERVFAIL, lost-question and empty-non-terminal
 * names left out), on port 53 of a loopback address of its own; its `--log-queries` lines are the
 * log (type and name only).
 */
async function startDnsmasqZone(dir: string): Promise<ZoneServer> {
  const address = loopbackAddress();
  const logFile = `${dir}/dnsmasq.log`;
  await Deno.writeTextFile(logFile, "");
  const records = ["--local=/#/", "--log-queries", `--log-facility=${logFile}`];
  for (const [name, entry] of Object.entries(ZONE)) {
    if (entry.cname !== undefined) records.push(`--cname=${name},${entry.cname}`);
    const addresses = [...entry.a ?? [], ...entry.aaaa ?? []];
    if (addresses.length > 0 && entry.rcode === undefined && entry.aaaaRcode === undefined) {
      // One record a line: dnsmasq's cache keeps them in order of the options (it rotates them).
      records.push(...addresses.map((data) => `--host-record=${name},${data}`));
    }
  }
  const dnsmasq = await startDnsmasqOnPort53(address, records);
  const log: Seen[] = [];
  let read = 0;
  const readLog = () => {
    const text = Deno.readTextFileSync(logFile);
    const lines = text.slice(read).split("\n");
    // A line still being written stays for the next read.
    const complete = lines.slice(0, -1);
    read += complete.reduce((sum, line) => sum + line.length + 1, 0);
    for (const line of complete) {
      const query = / query\[(\w+)\] (\S+) from /.exec(line);
      if (query) log.push({ name: query[2]!, text: `${query[1]} ${query[2]}` });
    }
  };
  return {
    address,
    log,
    async settled() {
      // dnsmasq logs a question before it answers it; its log is written from its main loop.
      for (let quiet = 0, last = -1; quiet < 3;) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        readLog();
        quiet = log.length === last ? quiet + 1 : 0;
        last = log.length;
      }
    },
    [Symbol.asyncDispose]: () => dnsmasq[Symbol.asyncDispose](),
  };
}

/** A Kubernetes pod's resolv.conf (its `nameserver 10.96.0.10` here the test's own server). */
const POD = `nameserver ${SERVER}\n` +
  "search default.svc.cluster.local svc.cluster.local cluster.local corp.test\n" +
  "options ndots:5\n";

/**
 * The hosts file kubelet writes into a pod (of `db-0`, a StatefulSet's pod behind `headless`),
 * with a `hostAliases` entry.
 */
const KUBELET_HOSTS = "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n" +
  "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\n" +
  "fe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n" +
  "10.244.1.5\tdb-0.headless.default.svc.cluster.local\tdb-0\n\n" +
  "# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n";

/** The hosts file Docker writes into a container (its id for a host name). */
const DOCKER_HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" +
  "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\n" +
  "ff02::2\tip6-allrouters\n172.17.0.2\t3f4e5d6c7b8a\n";

function etc(resolvConf: string, hosts = KUBELET_HOSTS): EtcFiles {
  return { "resolv.conf": resolvConf, hosts, "nsswitch.conf": "hosts: files dns\n" };
}

/** The C calls and the netkit calls compared with them, pair by pair. */
const CALLS: [glibc: string, netkit: string][] = [
  ["ghbn", "host4"],
  ["ghbn2", "host6"],
  ["gai:0:c", "lookup0"],
  ["gai:4:c", "lookup4"],
];

/** What a glibc call or a netkit call gave, in a form both share. */
function shape(answer: GlibcCall | MarkedLookup): Record<string, unknown> {
  if (answer.error !== undefined) {
    return { error: failureKind(answer.error, (answer as MarkedLookup).failure) };
  }
  if ("officialName" in answer && answer.officialName !== undefined) {
    return {
      officialName: answer.officialName,
      aliases: answer.aliases,
      addresses: answer.addresses,
    };
  }
  return { canonicalName: answer.canonicalName, addresses: answer.addresses };
}

/** The log's entries from `from` on, as text, cut at the marker questions. */
function questionsByCall(server: ZoneServer, from: number): string[][] {
  return splitAtMarks(server.log.slice(from), (seen) => seen.name)
    .map((seen) => seen.map(({ text }) => text));
}

/**
 * Asks glibc (the C calls, in one process) and netkit (marked_lookups_probe.ts, in one process)
 * about each of `names`, with `resolvConf` and `env`: the differences, in words.
 */
async function compareCalls(
  server: ZoneServer,
  dir: string,
  program: string,
  files: EtcFiles,
  names: string[],
  env: Record<string, string> = {},
): Promise<{ differences: string[]; glibc: GlibcCall[] }> {
  const pairs = names.flatMap((name) => CALLS.map(([glibc, netkit]) => ({ name, glibc, netkit })));
  let from = server.log.length;
  const glibcArgs = pairs.flatMap(({ name, glibc }, i) => [
    "gai:4:-",
    `${markName(i)}.`,
    glibc,
    name,
  ]);
  const glibcRun = await runWithEtcFiles(dir, files, [program, ...glibcArgs], env);
  await server.settled?.();
  const glibcAnswers = parseGlibcCalls(glibcRun.stdout).filter(({ name }) =>
    !name.startsWith("mark-")
  );
  const glibcQuestions = questionsByCall(server, from);
  from = server.log.length;
  const netkitArgs = pairs.flatMap(({ name, netkit }) => [netkit, name]);
  const netkitRun = await runWithEtcFiles(dir, files, [
    Deno.execPath(),
    "run",
    "-A",
    "tests/harness/marked_lookups_probe.ts",
    server.address,
    ...netkitArgs,
  ], env);
  await server.settled?.();
  assert.equal(netkitRun.code, 0, netkitRun.stderr);
  const netkitAnswers = netkitRun.stdout.trim().split("\n").map((line) =>
    JSON.parse(line) as MarkedLookup
  );
  const netkitQuestions = questionsByCall(server, from);
  assert.equal(glibcAnswers.length, pairs.length, glibcRun.stderr);
  const differences: string[] = [];
  for (const [i, { name, glibc, netkit }] of pairs.entries()) {
    const ours = shape(netkitAnswers[i]!);
    const theirs = shape(glibcAnswers[i]!);
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
      differences.push(
        `${glibc}/${netkit} ${name}: ${JSON.stringify(theirs)} / ${JSON.stringify(ours)}`,
      );
    }
    const asked = JSON.stringify(glibcQuestions[i] ?? []);
    const ourQuestions = JSON.stringify(netkitQuestions[i] ?? []);
    if (asked !== ourQuestions) {
      differences.push(`${glibc}/${netkit} ${name} questions: ${asked} / ${ourQuestions}`);
    }
  }
  return { differences, glibc: glibcAnswers };
}

/** The names a pod asks, each for a reason (the step names). */
const POD_NAMES = [
  "myservice", // the first domain: A answered, AAAA no data
  "myservice.default", // one dot < ndots: the list first, the second domain answers
  "myservice.default.svc",
  "kubernetes.default",
  "db-0.headless", // a pod of a StatefulSet
  "headless", // several addresses, in the server's order
  "dual", // both families
  "ext", // an ExternalName service: a CNAME to an outside name
  "www.example.test", // 2 dots < 5: every domain of the list NXDOMAIN, then as it is
  "www.example.test.", // a final dot: the name alone
  "a.b.c.d.e.f", // 5 dots: as it is first
  "x.b.c.d.e.f", // as it is first, NXDOMAIN: then the search list
  "kubernetes.default.svc.cluster.local", // 4 dots: the search list first, then as it is
  "kubernetes.default.svc.cluster.local.", // a final dot
  "MyService", // asked as typed
  "localhost", // the hosts file
  "db-0", // the pod's own name, from kubelet's hosts file
  "foo.local", // a hostAliases entry
  "ip6-allnodes", // IPv6 only in the hosts file: DNS asked for IPv4
  "intranet", // the last domain answers
  "nothere", // NXDOMAIN everywhere
  "svc", // svc.cluster.local is an empty non-terminal: no data
  "broken", // SERVFAIL for the first domain, an answer from the last
];

Deno.test({
  name: `netkit's lookups in a Kubernetes pod answer and ask as glibc's${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using server = startZoneServer();
    await using dir = await tempDir();
    const program = await compileGlibcCalls(dir.path);
    const variants: [string, string, string[]][] = [
      ["ndots:5", POD, POD_NAMES],
      [
        "timeout:1 attempts:2 edns0",
        `${POD}options timeout:1 attempts:2 edns0\n`,
        ["myservice", "kubernetes.default", "www.example.test", "broken"],
      ],
      // glibc sends the pair one after the other, each on a socket of its own, and so does netkit
      // (tests/cmd/resolve-hostname_pair_socket_test.ts compares the source ports), so the
      // conntrack race this option works around cannot happen to either.
      [
        "single-request-reopen",
        `${POD}options single-request-reopen\n`,
        ["myservice", "intranet", "dual"],
      ],
      ["use-vc", `${POD}options use-vc\n`, ["myservice", "intranet", "ext", "broken"]],
      ["no-aaaa", `${POD}options no-aaaa\n`, ["myservice", "dual", "intranet", "broken"]],
    ];
    for (const [what, resolvConf, names] of variants) {
      await t.step(what, async () => {
        const { differences } = await compareCalls(
          server,
          dir.path,
          program,
          etc(resolvConf),
          names,
        );
        assert.deepEqual(differences, []);
      });
    }
    await t.step("the zone from dnsmasq", async (t) => {
      if (etcNamespaceUnavailable(["dnsmasq"])) {
        console.error("skipped: dnsmasq is not installed");
        return;
      }
      await using dnsmasq = await startDnsmasqZone(dir.path);
      const pod = POD.replace(SERVER, dnsmasq.address);
      const names = [
        "myservice",
        "kubernetes.default",
        "db-0.headless",
        "ext",
        "dual",
        "www.example.test",
        "nothere",
      ];
      for (const options of ["", "options use-vc\n"]) {
        await t.step(options.trim() || "ndots:5", async () => {
          const compared = await compareCalls(
            dnsmasq,
            dir.path,
            program,
            etc(pod + options),
            names,
          );
          assert.equal(compared.glibc[3]?.addresses?.[0], SERVER, "getent itself");
          assert.deepEqual(compared.differences, []);
          assert.ok(dnsmasq.log.some(({ text }) => text === "AAAA nothere"), "dnsmasq's log read");
        });
      }
    });
    await t.step("the pair's AAAA question answered SERVFAIL", async () => {
      const { differences } = await compareCalls(server, dir.path, program, etc(POD), ["half"]);
      // The same answers; but glibc takes the pair's answers as they are, where netkit asks the
      // failed question again, in the next round of attempts here (the only server), as glibc
      // asks a lone question again after SERVFAIL (ghbn2 "broken": AAAA twice) (cmd/README.md).
      const a = "A half.default.svc.cluster.local";
      const aaaa = "AAAA half.default.svc.cluster.local";
      assert.deepEqual(differences, [
        `gai:0:c/lookup0 half questions: ${JSON.stringify([a, aaaa])} / ${
          JSON.stringify([a, aaaa, aaaa])
        }`,
      ]);
    });
    await t.step("single-request-reopen: the pair's A question answered SERVFAIL", async () => {
      const { differences } = await compareCalls(
        server,
        dir.path,
        program,
        etc(`${POD}options single-request-reopen\n`),
        ["broken"],
      );
      // The same answers; but glibc sends no AAAA question after a SERVFAIL to the A one (it
      // sends the A one again, then goes on), where netkit asks both (cmd/README.md).
      const pairs = (domains: string[]) =>
        domains.flatMap((domain) => [`A broken.${domain}`, `AAAA broken.${domain}`]);
      const rest = pairs(["svc.cluster.local", "cluster.local", "corp.test"]);
      const first = "broken.default.svc.cluster.local";
      assert.deepEqual(differences, [
        `gai:0:c/lookup0 broken questions: ${
          JSON.stringify([`A ${first}`, `A ${first}`, ...rest])
        } / ${
          JSON.stringify([
            ...pairs(["default.svc.cluster.local"]),
            ...pairs([
              "default.svc.cluster.local",
            ]),
            ...rest,
          ])
        }`,
      ]);
    });
    await t.step("the pair's AAAA question lost once (conntrack's race)", async () => {
      const { differences } = await compareCalls(
        server,
        dir.path,
        program,
        etc(`${POD}options timeout:1 attempts:2\n`),
        ["racy"],
      );
      // The same answers; but glibc sends the pair again after the loss, the A question it had
      // the answer to as well, where netkit sends the lost one again (cmd/README.md).
      const a = "A racy.default.svc.cluster.local";
      const aaaa = "AAAA racy.default.svc.cluster.local";
      assert.deepEqual(differences, [
        `gai:0:c/lookup0 racy questions: ${JSON.stringify([a, aaaa, a, aaaa])} / ${
          JSON.stringify([a, aaaa, aaaa])
        }`,
      ]);
    });
  },
});

Deno.test({
  name: `resolve-hostname --ahosts in a Kubernetes pod prints and asks as getent ahosts${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using server = startZoneServer();
    await using dir = await tempDir();
    const files = etc(POD);
    // Each getent in a process of its own; netkit's in one.
    const glibc: { stdout: string; code: number; questions: string[] }[] = [];
    for (const name of POD_NAMES) {
      const from = server.log.length;
      const run = await runWithEtcFiles(dir.path, files, ["getent", "ahosts", name]);
      glibc.push({ ...run, questions: server.log.slice(from).map(({ text }) => text) });
    }
    const from = server.log.length;
    const run = await runWithEtcFiles(dir.path, files, [
      Deno.execPath(),
      "run",
      "-A",
      "tests/harness/marked_lookups_probe.ts",
      SERVER,
      ...POD_NAMES.flatMap((name) => ["ahosts", name]),
    ]);
    assert.equal(run.code, 0, run.stderr);
    const ours = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as MarkedLookup);
    const questions = questionsByCall(server, from);
    for (const [i, name] of POD_NAMES.entries()) {
      await t.step(name, () => {
        const theirs = glibc[i]!;
        assert.equal(ours[i]!.stdout, theirs.stdout);
        assert.equal(ours[i]!.code === 0, theirs.code === 0, "both found it, or neither");
        assert.deepEqual(questions[i], theirs.questions);
      });
    }
  },
});

/**
 * What, resolv.conf, environment, the names compared, and the IPv4 addresses glibc finds for the
 * first (a broken namespace cannot agree).
 */
const OTHER_CASES: [string, EtcFiles, Record<string, string>, string[], string[]][] = [
  // Docker's user-defined networks: its embedded server, the host's search list, ndots:0 (even
  // one label is asked as it is first).
  [
    "Docker: ndots:0",
    etc(`nameserver ${SERVER}\nsearch corp.test\noptions ndots:0\n`, DOCKER_HOSTS),
    {},
    ["intranet", "example.test", "nothere", "3f4e5d6c7b8a", "ip6-allnodes"],
    ["198.51.100.20"],
  ],
  // Docker's default bridge: a copy of the host's file.
  [
    "Docker's default bridge: the host's file",
    etc(`nameserver ${SERVER}\nsearch corp.test\n`, DOCKER_HOSTS),
    {},
    ["intranet", "www.example.test", "3f4e5d6c7b8a"],
    ["198.51.100.20"],
  ],
  // glibc 2.26 dropped the limits of six domains and 256 characters (kubelet still warns past
  // 32 domains or 2,048 characters): the 301st domain of a line of 5,100 characters answers.
  [
    "301 search domains on a line of 5,100 characters, the last answering",
    etc(
      `nameserver ${SERVER}\nsearch ${
        Array.from({ length: 300 }, (_, i) => `d${String(i).padStart(3, "0")}.example.test`).join(
          " ",
        )
      } corp.test\n`,
    ),
    {},
    ["intranet"],
    ["198.51.100.20"],
  ],
  [
    "domain after search: the last wins",
    etc(
      `nameserver ${SERVER}\nsearch corp.test\ndomain default.svc.cluster.local\noptions ndots:5\n`,
    ),
    {},
    ["myservice", "intranet"],
    [SERVER],
  ],
  [
    "search after domain: the last wins",
    etc(`nameserver ${SERVER}\ndomain default.svc.cluster.local\nsearch corp.test\n`),
    {},
    ["intranet", "myservice"],
    ["198.51.100.20"],
  ],
  [
    "search . (the root only)",
    etc(`nameserver ${SERVER}\nsearch .\noptions ndots:5\n`),
    {},
    ["example.test", "myservice"],
    ["198.51.100.1"],
  ],
  [
    "LOCALDOMAIN over a pod's search list",
    etc(POD),
    { LOCALDOMAIN: "corp.test" },
    ["intranet", "myservice"],
    ["198.51.100.20"],
  ],
  [
    "RES_OPTIONS over a pod's ndots",
    etc(POD),
    { RES_OPTIONS: "ndots:1" },
    ["www.example.test", "kubernetes.default"],
    ["198.51.100.10"],
  ],
];

Deno.test({
  name:
    `netkit's lookups with Docker's and other resolv.conf files answer and ask as glibc's${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using server = startZoneServer();
    await using dir = await tempDir();
    const program = await compileGlibcCalls(dir.path);
    for (const [what, files, env, names, found] of OTHER_CASES) {
      await t.step(what, async () => {
        const compared = await compareCalls(server, dir.path, program, files, names, env);
        // getaddrinfo for IPv4 (the fourth call of each name) of the first name.
        assert.deepEqual(compared.glibc[3]?.addresses ?? [], found, "getent itself");
        assert.deepEqual(compared.differences, []);
      });
    }
  },
});

Deno.test({
  name: `wget http://myservice:PORT/ in a Kubernetes pod resolves, asks and fetches as GNU wget${
    WGET_IGNORE ? ` (ignored: ${WGET_IGNORE})` : ""
  }`,
  ignore: WGET_IGNORE !== undefined,
  async fn(t) {
    await using server = startZoneServer();
    await using dir = await tempDir();
    await using http = Deno.serve(
      { hostname: SERVER, port: 0, onListen: () => {} },
      () => new Response("hello from myservice\n"),
    );
    const url = `http://myservice:${http.addr.port}/`;
    const files = etc(POD);
    const lines = (text: string) =>
      text.split("\n").filter((line) => /^(Resolving|Connecting)/.test(line));
    await t.step("wget", async () => {
      let from = server.log.length;
      const gnu = await runWithEtcFiles(dir.path, files, ["wget", "-t1", "-O", "-", url]);
      const gnuQuestions = server.log.slice(from).map(({ text }) => text);
      assert.equal(gnu.stdout, "hello from myservice\n", gnu.stderr);
      assert.deepEqual(lines(gnu.stderr), [
        `Resolving myservice (myservice)... ${SERVER}`,
        `Connecting to myservice (myservice)|${SERVER}|:${http.addr.port}... connected.`,
      ]);
      assert.deepEqual(gnuQuestions, [
        "A myservice.default.svc.cluster.local",
        "AAAA myservice.default.svc.cluster.local",
      ]);
      from = server.log.length;
      const ours = await runWithEtcFiles(dir.path, files, [
        Deno.execPath(),
        "run",
        "-A",
        "cmd/wget.ts",
        "-t1",
        "-O",
        "-",
        url,
      ]);
      assert.equal(ours.stdout, gnu.stdout, ours.stderr);
      assert.deepEqual(lines(ours.stderr), lines(gnu.stderr));
      assert.deepEqual(server.log.slice(from).map(({ text }) => text), gnuQuestions);
    });
    await t.step("createClientSocket", async () => {
      const run = await runWithEtcFiles(dir.path, files, [
        Deno.execPath(),
        "run",
        "-A",
        "tests/harness/marked_lookups_probe.ts",
        SERVER,
        `connect:${http.addr.port}`,
        "myservice",
        `connect:${http.addr.port}`,
        "kubernetes", // no such service: NXDOMAIN everywhere
      ]);
      const [found, missing] = run.stdout.trim().split("\n").map((line) =>
        JSON.parse(line) as MarkedLookup
      );
      assert.match(found?.status ?? "", /^HTTP\/1\.[01] 200 OK$/, run.stderr);
      assert.equal(missing?.error, "SocketError", run.stdout);
    });
    await t.step(
      "resolve-hostname --debug names every name of the search list it asks",
      async () => {
        const run = await runWithEtcFiles(
          dir.path,
          files,
          resolveHostnameCommand("--debug", "intranet"),
        );
        const asked = run.stderr.split("\n").flatMap((line) =>
          /for A (\S+):/.exec(line)?.[1] ?? []
        );
        assert.deepEqual(asked, [
          "intranet.default.svc.cluster.local",
          "intranet.svc.cluster.local",
          "intranet.cluster.local",
          "intranet.corp.test",
        ]);
        assert.match(run.stdout, /^Official name is "intranet\.corp\.test"$/m);
      },
    );
  },
});

Deno.test({
  name:
    `resolve-hostname --ahosts under a pod's options rotate sends each pair to one server, as getent ahosts${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    // Found beside getent: netkit turned the rotation once a question, so a name's A and AAAA
    // questions went to two servers; glibc turns it once a pair (one res_send for both).
    const addresses = loopbackAddresses(3);
    const log: string[] = [];
    const servers = addresses.map((address, i) =>
      startDnsServerAt(address, 53, (wire) => {
        const query = decodeDnsMessage(wire);
        const type = query.questions[0]?.type === DNS_TYPE.A ? "A" : "AAAA";
        log.push(`${i} ${type} ${query.questions[0]?.name}`);
        return answerTo(query, { rcode: DNS_RCODE.NXDOMAIN, authoritative: true });
      })
    );
    try {
      await using dir = await tempDir();
      const resolvConf = addresses.map((address) => `nameserver ${address}\n`).join("") +
        POD.replace(/^nameserver .*\n/, "") + "options rotate\n";
      /** Whether each pair went to one server, and the pairs to the servers in turn. */
      const pairsInTurn = (questions: string[]) =>
        questions.length === 10 && questions.every((question, i) => {
          const [server, type, name] = question.split(" ");
          const [first, , firstName] = questions[i - (i % 2)]!.split(" ");
          const [previous] = (questions[i - 2] ?? "").split(" ");
          return type === (i % 2 === 0 ? "A" : "AAAA") && server === first &&
            name === firstName &&
            (i < 2 || Number(server) === (Number(previous) + 1) % 3);
        });
      await runWithEtcFiles(dir.path, etc(resolvConf), ["getent", "ahosts", "nothere"]);
      assert.ok(pairsInTurn(log), `getent itself: ${log.join(", ")}`);
      log.length = 0;
      await runWithEtcFiles(
        dir.path,
        etc(resolvConf),
        resolveHostnameCommand("--ahosts", "nothere"),
      );
      assert.ok(pairsInTurn(log), log.join(", "));
    } finally {
      for (const server of servers) await server[Symbol.asyncDispose]();
    }
  },
});
