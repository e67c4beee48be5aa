/**
 * A deadline that costs nothing at start-up: `Atomics.waitAsync` with a timeout is run by V8
 * itself, while the first `setTimeout` (or an abort listener on `AbortSignal.timeout()`) loads
 * Deno's timer machinery, about 2–3 ms of a command's start-up on this machine. The wait does not
 * keep the process alive, so use it only beside an operation that does (a pending read or
 * connect), never as a plain sleep.
 *
 * @module
 */

/** A running deadline. */
export interface Deadline {
  /** Resolves `true` when the time is up, `false` when cancelled first. */
  readonly expired: Promise<boolean>;
  /** True once the time is up. */
  readonly passed: boolean;
  /** Stops the deadline; `expired` resolves `false`. Harmless when already over. */
  cancel(): void;
}

/** Starts a deadline of `ms` milliseconds; `onExpire` runs when the time is up (not if cancelled). */
export function startDeadline(ms: number, onExpire?: () => void): Deadline {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const wait = Atomics.waitAsync(cell, 0, 0, Math.max(0, ms));
  let passed = false;
  const expired = (wait.async ? wait.value : Promise.resolve(wait.value)).then((result) => {
    passed = result === "timed-out";
    if (passed) onExpire?.();
    return passed;
  });
  return {
    expired,
    get passed() {
      return passed;
    },
    cancel() {
      Atomics.store(cell, 0, 1);
      Atomics.notify(cell, 0);
    },
  };
}
