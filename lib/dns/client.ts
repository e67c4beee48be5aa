/**
 * Asks one DNS server one question with netkit's own codec: over UDP, then over TCP (RFC 7766)
 * when the answer comes back truncated. The answer is returned whatever its RCODE; reading it is
 * the resolver's job. A server that stays silent gives a {@linkcode DnsTimeoutError} after
 * `timeoutMs`, never a hang; one that answers garbage gives a {@linkcode DnsBadResponseError}.
 *
 * Permissions: the UDP socket binds port 0 of the loopback address for a loopback server, of the
 * family's wildcard address otherwise, and only once `Deno.permissions` says that bind is granted;
 * without the grant (`--allow-net=127.0.0.1:5353` grants the server only) the question goes over
 * TCP, which needs nothing beyond the server's address, as `Deno.resolveDns` needs nothing more.
 * The socket is `Deno.listenDatagram`'s where the process has it (`--unstable-net`; netkit's
 * deno.json and its resolvers' compile flags turn it on): it costs about half of `node:dgram`'s
 * per question (bench/dns.ts). Elsewhere, as in a program that imports netkit without the flag, it
 * is `node:dgram`'s, which reports a refused bind as an uncaught error no caller can catch, hence
 * the check before binding. A refusal Deno makes anyway (the TCP connection) is a
 * {@linkcode MissingPermissionError} naming the flag to grant.
 *
 * Queries carry no EDNS record, so a UDP answer holds at most 512 bytes; a longer one comes back
 * truncated and is fetched over TCP. Each question uses a fresh UDP socket, so a fresh random
 * source port as well as a random id, and only datagrams from the server's address and port count
 * (the resolver's `lookupAddresses` asks a name's A and AAAA questions from one socket a server,
 * as glibc does, the answers told apart by id).
 *
 * @module
 */

import {
  DEFAULT_DNS_TIMEOUT_MS,
  DNS_PORT,
  formatNameServer,
  type NameServer,
  parseNameServer,
} from "./name_server.ts";
import { configLines, readConfigFile } from "../internal/config_file.ts";
import type { DnsMessage } from "./message.ts";
import { inetNtop, inetPton } from "../net/inet.ts";
import { MissingPermissionError } from "../io/missing_permission_error.ts";
// The question's work: apart, so that the resolver loads it without this module.
import { askServer, type DnsQueryOptions } from "./_ask_server.ts";
export type { DnsQueryOptions };

// Their home is name_server.ts (no socket code to load for them); re-exported here.
export { DEFAULT_DNS_TIMEOUT_MS, DNS_PORT, formatNameServer, type NameServer, parseNameServer };

/** Where the system's name servers are listed. */
export const RESOLV_CONF_PATH = "/etc/resolv.conf";
/** The largest resolv.conf read; a bigger one counts as none. */
const MAX_RESOLV_CONF_BYTES = 1 << 20;

/**
 * The name servers of the system, from the `nameserver` lines of `/etc/resolv.conf`; when there
 * is none (or no file), `127.0.0.1:53`, as glibc does.
 *
 * @param path Another file to read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSystemNameServers } from "@netkit/netkit/dns";
 *
 * const servers = await readSystemNameServers("/nonexistent/resolv.conf");
 * assert.deepEqual(servers, [{ hostname: "127.0.0.1", port: 53 }]); // glibc's default
 * ```
 */
export async function readSystemNameServers(
  path: string = RESOLV_CONF_PATH,
): Promise<Required<NameServer>[]> {
  let text = "";
  try {
    text = await readConfigFile(path, MAX_RESOLV_CONF_BYTES);
  } catch (error) {
    // No file (or an absurd one): the default below. A file Deno may not read is no missing
    // file: going on with 127.0.0.1 would ask the wrong server without a word.
    if (error instanceof Deno.errors.NotCapable) {
      throw MissingPermissionError.from(error, "reading the name servers", {
        kind: "read",
        target: path,
      });
    }
  }
  const servers: Required<NameServer>[] = [];
  for (const [keyword, address] of configLines(text)) {
    if (keyword !== "nameserver" || !address) continue;
    try {
      // A scope (fe80::1%eth0) cannot be used here; such a server is skipped.
      servers.push({ hostname: inetNtop(inetPton(address)), port: DNS_PORT });
    } catch {
      // Not an address: skipped, as glibc does.
    }
  }
  return servers.length > 0 ? servers : [{ hostname: "127.0.0.1", port: DNS_PORT }];
}

/**
 * Asks `nameServer` for the records of one type of one name (recursion desired), over UDP and,
 * when the answer is truncated, again over TCP.
 *
 * @param name The name asked about.
 * @param type The record type, see `DNS_TYPE`.
 * @returns The decoded answer, whatever its RCODE.
 * @throws {DnsTimeoutError} when no answer came within `timeoutMs`.
 * @throws {DnsBadResponseError} when what came back is malformed or answers another question.
 * @throws {DnsFormatError} when `name` cannot be encoded.
 * @throws {SocketError} when the socket itself fails (TCP connection refused, ...).
 * @throws {MissingPermissionError} when Deno's permissions allow neither a UDP socket nor a TCP
 * connection to the server.
 * @throws The `signal`'s reason when aborted.
 *
 * @example Ask a loopback server that knows no such name
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   decodeDnsMessage,
 *   DNS_RCODE,
 *   DNS_TYPE,
 *   encodeDnsMessage,
 *   queryDns,
 * } from "@netkit/netkit/dns";
 *
 * const server = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
 * const answered = (async () => {
 *   const [wire, client] = await server.receive();
 *   const query = decodeDnsMessage(wire);
 *   const reply = encodeDnsMessage({
 *     id: query.id,
 *     response: true,
 *     rcode: DNS_RCODE.NXDOMAIN,
 *     questions: query.questions,
 *   });
 *   await server.send(reply, client);
 * })();
 *
 * const { port } = server.addr as Deno.NetAddr;
 * const nameServer = { hostname: "127.0.0.1", port };
 * const answer = await queryDns("web.test", DNS_TYPE.A, { nameServer });
 * await answered;
 * server.close();
 * assert.equal(answer.rcode, DNS_RCODE.NXDOMAIN);
 * assert.deepEqual(answer.answers, []);
 * ```
 */
export function queryDns(
  name: string,
  type: number,
  options: DnsQueryOptions,
): Promise<DnsMessage> {
  return askServer(name, type, options);
}
