/**
 * What is wrong with a server's certificate, in the terms GNU wget (built with GnuTLS) reports it:
 * not trusted, no known issuer, revoked, not yet valid, expired, another host's name.
 *
 * @module
 */

/** What is wrong with a server's certificate; all false for a good one. */
export interface CertificateProblems {
  /** The host name (or address) the certificate was checked for. */
  host: string;
  /** The chain does not verify (an unknown issuer, a bad signature, a date out of range). */
  untrusted: boolean;
  /** No trusted root issued it (self-signed, or a chain that ends at an unknown CA). */
  unknownIssuer: boolean;
  /** Its issuer revoked it. */
  revoked: boolean;
  /** Its validity starts later. */
  notActivated: boolean;
  /** Its validity has ended. */
  expired: boolean;
  /** It names another host. */
  nameMismatch: boolean;
}

/** What a TLS client learnt of the certificate (node:tls with `rejectUnauthorized: false`). */
export interface CertificateFacts {
  /** OpenSSL's verification result (`authorizationError`), or none when the chain verified. */
  verifyError?: string | undefined;
  /** The certificate's validity (`valid_from`, `valid_to` as node:tls gives them). */
  validFrom: string;
  validTo: string;
  /** The host name check failed. */
  nameMismatch: boolean;
  /**
   * Whether a trusted root issued the chain, asked only when the chain did not verify: the
   * verification result names one failure (and Deno's node:tls, on rustls, says
   * `UNABLE_TO_VERIFY_LEAF_SIGNATURE` for an expired certificate it trusts).
   */
  issuerKnown: () => boolean;
  /** The time to check the dates at. @default {Date.now()} */
  now?: number;
}

/**
 * The problems `facts` show, as GNU wget's GnuTLS check reports them.
 *
 * @example A self-signed certificate, for another name, expired
 * ```ts
 * import assert from "node:assert/strict";
 * import { certificateProblems } from "@netkit/netkit/net";
 *
 * const problems = certificateProblems("127.0.0.1", {
 *   verifyError: "CERT_HAS_EXPIRED",
 *   validFrom: "Jan  1 00:00:00 2020 GMT",
 *   validTo: "Jan  2 00:00:00 2020 GMT",
 *   nameMismatch: true,
 *   issuerKnown: () => false,
 * });
 * assert.deepEqual(problems, {
 *   host: "127.0.0.1",
 *   untrusted: true,
 *   unknownIssuer: true,
 *   revoked: false,
 *   notActivated: false,
 *   expired: true,
 *   nameMismatch: true,
 * });
 * ```
 */
export function certificateProblems(host: string, facts: CertificateFacts): CertificateProblems {
  const now = facts.now ?? Date.now();
  const code = facts.verifyError === "ERR_TLS_CERT_ALTNAME_INVALID" ? undefined : facts.verifyError;
  const expired = now > Date.parse(facts.validTo);
  const notActivated = now < Date.parse(facts.validFrom);
  const unknownIssuer = code !== undefined && !facts.issuerKnown();
  return {
    host,
    untrusted: code !== undefined || expired || notActivated,
    unknownIssuer,
    revoked: code === "CERT_REVOKED",
    notActivated,
    expired,
    nameMismatch: facts.nameMismatch,
  };
}

/**
 * Any of `problems`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hasCertificateProblems } from "@netkit/netkit/net";
 *
 * const good = {
 *   host: "localhost",
 *   untrusted: false,
 *   unknownIssuer: false,
 *   revoked: false,
 *   notActivated: false,
 *   expired: false,
 *   nameMismatch: false,
 * };
 * assert.equal(hasCertificateProblems(good), false);
 * assert.equal(hasCertificateProblems({ ...good, nameMismatch: true }), true);
 * ```
 */
export function hasCertificateProblems(problems: CertificateProblems): boolean {
  return problems.untrusted || problems.unknownIssuer || problems.revoked ||
    problems.notActivated || problems.expired || problems.nameMismatch;
}
