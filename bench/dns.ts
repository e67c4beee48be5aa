/**
 * DNS benchmark: sequential lookups of `www.test` (a CNAME chain of two links to three A
 * records) against a local dnsmasq, netkit's `resolveHost` (own codec over `node:dgram`) side by
 * side with the anchor `Deno.resolveDns` (hickory-dns) asking the same server, in alternating
 * rounds of one run. Also `inetPton` + `inetNtop` against the anchor `new URL()` parsing the
 * same IPv6 literals. Run alone with `deno run -A bench/dns.ts`.
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
console.log(line("netkit resolveHost (own codec, node:dgram)", totals.netkit));
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
