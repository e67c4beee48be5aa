/**
 * How GNU wget reaches a host: it resolves the name itself (once per name for a whole run), keeps
 * the addresses of one family (`-4`, `-6`) or puts one family first (`--prefer-family`), and
 * connects to the addresses one after another until one answers, reporting each step
 * ("Resolving...", "Connecting to...|ADDR|:PORT... connected.").
 *
 * @module
 */

import { startDeadline } from "../internal/deadline.ts";
import type { ConnectStrategy } from "../net/socket.ts";
import { SocketError } from "../net/socket_error.ts";
import type { IpFamily } from "../net/inet.ts";

/** What {@linkcode createAddressConnector} reports. */
export interface AddressConnectorEvents {
  /** A name was looked up (not an address literal, not a name looked up before in this run). */
  resolved?(info: { host: string; addresses: string[] }): void;
  /** A name could not be looked up; `reason` in the C library's words. */
  resolveFailed?(info: { host: string; reason: string; literal?: boolean }): void;
  /**
   * An address was tried: `address` is undefined for a literal host (the host is the address);
   * `reason` is set when the connection failed, in the C library's words.
   */
  attempted?(
    info: { host: string; address?: string | undefined; port: number; reason?: string },
  ): void;
}

/** Options of {@linkcode createAddressConnector}. */
export interface AddressConnectorOptions {
  /** Only this family's addresses (`-4`, `-6`). @default {0} (both) */
  family?: 0 | IpFamily;
  /** Try this family's addresses first (`--prefer-family`), keeping the order within each. */
  preferFamily?: IpFamily | undefined;
  /** Give up a lookup after this long (`--dns-timeout`). @default {no limit of its own} */
  dnsTimeoutMs?: number | undefined;
  /** Progress reports. */
  events?: AddressConnectorEvents;
  /** Looks a name up; the system's resolver (`lookupAddresses` of the dns package) by default. */
  lookup?: (
    name: string,
    options: { family: 0 | IpFamily; signal?: AbortSignal },
  ) => Promise<{ addresses: { address: string }[] }>;
}

/** The C library's words (strerror) for a connection failure, as GNU wget prints them. */
const CONNECT_REASONS: Record<string, string> = {
  refused: "Connection refused",
  unreachable: "Network is unreachable",
  "timed-out": "Connection timed out",
  reset: "Connection reset by peer",
  "address-not-available": "Cannot assign requested address",
};

/**
 * A {@linkcode ConnectStrategy} that also tells which addresses it would try for a host, for the
 * HTTP client's `addressesOf` (a kept-alive connection to one of them serves the host too, as
 * GNU wget's does).
 */
export type AddressConnector = ConnectStrategy & {
  /**
   * The addresses of `host` in the order they would be tried, from the same lookup (made once
   * for the connector's life, reported as for a connection); an address literal is its own.
   * Rejects as the strategy does when the name has no address.
   */
  addressesOf(host: string): Promise<string[]>;
};

/**
 * A connection strategy (for the HTTP client's `connectVia`) that resolves names as GNU wget
 * does and connects to each address in turn. Names are looked up once for the strategy's life:
 * keep one for a run, as wget does. Its `addressesOf` (for the client's option of that name)
 * answers from the same lookups.
 *
 * @param options The family, the order, the lookup timeout and the reports.
 * @returns The strategy. It throws a {@linkcode SocketError} with step `resolve` (`not-found` or
 * `timed-out`) when the name has no address, else the last address's connection error.
 *
 * @example Connect to the second address of a name once the first refuses
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAddressConnector } from "@netkit/netkit/download";
 * import { createClientSocket } from "@netkit/netkit/net";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const port = listener.addr.port;
 * const tried: string[] = [];
 * const connectVia = createAddressConnector({
 *   lookup: () => Promise.resolve({ addresses: [{ address: "::1" }, { address: "127.0.0.1" }] }),
 *   events: { attempted: ({ address, reason }) => tried.push(`${address} ${reason ?? "ok"}`) },
 * });
 * using conn = await connectVia("dual.test", port, (a) => createClientSocket(a, port));
 * assert.equal(conn.remoteAddr.hostname, "127.0.0.1");
 * assert.equal(tried.at(-1), "127.0.0.1 ok");
 * assert.deepEqual(await connectVia.addressesOf("dual.test"), ["::1", "127.0.0.1"]);
 * assert.deepEqual(await connectVia.addressesOf("[::1]"), ["::1"]);
 * ```
 */
