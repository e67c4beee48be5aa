/**
 * A deadline that costs nothing at start-up: `Atomics.waitAsync` with a timeout is run by V8
 * itself, while the first `setTimeout` (or an abort listener on `AbortSignal.timeout()`) loads
 * Deno's timer machinery, about 2-4 ms of a command's start-up on this machine. After the first
 * few deadlines of a process, an unref'd `setTimeout` takes over (see START_UP_DEADLINES). Either
 * way the deadline does not keep the process alive, so use it only beside an operation that does
 * (a pending read or connect), never as a plain sleep.
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

/**
 * How many deadlines of a process wait on `Atomics.waitAsync`. That costs nothing at start-up but
 * each one allocates a SharedArrayBuffer, and in a busy process those cost far more than a timer
 * in garbage collection (a DNS lookup loop: 18 us of GC per lookup against 3). So the first few
 * deadlines, all a short command needs, use it, and later ones an unref'd `setTimeout`, whose
 * one-time cost a longer-running process repays many times over.
 */
const START_UP_DEADLINES = 16;
let startUpDeadlinesLeft = START_UP_DEADLINES;

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** Starts a deadline of `ms` milliseconds; `onExpire` runs when the time is up (not if cancelled). */
export const startDeadline = (function startDeadline(ms: number, onExpire?: () => void): Deadline {
  if (startUpDeadlinesLeft > 0) {
    startUpDeadlinesLeft--;
    return startAtomicsDeadline(ms, onExpire);
  }
  return startTimerDeadline(ms, onExpire);
}).bind(undefined);

const startAtomicsDeadline =
  (function startAtomicsDeadline(ms: number, onExpire?: () => void): Deadline {
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
  }).bind(undefined);

/**
 * The same on a timer that, like the wait, does not keep the process alive. Its `expired` promise
 * is made only when asked for: most callers only cancel, or act in `onExpire`.
 */
function startTimerDeadline(ms: number, onExpire?: () => void): Deadline {
  let passed = false;
  let over = false;
  let settle: ((expired: boolean) => void) | undefined;
  let expired: Promise<boolean> | undefined;
  const timer = setTimeout(() => {
    if (over) return;
    over = true;
    passed = true;
    onExpire?.();
    settle?.(true);
  }, Math.max(0, ms));
  Deno.unrefTimer(timer);
  return {
    get expired() {
      if (expired === undefined) {
        if (over) expired = Promise.resolve(passed);
        else {
          const waiting = Promise.withResolvers<boolean>();
          expired = waiting.promise;
          settle = waiting.resolve;
        }
      }
      return expired;
    },
    get passed() {
      return passed;
    },
    cancel() {
      if (over) return;
      over = true;
      clearTimeout(timer);
      settle?.(false);
    },
  };
}
