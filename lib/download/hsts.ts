/**
 * HTTP Strict Transport Security (RFC 6797) as GNU Wget 1.21.3 keeps it: a store of known hosts
 * filled from the `Strict-Transport-Security` headers of HTTPS answers (`max-age`,
 * `includeSubDomains`; never for an IP address), that turns a later `http://` URL of a known host
 * into `https://` (port 80 becomes 443, another port stays), and GNU's file of it
 * (`~/.wget-hsts`, `--hsts-file`): read at start, written back at the end when something changed,
 * merged with what another run wrote meanwhile, in GNU's format, so that GNU wget and netkit share
 * one store: GNU's comment header, then a line per host in netkit's order (GNU reads the lines in
 * any order).
 *
 * GNU 1.21.3's own ways are kept, including those later releases changed: a host is matched by its
 * closest stored parent domain only (`b.a.example` is not upgraded by `example`'s
 * `includeSubDomains` when `a.example` is stored without it), and a parent domain is never a
 * top-level one.
 *
 * @module
 */

import { concatBytes } from "../io/concat_bytes.ts";
import { latin1Bytes, latin1Text } from "../internal/latin1.ts";
import { type HttpUrl, parseHttpUrl } from "../http/url.ts";

/** One known host of the store, as GNU's file has it. */
export interface HstsEntry {
  /** The host name, lower case. */
  host: string;
  /** The HTTPS port, or 0 for the default one (443). */
  port: number;
  /** Whether its subdomains are known HSTS hosts too. */
  includeSubdomains: boolean;
  /** When it was stored (or last renewed), in seconds since the epoch. */
  created: bigint;
  /** How long it is kept, in seconds from `created`. */
  maxAge: bigint;
}

/** A `Strict-Transport-Security` header's settings. */
export interface StrictTransportSecurity {
  /** `max-age`, in seconds (as C's strtol reads it: no number is 0). */
  maxAge: bigint;
  /** `includeSubDomains` was given. */
  includeSubdomains: boolean;
}

/** GNU's words for a store file it does not read (then HSTS is off for the run). */
export const HSTS_REFUSED_FILE =
  "Will not apply HSTS. The HSTS database must be a regular and non-world-writable file.";

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** C's c_tolower over a string: ASCII letters only. */
const lowerAscii = (text: string) => text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());

/** Whether `c` is one of C's space characters. */
const isSpace = (c: string | undefined) => c !== undefined && " \t\n\v\f\r".includes(c);

/** C's strtol (base 10, a 64-bit long): leading spaces, a sign, digits; none is 0; clamped. */
function strtol(text: string): bigint {
  const match = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  if (!match) return 0n;
  const value = BigInt(match[1]!);
  return value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value;
}

/**
 * The settings of a `Strict-Transport-Security` header read as GNU wget reads it (its
 * `extract_param`: `name[=value]` parameters split at `;`, names without regard to case, quoted
 * values, the last `max-age` wins; a malformed parameter ends the reading), or undefined when it
 * names no `max-age` (GNU's "Could not parse Strict-Transport-Security header").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseStrictTransportSecurity } from "@netkit/netkit/download";
 *
 * assert.deepEqual(parseStrictTransportSecurity('max-age="31536000"; includeSubDomains'), {
 *   maxAge: 31536000n,
 *   includeSubdomains: true,
 * });
 * assert.equal(parseStrictTransportSecurity("includeSubDomains"), undefined);
 * ```
 */
