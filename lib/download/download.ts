/**
 * GNU wget's download logic on the HTTP client: choosing and creating the file (never clobbering
 * one that exists), resuming with `Range`, following redirects, retrying network failures and 5xx,
 * and the exit codes GNU wget documents.
 *
 * @module
 */

import { quoteForMessage } from "../internal/quote.ts";
import { contentDispositionFileName, fileNameFromUrl } from "./file_name.ts";
import {
  ConnectionClosedError,
  HeaderLimitError,
  HttpProtocolError,
  HttpStatusError,
  RedirectError,
} from "../http/errors.ts";
import { TlsError } from "../net/tls_error.ts";
import { type HttpClientOptions, type HttpResponse, sendHttpRequest } from "../http/client.ts";
import { HttpConnectionPool } from "../http/pool.ts";
import { type HttpUrl, parseHttpUrl, UrlError } from "../http/url.ts";
import { SocketError } from "../net/socket_error.ts";
import type { ByteWriter } from "../io/duplex.ts";
import { LineTooLongError, UnexpectedEofError } from "../net/socket_stream.ts";

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
export class DownloadFileError extends Error {
  /** The file involved. */
  readonly path: string;
  /** Builds the error; the OS error is kept as `cause`. */
  constructor(path: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot write "${path}": ${detail}`, { cause });
    this.name = "DownloadFileError";
    this.path = path;
  }
}

/** Where a download's body goes instead of a file of its own (`-O FILE`, `-O -`). */
export interface DownloadSink {
  /** The destination's name, for messages (`"-"` for standard output). */
  name: string;
  /** The writer. */
  writer: ByteWriter;
  /** Bytes already there, to resume after (`-c -O FILE`). @default {0} */
  offset?: number;
  /** Empties the destination, when the server restarts a body it cannot resume (a file can). */
  restart?(): void;
}

/** What a download reports while it runs, for the command to print. */
export interface DownloadEvents {
  /** A request is about to be sent to `url`. */
  request?(url: HttpUrl): void;
  /** A response head arrived. */
  response?(response: HttpResponse): void;
  /** A redirect is followed. */
  redirect?(from: string, to: string, status: number): void;
  /** The body starts: `offset` bytes are already there, `total` is the full size when known. */
  start?(info: { path: string; offset: number; total?: number | undefined }): void;
  /** `received` body bytes have arrived in this response. */
  progress?(received: number): void;
  /** Attempt `attempt` failed with `error`; the next starts after `waitMs`. */
  retry?(error: unknown, attempt: number, waitMs: number): void;
}

/**
 * Options of {@linkcode download}. Give a `pool` (an `HttpConnectionPool`) to keep connections
 * alive across downloads, as `wget` does for the URLs of one command line; without one, a
 * download keeps its connection only across its own redirects and retries.
 */
export interface DownloadOptions extends Omit<HttpClientOptions, "method" | "body"> {
  /** The directory for files (`-P`). @default {"."} */
  directory?: string | undefined;
  /** Write into this instead of a file named after the URL (`-O`). */
  output?: DownloadSink;
  /** Skip the download when the file exists (`--no-clobber`). */
  noClobber?: boolean | undefined;
  /** Resume a partial file with `Range` (`-c`). */
  resume?: boolean | undefined;
  /** The most redirects followed. @default {20} */
  maxRedirects?: number;
  /** Attempts in all; 0 for no limit. @default {20} */
  tries?: number;
  /** The longest wait between attempts (1 s, 2 s, … up to this). @default {10000} */
  retryWaitMs?: number;
  /** Take the name from `Content-Disposition` (`--content-disposition`). */
  contentDisposition?: boolean | undefined;
  /** Name the file after the last redirect's URL (`--trust-server-names`). */
  trustServerNames?: boolean | undefined;
  /** Only check that the URL exists, with HEAD (`--spider`). */
  spider?: boolean | undefined;
  /** Progress reports. */
  events?: DownloadEvents;
  /** How to wait between attempts; tests inject a fast one. */
  sleep?: (ms: number) => Promise<void>;
}

/** What a finished download did. */
export interface DownloadResult {
  /** The URL asked for. */
  url: string;
  /** The URL the body came from, after redirects. */
  finalUrl: string;
  /** The file written (or the sink's name); undefined for `--spider`. */
  path?: string;
  /** Body bytes received in this run. */
  bytes: number;
  /** The file's full size after the run, when known. */
  size?: number | undefined;
  /** The final status code. */
  status: number;
  /** Why nothing was fetched: the file exists (`--no-clobber`) or is already complete (`-c`). */
  skipped?: "exists" | "complete";
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

// File calls here are synchronous: each is a local system call of microseconds, while the first
// asynchronous one starts Deno's blocking thread pool, a visible part of a small download's time.

/** A file this download created or resumed, kept across attempts so a retry resumes it. */
interface OwnedFile {
  path: string;
  size: number;
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
export async function download(
  url: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const original = parseHttpUrl(url);
  // Redirects to the same origin reuse the connection, through a pool of the caller's or our own.
  const ownPool = options.pool ? undefined : new HttpConnectionPool();
  try {
    return await retryDownload(original, ownPool ? { ...options, pool: ownPool } : options);
  } finally {
    await ownPool?.close();
  }
}

async function retryDownload(
  original: HttpUrl,
  options: DownloadOptions,
): Promise<DownloadResult> {
  const tries = options.tries ?? 20;
  const maxWait = options.retryWaitMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const state: { owned?: OwnedFile; written: number } = { written: options.output?.offset ?? 0 };
  for (let attempt = 1;; attempt++) {
    try {
      return await attemptDownload(original, options, state);
    } catch (error) {
      options.signal?.throwIfAborted();
      if (!isRetryable(error) || (tries !== 0 && attempt >= tries)) throw error;
      const waitMs = Math.min(attempt * 1000, maxWait);
      options.events?.retry?.(error, attempt, waitMs);
      if (waitMs > 0) await sleep(waitMs);
    }
  }
}

async function attemptDownload(
  original: HttpUrl,
  options: DownloadOptions,
  state: { owned?: OwnedFile; written: number },
): Promise<DownloadResult> {
  const directory = options.directory ?? ".";
  const events = options.events ?? {};
  const maxRedirects = options.maxRedirects ?? 20;
  const visited = new Set<string>();
  let target = original;
  for (let redirects = 0;; redirects++) {
    const nameUrl = options.trustServerNames ? target : original;
    const plannedPath = options.output
      ? options.output.name
      : state.owned?.path ?? joinPath(directory, fileNameFromUrl(nameUrl));
    if (!options.output && !state.owned && !options.spider) {
      if (options.noClobber && exists(plannedPath)) {
        return {
          url: original.href,
          finalUrl: target.href,
          path: plannedPath,
          bytes: 0,
          status: 0,
          skipped: "exists",
        };
      }
    }
    let offset = 0;
    if (options.output) offset = state.written;
    else if (state.owned) offset = state.owned.size;
    else if (options.resume && !options.spider) offset = fileSize(plannedPath);
    const headers = [...(options.headers ?? [])];
    if (offset > 0) headers.push(["Range", `bytes=${offset}-`]);
    events.request?.(target);
    visited.add(target.href);
    const response = await sendHttpRequest(target, {
      ...options,
      method: options.spider ? "HEAD" : "GET",
      headers,
    });
    try {
      events.response?.(response);
      const status = response.status;
      const location = response.head.headers.get("Location");
      if (REDIRECTS.has(status) && location !== undefined) {
        const [firstLocation = ""] = location.split(",");
        const next = parseHttpUrl(firstLocation, target);
        if (redirects >= maxRedirects) {
          throw new RedirectError(
            `${maxRedirects} redirections exceeded at "${target.href}"`,
            target.href,
          );
        }
        if (visited.has(next.href)) {
          throw new RedirectError(`Redirect loop: "${next.href}" again`, next.href);
        }
        events.redirect?.(target.href, next.href, status);
        target = next;
        continue;
      }
      if (status === 416 && offset > 0) {
        return {
          url: original.href,
          finalUrl: target.href,
          path: plannedPath,
          bytes: 0,
          size: offset,
          status,
          skipped: "complete",
        };
      }
      if (status < 200 || status >= 300) {
        throw new HttpStatusError(status, response.head.reason, target.href);
      }
      if (options.spider) {
        return {
          url: original.href,
          finalUrl: target.href,
          bytes: 0,
          status,
          size: response.contentLength,
        };
      }
      const resumed = status === 206 && offset > 0;
      if (status === 206 && !resumed) {
        throw new HttpProtocolError(`Partial content (206) for a request without Range`);
      }
      if (resumed) checkContentRange(response.head.headers.get("Content-Range"), offset);
      const bodyOffset = resumed ? offset : 0;
      return await saveBody({ response, original, target, options, state, offset: bodyOffset });
    } finally {
      // A short unread body (a redirect's page, an error page) is read away to keep the
      // connection for the next request; a longer one closes it.
      await response.discardBody();
      response.close();
    }
  }
}

/** A resumed body must start where the file ends, or appending it would corrupt the file. */
function checkContentRange(header: string | undefined, offset: number): void {
  const match = /^bytes\s+(\d+)-\d+\/(\d+|\*)$/i.exec(header?.trim() ?? "");
  if (!match || Number(match[1]) !== offset) {
    throw new HttpProtocolError(
      `Server resumed at ${quoteForMessage(header ?? "")} (Content-Range), not at byte ${offset}`,
    );
  }
}

/** One response whose body is to be saved, and what it is saved against. */
interface BodyJob {
  response: HttpResponse;
  original: HttpUrl;
  target: HttpUrl;
  options: DownloadOptions;
  state: { owned?: OwnedFile; written: number };
  /** Bytes already there (a resumed body starts after them). */
  offset: number;
}

async function saveBody(job: BodyJob): Promise<DownloadResult> {
  const { response, original, target, options, state, offset } = job;
  const events = options.events ?? {};
  const length = response.contentLength;
  const total = length === undefined ? undefined : offset + length;
  const result = (path: string, bytes: number): DownloadResult => ({
    url: original.href,
    finalUrl: target.href,
    path,
    bytes,
    size: offset + bytes,
    status: response.status,
  });
  if (options.output) {
    if (offset === 0 && state.written > 0) {
      if (!options.output.restart) {
        throw new HttpProtocolError(
          `Server restarted the body of "${target.href}"; cannot rewind "${options.output.name}"`,
        );
      }
      try {
        options.output.restart();
      } catch (error) {
        throw new DownloadFileError(options.output.name, error);
      }
      state.written = 0;
    }
    events.start?.({ path: options.output.name, offset, total });
    const bytes = await response.copyBodyTo(options.output.writer, (n) => {
      state.written = offset + n;
      events.progress?.(n);
    });
    return result(options.output.name, bytes);
  }
  const file = openTarget(job);
  try {
    const owned = state.owned!;
    events.start?.({ path: owned.path, offset, total });
    const writer = fileWriter(file, owned.path);
    const bytes = await response.copyBodyTo(writer, (n) => {
      owned.size = offset + n;
      events.progress?.(n);
    });
    owned.size = offset + bytes;
    return result(owned.path, bytes);
  } finally {
    file.close();
  }
}

/** Opens the file for the body: appended to when resuming, else a new file that clobbers none. */
function openTarget(job: BodyJob): Deno.FsFile {
  const { response, original, target, options, state, offset } = job;
  const directory = options.directory ?? ".";
  let path = state.owned?.path;
  if (path === undefined) {
    let name = fileNameFromUrl(options.trustServerNames ? target : original);
    if (options.contentDisposition) {
      const header = response.head.headers.get("Content-Disposition");
      name = (header && contentDispositionFileName(header)) || name;
    }
    path = joinPath(directory, name);
  }
  const own = (p: string, size: number) => (state.owned = { path: p, size });
  try {
    if (state.owned || options.resume) {
      // Resuming (our own partial file, or -c): 206 appends, 200 starts the file over.
      const file = Deno.openSync(path, {
        write: true,
        create: true,
        append: offset > 0,
        truncate: offset === 0,
      });
      own(path, offset);
      return file;
    }
    Deno.mkdirSync(directory, { recursive: true });
    const { file, path: unique } = createUniqueFile(path);
    own(unique, 0);
    return file;
  } catch (error) {
    throw new DownloadFileError(path, error);
  }
}

/**
 * Creates `path`, or `path.1`, `path.2`, … when it exists, atomically (never opening an existing
 * file, never following a symbolic link planted at the name).
 *
 * @returns The open file and the name it got.
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
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function createUniqueFile(path: string): { file: Deno.FsFile; path: string } {
  for (let n = 0;; n++) {
    const candidate = n === 0 ? path : `${path}.${n}`;
    try {
      return {
        file: Deno.openSync(candidate, { write: true, createNew: true }),
        path: candidate,
      };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists) || n >= 100_000) throw error;
    }
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
        return Promise.reject(new DownloadFileError(path, error));
      }
    },
  };
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

function joinPath(directory: string, name: string): string {
  return directory === "." ? name : `${directory.replace(/\/+$/, "")}/${name}`;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof SocketError) {
    return error.failure !== "refused" && error.failure !== "not-found";
  }
  if (error instanceof UnexpectedEofError || error instanceof ConnectionClosedError) return true;
  if (error instanceof HttpStatusError) return error.status >= 500;
  return false;
}

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
  if (error instanceof TlsError) return WGET_EXIT.tlsVerification;
  if (
    error instanceof SocketError || error instanceof UnexpectedEofError ||
    error instanceof ConnectionClosedError
  ) {
    return WGET_EXIT.network;
  }
  if (error instanceof HttpStatusError) {
    return error.status === 401 || error.status === 407 ? WGET_EXIT.auth : WGET_EXIT.serverError;
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
