/**
 * `/etc/gai.conf`, the policy that orders getaddrinfo's answers (RFC 6724 destination address
 * selection), read as glibc 2.36 reads it: `label` and `precedence` lines (`PREFIX/BITS VALUE`)
 * and `scopev4` lines (`::ffff:ADDRESS/96..128 SCOPE` or `ADDRESS/0..32 SCOPE`) each replace the
 * whole of their built-in table when one of them is in the file (a `::/0` row, or `scopev4`'s
 * `/0`, is added when the file has none: label 1, precedence 40, scope 14), the longest prefixes
 * matched first, of equal lengths the earlier line; `reload yes` has the file read again when it
 * changes. Unreadable or malformed lines are skipped, as glibc skips them: an unknown keyword, a
 * prefix `inet_pton` refuses, a length out of range, a value over 2147483647.
 *
 * glibc's oddities, kept: a line without `/BITS` is skipped (glibc reads an uninitialised
 * pointer there; on Debian's glibc 2.36 the `label`/`precedence` line is dropped and a `scopev4`
 * line makes every sorting getaddrinfo call crash with SIGSEGV, so netkit skips that one too);
 * an empty length (`::/`) is 0 bits and a missing value (`label ::1/128`) is 0, as `strtoul`
 * reads an empty text; `+5` and `-0` are read as numbers; `reload` must be followed by exactly
 * `yes` (anything else turns re-reading off).
 *
 * @module
 */

import { inetPton } from "../net/inet.ts";

/** One row of a label or precedence table: an IPv6 prefix (IPv4 as `::ffff:0:0/96`) and its value. */
export interface GaiPrefixRow {
  /** The prefix's 16 bytes (bits past `bits` may be set; they are not compared). */
  prefix: Uint8Array;
  /** Its length in bits, 0 to 128. */
  bits: number;
  /** The label or precedence of the addresses it matches. */
  value: number;
}

/** One row of the IPv4 scope table (`scopev4`): an IPv4 network and the scope of its addresses. */
export interface GaiScopeRow {
  /** The network's address as an unsigned 32-bit number, already masked. */
  address: number;
  /** The network's length in bits, 0 to 32. */
  bits: number;
  /** The scope (RFC 6724 section 3.1: 2 link-local, 5 site-local, 14 global). */
  scope: number;
}

/** The policy that {@linkcode sortAddresses} applies: what `/etc/gai.conf` says, or glibc's default. */
export interface GaiConfig {
  /** Labels (rule 5), the longest prefixes first. */
  labels: readonly GaiPrefixRow[];
  /** Precedences (rule 6), the longest prefixes first. */
  precedences: readonly GaiPrefixRow[];
  /** Scopes of IPv4 addresses (rules 2 and 8), the longest networks first. */
  scopesV4: readonly GaiScopeRow[];
  /** The last `reload` line's word was `yes` (true), something else (false), or none (undefined). */
  reload?: boolean | undefined;
}

function row(text: string, bits: number, value: number): GaiPrefixRow {
  return { prefix: inetPton(text, 6), bits, value };
}

/** glibc's built-in policy (RFC 3484's, plus labels for site-local, ULA and Teredo). */
export const DEFAULT_GAI_CONFIG: GaiConfig = Object.freeze({
  labels: Object.freeze([
    row("::1", 128, 0),
    row("::ffff:0:0", 96, 4),
    row("::", 96, 3),
    row("2001::", 32, 7),
    row("2002::", 16, 2),
    row("fec0::", 10, 5),
    row("fc00::", 7, 6),
    row("::", 0, 1),
  ]),
  precedences: Object.freeze([
    row("::1", 128, 50),
    row("::ffff:0:0", 96, 10),
    row("::", 96, 20),
    row("2002::", 16, 30),
    row("::", 0, 40),
  ]),
  scopesV4: Object.freeze([
    { address: 0xa9fe0000, bits: 16, scope: 2 },
    { address: 0x7f000000, bits: 8, scope: 2 },
    { address: 0, bits: 0, scope: 14 },
  ]),
});

