/**
 * What an answer's head leaves behind: its `Strict-Transport-Security` header in the HSTS store,
 * its `Set-Cookie` values in the cookie jar; shared by `download()` and the recursion's own
 * requests (lib/download/recursive.ts). Private to `lib/download/`.
 *
 * @module
 */

import type { HttpResponse } from "../http/client.ts";
import type { CookieJar } from "./cookie_jar.ts";
import type { HstsStore } from "./hsts.ts";
import type { HttpUrl } from "../http/url.ts";

/**
 * Takes `response`'s cookies into `kept.cookies` and its HSTS header into `kept.hsts`
 * ({@linkcode recordHsts}), for `url`, the URL the request went to: every answer's, whatever is
 * done with its body, as GNU wget takes them with the head.
 */
export function keepAnswerState(
  kept: { cookies?: CookieJar | undefined; hsts?: HstsStore | undefined },
  events: { hstsUnparsable?(): void },
  url: HttpUrl,
  response: HttpResponse,
): void {
  const jar = kept.cookies;
  if (jar) {
    for (const value of response.head.headers.getAll("Set-Cookie")) jar.setCookie(url, value);
  }
  recordHsts(kept.hsts, events, url, response);
}

/**
 * Keeps `response`'s first `Strict-Transport-Security` header for `url` (the URL the request went
 * to) in `store`, as GNU wget reads it from every answer; tells `events` when it names no
 * max-age.
 */
function recordHsts(
  store: HstsStore | undefined,
  events: { hstsUnparsable?(): void },
  url: HttpUrl,
  response: HttpResponse,
): void {
  if (!store) return;
  const header = response.head.headers.getAll("Strict-Transport-Security")[0];
  if (store.record(url, header) === "unparsable") events.hstsUnparsable?.();
}