export function parseStrictTransportSecurity(
  header: string,
): StrictTransportSecurity | undefined {
  let maxAge: string | undefined;
  let includeSubdomains = false;
  let p = 0;
  const at = (i: number) => header[i];
  while (true) {
    while (isSpace(at(p))) p++;
    if (p >= header.length) break;
    const nameStart = p;
    while (p < header.length && !isSpace(at(p)) && at(p) !== "=" && at(p) !== ";") p++;
    if (p === nameStart) break;
    const name = lowerAscii(header.slice(nameStart, p));
    while (isSpace(at(p))) p++;
    let value = "";
    if (p >= header.length || at(p) === ";") {
      if (at(p) === ";") p++;
    } else if (at(p) !== "=") {
      break;
    } else {
      p++;
      while (isSpace(at(p))) p++;
      if (at(p) === '"') {
        const end = header.indexOf('"', p + 1);
        if (end < 0) break;
        value = header.slice(p + 1, end);
        p = end + 1;
        while (isSpace(at(p))) p++;
        while (p < header.length && at(p) !== ";") p++;
        if (at(p) === ";") p++;
        else if (p < header.length) break;
      } else {
        const start = p;
        while (p < header.length && at(p) !== ";") p++;
        value = header.slice(start, p).replace(/[ \t\n\v\f\r]+$/, "");
        if (at(p) === ";") p++;
      }
    }
    if (name === "max-age") maxAge = value;
    else if (name === "includesubdomains") includeSubdomains = true;
  }
  return maxAge === undefined ? undefined : { maxAge: strtol(maxAge), includeSubdomains };
}

/** Whether `host` is an IP address (an IPv4 dotted quad or an IPv6 literal): never a known host. */
function isIpAddress(host: string): boolean {
  if (host.includes(":")) return true;
  const parts = host.split(".");
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && +part <= 255);
}

/** A store key: host and explicit port (0 for the scheme's default). */
interface Key {
  host: string;
  port: number;
}

/** A key's string in the store's map (a host has no space). */
const keyString = (key: Key) => `${key.port} ${key.host}`;

/** The explicit port of a URL's port: 0 for its scheme's default. */
function explicitPort(scheme: HttpUrl["scheme"], port: number): number {
  return port === (scheme === "https" ? 443 : 80) ? 0 : port;
}

/** C's int64 addition, wrapping. */
const add64 = (a: bigint, b: bigint) => BigInt.asIntN(64, a + b);

/** The entry's times without the key. */
type Info = Omit<HstsEntry, "host" | "port">;

/** What {@linkcode HstsStore.record} made of an answer's header. */
export type HstsRecorded = "added" | "updated" | "unparsable" | "ignored";

/**
 * GNU wget's store of known HSTS hosts, in memory. {@linkcode HstsStore.read} takes GNU's file's
 * text, {@linkcode HstsStore.toString} gives it back; files are read and written by
 * {@linkcode openHstsStore} and {@linkcode saveHstsStore}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HstsStore } from "@netkit/netkit/download";
 * import { parseHttpUrl } from "@netkit/netkit/http";
 *
 * const store = new HstsStore({ now: () => 1_700_000_000n });
 * store.record(parseHttpUrl("https://example.com/"), "max-age=3600; includeSubDomains");
 * assert.equal(store.upgrade(parseHttpUrl("http://www.example.com/a?b"))?.href, "https://www.example.com/a?b");
 * assert.equal(store.upgrade(parseHttpUrl("http://example.com:8080/"))?.href, undefined);
 * assert.equal(store.upgrade(parseHttpUrl("http://127.0.0.1/")), undefined);
 * assert.equal(store.peek(parseHttpUrl("http://example.com/"))?.scheme, "https");
 * assert.equal(
 *   store.toString().split("\n").at(-2),
 *   "example.com\t0\t1\t1700000000\t3600",
 * );
 * ```
 */
export class HstsStore {
  /**
   * The entries by {@linkcode keyString}, in their order in the file: the file's lines as read,
   * then the hosts learned (a renewed host keeps its place, a removed one leaves).
   */
  readonly #table = new Map<string, Key & { info: Info }>();
  readonly #now: () => bigint;
  /** Something changed since the store was read (GNU then writes the file back). */
  changed = false;
  /** The file's modification time when read, in seconds; 0 when there was no file. */
  readTime = 0;

  /** An empty store; `now` gives the time in seconds (the clock's by default). */
  constructor(options: { now?: () => bigint } = {}) {
    this.#now = options.now ?? (() => BigInt(Math.floor(Date.now() / 1000)));
  }

  /** How many hosts it holds. */
  get size(): number {
    return this.#table.size;
  }

