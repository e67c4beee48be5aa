/**
 * One file's fetch in a recursive walk (`FileFetch`): its HEAD first where GNU wget asks so, its
 * GET (the common case sent and saved here, anything else through download()), the file made,
 * written and named as GNU wget names it, and what the walk learns from it, saved or failed.
 *
 * @module
 */

import {
  createUniqueFile,
  download,
  DownloadFileError,
  type DownloadOptions,
  type DownloadResult,
  type DownloadSink,
  type RequestUserinfo,
} from "./download.ts";
import { timerSleep } from "./_timer_sleep.ts";
import {
  hasHtmlSuffix,
  isFile,
  isNoNewerThan,
  localCopy,
  removeIfLink,
} from "./_recursive_helpers.ts";
import {
  type HttpClientOptions,
  type HttpConnectionInfo,
  type HttpResponse,
  sendHttpRequest,
} from "../http/client.ts";
import { handOver, type Received } from "./_received.ts";
import type { ByteWriter } from "../io/duplex.ts";
import type { SyncByteWriter } from "../net/socket_stream.ts";
import { pageKind, withPageExtension } from "./page_kind.ts";
import { rotateBackups } from "./_backups.ts";
import { unlinkBeforeWriting } from "./_unlink.ts";
import { HeldBody, type HeldBodyStart } from "./_held_body.ts";
import { withReferer } from "./_referer.ts";
import { PAGE_BYTES_DECODER_LABEL } from "./_resolve_link.ts";
import { parseHttpDate } from "./http_date.ts";
import { freeFileName } from "./_free_name.ts";
import { HttpStatusError } from "../http/errors.ts";
import { UnexpectedEofError } from "../io/unexpected_eof_error.ts";
import { SocketError } from "../net/socket_error.ts";
import { parseHttpUrl, type UrlParts } from "../http/url.ts";
import { keepAnswerState } from "./_hsts_answer.ts";
import { acceptsFileName } from "./accept_rules.ts";
import type { RunDisk } from "./_run_disk.ts";
import type { SavedFiles } from "./_saved_files.ts";
import type { FetchLog, RecursiveOptions, RecursiveResult } from "./recursive_options.ts";
import {
  ClaimedRedirect,
  DOWNLOADED_ALREADY,
  type Fetched,
  type FetchHow,
  type HandedGet,
  type HeldName,
  type OwnGet,
  REDIRECT_STATUSES,
  RedirectToCopy,
  RedirectToHead,
} from "./_walk_types.ts";

/**
 * Pages are kept as text byte for byte (x-user-defined: one character a byte, no state between
 * chunks), so one decoder serves every page and chunk.
 */
const PAGE_BYTES = new TextDecoder(PAGE_BYTES_DECODER_LABEL);

/**
 * The most of a body kept in memory to read its links; a larger one is read back from its file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_KEPT_TEXT_BYTES } from "./_file_fetch.ts";
 *
 * assert.equal(MAX_KEPT_TEXT_BYTES, 1024 * 1024);
 * ```
 */
export const MAX_KEPT_TEXT_BYTES = 1024 * 1024;

/** The copy here that `-N` compares: its time and size. */
type LocalCopy = { mtime: Date; size: number };

/** A HEAD's answer as GNU's run keeps it: where it landed, its status and type. */
type HeadAnswer = { landed: string; status: number; type: string | undefined };

/** What a HEAD's check found (see FetchWalk.headCheck). */
export interface HeadChecked {
  /** The copy here is current: not fetched again. */
  current: boolean;
  /** The answer's type. */
  contentType: string | undefined;
  /** The URL the HEAD landed on, after redirects. */
  finalUrl: string;
  /** The HEAD was answered 500 or 501: the GET is the fetch's next try. */
  headFailed?: HttpStatusError;
  /** The redirects of the chain so far (`redirectsBefore` and the HEAD's own). */
  redirects?: number;
}

/** How FetchWalk.headCheck asks, besides its URL and copy. */
export interface HeadCheckOptions {
  /** robots.txt's HEAD. */
  robots?: boolean | undefined;
  /** Called once an answer (not a redirect's) is in. */
  afterResponse?: () => void;
  /** Where the fetch's lines go. */
  log?: FetchLog | undefined;
  /** The Referer sent. */
  referer?: string | undefined;
  /** Before the copy is compared (with several threads: until the fetches before it name it). */
  beforeCompare?: (() => Promise<boolean>) | undefined;
  /**
   * Redirects followed to the URL already (a GET's, whose target the HEAD asks for): they count
   * toward --max-redirect with the HEAD's own, as GNU's retrieve_url keeps one count.
   */
  redirectsBefore?: number | undefined;
}

/**
 * What a file's fetch asks of the walk it is part of: the run's options, disk, maps and queue
 * order. The walker (recursive.ts) implements it, where each member says more.
 */
export interface FetchWalk {
  /** The run's options. */
  readonly options: RecursiveOptions;
  /** download()'s options for every fetch (the pool, cookies, HSTS, retries). */
  readonly downloadOptions: DownloadOptions;
  /** The run's directories and files. */
  readonly disk: RunDisk;
  /** GNU's file maps, -k's maps in queue order, and the pages to convert. */
  readonly saved: SavedFiles;
  /** The run's counts and failures. */
  readonly result: RecursiveResult;
  /** NAME.tmp files read for links only, removed after. */
  readonly temporaries: Set<string>;
  /** With several threads: the fetches redirected to a URL, by queue place. */
  readonly redirectedTo: Map<string, { order: number; settled: Promise<void> }[]>;
  /** With several threads: the plain GETs that a fetch redirected there may take. */
  readonly ownGets: Map<string, OwnGet>;
  /** The client's options for a plain GET sent by the fetch itself, where it may. */
  readonly plainClient: HttpClientOptions | undefined;
  /** The run's headers name an Accept-Encoding (download() then adds none). */
  readonly plainHasEncoding: boolean;
  /** One fetch at a time (no --max-threads). */
  readonly oneThread: boolean;
  /** A fetch may take the GET of a URL after it that a redirect lands on. */
  readonly claimsAllowed: boolean;
  /** GNU's register_download and register_redirection of a file, at a queue place. */
  registerLanded(
    url: string,
    finalUrl: string,
    file: string,
    order?: number,
    inWalk?: boolean,
  ): void;
  /** A URL not fetched again, the copy at `path` kept (and told). */
  kept(
    url: string,
    path: string,
    skipped: NonNullable<DownloadResult["skipped"]>,
    status: number,
    finalUrl?: string,
    kind?: Fetched["kind"],
    log?: FetchLog,
    order?: number,
  ): void;
  /** A HEAD found the copy current: kept, read for links by the answer's type. */
  keptAfterHead(
    url: string,
    path: string,
    checked: { contentType: string | undefined; finalUrl: string },
    how: FetchHow,
  ): Fetched;
  /** --content-on-error: the name a failed HEAD gave, the URL's file for -k. */
  registerFailedHead(
    url: string,
    landed: string,
    path: string,
    answer: { status: number; type?: string | undefined },
    order?: number,
  ): void;
  /** A HEAD, its answers compared with the copy `localFor` finds. */
  headCheck(
    url: string,
    localFor: (response: HttpResponse, landed: string, again?: boolean) => LocalCopy | undefined,
    options?: HeadCheckOptions,
  ): Promise<HeadChecked | undefined>;
  /** The file GNU's layout names for a URL (`report`: a name too long is said). */
  plannedPath(url: string | UrlParts, report?: boolean): string;
  /** The file name a Content-Disposition header gives, restricted as the run's names. */
  dispositionName(header: string | null | undefined): string | undefined;
  /** -nc: a NAME.tmp GNU's run would have left at `name`. */
  leftByGnu(name: string): boolean;
  /** -nc: a NAME.tmp GNU's run left where a redirect landed. */
  leftAtLanding(landed: string, temporary: boolean): boolean;
  /** The file at `path` is one whose removal forgets its URLs. */
  forgetsOnRemoval(path: string): boolean;
  /** A NAME.tmp this run saved at `path` (-E's name for `contentType`), its text kept, not read yet. */
  ownTemporaryAt(path: string, contentType: string | undefined): boolean;
  /** Removes a file of the run (its URLs forgotten with `forget`). */
  remove(path: string, forget?: boolean, order?: number): boolean;
  /** A fetch failed: counted and told (a write failure ends the walk). */
  fail(url: string, error: unknown, log?: FetchLog): void;
  /** The URL with the start URL's credentials for its origin. */
  withStartCredentials(url: string): string;
  /** The start URL's user information for the request's log line. */
  startUserinfo(href: string): RequestUserinfo | undefined;
  /** With several threads: holds a file name in the order of the queue. */
  holdName(planned: string, how: FetchHow): Promise<HeldName>;
  /** Names a redirect gives are held in the order of the queue. */
  holdsWrittenNames(): boolean;
  /** Where a redirect lands is held in the order of the queue for this fetch. */
  holdsLandings(how: FetchHow, shared: boolean): boolean;
  /** -nd's NAME.N: waits until the fetches before this one took theirs. */
  takeNumber(how: FetchHow): Promise<void>;
  /** The fetches before `order` that have not taken their number yet. */
  unnumberedBefore(order: number): Promise<void>[];
  /** With several threads: this plain GET, offered to a fetch before it redirected here. */
  openOwnGet(url: string, order: number): OwnGet;
  /** Takes the plain GET of a URL after `order` in the queue, if one is under way. */
  claimOwnGet(url: string, order: number): OwnGet | undefined;
  /** Whether a fetch before this one took its GET (waits until none can). */
  ownGetClaimed(url: string, own: OwnGet, releaseSlot?: () => void): Promise<boolean>;
  /** Until the fetch before this one that writes `path` is done. */
  afterEarlierFetch(path: string, how: FetchHow): Promise<void>;
  /** Until the fetches before this one redirected to `url` are done. */
  afterEarlierRedirects(url: string, how: FetchHow): Promise<void>;
  /** With several threads, until the fetch before this one that names `name` is done (true: it waited). */
  afterEarlierHeadNames(name: string, how: FetchHow): Promise<boolean>;
}

/** A step of the fetch that did not end it: the next step follows. */
const GO_ON: unique symbol = Symbol("go on");

