/**
 * The body of `wget` after its arguments are parsed: GNU wget's options mapped onto
 * `DownloadOptions`, `-i` URL lists, `-O` output files, one download per URL with its events
 * printed, the summary line and GNU wget's exit code.
 *
 * Unlike the rest of `lib/`, this module talks to the user (on stderr), so that `cmd/wget.ts`
 * stays thin; the command imports it only once it has URLs to fetch, which keeps `--help` fast.
 *
 * @module
 */

import { parseCount, UsageError } from "../../lib/cli/command_line.ts";
import {
  download,
  type DownloadEvents,
  downloadExitCode,
  type DownloadOptions,
  type DownloadResult,
  fileErrorText,
  fileWriter,
  WGET_EXIT,
} from "../../lib/download/download.ts";
import { HttpConnectionPool } from "../../lib/http/pool.ts";
import { contentDispositionFileName, MAX_NAME_LENGTH } from "../../lib/download/file_name.ts";
import {
  PROXY_VARIABLES,
  type ProxySettings,
  proxySettingsFromEnv,
} from "../../lib/download/proxy.ts";
import { CookieJar } from "../../lib/download/cookie_jar.ts";
import { openWgetHsts, peekHsts } from "./hsts.ts";
import { homeDirectory } from "./home.ts";
import { parseNetrc } from "../../lib/download/netrc.ts";
import { quoteName, WgetReporter } from "./reporter.ts";
import { listUrls, refuseAsGnu, refuseLocationAsGnu } from "./url_problem.ts";
import { DOT_STYLES } from "./dots.ts";
import { SHORT_USAGE, USAGE_TAIL } from "./spec.ts";
import { listenForHangUp } from "./hang_up.ts";
import { parseWgetTime } from "./time.ts";
import { type HttpUrl, parseHttpUrl } from "../../lib/http/url.ts";
import type { HttpClientOptions } from "../../lib/http/client.ts";
import {
  type AddressConnectorEvents,
  createAddressConnector,
} from "../../lib/download/address_connector.ts";
import type { WgetRecursiveOptions, WgetRecursiveValues } from "./recursive.ts";
import type { SavedFile } from "./convert.ts";
import {
  applyWgetrcSetting,
  checkedOptionValue,
  executeError,
  expandWgetrcTilde,
  INT_MAX,
  parseWgetBytes,
  splitWgetrcLine,
  wgetrcCommandKind,
  type WgetrcTarget,
} from "./wgetrc_command.ts";
import { readWgetrcFiles, type Wgetrc } from "./wgetrc_files.ts";

/** wget's parsed option values, by long name. */
export interface WgetValues extends WgetRecursiveValues {
  "output-document"?: string;
  "directory-prefix"?: string;
  quiet?: boolean;
  "server-response"?: boolean;
  timeout?: string;
  tries?: string;
  waitretry?: string;
  continue?: boolean;
  "no-clobber"?: boolean;
  /** `--unlink`: a file written over is removed first (a hard link keeps the old bytes). */
  unlink?: boolean;
  "max-redirect"?: string;
  "content-disposition"?: boolean;
  "trust-server-names"?: boolean;
  "user-agent"?: string;
  header?: string[];
  "input-file"?: string;
  spider?: boolean;
  "ca-certificate"?: string;
  "no-check-certificate"?: boolean;
  "no-verbose"?: boolean;
  "no-directories"?: boolean;
  "no-host-directories"?: boolean;
  "no-parent"?: boolean;
  "retry-on-http-error"?: string;
  "post-data"?: string;
  "post-file"?: string;
  "body-data"?: string;
  "body-file"?: string;
  method?: string;
  referer?: string;
  user?: string;
  password?: string;
  "http-user"?: string;
  "http-password"?: string;
  "auth-no-challenge"?: boolean;
  timestamping?: boolean;
  "no-if-modified-since"?: boolean;
  backups?: string;
  "no-use-server-timestamps"?: boolean;
  "no-proxy"?: boolean;
  "proxy-user"?: string;
  "proxy-password"?: string;
  execute?: string[];
  "content-on-error"?: boolean;
  "save-headers"?: boolean;
  "retry-connrefused"?: boolean;
  "limit-rate"?: string;
  wait?: string;
  "random-wait"?: boolean;
  base?: string;
  "no-cookies"?: boolean;
  "load-cookies"?: string;
  "save-cookies"?: string;
  "keep-session-cookies"?: boolean;
  /** `--no-hsts` (`hsts = off`): no HSTS store for the run. */
  "no-hsts"?: boolean;
  /** `--hsts-file` (`hsts_file`): the HSTS store instead of `~/.wget-hsts`. */
  "hsts-file"?: string;
  compression?: string;
  "output-file"?: string;
  quota?: string;
  /** `--start-pos` (`start_pos`): each download's bytes from this offset (GNU's bytes syntax). */
  "start-pos"?: string;
  "connect-timeout"?: string;
  "read-timeout"?: string;
  "dns-timeout"?: string;
  certificate?: string;
  "private-key"?: string;
  "certificate-type"?: string;
  "private-key-type"?: string;
  "ca-directory"?: string;
  "append-output"?: string;
  progress?: string;
  "show-progress"?: boolean;
  "ask-password"?: boolean;
  "inet4-only"?: boolean;
  "inet6-only"?: boolean;
  "prefer-family"?: string;
  "ignore-length"?: boolean;
  /** GNU's `glob = off` (`--no-glob`): no wildcard warning. */
  "no-glob"?: boolean;
  "force-html"?: boolean;
  /** `-v`: GNU's full log (the default; an error with -q). */
  verbose?: boolean;
  /** `--no-cache` (`cache = off`): ask proxies and servers for a fresh copy. */
  cache?: boolean;
  /** `--config FILE`: this .wgetrc instead of the system's and the user's. */
  config?: string;
  /** `--no-config`: no .wgetrc at all. */
  "no-config"?: boolean;
  /** `.wgetrc`'s `netrc = off`: no credentials from `~/.netrc`. */
  netrc?: boolean;
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/**
 * Applies the `.wgetrc` files' lines, then the `-e` commands the command-line reader left (the ones
 * that set no option: proxies, commands netkit ignores or lacks, bad values), to the option values;
 * returns the proxy settings they name. GNU wget runs the `.wgetrc` lines before its command line:
 * an option the command line set (an `-e` there included) keeps its value, and a list option
 * (`accept`, `header`, ...) holds the files' entries first.
 */
const applyExecute = (function applyExecute(
  values: WgetValues,
  rcs: readonly Wgetrc[] = [],
  warnings: string[] = [],
): Record<string, string> {
  const proxies: Record<string, string> = {};
  const mutable = values as Record<string, unknown>;
  // The options the command line set: no .wgetrc line changes them.
  const given = new Set(Object.keys(values).filter((key) => mutable[key] !== undefined));
  const fileLists: Record<string, string[]> = {};
  const underCommandLine: WgetrcTarget = {
    set: (key, value) => void (given.has(key) || (mutable[key] = value)),
    add: (key, value) => void (fileLists[key] ??= []).push(value),
  };
  const onTop: WgetrcTarget = {
    set: (key, value) => void (mutable[key] = value),
    add: (key, value) => void ((mutable[key] ??= []) as string[]).push(value),
  };
  let homeFound: { home: string | undefined } | undefined;
  const home = () => (homeFound ??= { home: homeDirectory() }).home;
  const apply = (command: string, target: WgetrcTarget, where?: string) => {
    // The .wgetrc files were checked when read, and each -e where it stood on the command line;
    // a command left in `execute` by a caller that did not check it is checked here.
    const error = where === undefined ? executeError(command) : undefined;
    if (error !== undefined) throw new UsageError(error);
    const line = splitWgetrcLine(command);
    if (line === undefined) return;
    const { name } = line;
    // A .wgetrc line's file value may start with ~/ (GNU expands it there, not in -e).
    const value = where === undefined ? line.value : expandWgetrcTilde(name, line.value, home());
    const kind = wgetrcCommandKind(name);
    if (kind === "option") {
      const applied = applyWgetrcSetting(target, name, value, line.written);
      if (typeof applied === "string") throw new UsageError(applied);
    } else if (kind === "proxy") {
      proxies[name] = value;
    } else if (kind === "unsupported") {
      warnings.push(`wget: "${line.written}" is not supported; ignored`);
    }
    // "ignored": no effect on HTTP downloads.
  };
  // The .wgetrc files first (the system's, then the user's; a later line wins).
  for (const rc of rcs) {
    for (const [index, raw] of rc.text.split("\n").entries()) {
      const line = raw.trim();
      if (line !== "" && !line.startsWith("#")) {
        apply(line, underCommandLine, `in ${rc.path} at line ${index + 1}`);
      }
    }
  }
  // The files' list entries before the command line's (an empty entry there clears them).
  for (const [key, entries] of Object.entries(fileLists)) {
    mutable[key] = [...entries, ...((mutable[key] as string[] | undefined) ?? [])];
  }
  for (const command of values.execute ?? []) apply(command, onTop);
  return proxies;
}).bind(undefined);

/** A combination GNU wget refuses with its own line and exit 1 (no usage text). */
class RefusedError extends Error {}

/** GNU wget's precedence when several URLs fail: the lowest code wins, except that 1 loses. */
/** Whether the values ask for -r, -m or -p (checked before loading the recursion). */
const isRecursive = (function isRecursive(values: WgetRecursiveValues): boolean {
  return Boolean(values.recursive || values.mirror || values["page-requisites"]);
}).bind(undefined);

/** Removes a file fetched with `--delete-after`, saying so in the verbose log as GNU wget. */
function removeAfter(path: string, reporter: WgetReporter): void {
  reporter.verbose(`Removing ${path}.`);
  try {
    Deno.removeSync(path);
  } catch (error) {
    reporter.error(`unlink: ${fileErrorText(error)}`);
  }
}

function worse(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0) return a;
  if (a === WGET_EXIT.generic) return b;
  if (b === WGET_EXIT.generic) return a;
  return Math.min(a, b);
}

