/**
 * What `wget` prints on stderr while it downloads: GNU wget's lines (request, response, length,
 * saving to, saved), a progress bar on a terminal, GNU's dots elsewhere, nothing with `-q`.
 *
 * Unlike the rest of `lib/`, this module talks to the user (on stderr), so that `cmd/wget.ts`
 * stays thin.
 *
 * @module
 */

import {
  ContentRangeError,
  DigestAttributeError,
  type DownloadEvents,
  DownloadFileError,
  type DownloadResult,
  fileErrorText,
  GaveUpError,
  type RequestUserinfo,
} from "../../lib/download/download.ts";
import { HttpStatusError, RedirectError } from "../../lib/http/errors.ts";
import { SocketError } from "../../lib/net/socket_error.ts";
import { UnexpectedEofError } from "../../lib/net/socket_stream.ts";
import type { AddressConnectorEvents } from "../../lib/download/address_connector.ts";
import { formatHostPort } from "../../lib/net/host_port.ts";
import { DOT_STYLES, DotProgress, type DotStyle } from "./dots.ts";
import { formatBytes, formatProgressLine } from "../../lib/download/progress.ts";
import { pageKind } from "../../lib/download/page_kind.ts";
import { parseHttpDate } from "../../lib/download/http_date.ts";
import { proxyForUrl, type ProxySettings } from "../../lib/download/proxy.ts";
import { forgivingLog, type LogSink } from "./log_output.ts";
import { quoteargEscape, quoteName, utf8Locale } from "./quote_name.ts";
import { TlsError } from "../../lib/net/tls_error.ts";
import { UrlError } from "../../lib/http/url.ts";
import { GnuUrlError, gnuUrlError } from "./url_problem.ts";
import type { CertificateProblems } from "../../lib/net/certificate_problems.ts";

export { quoteName };

/** Options of {@linkcode WgetReporter}. */
export interface WgetReporterOptions {
  /** Print nothing but errors (`-q`). */
  quiet?: boolean;
  /** Print the server's response head instead of its status line (`-S`), even when quiet. */
  serverResponse?: boolean | undefined;
  /** GNU wget's `-nv`: one line per file, and errors. */
  nonVerbose?: boolean | undefined;
  /**
   * `--progress`: "bar" on a terminal, else GNU's dots; "dot" or "dot:STYLE" (default, binary,
   * mega, giga) for dots. @default {"bar"}
   */
  progress?: string | undefined;
  /** Show the progress even with -q or -nv (`--show-progress`). */
  showProgress?: boolean | undefined;
  /** `--ignore-length`: GNU's "Length: ignored". */
  ignoreLength?: boolean | undefined;
  /** `-N` (not with -O): GNU's "Last-modified header missing" when a saved file had none. */
  timestamping?: boolean | undefined;
  /** `--spider`: GNU wget's lines for checking that files exist, and for broken links. */
  spider?: boolean | undefined;
  /**
   * GNU's "Warning: wildcards not supported in HTTP." for a URL whose path holds `*`, `?`, `[` or
   * `]`; off with `--no-glob`, as GNU's. @default {true}
   */
  wildcardWarning?: boolean | undefined;
  /** The run is recursive (`-r`, `-p`): a spider fetches the pages that may hold links. */
  recursive?: boolean | undefined;
  /** Write everything here instead of stderr (`-o FILE`, `-a FILE`): no bar, no colours. */
  log?: { writeSync(p: Uint8Array): number } | undefined;
  /**
   * The proxies of the run: a request that goes through one (a CONNECT tunnel too) is GNU's
   * "Proxy request sent, awaiting response...".
   */
  proxy?: ProxySettings | undefined;
}

/**
 * A response head's lines as GNU's `-S` prints them: a folded line joined to the one before it
 * (its line break become two blanks), each escaped as quotearg's escape style.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shownHead } from "./reporter.ts";
 *
 * assert.deepEqual(shownHead(["HTTP/1.1 200 OK", "X: a", " b", "Y: \x01"]), [
 *   "HTTP/1.1 200 OK",
 *   "X: a   b",
 *   "Y: \\001",
 * ]);
 * ```
 */
export function shownHead(lines: string[]): string[] {
  const joined: string[] = [];
  for (const line of lines) {
    if (joined.length > 1 && (line[0] === " " || line[0] === "\t")) {
      joined[joined.length - 1] += `  ${line}`;
    } else joined.push(line);
  }
  const utf8 = utf8Locale();
  return joined.map((line) => quoteargEscape(line, utf8));
}

/**
 * `text` as GNU's escnonprint_uri shows it: each byte outside printable ASCII (controls, blank
 * excepted, and every byte of a non-ASCII character) as `%XX`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeNonPrintable } from "./reporter.ts";
 *
 * assert.equal(escapeNonPrintable("/\u00e9 x\t"), "/%C3%A9 x%09");
 * ```
 */
