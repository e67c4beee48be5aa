/**
 * Name to addresses and address to names, the way glibc's `gethostbyname2` and `gethostbyaddr`
 * do it, with errors that say what happened: an address literal (inet_aton forms and scoped IPv6
 * included) answers itself; then the sources of nsswitch.conf's `hosts:` line in order — the hosts
 * file (`files`) and DNS (`dns`) — with their `[STATUS=return]` actions; DNS through netkit's own
 * client ({@linkcode queryDns}), which reads the RCODE so that a missing name, a name without an
 * address of the family, a failing server and a silent one are four different errors.
 *
 * On the system path (no `nameServer`) resolv.conf is read as glibc reads it: its name servers,
 * `search`/`domain` list and `ndots` (names tried in `res_search`'s order), `timeout` and `rotate`,
 * with `LOCALDOMAIN` and `RES_OPTIONS` applied; compared with getent in a mount namespace by
 * `tests/cmd/resolve-hostname_getent_test.ts`. Files are parsed once and re-read when they change.
 *
 * Why not `Deno.resolveDns`: it reports NXDOMAIN, no data, SERVFAIL and REFUSED all as
 * `NotFound`, hides the CNAME chain, and knows no nsswitch.conf.
 *
 * @module
 */

import { quoteForMessage } from "../internal/quote.ts";
import {
  DEFAULT_DNS_TIMEOUT_MS,
  DNS_PORT,
  formatNameServer,
  type NameServer,
  parseNameServer,
  queryDns,
} from "./client.ts";
import {
  DnsBadResponseError,
  DnsCnameChainError,
  DnsError,
  DnsNoDataError,
  DnsNotFoundError,
  DnsServerError,
} from "./errors.ts";
import {
  DNS_CLASS_IN,
  DNS_RCODE,
  DNS_TYPE,
  type DnsMessage,
  reverseLookupName,
} from "./message.ts";
import { SocketError } from "../net/socket_error.ts";
import { findHostByAddress, findHostByName, HOSTS_FILE_PATH, readHostsFile } from "./hosts_file.ts";
import { MissingPermissionError } from "../io/missing_permission_error.ts";
import { isValidAnswerName, toAsciiHostName } from "./host_name.ts";
import { sortAddresses } from "./address_order.ts";
import {
  DEFAULT_HOSTS_SOURCES,
  type NssSource,
  type NssStatus,
  readHostsSources,
} from "./nsswitch.ts";
import { readResolverConfig, type ResolverConfig, searchNames } from "./resolv_conf.ts";
import { addressFamily, inetAton, inetNtop, inetPton, type IpFamily } from "../net/inet.ts";

/** The most CNAME links followed before giving up (glibc and dig follow chains of 9 and more). */
export const MAX_CNAME_LINKS = 16;

/** Options of {@linkcode resolveHost} and {@linkcode resolveAddress}. */
export interface ResolveOptions {
  /** IPv4 (A records) or IPv6 (AAAA records). @default {4} */
  family?: IpFamily;
  /** The DNS server to ask, as `IP[:PORT]` / `[IPv6]:PORT` or an object; default: resolv.conf. */
  nameServer?: string | NameServer;
  /** The hosts file; `false` skips it. A missing default file is skipped. @default {"/etc/hosts"} */
  hostsFile?: string | false;
  /** How long each server gets for each question. @default {5000} */
  timeoutMs?: number;
  /**
   * The resolv.conf to read when no `nameServer` is given: its name servers, search list,
   * `ndots`, `timeout` and `rotate` (with `LOCALDOMAIN` and `RES_OPTIONS` applied, as glibc does).
   * @default {"/etc/resolv.conf"}
   */
  resolvConf?: string;
  /** Abort the lookup: it rejects with `signal.reason` at once and its sockets are closed. */
  signal?: AbortSignal | undefined;
  /**
   * The nsswitch.conf whose `hosts:` line orders the hosts file (`files`) and DNS (`dns`) when
   * no `nameServer` is given; `false` keeps the fixed order hosts file, then DNS.
   * @default {"/etc/nsswitch.conf"}
   */
  nsswitchConf?: string | false;
  /** Told each step of the lookup (sources, questions and their outcome), e.g. for `--debug`. */
  trace?: (step: ResolveStep) => void;
}

