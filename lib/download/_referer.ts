/**
 * The `Referer` header as GNU wget 1.21.3 sends it: `--referer`'s URL for what the command line
 * names (robots.txt too), the page's URL for a link `-r` follows (recur.c queues each link with
 * its page), kept across redirects; a `Referer` the user gave with `--header` wins, as GNU's user
 * headers replace the ones it sets. Private to `lib/download/`.
 *
 * @module
 */

/**
 * `headers` (a copy) with `Referer: referer` added, unless `referer` is undefined or `headers`
 * name a Referer already.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withReferer } from "./_referer.ts";
 *
 * assert.deepEqual(withReferer([["Accept", "text/html"]], "http://a/"), [["Accept", "text/html"], ["Referer", "http://a/"]]);
 * assert.deepEqual(withReferer([["referer", "mine"]], "http://a/"), [["referer", "mine"]]);
 * assert.deepEqual(withReferer(undefined, undefined), []);
 * ```
 */
export function withReferer(
  headers: ReadonlyArray<readonly [string, string]> | undefined,
  referer: string | undefined,
): Array<readonly [string, string]> {
  // (The walker's every file: no header of the user's to look through or copy.)
  if (headers === undefined || headers.length === 0) {
    return referer === undefined ? [] : [["Referer", referer]];
  }
  const copy = [...headers];
  if (referer !== undefined && !copy.some(([name]) => /^referer$/i.test(name))) {
    copy.push(["Referer", referer]);
  }
  return copy;
}

/**
 * A page's URL as the Referer of its links: without its user and password, as GNU's recur.c
 * hides them (`URL_AUTH_HIDE`); otherwise as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refererOf } from "./_referer.ts";
 *
 * assert.equal(refererOf("http://u:p@example.com/a/b.html"), "http://example.com/a/b.html");
 * assert.equal(refererOf("http://example.com/a%20b/"), "http://example.com/a%20b/");
 * ```
 */
export function refererOf(pageUrl: string): string {
  const at = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)/i.exec(pageUrl);
  return at ? at[1]! + pageUrl.slice(at[0].length) : pageUrl;
}
