/**
 * The `hosts:` line of `/etc/nsswitch.conf`: which sources answer host names, in which order, and
 * when a lookup stops. netkit's resolver serves the `files` (hosts file) and `dns` sources, and
 * of `myhostname` the localhost names, the host's own and `_gateway`; other sources
 * (`mdns4_minimal`, `resolve`, ...) count as unavailable, as a module glibc cannot load.
 *
 * @module
 */

import { keptParsedConfigFile, readParsedConfigFile } from "../internal/config_file.ts";

/** The file read by default. */
export const NSSWITCH_CONF_FILE = "/etc/nsswitch.conf";
const MAX_NSSWITCH_BYTES = 1 << 20;

/** A source's outcome, as nsswitch.conf names it. */
export type NssStatus = "success" | "notfound" | "unavail" | "tryagain";

/** One source of the `hosts:` line and what ends the lookup after it. */
export interface NssSource {
  /** The service, e.g. `files` or `dns`. */
  name: string;
  /** The outcomes after which the lookup stops (`[NOTFOUND=return]`, `[!UNAVAIL=return]`). */
  returnOn: ReadonlySet<NssStatus>;
}

/**
 * The sources when the file or its `hosts:` line is missing: `files dns`, as glibc 2.36 does
 * (checked with getent: a name in both the hosts file and DNS answers from the file).
 */
export const DEFAULT_HOSTS_SOURCES: readonly NssSource[] = [
  { name: "files", returnOn: new Set(["success"]) },
  { name: "dns", returnOn: new Set(["success"]) },
];

const STATUSES: readonly NssStatus[] = ["success", "notfound", "unavail", "tryagain"];

/** The databases glibc 2.36 knows (nss/databases.def): a bad line of one spoils the file. */
const NSS_DATABASES = new Set([
  "aliases",
  "ethers",
  "group",
  "gshadow",
  "hosts",
  "initgroups",
  "netgroup",
  "networks",
  "passwd",
  "protocols",
  "publickey",
  "rpc",
  "services",
  "shadow",
]);

/** The statuses glibc's parser knows, by their name in lower case. */
const STATUS_NAMES: ReadonlyMap<string, NssStatus> = new Map(
  STATUSES.map((status) => [status, status]),
);

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/**
 * Whether a character code is a blank as JavaScript's `\s` reads it (space, tab, LF, VT, FF,
 * CR and the Unicode spaces). The parsers below scan by character code: they run once per
 * process, where each regular expression's compilation costs more than the scan (the first
 * pattern a process runs ~0.2 ms).
 */
const isBlank = (function isBlank(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f ||
    code === 0x3000 || code === 0xfeff;
}).bind(undefined);

/** Whether a character code is a line break other than LF: CR, U+2028 or U+2029. */
function isLineBreak(code: number): boolean {
  return code === 0x0d || code === 0x2028 || code === 0x2029;
}

/** The index of the first character at or after `at` that is no blank (`end` at most). */
const skipBlanks = (function skipBlanks(text: string, at: number, end: number): number {
  for (; at < end; at++) {
    const code = text.charCodeAt(at);
    if (!isBlank(code)) break;
  }
  return at;
}).bind(undefined);

/** The end of a token from `at`: the first blank, `stop` or `alsoStop` (`end` at most). */
const tokenEnd = (function tokenEnd(
  text: string,
  at: number,
  end: number,
  stop: number,
  alsoStop: number,
): number {
  for (; at < end; at++) {
    const code = text.charCodeAt(at);
    if (code === stop || code === alsoStop || isBlank(code)) break;
  }
  return at;
}).bind(undefined);

/**
 * Parses a service list (`text` from `at` to `end`) as glibc's nss_action_parse: `source
 * [STATUS=ACTION ...] source ...`, blanks allowed around `=` and inside the brackets, names of
 * statuses and actions in any case, `!STATUS` for every status but that one; a source name ends
 * at a blank or a `[` and keeps its case. An action list before any source ends the list.
 * False for what glibc refuses (an unknown status or action, `! STATUS`, `[]`, a bracket left
 * open). The sources go to `sources` when given; without it the list is only checked (the lines
 * of other databases, which can only spoil the file).
 */
