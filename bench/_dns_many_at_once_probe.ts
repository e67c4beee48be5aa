/**
 * Run by bench/dns_many_at_once.ts inside its mount namespace: starts COUNT lookups at once of
 * both families (`nI.test`, or `same.test` each time with `same`) through one resolver --
 * netkit's `lookupAddresses`, `Deno.resolveDns` (A and AAAA) or `node:dns`'s `lookup` -- and
 * prints one JSON line: the wall time and the outcomes by error name and code.
 * Arguments: RESOLVER COUNT [same].
 *
 * @module
 */

import { lookupAddresses } from "../lib/dns/resolver.ts";
import dns from "node:dns";

const [resolver, countText, same] = Deno.args;
const count = Number(countText);
const name = (i: number) => same === "same" ? "same.test" : `n${i}.test`;
const lookUp: (name: string) => Promise<unknown> = {
  netkit: (name: string) => lookupAddresses(name),
  resolveDns: (name: string) =>
    Promise.all([Deno.resolveDns(name, "A"), Deno.resolveDns(name, "AAAA")]),
  nodeLookup: (name: string) => dns.promises.lookup(name, { all: true }),
}[resolver ?? ""] ?? (() => Promise.reject(new Error(`No resolver "${resolver}"`)));
const started = performance.now();
const settled = await Promise.allSettled(Array.from({ length: count }, (_, i) => lookUp(name(i))));
const ms = Math.round(performance.now() - started);
const outcomes: Record<string, number> = {};
for (const result of settled) {
  const error = result.status === "rejected"
    ? result.reason as { name?: string; code?: string }
    : undefined;
  const key = error === undefined ? "found" : `${error.name} ${error.code ?? ""}`.trim();
  outcomes[key] = (outcomes[key] ?? 0) + 1;
}
console.log(JSON.stringify({ ms, outcomes }));
