/**
 * The messages between a {@linkcode WorkerPool} and its workers ({@linkcode serveWorkerTasks}).
 *
 * @module
 */

/** From the pool to a worker. */
export type HostMessage =
  | { kind: "init"; data: unknown }
  | { kind: "task"; id: number; data: unknown };

/** An error as it crosses the worker boundary. */
export interface RemoteError {
  name: string;
  message: string;
  stack?: string;
}

/** From a worker to the pool. */
export type WorkerReply =
  // serveWorkerTasks() was called: the module has loaded.
  | { kind: "ready" }
  // The pool's init value was taken without error.
  | { kind: "initialized" }
  | { kind: "done"; id: number; value: unknown }
  | ({ kind: "failed"; id: number } & RemoteError)
  // An uncaught error or unhandled rejection outside a task: the worker is done for.
  | ({ kind: "fatal" } & RemoteError);
