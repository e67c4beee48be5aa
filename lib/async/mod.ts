/**
 * Concurrency with limits: {@linkcode TaskPool} runs async tasks a few at a time, {@linkcode
 * WorkerPool} runs them on Web Workers (the thread pool of the lecture, the networking lecture
 * notes netkit implements), and {@linkcode LruCache} keeps
 * answers bounded by count and bytes, with one computation per key in flight.
 *
 * @module
 */

export * from "./task_pool.ts";
export * from "./worker_pool.ts";
export * from "./lru_cache.ts";
