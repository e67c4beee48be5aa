/**
 * The DNS part of the resolver: asking the servers in turn (a dead system server told quickly by
 * a TCP probe), following CNAME chains, walking the search list as `res_search` does. Loaded by
 * the resolver only when DNS is asked, so that an answer from the hosts file or an address literal
 * loads no socket code.
 *
 * @module
 */

import { quoteForMessage } from "../internal/quote.ts";
import {
  DEFAULT_DNS_TIMEOUT_MS,
  DNS_PORT,
  formatNameServer,
  type NameServer,
  parseNameServer,
  queryDns,
} from "./client.ts";
import {
  DnsBadResponseError,
  DnsCnameChainError,
  DnsNoDataError,
  DnsNotFoundError,
  DnsServerError,
} from "./errors.ts";
import { DNS_CLASS_IN, DNS_RCODE, DNS_TYPE, type DnsMessage, type DnsRecord } from "./message.ts";
import { SocketError } from "../net/socket_error.ts";
import { type Deadline, startDeadline } from "../internal/deadline.ts";
import { isValidAnswerName } from "./host_name.ts";
import type { ResolverConfig } from "./resolv_conf.ts";
// Re-exported: the resolver loads them with this module, only when DNS is asked.
export { readResolverConfig, searchNames } from "./resolv_conf.ts";
import type { IpFamily } from "../net/inet.ts";
import { MAX_CNAME_LINKS, type ResolveOptions } from "./_resolve_options.ts";

/** The rotation counter of `options rotate`: each question starts one server further. */
let rotation = 0;

function nameServers(
  options: ResolveOptions,
  config: ResolverConfig | undefined,
): Required<NameServer>[] {
  const given = options.nameServer;
  if (given === undefined) {
    const servers = (config?.nameServers ?? ["127.0.0.1"]).map((hostname) => ({
      hostname,
      port: DNS_PORT,
    }));
    if (!config?.rotate || servers.length < 2) return servers;
    const start = rotation++ % servers.length;
    return [...servers.slice(start), ...servers.slice(0, start)];
  }
  const list = Array.isArray(given) ? given : [given];
  if (list.length === 0) throw new RangeError("nameServer: an empty list names no server");
  return list.map(parsedNameServer);
}

/** Servers the caller gave as text, parsed once (a caller asks the same few again and again). */
const parsedServers = new Map<string, Required<NameServer>>();
const MAX_PARSED_SERVERS = 64;

function parsedNameServer(server: string | NameServer): Required<NameServer> {
  const text = typeof server === "string" ? server : formatNameServer(server);
  const known = parsedServers.get(text);
  if (known) return known;
  const parsed = Object.freeze(parseNameServer(text));
  if (parsedServers.size >= MAX_PARSED_SERVERS) parsedServers.clear();
  parsedServers.set(text, parsed);
  return parsed;
}

/** Whether two names are the same, ignoring ASCII case (no new string when spelled alike). */
function sameName(a: string, b: string): boolean {
  return a === b || (a.length === b.length && a.toLowerCase() === b.toLowerCase());
}

/** The end of a CNAME chain and the records of the type asked found there. */
export interface ChainAnswer {
  chain: string[];
  data: string[];
}

/** The last name of a CNAME chain, which starts with the name asked and so is never empty. */
export function chainEnd(chain: string[]): string {
  const end = chain.at(-1);
  if (end === undefined) throw new RangeError("A CNAME chain cannot be empty");
  return end;
}

/** How long a UDP question waits before the server's TCP port is probed. */
const PROBE_DELAY_MS = 5;
/** How long a server that accepted a probe is not probed again. */
const PROBE_TRUST_MS = 30_000;
/** Servers that accepted a TCP probe, and until when that is trusted. */
const probedAlive = new Map<string, number>();