/** How the names and copies of a redirect's targets are taken (download()'s path). */
interface TargetRules {
  /** -N --trust-server-names: the target's file is the copy compared. */
  readonly retimed: boolean;
  /** -c or -nc --trust-server-names: the target's file is the one continued or looked for. */
  readonly renamed: boolean;
  /** -c: the target's file is continued. */
  readonly continued: boolean;
  /** -N --no-if-modified-since --trust-server-names: a target's copy is asked for with HEAD. */
  readonly checkAtRedirect: boolean;
  /**
   * -N or -c with --content-disposition, or -N --no-if-modified-since where the link's file is
   * here (without --trust-server-names): a GET's redirect is followed by GNU's retrieve_url with
   * an http_loop of its own for the target, which asks with HEAD first again (the target's
   * copy, or the link's, compared there) and counts its tries afresh.
   */
  readonly headAtRedirect: boolean;
  /** -nc --trust-server-names: the target's file looked for once the fetches before it are done. */
  readonly lookedFor: boolean;
  /** Whether the file of a redirect's target at `there` is one compared (not a NAME.tmp). */
  readonly comparedAt: (there: string) => boolean;
}

/**
 * One URL fetched into its file (`planned`) as GNU wget's run does: a HEAD first where GNU asks so
 * (`--content-disposition` with `-c` or `-N`, `-N --no-if-modified-since`), `-c`'s Range, `-nc`'s
 * file kept, `-N`'s If-Modified-Since, then the GET, saved under the name its answers give, with
 * its text kept for the walk to read links from. `run()` once; it returns the file fetched (or
 * kept), or undefined when none is (the failure told to the walk).
 *
 * @example Each file of a walk is one FileFetch: named where a redirect lands, kept when current
 * ```ts
 * import assert from "node:assert/strict";
 * import { downloadRecursive, type RecursiveOptions } from "./recursive.ts";
 *
 * const modified = "Mon, 30 Nov 2026 10:00:00 GMT";
 * const requests: string[] = [];
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
 *   const path = new URL(req.url).pathname;
 *   requests.push(`${req.method} ${path} ${req.headers.get("if-modified-since") ?? "-"}`);
 *   if (path === "/old") return Response.redirect(new URL("/new.txt", req.url), 301);
 *   if (path === "/new.txt") return new Response("new", { headers: { "last-modified": modified } });
 *   if (req.headers.get("if-modified-since") === modified) return new Response(null, { status: 304 });
 *   return new Response(`<a href="old">old</a>`, {
 *     headers: { "content-type": "text/html", "last-modified": modified },
 *   });
 * });
 * const directory = await Deno.makeTempDir();
 * const options: RecursiveOptions = {
 *   directory,
 *   layout: { hostDirectories: false },
 *   trustServerNames: true,
 *   timestamping: true,
 *   robots: false,
 * };
 * const start = `http://127.0.0.1:${server.addr.port}/`;
 * const first = await downloadRecursive([start], options);
 * // --trust-server-names: the redirect's target names the file.
 * assert.equal(Deno.readTextFileSync(`${directory}/new.txt`), "new");
 * assert.equal(first.files, 2);
 * // -N: the second run asks with If-Modified-Since and keeps the copy of the 304.
 * requests.length = 0;
 * const second = await downloadRecursive([start], options);
 * assert.equal(requests[0], `GET / ${modified}`);
 * assert.equal(second.files, 0);
 * await Deno.remove(directory, { recursive: true });
 * ```
 */
export class FileFetch {
  readonly #walk: FetchWalk;
  readonly #url: string;
  readonly #how: FetchHow;
  readonly #options: RecursiveOptions;
  /** The file the URL names (its NAME.tmp for a file only read for links). */
  #planned: string;
  /** -O: one file for every document (GNU wget's -r -O). */
  readonly #shared: RecursiveOptions["output"];
  readonly #backups: number;
  /** A file by this name is written over (not numbered). */
  readonly #clobbers: boolean;
  #clobber: boolean;
  /** -N, but not while robots.txt is fetched (GNU wget turns it off: with -nd a robots.txt.1). */
  readonly #timestamping: boolean;
  /**
   * --content-disposition with -c or -N: the file's name is the server's to give, so GNU wget
   * asks with HEAD first (for every URL), then continues the file of that name (Range) or
   * compares it with the server's (-N, as --no-if-modified-since does).
   */
  readonly #headFirst: boolean;
  /** The file's name after the HEAD, before -E's extension (added again when saved). */
  #named: string | undefined;
  /** The URL the GET goes to: after a HEAD that was redirected, where it landed. */
  #requestUrl: string;
  /** A HEAD answered 500 or 501: the GET is the next try of the same fetch (GNU's count). */
  #headFailed: HttpStatusError | undefined;
  /** The name held for the answer in the order of the queue (see Walker.holdName). */
  #heldName: HeldName | undefined;
  /**
   * A fetch after it in the queue wrote its file (not a NAME.tmp) first: the answer is read but
   * not saved over that file, which GNU's run, one fetch at a time, saves last (threads random
   * seed 2000627: `/%55P`, redirected to `/UP/`, and `/%69ndex.html`, both `index.html`).
   */
  #beside: boolean;
  /**
   * --content-disposition: the answer names a file other than the one held before its request
   * (its header's name, or without one where a redirect landed): its body is kept in memory
   * and that name held in the order of the queue before it is saved (see Walker.holdName).
   */
  #holdAtSave = false;
  /**
   * --content-on-error: a HEAD answered 500 or 501 (`headFailed`), its file's name and answer,
   * registered if the fetch gives up at it (see Walker.registerFailedHead).
   */
  #failedHead: (HeadAnswer & { name: string }) | undefined;
  /** -c: the bytes already here, continued with Range (after an interrupted run). */
  #resumeFrom = 0;
  #contentType: string | undefined;
  #lastModified: string | undefined;
  /** `lastModified` parsed, when the plain GET's path parsed it already (once a file). */
  #lastModifiedTime: number | undefined;
  #file: Deno.FsFile | undefined;
  #path: string;
  #headers: Array<readonly [string, string]> = [];
  /** -N: the time and size of the copy here (`FILE.orig`'s with -K, as GNU wget takes them). */
  #local: LocalCopy | undefined;
  /**
   * -N --no-if-modified-since: the copy here a HEAD found older (or of another size) than the
   * server's, compared again at a redirect's target (see TargetRules.headAtRedirect).
   */
  #headedCopy: LocalCopy | undefined;
  /** The redirects of the chain when the last HEAD's answer came (see #checkHeadFirst). */
  #headRedirects = 0;
  /** -N: a 200 that says the copy here is current (the server ignored If-Modified-Since). */
  #current = false;
  /** -E added `.html` or `.css` to the file's name (at a HEAD's answer too: GNU's dt keeps it). */
  #extended = false;
  /** -nc, and -E renamed the file: written over a copy by that name. */
  #overwrite = false;
  /** With several threads, this plain GET's answer, which a fetch redirected here may take. */
  #own: OwnGet | undefined;
  /** This fetch may take the own GET of a URL after it in the queue that a redirect lands on. */
  #claiming = false;
  /**
   * -nd's number not taken yet (see Walker.takeNumber), or --content-disposition's name not held
   * yet (see `#holdAtSave`): the body is held meanwhile, its bytes past a cap in a temporary file.
   */
  #heldBody: HeldBody | undefined;
  /** The file was made while the request was on the wire (see `#makeEarly`). */
  #early = false;
  /** A body came for the file (or another's GET was taken as its). */
  #claimed = false;
  /** `#makeEarly`, where a name cannot exist yet; undefined elsewhere. */
  #createEarly: (() => void) | undefined;
  /**
   * The text of a page to be read for links, kept as it streams in (decoded chunk by chunk), so
   * it need not be read back from its file: undefined once it grows too large. `decoder` for
   * UTF-8 text (robots.txt); undefined for a page's bytes (PAGE_BYTES).
   */
  #keep: { decoder: TextDecoder | undefined; text: string; bytes: number } | undefined;
  #keepDecided = false;
  /** The body is to be read for links (its text kept while not too large). */
  #readsLinks = false;
  /**
   * A page read for links but not saved (`beside`): its bytes, which no file of this fetch
   * holds, so that past the text kept its links are read from them (a temporary file past
   * 1 MiB, as a held body's), not from a text as large as the page; handed on with the
   * `Fetched` when its text was dropped, else disposed with the fetch.
   */
  #besideBody: HeldBody | undefined;
  readonly #sink: DownloadSink;
  readonly #log: FetchLog;
  readonly #events: NonNullable<FetchLog["events"]>;
  /** The URL the body comes from, after redirects (for --content-disposition's names). */
  #landed: string;
  /** The redirects answered in the download under way (its own count against --max-redirect). */
  #redirectsAnswered = 0;
  /** The file is only read for its links and removed (NAME.tmp): the name it is saved under's. */
  #temporary: boolean;
  /** -A/-R judge the free name of a file Content-Disposition names when it is made (see open). */
  #judgesFreeName = false;
  /** The answer is a 204 (No Content). */
  #noContent = false;
  /**
   * GNU's document type of the URL so far: each answer's but a redirect's, a 401's or a 304's
   * (GNU looks at no type there), so a 304 after 503s retried has the 503 page's.
   */
  #typed: Fetched["kind"] = "other";
  /** -nc --trust-server-names: the redirect's target's file, found here (not asked for). */
  #noClobbered: string | undefined;
  /**
   * -nc: a redirect landed on a NAME.tmp GNU left here (its check_file_output's RETRUNNEEDED,
   * as for a link's own NAME.tmp below): nothing read, said, saved or counted.
   */
  #unneeded = false;
  /** The download's result, once the body is in. */
  #result: DownloadResult | undefined;
  /** What the plain GET received that download() carries on from (see handOver). */
  #received: Received | undefined;
  /** How the names of a redirect's targets are taken, on download()'s path. */
  #targets: TargetRules | undefined;

