/**
 * GNU wget's recursive retrieval (`-r`, `-m`, `-p`): a breadth-first walk from each start URL
 * that saves every page under GNU wget's layout, reads HTML and CSS for links, and follows those
 * that pass GNU wget's tests in GNU wget's order (seen before, scheme, domain, no-parent,
 * accept/reject, same host, robots.txt). Every request goes through one keep-alive pool, so a
 * site is fetched over one connection.
 *
 * @module
 */

import { percentDecode } from "../internal/percent_decode.ts";
import { gnuReencode } from "./_gnu_reencode.ts";
import { acceptsDirectory, acceptsFileName } from "./accept_rules.ts";
import { type DiskLayout, localPathForUrl } from "./disk_layout.ts";
import {
  DEFAULT_MAX_RESPONSE_HEADERS,
  download,
  DownloadFileError,
  type DownloadOptions,
  type DownloadResult,
  type RequestUserinfo,
} from "./download.ts";
import { timerSleep } from "./_timer_sleep.ts";
import {
  extractCssLinks,
  extractCssLinksFromChunks,
  extractHtmlLinksFromChunks,
  type PageLink,
} from "./links.ts";
import { parseRobotsTxt, RobotsRules } from "./robots.ts";
import { convertLinks } from "./convert_links.ts";
import {
  directoryOf,
  domainMatches,
  extensionAliases,
  fileChunks,
  hasHtmlSuffix,
  heldChunks,
  isNoNewerThan,
  isSubdirectory,
  removeEmptyFailures,
  seenKey,
} from "./_recursive_helpers.ts";
import { HttpStatusError } from "../http/errors.ts";
import { HttpConnectionPool } from "../http/pool.ts";
import { parseHttpUrl, searchOf, type UrlParts } from "../http/url.ts";
import { parseLinkUrl } from "./_link_url.ts";
import { keepAnswerState } from "./_hsts_answer.ts";
import { type HttpClientOptions, type HttpResponse } from "../http/client.ts";
import { backupPathFor, pageKind, withPageExtension } from "./page_kind.ts";
import { dispositionName } from "./_disposition_name.ts";
import { HeldBody } from "./_held_body.ts";
import { refererOf } from "./_referer.ts";
import { escapePageBytes } from "./_resolve_link.ts";
import { parseHttpDate } from "./http_date.ts";
import { handOver } from "./_received.ts";
import { QueueFront } from "./_queue_front.ts";
import { RunDisk } from "./_run_disk.ts";
import { SavedFiles } from "./_saved_files.ts";
import {
  type FetchWalk,
  FileFetch,
  type HeadChecked,
  type HeadCheckOptions,
  MAX_KEPT_TEXT_BYTES,
} from "./_file_fetch.ts";
import type {
  FetchLog,
  RecursiveOptions,
  RecursiveResult,
  RejectReason,
} from "./recursive_options.ts";

import {
  addHolder,
  deleteHolder,
  DOWNLOADED_ALREADY,
  type Fetched,
  type FetchHow,
  type HandedGet,
  HeadUnanswered,
  type HeldName,
  type NameHeld,
  type NameHolder,
  type OwnGet,
  type PageRefusals,
  type QueueItem,
  REDIRECT_STATUSES,
  refuseQuietly,
  type StartParts,
  type Visited,
} from "./_walk_types.ts";

export type * from "./recursive_options.ts";

/** `url`'s scheme with its colon when it is http, https, ftp or ftps; undefined otherwise. */
function schemeOf(url: string): "http:" | "https:" | "ftp:" | "ftps:" | undefined {
  return url.startsWith("http:")
    ? "http:"
    : url.startsWith("https:")
    ? "https:"
    : url.startsWith("ftp:")
    ? "ftp:"
    : url.startsWith("ftps:")
    ? "ftps:"
    : undefined;
}

/**
 * With several threads, how many URLs per thread may be under way (fetching, or fetched and
 * waiting for the pages before them to be read): each holds at most a page's text in memory.
 */
const READ_AHEAD = 4;

/**
 * Downloads `urls` and what they link to, as GNU wget's `-r`, `-m` and `-p` do.
 *
 * A file already in `directory` where a directory is needed (`a` when `a/x.html` is saved) is
 * replaced by the directory only when this call wrote it, as GNU wget does; any other file is
 * kept, and that URL fails with a {@linkcode DownloadFileError} ("Not a directory"), where GNU
 * wget removes the file.
 *
 * @param urls The start URLs; each starts its own walk, as in GNU wget.
 * @param options What to follow and where to save.
 * @returns Counts, failures and the files kept.
 *
 * @example Mirror a small site served on loopback
 * ```ts
 * import assert from "node:assert/strict";
 * import { downloadRecursive } from "@netkit/netkit/download";
 *
 * const pages: Record<string, string> = {
 *   "/": `<a href="a.html">a</a> <a href="http://other.invalid/">off-site</a>`,
 *   "/a.html": `<img src="img/p.png"> <a href="/">home</a>`,
 *   "/img/p.png": "PNG",
 * };
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
 *   const body = pages[new URL(req.url).pathname];
 *   const type = body?.startsWith("<") ? "text/html" : "image/png";
 *   return new Response(body ?? "no", { status: body ? 200 : 404, headers: { "content-type": type } });
 * });
 * const directory = await Deno.makeTempDir();
 * const rejected: string[] = [];
 * const result = await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
 *   directory,
 *   layout: { hostDirectories: false },
 *   onRejected: ({ reason, url }) => rejected.push(`${reason} ${url}`),
 * });
 * assert.deepEqual([...result.saved.values()].map((p) => p.slice(directory.length + 1)).sort(), [
 *   "a.html", "img/p.png", "index.html",
 * ]);
 * // Another host without -H; the home page again from a.html.
 * assert.deepEqual(rejected, [
 *   "SPANNEDHOST http://other.invalid/",
 *   `BLACKLIST http://127.0.0.1:${server.addr.port}/`,
 * ]);
 * await Deno.remove(directory, { recursive: true });
 * ```
 *
 * @example Keep a file of the user's where a directory goes
 * ```ts
 * import assert from "node:assert/strict";
 * import { downloadRecursive, DownloadFileError } from "@netkit/netkit/download";
 *
 * const pages: Record<string, string> = { "/": `<a href="a/x.html">x</a>`, "/a/x.html": "x" };
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) =>
 *   new Response(pages[new URL(req.url).pathname] ?? "no", {
 *     headers: { "content-type": "text/html" },
 *   }));
 * const directory = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${directory}/a`, "the user's");
 * const result = await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
 *   directory,
 *   layout: { hostDirectories: false },
 * });
 * assert.equal(await Deno.readTextFile(`${directory}/a`), "the user's");
 * assert.equal(result.failures.length, 1);
 * assert.ok(result.failures[0]!.error instanceof DownloadFileError);
 * await Deno.remove(directory, { recursive: true });
 * ```
 */
export async function downloadRecursive(
  urls: readonly string[],
  options: RecursiveOptions = {},
): Promise<RecursiveResult> {
  const ownPool = options.pool ? undefined : new HttpConnectionPool();
  const walker = new Walker(ownPool ? { ...options, pool: ownPool } : options);
  try {
    try {
      for (const url of urls) {
        if (walker.quotaExceeded) break;
        await walker.walk(url);
      }
    } finally {
      walker.removeUnread();
    }
    options.onWalked?.(walker.result);
    if (options.convertLinks) walker.convert();
    return walker.result;
  } finally {
    await ownPool?.close();
  }
}

/** The state of a run: robots rules and downloaded files are shared by every start URL. */
class Walker implements FetchWalk {
  readonly result: RecursiveResult = { files: 0, bytes: 0, failures: [], saved: new Map() };
  readonly options: RecursiveOptions;
  /** The options each file's download() starts from (see the constructor). */
  readonly downloadOptions: DownloadOptions;
  readonly #robots = new Map<string, Promise<RobotsRules>>();
  /**
   * The credentials of start URLs written with them (`http://u:p@host/`), by origin: GNU wget
   * keeps the userinfo in the links it resolves against such a URL, so the pages below it are
   * asked for with them too (answering the server's challenge, never unasked).
   */
  readonly #startCredentials = new Map<string, { username: string; password: string }>();
  /** The same rules once fetched, so a link is decided without waiting. */
  readonly #robotsReady = new Map<string, RobotsRules>();
  /** The run's files as GNU wget registers them, and `-k`'s pages (see `SavedFiles`). */
  readonly saved: SavedFiles;
  /** With several threads: the queue place of the page being read (its removal, robots.txt). */
  #turn = 0;
  readonly #maxDepth: number;
  /**
   * The client's options for a file's GET sent by the walker itself (see `FileFetch`), the
   * same for every file; undefined when the run's options need download()'s general path.
   */
  readonly plainClient: HttpClientOptions | undefined;
  /** The run's headers name an Accept-Encoding (download() then adds none). */
  readonly plainHasEncoding: boolean;
  /** No `--max-threads` above 1: one fetch at a time. */
  readonly oneThread: boolean;
  /** The layout, one object for the whole run (localPathForUrl remembers directories by it). */
  readonly #layout: DiskLayout;

