/**
 * The hosts file (`/etc/hosts`, hosts(5)): one address per line, then its official name and any
 * aliases, separated by spaces or tabs; `#` starts a comment. Lines that make no sense (a bad
 * address, no name) are skipped, as glibc skips them, so a garbled file never stops a lookup.
 *
 * @module
 */

import {
  configLines,
  keptParsedConfigFile,
  readParsedConfigFile,
} from "../internal/config_file.ts";
import { inetNtop, inetPton, type IpFamily } from "../net/inet.ts";
import { readEnvQuietly } from "./_quietly.ts";

/** The hosts file of the system. */
export const HOSTS_FILE_PATH = "/etc/hosts";
/** The largest hosts file read; a larger one is an error rather than a memory hog. */
export const MAX_HOSTS_FILE_BYTES = 16 * 1024 * 1024;

/** One line of a hosts file. */
export interface HostsEntry {
  /** The address, in canonical text (`inet_ntop` of the line's address). */
  address: string;
  /** 4 or 6. */
  family: IpFamily;
  /** The official name, then the aliases; never empty. */
  names: string[];
}

/**
 * Parses the text of a hosts file.
 *
 * @param text The whole file.
 * @returns The usable lines in file order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHostsFile } from "@netkit/netkit/dns";
 *
 * const entries = parseHostsFile("127.0.0.1\tlocalhost loopback # me\n::1 localhost6\nbad line\n");
 * assert.equal(entries.length, 2); // the bad line is skipped
 * assert.deepEqual(entries[0]?.names, ["localhost", "loopback"]);
 * assert.equal(entries[1]?.family, 6);
 * ```
 */
