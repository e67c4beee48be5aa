/**
 * Idle deadlines for one direction of a connection, on {@linkcode startDeadline} (no Deno timers,
 * so no start-up cost). The owner marks each call on the connection with `begin()` and `end()`;
 * one deadline watches them all: when it expires during a call that has not yet waited the full
 * time, it re-arms for the rest; when it expires between calls, it disarms. So a long transfer
 * holds one pending wait per direction, not one per read or write, and a call costs one clock
 * read.
 *
 * @module
 */

import { type Deadline, startDeadline } from "../internal/deadline.ts";

/** Calls `onExpire` once a call between `begin()` and `end()` has waited `timeoutMs`. */
export class IdleDeadline {
  #started = -1;
  #deadline: Deadline | undefined;
  #stopped = false;

  /** Watches calls that may not wait longer than `timeoutMs`. */
  constructor(readonly timeoutMs: number, readonly onExpire: () => void) {}

  #arm(ms: number): void {
    const current = startDeadline(ms, () => {
      if (this.#deadline !== current) return;
      this.#deadline = undefined;
      if (this.#started < 0 || this.#stopped) return;
      const waited = performance.now() - this.#started;
      if (waited >= this.timeoutMs - 1) {
        this.stop();
        this.onExpire();
      } else {
        this.#arm(this.timeoutMs - waited);
      }
    });
    this.#deadline = current;
  }

  /** A call starts waiting (or makes progress and waits again). */
  begin(): void {
    this.#started = performance.now();
    if (!this.#deadline && !this.#stopped) this.#arm(this.timeoutMs);
  }

  /** The call is over. */
  end(): void {
    this.#started = -1;
  }

  /** Stops watching for good. */
  stop(): void {
    this.#stopped = true;
    this.#deadline?.cancel();
    this.#deadline = undefined;
  }
}
