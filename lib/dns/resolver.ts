/**
 * Name to addresses and address to names, the way glibc's `gethostbyname2` and `gethostbyaddr`
 * do it, with errors that say what happened: an address literal (inet_aton forms and scoped IPv6
 * included) answers itself; then the sources of nsswitch.conf's `hosts:` line in order -- the hosts
 * file (`files`), DNS (`dns`) and systemd's `myhostname` (localhost names, the host's own,
 * `_gateway`) -- with their `[STATUS=return]` actions; DNS through netkit's own client
 * ({@linkcode queryDns}), which reads the RCODE so that a missing name, a name without an address
 * of the family, a failing server and a silent one are four different errors.
 *
 * On the system path (no `nameServer`) resolv.conf is read as glibc reads it: its name servers,
 * `search`/`domain` list and `ndots` (names tried in `res_search`'s order), `timeout`,
 * `attempts`, `rotate`, `use-vc`, `no-aaaa` and `sortlist`, with `LOCALDOMAIN`, `RES_OPTIONS`
 * and `HOSTALIASES` applied; compared with getent in a mount namespace by
 * `tests/cmd/resolve-hostname_getent_test.ts`, `tests/cmd/resolve-hostname_glibc_test.ts` and
 * `tests/cmd/resolve-hostname_configs_test.ts`. Files are parsed once and re-read when they change;
 * a hosts file over 16 KiB (a blocklist of 150,000 lines) is searched for the lines a lookup needs
 * rather than parsed whole (`_hosts_text.ts`, beside getent in
 * `tests/cmd/resolve-hostname_big_hosts_test.ts`).
 *
 * Why not `Deno.resolveDns` (measured by `bench/dns_system_path.ts` beside getent on one
 * configuration): it answers from the hosts file whatever nsswitch.conf says (`hosts: dns` and
 * `hosts: dns files` give the hosts file's address where glibc gives DNS's or none), lets a final
 * dot match a hosts-file line, reports NXDOMAIN, no data, SERVFAIL and REFUSED all as `NotFound`,
 * and hides the CNAME chain that `gethostbyname`'s official name and aliases need. Its speed is
 * matched within a factor of two by the own client on `Deno.listenDatagram` (bench/dns.ts).
 *
 * @module
 */

import {
  findHostByAddress,
  findHostByName,
  hostConf,
  HOSTS_FILE_PATH,
  type HostsEntry,
  keptHostsFile,
  multiFor,
  readHostsFile,
  reorderByInterfaces,
  trimDomains,
} from "./hosts_file.ts";
import type { HostsLines } from "./_hosts_text.ts";
import { hostNameOfEscapes, toAsciiHostName } from "./host_name.ts";
import {
  DEFAULT_HOSTS_SOURCES,
  keptHostsSources,
  type NssSource,
  type NssStatus,
  readHostsSources,
} from "./nsswitch.ts";
import { addressFamily, inetAton, inetNtop, inetPton, type IpFamily } from "../net/inet.ts";

export type { HostEntry, ResolveOptions, ResolveStep } from "./_resolve_options.ts";
import type { HostEntry, ResolveOptions } from "./_resolve_options.ts";
import type { PairedSearch } from "./_paired_search.ts";
export type { AddressLookup, LookupAddressesOptions } from "./_lookup_both.ts";
import type {
  AddressLookup,
  LookupAddressesOptions,
  LookupWay,
  ResolverCore,
} from "./_lookup_both.ts";

/** The resolver's DNS part, once loaded: an answer from the hosts file never loads it. */
let dnsLookup: typeof import("./_dns_lookup.ts") | undefined;

/**
 * The loads of this module's lazy parts under way or done, one `import()` each: Deno loads a
 * module once, but each `import()` made while it is still loading costs a load of its own
 * (1,000 lookups started at once in a fresh process: 1,000 imports of `_dns_lookup.ts`, 2.1 s
 * and 1.4 s of CPU, against 16 ms for one).
 */
const loading: {
  dnsLookup?: Promise<typeof import("./_dns_lookup.ts")>;
  errors?: Promise<typeof import("./errors.ts")>;
  myHostname?: Promise<typeof import("./_my_hostname.ts")>;
  lookupBoth?: Promise<typeof import("./_lookup_both.ts")>;
  hostsText?: Promise<typeof import("./_hosts_text.ts")>;
  deadlineSignal?: Promise<typeof import("../internal/deadline_signal.ts")>;
  message?: Promise<typeof import("./message.ts")>;
} = {};

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").
const loadDnsLookup = (async function loadDnsLookup(): Promise<typeof import("./_dns_lookup.ts")> {
  dnsLookup = await (loading.dnsLookup ??= import("./_dns_lookup.ts"));
  return dnsLookup;
}).bind(undefined);

/**
 * The DNS errors, loaded when a lookup fails (or gets a deadline): an answer never needs them,
 * and a command's start-up is ~0.2 ms shorter without them.
 */
