/**
 * Destination address selection (RFC 6724, with glibc's default policy table from RFC 3484 that
 * `getaddrinfo` uses when `/etc/gai.conf` says nothing): the order in which a dual-stack client
 * should try the addresses of a name. The source address each destination would use is guessed
 * from the host's interface addresses (Deno cannot connect a UDP socket to ask the kernel, as
 * glibc does), by scope and longest matching prefix.
 *
 * @module
 */

import { inetPton } from "../net/inet.ts";

/** One row of the policy table: a prefix, its precedence and its label. */
interface Policy {
  prefix: Uint8Array;
  bits: number;
  precedence: number;
  label: number;
}

function policy(text: string, bits: number, precedence: number, label: number): Policy {
  return { prefix: inetPton(text, 6), bits, precedence, label };
}

/** glibc's default table (RFC 3484 section 2.1 plus the labels glibc adds), longest prefixes first. */
const POLICIES: readonly Policy[] = [
  policy("::1", 128, 50, 0),
  policy("::ffff:0:0", 96, 10, 4),
  policy("::", 96, 20, 3),
  policy("2001::", 32, 40, 7),
  policy("2002::", 16, 30, 2),
  policy("fec0::", 10, 40, 5),
  policy("fc00::", 7, 40, 6),
  policy("::", 0, 40, 1),
];

/** The address as 16 bytes, IPv4 mapped into `::ffff:0:0/96`. */
function asIpv6(address: string): Uint8Array {
  const bare = address.replace(/%.*$/, "");
  const bytes = inetPton(bare);
  if (bytes.length === 16) return bytes;
  const mapped = new Uint8Array(16);
  mapped[10] = 0xff;
  mapped[11] = 0xff;
  mapped.set(bytes, 12);
  return mapped;
}

function commonPrefixBits(a: Uint8Array, b: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < 16; i++) {
    const x = (a[i] ?? 0) ^ (b[i] ?? 0);
    if (x === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(x) - 24;
  }
  return bits;
}

function policyOf(bytes: Uint8Array): Policy {
  for (const row of POLICIES) if (commonPrefixBits(bytes, row.prefix) >= row.bits) return row;
  return POLICIES[POLICIES.length - 1] as Policy;
}

const isMapped = (b: Uint8Array) =>
  b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;

/** The scope (RFC 6724 section 3.1): 2 link-local (loopback included), 5 site-local, 14 global. */
function scopeOf(b: Uint8Array): number {
  if (isMapped(b)) {
    if (b[12] === 127 || (b[12] === 169 && b[13] === 254)) return 2;
    return 14;
  }
  if (b[0] === 0xff) return (b[1] ?? 0) & 0x0f;
  if (b[0] === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) return 2;
  if (b[0] === 0xfe && ((b[1] ?? 0) & 0xc0) === 0xc0) return 5;
  if (b.subarray(0, 15).every((x) => x === 0) && b[15] === 1) return 2;
  return 14;
}

/** The source address a destination would use, from the candidates of its family. */
function sourceFor(
  destination: Uint8Array,
  sources: readonly Uint8Array[],
): Uint8Array | undefined {
  const family = isMapped(destination);
  const scope = scopeOf(destination);
  let best: Uint8Array | undefined;
  for (const source of sources) {
    if (isMapped(source) !== family) continue;
    const sourceScope = scopeOf(source);
    // Loopback reaches only loopback; a smaller scope cannot reach a larger one.
    if (sourceScope < scope) continue;
    if (scope > 2 && isLoopback(source)) continue;
    if (best === undefined) {
      best = source;
      continue;
    }
    const bestScope = scopeOf(best);
    if (sourceScope !== bestScope) {
      // Prefer the smallest scope that still reaches the destination.
      if (sourceScope < bestScope) best = source;
      continue;
    }
    if (commonPrefixBits(source, destination) > commonPrefixBits(best, destination)) best = source;
  }
  return best;
}

function isLoopback(b: Uint8Array): boolean {
  if (isMapped(b)) return b[12] === 127;
  return b.subarray(0, 15).every((x) => x === 0) && b[15] === 1;
}

/**
 * The host's interface addresses with their prefix lengths (`192.0.2.2/24`), or none where `sys`
 * permission is not granted.
 */
