/**
 * The response-head deadline of one connection, for all its exchanges: a whole head must arrive
 * within the timeout, whatever trickles in. It is an entry of the shared clock
 * (`internal/shared_clock.ts`), and lazily so: `begin()` notes the time and `end()` a flag, and
 * the entry, once on the clock, stays there until it comes due; it then expires the head under
 * way if that is as old, moves to that head's due time, or leaves the clock when no head is
 * awaited. A kept-alive connection that carries 200 small files makes no timer at all, and one
 * clock entry per timeout period rather than a removal and an insertion per exchange.
 *
 * @module
 */

import { type ClockEntry, schedule, unschedule } from "../internal/shared_clock.ts";

/** Calls `onExpire` once an exchange's head has taken longer than its timeout. */
export class HeadDeadline {
  #passed = false;
  #stopped = false;
  /** A head is awaited, due at `#due`. */
  #waiting = false;
  #due = 0;
  /** The entry is on the clock (maybe due before the head under way). */
  #scheduled = false;
  readonly #entry: ClockEntry;

  /** Watches the heads of one connection; `onExpire` closes it. */
  constructor(readonly onExpire: () => void) {
    this.#entry = { due: Infinity, fire: () => this.#fire() };
  }

  /** True once the current exchange's head ran out of time. */
  get passed(): boolean {
    return this.#passed;
  }

  /** An exchange starts: its response head must be complete within `timeoutMs`. */
  begin(timeoutMs: number): void {
    if (this.#stopped) return;
    this.#passed = false;
    this.#waiting = true;
    this.#due = performance.now() + timeoutMs;
    // On the clock already: it comes due no later than this head (moved there if it is later).
    if (this.#scheduled && this.#entry.due <= this.#due) return;
    unschedule(this.#entry);
    this.#scheduled = true;
    this.#entry.due = this.#due;
    schedule(this.#entry);
  }

  /** The head is complete, or the exchange failed. */
  end(): void {
    this.#waiting = false;
  }

  /** The connection is closed: stops for good. */
  stop(): void {
    this.#stopped = true;
    this.#waiting = false;
    this.#scheduled = false;
    unschedule(this.#entry);
  }

  #fire(): void {
    this.#scheduled = false;
    if (this.#stopped || !this.#waiting) return;
    // The clock's own resolution: what is due within a millisecond is due now.
    if (this.#due <= performance.now() + 1) {
      this.#passed = true;
      this.#waiting = false;
      this.onExpire();
      return;
    }
    this.#scheduled = true;
    this.#entry.due = this.#due;
    schedule(this.#entry);
  }
}
