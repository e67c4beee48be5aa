/**
 * A first-come, first-served lock for async code: callers queue in call order.
 *
 * @module
 */

/** An async lock whose waiters are served in the order they asked. */
export class Mutex {
  #locked = false;
  #waiters: (() => void)[] = [];
  #head = 0;

  /** True while someone holds the lock. */
  get locked(): boolean {
    return this.#locked;
  }

  /** Takes the lock at once if it is free; returns whether it did. */
  tryLock(): boolean {
    if (this.#locked) return false;
    this.#locked = true;
    return true;
  }

  /** Resolves once the caller holds the lock (at once when it is free). */
  lock(): Promise<void> {
    if (this.tryLock()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Hands the lock to the next waiter, or frees it. */
  unlock(): void {
    if (this.#head < this.#waiters.length) {
      const next = this.#waiters[this.#head]!;
      this.#waiters[this.#head++] = undefined as never;
      if (this.#head === this.#waiters.length) {
        this.#waiters = [];
        this.#head = 0;
      }
      next(); // The lock passes straight on: `locked` stays true.
    } else {
      this.#locked = false;
    }
  }
}
