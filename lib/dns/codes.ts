/**
 * The numbers of DNS record types and response codes, the name of a response code, and the
 * resolver's limit on CNAME questions ({@linkcode MAX_CNAME_LINKS}): what the
 * resolver's errors and the commands name without loading the message codec (`message.ts`, which
 * re-exports them).
 *
 * @module
 */

/** Record types by name (RFC 1035, RFC 3596). */
export const DNS_TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  OPT: 41,
} as const;

/** Response codes by name (RFC 1035 section 4.1.1). */
export const DNS_RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

/**
 * The name of a response code (`"NXDOMAIN"`), or `"RCODE n"` for one without a name here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rcodeName } from "@netkit/netkit/dns";
 *
 * assert.equal(rcodeName(3), "NXDOMAIN");
 * ```
 */
export function rcodeName(rcode: number): string {
  const found = Object.entries(DNS_RCODE).find(([, value]) => value === rcode);
  return found ? found[0] : `RCODE ${rcode}`;
}

/**
 * The most CNAME targets asked about with questions of their own before giving up. A chain inside
 * one answer is followed to its end whatever its length, as glibc follows it (60 links checked
 * with getent); glibc asks no second question at all. (Here, not beside the resolver's options:
 * a module of types only is never loaded, one with a value costs a command's start-up ~50 microseconds.)
 */
export const MAX_CNAME_LINKS = 16;
