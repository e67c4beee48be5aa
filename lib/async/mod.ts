/**
 * Concurrency with limits: {@linkcode TaskPool} runs async tasks a few at a time, {@linkcode
 * WorkerPool} runs them on Web Workers (the thread pool of the lecture, the networking lecture
 * notes netkit implements), and {@linkcode LruCache} keeps
 * answers bounded by count and bytes, with one computation per key in flight. Both pools close
 * alike (`close()` refuses new tasks, rejects the queued ones with {@linkcode PoolClosedError},
 * lets the running ones finish; `drain()` finishes the queue) and take a `signal` per task. A
 * worker module imports {@linkcode serveWorkerTasks} from this package (or from
 * `worker_entry.ts` alone) and loads nothing else of netkit.
 *
 * @module
 */

export * from "./pool_closed_error.ts";
export * from "./task_pool.ts";
export * from "./worker_pool.ts";
export * from "./worker_entry.ts";
export * from "./lru_cache.ts";
