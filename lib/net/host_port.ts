/**
 * A host and port as messages and URLs show them: `[::1]:8080`, `127.0.0.1:8080`.
 *
 * @module
 */

/**
 * Joins `host` and `port`, bracketing an IPv6 address (any host with a colon), as in URLs.
 *
 * @param host A name or an address literal.
 * @param port The port; without it, only the host is shown (bracketed if IPv6).
 * @returns `host:port`, `[host]:port`, `host` or `[host]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatHostPort } from "@netkit/netkit/net";
 *
 * assert.equal(formatHostPort("::1", 8080), "[::1]:8080");
 * assert.equal(formatHostPort("127.0.0.1", 13), "127.0.0.1:13");
 * assert.equal(formatHostPort("fe80::1"), "[fe80::1]");
 * ```
 */
export function formatHostPort(host: string, port?: number): string {
  const shown = host.includes(":") ? `[${host}]` : host;
  return port === undefined ? shown : `${shown}:${port}`;
}