/** Maps the option values onto download options; throws {@linkcode UsageError}. */
const downloadOptions = (function downloadOptions(
  values: WgetValues,
  proxies: Record<string, string>,
  connectorEvents: AddressConnectorEvents,
): DownloadOptions {
  // An empty --header clears the ones before it, as GNU wget's.
  const headerLines = values.header ?? [];
  const cleared = headerLines.lastIndexOf("");
  const headers = headerLines.slice(cleared + 1).map((line): [string, string] => {
    const colon = checkedOptionValue("header", line).indexOf(":");
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
  const options: DownloadOptions = {
    headers,
    // -P "" (an empty variable) is the current directory, as GNU wget takes it.
    directory: values["directory-prefix"] || undefined,
    noClobber: values["no-clobber"],
    unlink: values.unlink,
    // -x writes over a file of the name, as GNU's ALLOW_CLOBBER (its dirstruct), not NAME.1.
    clobber: values["force-directories"] && !values["no-directories"],
    resume: values.continue,
    contentDisposition: values["content-disposition"],
    trustServerNames: values["trust-server-names"],
    spider: values.spider,
    checkCertificate: !values["no-check-certificate"],
    // A GET or HEAD meeting a kept-alive connection the server closed is sent again at once on a
    // new one; a PUT or DELETE, as a POST, is a failed try when the close comes at the request
    // (GNU's log and -t for it).
    resendAfterClose: "safe",
  };
  if (values["user-agent"] !== undefined) options.userAgent = values["user-agent"];
  // -T sets GNU's three timeouts; each of --dns-timeout, --connect-timeout and --read-timeout
  // then overrides its own. 0 is no limit.
  const all = values.timeout === undefined ? undefined : parseWgetTime(values.timeout, "--timeout");
  const timeout = (name: "dns-timeout" | "connect-timeout" | "read-timeout") => {
    const ms = values[name] === undefined ? all : parseWgetTime(values[name]!, `--${name}`);
    return ms === 0 ? 2 ** 31 - 1 : ms;
  };
  // GNU wget sets no connect deadline of its own unless told (the system's then applies).
  options.connectTimeoutMs = timeout("connect-timeout") ?? 2 ** 31 - 1;
  options.readTimeoutMs = timeout("read-timeout");
  const dnsTimeoutMs = timeout("dns-timeout");
  // Checked here too for -r's sake: GNU refuses a bad one with or without it.
  if (values["regex-type"] !== undefined) checkedOptionValue("regex-type", values["regex-type"]);
  const prefer = values["prefer-family"] === undefined
    ? undefined
    : checkedOptionValue("prefer-family", values["prefer-family"]).toLowerCase();
  const connector = createAddressConnector({
    family: values["inet4-only"] ? 4 : values["inet6-only"] ? 6 : 0,
    preferFamily: prefer === "ipv4" ? 4 : prefer === "ipv6" ? 6 : undefined,
    dnsTimeoutMs,
    events: connectorEvents,
  });
  options.connectVia = connector;
  // As GNU wget: a kept-alive connection serves another name whose addresses hold its peer.
  options.addressesOf = connector.addressesOf;
  // An empty value (`-t "$TRIES"` unset) leaves GNU wget's default, as GNU's parser does.
  if (values.tries) {
    options.tries = parseCount(values.tries, "--tries", 0, INT_MAX);
  }
  if (values.waitretry !== undefined) {
    options.retryWaitMs = parseWgetTime(values.waitretry, "--waitretry");
  }
  if (values["max-redirect"] !== undefined) {
    // GNU wget reads an empty value as 0.
    const text = values["max-redirect"] || "0";
    options.maxRedirects = parseCount(text, "--max-redirect", 0, INT_MAX);
  }
  if (values["retry-on-http-error"] !== undefined) {
    // GNU's list, each entry read as C's atoi reads it when an answer comes (`x` is 0, which no
    // answer has): nothing refused.
    options.retryOnHttpError = values["retry-on-http-error"].split(",").map((code) =>
      Number(/^\s*([-+]?\d*)/.exec(code)![1]!.replace(/^[-+]?$/, "0"))
    );
  }
  // An empty --method is none, as GNU wget takes it.
  if (values.method === "") delete values.method;
  // The body options' conflicts, refused in GNU wget's words, exit 1 (no usage text).
  const post = values["post-data"] !== undefined || values["post-file"] !== undefined;
  const body = values["body-data"] !== undefined || values["body-file"] !== undefined;
  if (post && values.method !== undefined) {
    throw new RefusedError(
      "You cannot use --post-data or --post-file along with --method. --method expects data " +
        "through --body-data and --body-file options",
    );
  }
  if (values["post-data"] !== undefined && values["post-file"] !== undefined) {
    throw new RefusedError("You cannot specify both --post-data and --post-file.");
  }
  if (values["body-data"] !== undefined && values["body-file"] !== undefined) {
    throw new RefusedError("You cannot specify both --body-data and --body-file.");
  }
  if (body && values.method === undefined) {
    throw new RefusedError(
      "You must specify a method through --method=HTTPMethod to use with --body-data or " +
        "--body-file.",
    );
  }
  if (post) options.method = "POST";
  if (values.method !== undefined) options.method = values.method.toUpperCase();
  const data = values["post-data"] ?? values["body-data"];
  if (data !== undefined) options.body = data;
  // download() and the recursion add it (a link's page replaces it under -r, as GNU's).
  options.referer = values.referer;
  if (values.cache === false) {
    // GNU wget's --no-cache: both headers, for HTTP/1.1 caches and HTTP/1.0 proxies.
    headers.push(["Cache-Control", "no-cache"], ["Pragma", "no-cache"]);
  }
  const user = values["http-user"] ?? values.user;
  const password = values["http-password"] ?? values.password;
  // GNU wget sends credentials only when it has both (the missing one may come from .netrc).
  if (user !== undefined && password !== undefined) {
    options.credentials = { username: user, password };
  }
  options.authNoChallenge = values["auth-no-challenge"];
  options.adjustExtension = values["adjust-extension"];
  options.basicAuthOrigins = new Set();
  options.timestamping = values.timestamping;
  options.timestampingByHead = values["no-if-modified-since"];
  options.useServerTimestamps = !values["no-use-server-timestamps"];
  if (values.backups !== undefined) {
    options.backups = parseCount(values.backups, "--backups", 0, INT_MAX);
  }
  options.contentOnError = values["content-on-error"];
  for (const name of ["certificate-type", "private-key-type"] as const) {
    const type = values[name];
    if (type !== undefined) values[name] = checkedOptionValue(name, type);
  }
  const compression = checkedOptionValue("compression", values.compression ?? "none") as
    | "auto"
    | "gzip"
    | "none";
  options.compression = compression;
  // --start-pos=OFFSET (any value, 0 too, counts as given, as GNU's opt.start_pos >= 0).
  const startPos = values["start-pos"] === undefined
    ? undefined
    : parseWgetBytes(values["start-pos"], "--start-pos");
  if (compression === "gzip" && (options.resume || startPos !== undefined)) {
    // GNU wget 1.21 keeps --compression=gzip and drops -c and --start-pos, with this line, even
    // under -q (auto keeps them, and is dropped itself, below).
    console.error(
      "Compression does not work with --continue or --start-pos, they will be disabled.",
    );
    options.resume = false;
    values.continue = false;
  } else if (startPos !== undefined) {
    // GNU's --compression=auto is off beside --start-pos; -c beside it is dropped, with this line
    // (even under -q).
    if (compression === "auto") options.compression = "none";
    if (options.resume) {
      console.error(
        "Specifying both --start-pos and --continue is not recommended; --continue will be disabled.",
      );
      options.resume = false;
      values.continue = false;
    }
    if (startPos > 0) options.startPos = startPos;
  } else if (compression === "auto" && options.resume) {
    // GNU's --compression=auto is off beside -c too (its main.c): every body asked for and
    // stored as sent, a Range's and a whole one's.
    options.compression = "none";
  }
  if (values["ignore-length"]) {
    // GNU wget then asks the server to close: the body ends where the connection does.
    options.ignoreContentLength = true;
    headers.push(["Connection", "Close"]);
  }
  options.saveHeaders = values["save-headers"];
  options.retryConnectionRefused = values["retry-connrefused"];
  if (values["limit-rate"] !== undefined) {
    options.limitBytesPerSecond = parseWgetBytes(values["limit-rate"], "--limit-rate");
  }
  if (!values["no-proxy"]) {
    // Each variable by name: the compiled binary may read only these.
    const env = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, Deno.env.get(name)]));
    const fromEnv = proxySettingsFromEnv(env);
    const settings: ProxySettings = {
      http: proxies.httpproxy ?? fromEnv.http,
      https: proxies.httpsproxy ?? fromEnv.https,
      noProxy: proxies.noproxy ?? fromEnv.noProxy,
    };
    const proxyUser = values["proxy-user"];
    const proxyPassword = values["proxy-password"];
    if (proxyUser !== undefined || proxyPassword !== undefined) {
      // --proxy-user/--proxy-password win over credentials in the proxy's URL.
      for (const key of ["http", "https"] as const) {
        const url = settings[key];
        if (!url) continue;
        const parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`);
        parsed.username = encodeURIComponent(proxyUser ?? "");
        parsed.password = encodeURIComponent(proxyPassword ?? "");
        settings[key] = parsed.href;
      }
    }
    if (settings.http || settings.https) options.proxy = settings;
  }
  return options;
}).bind(undefined);

/**
 * The URLs an `-i` file read as HTML (`-F`) links to, in document order: what `<a href>`, `<img
 * src>` and the like name, relative ones against `-B` (or the page's `<base href>`); links that
 * resolve to no http(s) URL are left out. Without a base (no `-B`, no absolute `<base href>`
 * before it) a link without a scheme (`x.html`, `//host/x`, `#top`, a `<base href>` of that
 * kind too) is left out with GNU wget's `FILE: Cannot resolve incomplete link LINK.`, said through
 * `notice` (`FILE` the -i file as named).
 */
async function urlsOfHtml(
  text: string,
  base: string | undefined,
  file: string,
  notice: (line: string) => void,
): Promise<string[]> {
  const { extractHtmlLinks } = await import("../../lib/download/links.ts");
  // Without -B the links are resolved against a base of no use but to let `//host/x` parse:
  // those without a scheme are then left out below, as GNU's append_url leaves them.
  const { links } = extractHtmlLinks(text, base ?? "http://netkit.invalid/");
  const urls: string[] = [];
  // GNU's url_has_scheme: letters, digits, `+` and `-`, then `:` (the blanks around a value go).
  // A scheme other than http(s) (`mailto:`, `1a:b`) is no URL GNU's url_parse takes.
  const scheme = (raw: string) => /^([a-z0-9+-]+):/i.exec(trimHtmlBlanks(raw))?.[1];
  let resolvable = base !== undefined;
  for (const link of links) {
    const written = scheme(link.raw);
    if (!resolvable && written === undefined) {
      notice(`${file}: Cannot resolve incomplete link ${trimHtmlBlanks(link.raw)}.`);
      continue;
    }
    if (written !== undefined && !/^https?$/i.test(written)) continue;
    // GNU takes an absolute <base href> (one it can parse) as the base of the links after it.
    if (link.base) resolvable ||= /^https?:/i.test(link.url);
    else if (!link.ignore && /^https?:/i.test(link.url)) urls.push(link.url);
  }
  return urls;
}

/**
 * The URLs of an -i list fetched from its URL (`wget -i http://host/list.txt`), read from the
 * file it was saved to, as GNU wget reads it: as HTML with `-F` or when the answer was a page
 * (no `-F` needed; a copy already here under `-nc` by its `.html` name), else a line each;
 * relative links against `-B`, else the list's URL; `refused` is called for each line GNU's
 * url_parse refuses.
 */
async function urlsOfFetchedList(
  result: DownloadResult,
  values: WgetValues,
  reporter: WgetReporter,
  refused: () => void,
): Promise<string[]> {
  const path = result.path;
  if (path === undefined) return [];
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    reporter.notice(`${path}: ${fileErrorText(error)}`);
    return [];
  }
  const { pageKind } = await import("../../lib/download/page_kind.ts");
  const page = result.skipped === undefined
    ? pageKind(result.contentType) === "html"
    : /\.html?$/i.test(path);
  const base = values.base ?? result.url;
  return values["force-html"] || page
    ? await urlsOfHtml(text, base, path, (line) => reporter.notice(line))
    : listUrls(text, base, path, (line) => {
      reporter.notice(line);
      refused();
    });
}

/** A value without the HTML blanks around it, as GNU wget reads a URL attribute. */
function trimHtmlBlanks(value: string): string {
  return value.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, "");
}

/**
 * Prints `text` on stderr, wget's log before the reporter exists: a write that fails (`2>/dev/full`)
 * is dropped and changes no exit code, as GNU's (cmd/_wget/log_output.ts).
 */
function say(text: string): void {
  try {
    console.error(text);
  } catch {
    // The log cannot be written: the exit code stays the command's own.
  }
}

/** A bad option value in one line, as GNU wget's (no usage text): exit 2. */
function sayValueError(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  say(`wget: ${message.split("\n")[0]}`);
  return WGET_EXIT.parse;
}

/**
 * Downloads every URL as GNU wget does and returns its exit code (0-8); prints progress and
 * errors on stderr (a bad value in one line, as GNU's).
 *
 * @param values The parsed options.
 * @param urls The URL arguments (`-i` adds more).
 * @param wgetrcs The `.wgetrc` files, read and checked with the command line; read here when not
 * given.
 * @returns GNU wget's exit code: 0 ok, 2 usage, 3 file I/O, 4 network, ... 8 server error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runWget } from "./command.ts";
 *
 * assert.equal(await runWget({ header: ["no colon"] }, ["http://127.0.0.1/"]), 2);
 * ```
 */
export const runWget = (async function runWget(
  values: WgetValues,
  urls: readonly string[],
  wgetrcs?: readonly Wgetrc[],
): Promise<number> {
  let options: DownloadOptions;
  let waitMs = 0;
  let quota: number | undefined;
  const all = [...urls];
  let rcs: readonly Wgetrc[];
  let recursive: WgetRecursiveOptions | undefined;
  let naming: PlainNaming | undefined;
  if (wgetrcs === undefined) {
    // Not read with the command line (a command line of URLs only): read and checked now.
    const read = readWgetrcFiles(values, say);
    if (typeof read === "number") return read;
    rcs = read;
  } else {
    rcs = wgetrcs;
  }
  let proxies: Record<string, string>;
  // Filled with the reporter's callbacks once it exists.
  const connectorEvents: AddressConnectorEvents = {};
  const warnings: string[] = [];
  try {
    // .wgetrc and -e first: they may set any option, -r and headers included.
    proxies = applyExecute(values, rcs, warnings);
  } catch (error) {
    return sayValueError(error);
  }
  if (!values.quiet) { for (const warning of warnings) say(warning); }
  if (values["inet4-only"] && values["inet6-only"]) {
    // GNU wget's words and exit code (1, not the usage error's 2).
    say(`Cannot specify both --inet4-only and --inet6-only.\n${SHORT_USAGE}`);
    return WGET_EXIT.generic;
  }
  if (values["ask-password"] && values.password !== undefined) {
    // GNU wget's words and exit code; --http-password is no conflict there (it wins over the
    // prompt's answer).
    say(`Cannot specify both --ask-password and --password.\n${SHORT_USAGE}`);
    return WGET_EXIT.generic;
  }
  if (values["ask-password"] && values.user === undefined && values["http-user"] === undefined) {
    // GNU's warning, even under -q.
    say("WARNING: No username set with --ask-password. This is usually not what you want.");
  }
  if (values["no-clobber"] && (values["convert-links"] || values["convert-file-only"])) {
    // GNU wget's words, even with -q; -k wins.
    const option = values["convert-links"] ? "--convert-links" : "--convert-file-only";
    say(`Both --no-clobber and ${option} were specified, only ${option} will be used.`);
    values["no-clobber"] = false;
  }
  // --convert-file-only converts too, only less (-O's check below tells the two apart).
  const convertLinksGiven = values["convert-links"] ?? false;
  if (values["convert-file-only"]) values["convert-links"] = true;
  if (values.verbose && values.quiet) {
    say(`Can't be verbose and quiet at the same time.\n${SHORT_USAGE}`);
    return WGET_EXIT.generic;
  }
  if (values.verbose) values["no-verbose"] = false;
  // --method=HEAD downloads nothing: GNU wget runs it as --spider (its main.c sets spider).
  if (values.method?.toUpperCase() === "HEAD") values.spider = true;
  if ((values.timestamping ?? values.mirror) && values["no-clobber"]) {
    // GNU wget refuses the pair before any request, with exit 1 (-m is -N too).
    say(`Can't timestamp and not clobber old files at the same time.\n${SHORT_USAGE}`);
    return WGET_EXIT.generic;
  }
  if (
    values["output-document"] !== undefined && values["convert-links"] &&
    (urls.length > 1 || isRecursive(values))
  ) {
    // GNU wget: -k cannot rewrite one file made of several documents.
    say(
      "Cannot specify both -k or --convert-file-only and -O if multiple URLs are given, or in " +
        `combination\nwith -p or -r. See the manual for details.\n\n${SHORT_USAGE}`,
    );
    return WGET_EXIT.generic;
  }
  // -r, -m, -p: the recursion lives in its own module, loaded only when asked for.
  const recursion = isRecursive(values) ? await import("./recursive.ts") : undefined;
  try {
    options = downloadOptions(values, proxies, connectorEvents);
    recursive = recursion?.recursiveOptions(values);
    if (!recursion) naming = await plainNaming(values);
    if (values.wait !== undefined) waitMs = parseWgetTime(values.wait, "--wait");
    if (values.quota !== undefined) quota = parseWgetBytes(values.quota, "--quota");
  } catch (error) {
    if (error instanceof RefusedError) {
      say(error.message);
      return WGET_EXIT.generic;
    }
    return sayValueError(error);
  }
  // -o FILE / -a FILE: every message goes there instead of stderr.
  const logPath = values["append-output"] ?? values["output-file"];
  let log: Deno.FsFile | undefined;
  if (logPath !== undefined) {
    try {
      const append = values["append-output"] !== undefined;
      log = Deno.openSync(logPath, { write: true, create: true, append, truncate: !append });
    } catch (error) {
      // GNU wget's exit code here is 1.
      say(`wget: ${logPath}: ${fileErrorText(error)}`);
      return WGET_EXIT.generic;
    }
  }
  try {
    const pacing = { waitMs, quota, given: urls.length, naming };
    const walk = recursion && recursive
      ? { run: recursion.runRecursive, options: recursive }
      : undefined;
    return await runWithLog(
      values,
      all,
      options,
      { ...pacing, walk, convertLinksGiven },
      log,
      connectorEvents,
    );
  } finally {
    log?.close();
  }
}).bind(undefined);

const runWithLog = (async function runWithLog(
  values: WgetValues,
  all: string[],
  options: DownloadOptions,
  pacing: {
    waitMs: number;
    quota: number | undefined;
    given: number;
    naming?: PlainNaming | undefined;
    walk?: {
      run: typeof import("./recursive.ts").runRecursive;
      options: WgetRecursiveOptions;
    } | undefined;
    /** `-k` itself was given (not only `--convert-file-only`). */
    convertLinksGiven?: boolean;
  },
  log: Deno.FsFile | undefined,
  connectorEvents: AddressConnectorEvents,
): Promise<number> {
  const { waitMs, quota } = pacing;
  const quiet = values.quiet ?? false;
  const reporter = new WgetReporter({
    quiet,
    serverResponse: values["server-response"],
    nonVerbose: values["no-verbose"],
    progress: values.progress,
    showProgress: values["show-progress"],
    ignoreLength: values["ignore-length"],
    spider: values.spider,
    wildcardWarning: !values["no-glob"],
    recursive: pacing.walk !== undefined,
    // -m is -N too; with -r -O GNU wget says nothing of times either.
    timestamping: (values.timestamping ?? (pacing.walk !== undefined && values.mirror)) &&
      values["output-document"] === undefined,
    log,
    proxy: options.proxy,
  });
  // --no-check-certificate: what is wrong with a certificate is said all the same, as GNU's.
  if (options.checkCertificate === false) {
    options.onCertificateWarning = (problems) => reporter.certificate(problems, "WARNING");
  }
  // SIGHUP (the terminal hung up) and SIGUSR1: the run goes on, its log in wget-log, as GNU's.
  using _hangUp = listenForHangUp(reporter, log !== undefined);
  Object.assign(connectorEvents, reporter.connectorEvents);
  if (values["ask-password"]) {
    // GNU's prompt names --user only (not --http-user); the answer is --password's, which then
    // wins over --http-password, as --user over --http-user (http.c's priorities under
    // --ask-password); an empty answer (or none) ends wget, silently, exit 1.
    const prompt = values.user === undefined
      ? "Password: "
      : `Password for user ${quoteName(values.user)}: `;
    let password: string;
    try {
      password = await askPassword(prompt);
    } catch (error) {
      reporter.error(`wget: ${(error as Error).message}`);
      return WGET_EXIT.generic;
    }
    if (password === "") return WGET_EXIT.generic;
    const user = values.user ?? values["http-user"];
    if (user !== undefined) options.credentials = { username: user, password };
  }
  // The TLS files (--ca-certificate, --ca-directory, --certificate, --private-key): read when the
  // first HTTPS connection is set up, as GNU's ssl_init; a plain-HTTP run never opens them.
  options.tlsFiles = tlsFilesOnce(values, reporter);
  // Files named by other options: read before any request; a failure names the file, as GNU's.
  let reading = "";
  /** The -i list, when it named no URL. */
  let emptyList: string | undefined;
  /** Why the -i list could not be read, in GNU's words. */
  let listError: string | undefined;
  /** Where an -i list given as a URL stands among the URLs: fetched, then read. */
  let listAt: number | undefined;
  /** What reading the -i file said, said when GNU reads it: after the URLs given. */
  const listNotices: string[] = [];
  /** An -i line GNU's url_parse refused: its URLERROR counts in the exit code (1 alone). */
  let listRefused = false;
  const refusedCode = () => listRefused ? WGET_EXIT.generic : WGET_EXIT.ok;
  const sayListNotices = () => {
    for (const line of listNotices.splice(0)) reporter.notice(line);
  };
  /** Why the --post-file/--body-file could not be read: said for each URL, as GNU's. */
  let bodyFileError: string | undefined;
  try {
    const bodyFile = values["post-file"] ?? values["body-file"];
    if (bodyFile !== undefined) {
      try {
        options.body = await Deno.readFile(bodyFile);
      } catch (error) {
        // GNU reads it at each request (after the URL's `--DATE--` line), the run going on.
        if (!(error instanceof Deno.errors.NotFound)) {
          reading = bodyFile;
          throw error;
        }
        bodyFileError = fileErrorText(error);
      }
    }
    const home = homeDirectory();
    if (options.credentials === undefined && home !== undefined && values.netrc !== false) {
      // GNU wget reads ~/.netrc for hosts that ask for a password; a missing file is no error.
      const netrc = `${home}/.netrc`;
      try {
        // Its `default` entry is not used for HTTP, as in GNU wget.
        const lookup = parseNetrc(Deno.readTextFileSync(netrc), { useDefault: false });
        // --user alone takes the password of the host's entry for that login (--password alone,
        // the entry's login), as GNU's search_netrc.
        const user = values["http-user"] ?? values.user;
        const password = values["http-password"] ?? values.password;
        options.credentialsFor = (host) => {
          const entry = lookup(host);
          if (!entry || (user !== undefined && entry.username !== user)) return undefined;
          return { username: user ?? entry.username, password: password ?? entry.password };
        };
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) {
          reading = netrc;
          throw error;
        }
      }
    }
    if (!values["no-cookies"]) {
      options.cookies = new CookieJar();
      options.cookies.onForeignDomain = (host, domain) =>
        reporter.notice(`Cookie coming from ${host} attempted to set domain to ${domain}`);
      const load = values["load-cookies"];
      if (load !== undefined) {
        // A cookies file that is not there yet (the first run of a login script that loads and
        // saves the same file) is no error: GNU wget says so and goes on.
        let text: string | undefined;
        try {
          text = await Deno.readTextFile(load);
        } catch (error) {
          reporter.notice(`Cannot open cookies file ${quoteName(load)}: ${fileErrorText(error)}`);
        }
        if (text !== undefined) options.cookies.load(text);
      }
    }
    const list = values["input-file"];
    if (list !== undefined && list !== "-" && /^https?:\/\//i.test(list)) {
      // GNU wget: an -i URL is fetched as a URL after those given, then read from its file.
      listAt = all.push(list) - 1;
    } else if (list !== undefined) {
      let text = "";
      try {
        text = list === "-"
          ? await new Response(Deno.stdin.readable).text()
          : await Deno.readTextFile(list);
      } catch (error) {
        // GNU wget: a list it cannot read names no URL (said after the URLs given as
        // arguments, which are fetched all the same), and is no error of the exit code.
        listError = fileErrorText(error);
      }
      const listed = values["force-html"]
        ? await urlsOfHtml(text, values.base, list, (line) => listNotices.push(line))
        : listUrls(text, values.base, list, (line) => {
          listNotices.push(line);
          listRefused = true;
        });
      all.push(...listed);
      if (listed.length === 0) emptyList = list;
    }
  } catch (error) {
    reporter.error(`wget: ${reading}: ${fileErrorText(error)}`);
    return WGET_EXIT.fileIo;
  }
  // GNU wget: an -i list with nothing in it is no error ("No URLs found in FILE.", after the
  // URLs given as arguments), so `... | wget -i -` with nothing to fetch exits 0.
  const noUrlsFound = () => {
    sayListNotices();
    if (listError !== undefined) reporter.notice(`${emptyList}: ${listError}`);
    if (emptyList !== undefined) reporter.notice(`No URLs found in ${emptyList}.`);
  };
  if (all.length === 0 && emptyList !== undefined) {
    noUrlsFound();
    return refusedCode();
  }
  if (all.length === 0) {
    // GNU wget's exit code for a missing URL is 1, not the usage error's 2.
    say(`wget: missing URL\n${USAGE_TAIL}`);
    return WGET_EXIT.generic;
  }
  const [progressType, dotStyle] = (values.progress ?? "").split(":");
  const showsProgress = values["show-progress"] ?? (!quiet && !values["no-verbose"]);
  if (showsProgress && progressType === "dot" && dotStyle && !DOT_STYLES[dotStyle.toLowerCase()]) {
    // GNU's warning, on stderr whatever the log, when the progress is set up (after the URLs are known).
    say(`Invalid dot style specification ${quoteName(dotStyle)}; leaving unchanged.`);
  }

  let sink: Deno.FsFile | undefined;
  const output = values["output-document"];
  if (output !== undefined && pacing.walk) {
    // GNU wget's warning (not with -q): every document of the recursion goes into FILE.
    reporter.notice(
      "WARNING: combining -O with -r or -p will mean that all downloaded content\n" +
        "will be placed in the single file you specified.\n",
    );
  }
  if (output !== undefined && (values.timestamping ?? (pacing.walk && values.mirror))) {
    // GNU wget's warning (in the log, so not with -q), after the one above; -N (-m's too) then
    // does nothing.
    reporter.notice(
      "WARNING: timestamping does nothing in combination with -O. See the manual\nfor details.\n",
    );
  }
  if (output !== undefined && output !== "-") {
    // -nc -O FILE leaves an existing FILE alone: checked before FILE is opened, which truncates.
    if (options.noClobber && pathExists(output)) {
      // GNU says so in the verbose log only.
      if (!quiet && !values["no-verbose"]) {
        reporter.error(`File ${quoteName(output)} already there; not retrieving.`);
      }
      return WGET_EXIT.generic;
    }
    if (values.unlink) {
      // --unlink: a new FILE (a hard link to the old one keeps its bytes); GNU's unlink, whose
      // failure it does not check, with -c too.
      try {
        if (!Deno.lstatSync(output).isDirectory) Deno.removeSync(output);
      } catch {
        // Not there (or not removable: the open says why).
      }
    }
    try {
      // -O truncates, as GNU wget's does; with -c it appends to what is there.
      sink = Deno.openSync(output, {
        write: true,
        create: true,
        truncate: !options.resume,
        append: options.resume ?? false,
      });
    } catch (error) {
      // GNU wget's perror line: "out: Is a directory", exit 1.
      reporter.error(`${output}: ${fileErrorText(error)}`);
      return WGET_EXIT.generic;
    }
  }
  if (output !== undefined && !(sink?.statSync().isFile ?? false)) {
    // GNU wget: -r and -k need -O to be a regular file (standard output never counts, even
    // redirected to one), checked once it is open; exit 1 even with -q. -p alone may stream.
    const recursion = values.recursive || values.mirror;
    const message = pacing.convertLinksGiven || recursion
      ? "-k or -r can be used together with -O only if outputting to a regular file."
      : values["convert-file-only"]
      ? "--convert-links or --convert-file-only can be used together only if outputting to a " +
        "regular file."
      : undefined;
    if (message !== undefined) {
      sink?.close();
      console.error(message);
      return WGET_EXIT.generic;
    }
  }
  if (output !== undefined) {
    options.output = { name: output, writer: fileWriter(sink ?? Deno.stdout, output) };
  }

  options.events = reporter.events;
  // A Location GNU's url_parse refuses fails with its words.
  options.checkLocation = refuseLocationAsGnu;
  if (bodyFileError !== undefined) {
    // GNU's FILEBADFILE for each URL (the walk's start URLs too), before any connection: exit 3.
    const bodyFile = (values["post-file"] ?? values["body-file"])!;
    for (const url of all) {
      try {
        refuseAsGnu(url);
        reporter.events.request?.(parseHttpUrl(url), options.method ?? "POST");
      } catch (error) {
        reporter.fail(error);
        continue;
      }
      reporter.notice(`BODY data file ${quoteName(bodyFile)} missing: ${bodyFileError}`);
    }
    sink?.close();
    return WGET_EXIT.fileIo;
  }
  // GNU's HSTS store, read before the first request, written back at the end (after cookies).
  const hsts = openWgetHsts(values, (line) => reporter.notice(line));
  if (hsts) options.hsts = hsts.store;
  if (pacing.walk) {
    /** An -i URL's own file, fetched before the walk (as GNU's retrieve_url, no recursion). */
    let listed: { files: number; bytes: number } | undefined;
    let listStatus: number = WGET_EXIT.ok;
    const downloaded: { url: string; path: string; kind: "html" | "css" | "other" }[] = [];
    if (listAt !== undefined) {
      const list = all.splice(listAt, 1)[0]!;
      // One pool for the list and the walk: the walk goes on on the list's connection.
      options.pool = new HttpConnectionPool();
      listed = { files: 0, bytes: 0 };
      try {
        // Named as the walk names its files (GNU's -r has -x's directories unless -nd).
        const naming = values["no-directories"]
          ? undefined
          : await plainNaming({ ...values, "force-directories": true });
        const result = await download(list, {
          ...options,
          // (Written over, as GNU's -r writes over files in its directories.)
          clobber: !values["no-directories"] && !options.noClobber,
          ...(naming?.directoryFor
            ? { directory: naming.directoryFor(list, options.directory) }
            : {}),
          ...(naming?.fileNameForUrl ? { fileNameForUrl: naming.fileNameForUrl } : {}),
        });
        reporter.finish(result);
        if (result.skipped === undefined && result.path !== undefined) {
          listed = { files: 1, bytes: result.bytes };
        }
        if (result.path !== undefined) {
          // A file of the run's: a link to it reads it, -k converts it (GNU's register_download).
          const { pageKind } = await import("../../lib/download/page_kind.ts");
          const kind = result.skipped === undefined
            ? pageKind(result.contentType)
            : /\.html?$/i.test(result.path)
            ? "html"
            : "other";
          downloaded.push({ url: result.finalUrl, path: result.path, kind });
        }
        all.push(...await urlsOfFetchedList(result, values, reporter, () => listRefused = true));
      } catch (error) {
        reporter.fail(error);
        listStatus = downloadExitCode(error);
      }
      if (all.length === pacing.given) emptyList = list;
    }
    // (Under -r the list's URLs are walked with those given: its lines come first.)
    sayListNotices();
    const code = await pacing.walk.run(
      { ...pacing.walk.options, downloaded },
      all,
      options,
      reporter,
      quiet,
      { afterWalk: noUrlsFound, before: listed },
    );
    if (listAt !== undefined) await options.pool?.close();
    hsts?.save();
    return worse(worse(listStatus, code), refusedCode());
  }
  let status: number = WGET_EXIT.ok;
  let files = 0;
  let totalBytes = 0;
  let downloadMs = 0;
  const started = performance.now();
  let outputTime: Date | undefined;
  // -k without -r: the pages saved here have their links rewritten at the end, as GNU wget does.
  // (Not with --delete-after: GNU wget then converts nothing, and says nothing of it.)
  const saved: SavedFile[] | undefined =
    values["convert-links"] && !options.output && !values["delete-after"] ? [] : undefined;
  // One pool for the whole command line: URLs on the same server share a kept-alive connection,
  // as with GNU wget, however long it waited (`--wait=15`): the server decides when it ends, and
  // a connection it closed is replaced when a request meets it.
  const pool = new HttpConnectionPool({ idleTimeoutMs: Infinity });
  options.pool = pool;
  // -x and --restrict-file-names without -r: each file named and placed as GNU wget names it.
  const layoutFor = pacing.naming?.directoryFor;
  if (pacing.naming?.fileNameForUrl) options.fileNameForUrl = pacing.naming.fileNameForUrl;
  const prefix = options.directory;
  // -x: the files this run saved. One where a later URL needs its directory makes way for it, as
  // GNU wget's mkalldirs removes it (`/a`, then `/a/b`); a file the run did not save is kept,
  // and that URL fails (Not a directory).
  const written = layoutFor ? new Set<string>() : undefined;
  try {
    for (const [index, url] of all.entries()) {
      if (index === pacing.given) sayListNotices();
      // -Q stops an -i list (not the URLs given as arguments) once the total passes it, as GNU.
      if (
        quota !== undefined && quota > 0 && index >= pacing.given && index !== listAt &&
        totalBytes > quota
      ) {
        // GNU wget exits 1 when the quota leaves URLs of the list unfetched (and a list none of
        // whose URLs was fetched "named none": its count of them is 0).
        status = worse(status, WGET_EXIT.generic);
        if (index === (listAt ?? pacing.given - 1) + 1) emptyList = values["input-file"];
        break;
      }
      if (index > 0 && waitMs > 0) {
        // -w between downloads; --random-wait varies it from 0.5 to 1.5 times, as GNU's.
        const ms = values["random-wait"] ? waitMs * (0.5 + Math.random()) : waitMs;
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
      if (sink && options.output) {
        // Each document starts where the last ended. With -c, GNU wget asks every URL for the
        // bytes after what FILE holds by then (a Range of its size; 416 when it is complete).
        options.output.offset = options.resume ? sink.statSync().size : options.startPos ?? 0;
      } else if (options.output) {
        // --start-pos: each URL's bytes from the offset, as GNU's restval (-O - too).
        options.output.offset = options.startPos ?? 0;
      }
      try {
        // A URL GNU's url_parse refuses fails with its words, before anything else.
        refuseAsGnu(url);
        if (layoutFor) {
          // (--protocol-directories: an http:// URL of a known HSTS host under https/, as GNU's.)
          const directoryOf = (nameUrl: string) => {
            const hstsUrl = values["protocol-directories"]
              ? peekHsts(options.hsts, nameUrl)
              : undefined;
            const directory = layoutFor(hstsUrl ?? nameUrl, prefix);
            if (written && directory !== undefined) removeIfWritten(directory, written);
            return directory;
          };
          options.directory = directoryOf(url);
          // A file named after the URL that answered goes in that URL's directories, as GNU's.
          if (values["trust-server-names"] || values["content-disposition"]) {
            options.directoryForUrl = (nameUrl) => directoryOf(nameUrl.href) ?? ".";
          }
        }
        // GNU wget says when it cuts the file's name (not for -O).
        const tellCut = sink ? undefined : await nameCutTeller(url, values, reporter.events);
        options.events = tellCut
          ? eventsTellingCut(reporter.events, url, values, tellCut)
          : reporter.events;
        const result = await download(url, options);
        reporter.finish(result);
        // -O FILE gets the last document's Last-Modified, as GNU wget gives it (once closed).
        if (sink && result.skipped === undefined) outputTime = result.lastModified;
        if (result.skipped === undefined && result.path !== undefined) {
          written?.add(samePath(result.path));
          files++;
          totalBytes += result.bytes;
          downloadMs += reporter.lastBodyMs;
          // --delete-after: fetched (through a cache, say) and removed, as GNU wget does; a
          // file named with -O stays. The unique name spared any file of the user's.
          // (An -i URL's list stays, as GNU's: its own fetch is no URL of the list's.)
          if (values["delete-after"] && !options.output && index !== listAt) {
            removeAfter(result.path, reporter);
          } else saved?.push({ ...result, path: result.path });
        }
        if (index === listAt) {
          all.push(...await urlsOfFetchedList(result, values, reporter, () => listRefused = true));
        }
      } catch (error) {
        reporter.fail(error);
        status = worse(status, downloadExitCode(error));
      }
      if (index === listAt && all.length === index + 1) emptyList = url;
    }
  } finally {
    await pool.close();
    sink?.close();
  }
  if (outputTime && output !== undefined && options.useServerTimestamps !== false) {
    try {
      // A regular file only: never /dev/null's time.
      if (Deno.statSync(output).isFile) Deno.utimeSync(output, new Date(), outputTime);
    } catch {
      // A device or a file gone: its time is a nicety.
    }
  }
  const saveCookies = values["save-cookies"];
  if (saveCookies !== undefined && options.cookies) {
    try {
      const keepSessionCookies = values["keep-session-cookies"] ?? false;
      Deno.writeTextFileSync(saveCookies, options.cookies.save({ keepSessionCookies }));
    } catch (error) {
      // GNU wget's words; the exit code stays what the downloads made it, as GNU's.
      reporter.notice(
        `Cannot open cookies file ${quoteName(saveCookies)}: ${fileErrorText(error)}`,
      );
    }
  }
  hsts?.save();
  noUrlsFound();
  // GNU wget: after several URLs (or a list), when any byte came (a spider run fetches none).
  if ((all.length > 1 || values["input-file"] !== undefined) && totalBytes > 0) {
    reporter.summary({ files, bytes: totalBytes, wallMs: performance.now() - started, downloadMs });
  }
  if (quota !== undefined && quota > 0 && totalBytes > quota) reporter.quotaExceeded(quota);
  if (saved) {
    // After the summary, as GNU wget's convert_all_links.
    const { convertSavedFiles } = await import("./convert.ts");
    convertSavedFiles(saved, {
      backup: values["backup-converted"],
      adjustExtension: values["adjust-extension"],
      fileOnly: values["convert-file-only"],
      followTags: values["follow-tags"],
      ignoreTags: values["ignore-tags"],
    }, reporter);
  }
  return worse(status, refusedCode());
}).bind(undefined);

/** What the TLS options give the HTTP client: roots to trust, and a client certificate. */
type TlsFiles = Pick<HttpClientOptions, "caCerts" | "systemRoots" | "clientCertificate">;

/**
 * What the TLS options name (--ca-certificate, --ca-directory, --certificate, --private-key),
 * read the first time it is asked for and given again after, as GNU wget's ssl_init: at the first
 * HTTPS connection, never in a plain-HTTP run. A file that cannot be read is said in GNU's words
 * (not with -q) and the run goes on without it: a server the missing CA file was to vouch for is
 * then refused (exit 5); a client certificate or key that cannot be read is not sent, unsaid.
 * As GnuTLS's wget: --ca-directory (even empty) trusts its certificates and --ca-certificate's
 * alone, not the system's roots beside them; --private-key without --certificate is both files.
 */
function tlsFilesOnce(
  values: WgetValues,
  reporter: WgetReporter,
): () => Promise<TlsFiles> {
  let files: Promise<TlsFiles>;
  const quiet = values.quiet ?? false;
  const read = async () => {
    const caCerts: string[] = [];
    const caDirectory = values["ca-directory"];
    if (caDirectory !== undefined) {
      // Every PEM certificate in the directory (c_rehash's NAME.0 links included), read once each.
      let names: string[] = [];
      try {
        names = [...Deno.readDirSync(caDirectory)].map((entry) => entry.name).sort();
      } catch {
        if (caDirectory && !quiet) reporter.error(`ERROR: Cannot open directory ${caDirectory}.`);
      }
      const seen = new Set<string>();
      for (const name of names) {
        let text: string;
        try {
          text = Deno.readTextFileSync(`${caDirectory}/${name}`);
        } catch {
          continue; // A subdirectory or an unreadable entry.
        }
        if (text.includes("-----BEGIN CERTIFICATE-----") && !seen.has(text)) {
          seen.add(text);
          caCerts.push(text);
        }
      }
    }
    const caFile = values["ca-certificate"];
    // An empty value (`--ca-certificate="$CA"` unset) is no file, as GNU wget takes it.
    if (caFile) {
      // GnuTLS's count of certificates read, or its error: -64 (GNUTLS_E_FILE_ERROR) for a file
      // that cannot be read, 0 for one without a PEM certificate (a DER file: GNU reads PEM only).
      let count = -64;
      let text = "";
      try {
        text = Deno.readTextFileSync(caFile);
        count = text.includes("-----BEGIN CERTIFICATE-----") ? 1 : 0;
      } catch {
        // Not there, not readable, a directory: GnuTLS's -64.
      }
      if (count > 0) {
        caCerts.push(text);
        reporter.verbose(`Loaded CA certificate '${caFile}'`);
      } else if (!quiet) reporter.error(`ERROR: Failed to open cert ${caFile}: (${count}).`);
    }
    let clientCertificateFiles: { cert: string; key: string } | undefined;
    // GNU's ssl_init: the certificate's file holds the key too when no key is named, and the
    // key's file holds the certificate too when no certificate is.
    const certFile = values.certificate ?? values["private-key"];
    if (certFile !== undefined) {
      const keyFile = values["private-key"];
      try {
        const cert = Deno.readFileSync(certFile);
        const key = keyFile === undefined ? cert : Deno.readFileSync(keyFile);
        clientCertificateFiles = await clientCertificate(values, cert, key, reporter);
      } catch {
        // GNU wget does not look at what GnuTLS said of them: no client certificate, unsaid.
      }
    }
    return {
      ...(caCerts.length > 0 ? { caCerts } : {}),
      ...(caDirectory !== undefined ? { systemRoots: false } : {}),
      ...(clientCertificateFiles ? { clientCertificate: clientCertificateFiles } : {}),
    };
  };
  return () => files ??= read();
}

/**
 * The client certificate and key as PEM, read as GNU wget (with GnuTLS) reads them: both files
 * in the key's type (`--private-key-type`; the certificate's type when the key is in the
 * certificate's file). Files that are not of that type are reported and left out, and the
 * download goes on without a certificate, as GNU wget's does.
 */
async function clientCertificate(
  values: WgetValues,
  cert: Uint8Array,
  key: Uint8Array,
  reporter: WgetReporter,
): Promise<{ cert: string; key: string } | undefined> {
  // With one file named, both are that one's type (GNU's ssl_init).
  const keyType = values["private-key"] === undefined
    ? (values["certificate-type"] ?? "PEM").toUpperCase()
    : (values["private-key-type"] ?? "PEM").toUpperCase();
  const certType = values.certificate === undefined
    ? keyType
    : (values["certificate-type"] ?? "PEM").toUpperCase();
  // GNU's words; both files are then read as the key's type all the same.
  if (certType !== keyType && !values.quiet) {
    reporter.error("ERROR: GnuTLS requires the key and the cert to be of the same type.");
  }
  const text = new TextDecoder();
  let pair: { cert: string; key: string };
  try {
    if (keyType === "PEM") {
      const pem = [text.decode(cert), text.decode(key)];
      if (!pem.every((file) => file.includes("-----BEGIN "))) throw new SyntaxError("Not PEM");
      pair = { cert: pem[0]!, key: pem[1]! };
    } else {
      const { pemFromDer } = await import("../../lib/net/pem.ts");
      pair = { cert: pemFromDer(cert, "certificate"), key: pemFromDer(key, "private key") };
    }
  } catch {
    // Not of the named type: GnuTLS refuses the pair, and GNU wget, which does not look at what
    // it said, sends no certificate, unsaid.
    return undefined;
  }
  // GnuTLS takes the pair only when the certificate's file holds a certificate and the key's
  // file its key (a key file alone, a key of another certificate: not); else GNU wget sends no
  // certificate, unsaid, where node:tls would fail the handshake.
  return await matchingPair(pair) ? pair : undefined;
}

/** Whether `pair.cert`'s first certificate goes with `pair.key`'s private key. */
async function matchingPair(pair: { cert: string; key: string }): Promise<boolean> {
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pair.cert);
  const key = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/.exec(
    pair.key,
  );
  if (!cert || !key) return false;
  try {
    const { createPrivateKey, X509Certificate } = await import("node:crypto");
    return new X509Certificate(cert[0]).checkPrivateKey(createPrivateKey(key[0]));
  } catch {
    return false;
  }
}

