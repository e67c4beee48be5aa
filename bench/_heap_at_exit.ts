/**
 * Loaded with `deno run --preload bench/_heap_at_exit.ts --v8-flags=--expose-gc PROGRAM`: when
 * the program ends, one full garbage collection, then one JSON line on stderr with what the heap
 * still holds (`heapUsed`), the heap's size and the resident set, in bytes. Used by
 * bench/wget_mirror_heap.ts.
 *
 * @module
 */

globalThis.addEventListener("unload", () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, heapTotal, rss } = Deno.memoryUsage();
  console.error(JSON.stringify({ heapAtExit: { heapUsed, heapTotal, rss } }));
});
