/**
 * GNU wget's download logic on the HTTP client: choosing and creating the file (never clobbering
 * one that exists), resuming with `Range`, following redirects, retrying network failures and 5xx,
 * and the exit codes GNU wget documents.
 *
 * @module
 */

import { gnuReencode } from "./_gnu_reencode.ts";
import { quoteForMessage } from "../internal/quote.ts";
import { osErrorText } from "../internal/os_error_text.ts";
import { fileNameFromUrl } from "./file_name.ts";
import { dispositionName } from "./_disposition_name.ts";
import { withPageExtension } from "./page_kind.ts";
import { rotateBackups } from "./_backups.ts";
import { unlinkBeforeWriting } from "./_unlink.ts";
import { withReferer } from "./_referer.ts";
import { gnuChallenge } from "./_auth_challenge.ts";
import {
  ConnectionClosedError,
  HeaderLimitError,
  HttpProtocolError,
  HttpStatusError,
  RedirectError,
} from "../http/errors.ts";
import { TlsError } from "../net/tls_error.ts";
import {
  type HttpClientOptions,
  type HttpConnectionInfo,
  type HttpResponse,
  sendHttpRequest,
} from "../http/client.ts";
import { basicCredentials } from "../http/request.ts";
import { HttpConnectionPool } from "../http/pool.ts";
import { hostHeader, type HttpUrl, parseHttpUrl, UrlError } from "../http/url.ts";
import { proxyForUrl, type ProxySettings } from "./proxy.ts";
import type { TlsTunnel } from "../net/tls_connect.ts";
import type { CookieJar } from "./cookie_jar.ts";
import { SocketError } from "../net/socket_error.ts";
import type { ByteWriter } from "../io/duplex.ts";
import { LineTooLongError, UnexpectedEofError } from "../net/socket_stream.ts";
import { NetkitError } from "../io/netkit_error.ts";
import { type Received, takeOver } from "./_received.ts";
import type { HstsStore } from "./hsts.ts";
import { keepAnswerState } from "./_hsts_answer.ts";
import { parseHttpDate } from "./http_date.ts";
import { storedLength } from "./_stored_length.ts";
import { freeFileName, MAX_NAME_SUFFIX } from "./_free_name.ts";
import { timerSleep } from "./_timer_sleep.ts";

/** GNU wget's exit codes. */
export const WGET_EXIT = {
  ok: 0,
  generic: 1,
  parse: 2,
  fileIo: 3,
  network: 4,
  tlsVerification: 5,
  auth: 6,
  protocol: 7,
  serverError: 8,
} as const;

/** Writing the downloaded file failed (create, open, write, stat). */
export class DownloadFileError extends NetkitError {
  /** The file involved. */
  readonly path: string;
  /**
   * The body's write failed (a full disk, a closed pipe), not the file's making: GNU wget's
   * `FWRITEERR`, which ends a recursion where an open that fails (`FOPENERR`) does not.
   */
  readonly writing: boolean;
  /**
   * The file there could not be removed before it was written again (`--unlink`): GNU wget's
   * `UNLINKERR`, said as `Cannot unlink 'NAME' (REASON).`; the file is left as it was.
   */
  readonly unlinking: boolean;
  /** Builds the error; the OS error is kept as `cause`. */
  constructor(
    path: string,
    cause: unknown,
    options: { writing?: boolean; unlinking?: boolean } = {},
  ) {
    const doing = options.unlinking ? "remove" : "write";
    super("FILE", `Cannot ${doing} "${path}": ${fileErrorText(cause)}`, { cause });
    this.name = "DownloadFileError";
    this.path = path;
    this.writing = options.writing ?? false;
    this.unlinking = options.unlinking ?? false;
  }
}

/**
 * The C library's text for a file error (`No such file or directory`), without the system call
 * and path that Deno appends (`(os error 2): open 'x'`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fileErrorText } from "@netkit/netkit/download";
 *
 * try {
 *   Deno.openSync("/");
 * } catch (error) {
 *   assert.equal(fileErrorText(error), "Is a directory");
 * }
 * assert.equal(fileErrorText(new Deno.errors.NotFound("x (os error 2): open 'y'")), "No such file or directory");
 * ```
 */
export function fileErrorText(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "No such file or directory";
  if (error instanceof Deno.errors.PermissionDenied) return "Permission denied";
  if (error instanceof Deno.errors.AlreadyExists) return "File exists";
  if (error instanceof Deno.errors.IsADirectory) return "Is a directory";
  if (error instanceof Deno.errors.NotADirectory) return "Not a directory";
  return osErrorText(error);
}

/** Where a download's body goes instead of a file of its own (`-O FILE`, `-O -`). */
export interface DownloadSink {
  /** The destination's name, for messages (`"-"` for standard output). */
  name: string;
  /** The writer. */
  writer: ByteWriter;
  /**
   * Bytes already there, to resume after (`-c -O FILE`); a server that ignores `Range` has that
   * many bytes of its body skipped. @default {0}
   */
  offset?: number;
}

/**
 * The URL's own credentials as a log may name them: the user name, and whether there is a
 * password (never the password itself).
 */
export interface RequestUserinfo {
  /** The user name, decoded. */
  username: string;
  /** Whether the URL gave a password. */
  password: boolean;
}

/** What a download reports while it runs, for the command to print. */
export interface DownloadEvents {
  /**
   * A request is about to be sent to `url` with `method` (`HEAD` for `--spider`); `userinfo`
   * when the URL's own credentials (`http://u:p@host/`) go with it to its origin: the user name,
   * and whether there is a password (never the password itself), for a log that names the URL as
   * GNU wget does (`http://u:*password*@host/`).
   */
  request?(
    url: HttpUrl,
    method: string,
    userinfo?: RequestUserinfo,
  ): void;
  /**
   * The request went out on a new connection to `host:port` (the server, or the plain HTTP
   * proxy), or on a kept-alive one (`reused`, `host` the name it was opened for, which may be
   * another name of the same server); `address` is its peer's when known. Reported with a
   * `pool` only, just before `response`, or before the error when the request failed on a
   * kept-alive connection (one that had gone stale is replaced at once: the new one is told).
   */
  connected?(info: HttpConnectionInfo): void;
  /** A response head arrived. */
  response?(response: HttpResponse): void;
  /** A redirect is followed. */
  redirect?(from: string, to: string, status: number): void;
  /**
   * `from`, an `http://` URL of a known HSTS host (`hsts`), is fetched as `to`, its `https://`
   * URL: told once per URL, before its first `request` (GNU wget's "URL transformed to HTTPS due
   * to an HSTS policy").
   */
  hstsUpgrade?(from: HttpUrl, to: HttpUrl): void;
  /**
   * An answer's `Strict-Transport-Security` header names no max-age (GNU wget's "Could not parse
   * Strict-Transport-Security header"), told after `response`.
   */
  hstsUnparsable?(): void;
  /** A 401's challenge is answered with the credentials (`challenge`: the header's value). */
  authenticate?(challenge: string): void;
  /**
   * GNU wget's line for a `Digest` challenge's `qop` or algorithm it does not support
   * (`Unsupported quality of protection 'auth-int'.`), told after `authenticate`.
   */
  authNotice?(line: string): void;
  /**
   * A 401 to be answered with the credentials names no scheme they can answer (none, or only
   * others than Basic and Digest): GNU wget's "Unknown authentication scheme.".
   */
  unknownChallenge?(): void;
  /**
   * The body starts: `offset` bytes are already there, `total` is the full size when known (for a
   * gzip body stored decoded, its encoded length: the bytes progress counts).
   */
  start?(info: { path: string; offset: number; total?: number | undefined }): void;
  /** `received` body bytes have arrived in this response. */
  progress?(received: number): void;
  /** Attempt `attempt` failed with `error`; the next starts after `waitMs`. */
  retry?(error: unknown, attempt: number, waitMs: number): void;
  /**
   * `timestampingByHead`: the HEAD said to fetch the file, the server's copy being newer, or
   * not older but of another size than the `localSize` bytes here; or (`"unchecked"`) there
   * was nothing to compare: no copy (with `--content-disposition` under `-c` or `-N`, where
   * the HEAD names the file) or a Last-Modified GNU cannot read; or (`"untimed"`, `-N`) the
   * answer had no Last-Modified.
   */
  fetchAfterHead?(reason: "newer" | "size" | "unchecked" | "untimed", localSize: number): void;
  /** A recursive run cut a file name of `bytes` bytes to `limit`, as GNU wget does. */
  nameShortened?(bytes: number, limit: number): void;
}

/**
 * Options of {@linkcode download}. Give a `pool` (an `HttpConnectionPool`) to keep connections
 * alive across downloads, as `wget` does for the URLs of one command line; without one, a
 * download keeps its connection only across its own redirects and retries.
 */