  /** `url`'s fetch into `planned`, as `how` says, in `walk`. */
  constructor(walk: FetchWalk, url: string, planned: string, how: FetchHow) {
    this.#walk = walk;
    this.#url = url;
    this.#planned = planned;
    this.#path = planned;
    this.#how = how;
    const options = this.#options = walk.options;
    this.#shared = options.output;
    this.#backups = options.backups ?? 0;
    this.#timestamping = (options.timestamping ?? false) && !how.robots;
    this.#clobbers = ((options.layout ?? {}).directories ?? true) || this.#timestamping ||
      (options.resume ?? false) || this.#backups > 0;
    this.#clobber = !how.temporary && this.#clobbers;
    this.#headFirst = !this.#shared && !how.temporary && (options.contentDisposition ?? false) &&
      ((options.resume ?? false) || this.#timestamping);
    this.#requestUrl = how.landed ?? url;
    this.#headFailed = how.headFailed;
    this.#heldName = how.heldName;
    this.#beside = this.#heldName?.overtaken === true && !how.temporary;
    this.#log = how.log ?? options;
    this.#events = this.#log.events ?? {};
    this.#landed = this.#requestUrl;
    this.#temporary = how.temporary ?? false;
    this.#sink = {
      name: planned,
      writer: this.#shared ? { write: (p) => this.#writeShared(p) } : ({
        write: (p) => {
          try {
            return Promise.resolve(this.#writeSync(p));
          } catch (error) {
            return Promise.reject(error);
          }
        },
        // copyTo's way without a promise a chunk: the bytes are written synchronously anyway.
        writeSync: (p) => this.#writeSync(p),
      } satisfies SyncByteWriter as ByteWriter),
    };
  }

  /** Fetches the URL: the file fetched or kept, or undefined (its failure told). */
  async run(): Promise<Fetched | undefined> {
    const options = this.#options;
    const how = this.#how;
    const walk = this.#walk;
    const shared = this.#shared;
    if (this.#headFirst) {
      const ended = await this.#checkHeadFirst();
      if (ended !== GO_ON) return ended;
    }
    this.#resumeFrom = this.#resumeOffset();
    const planned = this.#planned;
    // -nc: a file already there is not fetched again; a page among them is read from disk for
    // its links, as GNU wget does (by its .html or .htm suffix).
    if (
      !shared && !how.temporary && options.noClobber && walk.disk.mayExist(planned) &&
      isFile(planned)
    ) {
      const done: Fetched = {
        path: planned,
        finalUrl: this.#url,
        kind: hasHtmlSuffix(planned) ? "html" : "other",
        text: undefined,
      };
      walk.kept(this.#url, planned, "exists", 0, this.#url, done.kind, how.log, how.order);
      return done;
    }
    this.#path = this.#named ?? planned;
    this.#headers = withReferer(options.headers, how.referer ?? options.referer);
    if (
      !shared && !how.temporary && !how.robots && options.timestamping && !this.#headFirst &&
      walk.disk.mayExist(planned)
    ) {
      const ended = await this.#checkLocalCopy();
      if (ended !== GO_ON) return ended;
    }
    this.#openOwnGet();
    if (shared) this.#path = shared.name;
    // The file is made with synchronous calls: an asynchronous open or utime goes through
    // Deno's blocking thread pool, and handing each task over cost the main thread more (futex
    // waits) than the system call itself (~22 % of a -m run's wall time on 1,208 files).
    // A name that cannot exist yet (in a directory this run made, not written by it) is created
    // while the request is on the wire, so that the kernel's work on a new file (~0.2 ms, a
    // third of the main thread's time) overlaps the server's; if no body comes (an error, a
    // redirect loop), the empty file is removed again. Other files are made when the body starts.
    this.#createEarly = !shared && this.#clobber && this.#resumeFrom === 0 &&
        !options.adjustExtension && !options.contentDisposition && !options.trustServerNames &&
        walk.disk.isNewName(planned)
      ? () => this.#makeEarly()
      : undefined;
    this.#sink.name = planned;
    // -c: download() asks for the rest, and writes only bytes after these.
    this.#sink.offset = this.#resumeFrom;
    this.#landed = this.#requestUrl;
    try {
      const ended = await this.#sendPlainGet();
      if (ended !== GO_ON) return ended;
      if (this.#result === undefined && !this.#current) {
        const downloaded = await this.#downloadInGeneral();
        if (downloaded !== GO_ON) return downloaded;
      }
      return await this.#finish();
    } catch (error) {
      return await this.#failed(error);
    } finally {
      this.#release();
    }
  }

  /**
   * --content-disposition with -c or -N: the HEAD that names the file and compares the copy of
   * that name; the fetch ends here when the copy is current or the HEAD fails. `from`: the URL
   * asked, the fetch's own or (after a GET's redirect) the target's, which names the file then,
   * `redirectsBefore` redirects followed to it.
   */
  async #checkHeadFirst(
    from = this.#url,
    redirectsBefore = 0,
  ): Promise<Fetched | undefined | typeof GO_ON> {
    const walk = this.#walk;
    const options = this.#options;
    const how = this.#how;
    const url = this.#url;
    const byUrl = this.#planned;
    const timestamping = this.#timestamping;
    let byName = false;
    /**
     * GNU's name for the URL that answers, as its answers made it: named by the first (after
     * a redirect, the target's first), then given -E's extension by each answer's type, so a
     * retry (a 503 page retried) is compared with `NAME.html` under -N.
     */
    let answered: (HeadAnswer & { name: string }) | undefined;
    /**
     * -N: the copy found at an answer of the URL that answers, compared at its retries too, as
     * GNU's set_file_timestamp stats it once (timestamp_checked), not by `NAME.html`'s name.
     */
    let compared: { landed: string; path: string; copy: LocalCopy } | undefined;
    /** The copy at `path` (-N), looked at (after a wait for fetches before it: `again`). */
    const copyAt = (path: string, landed: string) => {
      const copy = timestamping && walk.disk.mayExist(path)
        ? localCopy(path, options.backupConverted ?? false, false)
        : undefined;
      if (copy) compared = { landed, path, copy };
      return copy;
    };
    const checked = await walk.headCheck(
      from,
      (response, landed, again) => {
        if (again) {
          return copyAt(compared?.landed === landed ? compared.path : this.#planned, landed);
        }
        this.#typeAnswer(response);
        let named: string;
        if (answered?.landed === landed) {
          named = answered.name;
        } else {
          // (Any answer's header, a 503's too: GNU names the file at the first answer.)
          const header = response.head.headers.get("Content-Disposition");
          const name = walk.dispositionName(header);
          byName = name !== undefined;
          // After a redirect, the URL that answered names the file (or its directory), as GNU's.
          const byLanded = landed !== url || from !== url ? walk.plannedPath(landed) : byUrl;
          named = name === undefined
            ? byLanded
            : byLanded.slice(0, byLanded.lastIndexOf("/") + 1) + name;
        }
        this.#named = named;
        const redirected = response.head.headers.get("Location") !== undefined &&
          response.status >= 300 && response.status < 400;
        const type = response.head.headers.get("Content-Type");
        answered = {
          landed,
          name: options.adjustExtension && !redirected && response.status !== 401 &&
              !REDIRECT_STATUSES.has(response.status)
            ? withPageExtension(named, type)
            : named,
          // (A redirect's status counts as none: its target answers for the file.)
          status: redirected ? 0 : response.status,
          type,
        };
        // (-K's NAME.orig then drops it: server random seed 1800222, a 503's HEAD retried.)
        if (answered.name !== named) this.#extended = true;
        // -c -E: the type is known from the HEAD, so the file is continued by its full name
        // (-N compares the name without it, as GNU wget).
        this.#planned = options.adjustExtension && options.resume && response.ok
          ? withPageExtension(named, response.head.headers.get("Content-Type"))
          : named;
        // (GNU's check_file_output takes FILE.orig under -K though FILE is not there: server
        // random seed 1900814, `/d/e/n28`'s n28.orig beside -E's n28.html.)
        // (Server random seed 1906365: `/d/i55.png`'s HEAD answered 503 as a page, then 200;
        // GNU compared `i55.png.orig`, found at the 503, netkit `i55.png.html`, -k's, newer.)
        if (compared?.landed === landed) return compared.copy;
        return copyAt(this.#planned, landed);
      },
      {
        robots: how.robots,
        // The URL names the file: a name too long is said after the answer, as GNU wget.
        afterResponse: () => {
          if (!byName) walk.plannedPath(from === url ? how.parsed ?? url : from, true);
        },
        log: how.log,
        referer: how.referer,
        redirectsBefore,
        // With several threads, the copy GNU's run finds at that name: written by a fetch
        // before this one in the queue, if any (see Walker.afterEarlierHeadNames).
        beforeCompare: walk.oneThread || how.order === undefined ? undefined : () => {
          const named = this.#named;
          return named === undefined
            ? Promise.resolve(false)
            : walk.afterEarlierHeadNames(named, how);
        },
      },
    );
    if (checked === undefined) {
      if (answered) {
        walk.registerFailedHead(url, answered.landed, answered.name, answered, how.order);
      }
      return undefined;
    }
    if (checked.current) {
      // The copy here is the file by the name the answer gave, -E's extension and all (GNU's
      // gethttp adds it before a HEAD returns): a page among them is read from it for links.
      return walk.keptAfterHead(url, answered?.name ?? this.#planned, checked, how);
    }
    // After a redirect, GNU wget's GET goes to the URL the HEAD landed on.
    this.#requestUrl = checked.finalUrl;
    this.#headRedirects = checked.redirects ?? 0;
    this.#headFailed = checked.headFailed;
    // (A target's HEAD after a GET's redirect: the first HEAD's failure is no longer the fetch's.)
    this.#failedHead = this.#headFailed && answered ? answered : undefined;
    return GO_ON;
  }

  /** -c's offset: the bytes of the file here to continue (--start-pos's otherwise). */
  #resumeOffset(): number {
    const options = this.#options;
    if (
      !this.#shared && !this.#how.temporary && options.resume &&
      this.#walk.disk.mayExist(this.#planned)
    ) {
      try {
        // A link planted at the name is no partial file of a run (never appended to through).
        const info = Deno.lstatSync(this.#planned);
        if (info.isFile) return info.size;
      } catch {
        // Not there: fetched whole.
      }
    } else if (!options.resume) {
      // --start-pos: every document from the offset, robots.txt too, as GNU's restval (appended
      // to a file already here, which -r writes over).
      return options.startPos ?? 0;
    }
    return 0;
  }

  /**
   * -N with a copy here: If-Modified-Since, or (--no-if-modified-since) a HEAD first, then a
   * plain GET of a newer file; the fetch ends here when the copy is current or the HEAD fails.
   */
  async #checkLocalCopy(): Promise<Fetched | undefined | typeof GO_ON> {
    const walk = this.#walk;
    const how = this.#how;
    const url = this.#url;
    const planned = this.#planned;
    const local = localCopy(planned, this.#options.backupConverted ?? false);
    this.#local = local;
    if (local && this.#options.timestampingByHead) {
      // HEAD first, then a plain GET of a newer file.
      let answered: HeadAnswer | undefined;
      const checked = await walk.headCheck(url, (response, landed) => {
        const redirected = response.head.headers.get("Location") !== undefined &&
          response.status >= 300 && response.status < 400;
        const type = response.head.headers.get("Content-Type");
        answered = { landed, status: redirected ? 0 : response.status, type };
        this.#typeAnswer(response);
        return local;
      }, {
        log: how.log,
        referer: how.referer,
      });
      if (checked === undefined) {
        if (answered) walk.registerFailedHead(url, answered.landed, planned, answered, how.order);
        return undefined;
      }
      if (checked.current) return walk.keptAfterHead(url, planned, checked, how);
      this.#local = undefined;
      this.#headedCopy = local;
      this.#headRedirects = checked.redirects ?? 0;
      // After a redirect the GET goes to the URL the HEAD landed on, as GNU's retrieve_url
      // follows the HEAD's redirect with an http_loop of its own (seed 1500094).
      this.#requestUrl = checked.finalUrl;
      this.#headFailed = checked.headFailed;
      if (this.#headFailed && answered) this.#failedHead = { ...answered, name: planned };
    } else if (local) {
      this.#headers.push(["If-Modified-Since", local.mtime.toUTCString()]);
    }
    return GO_ON;
  }

  /**
   * With several threads, a plain GET of a queued URL: a fetch before it in the queue that a
   * redirect sends here meanwhile takes its answer, rather than ask a second time (OwnGet).
   * (Its file may be a NAME.tmp to be removed: the fetch that takes it saves it under its own
   * name.)
   */
  #openOwnGet(): void {
    const walk = this.#walk;
    const options = this.#options;
    const how = this.#how;
    const planned = this.#planned;
    const plain = walk.claimsAllowed && how.reserved === true && how.order !== undefined &&
      !how.robots && !this.#shared && !this.#headFirst && this.#local === undefined &&
      this.#resumeFrom === 0 && !(options.timestamping && options.timestampingByHead) &&
      this.#requestUrl === this.#url;
    const claims = plain && !walk.disk.someFileAt(planned, options.adjustExtension ?? false);
    this.#own = claims ? walk.openOwnGet(this.#url, how.order!) : undefined;
    // The fetch that takes another's GET saves it for good: not as a NAME.tmp whose removal
    // forgets it (its target is then asked for again, as GNU's run does; one -R lets pass GNU
    // leaves, the target downloaded there: threads random seed 2400832, `-R html,htm*`, where
    // `/p21.html`'s own GET went out beside `/r1.html`'s redirect to it and was asked for twice),
    // nor where -nd's NAME.1 may be one. A file at its own name (an earlier run's) is written
    // over as by its own answer (threads random seed 2200377: /r1.html, whose r1.html was there,
    // asked for its redirect's target again where that target's own GET was under way).
    const rules = options.acceptRules;
    this.#claiming = plain && !(how.temporary && walk.forgetsOnRemoval(planned)) &&
      !((options.layout ?? {}).directories === false && rules &&
        !acceptsFileName(`${planned}.1`, rules));
  }

  /** A redirect to `to`: the own GET of a URL after this one in the queue, when it takes it. */
  #claimOwn(to: string): OwnGet | undefined {
    const walk = this.#walk;
    const how = this.#how;
    if (how.order !== undefined && how.until) {
      // A queued URL after this one whose GET has not gone out yet waits for this fetch.
      let redirects = walk.redirectedTo.get(to);
      if (!redirects) walk.redirectedTo.set(to, redirects = []);
      redirects.push({ order: how.order, settled: how.until });
    }
    if (!this.#claiming || (this.#temporary && walk.forgetsOnRemoval(this.#path))) {
      return undefined;
    }
    const claimed = walk.claimOwnGet(to, how.order!);
    // (Landed: its answer is that GET's.)
    if (claimed) how.onLanded?.(to);
    return claimed;
  }

  /**
   * GNU wget's check after a 200 to If-Modified-Since: a Last-Modified not after the copy's
   * time, and no length or the copy's, leave the copy as it is.
   */
  #isCurrent(response: HttpResponse): boolean {
    const local = this.#local;
    return local !== undefined && response.status === 200 &&
      // (The header's length here, encoded or not: GNU's check after a GET.)
      isNoNewerThan(
        response,
        local,
        "none",
        this.#walk.downloadOptions.ignoreContentLength ?? false,
      );
  }

  /** Whether the file, when made, takes a number only once those before it took theirs. */
  #numberWaits(): boolean {
    const how = this.#how;
    return how.numbered !== undefined && !this.#clobber && !this.#overwrite && !this.#temporary &&
      this.#resumeFrom === 0 &&
      // (robots.txt's fetch waits for a queued URL of its name: see Walker.fetchLocked.)
      !/(^|\/)robots\.txt$/.test(this.#planned) &&
      this.#walk.unnumberedBefore(how.order!).length > 0;
  }

  /** The file made (or the body held, where its name or number is not the fetch's yet). */
  #open(): void {
    if (this.#file || this.#shared || this.#current || this.#beside || this.#heldBody) return;
    if (this.#holdAtSave || this.#numberWaits()) {
      this.#heldBody = new HeldBody();
      return;
    }
    const walk = this.#walk;
    const options = this.#options;
    const how = this.#how;
    let path = this.#path;
    try {
      walk.disk.makeParents(path, options.directory ?? ".");
      if (this.#resumeFrom > 0) {
        this.#file = Deno.openSync(path, { write: true, append: true, create: true });
      } else if (this.#clobber || this.#overwrite) {
        if (walk.disk.mayExist(path)) {
          // --backups=N: the copy here moves to NAME.1 first, as GNU wget.
          if (this.#backups > 0) rotateBackups(path, this.#backups);
          // --unlink: removed, a hard link to it keeping its bytes (GNU's unlink).
          if (!options.unlink) removeIfLink(path);
          else {
            try {
              unlinkBeforeWriting(path);
            } catch (error) {
              throw new DownloadFileError(path, error, { unlinking: true });
            }
          }
        }
        this.#file = Deno.openSync(path, { write: true, create: true, truncate: true });
      } else if (this.#heldName && walk.ownTemporaryAt(path, this.#contentType)) {
        // (A fetch after it in the queue saved it, not read yet: see Walker.holdName.)
        const over = options.adjustExtension ? withPageExtension(path, this.#contentType) : path;
        this.#file = Deno.openSync(over, { write: true, truncate: true });
        walk.disk.wroteOver(over);
        if (over !== path) this.#extended = true;
        path = this.#path = over;
      } else {
        // -E: the extension after the free name, as GNU wget (index.html.1.html).
        const adjustExtensionFor = options.adjustExtension ? this.#contentType ?? null : undefined;
        let unique = createUniqueFile(path, { adjustExtensionFor });
        // GNU wget tests -A/-R on the free name (-nd's NAME.1): one they reject is read
        // as NAME.1.tmp and removed, like a rejected name's NAME.tmp.
        const extension = unique.extensionAdded
          ? unique.path.slice(unique.path.lastIndexOf("."))
          : "";
        const free = unique.path.slice(0, unique.path.length - extension.length);
        if (
          (this.#judgesFreeName || (free !== path && !how.temporary)) && options.acceptRules &&
          !acceptsFileName(free, options.acceptRules)
        ) {
          if (this.#judgesFreeName) this.#temporary = true;
          unique.file.close();
          Deno.removeSync(unique.path);
          // (-E's extension after it, and .N before the extension while that name is taken,
          // as GNU's ensure_extension names the NAME.1.tmp: NAME.1.tmp.html, then
          // NAME.1.tmp.1.html, where netkit said NAME.1.tmp.html.1: random seed 1915294.)
          unique = createUniqueFile(`${free}.tmp`, { adjustExtensionFor });
          walk.temporaries.add(unique.path);
        }
        this.#file = unique.file;
        if (unique.extensionAdded) this.#extended = true;
        path = this.#path = unique.path;
      }
    } catch (error) {
      // (The system's reason, where GNU 1.21 says "Bad file descriptor" for a NAME.tmp: see
      // cmd/README.md, "Cannot write to".)
      throw error instanceof DownloadFileError ? error : new DownloadFileError(path, error);
    }
    how.numbered?.();
  }

  /** The body held, once the name or number is the fetch's to take: saved, and told. */
  async #saveHeldBody(): Promise<void> {
    const held = this.#heldBody;
    if (held === undefined) return;
    const how = this.#how;
    // (Let go here once saved; before that, by the fetch's `finally`.)
    if (this.#holdAtSave) {
      this.#holdAtSave = false;
      // (Its requests are over: the host's --wait turn is given back first, as takeNumber
      // does, since a fetch after it that holds the name may need it to finish.)
      how.endTurn?.();
      this.#heldName = await this.#walk.holdName(this.#path, how);
      this.#beside = this.#heldName.overtaken && !this.#temporary;
    } else await this.#walk.takeNumber(how);
    this.#heldBody = undefined;
    // (Read beside the file, its text past the cap not kept: its links are read from it.)
    const readBeside = this.#beside && this.#keep === undefined && this.#readsLinks;
    if (readBeside) {
      // (Bytes of an earlier try read beside, if any: this body is the page's now.)
      this.#besideBody?.[Symbol.dispose]();
      this.#besideBody = held;
    }
    using _held = readBeside ? undefined : held;
    this.#open();
    const path = this.#sink.name = this.#path;
    try {
      // (Awaited only for a temporary file's copy, see copyTo; a read of that file that
      // fails is said as this file's write: GNU's run has no such file.)
      const copying = this.#beside ? undefined : held.copyTo(this.#file!);
      if (copying) await copying;
    } catch (error) {
      throw new DownloadFileError(path, error, { writing: true });
    }
    if (held.start) this.#events.start?.({ ...held.start, path });
    if (held.received !== undefined) this.#events.progress?.(held.received);
  }

  /** The file made while the request is on the wire (see `run`). */
  #makeEarly(): void {
    if (this.#file) return;
    try {
      this.#file = Deno.openSync(this.#path, { write: true, create: true, truncate: true });
      this.#early = true;
    } catch {
      // Made (and its error reported) when the body starts, as for any other file.
    }
  }

  /** The body starts (or goes on): the file is made, and whether to keep its text decided. */
  #start(): void {
    this.#claimed = true;
    this.#open();
    if (!this.#keepDecided) {
      this.#keepDecided = true;
      const how = this.#how;
      const kind = pageKind(this.#contentType);
      if (
        this.#resumeFrom === 0 &&
        (how.keepText || how.expectCss || kind === "css" || (kind === "html" && how.expectHtml))
      ) {
        // Pages byte for byte (links keep a Latin-1 page's bytes, as GNU wget);
        // robots.txt as UTF-8 text.
        // A page's bytes map one to one, whatever the chunks: one decoder for the run.
        const decoder = how.robots ? new TextDecoder("utf-8") : undefined;
        this.#keep = { decoder, text: "", bytes: 0 };
        this.#readsLinks = true;
      }
    }
  }

  /** A chunk of the body into this run's file (-O's is `#writeShared`'s). */
  #writeSync(p: Uint8Array): number {
    if (this.#current) return p.length;
    this.#start();
    let n = p.length;
    try {
      if (this.#heldBody) this.#heldBody.push(p);
      else if (!this.#beside) n = this.#file!.writeSync(p);
      else if (this.#readsLinks) (this.#besideBody ??= new HeldBody()).push(p);
    } catch (error) {
      throw new DownloadFileError(this.#path, error, { writing: true });
    }
    return this.#keepText(p, n);
  }

  /** A chunk of the body into -O's file, which other downloads share. */
  #writeShared(p: Uint8Array): Promise<number> {
    if (this.#current) return Promise.resolve(p.length);
    try {
      this.#start();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#shared!.writer.write(p).then((n) => this.#keepText(p, n));
  }

  /** The first `n` bytes of `p` were written: kept as text too while the page is read for links. */
  #keepText(p: Uint8Array, n: number): number {
    const keep = this.#keep;
    if (keep) {
      keep.bytes += n;
      // (Past the cap the links are read from the bytes: the file's, or where a body not
      // saved yet, or not at all, is held: heldBody, besideBody.)
      if (keep.bytes > MAX_KEPT_TEXT_BYTES) this.#keep = undefined;
      else if (keep.decoder) keep.text += keep.decoder.decode(p.subarray(0, n), { stream: true });
      else keep.text += PAGE_BYTES.decode(p.subarray(0, n));
    }
    return n;
  }

  /** The body's start, told now or, with a body kept in memory, once its file is named. */
  #tellStart(info: HeldBodyStart): void {
    if (this.#heldBody) this.#heldBody.start = info;
    else this.#events.start?.(info);
  }

  /** The body's bytes received so far, told so too. */
  #tellProgress(received: number): void {
    if (this.#heldBody) this.#heldBody.received = received;
    else this.#events.progress?.(received);
  }

  /**
   * The common case (a plain GET answered 2xx), sent and saved here without download()'s
   * general path; anything else that comes back is left in `#received` for download(), which
   * carries on from it as if it had sent the request itself.
   */
  async #sendPlainGet(): Promise<undefined | typeof GO_ON> {
    const walk = this.#walk;
    const options = this.#options;
    const how = this.#how;
    const url = this.#url;
    const requestUrl = this.#requestUrl;
    const plain = walk.plainClient;
    // The link checks' parse of the URL, when it is the URL as written (not parsed again).
    const parsed = how.parsed?.href === url && requestUrl === url ? how.parsed : requestUrl;
    const target = plain && !this.#shared ? parseHttpUrl(parsed) : undefined;
    const downloadOptions = walk.downloadOptions;
    if (this.#headFailed) {
      // After a HEAD answered 500 or 501, download() sends the GET as its second try (waited
      // for as a retry, counted so in the log), as GNU's http_loop (server random seed 1600101).
      this.#received = { error: this.#headFailed, written: 0, headFailed: true };
      return GO_ON;
    }
    if (
      !plain || !target || target.username !== "" || target.password !== "" ||
      downloadOptions.basicAuthOrigins?.size || this.#resumeFrom !== 0 ||
      // An http:// URL of a known HSTS host goes over https: download()'s path.
      downloadOptions.hsts?.upgrade(target)
    ) {
      return GO_ON;
    }
    const events = this.#events;
    const sent: Array<readonly [string, string]> = [...this.#headers];
    if (!walk.plainHasEncoding) sent.push(["Accept-Encoding", "identity"]);
    const cookie = downloadOptions.cookies?.cookieHeader(target);
    if (cookie !== undefined) sent.push(["Cookie", cookie]);
    events.request?.(target, "GET", walk.startUserinfo(target.href));
    let connection: HttpConnectionInfo | undefined;
    let response: HttpResponse | undefined;
    try {
      response = await sendHttpRequest(target, {
        ...plain,
        headers: sent,
        onRequestSent: this.#createEarly,
        onConnection: (info) => (connection = info),
      });
    } catch (error) {
      this.#received = { error, written: 0 };
      return GO_ON;
    }
    if (connection) events.connected?.(connection);
    const status = response.status;
    if (how.temporary && options.noClobber && status !== 401 && walk.leftByGnu(this.#planned)) {
      // -nc: GNU left the NAME.tmp here (-R let its name pass), in this run or an earlier
      // one, and finds it once answered (its check_file_output's RETRUNNEEDED): nothing
      // read, said, saved or counted, the connection not reused (random seed 1600152:
      // `/%69ndex.html` after `/`; 900052: the start page's, left by GNU's first run).
      response.close();
      return undefined;
    }
    if (status < 200 || status >= 300 || status === 206 || status === 204) {
      this.#received = { response };
      return GO_ON;
    }
    if (this.#isCurrent(response)) {
      // GNU wget closes the connection rather than read a body it does not want (and
      // -S shows the answer's head first).
      this.#current = true;
      this.#contentType = response.head.headers.get("Content-Type");
      events.response?.(response);
      // Its cookies count all the same (GNU's are taken with the head), its HSTS too.
      keepAnswerState(downloadOptions, events, target, response);
      response.close();
      return GO_ON;
    }
    let written = 0;
    let unmade = false;
    try {
      const contentType = this.#contentType = response.head.headers.get("Content-Type");
      const lastModified = this.#lastModified = response.head.headers.get("Last-Modified");
      events.response?.(response);
      keepAnswerState(downloadOptions, events, target, response);
      this.#claimed = true;
      how.onLanded?.(target.href);
      this.#open();
      const path = this.#sink.name = this.#path;
      this.#tellStart({ path, offset: 0, total: response.contentLength });
      const bytes = await response.copyBodyTo(this.#sink.writer, (n) => {
        written = n;
        this.#tellProgress(n);
      });
      const time = parseHttpDate(lastModified);
      this.#lastModifiedTime = time;
      this.#result = {
        url: target.href,
        finalUrl: target.href,
        path: this.#sink.name,
        bytes,
        size: bytes,
        total: response.contentLength,
        hasLastModified: lastModified !== undefined,
        status,
        tries: 1,
        contentType,
        lastModified: Number.isNaN(time) ? undefined : new Date(time),
      };
    } catch (error) {
      this.#received = { error, written };
      unmade = error instanceof DownloadFileError && !error.writing;
    } finally {
      // (A body read, whole or not, leaves nothing to discard: no await for nothing.)
      // The body of a file that could not be made is not read away either: the
      // connection closes, as GNU wget's after its FOPENERR (download() does the same).
      if (!response.bodyUsed && !unmade) await response.discardBody();
      response.close();
    }
    return GO_ON;
  }

  /** How the names and copies of a redirect's targets are taken, on download()'s path. */
  #targetRules(): TargetRules {
    const options = this.#options;
    const how = this.#how;
    const shared = this.#shared;
    // (A link -A/-R reject too: the target's name is judged afresh, as GNU's gethttp judges
    // the name it saves under, and one they accept is compared as any other's: random seed
    // 1900015, a rejected link redirected to `/p87.html`, asked for without If-Modified-Since.)
    const rules = options.deleteAfter || options.spider ? undefined : options.acceptRules;
    const retimed = (options.trustServerNames ?? false) && this.#timestamping &&
      !options.timestampingByHead && !this.#headFirst && !shared &&
      (!how.temporary || rules !== undefined);
    // -c and -nc --trust-server-names: the target's file is the one continued or looked
    // for, as GNU's http_loop names each URL of the redirects afresh.
    // (-nc looks for the target's own name whatever -A/-R say of the link's: GNU's
    // url_file_name, without the .tmp its gethttp adds; -c continues it where they accept
    // that name, a rejected link's target too: random seed 1904995, `/r1.html` under
    // `-R *[0-9].html` redirected to `/`, whose `index.html` GNU asks the rest of.)
    const continued = (options.resume ?? false) && (!how.temporary || rules !== undefined);
    const renamed = (options.trustServerNames ?? false) && !options.contentDisposition &&
      !shared && (continued || (options.noClobber ?? false) && !options.spider &&
          !options.deleteAfter);
    return {
      retimed,
      continued,
      renamed,
      // -N --no-if-modified-since --trust-server-names: a redirect's target whose file is here
      // is asked for with HEAD first, as GNU's http_loop for that URL names its file after it
      // (server random seed 1600294).
      checkAtRedirect: (options.trustServerNames ?? false) && this.#timestamping &&
        (options.timestampingByHead ?? false) && !this.#headFirst && !shared && !how.temporary,
      headAtRedirect: this.#headFirst ||
        (this.#headedCopy !== undefined && !options.trustServerNames),
      // -nc --trust-server-names: the target's file looked for again once the fetches before
      // this one that write it are done (the redirect's event looked at once); -c's continued
      // from there once they are (resumeAfterRedirect below, after this wait).
      lookedFor: renamed && (options.noClobber ?? false),
      comparedAt: (there: string) =>
        !how.temporary || (rules !== undefined && acceptsFileName(there, rules)),
    };
  }

  /** The wait before a redirect's target is asked for, and the target's file looked at. */
  async #waitAtRedirect(from: string, to: string, targets: TargetRules): Promise<void> {
    const walk = this.#walk;
    const how = this.#how;
    const downloadOptions = walk.downloadOptions;
    if (how.redirectWait) await how.redirectWait(from, to);
    else if (downloadOptions.redirectWaitMs) {
      await (downloadOptions.sleep ?? timerSleep)(downloadOptions.redirectWaitMs);
    }
    if (targets.headAtRedirect) {
      // (With several threads, the HEAD's own waits let the fetches before it write the copy.)
      if (this.#headFirst) throw new RedirectToHead(to);
      throw new RedirectToCopy(to, this.#planned, this.#headedCopy!);
    }
    const there = walk.plannedPath(to);
    // With several threads, the target's own fetch before this one in the queue is let
    // finish first: GNU's run has its file by then (threads random seed 2000621; under
    // -c, 2700747: GNU asks for the rest, a 416 for a complete one).
    await walk.afterEarlierFetch(there, how);
    // So too a fetch before it redirected to the same target: GNU's run compares the
    // file that fetch wrote (threads random seed 2500375).
    await walk.afterEarlierRedirects(to, how);
    if (targets.lookedFor) {
      // (GNU's "already there; not retrieving." where that fetch wrote it.)
      if (!walk.disk.mayExist(there) || !isFile(there)) return;
      this.#noClobbered = there;
      throw new Deno.errors.AlreadyExists(there);
    }
    // (-c alone: resumeAfterRedirect looks at the file, nothing compared.)
    if (!targets.retimed && !targets.checkAtRedirect) return;
    const copy = walk.disk.mayExist(there) && targets.comparedAt(there)
      ? localCopy(there, this.#options.backupConverted ?? false)
      : undefined;
    if (targets.checkAtRedirect && copy) throw new RedirectToCopy(to, there, copy);
    // -N --trust-server-names: the target's file is the copy compared, as GNU's
    // http_loop names it afresh for each URL of the redirects.
    this.#local = copy;
    if (copy) this.#headers.push(["If-Modified-Since", copy.mtime.toUTCString()]);
  }

  /**
   * With several threads, the wait before a redirect's target is asked for, where the target
   * names the file: that name held in the order of the queue (see Walker.holdName).
   */
  async #waitAtLanding(
    from: string,
    to: string,
    redirectWait: DownloadOptions["redirectWait"],
  ): Promise<void> {
    const walk = this.#walk;
    const options = this.#options;
    const how = this.#how;
    const downloadOptions = walk.downloadOptions;
    if (redirectWait) await redirectWait(from, to);
    else if (downloadOptions.redirectWaitMs) {
      await (downloadOptions.sleep ?? timerSleep)(downloadOptions.redirectWaitMs);
    }
    // --trust-server-names: the target names the file, held in the order of the queue
    // before its request (see Walker.holdName).
    const named = walk.plannedPath(to);
    const temporaryThere = options.acceptRules && !options.deleteAfter && !options.spider
      ? !acceptsFileName(named, options.acceptRules)
      : how.temporary;
    if (temporaryThere) this.#heldName = await walk.holdName(`${named}.tmp`, how);
    else if (walk.holdsWrittenNames()) {
      this.#heldName = await walk.holdName(named, how);
      this.#beside = this.#heldName.overtaken;
    }
  }

  /** -c --trust-server-names: the target's file continued (the bytes after its size). */
  #resumeAfterRedirect(to: string, targets: TargetRules): number {
    const there = this.#walk.plannedPath(to);
    this.#resumeFrom = 0;
    // (A name -A/-R reject is a NAME.tmp, fetched whole.)
    if (!targets.comparedAt(there)) return this.#resumeFrom;
    this.#planned = there;
    try {
      const info = this.#walk.disk.mayExist(there) ? Deno.lstatSync(there) : undefined;
      if (info?.isFile) this.#resumeFrom = info.size;
    } catch {
      // Not there: fetched whole.
    }
    return this.#resumeFrom;
  }

  /** download()'s `response` event: the answer's type, time and name, as GNU's gethttp takes them. */
  #onResponse(response: HttpResponse): void {
    const walk = this.#walk;
    const options = this.#options;
    const how = this.#how;
    const url = this.#url;
    const landed = this.#landed;
    const shared = this.#shared;
    this.#noContent = response.status === 204;
    this.#contentType = response.head.headers.get("Content-Type");
    const status = response.status;
    const redirect = status >= 300 && status < 400 &&
      response.head.headers.get("Location") !== undefined;
    this.#typeAnswer(response);
    this.#lastModified = response.head.headers.get("Last-Modified");
    this.#lastModifiedTime = undefined;
    if (this.#isCurrent(response)) {
      // GNU wget closes the connection rather than read a body it does not want (the
      // copy here stays; download() then stops on the closed response).
      this.#current = true;
      response.close();
    }
    if (
      status !== 401 && landed !== url && this.#file === undefined && !shared &&
      walk.leftAtLanding(landed, how.temporary ?? false)
    ) {
      // -nc: GNU's check_file_output finds the NAME.tmp it left at any answer but a
      // 401's, an error's or a redirect's too (RETRUNNEEDED): nothing said, saved,
      // counted or followed (a 2xx's below too, under --content-disposition).
      this.#unneeded = true;
      response.close();
      throw new Deno.errors.AlreadyExists(landed);
    }
    // --content-disposition: the header's name, in the URL's directory, as GNU wget
    // (--content-on-error's page too, but a 401's, which GNU skips before it names; and
    // a redirect without a Location, whose name GNU's retrieve_url registers.)
    const error = options.contentOnError &&
      (status >= 400 || (REDIRECT_STATUSES.has(status) && !redirect));
    const disposition = options.contentDisposition &&
        (response.ok || error && status !== 401) && this.#file === undefined && !shared
      ? response.head.headers.get("Content-Disposition")
      : undefined;
    const name = walk.dispositionName(disposition);
    const suffix = how.temporary ? ".tmp" : "";
    if (name) {
      // In the directory of the URL that answered, after redirects too (GNU's).
      const named = landed !== url
        ? walk.plannedPath(landed)
        : this.#planned.slice(0, this.#planned.length - suffix.length);
      const given = named.slice(0, named.lastIndexOf("/") + 1) + name;
      if (options.acceptRules && !options.deleteAfter && !options.spider) {
        // -A/-R judge the header's name, as GNU's check_file_output judges the name
        // it saves under: one they reject is a NAME.tmp (said so in the log, and never
        // written over a NAME of the user's), one they accept is saved for good.
        // (-nd's free name, NAME.1 where NAME is here, is judged when made: see open.)
        this.#judgesFreeName = !this.#clobbers;
        this.#temporary = this.#clobbers && !acceptsFileName(given, options.acceptRules);
        this.#clobber = !this.#temporary && this.#clobbers;
      }
      this.#path = given + (this.#temporary ? ".tmp" : "");
    } else if (
      (options.contentDisposition || options.trustServerNames) &&
      (response.ok || error) &&
      this.#file === undefined && landed !== url && !shared
    ) {
      // (--content-on-error's page too: GNU's check_file_output names it so.)
      // Without the header GNU wget then names the file after the URL it came from, as
      // --trust-server-names does (its directories too: `/Img` -> `Img/index.html`).
      const named = walk.plannedPath(landed);
      if (
        options.trustServerNames && !options.contentDisposition && options.acceptRules &&
        !options.deleteAfter && !options.spider
      ) {
        // -A/-R judge that name, as GNU's gethttp judges the name it saves under,
        // and a name they accept is written over, as any other (threads random seed
        // 2100046: a redirect from a rejected link to `/UP/index.html` under -nH
        // --cut-dirs made `index.html.1.html`, where GNU writes over `index.html`).
        // Where names are numbered (-nd's NAME.1), the free name is judged when made,
        // as for a header's name (random seed 1918034: `/r1.html?q=a+b`, a name -A
        // rejects, redirected to `/p46.html`, here already: GNU's NAME.1.tmp).
        // (Under -nc a name here is not numbered: judged as it is.)
        this.#judgesFreeName = !this.#clobbers && !options.noClobber;
        this.#temporary = !this.#judgesFreeName &&
          !acceptsFileName(named, options.acceptRules);
        if (!this.#temporary) this.#clobber = this.#clobbers;
      }
      this.#path = named + (this.#temporary ? ".tmp" : "");
      if (
        options.noClobber && this.#temporary && response.ok && !redirect &&
        walk.leftByGnu(this.#path)
      ) {
        // (Random seed 1907684: `/caf%C3%A9/Img` redirected to `/caf%C3%A9/Img/`,
        // and `/rx1.html` to `/semi;c/Img/q.html`, both pages read already.)
        this.#unneeded = true;
        response.close();
        throw new Deno.errors.AlreadyExists(this.#path);
      }
    }
    if (
      error && status !== 401 && how.robots && options.spider && !options.deleteAfter &&
      this.#file === undefined && this.#path.endsWith(".tmp") &&
      (!options.acceptRules || acceptsFileName(this.#path.slice(0, -4), options.acceptRules))
    ) {
      // --spider's robots.txt error page, kept: GNU's res_retrieve_file fetches it with
      // --spider off, so it is named as a download is (robots.txt), and kept as no
      // rules were read from it (server random seeds 1500299, 1500393); written over
      // one of an earlier run as any robots.txt (seed 1800320: netkit's `.1`).
      this.#path = this.#path.slice(0, -4);
      this.#clobber = this.#clobbers;
    }
    this.#events.response?.(response);
    if (
      how.heldName && options.contentDisposition && !redirect && this.#file === undefined &&
      !this.#holdAtSave && (this.#heldName === undefined || this.#path !== this.#planned)
    ) {
      // (The name held before the request is not this answer's, or was let go at a
      // redirect: see holdAtSave.)
      this.#heldName?.moved();
      this.#heldName = undefined;
      this.#beside = false;
      this.#holdAtSave = true;
    }
    if (
      options.contentDisposition && !this.#headFirst && response.ok && !name &&
      this.#file === undefined && !shared
    ) {
      // The URL names the file: a name too long is said now, as GNU wget.
      walk.plannedPath(landed, true);
    }
  }

  /**
   * GNU's document type after `response` (its gethttp's set_content_type): the answer's type,
   * but a redirect's, a 204's, a 304's or a 401's, which gethttp returns before it looks (so a
   * 204 after a HEAD or a 503 page keeps that answer's type, and GNU reads the file it did not
   * make for links: random server seed 3800294).
   */
  #typeAnswer(response: HttpResponse): void {
    const status = response.status;
    const redirect = status >= 300 && status < 400 &&
      response.head.headers.get("Location") !== undefined;
    if (redirect || status === 204 || status === 304 || status === 401) return;
    this.#typed = pageKind(response.head.headers.get("Content-Type"));
  }

  /** download()'s `redirect` event: the target's file, and another fetch's GET taken for it. */
  #onRedirect(from: string, to: string, status: number, targets: TargetRules): void {
    const walk = this.#walk;
    this.#landed = to;
    if (targets.retimed) {
      // -N --trust-server-names: the target's file, compared before its request (see
      // #waitAtRedirect).
      const there = walk.plannedPath(to);
      if (targets.comparedAt(there)) this.#planned = there;
      this.#local = undefined;
      const at = this.#headers.findIndex(([name]) => name === "If-Modified-Since");
      if (at >= 0) this.#headers.splice(at, 1);
    }
    // (The target's answers are typed afresh, as GNU's http_loop for it.)
    this.#typed = "other";
    this.#events.redirect?.(from, to, status);
    // (Past --max-redirect the redirect is not followed: GNU asks for its target at
    // its own turn; server random seed 1903342, whose `/x/r52.html` took the answer of
    // its target's GET under `--max-redirect=0`.)
    const followed = this.#redirectsAnswered++ < (walk.downloadOptions.maxRedirects ?? 20);
    // GNU's retrieve_url counts the redirect before its http_loop looks at the target's
    // file: past --max-redirect it says "N redirections exceeded." even where -nc finds
    // that file here (random seed 1911948).
    if (targets.renamed && followed) {
      const there = walk.plannedPath(to);
      if (this.#options.noClobber && walk.disk.mayExist(there) && isFile(there)) {
        // Already here: not asked for (GNU's "already there; not retrieving.").
        this.#noClobbered = there;
        throw new Deno.errors.AlreadyExists(there);
      }
    }
    // (A name held for the answer is not this file's: see #waitAtLanding.)
    this.#heldName?.moved();
    this.#heldName = undefined;
    this.#beside = false;
    const claimed = followed ? this.#claimOwn(to) : undefined;
    if (claimed) throw new ClaimedRedirect(to, claimed);
  }

  /** download()'s `start` event: the body starts, under -E's name where it gives one. */
  #onStart(info: HeldBodyStart): void {
    const options = this.#options;
    this.#how.onLanded?.(this.#landed);
    // A 204's empty body makes no file (GNU wget's), unless -O's; a 200 that found the
    // copy here current (closed above) starts none: no length line, no dots, as GNU's.
    if ((this.#noContent && !this.#shared) || this.#current) return;
    this.#claimed = true;
    if (
      options.adjustExtension && this.#file === undefined && !this.#shared &&
      (this.#clobber || options.noClobber)
    ) {
      const before = this.#path;
      this.#path = withPageExtension(before, this.#contentType);
      if (this.#path !== before) {
        this.#extended = true;
        // -nc looked for the URL's name only: a page -E renames is fetched again and
        // written over its NAME.html, as GNU wget (whose manual says so), never to a
        // NAME.1.html beside it (-nd).
        this.#overwrite = true;
      }
    }
    this.#open();
    const path = this.#sink.name = this.#path;
    this.#tellStart({ ...info, path });
  }

  /**
   * Anything but a plain GET answered 2xx (or what it received): through download(), its
   * redirects named, waited for and claimed as GNU's run has them.
   */
  async #downloadInGeneral(): Promise<Fetched | undefined | typeof GO_ON> {
    const walk = this.#walk;
    const how = this.#how;
    const targets = this.#targets = this.#targetRules();
    const redirectWait = targets.retimed || targets.checkAtRedirect || targets.headAtRedirect ||
        targets.lookedFor || (targets.renamed && targets.continued)
      ? (from: string, to: string) => this.#waitAtRedirect(from, to, targets)
      : how.redirectWait;
    const landingWait = walk.holdsLandings(how, this.#shared !== undefined)
      ? (from: string, to: string) => this.#waitAtLanding(from, to, redirectWait)
      : redirectWait;
    const general: DownloadOptions = {
      ...walk.downloadOptions,
      ...(landingWait ? { redirectWait: landingWait } : {}),
      headers: this.#headers,
      output: this.#sink,
      // -c: the target's file is continued (download() asks for the bytes after its size).
      ...(targets.renamed && targets.continued
        ? { resumeAfterRedirect: (to: string) => this.#resumeAfterRedirect(to, targets) }
        : {}),
      onRequestSent: this.#createEarly,
      events: {
        ...this.#events,
        response: (response) => this.#onResponse(response),
        redirect: (from, to, status) => this.#onRedirect(from, to, status, targets),
        start: (info) => this.#onStart(info),
        progress: (received) => this.#tellProgress(received),
      },
    };
    /**
     * What download() starts from: the plain GET's answer or failure, or after a target's HEAD
     * answered 500 or 501, that failure (its GET the next try, see #sendPlainGet).
     */
    let received = this.#received;
    // (Redirects followed before `from`: a HEAD's before the GET, one GNU's retrieve_url counts
    // toward --max-redirect with the GET's (server random seed 3800545: `/x/r47.html`'s HEAD
    // redirected to `/r56.html`, which the GET finds redirected to itself); see ClaimedRedirect
    // below, and a target's HEAD's.)
    for (let from = this.#requestUrl, before = this.#headRedirects; this.#result === undefined;) {
      try {
        this.#redirectsAnswered = before;
        if (received) {
          handOver(general, before > 0 ? { ...received, redirected: before } : received);
          received = undefined;
        } else if (before > 0) handOver(general, { redirected: before });
        this.#result = await download(walk.withStartCredentials(from), general);
      } catch (error) {
        if (error instanceof RedirectToHead) {
          // --content-disposition: the target's HEAD names its file and compares its copy; the
          // GET follows as the first of the target's own tries (GNU's http_loop for it), the
          // redirects so far counted toward --max-redirect (server random seed 3800160).
          const ended = await this.#checkHeadFirst(error.to, this.#redirectsAnswered);
          if (ended !== GO_ON) return ended;
          from = this.#landed = this.#requestUrl;
          before = this.#headRedirects;
          this.#path = this.#named ?? this.#planned;
          // -c: the file of the target's name continued.
          this.#sink.offset = this.#resumeFrom = this.#resumeOffset();
          if (this.#headFailed) {
            received = { error: this.#headFailed, written: 0, headFailed: true };
          }
          continue;
        }
        if (error instanceof RedirectToCopy) {
          let answered: HeadAnswer | undefined;
          const checked = await walk.headCheck(error.to, (response, landed) => {
            const redirected = response.head.headers.get("Location") !== undefined &&
              response.status >= 300 && response.status < 400;
            const type = response.head.headers.get("Content-Type");
            answered = { landed, status: redirected ? 0 : response.status, type };
            this.#typeAnswer(response);
            return error.copy;
          }, {
            log: how.log,
            referer: how.referer,
            redirectsBefore: this.#redirectsAnswered,
          });
          if (checked === undefined) {
            if (answered) {
              walk.registerFailedHead(this.#url, answered.landed, error.path, answered, how.order);
            }
            return undefined;
          }
          if (checked.current) return walk.keptAfterHead(this.#url, error.path, checked, how);
          // Newer: the GET goes to where the HEAD landed, the file fetched whole.
          from = this.#landed = checked.finalUrl;
          before = checked.redirects ?? 0;
          this.#headFailed = checked.headFailed;
          if (this.#headFailed) {
            received = { error: this.#headFailed, written: 0, headFailed: true };
          }
          this.#failedHead = this.#headFailed && answered
            ? { ...answered, name: error.path }
            : undefined;
          continue;
        }
        if (!(error instanceof ClaimedRedirect)) throw error;
        const own = error.own;
        const handed = await own.handed;
        if (handed === undefined) {
          // Its own GET saved nothing here: asked for again, as GNU's run asks for it, the
          // redirects so far counted toward --max-redirect (server random seed 1918743,
          // threaded, `--max-redirect=1`: `/d/r11.html` to `/d/e/r58.html`, whose own GET
          // was redirected to `/x/p39.html` and handed nothing; GNU says "1 redirections
          // exceeded.", netkit's fresh count followed it and saved `r11.html`).
          own.adoptedDone();
          from = error.to;
          before = this.#redirectsAnswered;
          continue;
        }
        try {
          return this.#adoptHanded(handed);
        } finally {
          own.adoptedDone();
        }
      }
    }
    return GO_ON;
  }

  /**
   * Another fetch's GET, taken at a redirect (see ClaimedRedirect): its answer, saved, is this
   * URL's file, named as this URL's (GNU saves a redirect's target under the name of the URL
   * asked for); the target is downloaded there.
   */
  #adoptHanded(handed: HandedGet): Fetched {
    const walk = this.#walk;
    const options = this.#options;
    this.#contentType = handed.result.contentType;
    this.#claimed = true;
    if (options.adjustExtension && (this.#clobber || options.noClobber)) {
      // -E: as the answer's type names this URL's file (see #onStart).
      const before = this.#path;
      this.#path = withPageExtension(before, this.#contentType);
      if (this.#path !== before) this.#extended = this.#overwrite = true;
    }
    try {
      this.#open();
      this.#file?.close();
      this.#file = undefined;
      Deno.renameSync(handed.path, this.#path);
    } catch (error) {
      try {
        Deno.removeSync(handed.path);
      } catch {
        // Gone already.
      }
      throw error instanceof DownloadFileError ? error : new DownloadFileError(this.#path, error);
    }
    const path = this.#path;
    if (this.#extended && !walk.disk.written.has(path)) walk.saved.extended.add(path);
    walk.disk.written.add(path);
    walk.temporaries.delete(handed.path);
    if (this.#temporary) walk.temporaries.add(path);
    walk.result.files++;
    walk.result.bytes += handed.result.bytes;
    const finalUrl = handed.result.finalUrl;
    walk.registerLanded(this.#url, finalUrl, path, this.#how.order);
    walk.saved.savedPage(path, handed.kind);
    this.#log.onSaved?.({ ...handed.result, url: this.#url, path });
    return { path, finalUrl, kind: handed.kind, text: handed.text };
  }

  /** The answer is in: the copy kept, the file completed or saved, and what the walk learns. */
  async #finish(): Promise<Fetched | undefined> {
    const walk = this.#walk;
    const options = this.#options;
    const how = this.#how;
    const url = this.#url;
    const log = this.#log;
    const result = this.#result;
    // The copy here stays; a page or stylesheet among them is read from it for links.
    if (this.#current) return this.#keptCurrent(result?.finalUrl ?? this.#landed);
    if (result === undefined) throw new TypeError("No response");
    if (result.skipped === "complete") {
      // -c: nothing was missing. GNU wget then reads a page for links from the file here, by
      // the type of the answer (nginx's 416 page is text/html). After a redirect the file is
      // the target's, as for a file fetched: a later link to the target finds it done.
      // (A file an earlier try of this fetch wrote is that one, under -E's name too, as GNU's
      // http_loop keeps its name across the tries: server random seed 1900351, a 503's page
      // kept by --content-on-error as `n12.html`, then whole, read from `n12`.) One held for
      // -nd's number is saved now, as without threads (server random seed 1909970, threaded:
      // a 503's page, then a 200 to its Range; netkit lost the page).
      await this.#saveHeldBody();
      const kept = this.#claimed ? this.#path : this.#planned;
      walk.registerLanded(url, result.finalUrl, kept, how.order);
      const kind = pageKind(this.#contentType);
      walk.saved.savedPage(kept, kind);
      log.onSaved?.(result);
      return { path: kept, finalUrl: result.finalUrl, kind, text: undefined };
    }
    if (this.#noContent && !this.#claimed && !this.#shared) {
      // No content: GNU wget says the file saved, with 0 bytes, and makes none (named as the
      // file would have been: -nd's free name, NAME.1 where NAME is taken).
      if (!this.#clobber) {
        // (After the files of those before it in the queue: see Walker.takeNumber.)
        if (this.#numberWaits()) await walk.takeNumber(how);
        this.#path = freeFileName(this.#path);
      }
      const path = this.#path;
      if (this.#early) {
        this.#file?.close();
        this.#file = undefined;
        try {
          Deno.removeSync(path);
        } catch {
          // Already gone.
        }
      }
      // (A file of the run's count all the same, as GNU's "Downloaded: N files".)
      walk.result.files++;
      // (And the URL redirected to it, as GNU's register_redirection: -k points its links at
      // that name too, though a 204 made no file.)
      walk.registerLanded(url, result.finalUrl, path, how.order);
      // (Named as the file would have been: after a redirect, --content-disposition's; no
      // total, as GNU's -nv line for a 204 has none.)
      log.onSaved?.({ ...result, path, total: undefined });
      // A page or stylesheet by the type of an answer before it (a HEAD's, a 503 page's: see
      // #typeAnswer), as GNU's retrieve_url registers it: read for links from the file by that
      // name, which GNU's get_urls_html says is not there when the 204 made none (random
      // server seed 3800294; a copy here from an earlier run is read).
      const kind = this.#typed;
      walk.saved.savedPage(path, kind);
      return { path, finalUrl: result.finalUrl, kind, text: kind === "other" ? "" : undefined };
    }
    this.#open();
    await this.#saveHeldBody();
    const path = this.#path;
    // -K's NAME.orig follows the first download of a file, as GNU's downloaded_file(): a page
    // saved as sp ace.html keeps sp ace.html.orig when -E names /sp%20ace/ so too.
    if (this.#extended && !walk.disk.written.has(path)) walk.saved.extended.add(path);
    walk.disk.written.add(path);
    if (this.#temporary) walk.temporaries.add(path);
    // The server's Last-Modified as the file's time, as GNU wget does unless told not to (not
    // after a HEAD answered 500 or 501: GNU's http_loop reads the time only from a first answer).
    const lastModified = this.#lastModified;
    if (
      !this.#shared && !this.#beside && (options.useServerTimestamps ?? true) &&
      lastModified !== undefined && !this.#headFailed
    ) {
      const date = new Date(this.#lastModifiedTime ?? parseHttpDate(lastModified));
      if (!Number.isNaN(date.getTime())) {
        try {
          // On the open file (futimens): no second walk of the path, as utimensat's.
          const saved = this.#file;
          if (saved) saved.utimeSync(date, date);
          else Deno.utimeSync(path, date, date);
        } catch {
          // The file is saved; its time is a nicety.
        }
      }
    }
    const keep = this.#keep;
    const done: Fetched = {
      path,
      finalUrl: result.finalUrl,
      kind: pageKind(this.#contentType),
      // (Read from the file when not kept: a continued file, or all of it here already, its
      // body skipped, under -N -c from a server that ignores Range.)
      text: keep
        ? keep.text + (keep.decoder?.decode() ?? "")
        : this.#keepDecided || this.#resumeFrom > 0
        ? undefined
        : "",
      // (A page read beside the file, its text dropped: only with a name held, which `own`
      // never is, under --content-disposition and --trust-server-names.)
      body: keep || !this.#beside ? undefined : this.#besideBody,
    };
    const own = this.#own;
    if (
      own && result.finalUrl === url && await walk.ownGetClaimed(url, own, how.releaseSlot)
    ) {
      // A fetch before it in the queue was redirected here meanwhile: the file is its, this
      // URL one downloaded through it (GNU's run asks once, through the redirect).
      own.hand({ path, result, kind: done.kind, text: done.text });
      await own.adopted;
      return DOWNLOADED_ALREADY;
    }
    walk.result.files++;
    walk.result.bytes += result.bytes;
    // (Not saved: the walk keeps the later fetch's URL there, -k's maps take both in order.)
    walk.registerLanded(url, result.finalUrl, path, how.order, !this.#beside);
    walk.saved.savedPage(path, done.kind);
    log.onSaved?.({ ...result, path });
    // (The caller's to dispose from here.)
    if (done.body) this.#besideBody = undefined;
    return done;
  }

  /**
   * -N: the answer said the copy here is current (a 200 to If-Modified-Since, closed unread):
   * kept, a page or stylesheet among them by the answer's type (`finalUrl`: where it landed).
   */
  #keptCurrent(finalUrl: string): Fetched {
    const kind = pageKind(this.#contentType);
    const how = this.#how;
    this.#walk.kept(
      this.#url,
      this.#planned,
      "not-newer",
      200,
      finalUrl,
      kind,
      this.#log,
      how.order,
    );
    return { path: this.#planned, finalUrl, kind, text: undefined };
  }

  /** The fetch failed (`error`): what its answers left is kept or registered, the failure told. */
  async #failed(error: unknown): Promise<Fetched | undefined> {
    if (this.#unneeded) return undefined;
    const walk = this.#walk;
    const options = this.#options;
    const how = this.#how;
    const url = this.#url;
    const log = this.#log;
    const shared = this.#shared;
    const landed = this.#landed;
    if (this.#heldBody) {
      // Saved as it came, as without waiting (an error page kept by --content-on-error, a body
      // cut short after the last try).
      try {
        await this.#saveHeldBody();
      } catch {
        // The fetch's own failure is the one reported.
      }
    }
    const noClobbered = this.#noClobbered;
    if (noClobbered !== undefined) {
      // -nc --trust-server-names: the redirect's target's file is here; a page among them is
      // read from it for links (by its suffix), as for a link's own file.
      const kind = hasHtmlSuffix(noClobbered) ? "html" : "other";
      walk.kept(url, noClobbered, "exists", 0, landed, kind, log, how.order);
      return { path: noClobbered, finalUrl: landed, kind, text: undefined };
    }
    // The answer said the copy here is current and was closed unread, as above.
    if (this.#current) return this.#keptCurrent(landed);
    if (this.#early && !this.#claimed) {
      // No body came for the file made early: it goes again, as if never made.
      this.#file?.close();
      this.#file = undefined;
      try {
        Deno.removeSync(this.#path);
      } catch {
        // Already gone.
      }
    }
    // A body cut short stays, as GNU leaves it: a later fetch of its name compares it (-N)
    // as any file there (server random seed 1917301: `/n12`'s two tries cut short, then a
    // redirect to it, asked for by GNU with If-Modified-Since).
    if (this.#claimed && !shared) walk.disk.leftAt(this.#path);
    if (error instanceof HttpStatusError && error.status === 304 && this.#local) {
      // GNU wget learns no Content-Type from a 304, so it reads the page for links only
      // when a stylesheet was expected, or when an answer before it (a 503 retried) was a
      // page or a stylesheet.
      walk.kept(url, this.#planned, "not-newer", 304, landed, this.#typed, log, how.order);
      return { path: this.#planned, finalUrl: landed, kind: this.#typed, text: undefined };
    }
    const failedHead = this.#failedHead;
    if (
      options.contentOnError && this.#claimed && !shared && !how.robots &&
      !(error instanceof DownloadFileError) && !options.signal?.aborted
    ) {
      // --content-on-error: the error page saved is the URL's file for -k, a page or a
      // stylesheet among the run's by its type, as GNU's retrieve_url registers it; so is a
      // body cut short after the last try (GNU's http_loop hands its file back all the same:
      // server random seed 1500392, whose page -k left unconverted).
      walk.registerLanded(url, landed, this.#path, how.order);
      const kind = pageKind(this.#contentType);
      if (options.spider || options.deleteAfter) {
        // Removed (and forgotten) as GNU's retrieve_tree removes any file handed back there
        // (server random seed 1800320: --spider's GET after a HEAD answered 500, answered 500).
        walk.remove(this.#path, true, how.order);
      } else {
        walk.saved.savedPage(this.#path, kind);
      }
    } else if (
      failedHead && error instanceof Error && !options.signal?.aborted &&
      (error.cause === this.#headFailed ||
        ((error instanceof UnexpectedEofError || error instanceof SocketError) &&
          landed === failedHead.landed))
    ) {
      // The tries ran out at a HEAD answered 500 or 501 (-t 1: GNU's GET would be the next
      // try), or at its GET, not redirected, that no answer came to ("No data received.", a
      // read or connect error: nothing saved): its name is the URL's file all the same, as
      // GNU's http_loop hands back the name the HEAD's check_file_output gave, a page by the
      // HEAD's type (no answer of the GET's set another), and its retrieve_url registers it
      // (server random seed 1919569: -k points a link to it at `d/p32.html`).
      walk.registerFailedHead(url, failedHead.landed, failedHead.name, failedHead, how.order);
    } else if (
      options.contentOnError && !shared && !how.robots &&
      (error instanceof HttpStatusError
        ? (error.status === 401 && !options.contentDisposition) ||
          REDIRECT_STATUSES.has(error.status)
        : (error instanceof UnexpectedEofError || error instanceof SocketError) &&
          !options.contentDisposition && !how.temporary && !options.spider &&
          !options.deleteAfter && !options.signal?.aborted)
    ) {
      // Nothing saved, but -k points links at the name the file would have had all the same,
      // as GNU's retrieve_url registers the name it planned (no type: not a page): a 401's
      // page, and a redirect without a Location, which GNU's check_file_output named before
      // its gethttp returned (server random seed 1900112); and, without --content-disposition,
      // a GET no answer came to at the last try ("No data received.", a read or connect
      // error), as GNU's http_loop names the file before its first try (a failed HEAD's GET
      // is the branch above's; not a NAME.tmp's, nor under --spider or --delete-after: GNU's
      // retrieve_tree removes and forgets those names at once). Under -nd that is the free
      // name, NAME.1 where NAME is here, as GNU's url_file_name plans it (seed 1910427:
      // `/i24.png`'s 401 after `/d/e/i24.png`'s file, where netkit's -k took `i24.png` from
      // the latter).
      if (!this.#clobber) {
        // (After the files of those before it in the queue: see Walker.takeNumber.)
        if (this.#numberWaits()) await walk.takeNumber(how);
        this.#path = freeFileName(this.#path);
      }
      walk.registerLanded(url, landed, this.#path, how.order);
    }
    options.signal?.throwIfAborted();
    if (how.robots) log.onFailed?.(url, error, { robots: true });
    else walk.fail(url, error, log);
    return undefined;
  }

  /** The fetch is over: its file closed, what it held let go, its own GET handed on or closed. */
  #release(): void {
    const file = this.#file;
    file?.close();
    // (A body held and never saved: refused, failed, or the run ended meanwhile; a page's bytes
    // read beside its file and not handed on.)
    this.#heldBody?.[Symbol.dispose]();
    this.#besideBody?.[Symbol.dispose]();
    this.#heldName?.written(file !== undefined);
    const own = this.#own;
    if (own) {
      // (Nothing handed over when not claimed, or when nothing was saved.)
      own.hand(undefined);
      if (this.#walk.ownGets.get(this.#url) === own) this.#walk.ownGets.delete(this.#url);
    }
  }
}
