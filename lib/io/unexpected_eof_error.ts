/**
 * The one end-of-stream error of netkit.
 *
 * @module
 */

import { NetkitError } from "./netkit_error.ts";

/**
 * The peer ended the stream part-way through something a reader needed: the rest of a body, a
 * length-prefixed message, a chunk. Code `UNEXPECTED_EOF`.
 *
 * This is netkit's only error for end of stream. A clean end, before the first byte of what is
 * read, is not an error: line readers such as `SocketStream.readLine()` return `null` for it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { UnexpectedEofError } from "@netkit/netkit/io";
 *
 * const error = new UnexpectedEofError(4, 3);
 * assert.equal(error.code, "UNEXPECTED_EOF");
 * assert.equal(error.message, "Connection closed after 3 of 4 bytes");
 * ```
 */
export class UnexpectedEofError extends NetkitError {
  /** How many bytes were wanted. */
  readonly expected: number;
  /** How many arrived before the end. */
  readonly received: number;
  /** Builds the error; `message` replaces the default one that counts the bytes. */
  constructor(expected: number, received: number, message?: string, options?: ErrorOptions) {
    super(
      "UNEXPECTED_EOF",
      message ?? `Connection closed after ${received} of ${expected} bytes`,
      options,
    );
    this.name = "UnexpectedEofError";
    this.expected = expected;
    this.received = received;
  }
}