let dnsErrors: typeof import("./errors.ts") | undefined;

async function loadErrors(): Promise<typeof import("./errors.ts")> {
  return dnsErrors ??= await (loading.errors ??= import("./errors.ts"));
}

/** systemd's `myhostname` source, loaded only when nsswitch.conf names it. */
let myHostname: typeof import("./_my_hostname.ts") | undefined;

async function loadMyHostname(): Promise<typeof import("./_my_hostname.ts")> {
  return myHostname ??= await (loading.myHostname ??= import("./_my_hostname.ts"));
}

/**
 * A hosts file up to this size is parsed whole, once per process (a usual `/etc/hosts`: a few
 * lines); a larger one -- a blocklist of 150,000 `0.0.0.0 NAME` lines, whose parse takes ~0.4 s
 * -- is searched for the lines a lookup needs (`_hosts_text.ts`, loaded then only: one module
 * more costs a command's start-up ~0.3 ms).
 */
const WHOLE_HOSTS_FILE_BYTES = 16 * 1024;

/** `_hosts_text.ts`, once a large hosts file has been read. */
let hostsTextModule: typeof import("./_hosts_text.ts") | undefined;

/** The lines of no hosts file (`hostsFile: false`). */
const NO_HOSTS_LINES: HostsLines = { naming: () => [], withAddress: () => [] };

/** The lines of a file parsed whole: all of them, for any name or address. */
const wholeFiles = new WeakMap<HostsEntry[], HostsLines>();

const wholeFileLines = (function wholeFileLines(entries: HostsEntry[]): HostsLines {
  let lines = wholeFiles.get(entries);
  if (lines === undefined) {
    const all = () => entries;
    lines = { naming: all, withAddress: all };
    wholeFiles.set(entries, lines);
  }
  return lines;
}).bind(undefined);

/**
 * The hosts file, as the lines a lookup needs: none when the caller skips it (`false`), undefined
 * when the system's file is missing (glibc's files source is then UNAVAIL, not NOTFOUND). At
 * once, without a chain of awaits, when the file is unchanged since it was read (the usual
 * lookup).
 */
const hostsEntries = (function hostsEntries(
  option: string | false | undefined,
  signal?: AbortSignal,
): HostsLines | undefined | Promise<HostsLines | undefined> {
  signal?.throwIfAborted();
  if (option === false) return NO_HOSTS_LINES;
  const path = option ?? HOSTS_FILE_PATH;
  const whole = keptHostsFile(path);
  if (whole !== undefined) return wholeFileLines(whole);
  return hostsTextModule?.keptHostsText(path) ?? loadHostsFile(option, signal);
}).bind(undefined);

/** {@linkcode hostsEntries} when the file must be read. */
const loadHostsFile = (async function loadHostsFile(
  option: string | false | undefined,
  signal?: AbortSignal,
): Promise<HostsLines | undefined> {
  signal?.throwIfAborted();
  if (option === false) return NO_HOSTS_LINES;
  const path = option ?? HOSTS_FILE_PATH;
  try {
    // Its size, as the read would find it (a FIFO's 0: parsed whole, as ever).
    const entries = Deno.statSync(path).size <= WHOLE_HOSTS_FILE_BYTES
      ? wholeFileLines(await readHostsFile(path))
      : await (hostsTextModule ??= await (loading.hostsText ??= import("./_hosts_text.ts")))
        .readHostsText(path);
    signal?.throwIfAborted();
    return entries;
  } catch (error) {
    signal?.throwIfAborted();
    // The system's file may be missing; a file the caller named must be there.
    if (option === undefined && error instanceof Deno.errors.NotFound) return undefined;
    // Loaded only on this error path: a lookup that reads the file never needs it.
    const { withPermissionNamed } = await import("./_permission_named.ts");
    throw await withPermissionNamed(
      error,
      `reading the hosts file${option === undefined ? " (or pass hostsFile: false)" : ""}`,
      { kind: "read", target: path },
    );
  }
}).bind(undefined);

/**
 * Runs `lookup` under the whole-lookup deadline `options.timeoutMs` when it is finite (the same
 * helper the HTTP client and the time clients use): its signal, joined to the caller's, is the
 * `signal` every step is given (the hosts file, each question, each TCP probe), so that when it
 * runs out the question under way is dropped, its socket closed, and the lookup rejects with a
 * {@linkcode DnsTimeoutError} of `scope` `"lookup"` naming `query`.
 */
function withinLookupTimeout<O extends { timeoutMs?: number; signal?: AbortSignal | undefined }, T>(
  query: string,
  options: O,
  lookup: (options: O) => Promise<T>,
): Promise<T> {
  const timeoutMs = options.timeoutMs;
  if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) return lookup(options);
  return runWithin(timeoutMs, query, options, lookup);
}

