/**
 * The response-head deadline of one connection, for all its exchanges: a whole head must arrive
 * within the timeout, whatever trickles in. It is an entry of the shared clock
 * (`internal/shared_clock.ts`) while an exchange waits for its head, and none between exchanges: a
 * kept-alive connection that carries 200 small files makes no timer at all.
 *
 * @module
 */

import { type ClockEntry, schedule, unschedule } from "../internal/shared_clock.ts";

/** Calls `onExpire` once an exchange's head has taken longer than its timeout. */
export class HeadDeadline {
  #passed = false;
  #stopped = false;
  readonly #entry: ClockEntry;

  /** Watches the heads of one connection; `onExpire` closes it. */
  constructor(readonly onExpire: () => void) {
    this.#entry = {
      due: Infinity,
      fire: () => {
        this.#passed = true;
        this.onExpire();
      },
    };
  }

  /** True once the current exchange's head ran out of time. */
  get passed(): boolean {
    return this.#passed;
  }

  /** An exchange starts: its response head must be complete within `timeoutMs`. */
  begin(timeoutMs: number): void {
    if (this.#stopped) return;
    this.#passed = false;
    unschedule(this.#entry);
    this.#entry.due = performance.now() + timeoutMs;
    schedule(this.#entry);
  }

  /** The head is complete, or the exchange failed. */
  end(): void {
    unschedule(this.#entry);
  }

  /** The connection is closed: stops for good. */
  stop(): void {
    this.#stopped = true;
    unschedule(this.#entry);
  }
}
