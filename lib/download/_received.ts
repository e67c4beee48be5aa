/**
 * The hand-over from the recursion's plain GET (lib/download/recursive.ts) to `download()`: the
 * recursion sends a file's first request itself when nothing about it needs `download()`'s
 * general path, and hands over what came back -- a response it does not save as it stands (a
 * redirect, an error status, a 401, a 206), or the error that ended the request or its body --
 * so that `download()` carries on from there exactly as if it had sent that request (redirects,
 * error statuses, retries with their waits and `Range`). Private to `lib/download/`.
 *
 * @module
 */

import type { HttpResponse } from "../http/client.ts";

/** What came of a first request that the caller sent itself. */
export type Received =
  /**
   * The response head, its body unread: `download()` reads it as its first attempt's answer.
   * `redirected`: redirects followed to the URL before (a HEAD's, whose GET this was), which
   * count toward `maxRedirects`.
   */
  | { response: HttpResponse; redirected?: number }
  /**
   * The first attempt failed: `error` is its failure, after `written` bytes of body in the sink.
   * `headFailed`: it was a HEAD answered 500 or 501, which GNU's http_loop asks for again with GET
   * at its next try (waited for and counted as a retry, whatever statuses are retried).
   * `redirected`: redirects followed to the URL before (a GET's, then its target's HEAD's), which
   * count toward `maxRedirects`.
   */
  | { error: unknown; written: number; headFailed?: boolean; redirected?: number }
  /**
   * Nothing sent yet: the URL is a redirect's target, `redirected` redirects followed to it
   * already (a fetch that found the target's own GET saved nothing for it asks for the target
   * itself), which count toward `maxRedirects`, as GNU's one chain of them.
   */
  | { redirected: number };

const received = new WeakMap<object, Received>();

/** Has `download(url, options)` start from `what` instead of sending its first request. */
export function handOver(options: object, what: Received): void {
  received.set(options, what);
}

/** What was handed over with `options`, once (undefined for a plain `download()`). */
export function takeOver(options: object): Received | undefined {
  const what = received.get(options);
  if (what !== undefined) received.delete(options);
  return what;
}
