/**
 * A fixed set of Deno Workers running one module, fed from a bounded queue.
 *
 * The worker module calls {@linkcode serveWorkerTasks} with a function that answers one message;
 * the pool posts each {@linkcode WorkerPool.run} message to an idle worker and settles the promise
 * with the answer. A task that throws rejects that task only (a {@linkcode WorkerTaskError}); a
 * worker that dies (an uncaught error outside a task) is replaced, and its task rejects with a
 * {@linkcode WorkerCrashError}.
 *
 * @module
 */

/** The default number of queued tasks beyond the busy workers. */
export const DEFAULT_MAX_QUEUE = 1024;

/** Options for {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /** How many workers. @default {navigator.hardwareConcurrency} */
  size?: number | undefined;
  /** How many tasks may wait for a worker; beyond that `run()` rejects. @default {1024} */
  maxQueue?: number;
  /**
   * Posted to every worker (and every replacement) before its first task, e.g. a
   * `SharedArrayBuffer` that all workers share. Handed to the worker's `init`.
   */
  init?: unknown;
  /** A name for the workers, shown in stack traces. @default {"worker-pool"} */
  name?: string;
}

/** The worker's function threw; `message` is the worker's error message. */
export class WorkerTaskError extends Error {
  /** Builds the error from the name and message the worker sent. */
  constructor(message: string, remoteName = "Error") {
    super(message);
    this.name = "WorkerTaskError";
    this.remoteName = remoteName;
  }
  /** The name of the error thrown in the worker (`TypeError`, …). */
  readonly remoteName: string;
}

/** The worker running the task died; the pool has started another. */
export class WorkerCrashError extends Error {
  /** Builds the error. */
  constructor(message: string) {
    super(message);
    this.name = "WorkerCrashError";
  }
}

/** The pool's queue is full: the caller should shed load (e.g. answer 503). */
export class QueueFullError extends RangeError {
  /** Builds the error for a queue of `limit` tasks. */
  constructor(limit: number) {
    super(`The worker pool's queue is full (${limit} tasks)`);
    this.name = "QueueFullError";
  }
}

interface Task {
  message: unknown;
  transfer: Transferable[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
  id: number;
}

type HostMessage = { kind: "init"; data: unknown } | { kind: "task"; id: number; data: unknown };
type WorkerReply =
  | { kind: "done"; id: number; value: unknown }
  | { kind: "failed"; id: number; name: string; message: string };

/**
 * A fixed set of Deno Workers running one module.
 *
 * @typeParam In What {@linkcode WorkerPool.run} takes.
 * @typeParam Out What the worker answers.
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
export class WorkerPool<In = unknown, Out = unknown> implements AsyncDisposable {
  readonly #url: string;
  readonly #name: string;
  readonly #init: unknown;
  readonly #maxQueue: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  #nextId = 1;
  #closed = false;
  #replaced = 0;

  /**
   * Starts the workers.
   *
   * @param module The worker module's URL; it calls {@linkcode serveWorkerTasks}.
   * @throws {RangeError} for a size below 1 or a negative queue length.
   */
  constructor(module: string | URL, options: WorkerPoolOptions = {}) {
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
    this.#url = String(module);
    this.#name = options.name ?? "worker-pool";
    this.#init = options.init;
    for (let i = 0; i < size; i++) this.#slots.push(this.#start(i));
  }

  /** How many workers the pool runs. */
  get size(): number {
    return this.#slots.length;
  }

  /** How many tasks wait for a worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** How many workers have been replaced after dying. */
  get replaced(): number {
    return this.#replaced;
  }

