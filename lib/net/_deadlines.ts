/**
 * Idle deadlines for one direction of a connection, on the shared clock
 * (`internal/shared_clock.ts`: no Deno timers, so no start-up cost, and no timer per call). The
 * owner marks each call on the connection with `begin()` and `end()`: a call that waits
 * `timeoutMs` without `end()` (or a new `begin()` on progress) expires; between calls nothing is
 * scheduled.
 *
 * @module
 */

import { type ClockEntry, schedule, unschedule } from "../internal/shared_clock.ts";

/** Calls `onExpire` once a call between `begin()` and `end()` has waited `timeoutMs`. */
export class IdleDeadline {
  #stopped = false;
  readonly #entry: ClockEntry;

  /** Watches calls that may not wait longer than `timeoutMs`. */
  constructor(readonly timeoutMs: number, readonly onExpire: () => void) {
    this.#entry = {
      due: Infinity,
      fire: () => {
        this.#stopped = true;
        this.onExpire();
      },
    };
  }

  /** A call starts waiting (or makes progress and waits again). */
  begin(): void {
    if (this.#stopped) return;
    unschedule(this.#entry);
    this.#entry.due = performance.now() + this.timeoutMs;
    schedule(this.#entry);
  }

  /** The call is over. */
  end(): void {
    unschedule(this.#entry);
  }

  /** Stops watching for good. */
  stop(): void {
    this.#stopped = true;
    unschedule(this.#entry);
  }
}
