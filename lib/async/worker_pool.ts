/**
 * A fixed set of Deno Workers running one module, fed from a bounded queue.
 *
 * The worker module calls {@linkcode serveWorkerTasks} (from `./worker_entry.ts`, which loads
 * nothing else) with a function that answers one message; the pool posts each
 * {@linkcode WorkerPool.run} message to an idle worker and settles the promise with the answer.
 *
 * How it fails:
 * - a task that throws rejects that task only (a {@linkcode WorkerTaskError});
 * - a worker that dies during a task (an uncaught error outside the task's promise) is replaced
 *   at once, and its task rejects with a {@linkcode WorkerCrashError};
 * - a worker that dies before it has answered anything (its module throws at load, cannot be
 *   found, or its `init` fails) is started again after a back-off (100 ms, 200 ms, 400 ms, ...),
 *   at most `startRetries` times in a row for the whole pool; then the pool gives up: every
 *   waiting task and every later `run()` rejects with a {@linkcode WorkerLoadError} that carries
 *   the worker's error and stack as `cause`; when Deno's permissions refused the worker (to
 *   read or import its module), at once and with a {@linkcode MissingPermissionError}.
 *
 * Closing means the same as for {@linkcode TaskPool}: `close()` refuses new tasks, rejects the
 * queued ones with {@linkcode PoolClosedError}, lets the running ones finish, then stops the
 * workers; `drain()` waits for the queue and the running tasks and leaves the pool open.
 *
 * @module
 */

import type { HostMessage, RemoteError, WorkerReply } from "./_worker_protocol.ts";
import { PoolClosedError } from "./pool_closed_error.ts";
import { MissingPermissionError } from "../io/missing_permission_error.ts";
import { markNetkitError, NetkitError } from "../io/netkit_error.ts";

export { PoolClosedError };

/** The default number of queued tasks beyond the busy workers. */
export const DEFAULT_MAX_QUEUE = 1024;
/** How many times in a row a worker that died before answering is started again, by default. */
export const DEFAULT_START_RETRIES = 3;
/** The first back-off before starting such a worker again; it doubles each time. */
const START_BACKOFF_MS = 100;

/** Options for {@linkcode WorkerPool}. */
export interface WorkerPoolOptions<Init = unknown> {
  /** How many workers. @default {navigator.hardwareConcurrency} */
  size?: number | undefined;
  /** How many tasks may wait for a worker; beyond that `run()` rejects. @default {1024} */
  maxQueue?: number;
  /**
   * Posted to every worker (and every replacement) before its first task, e.g. a
   * `SharedArrayBuffer` that all workers share. Handed to the worker's `init`.
   */
  init?: Init;
  /** A name for the workers, shown in stack traces. @default {"worker-pool"} */
  name?: string;
  /**
   * How many times in a row a worker that died before answering anything is started again
   * (with back-off) before the pool gives up with a {@linkcode WorkerLoadError}. @default {3}
   */
  startRetries?: number;
}

/** Options of {@linkcode WorkerPool.run}. */
export interface WorkerRunOptions {
  /** Buffers moved to the worker instead of copied. */
  transfer?: Transferable[];
  /**
   * Give up on the task: `run()` rejects at once with `signal.reason`. A queued task leaves the
   * queue; a running one's worker is stopped and replaced, so the work really ends.
   */
  signal?: AbortSignal | undefined;
}

/** Rebuilds a worker's error on this side, its stack included. */
function remoteError(remote: RemoteError): Error {
  const error = new Error(remote.message);
  error.name = remote.name;
  if (remote.stack !== undefined) error.stack = remote.stack;
  return error;
}

/**
 * Deno's refusal of a worker (to read its module, to import it): as a
 * {@linkcode MissingPermissionError}, or undefined for any other error.
 */
function permissionRefusal(error: Error): MissingPermissionError | undefined {
  const refusal = error instanceof Deno.errors.NotCapable
    ? error
    : /^Requires \w+ access/.test(error.message)
    ? new Deno.errors.NotCapable(error.message, { cause: error })
    : undefined;
  const typed = refusal && MissingPermissionError.from(refusal, "starting a worker");
  return typed instanceof MissingPermissionError ? typed : undefined;
}