export function hostAddresses(): string[] {
  try {
    const state = Deno.permissions.querySync({ name: "sys", kind: "networkInterfaces" }).state;
    if (state !== "granted") return [];
    // ADDRESS/PREFIX: the prefix length tells glibc's IPv4 "same subnet" in rule 9.
    return Deno.networkInterfaces().map((nic) => nic.cidr);
  } catch {
    return [];
  }
}

/**
 * Orders destination addresses as RFC 6724 section 6 does with glibc's default policy table: usable
 * first (a source address exists), then matching scope, matching label, higher precedence,
 * smaller scope, longest matching prefix (for IPv4, as glibc, only inside the source's subnet);
 * otherwise the order given.
 *
 * @param addresses IPv4 and IPv6 address texts (a `%scope` suffix allowed).
 * @param sources The host's own addresses, each with its prefix length (`192.0.2.2/24`) where
 * known; by default its interfaces' (`sys` permission).
 * @returns A new array, the best first.
 *
 * @example Loopback IPv6 before loopback IPv4; a global IPv6 without a global source last
 * ```ts
 * import assert from "node:assert/strict";
 * import { sortAddresses } from "@netkit/netkit/dns";
 *
 * assert.deepEqual(sortAddresses(["127.0.0.1", "::1"], ["127.0.0.1", "::1"]), ["::1", "127.0.0.1"]);
 * assert.deepEqual(
 *   sortAddresses(["2001:db8::1", "192.0.2.1"], ["127.0.0.1", "::1", "192.0.2.9", "fe80::1"]),
 *   ["192.0.2.1", "2001:db8::1"],
 * );
 * // IPv4 inside the source's subnet: the longest common prefix first, as glibc.
 * assert.deepEqual(
 *   sortAddresses(["127.0.0.4", "127.0.0.2", "127.0.0.1"], ["127.0.0.1/8"]),
 *   ["127.0.0.1", "127.0.0.2", "127.0.0.4"],
 * );
 * ```
 */
export function sortAddresses(
  addresses: readonly string[],
  sources: readonly string[] = hostAddresses(),
): string[] {
  const prefixOf = new Map<Uint8Array, number>();
  const sourceBytes = sources.flatMap((text) => {
    const [address = "", prefix] = text.split("/");
    try {
      const bytes = asIpv6(address);
      prefixOf.set(bytes, prefix === undefined ? 0 : Number(prefix));
      return [bytes];
    } catch {
      return [];
    }
  });
  // glibc's rule 9 for IPv4: the common prefix counts only inside the source's subnet (its
  // interface's prefix length); a destination outside it ranks below any inside.
  const ipv4Match = (destination: Uint8Array, source: Uint8Array) => {
    const common = commonPrefixBits(destination, source);
    return common >= 96 + (prefixOf.get(source) ?? 0) ? common : -1;
  };
  const rows = addresses.map((text, index) => {
    const bytes = asIpv6(text);
    const source = sourceFor(bytes, sourceBytes);
    return { text, index, bytes, source, policy: policyOf(bytes), scope: scopeOf(bytes) };
  });
  rows.sort((a, b) => {
    // Rule 1: avoid unusable destinations.
    if ((a.source === undefined) !== (b.source === undefined)) return a.source ? -1 : 1;
    if (a.source && b.source) {
      // Rule 2: prefer matching scope.
      const aScope = scopeOf(a.source) === a.scope;
      const bScope = scopeOf(b.source) === b.scope;
      if (aScope !== bScope) return aScope ? -1 : 1;
      // Rule 5: prefer matching label.
      const aLabel = policyOf(a.source).label === a.policy.label;
      const bLabel = policyOf(b.source).label === b.policy.label;
      if (aLabel !== bLabel) return aLabel ? -1 : 1;
    }
    // Rule 6: prefer higher precedence.
    if (a.policy.precedence !== b.policy.precedence) {
      return b.policy.precedence - a.policy.precedence;
    }
    // Rule 8: prefer smaller scope.
    if (a.scope !== b.scope) return a.scope - b.scope;
    // Rule 9: longest matching prefix, between destinations of one family (IPv4 as glibc).
    if (a.source && b.source && isMapped(a.bytes) === isMapped(b.bytes)) {
      const diff = isMapped(a.bytes)
        ? ipv4Match(b.bytes, b.source) - ipv4Match(a.bytes, a.source)
        : commonPrefixBits(b.bytes, b.source) - commonPrefixBits(a.bytes, a.source);
      if (diff !== 0) return diff;
    }
    // Rule 10: otherwise, leave the order unchanged.
    return a.index - b.index;
  });
  return rows.map((row) => row.text);
}
