/**
 * wget's recursive modes (`-r`, `-m`, `-p`): GNU wget's recursion options mapped onto
 * `downloadRecursive`, with each file's progress printed by the same reporter as a plain
 * download, and GNU wget's exit code for the run.
 *
 * @module
 */

import { refuseAsGnu } from "./url_problem.ts";
import { parseCount, UsageError } from "../../lib/cli/command_line.ts";
import { parseWgetTime } from "./time.ts";
import { pcreRegExp, posixRegExp } from "./regex.ts";
import {
  downloadExitCode,
  type DownloadOptions,
  type DownloadResult,
  fileErrorText,
  WGET_EXIT,
} from "../../lib/download/download.ts";
import {
  downloadRecursive,
  type RecursiveOptions,
  type RejectedLink,
} from "../../lib/download/recursive.ts";
import { parseRestrictFileNames } from "../../lib/download/restrict_file_names.ts";
import type { WgetDownloadLog, WgetReporter } from "./reporter.ts";
import { reportConversion } from "./convert.ts";
import { checkedOptionValue, INT_MAX, listEntries, parseWgetBytes } from "./wgetrc_command.ts";
import { HttpStatusError } from "../../lib/http/errors.ts";

/** The recursion options, by long name. */
export interface WgetRecursiveValues {
  recursive?: boolean;
  "rejected-log"?: string;
  "https-only"?: boolean;
  "convert-file-only"?: boolean;
  relative?: boolean;
  level?: string;
  "no-parent"?: boolean;
  mirror?: boolean;
  "page-requisites"?: boolean;
  "no-directories"?: boolean;
  "force-directories"?: boolean;
  "no-host-directories"?: boolean;
  "protocol-directories"?: boolean;
  "cut-dirs"?: string;
  accept?: string[];
  reject?: string[];
  "ignore-case"?: boolean;
  "span-hosts"?: boolean;
  domains?: string[];
  "exclude-domains"?: string[];
  timestamping?: boolean;
  execute?: string[];
  "convert-links"?: boolean;
  "backup-converted"?: boolean;
  "include-directories"?: string[];
  "exclude-directories"?: string[];
  "accept-regex"?: string;
  "reject-regex"?: string;
  "follow-tags"?: string[];
  "ignore-tags"?: string[];
  quota?: string;
  wait?: string;
  "random-wait"?: boolean;
  "max-threads"?: string;
  "restrict-file-names"?: string;
  /** `--default-page NAME`: the name for a URL ending in `/` (GNU's default `index.html`). */
  "default-page"?: string;
  "delete-after"?: boolean;
  spider?: boolean;
  "adjust-extension"?: boolean;
  /** `--regex-type`: posix (GNU's default) or pcre. */
  "regex-type"?: string;
  /** `robots = on|off` from `-e` or `.wgetrc`. */
  robots?: boolean;
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

const restrictions = (function restrictions(text: string | undefined) {
  if (text === undefined) return undefined;
  try {
    return parseRestrictFileNames(text);
  } catch {
    throw new UsageError(
      `--restrict-file-names takes unix, windows, nocontrol, ascii, lowercase or uppercase, not "${text}"`,
    );
  }
}).bind(undefined);

const regex = (function regex(
  text: string | undefined,
  option: string,
  type: string,
): RegExp | undefined {
  if (text === undefined) return undefined;
  try {
    // GNU wget's default is POSIX extended syntax; pcre is close to JavaScript's own.
    return type === "pcre" ? pcreRegExp(text) : posixRegExp(text);
  } catch {
    throw new UsageError(`${option} takes a regular expression, not "${text}"`);
  }
}).bind(undefined);

/** The recursion's options, and the command's own: `--rejected-log FILE`. */
export interface WgetRecursiveOptions extends RecursiveOptions {
  rejectedLog?: string | undefined;
}

/**
 * Maps the recursion options onto {@linkcode RecursiveOptions}; throws {@linkcode UsageError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { recursiveOptions } from "./recursive.ts";
 *
 * const options = recursiveOptions({ mirror: true, "cut-dirs": "1", "no-host-directories": true });
 * assert.equal(options.maxDepth, Infinity);
 * assert.equal(options.timestamping, true);
 * assert.deepEqual(options.layout, { directories: true, hostDirectories: false, protocolDirectories: false, restrict: undefined, cutDirs: 1 });
 * ```
 */
export const recursiveOptions = (function recursiveOptions(
  values: WgetRecursiveValues,
): WgetRecursiveOptions {
  const recursive = Boolean(values.recursive || values.mirror);
  let maxDepth = values.mirror ? Infinity : 5;
  if (values.level !== undefined) {
    maxDepth = values.level === "inf" ? Infinity : parseCount(values.level, "--level", 0, INT_MAX);
    if (maxDepth === 0) maxDepth = Infinity;
  }
  const regexType = checkedOptionValue("regex-type", values["regex-type"] ?? "posix");
  return {
    recursive,
    maxDepth,
    noParent: values["no-parent"],
    pageRequisites: values["page-requisites"],
    spanHosts: values["span-hosts"],
    domains: listEntries(values.domains),
    excludeDomains: listEntries(values["exclude-domains"]),
    acceptRules: {
      accept: listEntries(values.accept),
      reject: listEntries(values.reject),
      ignoreCase: values["ignore-case"] ?? false,
    },
    layout: {
      // -p without -r makes directories, as GNU's, but not for files it removes (--delete-after,
      // --spider) unless -x says so.
      directories: values["no-directories"] ? false : recursive ||
        Boolean(
          (values["page-requisites"] && !values["delete-after"] && !values.spider) ||
            values["force-directories"],
        ),
      hostDirectories: !values["no-host-directories"],
      protocolDirectories: values["protocol-directories"] ?? false,
      restrict: restrictions(values["restrict-file-names"]),
      ...(values["default-page"] ? { indexName: values["default-page"] } : {}),
      cutDirs: values["cut-dirs"] === undefined
        ? 0
        : parseCount(values["cut-dirs"], "--cut-dirs", 0, INT_MAX),
    },
    rejectedLog: values["rejected-log"],
    robots: values.robots ?? true,
    httpsOnly: values["https-only"] ?? false,
    relativeOnly: values.relative ?? false,
    timestamping: values.timestamping ?? values.mirror,
    convertLinks: values["convert-links"] || values["convert-file-only"],
    convertFileOnly: values["convert-file-only"],
    backupConverted: values["backup-converted"],
    includeDirectories: listEntries(values["include-directories"]),
    excludeDirectories: listEntries(values["exclude-directories"]),
    acceptRegex: regex(values["accept-regex"], "--accept-regex", regexType),
    rejectRegex: regex(values["reject-regex"], "--reject-regex", regexType),
    followTags: listEntries(values["follow-tags"]),
    ignoreTags: listEntries(values["ignore-tags"]),
    quotaBytes: values.quota === undefined ? 0 : parseWgetBytes(values.quota, "--quota"),
    waitMs: values.wait === undefined ? 0 : parseWgetTime(values.wait, "--wait"),
    randomWait: values["random-wait"],
    deleteAfter: values["delete-after"],
    // --spider -r: HEAD for every URL, pages fetched and read for links, then removed.
    spider: values.spider,
    maxThreads: values["max-threads"] === undefined
      ? 1
      : parseCount(values["max-threads"], "--max-threads", 1, 64),
    adjustExtension: values["adjust-extension"],
  };
}).bind(undefined);

/** Encodes a character's UTF-8 bytes for `urlEscape`. */
const URL_BYTES = new TextEncoder();

/** GNU wget's `url_escape`: controls, space, `"#%:<>@[\]^`{|}`, DEL and 8-bit bytes as `%XX`. */
function urlEscape(text: string): string {
  let escaped = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code > 0x20 && code < 0x7f && !'"#%:<>@[\\]^`{|}'.includes(char)) escaped += char;
    else {
      for (const byte of URL_BYTES.encode(char)) {
        escaped += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
      }
    }
  }
  return escaped;
}