/** One step of a lookup, as {@linkcode ResolveOptions.trace} is told it. */
export type ResolveStep =
  | {
    /** A source of nsswitch.conf's `hosts:` line was asked. */
    step: "source";
    /** `files`, `dns`, or a source netkit does not serve (skipped). */
    source: string;
    /** What it gave: `success`, `notfound`, `unavail`, `tryagain`, or `skipped`. */
    outcome: NssStatus | "skipped";
  }
  | {
    /** A question was sent to a name server. */
    step: "query";
    /** The name asked (after the search list). */
    name: string;
    /** `A`, `AAAA` or `PTR`. */
    type: string;
    /** The server, as `HOST:PORT`. */
    server: string;
    /** The response code of the answer, when one came. */
    rcode?: number;
    /** What went wrong, when no answer came. */
    error?: string;
  };

/** What {@linkcode resolveHost} found: the fields of C's `struct hostent`. */
export interface HostEntry {
  /** The canonical name: the end of the CNAME chain, or the hosts file's first name. */
  officialName: string;
  /** The other names: the CNAMEs followed, or the hosts file's aliases. */
  aliases: string[];
  /** The addresses of the family asked, as text. */
  addresses: string[];
  /** Where the answer came from. */
  source: "literal" | "hosts-file" | "dns";
}

async function loadHostsFile(option: string | false | undefined, signal?: AbortSignal) {
  signal?.throwIfAborted();
  if (option === false) return [];
  const path = option ?? HOSTS_FILE_PATH;
  try {
    const entries = await readHostsFile(path);
    signal?.throwIfAborted();
    return entries;
  } catch (error) {
    signal?.throwIfAborted();
    // The system's file may be missing; a file the caller named must be there.
    if (option === undefined && error instanceof Deno.errors.NotFound) return [];
    throw MissingPermissionError.from(
      error,
      `reading the hosts file${option === undefined ? " (or pass hostsFile: false)" : ""}`,
      { kind: "read", target: path },
    );
  }
}

/** The rotation counter of `options rotate`: each question starts one server further. */
let rotation = 0;

function nameServers(
  options: ResolveOptions,
  config: ResolverConfig | undefined,
): Required<NameServer>[] {
  const given = options.nameServer;
  if (given === undefined) {
    const servers = (config?.nameServers ?? ["127.0.0.1"]).map((hostname) => ({
      hostname,
      port: DNS_PORT,
    }));
    if (!config?.rotate || servers.length < 2) return servers;
    const start = rotation++ % servers.length;
    return [...servers.slice(start), ...servers.slice(0, start)];
  }
  if (typeof given === "string") return [parseNameServer(given)];
  return [parseNameServer(formatNameServer(given))];
}

/** The end of a CNAME chain and the records of the type asked found there. */
interface ChainAnswer {
  chain: string[];
  data: string[];
}

/** The last name of a CNAME chain, which starts with the name asked and so is never empty. */
function chainEnd(chain: string[]): string {
  const end = chain.at(-1);
  if (end === undefined) throw new RangeError("A CNAME chain cannot be empty");
  return end;
}

/** How long a UDP question waits before the server's TCP port is probed. */
const PROBE_DELAY_MS = 5;
/** How long a server that accepted a probe is not probed again. */
const PROBE_TRUST_MS = 30_000;
/** Servers that accepted a TCP probe, and until when that is trusted. */
const probedAlive = new Map<string, number>();