export function escapeNonPrintable(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  let escaped = "";
  for (const byte of new TextEncoder().encode(text)) {
    escaped += byte >= 0x20 && byte <= 0x7e
      ? String.fromCharCode(byte)
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return escaped;
}

/**
 * A Content-Type as GNU's length line shows it: its parameters (`;charset=...`) and the blanks
 * before them cut off, escaped as quotearg's escape style.
 */
function shownType(type: string): string {
  const semicolon = type.indexOf(";");
  const bare = semicolon === -1 ? type : type.slice(0, semicolon).replace(/[ \t\n\v\f\r]+$/, "");
  return quoteargEscape(bare, utf8Locale());
}

/**
 * One download's log, apart from the others under way at once (`--max-threads`): its events for
 * `download()`, then how it ended.
 */
export interface WgetDownloadLog {
  /** The callbacks to give `download()` as its `events`. */
  readonly events: DownloadEvents;
  /** Prints how the download ended: saved, skipped, or (for --spider) that the file exists. */
  finish(result: DownloadResult, options?: { robots?: boolean | undefined }): void;
  /** Prints why the download failed, in GNU wget's words. */
  fail(error: unknown, options?: { robots?: boolean | undefined }): void;
}

/**
 * What the log knows of one download so far: its request, its answer, its body, its tries. One
 * for the downloads that run one after another, one each under `--max-threads`.
 */
class DownloadLogState {
  /** What the request line says was sent: "HTTP", or "Proxy" through a proxy (GNU's words). */
  sentBy = "HTTP";
  /** The file the body goes to, for the bar. */
  path = "";
  /** The bytes already there when the body started (a resumed file). */
  offset = 0;
  /** The full size the body's start announced. */
  total: number | undefined = undefined;
  /** The bytes there so far, `offset` included. */
  received = 0;
  /** When the request (then the body) started, for the rate. */
  started = 0;
  /** When the bar was last drawn. */
  lastDraw = 0;
  /** Its bar is on the output's last line. */
  drawn = false;
  /** Its dots, while their line is open. */
  dots: DotProgress | undefined = undefined;
  /** The last response's Content-Type. */
  type: string | undefined = undefined;
  /** The last response's announced length (a HEAD's too). */
  responseLength: number | undefined = undefined;
  /** The last response's status line, for `--spider -nv`'s "URL: ... 200 OK". */
  status = 0;
  reason = "";
  /** The attempt at the current URL (GNU's "try"). */
  attempt = 1;
  /** GNU's "Last-modified header missing" was said after this file's HEAD. */
  untimedSaid = false;
  /** The last response was a 2xx. */
  responseOk = false;
  /** The last response is an error whose body only --content-on-error saves. */
  errorBody = false;
  /** The URL of the request under way when it is a HEAD. */
  headAsked: string | undefined = undefined;
  /** The last URL checked for GNU's "wildcards not supported" warning. */
  wildcardUrl: string | undefined = undefined;
  /** This request's response head arrived. */
  responded = false;
  /** This request's body started. */
  bodyStarted = false;
  /** The response is a 206: it continues the bytes already there. */
  partial = false;
  /** The last response had a Last-Modified header. */
  hasLastModified = false;
  /** ... that GNU's date parser cannot read ("Last-modified header invalid"; verbose only). */
  lastModifiedInvalid = false;
  /** GNU's "Last-modified header invalid" was said for this file. */
  invalidSaid = false;
  /** The response's Location header as sent (GNU prints it so). */
  location: string | undefined = undefined;
  /** The connector's count of connections opened when this request went out. */
  connectsSeen = 0;
  /** The connector's count of failures when this request went out. */
  failuresSeen = 0;
  /** The URL of the last request, and the userinfo it went with (the URL's own credentials). */
  requested = "";
  userinfo: RequestUserinfo | undefined = undefined;
  /** A challenge was just answered: the request that follows is the same try's (no date line). */
  answering = false;
}

/**
 * `href` as GNU wget's log names a URL asked with its own credentials: the user name as a URL
 * writes it, and `*password*` for the password, which is never shown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shownUrl } from "./reporter.ts";
 *
 * const href = "http://127.0.0.1:8080/a.txt";
 * assert.equal(
 *   shownUrl(href, { username: "u", password: true }),
 *   "http://u:*password*@127.0.0.1:8080/a.txt",
 * );
 * assert.equal(shownUrl(href, { username: "me@x", password: false }), "http://me%40x@127.0.0.1:8080/a.txt");
 * assert.equal(shownUrl(href, undefined), href);
 * ```
 */
export function shownUrl(
  href: string,
  userinfo: RequestUserinfo | undefined,
): string {
  if (userinfo === undefined) return href;
  const after = href.indexOf("://") + 3;
  const writer = new URL("http://h/");
  writer.username = userinfo.username;
  const user = `${writer.username}${userinfo.password ? ":*password*" : ""}@`;
  return `${href.slice(0, after)}${user}${href.slice(after)}`;
}

/** `href` with `log`'s userinfo when it is the URL `log` last asked for (GNU's URL lines). */
function loggedUrl(log: DownloadLogState, href: string): string {
  return href === log.requested ? shownUrl(href, log.userinfo) : href;
}

/** Local time as GNU wget prints it: `2026-11-30 04:57:00`. */
function timestamp(date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ` +
    `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/**
 * Prints a download's events on stderr: plain lines, a bar on a terminal, nothing when quiet.
 *
 * @example Report a download from a loopback server (quietly here, as `wget -q`)
 * ```ts
 * import assert from "node:assert/strict";
 * import { download } from "../../lib/download/download.ts";
 * import { WgetReporter } from "./reporter.ts";
 *
 * await using server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen: () => {} },
 *   () => new Response("hello\n"),
 * );
 * const directory = await Deno.makeTempDir();
 * const reporter = new WgetReporter({ quiet: true }); // without quiet: GNU wget's lines on stderr
 * const url = `http://127.0.0.1:${server.addr.port}/hello.txt`;
 * const result = await download(url, { directory, events: reporter.events });
 * reporter.finish(result);
 * assert.equal(result.path, `${directory}/hello.txt`);
 * assert.equal(await Deno.readTextFile(`${directory}/hello.txt`), "hello\n");
 * await Deno.remove(directory, { recursive: true });
 * ```
 */
export class WgetReporter {
  readonly #quiet: boolean;
  readonly #serverResponse: boolean;
  readonly #nonVerbose: boolean;
  /** Neither -q nor -nv: the verbose log's lines are printed. */
  readonly #verboseLines: boolean;
  readonly #showProgress: boolean;
  readonly #dotStyle: DotStyle | undefined;
  /** The log, stderr or -o's file, whose failed writes never fail the download (GNU's). */
  #out: LogSink;
  #tty: boolean;
  readonly #encoder = new TextEncoder();
  readonly #ignoreLength: boolean;
  readonly #spider: boolean;
  readonly #recursive: boolean;
  readonly #wildcardWarning: boolean;
  readonly #proxy: ProxySettings | undefined;
  readonly #timestamping: boolean;
  /** Connections the connector said it opened ("Connecting to ... connected."), in all. */
  #connectorConnects = 0;
  /** Connections the connector said failed (resolving or connecting), in all. */
  #connectorFailures = 0;
  /**
   * The download whose dots or bar is on the output's last line, closed before any other line.
   * With one download at a time, always the shared one.
   */
  #screen: DownloadLogState;
  /** The log of the downloads that run one at a time (all but `--max-threads`'s). */
  readonly #shared: DownloadLogState;

  /** A reporter that prints on stderr as `options` say. */
  constructor(options: WgetReporterOptions = {}) {
    this.#quiet = options.quiet ?? false;
    this.#timestamping = options.timestamping ?? false;
    this.#ignoreLength = options.ignoreLength ?? false;
    this.#spider = options.spider ?? false;
    this.#recursive = options.recursive ?? false;
    this.#serverResponse = options.serverResponse ?? false;
    this.#nonVerbose = options.nonVerbose ?? false;
    this.#out = forgivingLog(options.log ?? Deno.stderr);
    this.#tty = options.log === undefined && Deno.stderr.isTerminal();
    this.#verboseLines = !this.#quiet && !this.#nonVerbose;
    this.#wildcardWarning = options.wildcardWarning ?? true;
    this.#proxy = options.proxy;
    this.#showProgress = options.showProgress || this.#verboseLines;
    const [kind = "bar", ...modifiers] = (options.progress ?? "bar").split(":");
    // GNU draws a bar only on a terminal, or anywhere with bar:force (Dockerfiles' build logs);
    // dots otherwise.
    const forced = kind === "bar" && modifiers.includes("force");
    this.#dotStyle = kind === "dot" || (!this.#tty && !forced)
      ? DOT_STYLES[(modifiers[0] || "default").toLowerCase()] ?? DOT_STYLES.default
      : undefined;
    this.#shared = new DownloadLogState();
    this.#screen = this.#shared;
    this.events = this.#eventsOf(this.#shared);
  }

  /**
   * A log of its own for one download among several under way at once (`--max-threads`): its
   * events, and how it ended, said with its own URL, try, length and answer, whatever the others
   * say meanwhile.
   *
   * @example Two downloads at once, each -nv line with its own try
   * ```ts
   * import assert from "node:assert/strict";
   * import { parseHttpUrl } from "../../lib/http/url.ts";
   * import { WgetReporter } from "./reporter.ts";
   *
   * let text = "";
   * const log = { writeSync: (p: Uint8Array) => (text += new TextDecoder().decode(p), p.length) };
   * const reporter = new WgetReporter({ nonVerbose: true, log });
   * const [a, b] = [reporter.downloadLog(), reporter.downloadLog()];
   * a.events.request?.(parseHttpUrl("http://h/a"), "GET");
   * b.events.request?.(parseHttpUrl("http://h/b"), "GET");
   * a.events.retry?.(new Error("reset"), 1, 0); // a's first try failed
   * b.finish({ url: "http://h/b", finalUrl: "http://h/b", path: "b", bytes: 1, status: 200 });
   * a.finish({ url: "http://h/a", finalUrl: "http://h/a", path: "a", bytes: 1, status: 200 });
   * assert.match(text, /URL:http:\/\/h\/b \[1\] -> "b" \[1\]/);
   * assert.match(text, /URL:http:\/\/h\/a \[1\] -> "a" \[2\]/);
   * ```
   */
  downloadLog(): WgetDownloadLog {
    const log = new DownloadLogState();
    return {
      events: this.#eventsOf(log),
      finish: (result, options) => this.#finish(log, result, options),
      fail: (error, options) => this.#fail(log, error, options),
    };
  }

  /**
   * From now on writes everything into `log` instead of stderr: GNU wget's answer to SIGHUP
   * (the terminal hung up) and SIGUSR1. The dots' line under way goes on there, as GNU's; a bar
   * goes on as `bar:force` draws it in a file.
   */
  redirect(log: { writeSync(p: Uint8Array): number }): void {
    this.#out = forgivingLog(log);
    this.#tty = false;
  }

  /** Prints an error line, in the log (stderr or the log file), even with -q. */
  error(text: string): void {
    this.#clear();
    this.#out.writeSync(this.#encoder.encode(`${text}\n`));
  }

  /**
   * GNU wget's lines (GnuTLS's check) for what is wrong with a server's certificate: `ERROR: The
   * certificate of 'HOST' is not trusted.` and the like when it is refused, `WARNING: ...` when
   * `--no-check-certificate` accepts it; with -nv too, not with -q.
   */
  certificate(problems: CertificateProblems, severity: "ERROR" | "WARNING"): void {
    const host = quoteName(problems.host);
    const of = `${severity}: The certificate of ${host}`;
    if (problems.untrusted) this.#print(`${of} is not trusted.`);
    if (problems.unknownIssuer) this.#print(`${of} doesn't have a known issuer.`);
    if (problems.revoked) this.#print(`${of} has been revoked.`);
    if (problems.notActivated) this.#print(`${of} is not yet activated.`);
    if (problems.expired) this.#print(`${of} has expired.`);
    if (problems.notActivated) this.#print("The certificate has not yet been activated");
    if (problems.expired) this.#print("The certificate has expired");
    if (problems.nameMismatch) {
      this.#print(`The certificate's owner does not match hostname ${host}`);
    }
  }

  /** A line of the log that -nv keeps too (not -q): a warning. */
  notice(text: string): void {
    this.#print(text);
  }

  /** Prints a line of the verbose log: not with -q, not with -nv. */
  verbose(text: string): void {
    this.#line(text);
  }

  /** A line of the verbose log: not with -q, not with -nv. */
  #line(text: string): void {
    if (this.#nonVerbose) return;
    this.#print(text);
  }

  /** A line that -nv keeps too. */
  #print(text: string): void {
    if (this.#quiet) return;
    this.#clear();
    this.#out.writeSync(this.#encoder.encode(`${text}\n`));
  }

  /** Text as it is, on the output (dots, mid-line). */
  #raw(text: string): void {
    this.#out.writeSync(this.#encoder.encode(text));
  }

  /** Ends the dots' or the bar's line, if one is open, before a line of the log. */
  #clear(): void {
    const screen = this.#screen;
    if (screen.dots?.open) {
      this.#raw("\n");
      screen.dots = undefined;
    }
    if (screen.drawn) {
      // A terminal's bar is erased; elsewhere (bar:force) it stays, ended with its line.
      this.#raw(this.#tty ? "\r\x1b[K" : "\n");
      screen.drawn = false;
    }
  }

  /** `log`'s progress takes the output's last line: another download's dots or bar end first. */
  #takeScreen(log: DownloadLogState): void {
    if (this.#screen === log) return;
    this.#clear();
    this.#screen = log;
  }

  /** The callbacks to give `download()` as its `events`, one download at a time. */
  readonly events: DownloadEvents;

  /** The callbacks that say `log`'s download. */
  #eventsOf(log: DownloadLogState): DownloadEvents {
    return {
      // Quiet runs return before formatting anything: 200 URLs in one -i list add up.
      request: (url, method, userinfo) => {
        log.connectsSeen = this.#connectorConnects;
        log.requested = url.href;
        log.userinfo = userinfo;
        log.headAsked = method === "HEAD" ? url.href : undefined;
        // A HEAD starts another file's check: what an earlier one said (it may have failed) goes.
        if (method === "HEAD") log.untimedSaid = log.invalidSaid = false;
        log.failuresSeen = this.#connectorFailures;
        log.responded = false;
        log.bodyStarted = false;
        // Nothing of the last response carries over (a 204 has no body, so no start).
        log.total = undefined;
        if (!this.#quiet) log.started = performance.now();
        if (!this.#verboseLines && !this.#serverResponse) return;
        log.sentBy = this.#proxy && proxyForUrl(url, this.#proxy) ? "Proxy" : "HTTP";
        if (!this.#verboseLines) return;
        // GNU's request that answers a 401's challenge is the same try: no `--DATE--  URL` line.
        if (log.answering) {
          log.answering = false;
          return;
        }
        if (log.attempt === 1) this.#warnWildcards(log, url.href);
        if (this.#spider && method === "HEAD") {
          this.#line("Spider mode enabled. Check if remote file exists.");
        }
        // GNU numbers the attempts after the first: "--DATE--  (try: 2)  URL".
        const attempt = log.attempt > 1 ? `(try:${String(log.attempt).padStart(2)})  ` : "";
        // (GNU names a URL with credentials `http://u:*password*@host/`.)
        this.#line(`--${timestamp()}--  ${attempt}${shownUrl(url.href, userinfo)}`);
      },
      connected: ({ host, port, address, reused }) => {
        // The connector said "Connecting to ... connected." for a new connection (also when a
        // kept-alive one had gone stale and was replaced). (A kept-alive one is this request's
        // first: under --max-threads another fetch may have opened one meanwhile.)
        if (!this.#verboseLines || (!reused && this.#announced(log))) return;
        // GNU brackets the name when the peer is IPv6: "Reusing existing connection to
        // [localhost]:80." (host is the name the connection was opened for).
        const where = reused && address?.includes(":") && !host.includes(":")
          ? `[${host}]:${port}`
          : formatHostPort(host, port);
        this.#line(
          reused
            ? `Reusing existing connection to ${where}.`
            : `Connecting to ${where}... connected.`,
        );
      },
      response: (response) => {
        log.responded = true;
        log.partial = response.status === 206;
        log.reason = response.head.reason;
        const lastModified = response.head.headers.get("Last-Modified");
        log.hasLastModified = lastModified !== undefined;
        // (Said only in verbose output: not parsed a second time for every file of -q or -nv.)
        log.lastModifiedInvalid = this.#verboseLines && lastModified !== undefined &&
          Number.isNaN(parseHttpDate(lastModified));
        log.responseOk = response.ok;
        // (A 300 without Location is a page, as GNU's.)
        log.errorBody = !response.ok && response.status !== 300;
        log.responseLength = response.contentLength;
        if (this.#spider) {
          log.status = response.status;
          log.type = response.head.headers.get("Content-Type");
        }
        // A HEAD answered 500 or 501 is asked again with GET; -nv names the URL first, as GNU's.
        const headFailed = log.headAsked !== undefined && this.#nonVerbose && !this.#quiet &&
          (response.status === 500 || response.status === 501);
        if (!this.#verboseLines && !this.#serverResponse) {
          if (headFailed) this.error(`${log.headAsked}:`);
          return;
        }
        log.type = response.head.headers.get("Content-Type");
        log.location = response.head.headers.get("Location");
        if (this.#serverResponse) {
          // GNU wget and BusyBox print the head even with -q: `wget -qS URL 2>&1 | grep HTTP/`.
          this.#line(`${log.sentBy} request sent, awaiting response... `);
          this.#clear();
          const text = shownHead(response.head.lines).map((line) => `  ${line}\n`).join("");
          this.#out.writeSync(this.#encoder.encode(text));
          if (headFailed) this.error(`${log.headAsked}:`);
        } else {
          // GNU prints the reason escaped, and the blank after the status even with no reason.
          const reason = quoteargEscape(response.head.reason, utf8Locale());
          this.#line(
            `${log.sentBy} request sent, awaiting response... ${response.status} ${reason}`,
          );
        }
      },
      fetchAfterHead: (reason, localSize) => {
        // GNU counts the GET's tries afresh after the HEAD's ("the retrieve count for HEAD is
        // reset"), for -nv's last number.
        log.attempt = 1;
        this.#lengthLine(log, log.responseLength, 0);
        if (reason === "untimed") {
          // GNU says so after the HEAD, and not again after the GET.
          this.#print("Last-modified header missing -- time-stamps turned off.");
          log.untimedSaid = true;
        } else {
          this.#sayInvalidTime(log);
        }
        if (reason === "unchecked" || reason === "untimed") return;
        this.#line(
          reason === "newer"
            ? "Remote file is newer, retrieving.\n"
            : `The sizes do not match (local ${localSize}) -- retrieving.\n`,
        );
      },
      // GNU says so with -nv too, before the request.
      nameShortened: (bytes, limit) =>
        this.#print(`The destination name is too long (${bytes}), reducing to ${limit}`),
      // GNU says which challenge it answers, with -nv too.
      authenticate: (challenge) => {
        log.answering = true;
        this.#print(`Authentication selected: ${challenge}`);
      },
      authNotice: (line) => this.#print(line),
      unknownChallenge: () => this.#print("Unknown authentication scheme."),
      // GNU's lines of HSTS, in the verbose log: before the URL's `--DATE--  https://...` line,
      // and after the status line.
      hstsUpgrade: () => this.#line("URL transformed to HTTPS due to an HSTS policy"),
      hstsUnparsable: () => this.#line("Could not parse Strict-Transport-Security header"),
      // GNU prints Location as the server sent it, its bytes outside printable ASCII as %XX.
      redirect: (_from, to) =>
        this.#line(`Location: ${escapeNonPrintable(log.location ?? to)} [following]`),
      start: ({ path, offset, total }) => {
        log.bodyStarted = true;
        log.path = path;
        log.offset = offset;
        log.total = total;
        log.received = offset;
        // The start time serves only lines -q never prints (the rate, the bar).
        if (this.#showProgress || !this.#quiet) log.started = performance.now();
        log.lastDraw = 0;
        if (this.#verboseLines) this.#startLines(log, path, offset, total);
        // --show-progress with -q or -nv: GNU sets the dots off with a blank line, as "Saving to:"
        // does in the verbose log.
        if (this.#showProgress) this.#takeScreen(log);
        if (this.#showProgress && this.#dotStyle && !this.#verboseLines) this.#raw("\n");
        // (A resumed file's first dots, commas, are drawn at once; not for a server that ignored
        // Range, whose whole body GNU's dots count from 0.)
        const resumedAt = log.partial ? offset : 0;
        log.dots = this.#showProgress && this.#dotStyle
          ? new DotProgress(this.#dotStyle, resumedAt, total, (text) => this.#raw(text))
          : undefined;
        // GNU draws the bar at once, at 0 % (or where a resumed file stands).
        if (this.#showProgress && !log.dots) this.#draw(log, performance.now());
      },
      progress: (received) => {
        log.received = log.offset + received;
        if (!this.#showProgress) return;
        if (log.dots) return log.dots.update(log.received);
        // (--max-threads: while another download's dots or bar hold the last line, this one's
        // progress is not drawn.)
        if (this.#screen !== log && (this.#dotStyle || this.#screen.drawn)) return;
        const now = performance.now();
        if (now - log.lastDraw < 100) return;
        log.lastDraw = now;
        this.#draw(log, now);
      },
      retry: (error, attempt) => {
        log.attempt = attempt + 1;
        log.answering = false;
        // A HEAD answered 500 or 501 is asked again with GET at the next try, without a word
        // (-nv named the URL with the answer), as GNU's http_loop; which then says nothing of
        // the GET's Last-Modified (its got_head is set).
        if (
          log.headAsked !== undefined && error instanceof HttpStatusError &&
          (error.status === 500 || error.status === 501)
        ) {
          log.untimedSaid = log.invalidSaid = true;
          return;
        }
        // -N: an answer without Last-Modified says so after its body, even one cut short (then
        // not again for the retries), as GNU's.
        if (
          this.#timestamping && log.responded && log.responseOk && !log.hasLastModified &&
          !log.untimedSaid && !this.#quiet
        ) {
          // (After the body's dots, as GNU's got_head lines come after gethttp's.)
          if (this.#verboseLines) this.#endDots(log);
          this.#print("Last-modified header missing -- time-stamps turned off.");
          log.untimedSaid = true;
        }
        if (log.responded && log.responseOk) this.#sayInvalidTime(log);
        // GNU: "Retrying." and a blank line, after the line that said what failed (the connector's
        // "failed:", the status line); other failures are said here first.
        if (this.#readFailure(log, error, "Retrying.")) return;
        // -nv names the URL of a status --retry-on-http-error retries, as of a final one (GNU).
        // (Not a 504, which GNU retries before it looks at the status.)
        if (this.#nonVerbose && error instanceof HttpStatusError && error.status !== 504) {
          this.error(`${error.url}:`);
        }
        // (A resumed answer that starts elsewhere: GNU's status line said it all, RANGEERR.)
        const said = this.#connectFailureShown(log) || error instanceof HttpStatusError ||
          error instanceof ContentRangeError;
        if (!said) this.#line(`wget: ${errorMessage(error)}`);
        this.#line("Retrying.\n");
      },
    };
  }

  /**
   * The callbacks to give `createAddressConnector()` as its `events`: GNU wget's "Resolving",
   * "Connecting to" and "failed:" lines.
   */
  readonly connectorEvents: AddressConnectorEvents = {
    resolved: ({ host, addresses }) => {
      if (!this.#verboseLines) return;
      const shown = addresses.slice(0, 3).join(", ") + (addresses.length > 3 ? ", ..." : "");
      this.#line(`Resolving ${host} (${host})... ${shown}`);
    },
    resolveFailed: ({ host, reason, literal }) => {
      this.#connectorFailures++;
      if (this.#quiet) return;
      this.#line(`${literal ? "" : `Resolving ${host} (${host})... `}failed: ${reason}.`);
      this.error(`wget: unable to resolve host address ${quoteName(host)}`);
    },
    attempted: ({ host, address, port, reason }) => {
      if (reason === undefined) this.#connectorConnects++;
      else this.#connectorFailures++;
      if (this.#quiet) return;
      const where = address === undefined
        ? formatHostPort(host, port)
        : `${host} (${host})|${address}|:${port}`;
      const outcome = reason === undefined ? "connected." : `failed: ${reason}.`;
      if (this.#verboseLines) this.#line(`Connecting to ${where}... ${outcome}`);
      else if (reason !== undefined) this.#print(outcome);
    },
  };

  /** The connector said "Connecting to ... connected." since `log`'s request went out. */
  #announced(log: DownloadLogState): boolean {
    return this.#connectorConnects > log.connectsSeen;
  }

  /** The connector said why a connection failed since `log`'s request went out. */
  #connectFailureShown(log: DownloadLogState): boolean {
    return this.#connectorFailures > log.failuresSeen;
  }

  /** GNU's "Length:" and "Saving to:" lines. */
  #startLines(
    log: DownloadLogState,
    path: string,
    offset: number,
    total: number | undefined,
  ): void {
    // GNU gives no length line for an error page (--content-on-error).
    if (!log.errorBody) this.#lengthLine(log, total, offset);
    this.#line(`Saving to: ${quoteName(path === "-" ? "STDOUT" : path)}\n`);
  }

  /** Ends `log`'s open dot line (its last dots, then a blank line), as GNU before what follows. */
  #endDots(log: DownloadLogState): void {
    if (!log.dots) return;
    log.dots.finish(log.received);
    log.dots = undefined;
    this.#raw("\n");
  }

  /**
   * GNU's verbose "Last-modified header invalid -- time-stamp ignored." for an answer whose
   * Last-Modified its date parser cannot read (GNU's got_head: once a file, after its first
   * answer; -N or not).
   */
  #sayInvalidTime(log: DownloadLogState): void {
    if (!log.lastModifiedInvalid || log.invalidSaid || !this.#verboseLines) return;
    this.#endDots(log);
    this.#line("Last-modified header invalid -- time-stamp ignored.");
    log.invalidSaid = true;
  }

  /** GNU's length line: "Length: 1048576 (1.0M), 524288 (512K) remaining [type]". */
  #lengthLine(log: DownloadLogState, total: number | undefined, offset: number): void {
    const sized = (n: number) => n < 1024 ? `${n}` : `${n} (${formatBytes(n)})`;
    // (A 206's length is its Content-Range's, --ignore-length or not, as GNU's.)
    const length = this.#ignoreLength && !(log.partial && total !== undefined)
      ? "ignored"
      : total === undefined
      ? "unspecified"
      : sized(total);
    const remaining = offset > 0 && total !== undefined && log.partial
      ? `, ${sized(total - offset)} remaining`
      : "";
    // (A header present but empty is shown, as GNU's: "[]".)
    const type = log.type !== undefined ? ` [${shownType(log.type)}]` : "";
    this.#line(`Length: ${length}${remaining}${type}`);
  }

  /**
   * GNU wget's verdict after a `--spider` HEAD: the file exists, and whether it is fetched next
   * for its links (a recursive run, a page or stylesheet) or not.
   */
  #spiderVerdict(log: DownloadLogState, result: DownloadResult): void {
    // GNU takes a response without Content-Type for HTML (CGIs that forget it): it could hold
    // links, and a recursive run fetches it.
    // The result's own type, status and Last-Modified when it tells them (--max-threads runs
    // several HEADs at once, whose answers interleave), else the last answer's.
    const own = "contentType" in result;
    const type = own ? result.contentType : log.type;
    // A 204 GNU types not at all: no page.
    const status = own ? result.status : (log.status || result.status);
    const holdsLinks = status !== 204 && pageKind(type) !== "other";
    const hasLastModified = result.hasLastModified ?? log.hasLastModified;
    // A 204 GNU answers before its length line (no body, no length); the length comes before
    // what GNU says of Last-Modified (gethttp prints it, http_loop's got_head the rest).
    if (!this.#nonVerbose && status !== 204) {
      this.#lengthLine(log, result.size, result.resumedAt ?? 0);
    }
    // -N (-m): a HEAD answered without Last-Modified says so, as GNU's, then (its -S head
    // shown) the GET that may follow for links, whose answer GNU no longer looks at for it.
    if (this.#timestamping && !hasLastModified) {
      this.#print("Last-modified header missing -- time-stamps turned off.");
    } else if (hasLastModified) {
      this.#sayInvalidTime(log);
    }
    if (this.#nonVerbose) {
      // The page fetched next prints its own line.
      if (this.#recursive && holdsLinks) return;
      const reason = own ? result.reason ?? "" : log.reason;
      const code = String(status).padStart(2);
      const url = loggedUrl(log, result.finalUrl);
      this.#print(`${timestamp()} URL: ${url} ${code} ${reason}`.trimEnd());
      return;
    }
    this.#line(
      this.#recursive
        ? holdsLinks
          ? "Remote file exists and could contain links to other resources -- retrieving.\n"
          : "Remote file exists but does not contain any link -- not retrieving.\n"
        : holdsLinks
        ? "Remote file exists and could contain further links,\n" +
          "but recursion is disabled -- not retrieving.\n"
        : "Remote file exists.\n",
    );
  }

  #draw(log: DownloadLogState, now: number): void {
    this.#takeScreen(log);
    const line = formatProgressLine(log.path, {
      received: log.received,
      total: log.total,
      fetched: log.received - log.offset,
      elapsedMs: now - log.started,
    }, consoleColumns() - 1);
    const columns = consoleColumns() - 1;
    // A terminal clears the rest of the line; a log gets the line padded, as GNU's.
    this.#raw(this.#tty ? `\r${line}\x1b[K` : `\r${line.padEnd(columns)}`);
    log.drawn = true;
  }

  /**
   * How long the last saved body took to arrive, in milliseconds (GNU wget's download time, which
   * its closing "Downloaded: ... in TIME (RATE)" adds up); not measured with -q.
   */
  get lastBodyMs(): number {
    return this.#lastBodyMs;
  }
  #lastBodyMs = 0;

  /**
   * GNU wget's warning, once per URL (a HEAD and its GET are one, and -nc's skip too), for a path
   * holding a character its FTP globbing would read: `*`, `?`, `[` or `]` (`%2A` not).
   */
  #warnWildcards(log: DownloadLogState, href: string): void {
    if (!this.#wildcardWarning || log.wildcardUrl === href) return;
    log.wildcardUrl = href;
    const path = href.replace(/^[a-z]+:\/\/[^/]*/i, "").split("?")[0]!;
    if (/[*?[\]]/.test(path)) this.#line("Warning: wildcards not supported in HTTP.");
  }

  /**
   * The full size `result`'s answer announced: its own when it says (`--max-threads` runs several
   * downloads at once, whose events interleave), else the last body's start's.
   */
  #totalOf(log: DownloadLogState, result: DownloadResult): number | undefined {
    return "total" in result ? result.total : log.total;
  }

  /** Prints how a download ended: saved, skipped, or (for --spider) that the file exists. */
  finish(result: DownloadResult, options: { robots?: boolean | undefined } = {}): void {
    this.#finish(this.#shared, result, options);
  }

  #finish(
    log: DownloadLogState,
    result: DownloadResult,
    options: { robots?: boolean | undefined } = {},
  ): void {
    // The try that saved it: the last number of GNU's -nv line (the result's own when it
    // tells: --max-threads retries several URLs at once).
    const attempt = result.tries ?? log.attempt;
    log.attempt = 1;
    log.answering = false;
    this.#lastBodyMs = this.#quiet ? 0 : performance.now() - log.started;
    if (log.drawn) {
      // The bar stays, at its last state (100 % and the time taken), on a line of its own; the
      // verbose log then leaves a blank line, as after GNU's dots.
      this.#draw(log, performance.now());
      this.#raw(this.#verboseLines ? "\n\n" : "\n");
      log.drawn = false;
    }
    // GNU: the last dot line, then a blank line (with -q --show-progress too).
    this.#endDots(log);
    if (this.#quiet) return;
    if (
      this.#timestamping && result.path !== undefined && result.skipped === undefined &&
      !(result.hasLastModified ?? log.hasLastModified) && !log.untimedSaid && !options.robots &&
      // (--spider -r: the GET after a HEAD, which said it, as GNU's got_head.)
      !(this.#spider && this.#recursive)
    ) {
      this.#print("Last-modified header missing -- time-stamps turned off.");
    } else if (
      result.path !== undefined && result.skipped === undefined &&
      !(this.#spider && this.#recursive)
    ) {
      this.#sayInvalidTime(log);
    }
    log.untimedSaid = log.invalidSaid = false;
    const name = quoteName(result.path ?? "");
    if (result.skipped === "exists") {
      if (this.#verboseLines) this.#warnWildcards(log, result.url);
      this.#line(`File ${name} already there; not retrieving.\n`);
    } else if (result.skipped === "head-not-newer") {
      this.#lengthLine(log, log.responseLength, 0);
      this.#line(`Server file no newer than local file ${name} -- not retrieving.\n`);
    } else if (result.skipped === "not-newer") {
      // GNU's words: a 304, or a 200 whose Last-Modified and size say the copy here is current.
      this.#line(
        result.status === 304
          ? `File ${name} not modified on server. Omitting download.\n`
          : `Server ignored If-Modified-Since header for file ${name}.\n` +
            "You might want to add --no-if-modified-since option.\n",
      );
    } else if (result.skipped === "complete") {
      this.#line("\n    The file is already fully retrieved; nothing to do.\n");
    } else if (result.path === undefined && this.#spider) {
      this.#spiderVerdict(log, result);
    } else if (this.#nonVerbose) {
      if (result.path === undefined) return;
      const size = result.size ?? result.bytes;
      const total = this.#totalOf(log, result);
      const of = total === undefined ? `${size}` : `${size}/${total}`;
      // (GNU shows the password of a URL's userinfo here; netkit, as in its other lines, never.)
      const url = loggedUrl(log, result.finalUrl);
      this.#print(`${timestamp()} URL:${url} [${of}] -> "${result.path}" [${attempt}]`);
    } else if (result.path === undefined) {
      this.#line(
        `Remote file exists${result.size === undefined ? "" : ` (${result.size} bytes)`}.`,
      );
    } else {
      this.#clear();
      const size = result.size ?? result.bytes;
      const total = this.#totalOf(log, result);
      const of = total === undefined ? `${size}` : `${size}/${total}`;
      const seconds = (performance.now() - log.started) / 1000;
      // GNU: "2026-11-30 04:56:19 (3.64 MB/s) - 'name' saved [10/10]", between blank lines.
      const where = result.path === "-" ? "written to stdout " : `${quoteName(result.path)} saved `;
      this.#line(`${timestamp()} (${rate(result.bytes, seconds)}) - ${where}[${of}]\n`);
    }
  }

  /**
   * GNU wget's closing lines after several URLs: `FINISHED --DATE--`, the wall clock time, and
   * `Downloaded: N files, SIZE in TIME (RATE)`.
   */
  summary(totals: { files: number; bytes: number; wallMs: number; downloadMs: number }): void {
    this.#print(`FINISHED --${timestamp()}--`);
    this.#print(`Total wall clock time: ${humanTime(totals.wallMs / 1000)}`);
    const seconds = totals.downloadMs / 1000;
    this.#print(
      `Downloaded: ${totals.files} files, ${formatBytes(totals.bytes)} in ${humanTime(seconds)} ` +
        `(${rate(totals.bytes, seconds)})`,
    );
  }

  /** GNU wget's lines for a final error status, in the verbose log and with `-nv`. */
  #statusFailure(log: DownloadLogState, error: HttpStatusError, robots: boolean): void {
    if (REDIRECT_STATUSES.has(error.status)) {
      // A redirect without a Location header.
      this.#line("Location: unspecified");
      this.error(`ERROR: Redirection (${error.status}) without location.`);
      return;
    }
    if (error.status === 401) {
      this.#line("");
      this.error("Username/Password Authentication Failed.");
      return;
    }
    // -nv names the URL first; the verbose log has said it already.
    if (this.#nonVerbose) this.error(`${loggedUrl(log, error.url)}:`);
    // robots.txt is fetched as a file even by a spider, as GNU wget does.
    this.error(
      this.#spider && !robots
        ? "Remote file does not exist -- broken link!!!"
        : `${timestamp()} ERROR ${error.status}: ${error.reason}.`,
    );
    this.#line("");
  }

  /** GNU wget's closing line of `-k`: "Converted links in 3 files in 0.002 seconds.". */
  converted(files: number, seconds: number): void {
    this.#line(`Converted links in ${files} files in ${printDecimal(seconds)} seconds.`);
  }

  /** GNU wget's "Download quota of SIZE EXCEEDED!". */
  quotaExceeded(quota: number): void {
    this.#print(`Download quota of ${formatBytes(quota)} EXCEEDED!`);
  }

  /**
   * GNU's lines for a connection that failed while the response was read: "HTTP request sent,
   * awaiting response... Read error (Connection timed out) in headers." (or "No data
   * received."), or, inside the body, "DATE (RATE) - Read error at byte 3/100 (...). Retrying." /
   * "Connection closed at byte 3. Giving up."; false for other errors.
   */
  #readFailure(log: DownloadLogState, error: unknown, next: "Retrying." | "Giving up."): boolean {
    const eof = error instanceof UnexpectedEofError;
    const read = error instanceof SocketError && error.step === "read";
    if (!eof && !read) return false;
    const reason = read ? READ_REASONS[error.failure] ?? errorMessage(error.cause) : "";
    if (!log.bodyStarted) {
      if (log.responded) return false;
      const text = eof ? "No data received." : `Read error (${reason}) in headers.`;
      if (this.#verboseLines) {
        this.#line(`${log.sentBy} request sent, awaiting response... ${text}`);
        this.#line(`${next}\n`);
      } else if (!this.#quiet) this.#print(text);
      return true;
    }
    if (!this.#verboseLines) return true;
    this.#endDots(log);
    this.#clear();
    const of = log.total === undefined ? `${log.received}` : `${log.received}/${log.total}`;
    const text = eof
      ? `Connection closed at byte ${log.received}.`
      : `Read error at byte ${of} (${reason}).`;
    const seconds = (performance.now() - log.started) / 1000;
    const fetched = log.received - log.offset;
    this.#line(`${timestamp()} (${rate(fetched, seconds)}) - ${text} ${next}\n`);
    return true;
  }

  /**
   * Prints a failed download's error in GNU wget's words; nothing when quiet, as GNU's `-q`.
   * `robots`: the failure was robots.txt's, which a spider fetches as a file too.
   */
  fail(error: unknown, options: { robots?: boolean | undefined } = {}): void {
    this.#fail(this.#shared, error, options);
  }

  #fail(
    log: DownloadLogState,
    error: unknown,
    options: { robots?: boolean | undefined } = {},
  ): void {
    this.#clear();
    // --content-on-error: the error page's last dot line and a blank line, before GNU's ERROR.
    if (error instanceof HttpStatusError) this.#endDots(log);
    const retried = log.attempt > 1;
    log.attempt = 1;
    log.answering = false;
    const untimedSaid = log.untimedSaid;
    const invalidSaid = log.invalidSaid;
    log.untimedSaid = log.invalidSaid = false;
    // -q says nothing of the server or the network (GNU's -q: the exit code tells), but a file
    // that cannot be written (a full disk, a closed pipe) still gets its line: a write error is
    // never silent (house rule; GNU wget's -q says nothing there either).
    if (this.#quiet && !(error instanceof DownloadFileError)) return;
    // -N: an answer without Last-Modified whose body failed says so first, as before a retry.
    if (
      this.#timestamping && log.responded && log.responseOk && !log.hasLastModified &&
      !untimedSaid && !(error instanceof HttpStatusError) && !options.robots
    ) {
      if (this.#verboseLines) this.#endDots(log);
      this.#print("Last-modified header missing -- time-stamps turned off.");
    }
    if (
      log.responded && log.responseOk && !invalidSaid && !(error instanceof HttpStatusError)
    ) {
      this.#sayInvalidTime(log);
      // Said for this file, which ends here: the next file of this log starts unsaid.
      log.invalidSaid = false;
    }
    // A HEAD answered 500 or 501 with no try left for its GET (-t 1): GNU's http_loop ends
    // there without a word more (-nv named the URL with the answer).
    if (
      error instanceof GaveUpError && log.headAsked !== undefined &&
      error.cause instanceof HttpStatusError &&
      (error.cause.status === 500 || error.cause.status === 501)
    ) {
      return;
    }
    // Attempts that ran out on a failure worth retrying (a refused connection is one only when
    // it was retried, with --retry-connrefused).
    const ranOut = error instanceof GaveUpError ||
      (this.#connectFailureShown(log) && error instanceof SocketError && error.step === "connect" &&
        (retried || error.failure !== "refused"));
    if (ranOut) {
      // GNU: the attempts said what failed; then "Giving up." and a blank line, only in the
      // verbose log (-nv and -q say nothing more; the exit code tells). -nv names the URL of a
      // status retried the last time, as of each before.
      if (
        this.#nonVerbose && error instanceof GaveUpError &&
        error.cause instanceof HttpStatusError && error.cause.status !== 504
      ) {
        this.error(`${error.cause.url}:`);
      }
      this.#line("Giving up.\n");
      return;
    }
    if (this.#readFailure(log, error, "Giving up.")) return;
    // The connector has said why already, in GNU wget's words.
    if (
      this.#connectFailureShown(log) && error instanceof SocketError &&
      (error.step === "connect" || error.step === "resolve")
    ) {
      return;
    }
    if (error instanceof RedirectError) {
      const count = /^(\d+) redirections exceeded/.exec(error.message)?.[1];
      if (count !== undefined) {
        this.error(`${count} redirections exceeded.`);
        return;
      }
    }
    if (error instanceof HttpStatusError) {
      this.#statusFailure(log, error, options.robots ?? false);
      return;
    }
    if (error instanceof DigestAttributeError) {
      // GNU's ATTRMISSING: a blank line in the verbose log, then its words.
      this.#line("");
      this.error(error.message);
      return;
    }
    if (error instanceof TlsError && error.problems) {
      this.certificate(error.problems, "ERROR");
      return;
    }
    if (error instanceof DownloadFileError) {
      // A body that could not be written: GNU's fd_read_body finishes its progress (what was
      // written before, `0%` for nothing), then http_loop's verbose blank line (FWRITEERR).
      if (error.writing) {
        this.#endDots(log);
        if (this.#verboseLines) this.#raw("\n");
      }
      // A file that could not be made for an answer that came (a file where its directory goes):
      // GNU has said the length line by then (it opens the file after it), and puts a blank line
      // in the verbose log before its own (http_loop's FOPENERR).
      const lengthSaid = this.#verboseLines && !error.writing && log.responded &&
        log.responseOk && !log.bodyStarted && !log.partial;
      if (lengthSaid) this.#lengthLine(log, log.responseLength, 0);
      if (error.unlinking) {
        // --unlink's removal failed (GNU's UNLINKERR): its perror-style line from gethttp,
        // then http_loop's blank line and its own; the file is left as it was.
        const reason = fileErrorText(error.cause);
        this.error(`${error.path}: ${reason}`);
        if (lengthSaid) this.#raw("\n");
        this.error(`Cannot unlink ${quoteName(error.path)} (${reason}).`);
        return;
      }
      if (lengthSaid) this.#raw("\n");
      // GNU's line (http.c), the one people grep for a full disk; GNU says the system's
      // `NAME: REASON` before it when the open failed.
      this.error(`Cannot write to ${quoteName(error.path)} (${fileErrorText(error.cause)}).`);
      return;
    }
    // A URL GNU cannot take either: its words (main.c's `URL: PROBLEM.`).
    const gnu = error instanceof GnuUrlError
      ? { url: error.named, problem: error.problem }
      : error instanceof UrlError
      ? gnuUrlError(error.url)
      : undefined;
    if (gnu !== undefined) return this.error(`${gnu.url}: ${gnu.problem}.`);
    this.error(`wget: ${errorMessage(error)}`);
  }
}

/** GNU wget's `secs_to_human_time`: `1d 2h 3m 4s`, `2h 3m 4s`, `4m 5s`, or `print_decimal` seconds. */
function humanTime(seconds: number): string {
  const whole = Math.floor(seconds + 0.5);
  const [d, h, m, s] = [
    Math.floor(whole / 86400),
    Math.floor(whole / 3600) % 24,
    Math.floor(whole / 60) % 60,
    whole % 60,
  ];
  if (d > 0) return `${d}d ${h}h ${m}m ${s}s`;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${printDecimal(seconds)}s`;
}

/** GNU wget's `print_decimal`: 12, 1.5, 0.02, 0.001 (one significant digit under 0.95), or 0. */
function printDecimal(value: number): string {
  if (value >= 9.95) return value.toFixed(0);
  if (value >= 0.95) return value.toFixed(1);
  if (value >= 0.001) return String(Number(value.toPrecision(1)));
  if (value >= 0.0005) return value.toFixed(3);
  return "0";
}

/** GNU wget's `retr_rate`: `4.17 MB/s`, more digits for smaller numbers. */
function rate(bytes: number, seconds: number): string {
  let value = bytes / Math.max(seconds, 0.001);
  const units = ["B/s", "KB/s", "MB/s", "GB/s"];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** The statuses GNU wget follows (and calls a redirection without location when it cannot). */
const REDIRECT_STATUSES = new Set([300, 301, 302, 303, 307, 308]);

/** strerror's words for a failed read, as GNU wget prints them. */
const READ_REASONS: Record<string, string> = {
  "timed-out": "Connection timed out",
  reset: "Connection reset by peer",
  closed: "Connection closed",
};

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function consoleColumns(): number {
  try {
    // A terminal that reports no size (0 columns) gets the classic 80.
    return Deno.consoleSize().columns || 80;
  } catch {
    return 80;
  }
}