const parseServiceList = (function parseServiceList(
  text: string,
  at: number,
  end: number,
  sources: NssSource[] | undefined,
): boolean {
  while (true) {
    at = skipBlanks(text, at, end);
    const from = at;
    at = tokenEnd(text, at, end, 0x5b, 0x5b); // a source's name, up to a blank or "["
    if (at === from) return true; // the end, or a bracket where a source should be
    let returnOn: Set<NssStatus> | undefined;
    if (sources !== undefined) {
      returnOn = new Set<NssStatus>(["success"]);
      sources.push({ name: text.slice(from, at), returnOn });
    }
    at = skipBlanks(text, at, end);
    if (at >= end || text.charCodeAt(at) !== 0x5b) continue;
    at = skipBlanks(text, at + 1, end);
    do {
      const negated = at < end && text.charCodeAt(at) === 0x21; // "!"
      if (negated) at++;
      let wordStart = at;
      at = tokenEnd(text, at, end, 0x3d, 0x5d); // up to a blank, "=" or "]"
      const status = STATUS_NAMES.get(text.slice(wordStart, at).toLowerCase());
      if (status === undefined) return false;
      at = skipBlanks(text, at, end);
      if (at >= end || text.charCodeAt(at) !== 0x3d) return false; // "="
      at = skipBlanks(text, at + 1, end);
      wordStart = at;
      at = tokenEnd(text, at, end, 0x3d, 0x5d); // up to a blank, "=" or "]"
      const action = text.slice(wordStart, at).toLowerCase();
      // MERGE (for groups in glibc) goes on here, as CONTINUE does.
      if (action !== "return" && action !== "continue" && action !== "merge") return false;
      for (const each of returnOn === undefined ? [] : STATUSES) {
        if (negated ? each === status : each !== status) continue;
        if (action === "return") returnOn?.add(each);
        else returnOn?.delete(each);
      }
      at = skipBlanks(text, at, end);
    } while (at >= end || text.charCodeAt(at) !== 0x5d); // "]"
    at++;
  }
}).bind(undefined);

/**
 * Parses the `hosts:` line of nsswitch.conf text as glibc 2.36 reads the file: `#` starts a
 * comment, the last `hosts:` line wins (the colon may be left out: `hosts files`), and a line
 * of any database glibc knows that its parser refuses spoils the whole file, so that no source
 * is asked at all (as getent then finds nothing); so does an empty `hosts:` line.
 *
 * @param text The file's content.
 * @returns The sources in order, possibly none; {@linkcode DEFAULT_HOSTS_SOURCES} when there is
 * no `hosts:` line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHostsSources } from "@netkit/netkit/dns";
 *
 * const sources = parseHostsSources("hosts: dns [NOTFOUND=return] files\n");
 * assert.deepEqual(sources.map((s) => s.name), ["dns", "files"]);
 * assert.equal(sources[0]?.returnOn.has("notfound"), true);
 * // A line glibc cannot parse: nothing is asked.
 * assert.deepEqual(parseHostsSources("hosts: dns [NOTFOUND=bogus] files\n"), []);
 * ```
 */
export function parseHostsSources(text: string): NssSource[] {
  return sourcesInText(text);
}

