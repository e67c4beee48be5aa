/**
 * GNU Wget 1.21.3's words for a URL it cannot take (url.c's `url_parse` and `url_error`), said as
 * `URL: PROBLEM.` in place of netkit's own: a URL without a scheme that starts with `/` or `:`
 * (GNU's rewrite_shorthand_url leaves it, so it has none), a scheme GNU does not know, no host,
 * a bad port, an empty user name, a bad IPv6 address, a control character in the host. The URL
 * named is the one GNU parsed: after its shorthand rewrite (`a%0Ab` is `http://a%0Ab`).
 *
 * @module
 */

import { UrlError } from "../../lib/http/url.ts";
import { inetPton } from "../../lib/net/inet.ts";
import { quoteName } from "./quote_name.ts";

/** The schemes GNU wget 1.21.3 (built with TLS) knows, by their leading strings. */
const KNOWN = /^(?:https?|ftps?):\/\//i;

/**
 * Whether GNU wget takes `url` for one without a scheme it can add (`/path`, `:x`, `//host/x`):
 * GNU says `Scheme missing.` where netkit's URL reader would take `http://` before it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { schemeMissing } from "./url_problem.ts";
 *
 * assert.equal(schemeMissing("/foo/bar"), true);
 * assert.equal(schemeMissing("//host/x"), true);
 * assert.equal(schemeMissing("a.b://x/"), true);
 * assert.equal(schemeMissing("localhost:8080/x"), false);
 * assert.equal(schemeMissing("http://h/"), false);
 * ```
 */
export function schemeMissing(url: string): boolean {
  return gnuUrlError(url)?.problem === "Scheme missing";
}

/**
 * GNU's rewrite_shorthand_url: `host[:port][/path]` gets `http://` before it, `host:path`
 * becomes `ftp://host/path`; a URL with a scheme GNU knows, one that starts with `:` or `/`, and
 * one with `://` after its first word are left as they are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rewriteShorthand } from "./url_problem.ts";
 *
 * assert.equal(rewriteShorthand("localhost:8080/x"), "http://localhost:8080/x");
 * assert.equal(rewriteShorthand("a b"), "http://a b");
 * assert.equal(rewriteShorthand("host:dir/f"), "ftp://host/dir/f");
 * assert.equal(rewriteShorthand("x://y"), "x://y");
 * assert.equal(rewriteShorthand("/x"), "/x");
 * ```
 */
export function rewriteShorthand(url: string): string {
  if (KNOWN.test(url)) return url;
  const at = url.search(/[:/]/);
  if (at === 0 || url.startsWith("://", at)) return url;
  if (at > 0 && url[at] === ":") {
    const digits = /^\d*/.exec(url.slice(at + 1))![0].length;
    const after = url[at + 1 + digits];
    if (digits === 0 || (after !== "/" && after !== undefined)) {
      return `ftp://${url.slice(0, at)}/${url.slice(at + 1)}`;
    }
  }
  return `http://${url}`;
}

/**
 * The URLs of an `-i` list's `text`, as GNU's get_urls_file reads them: a line each, the C
 * blanks around it trimmed, empty lines skipped (a `#` line is a URL too), a line without a
 * scheme merged with `base` (`-B`), rewritten as a shorthand; a line GNU's url_parse refuses is
 * left out with its `FILE: Invalid URL URL: PROBLEM` line, said through `notice`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listUrls } from "./url_problem.ts";
 *
 * const said: string[] = [];
 * const urls = listUrls("a\n\n/b\nhttp://:1/\n", "http://h/d/", "l", (line) => said.push(line));
 * assert.deepEqual(urls, ["http://h/d/a", "http://h/b"]);
 * assert.deepEqual(said, ["l: Invalid URL http://:1/: Invalid host name"]);
 * assert.deepEqual(listUrls("# c\n", undefined, "l", (line) => said.push(line)), []);
 * assert.equal(said[1], "l: Invalid URL http://# c: Invalid host name");
 * ```
 */
export function listUrls(
  text: string,
  base: string | undefined,
  file: string,
  notice: (line: string) => void,
): string[] {
  const urls: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "");
    if (line === "") continue;
    const url = rewriteShorthand(base === undefined ? line : merged(base, line));
    const problem = parseProblem(url);
    if (problem === undefined) urls.push(url);
    else notice(`${file}: Invalid URL ${url}: ${problem}`);
  }
  return urls;
}