export interface DownloadOptions extends Omit<HttpClientOptions, "method" | "body"> {
  /** The directory for files (`-P`). @default {"."} */
  directory?: string | undefined;
  /**
   * The directory for the file of a URL, in place of `directory` (`-x`): asked with the URL that
   * names the file, the one given or, with `trustServerNames` or `contentDisposition`, the URL
   * that answered, as GNU wget's url_file_name builds the directories of the URL it names by.
   */
  directoryForUrl?: ((url: HttpUrl) => string) | undefined;
  /**
   * The file name for a URL, instead of its last path segment (`fileNameFromUrl`): for GNU
   * wget's `--restrict-file-names`. It must give a safe name (no `/`, no `..`).
   */
  fileNameForUrl?: ((url: HttpUrl) => string) | undefined;
  /** Write into this instead of a file named after the URL (`-O`). */
  output?: DownloadSink;
  /**
   * `-E`: a page saved under a name without `.html` (or `.htm`) gets `.html` added, a stylesheet
   * without `.css` gets `.css`, as GNU wget does.
   */
  adjustExtension?: boolean | undefined;
  /** Skip the download when the file exists (`--no-clobber`). */
  noClobber?: boolean | undefined;
  /**
   * Write over a file of the URL's name that is already there instead of taking the next free
   * name (`NAME.1`): GNU wget's `-x` without `-r` (its ALLOW_CLOBBER).
   */
  clobber?: boolean | undefined;
  /**
   * `--unlink`: a file about to be written over is removed first, so that a hard link to it keeps
   * its old bytes, as GNU wget's (not a file continued with `Range`).
   */
  unlink?: boolean | undefined;
  /** Resume a partial file with `Range` (`-c`). */
  resume?: boolean | undefined;
  /**
   * GNU wget's `--start-pos`: ask for the body from this byte on (`Range: bytes=N-`) and write
   * only those bytes, to the file a download would make (a free name, `NAME.1`, beside a file of
   * the name; appended to where a file is written over: `-x`, `-N`, `--backups`, `-O`). A server
   * that ignores `Range` has that many bytes of its body skipped; one with no more bytes (a 416,
   * a shorter body) leaves the file "already fully retrieved". `spider` sends it with its HEAD
   * (a 206's length counted from it); `resume` takes its place. @default {0}
   */
  startPos?: number | undefined;
  /** The most redirects followed. @default {20} */
  maxRedirects?: number;
  /** Attempts in all; 0 for no limit. @default {20} */
  tries?: number;
  /**
   * HTTP statuses that are tried again like a network failure (`--retry-on-http-error`); 504 always
   * is, as with GNU wget, and no other status is unless listed here.
   */
  retryOnHttpError?: readonly number[] | undefined;
  /** The longest wait between attempts (1 s, 2 s, ... up to this). @default {10000} */
  retryWaitMs?: number;
  /**
   * Take the name from `Content-Disposition` (`--content-disposition`); an answer without one is
   * named after the URL that answered (a redirect's target), as GNU wget names it.
   */
  contentDisposition?: boolean | undefined;
  /** Name the file after the last redirect's URL (`--trust-server-names`). */
  trustServerNames?: boolean | undefined;
  /** Only check that the URL exists, with HEAD (`--spider`). */
  spider?: boolean | undefined;
  /**
   * The `Referer` header (`--referer`), kept across redirects as GNU wget keeps it; a `Referer`
   * among `headers` (`--header`) wins over it, as GNU's user headers do.
   */
  referer?: string | undefined;
  /** The method (`--method`). @default {"POST" with a body, else "GET"} */
  method?: string | undefined;
  /**
   * The request body (`--post-data`, `--body-data`, `--post-file`), sent with `Content-Type:
   * application/x-www-form-urlencoded` unless `headers` name another. A 303, or a 301/302 to a
   * POST, turns the request into a GET without it, as GNU wget does; 307 and 308 keep it.
   */
  body?: Uint8Array | string | undefined;
  /**
   * Credentials for Basic authentication (`--user`, `--password`): sent after a 401 that asks
   * for Basic, or at once with `authNoChallenge`; only to the host of the URL asked for (a
   * redirect to another port or scheme of it, http to https, too, as GNU wget), never to another
   * host a redirect leads to. Credentials in the URL itself go to its origin only, and only
   * after a challenge (unless `authNoChallenge`), as GNU's.
   */
  credentials?: { username: string; password: string } | undefined;
  /** Credentials by host when `credentials` is not given (`.netrc`; see `parseNetrc`). */
  credentialsFor?:
    | ((host: string) => { username: string; password: string } | undefined)
    | undefined;
  /** Send the credentials with the first request (`--auth-no-challenge`). */
  authNoChallenge?: boolean | undefined;
  /**
   * Origins (`http://host:port`) that asked for Basic before: the credentials go to them with the
   * first request. Share one set across downloads, as wget does for one command line; the set
   * grows with each challenge answered with `credentials` or `credentialsFor`'s (not a URL's).
   * By origin, where GNU wget keeps host names: its credentials then go unasked to every port
   * and scheme of the host, plain http after https included.
   */
  basicAuthOrigins?: Set<string> | undefined;
  /**
   * `-N`: ask with `If-Modified-Since` for a file that exists; skip it when the server's copy is
   * not newer (304, or a Last-Modified not after the file's and the same size), else overwrite it.
   */
  timestamping?: boolean | undefined;
  /**
   * `--no-if-modified-since`, with `timestamping`: for a file that exists, ask with `HEAD` first
   * (no `If-Modified-Since`), then `GET` it only when the server's copy is newer or of another
   * size, as GNU wget.
   */
  timestampingByHead?: boolean | undefined;
  /**
   * `--backups=N`: a file about to be written again is kept as `NAME.1` first, earlier copies
   * moved on to `NAME.2` ... `NAME.N`, as GNU wget (and a name is then reused, never made unique).
   */
  backups?: number | undefined;
  /**
   * Forward proxies (`http_proxy`, `no_proxy`; see `proxySettingsFromEnv`). An `http://` URL
   * goes to the proxy in absolute form, an `https://` URL through a `CONNECT` tunnel, each with
   * `Proxy-Authorization` from the proxy URL's credentials.
   */
  proxy?: ProxySettings | undefined;
  /**
   * Cookies to send and to keep what servers set, across redirects and downloads (wget keeps
   * one jar for a command line unless `--no-cookies`).
   */
  cookies?: CookieJar | undefined;
  /**
   * Known HSTS hosts (GNU wget's `~/.wget-hsts`): an `http://` URL of one (the URL asked for, a
   * redirect's) is fetched over `https://`, and HTTPS answers' `Strict-Transport-Security`
   * headers are kept in it. The result's `url` and `finalUrl` stay the URLs as written, as GNU's.
   */
  hsts?: HstsStore | undefined;
  /**
   * `--compression`: "none" asks for the body as stored (`Accept-Encoding: identity`) and saves
   * what comes; "auto" and "gzip" ask for gzip and store a gzip body decoded, as GNU wget does.
   * @default {"none"}
   */
  compression?: "none" | "auto" | "gzip" | undefined;
  /** Save the body of an error response too (`--content-on-error`); the download still fails. */
  contentOnError?: boolean | undefined;
  /** Write the response head before the body in the file (`--save-headers`). */
  saveHeaders?: boolean | undefined;
  /** Try again when the connection is refused (`--retry-connrefused`). */
  retryConnectionRefused?: boolean | undefined;
  /** The most body bytes a second (`--limit-rate`); the copy sleeps to stay under it. */
  limitBytesPerSecond?: number | undefined;
  /** Give saved files the server's Last-Modified as their mtime, as GNU wget does. @default {true} */
  useServerTimestamps?: boolean | undefined;
  /** Progress reports. */
  events?: DownloadEvents;
  /** How to wait between attempts; tests inject a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Wait this long before following a redirect, as GNU wget's `--wait` waits before every
   * request (the recursion passes its `waitMs`). @default {0}
   */
  redirectWaitMs?: number | undefined;
  /**
   * Waits before a redirect's request in place of `redirectWaitMs`, told the URL that answered
   * and the one to ask next (the recursion's `--wait` with several threads: another host's turn).
   */
  redirectWait?: ((from: string, to: string) => Promise<void>) | undefined;
  /**
   * Called with a redirect's `Location` and the URL it answered, before it is followed: what it
   * throws fails the download, after the `redirect` event (a command's own refusal: GNU wget's
   * url_parse of the Location).
   */
  checkLocation?: ((location: string, base: string) => void) | undefined;
  /**
   * With `output`: where the sink continues when a redirect is followed. Asked with the
   * target's URL after the `redirect` event and `redirectWait`, before the target is requested (the
   * wait may let another writer of that file finish first); a number is the
   * bytes the sink's destination already holds for that URL, and the target is asked for the rest
   * (`Range`), as the first URL after `output.offset`; undefined leaves the sink where it was.
   * (`wget -r -c --trust-server-names`: a redirect's target continues a file of its own, as GNU
   * wget's http_loop names each URL of the redirects afresh.)
   *
   * @example Continue the redirect's target from the bytes already there
   * ```ts
   * import assert from "node:assert/strict";
   * import { download } from "@netkit/netkit/download";
   *
   * const ranges: (string | null)[] = [];
   * const listen = { hostname: "127.0.0.1", port: 0, onListen: () => {} };
   * await using server = Deno.serve(listen, (request) => {
   *   if (new URL(request.url).pathname === "/old") {
   *     return new Response(null, { status: 301, headers: { location: "/new" } });
   *   }
   *   ranges.push(request.headers.get("range"));
   *   const headers = { "content-range": "bytes 3-9/10" };
   *   return new Response("3456789", { status: 206, headers });
   * });
   * let text = "";
   * const writer = {
   *   write: (p: Uint8Array) => Promise.resolve((text += new TextDecoder().decode(p), p.length)),
   * };
   * await download(`http://127.0.0.1:${server.addr.port}/old`, {
   *   output: { name: "new", writer, offset: 0 },
   *   resumeAfterRedirect: (target) => target.endsWith("/new") ? 3 : undefined,
   * });
   * assert.deepEqual(ranges, ["bytes=3-"]);
   * assert.equal(text, "3456789");
   * ```
   */
  resumeAfterRedirect?: ((target: string) => number | undefined) | undefined;
}

/**
 * A resumed answer (206 to `Range: bytes=OFFSET-`) that starts elsewhere than OFFSET, or says
 * nowhere (no `Content-Range`): appending it would corrupt the file. GNU wget's RANGEERR: the
 * connection is dropped and the URL tried again, as after a network failure; once the tries run
 * out, a {@linkcode GaveUpError} (exit 4).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ContentRangeError, downloadExitCode, GaveUpError } from "@netkit/netkit/download";
 *
 * const error = new ContentRangeError("bytes 1005-2999/3000", 1000);
 * assert.equal(error.offset, 1000);
 * assert.equal(downloadExitCode(new GaveUpError(error, 20)), 4);
 * ```
 */
