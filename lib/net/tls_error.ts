/**
 * The error of a failed TLS handshake.
 *
 * @module
 */

/**
 * The TLS handshake failed; `verification` tells an untrusted or misnamed certificate from other
 * failures.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TlsError } from "@netkit/netkit/net";
 *
 * const error = new TlsError('Cannot verify "localhost:443": unknown issuer', true);
 * assert.ok(error.verification);
 * ```
 */
export class TlsError extends Error {
  /** True when the peer's certificate could not be verified. */
  readonly verification: boolean;
  /** Builds the error. */
  constructor(message: string, verification: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = "TlsError";
    this.verification = verification;
  }
}