export function createAddressConnector(options: AddressConnectorOptions = {}): AddressConnector {
  return addressConnector(options);
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** {@linkcode createAddressConnector}, compiled with the module (see above). */
const addressConnector = (function addressConnector(
  options: AddressConnectorOptions,
): AddressConnector {
  const family = options.family ?? 0;
  // Lookups by name, settled or under way (parallel downloads of one host share one lookup).
  const cache = new Map<string, Promise<string[]>>();
  const events = options.events ?? {};

  function resolve(host: string): Promise<string[]> {
    let pending = cache.get(host);
    if (!pending) {
      pending = lookUp(host);
      cache.set(host, pending);
      // A failed lookup is not remembered: the next URL on that host asks again, as GNU wget.
      pending.catch(() => cache.delete(host));
    }
    return pending;
  }

  async function lookUp(host: string): Promise<string[]> {
    const lookup = options.lookup ?? systemLookup;
    const stop = new AbortController();
    const deadline = options.dnsTimeoutMs === undefined
      ? undefined
      : startDeadline(options.dnsTimeoutMs, () => stop.abort(new Error("timed out")));
    let addresses: string[];
    try {
      const found = await lookup(host, { family, signal: stop.signal });
      addresses = found.addresses.map((entry) => entry.address);
    } catch (error) {
      // A permission the runtime refuses is no lookup failure: it names the flag to grant.
      if (error instanceof Error && error.name === "MissingPermissionError") throw error;
      const timedOut = stop.signal.aborted;
      const reason = timedOut ? "timed out" : lookupReason(error);
      events.resolveFailed?.({ host, reason });
      throw new SocketError({
        step: "resolve",
        host,
        port: 0,
        failure: timedOut ? "timed-out" : "not-found",
        cause: error,
      });
    } finally {
      deadline?.cancel();
    }
    if (options.preferFamily !== undefined) {
      const first = addresses.filter((address) => familyOf(address) === options.preferFamily);
      addresses = [...first, ...addresses.filter((address) => !first.includes(address))];
    }
    events.resolved?.({ host, addresses });
    return addresses;
  }

  /** The host without brackets, whether it is a literal, and the addresses to try. */
  async function addressesOf(
    host: string,
  ): Promise<{ bare: string; literal: boolean; addresses: string[] }> {
    const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
    const literalFamily = literalAddressFamily(bare);
    const literal = literalFamily !== undefined;
    if (literal && family !== 0 && literalFamily !== family) {
      // GNU wget: -4 with an IPv6 literal (or -6 with IPv4) fails as a lookup does.
      const reason = "Address family for hostname not supported";
      events.resolveFailed?.({ host: bare, reason, literal: true });
      throw new SocketError({ step: "resolve", host: bare, port: 0, failure: "not-found" });
    }
    return { bare, literal, addresses: literal ? [bare] : await resolve(bare) };
  }

  const connect = async <T>(
    host: string,
    port: number,
    connectTo: (address: string) => Promise<T>,
  ) => {
    const { bare, literal, addresses } = await addressesOf(host);
    let last: unknown;
    for (const address of addresses) {
      const shown = literal ? undefined : address;
      try {
        const conn = await connectTo(address);
        events.attempted?.({ host: bare, address: shown, port });
        return conn;
      } catch (error) {
        last = error;
        // Any connection failure moves on to the next address, as GNU wget's connect_to_host;
        // anything else (a TLS failure, an abort) ends the attempt.
        if (!(error instanceof SocketError) || error.step !== "connect") throw error;
        const reason = CONNECT_REASONS[error.failure] ?? error.message;
        events.attempted?.({ host: bare, address: shown, port, reason });
      }
    }
    throw last;
  };
  return Object.assign(connect, {
    addressesOf: async (host: string) => (await addressesOf(host)).addresses,
  });
}).bind(undefined);

/**
 * The system's lookup, `lookupAddresses` of the dns package (which answers a name the hosts file
 * has in either family from the file alone, as glibc's getaddrinfo does); loaded on first use, so
 * that a URL with an address literal loads no resolver.
 */
async function systemLookup(
  name: string,
  options: { family: 0 | IpFamily; signal?: AbortSignal },
): Promise<{ addresses: { address: string }[] }> {
  const { lookupAddresses } = await import("../dns/resolver.ts");
  return await lookupAddresses(name, options);
}

/** An address's family, by its shape (the resolver's answers are well-formed). */
function familyOf(address: string): IpFamily {
  return address.includes(":") ? 6 : 4;
}

/**
 * The family of a host that is an address literal, as GNU wget tells them (a dotted quad, or
 * anything with a colon, which no name has), else undefined. (A check of its own rather than the
 * net package's parser: it is all wget needs, and keeps that module off its start-up.)
 */
function literalAddressFamily(host: string): IpFamily | undefined {
  if (host.includes(":")) return 6;
  return /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(host) ? 4 : undefined;
}

/** getaddrinfo's words (gai_strerror) for a failed lookup. */
function lookupReason(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "DnsNotFoundError" || name === "DnsNoDataError") return "Name or service not known";
  return "Temporary failure in name resolution";
}
