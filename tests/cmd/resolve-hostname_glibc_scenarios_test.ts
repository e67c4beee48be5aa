/**
 * `resolve-hostname` beside glibc 2.36 on scenarios taken from glibc's own resolver tests
 * (resolv/tst-resolv-res_init-skeleton.c and its neighbours: resolv.conf texts with odd
 * whitespace, repeated and overridden directives, option values out of range or oddly written,
 * the host's own name as the search list's source; host.conf's `multi`, which glibc's files
 * source reads, and its `trim`, which gethostbyaddr applies, from nss_files/files-hosts.c and
 * res_hconf.c), run for real: as root, in a mount
 * namespace with the scenario's resolv.conf over `/etc` and a UTS namespace with its host
 * name, against a DNS server of the test's own on port 53 of a loopback address. The oracle is
 * this machine's `getent ahostsv4` (and `getent ahosts`, and gethostbyname from
 * tests/harness/glibc_calls.c): the addresses, and the questions the server saw, in order.
 * Ignored, with the reason, where namespaces, getent or gcc cannot be had.
 */

import assert from "node:assert/strict";
import { decodeDnsMessage, DNS_RCODE, DNS_TYPE } from "../../lib/dns/message.ts";
import { answerTo, startDnsServerAt } from "../harness/dns_peers.ts";
import { loopbackAddress } from "../harness/loopback_address.ts";
import { tempDir } from "../harness/peers.ts";
import {
  type EtcFiles,
  etcNamespaceUnavailable,
  resolveHostnameCommand,
  runWithEtcFiles,
  runWithEtcFilesAbsent,
} from "../harness/etc_namespace.ts";
import {
  compileGlibcCalls,
  glibcCallsUnavailable,
  parseGlibcCalls,
} from "../harness/glibc_calls.ts";

/** Why the tests cannot run here: the mount namespace's reasons, or no UTS namespace. */
function unavailable(): string | undefined {
  const reason = etcNamespaceUnavailable(["getent"]);
  if (reason) return reason;
  try {
    const probe = new Deno.Command("unshare", { args: ["-u", "true"] }).outputSync();
    return probe.success ? undefined : "unshare -u is not permitted here";
  } catch (error) {
    return `cannot probe unshare -u: ${error}`;
  }
}

const IGNORE = unavailable();
const IGNORED = IGNORE ? ` (ignored: ${IGNORE})` : "";

/** A loopback address of its own for this file's DNS server. */
const SERVER = loopbackAddress();

/** The addresses the server gives, by the name asked (A questions only); others NXDOMAIN. */
const RECORDS: Record<string, string> = {
  "h1": "10.9.0.1",
  "h1.example.com": "10.9.0.2",
  "a.b": "10.9.0.3",
  "a.b.example.com": "10.9.0.4",
  "a.b.c": "10.9.0.5",
  "a.b.c.example.com": "10.9.0.6",
};

/** The questions the server saw (`TYPE name`, `+edns` when an OPT record came), in order. */
const seen: string[] = [];

function answer(wire: Uint8Array): Uint8Array | undefined {
  const query = decodeDnsMessage(wire);
  const question = query.questions[0];
  if (!question) return undefined;
  const type = question.type === DNS_TYPE.A ? "A" : question.type === DNS_TYPE.AAAA ? "AAAA" : "?";
  seen.push(`${type} ${question.name}${query.additionals.length > 0 ? " +edns" : ""}`);
  if (question.type === DNS_TYPE.PTR && question.name === "9.0.9.10.in-addr.arpa") {
    return answerTo(query, {
      answers: [{
        name: question.name,
        type: DNS_TYPE.PTR,
        class: 1,
        ttl: 60,
        data: "ptr.corp.test",
      }],
    });
  }
  const address = RECORDS[question.name.toLowerCase()];
  if (address === undefined) {
    return answerTo(query, { rcode: DNS_RCODE.NXDOMAIN, authoritative: true });
  }
  return answerTo(query, {
    answers: question.type === DNS_TYPE.A
      ? [{ name: question.name, type: DNS_TYPE.A, class: 1, ttl: 60, data: address }]
      : [],
  });
}

