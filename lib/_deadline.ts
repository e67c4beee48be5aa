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
  /** Stops the deadline; `expired` resolves `false`. Harmless when already over. */
  cancel(): void;
}

/** Starts a deadline of `ms` milliseconds. */
export function startDeadline(ms: number): Deadline {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const wait = Atomics.waitAsync(cell, 0, 0, Math.max(0, ms));
  const expired = wait.async
    ? wait.value.then((result) => result === "timed-out")
    : Promise.resolve(wait.value === "timed-out");
  return {
    expired,
    cancel() {
      Atomics.store(cell, 0, 1);
      Atomics.notify(cell, 0);
    },
  };
}
