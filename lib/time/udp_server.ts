/**
 * The time services over UDP (RFCs 867 and 868 define both): every datagram received is answered
 * with one datagram holding the time, as daytime's `%c` line or time's four bytes. `node:dgram`,
 * which needs no unstable flag.
 *
 * @module
 */

import type * as NodeDgram from "node:dgram";
import { formatCTime } from "./ctime.ts";
import { encodeRfc868Time } from "./rfc868_time.ts";
import type { TimeProtocol } from "./server.ts";
import { classifySocketError, SocketError } from "../net/socket_error.ts";
import { MissingPermissionError } from "../io/missing_permission_error.ts";
import { requireUdpBind } from "./_udp.ts";

// A computed specifier (as lib/dns/client.ts does): a literal `import("node:dgram")` would put
// Node's compatibility layer in the graph Deno loads at start-up, for every time-client run.
const NODE_DGRAM = "node:dgram";

/** Options of {@linkcode startUdpTimeServer}. */
export interface UdpTimeServerOptions {
  /** The address to listen on. @default {"::" (IPv4 and IPv6; 0.0.0.0 where IPv6 is absent)} */
  hostname?: string;
  /** `daytime` answers the `%c` line and a LF; `time` RFC 868's four bytes. @default {"daytime"} */
  protocol?: TimeProtocol;
  /** The clock, for tests. @default {() => new Date()} */
  now?: () => Date;
  /** Called with each client's address and port as its datagram arrives (for logging). */
  onRequest?: (address: Deno.NetAddr) => void;
}

/** A UDP time server; closing (or disposing) it stops it. */
export interface UdpTimeServer extends AsyncDisposable {
  /** The port it listens on (useful after asking for port 0). */
  readonly port: number;
  /** How many datagrams it answered so far. */
  readonly answered: number;
  /** Stops answering and closes the socket; harmless twice. */
  close(): Promise<void>;
}

/**
 * Starts answering time requests over UDP on `port`.
 *
 * @param port A port from 0 to 65535; 0 picks a free one.
 * @throws {SocketError} with step `bind` when the port cannot be had.
 * @throws {MissingPermissionError} when Deno's permissions do not reach the address.
 *
 * @example A daytime server on a free loopback port, asked once
 * ```ts
 * import assert from "node:assert/strict";
 * import { requestDaytime, startUdpTimeServer } from "@netkit/netkit/time";
 *
 * await using server = await startUdpTimeServer(0, {
 *   hostname: "127.0.0.1",
 *   now: () => new Date("2026-11-24T01:08:48Z"),
 * });
 * const line = await requestDaytime("127.0.0.1", server.port, { transport: "udp" });
 * assert.equal(line, "Tue Nov 24 01:08:48 2026");
 * ```
 */
export async function startUdpTimeServer(
  port: number,
  options: UdpTimeServerOptions = {},
): Promise<UdpTimeServer> {
  const protocol = options.protocol ?? "daytime";
  if (protocol !== "daytime" && protocol !== "time") {
    throw new RangeError(`Unknown protocol "${protocol}": expected "daytime" or "time"`);
  }
  const { default: dgram }: { default: typeof NodeDgram } = await import(NODE_DGRAM);
  const now = options.now ?? (() => new Date());
  const encoder = new TextEncoder();
  const answer = (): Uint8Array => {
    const date = now();
    return protocol === "daytime"
      ? encoder.encode(`${formatCTime(date)}\n`)
      : encodeRfc868Time(date);
  };

  const bind = (hostname: string) =>
    new Promise<ReturnType<typeof dgram.createSocket>>((resolve, reject) => {
      requireUdpBind(hostname, port, "serving the time over UDP");
      const socket = dgram.createSocket(hostname.includes(":") ? "udp6" : "udp4");
      socket.once("error", (error: Error) => {
        try {
          socket.close();
        } catch {
          // Never bound.
        }
        reject(error);
      });
      socket.bind(port, hostname, () => resolve(socket));
    });
  const hostname = options.hostname ?? "::";
  let socket;
  try {
    socket = await bind(hostname).catch((error) => {
      if (error instanceof MissingPermissionError) throw error;
      if (options.hostname === undefined) return bind("0.0.0.0"); // no IPv6 here
      throw error;
    });
  } catch (error) {
    if (error instanceof MissingPermissionError) throw error;
    throw new SocketError({
      step: "bind",
      host: hostname,
      port,
      failure: classifySocketError(error),
      cause: error,
    });
  }

  let answered = 0;
  let closed: Promise<void> | null = null;
  socket.on("error", () => {
    // A send that failed (the client went away): nothing to do for a datagram service.
  });
  socket.on("message", (_packet: Uint8Array, from: { address: string; port: number }) => {
    options.onRequest?.({ transport: "udp", hostname: from.address, port: from.port });
    socket.send(answer(), from.port, from.address, (error: Error | null) => {
      if (!error) answered++;
    });
  });
  const close = () =>
    closed ??= new Promise<void>((resolve) => {
      try {
        socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  return {
    port: socket.address().port,
    get answered() {
      return answered;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
