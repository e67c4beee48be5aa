/**
 * DNS benchmark: sequential lookups of `www.test` (a CNAME chain of two links to three A
 * records) against a local dnsmasq, netkit's `resolveHost` (own codec over
 * `Deno.listenDatagram`) side by side with the anchor `Deno.resolveDns` (hickory-dns) asking the same server, in alternating
 * rounds of one run. Also `inetPton` + `inetNtop` against the anchor `new URL()` parsing the
 * same IPv6 literals. Then a hosts-file hit (`localhost` from /etc/hosts) against the anchor
 * glibc's `gethostbyname` in a C loop (bench/gethostbyname.c, built with gcc), and the wall time
 * of `resolve-hostname localhost` against an empty `deno run`, interleaved. Run alone with
 * `deno run -A bench/dns.ts`.
 *
 * @module
 */

import { inetNtop, inetPton } from "../lib/net/inet.ts";
import { resolveHost } from "../lib/dns/resolver.ts";
import { startDnsmasq } from "../tests/harness/dns_peers.ts";

const ROUNDS = 5;
const PER_ROUND = 300;

await using dnsmasq = await startDnsmasq();
const port = dnsmasq.port;

const netkit = async () => {
  const entry = await resolveHost("www.test", {
    nameServer: { hostname: "127.0.0.1", port },
    hostsFile: false,
  });
  if (entry.addresses.length !== 3) throw new Error("netkit: wrong answer");
};
const anchor = async () => {
  const addresses = await Deno.resolveDns("www.test", "A", {
    nameServer: { ipAddr: "127.0.0.1", port },
  });
  if (addresses.length !== 3) throw new Error("Deno.resolveDns: wrong answer");
};
const totals = { netkit: 0, anchor: 0 };
await netkit();
await anchor();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn] of [["netkit", netkit], ["anchor", anchor]] as const) {
    const start = performance.now();
    for (let i = 0; i < PER_ROUND; i++) await fn();
    totals[name] += performance.now() - start;
  }
}
const n = ROUNDS * PER_ROUND;
const line = (label: string, ms: number) =>
  `| ${label.padEnd(44)} | ${String(Math.round(n / (ms / 1000))).padStart(9)} | ${
    (ms / n * 1000).toFixed(0).padStart(8)
  } |`;
console.log(`DNS lookups of www.test (CNAME x2 -> 3 A) against dnsmasq on loopback, ${n} each`);
console.log("| lookup                                       | lookups/s |  µs each |");
console.log("|----------------------------------------------|-----------|----------|");
console.log(line("netkit resolveHost (own codec)", totals.netkit));
console.log(line("anchor: Deno.resolveDns", totals.anchor));

const literals = ["2001:db8::1", "::ffff:192.0.2.1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8"];
const parses = 200_000;
let start = performance.now();
for (let i = 0; i < parses; i += literals.length) {
  for (const literal of literals) inetNtop(inetPton(literal));
}
const ours = performance.now() - start;
start = performance.now();
for (let i = 0; i < parses; i += literals.length) {
  for (const literal of literals) void new URL(`http://[${literal}]/`).hostname;
}
const url = performance.now() - start;
console.log(`\nIPv6 literal parse and print, ${parses} each`);
console.log("| parser                                       | per second |");
console.log("|----------------------------------------------|------------|");
console.log(
  `| netkit inetPton + inetNtop                   | ${
    String(Math.round(parses / (ours / 1000))).padStart(10)
  } |`,
);
console.log(
  `| anchor: new URL("http://[…]/").hostname      | ${
    String(Math.round(parses / (url / 1000))).padStart(10)
  } |`,
);
console.log(
  `\nmachine: ${Deno.build.target}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}`,
);

// A hosts-file hit: netkit (parsed once, re-read when the file changes) vs glibc.
const HOSTS_HITS = 20_000;
start = performance.now();
for (let i = 0; i < HOSTS_HITS; i++) {
  await resolveHost("localhost", { nsswitchConf: false });
}
const hostsRate = HOSTS_HITS / ((performance.now() - start) / 1000);
const scratch = await Deno.makeTempDir({ prefix: "netkit_bench_dns_" });
const here = new URL(".", import.meta.url).pathname;
const built = await new Deno.Command("gcc", {
  args: ["-O2", "-o", `${scratch}/gethostbyname`, `${here}gethostbyname.c`],
}).output();
let glibcRate = Number.NaN;
if (built.success) {
  const out = await new Deno.Command(`${scratch}/gethostbyname`, {
    args: ["localhost", String(HOSTS_HITS)],
  }).output();
  glibcRate = Number(new TextDecoder().decode(out.stdout).trim());
}
console.log(`\nHosts-file hit (localhost), ${HOSTS_HITS} each`);
console.log("| lookup                                       | lookups/s | × anchor |");
console.log("|----------------------------------------------|-----------|----------|");
console.log(
  `| netkit resolveHost                           | ${
    String(Math.round(hostsRate)).padStart(9)
  } | ${(hostsRate / glibcRate).toFixed(2).padStart(8)} |`,
);
console.log(
  `| anchor: glibc gethostbyname (C loop)         | ${
    String(Math.round(glibcRate)).padStart(9)
  } |     1.00 |`,
);

// resolve-hostname's wall time against an empty deno run, interleaved.
const empty = `${scratch}/empty.ts`;
await Deno.writeTextFile(empty, "");
const command = new URL("../cmd/resolve-hostname.ts", import.meta.url).pathname;
const wall = { command: [] as number[], empty: [] as number[] };
for (let round = -2; round < 20; round++) {
  for (const [key, args] of [["empty", [empty]], ["command", [command, "localhost"]]] as const) {
    const t0 = performance.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", ...args],
      stdout: "null",
      stderr: "null",
    }).output();
    if (!out.success) throw new Error(`${key} exited with ${out.code}`);
    if (round >= 0) wall[key].push(performance.now() - t0);
  }
}
const median = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
console.log(`\nWall time, median of 20 interleaved runs`);
console.log(
  `| resolve-hostname localhost: ${median(wall.command).toFixed(1)} ms | empty deno run: ${
    median(wall.empty).toFixed(1)
  } ms | ${(median(wall.command) / median(wall.empty)).toFixed(2)}× (goal ≤ 1.3×) |`,
);
await Deno.remove(scratch, { recursive: true });
