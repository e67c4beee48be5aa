/**
 * The response-head deadline of one connection, for all its exchanges: a whole head must arrive
 * within the timeout, whatever trickles in. One deadline serves the connection's life instead of
 * one per exchange: when it fires during an exchange that has not yet waited its full time, it
 * re-arms for the rest; between exchanges it disarms. A kept-alive connection that carries 200
 * small files so starts one deadline, not 200 (each a timer or a wait of its own, and past the
 * first few of a process, Deno's timers to load).
 *
 * @module
 */

import { type Deadline, startDeadline } from "../internal/deadline.ts";

/** Calls `onExpire` once an exchange's head has taken longer than its timeout. */
export class HeadDeadline {
  /** When the current head must be complete (`performance.now()` time); -1 between exchanges. */
  #until = -1;
  /** When the armed deadline fires. */
  #firesAt = Infinity;
  #deadline: Deadline | undefined;
  #passed = false;
  #stopped = false;

  /** Watches the heads of one connection; `onExpire` closes it. */
  constructor(readonly onExpire: () => void) {}

  /** True once the current exchange's head ran out of time. */
  get passed(): boolean {
    return this.#passed;
  }

  /** An exchange starts: its response head must be complete within `timeoutMs`. */
  begin(timeoutMs: number): void {
    if (this.#stopped) return;
    const now = performance.now();
    this.#passed = false;
    this.#until = now + timeoutMs;
    // An armed deadline that fires before this one is due re-arms for the rest when it fires.
    if (this.#deadline && this.#firesAt <= this.#until) return;
    this.#deadline?.cancel();
    this.#arm(timeoutMs, now);
  }

  /** The head is complete, or the exchange failed. */
  end(): void {
    this.#until = -1;
  }

  /** The connection is closed: stops for good. */
  stop(): void {
    this.#stopped = true;
    this.#until = -1;
    this.#deadline?.cancel();
    this.#deadline = undefined;
  }

  #arm(ms: number, now: number): void {
    this.#firesAt = now + ms;
    const current = startDeadline(ms, () => {
      if (this.#deadline !== current) return;
      this.#deadline = undefined;
      this.#firesAt = Infinity;
      if (this.#until < 0 || this.#stopped) return;
      const at = performance.now();
      if (this.#until - at >= 1) {
        this.#arm(this.#until - at, at);
        return;
      }
      this.#until = -1;
      this.#passed = true;
      this.onExpire();
    });
    this.#deadline = current;
  }
}