/**
 * What says GNU wget's "The destination name is too long (N), reducing to 236" for a URL whose
 * file name is cut; undefined when no name can need it, the usual case, which then loads nothing:
 * a URL too short (a name takes at most three bytes a character of the URL: `:` is `%3A` under
 * windows names) whose redirects do not name the file (`--trust-server-names`,
 * `--content-disposition`).
 */
async function nameCutTeller(
  url: string,
  values: WgetValues,
  events: DownloadEvents,
): Promise<((nameUrl: string) => void) | undefined> {
  const byTarget = values["trust-server-names"] || values["content-disposition"];
  if (url.length * 3 <= MAX_NAME_LENGTH && !byTarget) return undefined;
  const [{ localPathForUrl }, { parseRestrictFileNames }] = await Promise.all([
    import("../../lib/download/disk_layout.ts"),
    import("../../lib/download/restrict_file_names.ts"),
  ]);
  const naming = {
    directories: false,
    // Checked by plainNaming() before any download.
    restrict: restrictOption(values, parseRestrictFileNames),
    indexName: values["default-page"] || undefined,
  };
  return (nameUrl) => {
    try {
      localPathForUrl(nameUrl, naming, (bytes, limit) => events.nameShortened?.(bytes, limit));
    } catch {
      // Not a URL: the download says so.
    }
  };
}

