/**
 * The typed errors of a DNS lookup, one class per case a user or a program acts on differently:
 * the name does not exist, it has no record of the family asked, the server failed or refused,
 * nobody answered in time, the answer was garbage, the CNAME chain looped or ran too long.
 *
 * @module
 */

import { rcodeName } from "./codes.ts";
import { markNetkitError, NetkitError } from "../io/netkit_error.ts";

/** What went wrong in a DNS lookup. */
export type DnsFailure =
  | "not-found"
  | "no-data"
  | "server-failure"
  | "timed-out"
  | "bad-response"
  | "cname-loop"
  | "cname-too-long";

/**
 * The `code` of each failure, as Node's `dns` module names them where it has a name (`ENOTFOUND`,
 * `ENODATA`, `ESERVFAIL`, `EBADRESP`), netkit's `TIMEOUT` for a deadline.
 */
const FAILURE_CODES: Record<DnsFailure, string> = {
  "not-found": "ENOTFOUND",
  "no-data": "ENODATA",
  "server-failure": "ESERVFAIL",
  "timed-out": "TIMEOUT",
  "bad-response": "EBADRESP",
  "cname-loop": "CNAME_LOOP",
  "cname-too-long": "CNAME_TOO_LONG",
};

/** The `code` of a server's error answer, as Node's `dns` module names them. */
const RCODE_CODES: Record<string, string> = {
  FORMERR: "EFORMERR",
  SERVFAIL: "ESERVFAIL",
  NOTIMP: "ENOTIMP",
  REFUSED: "EREFUSED",
};

