/**
 * The worker side of a {@linkcode WorkerPool}, alone: a worker module imports this file (or
 * `@netkit/netkit/async`, which loads only the async package) and nothing else of netkit.
 *
 * @module
 */

import type { HostMessage, RemoteError, WorkerReply } from "./_worker_protocol.ts";

/**
 * The type of what a worker's task function takes, so that the pool is typed by the worker's own
 * function: `new WorkerPool<TaskInput<typeof shout>, TaskOutput<typeof shout>>(url)` with
 * `import type { shout } from "./shout_worker.ts"` (a type-only import loads nothing).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { TaskInput, TaskOutput } from "@netkit/netkit/async";
 *
 * const shout = (text: string) => Promise.resolve(text.toUpperCase());
 * const input: TaskInput<typeof shout> = "lexical";
 * const output: TaskOutput<typeof shout> = await shout(input);
 * assert.equal(output, "LEXICAL");
 * ```
 */
export type TaskInput<Run> = Run extends (message: infer In) => unknown ? In : never;

/**
 * The type of what a worker's task function answers, promises unwrapped; see
 * {@linkcode TaskInput}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { TaskOutput } from "@netkit/netkit/async";
 *
 * const count = (text: string) => Promise.resolve(text.length);
 * const answer: TaskOutput<typeof count> = await count("four");
 * assert.equal(answer, 4);
 * ```
 */
export type TaskOutput<Run> = Run extends (message: never) => infer Out ? Awaited<Out> : never;

function toRemote(error: unknown): RemoteError {
  if (error instanceof Error) {
    const remote: RemoteError = { name: error.name, message: error.message };
    if (error.stack !== undefined) remote.stack = error.stack;
    return remote;
  }
  return { name: "Error", message: String(error) };
}

/**
 * Serves a {@linkcode WorkerPool}: answers each task with `run(message)`. Call it once, at the top
 * level of the worker module. From then on an uncaught error or unhandled rejection in the worker
 * is reported to the pool with its stack (the pool replaces the worker) instead of printed.
 *
 * @typeParam In What the pool's `run()` sends.
 * @typeParam Out What `run` answers (structured-cloneable).
 * @typeParam Init The pool's `init` value.
 * @param run Answers one task; what it throws rejects that task only (a `WorkerTaskError`).
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
export function serveWorkerTasks<In, Out, Init = unknown>(
  run: (message: In) => Out | Promise<Out>,
  init?: (data: Init) => void | Promise<void>,
): void {
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent<HostMessage>) => void) | null;
    postMessage(message: WorkerReply): void;
    addEventListener(type: string, listener: (event: Event) => void): void;
  };
  const fatal = (error: unknown) => scope.postMessage({ kind: "fatal", ...toRemote(error) });
  scope.addEventListener("error", (event) => {
    event.preventDefault();
    fatal((event as ErrorEvent).error ?? new Error((event as ErrorEvent).message));
  });
  scope.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    fatal((event as PromiseRejectionEvent).reason);
  });
  let ready: Promise<boolean> = Promise.resolve(true);
  scope.onmessage = (event) => {
    const message = event.data;
    if (message.kind === "init") {
      // A failing init leaves the worker useless: the pool replaces it, and its tasks, which
      // never ran, go to the next worker.
      ready = ready.then(async () => {
        await init?.(message.data as Init);
        scope.postMessage({ kind: "initialized" });
        return true;
      }).catch((error) => {
        fatal(error);
        return false;
      });
      return;
    }
    const { id } = message;
    ready.then(async (usable) => {
      if (!usable) return;
      try {
        scope.postMessage({ kind: "done", id, value: await run(message.data as In) });
      } catch (error) {
        scope.postMessage({ kind: "failed", id, ...toRemote(error) });
      }
    });
  };
  scope.postMessage({ kind: "ready" });
}