/** One scenario: its resolv.conf, host name, environment, and the name looked up. */
interface Scenario {
  what: string;
  resolvConf: string;
  hostName?: string;
  env?: Record<string, string>;
  name: string;
  /** What getent must give (a namespace that does not work cannot agree by accident). */
  expected: string[];
}

const NS = `nameserver ${SERVER}\n`;

const SCENARIOS: Scenario[] = [
  // tst-resolv-res_init-skeleton.c's own texts, with this file's server.
  {
    what: "skeleton 'whitespace': comments, tabs, trailing blanks, no final newline",
    resolvConf: "# comment  (trailing whitespace,\n# x\n\n;search commented out\n" +
      `search corp.example.com\texample.com \n#nameserver 192.0.2.3\n${NS.trim()} \n` +
      "nameserver 192.0.2.2",
    name: "h1",
    expected: ["10.9.0.2"],
  },
  {
    what: "skeleton 'domain override': a domain line after search, without a newline",
    resolvConf: `search example.org example.net\n${NS}domain example.com`,
    name: "h1",
    expected: ["10.9.0.2"],
  },
  {
    what: "skeleton 'option values': tabs between options, domain then search",
    resolvConf: "options\tinet6\tndots:3 edns0\tattempts:5\ttimeout:19\ndomain  example.net\n" +
      `;domain comment\nsearch corp.example.com\texample.com\n${NS}`,
    name: "a.b.c",
    expected: ["10.9.0.6"],
  },
  {
    what: "skeleton 'repeated directives': the last options win, a bare search line is none",
    resolvConf: "options ndots:3 rotate\noptions edns0 ndots:2\ndomain corp.example\n" +
      `search example.net corp.example.org example.org\nsearch example.com\nsearch\n${NS}`,
    name: "a.b",
    expected: ["10.9.0.4"],
  },
  {
    what: "skeleton 'garbage after nameserver': a port is no address",
    resolvConf: `nameserver 192.0.2.2:5353\n${NS.trim()} garbage\nsearch example.com\n`,
    name: "h1",
    expected: ["10.9.0.2"],
  },
  {
    what: "skeleton 'RES_OPTIONS is cumulative'",
    resolvConf: `options timeout:7 ndots:2\n${NS}search example.com\n`,
    env: { RES_OPTIONS: "attempts:5 ndots:3 edns0 " },
    name: "a.b.c",
    expected: ["10.9.0.6"],
  },
  {
    // glibc 2.41 clears flags with a "-"; 2.36 ignores the word.
    what: "skeleton 'RES_OPTIONS can clear flags': not in glibc 2.36",
    resolvConf: `options ndots:2 edns0\n${NS}search example.com\n`,
    env: { RES_OPTIONS: "ndots:3 -edns0 -no-aaaa" },
    name: "a.b.c",
    expected: ["10.9.0.6"],
  },
  {
    what: "skeleton 'empty file with LOCALDOMAIN' (the host name's domain not used)",
    resolvConf: NS,
    hostName: "www.example.org",
    env: { LOCALDOMAIN: "example.com" },
    name: "h1",
    expected: ["10.9.0.2"],
  },
  // Option numbers as glibc's atoi reads them.
  {
    what: "ndots: 2, a blank after the colon: atoi skips it",
    resolvConf: `${NS}search example.com\noptions ndots: 2\n`,
    name: "a.b",
    expected: ["10.9.0.4"],
  },
  {
    what: "ndots:VT3: atoi skips C's white space",
    resolvConf: `${NS}search example.com\noptions ndots:\u000b3\n`,
    name: "a.b.c",
    expected: ["10.9.0.6"],
  },
  {
    what: "ndots:4294967297: an int's low 32 bits, 1",
    resolvConf: `${NS}search example.com\noptions ndots:4294967297\n`,
    name: "a.b",
    expected: ["10.9.0.3"],
  },
  {
    what: "ndots:2147483648: INT_MIN, 0 in ndots' 4 bits",
    resolvConf: `${NS}search example.com\noptions ndots:2147483648\n`,
    name: "h1",
    expected: ["10.9.0.1"],
  },
  {
    what: "ndots:99999999999999999999: LONG_MAX, -1, 15 in 4 bits",
    resolvConf: `${NS}search example.com\noptions ndots:99999999999999999999\n`,
    name: "a.b.c",
    expected: ["10.9.0.6"],
  },
  {
    // glibc reads each line as a C string: a NUL ends it.
    what: "a NUL ends a line: nameserver, search and options before it only",
    resolvConf: `nameserver 192.0.2.9\0junk\n${NS}search example.com\0 other.test\n` +
      "options timeout:1 ndots:2\0 ndots:1\n",
    name: "a.b",
    expected: ["10.9.0.4"],
  },
  // The host's own name as the search list (skeleton 'empty file', domain_from_hostname).
  {
    what: "host name www.example.com: search example.com",
    resolvConf: NS,
    hostName: "www.example.com",
    name: "h1",
    expected: ["10.9.0.2"],
  },
  {
    what: "host name without a dot: no search list",
    resolvConf: NS,
    hostName: "example",
    name: "h1",
    expected: ["10.9.0.1"],
  },
  {
    what: "host name .example.com: what follows the first dot",
    resolvConf: NS,
    hostName: ".example.com",
    name: "h1",
    expected: ["10.9.0.2"],
  },
  {
    what: "host name www..example.com: the domain's leading dot dropped",
    resolvConf: NS,
    hostName: "www..example.com",
    name: "h1",
    expected: ["10.9.0.2"],
  },
  {
    what: "host name www.example.com.: the final dot dropped",
    resolvConf: NS,
    hostName: "www.example.com.",
    name: "h1",
    expected: ["10.9.0.2"],
  },
  {
    what: "host name www.: the root, a dotted name asked twice",
    resolvConf: NS,
    hostName: "www.",
    name: "x.y",
    expected: [],
  },
];