/** The worker's function threw; `message` is the worker's error message. Code `WORKER_TASK_FAILED`. */
export class WorkerTaskError extends NetkitError {
  /** The name of the error thrown in the worker (`TypeError`, ...). */
  readonly remoteName: string;
  /** Builds the error from the name and message the worker sent; `cause` keeps its stack. */
  constructor(message: string, remoteName = "Error", options: { cause?: unknown } = {}) {
    super("WORKER_TASK_FAILED", message, options);
    this.name = "WorkerTaskError";
    this.remoteName = remoteName;
  }
}

/** The worker running the task died; the pool has started another. Code `WORKER_CRASHED`. */
export class WorkerCrashError extends NetkitError {
  /** Builds the error; `cause` is the worker's error, with its stack when it sent one. */
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("WORKER_CRASHED", message, options);
    this.name = "WorkerCrashError";
  }
}

/**
 * The pool's workers kept dying before they could answer (the module throws at load, cannot be
 * found, or its `init` fails); the pool has stopped starting them. `cause` is the last worker's
 * error, with its stack. Code `WORKER_LOAD_FAILED`.
 *
 * @example A worker module whose init always fails: no respawn storm, one clear error
 * ```ts
 * import assert from "node:assert/strict";
 * import { WorkerLoadError, WorkerPool } from "@netkit/netkit/async";
 *
 * const code = `
 *   import { serveWorkerTasks } from "${import.meta.resolve("@netkit/netkit/async")}";
 *   serveWorkerTasks((n) => n, () => { throw new RangeError("No index to load"); });
 * `;
 * const url = `data:application/javascript,${encodeURIComponent(code)}`;
 * await using pool = new WorkerPool<number, number>(url, { size: 1, init: 1, startRetries: 1 });
 * await assert.rejects(pool.run(1), (error) => {
 *   assert.ok(error instanceof WorkerLoadError);
 *   assert.match(error.message, /No index to load/);
 *   assert.equal((error.cause as Error).name, "RangeError"); // with the worker's stack
 *   return true;
 * });
 * assert.equal(pool.started, 2); // the first worker and one retry, then no more
 * ```
 */
export class WorkerLoadError extends NetkitError {
  /** The worker module. */
  readonly module: string;
  /** Builds the error. */
  constructor(module: string, cause: Error) {
    super("WORKER_LOAD_FAILED", `The worker module "${module}" failed to start: ${cause.message}`, {
      cause,
    });
    this.name = "WorkerLoadError";
    this.module = module;
  }
}

/** The pool's queue is full: the caller should shed load (e.g. answer 503). Code `QUEUE_FULL`. */
export class QueueFullError extends RangeError {
  /** Always `"QUEUE_FULL"`. */
  declare readonly code: "QUEUE_FULL";
  /** Builds the error for a queue of `limit` tasks. */
  constructor(limit: number) {
    super(`The worker pool's queue is full (${limit} tasks)`);
    this.name = "QueueFullError";
    markNetkitError(this, "QUEUE_FULL");
  }
}