/** {@linkcode parseHostsSources}, compiled with the module (see above). */
const sourcesInText = (function sourcesInText(file: string): NssSource[] {
  // A NUL ends its line's text, as glibc's C string functions read it (a pattern only then).
  const text = file.includes("\0") ? file.replace(/\0[^\n]*/g, "") : file;
  let hosts: NssSource[] | undefined;
  // Whether a comment may end before its line does: most files have no such line break.
  const breaks = text.includes("\r") || text.includes("\u2028") || text.includes("\u2029");
  for (let lineStart = 0; lineStart <= text.length;) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    // The line is `line` from `start` to `end`: the text's own, but for its comment.
    let line = text;
    let start = lineStart;
    let end = lineEnd;
    const hash = text.indexOf("#", lineStart);
    if (hash >= 0 && hash < lineEnd) {
      // The first "#" starts a comment that a CR ends too (glibc reads `dns #x<CR>files` as
      // `dns files`, checked with getent), as do U+2028 and U+2029 (JavaScript's line breaks).
      let commentEnd = breaks ? hash + 1 : lineEnd;
      while (commentEnd < lineEnd && !isLineBreak(text.charCodeAt(commentEnd))) commentEnd++;
      if (commentEnd === lineEnd) {
        end = hash;
      } else {
        line = text.slice(lineStart, hash) + text.slice(commentEnd, lineEnd);
        start = 0;
        end = line.length;
      }
    }
    lineStart = lineEnd + 1;
    // A line without "[" has a service list glibc always takes (only an action list can be
    // refused), so it matters only as the hosts line: without "hosts" in it, it is passed over
    // at once, without a scan by character (Debian's file: 19 of 20 lines).
    const bracket = line.indexOf("[", start);
    if (bracket < 0 || bracket >= end) {
      const named = line.indexOf("hosts", start);
      if (named < 0 || named + 5 > end) continue;
    }
    // The database's name up to a blank or a colon, then at least one blank or colon.
    const nameStart = skipBlanks(line, start, end);
    const nameEnd = tokenEnd(line, nameStart, end, 0x3a, 0x3a); // up to a blank or ":"
    let at = nameEnd;
    for (; at < end; at++) {
      const code = line.charCodeAt(at);
      if (code !== 0x3a && !isBlank(code)) break;
    }
    if (nameEnd === nameStart || at === nameEnd) continue;
    const database = line.slice(nameStart, nameEnd);
    if (!NSS_DATABASES.has(database)) continue;
    // Only the hosts line's sources are kept; the others' lines are only checked.
    const sources = database === "hosts" ? [] : undefined;
    if (!parseServiceList(line, at, end, sources)) return [];
    if (sources !== undefined) hosts = sources;
  }
  return hosts ?? [...DEFAULT_HOSTS_SOURCES];
}).bind(undefined);

/**
 * Reads the `hosts:` sources of the system.
 *
 * @param path The file; a missing (or oversized) one gives {@linkcode DEFAULT_HOSTS_SOURCES}.
 * @throws {MissingPermissionError} when Deno's permissions refuse to read the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readHostsSources } from "@netkit/netkit/dns";
 *
 * const sources = await readHostsSources("/nonexistent/nsswitch.conf");
 * assert.deepEqual(sources.map((s) => s.name), ["files", "dns"]);
 * ```
 */
export async function readHostsSources(path: string = NSSWITCH_CONF_FILE): Promise<NssSource[]> {
  try {
    return await readParsedConfigFile(path, MAX_NSSWITCH_BYTES, sourcesInText, NSSWITCH_KEY);
  } catch (error) {
    // No file (or an absurd one): the default order. A file Deno may not read is no missing file.
    if (error instanceof Deno.errors.NotCapable) {
      // Loaded only here, as the error it makes: a lookup that reads the file never needs them.
      const { withPermissionNamed } = await import("./_permission_named.ts");
      throw await withPermissionNamed(error, "reading the name service order", {
        kind: "read",
        target: path,
      });
    }
    return [...DEFAULT_HOSTS_SOURCES];
  }
}

/** The name of {@linkcode readHostsSources}'s parse among the configuration files kept. */
const NSSWITCH_KEY = "nsswitch";

/**
 * The sources {@linkcode readHostsSources} last read from `path`, at once, while the file is
 * unchanged (one synchronous `stat`, no `await`): for lookups in a loop. Undefined when it has not
 * been read yet or has changed since, or cannot be stat'ed (a missing file among them): call
 * `readHostsSources` then.
 *
 * @param path The file. @default {"/etc/nsswitch.conf"}
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keptHostsSources, readHostsSources } from "@netkit/netkit/dns";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "hosts: dns files\n");
 * assert.equal(keptHostsSources(path), undefined);
 * const sources = await readHostsSources(path);
 * assert.equal(keptHostsSources(path), sources);
 * await Deno.remove(path);
 * ```
 */
export function keptHostsSources(path: string = NSSWITCH_CONF_FILE): NssSource[] | undefined {
  return keptParsedConfigFile(path, NSSWITCH_KEY);
}
