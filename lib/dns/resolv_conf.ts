/**
 * The resolver configuration as glibc reads it: `/etc/resolv.conf` (`nameserver`, `domain`,
 * `search`, `options`), then the `LOCALDOMAIN` and `RES_OPTIONS` environment variables, then
 * the host's own domain when no search list is set. {@linkcode searchNames} turns a name into
 * the names to ask, in the order glibc's `res_search` asks them.
 *
 * @module
 */

import { readParsedConfigFile } from "../internal/config_file.ts";
import { inetAton, inetNtop, inetPton } from "../net/inet.ts";
import { hostNameQuietly, readEnvQuietly } from "./_quietly.ts";

/** The file read by default. */
export const RESOLV_CONF_FILE = "/etc/resolv.conf";
/** The most name servers glibc uses (`MAXNS`); later lines are ignored. */
export const MAX_NAME_SERVERS = 3;
/** The largest `ndots` glibc takes (`RES_MAXNDOTS`). */
export const MAX_NDOTS = 15;
/** The largest `timeout` in seconds glibc takes (`RES_MAXRETRANS`). */
export const MAX_TIMEOUT_SECONDS = 30;
/** The most `attempts` glibc takes (`RES_MAXRETRY`). */
export const MAX_ATTEMPTS = 5;
/** The most `sortlist` entries glibc keeps (`MAXRESOLVSORT`), over all its lines. */
export const MAX_SORT_LIST = 10;
/** The largest resolv.conf read; a bigger one counts as none. */
const MAX_RESOLV_CONF_BYTES = 1 << 20;

/** The resolver settings, with glibc's defaults where the file is silent. */
export interface ResolverConfig {
  /**
   * The name server addresses, in order (at most three), an IPv6 one with its scope where the
   * file gives one (`fe80::1%eth0`); `127.0.0.1` when none is given.
   */
  nameServers: string[];
  /**
   * The search list: domains appended to names with fewer than `ndots` dots, as res_search uses
   * them (one leading and one final dot dropped); `""` is the root (`search .`, or an empty
   * `LOCALDOMAIN`): the name itself, asked in that place. A domain no name can be followed by
   * (`a..test`) is kept: its name cannot be sent, which ends the search list, as for glibc.
   */
  search: string[];
  /** Names with at least this many dots are first asked as they are. @default {1} */
  ndots: number;
  /**
   * How long to wait for each server on each try (`timeout:`, in seconds in the file), in
   * milliseconds: the resolver's `attemptTimeoutMs`. @default {5000}
   */
  attemptTimeoutMs: number;
  /** How many rounds over the servers. @default {2} */
  attempts: number;
  /** Start each question with the next server in turn. @default {false} */
  rotate: boolean;
  /** Never ask a single-label name as it is (`no-tld-query`). @default {false} */
  noTldQuery: boolean;
  /** Use TCP for every question (`use-vc`). @default {false} */
  useTcp: boolean;
  /** Never ask DNS for AAAA records (`no-aaaa`, glibc 2.36): IPv6 comes from the hosts file only. @default {false} */
  noAaaa: boolean;
  /**
   * Send an EDNS0 OPT record with each question (`edns0`), advertising 1,200-byte UDP answers,
   * as glibc's nss_dns does. @default {false}
   */
  edns0: boolean;
  /** Set the AD bit in each question (`trust-ad`), as glibc does. @default {false} */
  trustAd: boolean;
  /**
   * Send a lookup's AAAA question only once its A question is answered, on the same socket
   * (`single-request`; `single-request-reopen` sets it too), as glibc's send_dg. @default {false}
   */
  singleRequest: boolean;
  /**
   * And on a socket of its own, the A question's closed first (`single-request-reopen`): the two
   * questions then leave from two source ports. @default {false}
   */
  singleRequestReopen: boolean;
  /**
   * The `sortlist` networks, in order (at most ten): gethostbyname lists the IPv4 addresses of
   * a DNS answer in this networks' order, those of none last ({@linkcode sortBySortList}).
   * A network without a mask has its class's (`10.0.0.0` is `255.0.0.0`), as for glibc.
   * @default {[]}
   */
  sortList: SortListEntry[];
}

