/**
 * Idle deadlines for one direction of a connection, on the shared clock
 * (`internal/shared_clock.ts`: no Deno timers, so no start-up cost, and no timer per call). The
 * owner marks each call on the connection with `begin()` and `end()`: a call that waits
 * `timeoutMs` without `end()` (or a new `begin()` on progress) expires.
 *
 * Lazily: `begin()` notes the time and `end()` a flag; the clock's entry stays where it is until
 * it comes due, and is then moved to the due time of the wait under way (or dropped when none
 * is). A connection making many short calls costs the clock one entry per timeout period, not a
 * removal and an insertion per call, and a call still expires exactly `timeoutMs` after it began.
 *
 * @module
 */

import { type ClockEntry, schedule, unschedule } from "../internal/shared_clock.ts";

/** Calls `onExpire` once a call between `begin()` and `end()` has waited `timeoutMs`. */
export class IdleDeadline {
  #stopped = false;
  /** A call is waiting, since `#since`. */
  #waiting = false;
  #since = 0;
  /** The entry is on the clock (it may be due before the wait under way expires). */
  #scheduled = false;
  readonly #entry: ClockEntry;

  /** Watches calls that may not wait longer than `timeoutMs`. */
  constructor(readonly timeoutMs: number, readonly onExpire: () => void) {
    this.#entry = { due: Infinity, fire: () => this.#fire() };
  }

  /** A call starts waiting (or makes progress and waits again). */
  begin(): void {
    if (this.#stopped) return;
    this.#waiting = true;
    this.#since = performance.now();
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#entry.due = this.#since + this.timeoutMs;
      schedule(this.#entry);
    }
  }

  /** The call is over. */
  end(): void {
    this.#waiting = false;
  }

  /** Stops watching for good. */
  stop(): void {
    this.#stopped = true;
    this.#waiting = false;
    this.#scheduled = false;
    unschedule(this.#entry);
  }

  /** The entry came due: expire the wait under way if it is as old, else move to its time. */
  #fire(): void {
    this.#scheduled = false;
    if (this.#stopped || !this.#waiting) return;
    const due = this.#since + this.timeoutMs;
    // The clock's own resolution: what is due within a millisecond is due now.
    if (due <= performance.now() + 1) {
      this.#stopped = true;
      this.onExpire();
      return;
    }
    this.#scheduled = true;
    this.#entry.due = due;
    schedule(this.#entry);
  }
}