/**
 * GNU's uri_merge of an -i line with `-B`: a line with a scheme as it is; else resolved against
 * a base that is a URL, or put after a base that is none (up to its last `/`; a line that starts
 * with `/` alone).
 */
function merged(base: string, line: string): string {
  if (/^[a-zA-Z0-9+-]+:/.test(line)) return line;
  if (KNOWN.test(base)) {
    try {
      return new URL(line, base).href;
    } catch {
      return line;
    }
  }
  return line.startsWith("/") ? line : base.slice(0, base.lastIndexOf("/") + 1) + line;
}

/** A URL GNU refuses: the text it names (after its shorthand rewrite) and its words. */
export interface GnuUrlRefusal {
  /** The URL as GNU names it in `URL: PROBLEM.` */
  url: string;
  /** GNU's words, without the final period. */
  problem: string;
}

/**
 * GNU wget's problem with `url` as written on its command line (rewritten as GNU rewrites a
 * shorthand first), or undefined when GNU's url_parse takes it (netkit's own words stand then,
 * for an ftp:// URL say).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gnuUrlError } from "./url_problem.ts";
 *
 * assert.deepEqual(gnuUrlError("a%0Ab"), { url: "http://a%0Ab", problem: "Invalid host name" });
 * assert.equal(gnuUrlError("http://@h/")?.problem, "Invalid user name");
 * assert.equal(gnuUrlError("http://u@x:p@h/")?.problem, "Bad port number");
 * assert.equal(gnuUrlError("http://h/"), undefined);
 * ```
 */
export function gnuUrlError(url: string): GnuUrlRefusal | undefined {
  const text = rewriteShorthand(url);
  const problem = parseProblem(text);
  return problem === undefined ? undefined : { url: text, problem };
}

/**
 * GNU wget's problem with `url` (no final period), or undefined when GNU would take it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gnuUrlProblem } from "./url_problem.ts";
 *
 * assert.equal(gnuUrlProblem("/foo/bar"), "Scheme missing");
 * assert.equal(gnuUrlProblem("http://:80/"), "Invalid host name");
 * assert.equal(gnuUrlProblem("http://h:99999/"), "Bad port number");
 * assert.equal(gnuUrlProblem("http://[::1"), "Unterminated IPv6 numeric address");
 * assert.equal(gnuUrlProblem("http://[zz]/"), "Invalid IPv6 numeric address");
 * assert.equal(gnuUrlProblem("http://[::1]x/"), "Invalid host name");
 * assert.equal(gnuUrlProblem("http://:pw@h/"), "Invalid user name");
 * assert.match(gnuUrlProblem("x://y") ?? "", /^Unsupported scheme .x.$/);
 * assert.equal(gnuUrlProblem("ftp://:21/"), "Invalid host name");
 * assert.equal(gnuUrlProblem("ftp://h/"), undefined);
 * assert.equal(gnuUrlProblem("http://h/"), undefined);
 * ```
 */
export function gnuUrlProblem(url: string): string | undefined {
  return gnuUrlError(url)?.problem;
}

/**
 * Throws a `UrlError` for `url` when GNU wget refuses it (see {@linkcode gnuUrlError}), before
 * anything is asked: netkit's URL reader takes some GNU does not (`http://@host/`,
 * `http://u@x:p@host/`, whose user information ends at the first `@` for GNU).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refuseAsGnu } from "./url_problem.ts";
 *
 * assert.throws(() => refuseAsGnu("http://@127.0.0.1/"), { name: "GnuUrlError" });
 * refuseAsGnu("http://u:p@127.0.0.1/");
 * ```
 */
export function refuseAsGnu(url: string): void {
  const refused = gnuUrlError(url);
  if (refused) throw new GnuUrlError(refused, url);
}

/**
 * A URL GNU wget refuses, with its words (`url` as GNU names it, `problem`): the reporter says
 * `URL: PROBLEM.`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GnuUrlError } from "./url_problem.ts";
 *
 * const error = new GnuUrlError({ url: "http://@h/", problem: "Invalid user name" }, "http://@h/");
 * assert.equal(error.problem, "Invalid user name");
 * ```
 */
export class GnuUrlError extends UrlError {
  /** GNU's words, without the final period. */
  readonly problem: string;
  /** The URL as GNU names it. */
  readonly named: string;
  /** Builds the error for `refused`; `given` is the URL as written. */
  constructor(refused: GnuUrlRefusal, given: string) {
    const named = refused.url;
    super(`${named}: ${refused.problem}`, given);
    this.name = "GnuUrlError";
    this.problem = refused.problem;
    this.named = named;
  }
}

