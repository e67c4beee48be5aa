/**
 * With several threads, how far the queue's fetches have come through one step (their answers
 * landed, their files named): the queue's places pass the step in any order, and a fetch waits
 * until every place before its own has passed. Private to `lib/download/`.
 *
 * @module
 */

/**
 * The front of the queue at one step: the smallest place (from 1) not through it yet, the places
 * after it through already, and the fetches waiting for the front to reach a place.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { QueueFront } from "./_queue_front.ts";
 *
 * const landed = new QueueFront();
 * let third = false;
 * const waiting = landed.until(3).then(() => (third = true));
 * assert.equal(landed.pass(2), true);
 * assert.equal(landed.oldest, 1);
 * assert.equal(landed.pass(2), false);
 * await Promise.resolve();
 * assert.equal(third, false);
 * landed.pass(1);
 * assert.equal(landed.oldest, 3);
 * await waiting;
 * assert.equal(third, true);
 * // Or until another promise settles first.
 * await landed.until(9, Promise.resolve());
 * landed.reset();
 * assert.equal(landed.oldest, 1);
 * ```
 */
export class QueueFront {
  #oldest = 1;
  /** Places after `#oldest` through already. */
  readonly #passed = new Set<number>();
  /** Told each time the front moves. */
  readonly #waiters = new Set<() => void>();

  /** The smallest place in the queue not through the step yet. */
  get oldest(): number {
    return this.#oldest;
  }

  /** A new walk: its queue starts at place 1. */
  reset(): void {
    this.#oldest = 1;
    this.#passed.clear();
  }

  /** The fetch at `order` is through the step: false when it was already. */
  pass(order: number): boolean {
    if (order < this.#oldest || this.#passed.has(order)) return false;
    this.#passed.add(order);
    const was = this.#oldest;
    while (this.#passed.delete(this.#oldest)) this.#oldest++;
    if (this.#oldest !== was) {
      for (const waiter of this.#waiters) waiter();
    }
    return true;
  }

  /** Settles once every place before `order` is through the step, or `meanwhile` has settled. */
  async until(order: number, meanwhile?: Promise<void>): Promise<void> {
    if (this.#oldest >= order) return;
    let waiter!: () => void;
    const through = new Promise<void>((resolve) => {
      waiter = () => {
        if (this.#oldest >= order) resolve();
      };
    });
    this.#waiters.add(waiter);
    try {
      await (meanwhile ? Promise.race([meanwhile, through]) : through);
    } finally {
      this.#waiters.delete(waiter);
    }
  }
}