  /** The entries, in the order they are written: the file's as read, then the hosts learned. */
  entries(): HstsEntry[] {
    return [...this.#table.values()].map(({ host, port, info }) => ({ host, port, ...info }));
  }

  /**
   * Takes the entries of GNU's file's text (a character a byte, as {@linkcode openHstsStore} reads
   * it): lines of host, port, includeSubDomains (0 or 1),
   * created and max-age, separated by spaces or tabs (C's `sscanf` reading); `#` comments and
   * lines it cannot read are skipped, IP addresses and negative ages too, and of two entries of
   * one host and port the first one counts. With `merge` (GNU's merge before it writes the file
   * back): a stored host takes a file's entry only when it is newer, and a host matched by a
   * stored parent domain takes none.
   */
  read(text: string, merge = false): void {
    for (const line of text.split("\n")) {
      const entry = scanLine(line);
      if (!entry) continue;
      const port = explicitPort("https", entry.port);
      if (merge) {
        const found = this.#find(entry.host, port);
        if (found && found.match === "congruent") {
          if (entry.created > found.info.created) {
            found.info.created = entry.created;
            found.info.maxAge = entry.maxAge;
            found.info.includeSubdomains = entry.includeSubdomains;
          }
          continue;
        }
        if (found) continue;
      }
      const key = { host: lowerAscii(entry.host), port };
      if (isIpAddress(entry.host)) continue;
      // GNU's `created + max_age < created`, which its compiler makes `max_age < 0`.
      if (entry.maxAge < 0n) continue;
      if (this.#table.has(keyString(key))) continue;
      this.#table.set(keyString(key), {
        ...key,
        info: {
          includeSubdomains: entry.includeSubdomains,
          created: entry.created,
          maxAge: entry.maxAge,
        },
      });
    }
  }

  /**
   * The `https://` URL an `http://` one is fetched as, when its host (or a parent domain with
   * `includeSubDomains`) is a known host of the same port, unexpired; undefined when it stays.
   * An expired entry of the host itself is removed on the way, as GNU's.
   */
  upgrade(url: HttpUrl): HttpUrl | undefined {
    if (url.scheme === "https") return undefined;
    const port = explicitPort(url.scheme, url.port);
    const found = this.#find(url.host, port);
    if (!found) return undefined;
    if (add64(found.info.created, found.info.maxAge) >= this.#now()) {
      if (found.match === "congruent" || found.info.includeSubdomains) {
        this.changed = true;
        return parseHttpUrl(`https:${url.href.slice("http:".length)}`);
      }
      return undefined;
    }
    // GNU removes the host's own key, which is not there when a parent domain matched.
    this.#table.delete(keyString({ host: lowerAscii(url.host), port }));
    this.changed = true;
    return undefined;
  }

  /**
   * {@linkcode HstsStore.upgrade}'s answer without its changes (the store stays as it is): for a
   * name that depends on the scheme the URL is fetched with (`--protocol-directories`).
   */
  peek(url: HttpUrl): HttpUrl | undefined {
    if (url.scheme === "https") return undefined;
    const found = this.#find(url.host, explicitPort(url.scheme, url.port));
    if (!found || add64(found.info.created, found.info.maxAge) < this.#now()) return undefined;
    if (found.match !== "congruent" && !found.info.includeSubdomains) return undefined;
    return parseHttpUrl(`https:${url.href.slice("http:".length)}`);
  }

  /**
   * Takes an answer's `Strict-Transport-Security` header (its first one) for the URL that
   * answered: over HTTPS and for a host name only (GNU reads the header of any answer, redirects
   * and errors too; "unparsable" when it names no max-age, whatever the scheme). A known host is
   * renewed (not within the second it was stored), or removed by `max-age=0`; a new host is
   * added, a subdomain of a known one too (with `max-age=0` as well, as GNU 1.21.3).
   */
  record(url: HttpUrl, header: string | null | undefined): HstsRecorded {
    if (header === null || header === undefined) return "ignored";
    const sts = parseStrictTransportSecurity(header);
    if (!sts) return "unparsable";
    if (url.scheme !== "https" || isIpAddress(url.host)) return "ignored";
    const port = explicitPort(url.scheme, url.port);
    const found = this.#find(url.host, port);
    if (found?.match === "congruent") {
      if (sts.maxAge === 0n) {
        this.#table.delete(keyString({ host: lowerAscii(url.host), port }));
        this.changed = true;
      } else if (sts.maxAge > 0n) {
        const now = this.#now();
        if (now !== found.info.created) {
          found.info.created = now;
          found.info.maxAge = sts.maxAge;
          found.info.includeSubdomains = sts.includeSubdomains;
          this.changed = true;
        }
      }
      return "updated";
    }
    // GNU's `created + max_age < created`, which its compiler makes `max_age < 0`.
    if (sts.maxAge < 0n) return "ignored";
    const key = { host: lowerAscii(url.host), port };
    this.#table.set(keyString(key), {
      ...key,
      info: { includeSubdomains: sts.includeSubdomains, created: this.#now(), maxAge: sts.maxAge },
    });
    this.changed = true;
    return "added";
  }