export function parseHostsFile(text: string): HostsEntry[] {
  return entriesInText(text);
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** {@linkcode parseHostsFile}, compiled with the module (see above). */
const entriesInText = (function entriesInText(text: string): HostsEntry[] {
  const entries: HostsEntry[] = [];
  // A NUL ends its line's text, as glibc's C string functions read it (a pattern only then).
  const lines = configLines(text.includes("\0") ? text.replace(/\0[^\n]*/g, "") : text);
  for (const fields of lines) {
    // A line with an address and no name is kept (names []): glibc's files source reads it, and
    // finds the address, with an empty name, so that gethostbyaddr asks no later source.
    const address = fields[0];
    if (address === undefined) continue;
    let bytes: Uint8Array;
    try {
      bytes = inetPton(address);
    } catch {
      continue; // not an address: skipped
    }
    // inetPton takes an IPv4 address only in its canonical form (no leading zeros).
    const ipv4 = bytes.length === 4;
    entries.push({
      address: ipv4 ? address : inetNtop(bytes),
      family: ipv4 ? 4 : 6,
      names: fields.slice(1),
    });
  }
  return entries;
}).bind(undefined);

/**
 * Reads and parses a hosts file.
 *
 * @param path The file. @default {"/etc/hosts"}
 * @throws {Deno.errors.NotFound} and the other errors of `Deno.readFile`.
 * @throws {RangeError} for a file over {@linkcode MAX_HOSTS_FILE_BYTES}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readHostsFile } from "@netkit/netkit/dns";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "10.1.2.3 files.test\n");
 * assert.equal((await readHostsFile(path))[0]?.address, "10.1.2.3");
 * await Deno.remove(path);
 * ```
 */
export async function readHostsFile(path: string = HOSTS_FILE_PATH): Promise<HostsEntry[]> {
  // Parsed once per process, and again when the file changes.
  return await readParsedConfigFile(path, MAX_HOSTS_FILE_BYTES, entriesInText, HOSTS_KEY);
}

/** The name of {@linkcode readHostsFile}'s parse among the configuration files kept. */
const HOSTS_KEY = "hosts";

/**
 * The entries {@linkcode readHostsFile} last read from `path`, at once, while the file is
 * unchanged (one synchronous `stat`, no `await`): for lookups in a loop. Undefined when it has not
 * been read yet or has changed since, or cannot be stat'ed: call `readHostsFile` then.
 *
 * @param path The file. @default {"/etc/hosts"}
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keptHostsFile, readHostsFile } from "@netkit/netkit/dns";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "10.1.2.3 kept.test\n");
 * assert.equal(keptHostsFile(path), undefined);
 * const entries = await readHostsFile(path);
 * assert.equal(keptHostsFile(path), entries);
 * await Deno.remove(path);
 * ```
 */
export function keptHostsFile(path: string = HOSTS_FILE_PATH): HostsEntry[] | undefined {
  return keptParsedConfigFile(path, HOSTS_KEY);
}

/** What a hosts file says about a name. */
export interface HostsMatch {
  /** The first name of the first matching line. */
  officialName: string;
  /** The other names of the matching lines, in glibc's order, repeats kept. */
  aliases: string[];
  /** The addresses of every matching line, in file order, repeats kept (as glibc). */
  addresses: string[];
}

/**
 * A name as lines are matched: in lower case, a final dot kept (glibc compares with strcasecmp,
 * so `trail.test.` matches a line's `trail.test.` only, never its `trail.test`).
 */
const nameKey = (function nameKey(name: string): string {
  return name.toLowerCase();
}).bind(undefined);

/**
 * The IPv4 address glibc's files source reads an IPv6 line as when IPv4 is asked: `a.b.c.d` for
 * an IPv4-mapped address (`::ffff:a.b.c.d`), `127.0.0.1` for `::1` (so that `ip6-localhost`
 * has an IPv4 address, and `localhost` on a `::1` line one more); else undefined (the line is
 * skipped).
 */
function mappedIpv4(entry: HostsEntry): string | undefined {
  if (entry.family !== 6) return undefined;
  if (entry.address === "::1") return "127.0.0.1";
  if (!entry.address.startsWith("::ffff:")) return undefined;
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(entry.address)?.[1];
}

/** Each entry's names as keys, made once: parsed files are kept, and asked again and again. */
const entryKeys = new WeakMap<HostsEntry, string[]>();

const keysOf = (function keysOf(entry: HostsEntry): string[] {
  let keys = entryKeys.get(entry);
  if (keys === undefined) {
    keys = entry.names.map(nameKey);
    entryKeys.set(entry, keys);
  }
  return keys;
}).bind(undefined);

/**
 * Finds a name in parsed hosts entries, as glibc does since 2.26: the official name from the
 * first line naming it, the addresses of the family from every such line, in file order and
 * repeats kept, and the aliases in glibc's order (the first line's, then each later line's
 * aliases and its first name when that differs from the official one; for IPv4, an
 * IPv4-mapped line's `::ffff:a.b.c.d` as `a.b.c.d` and a `::1` line as `127.0.0.1`, as glibc's
 * gethostbyname reads them). Names compare without regard to case, and a final dot only matches
 * a final dot.
 *
 * @param options.ipv6AsIpv4 For IPv4, read `::1` and IPv4-mapped lines as IPv4, as
 * gethostbyname does; `false` takes the lines of the family only, as getaddrinfo asked for both
 * families reads each line in its own. @default {true}
 * @param options.multi Every line naming it counts, as under host.conf's `multi on` (the usual
 * distributions' file); `false` takes the first line only, as glibc does under `multi off` or
 * without a host.conf. @default {true}
 * @returns The match, or undefined when no line of that family names it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findHostByName, parseHostsFile } from "@netkit/netkit/dns";
 *
 * const entries = parseHostsFile("10.0.0.1 a.test a\n10.0.0.2 b.test a\n");
 * const match = findHostByName(entries, "A", 4);
 * assert.equal(match?.officialName, "a.test");
 * assert.deepEqual(match?.addresses, ["10.0.0.1", "10.0.0.2"]);
 *
 * // A ::1 line answers IPv4 as 127.0.0.1, as glibc's files source reads it.
 * const loopback = parseHostsFile("::1 localhost ip6-localhost\n");
 * assert.deepEqual(findHostByName(loopback, "ip6-localhost", 4)?.addresses, ["127.0.0.1"]);
 * assert.equal(findHostByName(loopback, "ip6-localhost", 4, { ipv6AsIpv4: false }), undefined);
 *
 * // host.conf's `multi off`: the first line only.
 * assert.deepEqual(findHostByName(entries, "a", 4, { multi: false })?.addresses, ["10.0.0.1"]);
 * ```
 */
export function findHostByName(
  entries: HostsEntry[],
  name: string,
  family: IpFamily,
  options: { ipv6AsIpv4?: boolean; multi?: boolean } = {},
): HostsMatch | undefined {
  return matchHostName(
    entries,
    name,
    family,
    family === 4 && options.ipv6AsIpv4 !== false,
    options.multi !== false,
  );
}

/**
 * {@linkcode findHostByName}, compiled with the module (see above); `asIpv4` reads `::1` and
 * IPv4-mapped lines as IPv4; `multi` takes every line naming it, else the first.
 */
const matchHostName = (function matchHostName(
  entries: HostsEntry[],
  name: string,
  family: IpFamily,
  asIpv4: boolean,
  multi: boolean,
): HostsMatch | undefined {
  let match: HostsMatch | undefined;
  const wanted = nameKey(name);
  for (const entry of entries) {
    const [officialName] = entry.names;
    if (officialName === undefined) continue;
    const address = entry.family === family
      ? entry.address
      : asIpv4
      ? mappedIpv4(entry)
      : undefined;
    if (address === undefined || !keysOf(entry).includes(wanted)) continue;
    if (match === undefined) {
      match = { officialName, aliases: entry.names.slice(1), addresses: [address] };
      if (!multi) break;
      continue;
    }
    // As glibc's gethostbyname3_multi: a later line's aliases, then its own first name when it
    // differs (byte for byte) from the official one; repeats kept, "the user's problem".
    match.aliases.push(...entry.names.slice(1));
    if (officialName !== match.officialName) match.aliases.push(officialName);
    match.addresses.push(address);
  }
  return match;
}).bind(undefined);

/**
 * Finds the names of an address in parsed hosts entries: those of the first line with it (for
 * an IPv4 address, an IPv4-mapped line counts, and a `::1` line for 127.0.0.1, as for glibc).
 *
 * @param address An address literal, compared as bytes (`::0:1` finds `::1`).
 * @returns The official name then the aliases (none for a line with the address alone, which
 * glibc finds too, with an empty name), or undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findHostByAddress, parseHostsFile } from "@netkit/netkit/dns";
 *
 * const entries = parseHostsFile("fd00::1 a.test alias\n");
 * assert.deepEqual(findHostByAddress(entries, "fd00:0::1"), ["a.test", "alias"]);
 * ```
 */
export function findHostByAddress(entries: HostsEntry[], address: string): string[] | undefined {
  const wanted = inetNtop(inetPton(address));
  // An IPv4 address is also found on an IPv4-mapped line (`::ffff:a.b.c.d`), and 127.0.0.1 on a
  // `::1` line, as glibc reads them.
  return entries.find((entry) => entry.address === wanted || mappedIpv4(entry) === wanted)?.names
    .slice();
}

// host.conf, which tells the files source whether a name's every line counts (`multi`),
// gethostbyname whether an address of a network of the host goes first (`reorder`), and
// gethostbyaddr which domains to cut off the names it finds (`trim`): as glibc's res_hconf reads
// it, once per process, from `RESOLV_HOST_CONF` or /etc/host.conf, then `RESOLV_MULTI`,
// `RESOLV_REORDER`, `RESOLV_ADD_TRIM_DOMAINS` and `RESOLV_OVERRIDE_TRIM_DOMAINS`. Its `order`,
// which glibc 2.36 ignores, has no effect here either.

/** The file glibc reads by default. */
export const HOST_CONF_FILE = "/etc/host.conf";

/** What the files source and gethostbyaddr take from host.conf. */
export interface HostConf {
  /** Every line naming a host counts (`multi on`); else only the first. */
  multi: boolean;
  /** gethostbyname puts an IPv4 address of a network of the host first (`reorder on`). */
  reorder: boolean;
  /**
   * The `trim` domains, in order (at most four): a name gethostbyaddr finds loses the first
   * that ends it ({@linkcode trimDomains}).
   */
  trim: string[];
}

/** The most `trim` domains glibc keeps (`TRIMDOMAINS_MAX`). */
const MAX_TRIM_DOMAINS = 4;

/** Whether `code` is white space to C's isspace(): space, tab, newline, VT, FF, CR. */
const isCSpace = (code: number): boolean => code === 0x20 || (code >= 0x09 && code <= 0x0d);

/**
 * glibc's arg_bool: `on` or `off` at the start of `text`, in any case (what follows is
 * garbage glibc warns about and ignores); anything else leaves `current`.
 */
function onOff(text: string, current: boolean): boolean {
  const start = text.slice(0, 3).toLowerCase();
  if (start.startsWith("on")) return true;
  if (start === "off") return false;
  return current;
}

/** The end of a word of host.conf at `at`: white space, `#` or `,` (glibc's skip_string). */
function wordEnd(text: string, at: number): number {
  while (
    at < text.length && !isCSpace(text.charCodeAt(at)) && text[at] !== "#" && text[at] !== ","
  ) {
    at++;
  }
  return at;
}

/** Past the white space at `at` (glibc's skip_ws). */
function skipSpace(text: string, at: number): number {
  while (isCSpace(text.charCodeAt(at))) at++;
  return at;
}

/**
 * Adds a `trim` list's domains to `trim` as glibc's arg_trimdomain_list: words separated by
 * white space, or by `,` `;` `:` after one (`;` and `:` inside a word stay in it), until `#`;
 * past {@linkcode MAX_TRIM_DOMAINS}, or after a separator with nothing after it, the rest is
 * dropped. An empty word (`trim` alone) is a domain too, which ends every name and cuts nothing.
 */
function addTrimDomains(trim: string[], text: string): void {
  let at = 0;
  do {
    const start = at;
    at = wordEnd(text, at);
    if (trim.length >= MAX_TRIM_DOMAINS) return;
    trim.push(text.slice(start, at));
    at = skipSpace(text, at);
    if (text[at] === "," || text[at] === ";" || text[at] === ":") {
      at = skipSpace(text, at + 1);
      if (at >= text.length || text[at] === "#") return;
    }
  } while (at < text.length && text[at] !== "#");
}

/** The variables glibc's res_hconf reads after the file, when set. */
export interface HostConfEnv {
  /** `RESOLV_MULTI`: `on` or `off`, as the file's `multi`. */
  multi?: string | undefined;
  /** `RESOLV_REORDER`: `on` or `off`, as the file's `reorder`. */
  reorder?: string | undefined;
  /** `RESOLV_ADD_TRIM_DOMAINS`: domains added to the file's `trim` list. */
  addTrim?: string | undefined;
  /** `RESOLV_OVERRIDE_TRIM_DOMAINS`: domains that replace the `trim` list. */
  overrideTrim?: string | undefined;
}

/**
 * Parses host.conf text, then its variables, as glibc's res_hconf: a line's first word (up to
 * white space, `#` or `,`) is the command, matched whole and in any case; `multi`'s argument is
 * `on` or `off` by its start, and `reorder`'s; `trim` adds domains; `#` starts a comment; no file means
 * `multi off` and no `trim` list.
 *
 * @param text The file's text ("" for none).
 * @param env The variables, when set.
 * @returns The settings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHostConf } from "@netkit/netkit/dns";
 *
 * assert.equal(parseHostConf("multi on\n").multi, true);
 * assert.equal(parseHostConf("").multi, false);
 * assert.equal(parseHostConf("# Debian's file\nMULTI On\n", { multi: "off" }).multi, false);
 * assert.deepEqual(parseHostConf("trim .corp.test, .lab.test\n").trim, [".corp.test", ".lab.test"]);
 * ```
 */
export function parseHostConf(text: string, env: HostConfEnv = {}): HostConf {
  let multi = false;
  let reorder = false;
  const trim: string[] = [];
  for (const line of text.split("\n")) {
    const start = skipSpace(line, 0);
    const end = wordEnd(line, start);
    // An empty line or a comment has no command.
    if (start >= line.length || line[start] === "#") continue;
    const command = line.slice(start, end).toLowerCase();
    if (command === "multi") multi = onOff(line.slice(skipSpace(line, end)), multi);
    else if (command === "reorder") reorder = onOff(line.slice(skipSpace(line, end)), reorder);
    else if (command === "trim") addTrimDomains(trim, line.slice(skipSpace(line, end)));
  }
  if (env.multi !== undefined) multi = onOff(env.multi, multi);
  if (env.reorder !== undefined) reorder = onOff(env.reorder, reorder);
  if (env.addTrim !== undefined) addTrimDomains(trim, env.addTrim);
  if (env.overrideTrim !== undefined) {
    trim.length = 0;
    addTrimDomains(trim, env.overrideTrim);
  }
  return { multi, reorder, trim };
}

/**
 * Cuts host.conf's `trim` domains off names, as glibc's gethostbyaddr does to the official name
 * and each alias it finds: the first domain (in the list's order) that ends a name, compared
 * without regard to case, when the name is longer, is cut off it.
 *
 * @param names The names found.
 * @param trim The domains ({@linkcode HostConf.trim}).
 * @returns The names, trimmed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trimDomains } from "@netkit/netkit/dns";
 *
 * assert.deepEqual(
 *   trimDomains(["m.corp.test", "a.CORP.test", "b.other.test"], [".corp.test"]),
 *   ["m", "a", "b.other.test"],
 * );
 * ```
 */
export function trimDomains(names: readonly string[], trim: readonly string[]): string[] {
  return names.map((name) => {
    const lower = name.toLowerCase();
    for (const domain of trim) {
      if (name.length > domain.length && lower.endsWith(domain.toLowerCase())) {
        return name.slice(0, name.length - domain.length);
      }
    }
    return name;
  });
}

/**
 * Puts the first IPv4 address of a network the host is on first, trading places with the first
 * address, as glibc's gethostbyname does under host.conf's `reorder on` (the host's networks:
 * each IPv4 address of an interface, with its netmask).
 *
 * @param addresses IPv4 addresses as text, in the order found.
 * @param interfaces The host's interfaces (`Deno.networkInterfaces()`); only IPv4 ones count.
 * @returns A new array, reordered.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reorderByInterfaces } from "@netkit/netkit/dns";
 *
 * const eth0 = { family: "IPv4" as const, address: "192.0.2.2", netmask: "255.255.255.0" };
 * assert.deepEqual(
 *   reorderByInterfaces(["10.0.0.1", "10.0.0.2", "192.0.2.50"], [eth0]),
 *   ["192.0.2.50", "10.0.0.2", "10.0.0.1"],
 * );
 * ```
 */
export function reorderByInterfaces(
  addresses: readonly string[],
  interfaces: readonly { family: string; address: string; netmask: string }[],
): string[] {
  const networks: [number, number][] = [];
  for (const { family, address, netmask } of interfaces) {
    if (family !== "IPv4") continue;
    const [a, m] = [ipv4Value(address), ipv4Value(netmask)];
    if (a !== undefined && m !== undefined) networks.push([a, m]);
  }
  const reordered = addresses.slice();
  const local = reordered.findIndex((address) => {
    const value = ipv4Value(address);
    return value !== undefined &&
      networks.some(([network, mask]) => ((value ^ network) & mask) === 0);
  });
  if (local > 0) [reordered[0], reordered[local]] = [reordered[local]!, reordered[0]!];
  return reordered;
}

/** An IPv4 address as a 32-bit number, or undefined when it is none. */
function ipv4Value(text: string): number | undefined {
  try {
    const bytes = inetPton(text, 4);
    return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) | 0;
  } catch {
    return undefined;
  }
}