export class ContentRangeError extends HttpProtocolError {
  /** Where the answer was asked to start. */
  readonly offset: number;
  /** Builds the error for the `Content-Range` value `header` (undefined: none) and `offset`. */
  constructor(header: string | undefined, offset: number) {
    super(
      `Server resumed at ${quoteForMessage(header ?? "")} (Content-Range), not at byte ${offset}`,
    );
    this.name = "ContentRangeError";
    this.offset = offset;
  }
}

/**
 * The `Digest` challenge answered names no realm or no nonce: GNU wget's ATTRMISSING ("Required
 * attribute missing from Header received.", exit 7).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DigestAttributeError, downloadExitCode } from "@netkit/netkit/download";
 *
 * assert.equal(downloadExitCode(new DigestAttributeError()), 7);
 * ```
 */
export class DigestAttributeError extends HttpProtocolError {
  /** Builds the error. */
  constructor() {
    super("Required attribute missing from Header received.");
    this.name = "DigestAttributeError";
  }
}

/**
 * The attempts ran out on an error that was worth another try (a network failure, a 504, a
 * status in `retryOnHttpError`): GNU wget then says "Giving up" and exits 4.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { downloadExitCode, GaveUpError } from "@netkit/netkit/download";
 *
 * assert.equal(downloadExitCode(new GaveUpError(new Error("Server answered 504"), 3)), 4);
 * ```
 */
export class GaveUpError extends NetkitError {
  /** The attempts made. */
  readonly attempts: number;
  /** Builds the error around the last attempt's error, kept as `cause`. */
  constructor(cause: unknown, attempts: number) {
    const text = cause instanceof Error ? cause.message : String(cause);
    super("GAVE_UP", `${text}; giving up after ${attempts} ${attempts === 1 ? "try" : "tries"}`, {
      cause,
    });
    this.name = "GaveUpError";
    this.attempts = attempts;
  }
}

/** What a finished download did. */
export interface DownloadResult {
  /** The URL asked for. */
  url: string;
  /** The URL the body came from, after redirects. */
  finalUrl: string;
  /** The file written (or the sink's name); undefined for `--spider`. */
  path?: string;
  /** Body bytes received by the last request (as they came: encoded, or skipped when a server
   * ignored Range), as GNU wget counts what it read. */
  bytes: number;
  /** The file's full size after the run, when known. */
  size?: number | undefined;
  /**
   * The file's full size as the answer announced it when its body started (undefined when it
   * did not say), for a log line of its own however many downloads run at once.
   */
  total?: number | undefined;
  /**
   * `--spider` with `startPos`: the byte a 206 answered from (its length line says the bytes
   * after it "remaining", as GNU's).
   */
  resumedAt?: number | undefined;
  /** The final answer's reason phrase (`--spider`'s, for its "200 OK" line). */
  reason?: string | undefined;
  /** Whether the answer had a `Last-Modified` header (`-N` says when it had none). */
  hasLastModified?: boolean | undefined;
  /** The final status code. */
  status: number;
  /**
   * The try that got it, as GNU wget counts them (the last number of its `-nv` line): from 1,
   * afresh for a GET after a HEAD answered.
   */
  tries?: number;
  /** The final response's `Content-Type`, when it had one. */
  contentType?: string | undefined;
  /** `adjustExtension` added `.html` or `.css` to the file's name. */
  extensionAdded?: boolean;
  /**
   * Why nothing was fetched: the file exists (`--no-clobber`), is already complete (`-c`), or is
   * not older than the server's (`-N`: a 304 or a 200 that says so, or the answer to a `HEAD`
   * first with `timestampingByHead`).
   */
  skipped?: "exists" | "complete" | "not-newer" | "head-not-newer";
  /**
   * The server's Last-Modified, for a body written into `output` (whose file the caller owns, and
   * may give that time, as GNU wget gives it to `-O FILE`).
   */
  lastModified?: Date | undefined;
}

/** The statuses followed when they carry a Location (300 too, as GNU wget follows it). */
const REDIRECTS = new Set([300, 301, 302, 303, 307, 308]);

/**
 * The most header lines a response may have: far above the client's default of 100, since a
 * site may set 150 cookies in one response; the head stays bounded by its 64 KiB.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MAX_RESPONSE_HEADERS } from "@netkit/netkit/download";
 *
 * assert.ok(DEFAULT_MAX_RESPONSE_HEADERS >= 150);
 * ```
 */
export const DEFAULT_MAX_RESPONSE_HEADERS = 1000;

// File calls here are synchronous: each is a local system call of microseconds, while the first
// asynchronous one starts Deno's blocking thread pool, a visible part of a small download's time.

/** A file this download created or resumed, kept across attempts so a retry resumes it. */
interface OwnedFile {
  path: string;
  size: number;
  /** `-E` added `.html` or `.css` to the name the URL gave. */
  extensionAdded?: boolean;
}

/**
 * Downloads `url` as GNU wget would.
 *
 * @param url The URL as the user wrote it.
 * @param options Where to write, and how.
 * @returns What was done.
 * @throws {UrlError}, {SocketError}, {TlsError}, {HttpStatusError}, {HttpProtocolError},
 * {RedirectError}, {DownloadFileError} and the rest; {@linkcode downloadExitCode} maps each to GNU
 * wget's exit code. A partial file stays in place, for `-c`.
 *
 * @example Download a file from a loopback server, twice: wget never clobbers a file
 * ```ts
 * import assert from "node:assert/strict";
 * import { download } from "@netkit/netkit/download";
 *
 * const body = new Uint8Array(100_000).map((_, i) => i % 251);
 * await using server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen: () => {} },
 *   () => new Response(body, { headers: { "content-type": "application/octet-stream" } }),
 * );
 * const directory = await Deno.makeTempDir();
 * const url = `http://127.0.0.1:${server.addr.port}/file.bin`;
 *
 * const first = await download(url, { directory });
 * assert.equal(first.path, `${directory}/file.bin`);
 * assert.equal(first.status, 200);
 * assert.equal(first.bytes, body.length);
 * assert.deepEqual(await Deno.readFile(`${directory}/file.bin`), body);
 *
 * const second = await download(url, { directory });
 * assert.equal(second.path, `${directory}/file.bin.1`);
 *
 * await Deno.remove(directory, { recursive: true });
 * ```
 *
 * @example A missing file is an error whose exit code is GNU wget's
 * ```ts
 * import assert from "node:assert/strict";
 * import { download, downloadExitCode, WGET_EXIT } from "@netkit/netkit/download";
 * import { HttpStatusError } from "@netkit/netkit/http";
 *
 * await using server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen: () => {} },
 *   () => new Response("Not here\n", { status: 404 }),
 * );
 * const directory = await Deno.makeTempDir();
 * const url = `http://127.0.0.1:${server.addr.port}/missing.txt`;
 * await assert.rejects(download(url, { directory }), (error) => {
 *   assert.ok(error instanceof HttpStatusError);
 *   assert.equal(error.status, 404);
 *   assert.equal(downloadExitCode(error), WGET_EXIT.serverError);
 *   return true;
 * });
 * assert.deepEqual(await Array.fromAsync(Deno.readDir(directory)), []); // no file left behind
 * await Deno.remove(directory);
 * ```
 */
