/**
 * The hosts file as the resolver looks names and addresses up in it: the text kept whole, and
 * only the lines that may answer a lookup parsed ({@linkcode parseHostsFile} on them alone), so
 * that a blocklist hosts file of 150,000 lines (`0.0.0.0 ads.example`) costs a command one read
 * and a search of its text, not a parse of every line (~0.4 s; glibc's files source reads it in
 * ~20 ms). The lines found are a superset of those that answer, in file order, and
 * `findHostByName` / `findHostByAddress` then pick from them exactly as from the whole file
 * (their answer depends only on the lines that match, in order). Kept per process with the file
 * (re-read when it changes), with each name's and address's lines, so a name asked again costs a
 * map look-up. The resolver loads it for a hosts file over 16 KiB only: a smaller one is parsed
 * whole, as ever (resolver.ts, `WHOLE_HOSTS_FILE_BYTES`).
 *
 * @module
 */

import { type HostsEntry, parseHostsFile } from "./hosts_file.ts";
import { keptParsedConfigFile, readParsedConfigFile } from "../internal/config_file.ts";
import { inetNtop, inetPton } from "../net/inet.ts";

/**
 * The lines of a hosts file a lookup needs, parsed: for a name, every line that names it (and
 * perhaps others), for an address every line that has it (and perhaps others), in file order.
 */
export interface HostsLines {
  /** The lines that may name `name` (compared as `findHostByName` compares). */
  naming(name: string): HostsEntry[];
  /** The lines that may have `address`, an address literal (throws SyntaxError for another). */
  withAddress(address: string): HostsEntry[];
}

/** A hosts file's text, and the lines already found in it. */
export interface HostsText extends HostsLines {
  /** The whole file. */
  readonly text: string;
  /**
   * `text.toLowerCase()`, searched for names, made when a second name is asked (or a first that
   * is not ASCII; the first is searched in `text` itself); null when lower-casing changed its
   * length (U+0130, a dotted capital I, becomes two characters), where positions would not
   * match: an ASCII name is then searched in `text`, another in every line.
   */
  lower: string | null | undefined;
  /** Every line's entry, parsed on first need when `lower` is null. */
  all: HostsEntry[] | undefined;
  /** The candidate entries of each name (in lower case) asked. */
  readonly byName: Map<string, HostsEntry[]>;
  /** The candidate entries of each address (canonical text) asked. */
  readonly byAddress: Map<string, HostsEntry[]>;
}

/**
 * The largest hosts file the resolver reads, far above `MAX_HOSTS_FILE_BYTES` (16 MiB, what
 * `readHostsFile` parses whole into entries): glibc reads a hosts file of any size line by line,
 * and the largest blocklists run to a few million lines (~100 MB); kept as text, with a lower-case
 * copy for a second name, such a file costs about twice its size in memory, where entries cost
 * many times it. Beyond it every lookup through the file fails with a RangeError, as before.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_HOSTS_FILE_BYTES } from "@netkit/netkit/dns";
 * import { MAX_HOSTS_TEXT_BYTES } from "./_hosts_text.ts";
 *
 * assert.ok(MAX_HOSTS_TEXT_BYTES >= 16 * MAX_HOSTS_FILE_BYTES);
 * ```
 */
export const MAX_HOSTS_TEXT_BYTES = 256 * 1024 * 1024;

/** How many names (and addresses) a kept file remembers before it forgets them all. */
const REMEMBERED = 1024;

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/**
 * A {@linkcode HostsText} of `text`, nothing parsed yet.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { entriesNaming, hostsText } from "./_hosts_text.ts";
 *
 * const hosts = hostsText("0.0.0.0 ads.test\n10.0.0.1 Web.Test web\n");
 * assert.deepEqual(entriesNaming(hosts, "WEB.test").map((e) => e.address), ["10.0.0.1"]);
 * assert.deepEqual(hosts.naming("web").map((e) => e.address), ["10.0.0.1"]);
 * ```
 */