/** GNU wget's columns for one URL in `--rejected-log`: URL, scheme, host, port, path, .... */
function rejectedLogColumns(href: string, fragment: string): string {
  const url = new URL(href);
  const scheme = { "http:": "SCHEME_HTTP", "https:": "SCHEME_HTTPS", "ftp:": "SCHEME_FTP" }[
    url.protocol
  ] ?? "SCHEME_INVALID";
  const port = url.port !== ""
    ? url.port
    : { "http:": "80", "https:": "443", "ftp:": "21" }[url.protocol] ?? "0";
  const escaped = urlEscape(href);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return [escaped, scheme, host, port, url.pathname.slice(1), "", url.search.slice(1), fragment]
    .join("\t");
}

/**
 * GNU wget's `--rejected-log FILE`: its header at once (a file that cannot be made is said and
 * skipped, as GNU does), then a line per link not followed; `close` when the walk is over.
 */
function openRejectedLog(
  path: string,
  reporter: WgetReporter,
): { write(rejected: RejectedLink): void; close(): void } | undefined {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { write: true, create: true, truncate: true });
  } catch (error) {
    reporter.error(`${path}: ${fileErrorText(error)}`);
    return undefined;
  }
  const encoder = new TextEncoder();
  const put = (text: string) => {
    const bytes = encoder.encode(text);
    for (let at = 0; at < bytes.length;) at += file.writeSync(bytes.subarray(at));
  };
  put(
    "REASON\tU_URL\tU_SCHEME\tU_HOST\tU_PORT\tU_PATH\tU_PARAMS\tU_QUERY\tU_FRAGMENT\t" +
      "P_URL\tP_SCHEME\tP_HOST\tP_PORT\tP_PATH\tP_PARAMS\tP_QUERY\tP_FRAGMENT\n",
  );
  return {
    write: ({ reason, url, fragment, parent }) =>
      put(`${reason}\t${rejectedLogColumns(url, fragment)}\t${rejectedLogColumns(parent, "")}\n`),
    close: () => file.close(),
  };
}