/** One network of resolv.conf's `sortlist`, both parts dotted IPv4 text. */
export interface SortListEntry {
  /** The network as written: an address with bits outside the mask matches nothing. */
  network: string;
  /** Its mask. */
  mask: string;
}

/** Where the configuration comes from besides the file; the process's by default. */
export interface ResolverConfigSources {
  /** `LOCALDOMAIN`: a search list that replaces the file's. */
  localDomain?: string | undefined;
  /** `RES_OPTIONS`: options applied after the file's. */
  resOptions?: string | undefined;
  /** The host's own name; its domain is the search list when nothing else gives one. */
  hostName?: string | undefined;
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module"); and no regular
// expression where a usual file goes (each pattern's first use costs 0.01-0.06 ms).

/** Whether `code` is white space to C's isspace(): space, tab, newline, VT, FF, CR. */
const isCSpace = (code: number): boolean => code === 0x20 || (code >= 0x09 && code <= 0x0d);

/** The largest C long (64 bits), as strtol saturates to it. */
const LONG_MAX = (1n << 63n) - 1n;

/**
 * C's atoi() as glibc's, `(int) strtol(text, NULL, 10)`: white space skipped (C's isspace,
 * newlines included, so `ndots: 2` reads 2), a sign, the decimal digits; 0 when there are
 * none (`2junk` is 2); a number past a long saturates to it, and the int keeps its low 32
 * bits (`4294967297` is 1, `2147483648` is -2147483648).
 */
const atoi = (function atoi(text: string): number {
  let start = 0;
  while (isCSpace(text.charCodeAt(start))) start++;
  let end = start;
  if (text.charCodeAt(end) === 0x2b || text.charCodeAt(end) === 0x2d) end++; // + -
  const digits = end;
  while (text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end++;
  if (end === digits) return 0;
  // Nine digits or fewer fit an int: the usual case, without BigInt.
  if (end - digits <= 9) return Number(text.slice(start, end));
  const negative = text.charCodeAt(start) === 0x2d;
  let value = BigInt(text.slice(digits, end));
  if (value > LONG_MAX + (negative ? 1n : 0n)) value = LONG_MAX + (negative ? 1n : 0n);
  return Number(BigInt.asIntN(32, negative ? -value : value));
}).bind(undefined);

/** The words of `text`, split at runs of spaces and tabs only (as glibc splits them). */
const wordsOf = (function wordsOf(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x20;
    if (code === 0x20 || code === 0x09) {
      if (start >= 0) words.push(text.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  return words;
}).bind(undefined);

/** The keywords glibc reads, each at a line's start and followed by a space or a tab. */
const KEYWORDS = ["nameserver", "domain", "search", "options", "sortlist"] as const;

/** The keyword `line` starts with (then a space or a tab), as glibc's MATCH; else undefined. */
const keywordOf = (function keywordOf(line: string): (typeof KEYWORDS)[number] | undefined {
  for (const keyword of KEYWORDS) {
    if (!line.startsWith(keyword)) continue;
    const next = line.charCodeAt(keyword.length);
    return next === 0x20 || next === 0x09 ? keyword : undefined;
  }
  return undefined;
}).bind(undefined);

/**
 * Applies an `options` line's text (or `RES_OPTIONS`) as glibc's res_setoptions: words split at
 * spaces and tabs; `ndots:`, `timeout:`, `attempts:` read with atoi from the rest of the text
 * (so past the word's end: `ndots: 2` is 2, as for glibc) and clamped to glibc's limits; the
 * flags matched by their start (`no_tld_query`, the old spelling, included); anything else
 * ignored.
 */
const applyOptions = (function applyOptions(config: ResolverConfig, text: string): void {
  let at = 0;
  while (at < text.length) {
    while (text.charCodeAt(at) === 0x20 || text.charCodeAt(at) === 0x09) at++;
    const rest = text.slice(at);
    const flag = (name: string) => rest.startsWith(name);
    if (flag("ndots:")) {
      const n = atoi(rest.slice(6));
      // glibc keeps ndots in 4 bits: a negative number wraps.
      config.ndots = n < 0 ? n & MAX_NDOTS : Math.min(n, MAX_NDOTS);
    } else if (flag("timeout:")) {
      // 0 or less: glibc waits a second.
      config.attemptTimeoutMs = Math.max(Math.min(atoi(rest.slice(8)), MAX_TIMEOUT_SECONDS), 1) *
        1000;
    } else if (flag("attempts:")) {
      // glibc asks nothing at all with 0 or less; netkit asks one round.
      config.attempts = Math.max(Math.min(atoi(rest.slice(9)), MAX_ATTEMPTS), 1);
    } else if (flag("rotate")) config.rotate = true;
    else if (flag("no-tld-query") || flag("no_tld_query")) config.noTldQuery = true;
    else if (flag("use-vc")) config.useTcp = true;
    else if (flag("no-aaaa")) config.noAaaa = true;
    else if (flag("edns0")) config.edns0 = true;
    else if (flag("trust-ad")) config.trustAd = true;
    // As glibc's table: `single-request-reopen` is looked for first (a prefix match), and sets
    // single-request's behaviour too (send_dg).
    else if (flag("single-request-reopen")) {
      config.singleRequest = true;
      config.singleRequestReopen = true;
    } else if (flag("single-request")) config.singleRequest = true;
    // no-reload, inet6, debug...: no effect on the questions sent here.
    while (at < text.length && text.charCodeAt(at) !== 0x20 && text.charCodeAt(at) !== 0x09) at++;
  }
}).bind(undefined);

/**
 * A search domain as glibc's res_search uses it: one leading dot dropped (so `.` is the root,
 * `""` here, and `.corp.test` is `corp.test`), and one final dot after a label (`corp.test.`
 * is `corp.test`). A domain that still cannot follow a name (`a..test`, `corp.test..`, `..`,
 * a label over 63 bytes) is kept as it is: the name it makes cannot be sent, which ends the
 * search list (see {@linkcode searchNames}).
 */
const searchDomain = (function searchDomain(word: string): string {
  const domain = word.startsWith(".") ? word.slice(1) : word;
  // A final dot after anything but a dot.
  const last = domain.length - 1;
  return last >= 1 && domain.charCodeAt(last) === 0x2e && domain.charCodeAt(last - 1) !== 0x2e
    ? domain.slice(0, -1)
    : domain;
}).bind(undefined);

/**
 * Whether glibc's __inet6_scopeid_pton takes `scope` for the IPv6 address `bytes`: an interface
 * name for a link-local address (fe80::/10, ff01::/16, ff02::/16), or a number; another scope
 * is dropped and the server asked without one, as glibc does.
 */
function keepsScope(bytes: Uint8Array, scope: string): boolean {
  const linkLocal = (bytes[0] === 0xfe && ((bytes[1] ?? 0) & 0xc0) === 0x80) ||
    (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0x0f) <= 2);
  return /^\d+$/.test(scope) ? Number(scope) <= 0xffff_ffff : linkLocal && /^[\w.-]+$/.test(scope);
}

/** The mask of an IPv4 address's class, as glibc's net_mask: A /8, B /16, else /24. */
function classMask(address: Uint8Array): Uint8Array {
  const first = address[0] ?? 0;
  return Uint8Array.of(255, first < 128 ? 0 : 255, first < 192 ? 0 : 255, 0);
}

/**
 * Adds a `sortlist` line's networks as glibc's res_init reads them: `NETWORK[/MASK]` or
 * `NETWORK&MASK` separated by blanks, until `;` or {@linkcode MAX_SORT_LIST} entries; each
 * part in inet_aton's forms, a network that is none skipped, a mask that is none (or missing)
 * the network's class's.
 */
function addSortList(sortList: SortListEntry[], text: string): void {
  for (const word of (text.split(";")[0] ?? "").split(/\s+/)) {
    if (sortList.length >= MAX_SORT_LIST) return;
    const cut = word.search(/[/&]/);
    const network = inetAton(cut < 0 ? word : word.slice(0, cut));
    if (network === undefined) continue;
    const mask = cut < 0 ? undefined : inetAton(word.slice(cut + 1));
    sortList.push({ network: inetNtop(network), mask: inetNtop(mask ?? classMask(network)) });
  }
}

/**
 * Parses resolv.conf text, then applies `LOCALDOMAIN` and `RES_OPTIONS` as glibc's `res_init`
 * does: the last `domain` or `search` line wins, at most three `nameserver` lines count, options
 * are clamped to glibc's limits, and with no search list the host's own domain is the list.
 *
 * @param text The file's content ("" for no file).
 * @param sources The environment's overrides and the host name; none by default.
 * @returns The settings, defaults filled in.
 *
 * @example A search list and options, then RES_OPTIONS
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResolvConf } from "@netkit/netkit/dns";
 *
 * const config = parseResolvConf(
 *   "nameserver 127.0.0.53\nsearch corp.test lab.test\noptions ndots:2 timeout:1\n",
 *   { resOptions: "attempts:3 rotate" },
 * );
 * assert.deepEqual(config.nameServers, ["127.0.0.53"]);
 * assert.deepEqual(config.search, ["corp.test", "lab.test"]);
 * assert.equal(config.ndots, 2);
 * assert.equal(config.attemptTimeoutMs, 1000);
 * assert.equal(config.attempts, 3);
 * assert.equal(config.rotate, true);
 * ```
 */
export function parseResolvConf(text: string, sources: ResolverConfigSources = {}): ResolverConfig {
  return parseResolvConfText(text, sources);
}

/** {@linkcode parseResolvConf}, compiled with the module (see above). */
const parseResolvConfText = (function parseResolvConfText(
  text: string,
  sources: ResolverConfigSources,
): ResolverConfig {
  const config: ResolverConfig = {
    nameServers: [],
    search: [],
    ndots: 1,
    attemptTimeoutMs: 5000,
    attempts: 2,
    rotate: false,
    noTldQuery: false,
    useTcp: false,
    noAaaa: false,
    edns0: false,
    trustAd: false,
    singleRequest: false,
    singleRequestReopen: false,
    sortList: [],
  };
  let searchSet = false;
  for (const line of text.split("\n")) {
    // A NUL ends the line's text, as glibc's C string functions read it.
    const nul = line.indexOf("\0");
    const rawLine = nul < 0 ? line : line.slice(0, nul);
    // As glibc's MATCH: the keyword at the start of the line, then a space or a tab; an
    // indented or capitalised line is no setting.
    const keyword = keywordOf(rawLine);
    if (keyword === undefined) continue;
    if (keyword === "sortlist") {
      addSortList(config.sortList, rawLine.slice(keyword.length));
      continue;
    }
    // Words end at a space or a tab only, as for glibc: a CR of a CRLF file stays in the word,
    // so that its name server is no address and its search domain asks a name with a CR in it
    // (checked with getent), as every other program of the system then does.
    const words = wordsOf(rawLine.slice(keyword.length));
    if (keyword === "nameserver") {
      const address = words[0];
      if (address === undefined || config.nameServers.length >= MAX_NAME_SERVERS) continue;
      // inet_aton's forms (`127.1`) as glibc's __inet_aton_exact, else IPv6, with its scope
      // (`fe80::1%eth0`: a link-local server, as router advertisements name them).
      const v4 = inetAton(address);
      const [v6, scope] = address.split("%", 2) as [string, string?];
      try {
        const bytes = v4 ?? inetPton(v6, 6);
        const kept = v4 === undefined && scope !== undefined && keepsScope(bytes, scope);
        config.nameServers.push(kept ? `${inetNtop(bytes)}%${scope}` : inetNtop(bytes));
      } catch {
        // Not an address: skipped, as glibc does.
      }
    } else if (keyword === "domain" && words[0] !== undefined) {
      config.search = [searchDomain(words[0])];
      searchSet = true;
    } else if (keyword === "search" && words.length > 0) {
      // `.` is the root ("" here): the name itself, asked in its place in the list.
      config.search = words.map(searchDomain);
      searchSet = true;
    } else if (keyword === "options") {
      applyOptions(config, rawLine.slice(keyword.length));
    }
  }
  const localDomain = sources.localDomain;
  if (localDomain !== undefined) {
    // As glibc splits it: the text up to the first blank, even an empty one (the root: so that
    // LOCALDOMAIN= asks a name only as it is), then each further word; a newline ends it.
    const [first = "", ...rest] = (localDomain.split("\n")[0] ?? "").split(/[ \t]/);
    config.search = [first, ...rest.filter((word) => word !== "")].map(searchDomain);
    searchSet = true;
  }
  if (sources.resOptions !== undefined) {
    applyOptions(config, sources.resOptions);
  }
  if (!searchSet && sources.hostName !== undefined) {
    // As glibc's domain_from_hostname: whatever follows the first dot, even a leading one's
    // (`.corp.test`) or an empty rest (`host.`, the root), read as res_search reads a domain.
    const dot = sources.hostName.indexOf(".");
    if (dot >= 0) config.search = [searchDomain(sources.hostName.slice(dot + 1))];
  }
  if (config.nameServers.length === 0) config.nameServers.push("127.0.0.1");
  return config;
}).bind(undefined);

/**
 * The names to ask for `name`, in the order glibc's `res_search` asks them: a name ending in a
 * dot only as it is; a name with at least `ndots` dots as it is first, then with each search
 * domain; a shorter one with each search domain first, then as it is (unless `no-tld-query`
 * keeps a single label from being asked alone).
 *
 * @param name A host name, in ASCII (`xn--` form for international names).
 * @param config The settings; only `search`, `ndots` and `noTldQuery` count.
 * @returns The names, without final dots, never empty.
 *
 * @example ndots decides which comes first
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResolvConf, searchNames } from "@netkit/netkit/dns";
 *
 * const config = parseResolvConf("search corp.test\noptions ndots:2\n");
 * assert.deepEqual(searchNames("a.b", config), ["a.b.corp.test", "a.b"]);
 * assert.deepEqual(searchNames("a.b.c", config), ["a.b.c", "a.b.c.corp.test"]);
 * assert.deepEqual(searchNames("a.b.", config), ["a.b"]);
 * ```
 */
export function searchNames(
  name: string,
  config: Pick<ResolverConfig, "search" | "ndots" | "noTldQuery">,
): string[] {
  return searchListNames(name, config);
}

/** {@linkcode searchNames}, compiled with the module (see above). */
const searchListNames = (function searchListNames(
  name: string,
  config: Pick<ResolverConfig, "search" | "ndots" | "noTldQuery">,
): string[] {
  if (name.endsWith(".")) return [name.slice(0, -1)];
  const dots = name.split(".").length - 1;
  // "" is the root domain (`search .`, an empty LOCALDOMAIN): the name itself, in its place.
  const searched = config.search.map((domain) => domain === "" ? name : `${name}.${domain}`);
  // Asked as it is first; the root on the list asks it again in its place, as res_search does
  // (where a failure ends the search list, which the first asking's does not).
  if (dots >= config.ndots) return [name, ...new Set(searched)];
  // Asked as it is last, unless the root was on the list or no-tld-query keeps a single label.
  const alone = (dots === 0 && config.noTldQuery) || config.search.includes("") ? [] : [name];
  const names = [...new Set([...searched, ...alone])];
  return names.length > 0 ? names : [name];
}).bind(undefined);

/**
 * Reads the resolver configuration of this process: the file, `LOCALDOMAIN`, `RES_OPTIONS` and
 * the host name (each read only where permitted; a variable or the host name that may not be
 * read counts as unset).
 *
 * @param path The file; a missing (or oversized) one counts as empty, as for glibc.
 * @throws {MissingPermissionError} when Deno's permissions refuse to read the file (a silent
 * fall-back to 127.0.0.1 would ask the wrong server); it names the `--allow-read` to grant.
 *
 * @example A missing file gives glibc's defaults
 * ```ts
 * import assert from "node:assert/strict";
 * import { readResolverConfig } from "@netkit/netkit/dns";
 *
 * const config = await readResolverConfig("/nonexistent/resolv.conf");
 * assert.equal(config.ndots, 1);
 * assert.equal(config.nameServers[0], "127.0.0.1");
 * ```
 */
export function readResolverConfig(path: string = RESOLV_CONF_FILE): Promise<ResolverConfig> {
  return readResolverConfigFile(path);
}

/** {@linkcode readResolverConfig}, compiled with the module (see above). */
const readResolverConfigFile = (async function readResolverConfigFile(
  path: string,
): Promise<ResolverConfig> {
  const sources = {
    localDomain: readEnvQuietly("LOCALDOMAIN"),
    resOptions: readEnvQuietly("RES_OPTIONS"),
    hostName: hostNameQuietly(),
  };
  // Parsed once per process and environment, and again when the file changes.
  const key = `resolv\0${sources.localDomain}\0${sources.resOptions}\0${sources.hostName}`;
  try {
    return await readParsedConfigFile(
      path,
      MAX_RESOLV_CONF_BYTES,
      (text) => parseResolvConfText(text, sources),
      key,
    );
  } catch (error) {
    // A file Deno may not read is no missing file: going on with 127.0.0.1 would ask the wrong
    // server without a word.
    if (error instanceof Deno.errors.NotCapable) {
      // Loaded here only: a lookup that may read the file never needs it.
      const { MissingPermissionError } = await import("../io/missing_permission_error.ts");
      throw MissingPermissionError.from(error, "reading the resolver configuration", {
        kind: "read",
        target: path,
      });
    }
    // No file, or an absurd one: the defaults.
    return parseResolvConfText("", sources);
  }
}).bind(undefined);

/** An IPv4 address as an unsigned 32-bit number. */
function ipv4Number(text: string): number | undefined {
  const bytes = inetAton(text);
  return bytes && ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

/** The most addresses of one answer glibc sorts (`MAX_NR_ADDRS`); later ones stay where they are. */
const MAX_SORTED_ADDRESSES = 48;

/**
 * Orders IPv4 addresses by resolv.conf's `sortlist`, as gethostbyname orders a DNS answer: by
 * the first network each address is in, in the list's order, those in none last, the order of
 * the answer kept among equals (getaddrinfo does not do this; it sorts by RFC 6724).
 *
 * @param addresses IPv4 addresses as text, in the answer's order.
 * @param sortList The networks, as {@linkcode parseResolvConf} reads them.
 * @returns A new array, the same addresses in their new order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResolvConf, sortBySortList } from "@netkit/netkit/dns";
 *
 * const { sortList } = parseResolvConf("sortlist 172.16.0.0/255.240.0.0 10.0.0.0\n");
 * assert.deepEqual(
 *   sortBySortList(["192.168.1.1", "10.0.0.1", "172.16.0.1", "10.0.0.2"], sortList),
 *   ["172.16.0.1", "10.0.0.1", "10.0.0.2", "192.168.1.1"],
 * );
 * ```
 */
export function sortBySortList(
  addresses: readonly string[],
  sortList: readonly SortListEntry[],
): string[] {
  const networks = sortList.map((entry) => ({
    network: ipv4Number(entry.network),
    mask: ipv4Number(entry.mask) ?? 0,
  }));
  const rank = (address: string) => {
    const value = ipv4Number(address);
    const index = value === undefined
      ? -1
      : networks.findIndex((entry) => ((value & entry.mask) >>> 0) === entry.network);
    return index < 0 ? networks.length : index;
  };
  const sorted = addresses.slice(0, MAX_SORTED_ADDRESSES)
    .map((address, index) => ({ address, index, rank: rank(address) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.address);
  return [...sorted, ...addresses.slice(MAX_SORTED_ADDRESSES)];
}
