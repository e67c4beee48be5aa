/**
 * A name server as users write it (`IP`, `IP:PORT`, `[IPv6]:PORT`) and as messages show it, apart
 * from the DNS client so that reading a command line loads no socket code.
 *
 * @module
 */

import { quoteForMessage } from "../internal/quote.ts";
import { formatHostPort, parsePort } from "../net/host_port.ts";
import { inetNtop, inetPton } from "../net/inet.ts";

/** The port DNS servers listen on. */
export const DNS_PORT = 53;

/** How long one server gets to answer one question, by default. */
export const DEFAULT_DNS_TIMEOUT_MS = 5000;

/** A name server: an address literal and a port. */
export interface NameServer {
  /** An IPv4 or IPv6 address literal (names cannot be resolved before a server is known). */
  hostname: string;
  /** The port. @default {53} */
  port?: number;
}

/**
 * Writes a server as `HOST:PORT`, or `[HOST]:PORT` for IPv6.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatNameServer } from "@netkit/netkit/dns";
 *
 * assert.equal(formatNameServer({ hostname: "::1" }), "[::1]:53");
 * ```
 */
export function formatNameServer(server: NameServer): string {
  return formatHostPort(server.hostname, server.port ?? DNS_PORT);
}

/**
 * Reads a name server as a user writes it: `IP`, `IP:PORT`, or for IPv6 `ADDRESS` or
 * `[ADDRESS]:PORT`.
 *
 * @returns The server with its address in canonical form and the port (53 when not given).
 * @throws {SyntaxError} when the address is no IP literal; {RangeError} for a bad port.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseNameServer } from "@netkit/netkit/dns";
 *
 * assert.deepEqual(parseNameServer("127.0.0.1:5353"), { hostname: "127.0.0.1", port: 5353 });
 * assert.deepEqual(parseNameServer("[::1]:53"), { hostname: "::1", port: 53 });
 * assert.deepEqual(parseNameServer("::1"), { hostname: "::1", port: 53 });
 * ```
 */
export function parseNameServer(text: string): Required<NameServer> {
  return parseNameServerBody(text);
}

/** {@linkcode parseNameServer}'s body, compiled with its module (README.md, start-up). */
const parseNameServerBody = (function parseNameServer(text: string): Required<NameServer> {
  let host = text;
  let port = DNS_PORT;
  // The pattern only where it can match: no regular expression for `IP[:PORT]`, the usual form
  // (the first pattern a process runs costs ~0.05 ms).
  const bracketed = text.startsWith("[") ? /^\[([^\]]*)\](?::(.*))?$/.exec(text) : null;
  if (bracketed?.[1] !== undefined) {
    host = bracketed[1];
    if (bracketed[2] !== undefined) port = parsePort(bracketed[2]);
  } else if (!text.includes(":") || text.indexOf(":") !== text.lastIndexOf(":")) {
    host = text; // IPv4 alone, or IPv6 without brackets (and so without a port)
  } else {
    const colon = text.indexOf(":");
    host = text.slice(0, colon);
    port = parsePort(text.slice(colon + 1));
  }
  try {
    return { hostname: inetNtop(inetPton(host)), port };
  } catch (error) {
    throw new SyntaxError(
      `Invalid name server ${quoteForMessage(text)}: expected IP, IP:PORT or [IPv6]:PORT`,
      { cause: error },
    );
  }
}).bind(undefined);
