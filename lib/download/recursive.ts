/**
 * GNU wget's recursive retrieval (`-r`, `-m`, `-p`): a breadth-first walk from each start URL
 * that saves every page under GNU wget's layout, reads HTML and CSS for links, and follows those
 * that pass GNU wget's tests in GNU wget's order (seen before, scheme, domain, no-parent,
 * accept/reject, same host, robots.txt). Every request goes through one keep-alive pool, so a
 * site is fetched over one connection.
 *
 * @module
 */

import { type AcceptRules, acceptsDirectory, acceptsFileName } from "./accept_rules.ts";
import { type DiskLayout, localPathForUrl } from "./disk_layout.ts";
import {
  createUniqueFile,
  DEFAULT_MAX_RESPONSE_HEADERS,
  download,
  DownloadFileError,
  type DownloadOptions,
  type DownloadResult,
  type DownloadSink,
} from "./download.ts";
import { extractCssLinks, extractHtmlLinksFromChunks, type PageLink } from "./links.ts";
import { parseRobotsTxt, RobotsRules } from "./robots.ts";
import { convertLinks } from "./convert_links.ts";
import {
  decodeURIComponentSafe,
  directoryOf,
  domainMatches,
  fileChunks,
  hasHtmlSuffix,
  isFile,
  isSubdirectory,
  makeParents,
  MAX_CSS_BYTES,
  readPrefix,
  removeIfLink,
  sameExceptIndex,
} from "./_recursive_helpers.ts";
import { HttpStatusError } from "../http/errors.ts";
import { HttpConnectionPool } from "../http/pool.ts";
import { parseHttpUrl } from "../http/url.ts";
import { type HttpClientOptions, type HttpResponse, sendHttpRequest } from "../http/client.ts";
import { handOver, type Received } from "./_received.ts";
import { backupPathFor, pageKind, withPageExtension } from "./page_kind.ts";
import { contentDispositionFileName } from "./file_name.ts";

/** Options of {@linkcode downloadRecursive}. */
export interface RecursiveOptions extends Omit<DownloadOptions, "output" | "resume"> {
  /**
   * GNU wget's `-r -O FILE`: every document, robots.txt included, written here one after another
   * (each still read for its links); no other file is made or removed.
   */
  output?: DownloadSink | undefined;
  /** Follow links (`-r`); without it only page requisites are fetched (`-p` alone). @default {true} */
  recursive?: boolean | undefined;
  /** How deep to follow links (`-l`); `Infinity` for no limit. @default {5} */
  maxDepth?: number | undefined;
  /** Never ascend above the start URL's directory (`-np`). */
  noParent?: boolean | undefined;
  /** Fetch what each page needs to display (`-p`), even past `maxDepth`. */
  pageRequisites?: boolean | undefined;
  /** Follow links to other hosts (`-H`). */
  spanHosts?: boolean | undefined;
  /** With `spanHosts`, only these domains (`-D`): a host matches a domain it ends with. */
  domains?: readonly string[] | undefined;
  /** Never these domains (`--exclude-domains`). */
  excludeDomains?: readonly string[] | undefined;
  /** File names to keep (`-A`) and to delete (`-R`). */
  acceptRules?: AcceptRules | undefined;
  /** How URLs map to paths under `directory`. */
  layout?: DiskLayout | undefined;
  /** Obey robots.txt and `<meta name="robots" content="nofollow">`. @default {true} */
  robots?: boolean | undefined;
  /** Fetch only what is newer than the local file, and date files as the server does (`-N`). */
  timestamping?: boolean | undefined;
  /** Only URLs in these directories (`-I`): a prefix, or a wildcard for the whole directory. */
  includeDirectories?: readonly string[] | undefined;
  /** Never URLs in these directories (`-X`). */
  excludeDirectories?: readonly string[] | undefined;
  /** Only URLs this matches (`--accept-regex`). */
  acceptRegex?: RegExp | undefined;
  /** Never URLs this matches (`--reject-regex`). */
  rejectRegex?: RegExp | undefined;
  /** Only links in these tags (`--follow-tags`). */
  followTags?: readonly string[] | undefined;
  /** Never links in these tags (`--ignore-tags`). */
  ignoreTags?: readonly string[] | undefined;
  /** Stop queueing once this many body bytes have arrived (`-Q`); 0 for no limit. */
  quotaBytes?: number | undefined;
  /** Wait this long between requests (`-w`). */
  waitMs?: number | undefined;
  /** Wait 0.5 to 1.5 times `waitMs`, at random (`--random-wait`). */
  randomWait?: boolean | undefined;
  /** With `convertLinks`, keep each converted file's original as `NAME.orig` (`-K`). */
  backupConverted?: boolean | undefined;
  /**
   * Fetch up to this many URLs at once (`--max-threads`, as in GNU Wget2), each host's waits
   * kept apart. @default {1}, one after another like GNU wget
   */
  maxThreads?: number | undefined;
  /** Remove each file once it has been read for links (`--delete-after`). */
  deleteAfter?: boolean | undefined;
  /**
   * Check that each URL exists (`--spider -r`), as GNU wget does: HEAD first, then a GET only
   * for a page or stylesheet, to read its links; nothing is kept.
   */
  spider?: boolean | undefined;
  /** Add `.html` to HTML and `.css` to CSS saved under other names (`-E`). */
  adjustExtension?: boolean | undefined;
  /** After the run, rewrite the links of saved pages for local viewing (`-k`). */
  convertLinks?: boolean | undefined;
  /** A URL was saved; for a spider's HEAD, found (`path` undefined). */
  onSaved?(result: DownloadResult): void;
  /**
   * A URL failed; the walk goes on. A failed robots.txt (`robots`) counts for nothing: the
   * server then has no rules, as for GNU wget.
   */
  onFailed?(url: string, error: unknown, info?: { robots: boolean }): void;
  /** robots.txt is about to be asked for (GNU wget: "Loading robots.txt; please ignore errors."). */
  onRobots?(url: string): void;
  /** A file was removed because `-A`/`-R` reject its name (it was fetched only for its links). */
  onRemoved?(path: string): void;
  /** A file was not fetched again: the server's copy is not newer (`-N`). */
  onNotModified?(url: string, path: string): void;
  /** The walk is over and `-k` is still to come (GNU wget prints its summary then). */
  onWalked?(result: RecursiveResult): void;
  /**
   * `-k` read the page or stylesheet at `path`: `links` of its links were rewritten, `toFiles`
   * of them to name a saved file and `toUrls` a URL (0 links: nothing to do).
   */
  onConverted?(path: string, links: number, counts: { toFiles: number; toUrls: number }): void;
}

