/**
 * The worker module of the word finder's {@linkcode WorkerPool}: it receives the shared index
 * bytes once (`init`) and answers racks. Loaded by `lib/word_finder.ts`; a compiled binary needs
 * `deno compile --include lib/_word_finder_worker.ts`.
 *
 * @module
 */

import { serveWorkerTasks } from "../async/worker_pool.ts";
import { WordIndex } from "./word_index.ts";

let index: WordIndex | undefined;

serveWorkerTasks(
  (rack: string) => {
    if (!index) throw new Error("The word index has not arrived");
    return index.find(rack);
  },
  (data) => {
    index = new WordIndex(data as SharedArrayBuffer);
  },
);
