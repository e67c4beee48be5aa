/**
 * The servers' log line per connection (time-server) or request (lexical-server):
 * `Received a connection request from ADDRESS.`
 *
 * @module
 */

/** Formats a client's address for the log: the IPv4 address of a mapped IPv6 one. */
function describeAddress(address: Deno.Addr): string {
  if (address.transport !== "tcp" && address.transport !== "udp") return address.transport;
  const host = address.hostname;
  return host.startsWith("::ffff:") && host.includes(".") ? host.slice(7) : host;
}

/**
 * A connection callback that logs one line per connection through `writeLine`. Clients often
 * come back from the same address, so the last line is reused rather than built again.
 *
 * @param writeLine Where each line goes, e.g. a `BufferedLineWriter`'s `writeLine`.
 * @returns The callback, for `serveTime()`'s `onConnection`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { connectionLogger } from "@netkit/netkit/net";
 *
 * const lines: string[] = [];
 * const log = connectionLogger((line) => lines.push(line));
 * log({ transport: "tcp", hostname: "::ffff:127.0.0.1", port: 50000 });
 * assert.equal(lines[0], "Received a connection request from 127.0.0.1.");
 * ```
 */
export function connectionLogger(writeLine: (line: string) => void): (address: Deno.Addr) => void {
  let lastAddress: Deno.Addr | undefined;
  let lastLine = "";
  return (address) => {
    if (
      lastAddress === undefined || address.transport !== lastAddress.transport ||
      (address as Deno.NetAddr).hostname !== (lastAddress as Deno.NetAddr).hostname
    ) {
      lastAddress = address;
      lastLine = `Received a connection request from ${describeAddress(address)}.`;
    }
    writeLine(lastLine);
  };
}
