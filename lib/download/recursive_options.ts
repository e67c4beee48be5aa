/**
 * The options and result of {@linkcode downloadRecursive} (`recursive.ts`): what to follow, where
 * to save, what to tell, and what the run did.
 *
 * @module
 */

import type { AcceptRules } from "./accept_rules.ts";
import type { DiskLayout } from "./disk_layout.ts";
import type { DownloadOptions, DownloadResult, DownloadSink } from "./download.ts";

/**
 * Why a link was not followed, in GNU wget's words (its `--rejected-log`): seen already
 * (`BLACKLIST`), not https with `--https-only`, not http(s), not relative with `-L`, `-D` and
 * `--exclude-domains`, `-np`, `-I`/`-X`, the regexes, `-A`/`-R`, another host without `-H`,
 * robots.txt.
 */
export type RejectReason =
  | "BLACKLIST"
  | "NOTHTTPS"
  | "NONHTTP"
  | "ABSOLUTE"
  | "DOMAIN"
  | "PARENT"
  | "LIST"
  | "REGEX"
  | "RULES"
  | "SPANNEDHOST"
  | "ROBOTS";

/** A link {@linkcode downloadRecursive} did not follow, as `onRejected` tells it. */
export interface RejectedLink {
  /** Why it was not followed, in GNU wget's words (see {@linkcode RejectReason}). */
  reason: RejectReason;
  /** The link's URL, without its fragment. */
  url: string;
  /** The link's fragment, without `#` (`""` when none). */
  fragment: string;
  /** The page the link was found on. */
  parent: string;
}

/** Options of {@linkcode downloadRecursive}. */
export interface RecursiveOptions extends Omit<DownloadOptions, "output" | "resume"> {
  /**
   * Called with each start URL before it is parsed: what it throws fails that URL (a command's
   * own refusal, GNU wget's url_parse for `wget -r`).
   */
  checkStart?: ((url: string) => void) | undefined;
  /**
   * `-c`: a file already here is continued from its size (`Range`), as GNU wget's `-r -c` does
   * after an interrupted run; a 416 (or a whole body no longer than the file) leaves it as it
   * is, and a page among them is read from it for links when the answer's type says HTML.
   */
  resume?: boolean | undefined;
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
  /** `--https-only`: follow only `https:` links, as GNU wget. */
  httpsOnly?: boolean | undefined;
  /** `-L` (`--relative`): follow only relative links (no scheme, no leading `/`), as GNU wget. */
  relativeOnly?: boolean | undefined;
  /**
   * A link was not followed (GNU wget's `--rejected-log`): why, the URL (without its fragment,
   * the link's `fragment` apart), and the page it was found on. Links GNU wget cannot parse
   * (`mailto:`, `javascript:`) are never told.
   */
  onRejected?(rejected: RejectedLink): void;
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
   * Files this run saved before the walk (`wget -r -i URL`'s list, fetched first): each URL is
   * one downloaded already (a link to it reads its file), and `convertLinks` converts a page or
   * stylesheet among them, as GNU wget registers every file it saves.
   */
  downloaded?: readonly { url: string; path: string; kind: "html" | "css" | "other" }[] | undefined;
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
  /** With `convertLinks`: only the last part of a link to a saved file (`--convert-file-only`). */
  convertFileOnly?: boolean | undefined;
  /**
   * A URL was saved; for a spider's HEAD, found (`path` undefined); or kept as it is here
   * (`skipped`: `-nc`'s `exists`, `-N`'s `not-newer` and `head-not-newer`, `-c`'s `complete`).
   */
  onSaved?(result: DownloadResult): void;
  /**
   * A URL failed; the walk goes on. A failed robots.txt (`robots`) counts for nothing: the
   * server then has no rules, as for GNU wget.
   */
  onFailed?(url: string, error: unknown, info?: { robots: boolean }): void;
  /** robots.txt is about to be asked for (GNU wget: "Loading robots.txt; please ignore errors."). */
  onRobots?(url: string): void;
  /**
   * robots.txt was answered but left no file to read (`startPos`'s 416, "already fully
   * retrieved"): GNU wget's "Cannot open PATH: REASON". The server has no rules, and is asked for
   * robots.txt again at its next link, as GNU's (it registers no rules for it). `removing`: the
   * file was not to be kept (`--spider`, `--delete-after`, a name -A/-R rejects), and GNU's
   * unlink of it fails as well ("unlink: REASON").
   */
  onRobotsUnread?(path: string, error: unknown, removing: boolean): void;
  /**
   * A page or stylesheet to be read for links left no file to read (`startPos`'s 416, "already
   * fully retrieved", with no file here): GNU wget's `PATH: REASON` (its get_urls_html).
   */
  onPageUnread?(path: string, error: unknown): void;
  /**
   * The page saved at `path` says `<meta name="robots" content="nofollow">` and robots are obeyed:
   * none of its links is followed (GNU wget: "nofollow attribute found in PATH. Will not follow
   * any links on this page").
   */
  onNofollow?(path: string): void;
  /**
   * A file was removed: fetched only for its links (`-A`/`-R` reject its name, `--spider`,
   * `--delete-after`), or robots.txt (`robots`) read and not to be kept.
   */
  onRemoved?(path: string, info?: { robots: boolean }): void;
  /** A file was not fetched again: the server's copy is not newer (`-N`). */
  onNotModified?(url: string, path: string): void;
  /** The walk is over and `-k` is still to come (GNU wget prints its summary then). */
  onWalked?(result: RecursiveResult): void;
  /**
   * `-k` read the page or stylesheet at `path`: `links` of its links were rewritten, `toFiles`
   * of them to name a saved file and `toUrls` a URL (0 links: nothing to do). `unreadable` is
   * why the file could not be read (it is gone, or a directory took its name): GNU wget says so,
   * counts the file as one with nothing to do, and the run's exit status stays as it was.
   */
  onConverted?(
    path: string,
    links: number,
    counts: { toFiles: number; toUrls: number },
    unreadable?: unknown,
  ): void;
  /**
   * With several threads (`maxThreads` above 1): the callbacks of one URL's fetch (its HEAD, its
   * GET, their retries and redirects, then `onSaved` or `onFailed`), called as the fetch starts,
   * so that a log tells the fetches under way at once apart. Without it, or with one thread,
   * every fetch reports to `events`, `onSaved` and `onFailed`.
   */
  fetchLog?(url: string): FetchLog;
}

/** The callbacks one fetch reports to (see {@linkcode RecursiveOptions.fetchLog}). */
export type FetchLog = Pick<RecursiveOptions, "events" | "onSaved" | "onFailed">;

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
