/**
 * The work of `lookupAddresses` (resolver.ts): both families of a name, as `getaddrinfo` with
 * `AF_UNSPEC` looks them up (the hosts file's answer for either family ending the lookup, the
 * earliest source and search-list name kept, `AI_ADDRCONFIG`), in RFC 6724 order. Loaded on the
 * first call: a lookup of one family, `resolve-hostname`'s, never loads it (its ~11 KB cost the
 * command's start-up ~0.15 ms inside resolver.ts). resolver.ts hands it the resolver's internals
 * ({@linkcode ResolverCore}): this module cannot import the one that loads it.
 *
 * @module
 */

import { findHostByName, multiFor } from "./hosts_file.ts";
import type { HostsLines } from "./_hosts_text.ts";
import { hostNameOfEscapes, toAsciiHostName } from "./host_name.ts";
import type { NssSource } from "./nsswitch.ts";
import { addressFamily, inetNtop, inetPton, type IpFamily } from "../net/inet.ts";
import type { HostEntry, ResolveOptions } from "./_resolve_options.ts";
import { type PairedSearch, pairSearches } from "./_paired_search.ts";
import { interfaceList } from "./_interface_list.ts";
import { sharedLookup } from "./_shared_lookup.ts";

/** How {@linkcode ResolverCore.resolveHostUnbounded} walks its sources and orders its answer. */
export interface LookupWay {
  /**
   * Order DNS's IPv4 addresses by resolv.conf's `sortlist`, as gethostbyname does (and
   * getaddrinfo does not).
   */
  bySortList?: boolean;
  /**
   * Walk the sources as gethostbyname does, passing over those glibc cannot load, where
   * getaddrinfo counts them UNAVAIL.
   */
  byName?: boolean;
  /**
   * The pairing of `lookupAddresses`' two families: each source's outcome is told to the other
   * family's lookup.
   */
  paired?: PairedSearch | undefined;
}

/** The parts of the resolver this module works with, handed over by resolver.ts. */
export interface ResolverCore {
  /** One family's lookup, its deadline already in `options.signal` (see {@linkcode LookupWay}). */
  resolveHostUnbounded(
    name: string,
    options: ResolveOptions,
    way?: LookupWay,
  ): Promise<HostEntry>;
  /** The sources to ask, in nsswitch.conf's order. */
  sourcesOf(
    options: Omit<ResolveOptions, "family">,
  ): readonly NssSource[] | Promise<readonly NssSource[]>;
  /** The hosts file (undefined: the system's file is missing). */
  hostsEntries(
    option: string | false | undefined,
    signal?: AbortSignal,
  ): HostsLines | undefined | Promise<HostsLines | undefined>;
  /** Whether the name is an address literal, in the forms glibc takes. */
  isAddressLiteral(name: string): boolean;
  /** The resolver's DNS part. */
  loadDnsLookup(): Promise<typeof import("./_dns_lookup.ts")>;
  /**
   * Whether the myhostname source may answer the name (else it is NOTFOUND for it); undefined
   * when glibc could not load its module here (UNAVAIL).
   */
  myHostnameMayServe(name: string): Promise<boolean | undefined>;
  /** The DNS errors. */
  loadErrors(): Promise<typeof import("./errors.ts")>;
}

/** Options of {@linkcode lookupAddresses}. */
export type LookupAddressesOptions = Omit<ResolveOptions, "family"> & {
  /** 0 for both families, or 4 or 6. @default {0} */
  family?: 0 | IpFamily;
  /**
   * As getaddrinfo's `AI_ADDRCONFIG`: with `family` 0, ask only for the family this host has
   * addresses of, when it has addresses of one family only (127.0.0.1 and ::1 not counted).
   * @default {false}
   */
  addressConfig?: boolean;
  /**
   * False: the addresses in the order the sources gave them, as getaddrinfo has them before it
   * sorts, for a caller that sorts a list of its own with `orderAddresses`.
   * @default {true}
   */
  sorted?: boolean;
};

/**
 * The one family this host has addresses of besides 127.0.0.1 and ::1, or 0 when it has both,
 * neither, or may not list its interfaces: glibc's __check_pf, which `AI_ADDRCONFIG` narrows a
 * lookup by (an IPv4-only container asks no AAAA question and gets no IPv6 address).
 */
function configuredFamily(): 0 | IpFamily {
  try {
    // Read at most every 100 ms, shared by the lookups meanwhile (_interface_list.ts).
    const nics = interfaceList();
    if (nics === undefined) return 0;
    let v4 = false;
    let v6 = false;
    for (const nic of nics) {
      if (nic.family === "IPv4" && nic.address !== "127.0.0.1") v4 = true;
      else if (nic.family === "IPv6" && nic.address !== "::1") v6 = true;
    }
    return v4 === v6 ? 0 : v4 ? 4 : 6;
  } catch {
    return 0;
  }
}