export function download(
  url: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  return downloadUrl(url, options);
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** {@linkcode download}, compiled with the module (see above). */
const downloadUrl = (async function downloadUrl(
  url: string,
  options: DownloadOptions,
): Promise<DownloadResult> {
  // The first request's answer, when the caller sent that request itself (the recursion).
  const received = takeOver(options);
  // Asked for as GNU's url_parse asks for it (its reencode_escapes: `a|b` as `a%7Cb`).
  let original = parseHttpUrl(gnuReencode(url));
  if (original.username !== "" || original.password !== "") {
    // Credentials in the URL win over `credentials` and, like them, wait for the server's
    // challenge (GNU wget's way): the URL is asked for without them first.
    const { username, password } = original;
    original = { ...original, username: "", password: "" };
    const marked: DownloadOptions & { [FROM_URL]?: boolean } = {
      ...options,
      credentials: { username, password },
      [FROM_URL]: true,
    };
    options = marked;
  }
  // Redirects to the same origin reuse the connection, through a pool of the caller's or our own.
  const ownPool = options.pool ? undefined : new HttpConnectionPool();
  try {
    return await retryDownload(
      original,
      ownPool ? { ...options, pool: ownPool } : options,
      received,
    );
  } finally {
    await ownPool?.close();
  }
}).bind(undefined);

/**
 * Where the file's name is known before the answer (the URL's name, in a plain download: no
 * `-O`, `-c`, `-N`, `-E`, `--content-disposition`, `--trust-server-names` or spider), a maker that
 * creates it, as `openTarget` would (the first free name), while the request is on the wire: the
 * kernel's work on a new file then overlaps the server's instead of following it (GNU wget waits
 * for the answer, then creates the file). Undefined where the name must wait for the answer, or
 * when the caller already makes the file then (the recursion's `onRequestSent`).
 */
function earlyFileMaker(
  options: DownloadOptions,
  state: AttemptState,
  path: string,
): (() => void) | undefined {
  if (
    options.onRequestSent || options.output || options.spider || options.resume ||
    options.timestamping || options.adjustExtension || options.contentDisposition ||
    (options.backups ?? 0) > 0 || options.clobber ||
    options.trustServerNames || state.owned || state.early || state.probedName !== undefined
  ) {
    return undefined;
  }
  return () => {
    if (state.owned || state.early) return;
    try {
      const { file, path: made } = createUniqueFile(path);
      state.early = { path: made, file };
    } catch {
      // Made (and any error reported) when the body starts, as without this.
    }
  };
}

/** Removes the file made early when no body came for it (an error, a redirect loop, a 204). */
const dropEarlyFile = (function dropEarlyFile(state: AttemptState): void {
  const early = state.early;
  if (early === undefined) return;
  state.early = undefined;
  try {
    early.file.close();
    Deno.removeSync(early.path);
  } catch {
    // Already gone.
  }
}).bind(undefined);

const retryDownload = (async function retryDownload(
  original: HttpUrl,
  options: DownloadOptions,
  received?: Received,
): Promise<DownloadResult> {
  const tries = options.tries ?? 20;
  const maxWait = options.retryWaitMs ?? 10_000;
  const sleep = options.sleep ?? timerSleep;
  const state: AttemptState = {
    written: options.output?.offset ?? 0,
  };
  for (let attempt = 1;; attempt++) {
    /** The caller's HEAD was answered 500 or 501: the GET is the next try. */
    let headFailed = false;
    try {
      // The first attempt's outcome, when the caller made that attempt itself.
      const first = received;
      received = undefined;
      if (first !== undefined && "error" in first) {
        state.written = first.written;
        headFailed = first.headFailed === true;
        if (first.redirected) state.redirectsBefore = first.redirected;
        throw first.error;
      }
      if (first !== undefined && "redirected" in first && first.redirected !== undefined) {
        state.redirectsBefore = first.redirected;
      }
      state.attempt = attempt;
      const response = first !== undefined && "response" in first ? first.response : undefined;
      const result = await attemptDownload(original, options, state, response);
      dropEarlyFile(state);
      return { ...result, tries: attempt - (state.countFrom ?? 1) + 1 };
    } catch (error) {
      dropEarlyFile(state);
      options.signal?.throwIfAborted();
      // (Or this download's own HEAD, -c or -N --content-disposition's: see `probe`.)
      if (state.headFailed) headFailed = true;
      state.headFailed = false;
      if (
        !headFailed &&
        !isRetryable(error, options.retryOnHttpError, options.retryConnectionRefused)
      ) {
        throw error;
      }
      if (tries !== 0 && attempt >= tries) {
        // GNU wget's "Giving up." is exit 4 even for an HTTP status it retried.
        throw error instanceof HttpStatusError || error instanceof ContentRangeError
          ? new GaveUpError(error, attempt)
          : error;
      }
      const waitMs = Math.min(attempt * 1000, maxWait);
      options.events?.retry?.(error, attempt, waitMs);
      if (waitMs > 0) await sleep(waitMs);
    }
  }
}).bind(undefined);

/** What outlives one attempt of a download. */
interface AttemptState {
  /** The attempt under way, from 1. */
  attempt?: number;
  /** The attempt in which a HEAD was answered and its GET followed (GNU counts from there). */
  countFrom?: number;
  /** The file this download created or resumed. */
  owned?: OwnedFile;
  /**
   * The file made while the request was on the wire (see {@linkcode earlyFileMaker}), not yet
   * given a body: the body's file when one comes, else removed.
   */
  early?: { path: string; file: Deno.FsFile } | undefined;
  /** Bytes in the sink (`-O`) so far. */
  written: number;
  /** The URL last looked up in the HSTS store, and the URL it is fetched as. */
  hsts?: { from: string; wire: HttpUrl };
  /** The name a HEAD request chose before a `-c --content-disposition` GET. */
  probedName?: string;
  /** That HEAD was answered 500 or 501: the GET is the next try (see `retryDownload`). */
  headFailed?: boolean;
  /** --spider's HEAD was answered 500 or 501: the tries after it ask with GET, as GNU wget. */
  spiderGet?: boolean;
  /**
   * Where the redirects led so far: a retry asks for that URL again, not the first (GNU wget
   * retries the URL that failed, each redirect's target a download of its own).
   */
  redirected?: {
    target: HttpUrl;
    redirects: number;
    method: string;
    body: DownloadOptions["body"];
  };
  /** The redirects followed to the URL before this download (see `Received`). */
  redirectsBefore?: number;
}

const attemptDownload = (async function attemptDownload(
  original: HttpUrl,
  options: DownloadOptions,
  state: AttemptState,
  received?: HttpResponse,
): Promise<DownloadResult> {
  const events = options.events ?? {};
  /** A HEAD answered, the GET follows: GNU counts its tries afresh from here (`tries`). */
  const fetchAfterHead: NonNullable<DownloadEvents["fetchAfterHead"]> = (reason, size) => {
    state.countFrom = state.attempt ?? 1;
    events.fetchAfterHead?.(reason, size);
  };
  const maxRedirects = options.maxRedirects ?? 20;
  // The name comes from the response when Content-Disposition may name the file: -nc and -c
  // check that name, not the URL's.
  const byHeader = (options.contentDisposition ?? false) && !options.output && !options.spider;
  // -c needs that name before it can ask for a Range, -N before it can compare: GNU wget asks
  // with HEAD first.
  let probe = byHeader && ((options.resume ?? false) || (options.timestamping ?? false)) &&
    !state.owned && state.probedName === undefined;
  /** -N --content-disposition: the HEAD compared the file (the GET asks for it whole). */
  let checkedByHead = false;
  // --no-if-modified-since: -N asks with HEAD first (once the file's name is known).
  let headFirst = (options.timestampingByHead ?? false) && !probe;
  let target = state.redirected?.target ?? original;
  let redirects = state.redirected?.redirects ?? state.redirectsBefore ?? 0;
  let method = state.redirected?.method ?? options.method?.toUpperCase() ??
    (options.body !== undefined ? "POST" : "GET");
  let body = state.redirected ? state.redirected.body : options.body;
  // Credentials of the URL itself (`http://u:p@host/`) are never sent unasked, nor make the
  // origin one that gets them unasked (GNU wget's "site-wide" Basic is for --user's and
  // .netrc's); they go to the URL's origin only. --user's and .netrc's follow a redirect to
  // another port or scheme of the same host (http to https) and answer its challenge there, as
  // GNU's; never to another host.
  const fromUrl = (options as { [FROM_URL]?: boolean })[FROM_URL] === true;
  const mayAuthenticate = (at: HttpUrl) =>
    fromUrl ? sameOrigin(at, original) : at.host === original.host;
  const keyOf = (at: HttpUrl) => `${at.scheme}://${at.host}:${at.port}`;
  /** --spider asks with GET after a HEAD the server cannot answer (500, 501), as GNU wget. */
  const spiderGet = state.spiderGet ?? false;
  /** The server's Digest challenge, once it sent one: each request answers it. */
  let digest: import("./_digest_auth.ts").DigestChallenge | undefined;
  /** The origin whose Digest challenge `digest` is. */
  let digestOrigin = "";
  /** The origin whose Basic challenge was answered in this download. */
  let answeredOrigin = "";
  while (true) {
    // The URL the request goes to: `target`, or its https:// URL for a known HSTS host (looked up
    // once per URL, as GNU's retrieve_url does; a retry or a 401's answer asks the same again).
    if (state.hsts?.from !== target.href) {
      const upgraded = options.hsts?.upgrade(target);
      if (upgraded) events.hstsUpgrade?.(target, upgraded);
      state.hsts = { from: target.href, wire: upgraded ?? target };
    }
    const wire = state.hsts.wire;
    // With --content-disposition, a header that names no file leaves it to the URL that answered.
    const nameUrl = options.trustServerNames || options.contentDisposition ? target : original;
    const directory = directoryOf(options, nameUrl);
    const plannedPath = options.output ? options.output.name : state.owned?.path ??
      joinPath(directory, state.probedName ?? urlFileName(options, nameUrl));
    const skippedResult = (path: string): DownloadResult => ({
      url: original.href,
      finalUrl: target.href,
      path,
      bytes: 0,
      status: 0,
      skipped: "exists",
    });
    const nameKnown = !byHeader || state.probedName !== undefined;
    if (!options.output && !state.owned && !options.spider && nameKnown) {
      if (options.noClobber && exists(plannedPath)) return skippedResult(plannedPath);
    }
    let offset = 0;
    if (options.output) offset = state.written;
    else if (state.owned) offset = state.owned.size;
    else if (options.resume && !options.spider && !probe && nameKnown) {
      offset = fileSize(plannedPath);
    } else if (!probe) offset = options.startPos ?? 0;
    const headers = withReferer(options.headers, options.referer);
    if (offset > 0) headers.push(["Range", `bytes=${offset}-`]);
    // As GNU wget: the body as stored, never compressed for the way (it is saved as sent); and
    // so when resuming, whatever --compression says (a Range counts stored bytes).
    if (!headers.some(([name]) => /^accept-encoding$/i.test(name))) {
      headers.push([
        "Accept-Encoding",
        (options.compression ?? "none") === "none" || offset > 0 ? "identity" : "gzip",
      ]);
    }
    if (body !== undefined && !headers.some(([name]) => /^content-type$/i.test(name))) {
      headers.push(["Content-Type", "application/x-www-form-urlencoded"]);
    }
    const credentials = options.credentials ?? options.credentialsFor?.(original.host);
    // -N: the local file's time, for If-Modified-Since (or a HEAD) and the comparison after.
    const local = options.timestamping && !options.output && !options.spider && !state.owned &&
        !probe && !checkedByHead
      ? fileInfo(plannedPath)
      : undefined;
    const head = headFirst && local?.mtime !== undefined;
    const sentMethod = (options.spider && !spiderGet) || probe || head ? "HEAD" : method;
    const targetOrigin = keyOf(wire);
    const authenticating = credentials !== undefined && mayAuthenticate(target);
    const sendCredentials = authenticating &&
      ((options.authNoChallenge ?? false) || answeredOrigin === targetOrigin ||
        (!fromUrl && (options.basicAuthOrigins?.has(targetOrigin) ?? false)));
    if (credentials && digest && authenticating && digestOrigin === targetOrigin) {
      const { digestAuthorization } = await import("./_digest_auth.ts");
      const cnonce = crypto.getRandomValues(new Uint32Array(1))[0]!.toString(16).padStart(8, "0");
      const uri = wire.target;
      headers.push([
        "Authorization",
        digestAuthorization(credentials, digest, { method: sentMethod, uri, cnonce }),
      ]);
    } else if (credentials && sendCredentials) {
      const token = basicCredentials(credentials.username, credentials.password);
      headers.push(["Authorization", `Basic ${token}`]);
    }
    if (local?.mtime && !options.timestampingByHead) {
      headers.push(["If-Modified-Since", local.mtime.toUTCString()]);
    }
    const cookie = options.cookies?.cookieHeader(wire);
    if (cookie !== undefined) headers.push(["Cookie", cookie]);
    const requestUrl = viaProxy(wire, options.proxy, headers);
    const tunnel = wire.scheme === "https" ? tunnelFor(wire, options.proxy) : undefined;
    // A response received already (the caller sent the first request, reported it and its
    // connection) is this request's answer.
    const given = received;
    received = undefined;
    if (given === undefined) {
      events.request?.(
        wire,
        sentMethod,
        fromUrl && sameOrigin(target, original) && options.credentials
          ? {
            username: options.credentials.username,
            password: options.credentials.password !== "",
          }
          : undefined,
      );
    }
    // The connection it goes out on, with a pool (GNU's "Reusing existing connection to").
    let connection: HttpConnectionInfo | undefined;
    const onConnection = given === undefined && options.pool && events.connected
      ? (info: HttpConnectionInfo) => {
        connection = info;
        options.onConnection?.(info);
      }
      : options.onConnection;
    // The client's options are the download's (one copy, not a rest and a spread: a list of
    // URLs makes one per URL), with this request's method, body and headers.
    const response = given ?? await sendHttpRequest(requestUrl, {
      ...options,
      maxHeaderCount: options.maxHeaderCount ?? DEFAULT_MAX_RESPONSE_HEADERS,
      method: sentMethod,
      body: probe || head ? undefined : body,
      headers,
      tunnel: tunnel ?? options.tunnel,
      onConnection,
      onRequestSent: options.onRequestSent ??
        (sentMethod === "HEAD" ? undefined : earlyFileMaker(options, state, plannedPath)),
    }).catch((error: unknown) => {
      // A request that failed on a kept-alive connection went out on it all the same: GNU's
      // "Reusing existing connection to" comes before the error. (A new connection was told by
      // its connector.)
      if (connection?.reused) events.connected?.(connection);
      throw error;
    });
    /** The file for the body could not be made: its bytes are not wanted. */
    let unmade = false;
    try {
      if (connection) events.connected?.(connection);
      events.response?.(response);
      keepAnswerState(options, events, wire, response);
      const status = response.status;
      const location = response.head.headers.getAll("Location")[0];
      if (REDIRECTS.has(status) && location !== undefined) {
        // Location is one URL, commas and all; a repeated header counts once.
        let next: HttpUrl;
        try {
          options.checkLocation?.(location, target.href);
          next = parseHttpUrl(gnuReencode(location), target);
        } catch (error) {
          // GNU says where it was sent before its words for a Location it cannot take.
          events.redirect?.(target.href, location, status);
          throw error;
        }
        events.redirect?.(target.href, next.href, status);
        // As GNU wget: only the count stops redirects. A URL seen before is followed again,
        // since a server may answer it differently (a cookie set on the way, a login page).
        if (redirects >= maxRedirects) {
          throw new RedirectError(
            `${maxRedirects} redirections exceeded at "${target.href}"`,
            target.href,
          );
        }
        const from = target;
        target = next;
        redirects++;
        if (options.redirectWait) await options.redirectWait(from.href, next.href);
        else if (options.redirectWaitMs) {
          await (options.sleep ?? timerSleep)(options.redirectWaitMs);
        }
        // The sink may continue another file from here on (nothing of a body is in it yet): the
        // redirect's target's, as GNU's http_loop names each URL of the redirects afresh. (After
        // the wait: a file another fetch is writing there is looked at once that one is done.)
        const resumeAt = options.output ? options.resumeAfterRedirect?.(next.href) : undefined;
        if (resumeAt !== undefined) state.written = resumeAt;
        if (status === 303 || (status !== 307 && status !== 308 && method === "POST")) {
          method = "GET";
          body = undefined;
        }
        state.redirected = { target, redirects, method, body };
        continue;
      }
      const challenges = status === 401 && authenticating && !sendCredentials &&
          digestOrigin !== targetOrigin
        ? response.head.headers.getAll("WWW-Authenticate")
        : [];
      // The challenge GNU wget waits for before it sends the password: the one its http.c
      // answers (Digest within a header, else the last header's: _auth_challenge.ts); when it
      // answers none netkit knows (NTLM), Digest when offered, else Basic.
      const gnu = challenges.length > 0 ? gnuChallenge(challenges) : undefined;
      const known = gnu && gnu.scheme !== "ntlm" ? gnu : undefined;
      const digestOffer = known
        ? (known.scheme === "digest" ? known.text : undefined)
        : challenges.find((value) => /^\s*digest\b/i.test(value));
      if (digestOffer !== undefined) {
        const { readDigestChallenge } = await import("./_digest_auth.ts");
        const reading = readDigestChallenge(digestOffer.trim());
        digest = reading.challenge;
        // GNU's choice is answered whatever it holds: its warning for a qop or algorithm it
        // does not know, and no realm or nonce is its ATTRMISSING (exit 7). (In NTLM's stead,
        // a Digest without them gives way to Basic.)
        if (digest || known) {
          events.authenticate?.(digestOffer.trim());
          if (reading.warning !== undefined) events.authNotice?.(reading.warning);
          if (!digest) throw new DigestAttributeError();
          digestOrigin = targetOrigin;
          continue;
        }
      }
      const basicOffer = known
        ? (known.scheme === "basic" ? known.text : undefined)
        : challenges.find((value) => /^\s*basic\b/i.test(value));
      if (basicOffer !== undefined) {
        events.authenticate?.(basicOffer.trim());
        answeredOrigin = targetOrigin;
        if (!fromUrl) options.basicAuthOrigins?.add(targetOrigin);
        continue;
      }
      if (status === 401 && authenticating && !sendCredentials && digestOrigin !== targetOrigin) {
        events.unknownChallenge?.();
      }
      if (local && local.size !== undefined) {
        const lastModified = parseHttpDate(response.head.headers.get("Last-Modified"));
        // A HEAD's length is the stored one (none for a body decoded); after a GET, GNU wget
        // compares the header's, encoded or not.
        const length = sentMethod === "HEAD"
          ? storedLength(response, options.compression, options.ignoreContentLength)
          : response.contentLength;
        const notNewer = status === 304 ||
          (response.ok && local.mtime !== undefined && lastModified <= local.mtime.getTime() &&
            (length === undefined || length === local.size));
        if (notNewer) {
          return {
            url: original.href,
            finalUrl: target.href,
            path: plannedPath,
            bytes: 0,
            size: local.size,
            status,
            skipped: head ? "head-not-newer" : "not-newer",
          };
        }
      }
      if (head && response.ok) {
        // The server's copy is newer (or of another size): GET it, as GNU wget.
        state.countFrom = state.attempt ?? 1;
        const lastModified = parseHttpDate(response.head.headers.get("Last-Modified"));
        if (!Number.isNaN(lastModified)) {
          const older = lastModified <= local!.mtime!.getTime();
          fetchAfterHead(older ? "size" : "newer", local!.size ?? 0);
        } else {
          // No time to compare (none, or one GNU cannot read): GNU says so after the HEAD's
          // length, and fetches.
          const dated = response.head.headers.get("Last-Modified") !== undefined;
          fetchAfterHead(dated ? "unchecked" : "untimed", local!.size ?? 0);
        }
        headFirst = false;
        continue;
      }
      if (probe && (status === 500 || status === 501)) {
        // GNU's http_loop asks again with GET at the next try (with -t 1 none is left), the file
        // named by the HEAD's answer all the same (its check_file_output, any status but 401).
        probe = false;
        state.probedName = dispositionFileName(
          response.head.headers.get("Content-Disposition"),
          options,
        ) || urlFileName(options, nameUrl);
        state.headFailed = true;
        throw new HttpStatusError(status, response.head.reason, target.href);
      }
      if (probe && response.ok) {
        // The HEAD named the file (or else the URL names it, as with GNU wget); the GET follows,
        // to the same URL, with Range when that file is there. (Another error fails as a GET's
        // would, with no GET: GNU's WRONGCODE.)
        probe = false;
        const header = response.head.headers.get("Content-Disposition");
        state.probedName = dispositionFileName(header, options) ||
          urlFileName(options, nameUrl);
        const copy = options.timestamping
          ? fileInfo(joinPath(directory, state.probedName))
          : undefined;
        if (copy?.mtime !== undefined && copy.size !== undefined) {
          // -N: the file by that name is compared with the HEAD's answer, as GNU wget.
          checkedByHead = true;
          const lastModified = parseHttpDate(response.head.headers.get("Last-Modified"));
          const stored = storedLength(response, options.compression, options.ignoreContentLength);
          if (
            lastModified <= copy.mtime.getTime() &&
            (stored === undefined || stored === copy.size)
          ) {
            return {
              url: original.href,
              finalUrl: target.href,
              path: joinPath(directory, state.probedName),
              bytes: 0,
              size: copy.size,
              status,
              skipped: "head-not-newer",
            };
          }
          if (!Number.isNaN(lastModified)) {
            const older = lastModified <= copy.mtime.getTime();
            fetchAfterHead(older ? "size" : "newer", copy.size);
          } else {
            fetchAfterHead("untimed", copy.size);
          }
        } else {
          // -N without a time to compare says so after the HEAD, as GNU wget.
          const untimed = options.timestamping &&
            response.head.headers.get("Last-Modified") === undefined;
          fetchAfterHead(untimed ? "untimed" : "unchecked", 0);
        }
        continue;
      }
      if (options.spider && sentMethod === "HEAD" && (status === 500 || status === 501)) {
        // GNU's http_loop asks with GET at the next try (counted, waited for; with -t 1 none is
        // left: exit 4), as after -N's HEAD (server random seed 1800311).
        state.spiderGet = true;
        state.headFailed = true;
        throw new HttpStatusError(status, response.head.reason, target.href);
      }
      // GNU wget takes any 416 as "already fully retrieved" (exit 0), not only after a Range.
      if (status === 416) return completeResult(plannedPath, offset);
      // A 300 without Location is a page to keep (the choices), as GNU wget keeps it.
      if ((status < 200 || status >= 300) && status !== 300) {
        const error = new HttpStatusError(status, response.head.reason, target.href);
        // (Never a 401's: GNU wget skips its body before it looks at the credentials; nor a
        // 304's, the copy here current; nor a redirect's not followed, without Location or past
        // --max-redirect: GNU's gethttp returns at a redirect before any body is saved.)
        if (
          options.contentOnError && !options.spider && !probe && !head && status !== 401 &&
          status !== 304 && !REDIRECTS.has(status)
        ) {
          // --content-on-error: the error page is saved as a file would be, and still fails.
          // After a try that wrote bytes, its Range answered without a 206, those bytes stay and
          // as many of the page's are skipped, as GNU's gethttp appends to the file ("ab") and
          // its read_response_body skips them (rb_skip_startpos): a page cut shorter than them
          // adds nothing (server random seed 1918018: GNU's next Range was from 45, netkit's,
          // which wrote the page over them, from 33); a whole page as before adds nothing either
          // (seed 1500336: 257 bytes, where appending it whole made 771).
          try {
            await saveBody({ response, original, target, options, state, offset, skip: offset });
          } catch (cut) {
            // An error page cut short is not tried again for its body: the status decides, as
            // GNU's read_response_body ends the try all the same and its http_loop looks at the
            // status alone (server random seeds 1600085, 1600243, 1600276).
            if (cut instanceof DownloadFileError) throw cut;
            options.signal?.throwIfAborted();
          }
        }
        throw error;
      }
      if (options.spider) {
        // (--start-pos: a 206's length counts from the offset, as GNU's contlen + contrange.)
        const from = status === 206 && offset > 0 && response.contentLength !== undefined
          ? offset
          : undefined;
        return {
          url: original.href,
          finalUrl: target.href,
          bytes: 0,
          status,
          size: from === undefined ? response.contentLength : response.contentLength! + from,
          ...(from === undefined ? {} : { resumedAt: from }),
          contentType: response.head.headers.get("Content-Type"),
          reason: response.head.reason,
        };
      }
      if (status === 204 && options.output) {
        // GNU wget reads no body after a 204, and says the output got 0 bytes (no length line).
        return {
          url: original.href,
          finalUrl: target.href,
          path: options.output.name,
          bytes: 0,
          status,
        };
      }
      if ((status === 204 || sentMethod === "HEAD") && !options.output) {
        // No content (a 204, or --method=HEAD): GNU wget reports the file saved, with 0 bytes,
        // and makes no file, under the name it chose before asking: a free one (NAME.1) where a
        // new file would not clobber the one here.
        const named = byHeader
          ? joinPath(directory, responseFileName(response, nameUrl, options))
          : plannedPath;
        const unique = state.owned === undefined && !options.resume && !options.timestamping &&
          (options.backups ?? 0) === 0;
        return {
          url: original.href,
          finalUrl: target.href,
          // (The file made early, removed after, holds that name already.)
          path: state.early?.path ?? (unique ? freeFileName(named) : named),
          bytes: 0,
          status,
        };
      }
      if (byHeader && !state.owned && state.probedName === undefined) {
        const path = joinPath(directory, responseFileName(response, nameUrl, options));
        if (options.noClobber && exists(path)) return skippedResult(path);
      }
      const resumed = status === 206 && offset > 0;
      if (status === 206 && !resumed) {
        throw new HttpProtocolError(`Partial content (206) for a request without Range`);
      }
      if (resumed) checkContentRange(response.head.headers.get("Content-Range"), offset);
      // A server that ignores Range sends the whole body again: the bytes already here stay,
      // and that many bytes of the body are skipped, as GNU wget does. One no longer than the
      // bytes here is the file complete, as GNU's 416 ("already fully retrieved"), but under -N:
      // GNU then reads it all the same, skipping, and a body shorter than the file here is a
      // read error (retried), one as long a file saved (its time the server's).
      const length = response.contentLength;
      if (
        !resumed && offset > 0 && length !== undefined && length <= offset && !options.timestamping
      ) {
        return completeResult(plannedPath, offset);
      }
      return await saveBody({
        response,
        original,
        target,
        options,
        state,
        offset,
        skip: resumed ? 0 : offset,
      });
    } catch (error) {
      // (A resumed answer that starts elsewhere drops its connection too, as GNU's RANGEERR.)
      unmade = (error instanceof DownloadFileError && !error.writing) ||
        error instanceof ContentRangeError;
      throw error;
    } finally {
      // A short unread body (a redirect's page, an error page) is read away to keep the
      // connection for the next request; a longer one closes it. So does the body of a file
      // that could not be made, short or not, as GNU wget's (its CLOSE_INVALIDATE after
      // FOPENERR): the next request goes on a new connection, and its log says "Connecting".
      if (!unmade) await response.discardBody();
      response.close();
    }
  }

  function completeResult(path: string, size: number): DownloadResult {
    return {
      url: original.href,
      finalUrl: target.href,
      path,
      bytes: 0,
      size,
      status: 416,
      skipped: "complete",
    };
  }
}).bind(undefined);

/** The name a response's `Content-Disposition` offers, else the URL's. */
function responseFileName(
  response: HttpResponse,
  url: HttpUrl,
  options: DownloadOptions,
): string {
  const header = response.head.headers.get("Content-Disposition");
  return dispositionFileName(header, options) || urlFileName(options, url);
}

/**
 * The name a `Content-Disposition` header offers, put through the caller's `fileNameForUrl` (GNU
 * wget's `--restrict-file-names`) as the last part of a URL's path, as GNU wget treats it.
 */
function dispositionFileName(
  header: string | null | undefined,
  options: DownloadOptions,
): string | undefined {
  const rule = options.fileNameForUrl;
  return dispositionName(header, rule && ((url) => rule(parseHttpUrl(url))));
}

/** The file name for `url`: the caller's rule (`fileNameForUrl`), else the URL's last segment. */
function urlFileName(options: DownloadOptions, url: HttpUrl): string {
  return options.fileNameForUrl ? options.fileNameForUrl(url) : fileNameFromUrl(url);
}

/**
 * A resumed body must start where the file ends, or appending it would corrupt the file: a
 * {@linkcode ContentRangeError} (retried, as GNU's RANGEERR) when it does not.
 */
function checkContentRange(header: string | undefined, offset: number): void {
  const match = /^bytes\s+(\d+)-\d+\/(\d+|\*)$/i.exec(header?.trim() ?? "");
  if (!match || Number(match[1]) !== offset) throw new ContentRangeError(header, offset);
}

/** The length of the bytes a `Content-Range` (`bytes FIRST-LAST/SIZE`) says, if it says. */
function rangeLength(header: string | undefined): number | undefined {
  const match = /^bytes\s+(\d+)-(\d+)\/(?:\d+|\*)$/i.exec(header?.trim() ?? "");
  return match ? Number(match[2]) - Number(match[1]) + 1 : undefined;
}

/** One response whose body is to be saved, and what it is saved against. */
interface BodyJob {
  response: HttpResponse;
  original: HttpUrl;
  target: HttpUrl;
  options: DownloadOptions;
  state: AttemptState;
  /** Bytes already there: the body is appended after them. */
  offset: number;
  /** Bytes at the start of the body that are already there (a server that ignored Range). */
  skip: number;
}

/** A writer that drops the first `skip` bytes given to it. */
function skipping(writer: ByteWriter, skip: number): ByteWriter {
  if (skip === 0) return writer;
  let left = skip;
  return {
    async write(p) {
      if (left >= p.length) {
        left -= p.length;
        return p.length;
      }
      const rest = p.subarray(left);
      left = 0;
      let done = 0;
      while (done < rest.length) done += await writer.write(rest.subarray(done));
      return p.length;
    },
  };
}

/** A writer that decodes gzip into another; `finish()` flushes it and reports a bad stream. */
interface Gunzip extends ByteWriter {
  /** Decoded bytes written so far. */
  readonly decoded: number;
  finish(): Promise<void>;
}

function gunzipping(writer: ByteWriter): Gunzip {
  const stream = new DecompressionStream("gzip");
  const input = stream.writable.getWriter();
  let decoded = 0;
  const pump = (async () => {
    for await (const chunk of stream.readable) {
      await writeFully(writer, chunk);
      decoded += chunk.length;
    }
  })();
  // Seen by finish() or by the next write; never unhandled.
  let failure: unknown;
  pump.catch((error) => (failure ??= error));
  const bad = (error: unknown) =>
    error instanceof DownloadFileError ? error : new HttpProtocolError(
      `Cannot decode the gzip body: ${error instanceof Error ? error.message : error}`,
    );
  return {
    get decoded() {
      return decoded;
    },
    async write(p) {
      if (failure !== undefined) throw bad(failure);
      // The chunk is a view the connection reuses (the sink rule): the stream gets a copy.
      await input.ready;
      input.write(p.slice()).catch((error) => (failure ??= error));
      return p.length;
    },
    async finish() {
      try {
        await input.close();
        await pump;
      } catch (error) {
        throw bad(failure ?? error);
      }
      if (failure !== undefined) throw bad(failure);
    },
  };
}

async function writeFully(writer: ByteWriter, bytes: Uint8Array): Promise<void> {
  for (let done = 0; done < bytes.length;) done += await writer.write(bytes.subarray(done));
}

/**
 * A writer that keeps the average rate since its first write under `bytesPerSecond`, by
 * sleeping after a write that got ahead (as GNU wget's `--limit-rate` does).
 */
function limitRate(writer: ByteWriter, bytesPerSecond: number | undefined): ByteWriter {
  if (!bytesPerSecond || bytesPerSecond <= 0) return writer;
  let started: number | undefined;
  let written = 0;
  return {
    async write(p) {
      started ??= performance.now();
      const n = await writer.write(p);
      written += n;
      const dueMs = (written / bytesPerSecond) * 1000 - (performance.now() - started);
      if (dueMs > 1) await new Promise((resolve) => setTimeout(resolve, dueMs));
      return n;
    },
  };
}

async function saveBody(job: BodyJob): Promise<DownloadResult> {
  const { response, original, target, options, state, offset, skip } = job;
  const events = options.events ?? {};
  // (A 206's length is its Content-Range's under --ignore-length too, as GNU's gethttp reads it:
  // random seed 1700063.)
  const length = response.contentLength ??
    (response.status === 206 ? rangeLength(response.head.headers.get("Content-Range")) : undefined);
  // --compression=auto|gzip: a gzip body is stored decoded when it starts at the file's start (a
  // first request, or a Range the server ignored: the bytes here then skipped among the decoded
  // ones, as GNU's write_data skips them: server random seed 2600223); not a 206's part of one,
  // whose offsets count encoded bytes.
  const encoding = response.head.headers.get("Content-Encoding")?.trim().toLowerCase();
  const gzip = (options.compression ?? "none") !== "none" && skip === offset &&
    (encoding === "gzip" || encoding === "x-gzip");
  // The whole file's size: the body continues the local bytes, or (skipped) contains them; not
  // known for a body stored decoded (GNU's -nv line then has no total either).
  const total = length === undefined || gzip ? undefined : offset - skip + length;
  // What the log's length line and progress count to: a body stored decoded by its encoded
  // length, the bytes that come (GNU's "Length: 22" and 100 % for a 2-byte file sent gzipped).
  const shown = gzip ? length : total;
  const fresh = (n: number) => Math.max(0, n - skip);
  /** The file's length once a body stored decoded is in. */
  const decodedSize = (decoder: Gunzip) => offset + Math.max(0, decoder.decoded - skip);
  const result = (path: string, bytes: number): DownloadResult => ({
    url: original.href,
    finalUrl: target.href,
    path,
    // The body's bytes as they came, those skipped (a server that ignored Range) and encoded
    // ones too: GNU wget's count of what was read, for "Downloaded:", the rate and -Q.
    bytes,
    size: offset + fresh(bytes),
    total,
    hasLastModified: response.head.headers.get("Last-Modified") !== undefined,
    status: response.status,
    contentType: response.head.headers.get("Content-Type"),
  });
  let decoder: Gunzip | undefined;
  const paced = (writer: ByteWriter) => {
    const inner = gzip ? (decoder = gunzipping(writer)) : writer;
    return limitRate(inner, options.limitBytesPerSecond);
  };
  const copy = async (writer: ByteWriter, onProgress: (n: number) => void) => {
    const bytes = await response.copyBodyTo(paced(writer), onProgress);
    await decoder?.finish();
    if (
      options.ignoreContentLength && response.status === 206 && length !== undefined &&
      bytes < length
    ) {
      // --ignore-length: a 206's body is as long as its Content-Range says, as GNU's gethttp
      // reads it, so one cut short is tried again from there (server random seed 1900217:
      // netkit took the close for its end).
      throw new UnexpectedEofError(length, bytes);
    }
    if ((decoder?.decoded ?? bytes) < skip && response.contentLength !== undefined) {
      // -N -c: a whole body (Range ignored) shorter than the file here, which GNU wget reads
      // to its end and then calls a read error at byte N/M ("(null)": no system error), and
      // retries. (One of unknown length ends where it ends: GNU says the file saved, as it is.)
      throw new SocketError({
        step: "read",
        host: target.host,
        port: target.port,
        failure: "other",
        cause: new Error("(null)"),
      });
    }
    return bytes;
  };
  const head = options.saveHeaders && offset === 0
    ? new TextEncoder().encode(response.head.lines.join("\r\n") + "\r\n\r\n")
    : undefined;
  if (options.output) {
    events.start?.({ path: options.output.name, offset, total: shown });
    if (head) await writeFully(options.output.writer, head);
    const bytes = await copy(skipping(options.output.writer, skip), (n) => {
      state.written = offset + fresh(n);
      events.progress?.(fresh(n));
    });
    const time = parseHttpDate(response.head.headers.get("Last-Modified"));
    const lastModified = Number.isNaN(time) ? undefined : new Date(time);
    if (decoder) {
      // What a retry continues from is the file's length, decoded, as GNU's http_loop takes it
      // (an error page kept under --content-on-error, tried again: server random seed 2600223,
      // where netkit asked from the encoded length).
      state.written = decodedSize(decoder);
      return { ...result(options.output.name, bytes), size: state.written, lastModified };
    }
    return { ...result(options.output.name, bytes), lastModified };
  }
  const file = openTarget(job);
  let open = true;
  const owned = state.owned!;
  try {
    events.start?.({ path: owned.path, offset, total: shown });
    if (head) await writeFully(fileWriter(file, owned.path), head);
    const bytes = await copy(skipping(fileWriter(file, owned.path), skip), (n) => {
      owned.size = offset + fresh(n);
      events.progress?.(fresh(n));
    });
    owned.size = decoder ? decodedSize(decoder) : offset + fresh(bytes);
    open = false;
    file.close();
    // (Not an error page kept under --content-on-error: GNU's http_loop dates a file only once
    // it is retrieved.)
    if (options.useServerTimestamps !== false && response.status < 400) {
      setServerTime(owned.path, response);
    }
    const saved = { ...result(owned.path, bytes), size: owned.size };
    return owned.extensionAdded ? { ...saved, extensionAdded: true } : saved;
  } catch (error) {
    if (decoder) {
      // A body stored decoded and cut short cannot go on with Range (its offsets count encoded
      // bytes): a retry starts it again, from an empty file.
      owned.size = 0;
      try {
        file.truncateSync(0);
      } catch {
        // The failure that brought us here is the one to report.
      }
    }
    throw error;
  } finally {
    // Closed here only on failure: closing twice throws, and building that error cost more than
    // the rest of a small file's bookkeeping.
    if (open) {
      try {
        file.close();
      } catch {
        // The failure that brought us here is the one to report.
      }
    }
  }
}

/** Opens the file for the body: appended to when resuming, else a new file that clobbers none. */
function openTarget(job: BodyJob): Deno.FsFile {
  const { response, original, target, options, state, offset } = job;
  // With --content-disposition, a header that names no file leaves it to the URL that answered.
  const nameUrl = options.trustServerNames || options.contentDisposition ? target : original;
  const directory = directoryOf(options, nameUrl);
  let path = state.owned?.path;
  let extensionAdded = state.owned?.extensionAdded ?? false;
  // -E: the response's type, for the extension a page or stylesheet gets (null: no header, a
  // page to GNU wget); undefined without -E.
  const type = options.adjustExtension
    ? response.head.headers.get("Content-Type") ?? null
    : undefined;
  /** The name before -E's extension (a new file gets it after its free name is found). */
  let plain: string | undefined;
  if (path === undefined) {
    const name = state.probedName ??
      (options.contentDisposition
        ? responseFileName(response, nameUrl, options)
        : urlFileName(options, nameUrl));
    const adjusted = type === undefined ? name : withPageExtension(name, type);
    extensionAdded = adjusted !== name;
    path = joinPath(directory, adjusted);
    plain = joinPath(directory, name);
  }
  const own = (
    p: string,
    size: number,
  ) => (state.owned = extensionAdded ? { path: p, size, extensionAdded } : { path: p, size });
  try {
    const early = state.early;
    if (early !== undefined && !state.owned && plain === path) {
      // Made while the request was out, under the name this answer gives it.
      state.early = undefined;
      own(early.path, 0);
      return early.file;
    }
    const backups = options.backups ?? 0;
    if (
      state.owned || options.resume || options.timestamping || plain === undefined ||
      backups > 0 || options.clobber
    ) {
      // Resuming (our own partial file, or -c): the body goes after the bytes already there.
      try {
        Deno.mkdirSync(directory, { recursive: true });
      } catch (error) {
        // A file where a directory goes: the open says "Not a directory", as GNU's.
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      }
      // (--start-pos too rotates, then appends to a new file, as GNU's open_output_stream.)
      if (backups > 0 && !state.owned && (offset === 0 || !options.resume)) {
        rotateBackups(path, backups);
      }
      // --unlink: a file written over from its start is a new file (a hard link keeps the old).
      if (options.unlink && offset === 0) {
        try {
          unlinkBeforeWriting(path);
        } catch (error) {
          throw new DownloadFileError(path, error, { unlinking: true });
        }
      }
      const file = Deno.openSync(path, {
        write: true,
        create: true,
        append: offset > 0,
        truncate: offset === 0,
      });
      own(path, offset);
      return file;
    }
    const unique = { adjustExtensionFor: type };
    let created: ReturnType<typeof createUniqueFile>;
    try {
      created = createUniqueFile(plain, unique);
    } catch (error) {
      // Make the directory only when it is missing: two system calls saved per file of a list.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      Deno.mkdirSync(directory, { recursive: true });
      created = createUniqueFile(plain, unique);
    }
    extensionAdded = created.extensionAdded;
    own(created.path, 0);
    return created.file;
  } catch (error) {
    throw error instanceof DownloadFileError ? error : new DownloadFileError(path, error);
  }
}

/** Options of {@linkcode createUniqueFile}. */
export interface UniqueFileOptions {
  /**
   * `-E`: the response's `Content-Type` (null when it has none, a page to GNU wget). A page or a
   * stylesheet then gets `.html` or `.css` after the free name is found, with `.N` before that
   * extension while the name is taken, as GNU wget names them (`index.html`, then
   * `index.html.1.html`, then `index.html.1.1.html`).
   */
  adjustExtensionFor?: string | null | undefined;
}

/**
 * Creates `path`, or `path.1`, `path.2`, ... when it exists, atomically (never opening an existing
 * file, never following a symbolic link planted at the name).
 *
 * @returns The open file, the name it got, and whether `-E` added an extension to it.
 * @throws {Deno.errors.PermissionDenied} and the like when no file can be made.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createUniqueFile } from "@netkit/netkit/download";
 *
 * const dir = await Deno.makeTempDir();
 * createUniqueFile(`${dir}/a`).file.close();
 * const second = createUniqueFile(`${dir}/a`);
 * second.file.close();
 * assert.equal(second.path, `${dir}/a.1`);
 * // With -E, as GNU wget: the free name first, then the extension.
 * const page = createUniqueFile(`${dir}/a`, { adjustExtensionFor: "text/html" });
 * page.file.close();
 * assert.equal(page.path, `${dir}/a.2.html`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function createUniqueFile(
  path: string,
  options: UniqueFileOptions = {},
): { file: Deno.FsFile; path: string; extensionAdded: boolean } {
  const type = options.adjustExtensionFor;
  /**
   * Creates the first free one of `stem + extension`, `stem.1 + extension`, ...: a name in use is
   * passed over after a stat ({@linkcode freeFileName}; a failed `createNew` builds an error
   * object, a hundred times a stat's cost: `-nd` over a thousand `index.html`), and `createNew`
   * still decides, so a name taken meanwhile is never opened (the search starts again). With
   * `onlyFirst`, `stem + extension` alone: undefined when it is taken.
   */
  const createFree = (stem: string, extension: string, onlyFirst: boolean) => {
    for (let tries = 0;; tries++) {
      const candidate = onlyFirst ? `${stem}${extension}` : freeFileName(stem, extension);
      try {
        const file = Deno.openSync(candidate, { write: true, createNew: true });
        return { file, path: candidate, extensionAdded: extension !== "" };
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists) || tries >= MAX_NAME_SUFFIX) throw error;
        if (onlyFirst) return undefined;
      }
    }
  };
  if (type === undefined) return createFree(path, "", false)!;
  for (let tries = 0;; tries++) {
    // GNU wget's order: the first free name, then -E's extension, then ".N" before it.
    const base = freeFileName(path);
    const named = withPageExtension(base, type);
    const extension = named.slice(base.length);
    // Taken since it was found free (another writer): look again from the start.
    const created = createFree(base, extension, extension === "");
    if (created) return created;
    if (tries >= MAX_NAME_SUFFIX) throw new Deno.errors.AlreadyExists(base);
  }
}

