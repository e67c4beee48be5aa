/**
 * The error of a name that cannot be a host name, as a lookup and {@linkcode toAsciiHostName}
 * refuse it.
 *
 * @module
 */

import { markNetkitError } from "../io/netkit_error.ts";
import { quoteForMessage } from "../internal/quote.ts";

/**
 * A name that cannot be a host name (an empty label as in `name..test`, a label over 63 bytes, a
 * name over 253, a character no label may hold): refused before any question is sent. A
 * `SyntaxError`, as the house style has unparsable input, that is also a `NetkitError` with
 * `code` `"EBADNAME"`, as `node:dns`'s resolver names such a name (`dns.BADNAME`; its `lookup`,
 * which is getaddrinfo, says `ENOTFOUND` for it, as for a name that does not exist).
 *
 * @example Tell a mistyped name from one that does not exist
 * ```ts
 * import assert from "node:assert/strict";
 * import { InvalidHostNameError, lookupAddresses } from "@netkit/netkit/dns";
 *
 * await assert.rejects(lookupAddresses("www..example", { hostsFile: false }), (error) => {
 *   assert.ok(error instanceof InvalidHostNameError);
 *   assert.ok(error instanceof SyntaxError);
 *   assert.equal(error.code, "EBADNAME");
 *   assert.equal(error.hostName, "www..example");
 *   assert.equal(error.reason, "it has an empty label");
 *   assert.equal(error.message, 'Invalid host name "www..example": it has an empty label');
 *   return true;
 * });
 * ```
 */
export class InvalidHostNameError extends SyntaxError {
  /** Always `"EBADNAME"`. */
  declare readonly code: "EBADNAME";
  /** The name as it was given. */
  readonly hostName: string;
  /** What is wrong with it, e.g. `"it has an empty label"`. */
  readonly reason: string;

  /** Builds the error: `Invalid host name "NAME": REASON`. */
  constructor(hostName: string, reason: string) {
    super(`Invalid host name ${quoteForMessage(hostName)}: ${reason}`);
    this.name = "InvalidHostNameError";
    this.hostName = hostName;
    this.reason = reason;
    markNetkitError(this, "EBADNAME");
  }
}
