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
  for (const fields of configLines(text)) {
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
 * ```
 */
export function findHostByName(
  entries: HostsEntry[],
  name: string,
  family: IpFamily,
  options: { ipv6AsIpv4?: boolean } = {},
): HostsMatch | undefined {
  return matchHostName(entries, name, family, family === 4 && options.ipv6AsIpv4 !== false);
}

/**
 * {@linkcode findHostByName}, compiled with the module (see above); `asIpv4` reads `::1` and
 * IPv4-mapped lines as IPv4.
 */
const matchHostName = (function matchHostName(
  entries: HostsEntry[],
  name: string,
  family: IpFamily,
  asIpv4: boolean,
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
