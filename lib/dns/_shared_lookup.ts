/**
 * One lookup under way for the callers that ask the same name with the same options at the same
 * time: a program that starts 1,000 lookups of one name at once asks the server two questions,
 * not 2,000 (as nscd's cache spares glibc's callers, where without nscd each thread asks its
 * own). Each caller gets its own copy of the answer, and leaves on its own signal (its abort, or
 * its whole-lookup deadline) with its own reason, the others waiting on; the lookup itself is
 * aborted only when every caller has left. A caller that joins gets the answer of a lookup that
 * started a little earlier -- as if it had asked then --, never one that has ended: nothing is
 * kept after the lookup settles (no cache of answers, whose TTLs glibc does not keep either).
 *
 * @module
 */

/** A lookup under way, and how many callers wait for it. */
interface Shared<T> {
  outcome: Promise<T>;
  waiters: number;
  /** Aborts the lookup when the last caller leaves; none when a caller can never leave. */
  stop: AbortController | undefined;
}

/** The lookups under way, by key. */
const underWay = new Map<string, Shared<unknown>>();

/**
 * `start(signal)`'s outcome, shared with the callers of the same `key` while it is under way
 * (`key` undefined: not shared, `start(signal)` itself). `copy` gives each caller a value of its
 * own. A caller's `signal` ends its wait only: it rejects with that signal's reason, and the
 * lookup goes on for the others, aborted (its `signal`) once none is left.
 *
 * @param key What makes two lookups the same (the name and every option that can change the
 * answer), or undefined.
 * @param signal This caller's signal.
 * @param start Starts the lookup; its signal aborts when no caller is left.
 * @param copy A copy of the answer for one caller.
 *
 * @example Two callers, one lookup
 * ```ts
 * import assert from "node:assert/strict";
 * import { sharedLookup } from "./_shared_lookup.ts";
 *
 * let started = 0;
 * const start = async () => (started++, { addresses: ["10.0.0.1"] });
 * const copy = (found: { addresses: string[] }) => ({ addresses: [...found.addresses] });
 * const [a, b] = await Promise.all([
 *   sharedLookup("www.test", undefined, start, copy),
 *   sharedLookup("www.test", undefined, start, copy),
 * ]);
 * assert.equal(started, 1);
 * assert.deepEqual(a, b);
 * assert.notEqual(a, b); // each caller's own copy
 * ```
 */
export function sharedLookup<T>(
  key: string | undefined,
  signal: AbortSignal | undefined,
  start: (signal: AbortSignal | undefined) => Promise<T>,
  copy: (value: T) => T,
): Promise<T> {
  if (key === undefined) return start(signal);
  if (signal?.aborted) return Promise.reject(signal.reason);
  let shared = underWay.get(key) as Shared<T> | undefined;
  if (shared === undefined) {
    // The first caller without a signal never leaves: then nothing need abort the lookup.
    const stop = signal === undefined ? undefined : new AbortController();
    const begun: Shared<T> = { outcome: start(stop?.signal), waiters: 0, stop };
    underWay.set(key, begun);
    const forget = () => {
      if (underWay.get(key) === begun) underWay.delete(key);
    };
    // Observed here too: the outcome of a lookup every caller has left is nobody's.
    begun.outcome.then(forget, forget);
    shared = begun;
  }
  const joined = shared;
  joined.waiters++;
  return new Promise<T>((resolve, reject) => {
    let left = false;
    const leave = () => {
      if (left) return false;
      left = true;
      signal?.removeEventListener("abort", onAbort);
      joined.waiters--;
      return true;
    };
    const onAbort = () => {
      if (!leave()) return;
      if (joined.waiters === 0) {
        // No caller is left: the lookup stops, and a later caller starts a new one.
        if (underWay.get(key) === joined) underWay.delete(key);
        joined.stop?.abort(signal?.reason);
      }
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    joined.outcome.then(
      (value) => {
        if (leave()) resolve(copy(value));
      },
      (error) => {
        if (leave()) reject(error);
      },
    );
  });
}