/**
 * `events`, which also tell a cut name (`tellCut`) where GNU wget does. It names the file before
 * each URL of a redirect chain is asked for: after the URL given, or with `--trust-server-names`
 * after the one asked for. With `--content-disposition` it names it from each URL's first answer
 * but a 401 (the HEAD's under `-c` or `-N`), after that URL when the header names no file.
 */
function eventsTellingCut(
  events: DownloadEvents,
  url: string,
  values: WgetValues,
  tellCut: (nameUrl: string) => void,
): DownloadEvents {
  if (values["content-disposition"]) {
    let asked = url;
    let named: string | undefined;
    return {
      ...events,
      redirect(from, to, status) {
        asked = to;
        events.redirect?.(from, to, status);
      },
      response(response) {
        events.response?.(response);
        // GNU names the file from each URL's first answer, but for a 401's.
        if (named === asked || response.status === 401) return;
        named = asked;
        const header = response.head.headers.get("Content-Disposition");
        if (header === undefined || contentDispositionFileName(header) === undefined) {
          tellCut(asked);
        }
      },
    };
  }
  const trust = values["trust-server-names"] ?? false;
  let asked: string | undefined;
  return {
    ...events,
    request(target, method) {
      if (target.href !== asked) {
        asked = target.href;
        tellCut(trust ? asked : url);
      }
      events.request?.(target, method);
    },
  };
}

