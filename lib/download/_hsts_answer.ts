/**
 * An answer's `Strict-Transport-Security` header kept in the HSTS store, shared by `download()`
 * and the recursion's own requests (lib/download/recursive.ts). Private to `lib/download/`.
 *
 * @module
 */

import type { HttpResponse } from "../http/client.ts";
import type { HstsStore } from "./hsts.ts";
import type { HttpUrl } from "../http/url.ts";

/**
 * Keeps `response`'s first `Strict-Transport-Security` header for `url` (the URL the request went
 * to) in `store`, as GNU wget reads it from every answer; tells `events` when it names no
 * max-age.
 */
export function recordHsts(
  store: HstsStore | undefined,
  events: { hstsUnparsable?(): void },
  url: HttpUrl,
  response: HttpResponse,
): void {
  if (!store) return;
  const header = response.head.headers.getAll("Strict-Transport-Security")[0];
  if (store.record(url, header) === "unparsable") events.hstsUnparsable?.();
}
