/**
 * Destination address selection as glibc's getaddrinfo does it (RFC 6724 section 6, with the
 * policy of `/etc/gai.conf`, read as glibc 2.36 reads it by `./gai_conf.ts`, or glibc's default
 * tables): the order in which a dual-stack client should try the addresses of a name. The
 * source address each destination would use is guessed from the host's interface addresses as
 * Linux routes (Deno cannot connect a UDP socket to ask the kernel, as glibc does): exact on a
 * host with loopback and interfaces holding its default routes, not where policy routing, a
 * route without a default or a destination only a specific route reaches decides otherwise.
 *
 * @module
 */

import { inetNtop, inetPton } from "../net/inet.ts";
import { DEFAULT_GAI_CONFIG, type GaiConfig, type GaiPrefixRow, readGaiConf } from "./gai_conf.ts";
import { interfaceList } from "./_interface_list.ts";

/** The IPv4 netmask of `bits` bits (0 to 32) as an unsigned number. */
const maskOf = (bits: number) => bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;

/** An address as getaddrinfo holds it: its family (`sockaddr_in` or `sockaddr_in6`), 16 bytes. */
interface Endpoint {
  /** 4 for a dotted quad, 6 for any IPv6 text (an IPv4-mapped one included, as an AAAA gives it). */
  family: 4 | 6;
  /** The address, IPv4 mapped into `::ffff:0:0/96`. */
  bytes: Uint8Array;
  /** The `%zone` of a scoped IPv6 address. */
  zone?: string;
}

/** A source address with its interface's prefix length (glibc's `prefixlen`). */
interface Source extends Endpoint {
  prefixLength: number;
}

function endpointOf(text: string): Endpoint {
  const cut = text.indexOf("%");
  const bare = cut < 0 ? text : text.slice(0, cut);
  const bytes = inetPton(bare);
  if (bytes.length === 16) {
    return cut < 0 ? { family: 6, bytes } : { family: 6, bytes, zone: text.slice(cut + 1) };
  }
  return { family: 4, bytes: mapped(bytes) };
}

function mapped(ipv4: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  bytes.set(ipv4, 12);
  return bytes;
}