/**
 * Asks one server, and tells a dead one quickly, as glibc does from ICMP port-unreachable (which
 * Deno's UDP sockets do not report): when no answer has come after {@linkcode PROBE_DELAY_MS},
 * a TCP connection to the server's port is tried; a refusal means nothing serves DNS there, and the
 * question is given up at once so that the next server is asked. A server that accepts the probe
 * is trusted for {@linkcode PROBE_TRUST_MS} and not probed again meanwhile. Used for the
 * system's name servers only, which serve TCP as RFC 7766 requires.
 */
async function queryWithProbe(
  name: string,
  type: number,
  nameServer: Required<NameServer>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<DnsMessage> {
  const key = formatNameServer(nameServer);
  const trusted = (probedAlive.get(key) ?? 0) > Date.now();
  if (trusted) return await queryDns(name, type, { nameServer, timeoutMs, signal });
  const stop = new AbortController();
  const linked = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const probe = new Promise<never>((_, reject) => {
    timer = setTimeout(async () => {
      try {
        const conn = await Deno.connect({
          hostname: nameServer.hostname,
          port: nameServer.port,
          signal: linked,
        });
        conn.close();
        probedAlive.set(key, Date.now() + PROBE_TRUST_MS);
      } catch (error) {
        if (error instanceof Deno.errors.ConnectionRefused) {
          reject(
            new SocketError({
              step: "connect",
              host: nameServer.hostname,
              port: nameServer.port,
              failure: "refused",
              cause: error,
            }),
          );
        }
        // Anything else (no permission, aborted, unreachable): wait for the UDP answer as before.
      }
    }, PROBE_DELAY_MS);
  });
  try {
    return await Promise.race([
      queryDns(name, type, { nameServer, timeoutMs, signal: linked }),
      probe,
    ]);
  } finally {
    clearTimeout(timer);
    stop.abort();
  }
}

/**
 * Asks the servers in turn (the next one after a timeout, a server failure or a socket error)
 * for `type` records of `name`, following CNAMEs inside answers and with new questions.
 */
async function lookupChain(
  name: string,
  type: number,
  typeName: string,
  options: ResolveOptions,
  config?: ResolverConfig,
): Promise<ChainAnswer> {
  const servers = nameServers(options, config);
  const timeoutMs = options.timeoutMs ?? config?.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;
  const chain = [name];
  const seen = new Set([name.toLowerCase()]);
  while (true) {
    const current = chainEnd(chain);
    let lastError: unknown;
    let answer;
    let server = "";
    for (const nameServer of servers) {
      server = formatNameServer(nameServer);
      try {
        // Only the system's servers (resolv.conf, port 53) are probed: RFC 7766 has them serve
        // TCP, while a server the caller names may be UDP only.
        answer = config
          ? await queryWithProbe(current, type, nameServer, timeoutMs, options.signal)
          : await queryDns(current, type, { nameServer, timeoutMs, signal: options.signal });
        options.trace?.({
          step: "query",
          name: current,
          type: typeName,
          server,
          rcode: answer.rcode,
        });
        if (answer.rcode === DNS_RCODE.SERVFAIL || answer.rcode === DNS_RCODE.REFUSED) {
          lastError = new DnsServerError(name, answer.rcode, { server });
          answer = undefined;
          continue;
        }
        break;
      } catch (error) {
        // An abort and a missing permission end the lookup; the next server would fare no better.
        options.signal?.throwIfAborted();
        if (error instanceof Deno.errors.NotCapable) throw error;
        options.trace?.({
          step: "query",
          name: current,
          type: typeName,
          server,
          error: error instanceof Error ? error.message : String(error),
        });
        lastError = error;
      }
    }
    if (!answer) throw lastError;
    if (answer.rcode === DNS_RCODE.NXDOMAIN) throw new DnsNotFoundError(name, { server });
    if (answer.rcode !== DNS_RCODE.NOERROR) {
      throw new DnsServerError(name, answer.rcode, { server });
    }
    // Walk the answer section along the chain.
    let moved = false;
    while (true) {
      const owner = chainEnd(chain).toLowerCase();
      const here = answer.answers.filter((record) =>
        record.class === DNS_CLASS_IN && record.name.toLowerCase() === owner
      );
      const found = here.filter((r) => r.type === type).map((r) => String(r.data));
      // Names in answers must be host names (glibc's res_hnok): a PTR such as
      // "<script>x</scr.test" is dropped, never handed to the caller.
      const data = type === DNS_TYPE.PTR ? found.filter(isValidAnswerName) : found;
      if (found.length > 0 && data.length === 0) {
        throw new DnsBadResponseError(name, "the names in the answer are not valid host names", {
          server,
        });
      }
      if (data.length > 0) {
        // The owner's spelling as the server wrote it.
        chain[chain.length - 1] = here.find((r) => r.type === type)!.name;
        return { chain, data: [...new Set(data)] };
      }
      const cname = here.find((record) => record.type === DNS_TYPE.CNAME);
      if (!cname) break;
      const target = String(cname.data);
      if (!isValidAnswerName(target)) {
        throw new DnsBadResponseError(
          name,
          `the CNAME target ${quoteForMessage(target)} is not a valid host name`,
          {
            server,
          },
        );
      }
      chain.push(target);
      if (seen.has(target.toLowerCase())) {
        throw new DnsCnameChainError(name, chain, true, { server });
      }
      if (chain.length - 1 > MAX_CNAME_LINKS) {
        throw new DnsCnameChainError(name, chain, false, { server });
      }
      seen.add(target.toLowerCase());
      moved = true;
    }
    // Nothing of the type at the chain's end: ask about the end itself, unless this very
    // question was about it.
    if (!moved) throw new DnsNoDataError(name, typeName, { server });
  }
}

/**
 * Resolves a host name to its official name, aliases and addresses of one family, as
 * `gethostbyname2` does: an address literal answers itself, then the hosts file, then DNS.
 *
 * @param name A host name (`www.example.org`, an international name, a final dot allowed) or an
 * address literal.
 * @returns The entry; `addresses` is never empty.
 * @throws {SyntaxError} when `name` cannot be a host name.
 * @throws {DnsNotFoundError} NXDOMAIN: no such name.
 * @throws {DnsNoDataError} the name exists but has no address of the family.
 * @throws {DnsServerError} SERVFAIL, REFUSED or another error code from every server.
 * @throws {DnsTimeoutError} no server answered in time.
 * @throws {DnsBadResponseError} the answer was garbage.
 * @throws {DnsCnameChainError} the CNAME chain loops or is longer than {@linkcode MAX_CNAME_LINKS}.
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
 *   officialName: "2001:db8::1",
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
 *   timeoutMs: 10_000,
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
export async function resolveHost(name: string, options: ResolveOptions = {}): Promise<HostEntry> {
  const family = options.family ?? 4;
  if (family !== 4 && family !== 6) {
    throw new RangeError(`Address family must be 4 or 6, not "${family}"`);
  }
  const literal = addressLiteral(name);
  if (literal !== undefined) {
    if (literal.family !== family) {
      throw new DnsNoDataError(name, family === 4 ? "A" : "AAAA");
    }
    return {
      officialName: literal.text,
      aliases: [],
      addresses: [literal.text],
      source: "literal",
    };
  }
  const hostName = toAsciiHostName(name);
  const absolute = name.endsWith(".");
  const system = options.nameServer === undefined;
  const sources = await hostSources(options);
  const typeName = family === 4 ? "A" : "AAAA";
  let failure: unknown;
  for (const source of sources) {
    let status: NssStatus;
    if (source.name === "files") {
      // As glibc's files source: the name as typed; a final dot matches no line.
      const match = absolute
        ? undefined
        : findHostByName(await loadHostsFile(options.hostsFile, options.signal), hostName, family);
      if (match) {
        options.trace?.({ step: "source", source: "files", outcome: "success" });
        return { ...match, source: "hosts-file" };
      }
      status = "notfound";
    } else if (source.name === "dns") {
      try {
        const config = system ? await readResolverConfig(options.resolvConf) : undefined;
        const names = config
          ? searchNames(absolute ? `${hostName}.` : hostName, config)
          : [hostName];
        const { chain, data } = await searchChain(
          names,
          hostName,
          family,
          typeName,
          options,
          config,
        );
        options.trace?.({ step: "source", source: "dns", outcome: "success" });
        return {
          officialName: chainEnd(chain),
          aliases: chain.slice(0, -1),
          addresses: data,
          source: "dns",
        };
      } catch (error) {
        // An abort and a refused permission end the lookup; another source would not help.
        options.signal?.throwIfAborted();
        if (error instanceof Deno.errors.NotCapable) throw error;
        failure = error;
        status = nssStatusOf(error);
      }
    } else {
      // A source netkit does not serve counts as unavailable, which goes on.
      options.trace?.({ step: "source", source: source.name, outcome: "skipped" });
      continue;
    }
    options.trace?.({ step: "source", source: source.name, outcome: status });
    if (source.returnOn.has(status)) break;
  }
  throw failure ?? new DnsNotFoundError(hostName);
}

/**
 * An address literal in the forms glibc takes for a host name: `inet_aton`'s IPv4 forms
 * (`127.1`, `0x7f.1`), IPv6 text, and a scoped IPv6 address (`fe80::1%lo`, scope kept).
 */
function addressLiteral(name: string): { family: IpFamily; text: string } | undefined {
  if (addressFamily(name) !== undefined) {
    const bytes = inetPton(name);
    return { family: bytes.length === 4 ? 4 : 6, text: inetNtop(bytes) };
  }
  const v4 = inetAton(name);
  if (v4) return { family: 4, text: inetNtop(v4) };
  const scoped = /^([0-9a-fA-F:.]+)%([A-Za-z0-9_.-]+)$/.exec(name);
  if (scoped && addressFamily(scoped[1] ?? "") === 6) {
    return { family: 6, text: `${inetNtop(inetPton(scoped[1] ?? ""))}%${scoped[2]}` };
  }
  return undefined;
}

/** The sources to ask, in order: nsswitch.conf's `hosts:` line on the system path. */
async function hostSources(options: ResolveOptions): Promise<readonly NssSource[]> {
  if (options.nameServer !== undefined || options.nsswitchConf === false) {
    return DEFAULT_HOSTS_SOURCES;
  }
  // A hosts file the caller names is asked whatever nsswitch.conf says.
  const sources = await readHostsSources(options.nsswitchConf);
  if (options.hostsFile !== undefined && !sources.some((s) => s.name === "files")) {
    return [...DEFAULT_HOSTS_SOURCES.filter((s) => s.name === "files"), ...sources];
  }
  return sources;
}

/** How nsswitch.conf's actions see a failed DNS lookup. */
function nssStatusOf(error: unknown): NssStatus {
  if (error instanceof DnsNotFoundError || error instanceof DnsNoDataError) return "notfound";
  if (error instanceof DnsError) return "tryagain";
  return "unavail";
}

/**
 * Asks for each name of the search list in turn, as glibc's `res_search`: NXDOMAIN and no-data go
 * on to the next name, a server failure is remembered and goes on, anything else (a time-out, a
 * socket error) ends the search. The error names the name as typed.
 */
async function searchChain(
  names: string[],
  typed: string,
  family: IpFamily,
  typeName: string,
  options: ResolveOptions,
  config: ResolverConfig | undefined,
): Promise<ChainAnswer> {
  const type = family === 4 ? DNS_TYPE.A : DNS_TYPE.AAAA;
  let noData: DnsNoDataError | undefined;
  let serverFailure: DnsServerError | undefined;
  let notFound: DnsNotFoundError | undefined;
  for (const candidate of names) {
    try {
      return await lookupChain(candidate, type, typeName, options, config);
    } catch (error) {
      if (error instanceof DnsNoDataError) noData ??= error;
      else if (error instanceof DnsServerError) serverFailure ??= error;
      else if (error instanceof DnsNotFoundError) notFound = error;
      else throw error;
    }
  }
  if (names.length === 1) throw noData ?? serverFailure ?? notFound;
  const server = (noData ?? notFound)?.server;
  const where = server === undefined ? {} : { server };
  if (noData) throw new DnsNoDataError(typed, typeName, where);
  if (serverFailure) throw serverFailure;
  throw new DnsNotFoundError(typed, where);
}

/**
 * Finds the names of an address, as `gethostbyaddr` does: the hosts file first, then the PTR
 * records in DNS (CNAMEs followed, as classless delegation, RFC 2317, uses them).
 *
 * @param address An IPv4 or IPv6 address literal.
 * @param options `nameServer`, `hostsFile`, `timeoutMs` and `resolvConf` as for
 * {@linkcode resolveHost}; `family` is ignored.
 * @returns The names, the first being the official one; never empty.
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
export async function resolveAddress(
  address: string,
  options: ResolveOptions = {},
): Promise<string[]> {
  const reverseName = reverseLookupName(address); // throws SyntaxError for a non-address
  const names = findHostByAddress(
    await loadHostsFile(options.hostsFile, options.signal),
    address,
  );
  if (names) return names;
  try {
    const config = options.nameServer === undefined
      ? await readResolverConfig(options.resolvConf)
      : undefined;
    const { data } = await lookupChain(reverseName, DNS_TYPE.PTR, "PTR", options, config);
    return data;
  } catch (error) {
    // Name the address, not the in-addr.arpa name, to the user.
    if (error instanceof DnsError && error.query === reverseName) {
      Object.defineProperty(error, "query", { value: address });
      error.message = error.message.replace(`"${reverseName}"`, `"${address}"`);
    }
    throw error;
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
 * Looks a name up in both families at once, as `getaddrinfo` with `AF_UNSPEC` does, and orders
 * the addresses by {@linkcode sortAddresses} (RFC 6724), so a client can try them in turn or race
 * them (Happy Eyeballs, RFC 8305). With `family` 4 or 6, one family only.
 *
 * @param name A host name or an address literal.
 * @param options As for {@linkcode resolveHost}, with `family` 0 (both, the default), 4 or 6.
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
export async function lookupAddresses(
  name: string,
  options: Omit<ResolveOptions, "family"> & { family?: 0 | IpFamily } = {},
): Promise<AddressLookup> {
  const wanted = options.family ?? 0;
  const families: IpFamily[] = wanted === 0 ? [6, 4] : [wanted];
  const results = await Promise.allSettled(
    families.map((family) => resolveHost(name, { ...options, family })),
  );
  const found = results.flatMap((result, i) =>
    result.status === "fulfilled" ? [{ entry: result.value, family: families[i] as IpFamily }] : []
  );
  const first = found[0];
  if (first === undefined) {
    const failure = results[results.length - 1];
    throw failure?.status === "rejected" ? failure.reason : new DnsNotFoundError(name);
  }
  const byAddress = new Map<string, IpFamily>();
  for (const { entry, family } of found) {
    for (const address of entry.addresses) byAddress.set(address, family);
  }
  const ordered = sortAddresses([...byAddress.keys()]);
  return {
    // As getaddrinfo's AI_CANONNAME: a literal's name is the text as given.
    canonicalName: first.entry.source === "literal" ? name : first.entry.officialName,
    addresses: ordered.map((address) => ({ address, family: byAddress.get(address) ?? 4 })),
  };
}