/** {@linkcode withinLookupTimeout} with a deadline. */
async function runWithin<O extends { signal?: AbortSignal | undefined }, T>(
  timeoutMs: number,
  query: string,
  options: O,
  lookup: (options: O) => Promise<T>,
): Promise<T> {
  // Loaded only here: a lookup without a whole-lookup deadline does without them.
  const [{ deadlineSignal }, { DnsTimeoutError }] = await Promise.all([
    loading.deadlineSignal ??= import("../internal/deadline_signal.ts"),
    loadErrors(),
  ]);
  using deadline = deadlineSignal(
    timeoutMs,
    options.signal,
    () => new DnsTimeoutError(query, timeoutMs, { scope: "lookup" }),
  );
  return await lookup({ ...options, signal: deadline.signal });
}

/**
 * Resolves a host name to its official name, aliases and addresses of one family, as
 * `gethostbyname2` does: an address literal answers itself, then the hosts file, then DNS.
 *
 * @param name A host name (`www.example.org`, an international name, a final dot allowed) or an
 * address literal.
 * @returns The entry; `addresses` is never empty.
 * @throws {InvalidHostNameError} (a `SyntaxError`, code `EBADNAME`) when `name` cannot be a host
 * name (and no hosts-file line has it as typed, as glibc's files source compares any text).
 * @throws {DnsNotFoundError} NXDOMAIN: no such name.
 * @throws {DnsNoDataError} the name exists but has no address of the family.
 * @throws {DnsServerError} SERVFAIL, REFUSED or another error code from every server.
 * @throws {DnsTimeoutError} no server answered in time (`scope` `"query"`: each got its
 * `attemptTimeoutMs`), or the whole lookup took longer than `timeoutMs` (`scope` `"lookup"`).
 * @throws {DnsBadResponseError} the answer was garbage.
 * @throws {DnsCnameChainError} the CNAME chain loops, or needs more than {@linkcode MAX_CNAME_LINKS}
 * questions of its own.
 * @throws {SocketError} a socket failed (e.g. the TCP fallback was refused).
 * @throws {MissingPermissionError} Deno's permissions refused a read (hosts file, resolv.conf) or
 * the socket; the error names the flag to grant.
 * @throws The `signal`'s reason when aborted.
 *
 * @example An address literal answers itself
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveHost } from "@netkit/netkit/dns";
 *
 * const entry = await resolveHost("2001:DB8::1", { family: 6, hostsFile: false });
 * assert.deepEqual(entry, {
 *   officialName: "2001:DB8::1", // as typed, as gethostbyname names it
 *   aliases: [],
 *   addresses: ["2001:db8::1"],
 *   source: "literal",
 * });
 * ```
 *
 * @example Ask a given DNS server (one started here on loopback)
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeDnsMessage, DNS_TYPE, encodeDnsMessage, resolveHost } from "@netkit/netkit/dns";
 *
 * // A tiny DNS server answering one question: www.test has the address 10.0.0.7.
 * const server = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
 * const answered = (async () => {
 *   const [wire, client] = await server.receive();
 *   const query = decodeDnsMessage(wire);
 *   const reply = encodeDnsMessage({
 *     id: query.id,
 *     response: true,
 *     recursionDesired: query.recursionDesired,
 *     recursionAvailable: true,
 *     questions: query.questions,
 *     answers: [{ name: "www.test", type: DNS_TYPE.A, ttl: 60, data: "10.0.0.7" }],
 *   });
 *   await server.send(reply, client);
 * })();
 *
 * const { port } = server.addr as Deno.NetAddr;
 * const entry = await resolveHost("www.test", {
 *   nameServer: `127.0.0.1:${port}`,
 *   hostsFile: false,
 *   timeoutMs: 10_000, // the whole lookup
 * });
 * await answered;
 * server.close();
 * assert.deepEqual(entry, {
 *   officialName: "www.test",
 *   aliases: [],
 *   addresses: ["10.0.0.7"],
 *   source: "dns",
 * });
 * ```
 */
export function resolveHost(name: string, options: ResolveOptions = {}): Promise<HostEntry> {
  // Without a deadline, straight on: a command's single lookup compiles no more than it runs.
  const timeoutMs = options.timeoutMs;
  if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) {
    return resolveHostUnbounded(name, options, AS_GETHOSTBYNAME);
  }
  return runWithin(
    timeoutMs,
    name,
    options,
    (bounded) => resolveHostUnbounded(name, bounded, AS_GETHOSTBYNAME),
  );
}

/** `resolveHost`'s way: gethostbyname's walk of the sources and its `sortlist` order. */
const AS_GETHOSTBYNAME: LookupWay = Object.freeze({ bySortList: true, byName: true });

/**
 * {@linkcode resolveHost} once its whole-lookup deadline, if any, is in `options.signal`; `way`
 * says how the sources are walked and the answer ordered ({@linkcode LookupWay}: `byName` as
 * {@linkcode askInOrder} takes it).
 */
