/**
 * Builds a word index in a worker of its own and posts back its `SharedArrayBuffer`, so the
 * build's garbage (the word list's strings) lives and dies in that worker's heap, not in the
 * heap of the thread that serves requests. Loaded by `lib/word_finder.ts`.
 *
 * @module
 */

import { loadWordIndex } from "./dictionary.ts";

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<{ dict?: string }>) => void) | null;
  postMessage(message: { buffer?: SharedArrayBuffer; error?: string }): void;
};

scope.onmessage = async (event) => {
  try {
    const index = await loadWordIndex({ dict: event.data.dict });
    scope.postMessage({ buffer: index.buffer as SharedArrayBuffer });
  } catch (error) {
    scope.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
