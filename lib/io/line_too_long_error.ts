/**
 * The error of a bounded line reader.
 *
 * @module
 */

import { markNetkitError } from "./netkit_error.ts";

/**
 * A line longer than the reader's limit arrived. Code `LINE_TOO_LONG`.
 *
 * It stays a `RangeError` (the house style's error for a value out of range) and carries the
 * brand of `NetkitError` through `markNetkitError`, so both `instanceof RangeError` and
 * `instanceof NetkitError` hold.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineTooLongError, NetkitError } from "@netkit/netkit/io";
 *
 * const error = new LineTooLongError(8);
 * assert.ok(error instanceof RangeError && error instanceof NetkitError);
 * assert.equal(error.code, "LINE_TOO_LONG");
 * assert.equal(error.limit, 8);
 * ```
 */
export class LineTooLongError extends RangeError {
  /** Always `"LINE_TOO_LONG"`. */
  declare readonly code: "LINE_TOO_LONG";
  /** The limit in bytes. */
  readonly limit: number;
  /** Builds the error for `limit`. */
  constructor(limit: number) {
    super(`Line longer than ${limit} bytes`);
    this.name = "LineTooLongError";
    this.limit = limit;
    markNetkitError(this, "LINE_TOO_LONG");
  }
}