/** What {@linkcode lookupAddresses} found: the canonical name and the addresses, best first. */
export interface AddressLookup {
  /** The canonical name (the end of the CNAME chain, the hosts file's first name, or the literal). */
  canonicalName: string;
  /** Both families' addresses, in the order to try them (RFC 6724, as getaddrinfo). */
  addresses: { address: string; family: IpFamily }[];
}

/**
 * A name as the hosts file is searched for it: in ASCII (`xn--` for an international name, as
 * getaddrinfo's AI_IDN), a final dot kept; a name that is no host name as it is typed, since
 * glibc's files source compares any text.
 */
function filesKey(name: string): string {
  try {
    return toAsciiHostName(name) + (name.endsWith(".") ? "." : "");
  } catch (error) {
    if (error instanceof SyntaxError) return name;
    throw error;
  }
}

/**
 * Both families from the hosts file, as glibc's getaddrinfo asks its files backend when `files`
 * comes first (or after sources that cannot answer the name): a name the file has in either family is answered from the file alone (the
 * backend's success ends the lookup), so `localhost` listed with `127.0.0.1` only costs no DNS
 * question for an IPv6 address. Undefined when the file has no line for the name, or files does
 * not come first.
 */
async function lookUpBothInHostsFile(
  name: string,
  options: Omit<LookupAddressesOptions, "family">,
  core: ResolverCore,
): Promise<AddressLookup | undefined> {
  if (options.hostsFile === false || core.isAddressLiteral(name)) return undefined;
  const sources = await core.sourcesOf(options);
  const filesAt = sources.findIndex((source) => source.name === "files");
  const files = sources[filesAt];
  // A [SUCCESS=continue] after files passes its answer on: the loop of resolveHost decides.
  if (files === undefined || !files.returnOn.has("success")) return undefined;
  // Sources before files that cannot answer this name and go on (myhostname for a name it does
  // not serve, NOTFOUND; a source netkit does not serve, UNAVAIL): files still answers first,
  // for both families, and DNS after it is not asked (`hosts: myhostname files dns`).
  for (const source of sources.slice(0, filesAt)) {
    const serves = source.name === "myhostname" ? await core.myHostnameMayServe(name) : undefined;
    const status = source.name === "dns"
      ? undefined
      : serves === undefined
      ? "unavail"
      : serves
      ? undefined
      : "notfound";
    if (status === undefined || source.returnOn.has(status)) return undefined;
  }
  const hosts = await core.hostsEntries(options.hostsFile, options.signal);
  if (hosts === undefined) return undefined; // no file: resolveHost's loop, which says UNAVAIL
  return await bothFromHostsEntries(
    hosts,
    name,
    options.sorted !== false,
    () => multiFor(options.hostsFile),
  );
}

/**
 * Both families of `name` in the hosts file, as glibc's files backend gives them to getaddrinfo
 * (gethostbyname4_r): each line in its own family, so an IPv4-mapped or `::1` line is the IPv6
 * address it is written as, not also an IPv4 one. Undefined when no line names it.
 */
async function bothFromHostsEntries(
  hosts: HostsLines,
  name: string,
  sorted: boolean,
  multi: () => boolean,
): Promise<AddressLookup | undefined> {
  const hostName = filesKey(name);
  // getaddrinfo reads each line in its own family: an IPv4-mapped or `::1` line, which answers
  // an IPv4 question as IPv4, is listed once, as the IPv6 address it is written as. The lines
  // in file order, as the files backend lists them (the order RFC 6724's sort keeps for ties);
  // only those that may name it are parsed (_hosts_text.ts).
  const lines = hosts.naming(hostName).filter((entry) =>
    findHostByName([entry], hostName, entry.family, { ipv6AsIpv4: false }) !== undefined
  );
  const first = lines[0];
  if (first === undefined) return undefined;
  // host.conf's `multi off` (or none): the first line naming it only, of either family; read
  // only when more than one line names it.
  if (lines.length > 1 && !multi()) lines.length = 1;
  // The canonical name is the first name of the first line naming it, of either family.
  return await inAddressOrder(
    first.names[0] ?? hostName,
    lines.map(({ address, family }) => ({ entry: { addresses: [address] }, family })),
    sorted,
  );
}

/**
 * {@linkcode lookupAddressesUnbounded}, one lookup for the callers that ask the same name with
 * the same options while it is under way (`_shared_lookup.ts`): each gets its own copy of the
 * answer (an error is the same object for all) and leaves on its own signal. Not shared with a
 * `trace`, which is each caller's own.
 */