  /**
   * GNU's file: its three comment lines, then a line per host in {@linkcode HstsStore.entries}'
   * order (GNU reads them in any order).
   */
  toString(): string {
    let text = "# HSTS 1.0 Known Hosts database for GNU Wget.\n# Edit at your own risk.\n" +
      "# <hostname>\t<port>\t<incl. subdomains>\t<created>\t<max-age>\n";
    for (const { host, port, info } of this.#table.values()) {
      // GNU 1.21.3 prints the times as unsigned longs.
      text += `${host}\t${port}\t${info.includeSubdomains ? 1 : 0}\t${
        BigInt.asUintN(64, info.created)
      }\t${BigInt.asUintN(64, info.maxAge)}\n`;
    }
    return text;
  }

  /**
   * GNU 1.21.3's lookup: the host itself, else its closest stored parent domain (never a
   * top-level one), whatever that one's includeSubDomains.
   */
  #find(
    host: string,
    port: number,
  ): { info: Info; match: "congruent" | "superdomain" } | undefined {
    // (No store, or an empty one, as most runs have: looked up for every URL fetched.)
    if (this.#table.size === 0) return undefined;
    let name = lowerAscii(host);
    const own = this.#table.get(keyString({ host: name, port }));
    if (own) return { info: own.info, match: "congruent" };
    while (true) {
      const dot = name.indexOf(".");
      if (dot <= 0 || !name.includes(".", dot + 1)) return undefined;
      name = name.slice(dot + 1);
      const parent = this.#table.get(keyString({ host: name, port }));
      if (parent) return { info: parent.info, match: "superdomain" };
    }
  }
}

/** A line of GNU's file as `sscanf("%255s %d %d %ld %ld")` reads it, when it reads all five. */
function scanLine(line: string): HstsEntry | undefined {
  let p = 0;
  while (isSpace(line[p])) p++;
  if (line[p] === "#") return undefined;
  const skip = () => {
    while (isSpace(line[p])) p++;
  };
  skip();
  const start = p;
  while (p < line.length && p - start < 255 && !isSpace(line[p])) p++;
  if (p === start) return undefined;
  const host = line.slice(start, p);
  const numbers: bigint[] = [];
  for (let i = 0; i < 4; i++) {
    skip();
    const match = /^[+-]?\d+/.exec(line.slice(p));
    if (!match) return undefined;
    p += match[0].length;
    const value = BigInt(match[0]);
    const clamped = value > INT64_MAX ? INT64_MAX : value < INT64_MIN ? INT64_MIN : value;
    numbers.push(i < 2 ? BigInt.asIntN(32, clamped) : clamped);
  }
  const [port, subdomains, created, maxAge] = numbers as [bigint, bigint, bigint, bigint];
  return {
    host,
    port: Number(port),
    includeSubdomains: subdomains !== 0n,
    created,
    maxAge,
  };
}