/**
 * A writer for a download's body on a file (or standard output) that writes synchronously:
 * `writeSync` puts the bytes in the page cache without the thread-pool round trip of an async
 * write, which on this machine doubles the throughput of a loopback download. Errors become
 * {@linkcode DownloadFileError}.
 *
 * @param file The open file.
 * @param path Its name, for messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DownloadFileError, fileWriter } from "@netkit/netkit/download";
 *
 * const path = await Deno.makeTempFile();
 * using file = await Deno.open(path, { write: true });
 * assert.equal(await fileWriter(file, path).write(new TextEncoder().encode("abc")), 3);
 * assert.equal(await Deno.readTextFile(path), "abc");
 * // A failing write names the file.
 * using readOnly = await Deno.open(path, { read: true });
 * await assert.rejects(fileWriter(readOnly, path).write(new Uint8Array(1)), DownloadFileError);
 * await Deno.remove(path);
 * ```
 */
export function fileWriter(file: { writeSync(p: Uint8Array): number }, path: string): ByteWriter {
  return {
    write(p) {
      try {
        return Promise.resolve(file.writeSync(p));
      } catch (error) {
        return Promise.reject(new DownloadFileError(path, error, { writing: true }));
      }
    },
  };
}

/**
 * The URL to send the request to: `target` itself, or its proxy with `target` in absolute form
 * as the request target (the `Host`, `Authorization` and `Proxy-Authorization` headers added to
 * `headers`).
 */