/**
 * Throws a {@linkcode GnuUrlError} for a redirect's `location` GNU wget refuses: merged with
 * `base` (the URL it answered) as GNU's uri_merge, then url_parse's checks, without the
 * shorthand rewrite (`mailto:x` is `Unsupported scheme 'mailto'` in its quotes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refuseLocationAsGnu } from "./url_problem.ts";
 *
 * assert.throws(() => refuseLocationAsGnu("http://@127.0.0.1/", "http://h/"), {
 *   message: "http://@127.0.0.1/: Invalid user name",
 * });
 * refuseLocationAsGnu("/next", "http://h/a");
 * ```
 */
export function refuseLocationAsGnu(location: string, base: string): void {
  let merged = location;
  if (!/^[a-zA-Z0-9+-]+:/.test(location)) {
    try {
      merged = new URL(location, base).href;
    } catch {
      return; // (netkit's own words)
    }
  }
  const problem = parseProblem(merged);
  if (problem !== undefined) throw new GnuUrlError({ url: merged, problem }, merged);
}

/** url.c's url_parse on `url` (already rewritten): its error, in url_error's words. */
function parseProblem(url: string): string | undefined {
  const leading = KNOWN.exec(url);
  if (!leading) {
    // url_has_scheme: letters, digits, `+` and `-`, then `:`.
    const scheme = /^([a-zA-Z0-9+-]+):/.exec(url)?.[1];
    if (scheme === undefined) return "Scheme missing";
    if (scheme.toLowerCase() === "https") return "HTTPS support not compiled in";
    return `Unsupported scheme ${quoteName(scheme)}`;
  }
  const ftp = /^ftp/i.test(url);
  // init_seps: what ends the host (then the port): `:` `/`, `;` for FTP's params, `?` for
  // HTTP's query, and `#`.
  const seps = ftp ? ":/;#" : ":/?#";
  const rest = url.slice(leading[0].length);
  // url_skip_credentials: an `@` before any of `/?#;` ends the user information.
  const stop = rest.search(/[@/?#;]/);
  const userEnd = stop >= 0 && rest[stop] === "@" ? stop + 1 : 0;
  let p = userEnd;
  let host: string;
  if (rest[p] === "[") {
    const close = rest.indexOf("]", p + 1);
    if (close < 0) return "Unterminated IPv6 numeric address";
    if (!validIpv6(rest.slice(p + 1, close))) return "Invalid IPv6 numeric address";
    host = rest.slice(p + 1, close);
    p = close + 1;
    // Trailing garbage after the brackets.
    if (p < rest.length && !seps.includes(rest[p]!)) return "Invalid host name";
  } else {
    const end = endOf(rest, p, seps);
    host = rest.slice(p, end);
    p = end;
  }
  if (host === "") return "Invalid host name";
  if (rest[p] === ":") {
    const end = endOf(rest, p + 1, seps.slice(1));
    const port = rest.slice(p + 1, end);
    // (An empty port is the scheme's; leading zeros are read; port 0 is taken.)
    if (!/^\d*$/.test(port) || Number(port) > 0xffff) return "Bad port number";
  }
  if (userEnd > 0) {
    // parse_credentials: no user name (`@host`, `:password@host`).
    const user = rest.slice(0, userEnd - 1);
    if (user === "" || user.startsWith(":")) return "Invalid user name";
  }
  // The host's %XX escapes (and the control characters reencode_escapes escapes) decoded: a
  // control character there is no host name (a %00 ends it, as a C string).
  const decoded = decodeEscapes(host);
  const cut = decoded.indexOf("\0");
  const name = cut < 0 ? decoded : decoded.slice(0, cut);
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return "Invalid host name";
  }
  return undefined;
}

/** strpbrk_or_eos: where the first of `seps` is in `text` from `from`, or the end. */
function endOf(text: string, from: number, seps: string): number {
  for (let i = from; i < text.length; i++) if (seps.includes(text[i]!)) return i;
  return text.length;
}

/** url_unescape: each `%XX` with two hex digits as its byte (a char here), the rest as it is. */
function decodeEscapes(text: string): string {
  return text.replace(
    /%([0-9a-fA-F]{2})/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
}

/**
 * Whether `text` is an IPv6 address (what goes between the brackets of a URL's host): inet_pton's
 * rules, as GNU's is_valid_ipv6_address follows them.
 */
function validIpv6(text: string): boolean {
  try {
    inetPton(text, 6);
    return true;
  } catch {
    return false;
  }
}