  constructor(options: RecursiveOptions) {
    this.options = options;
    // What each download() gets: the options without the recursion's own, so that the per-file
    // copies of the options (here and in the client) carry half as many properties.
    const {
      recursive: _recursive,
      maxDepth: _maxDepth,
      noParent: _noParent,
      pageRequisites: _pageRequisites,
      spanHosts: _spanHosts,
      domains: _domains,
      excludeDomains: _excludeDomains,
      acceptRules: _acceptRules,
      layout: _layout,
      robots: _robots,
      httpsOnly: _httpsOnly,
      relativeOnly: _relativeOnly,
      onRejected: _onRejected,
      includeDirectories: _includeDirectories,
      excludeDirectories: _excludeDirectories,
      acceptRegex: _acceptRegex,
      rejectRegex: _rejectRegex,
      followTags: _followTags,
      ignoreTags: _ignoreTags,
      quotaBytes: _quotaBytes,
      waitMs: _waitMs,
      randomWait: _randomWait,
      backupConverted: _backupConverted,
      downloaded: _downloaded,
      maxThreads: _maxThreads,
      deleteAfter: _deleteAfter,
      spider: _spider,
      output: _output,
      adjustExtension: _adjustExtension,
      convertLinks: _convertLinks,
      convertFileOnly: _convertFileOnly,
      onSaved: _onSaved,
      onFailed: _onFailed,
      onRemoved: _onRemoved,
      onNotModified: _onNotModified,
      onWalked: _onWalked,
      onRobots: _onRobots,
      onRobotsUnread: _onRobotsUnread,
      onNofollow: _onNofollow,
      onConverted: _onConverted,
      fetchLog: _fetchLog,
      ...forDownload
    } = options;
    this.downloadOptions = {
      ...forDownload,
      // --wait: before a redirect's request too, as GNU wget.
      ...(options.waitMs ? { redirectWaitMs: options.waitMs } : {}),
      // --spider: a status is a broken link, never retried (GNU's spider check comes before
      // --retry-on-http-error's).
      ...(options.spider ? { retryOnHttpError: undefined } : {}),
    };
    // The options of download() that need its general path for every request (the method, a
    // body, a proxy, credentials sent unasked, what --compression, --save-headers and
    // --limit-rate do to a body); those the walker handles itself (-O, -E,
    // --content-disposition); and the client's options as download() would pass them.
    const general = options.output !== undefined || options.adjustExtension ||
      options.contentDisposition || options.method !== undefined || options.body !== undefined ||
      options.proxy !== undefined || options.authNoChallenge ||
      (options.compression ?? "none") !== "none" || options.saveHeaders ||
      (options.limitBytesPerSecond ?? 0) > 0 || options.pool === undefined;
    // Without download()'s own options: the client ignores them, and a copy of a large object
    // with properties added costs ~3 us a file, of a small one ~0.2.
    const {
      directory: _directory,
      fileNameForUrl: _fileNameForUrl,
      noClobber: _noClobber,
      maxRedirects: _maxRedirects,
      tries: _tries,
      retryOnHttpError: _retryOnHttpError,
      retryWaitMs: _retryWaitMs,
      trustServerNames: _trustServerNames,
      credentials: _credentials,
      credentialsFor: _credentialsFor,
      basicAuthOrigins: _basicAuthOrigins,
      timestamping: _timestamping,
      timestampingByHead: _timestampingByHead,
      backups: _backups,
      clobber: _clobber,
      unlink: _unlink,
      cookies: _cookies,
      contentOnError: _contentOnError,
      retryConnectionRefused: _retryConnectionRefused,
      useServerTimestamps: _useServerTimestamps,
      events: _events,
      sleep: _sleep,
      contentDisposition: _contentDisposition,
      authNoChallenge: _authNoChallenge,
      compression: _compression,
      saveHeaders: _saveHeaders,
      limitBytesPerSecond: _limitBytesPerSecond,
      proxy: _proxy,
      ...forClient
    } = forDownload;
    this.plainClient = general ? undefined : {
      ...forClient,
      maxHeaderCount: forDownload.maxHeaderCount ?? DEFAULT_MAX_RESPONSE_HEADERS,
      method: "GET",
      body: undefined,
      tunnel: forDownload.tunnel,
    };
    this.plainHasEncoding = (options.headers ?? []).some(([name]) =>
      /^accept-encoding$/i.test(name)
    );
    this.#layout = options.layout ?? {};
    this.oneThread = (options.maxThreads ?? 1) <= 1;
    this.#headNamesFirst = !this.oneThread && (options.contentDisposition ?? false) &&
      ((options.timestamping || options.resume) ?? false) && options.output === undefined;
    // A redirect's target whose own GET went out takes its answer only where the two GETs would
    // be the same request, saved the same way: no --wait (a host's turns), --spider's HEAD,
    // -O, or a name that the answer gives (--content-disposition, --trust-server-names).
    this.claimsAllowed = !this.oneThread && !options.waitMs && !options.spider &&
      options.output === undefined && !options.contentDisposition &&
      !options.trustServerNames && !options.deleteAfter;
    this.#slotsLeft = Math.max(1, options.maxThreads ?? 1);
    this.saved = new SavedFiles(this.result.saved, !this.oneThread);
    const recursive = options.recursive ?? true;
    const depth = options.maxDepth ?? 5;
    this.#maxDepth = !recursive ? 0 : depth === 0 ? Infinity : depth;
    for (const { url, path, kind } of options.downloaded ?? []) {
      this.registerLanded(url, url, path);
      this.disk.written.add(path);
      this.saved.savedPage(path, kind);
    }
  }

  /** `url` with the credentials of a start URL of its origin, when there is one. */
  withStartCredentials(url: string): string {
    if (this.#startCredentials.size === 0) return url;
    const parsed = new URL(url);
    const credentials = this.#startCredentials.get(parsed.origin);
    if (credentials === undefined) return url;
    parsed.username = encodeURIComponent(credentials.username);
    parsed.password = encodeURIComponent(credentials.password);
    return parsed.href;
  }

  /**
   * The user name of a start URL of `href`'s origin (and whether it had a password), for the log
   * of a request that goes with its credentials; none when there is none.
   */
  startUserinfo(href: string): RequestUserinfo | undefined {
    if (this.#startCredentials.size === 0) return undefined;
    const credentials = this.#startCredentials.get(new URL(href).origin);
    return credentials && { username: credentials.username, password: credentials.password !== "" };
  }

  /** GNU wget's `retrieve_tree` for one start URL. */
  async walk(startText: string): Promise<void> {
    const options = this.options;
    let start: URL;
    try {
      options.checkStart?.(startText);
      const parsed = parseHttpUrl(gnuReencode(startText));
      start = new URL(parsed.href);
      if (parsed.username !== "" || parsed.password !== "") {
        const { username, password } = parsed;
        this.#startCredentials.set(start.origin, { username, password });
      }
    } catch (error) {
      this.fail(startText, error);
      return;
    }
    const seen = new Set<string>([seenKey(start.href)]);
    const queue: QueueItem[] = [
      { url: start.href, parsed: start, depth: 0, expectHtml: true, expectCss: false },
    ];
    const threads = Math.max(1, options.maxThreads ?? 1);
    const running = new Set<Promise<void>>();
    // GNU's retrieve_tree starts each start URL afresh after a failed write.
    this.#writeFailed = false;
    this.#writeFailures = [];
    try {
      await this.#run(queue, running, threads, start, seen);
    } finally {
      // An abort ends the loop early: let the other tasks settle before the walk returns.
      await Promise.allSettled(running);
      this.saved.registerInQueueOrder();
      // (Several only with several threads: no empty file GNU's run would not leave.)
      removeEmptyFailures(this.#writeFailures);
    }
  }

  /** The queue, worked through by up to `threads` tasks at once. */
  async #run(
    queue: QueueItem[],
    running: Set<Promise<void>>,
    threads: number,
    start: URL,
    seen: Set<string>,
  ): Promise<void> {
    const options = this.options;
    let head = 0;
    if (threads === 1) {
      // One visit at a time, each awaited in turn: no task set, race or finally a file.
      while (head < queue.length) {
        options.signal?.throwIfAborted();
        if (this.quotaExceeded || this.#writeFailed) return;
        const item = queue[head]!;
        queue[head++] = undefined as unknown as QueueItem;
        await this.#visit(item, start, seen, queue);
      }
      return;
    }
    // The fetches run at once, but each page is read for links, and its links queued, in the
    // order of the queue, whatever order the answers come in: the queue, each URL's depth and
    // the names taken are then those of one fetch at a time (GNU wget's), only sooner. A task
    // holds its file's name until its page has been read, but one of the `threads` request
    // slots only while it fetches (see #takeSlot): the URLs after a page that waits to be read
    // (a slower answer before it) are fetched meanwhile, up to READ_AHEAD * threads of them.
    // Names only an answer gives (--content-disposition's, --trust-server-names', -E's after
    // -nd's number) may be any name: there each URL waits, with its thread, for the pages before
    // it to be read, as before the slots, so that at most `threads` of the queue are under way.
    const anyName = options.contentDisposition || options.trustServerNames ||
      (options.adjustExtension && this.#layout.directories === false);
    const ahead = anyName ? threads : threads * READ_AHEAD;
    let wake: (() => void) | undefined;
    this.#slotFreed = () => wake?.();
    // A URL's request goes out only once every URL more than `threads` before it in the queue has
    // landed (its answer's status and headers after its redirects are in): a redirect to it is
    // then known (it is a URL downloaded, as in GNU's run), but for the `threads` - 1 URLs just
    // before it, as before the slots (the known race, cmd/README.md). Queue places from 1.
    this.#turn = 0;
    this.#landed.reset();
    this.redirectedTo.clear();
    this.#named.reset();
    const land = (order: number) => {
      // (A fetch's file is named by the time it lands: see afterEarlierHeadNames.)
      if (this.#headNamesFirst) this.#named.pass(order);
      if (this.#landed.pass(order)) wake?.();
    };
    let read: Promise<void> = Promise.resolve();
    /** The first task's failure (an abort): the walk ends with it. */
    let failure: { error: unknown } | undefined;
    while (head < queue.length || running.size > 0) {
      if (failure) throw failure.error;
      while (
        head < queue.length && running.size < ahead && this.#slotsLeft > 0 &&
        head + 1 - this.#landed.oldest < threads
      ) {
        options.signal?.throwIfAborted();
        // -Q: the next URL is fetched only once the bytes of those before it are known, as with
        // one thread (which stops at the same place).
        if ((options.quotaBytes ?? 0) > 0 && running.size > 0) break;
        if (this.quotaExceeded || this.#writeFailed) {
          head = queue.length;
          break;
        }
        const item = queue[head]!;
        queue[head++] = undefined as unknown as QueueItem;
        const before = read;
        let readDone!: () => void;
        const readSettled = new Promise<void>((resolve) => (readDone = resolve));
        const order = head;
        const onLanded = () => land(order);
        const visit = async () => {
          let visited: Visited | undefined;
          try {
            visited = await this.#visitFetch(item, {
              until: readSettled,
              order,
              onLanded,
              previousRead: before,
            });
            land(order);
            await before;
            this.#turn = order;
            if (visited) await this.#visitRead(item, visited, start, seen, queue);
          } catch (error) {
            // Told before the loop goes on, so that no URL is started after a failure.
            failure ??= { error };
            throw error;
          } finally {
            // (The bytes of a page read beside its file: let go once read, or unread where a task
            // before it failed.)
            visited?.body?.[Symbol.dispose]();
            land(order);
            readDone();
            running.delete(task);
            wake?.();
          }
        };
        // (Set before its `finally` runs: the visit awaits first.)
        const task = visit();
        // (The failure is thrown by the loop; the next task's reading fails on it too.)
        task.catch(() => {});
        read = task;
        running.add(task);
      }
      // Woken when a slot is free, a page has been read (its links queued) or a task failed.
      if (running.size > 0) await new Promise<void>((resolve) => (wake = resolve));
    }
    if (failure) throw failure.error;
  }

  /** One queued URL: fetched (or found already saved), read for links, rejected files removed. */
  async #visit(item: QueueItem, start: URL, seen: Set<string>, queue: QueueItem[]): Promise<void> {
    const visited = await this.#visitFetch(item);
    using _body = visited?.body;
    if (visited) await this.#visitRead(item, visited, start, seen, queue);
  }

  /**
   * A queued URL fetched, or found already saved (a redirect's target, or an index.html twin);
   * undefined when the fetch failed. With several threads, `lock` holds the file for the item
   * (`order` in the queue) until its page has been read.
   */
  async #visitFetch(
    item: QueueItem,
    lock?: {
      until: Promise<void>;
      order: number;
      onLanded: () => void;
      previousRead: Promise<void>;
    },
  ): Promise<Visited | undefined> {
    let path = this.result.saved.get(item.url);
    // With several threads, a fetch before it in the queue that writes this file (another URL
    // of its name: -nd's robots.txt of two hosts; under -E one whose name the answer's type
    // makes this one) registers it for its own URL, which takes it from this one (GNU's
    // register_download): this URL's only once that fetch is done (threads random seed
    // 2201730: `/semi;c/`, in `semi;c.html` by `/semi;c`'s redirect, read from it after
    // `/semi;c/%73emi;c`, before it in the queue, wrote another page there). Waited for once
    // its own name is taken (see #fetchReserved), so that the names after it are taken in the
    // order of the queue (a URL after it of the same name waits for it, not it for that one).
    const writers = lock && path !== undefined ? this.#writersBefore(path, lock.order) : [];
    // With several threads, a file the reading of its page may remove and forget (-R, --spider,
    // --delete-after) is this URL's only once the pages before it have been read, as in GNU's
    // run; and a URL that a fetch before it landed on (its body still coming) is one downloaded
    // only once that fetch is done and its page read.
    const removable = lock && path !== undefined && this.#mayBeRemoved(path);
    if (path !== undefined && !removable && writers.length === 0) {
      if (!lock || await this.#keptThroughRedirectsBefore(item.url, lock.order)) {
        return this.#downloadedAlready(item, this.result.saved.get(item.url)!);
      }
      // Taken from it meanwhile: asked for, as a URL not downloaded.
      path = undefined;
    }
    const before = writers.length > 0
      ? Promise.all(writers.map((writer) => writer.fetched))
      : lock && path === undefined
      ? this.#landingOn.get(item.url)
      : undefined;
    const landed = before && (async () => {
      await before;
      // Another fetch before it may have landed on it meanwhile (two redirects to one URL),
      // saving it in a file that the reading of its page may remove and forget: downloaded
      // there only once the pages before it have been read (threads random seed 1200196).
      const saved = this.result.saved.get(item.url);
      if (saved !== undefined && this.#mayBeRemoved(saved)) await lock!.previousRead;
    })();
    // (Awaited by the fetch; a failure before it is the loop's to throw.)
    landed?.catch(() => {});
    const how = lock
      ? { ...item, ...lock, landing: removable && !landed ? lock.previousRead : landed }
      : item;
    const fetched = await this.#fetch(item.url, how);
    if (fetched === undefined) return undefined;
    if (fetched === DOWNLOADED_ALREADY) {
      const saved = this.result.saved.get(item.url);
      return saved === undefined ? undefined : this.#downloadedAlready(item, saved);
    }
    let descend = false;
    let kind: Fetched["kind"] = "other";
    if (fetched.kind === "html" && item.expectHtml) {
      descend = true;
      kind = "html";
    }
    if (fetched.kind === "css" || item.expectCss) {
      descend = true;
      kind = "css";
    }
    return {
      path: fetched.path,
      kind,
      descend,
      text: fetched.text,
      body: fetched.body,
      finalUrl: fetched.finalUrl,
    };
  }

  /**
   * With several threads, whether `url` (`order` in the queue), saved by a fetch redirected to
   * it, is still a URL downloaded once the fetches before it that may write that file are done:
   * one that writes it takes it from this URL (GNU's register_download), which GNU's run then
   * asks for again. (`#visitFetch` waits so for a file known when the URL's turn comes; a
   * redirect's landing is known only once it is answered. Threads random seed 2300171, `-m -nd
   * -E`: `/til~de/sp%20ace/sp%20ace/`, saved in `sp ace.html` by the redirect of
   * `/til~de/sp%20ace/sp%20ace`, was read from it after the redirect of `/til~de/%73p%20ace`,
   * before it in the queue, wrote `/til~de/sp%20ace/`'s page there.)
   */
  async #keptThroughWritersBefore(url: string, order: number): Promise<boolean> {
    const saved = this.result.saved.get(url);
    if (saved === undefined) return false;
    const writers = this.#writersBefore(saved, order);
    if (writers.length > 0) await Promise.all(writers.map((writer) => writer.fetched));
    return this.result.saved.has(url);
  }

  /**
   * With several threads, whether `url` (`order` in the queue), found downloaded already, is one
   * still once the fetches before it that were redirected have registered their files: a redirect
   * is known only once answered, and one that lands on a URL of the same file takes it from this
   * URL (GNU's register_download, even for a 304 under -N), which GNU's run then asks for again.
   * Waits for every URL before it to land, then for the pages of those redirected to be read (as
   * this URL's reading waits for them anyway). Threads random seed 2303013 (`-m -nH --cut-dirs=1
   * --trust-server-names`): `/caf%C3%A9/`, in `index.html` by `/caf%C3%A9`'s redirect (a 304), was
   * read from it where GNU asks for it again: `/ry2.html`, before it in the queue, was redirected
   * to `/index.html` (a 304 too), which took `index.html` from it.
   */
  async #keptThroughRedirectsBefore(url: string, order: number): Promise<boolean> {
    await this.#landed.until(order);
    for (const redirects of this.redirectedTo.values()) {
      for (const redirect of redirects) {
        if (redirect.order < order) await redirect.settled;
      }
    }
    return await this.#keptThroughWritersBefore(url, order);
  }

  /** With several threads, the fetches before `order` in the queue that may write `path`. */
  #writersBefore(path: string, order: number): NameHolder[] {
    const before = (holder: NameHolder | undefined): holder is NameHolder =>
      holder?.order !== undefined && holder.order < order;
    return [this.#busy.get(path), ...this.#busyAliased.get(path) ?? []].filter(before);
  }

  /** Whether the reading of the page saved as `path` may remove it (see `#visitRead`). */
  #mayBeRemoved(path: string): boolean {
    const accept = this.options.acceptRules;
    return !this.options.output &&
      (this.temporaries.has(path) || (accept !== undefined && !acceptsFileName(path, accept)));
  }

