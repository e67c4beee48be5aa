/**
 * The error both pools give for work they will not do because they were closed.
 *
 * @module
 */

/**
 * A task was refused, or dropped from the queue, because its pool ({@linkcode TaskPool} or
 * {@linkcode WorkerPool}) was closed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PoolClosedError, TaskPool } from "@netkit/netkit/async";
 *
 * const pool = new TaskPool(1);
 * await pool.close();
 * await assert.rejects(pool.run(() => 1), PoolClosedError);
 * ```
 */
export class PoolClosedError extends Error {
  /**
   * Builds the error.
   *
   * @param pool Which pool, for the message. @default {"pool"}
   */
  constructor(pool = "pool") {
    super(`The ${pool} is closed`);
    this.name = "PoolClosedError";
  }
}