const resolveHostUnbounded = (async function resolveHostUnbounded(
  name: string,
  options: ResolveOptions,
  way: LookupWay = {},
): Promise<HostEntry> {
  const { bySortList = false, byName = false, paired } = way;
  // An aborted signal ends every lookup, an address literal's too (as lookupAddresses' and
  // resolveAddress's, and as Deno.resolveDns does).
  options.signal?.throwIfAborted();
  const family = options.family ?? 4;
  if (family !== 4 && family !== 6) {
    throw new RangeError(`Address family must be 4 or 6, not "${family}"`);
  }
  const literal = addressLiteral(name);
  if (literal !== undefined) {
    if (literal.family !== family) {
      const { DnsNoDataError } = await loadErrors();
      throw new DnsNoDataError(name, family === 4 ? "A" : "AAAA");
    }
    // As gethostbyname's h_name: the literal as typed (`127.1`, not `127.0.0.1`).
    return {
      officialName: name,
      aliases: [],
      addresses: [literal.text],
      source: "literal",
    };
  }
  const absolute = name.endsWith(".");
  // What is no host name may still be in the hosts file: glibc's files source compares any text,
  // and only its DNS source refuses such a name (res_hnok). The error is kept for the end.
  let invalid: SyntaxError | undefined;
  let hostName: string;
  try {
    hostName = toAsciiHostName(name);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    invalid = error;
    hostName = absolute ? name.slice(0, -1) : name;
  }
  // DNS reads the escapes of master files (`\100.test` asks for `d.test`), as glibc's dns source
  // does; the hosts file and myhostname still compare the text as typed.
  let dnsName = hostName;
  let dnsInvalid = invalid;
  if (invalid !== undefined) {
    const unescaped = hostNameOfEscapes(name);
    if (unescaped !== undefined) [dnsName, dnsInvalid] = [unescaped, undefined];
  }
  // No await where nothing is read: each costs a turn of the microtask queue per lookup.
  const sources = options.nameServer !== undefined || options.nsswitchConf === false
    ? DEFAULT_HOSTS_SOURCES
    : await hostSources(options);
  // Each source in a function of its own: only those asked are compiled (a process's first
  // lookup pays for every line of code it runs the first time).
  const key = absolute ? `${hostName}.` : hostName;
  const failed: { error?: unknown } = {};
  const found = await askInOrder<HostEntry>(
    sources,
    options,
    (source) => {
      if (source.name !== "dns" && source.name !== "myhostname" && source.name !== "files") {
        return undefined;
      }
      // The last source asked names the failure, as glibc's h_errno and getaddrinfo's error:
      // DNS's no data or server failure, then files or myhostname finding nothing, is not found.
      // (A myhostname glibc cannot load is not asked.)
      if (source.name === "myhostname") {
        // What is no host name may be in the hosts file only.
        return myHostnameByName(name, family, !invalid).then((outcome) => {
          if (outcome !== undefined) delete failed.error;
          return outcome;
        });
      }
      delete failed.error;
      if (source.name === "files") return hostsFileByName(key, family, options);
      if (dnsInvalid !== undefined) return NOT_FOUND;
      return dnsByName(dnsName, absolute, family, options, bySortList, failed);
    },
    byName,
    paired,
  );
  if (found) {
    // host.conf's `reorder`: gethostbyname's IPv4 address of a network of the host first.
    // (One address has nothing to trade places with: host.conf is not read for it.)
    if (
      !bySortList || family !== 4 || options.nameServer !== undefined ||
      found.addresses.length < 2 || !hostConf().reorder
    ) {
      return found;
    }
    const { interfaceList } = await import("./_interface_list.ts");
    return { ...found, addresses: reorderByInterfaces(found.addresses, interfaceList() ?? []) };
  }
  if (failed.error != null || dnsInvalid !== undefined) throw failed.error ?? dnsInvalid;
  const { DnsNotFoundError } = await loadErrors();
  throw new DnsNotFoundError(hostName);
}).bind(undefined);

/**
 * The files source for a name: the lines of the hosts file naming it, `key` compared as typed
 * (as glibc's files source, so a final dot matches only a line that has one too).
 */
const hostsFileByName = (function hostsFileByName(
  key: string,
  family: IpFamily,
  options: ResolveOptions,
): SourceOutcome<HostEntry> | Promise<SourceOutcome<HostEntry>> {
  const entries = hostsEntries(options.hostsFile, options.signal);
  // At once when the file is kept (or not read): no async function and its turns per lookup.
  return entries instanceof Promise
    ? entries.then((read) => hostsFileOutcome(read, key, family, options.hostsFile))
    : hostsFileOutcome(entries, key, family, options.hostsFile);
}).bind(undefined);

/**
 * The files source's outcome for `key`, given the hosts file (undefined: unreadable) and the
 * lookup's `hostsFile` option (host.conf's `multi` counts for the system's file only).
 */
