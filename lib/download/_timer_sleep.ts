/**
 * The pause a download takes when its options bring no `sleep` of their own (tests inject a fast
 * one): between tries, before a redirect under `--wait`, and between a recursion's requests.
 *
 * @module
 */

/** Resolves after `ms` milliseconds, on a timer. */
export function timerSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