const viaProxy = (function viaProxy(
  target: HttpUrl,
  settings: ProxySettings | undefined,
  headers: Array<readonly [string, string]>,
): HttpUrl {
  const proxy = settings ? proxyForUrl(target, settings) : undefined;
  if (!proxy || target.scheme === "https") return target;
  headers.unshift(["Host", hostHeader(target)]);
  if (target.username !== "" || target.password !== "") {
    headers.push(["Authorization", `Basic ${basicCredentials(target.username, target.password)}`]);
  }
  if (proxy.username !== "" || proxy.password !== "") {
    const token = basicCredentials(proxy.username, proxy.password);
    headers.push(["Proxy-Authorization", `Basic ${token}`]);
  }
  return {
    ...proxy,
    username: "",
    password: "",
    target: target.href,
  };
}).bind(undefined);

/** The `CONNECT` tunnel for an `https://` URL, when a proxy is set for it. */
function tunnelFor(target: HttpUrl, settings: ProxySettings | undefined): TlsTunnel | undefined {
  const proxy = settings ? proxyForUrl(target, settings) : undefined;
  if (!proxy) return undefined;
  const headers: [string, string][] = [];
  if (proxy.username !== "" || proxy.password !== "") {
    const token = basicCredentials(proxy.username, proxy.password);
    headers.push(["Proxy-Authorization", `Basic ${token}`]);
  }
  return { host: proxy.host, port: proxy.port, headers };
}