/** glibc's `match_prefix`: the value of the first row whose prefix the address starts with. */
function matchPrefix(bytes: Uint8Array, rows: readonly GaiPrefixRow[]): number {
  for (const row of rows) if (commonPrefixBits(bytes, row.prefix) >= row.bits) return row.value;
  return rows[rows.length - 1]?.value ?? 0;
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

/** Whether the first `count` bytes of `b` are zero (a loop: no view, no closure, each sort). */
function zeros(b: Uint8Array, count: number): boolean {
  for (let i = 0; i < count; i++) if (b[i] !== 0) return false;
  return true;
}

const isMapped = (b: Uint8Array) => zeros(b, 10) && b[10] === 0xff && b[11] === 0xff;

const isIpv6Loopback = (b: Uint8Array) => zeros(b, 15) && b[15] === 1;

const isLinkLocal = (b: Uint8Array) => b[0] === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80;

/** The IPv4 address of a mapped address, as an unsigned number. */
function ipv4Of(b: Uint8Array): number {
  return (((b[12] ?? 0) << 24) | ((b[13] ?? 0) << 16) | ((b[14] ?? 0) << 8) | (b[15] ?? 0)) >>> 0;
}

/**
 * glibc's `get_scope`: an IPv4 address by the policy's `scopev4` table (by default 2 for
 * 127/8 and 169.254/16, else 14); an IPv6 one, a mapped one included, by its form (2 link-local
 * and loopback, 5 site-local, a multicast's own scope, else 14).
 */
function scopeOf(endpoint: Endpoint, policy: GaiConfig): number {
  const b = endpoint.bytes;
  if (endpoint.family === 4) {
    const address = ipv4Of(b);
    for (const row of policy.scopesV4) {
      if (((address & maskOf(row.bits)) >>> 0) === row.address) return row.scope;
    }
    return 14;
  }
  if (b[0] === 0xff) return (b[1] ?? 0) & 0x0f;
  if (isLinkLocal(b) || isIpv6Loopback(b)) return 2;
  if (b[0] === 0xfe && ((b[1] ?? 0) & 0xc0) === 0xc0) return 5;
  return 14;
}

/** The RFC 6724 scope of an address by its form alone, for choosing a source. */
function formScope(b: Uint8Array): number {
  return scopeOf({ family: 6, bytes: b }, DEFAULT_GAI_CONFIG);
}

/**
 * The source address the kernel would give a UDP socket connected to `destination` (glibc's
 * way of asking), guessed from the host's addresses as Linux routes on a host with loopback and
 * one or more interfaces with a default route: a loopback destination from loopback; another
 * IPv4 one from the non-loopback address whose subnet holds it, else the first; an IPv6
 * link-local one only with a `%zone` (connect refuses it without one: unusable, rule 1); another
 * IPv6 one from the non-loopback address of the smallest scope that reaches it, of those the
 * longest matching prefix. An IPv4-mapped IPv6 destination is reached over IPv4, from the mapped
 * IPv4 source.
 */
function sourceFor(destination: Endpoint, sources: readonly Source[]): Source | undefined {
  const b = destination.bytes;
  const { ipv4, outside, ipv6 } = sourcesByKind(sources);
  if (isMapped(b)) {
    const address = ipv4Of(b);
    let found: Source | undefined;
    if (b[12] === 127) {
      found = ipv4.find((source) => source.bytes[12] === 127);
    } else {
      found = outside.find((source) =>
        ((ipv4Of(source.bytes) ^ address) & maskOf(Math.min(source.prefixLength, 32))) === 0
      ) ?? outside[0];
    }
    if (found === undefined || destination.family === 4) return found;
    return { ...found, family: 6 };
  }
  if (isIpv6Loopback(b)) return ipv6.find((source) => isIpv6Loopback(source.bytes));
  if (isLinkLocal(b)) {
    if (destination.zone === undefined) return undefined;
    return ipv6.find((source) => isLinkLocal(source.bytes));
  }
  const scope = formScope(b);
  let best: Source | undefined;
  for (const source of ipv6) {
    if (isIpv6Loopback(source.bytes)) continue;
    const sourceScope = formScope(source.bytes);
    if (sourceScope < scope) continue;
    if (best === undefined) {
      best = source;
      continue;
    }
    const bestScope = formScope(best.bytes);
    if (sourceScope !== bestScope) {
      if (sourceScope < bestScope) best = source;
      continue;
    }
    if (commonPrefixBits(source.bytes, b) > commonPrefixBits(best.bytes, b)) best = source;
  }
  return best;
}

/** A list of sources parted by kind, as {@linkcode sourceFor} looks among them. */
interface SourcesByKind {
  ipv4: Source[];
  /** The IPv4 ones outside 127/8. */
  outside: Source[];
  /** The IPv6 ones, not IPv4-mapped. */
  ipv6: Source[];
}

/** Each list of sources parted once (a sort looks for a source for each of its addresses). */
const partedSources = new WeakMap<readonly Source[], SourcesByKind>();

function sourcesByKind(sources: readonly Source[]): SourcesByKind {
  let parted = partedSources.get(sources);
  if (parted === undefined) {
    const ipv4 = sources.filter((source) => source.family === 4);
    parted = {
      ipv4,
      outside: ipv4.filter((source) => source.bytes[12] !== 127),
      ipv6: sources.filter((source) => source.family === 6 && !isMapped(source.bytes)),
    };
    partedSources.set(sources, parted);
  }
  return parted;
}

/** glibc's `fls`: how many leading bits of a 32-bit word are zero (32 for none set). */
const leadingZeros = (word: number) => Math.clz32(word);

/**
 * The host's interface addresses with their prefix lengths (`192.0.2.2/24`), or none where `sys`
 * permission is not granted; from a read of the list at most 100 ms old, shared by the lookups
 * meanwhile (`_interface_list.ts`).
 */
export function hostAddresses(): string[] {
  const list = interfaceList();
  if (list === undefined) return [];
  // ADDRESS/PREFIX: the prefix length tells glibc's IPv4 "same subnet" in rule 9. Made once a
  // read of the list (the same array while it is shared), so that its parse is kept too.
  let addresses = addressesOfList.get(list);
  if (addresses === undefined) {
    addresses = list.map((nic) => nic.cidr);
    addressesOfList.set(list, addresses);
  }
  return [...addresses];
}

/** {@linkcode hostAddresses} of a read of the interface list. */
const addressesOfList = new WeakMap<object, string[]>();

/**
 * {@linkcode parseSources} of the host's addresses, by the text of the list: each lookup sorts
 * with the same few (~15 microseconds a parse, a lookup of both families sorting its answer).
 */
let parsedHostSources: { key: string; sources: Source[] } | undefined;

/** The host's addresses as {@linkcode sortAddresses} takes them (`ADDRESS/PREFIX` texts). */
function parseSources(sources: readonly string[]): Source[] {
  const key = sources.join(" ");
  if (parsedHostSources?.key === key) return parsedHostSources.sources;
  const parsed = parseSourcesNow(sources);
  parsedHostSources = { key, sources: parsed };
  return parsed;
}

function parseSourcesNow(sources: readonly string[]): Source[] {
  return sources.flatMap((text): Source[] => {
    const [address = "", prefix] = text.split("/");
    try {
      const endpoint = endpointOf(address);
      // No length known: the address alone is its subnet.
      const prefixLength = prefix === undefined
        ? (endpoint.family === 4 ? 32 : 128)
        : Number(prefix);
      return [{ ...endpoint, prefixLength }];
    } catch {
      return [];
    }
  });
}

/**
 * The source address {@linkcode sortAddresses} assumes a connection to `destination` would use
 * (where glibc connects a UDP socket and asks the kernel): loopback for loopback; for another
 * IPv4 destination the non-loopback address whose subnet holds it, else the first; an IPv6
 * link-local destination only with a `%zone`; another IPv6 one from the non-loopback address of
 * the smallest scope that reaches it, of those the longest matching prefix. For an IPv4-mapped
 * IPv6 destination, the mapped IPv4 source.
 *
 * @param destination An IPv4 or IPv6 address text (a `%zone` allowed).
 * @param sources The host's addresses (`192.0.2.2/24`); by default its interfaces'.
 * @returns The source address text, or undefined where none reaches it (rule 1: unusable).
 * @throws {SyntaxError} for a destination that is no address.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { guessSourceAddress } from "@netkit/netkit/dns";
 *
 * const host = ["127.0.0.1/8", "::1/128", "192.0.2.2/24", "fe80::2/64"];
 * assert.equal(guessSourceAddress("127.0.0.9", host), "127.0.0.1");
 * assert.equal(guessSourceAddress("198.51.100.1", host), "192.0.2.2");
 * assert.equal(guessSourceAddress("::ffff:198.51.100.1", host), "::ffff:192.0.2.2");
 * assert.equal(guessSourceAddress("2001:db8::1", host), undefined); // no global IPv6 address
 * assert.equal(guessSourceAddress("fe80::1", host), undefined); // no zone: connect refuses it
 * ```
 */
export function guessSourceAddress(
  destination: string,
  sources: readonly string[] = hostAddresses(),
): string | undefined {
  const source = sourceFor(endpointOf(destination), parseSources(sources));
  if (source === undefined) return undefined;
  const b = source.bytes;
  if (isMapped(b)) {
    const ipv4 = `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
    return source.family === 4 ? ipv4 : `::ffff:${ipv4}`;
  }
  return inetNtop(b);
}

/** Options of {@linkcode sortAddresses}. */
export interface SortAddressesOptions {
  /**
   * The label, precedence and IPv4 scope tables; by default the host's `/etc/gai.conf` as glibc
   * reads it ({@linkcode readGaiConf}), pass {@linkcode DEFAULT_GAI_CONFIG} for glibc's built-in
   * tables whatever the host says.
   */
  policy?: GaiConfig;
}

/**
 * Orders destination addresses as glibc's getaddrinfo does (RFC 6724 section 6, glibc 2.36's
 * `rfc3484_sort`), with the policy of `/etc/gai.conf`: usable first (a source address exists),
 * then matching scope, matching label, higher precedence, smaller scope, longest matching
 * prefix between addresses of one family (for IPv4 only inside the source's subnet, as glibc);
 * otherwise the order given. Rules 3, 4 and 7 (deprecated and home addresses, tunnels) are not
 * applied: Deno does not tell them.
 *
 * @param addresses IPv4 and IPv6 address texts (a `%scope` suffix allowed). An IPv4-mapped IPv6
 * text (`::ffff:192.0.2.1`, as an AAAA record may hold) counts as IPv6, as getaddrinfo counts it.
 * @param sources The host's own addresses, each with its prefix length (`192.0.2.2/24`) where
 * known; by default its interfaces' (`sys` permission).
 * @param options The policy (by default the host's gai.conf).
 * @returns A new array, the best first.
 *
 * @example Loopback IPv6 before loopback IPv4; a global IPv6 without a global source last
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_GAI_CONFIG, sortAddresses } from "@netkit/netkit/dns";
 *
 * const policy = DEFAULT_GAI_CONFIG; // whatever this host's /etc/gai.conf says
 * assert.deepEqual(sortAddresses(["127.0.0.1", "::1"], ["127.0.0.1", "::1"], { policy }), [
 *   "::1",
 *   "127.0.0.1",
 * ]);
 * assert.deepEqual(
 *   sortAddresses(["2001:db8::1", "192.0.2.1"], ["127.0.0.1", "::1", "192.0.2.9", "fe80::1"], {
 *     policy,
 *   }),
 *   ["192.0.2.1", "2001:db8::1"],
 * );
 * // IPv4 inside the source's subnet: the longest common prefix first, as glibc.
 * assert.deepEqual(
 *   sortAddresses(["127.0.0.4", "127.0.0.2", "127.0.0.1"], ["127.0.0.1/8"], { policy }),
 *   ["127.0.0.1", "127.0.0.2", "127.0.0.4"],
 * );
 * ```
 */
export function sortAddresses(
  addresses: readonly string[],
  sources: readonly string[] = hostAddresses(),
  options: SortAddressesOptions = {},
): string[] {
  return orderAddresses(addresses, sources, options).map((index) => addresses[index] as string);
}

/**
 * {@linkcode sortAddresses}'s order as the places of `addresses`: for a caller that sorts
 * entries holding more than an address, such as getaddrinfo's list of each address once per
 * socket type (`getent ahosts`: STREAM, DGRAM and RAW), which the sort may part when the rules
 * tie in circles.
 *
 * @param addresses IPv4 and IPv6 address texts (a `%scope` suffix allowed).
 * @param sources The host's own addresses (`192.0.2.2/24`); by default its interfaces'.
 * @param options The policy (by default the host's gai.conf).
 * @returns The indexes of `addresses`, the best first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_GAI_CONFIG, orderAddresses } from "@netkit/netkit/dns";
 *
 * const sources = ["127.0.0.1/8", "::1/128"];
 * const order = orderAddresses(["127.0.0.1", "::1"], sources, { policy: DEFAULT_GAI_CONFIG });
 * assert.deepEqual(order, [1, 0]);
 * ```
 */
export function orderAddresses(
  addresses: readonly string[],
  sources: readonly string[] = hostAddresses(),
  options: SortAddressesOptions = {},
): number[] {
  const policy = options.policy ?? readGaiConf();
  const sourceList = parseSources(sources);
  const rows = addresses.map((text, index): Row => ({
    index,
    ...destinationOf(text, sourceList, policy),
  }));
  // glibc's rule 9: for IPv4, the leading bits the destination shares with its source, only
  // inside the source's subnet (0 outside); for IPv6, compared at the first 32-bit word where
  // either pair differs.
  const ipv4Match = (row: Row) => {
    const source = row.source as Source;
    const destination = ipv4Of(row.destination.bytes);
    const from = ipv4Of(source.bytes);
    const mask = maskOf(Math.min(source.prefixLength, 32));
    return ((destination ^ from) & mask) === 0 ? leadingZeros((destination ^ from) >>> 0) : 0;
  };
  const ipv6Match = (a: Row, b: Row): [number, number] => {
    const word = (bytes: Uint8Array, i: number) =>
      (((bytes[4 * i] ?? 0) << 24) | ((bytes[4 * i + 1] ?? 0) << 16) |
        ((bytes[4 * i + 2] ?? 0) << 8) | (bytes[4 * i + 3] ?? 0)) >>> 0;
    const aSource = (a.source as Source).bytes;
    const bSource = (b.source as Source).bytes;
    for (let i = 0; i < 4; i++) {
      const x = word(a.destination.bytes, i) ^ word(aSource, i);
      const y = word(b.destination.bytes, i) ^ word(bSource, i);
      if (x !== 0 || y !== 0) return [leadingZeros(x >>> 0), leadingZeros(y >>> 0)];
    }
    return [0, 0];
  };
  const compare = (a: Row, b: Row): number => {
    // Rule 1: avoid unusable destinations.
    if ((a.source === undefined) !== (b.source === undefined)) return a.source ? -1 : 1;
    if (a.source && b.source) {
      // Rule 2: prefer matching scope.
      const aScope = a.sourceScope === a.scope;
      const bScope = b.sourceScope === b.scope;
      if (aScope !== bScope) return aScope ? -1 : 1;
      // Rule 5: prefer matching label.
      const aLabel = a.sourceLabel === a.label;
      const bLabel = b.sourceLabel === b.label;
      if (aLabel !== bLabel) return aLabel ? -1 : 1;
    }
    // Rule 6: prefer higher precedence.
    if (a.precedence !== b.precedence) return b.precedence - a.precedence;
    // Rule 8: prefer smaller scope.
    if (a.scope !== b.scope) return a.scope - b.scope;
    // Rule 9: longest matching prefix, between destinations of one family.
    if (a.source && b.source && a.destination.family === b.destination.family) {
      const [aBits, bBits] = a.destination.family === 4
        ? [ipv4Match(a), ipv4Match(b)]
        : ipv6Match(a, b);
      if (aBits !== bBits) return bBits - aBits;
    }
    // Rule 10: otherwise, leave the order unchanged.
    return a.index - b.index;
  };
  return mergeSort(rows, compare).map((row) => row.index);
}

/** What the sort compares of one destination: {@linkcode Destination} and its place. */
interface Row extends Destination {
  index: number;
}

/** What the sort knows of one destination address, given the sources and the policy. */
interface Destination {
  destination: Endpoint;
  /** The source a connection to it would use; undefined: unusable (rule 1). */
  source: Source | undefined;
  scope: number;
  sourceScope: number | undefined;
  label: number;
  sourceLabel: number | undefined;
  precedence: number;
}

/**
 * Each address's {@linkcode Destination}, kept while the sources and the policy stay the same
 * objects: the parse of the host's list (the same array while its text is the same) and
 * readGaiConf's (the same while gai.conf is); a program asks the same names again and again, and
 * each lookup of both families sorts its answer (the parse of each address, its source and its
 * three table rows were most of a sort of four addresses). At most
 * {@linkcode MAX_KNOWN_DESTINATIONS}, forgotten all at once beyond.
 */
let knownDestinations:
  | { sources: readonly Source[]; policy: GaiConfig; byText: Map<string, Destination> }
  | undefined;
const MAX_KNOWN_DESTINATIONS = 256;

/** The {@linkcode Destination} of the address `text` (kept, see knownDestinations). */
function destinationOf(text: string, sources: readonly Source[], policy: GaiConfig): Destination {
  let known = knownDestinations;
  if (known === undefined || known.sources !== sources || known.policy !== policy) {
    known = knownDestinations = { sources, policy, byText: new Map() };
  }
  let found = known.byText.get(text);
  if (found === undefined) {
    const destination = endpointOf(text);
    const source = sourceFor(destination, sources);
    found = {
      destination,
      source,
      scope: scopeOf(destination, policy),
      sourceScope: source && scopeOf(source, policy),
      label: matchPrefix(destination.bytes, policy.labels),
      sourceLabel: source && matchPrefix(source.bytes, policy.labels),
      precedence: matchPrefix(destination.bytes, policy.precedences),
    };
    if (known.byText.size >= MAX_KNOWN_DESTINATIONS) known.byText.clear();
    known.byText.set(text, found);
  }
  return found;
}

/**
 * glibc 2.36's `qsort_r` for getaddrinfo's few results (its `msort`): a top-down merge sort,
 * halves of `n / 2` and the rest, the left element taken on a tie. RFC 6724's rules are not a
 * total order (rule 9 compares only addresses of one family, rule 10 falls back to the original
 * places), so another sort can give another order: this one gives glibc's.
 */
function mergeSort<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return [...items];
  const half = Math.floor(items.length / 2);
  const left = mergeSort(items.slice(0, half), compare);
  const right = mergeSort(items.slice(half), compare);
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    merged.push(compare(left[i]!, right[j]!) <= 0 ? left[i++]! : right[j++]!);
  }
  return merged.concat(left.slice(i), right.slice(j));
}