export function lookupAddressesShared(
  name: string,
  options: LookupAddressesOptions,
  core: ResolverCore,
): Promise<AddressLookup> {
  return sharedLookup(
    sharingKey(name, options),
    options.signal,
    (signal) => lookupAddressesUnbounded(name, { ...options, signal }, core),
    copyLookup,
  );
}

/**
 * What makes two lookups the same: the name and every option but the caller's `signal` and
 * `timeoutMs` (each caller's own, in its signal already); undefined (not shared) with a `trace`.
 */
function sharingKey(name: string, options: LookupAddressesOptions): string | undefined {
  if (options.trace !== undefined) return undefined;
  const { signal: _signal, timeoutMs: _timeoutMs, ...rest } = options;
  try {
    return JSON.stringify([name, rest]);
  } catch {
    return undefined; // options no JSON can hold: not shared
  }
}

/** A caller's own copy of an answer. */
function copyLookup(found: AddressLookup): AddressLookup {
  return {
    canonicalName: found.canonicalName,
    addresses: found.addresses.map(({ address, family }) => ({ address, family })),
  };
}

/** {@linkcode lookupAddresses} once its whole-lookup deadline, if any, is in `options.signal`. */
export async function lookupAddressesUnbounded(
  name: string,
  options: LookupAddressesOptions,
  core: ResolverCore,
): Promise<AddressLookup> {
  let wanted = options.family ?? 0;
  if (wanted === 0 && options.addressConfig === true) wanted = configuredFamily();
  // getaddrinfo for IPv4 takes an IPv4-mapped literal for its IPv4 address (gethostbyname,
  // resolveHost, does not).
  if (wanted === 4 && addressFamily(name) === 6) {
    const bytes = inetPton(name);
    if (bytes.subarray(0, 12).every((byte, i) => byte === (i < 10 ? 0 : 0xff))) {
      return {
        canonicalName: name,
        addresses: [{ address: inetNtop(bytes.subarray(12)), family: 4 }],
      };
    }
  }
  if (wanted === 0) {
    const fromFile = await lookUpBothInHostsFile(name, options, core);
    if (fromFile) return fromFile;
  }
  const families: IpFamily[] = wanted === 0 ? [6, 4] : [wanted];
  const familyOptions = families.map((family) => ({ ...options, family }));
  // Both families: their DNS questions go out in step, name by name of the search list, as
  // glibc's gethostbyname4_r asks A and AAAA together (_paired_search.ts).
  const paired = familyOptions.length === 2
    ? pairSearches(familyOptions[1]!, familyOptions[0]!)
    : undefined;
  const results = await Promise.allSettled(
    // IPv4 alone goes through gethostbyname3_r in getaddrinfo, which orders by the sortlist;
    // both families (gethostbyname4_r) do not.
    familyOptions.map((familyOptions) =>
      core.resolveHostUnbounded(name, familyOptions, { bySortList: wanted === 4, paired }).finally(
        () => paired?.leave(familyOptions.family),
      )
    ),
  );
  // Aborted (or out of time) with one family found: no partial answer.
  options.signal?.throwIfAborted();
  const found = results.flatMap((result, i) =>
    result.status === "fulfilled" ? [{ entry: result.value, family: families[i] as IpFamily }] : []
  );
  const first = found[0];
  if (first === undefined) {
    const failure = results[results.length - 1];
    if (failure?.status === "rejected") throw failure.reason;
    const { DnsNotFoundError } = await core.loadErrors();
    throw new DnsNotFoundError(name);
  }
  if (found.length === 2) {
    await keepFirstSource(found, options, core);
    await keepFirstSearchName(name, found, options, core);
  }
  // The hosts file answered after an earlier source found nothing: both families from it, each
  // line in its own family, as when it comes first (resolveHost reads a `::1` or IPv4-mapped
  // line as IPv4 too, as gethostbyname does).
  if (wanted === 0 && found.every(({ entry }) => entry.source === "hosts-file")) {
    const hosts = await core.hostsEntries(options.hostsFile, options.signal);
    const fromFile = hosts && await bothFromHostsEntries(
      hosts,
      name,
      options.sorted !== false,
      () => multiFor(options.hostsFile),
    );
    if (fromFile) return fromFile;
  }
  // glibc's dns source lists the A answer's addresses before the AAAA answer's (gaih_getanswer
  // reads them in that order): the order RFC 6724's sort keeps for ties, as when a gai.conf
  // gives both families one precedence.
  if (found.length === 2 && found.every(({ entry }) => entry.source === "dns")) {
    found.sort((a, b) => a.family - b.family);
  }
  // glibc's dns source asks A before AAAA and names the lookup after the first answer with an
  // address (gaih_getanswer): with both families from DNS, the end of the A answer's CNAME chain.
  const kept =
    (found.length === 2 && found.every(({ entry }) => entry.source === "dns")
      ? found.find(({ family }) => family === 4)
      : undefined) ?? found[0] ?? first;
  // As getaddrinfo's AI_CANONNAME: a literal's name is the text as given.
  const canonicalName = kept.entry.source === "literal" ? name : kept.entry.officialName;
  return await inAddressOrder(canonicalName, found, options.sorted !== false);
}

