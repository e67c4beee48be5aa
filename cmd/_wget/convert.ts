/**
 * `-k` for the files of a run: each saved page or stylesheet has its links rewritten once the
 * run is over (links to files this run saved become relative, the other relative links
 * absolute), with GNU wget's lines in the verbose log: "Converting links in FILE... 7.", "2-5",
 * and at the end "Converted links in N files in S seconds.".
 *
 * @module
 */

import { convertLinks } from "../../lib/download/convert_links.ts";
import { backupPathFor, pageKind } from "../../lib/download/page_kind.ts";
import type { WgetReporter } from "./reporter.ts";
import { listEntries } from "./wgetrc_command.ts";

/** A file the run saved. */
export interface SavedFile {
  /** The URL asked for. */
  url: string;
  /** The URL its body came from, after redirects. */
  finalUrl: string;
  /** Where it was saved. */
  path: string;
  /** Its `Content-Type`: only pages and stylesheets are rewritten. */
  contentType?: string | undefined;
  /** `-E` added `.html` or `.css` to its name (its `-K` backup is named from the rest). */
  extensionAdded?: boolean | undefined;
}

/** Options of {@linkcode convertSavedFiles}. */
export interface ConvertSavedOptions {
  /** `-K`: keep each file's original as `FILE.orig`. */
  backup?: boolean | undefined;
  /** `-E` was given: `?` in local names is escaped as `%3F`. */
  adjustExtension?: boolean | undefined;
  /** `--convert-file-only`: only the last part of a link to a saved file is rewritten. */
  fileOnly?: boolean | undefined;
  /** `--follow-tags` and `--ignore-tags` as given (comma lists): only those links are converted. */
  followTags?: string[] | undefined;
  ignoreTags?: string[] | undefined;
}

/**
 * Rewrites the links of the pages and stylesheets among `saved`, as GNU wget's `-k` does at the
 * end of a run; returns how many files were read. A file that cannot be rewritten is reported
 * and left as it was.
 *
 * @example Two pages, one linking the other
 * ```ts
 * import assert from "node:assert/strict";
 * import { convertSavedFiles } from "./convert.ts";
 * import { WgetReporter } from "./reporter.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.html`, `<a href="/b.html">b</a> <img src="i.png">`);
 * await Deno.writeTextFile(`${dir}/b.html`, `<p>b</p>`);
 * const saved = ["a", "b"].map((name) => ({
 *   url: `http://h/${name}.html`,
 *   finalUrl: `http://h/${name}.html`,
 *   path: `${dir}/${name}.html`,
 *   contentType: "text/html",
 * }));
 * assert.equal(convertSavedFiles(saved, {}, new WgetReporter({ quiet: true })), 2);
 * assert.equal(
 *   await Deno.readTextFile(`${dir}/a.html`),
 *   `<a href="b.html">b</a> <img src="http://h/i.png">`,
 * );
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function convertSavedFiles(
  saved: readonly SavedFile[],
  options: ConvertSavedOptions,
  reporter: WgetReporter,
): number {
  const started = performance.now();
  const urlToFile = new Map<string, string>();
  for (const file of saved) {
    urlToFile.set(file.url, file.path);
    urlToFile.set(file.finalUrl, file.path);
  }
  // The pages, then the stylesheets, as GNU wget converts them; a file saved twice is read once,
  // as the last run left it. (Within each, GNU's order is its hash table's: not copied.)
  const byKind = { html: new Map<string, SavedFile>(), css: new Map<string, SavedFile>() };
  for (const file of saved) {
    const kind = pageKind(file.contentType);
    if (kind !== "other") byKind[kind].set(file.path, file);
  }
  let files = 0;
  for (
    const [kind, file] of (["html", "css"] as const).flatMap((kind) =>
      [...byKind[kind].values()].map((file) => [kind, file] as const)
    )
  ) {
    let counts = { toFiles: 0, toUrls: 0 };
    try {
      const links = convertLinks(file.path, file.finalUrl, kind, urlToFile, {
        adjustExtension: options.adjustExtension,
        fileOnly: options.fileOnly,
        // An empty entry clears the ones before it, as for following (GNU's cmd_vector).
        followTags: listEntries(options.followTags),
        ignoreTags: listEntries(options.ignoreTags),
        backupPath: options.backup
          ? backupPathFor(file.path, file.extensionAdded ?? false)
          : undefined,
        onConverted: (done) => void (counts = done),
      });
      reportConversion(reporter, file.path, links, counts);
      files++;
    } catch (error) {
      reporter.error(`Cannot convert links in ${file.path}: ${(error as Error).message}`);
    }
  }
  reporter.converted(files, (performance.now() - started) / 1000);
  return files;
}

/**
 * GNU wget's lines for one file `-k` read: "Converting links in FILE... 7." and "2-5" (links to
 * saved files, links to URLs), or "Converting links in FILE... nothing to do.".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reportConversion } from "./convert.ts";
 * import { WgetReporter } from "./reporter.ts";
 *
 * let text = "";
 * const log = { writeSync: (p: Uint8Array) => (text += new TextDecoder().decode(p), p.length) };
 * reportConversion(new WgetReporter({ log }), "a.html", 3, { toFiles: 1, toUrls: 2 });
 * reportConversion(new WgetReporter({ log }), "b.css", 0, { toFiles: 0, toUrls: 0 });
 * assert.equal(
 *   text,
 *   "Converting links in a.html... 3.\n1-2\nConverting links in b.css... nothing to do.\n",
 * );
 * ```
 */
export function reportConversion(
  reporter: WgetReporter,
  path: string,
  links: number,
  counts: { toFiles: number; toUrls: number },
): void {
  reporter.verbose(
    links === 0
      ? `Converting links in ${path}... nothing to do.`
      : `Converting links in ${path}... ${links}.\n${counts.toFiles}-${counts.toUrls}`,
  );
}
