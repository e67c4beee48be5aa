/**
 * Name to addresses and address to names, the way `gethostbyname2` and `gethostbyaddr` do it,
 * with errors that say what happened: an address literal answers itself; then the hosts file;
 * then DNS through netkit's own client ({@linkcode queryDns}), which reads the RCODE so that a
 * missing name, a name without an address of the family, a failing server and a silent one are
 * four different errors.
 *
 * Why not `Deno.resolveDns`: it reports NXDOMAIN, no data, SERVFAIL and REFUSED all as
 * `NotFound`, and hides the CNAME chain. The cost of the own client: the system's name servers
 * come from `/etc/resolv.conf` (first `nameserver` lines, else `127.0.0.1`, as glibc), and its
 * `search` list is not applied — names are taken as fully qualified.
 *
 * @module
 */

import { quoteForMessage } from "../internal/quote.ts";
import {
  DEFAULT_DNS_TIMEOUT_MS,
  formatNameServer,
  type NameServer,
  parseNameServer,
  queryDns,
  readSystemNameServers,
} from "./client.ts";
import {
  DnsCnameChainError,
  DnsError,
  DnsNoDataError,
  DnsNotFoundError,
  DnsServerError,
} from "./errors.ts";
import { DNS_CLASS_IN, DNS_RCODE, DNS_TYPE, encodeDnsName, reverseLookupName } from "./message.ts";
import { findHostByAddress, findHostByName, HOSTS_FILE_PATH, readHostsFile } from "./hosts_file.ts";
import { addressFamily, inetNtop, inetPton, type IpFamily } from "../net/inet.ts";
import { MissingPermissionError } from "../io/missing_permission_error.ts";

/** The most CNAME links followed before giving up. */
export const MAX_CNAME_LINKS = 8;

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
  /** The resolv.conf to read when no `nameServer` is given. @default {"/etc/resolv.conf"} */
  resolvConf?: string;
  /** Abort the lookup: it rejects with `signal.reason` at once and its sockets are closed. */
  signal?: AbortSignal;
}

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

/**
 * Checks and normalises a host name: one final dot dropped, international names in `xn--`
 * form, labels and length within DNS limits.
 *
 * @throws {SyntaxError} for an empty name, spaces or control characters, or what DNS cannot carry.
 */
function normaliseHostName(name: string): string {
  // deno-lint-ignore no-control-regex
  if (name === "" || name === "." || /[\x00-\x20\x7f]/.test(name)) {
    throw new SyntaxError(`Invalid host name ${quoteForMessage(name)}`);
  }
  let ascii = name.replace(/\.$/, "");
  // deno-lint-ignore no-control-regex
  if (/[^\x00-\x7f]/.test(ascii)) {
    // The WHATWG URL parser applies IDNA (UTS #46) as node's domainToASCII does, without loading
    // a node: module at start-up.
    try {
      ascii = new URL(`http://${ascii}/`).hostname;
    } catch (error) {
      throw new SyntaxError(`Invalid host name ${quoteForMessage(name)}`, { cause: error });
    }
  }
  try {
    encodeDnsName(ascii);
  } catch (error) {
    throw new SyntaxError(`Invalid host name ${quoteForMessage(name)}`, { cause: error });
  }
  return ascii;
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

async function nameServers(options: ResolveOptions): Promise<Required<NameServer>[]> {
  const given = options.nameServer;
  if (given === undefined) return await readSystemNameServers(options.resolvConf);
  if (typeof given === "string") return [parseNameServer(given)];
  return [parseNameServer(formatNameServer(given))];
}

/** The end of a CNAME chain and the records of the type asked found there. */
interface ChainAnswer {
  chain: string[];
  data: string[];
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
): Promise<ChainAnswer> {
  const servers = await nameServers(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;
  const chain = [name];
  const seen = new Set([name.toLowerCase()]);
  while (true) {
    const current = chain[chain.length - 1];
    let lastError: unknown;
    let answer;
    let server = "";
    for (const nameServer of servers) {
      server = formatNameServer(nameServer);
      try {
        answer = await queryDns(current, type, { nameServer, timeoutMs, signal: options.signal });
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
      const owner = chain[chain.length - 1].toLowerCase();
      const here = answer.answers.filter((record) =>
        record.class === DNS_CLASS_IN && record.name.toLowerCase() === owner
      );
      const data = here.filter((r) => r.type === type).map((r) => String(r.data));
      if (data.length > 0) {
        // The owner's spelling as the server wrote it.
        chain[chain.length - 1] = here.find((r) => r.type === type)!.name;
        return { chain, data: [...new Set(data)] };
      }
      const cname = here.find((record) => record.type === DNS_TYPE.CNAME);
      if (!cname) break;
      const target = String(cname.data);
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
 * import { resolveHost } from "./resolver.ts";
 *
 * const entry = await resolveHost("2001:DB8::1", { family: 6, hostsFile: false });
 * console.assert(entry.officialName === "2001:db8::1" && entry.addresses[0] === "2001:db8::1");
 * ```
 *
 * @example Ask a given DNS server
 * ```ts ignore
 * const entry = await resolveHost("www.test", { nameServer: "127.0.0.1:5353", timeoutMs: 2000 });
 * console.log(entry.officialName, entry.addresses);
 * ```
 */
export async function resolveHost(name: string, options: ResolveOptions = {}): Promise<HostEntry> {
  const family = options.family ?? 4;
  if (family !== 4 && family !== 6) {
    throw new RangeError(`Address family must be 4 or 6, not "${family}"`);
  }
  if (addressFamily(name) !== undefined) {
    const literal = inetPton(name);
    const text = inetNtop(literal);
    if ((literal.length === 4 ? 4 : 6) !== family) {
      throw new DnsNoDataError(name, family === 4 ? "A" : "AAAA");
    }
    return { officialName: text, aliases: [], addresses: [text], source: "literal" };
  }
  const hostName = normaliseHostName(name);
  const match = findHostByName(
    await loadHostsFile(options.hostsFile, options.signal),
    hostName,
    family,
  );
  if (match) return { ...match, source: "hosts-file" };
  const typeName = family === 4 ? "A" : "AAAA";
  const { chain, data } = await lookupChain(
    hostName,
    family === 4 ? DNS_TYPE.A : DNS_TYPE.AAAA,
    typeName,
    options,
  );
  return {
    officialName: chain[chain.length - 1],
    aliases: chain.slice(0, -1),
    addresses: data,
    source: "dns",
  };
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
 * import { resolveAddress } from "./resolver.ts";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "10.9.8.7 seven.test seven\n");
 * const names = await resolveAddress("10.9.8.7", { hostsFile: path });
 * console.assert(names.join() === "seven.test,seven");
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
    const { data } = await lookupChain(reverseName, DNS_TYPE.PTR, "PTR", options);
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