/**
 * `--restrict-file-names`'s value read by restrict_file_names.ts's parser (passed in: that module
 * is loaded only when a name needs it); undefined when not given. Throws {@linkcode UsageError} for a bad value.
 */
function restrictOption<Restrict>(
  values: WgetValues,
  parseRestrictFileNames: (text: string) => Restrict,
): Restrict | undefined {
  const restrictText = values["restrict-file-names"];
  if (restrictText === undefined) return undefined;
  try {
    return parseRestrictFileNames(restrictText);
  } catch {
    throw new UsageError(
      `--restrict-file-names takes unix, windows, nocontrol, ascii, lowercase or uppercase, not "${restrictText}"`,
    );
  }
}

/** How files are named without recursion, when options change GNU wget's plain naming. */
interface PlainNaming {
  /** `-x`: the directory a URL's file goes in, under the `-P` prefix. */
  directoryFor?: ((url: string, prefix: string | undefined) => string | undefined) | undefined;
  /** `--restrict-file-names`: the file's own name. */
  fileNameForUrl?: ((url: HttpUrl) => string) | undefined;
}

/**
 * For `-x` (with `-nH`, `--cut-dirs`, `--protocol-directories`), `--restrict-file-names` and
 * `--default-page` without recursion: each file named and placed as the recursion would (GNU wget names every file
 * so); undefined when neither is given. Throws {@linkcode UsageError} for a bad value.
 */