/** Runs `argv` with the scenario's files, environment and host name; what it printed, and the questions seen. */
async function run(dir: string, scenario: Scenario, argv: string[]) {
  const files: EtcFiles = {
    "resolv.conf": scenario.resolvConf,
    hosts: "127.0.0.1 localhost\n",
    "nsswitch.conf": "hosts: files dns\n",
  };
  // A UTS namespace of its own inside the mount namespace: the host's name is left alone.
  const withHostName = [
    "unshare",
    "-u",
    "sh",
    "-c",
    'printf %s "$1" > /proc/sys/kernel/hostname && shift && exec "$@"',
    "sh",
    scenario.hostName ?? "scenario",
    ...argv,
  ];
  seen.length = 0;
  const result = await runWithEtcFiles(dir, files, withHostName, scenario.env ?? {});
  return { ...result, questions: [...seen] };
}

Deno.test({
  name: `resolve-hostname reads glibc's own resolv.conf scenarios as getent does${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    for (const scenario of SCENARIOS) {
      await t.step(scenario.what, async () => {
        const glibc = await run(dir.path, scenario, ["getent", "ahostsv4", scenario.name]);
        const glibcAddresses = [
          ...new Set(glibc.stdout.split("\n").filter(Boolean).map((line) => line.split(/\s+/)[0])),
        ];
        assert.deepEqual(glibcAddresses, scenario.expected, `getent itself: ${glibc.stderr}`);
        const ours = await run(dir.path, scenario, resolveHostnameCommand("--json", scenario.name));
        const json = JSON.parse(ours.stdout.trim() || "{}") as { addresses?: string[] };
        assert.deepEqual(json.addresses ?? [], glibcAddresses, ours.stderr);
        assert.deepEqual(ours.questions, glibc.questions);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname --ahosts takes the host name's domain as getent ahosts does${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    const scenario = SCENARIOS.find((s) => s.hostName === ".example.com")!;
    const glibc = await run(dir.path, scenario, ["getent", "ahosts", "h1"]);
    assert.match(glibc.stdout, /^10\.9\.0\.2 +STREAM h1\.example\.com$/m, "getent itself");
    const ours = await run(dir.path, scenario, resolveHostnameCommand("--ahosts", "h1"));
    assert.equal(ours.stdout, glibc.stdout);
    assert.deepEqual(ours.questions, glibc.questions);
  },
});

const HOST_CONF_IGNORE = IGNORE ?? glibcCallsUnavailable();
const HOST_CONF_IGNORED = HOST_CONF_IGNORE ? ` (ignored: ${HOST_CONF_IGNORE})` : "";

/** A name on three lines, the first of them IPv6, the last naming another host first. */
const MULTI_HOSTS = "127.0.0.1 localhost\nfd00::1 m.test\n10.0.0.1 m.test\n" +
  "10.0.0.2 x.test m.test\n";

/** What, host.conf's text (undefined: no file), the environment, and getent ahostsv4's count. */
const HOST_CONF_CASES: [string, string | undefined, Record<string, string>, number][] = [
  ["multi on: every line", "multi on\n", {}, 2],
  ["multi off: the first line", "multi off\n", {}, 1],
  ["no host.conf: glibc's multi off", undefined, {}, 1],
  ["a file without multi", "order hosts,bind\n", {}, 1],
  ["any case, a comment after", "  MULTI On # the usual\n", {}, 2],
  ["an argument neither on nor off leaves the flag", "multi on\nmulti yes\n", {}, 2],
  ["multi#on: no argument", "multi#on\n", {}, 1],
  ["RESOLV_MULTI=off after the file", "multi on\n", { RESOLV_MULTI: "off" }, 1],
  ["RESOLV_MULTI=ON without a file", undefined, { RESOLV_MULTI: "ON" }, 2],
];

Deno.test({
  name: `resolve-hostname reads host.conf's multi and reorder as glibc${HOST_CONF_IGNORED}`,
  ignore: HOST_CONF_IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const glibcCalls = await compileGlibcCalls(dir.path);
    for (const [what, hostConf, env, count] of HOST_CONF_CASES) {
      await t.step(what, async () => {
        const files: EtcFiles = {
          "resolv.conf": "nameserver 127.0.0.1\n",
          hosts: MULTI_HOSTS,
          "nsswitch.conf": "hosts: files\n",
        };
        const run = (argv: string[]) =>
          hostConf === undefined
            ? runWithEtcFilesAbsent(dir.path, files, ["host.conf"], argv, env)
            : runWithEtcFiles(dir.path, { ...files, "host.conf": hostConf }, argv, env);
        const v4 = await run(["getent", "ahostsv4", "m.test"]);
        const v4Addresses = v4.stdout.split("\n").filter((line) => / STREAM /.test(line))
          .map((line) => line.split(/\s+/)[0]);
        assert.equal(v4Addresses.length, count, `getent itself: ${v4.stderr}`);
        const ours = await run(resolveHostnameCommand("--json", "m.test"));
        assert.deepEqual(JSON.parse(ours.stdout).addresses, v4Addresses, ours.stderr);
        // gethostbyname's official name and aliases (the later lines' names under multi on).
        const [ghbn] = parseGlibcCalls((await run([glibcCalls, "ghbn", "m.test"])).stdout);
        const json = JSON.parse(ours.stdout);
        assert.deepEqual([json.officialName, json.aliases], [ghbn?.officialName, ghbn?.aliases]);
        const ahosts = await run(["getent", "ahosts", "m.test"]);
        const oursAhosts = await run(resolveHostnameCommand("--ahosts", "m.test"));
        assert.equal(oursAhosts.stdout, ahosts.stdout);
      });
    }
    // reorder: gethostbyname puts the first address of a network of the host (here lo's,
    // 127.0.0.0/8) first, trading places with the first address.
    for (
      const [what, hostConf, env] of [
        ["reorder on", "multi on\nreorder on\n", {}],
        ["RESOLV_REORDER=on", "multi on\n", { RESOLV_REORDER: "on" }],
        ["reorder off", "multi on\nreorder off\n", {}],
      ] as const
    ) {
      await t.step(what, async () => {
        const files: EtcFiles = {
          "resolv.conf": "nameserver 127.0.0.1\n",
          hosts:
            "127.0.0.1 localhost\n10.255.255.1 r.test\n10.255.255.2 r.test\n127.0.0.5 r.test\n",
          "nsswitch.conf": "hosts: files\n",
          "host.conf": hostConf,
        };
        const run = await runWithEtcFiles(dir.path, files, [glibcCalls, "ghbn", "r.test"], env);
        const [ghbn] = parseGlibcCalls(run.stdout);
        assert.deepEqual(
          ghbn?.addresses,
          what === "reorder off"
            ? ["10.255.255.1", "10.255.255.2", "127.0.0.5"]
            : ["127.0.0.5", "10.255.255.2", "10.255.255.1"],
          "gethostbyname itself",
        );
        const ours = await runWithEtcFiles(
          dir.path,
          files,
          resolveHostnameCommand("--json", "r.test"),
          env,
        );
        assert.deepEqual(JSON.parse(ours.stdout).addresses, ghbn?.addresses);
        // getaddrinfo does not reorder: RFC 6724 sorts.
        const ahosts = await runWithEtcFiles(dir.path, files, ["getent", "ahosts", "r.test"], env);
        const oursAhosts = await runWithEtcFiles(
          dir.path,
          files,
          resolveHostnameCommand("--ahosts", "r.test"),
          env,
        );
        assert.equal(oursAhosts.stdout, ahosts.stdout);
      });
    }
    await t.step("RESOLV_HOST_CONF names the file", async () => {
      await Deno.writeTextFile(`${dir.path}/other-host.conf`, "multi on\n");
      const files: EtcFiles = {
        "resolv.conf": "nameserver 127.0.0.1\n",
        hosts: MULTI_HOSTS,
        "nsswitch.conf": "hosts: files\n",
        "host.conf": "multi off\n",
      };
      const env = { RESOLV_HOST_CONF: `${dir.path}/other-host.conf` };
      const glibc = await runWithEtcFiles(dir.path, files, ["getent", "ahosts", "m.test"], env);
      assert.match(glibc.stdout, /^10\.0\.0\.2 +STREAM/m, "getent itself");
      const ours = await runWithEtcFiles(
        dir.path,
        files,
        resolveHostnameCommand("--ahosts", "m.test"),
        env,
      );
      assert.equal(ours.stdout, glibc.stdout);
    });
  },
});