export const hostsText = (function hostsText(text: string): HostsText {
  const hosts: HostsText = {
    text,
    lower: undefined,
    all: undefined,
    byName: new Map(),
    byAddress: new Map(),
    naming: (name) => entriesNaming(hosts, name),
    withAddress: (address) => entriesWithAddress(hosts, address),
  };
  return hosts;
}).bind(undefined);

/**
 * Reads the hosts file at `path` as a {@linkcode HostsText}: once per process, and again when the
 * file changes (as `readHostsFile`).
 *
 * @throws what `readHostsFile` throws (NotFound, a RangeError over {@linkcode MAX_HOSTS_TEXT_BYTES}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keptHostsText, readHostsText } from "./_hosts_text.ts";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "10.1.2.3 files.test\n");
 * const hosts = await readHostsText(path);
 * assert.equal(keptHostsText(path), hosts);
 * await Deno.remove(path);
 * ```
 */
export const readHostsText = (async function readHostsText(path: string): Promise<HostsText> {
  return await readParsedConfigFile(path, MAX_HOSTS_TEXT_BYTES, hostsText, HOSTS_TEXT_KEY);
}).bind(undefined);

/** The name of {@linkcode readHostsText}'s value among the configuration files kept. */
const HOSTS_TEXT_KEY = "hosts-text";

/**
 * What {@linkcode readHostsText} last read from `path`, at once, while the file is unchanged
 * (one synchronous `stat`); undefined otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keptHostsText } from "./_hosts_text.ts";
 *
 * assert.equal(keptHostsText("/nonexistent/hosts"), undefined);
 * ```
 */
export const keptHostsText = (function keptHostsText(path: string): HostsText | undefined {
  return keptParsedConfigFile(path, HOSTS_TEXT_KEY);
}).bind(undefined);

/**
 * The entries of the lines that may name `name` (compared as `findHostByName` compares, in lower
 * case), in file order: every line that does, and perhaps some that do not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findHostByName } from "../../lib/dns/hosts_file.ts";
 * import { entriesNaming, hostsText } from "./_hosts_text.ts";
 *
 * const hosts = hostsText("10.0.0.1 a.test\n0.0.0.0 b.test\n10.0.0.2 x A.TEST # a.test\n");
 * const entries = entriesNaming(hosts, "a.test");
 * assert.equal(entries.length, 2);
 * assert.deepEqual(findHostByName(entries, "a.test", 4)?.addresses, ["10.0.0.1", "10.0.0.2"]);
 * ```
 */
export const entriesNaming = (function entriesNaming(hosts: HostsText, name: string): HostsEntry[] {
  const wanted = name.toLowerCase();
  let entries = hosts.byName.get(wanted);
  if (entries === undefined) {
    entries = fieldless(wanted) ? [] : parsedLinesNaming(hosts, wanted);
    remember(hosts.byName, wanted, entries);
  }
  return entries;
}).bind(undefined);

/**
 * The entries of the lines that may name `wanted` (a name in lower case), found in a copy of the
 * text in lower case -- but for the first ASCII name asked of the file (a command's one lookup),
 * found in the text itself without regard to case, sparing the copy (~6 ms of a 150,000-line
 * file's lookup in a fresh process; the search is ~3 times slower than the copy's, so later
 * names use the copy): a field that lower-cases to an ASCII name is ASCII, but for a Kelvin sign
 * (U+212A), which lower-cases to `k`.
 */
const parsedLinesNaming = (function parsedLinesNaming(
  hosts: HostsText,
  wanted: string,
): HostsEntry[] {
  const { text } = hosts;
  const pattern = hosts.byName.size === 0 || hosts.lower === null
    ? asciiPattern(wanted)
    : undefined;
  if (pattern === undefined) {
    const lower = lowerText(hosts);
    if (lower === null) return allEntries(hosts);
    return parseHostsFile(
      linesWithField(text, lower, (from) => lower.indexOf(wanted, from), wanted.length),
    );
  }
  const search = new RegExp(pattern, "gi");
  return parseHostsFile(linesWithField(text, text, (from) => {
    search.lastIndex = from;
    return search.exec(text)?.index ?? -1;
  }, wanted.length));
}).bind(undefined);