/**
 * Asks one server, and tells a dead one quickly, as glibc does from ICMP port-unreachable (which
 * Deno's UDP sockets do not report): when no answer has come after {@linkcode PROBE_DELAY_MS},
 * a TCP connection to the server's port is tried; a refusal means nothing serves DNS there, and the
 * question is given up at once so that the next server is asked. A server that accepts the probe
 * is trusted for {@linkcode PROBE_TRUST_MS} and not probed again meanwhile. Used for every
 * server but the last of a list (RFC 7766 has name servers serve TCP): the last has no next one
 * to move on to, and may serve UDP only.
 */
async function queryWithProbe(
  name: string,
  type: number,
  nameServer: Required<NameServer>,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<DnsMessage> {
  const key = formatNameServer(nameServer);
  const trusted = (probedAlive.get(key) ?? 0) > Date.now();
  if (trusted) return await queryDns(name, type, { nameServer, timeoutMs, signal });
  const stop = new AbortController();
  const linked = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  // startDeadline, not setTimeout: the first setTimeout of a process costs ~3.5 ms (Deno's timer
  // machinery loads); the question's pending receive keeps the process alive meanwhile.
  let timer: Deadline | undefined;
  const probe = new Promise<never>((_, reject) => {
    timer = startDeadline(PROBE_DELAY_MS, async () => {
      try {
        const conn = await Deno.connect({
          hostname: nameServer.hostname,
          port: nameServer.port,
          signal: linked,
        });
        conn.close();
        probedAlive.set(key, Date.now() + PROBE_TRUST_MS);
      } catch (error) {
        if (error instanceof Deno.errors.ConnectionRefused) {
          reject(
            new SocketError({
              step: "connect",
              host: nameServer.hostname,
              port: nameServer.port,
              failure: "refused",
              cause: error,
            }),
          );
        }
        // Anything else (no permission, aborted, unreachable): wait for the UDP answer as before.
      }
    });
  });
  try {
    return await Promise.race([
      queryDns(name, type, { nameServer, timeoutMs, signal: linked }),
      probe,
    ]);
  } finally {
    timer?.cancel();
    stop.abort();
  }
}

/**
 * Asks the servers in turn (the next one after a timeout, a server failure or a socket error)
 * for `type` records of `name`, following CNAMEs inside answers and with new questions.
 */
export async function lookupChain(
  name: string,
  type: number,
  typeName: string,
  options: ResolveOptions,
  config?: ResolverConfig,
): Promise<ChainAnswer> {
  const servers = nameServers(options, config);
  const timeoutMs = options.timeoutMs ?? config?.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;
  const chain = [name];
  const seen = new Set([name.toLowerCase()]);
  while (true) {
    const current = chainEnd(chain);
    let lastError: unknown;
    let answer;
    let server = "";
    for (const nameServer of servers) {
      server = formatNameServer(nameServer);
      try {
        // A server with another after it is probed (RFC 7766 has name servers serve TCP), so
        // that a dead one is left in milliseconds. The last one is not: there is nothing to move
        // on to, and one that serves UDP only and takes its time to recurse must get its time.
        answer = nameServer !== servers.at(-1)
          ? await queryWithProbe(current, type, nameServer, timeoutMs, options.signal)
          : await queryDns(current, type, { nameServer, timeoutMs, signal: options.signal });
        options.trace?.({
          step: "query",
          name: current,
          type: typeName,
          server,
          rcode: answer.rcode,
        });
        if (answer.rcode === DNS_RCODE.SERVFAIL || answer.rcode === DNS_RCODE.REFUSED) {
          lastError = new DnsServerError(name, answer.rcode, { server });
          answer = undefined;
          continue;
        }
        break;
      } catch (error) {
        // An abort and a missing permission end the lookup; the next server would fare no better.
        options.signal?.throwIfAborted();
        if (error instanceof Deno.errors.NotCapable) throw error;
        options.trace?.({
          step: "query",
          name: current,
          type: typeName,
          server,
          error: error instanceof Error ? error.message : String(error),
        });
        lastError = error;
      }
    }
    if (!answer) throw lastError;
    if (answer.rcode === DNS_RCODE.NXDOMAIN) throw new DnsNotFoundError(name, { server });
    if (answer.rcode !== DNS_RCODE.NOERROR) {
      throw new DnsServerError(name, answer.rcode, { server });
    }
    // Walk the answer section along the chain (plain loops: this runs for every lookup).
    let moved = false;
    while (true) {
      const owner = chainEnd(chain);
      let found: string[] | undefined;
      let spelling: string | undefined;
      let cname: DnsRecord | undefined;
      for (const record of answer.answers) {
        if (record.class !== DNS_CLASS_IN || !sameName(record.name, owner)) continue;
        if (record.type === type) {
          (found ??= []).push(String(record.data));
          spelling ??= record.name;
        } else if (record.type === DNS_TYPE.CNAME) cname ??= record;
      }
      // Names in answers must be host names (glibc's res_hnok): a PTR such as
      // "<script>x</scr.test" is dropped, never handed to the caller.
      const data = found && type === DNS_TYPE.PTR ? found.filter(isValidAnswerName) : found;
      if (found && data?.length === 0) {
        throw new DnsBadResponseError(name, "the names in the answer are not valid host names", {
          server,
        });
      }
      if (data && spelling !== undefined) {
        // The owner's spelling as the server wrote it.
        chain[chain.length - 1] = spelling;
        return { chain, data: data.length > 1 ? [...new Set(data)] : data };
      }
      if (!cname) break;
      const target = String(cname.data);
      if (!isValidAnswerName(target)) {
        throw new DnsBadResponseError(
          name,
          `the CNAME target ${quoteForMessage(target)} is not a valid host name`,
          {
            server,
          },
        );
      }
      chain.push(target);
      if (seen.has(target.toLowerCase())) {
        throw new DnsCnameChainError(name, chain, true, { server });
      }
      if (chain.length - 1 > MAX_CNAME_LINKS) {
        throw new DnsCnameChainError(name, chain, false, { server });
      }
      seen.add(target.toLowerCase());
      moved = true;
    }
    // Nothing of the type at the chain's end: ask about the end itself, unless this very
    // question was about it.
    if (!moved) throw new DnsNoDataError(name, typeName, { server });
  }
}

/**
 * Asks for each name of the search list in turn, as glibc's `res_search`: NXDOMAIN and no-data go
 * on to the next name, a server failure is remembered and goes on, anything else (a time-out, a
 * socket error) ends the search. The error names the name as typed.
 */
export async function searchChain(
  names: string[],
  typed: string,
  family: IpFamily,
  typeName: string,
  options: ResolveOptions,
  config: ResolverConfig | undefined,
): Promise<ChainAnswer> {
  const type = family === 4 ? DNS_TYPE.A : DNS_TYPE.AAAA;
  // One name (an explicit server, a name with enough dots): its own errors are the search's.
  const [only] = names;
  if (names.length === 1 && only !== undefined) {
    return lookupChain(only, type, typeName, options, config);
  }
  let noData: DnsNoDataError | undefined;
  let serverFailure: DnsServerError | undefined;
  let notFound: DnsNotFoundError | undefined;
  for (const candidate of names) {
    try {
      return await lookupChain(candidate, type, typeName, options, config);
    } catch (error) {
      if (error instanceof DnsNoDataError) noData ??= error;
      else if (error instanceof DnsServerError) serverFailure ??= error;
      else if (error instanceof DnsNotFoundError) notFound = error;
      else throw error;
    }
  }
  if (names.length === 1) throw noData ?? serverFailure ?? notFound;
  const server = (noData ?? notFound)?.server;
  const where = server === undefined ? {} : { server };
  if (noData) throw new DnsNoDataError(typed, typeName, where);
  if (serverFailure) throw serverFailure;
  throw new DnsNotFoundError(typed, where);
}
