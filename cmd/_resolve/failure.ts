/**
 * What `resolve-hostname` and `resolve-hostname6` say when a name or an address cannot be
 * resolved: the lecture's sentence (the lecture: the networking lecture notes netkit implements)
 * and a second one that says why, in words a user can act on.
 * Loaded only after a failed lookup (as the DNS errors it tells apart): an answer never needs it.
 *
 * @module
 */

import { DnsError, type DnsServerError, type DnsTimeoutError } from "../../lib/dns/errors.ts";
import { addressFamily, inetAton, type IpFamily } from "../../lib/net/inet.ts";

/** What a lookup gives the command to print: the lecture's lines, or the `--json` object. */
export interface Outcome {
  /** Whether it resolved. */
  ok: boolean;
  /** The lines to print. */
  text: string;
  /** The object `--json` prints. */
  json: Record<string, unknown>;
}

/**
 * The second sentence after "NAME could not be resolved to an address.": what went wrong, in
 * words a user can act on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DnsNotFoundError } from "../../lib/dns/errors.ts";
 * import { explainResolveFailure } from "./failure.ts";
 *
 * assert.equal(explainResolveFailure(new DnsNotFoundError("x"), 4), "Did you mistype it?");
 * ```
 */
export function explainResolveFailure(error: unknown, family: IpFamily): string {
  const kind = family === 4 ? "IPv4" : "IPv6";
  if (error instanceof DnsError) {
    const server = error.server ? `The name server ${error.server}` : "The name server";
    switch (error.failure) {
      case "not-found":
        return "Did you mistype it?";
      case "no-data":
        return error.message.includes("PTR")
          ? "It has no name (no PTR record)."
          : `The name exists, but has no ${kind} address.`;
      case "timed-out": {
        const { timeoutMs, scope } = error as DnsTimeoutError;
        const seconds = timeoutMs / 1000;
        const within = `within ${seconds} second${seconds === 1 ? "" : "s"}.`;
        return scope === "lookup"
          ? `The lookup did not finish ${within}`
          : `${server} did not answer ${within}`;
      }
      case "server-failure": {
        const code = (error as DnsServerError).rcodeName;
        const what = code === "REFUSED" ? "refused to answer" : "failed to answer";
        return `${server} ${what} (${code}).`;
      }
      case "bad-response":
        return `${server} sent a malformed answer.`;
      case "cname-loop":
        return "Its aliases (CNAME records) point in a circle.";
      case "cname-too-long":
        return "Its chain of aliases (CNAME records) is too long.";
    }
  }
  if (error instanceof SyntaxError) {
    // "Invalid host name "x": it has an empty label" -> "... (it has an empty label)."
    const reason = /^Invalid host name .*?": (.+)$/.exec(error.message)?.[1];
    return reason ? `It is not a valid host name (${reason}).` : "It is not a valid host name.";
  }
  // By name: the socket layer's module is not loaded for an answer from the hosts file.
  if (error instanceof Error && error.name === "SocketError") {
    return `The name server could not be reached: ${error.message}.`;
  }
  return `${error instanceof Error ? error.message : String(error)}.`;
}

/**
 * The family of an address literal in the forms the resolver takes for a name (`::1`, `127.1`,
 * `fe80::1%lo`), or undefined for a name.
 */
function literalFamily(query: string): IpFamily | undefined {
  const family = addressFamily(query);
  if (family !== undefined) return family;
  if (/^[0-9a-fA-FxX.]+$/.test(query) && inetAton(query)) return 4;
  const scoped = /^([0-9a-fA-F:.]+)%[A-Za-z0-9_.-]+$/.exec(query);
  return scoped && addressFamily(scoped[1] ?? "") === 6 ? 6 : undefined;
}

/**
 * The outcome of a failed lookup of `query` (a name, or with `reverse` an address).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DnsNotFoundError } from "../../lib/dns/errors.ts";
 * import { describeFailure } from "./failure.ts";
 *
 * const outcome = describeFailure("nowhere.test", new DnsNotFoundError("nowhere.test"), 4, false);
 * assert.equal(outcome.text, "nowhere.test could not be resolved to an address.  Did you mistype it?\n");
 * ```
 */
export function describeFailure(
  query: string,
  error: unknown,
  family: IpFamily,
  reverse: boolean,
): Outcome {
  const what = reverse ? "a name" : "an address";
  // A SyntaxError: the resolver did not take it for a literal (`::1%lo`: no scope getaddrinfo
  // takes), nor for a name.
  const literal = reverse || error instanceof SyntaxError ? undefined : literalFamily(query);
  const why = literal !== undefined && literal !== family
    ? `It is an IPv${literal} address, not an IPv${family} one.`
    : explainResolveFailure(error, family);
  return {
    ok: false,
    text: `${query} could not be resolved to ${what}.  ${why}\n`,
    json: {
      query,
      error: {
        kind: error instanceof DnsError
          ? error.failure
          : error instanceof SyntaxError
          ? "invalid-name"
          : "other",
        message: error instanceof Error ? error.message : String(error),
      },
    },
  };
}
