/**
 * What a dead first name server costs a lookup (issue #16's goal: at most 10 ms more): netkit's
 * `resolveHost` with a resolv.conf whose first `nameserver` is a loopback address where nothing
 * listens, against one naming only the live server, in alternating rounds of one run. dnsmasq
 * serves on port 53 of its own loopback address (resolv.conf cannot name a port), so this needs
 * root. Run alone with `deno run -A bench/dns_failover.ts`.
 *
 * @module
 */

import { resolveHost } from "../lib/dns/resolver.ts";
import { startDnsmasqOnPort53 } from "../tests/harness/dns_peers.ts";
import { tempDir } from "../tests/harness/peers.ts";

const LIVE = "127.85.0.1";
const DEAD = "127.86.0.1";
const PER_ROUND = 200;
const ROUNDS = 5;

await using _dnsmasq = await startDnsmasqOnPort53(LIVE, ["--host-record=www.test,10.0.0.7"]);
await using dir = await tempDir();
const live = `${dir.path}/live.conf`;
const dead = `${dir.path}/dead.conf`;
await Deno.writeTextFile(live, `nameserver ${LIVE}\n`);
await Deno.writeTextFile(dead, `nameserver ${DEAD}\nnameserver ${LIVE}\n`);

const perLookup = async (resolvConf: string) => {
  const start = performance.now();
  for (let i = 0; i < PER_ROUND; i++) {
    const entry = await resolveHost("www.test", { resolvConf, hostsFile: false });
    if (entry.addresses[0] !== "10.0.0.7") throw new Error("wrong answer");
  }
  return (performance.now() - start) / PER_ROUND;
};
await perLookup(live);
await perLookup(dead);
const times = { live: [] as number[], dead: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  times.live.push(await perLookup(live));
  times.dead.push(await perLookup(dead));
}
const median = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;
const added = median(times.dead) - median(times.live);
console.log(`Lookups of www.test, ${PER_ROUND} × ${ROUNDS} each, median per lookup`);
console.log("| first name server | ms per lookup |");
console.log("| --- | ---: |");
console.log(`| live (anchor) | ${median(times.live).toFixed(2)} |`);
console.log(`| dead, then live | ${median(times.dead).toFixed(2)} |`);
console.log(`\nA dead first server adds ${added.toFixed(2)} ms (goal ≤ 10 ms).`);