/** `strtoul(text, &end, 10)` with `*end == '\0'` and the value at most `max`, or undefined. */
function wholeNumber(text: string, max: number): number | undefined {
  // strtoul takes an optional sign and no digits at all (an empty text is 0, end at its start).
  const match = /^([+-]?)([0-9]*)$/.exec(text);
  if (match === null) return undefined;
  const [, sign, digits = ""] = match;
  if (sign !== "" && digits === "") return undefined; // "+" alone: end stays at the sign
  const value = digits === "" ? 0 : Number(digits);
  // "-N" is ULONG_MAX + 1 - N: within range only for "-0".
  if (sign === "-" && value !== 0) return undefined;
  return value <= max ? value : undefined;
}

function parsePrefixRow(field: string, valueText: string): GaiPrefixRow | undefined {
  const slash = field.indexOf("/");
  if (slash < 0) return undefined; // glibc: uninitialised end pointer, the line dropped
  let prefix: Uint8Array;
  try {
    prefix = inetPton(field.slice(0, slash), 6);
  } catch {
    return undefined;
  }
  const bits = wholeNumber(field.slice(slash + 1), 128);
  const value = wholeNumber(valueText, 0x7fffffff);
  if (bits === undefined || value === undefined) return undefined;
  return { prefix, bits, value };
}

function parseScopeRow(field: string, valueText: string): GaiScopeRow | undefined {
  const slash = field.indexOf("/");
  if (slash < 0) return undefined; // glibc 2.36 crashes on this line (see the module doc)
  const addressText = field.slice(0, slash);
  const lengthText = field.slice(slash + 1);
  let address: Uint8Array;
  let bits: number | undefined;
  if (addressText.includes(":")) {
    try {
      address = inetPton(addressText, 6);
    } catch {
      return undefined;
    }
    const mapped = address.subarray(0, 10).every((b) => b === 0) && address[10] === 0xff &&
      address[11] === 0xff;
    if (!mapped) return undefined;
    const length = wholeNumber(lengthText, 128);
    if (length === undefined || length < 96) return undefined;
    bits = length - 96;
    address = address.subarray(12);
  } else {
    try {
      address = inetPton(addressText, 4);
    } catch {
      return undefined;
    }
    bits = wholeNumber(lengthText, 32);
  }
  const scope = wholeNumber(valueText, 0x7fffffff);
  if (bits === undefined || scope === undefined) return undefined;
  const value = (((address[0] ?? 0) << 24) | ((address[1] ?? 0) << 16) | ((address[2] ?? 0) << 8) |
    (address[3] ?? 0)) >>> 0;
  return { address: (value & maskOf(bits)) >>> 0, bits, scope };
}

/** The IPv4 netmask of `bits` bits (0 to 32) as an unsigned number. */
const maskOf = (bits: number) => bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;

/** The fields glibc reads of a line: text before `#`, split at C `isspace`, first three kept. */
function lineFields(line: string): string[] {
  const hash = line.indexOf("#");
  const text = hash < 0 ? line : line.slice(0, hash);
  // getline keeps a NUL; strchr and the scanner stop at it.
  const nul = text.indexOf("\0");
  return (nul < 0 ? text : text.slice(0, nul)).split(/[ \t\n\v\f\r]+/).filter((f) => f !== "")
    .slice(0, 3);
}

/**
 * Reads the text of a gai.conf as glibc 2.36 does (see the module doc).
 *
 * @param text The file's contents.
 * @returns The policy: glibc's default tables where the file has no line of their kind.
 *
 * @example The common "prefer IPv4" line
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_GAI_CONFIG, parseGaiConf, sortAddresses } from "@netkit/netkit/dns";
 *
 * const preferIpv4 = parseGaiConf("precedence ::ffff:0:0/96  100  # prefer IPv4\n");
 * assert.equal(preferIpv4.labels, DEFAULT_GAI_CONFIG.labels);
 * assert.equal(preferIpv4.precedences.length, 2); // the line, and ::/0 at 40
 * const sources = ["127.0.0.1/8", "::1/128"];
 * assert.deepEqual(sortAddresses(["::1", "127.0.0.1"], sources, { policy: preferIpv4 }), [
 *   "127.0.0.1",
 *   "::1",
 * ]);
 * ```
 */
