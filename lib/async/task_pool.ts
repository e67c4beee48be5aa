/**
 * Bounded async concurrency: the lecture's `ThreadPool(4).schedule(thunk)` for a single-threaded
 * runtime (the lecture: the networking lecture notes netkit implements). At most `concurrency`
 * tasks run at once; the rest wait in order.
 *
 * Closing means the same here as for {@linkcode WorkerPool}: `close()` refuses new tasks, drops
 * the queued ones (a {@linkcode PoolClosedError} each) and waits for the running ones;
 * `drain()` waits for the queue and the running tasks to finish, and leaves the pool open.
 * A graceful shutdown is `await pool.drain(); await pool.close();`.
 *
 * @module
 */

import { PoolClosedError } from "./pool_closed_error.ts";

export { PoolClosedError };

/**
 * A unit of work: a function that returns a value or a promise. A task started by
 * {@linkcode TaskPool.run} receives the caller's `signal`, so it can stop when the caller gives
 * up.
 */
export type Task<T = unknown> = (signal?: AbortSignal) => T | PromiseLike<T>;

/** Options of {@linkcode TaskPool.run}. */
export interface TaskRunOptions {
  /**
   * Give up on the task: `run()` rejects at once with `signal.reason`. A queued task is taken
   * out of the queue and never starts; a running one gets the signal as its argument and keeps
   * its slot until it returns.
   */
  signal?: AbortSignal | undefined;
}

/** Options of {@linkcode TaskPool}. */
export interface TaskPoolOptions {
  /**
   * Called with the error of a task started with {@linkcode TaskPool.schedule} that threw or
   * rejected. The pool carries on either way. @default {ignore the error}
   */
  onError?: (error: unknown) => void;
}

interface Waiter {
  resolve: () => void;
}

/** A queued task and what to do when it is dropped instead of run. */
interface Entry {
  task: Task;
  drop: (error: unknown) => void;
}

/**
 * Runs tasks with bounded concurrency. A failing task never breaks the pool: its error goes to
 * `onError` (for {@linkcode TaskPool.schedule}) or to the caller (for {@linkcode TaskPool.run}).
 *
 * @example Four at a time
 * ```ts
 * import assert from "node:assert/strict";
 * import { TaskPool } from "@netkit/netkit/async";
 *
 * await using pool = new TaskPool(4);
 * let running = 0;
 * let most = 0;
 * const results: number[] = [];
 * for (let i = 0; i < 10; i++) {
 *   pool.schedule(async () => {
 *     most = Math.max(most, ++running);
 *     await new Promise((resolve) => setTimeout(resolve, 1));
 *     results.push(i);
 *     running--;
 *   });
 * }
 * assert.equal(pool.active, 4); // four started at once...
 * assert.equal(pool.pending, 6); // ...the other six wait their turn
 * await pool.drain();
 * assert.equal(most, 4);
 * assert.deepEqual(results.toSorted((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * ```
 *
 * @example Serve loopback clients, at most two connections at a time (the lecture's thread pool)
 * ```ts
 * import assert from "node:assert/strict";
 * import { TaskPool } from "@netkit/netkit/async";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * await using pool = new TaskPool(2);
 * const clients = 5;
 * const serving = (async () => {
 *   for (let i = 1; i <= clients; i++) {
 *     await pool.available(); // accept only when a slot is free
 *     const conn = await listener.accept();
 *     pool.schedule(async () => {
 *       await conn.write(new TextEncoder().encode(`You are client ${i}\n`));
 *       conn.close();
 *     });
 *   }
 * })();
 * const answers: string[] = [];
 * for (let i = 1; i <= clients; i++) {
 *   const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 *   answers.push(await new Response(conn.readable).text()); // read to the end, which closes it
 * }
 * await serving;
 * await pool.drain();
 * assert.equal(answers.length, clients);
 * assert.deepEqual(answers.toSorted(), answers.map((_, i) => `You are client ${i + 1}\n`));
 * ```
 */
