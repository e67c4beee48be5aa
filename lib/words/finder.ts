/**
 * Word finders for the lexical server: the same question ("which words does this rack make?")
 * answered by a pool of workers sharing one index, or by running the `scrabble-word-finder`
 * program once per question, as the lecture's server does (the lecture: the networking lecture
 * notes netkit implements).
 *
 * @module
 */

import { QueueFullError, WorkerPool } from "../async/worker_pool.ts";
import { subprocess } from "../process/subprocess.ts";
import { TaskPool } from "../async/task_pool.ts";
import { PoolClosedError } from "../async/pool_closed_error.ts";
import type { TaskInput, TaskOutput } from "../async/worker_entry.ts";
import type { findRack } from "./_finder_worker.ts";

/** Answers racks; {@linkcode createWordFinder} makes one. */
export interface WordFinder extends AsyncDisposable {
  /** How the finder works. */
  readonly kind: "worker" | "subprocess";
  /**
   * The words a checked, lowercase rack can form, longest first then alphabetically.
   *
   * @throws {QueueFullError} when too many racks wait; other errors when the finder fails.
   * @throws {PoolClosedError} after {@linkcode WordFinder.close}.
   * @throws The `signal`'s reason when aborted (the worker or the child is stopped).
   */
  find(rack: string, options?: { signal?: AbortSignal | undefined }): Promise<string[]>;
  /**
   * Refuses new racks and rejects the waiting ones; worker mode lets the running ones finish,
   * subprocess mode kills their children. Later calls reject.
   */
  close(): Promise<void>;
}

/** Options for {@linkcode createWordFinder}. */
export interface WordFinderOptions {
  /** `"worker"`: a {@linkcode WorkerPool} over one shared index. `"subprocess"`: a program per rack. */
  kind: "worker" | "subprocess";
  /** A word list file (one word per line) instead of SOWPODS. */
  dict?: string | undefined;
  /** Worker mode: how many workers. @default {navigator.hardwareConcurrency} */
  workers?: number | undefined;
  /**
   * Subprocess mode: the program and its first arguments (the rack is appended), e.g.
   * `["./dist/scrabble-word-finder"]`. Required in subprocess mode.
   */
  command?: string[] | undefined;
  /** Subprocess mode: how many children at once. @default {2 x cores} */
  maxChildren?: number;
  /**
   * Subprocess mode: kill a child after this long, with every process it started (each child
   * leads its own process group, and the group is killed). @default {30000}
   */
  timeoutMs?: number;
  /** How many racks may wait. @default {1024} */
  maxQueue?: number;
}

/**
 * Starts a word finder. Worker mode builds the index once in this thread and hands the same
 * `SharedArrayBuffer` to every worker, so N workers do not hold N copies.
 *
 * @throws {TypeError} when subprocess mode has no command.
 * @throws {WorkerLoadError} when the workers cannot load their module.
 *
 * @example Two workers sharing one index of a small word list
 * ```ts
 * import assert from "node:assert/strict";
 * import { createWordFinder } from "@netkit/netkit/words";
 *
 * const dict = await Deno.makeTempFile();
 * await Deno.writeTextFile(dict, "axe\nice\nlexical\nzebra\n");
 * {
 *   await using finder = await createWordFinder({ kind: "worker", workers: 2, dict });
 *   assert.equal(finder.kind, "worker");
 *   assert.deepEqual(await finder.find("lexical"), ["lexical", "axe", "ice"]);
 *   assert.deepEqual(await finder.find("qqq"), []);
 * }
 * await Deno.remove(dict);
 * ```
 */
export async function createWordFinder(options: WordFinderOptions): Promise<WordFinder> {
  const maxQueue = options.maxQueue ?? 1024;
  if (options.kind === "worker") {
    const buffer = await buildIndexInWorker(options.dict);
    // Typed by the worker's own function: a type-only import, which loads nothing here.
    const pool = new WorkerPool<
      TaskInput<typeof findRack>,
      TaskOutput<typeof findRack>,
      SharedArrayBuffer
    >(
      new URL("./_finder_worker.ts", import.meta.url),
      { size: options.workers, init: buffer, maxQueue, name: "word-finder" },
    );
    try {
      // A worker module that cannot load fails the start, not every request after it.
      await pool.ready();
    } catch (error) {
      await pool.close();
      throw error;
    }
    return {
      kind: "worker",
      find: (rack, findOptions = {}) => pool.run(rack, { signal: findOptions.signal }),
      close: () => pool.close(),
      [Symbol.asyncDispose]: () => pool.close(),
    };
  }
  const command = options.command;
  if (!command || command.length === 0) {
    throw new TypeError("The subprocess word finder needs a command");
  }
  const argv = options.dict === undefined ? command : [...command, "--dict", options.dict];
  const children = new TaskPool(options.maxChildren ?? 2 * (navigator.hardwareConcurrency ?? 1));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const stop = new AbortController();
  const close = async () => {
    stop.abort(new PoolClosedError("word finder"));
    await children.close();
  };
  return {
    kind: "subprocess",
    find: (rack, findOptions = {}) => {
      if (stop.signal.aborted) return Promise.reject(stop.signal.reason);
      if (children.full && children.pending >= maxQueue) {
        return Promise.reject(new QueueFullError(maxQueue));
      }
      const signal = findOptions.signal;
      return children.run(async () => {
        // The time limit starts when the child does, not while the rack waits.
        const timeout = AbortSignal.timeout(timeoutMs);
        const limits = [stop.signal, timeout];
        if (signal) limits.push(signal);
        try {
          return await runFinder([...argv, rack], AbortSignal.any(limits));
        } catch (error) {
          if (error !== timeout.reason) throw error;
          throw new Error(
            `The word finder "${argv[0]}" took longer than ${timeoutMs / 1000} s and was killed`,
            { cause: error },
          );
        }
      }, { signal });
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * Builds the index in a short-lived worker: the word list's strings and the build's garbage stay
 * out of this thread's heap, which otherwise grows by some 60 MB more under load.
 */
async function buildIndexInWorker(dict?: string): Promise<SharedArrayBuffer> {
  const worker = new Worker(new URL("./_index_worker.ts", import.meta.url), {
    type: "module",
    name: "word-index-builder",
  });
  try {
    const reply = await new Promise<{ buffer?: SharedArrayBuffer; error?: string }>(
      (resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(event.message));
        };
        worker.postMessage({ dict });
      },
    );
    if (!reply.buffer) throw new Error(reply.error ?? "The word index could not be built");
    return reply.buffer;
  } finally {
    worker.terminate();
  }
}

async function runFinder(argv: string[], signal: AbortSignal): Promise<string[]> {
  // stderr is collected (its last 4 KiB), never left to fill a pipe, and quoted on failure.
  // Its own process group: at the time limit the finder's own children are killed with it.
  await using child = subprocess(argv, {
    stdout: "piped",
    stderr: "collect",
    maxStderrBytes: 4096,
    signal,
    processGroup: true,
  });
  const words: string[] = [];
  for await (const line of child.lines()) words.push(line);
  const status = await child.status;
  if (!status.success) {
    const how = status.signal ? `was killed by ${status.signal}` : `exited with ${status.code}`;
    const said = (await child.stderrText()).trim().split("\n").at(-1);
    throw new Error(`The word finder "${argv[0]}" ${how}${said ? `: ${said}` : ""}`);
  }
  return words;
}
