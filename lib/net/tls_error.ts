/**
 * The error of a failed TLS handshake.
 *
 * @module
 */

import { NetkitError } from "../io/netkit_error.ts";
import type { CertificateProblems } from "./certificate_problems.ts";

/**
 * The TLS handshake failed; `verification` tells an untrusted or misnamed certificate from other
 * failures. The code is `TLS_CERTIFICATE` for the former, `TLS_HANDSHAKE` for the rest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TlsError } from "@netkit/netkit/net";
 *
 * const error = new TlsError('Cannot verify "localhost:443": unknown issuer', true);
 * assert.ok(error.verification);
 * assert.equal(error.code, "TLS_CERTIFICATE");
 * ```
 */
export class TlsError extends NetkitError {
  /** True when the peer's certificate could not be verified. */
  readonly verification: boolean;
  /** What is wrong with the certificate, when a verification failure could tell. */
  readonly problems: CertificateProblems | undefined;
  /** Builds the error. */
  constructor(
    message: string,
    verification: boolean,
    options?: ErrorOptions & { problems?: CertificateProblems | undefined },
  ) {
    super(verification ? "TLS_CERTIFICATE" : "TLS_HANDSHAKE", message, options);
    this.name = "TlsError";
    this.verification = verification;
    this.problems = options?.problems;
  }
}