  /**
   * Whether removing `path`, a NAME.tmp read for its links, forgets its URLs (GNU's
   * register_delete_file): GNU removes what -A/-R reject by the NAME.tmp name, and what
   * --delete-after and --spider read; the NAME.tmp -R lets pass it leaves (cmd/README.md), so
   * their URLs stay downloaded there, and a link to them later is not fetched again.
   */
  forgetsOnRemoval(path: string): boolean {
    const { deleteAfter, spider, acceptRules } = this.options;
    return (deleteAfter || spider || !acceptRules || !acceptsFileName(path, acceptRules)) ??
      false;
  }

  /** A queued URL downloaded already (its file `path`): read again. */
  #downloadedAlready(item: QueueItem, path: string): Visited {
    const kind = this.saved.kindOf(path, item.expectHtml, item.expectCss);
    return { path, kind, descend: kind !== "other", text: undefined, finalUrl: item.url };
  }

  /** A fetched URL's page read for links (their URLs queued), and a rejected file removed. */
  async #visitRead(
    item: QueueItem,
    visited: Visited,
    start: URL,
    seen: Set<string>,
    queue: QueueItem[],
  ): Promise<void> {
    const options = this.options;
    const { path, kind, text } = visited;
    let descend = visited.descend;
    let pageUrl = item.url;
    if (visited.finalUrl !== item.url) {
      if (descend) {
        const decision = await this.#mayFollow(
          { url: visited.finalUrl, inline: false },
          item.parsed ?? parseLinkUrl(item.url),
          item.depth,
          start,
          seen,
          // GNU wget logs a refused redirect as the URL asked for, from the start URL.
          { url: item.url, parent: start.href },
        );
        if (decision === undefined) descend = false;
        // A link to the target later is one seen already, as on GNU's black list.
        else seen.add(seenKey(visited.finalUrl));
      }
      pageUrl = visited.finalUrl;
    }
    let leafRequisites = false;
    if (descend && item.depth >= this.#maxDepth) {
      if (
        options.pageRequisites &&
        (item.depth === this.#maxDepth || item.depth === this.#maxDepth + 1)
      ) {
        leafRequisites = true;
      } else {
        descend = false;
      }
    }
    const readWhole = descend && path !== undefined && !leafRequisites;
    if (descend && path !== undefined) {
      const links = this.#linksOf(path, pageUrl, kind, text, visited.body);
      const parent = pageUrl === item.url && item.parsed ? item.parsed : parseLinkUrl(pageUrl);
      const refusals = this.#pageRefusals();
      for (const link of links) {
        if (link.ignore || (leafRequisites && !link.inline)) continue;
        // Decided at once unless robots.txt is still to be fetched.
        let decision = this.#mayFollow(link, parent, item.depth, start, seen, undefined, refusals);
        if (decision instanceof Promise) decision = await decision;
        // Checked again after a wait: another task may have queued it meanwhile.
        if (decision !== undefined && !seen.has(seenKey(link.url))) {
          queue.push({
            url: link.url,
            parsed: decision,
            depth: item.depth + 1,
            expectHtml: link.expectHtml,
            expectCss: link.expectCss,
            referer: refererOf(pageUrl),
          });
          seen.add(seenKey(link.url));
        }
      }
    }
    if (
      path !== undefined && !options.output &&
      (this.temporaries.has(path) ||
        (options.acceptRules && !acceptsFileName(path, options.acceptRules)))
    ) {
      const forget = this.forgetsOnRemoval(path);
      if (!forget && !readWhole && (visited.descend || this.#unreadKept.has(path))) {
        // A page not read whole here (a redirect to a URL queued already, the depth) whose URL
        // stays downloaded: kept until a later visit of a URL saved in it reads it, as GNU reads
        // the NAME.tmp it leaves, or until the run ends (removeUnread).
        this.#unreadKept.add(path);
        return;
      }
      this.#unreadKept.delete(path);
      if (!this.remove(path, forget) && !this.#removedWrittenOver(path, forget)) return;
      if (!forget && options.noClobber) this.#leftTemporaries.add(path);
      options.onRemoved?.(path);
    }
  }

  /** The rejected pages kept for a later visit that never came, removed at the run's end. */
  removeUnread(): void {
    for (const path of this.#unreadKept) {
      if (this.remove(path, false)) this.options.onRemoved?.(path);
    }
    this.#unreadKept.clear();
  }

  /**
   * The links of a saved page, from its text kept while it arrived or else read back from its
   * file (or from its `body`, an answer held beside the file); none when it cannot be read or
   * says nofollow.
   */
  #linksOf(
    path: string,
    url: string,
    kind: Fetched["kind"],
    text: string | undefined,
    body: HeldBody | undefined,
  ): PageLink[] {
    try {
      // Pages and stylesheets are read a chunk at a time, whatever their size.
      const pieces = text !== undefined ? undefined : body ? heldChunks(body) : fileChunks(path);
      if (kind === "css") {
        return pieces === undefined
          ? extractCssLinks(text!, url)
          : extractCssLinksFromChunks(pieces, url);
      }
      const { links, nofollow } = extractHtmlLinksFromChunks(pieces ?? [text!], url, {
        followTags: this.options.followTags,
        ignoreTags: this.options.ignoreTags,
      });
      if (!nofollow || !(this.options.robots ?? true)) return links;
      this.options.onNofollow?.(path);
      return [];
    } catch (error) {
      // (A file that cannot be read: GNU's get_urls_html says why.)
      if (error instanceof Error && "code" in error) this.options.onPageUnread?.(path, error);
      return [];
    }
  }

  /**
   * GNU wget's `download_child`: whether a link is to be queued, as its parsed URL (undefined
   * when not, the reason told to `onRejected`, for the URL and parent of `logAs` when given); a
   * promise only while the server's robots.txt is still to be fetched.
   */
  #mayFollow(
    link: { url: string; inline: boolean; raw?: string },
    parent: UrlParts,
    depth: number,
    start: URL,
    seen: Set<string>,
    logAs?: { url: string; parent: string },
    refusals?: PageRefusals,
  ): UrlParts | undefined | Promise<UrlParts | undefined> {
    const options = this.options;
    // (The text up to the first colon, without a string made a link.)
    const scheme = schemeOf(link.url);
    // GNU wget parses http, https, ftp and ftps links only: the others (mailto:, javascript:)
    // are dropped before any test, and never logged.
    if (scheme === undefined) return undefined;
    // A closure only for --rejected-log: most links are refused (seen already) with nobody told.
    const onRejected = options.onRejected;
    const reject = onRejected === undefined ? refuseQuietly : (reason: RejectReason): undefined => {
      const hash = link.raw?.indexOf("#") ?? -1;
      onRejected({
        reason,
        url: logAs?.url ?? link.url,
        parent: logAs?.parent ?? parent.href,
        fragment: hash < 0 || logAs ? "" : escapePageBytes(link.raw!.slice(hash + 1)),
      });
      return undefined;
    };
    if (seen.has(seenKey(link.url))) return reject("BLACKLIST");
    if (options.httpsOnly && scheme !== "https:") return reject("NOTHTTPS");
    // Only http and https are followed.
    if (scheme !== "http:" && scheme !== "https:") return reject("NONHTTP");
    // -L: a link written with a scheme or from the root is not followed (GNU wget's test), nor
    // is a redirect's target (GNU's is never a relative link, so no page after one is read).
    if (options.relativeOnly) {
      const raw = link.raw?.trim();
      if (raw === undefined || raw.startsWith("/") || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(raw)) {
        return reject("ABSOLUTE");
      }
    }
    const known = refusals?.[link.inline ? 1 : 0].get(link.url);
    if (known !== undefined) return reject(known);
    let url: UrlParts;
    try {
      // Split by hand when it has a canonical shape, as the walker's links mostly have.
      url = parseLinkUrl(link.url);
    } catch {
      return undefined;
    }
    const refused = this.#refusalBeforeRobots(url, link, parent, depth, start);
    // A redirect's target is loaded whatever -I/-X and the regexes say (GNU's
    // descend_redirect "ignoring decision for redirects").
    if (logAs && (refused === "LIST" || refused === "REGEX")) return url;
    if (refused !== undefined) {
      refusals?.[link.inline ? 1 : 0].set(link.url, refused);
      return reject(refused);
    }
    if (!(options.robots ?? true)) return url;
    const key = `${url.protocol}//${url.host}`;
    const path = url.pathname + searchOf(url);
    const ready = this.#robotsReady.get(key);
    if (ready) return this.#robotsAllow(ready, path, link.url, seen) ? url : reject("ROBOTS");
    return this.#robotsFor(url).then((rules) =>
      this.#robotsAllow(rules, path, link.url, seen) ? url : reject("ROBOTS")
    );
  }

  /**
   * A page's memory of the links `#refusalBeforeRobots` refused (by `inline`, then URL): a link
   * it refuses is not made seen, and a page may write it hundreds of times (a rustdoc page's
   * links to `core`, outside `-np`'s directory); its tests depend only on the URL, `inline`, the
   * page and the options, so each is asked once a page. None when a regex's `lastIndex` makes
   * its test depend on the one before (a `g` or `y` flag, from a library caller).
   */
  #pageRefusals(): PageRefusals | undefined {
    const { acceptRegex, rejectRegex } = this.options;
    if (acceptRegex?.global || acceptRegex?.sticky || rejectRegex?.global || rejectRegex?.sticky) {
      return undefined;
    }
    return [new Map(), new Map()];
  }

  /** robots.txt's answer for `path`; a refused URL counts as seen, so it is not asked again. */
  #robotsAllow(rules: RobotsRules, path: string, url: string, seen: Set<string>): boolean {
    if (rules.allows(path)) return true;
    seen.add(seenKey(url));
    return false;
  }

  /**
   * `download_child`'s tests before robots.txt, in its order: the reason of the first that
   * refuses (GNU wget's word for it in `--rejected-log`), or undefined when all pass.
   */
  #refusalBeforeRobots(
    url: UrlParts,
    link: { inline: boolean },
    parent: UrlParts,
    depth: number,
    start: URL,
  ): RejectReason | undefined {
    const options = this.options;
    const host = url.hostname;
    if (options.domains?.length && !domainMatches(host, options.domains)) return "DOMAIN";
    if (options.excludeDomains?.length && domainMatches(host, options.excludeDomains)) {
      return "DOMAIN";
    }
    if (options.noParent) {
      // (The start URL's parts read once a walk: each getter of a URL makes a string.)
      const from = this.#startParts(start);
      if (
        host === from.hostname && (url.protocol !== from.protocol || url.port === from.port) &&
        !(options.pageRequisites && link.inline) &&
        !isSubdirectory(from.directory, directoryOf(url))
      ) {
        return "PARENT";
      }
    }
    if (
      (options.includeDirectories?.length || options.excludeDirectories?.length) &&
      !acceptsDirectory(directoryOf(url), {
        include: options.includeDirectories,
        exclude: options.excludeDirectories,
        ignoreCase: options.acceptRules?.ignoreCase,
      })
    ) {
      return "LIST";
    }
    if (options.acceptRegex && !options.acceptRegex.test(url.href)) return "REGEX";
    if (options.rejectRegex?.test(url.href)) return "REGEX";
    // The file's name, decoded, only for -A/-R with a list (the command gives empty ones, which
    // accept every name).
    const rules = options.acceptRules;
    const file = rules && (rules.accept?.length || rules.reject?.length) &&
      percentDecode(url.pathname.slice(url.pathname.lastIndexOf("/") + 1));
    if (
      file && rules &&
      !(hasHtmlSuffix(file) &&
        (this.#maxDepth === Infinity || depth < this.#maxDepth - 1 || options.pageRequisites)) &&
      !acceptsFileName(file, rules)
    ) {
      return "RULES";
    }
    return options.spanHosts || host === parent.hostname ? undefined : "SPANNEDHOST";
  }

  /**
   * The start URL of the walk under way, its parts and its directory (`-np` compares every
   * link's with them).
   */
  #startDirectory: StartParts | undefined;

  /** `start`'s host name, scheme, port and {@linkcode directoryOf}, worked out once a walk. */
  #startParts(start: URL): StartParts {
    const known = this.#startDirectory;
    if (known?.start === start) return known;
    const parts = {
      start,
      hostname: start.hostname,
      protocol: start.protocol,
      port: start.port,
      directory: directoryOf(start),
    };
    this.#startDirectory = parts;
    return parts;
  }

  /** The robots.txt rules of `url`'s server, fetched (and saved, as GNU wget does) once. */
  #robotsFor(url: UrlParts): Promise<RobotsRules> {
    const key = `${url.protocol}//${url.host}`;
    let rules = this.#robots.get(key);
    if (!rules) {
      // One fetch per server, however many tasks ask at once.
      rules = this.#fetchRobots(key);
      this.#robots.set(key, rules);
      rules.then((ready) => {
        // (No file to read: asked for again at the server's next link, as GNU's.)
        if (this.#robotsUnread.delete(key)) this.#robots.delete(key);
        else this.#robotsReady.set(key, ready);
      });
    }
    return rules;
  }

  /** The servers whose robots.txt was answered without a file to read (see `onRobotsUnread`). */
  readonly #robotsUnread = new Set<string>();

  async #fetchRobots(origin: string): Promise<RobotsRules> {
    let rules = new RobotsRules();
    this.options.onRobots?.(`${origin}/robots.txt`);
    const fetched = await this.#fetch(`${origin}/robots.txt`, { robots: true, keepText: true });
    if (fetched?.path) {
      // (Not kept as it came, a file continued or left as it was: read from disk, -O's file under
      // -O, as GNU's res_parse_from_file.)
      const path = this.options.output?.name ?? fetched.path;
      try {
        rules = parseRobotsTxt(
          fetched.text ?? new TextDecoder().decode(Deno.readFileSync(path)),
        );
      } catch (error) {
        // Unreadable: no rules (none made: asked for again).
        if (error instanceof Deno.errors.NotFound) {
          this.#robotsUnread.add(origin);
          // GNU then unlinks the file it would not keep, and says that fails too.
          const removing = !this.options.output &&
            (this.options.deleteAfter || this.options.spider || path.endsWith(".tmp"));
          this.options.onRobotsUnread?.(path, error, removing);
        }
      }
      // GNU wget keeps robots.txt only when -A/-R would keep it.
      const accept = this.options.acceptRules;
      if (
        !this.options.output &&
        (this.temporaries.has(fetched.path) || (accept && !acceptsFileName(fetched.path, accept)))
      ) {
        // Its URL stays downloaded (GNU unlinks the file alone): a link to it is not fetched again.
        if (this.remove(fetched.path, false)) {
          this.options.onRemoved?.(fetched.path, { robots: true });
        }
      }
    }
    return rules;
  }

  /**
   * Fetches `url` into its file; undefined (and reported) on failure. A spider asks with HEAD
   * first and fetches only a page or a stylesheet, whose links it reads.
   */
  #fetch(url: string, how: FetchHow = {}): Promise<Fetched | undefined> {
    if (!this.oneThread && this.options.fetchLog) {
      how = { ...how, log: this.options.fetchLog(url) };
    }
    if (how.order !== undefined && !this.oneThread) return this.#fetchReserved(url, how);
    if (how.robots && !this.oneThread) return this.#fetchInSlot(url, how);
    // Without --wait and --spider's HEAD, straight on (no promise of its own a file).
    if (this.options.waitMs || (this.options.spider && !how.robots)) {
      return this.#fetchAfterWait(url, how);
    }
    return this.#fetchNamed(url, how);
  }

  /**
   * With several threads, a queued URL's fetch: its file's name is taken at once, in the order of
   * the queue, and the fetch starts (after `--wait` and `--spider`'s HEAD) once the URLs before it
   * that take the name have been fetched and read. So `-nd`'s numbered names go to the URLs GNU
   * gives them, however long each host's wait or HEAD takes.
   */
  async #fetchReserved(url: string, how: FetchHow): Promise<Fetched | undefined> {
    const { planned } = this.#plannedFile(url, how);
    // Those before it in the queue that write this name, a file named as a directory above it,
    // or a file below a directory of this name (/a's file `a` and /a/'s `a/index.html`): one
    // at a time, in the order of the queue, as one thread makes and replaces them.
    const before = [this.#busy.get(planned), ...this.#busyUnder.get(planned) ?? []];
    // -E: the name's answer decides its extension. Those before it that may take this name, or a
    // directory of its path, by theirs, and those before it that hold a name this URL's answer
    // may take (GNU's run has their files, or not, before it asks: -N's If-Modified-Since, -nc,
    // -nd's number, the file a page is read from).
    const aliases = this.options.adjustExtension ? extensionAliases(planned) : [];
    if (aliases.length > 0) {
      before.push(...this.#busyAliased.get(planned) ?? []);
      for (const alias of aliases) {
        before.push(this.#busy.get(alias), ...this.#busyUnder.get(alias) ?? []);
      }
    }
    const directories: string[] = [];
    for (
      let slash = planned.lastIndexOf("/");
      slash > 0;
      slash = planned.lastIndexOf("/", slash - 1)
    ) {
      const directory = planned.slice(0, slash);
      directories.push(directory);
      before.push(this.#busy.get(directory));
      if (aliases.length > 0) before.push(...this.#busyAliased.get(directory) ?? []);
    }
    let fetchedDone!: () => void;
    const fetched = new Promise<void>((resolve) => (fetchedDone = resolve));
    // (Its page is read, and `until` settles, only once its fetch is done.)
    const settled = how.until ?? fetched;
    const holder = { order: how.order, fetched, settled };
    this.#busy.set(planned, holder);
    for (const directory of directories) addHolder(this.#busyUnder, directory, holder);
    for (const alias of aliases) addHolder(this.#busyAliased, alias, holder);
    settled.then(() => {
      if (this.#busy.get(planned) === holder) this.#busy.delete(planned);
      for (const directory of directories) deleteHolder(this.#busyUnder, directory, holder);
      for (const alias of aliases) deleteHolder(this.#busyAliased, alias, holder);
    });
    // (Told once its number is taken: those after it in the queue wait for that, see takeNumber.)
    const numbered = this.#numbersInQueueOrder() ? this.#holdNumber(how.order!) : undefined;
    let slot = false;
    /** Where it landed, when not on `url`: this fetch saves that URL's file, until it is done. */
    let landedOn: string | undefined;
    const onLanded = how.onLanded;
    const reserved: FetchHow = {
      ...how,
      reserved: true,
      numbered,
      releaseSlot: () => {
        if (!slot) return;
        slot = false;
        this.#releaseSlot();
      },
      retakeSlot: async () => {
        if (slot) return;
        const waiting = this.#takeSlot();
        slot = true;
        if (waiting) await waiting;
      },
      onLanded: (finalUrl) => {
        if (landedOn !== undefined) return;
        landedOn = finalUrl;
        if (finalUrl !== url && !this.#landingOn.has(finalUrl)) {
          this.#landingOn.set(finalUrl, settled);
        } else landedOn = url;
        onLanded?.(finalUrl);
      },
    };
    try {
      if (how.landing) {
        await how.landing;
        // Saved by the fetch that landed on it, and kept (its name taken all the same, so that
        // the names after it are taken in the order of the queue).
        if (await this.#keptThroughWritersBefore(url, how.order!)) return DOWNLOADED_ALREADY;
      }
      // (A robots.txt fetch holds a name only while it is fetched.)
      for (const previous of before) {
        if (previous) await (previous.order === undefined ? previous.fetched : previous.settled);
      }
      await this.#afterDirectoryReplacements(directories, how.order!);
      // Where a file is at its name already (the user's, an earlier run's, or this run's for
      // another URL of the name: `/` after `/index.html`), a redirect from a URL before it could
      // not take its GET without losing that file (see OwnGet): it is asked for only once every
      // URL before it has landed, so such a redirect is known first and makes it one downloaded
      // already, as in GNU's run (which asks once, through the redirect).
      if (this.#waitsForLandings(planned, how)) await this.#landed.until(how.order!);
      // The slot after the name: a URL that waits for a page's reading holds none meanwhile.
      let waiting = this.#takeSlot();
      slot = true;
      if (waiting) await waiting;
      const redirectedHere = this.redirectedTo.get(url);
      /** How many redirects here were looked at: a later one is looked at after --wait's turn. */
      const seen = redirectedHere?.length ?? 0;
      const redirects = redirectedHere?.filter((r) => r.order < how.order!);
      if (redirects !== undefined && redirects.length > 0) {
        // A fetch before it in the queue was redirected here meanwhile: this URL is one
        // downloaded through it once its page has been read (as in GNU's run, where that fetch
        // came first), or else asked for (that fetch failed, or its file was removed and
        // forgotten: then once the pages before it have been read).
        reserved.releaseSlot!();
        for (const redirect of redirects) await redirect.settled;
        const saved = this.result.saved.get(url);
        if (saved !== undefined && this.#mayBeRemoved(saved)) await how.previousRead;
        if (await this.#keptThroughWritersBefore(url, how.order!)) return DOWNLOADED_ALREADY;
        waiting = this.#takeSlot();
        slot = true;
        if (waiting) await waiting;
      }
      if (this.options.waitMs || this.options.spider) {
        return await this.#fetchAfterWait(url, reserved, seen);
      }
      return await this.#fetchNamed(url, reserved);
    } finally {
      if (landedOn !== undefined && landedOn !== url) this.#landingOn.delete(landedOn);
      if (slot) this.#releaseSlot();
      numbered?.();
      fetchedDone();
    }
  }

  /**
   * With several threads, where a file stands at a directory of this fetch's path (`directories`,
   * innermost first), waits for the fetches before it in the queue (`order`) whose files are below
   * that name to be done and read: one whose file's own directory it is removes the file and makes
   * the directory (GNU's mkalldirs: "directory danger"), so that this fetch's file can be written
   * where GNU's run, one URL at a time, writes it; this fetch, asked for first, found the file and
   * could not write its own ("Not a directory"). Threads random seed 2303279 (`-m -np -H -D
   * localhost,127.0.0.1`, the start URL `/a`, redirected to `/a/`, saved as `a`): `/a/caf%C3%A9`,
   * saved as `a/caf%C3%A9`, replaced the file `a` with a directory before `/a/at@x/p2.html?q=a%2Fb`,
   * after it in the queue, was written there. Only where such a file is there: the fetches below a
   * directory are otherwise not made one at a time.
   */
  async #afterDirectoryReplacements(directories: string[], order: number): Promise<void> {
    for (const directory of directories) {
      // One this run made or found is a directory still (no file is ever written over one):
      // most fetches of a mirror, below directories made already, ask the disk nothing.
      if (this.disk.directories.has(directory)) return;
      let file: boolean;
      try {
        file = !Deno.lstatSync(directory).isDirectory;
      } catch {
        continue;
      }
      if (!file) return;
      const below = [...this.#busyUnder.get(directory) ?? []].filter((holder) =>
        holder.order !== undefined && holder.order < order
      );
      for (const holder of below) await holder.settled;
      return;
    }
  }

  /**
   * With several threads, whether `-nd`'s numbered names (`index.html.1`) are taken in the order
   * of the queue (see `takeNumber`): under `--trust-server-names` or `--content-disposition`,
   * where a redirect or a header gives the name, and a file is never written over one of its
   * name (not the copy `-N`, `-c` or `-nc` look at, nor `--backups`', nor `-O`'s file, nor the
   * NAME.tmp of `--spider` or `--delete-after`).
   */
  #numbersInQueueOrder(): boolean {
    const options = this.options;
    return !this.oneThread && this.#namesByLanding() && this.#layout.directories === false &&
      !options.timestamping && !options.resume && !options.noClobber && !options.backups &&
      options.output === undefined && !options.spider && !options.deleteAfter;
  }

  /**
   * With several threads, the fetch at `order` in the queue to take its file's number in the
   * order of the queue (see `takeNumber`): the function that tells it has (or will take none).
   */
  #holdNumber(order: number): () => void {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#unnumbered.set(order, promise);
    return () => {
      if (this.#unnumbered.get(order) === promise) this.#unnumbered.delete(order);
      resolve();
    };
  }

  /** With several threads, the fetches before `order` in the queue yet to take their numbers. */
  unnumberedBefore(order: number): Promise<void>[] {
    return [...this.#unnumbered].flatMap(([other, numbered]) => other < order ? [numbered] : []);
  }

  /**
   * With several threads, under `-nd --trust-server-names` (see `#numbersInQueueOrder`), until
   * the fetches before `how.order` in the queue have taken their files' numbers, so that this
   * fetch takes the number GNU's run gives it: GNU saves one URL at a time, in the order of the
   * queue, and a redirected URL's name (`index.html`, so its number) is known only once its
   * redirect is answered, where a URL after it may be answered first (threads random seed
   * 920053: `/%69ndex.html` took `index.html.1.9.html` before `/semi;c`, before it in the queue,
   * was redirected to `/semi;c/`). The body is in (kept in memory meanwhile), so the fetch gives
   * its request slot and its host's `--wait` turn back first: those before it may need either
   * to land, and it waits for nothing after it, so no two wait for each other.
   */
  async takeNumber(how: FetchHow): Promise<void> {
    // (Under --wait, releaseSlot ends the host's turn too: see #fetchAfterWait.)
    how.releaseSlot?.();
    // (Those before it in the queue held their numbers before its fetch started.)
    await Promise.all(this.unnumberedBefore(how.order!));
  }

  /**
   * With several threads, the own GET of `url` (a URL after `order` in the queue) that a fetch
   * redirected to it takes: its answer is then that fetch's, saved under that fetch's name, and
   * the URL one downloaded through it, as in GNU's run, which asks for it once (through the
   * redirect). Undefined when there is none to take: that fetch asks for it itself.
   */
  claimOwnGet(url: string, order: number): OwnGet | undefined {
    const own = this.ownGets.get(url);
    if (own === undefined || own.claimed || own.order <= order) return undefined;
    own.claimed = true;
    own.claim();
    return own;
  }

  /**
   * With several threads, a queued URL's own GET (`order` in the queue) about to go out: a fetch
   * before it redirected to it may claim its answer until all before it have landed.
   */
  openOwnGet(url: string, order: number): OwnGet {
    const claimed = Promise.withResolvers<void>();
    const handed = Promise.withResolvers<HandedGet | undefined>();
    const adopted = Promise.withResolvers<void>();
    const own: OwnGet = {
      order,
      claimed: false,
      claimedSignal: claimed.promise,
      claim: () => claimed.resolve(),
      handed: handed.promise,
      hand: handed.resolve,
      adopted: adopted.promise,
      adoptedDone: () => adopted.resolve(),
    };
    this.ownGets.set(url, own);
    return own;
  }

  /**
   * Whether the saved answer of a queued URL's own GET (`own`) goes to the fetch before it that
   * claimed it: waits (its request slot given back) until it is claimed or every URL before it
   * in the queue has landed (none can be redirected to it any more).
   */
  async ownGetClaimed(url: string, own: OwnGet, releaseSlot?: () => void): Promise<boolean> {
    if (!own.claimed && this.#landed.oldest < own.order) {
      releaseSlot?.();
      await this.#landed.until(own.order, own.claimedSignal);
    }
    if (this.ownGets.get(url) === own) this.ownGets.delete(url);
    return own.claimed;
  }

  /**
   * With several threads, whether a queued URL planned at `planned` waits for every URL before
   * it to land before it is asked for (or, under -nc, looked for), where a file is at its name
   * already: a plain GET would lose it to a redirect that took it (see OwnGet), and one found
   * there under -nc is read for links where GNU's run, asking for it through the redirect first,
   * reads the redirected URL's file. Under -N and -c a copy is asked for otherwise than the
   * redirect asks (If-Modified-Since or a Range of the redirected URL's copy), so a request of its
   * own makes GNU's one request two; but there it waits only where this run wrote the file (for
   * another URL of its name: `/` after `/%69ndex.html`, threads random seed 2200181), not for an
   * earlier run's copies: a second run, every file here, would ask one URL at a time (bench:
   * cmd/README.md, `--max-threads`).
   */
  #waitsForLandings(planned: string, how: FetchHow): boolean {
    const options = this.options;
    if (
      !this.claimsAllowed || how.order === undefined || how.robots ||
      this.#landed.oldest >= how.order
    ) return false;
    const extensions = options.adjustExtension ?? false;
    if (options.timestamping || options.resume) return this.disk.writtenAt(planned, extensions);
    return this.disk.someFileAt(planned, extensions);
  }

  /** With several threads, robots.txt's fetch (during a page's reading) in a request slot. */
  async #fetchInSlot(url: string, how: FetchHow): Promise<Fetched | undefined> {
    const waiting = this.#takeSlot();
    try {
      if (waiting) await waiting;
      if (this.options.waitMs) return await this.#fetchAfterWait(url, how);
      return await this.#fetchNamed(url, how);
    } finally {
      this.#releaseSlot();
    }
  }

  /**
   * With several threads, takes one of the `threads` request slots (no more requests than that at
   * once, robots.txt's included): at once (undefined) when one is free, else a promise that
   * settles when one is handed over, in the order asked.
   */
  #takeSlot(): Promise<void> | undefined {
    if (this.#slotsLeft > 0) {
      this.#slotsLeft--;
      return undefined;
    }
    return new Promise<void>((resolve) => this.#slotWaiters.push(resolve));
  }

  /** A slot given back: to the first task waiting for one, else free again. */
  #releaseSlot(): void {
    const next = this.#slotWaiters.shift();
    if (next) next();
    else {
      this.#slotsLeft++;
      this.#slotFreed();
    }
  }

  /** `#fetch` after `--wait`'s pause and `--spider`'s HEAD. */
  async #fetchAfterWait(
    url: string,
    how: FetchHow,
    seen?: number,
  ): Promise<Fetched | undefined> {
    const end = this.options.waitMs ? await this.#politeWait(url) : undefined;
    /** The URL whose host's turn this fetch holds (a redirect's target), and how to end it. */
    const held = { url, end };
    if (end && !this.oneThread) {
      const { releaseSlot, retakeSlot } = how;
      how = {
        ...how,
        endTurn: () => {
          held.end?.();
          held.end = undefined;
        },
        // A redirect to another host ends this host's turn and waits for that host's, so that
        // each host's requests stay --wait apart (not the first host's alone).
        redirectWait: async (_from, to) => {
          const target = new URL(to);
          if (target.host === new URL(held.url).host) return await this.#sleepWait();
          held.end?.();
          held.url = to;
          // That host's robots.txt, asked for while a page before this URL in the queue was read
          // (pages are read in its order), comes first, as in GNU's run, which read that page
          // before it asked for this URL; its fetch waits for the host's turn too, and a slot.
          // Threads random seed 2305345 (`--wait -R p*,png` over both names: 127.0.0.1's
          // `/rx2.html`, redirected to localhost, took localhost's turn before its robots.txt).
          const robots = this.#robots.get(`${target.protocol}//${target.host}`);
          if (robots && !this.#robotsReady.has(`${target.protocol}//${target.host}`)) {
            releaseSlot?.();
            try {
              await robots.catch(() => {});
            } finally {
              await retakeSlot?.();
            }
          }
          held.end = await this.#politeWait(to, true);
        },
        // A fetch that waits for one before it in the queue (for a name a redirect gave it,
        // see holdName) gives its host's turn back with its slot: that one may be waiting for
        // the turn (threads random seed 2301713: `/%62`'s redirect to `/b/`, whose
        // `index.html` `/til~de/index.html` before it held, waited for it while that one waited
        // for the turn, and the run hung).
        releaseSlot: () => {
          releaseSlot?.();
          held.end?.();
          held.end = undefined;
        },
        retakeSlot: async () => {
          await retakeSlot?.();
          held.end ??= await this.#politeWait(held.url, true);
        },
      };
    }
    try {
      // With several threads, a fetch before this one in the queue redirected here while this one
      // waited for its host's turn (after `#fetchReserved` looked, `seen`): this URL is then one
      // downloaded through it once its page has been read, as there (GNU's run asks for it once,
      // through the redirect). Threads random seed 2305062 (`--wait -N` over both names):
      // localhost's `/docs/caf%c3%a9/b?`, redirected to `/docs/caf%C3%A9/b/`, was answered while
      // that URL's own fetch, after it in the queue, waited for localhost's turn, which then asked
      // for it a second time (a 304: `b/index.html` was this run's). (A Map lookup per fetch,
      // under --wait alone.)
      const late = seen === undefined
        ? undefined
        : this.redirectedTo.get(url)?.slice(seen).filter((r) => r.order < how.order!);
      if (late !== undefined && late.length > 0) {
        how.releaseSlot?.();
        for (const redirect of late) await redirect.settled;
        const saved = this.result.saved.get(url);
        if (saved !== undefined && this.#mayBeRemoved(saved)) await how.previousRead;
        if (await this.#keptThroughWritersBefore(url, how.order!)) return DOWNLOADED_ALREADY;
        await how.retakeSlot?.();
      }
      if (this.options.spider && !how.robots) {
        const head = await this.#head(url, how.log, how.referer, how.redirectWait);
        if (head instanceof HttpStatusError) {
          // Answered 500 or 501: GNU's http_loop asks with GET at its next try (none with -t 1)
          // and saves that answer as a download's, read for links (server random seed 1800311:
          // netkit's GET went within the HEAD's try, and a page's came a second time).
          const landed = head.url === url ? how.landed : head.url;
          return await this.#fetchNamed(url, { ...how, headFailed: head, landed });
        }
        if (head === undefined || head.kind === "other") return head;
        // GNU wget waits before the GET after the HEAD too.
        if (end) await this.#sleepWait();
        const headName = head.headName;
        if (head.finalUrl !== url) {
          return await this.#fetchNamed(url, { ...how, landed: head.finalUrl, headName });
        }
        if (headName !== undefined) return await this.#fetchNamed(url, { ...how, headName });
      }
      return await this.#fetchNamed(url, how);
    } finally {
      held.end?.();
    }
  }

  /** `#fetch` once it is time: the file named, then fetched when no other task is writing it. */
  #fetchNamed(url: string, how: FetchHow): Promise<Fetched | undefined> {
    // Two tasks never write one file at once (/d/ and /d/index.html, say): the second waits.
    // (With --content-disposition, GNU wget names the file, and says a name is too long, only
    // once the answer came.)
    const { planned, temporary } = this.#plannedFile(url, how, !this.options.contentDisposition);
    const fetchHow = temporary ? { ...how, temporary } : how;
    // (--spider --trust-server-names: a page's NAME.tmp is the name of where its HEAD landed;
    // --content-disposition's the name of its HEAD's header, or of where it landed.)
    if (
      !this.oneThread && how.order !== undefined &&
      (temporary ? this.#holdsTemporaries() : this.holdsWrittenNames())
    ) {
      return this.#fetchHeld(url, planned, fetchHow);
    }
    // With one thread no other fetch is under way (visits, and robots.txt's fetch between a
    // page's links, follow each other): nothing to wait for or to tell. A queued URL's name is
    // taken already with several.
    if (this.oneThread || how.reserved) return new FileFetch(this, url, planned, fetchHow).run();
    return this.#fetchLocked(url, planned, fetchHow);
  }

  /**
   * Whether, with several threads, a NAME.tmp is held in the order of the queue (see
   * `holdName`): where a name is a redirect's or a header's, known only once answered.
   */
  #holdsTemporaries(): boolean {
    return this.#namesByLanding();
  }

  /**
   * Whether, with several threads, a file that is not a NAME.tmp is held in the order of the
   * queue too (see `holdName`): under `--trust-server-names` or `--content-disposition`, where
   * a redirect or a header gives the name, and the file of a URL is written afresh over one of
   * its name (not `-nd`'s NAME.1, nor the copy `-N`, `-c` or `-nc` look at, nor `--backups`':
   * there the race of cmd/README.md stays).
   */
  holdsWrittenNames(): boolean {
    const options = this.options;
    return this.#namesByLanding() && !options.spider && (this.#layout.directories ?? true) &&
      !options.timestamping && !options.resume && !options.noClobber && !options.backups &&
      options.output === undefined;
  }

  /** A queued URL's fetch into its file, held in the order of the queue (see `holdName`). */
  async #fetchHeld(url: string, planned: string, how: FetchHow): Promise<Fetched | undefined> {
    const heldName = await this.holdName(planned, how);
    return await new FileFetch(this, url, planned, { ...how, heldName }).run();
  }

  /**
   * With several threads, `planned` held for the fetch at `how.order` in the queue, once it is
   * its turn, where another fetch may land on the name by a redirect, or name it so once its HEAD
   * landed (two URLs redirected to one, or one and the URL itself): one at a time, in the order
   * of the queue, as GNU's run saves them. A NAME.tmp so is read and removed before the next
   * takes the name, so that none is named NAME.tmp.1 (threads random seeds 1400085 and 2201515:
   * --spider's and --delete-after's `--trust-server-names`). So too under `--spider
   * --content-disposition`, by the name of the HEAD's header, or without one of where the HEAD
   * landed (server random seed 1901430, threaded: two `cd6.html.tmp`, two `n23.tmp`). A fetch
   * before it that holds the name (or takes it by its URL) is waited for until its page is read;
   * one after it that is saving that name already is let finish, and then its NAME.tmp, not read
   * yet (its text is kept in memory), is written over; any other file it saved there is left as
   * it is (`overtaken`), the last one saved in GNU's run (see `FileFetch`). Only those
   * before it are waited for to the end, and one after it only while it writes (it waits for
   * nothing then), so no two wait for each other. The request slot is given back meanwhile.
   */
  async holdName(planned: string, how: FetchHow): Promise<HeldName> {
    const order = how.order!;
    for (;;) {
      const holders = [...this.#nameHolders.get(planned) ?? []];
      const waits = holders.flatMap((other) =>
        other.order < order
          ? [other.settled]
          : other.order > order && !other.done
          ? [other.fetched]
          : []
      );
      const owner = this.#busy.get(planned);
      if (owner?.order !== undefined && owner.order < order) waits.push(owner.settled);
      if (waits.length === 0) break;
      how.releaseSlot?.();
      try {
        await Promise.all(waits);
      } finally {
        await how.retakeSlot?.();
      }
    }
    let fetchedDone!: () => void;
    let settledDone!: () => void;
    const entry: NameHeld = {
      order,
      fetched: new Promise<void>((resolve) => (fetchedDone = resolve)),
      settled: new Promise<void>((resolve) => (settledDone = resolve)),
      done: false,
      wrote: false,
    };
    const overtaken = [...this.#nameHolders.get(planned) ?? []].some((other) =>
      other.order > order && other.wrote
    );
    addHolder(this.#nameHolders, planned, entry);
    const free = () => {
      entry.done = true;
      fetchedDone();
      deleteHolder(this.#nameHolders, planned, entry);
      settledDone();
    };
    return {
      overtaken,
      written: (wrote) => {
        entry.wrote = wrote;
        entry.done = true;
        fetchedDone();
        Promise.resolve(how.until).then(free, free);
      },
      moved: free,
    };
  }

  /**
   * Whether the fetch of `how` holds the file a redirect lands on in the order of the queue (see
   * `holdName`): a queued URL's, with several threads, under `--trust-server-names` (where the
   * target names the file), not into `-O`'s file (`shared`).
   */
  holdsLandings(how: FetchHow, shared: boolean): boolean {
    return !this.oneThread && how.order !== undefined && !shared && this.#namesByRedirect();
  }

  /** The files held in the order of the queue, by name, until their page is read. */
  readonly #nameHolders = new Map<string, Set<NameHeld>>();

  /**
   * Whether a redirected fetch's file is named after the URL it landed on: `--trust-server-names`,
   * and `--content-disposition` when the answer has no such header (GNU's check_file_output
   * names it by the URL it is fetching then).
   */
  #namesByLanding(): boolean {
    return (this.options.trustServerNames || this.options.contentDisposition) ?? false;
  }

  /** Whether a redirect's target alone names the file: `--trust-server-names` without `--content-disposition`. */
  #namesByRedirect(): boolean {
    return (this.options.trustServerNames && !this.options.contentDisposition) ?? false;
  }

  /**
   * The file `url` is fetched into, before -E or a unique suffix changes its name; `report` a name
   * cut short. A file only read for its links and then removed (--delete-after, --spider, or a
   * name -A/-R rejects) goes to NAME.tmp (`temporary`), as with GNU wget: a file of the user's at
   * NAME is never overwritten, then removed.
   */
  #plannedFile(
    url: string,
    how: FetchHow,
    report = false,
  ): { planned: string; temporary: boolean } {
    // --trust-server-names: after --spider's HEAD was redirected, the URL it landed on names the
    // file, as GNU wget's.
    const byUrl = this.plannedPath(
      this.#namesByLanding() && how.landed !== undefined ? how.landed : how.parsed ?? url,
      report && how.headName === undefined,
    );
    // (In the directory of the URL it landed on, as the answer's header names it: see #fetch.)
    const named = how.headName === undefined
      ? byUrl
      : byUrl.slice(0, byUrl.lastIndexOf("/") + 1) + how.headName;
    const temporary = this.options.output === undefined &&
      (this.options.deleteAfter || this.options.spider ||
        (this.options.acceptRules !== undefined &&
          !acceptsFileName(named, this.options.acceptRules)));
    return { planned: temporary ? `${named}.tmp` : named, temporary };
  }

  /** `FileFetch` once no other task is writing `planned`; others wait for it meanwhile. */
  async #fetchLocked(url: string, planned: string, how: FetchHow): Promise<Fetched | undefined> {
    for (let holder = this.#busy.get(planned); holder; holder = this.#busy.get(planned)) {
      if (how.order === undefined) {
        // robots.txt, fetched while a page is read: only the fetch of a queued URL that holds
        // the name is waited for, as its reading may wait for this page's.
        await holder.fetched;
        if (this.#busy.get(planned) === holder) break;
      } else await holder.settled;
    }
    const done = new FileFetch(this, url, planned, how).run();
    const fetched = done.then(() => {}, () => {});
    // Held until the page has been read too (and a NAME.tmp removed), as with one thread.
    const settled = Promise.all([done, how.until]).then(() => {}, () => {});
    const holder = { order: how.order, fetched, settled };
    this.#busy.set(planned, holder);
    settled.then(() => {
      if (this.#busy.get(planned) === holder) this.#busy.delete(planned);
    });
    return await done;
  }

  /**
   * A HEAD request for `url` (download()'s spider mode, redirects followed), `onResponse` told of
   * each answer; its result, or undefined (and reported) on failure. `headOnly`: a HEAD answered
   * 500 or 501 is not asked again with GET here (spider mode's way) but given back as its error,
   * for the caller's own GET.
   */
  async #sendHead(
    url: string,
    log: FetchLog,
    onResponse: (response: HttpResponse, landed: string) => void,
    robots = false,
    referer?: string,
    redirectWait?: (from: string, to: string) => Promise<void>,
    headOnly = false,
    chain?: { redirects: number },
  ): Promise<DownloadResult | HttpStatusError | undefined> {
    const options = this.options;
    const downloadOptions = this.downloadOptions;
    const events = log.events ?? {};
    let landed = url;
    try {
      const head: DownloadOptions = {
        ...this.downloadOptions,
        ...(redirectWait ? { redirectWait } : {}),
        referer: referer ?? options.referer,
        spider: true,
        events: {
          ...events,
          response(response) {
            onResponse(response, landed);
            events.response?.(response);
            const status = response.status;
            if (headOnly && (status === 500 || status === 501)) {
              // (Its cookies count all the same, as download() takes them after this event:
              // server random seed 124, whose GET at the next try went without.)
              const target = parseHttpUrl(landed);
              keepAnswerState(downloadOptions, events, target, response);
              throw new HeadUnanswered(new HttpStatusError(status, response.head.reason, landed));
            }
          },
          redirect(from, to, status) {
            landed = to;
            if (chain) chain.redirects++;
            events.redirect?.(from, to, status);
          },
        },
      };
      // (The redirects before it count toward --max-redirect: see HeadCheckOptions.)
      if (chain && chain.redirects > 0) handOver(head, { redirected: chain.redirects });
      return await download(url, head);
    } catch (error) {
      options.signal?.throwIfAborted();
      if (error instanceof HeadUnanswered) return error.error;
      if (robots) log.onFailed?.(url, error, { robots: true });
      else this.fail(url, error, log);
      return undefined;
    }
  }

  /**
   * A spider's HEAD request for `url`: what it is, or undefined (and reported) on failure, or the
   * error of a HEAD answered 500 or 501 (the GET is the caller's).
   */
  async #head(
    url: string,
    log: FetchLog = this.options,
    referer?: string,
    redirectWait?: (from: string, to: string) => Promise<void>,
  ): Promise<(Fetched & { headName?: string | undefined }) | HttpStatusError | undefined> {
    let contentType: string | undefined;
    let noContent = false;
    let disposition: string | undefined;
    const result = await this.#sendHead(
      url,
      log,
      (response) => {
        contentType = response.head.headers.get("Content-Type");
        noContent = response.status === 204;
        if (this.options.contentDisposition && response.ok) {
          disposition = response.head.headers.get("Content-Disposition");
        }
      },
      false,
      referer,
      redirectWait,
      true,
    );
    if (result === undefined || result instanceof HttpStatusError) return result;
    log.onSaved?.(result);
    // A 204 is no page whatever its type, so no GET follows (GNU wget types it not at all).
    return {
      path: undefined,
      finalUrl: result.finalUrl,
      kind: noContent ? "other" : pageKind(contentType),
      text: undefined,
      headName: this.dispositionName(disposition),
    };
  }

  /**
   * `--no-if-modified-since` with `-N`: asks with HEAD whether the server's copy of `url` is
   * newer than the copy here (`localFor` the answer gives it, or none), or of another size, as
   * GNU wget does; the type it announced, or undefined (and reported) on failure. `robots`: the
   * URL is robots.txt; `afterResponse` runs once the answer is in; `log` is the fetch's own log.
   * A HEAD answered 500 or 501 is `headFailed` (its error), not current: GNU's http_loop asks
   * with GET at its next try then, and saves that answer as any other. `beforeCompare`, with
   * several threads, is awaited once the last answer is in; when it waited (true), the copy is
   * looked at again (`localFor` with `again`), as other fetches may have written it meanwhile.
   */
  async headCheck(
    url: string,
    localFor: (
      response: HttpResponse,
      landed: string,
      again?: boolean,
    ) => { mtime: Date; size: number } | undefined,
    { robots = false, afterResponse, log = this.options, referer, beforeCompare, redirectsBefore }:
      HeadCheckOptions = {},
  ): Promise<HeadChecked | undefined> {
    let current = false;
    let contentType: string | undefined;
    let time = NaN;
    let dated = false;
    let local: { mtime: Date; size: number } | undefined;
    /** The last answer, and where it came from. */
    let last: { response: HttpResponse; landed: string } | undefined;
    const chain = { redirects: redirectsBefore ?? 0 };
    const judge = (response: HttpResponse, landed: string, again = false) => {
      local = localFor(response, landed, again);
      current = local !== undefined && response.ok &&
        isNoNewerThan(
          response,
          local,
          this.downloadOptions.compression,
          this.downloadOptions.ignoreContentLength ?? false,
        );
    };
    const result = await this.#sendHead(
      url,
      log,
      (response, landed) => {
        contentType = response.head.headers.get("Content-Type");
        dated = response.head.headers.get("Last-Modified") !== undefined;
        time = parseHttpDate(response.head.headers.get("Last-Modified"));
        last = { response, landed };
        judge(response, landed);
      },
      robots,
      referer,
      undefined,
      true,
      chain,
    );
    if (result === undefined) return undefined;
    afterResponse?.();
    const redirects = chain.redirects;
    if (result instanceof HttpStatusError) {
      // (Nothing said of the times or the length: GNU's loop goes on to the GET at once.)
      return { current: false, contentType, finalUrl: result.url, headFailed: result, redirects };
    }
    if (last && beforeCompare && await beforeCompare()) judge(last.response, last.landed, true);
    if (local && !current && !Number.isNaN(time)) {
      const reason = time <= local.mtime.getTime() ? "size" : "newer";
      log.events?.fetchAfterHead?.(reason, local.size);
    } else if (!current) {
      // No copy here, or no Last-Modified to compare: GNU wget prints the length (and, under -N,
      // that there is no time: not of one it cannot read, a verbose line of GNU's) and fetches.
      const untimed = !dated && this.options.timestamping && !robots;
      log.events?.fetchAfterHead?.(untimed ? "untimed" : "unchecked", 0);
    }
    return { current, contentType, finalUrl: result.finalUrl, redirects };
  }

  /**
   * `--content-on-error`: a HEAD first (`-N`) whose last answer, from `landed`, failed with an
   * error `status` (not a 401's, which GNU skips before it names a file; nor a redirect's, 0) has
   * the URL's file at `path` all the same, a page or stylesheet by the answer's `type`, as GNU's
   * retrieve_url registers the name the HEAD's check_file_output gave: a later link to it is one
   * downloaded, not asked for again (server random seed 1600016).
   */
  registerFailedHead(
    url: string,
    landed: string,
    path: string,
    { status, type }: { status: number; type?: string | undefined },
    order?: number,
  ): void {
    if (!this.options.contentOnError || status < 300 || status === 401) return;
    this.registerLanded(url, landed, path, order);
    // A redirect without a Location has no type for GNU (its gethttp returns before it sets
    // one): not a page to convert (server random seed 1800179).
    const kind = REDIRECT_STATUSES.has(status) ? "other" : pageKind(type);
    this.saved.savedPage(path, kind);
  }

  /**
   * A URL not fetched again, the copy at `path` kept: told to `onNotModified`, and to `onSaved`
   * as download() tells such a skip (`skipped`, the answer's `status`), for GNU wget's lines.
   * After a redirect the file is the target's (`finalUrl`), as for a file fetched (GNU's
   * `register_download` of the URL it landed on), and the URL asked for keeps it if it has none.
   * A page or stylesheet by the answer's type (`kind`) is one of the run's too, as GNU's
   * `register_html`: a later link to a URL that has it reads it again for links. `order`: the
   * fetch's place in the queue, with several threads (see SavedFiles.registerInQueueOrder).
   */
  kept(
    url: string,
    path: string,
    skipped: NonNullable<DownloadResult["skipped"]>,
    status: number,
    finalUrl = url,
    kind: Fetched["kind"] = "other",
    log: FetchLog = this.options,
    order?: number,
  ): void {
    this.registerLanded(url, finalUrl, path, order);
    this.saved.savedPage(path, kind);
    this.options.onNotModified?.(url, path);
    log.onSaved?.({ url, finalUrl: url, path, bytes: 0, status, skipped });
  }

  /**
   * A HEAD found the server's copy no newer: the copy at `path` stays, and a page or stylesheet
   * among them is read from it for links.
   */
  keptAfterHead(
    url: string,
    path: string,
    checked: { contentType: string | undefined; finalUrl: string },
    how: FetchHow,
  ): Fetched {
    const kind = pageKind(checked.contentType);
    this.kept(url, path, "head-not-newer", 200, checked.finalUrl, kind, how.log, how.order);
    return { path, finalUrl: checked.finalUrl, kind, text: undefined };
  }

  /**
   * `--content-disposition`: the name the header offers, escaped and cased as
   * `--restrict-file-names` says, as GNU wget treats it (the last part of a URL's path).
   */
  dispositionName(header: string | null | undefined): string | undefined {
    const restrict = this.#layout.restrict;
    return dispositionName(
      header,
      restrict && ((url) => localPathForUrl(url, { directories: false, restrict })),
    );
  }

  /** Files fetched only to be read and removed (NAME.tmp). */
  readonly temporaries = new Set<string>();

  /**
   * Whether `path` (with -E's extension for `contentType`) is a NAME.tmp this run saved and has
   * not read yet, small enough that its text was kept in memory (see `#fetchSpiderTemporary`).
   */
  ownTemporaryAt(path: string, contentType: string | undefined): boolean {
    const options = this.options;
    const named = options.adjustExtension ? withPageExtension(path, contentType) : path;
    if (!this.temporaries.has(named)) return false;
    try {
      const info = Deno.lstatSync(named);
      return info.isFile && info.size <= MAX_KEPT_TEXT_BYTES;
    } catch {
      return false;
    }
  }

  /** Rejected pages whose links were not read whole yet, kept for a later visit (#visitRead). */
  readonly #unreadKept = new Set<string>();

  /** -nc: the pages' NAME.tmp files removed here that GNU leaves (-R lets the name pass). */
  readonly #leftTemporaries = new Set<string>();

  /**
   * -nc: whether GNU's run would find the NAME.tmp `name` here once answered (its
   * check_file_output's RETRUNNEEDED): one it left in this run, which netkit removed, or one
   * already here.
   */
  leftByGnu(name: string): boolean {
    return this.#leftTemporaries.has(name) || this.disk.someFileAt(name, false);
  }

  /**
   * `-nc --trust-server-names`: whether the file of `landed`, a URL a redirect led to, is a
   * NAME.tmp GNU left here (`leftByGnu`): a name `-A`/`-R` reject, or any under `--delete-after`
   * or `--spider` (`temporary`, the link's own), as GNU's check_file_output names it.
   */
  leftAtLanding(landed: string, temporary: boolean): boolean {
    const options = this.options;
    if (!options.noClobber || !this.#namesByRedirect()) return false;
    const named = this.plannedPath(landed);
    const rules = options.acceptRules;
    const temporaryThere = rules && !options.deleteAfter && !options.spider
      ? !acceptsFileName(named, rules)
      : temporary;
    return temporaryThere && this.leftByGnu(`${named}.tmp`);
  }

  /**
   * Where `url` is saved before -E or a unique suffix changes the name; `report`: a name cut
   * short is told to the events (GNU wget's "The destination name is too long").
   */
  plannedPath(url: string | UrlParts, report = false): string {
    const directory = this.options.directory ?? ".";
    // --protocol-directories: an http:// URL of a known HSTS host is saved under https/, as GNU's.
    const hsts = this.#layout.protocolDirectories ? this.downloadOptions.hsts : undefined;
    if (hsts) url = hsts.peek(parseHttpUrl(url))?.href ?? url;
    const relative = localPathForUrl(url, this.#layout, report ? this.#nameShortened : undefined);
    return directory === "." ? relative : `${directory.replace(/\/+$/, "")}/${relative}`;
  }

  /** A name cut short, told to the events (one function for the run, not one a file). */
  readonly #nameShortened = (bytes: number, limit: number) =>
    this.options.events?.nameShortened?.(bytes, limit);

  /**
   * `--wait`: before a URL's request, as GNU wget sleeps between retrievals: `waitMs` after the
   * request before it has ended (not before the first). With several threads each host's
   * requests follow one another so, and those to different hosts run at once. Resolves to the
   * function to call when this URL's fetch has ended.
   */
  async #politeWait(url: string, always = false): Promise<() => void> {
    const options = this.options;
    const key = (options.maxThreads ?? 1) > 1 ? new URL(url).host : "";
    const previous = this.#lastRequest.get(key);
    let end!: () => void;
    this.#lastRequest.set(key, new Promise<void>((resolve) => (end = resolve)));
    if (previous !== undefined) await previous;
    // (`always`: a redirect's request waits as GNU's, the host's first request or not.)
    if (previous !== undefined || always) await this.#sleepWait();
    return end;
  }

  /** `--wait`'s pause (`--random-wait`: 0.5 to 1.5 times as long). */
  #sleepWait(): Promise<void> {
    const options = this.options;
    const waitMs = (options.waitMs ?? 0) * (options.randomWait ? 0.5 + Math.random() : 1);
    return (options.sleep ?? timerSleep)(waitMs);
  }

  /**
   * With several threads, until the fetch before this one (`how.order`) in the queue that writes
   * `path` (if any) is done, as one thread has it done before this fetch starts; this fetch's
   * request slot is given back meanwhile (that fetch may wait for one).
   */
  async afterEarlierFetch(path: string, how: FetchHow): Promise<void> {
    const order = how.order;
    const holder = order === undefined ? undefined : this.#busy.get(path);
    if (holder?.order === undefined || holder.order >= order!) return;
    how.releaseSlot?.();
    try {
      await holder.fetched;
    } finally {
      await how.retakeSlot?.();
    }
  }

  /**
   * With several threads, until every fetch before this one (`how.order`) in the queue that was
   * redirected to `url` is done and its page read, as one thread has them done before this fetch
   * starts. Each such redirect is known once every URL before this one has landed, which is
   * waited for first. This fetch's request slot is given back meanwhile.
   */
  async afterEarlierRedirects(url: string, how: FetchHow): Promise<void> {
    const order = how.order;
    if (order === undefined || this.oneThread) return;
    const earlier = () => this.redirectedTo.get(url)?.filter((r) => r.order < order) ?? [];
    if (this.#landed.oldest >= order && earlier().length === 0) return;
    how.releaseSlot?.();
    try {
      await this.#landed.until(order);
      for (const redirect of earlier()) await redirect.settled;
    } finally {
      await how.retakeSlot?.();
    }
  }

  /**
   * With several threads, under `--content-disposition` with `-N` or `-c`, where a HEAD first
   * names the file (its header's name, or the URL's): `name`, which the HEAD of this fetch
   * (`how.order` in the queue) gave, noted for the fetches after it, and until each fetch before
   * it that named it so is done and its page read, as GNU's run has them before it asks for this
   * URL; any of them may name it by its answer, so every URL before it is named first (its HEAD
   * answered, or its fetch landed: see `#named`). Then the copy this fetch compares (or
   * continues) is the one GNU's finds. True when it waited for such a fetch (this fetch's request
   * slot given back meanwhile). Server random seed 1912831, threaded (`-m
   * --content-disposition`): `/i5.png` and `/i5.png?x`, both `cd9` by their header, their HEADs
   * answered at once; GNU's second found `/i5.png`'s `cd9` current and kept it, netkit's found
   * none and wrote over it.
   */
  async afterEarlierHeadNames(name: string, how: FetchHow): Promise<boolean> {
    const order = how.order!;
    const settled = how.until ?? Promise.resolve();
    const entry: NameHolder = { order, fetched: settled, settled };
    addHolder(this.#headNames, name, entry);
    const forget = () => deleteHolder(this.#headNames, name, entry);
    settled.then(forget, forget);
    this.#named.pass(order);
    const earlier = () =>
      [...this.#headNames.get(name) ?? []].filter((other) => other.order! < order);
    if (this.#named.oldest >= order && earlier().length === 0) return false;
    how.releaseSlot?.();
    try {
      // (Their HEADs answered, not their GETs: a first run would otherwise ask one GET at a
      // time, each after the answer to the one before it.)
      await this.#named.until(order);
      const waits = earlier();
      if (waits.length === 0) return false;
      for (const other of waits) await other.settled;
    } finally {
      await how.retakeSlot?.();
    }
    return true;
  }

  /** The names HEADs gave (see `afterEarlierHeadNames`), until their fetches' pages are read. */
  readonly #headNames = new Map<string, Set<NameHolder>>();
  /** With several threads, whether a HEAD first names each file (see `afterEarlierHeadNames`). */
  readonly #headNamesFirst: boolean;
  /**
   * With several threads, the smallest place in the queue whose file's name is not known yet
   * (its HEAD not answered, see `afterEarlierHeadNames`, nor its fetch landed).
   */
  readonly #named = new QueueFront();

  /** `--wait`: when the last request ends, by host (`""` for all, with one thread). */
  readonly #lastRequest = new Map<string, Promise<void>>();
  /**
   * With several threads, the names taken: by whom (`order` in the queue, none for robots.txt),
   * when its fetch is done, and when it lets the name go (its page read).
   */
  readonly #busy = new Map<string, NameHolder>();
  /** With several threads, the names taken below each directory (see `#fetchReserved`). */
  readonly #busyUnder = new Map<string, Set<NameHolder>>();
  /**
   * With several threads, the URLs a fetch landed on after a redirect (its answer in, its body
   * still coming): settles when that fetch is done (the URL then downloaded).
   */
  readonly #landingOn = new Map<string, Promise<void>>();
  /**
   * With several threads, the smallest place in the queue whose answer has not landed (its status
   * and headers after its redirects, see `#run`), and those told when it grows.
   */
  readonly #landed = new QueueFront();
  /**
   * With several threads, the URLs the queued URLs' fetches were redirected to in this walk, and
   * by whom: its place in the queue, and when its page has been read.
   */
  readonly redirectedTo = new Map<string, { order: number; settled: Promise<void> }[]>();
  /** With several threads, the queued URLs whose own GET may be claimed (see `OwnGet`). */
  readonly ownGets = new Map<string, OwnGet>();
  /**
   * With several threads, under `-nd --trust-server-names`, the queued fetches (by their place in
   * the queue) that have not taken their file's number yet (see `takeNumber`): each settles once
   * its fetch has, or is done.
   */
  readonly #unnumbered = new Map<number, Promise<void>>();
  /** With several threads, no option that keeps a redirect from taking a GET (see `OwnGet`). */
  readonly claimsAllowed: boolean;
  /** With several threads and -E, the names each fetch may take once its type is known. */
  readonly #busyAliased = new Map<string, Set<NameHolder>>();
  /** With several threads, the request slots free (see `#takeSlot`). */
  #slotsLeft = 0;
  /** Tasks waiting for a request slot, first first. */
  readonly #slotWaiters: (() => void)[] = [];
  /** Tells the walk's loop that a slot is free. */
  #slotFreed: () => void = () => {};

  /** A body's write failed in this walk: no more URLs of its queue are fetched. */
  #writeFailed = false;
  /** The files whose bodies could not be written in this walk, in order. */
  #writeFailures: string[] = [];

  /** Whether `-Q`'s quota is used up. */
  get quotaExceeded(): boolean {
    const quota = this.options.quotaBytes ?? 0;
    return quota > 0 && this.result.bytes > quota;
  }

  /** The directories and files this run knows of on disk. */
  readonly disk = new RunDisk();

  fail(url: string, error: unknown, log: FetchLog = this.options): void {
    // A body that could not be written (a full disk) ends the walk, as GNU's retrieve_tree
    // ends on FWRITEERR; a file that could not be made (a directory without permission) fails
    // its URL alone.
    if (error instanceof DownloadFileError && error.writing) {
      this.#writeFailed = true;
      this.#writeFailures.push(error.path);
    }
    this.result.failures.push({ url, error });
    log.onFailed?.(url, error);
  }

  /**
   * Removes a file of the run; `forget` its URLs too (GNU's `register_delete_file`), at `order`
   * in the queue (with several threads; the page being read by default).
   */
  remove(path: string, forget = true, order = this.#turn): boolean {
    try {
      Deno.removeSync(path);
    } catch {
      return false;
    }
    if (forget) this.saved.registerDeleteFile(path, order);
    return true;
  }

  /**
   * Whether `path`, which a page's reading could not remove, is a NAME.tmp that a fetch before
   * it in the queue wrote over (see `holdName`) and removed with its own page: removed
   * all the same, its URLs forgotten (`forget`) as GNU's run forgets them when it removes this
   * fetch's own file (else `-k` still had the name for them, and said it was not there).
   */
  #removedWrittenOver(path: string, forget: boolean): boolean {
    if (!this.disk.takeWrittenOver(path)) return false;
    if (forget) this.saved.registerDeleteFile(path, this.#turn);
    return true;
  }

  /**
   * GNU's register_download of `finalUrl`'s `file` and register_redirection of `url` to it
   * (see SavedFiles.registerLanded), by the fetch at `order` in the queue (with several threads;
   * robots.txt's: the page being read, whose links asked for it). Not `inWalk`: for `-k`'s maps
   * alone, as the file of a fetch after it in the queue that the walk's maps have already (GNU's
   * register_download of that one then takes the file from this one's URLs).
   */
  registerLanded(
    url: string,
    finalUrl: string,
    file: string,
    order = this.#turn,
    inWalk = true,
  ): void {
    this.saved.registerLanded(url, finalUrl, file, order, inWalk);
  }

  /** `-k`: rewrites the links of every page still on disk, now that the whole run is known. */
  convert(): void {
    const saved = this.saved;
    saved.registerInQueueOrder();
    const urlToFile = saved.urlToFileForConversion;
    for (const { path, url, kind } of saved.pagesToConvert()) {
      let counts = { toFiles: 0, toUrls: 0 };
      try {
        const links = convertLinks(path, url, kind, urlToFile, {
          adjustExtension: this.options.adjustExtension ?? false,
          fileOnly: this.options.convertFileOnly,
          followTags: this.options.followTags,
          ignoreTags: this.options.ignoreTags,
          // -K: only a file this run wrote, as GNU wget's: one it left as it was (-c's 416)
          // is converted in place, its NAME.orig from an earlier run kept.
          backupPath: this.options.backupConverted && this.disk.written.has(path)
            ? backupPathFor(path, saved.extended.has(path))
            : undefined,
          onConverted: (done) => void (counts = done),
        });
        this.options.onConverted?.(path, links, counts);
      } catch (error) {
        if (isUnreadable(error)) this.options.onConverted?.(path, 0, counts, error);
        else this.fail(url, new DownloadFileError(path, error));
      }
    }
  }
}

/**
 * A saved file `-k` cannot read: gone, or a directory now (`wget -r http://h/book` saves the
 * page as `book`, then needs `book/` for the files under it). The read comes first, so neither
 * is a failure to write.
 */
function isUnreadable(error: unknown): boolean {
  return error instanceof Deno.errors.IsADirectory || error instanceof Deno.errors.NotFound;
}
