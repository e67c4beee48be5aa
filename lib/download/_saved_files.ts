/**
 * The files a recursive run saved, as GNU wget registers them (its src/convert.c): the walk's
 * maps, by which it finds a URL downloaded already; with several threads, the same registrations
 * made again in the order of the queue for `-k`; and the pages and stylesheets `-k` converts.
 * Private to `lib/download/`.
 *
 * @module
 */

import { FileMaps } from "./_file_maps.ts";
import type { Fetched, Registration } from "./_walk_types.ts";

/** A page or stylesheet for `-k` to convert: its file, the URL it came from, its kind. */
export interface PageToConvert {
  path: string;
  url: string;
  kind: "html" | "css";
}

/**
 * The run's files, registered as each fetch lands and each file is removed.
 *
 * @example Two fetches end out of the order of the queue
 * ```ts
 * import assert from "node:assert/strict";
 * import { SavedFiles } from "./_saved_files.ts";
 *
 * const files = new SavedFiles(new Map(), true);
 * // The second in the queue lands first on q.html, then the first does.
 * files.registerLanded("http://h/r2.html", "http://h/q.html", "r2.html", 2);
 * files.registerLanded("http://h/r1.html", "http://h/q.html", "r1.html", 1);
 * files.savedPage("r1.html", "html");
 * files.savedPage("r2.html", "html");
 * // The walk's maps as the fetches ended; -k's as GNU's run, one at a time, makes them.
 * assert.equal(files.walk.urlToFile.get("http://h/q.html"), "r1.html");
 * files.registerInQueueOrder();
 * assert.equal(files.urlToFileForConversion.get("http://h/q.html"), "r2.html");
 * // Each file with the URL it was downloaded from, after its redirect.
 * assert.deepEqual([...files.pagesToConvert()].map(({ path, url }) => `${path} ${url}`), [
 *   "r1.html http://h/q.html",
 *   "r2.html http://h/q.html",
 * ]);
 * assert.equal(files.kindOf("r1.html", true, false), "html");
 * assert.equal(files.kindOf("r1.html", false, true), "other");
 * ```
 */
export class SavedFiles {
  /**
   * GNU wget's maps of the run's files, as the walk registers them: with several threads, in the
   * order the fetches end.
   */
  readonly walk: FileMaps;
  /**
   * With several threads, `-k`'s maps: the registrations of each walk made again once it is
   * done, in the order of its queue (see `registerInQueueOrder`); undefined with one thread,
   * where the walk's maps are in that order already.
   */
  readonly #inQueueOrder: FileMaps | undefined;
  /** With several threads: the walk's registrations, each with the queue place that made it. */
  readonly #registrations: Registration[] = [];
  /** Files served as HTML and as CSS, for reuse and for -k. */
  readonly #htmlFiles = new Set<string>();
  readonly #cssFiles = new Set<string>();
  /** Files whose name `-E` extended, for the name of `-K`'s backup. */
  readonly extended: Set<string> = new Set();

  /**
   * @param saved The walk's URL -> file map (the run's result).
   * @param queueOrdered Several threads: the fetches end out of the order of the queue.
   */
  constructor(saved: Map<string, string>, queueOrdered: boolean) {
    this.walk = new FileMaps(saved);
    this.#inQueueOrder = queueOrdered ? new FileMaps() : undefined;
  }

  /**
   * GNU's register_download of `finalUrl`'s `file` and register_redirection of `url` to it
   * (see FileMaps.registerLanded), by the fetch at `order` in the queue. Not `inWalk`: for
   * `-k`'s maps alone, as the file of a fetch after it in the queue that the walk's maps have
   * already (GNU's register_download of that one then takes the file from this one's URLs).
   */
  registerLanded(url: string, finalUrl: string, file: string, order: number, inWalk = true): void {
    if (inWalk) this.walk.registerLanded(url, finalUrl, file);
    if (this.#inQueueOrder) this.#registrations.push({ order, url, finalUrl, file });
  }

  /** GNU's `register_delete_file` of `file`, at `order` in the queue. */
  registerDeleteFile(file: string, order: number): void {
    this.walk.registerDeleteFile(file);
    if (this.#inQueueOrder) this.#registrations.push({ order, deleted: file });
  }

  /** `file` is a page or a stylesheet (`kind`): read again when downloaded already, and `-k`'s. */
  savedPage(file: string, kind: Fetched["kind"]): void {
    if (kind === "html") this.#htmlFiles.add(file);
    else if (kind === "css") this.#cssFiles.add(file);
  }

  /** What `file`, downloaded already, is read as where a page or a stylesheet is expected. */
  kindOf(file: string, expectHtml: boolean, expectCss: boolean): Fetched["kind"] {
    return expectCss && this.#cssFiles.has(file)
      ? "css"
      : expectHtml && this.#htmlFiles.has(file)
      ? "html"
      : "other";
  }

  /**
   * With several threads, `-k`'s maps get the walk's registrations in the order of its queue,
   * as GNU's run makes them one fetch at a time: a URL that two redirects landed on is in the
   * file of the later one in the queue, not of the fetch that ended last (threads random seed
   * 2200667). The walk's own maps stay in the order the fetches ended: what the walk decides by
   * them (a URL downloaded already, waited for while a file that holds it may be removed) is
   * decided when it comes, and registering again there at each turn in the queue made a URL
   * look downloaded in a file about to be removed and forgotten (seed 1200196).
   */
  registerInQueueOrder(): void {
    const files = this.#inQueueOrder;
    if (!files) return;
    // (A stable sort: a fetch's registrations, then its page's removal, as they came.)
    this.#registrations.sort((a, b) => a.order - b.order);
    for (const registration of this.#registrations) {
      if ("deleted" in registration) files.registerDeleteFile(registration.deleted);
      else files.registerLanded(registration.url, registration.finalUrl, registration.file);
    }
    this.#registrations.length = 0;
  }

  /** `-k`'s URL -> file map (after `registerInQueueOrder`). */
  get urlToFileForConversion(): Map<string, string> {
    return (this.#inQueueOrder ?? this.walk).urlToFile;
  }

  /** `-k`'s pages, then its stylesheets, each with the URL its file was last downloaded from. */
  *pagesToConvert(): Generator<PageToConvert> {
    const { fileToUrl } = this.#inQueueOrder ?? this.walk;
    for (const [files, kind] of [[this.#htmlFiles, "html"], [this.#cssFiles, "css"]] as const) {
      for (const path of files) {
        const url = fileToUrl.get(path);
        if (url !== undefined) yield { path, url, kind };
      }
    }
  }
}