/**
 * The source of a RegExp that, with the `i` flag, finds every field that lower-cases to `wanted`
 * (ASCII, in lower case): letters and digits as they are (the flag matches either case of an
 * ASCII letter, and no other character), `k` as `k` or a Kelvin sign, anything else by its code.
 * Undefined when `wanted` is not ASCII.
 */
const asciiPattern = (function asciiPattern(wanted: string): string | undefined {
  let pattern = "";
  for (let i = 0; i < wanted.length; i++) {
    const code = wanted.charCodeAt(i);
    if (code >= 0x80) return undefined;
    pattern += code === 0x6b
      ? "[k\\u212a]"
      : (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)
      ? wanted[i]
      : `\\x${code.toString(16).padStart(2, "0")}`;
  }
  return pattern;
}).bind(undefined);

/** Whether no field can be `wanted`: none is empty nor has a blank or a `#`. */
const fieldless = (function fieldless(wanted: string): boolean {
  if (wanted.length === 0) return true;
  for (let i = 0; i < wanted.length; i++) {
    const code = wanted.charCodeAt(i);
    if (isBlank(code) || code === 0x23) return true;
  }
  return false;
}).bind(undefined);

/**
 * The entries of the lines that may have `address` (an address literal; for IPv4, an
 * IPv4-mapped or `::1` line may too, as `findHostByAddress` reads them), in file order.
 *
 * @throws {SyntaxError} when `address` is no address.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findHostByAddress } from "../../lib/dns/hosts_file.ts";
 * import { entriesWithAddress, hostsText } from "./_hosts_text.ts";
 *
 * const hosts = hostsText("0.0.0.0 ads.test\n::FFFF:10.0.0.1 mapped.test\n10.0.0.1 four.test\n");
 * const entries = entriesWithAddress(hosts, "10.0.0.1");
 * assert.equal(entries.length, 2);
 * assert.deepEqual(findHostByAddress(entries, "10.0.0.1"), ["mapped.test"]);
 * ```
 */
export const entriesWithAddress = (function entriesWithAddress(
  hosts: HostsText,
  address: string,
): HostsEntry[] {
  const wanted = inetNtop(inetPton(address));
  let entries = hosts.byAddress.get(wanted);
  if (entries === undefined) {
    // An IPv4 line's address is its first field as written (inetPton takes only the canonical
    // form), so it is found as a field; an IPv6 line's may be written in any form
    // (`::FFFF:a.b.c.d`, `0::1`): a line whose first field has a colon is a candidate when that
    // field is the address or, for IPv4, is read as it (`::ffff:a.b.c.d`, and `::1` for
    // 127.0.0.1, as findHostByAddress reads them).
    const mapped = wanted.includes(":") ? undefined : `::ffff:${wanted}`;
    const loopback = wanted === "127.0.0.1" ? "::1" : undefined;
    const { text } = hosts;
    entries = parseHostsFile(
      linesWithField(text, text, (from) => text.indexOf(wanted, from), wanted.length, (field) => {
        const bytes = addressBytes(field);
        if (bytes === undefined) return false;
        const canonical = inetNtop(bytes);
        return canonical === wanted || canonical === mapped || canonical === loopback;
      }),
    );
    remember(hosts.byAddress, wanted, entries);
  }
  return entries;
}).bind(undefined);

/** {@linkcode HostsText.lower}, made once. */
const lowerText = (function lowerText(hosts: HostsText): string | null {
  if (hosts.lower === undefined) {
    const lower = hosts.text.toLowerCase();
    hosts.lower = lower.length === hosts.text.length ? lower : null;
  }
  return hosts.lower;
}).bind(undefined);