async function plainNaming(values: WgetValues): Promise<PlainNaming | undefined> {
  const directories = values["force-directories"] && !values["no-directories"] &&
    values["output-document"] === undefined;
  const restrictText = values["restrict-file-names"];
  const indexName = values["default-page"] || undefined;
  if (!directories && restrictText === undefined && indexName === undefined) return undefined;
  const [{ localPathForUrl }, { parseRestrictFileNames }] = await Promise.all([
    import("../../lib/download/disk_layout.ts"),
    import("../../lib/download/restrict_file_names.ts"),
  ]);
  const restrict = restrictOption(values, parseRestrictFileNames);
  const cutDirs = values["cut-dirs"] === undefined
    ? 0
    : parseCount(values["cut-dirs"], "--cut-dirs", 0, INT_MAX);
  const layout = {
    hostDirectories: !values["no-host-directories"],
    protocolDirectories: values["protocol-directories"] ?? false,
    cutDirs,
    restrict,
    indexName,
  };
  const naming: PlainNaming = {};
  if (restrict || indexName) {
    naming.fileNameForUrl = (url) =>
      localPathForUrl(url.href, { directories: false, restrict, indexName });
  }
  if (directories) {
    naming.directoryFor = (url, prefix) => {
      let relative: string;
      try {
        relative = localPathForUrl(url, layout);
      } catch {
        return prefix; // Not a URL: the download says so.
      }
      const directory = relative.slice(0, Math.max(relative.lastIndexOf("/"), 0));
      if (directory === "") return prefix;
      if (!values.spider) removeLinksBelow(prefix, directory);
      return prefix === undefined ? directory : `${prefix}/${directory}`;
    };
  }
  return naming;
}