export function parseGaiConf(text: string): GaiConfig {
  const labels: GaiPrefixRow[] = [];
  const precedences: GaiPrefixRow[] = [];
  const scopesV4: GaiScopeRow[] = [];
  let reload: boolean | undefined;
  for (const line of text.split("\n")) {
    const [command = "", first = "", second = ""] = lineFields(line);
    if (command === "label" || command === "precedence") {
      const parsed = parsePrefixRow(first, second);
      if (parsed) (command === "label" ? labels : precedences).push(parsed);
    } else if (command === "scopev4") {
      const parsed = parseScopeRow(first, second);
      if (parsed) scopesV4.push(parsed);
    } else if (command === "reload") {
      reload = first === "yes";
    }
  }
  const table = (rows: GaiPrefixRow[], fallback: readonly GaiPrefixRow[], last: number) => {
    if (rows.length === 0) return fallback;
    if (!rows.some((each) => each.bits === 0)) rows.push(row("::", 0, last));
    // Stable: of equal lengths, the earlier line first (glibc's qsort is a merge sort here).
    return rows.sort((a, b) => b.bits - a.bits);
  };
  let scopes: readonly GaiScopeRow[] = DEFAULT_GAI_CONFIG.scopesV4;
  if (scopesV4.length > 0) {
    if (!scopesV4.some((each) => each.bits === 0)) {
      scopesV4.push({ address: 0, bits: 0, scope: 14 });
    }
    scopes = scopesV4.sort((a, b) => b.bits - a.bits);
  }
  return {
    labels: table(labels, DEFAULT_GAI_CONFIG.labels, 1),
    precedences: table(precedences, DEFAULT_GAI_CONFIG.precedences, 40),
    scopesV4: scopes,
    reload,
  };
}

/** The largest gai.conf read; a bigger file counts as none. */
const MAX_GAI_CONF_BYTES = 1 << 20;

interface GaiConfState {
  config: GaiConfig;
  /** The modification time read with it (glibc compares only that), or undefined for no file. */
  mtime: number | undefined;
  /** glibc's `gaiconf_reload_flag`: set by a `reload` line, kept when a later file has none. */
  reload: boolean;
}

const states = new Map<string, GaiConfState>();

function readNow(path: string, reload: boolean): GaiConfState {
  try {
    const state = Deno.permissions.querySync({ name: "read", path }).state;
    if (state !== "granted") return { config: DEFAULT_GAI_CONFIG, mtime: undefined, reload };
    const info = Deno.statSync(path);
    if (!info.isFile || info.size > MAX_GAI_CONF_BYTES) {
      return { config: DEFAULT_GAI_CONFIG, mtime: info.mtime?.getTime(), reload };
    }
    const config = parseGaiConf(Deno.readTextFileSync(path));
    return { config, mtime: info.mtime?.getTime(), reload: config.reload ?? reload };
  } catch {
    // Missing or unreadable: glibc's defaults, the reload flag left alone.
    return { config: DEFAULT_GAI_CONFIG, mtime: undefined, reload };
  }
}

/**
 * The host's address-ordering policy, `/etc/gai.conf` read as glibc reads it: once a process,
 * and again when its modification time changes only if the file said `reload yes` (glibc's
 * rule; without it, as in every glibc program, an edit shows in the next process). glibc's
 * default tables where the file is missing, unreadable, not a regular file, over 1 MiB, or not
 * granted by `--allow-read`.
 *
 * @param path The file to read, `/etc/gai.conf` by default.
 * @returns The policy for {@linkcode sortAddresses}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readGaiConf } from "@netkit/netkit/dns";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "label ::1/128 9\n");
 * assert.equal(readGaiConf(path).labels[0]?.value, 9);
 * await Deno.writeTextFile(path, "label ::1/128 8\n");
 * assert.equal(readGaiConf(path).labels[0]?.value, 9); // no "reload yes": read once
 * await Deno.remove(path);
 * ```
 */
export function readGaiConf(path = "/etc/gai.conf"): GaiConfig {
  const known = states.get(path);
  if (known === undefined) {
    const state = readNow(path, false);
    states.set(path, state);
    return state.config;
  }
  if (!known.reload) return known.config;
  let mtime: number | undefined;
  try {
    mtime = Deno.statSync(path).mtime?.getTime();
  } catch {
    mtime = undefined;
  }
  if (mtime !== undefined && mtime === known.mtime) return known.config;
  const state = readNow(path, known.reload);
  states.set(path, state);
  return state.config;
}
