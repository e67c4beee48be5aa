/**
 * The kind of a lookup's failure, glibc's (`h_errno`, getaddrinfo's `EAI_*`) or netkit's (the
 * error's class name and its `failure`), in words both map to, for tests that compare the two.
 *
 * @module
 */

/**
 * The kind of a failure, glibc's or netkit's, so that the two can be compared: `none` (no
 * failure), `not-found`, `no-data`, `again`, `fail`, or the error's name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { failureKind } from "./lookup_failure_kind.ts";
 *
 * assert.equal(failureKind("HOST_NOT_FOUND"), failureKind("DnsNotFoundError", "not-found"));
 * assert.equal(failureKind("EAI_AGAIN"), failureKind("DnsServerError", "server-failure"));
 * ```
 */
export function failureKind(error: string | undefined, failure?: string): string {
  switch (error) {
    case undefined:
      return "none";
    case "HOST_NOT_FOUND":
    case "EAI_NONAME":
      return "not-found";
    case "NO_DATA":
    case "EAI_NODATA":
    // getaddrinfo for a literal of the other family: "no address in the family asked".
    case "EAI_ADDRFAMILY":
      return "no-data";
    case "TRY_AGAIN":
    case "EAI_AGAIN":
      return "again";
    case "NO_RECOVERY":
    case "EAI_FAIL":
      return "fail";
  }
  if (failure === "not-found") return "not-found";
  if (failure === "no-data") return "no-data";
  if (failure === "server-failure" || failure === "timed-out") return "again";
  if (failure !== undefined) return "fail";
  // A name netkit refuses (InvalidHostNameError, a SyntaxError; RangeError): glibc finds nothing
  // by it.
  return error === "SyntaxError" || error === "InvalidHostNameError" || error === "RangeError"
    ? "not-found"
    : error;
}