interface Task {
  message: unknown;
  transfer: Transferable[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Slot {
  index: number;
  /** Undefined while waiting out a back-off before a new start. */
  worker: Worker | undefined;
  task: Task | undefined;
  id: number;
  /** The worker called serveWorkerTasks() and took the init value. */
  ready: boolean;
  /** The worker has answered a task. */
  answered: boolean;
  retry: ReturnType<typeof setTimeout> | undefined;
}

/**
 * A fixed set of Deno Workers running one module.
 *
 * @typeParam In What {@linkcode WorkerPool.run} takes.
 * @typeParam Out What the worker answers.
 * @typeParam Init The `init` value posted to every worker.
 *
 * @example Double numbers on two workers
 * ```ts
 * import assert from "node:assert/strict";
 * import { WorkerPool } from "@netkit/netkit/async";
 *
 * // The worker module, here a data: URL; usually a file beside yours, given as
 * // new URL("./double_worker.ts", import.meta.url).href
 * const code = `
 *   import { serveWorkerTasks } from "${import.meta.resolve("@netkit/netkit/async")}";
 *   serveWorkerTasks((n) => n * 2);
 * `;
 * const url = `data:application/javascript,${encodeURIComponent(code)}`;
 * await using pool = new WorkerPool<number, number>(url, { size: 2 });
 * const results = await Promise.all([1, 2, 3].map((n) => pool.run(n)));
 * assert.deepEqual(results, [2, 4, 6]);
 * ```
 */
export class WorkerPool<In = unknown, Out = unknown, Init = unknown> implements AsyncDisposable {
  readonly #url: string;
  readonly #name: string;
  readonly #init: Init | undefined;
  readonly #maxQueue: number;
  readonly #startRetries: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  #nextId = 1;
  #closed = false;
  #failure: WorkerLoadError | MissingPermissionError | undefined;
  #replaced = 0;
  #started = 0;
  /** Deaths before answering, in a row, across the pool. */
  #earlyDeaths = 0;
  #idleWaiters: (() => void)[] = [];
  #readyWaiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  #allReady = false;

  /**
   * Starts the workers.
   *
   * @param module The worker module's URL; it calls {@linkcode serveWorkerTasks}.
   * @throws {RangeError} for a size below 1, a negative queue length or retry count.
   */
  constructor(module: string | URL, options: WorkerPoolOptions<Init> = {}) {
    const size = options.size ?? navigator.hardwareConcurrency ?? 1;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`The pool size must be a whole number from 1, not "${size}"`);
    }
    this.#maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
    if (!Number.isInteger(this.#maxQueue) || this.#maxQueue < 0) {
      throw new RangeError(
        `The queue length must be a whole number from 0, not "${this.#maxQueue}"`,
      );
    }
    this.#startRetries = options.startRetries ?? DEFAULT_START_RETRIES;
    if (!Number.isInteger(this.#startRetries) || this.#startRetries < 0) {
      throw new RangeError(
        `The start retries must be a whole number from 0, not "${this.#startRetries}"`,
      );
    }
    this.#url = String(module);
    this.#name = options.name ?? "worker-pool";
    this.#init = options.init;
    for (let index = 0; index < size; index++) {
      const slot: Slot = {
        index,
        worker: undefined,
        task: undefined,
        id: 0,
        ready: false,
        answered: false,
        retry: undefined,
      };
      this.#slots.push(slot);
      this.#start(slot);
    }
  }

  /** How many workers the pool runs. */
  get size(): number {
    return this.#slots.length;
  }

  /** How many tasks wait for a worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** How many tasks are running on a worker now. */
  get running(): number {
    return this.#slots.filter((slot) => slot.task !== undefined).length;
  }

  /** How many workers have been started again after dying (or being stopped by an abort). */
  get replaced(): number {
    return this.#replaced;
  }

  /** How many workers have been started in all, replacements included. */
  get started(): number {
    return this.#started;
  }

  /** Whether {@linkcode WorkerPool.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Runs one task on the next idle worker.
   *
   * @param message Posted to the worker (structured clone; `transfer` moves buffers instead).
   * @returns What the worker's function returned.
   * @throws {WorkerTaskError} if the worker's function threw.
   * @throws {WorkerCrashError} if the worker died during the task.
   * @throws {WorkerLoadError} if the workers cannot start (the module fails to load).
   * @throws {MissingPermissionError} if Deno's permissions refuse the worker its module.
   * @throws {QueueFullError} if the queue is full.
   * @throws {PoolClosedError} if the pool is closed, or was closed while the task waited.
   * @throws The `signal`'s reason when aborted.
   */
  run(message: In, options: WorkerRunOptions = {}): Promise<Out> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#closed) return Promise.reject(new PoolClosedError("worker pool"));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Out>((resolve, reject) => {
      const done = () => signal?.removeEventListener("abort", onAbort);
      const task: Task = {
        message,
        transfer: options.transfer ?? [],
        resolve: (value) => (done(), resolve(value as Out)),
        reject: (error) => (done(), reject(error)),
      };
      const onAbort = () => {
        const queuedAt = this.#queue.indexOf(task);
        if (queuedAt >= 0) {
          this.#queue.splice(queuedAt, 1);
        } else {
          // Running: stop the worker, so the work really ends, and start another.
          const slot = this.#slots.find((candidate) => candidate.task === task);
          if (slot) {
            slot.task = undefined;
            slot.worker?.terminate();
            slot.worker = undefined;
            this.#replaced++;
            // Starting a worker takes milliseconds: after the caller has had its answer.
            slot.retry = setTimeout(() => {
              this.#start(slot);
              this.#next(slot);
            }, 0);
          }
        }
        task.reject(signal!.reason);
        this.#checkIdle();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const idle = this.#slots.find((slot) => slot.worker && slot.task === undefined);
      if (idle) {
        this.#dispatch(idle, task);
      } else if (this.#queue.length >= this.#maxQueue) {
        task.reject(new QueueFullError(this.#maxQueue));
      } else {
        this.#queue.push(task);
      }
    });
  }

  /**
   * Resolves once every worker has loaded its module (and taken `init`), so a server can refuse
   * to start rather than answer errors; rejects with the {@linkcode WorkerLoadError} (or
   * {@linkcode MissingPermissionError}) when the pool gives up, and with
   * {@linkcode PoolClosedError} when it is closed first.
   *
   * @example Fail at start-up, not at the first task
   * ```ts
   * import assert from "node:assert/strict";
   * import { WorkerLoadError, WorkerPool } from "@netkit/netkit/async";
   *
   * const code = `throw new Error("No such dictionary");`;
   * const url = `data:application/javascript,${encodeURIComponent(code)}`;
   * await using pool = new WorkerPool(url, { size: 1, startRetries: 0 });
   * await assert.rejects(pool.ready(), WorkerLoadError);
   * ```
   */
  ready(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#allReady) return Promise.resolve();
    if (this.#closed) return Promise.reject(new PoolClosedError("worker pool"));
    return new Promise((resolve, reject) => this.#readyWaiters.push({ resolve, reject }));
  }

  #checkReady(): void {
    if (this.#allReady || !this.#slots.every((slot) => slot.ready)) return;
    this.#allReady = true;
    for (const waiter of this.#readyWaiters.splice(0)) waiter.resolve();
  }

  /**
   * Resolves when no task waits and none runs; the pool stays open. Tasks queued meanwhile are
   * waited for too.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { WorkerPool } from "@netkit/netkit/async";
   *
   * const entry = new URL("./worker_entry.ts", import.meta.resolve("@netkit/netkit/async"));
   * const code = `import { serveWorkerTasks } from "${entry}"; serveWorkerTasks((n) => n + 1);`;
   * await using pool = new WorkerPool<number, number>(
   *   `data:application/javascript,${encodeURIComponent(code)}`,
   *   { size: 1 },
   * );
   * const answers = [1, 2, 3].map((n) => pool.run(n));
   * await pool.drain();
   * assert.equal(pool.queued + pool.running, 0);
   * assert.deepEqual(await Promise.all(answers), [2, 3, 4]);
   * ```
   */
  drain(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Refuses new tasks, rejects the queued ones with {@linkcode PoolClosedError}, lets the
   * running ones finish, then stops every worker. Closing twice is harmless. To finish the queue
   * first, `await pool.drain()` before; to stop a running task, abort its `signal`.
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      const error = new PoolClosedError("worker pool");
      for (const task of this.#queue.splice(0)) task.reject(error);
      for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(error);
      this.#checkIdle();
    }
    await this.drain();
    for (const slot of this.#slots) {
      clearTimeout(slot.retry);
      slot.retry = undefined;
      slot.worker?.terminate();
      slot.worker = undefined;
    }
  }

  /** Same as {@linkcode WorkerPool.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #isIdle(): boolean {
    return this.#queue.length === 0 && this.#slots.every((slot) => slot.task === undefined);
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length > 0 && this.#isIdle()) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  #start(slot: Slot): void {
    slot.retry = undefined;
    if (this.#closed || this.#failure) return;
    this.#started++;
    let worker: Worker;
    try {
      worker = new Worker(this.#url, { type: "module", name: `${this.#name}-${slot.index}` });
    } catch (error) {
      // Not even started (a bad URL, a refused permission): as a worker that died at load.
      slot.ready = slot.answered = false;
      this.#died(slot, error instanceof Error ? error : new Error(String(error)));
      return;
    }
    slot.worker = worker;
    slot.ready = false;
    slot.answered = false;
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      if (slot.worker !== worker) return;
      const reply = event.data;
      // With an init value, a worker is ready once it has taken it.
      if (reply.kind === "ready") slot.ready = this.#init === undefined;
      else if (reply.kind === "initialized") slot.ready = true;
      if (reply.kind === "ready" || reply.kind === "initialized") this.#checkReady();
      else if (reply.kind === "fatal") this.#died(slot, remoteError(reply));
      else this.#settle(slot, reply);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      if (slot.worker !== worker) return;
      // No stack crosses from a worker that died before serveWorkerTasks(): where it died will do.
      const error = new Error(event.message);
      error.name = "WorkerError";
      error.stack = event.filename
        ? `${event.message}\n    at ${event.filename}:${event.lineno}:${event.colno}`
        : event.message;
      this.#died(slot, error);
    };
    worker.onmessageerror = () => {
      if (slot.worker === worker) this.#died(slot, new Error("A message could not be read"));
    };
    if (this.#init !== undefined) {
      worker.postMessage({ kind: "init", data: this.#init } satisfies HostMessage);
    }
  }

  #dispatch(slot: Slot, task: Task): void {
    slot.task = task;
    slot.id = this.#nextId++;
    try {
      slot.worker!.postMessage(
        { kind: "task", id: slot.id, data: task.message } satisfies HostMessage,
        task.transfer,
      );
    } catch (error) {
      slot.task = undefined;
      task.reject(error);
      this.#next(slot);
    }
  }

  #settle(slot: Slot, reply: WorkerReply): void {
    if (reply.kind !== "done" && reply.kind !== "failed") return;
    const task = slot.task;
    if (!task || reply.id !== slot.id) return;
    slot.task = undefined;
    slot.answered = true;
    this.#earlyDeaths = 0;
    if (reply.kind === "done") task.resolve(reply.value);
    else task.reject(new WorkerTaskError(reply.message, reply.name, { cause: remoteError(reply) }));
    this.#next(slot);
  }

  #died(slot: Slot, error: Error): void {
    slot.worker?.terminate();
    slot.worker = undefined;
    const task = slot.task;
    slot.task = undefined;
    const early = !slot.answered && (!slot.ready || task === undefined);
    if (!early) {
      // A crash during a task: that task fails, a fresh worker takes the next one at once.
      task?.reject(new WorkerCrashError(`The worker died: ${error.message}`, { cause: error }));
      if (this.#closed) return this.#checkIdle();
      this.#replaced++;
      this.#start(slot);
      this.#next(slot);
      return;
    }
    // Died before it could answer anything: the task never ran, so it waits again.
    if (task) this.#queue.unshift(task);
    this.#earlyDeaths++;
    // A refused permission will be refused again: no retry.
    const refused = permissionRefusal(error);
    if (refused) return this.#giveUp(refused);
    if (this.#earlyDeaths > this.#startRetries) return this.#giveUp(error);
    if (this.#closed) return this.#checkIdle();
    this.#replaced++;
    const delay = START_BACKOFF_MS * 2 ** (this.#earlyDeaths - 1);
    slot.retry = setTimeout(() => {
      this.#start(slot);
      this.#next(slot);
    }, delay);
  }

  /** The workers cannot start: stop them all and fail every task, now and later. */
  #giveUp(cause: Error): void {
    this.#failure = cause instanceof MissingPermissionError
      ? cause
      : new WorkerLoadError(this.#url, cause);
    const tasks = this.#queue.splice(0);
    for (const slot of this.#slots) {
      clearTimeout(slot.retry);
      slot.retry = undefined;
      slot.worker?.terminate();
      slot.worker = undefined;
      if (slot.task) tasks.push(slot.task);
      slot.task = undefined;
    }
    for (const task of tasks) task.reject(this.#failure);
    for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(this.#failure);
    this.#checkIdle();
  }

  #next(slot: Slot): void {
    if (!slot.worker || slot.task) return;
    const task = this.#queue.shift();
    if (task) this.#dispatch(slot, task);
    else this.#checkIdle();
  }
}
