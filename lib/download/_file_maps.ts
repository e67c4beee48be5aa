/**
 * GNU Wget 1.21's two maps of a recursive run's files (its src/convert.c): which file each URL is
 * in, and which URL each file was last downloaded from. The walk finds a URL downloaded already
 * by them, and `-k` points a link at its URL's file. Private to `lib/download/`.
 *
 * @module
 */

import { sameExceptIndex } from "./_recursive_helpers.ts";

/**
 * GNU's dl_url_file_map and dl_file_url_map, changed as its register_download,
 * register_redirection and register_delete_file change them. What they hold depends on the order
 * of the changes: a file written over by another URL is taken from the URLs that had it.
 *
 * @example Two redirects to one URL: its file is the one registered last
 * ```ts
 * import assert from "node:assert/strict";
 * import { FileMaps } from "./_file_maps.ts";
 *
 * const files = new FileMaps();
 * files.registerLanded("http://h/rx1.html", "http://h/q.html", "rx1.html");
 * files.registerLanded("http://h/r1.html", "http://h/q.html", "r1.html");
 * assert.equal(files.urlToFile.get("http://h/q.html"), "r1.html");
 * assert.equal(files.urlToFile.get("http://h/rx1.html"), "rx1.html");
 * files.registerDeleteFile("r1.html");
 * assert.equal(files.urlToFile.has("http://h/q.html"), false);
 * ```
 */
export class FileMaps {
  /** dl_file_url_map: file -> the URL it was last downloaded from. */
  readonly fileToUrl: Map<string, string> = new Map();

  /** @param urlToFile dl_url_file_map: URL -> file (a redirect maps both URLs to it). */
  constructor(readonly urlToFile: Map<string, string> = new Map()) {}

  /**
   * GNU's register_download of `finalUrl`'s `file`, and its register_redirection when the fetch
   * of `url` was redirected there (unless `url` has a file already): links to either are then
   * links to that file. With `finalUrl` the same as `url`, register_download alone.
   */
  registerLanded(url: string, finalUrl: string, file: string): void {
    this.#registerDownload(finalUrl, file);
    if (finalUrl !== url && !this.urlToFile.has(url)) this.urlToFile.set(url, file);
  }

  /** GNU's register_delete_file: `file` was removed, and the URLs that were in it are not. */
  registerDeleteFile(file: string): void {
    if (this.fileToUrl.delete(file)) this.#dissociateUrlsFromFile(file);
  }

  /**
   * GNU's register_download: `url` is now in `file`; another URL that was in the same file loses
   * it, unless the two differ only by a final `index.html`.
   */
  #registerDownload(url: string, file: string): void {
    const old = this.fileToUrl.get(file);
    if (old === url) return;
    if (old !== undefined) {
      if (sameExceptIndex(url, old) && !this.urlToFile.has(url)) {
        this.urlToFile.set(url, file);
        return;
      }
      this.fileToUrl.delete(file);
      this.#dissociateUrlsFromFile(file);
    }
    this.fileToUrl.set(file, url);
    this.urlToFile.set(url, file);
  }

  #dissociateUrlsFromFile(file: string): void {
    for (const [url, saved] of this.urlToFile) {
      if (saved === file) this.urlToFile.delete(url);
    }
  }
}
