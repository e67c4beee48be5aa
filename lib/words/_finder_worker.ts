/**
 * The worker module of the word finder's {@linkcode WorkerPool}: it receives the shared index
 * bytes once (`init`) and answers racks. Loaded by `lib/words/finder.ts`; a compiled binary needs
 * `deno compile --include lib/words/_finder_worker.ts`. It imports the pool's worker side alone
 * (`worker_entry.ts`), not the pool.
 *
 * @module
 */

import { serveWorkerTasks } from "../async/worker_entry.ts";
import { WordIndex } from "./word_index.ts";

let index: WordIndex | undefined;

/** Answers one rack; the pool in `finder.ts` is typed by this function. */
export function findRack(rack: string): string[] {
  if (!index) throw new Error("The word index has not arrived");
  return index.find(rack);
}

serveWorkerTasks(findRack, (data: SharedArrayBuffer) => {
  index = new WordIndex(data);
});
