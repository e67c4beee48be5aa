/**
 * DNS benchmark: sequential lookups of `www.test` (a CNAME chain of two links to three A
 * records) against a local dnsmasq, netkit's `resolveHost` (own codec over
 * `Deno.listenDatagram`) side by side with the anchor `Deno.resolveDns` (hickory-dns) asking the same server, in alternating
 * rounds of one run. Also `inetPton` + `inetNtop` against the anchor `new URL()` parsing the
 * same IPv6 literals. Then a hosts-file hit (`localhost` from /etc/hosts) against the anchor
 * glibc's `gethostbyname` in a C loop (bench/gethostbyname.c, built with gcc), and the wall time
 * of `resolve-hostname localhost` against an empty `deno run` from inside the checkout,
 * interleaved. Run alone with `deno run -A bench/dns.ts`.
 *
 * @module
 */

import { inetNtop, inetPton } from "../lib/net/inet.ts";
import { resolveHost } from "../lib/dns/resolver.ts";
import { startDnsmasq } from "../tests/harness/dns_peers.ts";

const ROUNDS = 20;
const PER_ROUND = 150;

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
/**
 * The CPU time of this process's main thread so far, in microseconds (Linux's schedstat), or NaN:
 * the JavaScript, the ops and the event loop (hickory-dns runs there too), without the time spent
 * waiting for dnsmasq, which the wall time shares with every other process of a busy machine.
 */
const mainThreadCpuUs = () => {
  try {
    const stat = Deno.readTextFileSync(`/proc/self/task/${Deno.pid}/schedstat`);
    return Number(stat.split(" ")[0]) / 1000;
  } catch {
    return NaN;
  }
};
const totals = { netkit: 0, anchor: 0 };
const cpuTotals = { netkit: 0, anchor: 0 };
// The machine is shared: each round's ratio is kept, and their median and range reported.
const ratios: number[] = [];
for (let i = 0; i < PER_ROUND; i++) await netkit(); // warm-up: JIT and timers
for (let i = 0; i < PER_ROUND; i++) await anchor();
const pair = [["netkit", netkit], ["anchor", anchor]] as const;
for (let round = 0; round < ROUNDS; round++) {
  const took = { netkit: 0, anchor: 0 };
  // Each side first in every other round: neither always inherits the other's garbage.
  for (const [name, fn] of round % 2 === 0 ? pair : [...pair].reverse()) {
    const cpu = mainThreadCpuUs();
    const start = performance.now();
    for (let i = 0; i < PER_ROUND; i++) await fn();
    took[name] = performance.now() - start;
    totals[name] += took[name];
    cpuTotals[name] += mainThreadCpuUs() - cpu;
  }
  ratios.push(took.anchor / took.netkit);
}
ratios.sort((a, b) => a - b);
const n = ROUNDS * PER_ROUND;
const line = (label: string, ms: number, cpuUs: number) =>
  `| ${label.padEnd(44)} | ${String(Math.round(n / (ms / 1000))).padStart(9)} | ${
    (ms / n * 1000).toFixed(0).padStart(8)
  } | ${(cpuUs / n).toFixed(1).padStart(15)} |`;
console.log(`DNS lookups of www.test (CNAME x2 -> 3 A) against dnsmasq on loopback, ${n} each`);
console.log(
  "| lookup                                       | lookups/s |  µs each | main-thread CPU |",
);
console.log(
  "|----------------------------------------------|-----------|----------|-----------------|",
);
console.log(line("netkit resolveHost (own codec)", totals.netkit, cpuTotals.netkit));
console.log(line("anchor: Deno.resolveDns", totals.anchor, cpuTotals.anchor));
console.log(
  `netkit's rate / Deno.resolveDns's, per round: median ${
    ratios[ratios.length >> 1]?.toFixed(2)
  }× (${ratios[0]?.toFixed(2)}–${ratios.at(-1)?.toFixed(2)}, ${ROUNDS} rounds; goal ≥ 1.0×)`,
);

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

// A hosts-file hit: netkit (the system path as a user gets it: nsswitch.conf then the hosts file,
// each parsed once and re-read when it changes) vs glibc, in alternating rounds.
const HOSTS_HITS = 5_000;
const HOSTS_ROUNDS = 9;
const scratch = await Deno.makeTempDir({ prefix: "netkit_bench_dns_" });
const here = new URL(".", import.meta.url).pathname;
const built = await new Deno.Command("gcc", {
  args: ["-O2", "-o", `${scratch}/gethostbyname`, `${here}gethostbyname.c`],
}).output();
const hostsRates: number[] = [];
const glibcRates: number[] = [];
const hostsRatios: number[] = [];
for (let i = 0; i < HOSTS_HITS; i++) await resolveHost("localhost"); // warm-up
for (let round = 0; round < HOSTS_ROUNDS && built.success; round++) {
  const start = performance.now();
  for (let i = 0; i < HOSTS_HITS; i++) await resolveHost("localhost");
  const rate = HOSTS_HITS / ((performance.now() - start) / 1000);
  const out = await new Deno.Command(`${scratch}/gethostbyname`, {
    args: ["localhost", String(HOSTS_HITS)],
  }).output();
  const glibc = Number(new TextDecoder().decode(out.stdout).trim());
  hostsRates.push(rate);
  glibcRates.push(glibc);
  hostsRatios.push(rate / glibc);
}
const middle = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;
console.log(`\nHosts-file hit (localhost), ${HOSTS_ROUNDS} alternating rounds of ${HOSTS_HITS}`);
console.log("| lookup                                       | lookups/s | × anchor |");
console.log("|----------------------------------------------|-----------|----------|");
console.log(
  `| netkit resolveHost (median round)            | ${
    String(Math.round(middle(hostsRates))).padStart(9)
  } | ${middle(hostsRatios).toFixed(2).padStart(8)} |`,
);
console.log(
  `| anchor: glibc gethostbyname (C loop)         | ${
    String(Math.round(middle(glibcRates))).padStart(9)
  } |     1.00 |`,
);
const sortedRatios = [...hostsRatios].sort((a, b) => a - b);
console.log(
  `per round: ${sortedRatios[0]?.toFixed(2)}–${sortedRatios.at(-1)?.toFixed(2)}× (goal ≥ 0.5×)`,
);

// resolve-hostname's wall time against an empty deno run, interleaved. The empty script runs from
// inside the checkout, as the command: Deno reads the same deno.json and lock file for both
// (bench/resolve_hostname_startup.ts).
const out = new URL("./out", import.meta.url).pathname; // git ignores bench/out/
await Deno.mkdir(out, { recursive: true });
const inside = await Deno.makeTempDir({ dir: out, prefix: "netkit_bench_dns_" });
const empty = `${inside}/empty.ts`;
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
await Deno.remove(inside, { recursive: true });