  /**
   * Runs one task on the next idle worker.
   *
   * @param message Posted to the worker (structured clone; `transfer` moves buffers instead).
   * @returns What the worker's function returned.
   * @throws {WorkerTaskError} if the worker's function threw.
   * @throws {WorkerCrashError} if the worker died during the task.
   * @throws {QueueFullError} if the queue is full.
   * @throws {Error} if the pool is closed.
   */
  run(message: In, transfer: Transferable[] = []): Promise<Out> {
    if (this.#closed) return Promise.reject(new Error("The worker pool is closed"));
    return new Promise<Out>((resolve, reject) => {
      const task: Task = { message, transfer, resolve: resolve as (v: unknown) => void, reject };
      const idle = this.#slots.find((slot) => slot.task === undefined);
      if (idle) {
        this.#dispatch(idle, task);
      } else if (this.#queue.length >= this.#maxQueue) {
        reject(new QueueFullError(this.#maxQueue));
      } else {
        this.#queue.push(task);
      }
    });
  }

  /** Stops every worker; queued and running tasks reject. Closing twice is harmless. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    const error = new Error("The worker pool is closed");
    for (const task of this.#queue.splice(0)) task.reject(error);
    for (const slot of this.#slots) {
      slot.worker.terminate();
      slot.task?.reject(error);
      slot.task = undefined;
    }
    return Promise.resolve();
  }

  /** Same as {@linkcode WorkerPool.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #start(index: number): Slot {
    const worker = new Worker(this.#url, { type: "module", name: `${this.#name}-${index}` });
    const slot: Slot = { worker, task: undefined, id: 0 };
    worker.onmessage = (event: MessageEvent<WorkerReply>) => this.#settle(slot, event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#replace(index, slot, event.message);
    };
    worker.onmessageerror = () => this.#replace(index, slot, "A message could not be read");
    if (this.#init !== undefined) {
      worker.postMessage({ kind: "init", data: this.#init } satisfies HostMessage);
    }
    return slot;
  }

  #dispatch(slot: Slot, task: Task): void {
    slot.task = task;
    slot.id = this.#nextId++;
    try {
      slot.worker.postMessage(
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
    const task = slot.task;
    if (!task || reply.id !== slot.id) return;
    slot.task = undefined;
    if (reply.kind === "done") task.resolve(reply.value);
    else task.reject(new WorkerTaskError(reply.message, reply.name));
    this.#next(slot);
  }

  #replace(index: number, slot: Slot, message: string): void {
    if (this.#slots[index] !== slot) return;
    slot.worker.terminate();
    slot.task?.reject(new WorkerCrashError(`The worker died: ${message}`));
    slot.task = undefined;
    if (this.#closed) return;
    this.#replaced++;
    const fresh = this.#start(index);
    this.#slots[index] = fresh;
    this.#next(fresh);
  }

  #next(slot: Slot): void {
    const task = this.#queue.shift();
    if (task) this.#dispatch(slot, task);
  }
}

/**
 * The worker side of a {@linkcode WorkerPool}: answers each task with `run(message)`.
 *
 * @param run Answers one task; what it throws rejects that task only.
 * @param init Receives the pool's `init` value before the first task.
 *
 * @example A worker module
 * ```ts ignore
 * // shout_worker.ts: runs inside a Worker, so this example is not run on its own (the next is)
 * import { serveWorkerTasks } from "@netkit/netkit/async";
 *
 * serveWorkerTasks((text: string) => text.toUpperCase());
 * ```
 *
 * @example The same module served to a pool; a task that throws rejects that task only
 * ```ts
 * import assert from "node:assert/strict";
 * import { WorkerPool, WorkerTaskError } from "@netkit/netkit/async";
 *
 * const code = `
 *   import { serveWorkerTasks } from "${import.meta.resolve("@netkit/netkit/async")}";
 *   serveWorkerTasks((text) => {
 *     if (text === "") throw new RangeError("Nothing to shout");
 *     return text.toUpperCase();
 *   });
 * `;
 * const url = `data:application/javascript,${encodeURIComponent(code)}`;
 * await using pool = new WorkerPool<string, string>(url, { size: 1 });
 * assert.equal(await pool.run("lexical"), "LEXICAL");
 * await assert.rejects(pool.run(""), (error) => {
 *   assert.ok(error instanceof WorkerTaskError);
 *   assert.equal(error.remoteName, "RangeError");
 *   assert.equal(error.message, "Nothing to shout");
 *   return true;
 * });
 * assert.equal(await pool.run("still here"), "STILL HERE");
 * ```
 */
export function serveWorkerTasks<In, Out>(
  run: (message: In) => Out | Promise<Out>,
  init?: (data: unknown) => void | Promise<void>,
): void {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent<HostMessage>) => void) | null;
    postMessage(message: WorkerReply): void;
  };
  let ready: Promise<void> = Promise.resolve();
  scope.onmessage = (event) => {
    const message = event.data;
    if (message.kind === "init") {
      ready = ready.then(() => init?.(message.data));
      return;
    }
    const { id } = message;
    ready.then(() => run(message.data as In)).then(
      (value) => scope.postMessage({ kind: "done", id, value }),
      (error) =>
        scope.postMessage({
          kind: "failed",
          id,
          name: error instanceof Error ? error.name : "Error",
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  };
}