/** The bytes of an address literal as inetPton reads it, or undefined. */
const addressBytes = (function addressBytes(text: string): Uint8Array | undefined {
  try {
    return inetPton(text);
  } catch {
    return undefined;
  }
}).bind(undefined);

/** Every line's entry, parsed once. */
const allEntries = (function allEntries(hosts: HostsText): HostsEntry[] {
  return hosts.all ??= parseHostsFile(hosts.text);
}).bind(undefined);

/** Keeps `value` under `key`, forgetting everything first when the map is full. */
const remember = (function remember(
  map: Map<string, HostsEntry[]>,
  key: string,
  value: HostsEntry[],
): void {
  if (map.size >= REMEMBERED) map.clear();
  map.set(key, value);
}).bind(undefined);

/**
 * Whether the character code separates fields, as `configLines` splits them: space, tab, VT, FF,
 * CR, LF, and NUL (a `#` or a NUL ends a field too, but starts a comment: no field follows it on
 * the line; a line found for a field after it is parsed, and not matched).
 */
const isBlank = (function isBlank(code: number): boolean {
  return code === 0x20 || code === 0 || (code >= 0x09 && code <= 0x0d);
}).bind(undefined);

/**
 * The lines of `text` (joined by LF, in file order, each once) where `searched` -- `text` or its
 * lower-case form, of the same length -- has what `find` finds (of `length` characters: where it
 * next starts at or after `from`, or -1) as a whole field, and, with `ipv6Address`, those whose
 * first field has a colon (an IPv6 address, in any spelling) and passes that test. A line found
 * may still not have it (its field may sit in a comment): the caller parses them and matches as
 * on the whole file.
 */
const linesWithField = (function linesWithField(
  text: string,
  searched: string,
  find: (from: number) => number,
  length: number,
  ipv6Address?: (field: string) => boolean,
): string {
  const starts: number[] = [];
  for (let at = find(0); at >= 0;) {
    const end = at + length;
    const after = end < searched.length ? searched.charCodeAt(end) : 0x0a;
    if ((at === 0 || isBlank(searched.charCodeAt(at - 1))) && (isBlank(after) || after === 0x23)) {
      starts.push(lineStart(searched, at));
      const next = searched.indexOf("\n", end);
      if (next < 0) break;
      at = find(next + 1);
    } else {
      at = find(at + 1);
    }
  }
  if (ipv6Address !== undefined) {
    // Each spelling tested once: a blocklist of `:: NAME` lines has one.
    const tested = new Map<string, boolean>();
    for (let colon = text.indexOf(":"); colon >= 0;) {
      const start = lineStart(text, colon);
      let field = start;
      while (field < colon && isBlank(text.charCodeAt(field))) field++;
      // The line's first field runs from `field` to the first blank or `#`: the colon's?
      let fieldEnd = field;
      while (fieldEnd < text.length) {
        const code = text.charCodeAt(fieldEnd);
        if (isBlank(code) || code === 0x23) break;
        fieldEnd++;
      }
      if (colon < fieldEnd) {
        const address = text.slice(field, fieldEnd);
        let found = tested.get(address);
        if (found === undefined) tested.set(address, found = ipv6Address(address));
        if (found) starts.push(start);
      }
      const next = text.indexOf("\n", colon);
      if (next < 0) break;
      colon = text.indexOf(":", next + 1);
    }
    // Both kinds in file order, each line once.
    starts.sort((a, b) => a - b);
  }
  const lines: string[] = [];
  let previous = -1;
  for (const start of starts) {
    if (start === previous) continue;
    previous = start;
    const end = text.indexOf("\n", start);
    lines.push(text.slice(start, end < 0 ? text.length : end));
  }
  return lines.join("\n");
}).bind(undefined);

/** Where the line holding position `at` starts. */
const lineStart = (function lineStart(text: string, at: number): number {
  return at === 0 ? 0 : text.lastIndexOf("\n", at - 1) + 1;
}).bind(undefined);