/** What {@linkcode downloadRecursive} did. */
export interface RecursiveResult {
  /** Files saved (including those later removed by `-A`/`-R`). */
  files: number;
  /** Body bytes received. */
  bytes: number;
  /** URLs that failed, with why. */
  failures: { url: string; error: unknown }[];
  /** Files kept on disk, by URL (after redirects both URLs name the file). */
  saved: Map<string, string>;
}

/** One URL waiting in the queue. */
interface QueueItem {
  url: string;
  /** `url` parsed, when the link checks parsed it already. */
  parsed?: URL | undefined;
  depth: number;
  expectHtml: boolean;
  expectCss: boolean;
}

/** What one fetch gave. */
interface Fetched {
  path?: string;
  finalUrl: string;
  kind: "html" | "css" | "other";
  /** The body's text, kept as it streamed in when it was to be read for links (and not large). */
  text?: string | undefined;
}

/** What {@linkcode Walker.#fetch} is to do besides saving the file. */
interface FetchHow {
  /** robots.txt: asked without HEAD or `-N`, and a failure is reported but counts for nothing. */
  robots?: boolean;
  /** Keep the body's text for reading links when it is HTML (`expectHtml`) or CSS (either). */
  expectHtml?: boolean;
  expectCss?: boolean;
  /** Keep the body's text whatever its type. */
  keepText?: boolean;
  /** The URL parsed already, to name its file. */
  parsed?: URL | undefined;
  /** Saved under a name of its own (never over a file that is there) and removed once read. */
  temporary?: boolean;
}

/** The most of a body kept in memory to read its links; a larger one is read back from its file. */
const MAX_KEPT_TEXT_BYTES = 1024 * 1024;

/**
 * Downloads `urls` and what they link to, as GNU wget's `-r`, `-m` and `-p` do.
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
 * const result = await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
 *   directory,
 *   layout: { hostDirectories: false },
 * });
 * assert.deepEqual([...result.saved.values()].map((p) => p.slice(directory.length + 1)).sort(), [
 *   "a.html", "img/p.png", "index.html",
 * ]);
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
    for (const url of urls) {
      if (walker.quotaExceeded) break;
      await walker.walk(url);
    }
    options.onWalked?.(walker.result);
    if (options.convertLinks) walker.convert();
    return walker.result;
  } finally {
    await ownPool?.close();
  }
}

/** The state of a run: robots rules and downloaded files are shared by every start URL. */
class Walker {
  readonly result: RecursiveResult = { files: 0, bytes: 0, failures: [], saved: new Map() };
  readonly #options: RecursiveOptions;
  /** The options each file's download() starts from (see the constructor). */
  readonly #downloadOptions: DownloadOptions;
  readonly #robots = new Map<string, Promise<RobotsRules>>();
  /** The same rules once fetched, so a link is decided without waiting. */
  readonly #robotsReady = new Map<string, RobotsRules>();
  /** GNU wget's dl_url_file_map: URL -> file (redirects map both URLs). Also `result.saved`. */
  readonly #urlToFile: Map<string, string> = this.result.saved;
  /** GNU wget's dl_file_url_map: file -> the URL it was last downloaded from. */
  readonly #fileToUrl = new Map<string, string>();
  /** Files served as HTML and as CSS, for reuse and for -k. */
  readonly #htmlFiles = new Set<string>();
  readonly #cssFiles = new Set<string>();
  readonly #maxDepth: number;
  /**
   * The client's options for a file's GET sent by the walker itself (see `#fetchUnlocked`), the
   * same for every file; undefined when the run's options need download()'s general path.
   */
  readonly #plainClient: HttpClientOptions | undefined;
  /** The run's headers name an Accept-Encoding (download() then adds none). */
  readonly #plainHasEncoding: boolean;
  /** The layout, one object for the whole run (localPathForUrl remembers directories by it). */
  readonly #layout: DiskLayout;