/** Options of the {@linkcode DnsError} classes. */
export interface DnsErrorOptions {
  /** The name server asked, as `HOST:PORT` or `[HOST]:PORT`. */
  server?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * The base of every DNS lookup error; `failure` says which case it is, and `code` (it is a
 * `NetkitError`) the same as Node's `dns` module spells it: `ENOTFOUND`, `ENODATA`, `ESERVFAIL`
 * (`EREFUSED`, `ENOTIMP`, `EFORMERR` for those answers), `TIMEOUT`, `EBADRESP`, `CNAME_LOOP`,
 * `CNAME_TOO_LONG`.
 *
 * What a program sees, beside `node:dns` (its resolver, c-ares; its `lookup` is getaddrinfo,
 * which says `ENOTFOUND` for no such name and no data alike, and `EAI_AGAIN` for the rest):
 *
 * | case | netkit class | `code` | `node:dns` resolver |
 * | --- | --- | --- | --- |
 * | NXDOMAIN | {@linkcode DnsNotFoundError} | `ENOTFOUND` | `ENOTFOUND` |
 * | no record of the type | {@linkcode DnsNoDataError} | `ENODATA` | `ENODATA` |
 * | SERVFAIL, REFUSED, NOTIMP, FORMERR | {@linkcode DnsServerError} | `ESERVFAIL`, `EREFUSED`, `ENOTIMP`, `EFORMERR` | the same |
 * | no answer in time | {@linkcode DnsTimeoutError} | `TIMEOUT` (every deadline of netkit's) | `ETIMEOUT` |
 * | a garbled answer | {@linkcode DnsBadResponseError} | `EBADRESP` | `EBADRESP` |
 * | a CNAME loop, a chain too long | {@linkcode DnsCnameChainError} | `CNAME_LOOP`, `CNAME_TOO_LONG` | none |
 * | no host name (`a..b`, a 64-byte label) | `InvalidHostNameError` (a `SyntaxError`) | `EBADNAME` | `EBADNAME` |
 * | nothing listens, no socket (EMFILE) | `SocketError` (from `@netkit/netkit/net`) | `ECONNREFUSED`, `SOCKET_ERROR` | `ECONNREFUSED` |
 *
 * @example Branch on the kind of failure
 * ```ts
 * import assert from "node:assert/strict";
 * import { DnsError, DnsNotFoundError } from "@netkit/netkit/dns";
 *
 * const error: DnsError = new DnsNotFoundError("nx.test", { server: "127.0.0.1:53" });
 * assert.equal(error.failure, "not-found");
 * assert.equal(error.code, "ENOTFOUND");
 * assert.equal(error.query, "nx.test");
 * ```
 */
export class DnsError extends NetkitError {
  /** Which case this is. */
  readonly failure: DnsFailure;
  /** The name (or address) looked up. */
  readonly query: string;
  /** The name server asked, when one was. */
  readonly server?: string | undefined;

  /** Builds the error: `Cannot resolve "QUERY": DETAIL`. */
  constructor(failure: DnsFailure, query: string, detail: string, options: DnsErrorOptions = {}) {
    super(FAILURE_CODES[failure], `Cannot resolve "${query}": ${detail}`, {
      cause: options.cause,
    });
    this.name = "DnsError";
    this.failure = failure;
    this.query = query;
    this.server = options.server;
  }
}

/**
 * The name does not exist (NXDOMAIN), or is not in the hosts file and no DNS was asked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DnsNotFoundError } from "@netkit/netkit/dns";
 *
 * assert.equal(new DnsNotFoundError("nx.test").message, 'Cannot resolve "nx.test": no such name');
 * ```
 */
export class DnsNotFoundError extends DnsError {
  /** Builds the error. */
  constructor(query: string, options: DnsErrorOptions = {}) {
    super("not-found", query, "no such name", options);
    this.name = "DnsNotFoundError";
  }
}

/**
 * The name exists but has no record of the type asked (an IPv6-only host asked for IPv4).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DnsNoDataError } from "@netkit/netkit/dns";
 *
 * assert.equal(new DnsNoDataError("six.test", "A").recordType, "A");
 * ```
 */
export class DnsNoDataError extends DnsError {
  /** The record type asked for (`"A"`, `"AAAA"`, `"PTR"`). */
  readonly recordType: string;
  /** Builds the error. */
  constructor(query: string, recordType: string, options: DnsErrorOptions = {}) {
    super("no-data", query, `the name has no ${recordType} record`, options);
    this.name = "DnsNoDataError";
    this.recordType = recordType;
  }
}

/**
 * The server answered with an error code: SERVFAIL, REFUSED, NOTIMP, FORMERR, ....
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DnsServerError } from "@netkit/netkit/dns";
 *
 * const error = new DnsServerError("a.test", 5, { server: "127.0.0.1:53" });
 * assert.equal(error.rcodeName, "REFUSED");
 * assert.equal(error.code, "EREFUSED");
 * ```
 */
export class DnsServerError extends DnsError {
  /** The response code. */
  readonly rcode: number;
  /** Its name (`"SERVFAIL"`). */
  readonly rcodeName: string;
  /** Builds the error. */
  constructor(query: string, rcode: number, options: DnsErrorOptions = {}) {
    const name = rcodeName(rcode);
    super(
      "server-failure",
      query,
      `the name server${options.server ? ` ${options.server}` : ""} answered ${name}`,
      options,
    );
    this.name = "DnsServerError";
    this.rcode = rcode;
    this.rcodeName = name;
    markNetkitError(this, RCODE_CODES[name] ?? "ESERVFAIL");
  }
}

/**
 * What the deadline of a {@linkcode DnsTimeoutError} bounded: one question to one server
 * (`"query"`: `queryDns`'s `timeoutMs`, the resolver's `attemptTimeoutMs`), or a whole lookup of
 * the resolver, every source, server and name together (`"lookup"`: its `timeoutMs`).
 *
 * @example Tell a silent server from a lookup out of time
 * ```ts
 * import assert from "node:assert/strict";
 * import { DnsTimeoutError, type DnsTimeoutScope } from "@netkit/netkit/dns";
 *
 * const error = new DnsTimeoutError("a.test", 200, { scope: "lookup" });
 * const scope: DnsTimeoutScope = error.scope;
 * assert.equal(scope, "lookup");
 * ```
 */
export type DnsTimeoutScope = "query" | "lookup";

/**
 * No answer came in time: from the server asked (`scope` `"query"`), or the whole lookup did not
 * finish within the resolver's `timeoutMs` (`scope` `"lookup"`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DnsTimeoutError } from "@netkit/netkit/dns";
 *
 * const query = new DnsTimeoutError("a.test", 5000, { server: "127.0.0.1:53" });
 * assert.equal(query.timeoutMs, 5000);
 * assert.equal(query.scope, "query");
 * assert.equal(
 *   query.message,
 *   'Cannot resolve "a.test": the name server 127.0.0.1:53 did not answer within 5 s',
 * );
 * const lookup = new DnsTimeoutError("a.test", 200, { scope: "lookup" });
 * assert.equal(lookup.message, 'Cannot resolve "a.test": the lookup did not finish within 0.2 s');
 * ```
 */
export class DnsTimeoutError extends DnsError {
  /** The deadline that ran out, in milliseconds: the question's, or the whole lookup's. */
  readonly timeoutMs: number;
  /** What that deadline bounded: one question to one server, or the whole lookup. */
  readonly scope: DnsTimeoutScope;
  /** Builds the error. */
  constructor(
    query: string,
    timeoutMs: number,
    options: DnsErrorOptions & {
      /** What the deadline bounded. @default {"query"} */
      scope?: DnsTimeoutScope;
    } = {},
  ) {
    const scope = options.scope ?? "query";
    const who = options.server ? `the name server ${options.server}` : "the name server";
    const detail = scope === "lookup"
      ? `the lookup did not finish within ${timeoutMs / 1000} s`
      : `${who} did not answer within ${timeoutMs / 1000} s`;
    super("timed-out", query, detail, options);
    this.name = "DnsTimeoutError";
    this.timeoutMs = timeoutMs;
    this.scope = scope;
  }
}

/**
 * The server's answer could not be decoded or did not answer the question asked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DnsBadResponseError } from "@netkit/netkit/dns";
 *
 * assert.equal(new DnsBadResponseError("a.test", "truncated header").failure, "bad-response");
 * ```
 */
export class DnsBadResponseError extends DnsError {
  /** Builds the error; `detail` says what was wrong. */
  constructor(query: string, detail: string, options: DnsErrorOptions = {}) {
    super("bad-response", query, `malformed answer: ${detail}`, options);
    this.name = "DnsBadResponseError";
  }
}

/**
 * Following CNAME records led in a circle, or through more links than allowed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DnsCnameChainError } from "@netkit/netkit/dns";
 *
 * const error = new DnsCnameChainError("a.test", ["a.test", "b.test", "a.test"], true);
 * assert.equal(error.failure, "cname-loop");
 * ```
 */
export class DnsCnameChainError extends DnsError {
  /** The names followed, in order. */
  readonly chain: string[];
  /** Builds the error; `loop` tells a circle from a chain that is merely too long. */
  constructor(query: string, chain: string[], loop: boolean, options: DnsErrorOptions = {}) {
    super(
      loop ? "cname-loop" : "cname-too-long",
      query,
      loop
        ? `the CNAME chain loops (${chain.join(" -> ")})`
        : `the CNAME chain is too long (${chain.length - 1} links)`,
      options,
    );
    this.name = "DnsCnameChainError";
    this.chain = chain;
  }
}