const hostsFileOutcome = (function hostsFileOutcome(
  hosts: HostsLines | undefined,
  key: string,
  family: IpFamily,
  hostsFile: string | false | undefined,
): SourceOutcome<HostEntry> {
  if (hosts === undefined) return UNAVAILABLE;
  // The lines that may name it, then matched as on the whole file.
  let match = findHostByName(hosts.naming(key), key, family);
  if (match === undefined) return NOT_FOUND;
  // host.conf's `multi off` (or none): the first line only. Read only when more than one line
  // names it (a line gives one address), so that most lookups never read host.conf.
  if (match.addresses.length > 1 && !multiFor(hostsFile)) {
    match = findHostByName(hosts.naming(key), key, family, { multi: false })!;
  }
  const { officialName, aliases, addresses } = match;
  return { status: "success", value: { officialName, aliases, addresses, source: "hosts-file" } };
}).bind(undefined);

/**
 * The dns source for a valid host name (`hostName` in ASCII, without its final dot; `absolute`
 * when it had one). Its error, when it fails, is left in `failed` for the end of the lookup.
 */
const dnsByName = (async function dnsByName(
  hostName: string,
  absolute: boolean,
  family: IpFamily,
  options: ResolveOptions,
  bySortList: boolean,
  failed: { error?: unknown },
): Promise<SourceOutcome<HostEntry>> {
  try {
    const {
      chainEnd,
      namesToAsk,
      readResolverConfig,
      searchChain,
      sortBySortList,
    } = dnsLookup ?? await loadDnsLookup();
    const config = options.nameServer === undefined
      ? await readResolverConfig(options.resolvConf)
      : undefined;
    // An explicit server has no search list nor aliases: no await for them (a turn a lookup).
    const { names, searched } = config === undefined
      ? { names: [hostName], searched: hostName }
      : await namesToAsk(hostName, absolute, config);
    const { chain, data } = await searchChain(
      names,
      searched,
      family,
      family === 4 ? "A" : "AAAA",
      options,
      config,
    );
    const sortList = bySortList && family === 4 ? config?.sortList ?? [] : [];
    const value: HostEntry = {
      officialName: chainEnd(chain),
      aliases: chain.slice(0, -1),
      addresses: sortList.length > 0 ? await sortBySortList(data, sortList) : data,
      source: "dns",
    };
    return { status: "success", value };
  } catch (error) {
    failed.error = dnsFailure(error, options);
    return { status: dnsLookup?.nssStatusAfter(error) ?? await nssStatusOf(error) };
  }
}).bind(undefined);

/**
 * systemd's myhostname source: localhost names, the host's own, _gateway (nothing for what is no
 * host name, `valid` false); undefined where glibc could not load its module.
 */
async function myHostnameByName(
  name: string,
  family: IpFamily,
  valid: boolean,
): Promise<SourceOutcome<HostEntry> | undefined> {
  // See _my_hostname.ts.
  const myHostname = await loadMyHostname();
  if (!myHostname.myHostnameInstalled()) return undefined;
  if (!valid) return NOT_FOUND;
  const match = myHostname.mayServe(name) ? myHostname.myHostnameEntry(name, family) : undefined;
  return match ? { status: "success", value: { ...match, source: "myhostname" } } : NOT_FOUND;
}

/** What one source of nsswitch.conf's `hosts:` line gave: its status, and its answer. */
type SourceOutcome<T> = { status: NssStatus; value?: T };

const NOT_FOUND: SourceOutcome<never> = { status: "notfound" };
/** A source that cannot be asked: a missing hosts file, as glibc's files source fails to open it. */
const UNAVAILABLE: SourceOutcome<never> = { status: "unavail" };

/**
 * Asks the sources of nsswitch.conf's `hosts:` line in turn, as glibc's nss loop: after each,
 * its action for the status it gave (`[NOTFOUND=return]`, `[SUCCESS=continue]`, ...) ends the
 * loop or goes on, and the last source asked decides, so an answer a `[SUCCESS=continue]`
 * passes on counts only when no source comes after it. `ask` gives undefined for a source
 * netkit does not serve, as a module glibc cannot load (or one without hosts functions,
 * `systemd`): getaddrinfo counts it UNAVAIL, which may end the loop, while gethostbyname and
 * gethostbyaddr (`byName`, glibc's getXXbyYY_r and __nss_next2) never ask it: they pass over it
 * where its UNAVAIL action is `continue` and stop at it where it is `return`, and either way the
 * source asked before it decides (`dns [SUCCESS=continue] resolve` answers from DNS). With
 * `paired` (both families of `lookupAddresses`, `options.family` one of them), a source that
 * found nothing where the other family's found an address gives SUCCESS, as getaddrinfo asks
 * each source for both at once (gethostbyname4_r): under `hosts: dns files dns` the IPv6 lookup
 * of a name the hosts file has in IPv4 alone asked DNS again.
 */
