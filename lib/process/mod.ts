/**
 * Subprocesses as streams, and the shutdown signal (SIGINT, SIGTERM) servers stop on.
 *
 * @module
 */

export * from "./subprocess.ts";
export * from "./shutdown_signal.ts";
