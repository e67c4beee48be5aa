/**
 * A host and port as messages and URLs show them (`[::1]:8080`, `127.0.0.1:8080`), and a port as
 * users write it.
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

/** Options of {@linkcode parsePort}. */
export interface ParsePortOptions {
  /** Accept `0`, the "any free port" of a server. @default {false} */
  allowZero?: boolean;
}

/**
 * Reads a TCP port from text or a number, strictly: decimal digits only, 1 to 65535 (0 too when
 * `allowZero`).
 *
 * @param value The port as the user wrote it.
 * @returns The port number.
 * @throws {RangeError} for anything else (`"abc"`, `"70000"`, `" 80"`, `"0x50"`, `0` for a client).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePort } from "@netkit/netkit/net";
 *
 * assert.equal(parsePort("8080"), 8080);
 * assert.equal(parsePort("0", { allowZero: true }), 0);
 * ```
 */
export function parsePort(value: string | number, options: ParsePortOptions = {}): number {
  return parsePortBody(value, options);
}

/** {@linkcode parsePort}'s body, compiled with its module (README.md, start-up). */
const parsePortBody =
  (function parsePort(value: string | number, options: ParsePortOptions = {}): number {
    const text = String(value);
    const min = options.allowZero ? 0 : 1;
    if (!isShortDecimal(text) || Number(text) < min || Number(text) > 65535) {
      throw new RangeError(`Invalid port "${text}": expected a number from ${min} to 65535`);
    }
    return Number(text);
  }).bind(undefined);

/** Whether `text` is 1 to 5 decimal digits (by character code: no regular expression). */
const isShortDecimal = (function isShortDecimal(text: string): boolean {
  if (text.length === 0 || text.length > 5) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}).bind(undefined);