  constructor(options: RecursiveOptions) {
    this.#options = options;
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
      maxThreads: _maxThreads,
      deleteAfter: _deleteAfter,
      spider: _spider,
      output: _output,
      adjustExtension: _adjustExtension,
      convertLinks: _convertLinks,
      onSaved: _onSaved,
      onFailed: _onFailed,
      onRemoved: _onRemoved,
      onNotModified: _onNotModified,
      onWalked: _onWalked,
      onRobots: _onRobots,
      onConverted: _onConverted,
      ...forDownload
    } = options;
    this.#downloadOptions = forDownload;
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
    this.#plainClient = general ? undefined : {
      ...forClient,
      maxHeaderCount: forDownload.maxHeaderCount ?? DEFAULT_MAX_RESPONSE_HEADERS,
      method: "GET",
      body: undefined,
      tunnel: forDownload.tunnel,
    };
    this.#plainHasEncoding = (options.headers ?? []).some(([name]) =>
      /^accept-encoding$/i.test(name)
    );
    this.#layout = options.layout ?? {};
    const recursive = options.recursive ?? true;
    const depth = options.maxDepth ?? 5;
    this.#maxDepth = !recursive ? 0 : depth === 0 ? Infinity : depth;
  }

  /** GNU wget's `retrieve_tree` for one start URL. */
  async walk(startText: string): Promise<void> {
    const options = this.#options;
    let start: URL;
    try {
      start = new URL(parseHttpUrl(startText).href);
    } catch (error) {
      this.#fail(startText, error);
      return;
    }
    const seen = new Set<string>([start.href]);
    const queue: QueueItem[] = [
      { url: start.href, parsed: start, depth: 0, expectHtml: true, expectCss: false },
    ];
    const threads = Math.max(1, options.maxThreads ?? 1);
    const running = new Set<Promise<void>>();
    try {
      await this.#run(queue, running, threads, start, seen);
    } finally {
      // An abort ends the loop early: let the other tasks settle before the walk returns.
      await Promise.allSettled(running);
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
    const options = this.#options;
    let head = 0;
    while (head < queue.length || running.size > 0) {
      while (head < queue.length && running.size < threads) {
        options.signal?.throwIfAborted();
        if (this.quotaExceeded) {
          head = queue.length;
          break;
        }
        const item = queue[head]!;
        queue[head++] = undefined as unknown as QueueItem;
        const task: Promise<void> = this.#visit(item, start, seen, queue).finally(() =>
          running.delete(task)
        );
        running.add(task);
      }
      if (running.size > 0) await Promise.race(running);
    }
  }

  /** One queued URL: fetched (or found already saved), read for links, rejected files removed. */
  async #visit(item: QueueItem, start: URL, seen: Set<string>, queue: QueueItem[]): Promise<void> {
    const options = this.#options;
    let descend = false;
    let kind: Fetched["kind"] = "other";
    let pageUrl = item.url;
    let text: string | undefined;
    let path = this.#urlToFile.get(item.url);
    if (path !== undefined) {
      // Already downloaded (a redirect's target, or an index.html twin): read it again.
      if (item.expectCss && this.#cssFiles.has(path)) {
        descend = true;
        kind = "css";
      } else if (item.expectHtml && this.#htmlFiles.has(path)) {
        descend = true;
        kind = "html";
      }
    } else {
      const fetched = await this.#fetch(item.url, item);
      if (fetched === undefined) return;
      path = fetched.path;
      text = fetched.text;
      if (fetched.kind === "html" && item.expectHtml) {
        descend = true;
        kind = "html";
      }
      if (fetched.kind === "css" || item.expectCss) {
        descend = true;
        kind = "css";
      }
      if (fetched.finalUrl !== item.url) {
        if (descend) {
          const decision = await this.#mayFollow(
            { url: fetched.finalUrl, inline: false },
            item.parsed ?? new URL(item.url),
            item.depth,
            start,
            seen,
          );
          if (decision === undefined) descend = false;
        }
        pageUrl = fetched.finalUrl;
      }
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
    if (descend && path !== undefined) {
      const links = this.#linksOf(path, pageUrl, kind, text);
      const parent = pageUrl === item.url && item.parsed ? item.parsed : new URL(pageUrl);
      for (const link of links) {
        if (link.ignore || (leafRequisites && !link.inline)) continue;
        // Decided at once unless robots.txt is still to be fetched.
        let decision = this.#mayFollow(link, parent, item.depth, start, seen);
        if (decision instanceof Promise) decision = await decision;
        // Checked again after a wait: another task may have queued it meanwhile.
        if (decision !== undefined && !seen.has(link.url)) {
          queue.push({
            url: link.url,
            parsed: decision,
            depth: item.depth + 1,
            expectHtml: link.expectHtml,
            expectCss: link.expectCss,
          });
          seen.add(link.url);
        }
      }
    }
    if (
      path !== undefined && !options.output &&
      (this.#temporaries.has(path) ||
        (options.acceptRules && !acceptsFileName(path, options.acceptRules)))
    ) {
      if (this.#remove(path)) options.onRemoved?.(path);
    }
  }

  /**
   * The links of a saved page, from its text kept while it arrived or else read back from its
   * file; none when it cannot be read or says nofollow.
   */
  #linksOf(
    path: string,
    url: string,
    kind: Fetched["kind"],
    text: string | undefined,
  ): PageLink[] {
    try {
      if (kind === "css") {
        // Stylesheets are read whole, up to a bound; pages a chunk at a time, whatever their size.
        return extractCssLinks(text ?? readPrefix(path, MAX_CSS_BYTES), url);
      }
      const chunks = text === undefined ? fileChunks(path) : [text];
      const { links, nofollow } = extractHtmlLinksFromChunks(chunks, url, {
        followTags: this.#options.followTags,
        ignoreTags: this.#options.ignoreTags,
      });
      return nofollow && (this.#options.robots ?? true) ? [] : links;
    } catch {
      return [];
    }
  }

  /**
   * GNU wget's `download_child`: whether a link is to be queued, as its parsed URL (undefined
   * when not); a promise only while the server's robots.txt is still to be fetched.
   */
  #mayFollow(
    link: { url: string; inline: boolean },
    parent: URL,
    depth: number,
    start: URL,
    seen: Set<string>,
  ): URL | undefined | Promise<URL | undefined> {
    const options = this.#options;
    if (seen.has(link.url)) return undefined;
    // Only http and https are followed: anything else (mailto:, javascript:) is not parsed.
    if (!link.url.startsWith("http://") && !link.url.startsWith("https://")) return undefined;
    let url: URL;
    try {
      url = new URL(link.url);
    } catch {
      return undefined;
    }
    if (!this.#passesBeforeRobots(url, link, parent, depth, start)) return undefined;
    if (!(options.robots ?? true)) return url;
    const key = `${url.protocol}//${url.host}`;
    const path = url.pathname + url.search;
    const ready = this.#robotsReady.get(key);
    if (ready) return this.#robotsAllow(ready, path, link.url, seen) ? url : undefined;
    return this.#robotsFor(url).then((rules) =>
      this.#robotsAllow(rules, path, link.url, seen) ? url : undefined
    );
  }

  /** robots.txt's answer for `path`; a refused URL counts as seen, so it is not asked again. */
  #robotsAllow(rules: RobotsRules, path: string, url: string, seen: Set<string>): boolean {
    if (rules.allows(path)) return true;
    seen.add(url);
    return false;
  }

  /** `download_child`'s tests before robots.txt, in its order: false as soon as one refuses. */
  #passesBeforeRobots(
    url: URL,
    link: { inline: boolean },
    parent: URL,
    depth: number,
    start: URL,
  ): boolean {
    const options = this.#options;
    const host = url.hostname;
    if (options.domains?.length && !domainMatches(host, options.domains)) return false;
    if (options.excludeDomains?.length && domainMatches(host, options.excludeDomains)) {
      return false;
    }
    if (
      options.noParent && host === start.hostname &&
      (url.protocol !== start.protocol || url.port === start.port) &&
      !(options.pageRequisites && link.inline) &&
      !isSubdirectory(directoryOf(start), directoryOf(url))
    ) {
      return false;
    }
    if (
      (options.includeDirectories?.length || options.excludeDirectories?.length) &&
      !acceptsDirectory(directoryOf(url), {
        include: options.includeDirectories,
        exclude: options.excludeDirectories,
        ignoreCase: options.acceptRules?.ignoreCase,
      })
    ) {
      return false;
    }
    if (options.acceptRegex && !options.acceptRegex.test(url.href)) return false;
    if (options.rejectRegex?.test(url.href)) return false;
    const file = decodeURIComponentSafe(url.pathname.slice(url.pathname.lastIndexOf("/") + 1));
    if (
      file !== "" && options.acceptRules &&
      !(hasHtmlSuffix(file) &&
        (this.#maxDepth === Infinity || depth < this.#maxDepth - 1 || options.pageRequisites)) &&
      !acceptsFileName(file, options.acceptRules)
    ) {
      return false;
    }
    return options.spanHosts || host === parent.hostname;
  }

  /** The robots.txt rules of `url`'s server, fetched (and saved, as GNU wget does) once. */
  #robotsFor(url: URL): Promise<RobotsRules> {
    const key = `${url.protocol}//${url.host}`;
    let rules = this.#robots.get(key);
    if (!rules) {
      // One fetch per server, however many tasks ask at once.
      rules = this.#fetchRobots(key);
      this.#robots.set(key, rules);
      rules.then((ready) => this.#robotsReady.set(key, ready));
    }
    return rules;
  }

  async #fetchRobots(origin: string): Promise<RobotsRules> {
    let rules = new RobotsRules();
    this.#options.onRobots?.(`${origin}/robots.txt`);
    const fetched = await this.#fetch(`${origin}/robots.txt`, { robots: true, keepText: true });
    if (fetched?.path) {
      try {
        rules = parseRobotsTxt(
          fetched.text ?? new TextDecoder().decode(Deno.readFileSync(fetched.path)),
        );
      } catch {
        // Unreadable: no rules.
      }
      // GNU wget keeps robots.txt only when -A/-R would keep it.
      const accept = this.#options.acceptRules;
      if (
        !this.#options.output &&
        (this.#temporaries.has(fetched.path) || (accept && !acceptsFileName(fetched.path, accept)))
      ) {
        this.#remove(fetched.path);
      }
    }
    return rules;
  }

  /**
   * Fetches `url` into its file; undefined (and reported) on failure. A spider asks with HEAD
   * first and fetches only a page or a stylesheet, whose links it reads.
   */
  async #fetch(url: string, how: FetchHow = {}): Promise<Fetched | undefined> {
    await this.#politeWait(url);
    if (this.#options.spider && !how.robots) {
      const head = await this.#head(url);
      if (head === undefined || head.kind === "other") return head;
    }
    // Two tasks never write one file at once (/d/ and /d/index.html, say): the second waits.
    const named = this.#plannedPath(how.parsed ?? url);
    // A file only read for its links and then removed (--delete-after, --spider, or a name
    // -A/-R rejects) goes to NAME.tmp, as with GNU wget: a file of the user's at NAME is
    // never overwritten, then removed.
    const temporary = this.#options.output === undefined &&
      (this.#options.deleteAfter || this.#options.spider ||
        (this.#options.acceptRules !== undefined &&
          !acceptsFileName(named, this.#options.acceptRules)));
    const planned = temporary ? `${named}.tmp` : named;
    while (this.#busy.has(planned)) await this.#busy.get(planned);
    const done = this.#fetchUnlocked(url, planned, temporary ? { ...how, temporary } : how);
    const settled = done.then(() => {}, () => {});
    this.#busy.set(planned, settled);
    try {
      return await done;
    } finally {
      if (this.#busy.get(planned) === settled) this.#busy.delete(planned);
    }
  }

  /** A spider's HEAD request for `url`: what it is, or undefined (and reported) on failure. */
  async #head(url: string): Promise<Fetched | undefined> {
    const options = this.#options;
    const events = options.events ?? {};
    let contentType: string | undefined;
    try {
      const result = await download(url, {
        ...this.#downloadOptions,
        spider: true,
        events: {
          ...events,
          response(response) {
            contentType = response.head.headers.get("Content-Type");
            events.response?.(response);
          },
        },
      });
      options.onSaved?.(result);
      return { finalUrl: result.finalUrl, kind: pageKind(contentType) };
    } catch (error) {
      options.signal?.throwIfAborted();
      this.#fail(url, error);
      return undefined;
    }
  }

  /** Files fetched only to be read and removed (NAME.tmp). */
  readonly #temporaries = new Set<string>();

  /** Where `url` is saved before -E or a unique suffix changes the name. */
  #plannedPath(url: string | URL): string {
    const directory = this.#options.directory ?? ".";
    const relative = localPathForUrl(url, this.#layout);
    return directory === "." ? relative : `${directory.replace(/\/+$/, "")}/${relative}`;
  }

  /**
   * `--wait`: between any two requests with one thread, as GNU wget; between two requests to
   * the same host with several, so each server still sees one request per wait.
   */
  async #politeWait(url: string): Promise<void> {
    const options = this.#options;
    if (!options.waitMs) return;
    const key = (options.maxThreads ?? 1) > 1 ? new URL(url).host : "";
    const now = performance.now();
    const previous = this.#nextRequest.get(key);
    const waitMs = options.waitMs * (options.randomWait ? 0.5 + Math.random() : 1);
    const at = previous === undefined ? now : Math.max(now, previous);
    this.#nextRequest.set(key, at + waitMs);
    if (at > now) {
      await (options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms))))(at - now);
    }
  }

  async #fetchUnlocked(
    url: string,
    planned: string,
    how: FetchHow,
  ): Promise<Fetched | undefined> {
    const options = this.#options;
    const directory = options.directory ?? ".";
    const layout = options.layout ?? {};
    // -O: one file for every document (GNU wget's -r -O).
    const shared = options.output;
    const clobber = !how.temporary && ((layout.directories ?? true) || options.timestamping);
    // -nc: a file already there is not fetched again; a page among them is read from disk for
    // its links, as GNU wget does (by its .html or .htm suffix).
    if (
      !shared && !how.temporary && options.noClobber && this.#mayExist(planned) && isFile(planned)
    ) {
      const done: Fetched = {
        path: planned,
        finalUrl: url,
        kind: hasHtmlSuffix(planned) ? "html" : "other",
      };
      this.#registerDownload(url, planned);
      if (done.kind === "html") this.#htmlFiles.add(planned);
      options.onNotModified?.(url, planned);
      return done;
    }
    let contentType: string | undefined;
    let lastModified: string | undefined;
    let file: Deno.FsFile | undefined;
    let path = planned;
    const headers = [...(options.headers ?? [])];
    let localMtime: Date | undefined;
    /** -E added `.html` or `.css` to the file's name. */
    let extended = false;
    if (
      !shared && !how.temporary && !how.robots && options.timestamping && this.#mayExist(planned)
    ) {
      try {
        const info = Deno.statSync(planned);
        if (info.isFile && info.mtime) {
          localMtime = info.mtime;
          headers.push(["If-Modified-Since", info.mtime.toUTCString()]);
        }
      } catch {
        // No local copy: a plain GET.
      }
    }
    if (shared) path = shared.name;
    const open = () => {
      if (file || shared) return;
      try {
        this.#makeParents(path, directory);
        if (clobber) {
          if (this.#mayExist(path)) removeIfLink(path);
          file = Deno.openSync(path, { write: true, create: true, truncate: true });
        } else {
          // -E: the extension after the free name, as GNU wget (index.html.1.html).
          const unique = createUniqueFile(path, {
            adjustExtensionFor: options.adjustExtension ? contentType : undefined,
          });
          file = unique.file;
          if (unique.extensionAdded) extended = true;
          path = unique.path;
        }
      } catch (error) {
        throw new DownloadFileError(path, error);
      }
    };
    // The file is made with synchronous calls: an asynchronous open or utime goes through
    // Deno's blocking thread pool, and handing each task over cost the main thread more (futex
    // waits) than the system call itself (~22 % of a -m run's wall time on 1,208 files).
    // A name that cannot exist yet (in a directory this run made, not written by it) is created
    // while the request is on the wire, so that the kernel's work on a new file (~0.2 ms, a
    // third of the main thread's time) overlaps the server's; if no body comes (an error, a
    // redirect loop), the empty file is removed again. Other files are made when the body starts.
    let early = false;
    let claimed = false;
    const createEarly = !shared && clobber && !options.adjustExtension &&
        !options.contentDisposition &&
        this.#isNewName(planned)
      ? () => {
        if (file) return;
        try {
          file = Deno.openSync(path, { write: true, create: true, truncate: true });
          early = true;
        } catch {
          // Made (and its error reported) when the body starts, as for any other file.
        }
      }
      : undefined;
    // The text of a page to be read for links is kept as it streams in (decoded chunk by
    // chunk), so it need not be read back from its file: undefined once it grows too large.
    let keep: { decoder: TextDecoder; text: string; bytes: number } | undefined;
    let keepDecided = false;
    const sink: DownloadSink = {
      name: planned,
      writer: {
        write(p) {
          claimed = true;
          open();
          if (!keepDecided) {
            keepDecided = true;
            const kind = pageKind(contentType);
            if (
              how.keepText || how.expectCss || kind === "css" || (kind === "html" && how.expectHtml)
            ) {
              keep = { decoder: new TextDecoder(), text: "", bytes: 0 };
            }
          }
          if (shared) return shared.writer.write(p).then((n) => keepText(p, n));
          let n: number;
          try {
            n = file!.writeSync(p);
          } catch (error) {
            return Promise.reject(new DownloadFileError(path, error));
          }
          return Promise.resolve(keepText(p, n));
        },
      },
    };
    /** The first `n` bytes of `p` were written: kept as text too while the page is read for links. */
    const keepText = (p: Uint8Array, n: number) => {
      if (keep) {
        keep.bytes += n;
        if (keep.bytes > MAX_KEPT_TEXT_BYTES) keep = undefined;
        else keep.text += keep.decoder.decode(p.subarray(0, n), { stream: true });
      }
      return n;
    };
    const events = options.events ?? {};
    // The URL the body comes from, after redirects (for --content-disposition's names).
    let landed = url;
    const plannedPath = (target: string) => this.#plannedPath(target);
    try {
      // The common case (a plain GET answered 2xx) is sent and saved here, without download()'s
      // general path; anything else that comes back is handed over to download(), which carries
      // on from it as if it had sent the request itself.
      let result: DownloadResult | undefined;
      let received: Received | undefined;
      const plain = this.#plainClient;
      const target = plain && !shared ? parseHttpUrl(url) : undefined;
      if (
        plain && target && target.username === "" && target.password === "" &&
        !this.#downloadOptions.basicAuthOrigins?.size
      ) {
        const sent: Array<readonly [string, string]> = [...headers];
        if (!this.#plainHasEncoding) sent.push(["Accept-Encoding", "identity"]);
        const cookie = this.#downloadOptions.cookies?.cookieHeader(target);
        if (cookie !== undefined) sent.push(["Cookie", cookie]);
        events.request?.(target, "GET");
        const pool = plain.pool!;
        const reusedBefore = pool.stats.reused;
        let response: HttpResponse | undefined;
        try {
          response = await sendHttpRequest(target, {
            ...plain,
            headers: sent,
            onRequestSent: createEarly,
          });
        } catch (error) {
          received = { error, written: 0 };
        }
        if (response) {
          const reused = pool.stats.reused > reusedBefore;
          events.connected?.({ host: target.host, port: target.port, reused });
          const status = response.status;
          if (status < 200 || status >= 300 || status === 206) {
            received = { response };
          } else {
            let written = 0;
            try {
              contentType = response.head.headers.get("Content-Type");
              lastModified = response.head.headers.get("Last-Modified");
              events.response?.(response);
              for (const value of response.head.headers.getAll("Set-Cookie")) {
                this.#downloadOptions.cookies?.setCookie(target, value);
              }
              claimed = true;
              open();
              sink.name = path;
              events.start?.({ path, offset: 0, total: response.contentLength });
              const bytes = await response.copyBodyTo(sink.writer, (n) => {
                written = n;
                events.progress?.(n);
              });
              const time = Date.parse(lastModified ?? "");
              result = {
                url: target.href,
                finalUrl: target.href,
                path: sink.name,
                bytes,
                size: bytes,
                status,
                contentType,
                lastModified: Number.isNaN(time) ? undefined : new Date(time),
              };
            } catch (error) {
              received = { error, written };
            } finally {
              // (A body read, whole or not, leaves nothing to discard: no await for nothing.)
              if (!response.bodyUsed) await response.discardBody();
              response.close();
            }
          }
        }
      }
      if (result === undefined) {
        const general: DownloadOptions = {
          ...this.#downloadOptions,
          headers,
          output: sink,
          onRequestSent: createEarly,
          events: {
            ...events,
            response(response) {
              contentType = response.head.headers.get("Content-Type");
              lastModified = response.head.headers.get("Last-Modified");
              // --content-disposition: the header's name, in the URL's directory, as GNU wget.
              const disposition = options.contentDisposition && response.ok && file === undefined &&
                  !shared
                ? response.head.headers.get("Content-Disposition")
                : undefined;
              const name = disposition && contentDispositionFileName(disposition);
              const suffix = how.temporary ? ".tmp" : "";
              if (name) {
                const named = planned.slice(0, planned.length - suffix.length);
                path = named.slice(0, named.lastIndexOf("/") + 1) + name + suffix;
              } else if (
                options.contentDisposition && response.ok && file === undefined && landed !== url &&
                !shared
              ) {
                // Without the header GNU wget then names the file after the URL it came from.
                path = plannedPath(landed) + suffix;
              }
              events.response?.(response);
            },
            redirect(from, to, status) {
              landed = to;
              events.redirect?.(from, to, status);
            },
            start(info) {
              claimed = true;
              if (options.adjustExtension && file === undefined && clobber && !shared) {
                const before = path;
                path = withPageExtension(path, contentType);
                if (path !== before) extended = true;
              }
              open();
              sink.name = path;
              events.start?.({ ...info, path });
            },
          },
        };
        if (received) handOver(general, received);
        result = await download(url, general);
      }
      open();
      this.#written.add(path);
      if (how.temporary) this.#temporaries.add(path);
      if (extended) this.#extended.add(path);
      // The server's Last-Modified as the file's time, as GNU wget does unless told not to.
      if (!shared && (options.useServerTimestamps ?? true) && lastModified !== undefined) {
        const date = new Date(lastModified);
        if (!Number.isNaN(date.getTime())) {
          try {
            // On the open file (futimens): no second walk of the path, as utimensat's.
            const saved = file as Deno.FsFile | undefined;
            if (saved) saved.utimeSync(date, date);
            else Deno.utimeSync(path, date, date);
          } catch {
            // The file is saved; its time is a nicety.
          }
        }
      }
      const done: Fetched = {
        path,
        finalUrl: result.finalUrl,
        kind: pageKind(contentType),
        text: keep ? keep.text + keep.decoder.decode() : keepDecided ? undefined : "",
      };
      this.result.files++;
      this.result.bytes += result.bytes;
      this.#registerDownload(result.finalUrl, path);
      if (result.finalUrl !== url && !this.#urlToFile.has(url)) this.#urlToFile.set(url, path);
      if (done.kind === "html") this.#htmlFiles.add(path);
      if (done.kind === "css") this.#cssFiles.add(path);
      options.onSaved?.({ ...result, path });
      return done;
    } catch (error) {
      if (early && !claimed) {
        // No body came for the file made early: it goes again, as if never made.
        (file as Deno.FsFile | undefined)?.close();
        file = undefined;
        try {
          Deno.removeSync(path);
        } catch {
          // Already gone.
        }
      }
      if (error instanceof HttpStatusError && error.status === 304 && localMtime) {
        // GNU wget learns no Content-Type from a 304, so it reads the page for links only
        // when a stylesheet was expected.
        const done: Fetched = { path: planned, finalUrl: url, kind: "other" };
        this.#registerDownload(url, planned);
        options.onNotModified?.(url, planned);
        return done;
      }
      options.signal?.throwIfAborted();
      if (how.robots) options.onFailed?.(url, error, { robots: true });
      else this.#fail(url, error);
      return undefined;
    } finally {
      (file as Deno.FsFile | undefined)?.close();
    }
  }

  /** When the next request may start, by host (`""` for all, with one thread). */
  readonly #nextRequest = new Map<string, number>();
  /** Files being fetched, and when each is done. */
  readonly #busy = new Map<string, Promise<void>>();
  /** Files whose name `-E` extended, for the name of `-K`'s backup. */
  readonly #extended = new Set<string>();

  /** Whether `-Q`'s quota is used up. */
  get quotaExceeded(): boolean {
    const quota = this.#options.quotaBytes ?? 0;
    return quota > 0 && this.result.bytes > quota;
  }

  /** Directories known to exist, and those this run created (so hold only its own files). */
  readonly #directories = new Set<string>();
  readonly #freshDirectories = new Set<string>();
  /** Files this run wrote. */
  readonly #written = new Set<string>();

  /**
   * Whether `path` may exist already: not when its directory is one this run created and it
   * has not written the file, which spares a failing system call per file.
   */
  #mayExist(path: string): boolean {
    const slash = path.lastIndexOf("/");
    const parent = slash < 0 ? "." : path.slice(0, slash);
    return !this.#freshDirectories.has(parent) || this.#written.has(path);
  }

  /**
   * Whether nothing can be at `path`: its directory is one this run made (so exists) and the run
   * has not written the name. Creating it then has no effect but the new, empty file.
   */
  #isNewName(path: string): boolean {
    const slash = path.lastIndexOf("/");
    return slash > 0 && this.#freshDirectories.has(path.slice(0, slash)) &&
      !this.#written.has(path);
  }

  /** Creates the directories above `path`, remembering what it made. */
  #makeParents(path: string, root: string): void {
    const slash = path.lastIndexOf("/");
    if (slash <= 0) return;
    const parent = path.slice(0, slash);
    if (this.#directories.has(parent)) return;
    if (!this.#makeDirectory(parent)) makeParents(path, root);
    this.#directories.add(parent);
  }

  /** mkdir of `directory` and, first, of its missing parents; false when a file is in the way. */
  #makeDirectory(directory: string): boolean {
    if (this.#directories.has(directory)) return true;
    try {
      Deno.mkdirSync(directory);
      this.#freshDirectories.add(directory);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        const slash = directory.lastIndexOf("/");
        if (slash <= 0 || !this.#makeDirectory(directory.slice(0, slash))) return false;
        return this.#makeDirectory(directory);
      }
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      if (!Deno.statSync(directory).isDirectory) return false;
    }
    this.#directories.add(directory);
    return true;
  }

  #fail(url: string, error: unknown): void {
    this.result.failures.push({ url, error });
    this.#options.onFailed?.(url, error);
  }

  #remove(path: string): boolean {
    try {
      Deno.removeSync(path);
    } catch {
      return false;
    }
    if (this.#fileToUrl.delete(path)) this.#dissociate(path);
    return true;
  }

  /**
   * GNU wget's `register_download`: `url` is now in `file`; another URL that was in the same
   * file loses it, unless the two differ only by a final `index.html`.
   */
  #registerDownload(url: string, file: string): void {
    const old = this.#fileToUrl.get(file);
    if (old === url) return;
    if (old !== undefined) {
      if (sameExceptIndex(url, old) && !this.#urlToFile.has(url)) {
        this.#urlToFile.set(url, file);
        return;
      }
      this.#fileToUrl.delete(file);
      this.#dissociate(file);
    }
    this.#fileToUrl.set(file, url);
    this.#urlToFile.set(url, file);
  }

  #dissociate(file: string): void {
    for (const [url, saved] of this.#urlToFile) {
      if (saved === file) this.#urlToFile.delete(url);
    }
  }

  /** `-k`: rewrites the links of every page still on disk, now that the whole run is known. */
  convert(): void {
    for (const [files, kind] of [[this.#htmlFiles, "html"], [this.#cssFiles, "css"]] as const) {
      for (const path of files) {
        const url = this.#fileToUrl.get(path);
        if (url === undefined) continue;
        let counts = { toFiles: 0, toUrls: 0 };
        try {
          const links = convertLinks(path, url, kind, this.#urlToFile, {
            adjustExtension: this.#options.adjustExtension ?? false,
            backupPath: this.#options.backupConverted
              ? backupPathFor(path, this.#extended.has(path))
              : undefined,
            onConverted: (done) => void (counts = done),
          });
          this.#options.onConverted?.(path, links, counts);
        } catch (error) {
          this.#fail(url, new DownloadFileError(path, error));
        }
      }
    }
  }
}