/** A hosts file line of many names, for `trim`; `-x 10.9.0.9` asks DNS, whose PTR names it. */
const TRIM_HOSTS = "127.0.0.1 localhost\n10.0.0.1 m.a.test n.b.test o.C.test p.d.test q.e.test " +
  "s.a.test;.b.test\n";

/** What, host.conf's text, the environment, the address, and getent hosts' names. */
const TRIM_CASES: [string, string, Record<string, string>, string, string[]][] = [
  ["a domain cut off any name it ends", "trim .a.test\n", {}, "10.0.0.1", [
    "m",
    "n.b.test",
    "o.C.test",
    "p.d.test",
    "q.e.test",
    "s.a.test;.b.test",
  ]],
  [
    "in any case; `;` stays inside a word",
    "trim .c.test, .a.test;.b.test\t.b.test\n",
    {},
    "10.0.0.1",
    [
      "m.a.test",
      "n",
      "o",
      "p.d.test",
      "q.e.test",
      "s",
    ],
  ],
  ["four at most", "trim .a.test .b.test .c.test .d.test .e.test\n", {}, "10.0.0.1", [
    "m",
    "n",
    "o",
    "p",
    "q.e.test",
    "s.a.test;",
  ]],
  ["an empty domain first cuts nothing", "trim\ntrim .a.test\n", {}, "10.0.0.1", [
    "m.a.test",
    "n.b.test",
    "o.C.test",
    "p.d.test",
    "q.e.test",
    "s.a.test;.b.test",
  ]],
  [
    "RESOLV_OVERRIDE_TRIM_DOMAINS replaces the list",
    "trim .a.test\n",
    {
      RESOLV_OVERRIDE_TRIM_DOMAINS: ".e.test",
    },
    "10.0.0.1",
    ["m.a.test", "n.b.test", "o.C.test", "p.d.test", "q", "s.a.test;.b.test"],
  ],
  ["a DNS answer's name too", "trim .corp.test\n", {}, "10.9.0.9", ["ptr"]],
];

