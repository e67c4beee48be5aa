/**
 * One deadline for a whole operation (`timeoutMs` as netkit names it): a signal that aborts with
 * the given reason when the time is up, joined to the caller's own. The HTTP client and the time
 * clients pass it down to every step of a request. Private to netkit.
 *
 * @module
 */

import { startDeadline } from "./deadline.ts";

/** A running operation deadline: its signal, and disposal to stop the clock once it is over. */
export interface DeadlineSignal extends Disposable {
  /** Aborts with the deadline's reason when the time is up, or with the caller's. */
  readonly signal: AbortSignal;
}

/**
 * Starts `timeoutMs` for an operation; `reason()` makes the abort reason when it runs out.
 * Dispose of it when the operation ends, or the clock runs on to its end. Like `startDeadline`,
 * it does not keep the process alive: use it beside the operation's own pending I/O.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deadlineSignal } from "./deadline_signal.ts";
 *
 * const caller = new AbortController();
 * using deadline = deadlineSignal(60_000, caller.signal, () => new Error("too slow"));
 * assert.equal(deadline.signal.aborted, false);
 * // The caller's abort goes through, with its reason.
 * caller.abort(new Error("stop"));
 * assert.equal((deadline.signal.reason as Error).message, "stop");
 * ```
 */
export function deadlineSignal(
  timeoutMs: number,
  caller: AbortSignal | undefined,
  reason: () => unknown,
): DeadlineSignal {
  const expiry = new AbortController();
  const clock = startDeadline(timeoutMs, () => expiry.abort(reason()));
  return {
    signal: caller ? AbortSignal.any([caller, expiry.signal]) : expiry.signal,
    [Symbol.dispose]: () => clock.cancel(),
  };
}