/** Marks the options of a download whose credentials came from its URL's userinfo. */
const FROM_URL = Symbol("credentials from the URL");

function sameOrigin(a: HttpUrl, b: HttpUrl): boolean {
  return a.scheme === b.scheme && a.host === b.host && a.port === b.port;
}

/** Gives `path` the response's Last-Modified as its mtime, when there is a valid one. */
function setServerTime(path: string, response: HttpResponse): void {
  const time = parseHttpDate(response.head.headers.get("Last-Modified"));
  if (Number.isNaN(time)) return;
  try {
    Deno.utimeSync(path, new Date(), new Date(time));
  } catch (error) {
    throw new DownloadFileError(path, error);
  }
}

/** A regular file's size and mtime, or an empty object when there is none. */
function fileInfo(path: string): { size?: number; mtime?: Date | undefined } {
  try {
    const info = Deno.statSync(path);
    return info.isFile ? { size: info.size, mtime: info.mtime ?? undefined } : {};
  } catch {
    return {};
  }
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function fileSize(path: string): number {
  try {
    const info = Deno.statSync(path);
    return info.isFile ? info.size : 0;
  } catch {
    return 0;
  }
}

/** The directory of the file `nameUrl` names: the caller's rule (`-x`), else `directory`. */
function directoryOf(options: DownloadOptions, nameUrl: HttpUrl): string {
  return options.directoryForUrl?.(nameUrl) ?? options.directory ?? ".";
}

function joinPath(directory: string, name: string): string {
  // An empty directory (`-P ""`, `-P "$UNSET"`) is the current one, as GNU wget takes it, never
  // the root; `/` stays the root.
  if (directory === "." || directory === "") return name;
  return `${directory === "/" ? "" : directory.replace(/\/+$/, "")}/${name}`;
}

const isRetryable = (function isRetryable(
  error: unknown,
  statuses: readonly number[] = [],
  refused = false,
): boolean {
  if (error instanceof SocketError) {
    if (error.failure === "refused") return refused;
    return error.failure !== "not-found";
  }
  if (error instanceof UnexpectedEofError || error instanceof ConnectionClosedError) return true;
  // GNU's RANGEERR is retried as a network failure is.
  if (error instanceof ContentRangeError) return true;
  if (error instanceof HttpStatusError) {
    return error.status === 504 || statuses.includes(error.status);
  }
  return false;
}).bind(undefined);

/**
 * GNU wget's exit code for an error thrown by {@linkcode download}: 1 generic (and bad URLs), 3 file I/O, 4 network (including a body shorter than announced), 5 TLS, 6 authentication,
 * 7 protocol (including a head past the limits), 8 server error status (and too many redirects).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { downloadExitCode } from "@netkit/netkit/download";
 * import { HttpStatusError } from "@netkit/netkit/http";
 *
 * const notFound = new HttpStatusError(404, "Not Found", "http://h/");
 * assert.equal(downloadExitCode(notFound), 8); // server error
 * assert.equal(downloadExitCode(new HttpStatusError(401, "Unauthorized", "http://h/")), 6); // auth
 * ```
 */
export function downloadExitCode(error: unknown): number {
  if (error instanceof UrlError) return WGET_EXIT.generic;
  if (error instanceof DownloadFileError) return WGET_EXIT.fileIo;
  // Only a certificate that cannot be verified is 5; a handshake that fails otherwise (a plain
  // HTTP port, a reset) is a network failure, as GNU wget's "Unable to establish SSL connection".
  if (error instanceof TlsError) {
    return error.verification ? WGET_EXIT.tlsVerification : WGET_EXIT.network;
  }
  if (error instanceof GaveUpError) return WGET_EXIT.network;
  if (
    error instanceof SocketError || error instanceof UnexpectedEofError ||
    error instanceof ConnectionClosedError
  ) {
    return WGET_EXIT.network;
  }
  if (error instanceof HttpStatusError) {
    // GNU wget: 401 is an authentication failure (6); a proxy's 407 is a server error (8).
    return error.status === 401 ? WGET_EXIT.auth : WGET_EXIT.serverError;
  }
  // GNU wget gives 8 for a redirect loop or too many redirects too.
  if (error instanceof RedirectError) return WGET_EXIT.serverError;
  if (
    error instanceof HttpProtocolError || error instanceof HeaderLimitError ||
    error instanceof LineTooLongError
  ) {
    return WGET_EXIT.protocol;
  }
  return WGET_EXIT.generic;
}
