/**
 * Many lookups at once from one program (issue #16, "the library as a program that imports it
 * uses it"): 1,000 lookups of both families started together by netkit's `lookupAddresses`,
 * by `Deno.resolveDns` (A and AAAA), by `node:dns`'s `lookup` (getaddrinfo on a thread pool)
 * and by a C program of 1,000 threads each calling glibc's getaddrinfo (the anchor;
 * bench/getaddrinfo_threads.c, built with gcc), on one system configuration: as root, in a mount
 * namespace with this run's resolv.conf, hosts and nsswitch.conf bind-mounted over `/etc`.
 * Cases: dnsmasq on port 53 of a loopback address (distinct names, one name 1,000 times, and
 * under `prlimit --nofile=64`), a server of this script's that answers after 1.5 s
 * (`options timeout:1 attempts:2`), and one that drops every other question. Prints one row a
 * case: each resolver's wall time and outcomes. Needs root, unshare, prlimit, dnsmasq and gcc.
 * Run alone with `deno run -A bench/dns_many_at_once.ts [COUNT]`.
 *
 * @module
 */

import { answerTo, listenDnsPort, startDnsmasqOnPort53 } from "../tests/harness/dns_peers.ts";
import { tempDir } from "../tests/harness/peers.ts";
import { runWithEtcFiles } from "../tests/harness/etc_namespace.ts";
import { decodeDnsMessage, DNS_TYPE } from "../lib/dns/message.ts";

const COUNT = Number(Deno.args[0] ?? 1000);
const DNSMASQ = "127.87.1.1";
const OWN = "127.87.1.2";
const here = new URL(".", import.meta.url).pathname;

await using dir = await tempDir();
const gcc = await new Deno.Command("gcc", {
  args: [
    "-O2",
    "-pthread",
    "-o",
    `${dir.path}/getaddrinfo_threads`,
    `${here}getaddrinfo_threads.c`,
  ],
}).output();
if (!gcc.success) throw new Error(new TextDecoder().decode(gcc.stderr));

await using _dnsmasq = await startDnsmasqOnPort53(DNSMASQ, [
  "--address=/test/10.0.0.1",
  "--address=/test/fd00::1",
]);

/** This script's server on OWN:53: answers as `mode` says (`slow`: after 1.5 s; `drop`: every other). */
function ownServer(mode: "slow" | "drop") {
  const [udp, tcp] = listenDnsPort(OWN, 53);
  let count = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const serving = (async () => {
    try {
      while (true) {
        const [wire, from] = await udp.receive();
        const query = decodeDnsMessage(wire);
        const question = query.questions[0];
        if (question === undefined || (mode === "drop" && count++ % 2 === 0)) continue;
        const data = question.type === DNS_TYPE.AAAA ? "fd00::1" : "10.0.0.1";
        const reply = answerTo(query, {
          answers: [{ name: question.name, type: question.type, ttl: 60, data }],
        });
        if (mode === "drop") udp.send(reply, from).catch(() => {});
        else {
          const timer = setTimeout(() => {
            timers.delete(timer);
            udp.send(reply, from).catch(() => {});
          }, 1500);
          timers.add(timer);
        }
      }
    } catch {
      // Closed.
    }
  })();
  return {
    async [Symbol.asyncDispose]() {
      timers.forEach(clearTimeout);
      udp.close();
      tcp.close();
      await serving;
    },
  };
}

/** One resolver's run: its wall time and outcomes, or what went wrong. */
async function run(resolvConf: string, argv: string[], nofile: number): Promise<string> {
  const files = {
    "resolv.conf": resolvConf,
    hosts: "127.0.0.1 localhost\n",
    "nsswitch.conf": "hosts: files dns\n",
  };
  const done = await runWithEtcFiles(dir.path, files, ["prlimit", `--nofile=${nofile}`, ...argv]);
  const line = done.stdout.trim().split("\n").at(-1) ?? "";
  try {
    const { ms, outcomes } = JSON.parse(line) as { ms: number; outcomes: Record<string, number> };
    return `${ms} ms: ${Object.entries(outcomes).map(([k, v]) => `${v} ${k}`).join(", ")}`;
  } catch {
    const panic = /panicked at [^\n]*/.exec(done.stderr)?.[0];
    return panic ? `Deno ${panic}` : `exit ${done.code}: ${done.stderr.trim().split("\n")[0]}`;
  }
}

const probe = (resolver: string, same: boolean) => [
  Deno.execPath(),
  "run",
  "-A",
  `${here}_dns_many_at_once_probe.ts`,
  resolver,
  String(COUNT),
  ...(same ? ["same"] : []),
];

/** case, resolv.conf, one name or distinct names, descriptor limit, the server of our own */
const CASES: [string, string, boolean, number, "slow" | "drop" | undefined][] = [
  ["dnsmasq, distinct names", `nameserver ${DNSMASQ}\n`, false, 20000, undefined],
  ["dnsmasq, one name", `nameserver ${DNSMASQ}\n`, true, 20000, undefined],
  ["dnsmasq, --nofile=64", `nameserver ${DNSMASQ}\n`, false, 64, undefined],
  [
    "answers after 1.5 s",
    `nameserver ${OWN}\noptions timeout:1 attempts:2\n`,
    false,
    20000,
    "slow",
  ],
  ["drops every other", `nameserver ${OWN}\noptions timeout:1 attempts:2\n`, false, 20000, "drop"],
];

console.log(`${COUNT} lookups at once, both families`);
console.log("| case | glibc, threads | netkit | Deno.resolveDns | node:dns lookup |");
console.log("|---|---|---|---|---|");
for (const [label, resolvConf, same, nofile, own] of CASES) {
  await using _own = own === undefined ? undefined : ownServer(own);
  const glibc = await run(
    resolvConf,
    [`${dir.path}/getaddrinfo_threads`, String(COUNT), ...(same ? ["same"] : [])],
    nofile,
  );
  const cells = [glibc];
  for (const resolver of ["netkit", "resolveDns", "nodeLookup"]) {
    cells.push(await run(resolvConf, probe(resolver, same), nofile));
  }
  console.log(`| ${label} | ${cells.join(" | ")} |`);
}