export class TaskPool implements AsyncDisposable {
  readonly #concurrency: number;
  readonly #onError: (error: unknown) => void;
  #active = 0;
  // A queue as an array with a moving head, so taking the next task costs no copying; taken
  // slots hold undefined so the finished task can be collected.
  #queue: (Entry | undefined)[] = [];
  #head = 0;
  #closed = false;
  #pumping = false;
  #drainWaiters: Waiter[] = [];
  #slotWaiters: Waiter[] = [];

  /**
   * Builds an empty pool.
   *
   * @param concurrency How many tasks may run at once, a whole number from 1.
   * @throws {RangeError} for anything else.
   */
  constructor(concurrency: number, options: TaskPoolOptions = {}) {
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`Invalid concurrency "${concurrency}": expected a whole number from 1`);
    }
    this.#concurrency = concurrency;
    this.#onError = options.onError ?? (() => {});
  }

  /** How many tasks may run at once. */
  get concurrency(): number {
    return this.#concurrency;
  }

  /** How many tasks are running now. */
  get active(): number {
    return this.#active;
  }

  /** How many tasks wait for a free slot. */
  get pending(): number {
    return this.#queue.length - this.#head;
  }

  /** Whether every slot is taken (a new task would wait). */
  get full(): boolean {
    return this.#active >= this.#concurrency;
  }

  /** Whether {@linkcode TaskPool.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Queues `task`; it starts at once (synchronously, inside this call) when a slot is free, else
   * when one frees up. Its result is dropped and its error goes to `onError`.
   *
   * @throws {PoolClosedError} after {@linkcode TaskPool.close}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TaskPool } from "@netkit/netkit/async";
   *
   * const errors: unknown[] = [];
   * const pool = new TaskPool(1, { onError: (e) => errors.push(e) });
   * pool.schedule(() => { throw new Error("boom"); });
   * pool.schedule(() => {});
   * await pool.close();
   * assert.equal(errors.length, 1); // the pool carried on
   * assert.ok(errors[0] instanceof Error);
   * assert.equal(errors[0].message, "boom");
   * ```
   */
  schedule(task: Task): void {
    if (this.#closed) throw new PoolClosedError("task pool");
    this.#enqueue({ task, drop: (error) => this.#report(error) });
  }

  #enqueue(entry: Entry): void {
    if (this.#active < this.#concurrency) this.#start(entry.task);
    else this.#queue.push(entry);
  }

  #report(error: unknown): void {
    try {
      this.#onError(error);
    } catch {
      // A throwing error handler must not break the pool either.
    }
  }

  /**
   * Queues `task` like {@linkcode TaskPool.schedule} and resolves to its result (or rejects with
   * its error, which then does not go to `onError`). After {@linkcode TaskPool.close} it rejects
   * with {@linkcode PoolClosedError}.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TaskPool } from "@netkit/netkit/async";
   *
   * await using pool = new TaskPool(2);
   * assert.equal(await pool.run(() => 6 * 7), 42);
   * ```
   */
  run<T>(task: Task<T>, options: TaskRunOptions = {}): Promise<T> {
    if (this.#closed) return Promise.reject(new PoolClosedError("task pool"));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (how: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        how();
      };
      const entry: Entry = {
        task: async () => {
          try {
            const value = await task(signal);
            settle(() => resolve(value));
          } catch (error) {
            settle(() => reject(error));
          }
        },
        drop: (error) => settle(() => reject(error)),
      };
      const onAbort = () => {
        // Still queued: out of the queue, never to start.
        const at = this.#queue.indexOf(entry, this.#head);
        if (at >= 0) this.#queue.splice(at, 1);
        settle(() => reject(signal!.reason));
        if (at >= 0) this.#wake();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#enqueue(entry);
    });
  }

  /**
   * Resolves when a slot is free, so a producer (an accept loop) can wait instead of queueing
   * without bound. Resolves at once when one is free already.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TaskPool } from "@netkit/netkit/async";
   *
   * await using pool = new TaskPool(1);
   * pool.schedule(() => new Promise((r) => setTimeout(r, 1)));
   * assert.ok(pool.full);
   * await pool.available();
   * assert.ok(!pool.full);
   * ```
   */
  available(): Promise<void> {
    if (this.#active < this.#concurrency && this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#slotWaiters.push({ resolve }));
  }

  /**
   * Resolves when no task runs and none waits. Tasks scheduled meanwhile are waited for too.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TaskPool } from "@netkit/netkit/async";
   *
   * await using pool = new TaskPool(2);
   * let done = 0;
   * for (let i = 0; i < 5; i++) pool.schedule(async () => void done++);
   * await pool.drain();
   * assert.equal(done, 5);
   * ```
   */
  drain(): Promise<void> {
    if (this.#active === 0 && this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push({ resolve }));
  }

  /**
   * Refuses new tasks from now on, drops the queued ones (each {@linkcode TaskPool.run} caller
   * gets a {@linkcode PoolClosedError}; a scheduled task's `onError` gets one) and resolves when
   * the running ones have finished. Calling it twice is harmless. To finish the queue first,
   * `await pool.drain()` before.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { PoolClosedError, TaskPool } from "@netkit/netkit/async";
   *
   * const pool = new TaskPool(1);
   * const running = pool.run(() => new Promise((resolve) => setTimeout(() => resolve("ran"), 1)));
   * const queued = assert.rejects(pool.run(() => "never"), PoolClosedError);
   * await pool.close();
   * assert.equal(await running, "ran");
   * await queued;
   * assert.throws(() => pool.schedule(() => {}), PoolClosedError);
   * await assert.rejects(pool.run(() => 1), PoolClosedError);
   * await pool.close(); // twice is harmless
   * ```
   */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      const dropped = this.#queue.slice(this.#head) as Entry[];
      this.#queue = [];
      this.#head = 0;
      const error = new PoolClosedError("task pool");
      for (const entry of dropped) entry.drop(error);
      this.#wake();
    }
    return this.drain();
  }

  /** Closes the pool and waits for its tasks, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #start(task: Task): void {
    this.#active++;
    let result: unknown;
    try {
      result = task();
    } catch (error) {
      this.#failAndFinish(error);
      return;
    }
    if (result !== null && typeof result === "object" && "then" in result) {
      (result as PromiseLike<unknown>).then(this.#finish, this.#failAndFinish);
    } else {
      this.#finish();
    }
  }

  readonly #failAndFinish = (error: unknown): void => {
    this.#report(error);
    this.#finish();
  };

  readonly #finish = (): void => {
    this.#active--;
    this.#wake();
  };

  /** Starts queued tasks while slots are free, then tells the waiters. */
  #wake(): void {
    // Synchronous tasks finish inside #start; the flag turns that recursion into this loop.
    if (this.#pumping) return;
    this.#pumping = true;
    while (this.#active < this.#concurrency && this.#head < this.#queue.length) {
      const next = this.#queue[this.#head];
      if (next === undefined) throw new RangeError(`TaskPool queue slot ${this.#head} is empty`);
      this.#queue[this.#head++] = undefined;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      this.#start(next.task);
    }
    this.#pumping = false;
    if (this.#head === this.#queue.length && this.#head > 0) {
      this.#queue.length = 0;
      this.#head = 0;
    }
    if (this.#active < this.#concurrency && this.#slotWaiters.length > 0) {
      for (const waiter of this.#slotWaiters.splice(0)) waiter.resolve();
    }
    if (this.#active === 0 && this.pending === 0 && this.#drainWaiters.length > 0) {
      for (const waiter of this.#drainWaiters.splice(0)) waiter.resolve();
    }
  }
}