/**
 * Runs the recursive download of `urls` and returns GNU wget's exit code: the worst failure's,
 * or 0. `around.afterWalk` is called once the walk is over, before the closing lines (GNU's "No
 * URLs found in FILE." comes there); `around.before` counts the files fetched before the walk (an
 * -i URL's) in its closing lines.
 */
export const runRecursive = (async function runRecursive(
  recursive: WgetRecursiveOptions,
  urls: readonly string[],
  options: DownloadOptions,
  reporter: WgetReporter,
  quiet: boolean,
  around: {
    afterWalk?: (() => void) | undefined;
    before?: { files: number; bytes: number } | undefined;
  } = {},
): Promise<number> {
  let status: number = WGET_EXIT.ok;
  const started = performance.now();
  const broken: string[] = [];
  let converting = 0;
  let converted = 0;
  const rejectedLog = recursive.rejectedLog === undefined
    ? undefined
    : openRejectedLog(recursive.rejectedLog, reporter);
  /** -O FILE: the last document's Last-Modified, FILE's time at the end (as without -r). */
  let outputTime: Date | undefined;
  /**
   * The time the saved bodies took to arrive, added up: the closing line's "in TIME", as GNU's
   * total_download_time (not the waits between tries, nor the pages' reading).
   */
  let downloadMs = 0;
  /** A file saved (or kept, or found by a spider), told in `log`. */
  const onSaved = (log: WgetDownloadLog, saved: DownloadResult) => {
    // GNU wget touches -O's FILE after each document with a time; a later write makes it now.
    if (options.output && saved.skipped === undefined) outputTime = saved.lastModified;
    // robots.txt is fetched without -N, as GNU's res_retrieve_file turns it off.
    log.finish(saved, { robots: /^[a-z]+:\/\/[^/]+\/robots\.txt$/i.test(saved.url) });
    if (saved.skipped === undefined) downloadMs += reporter.lastBodyMs;
  };
  /** A URL failed, told in `log`; the exit code and `--spider`'s broken links take note. */
  const onFailed = (log: WgetDownloadLog, error: unknown, info?: { robots: boolean }) => {
    // GNU wget's -q silences a recursion's errors too; the exit code still tells.
    if (!quiet) log.fail(error, info);
    if (info?.robots) return; // No robots.txt: no rules, and no error to count.
    const code = downloadExitCode(error);
    // The URL that answered so, after redirects, once (GNU's list is a set), but not a link
    // to the server's own robots.txt, which GNU leaves out of it.
    // Nor a 401 or a redirect without Location: GNU's spider says "Authentication Failed"
    // or "Redirection (N) without location", not a broken link.
    if (
      error instanceof HttpStatusError && !broken.includes(error.url) &&
      error.status !== 401 && !(error.status >= 300 && error.status < 400) &&
      !/^[a-z]+:\/\/[^/]+\/robots\.txt$/i.test(error.url)
    ) {
      broken.push(error.url);
    }
    status = status === WGET_EXIT.ok || (status === WGET_EXIT.generic)
      ? code
      : Math.min(status, code);
  };
  try {
    await downloadRecursive(urls, {
      ...options,
      ...recursive,
      ...(rejectedLog ? { onRejected: rejectedLog.write } : {}),
      // A start URL GNU's url_parse refuses fails with its words (`http://@host/`, say).
      checkStart: refuseAsGnu,
      onSaved: (saved) => onSaved(reporter, saved),
      onRobots: () => reporter.verbose("Loading robots.txt; please ignore errors."),
      onRobotsUnread: (path, error, removing) => {
        reporter.notice(`Cannot open ${path}: ${fileErrorText(error)}`);
        if (removing) reporter.notice(`unlink: ${fileErrorText(error)}`);
      },
      onPageUnread: (path, error) => reporter.notice(`${path}: ${fileErrorText(error)}`),
      onNofollow: (path) =>
        reporter.verbose(
          `nofollow attribute found in ${path}. Will not follow any links on this page`,
        ),
      onFailed: (_url, error, info) => onFailed(reporter, error, info),
      // --max-threads: each URL's fetch said in a log of its own, as if it ran alone.
      fetchLog: () => {
        const log = reporter.downloadLog();
        return {
          events: log.events,
          onSaved: (saved) => onSaved(log, saved),
          onFailed: (_url, error, info) => onFailed(log, error, info),
        };
      },
      onRemoved: (path, info) => {
        // GNU wget: in the verbose log only, then a blank line (none after robots.txt).
        if (info?.robots) {
          reporter.verbose(`Removing ${path}.`);
          return;
        }
        reporter.verbose(
          recursive.deleteAfter || recursive.spider
            ? `Removing ${path}.\n`
            : `Removing ${path} since it should be rejected.\n`,
        );
      },
      onWalked: (walked) => {
        // (GNU wget's "No URLs found in FILE." for an -i list that named none.)
        around.afterWalk?.();
        // GNU wget's spider report, then its closing lines, then -k's.
        if (options.spider && !quiet) {
          const count = `${broken.length} broken link${broken.length === 1 ? "" : "s"}`;
          reporter.error(broken.length === 0 ? "Found no broken links.\n" : `Found ${count}.\n`);
          for (const url of broken) reporter.error(url);
          if (broken.length > 0) reporter.error("");
        }
        const wallMs = performance.now() - started;
        // (With an -i URL's file fetched before the walk, as GNU counts it.)
        const files = walked.files + (around.before?.files ?? 0);
        const bytes = walked.bytes + (around.before?.bytes ?? 0);
        if (bytes > 0) {
          reporter.summary({
            files,
            bytes,
            wallMs,
            downloadMs,
          });
        }
        const quota = recursive.quotaBytes ?? 0;
        if (quota > 0 && walked.bytes > quota) reporter.quotaExceeded(quota);
        converting = performance.now();
      },
      onConverted: (path, links, counts, unreadable) => {
        converted++;
        // GNU wget's read_file error, then its "nothing to do".
        if (unreadable !== undefined) reporter.notice(`${path}: ${fileErrorText(unreadable)}`);
        reportConversion(reporter, path, links, counts);
      },
    });
  } finally {
    rejectedLog?.close();
  }
  const output = options.output?.name;
  if (
    outputTime && output !== undefined && output !== "-" && options.useServerTimestamps !== false
  ) {
    try {
      // A regular file only: never /dev/null's time.
      if (Deno.statSync(output).isFile) Deno.utimeSync(output, new Date(), outputTime);
    } catch {
      // A device or a file gone: its time is a nicety.
    }
  }
  // (--delete-after: GNU wget converts nothing, and says nothing of it.)
  if (recursive.convertLinks && !recursive.deleteAfter) {
    reporter.converted(converted, (performance.now() - converting) / 1000);
  }
  return status;
}).bind(undefined);