/**
 * Removes a symbolic link that stands where `-x` needs a directory below `prefix` (`-P`): it may
 * point outside, and the file is never written through it (GNU wget follows it). It is in the way
 * as a file would be, as under `-r`.
 */
function removeLinksBelow(prefix: string | undefined, directory: string): void {
  let path = prefix === undefined || prefix === "" ? "" : prefix.replace(/\/+$/, "");
  for (const part of directory.split("/")) {
    path = path === "" ? part : `${path}/${part}`;
    try {
      if (!Deno.lstatSync(path).isSymlink) continue;
      Deno.removeSync(path);
    } catch {
      return; // Not there (nothing below is), or not removable: the download says so.
    }
  }
}

/** `path` with each run of `/` one, and no final `/`: two spellings of a path compare equal. */
function samePath(path: string): string {
  return path.replace(/\/+/g, "/").replace(/(.)\/$/, "$1");
}

/** Removes the regular file at `directory` when this run saved it (`written`, by samePath). */
function removeIfWritten(directory: string, written: Set<string>): void {
  const path = samePath(directory);
  if (!written.has(path)) return;
  try {
    if (Deno.lstatSync(path).isFile) Deno.removeSync(path);
  } catch {
    // Gone already: the directory is made as usual.
  }
}

function pathExists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * `--ask-password`: the prompt on stderr, then a line from standard input, not echoed on a
 * terminal (raw mode: backspace edits, Ctrl-C stops).
 */
async function askPassword(prompt: string): Promise<string> {
  const encoder = new TextEncoder();
  Deno.stderr.writeSync(encoder.encode(prompt));
  const tty = Deno.stdin.isTerminal();
  if (tty) Deno.stdin.setRaw(true);
  try {
    const bytes: number[] = [];
    const one = new Uint8Array(1);
    while (bytes.length < 4096) {
      const n = await Deno.stdin.read(one);
      const byte = one[0]!;
      if (n === null || byte === 0x0a || byte === 0x0d) break;
      if (byte === 0x03) throw new Error("Interrupted");
      if (byte === 0x7f || byte === 0x08) bytes.pop();
      else bytes.push(byte);
    }
    return new TextDecoder().decode(new Uint8Array(bytes));
  } finally {
    if (tty) {
      Deno.stdin.setRaw(false);
      Deno.stderr.writeSync(encoder.encode("\n"));
    }
  }
}