/** What {@linkcode openHstsStore} found. */
export interface OpenedHstsStore {
  /** The store to use, or undefined when HSTS is off for the run (the file was refused). */
  store?: HstsStore | undefined;
  /** GNU's lines to show (unless quiet) when it was refused. */
  notices: string[];
}

/**
 * Reads GNU wget's store file `path` as GNU does at start: no file is an empty store; a file that
 * is not a regular file, or that anyone may write, or that cannot be read turns HSTS off for the
 * run, with GNU's lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openHstsStore } from "@netkit/netkit/download";
 *
 * const dir = await Deno.makeTempDir();
 * assert.equal(openHstsStore(`${dir}/.wget-hsts`).store?.size, 0);
 * const refused = openHstsStore(dir);
 * assert.equal(refused.store, undefined);
 * assert.equal(refused.notices.length, 2);
 * await Deno.remove(dir);
 * ```
 */
export function openHstsStore(
  path: string,
  options: { now?: () => bigint } = {},
): OpenedHstsStore {
  const store = new HstsStore(options);
  const refused = (notices: string[]): OpenedHstsStore => ({
    notices: [
      ...notices,
      `ERROR: could not open HSTS store at '${path}'. HSTS will be disabled.`,
    ],
  });
  let stat: Deno.FileInfo;
  try {
    stat = Deno.statSync(path);
  } catch {
    return { store, notices: [] };
  }
  if (!stat.isFile || ((stat.mode ?? 0) & 0o002) !== 0) return refused([HSTS_REFUSED_FILE]);
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch {
    return refused([]);
  }
  try {
    store.read(latin1Text(readAll(file)));
    store.readTime = seconds(file.statSync().mtime);
  } catch {
    return refused([]);
  } finally {
    file.close();
  }
  return { store, notices: [] };
}

/**
 * Writes the store back to `path` as GNU wget does at the end of a run that changed it (and holds
 * a host): the file opened for appending (made with mode 0666 less the umask), locked, merged
 * with the file's entries when it changed since it was read (another run's), then rewritten
 * whole. A file that cannot be opened is left as it is, silently, as GNU's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HstsStore, openHstsStore, saveHstsStore } from "@netkit/netkit/download";
 * import { parseHttpUrl } from "@netkit/netkit/http";
 *
 * const dir = await Deno.makeTempDir();
 * const store = new HstsStore({ now: () => 1_700_000_000n });
 * store.record(parseHttpUrl("https://example.com/"), "max-age=60");
 * saveHstsStore(store, `${dir}/.wget-hsts`);
 * assert.deepEqual(openHstsStore(`${dir}/.wget-hsts`).store?.entries(), [
 *   { host: "example.com", port: 0, includeSubdomains: false, created: 1_700_000_000n, maxAge: 60n },
 * ]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function saveHstsStore(store: HstsStore, path: string): void {
  if (!store.changed || store.size === 0) return;
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true, append: true, create: true });
  } catch {
    return;
  }
  try {
    file.lockSync(true);
    let changedSince = false;
    try {
      changedSince = store.readTime !== 0 && seconds(Deno.statSync(path).mtime) > store.readTime;
    } catch {
      // GNU's stat failing: no merge.
    }
    if (changedSince) store.read(latin1Text(readAll(file)), true);
    file.truncateSync(0);
    const bytes = latin1Bytes(store.toString());
    for (let written = 0; written < bytes.length;) {
      written += file.writeSync(bytes.subarray(written));
    }
  } catch {
    // A write that fails leaves what it could, as GNU's.
  } finally {
    file.close();
  }
}

/** A modification time in whole seconds (C's st_mtime). */
function seconds(time: Date | null): number {
  return time ? Math.floor(time.getTime() / 1000) : 0;
}

/** A file's bytes from its start. */
function readAll(file: Deno.FsFile): Uint8Array {
  file.seekSync(0, Deno.SeekMode.Start);
  const chunks: Uint8Array[] = [];
  while (true) {
    const chunk = new Uint8Array(65536);
    const n = file.readSync(chunk);
    if (n === null || n === 0) break;
    chunks.push(chunk.subarray(0, n));
  }
  return concatBytes(chunks);
}
