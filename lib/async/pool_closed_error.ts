/**
 * The error both pools give for work they will not do because they were closed.
 *
 * @module
 */

import { NetkitError } from "../io/netkit_error.ts";

/**
 * A task was refused, or dropped from the queue, because its pool ({@linkcode TaskPool} or
 * {@linkcode WorkerPool}) was closed. Code `POOL_CLOSED`.
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
export class PoolClosedError extends NetkitError {
  /**
   * Builds the error.
   *
   * @param pool Which pool, for the message. @default {"pool"}
   */
  constructor(pool = "pool") {
    super("POOL_CLOSED", `The ${pool} is closed`);
    this.name = "PoolClosedError";
  }
}