Deno.test({
  name: `resolve-hostname -x cuts host.conf's trim domains as gethostbyaddr${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    for (const [what, hostConf, env, address, expected] of TRIM_CASES) {
      await t.step(what, async () => {
        const files: EtcFiles = {
          "resolv.conf": NS,
          hosts: TRIM_HOSTS,
          "nsswitch.conf": "hosts: files dns\n",
          "host.conf": hostConf,
        };
        const glibc = await runWithEtcFiles(dir.path, files, ["getent", "hosts", address], env);
        const glibcNames = glibc.stdout.trim().split(/\s+/).slice(1);
        assert.deepEqual(glibcNames, expected, `getent itself: ${glibc.stderr}`);
        const ours = await runWithEtcFiles(
          dir.path,
          files,
          resolveHostnameCommand("--json", "-x", address),
          env,
        );
        assert.deepEqual(JSON.parse(ours.stdout).names, glibcNames, ours.stderr);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname ends a hosts-file line at a NUL, as glibc's files source${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const nul = "127.0.0.1 localhost\n10.0.0.17 x\0nul.test\n10.0.0.18 y.test\n";
    // Over 16 KiB, the file is searched for the lines a name needs (lib/dns/_hosts_text.ts).
    const big = "0.0.0.0 ads.test\n".repeat(2_000) + nul;
    for (const [size, hosts] of [["small", nul], ["large", big]] as const) {
      for (const [name, expected] of [["x", ["10.0.0.17"]], ["nul.test", []]] as const) {
        await t.step(`${name}, ${size} file`, async () => {
          const files: EtcFiles = {
            "resolv.conf": "nameserver 127.0.0.1\n",
            hosts,
            "nsswitch.conf": "hosts: files\n",
          };
          const glibc = await runWithEtcFiles(dir.path, files, ["getent", "ahostsv4", name]);
          const glibcAddresses = glibc.stdout.split("\n").filter((line) => / STREAM /.test(line))
            .map((line) => line.split(/\s+/)[0]);
          assert.deepEqual(glibcAddresses, expected, "getent itself");
          const ours = await runWithEtcFiles(
            dir.path,
            files,
            resolveHostnameCommand("--json", name),
          );
          assert.deepEqual(JSON.parse(ours.stdout).addresses ?? [], glibcAddresses);
        });
      }
    }
  },
});

Deno.test({
  name: `resolve-hostname ends an nsswitch.conf line at a NUL, as glibc${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const cases: [string, string[]][] = [
      ["hosts: dns\0 files\n", []],
      ["hosts: files\0\n", ["10.0.0.1"]],
      ["hosts:\0 files\n", []],
      ["hosts: files\npasswd: files\0 [bogus]\n", ["10.0.0.1"]],
    ];
    for (const [nsswitch, expected] of cases) {
      await t.step(JSON.stringify(nsswitch), async () => {
        const files: EtcFiles = {
          // A dead server: DNS fails at once.
          "resolv.conf": `nameserver ${loopbackAddress()}\noptions timeout:1 attempts:1\n`,
          hosts: "127.0.0.1 localhost\n10.0.0.1 files.test\n",
          "nsswitch.conf": nsswitch,
        };
        const glibc = await runWithEtcFiles(dir.path, files, ["getent", "ahostsv4", "files.test"]);
        const glibcAddresses = glibc.stdout.split("\n").filter((line) => / STREAM /.test(line))
          .map((line) => line.split(/\s+/)[0]);
        assert.deepEqual(glibcAddresses, expected, "getent itself");
        const ours = await runWithEtcFiles(
          dir.path,
          files,
          resolveHostnameCommand("--json", "files.test"),
        );
        assert.deepEqual(JSON.parse(ours.stdout).addresses ?? [], glibcAddresses);
      });
    }
  },
});