const askInOrder = (async function askInOrder<T>(
  sources: readonly NssSource[],
  options: ResolveOptions,
  ask: (
    source: NssSource,
  ) => SourceOutcome<T> | undefined | Promise<SourceOutcome<T> | undefined>,
  byName = false,
  paired?: PairedSearch,
): Promise<T | undefined> {
  let found: T | undefined;
  // Indexed: no iterator and no [index, source] pair a source, a lookup.
  for (let at = 0; at < sources.length; at++) {
    const source = sources[at]!;
    let outcome = await ask(source);
    if (paired !== undefined) {
      const mine = outcome?.value !== undefined;
      if (await paired.afterSource(options.family ?? 4, at, mine) && !mine) {
        outcome = { status: "success" };
      }
    }
    options.trace?.({ step: "source", source: source.name, outcome: outcome?.status ?? "skipped" });
    if (outcome !== undefined || !byName) found = outcome?.value;
    if (source.returnOn.has(outcome?.status ?? "unavail")) break;
  }
  return found;
}).bind(undefined);

/** A DNS source's error, kept for the caller, unless it must end the lookup at once. */
function dnsFailure(error: unknown, options: ResolveOptions): unknown {
  // An abort and a refused permission end the lookup; another source would not help.
  options.signal?.throwIfAborted();
  if (error instanceof Deno.errors.NotCapable) throw error;
  return error;
}

/**
 * Whether `name` is made of what address literals are (`[0-9a-fA-FxX:.]`, at least one) up to
 * a `%scope` of anything but line breaks: the test {@linkcode addressLiteral} turns most names
 * away with, by character code (no regular expression on a lookup's usual path: the first one a
 * process runs costs ~0.2 ms).
 */
const mayBeAddressLiteral = (function mayBeAddressLiteral(name: string): boolean {
  let i = 0;
  for (; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code === 0x25 && i > 0) break; // "%"
    const lower = code | 0x20; // a letter in lower case
    const letter = code >= 0x41 && (lower >= 0x61 && lower <= 0x66 || lower === 0x78);
    if (!letter && !(code >= 0x30 && code <= 0x3a) && code !== 0x2e) return false; // 0-9 : .
  }
  if (i === 0) return false;
  for (i++; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029) return false;
  }
  return true;
}).bind(undefined);

/**
 * An address literal in the forms glibc takes for a host name: `inet_aton`'s IPv4 forms
 * (`127.1`, `0x7f.1`), IPv6 text, and a scoped IPv6 address (`fe80::1%lo`, scope kept) whose
 * scope getaddrinfo takes ({@linkcode scopeTaken}).
 */
const addressLiteral =
  (function addressLiteral(name: string): { family: IpFamily; text: string } | undefined {
    // Most names hold a letter no address literal has before its `%scope`: turned away at once.
    if (!mayBeAddressLiteral(name)) return undefined;
    if (addressFamily(name) !== undefined) {
      const bytes = inetPton(name);
      return { family: bytes.length === 4 ? 4 : 6, text: inetNtop(bytes) };
    }
    const v4 = inetAton(name);
    if (v4) return { family: 4, text: inetNtop(v4) };
    const scoped = /^([0-9a-fA-F:.]+)%([A-Za-z0-9_.-]+)$/.exec(name);
    if (scoped && addressFamily(scoped[1] ?? "") === 6) {
      const bytes = inetPton(scoped[1] ?? "");
      if (!scopeTaken(bytes, scoped[2] ?? "")) return undefined;
      return { family: 6, text: `${inetNtop(bytes)}%${scoped[2]}` };
    }
    return undefined;
  }).bind(undefined);

/**
 * Whether getaddrinfo takes `scope` after the IPv6 address `bytes` (glibc's
 * __inet6_scopeid_pton): a number up to 2^32 - 1, or for a link-local address (fe80::/10,
 * ff01::/16, ff02::/16) the name of an interface of this host (taken unchecked where
 * `/sys/class/net` may not be read). `::1%lo` and `fe80::1%nosuch` are no address literals:
 * getaddrinfo fails on them (EAI_NONAME), and so does the lookup of them as names.
 */
function scopeTaken(bytes: Uint8Array, scope: string): boolean {
  if (/^[0-9]+$/.test(scope)) return Number(scope) <= 0xffff_ffff;
  const linkLocal = (bytes[0] === 0xfe && ((bytes[1] ?? 0) & 0xc0) === 0x80) ||
    (bytes[0] === 0xff && (((bytes[1] ?? 0) & 0x0f) === 1 || ((bytes[1] ?? 0) & 0x0f) === 2));
  if (!linkLocal || scope === "." || scope === "..") return false;
  try {
    Deno.statSync(`/sys/class/net/${scope}`);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound);
  }
}

/**
 * The sources to ask, in order: nsswitch.conf's `hosts:` line on the system path, glibc's
 * default with a named server or without nsswitch.conf. At once when nothing must be read.
 */
function sourcesOf(
  options: Omit<ResolveOptions, "family">,
): readonly NssSource[] | Promise<readonly NssSource[]> {
  return options.nameServer !== undefined || options.nsswitchConf === false
    ? DEFAULT_HOSTS_SOURCES
    : hostSources(options);
}