/**
 * Drops from `found` the answers whose place in `order` (-1: unknown, kept) is not the earliest.
 */
function keepEarliest(found: unknown[], order: number[]): void {
  const earliest = Math.min(...order.filter((index) => index >= 0));
  for (let i = found.length - 1; i >= 0; i--) {
    const index = order[i] ?? -1;
    if (index >= 0 && index !== earliest) found.splice(i, 1);
  }
}

/** The nsswitch.conf source each kind of answer comes from. */
const SOURCE_NAMES: Record<HostEntry["source"], string> = {
  "literal": "",
  "hosts-file": "files",
  "myhostname": "myhostname",
  "dns": "dns",
};

/**
 * As getaddrinfo asks each source of nsswitch.conf for both families at once and stops at the
 * first that has either: when the families' answers came from different sources, only those of
 * the earlier source are kept (under `hosts: dns files`, a name DNS has in IPv6 only and the
 * hosts file in IPv4 only gives the IPv6 address alone).
 */
async function keepFirstSource(
  found: { entry: HostEntry; family: IpFamily }[],
  options: Omit<ResolveOptions, "family">,
  core: ResolverCore,
): Promise<void> {
  const [a, b] = found;
  if (a === undefined || b === undefined || a.entry.source === b.entry.source) return;
  const sources = await core.sourcesOf(options);
  const order = found.map(({ entry }) =>
    sources.findIndex((source) => source.name === SOURCE_NAMES[entry.source])
  );
  keepEarliest(found, order);
}

/**
 * As getaddrinfo asks both families of each search-list name together and stops at the first
 * name with an address of either: when the families' DNS answers came from different names of
 * the search list, only those of the earliest name are kept (`dual` under `search a.test b.test`
 * with only AAAA at `dual.a.test` and only A at `dual.b.test` gives the AAAA alone).
 */
async function keepFirstSearchName(
  name: string,
  found: { entry: HostEntry; family: IpFamily }[],
  options: Omit<ResolveOptions, "family">,
  core: ResolverCore,
): Promise<void> {
  // The name each family's answer was asked for: the start of its CNAME chain.
  const asked = found.map(({ entry }) => (entry.aliases[0] ?? entry.officialName).toLowerCase());
  if (found.some(({ entry }) => entry.source !== "dns") || asked[0] === asked[1]) return;
  if (options.nameServer !== undefined) return; // no search list: one name asked
  const { namesToAsk, readResolverConfig } = await core.loadDnsLookup();
  const config = await readResolverConfig(options.resolvConf);
  const hostName = hostNameOfEscapes(name) ?? toAsciiHostName(name);
  const searched = await namesToAsk(hostName, name.endsWith("."), config);
  const names = searched.names.map((candidate) => candidate.toLowerCase());
  const order = asked.map((candidate) => names.indexOf(candidate));
  keepEarliest(found, order);
}

/**
 * address_order.ts's load: one `import()` for every lookup, since each made while the module
 * loads costs a load of its own (resolver.ts's `loading`).
 */
let addressOrderLoading: Promise<typeof import("./address_order.ts")> | undefined;

/** Both families' addresses in RFC 6724 order, with their family. */
async function inAddressOrder(
  canonicalName: string,
  found: { entry: { addresses: string[] }; family: IpFamily }[],
  sorted: boolean,
): Promise<AddressLookup> {
  const byAddress = new Map<string, IpFamily>();
  for (const { entry, family } of found) {
    for (const address of entry.addresses) byAddress.set(address, family);
  }
  // Repeats kept, as getaddrinfo keeps those of a hosts file. Sorted here, and only for two
  // addresses or more: a command's usual lookup never sorts (the sorter asks the system for its
  // interfaces, ~1 ms).
  const addresses = found.flatMap(({ entry }) => entry.addresses);
  const ordered = addresses.length < 2 || !sorted
    ? addresses
    : (await (addressOrderLoading ??= import("./address_order.ts"))).sortAddresses(addresses);
  return {
    canonicalName,
    addresses: ordered.map((address) => ({ address, family: byAddress.get(address) ?? 4 })),
  };
}