/** The settings read, once per process (glibc's _res_hconf_init). */
let kept: HostConf | undefined;

/**
 * This process's host.conf settings: the file (`RESOLV_HOST_CONF`, else `/etc/host.conf`) and
 * the variables ({@linkcode HostConfEnv}), read at the first call and kept, as glibc reads them
 * once. A file that cannot be read (missing) is none, glibc's `multi off`; one Deno may not read
 * counts as the usual distributions' `multi on`, without a prompt, so that a lookup needs no
 * permission more.
 *
 * @returns The settings.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hostConf } from "@netkit/netkit/dns";
 *
 * assert.equal(typeof hostConf().multi, "boolean");
 * assert.equal(hostConf(), hostConf());
 * ```
 */
export function hostConf(): HostConf {
  return kept ??= readHostConf();
}

/** {@linkcode hostConf}'s read. */
function readHostConf(): HostConf {
  const path = readEnvQuietly("RESOLV_HOST_CONF") ?? HOST_CONF_FILE;
  const env = {
    multi: readEnvQuietly("RESOLV_MULTI"),
    reorder: readEnvQuietly("RESOLV_REORDER"),
    addTrim: readEnvQuietly("RESOLV_ADD_TRIM_DOMAINS"),
    overrideTrim: readEnvQuietly("RESOLV_OVERRIDE_TRIM_DOMAINS"),
  };
  let text = "";
  try {
    // A file Deno may not read: the usual distributions' `multi on`, without a prompt.
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") {
      text = "multi on";
    } else text = Deno.readTextFileSync(path);
  } catch {
    // Missing, or no file: glibc's defaults.
  }
  return parseHostConf(text, env);
}

/**
 * Whether every line naming a host counts for the hosts file `hostsFile` (a lookup's option):
 * host.conf's `multi` for the system's file, glibc's; always for a file the caller names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hostConf, multiFor } from "@netkit/netkit/dns";
 *
 * assert.equal(multiFor("/tmp/hosts"), true);
 * assert.equal(multiFor(undefined), hostConf().multi);
 * ```
 */
export function multiFor(hostsFile: string | false | undefined): boolean {
  return hostsFile !== undefined || hostConf().multi;
}