/** The sources to ask on the system path, in order: nsswitch.conf's `hosts:` line. */
const hostSources = (function hostSources(
  options: ResolveOptions,
): readonly NssSource[] | Promise<readonly NssSource[]> {
  const path = options.nsswitchConf === false ? undefined : options.nsswitchConf;
  // At once when nsswitch.conf is unchanged since it was read: no chain of awaits per lookup.
  const kept = keptHostsSources(path);
  if (kept !== undefined) return withNamedHostsFile(kept, options);
  return readHostsSources(path).then((sources) => withNamedHostsFile(sources, options));
}).bind(undefined);

/** A hosts file the caller names is asked whatever nsswitch.conf says. */
const withNamedHostsFile = (function withNamedHostsFile(
  sources: readonly NssSource[],
  options: ResolveOptions,
): readonly NssSource[] {
  if (options.hostsFile !== undefined && !sources.some((s) => s.name === "files")) {
    return [...DEFAULT_HOSTS_SOURCES.filter((s) => s.name === "files"), ...sources];
  }
  return sources;
}).bind(undefined);

/**
 * How nsswitch.conf's actions see a failed DNS lookup, as glibc's dns source reports it (checked
 * with getent): no such name and no data are NOTFOUND; SERVFAIL, REFUSED, a silent server and
 * a dead one are all UNAVAIL (res_send's ETIMEDOUT or ECONNREFUSED), never TRYAGAIN.
 */
async function nssStatusOf(error: unknown): Promise<NssStatus> {
  const { DnsNotFoundError, DnsNoDataError } = await loadErrors();
  if (error instanceof DnsNotFoundError || error instanceof DnsNoDataError) return "notfound";
  return "unavail";
}

/**
 * Finds the names of an address, as `gethostbyaddr` does: the sources of nsswitch.conf's
 * `hosts:` line in order, as {@linkcode resolveHost} asks them -- the hosts file (the names of
 * the first line with the address) and DNS, where the first PTR record is the name, as glibc
 * takes it (CNAMEs followed, as classless delegation, RFC 2317, uses them; an answer whose first
 * PTR is no host name is refused). `queryDns` gives every record of an answer.
 *
 * @param address An IPv4 or IPv6 address literal.
 * @param options `nameServer`, `hostsFile`, `attemptTimeoutMs`, `timeoutMs` (the whole lookup),
 * `resolvConf`, `nsswitchConf`, `signal` and `trace` as for {@linkcode resolveHost}; `family` is
 * ignored.
 * @returns The names, the first being the official one (one name from DNS); empty for a
 * hosts-file line with the address alone, which glibc takes too (with an empty name).
 * @throws {SyntaxError} when `address` is no address literal.
 * @throws {DnsError} and {SocketError} as {@linkcode resolveHost} does.
 *
 * @example From a hosts file
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveAddress } from "@netkit/netkit/dns";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "10.9.8.7 seven.test seven\n");
 * const names = await resolveAddress("10.9.8.7", { hostsFile: path });
 * assert.deepEqual(names, ["seven.test", "seven"]);
 * await Deno.remove(path);
 * ```
 */
export function resolveAddress(address: string, options: ResolveOptions = {}): Promise<string[]> {
  return withinLookupTimeout(
    address,
    options,
    (bounded) => resolveAddressUnbounded(address, bounded),
  );
}

/** {@linkcode resolveAddress} once its whole-lookup deadline, if any, is in `options.signal`. */
async function resolveAddressUnbounded(
  address: string,
  options: ResolveOptions,
): Promise<string[]> {
  const { DNS_TYPE, reverseLookupName } = await (loading.message ??= import("./message.ts"));
  const reverseName = reverseLookupName(address); // throws SyntaxError for a non-address
  const canonical = inetNtop(inetPton(address));
  // The sources of nsswitch.conf's hosts: line, in order, as for names: `hosts: files` asks no
  // DNS server, `hosts: dns files` asks DNS first.
  const sources = options.nameServer !== undefined || options.nsswitchConf === false
    ? DEFAULT_HOSTS_SOURCES
    : await hostSources(options);
  let failure: unknown;
  const found = await askInOrder<string[]>(sources, options, async (source) => {
    if (source.name === "files") {
      const hosts = await hostsEntries(options.hostsFile, options.signal);
      if (hosts === undefined) return UNAVAILABLE;
      const names = findHostByAddress(hosts.withAddress(address), address);
      return names ? { status: "success", value: names } : NOT_FOUND;
    }
    if (source.name === "dns") {
      try {
        const { lookupChain, readResolverConfig } = dnsLookup ?? await loadDnsLookup();
        const config = options.nameServer === undefined
          ? await readResolverConfig(options.resolvConf)
          : undefined;
        const { data } = await lookupChain(reverseName, DNS_TYPE.PTR, "PTR", options, config);
        return { status: "success", value: data };
      } catch (error) {
        failure = dnsFailure(error, options);
        // Name the address, not the in-addr.arpa name, to the user.
        if (error instanceof (await loadErrors()).DnsError && error.query === reverseName) {
          Object.defineProperty(error, "query", { value: address });
          error.message = error.message.replace(`"${reverseName}"`, `"${address}"`);
        }
        // glibc's dns source for gethostbyaddr (2.36) restores errno before it tells UNAVAIL
        // from NOTFOUND, so a question that fails -- NXDOMAIN, SERVFAIL, REFUSED, a silent or
        // dead server -- is NOTFOUND there (`[NOTFOUND=return]` ends the lookup, `[!UNAVAIL=
        // return]` too); only an answer it cannot read is UNAVAIL.
        const { DnsBadResponseError } = await loadErrors();
        return { status: error instanceof DnsBadResponseError ? "unavail" : "notfound" };
      }
    }
    if (source.name === "myhostname") {
      const myHostname = await loadMyHostname();
      if (!myHostname.myHostnameInstalled()) return undefined;
      const names = myHostname.myHostnameNames(canonical);
      return names ? { status: "success", value: names } : NOT_FOUND;
    }
    return undefined;
  }, true);
  // host.conf's `trim` domains cut off the names, whatever the source, as gethostbyaddr does.
  if (found) return options.nameServer === undefined ? trimDomains(found, hostConf().trim) : found;
  if (failure != null) throw failure;
  const { DnsNotFoundError } = await loadErrors();
  throw new DnsNotFoundError(address);
}

/**
 * Looks a name up in both families at once, as `getaddrinfo` with `AF_UNSPEC` does, and orders
 * the addresses by `sortAddresses` (RFC 6724), so a client can try them in turn or race
 * them (Happy Eyeballs, RFC 8305). With `family` 4 or 6, one family only.
 *
 * @param name A host name or an address literal.
 * @param options As for {@linkcode resolveHost}, with `family` 0 (both, the default), 4 or 6;
 * with 0 and `addressConfig`, a host with addresses of one family only (besides 127.0.0.1 and
 * ::1) is asked for that family only, as getaddrinfo's `AI_ADDRCONFIG` (which `getent ahosts`
 * sets, and GNU wget does not) does. `timeoutMs` bounds both families' lookups together. For
 * IPv4 alone (asked, or so narrowed), DNS's addresses come in resolv.conf's `sortlist` order
 * before RFC 6724's, as getaddrinfo's IPv4 path orders them; for both families they do not.
 * Both families' DNS questions go out in pairs, name by name of the search list, the A question
 * before the AAAA one at each server, as getaddrinfo sends them. Callers that ask the same name
 * with the same options (`trace` aside) while a lookup of it is under way share that lookup:
 * each gets its own copy of the answer, and its `signal` or `timeoutMs` ends its own wait only.
 * @returns The canonical name and at least one address.
 * @throws the error of the IPv4 lookup when neither family has an address (the IPv6 one's when
 * only IPv6 was asked).
 *
 * @example Both families from a hosts file
 * ```ts
 * import assert from "node:assert/strict";
 * import { lookupAddresses } from "@netkit/netkit/dns";
 *
 * const hosts = await Deno.makeTempFile();
 * await Deno.writeTextFile(hosts, "127.0.0.9 dual.test\n::1 dual.test\n");
 * const found = await lookupAddresses("dual.test", { hostsFile: hosts, nsswitchConf: false });
 * assert.equal(found.canonicalName, "dual.test");
 * assert.deepEqual(found.addresses.map((a) => a.address).sort(), ["127.0.0.9", "::1"]);
 * await Deno.remove(hosts);
 * ```
 */
export function lookupAddresses(
  name: string,
  options: LookupAddressesOptions = {},
): Promise<AddressLookup> {
  return withinLookupTimeout(name, options, async (bounded) => {
    // Loaded on the first call: a lookup of one family, resolve-hostname's, never needs it.
    // One lookup for the callers asking the same at once (_shared_lookup.ts).
    const { lookupAddressesShared } = await (loading.lookupBoth ??= import("./_lookup_both.ts"));
    return await lookupAddressesShared(name, bounded, RESOLVER_CORE);
  });
}

/** What `_lookup_both.ts` works with (it cannot import this module, which loads it). */
const RESOLVER_CORE: ResolverCore = {
  resolveHostUnbounded,
  sourcesOf,
  hostsEntries,
  isAddressLiteral: (name) => addressLiteral(name) !== undefined,
  loadDnsLookup: () => dnsLookup === undefined ? loadDnsLookup() : Promise.resolve(dnsLookup),
  loadErrors,
  myHostnameMayServe: async (name) => {
    const myHostname = await loadMyHostname();
    return myHostname.myHostnameInstalled() ? myHostname.mayServe(name) : undefined;
  },
};
