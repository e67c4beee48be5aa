/**
 * The DNS part of the resolver: asking the servers in turn, in resolv.conf's `attempts` rounds
 * with glibc's time for each (a dead server told in milliseconds by a refused TCP probe, and the
 * last one, which may serve UDP only, only where the host's UDP sockets say too that nothing
 * listens: a loopback one), following CNAME chains, walking the search list as `res_search`
 * does (a single-label name given an alias by the `HOSTALIASES` file of hostname(7) asked as the
 * alias, as glibc's res_hostalias reads it). Loaded by the resolver only when DNS is asked, so
 * that an answer from the hosts file or an address literal loads no socket code.
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
} from "./name_server.ts";
import {
  type AskOptions,
  askServer,
  closeKeptSockets,
  type KeptSockets,
  type QuestionStop,
  stopQuestion,
} from "./_ask_server.ts";
import type { DnsNoDataError, DnsServerError } from "./errors.ts";
import { DNS_CLASS_IN, DNS_RCODE, DNS_TYPE, type DnsMessage, type DnsRecord } from "./message.ts";
import { type ClockEntry, schedule, unschedule } from "../internal/shared_clock.ts";
import { isValidAnswerName } from "./host_name.ts";
import type { ResolverConfig, SortListEntry } from "./resolv_conf.ts";
import type { IpFamily } from "../net/inet.ts";
import { MAX_CNAME_LINKS } from "./codes.ts";
import type { ResolveOptions } from "./_resolve_options.ts";
import { readParsedConfigFile } from "../internal/config_file.ts";
import { readEnvQuietly } from "./_quietly.ts";
import type { PairedSearch, QuestionPace, SearchPass } from "./_paired_search.ts";
// The pairing is read from a module of its own: a lookup of one family loads no pairing code.
import { PAIRINGS } from "./_pairings.ts";
// Loaded here as well as by `_ask_server.ts`, its only user, so that Deno fetches it with this
// module's other imports: a module first named a level deeper is fetched only once the level
// above is compiled, which cost `resolve-hostname --nameserver` ~0.7-0.85 ms (bench/README.md).
import "./_question_slots.ts";

/**
 * The DNS errors, loaded when a lookup fails: an answer never needs them (nor `SocketError`, see
 * {@linkcode everyServerRefused}), and a command's start-up is ~0.2 ms shorter without them.
 */
const dnsErrors = (function dnsErrors(): Promise<typeof import("./errors.ts")> {
  // One import() for all: each made while the module loads costs a load of its own (resolver.ts).
  return errorsLoading ??= import("./errors.ts");
}).bind(undefined);

let errorsLoading: Promise<typeof import("./errors.ts")> | undefined;
/** The loads of the probe's module and of `SocketError`, one `import()` each (as errors.ts's). */
let deadServerLoading: Promise<typeof import("./_dead_server.ts")> | undefined;
let socketErrorLoading: Promise<typeof import("../net/socket_error.ts")> | undefined;

/**
 * resolv.conf's reader (`resolv_conf.ts`), loaded when the system's configuration is read: a
 * lookup that names its server (`--nameserver`) has no search list, sortlist nor options, and
 * never loads it. One `import()` for all (see dnsErrors).
 */
let resolvConf: typeof import("./resolv_conf.ts") | undefined;
let resolvConfLoading: Promise<typeof import("./resolv_conf.ts")> | undefined;
const loadResolvConf = (async function loadResolvConf(): Promise<
  typeof import("./resolv_conf.ts")
> {
  return resolvConf ??= await (resolvConfLoading ??= import("./resolv_conf.ts"));
}).bind(undefined);

/** resolv.conf's settings: `resolv_conf.ts`'s readResolverConfig, that module loaded first. */
export const readResolverConfig = (async function readResolverConfig(
  path?: string,
): Promise<ResolverConfig> {
  return await (resolvConf ?? await loadResolvConf()).readResolverConfig(path);
}).bind(undefined);

/** `resolv_conf.ts`'s sortBySortList, that module loaded first (by the config's reading). */
export const sortBySortList = (async function sortBySortList(
  addresses: string[],
  sortList: readonly SortListEntry[],
): Promise<string[]> {
  return (resolvConf ?? await loadResolvConf()).sortBySortList(addresses, sortList);
}).bind(undefined);

/**
 * The pair's sockets (`_pair_sockets.ts`), loaded for a lookup of both families only: a question
 * asked alone (one family, a command's usual lookup) never loads their shared-socket reader,
 * question table and ordered sends. One `import()` for all (see dnsErrors).
 */
let pairSockets: typeof import("./_pair_sockets.ts") | undefined;
let pairSocketsLoading: Promise<typeof import("./_pair_sockets.ts")> | undefined;
const loadPairSockets = (async function loadPairSockets(): Promise<
  typeof import("./_pair_sockets.ts")
> {
  return pairSockets ??= await (pairSocketsLoading ??= import("./_pair_sockets.ts"));
}).bind(undefined);

/**
 * The rotation counter of `options rotate`: each question starts one server further, from a
 * random server at a process's first question, as glibc's nameserver_offset (so that one-shot
 * processes spread over the servers too).
 */
let rotation: number | undefined;

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").
const nameServers = (function nameServers(
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
    rotation ??= crypto.getRandomValues(new Uint16Array(1))[0] ?? 0;
    const start = rotation++ % servers.length;
    return [...servers.slice(start), ...servers.slice(0, start)];
  }
  const list = Array.isArray(given) ? given : [given];
  if (list.length === 0) throw new RangeError("nameServer: an empty list names no server");
  return list.map(parsedNameServer);
}).bind(undefined);

/** Servers the caller gave as text, parsed once (a caller asks the same few again and again). */
const parsedServers = new Map<string, Required<NameServer>>();
const MAX_PARSED_SERVERS = 64;

const parsedNameServer =
  (function parsedNameServer(server: string | NameServer): Required<NameServer> {
    const text = typeof server === "string" ? server : formatNameServer(server);
    const known = parsedServers.get(text);
    if (known) return known;
    const parsed = Object.freeze(parseNameServer(text));
    if (parsedServers.size >= MAX_PARSED_SERVERS) parsedServers.clear();
    parsedServers.set(text, parsed);
    return parsed;
  }).bind(undefined);

/** Whether two names are the same, ignoring ASCII case (no new string when spelled alike). */
const sameName = (function sameName(a: string, b: string): boolean {
  return a === b || (a.length === b.length && a.toLowerCase() === b.toLowerCase());
}).bind(undefined);

/** The end of a CNAME chain and the records of the type asked found there. */
export interface ChainAnswer {
  chain: string[];
  data: string[];
}

/** The last name of a CNAME chain, which starts with the name asked and so is never empty. */
export const chainEnd = (function chainEnd(chain: string[]): string {
  const end = chain.at(-1);
  if (end === undefined) throw new RangeError("A CNAME chain cannot be empty");
  return end;
}).bind(undefined);

/** How a question is sent: over TCP only (`use-vc`), with EDNS0, with the AD bit, resent or not. */
type QuestionForm = Pick<
  AskOptions,
  "tcpOnly" | "edns0" | "trustAd" | "resend" | "kept" | "pair" | "sent"
>;

/** How long a UDP question waits before the server's TCP port is probed. */
const PROBE_DELAY_MS = 5;
/** How long a server that accepted a probe is not probed again. */
const PROBE_TRUST_MS = 30_000;
/** Servers that accepted a TCP probe, and until when that is trusted. */
const probedAlive = new Map<string, number>();

/**
 * Whether a server address is this host's, where its own sockets tell what listens: a loopback
 * address, or the unspecified one (`nameserver 0.0.0.0`), which the kernel delivers to loopback.
 */
const isLoopbackServer = (function isLoopbackServer(hostname: string): boolean {
  return hostname === "::1" || hostname.startsWith("127.") || hostname === "0.0.0.0" ||
    hostname === "::";
}).bind(undefined);

/**
 * Asks one server, and tells a dead one quickly, as glibc does from ICMP port-unreachable (which
 * Deno's UDP sockets do not report): when no answer has come after {@linkcode PROBE_DELAY_MS},
 * `serverIsDead` (`_dead_server.ts`) is asked; a dead server's question is given up at once, so
 * that the next server is asked (or, when none is left, the lookup fails at once as glibc's
 * does). A server found alive is trusted for {@linkcode PROBE_TRUST_MS} and not probed again
 * meanwhile. The probe waits on the shared clock, beside the question's own resends, and its
 * `AbortController` is made only when it fires: a question answered sooner makes none (the first
 * of a process, with its `abort()`, costs a command's start-up ~0.4 ms).
 */
const queryWithProbe = (async function queryWithProbe(
  name: string,
  type: number,
  nameServer: Required<NameServer>,
  last: boolean,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  form: QuestionForm,
  key: string,
): Promise<DnsMessage> {
  // `key`: the server as formatNameServer writes it, which the caller has made already.
  const trustedUntil = probedAlive.get(key);
  if (trustedUntil !== undefined && trustedUntil > Date.now()) {
    return await askServer(name, type, { nameServer, timeoutMs, signal, ...form });
  }
  const question: QuestionStop = {};
  // Made when the probe fires: it stops the probe's connection once the question has settled.
  let probeStop: AbortController | undefined;
  // Rejects the lookup's promise below: whichever settles it first, the answer or the probe, wins
  // (one promise, not a race of two: no array, no second promise, a lookup).
  let failProbe: (error: unknown) => void = () => {};
  const runProbe = async () => {
    probeStop = new AbortController();
    const linked = signal ? AbortSignal.any([signal, probeStop.signal]) : probeStop.signal;
    // Loaded when a probe fires: a server that answers within PROBE_DELAY_MS never needs it.
    const { serverIsDeadShared } = await (deadServerLoading ??= import("./_dead_server.ts"));
    // Found alive meanwhile, by another question's probe: nothing to ask.
    if ((probedAlive.get(key) ?? 0) > Date.now()) return;
    const refused = await serverIsDeadShared(nameServer, last, linked);
    if (refused === undefined) {
      if (!linked.aborted) probedAlive.set(key, Date.now() + PROBE_TRUST_MS);
      return;
    }
    const { SocketError } = await (socketErrorLoading ??= import("../net/socket_error.ts"));
    const error = new SocketError({
      step: "connect",
      host: nameServer.hostname,
      port: nameServer.port,
      failure: "refused",
      cause: refused,
    });
    failProbe(error);
  };
  // The shared clock, not setTimeout: the first setTimeout of a process costs ~3.5 ms (Deno's
  // timer machinery loads); the question's pending receive keeps the process alive meanwhile.
  const timer: ClockEntry = {
    due: performance.now() + PROBE_DELAY_MS,
    fire: () => void runProbe().catch(failProbe),
  };
  schedule(timer);
  try {
    return await new Promise<DnsMessage>((resolve, reject) => {
      failProbe = reject;
      askServer(name, type, { nameServer, timeoutMs, signal, ...form }, question).then(
        resolve,
        reject,
      );
    });
  } finally {
    unschedule(timer);
    stopQuestion(question, questionSettled);
    probeStop?.abort(questionSettled());
  }
}).bind(undefined);

let questionSettledError: Error | undefined;

/**
 * Why the question's loser (the probe or the question) is stopped once the other has settled:
 * one reason for every lookup, since `abort()` without one builds a `DOMException` each time
 * (its stack trace included, ~2.4 microseconds a lookup). Nobody sees it: the race has settled
 * already. Made when first needed, never while the module loads: an error made then costs
 * ~0.3 ms, as V8 works out the source positions of the module's code for its stack trace.
 */
const questionSettled = (function questionSettled(): Error {
  return questionSettledError ??= new Error("The question was settled");
}).bind(undefined);

/**
 * How long a system server gets for one question, as glibc's send_dg gives it: resolv.conf's
 * `timeout` for the first server of the file, `timeout << i / count` for the i-th of `count`
 * (so with three servers and 5 s: 5, 3 and 6 s), at least a second.
 */
const serverAttemptTimeoutMs = (function serverAttemptTimeoutMs(
  nameServer: Required<NameServer>,
  config?: ResolverConfig,
): number {
  if (config === undefined) return DEFAULT_DNS_TIMEOUT_MS;
  const index = Math.max(0, config.nameServers.indexOf(nameServer.hostname));
  const count = config.nameServers.length;
  const seconds = index === 0
    ? config.attemptTimeoutMs / 1000
    : Math.floor(((config.attemptTimeoutMs / 1000) * 2 ** index) / count);
  return Math.max(1, seconds) * 1000;
}).bind(undefined);

/**
 * Asks the servers in turn (the next one after a timeout, a server failure or a socket error)
 * for `type` records of `name`, following CNAMEs inside answers and with new questions; each
 * question in its turn (`pace`: both families of `lookupAddresses`, A before AAAA).
 */
export const lookupChain = (async function lookupChain(
  name: string,
  type: number,
  typeName: string,
  options: ResolveOptions,
  config?: ResolverConfig,
  pace?: QuestionPace,
): Promise<ChainAnswer> {
  // Both families of a pair ask the same servers in the same order (`rotate` turns once a pair).
  const servers = pace === undefined
    ? nameServers(options, config)
    : pace.shared(() => nameServers(options, config));
  // resolv.conf's `attempts` rounds over the servers, and `use-vc`, on the system path only.
  const tcpOnly = options.nameServer === undefined && config?.useTcp === true;
  // Over TCP glibc asks each server once (res_send: "Use VC; at most one attempt per server").
  const rounds = options.nameServer === undefined && !tcpOnly ? config?.attempts ?? 1 : 1;
  // And the questions' form (`edns0`, `trust-ad`), as glibc's res_mkquery makes them; each sent
  // once a try, as glibc's send_dg sends it (its `attempts` rounds are the retries).
  const system = options.nameServer === undefined && config !== undefined;
  // The pair's questions to a server leave from one UDP socket, as glibc's send_dg sends them
  // (one source port, the answers told apart by id); under `single-request` the AAAA one only
  // once the A one is answered (its try over), on that socket; under `single-request-reopen`
  // from a socket of its own, the A one's closed first (send_dg's __res_iclose and reopen).
  const singleRequest = system && config.singleRequest;
  // (Awaited before the pair's first question only; the pace keeps A before AAAA meanwhile.)
  const pair = pace !== undefined && !tcpOnly && !(system && config.singleRequestReopen)
    ? pace.held((pairSockets ?? await loadPairSockets()).newPairSockets)
    : undefined;
  const form: QuestionForm = system
    ? { tcpOnly, edns0: config.edns0, trustAd: config.trustAd, resend: false, pair }
    : { tcpOnly, pair };
  const signal = options.signal;
  const chain = [name];
  // The owner the answer's records must have: the chain's end, or a CNAME target that is no host
  // name (`has space.test`), followed as glibc follows it but kept out of `chain`, whose names
  // are handed on (glibc keeps it out of h_name, h_aliases and ai_canonname: bug 12154).
  let owner = name;
  // The chain's names in lower case (an array: a chain is short, and a Set a lookup cost more).
  const seen = [name.toLowerCase()];
  // Questions asked about a CNAME's target: limited. Links inside one answer are followed to the
  // end, as glibc follows them (it never asks again); the loop check ends a circle.
  let followUps = 0;
  while (true) {
    const current = owner;
    let lastError: unknown;
    let answer;
    let server = "";
    let dead: Set<Required<NameServer>> | undefined; // made only when a server is found dead
    // Over several tries, each server's socket and query are kept from one try to the next, as
    // glibc's res_send keeps them: a late answer to an earlier try answers a later one.
    const kept: KeptSockets | undefined = rounds > 1 ? { byServer: new Map() } : undefined;
    const asked = kept === undefined ? form : { ...form, kept };
    try {
      rounds: for (let round = 0; round < rounds; round++) {
        for (const nameServer of servers) {
          // A server found dead stays dead for the next rounds (glibc asks again, and is refused at once).
          if (dead?.has(nameServer)) continue;
          // Tells the other family of the pair that this question is out (at most once a try).
          let told = pace === undefined;
          const tell = () => {
            if (!told) pace!.asked();
            told = true;
          };
          if (pace !== undefined) {
            const turn = pace.turn();
            if (turn !== undefined) await turn;
            signal?.throwIfAborted();
            // Then nothing is awaited before the question is on its UDP socket (askServer sends
            // it in its first synchronous stretch), so the other family's question, which waits
            // for this, goes out after it. Over TCP (`use-vc`) the connection comes first: the
            // other question waits until this one is written (`sent`), or this try is over;
            // else a server could read AAAA first (seen once in CI: glibc's send_vc writes A
            // before AAAA on its one connection).
            // Under `single-request` the other question waits until this try is over too.
            if (!tcpOnly && !singleRequest) tell();
          }
          server = formatNameServer(nameServer);
          // One attempt's time (the whole lookup's deadline, when set, is in `signal`).
          const timeoutMs = options.attemptTimeoutMs ?? serverAttemptTimeoutMs(nameServer, config);
          try {
            // A dead server is left in milliseconds (see queryWithProbe); the last one is only
            // probed where the host's own sockets can tell (loopback).
            const last = nameServer === servers.at(-1);
            answer = !last || isLoopbackServer(nameServer.hostname)
              ? await queryWithProbe(
                current,
                type,
                nameServer,
                last,
                timeoutMs,
                signal,
                tcpOnly ? { ...asked, sent: tell } : asked,
                server,
              )
              : await askServer(current, type, {
                nameServer,
                timeoutMs,
                signal,
                ...asked,
                sent: tell,
              });
            options.trace?.({
              step: "query",
              name: current,
              type: typeName,
              server,
              rcode: answer.rcode,
            });
            // As glibc's res_send: these three go on to the next server (and round); over TCP
            // (`use-vc`) glibc takes them for the answer ("the error is fatal", send_vc).
            if (
              !tcpOnly &&
              (answer.rcode === DNS_RCODE.SERVFAIL || answer.rcode === DNS_RCODE.REFUSED ||
                answer.rcode === DNS_RCODE.NOTIMP)
            ) {
              lastError = new (await dnsErrors()).DnsServerError(name, answer.rcode, { server });
              answer = undefined;
              continue;
            }
            break rounds;
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
            // A refusal says least: it does not hide another server's time-out or failure, so the
            // error is a refusal only when every server refused (glibc's ECONNREFUSED).
            const refused = await everyServerRefused(error);
            if (!(refused && lastError !== undefined)) lastError = error;
            if (refused) (dead ??= new Set()).add(nameServer);
          } finally {
            // Not written (no connection, the answer read first, an error): the try is over.
            tell();
          }
        }
      }
    } finally {
      if (kept !== undefined) closeKeptSockets(kept);
    }
    if (!answer) throw lastError;
    if (answer.rcode === DNS_RCODE.NXDOMAIN) {
      throw new (await dnsErrors()).DnsNotFoundError(name, { server });
    }
    if (answer.rcode !== DNS_RCODE.NOERROR) {
      // Only over TCP: no server failed, the answer said so (see nssStatusAfter).
      throw answeredFailure(new (await dnsErrors()).DnsServerError(name, answer.rcode, { server }));
    }
    // The name as the answer's question section spells it (a server of DNS 0x20's or a
    // middlebox's case): glibc's h_name and canonical name are that name, unpacked from the
    // answer (nss_dns's getanswer_r), not the name as asked (seed 1401000).
    const spelt = answer.questions[0]?.name;
    if (chain.length === 1 && spelt !== undefined && spelt !== name && sameName(spelt, name)) {
      chain[0] = spelt;
    }
    // Walk the answer section along the chain (plain loops: this runs for every lookup).
    let moved = false;
    while (true) {
      let found: string[] | undefined;
      let cname: DnsRecord | undefined;
      for (const record of answer.answers) {
        if (record.class !== DNS_CLASS_IN || !sameName(record.name, owner)) continue;
        // An A or AAAA record of another length kept its bytes (message.ts): skipped, as glibc.
        if (record.type === type) {
          if (typeof record.data === "string") (found ??= []).push(record.data);
        } else if (record.type === DNS_TYPE.CNAME) cname ??= record;
      }
      // As glibc's gethostbyaddr: the first PTR record names the address ("bind would put
      // multiple PTR records as aliases, but we don't do that"), and it must be a host name
      // (res_hnok): an answer starting "<script>x</scr.test" is refused, never handed on.
      const data = found && type === DNS_TYPE.PTR ? found.slice(0, 1) : found;
      if (data && type === DNS_TYPE.PTR && !data.every(isValidAnswerName)) {
        throw new (await dnsErrors()).DnsBadResponseError(
          name,
          "the name in the answer is not a valid host name",
          {
            server,
          },
        );
      }
      if (data) {
        // The chain's end as asked (or as the last CNAME names it), not as the records' owner
        // is spelt: glibc's h_name and getaddrinfo's canonical name (`up.test` for an answer
        // owned by `UP.Test`, checked with getent). A record the answer repeats stays, as in
        // glibc's answers.
        return { chain, data };
      }
      if (!cname) break;
      const target = String(cname.data);
      const hostName = isValidAnswerName(target);
      // A reverse lookup's PTR record owned by such a name: glibc's getanswer_ptr fails.
      if (!hostName && type === DNS_TYPE.PTR) {
        throw new (await dnsErrors()).DnsBadResponseError(
          name,
          `the CNAME target ${quoteForMessage(target)} is not a valid host name`,
          {
            server,
          },
        );
      }
      if (hostName) chain.push(target);
      const lower = target.toLowerCase();
      if (seen.includes(lower)) {
        const circle = hostName ? chain : [...chain, target];
        throw new (await dnsErrors()).DnsCnameChainError(name, circle, true, { server });
      }
      seen.push(lower);
      owner = target;
      moved = true;
    }
    // Nothing of the type at the chain's end: ask about the end itself, unless this very
    // question was about it, or the end is no host name (glibc stops, NO_RECOVERY; netkit sends
    // no such name, and goes on as after no data).
    if (!moved || owner !== chainEnd(chain)) {
      throw new (await dnsErrors()).DnsNoDataError(name, typeName, { server });
    }
    if (++followUps > MAX_CNAME_LINKS) {
      throw new (await dnsErrors()).DnsCnameChainError(name, chain, false, { server });
    }
  }
}).bind(undefined);

/**
 * How glibc's dns source reports failed lookups to nsswitch.conf where that is not what their
 * error's kind says (resolver.ts's nssStatusOf): it reads errno after res_search, not the answer.
 * res_send sets it when the servers fail (a time-out, SERVFAIL, REFUSED or NOTIMP from every
 * server: ETIMEDOUT; all dead: ECONNREFUSED) and clears it when an answer comes, so a search
 * list is UNAVAIL when its last question's servers failed, and NOTFOUND when the last one was
 * answered, whichever name's error the lookup reports (the NXDOMAIN of the name as it is, an
 * earlier domain's SERVFAIL); and an error code that came as the answer (over TCP, `use-vc`) is
 * NOTFOUND. One family's failure where the other family of `lookupAddresses` found an address is
 * SUCCESS: glibc asks both at once (gethostbyname4_r), with one status.
 */
const NSS_STATUS_AFTER = new WeakMap<object, "success" | "notfound" | "unavail">();

/** `error`, marked as an error code that came as the answer (NOTFOUND, see NSS_STATUS_AFTER). */
function answeredFailure<E extends object>(error: E): E {
  NSS_STATUS_AFTER.set(error, "notfound");
  return error;
}

/**
 * The status glibc's dns source gives nsswitch.conf after the lookup that failed with `error`,
 * where its errno decides rather than the error's kind; undefined where the kind decides.
 */
export function nssStatusAfter(error: unknown): "success" | "notfound" | "unavail" | undefined {
  return typeof error === "object" && error !== null ? NSS_STATUS_AFTER.get(error) : undefined;
}

/**
 * Whether a question failed at its servers (glibc's res_send failed, leaving errno set), given
 * the error classes (loaded on a failure only).
 */
function serversFailed(
  error: unknown,
  errors: typeof import("./errors.ts"),
  socketError: typeof import("../net/socket_error.ts").SocketError,
): boolean {
  if (error instanceof errors.DnsServerError) return nssStatusAfter(error) !== "notfound";
  // Garbage until the time ran out (an answer to another question): glibc's send_dg ignores
  // it and times out (seed 1100071 of the questions random test: `hosts: dns
  // [NOTFOUND=return] dns` went on to the second DNS source after such a search-list name).
  if (error instanceof errors.DnsBadResponseError) {
    return error.cause instanceof errors.DnsTimeoutError;
  }
  return error instanceof errors.DnsTimeoutError || error instanceof socketError;
}

/**
 * Whether a lookup failed because every server refused (nothing listens: ICMP unreachable).
 * `SocketError` is loaded here, on a failure only.
 */
async function everyServerRefused(error: unknown): Promise<boolean> {
  const { SocketError } = await (socketErrorLoading ??= import("../net/socket_error.ts"));
  return error instanceof SocketError && error.failure === "refused";
}

/**
 * Gives `error`, the IPv6 walk's no data under `no-aaaa` with both families, the nsswitch.conf
 * status of the IPv4 walk's failure, once that walk is over (none when it found an address).
 */
async function withStatusOfIpv4Walk(error: unknown, paired: SearchPass): Promise<void> {
  const ipv4Failure = await paired.failureOf(4);
  if (ipv4Failure === undefined || typeof error !== "object" || error === null) return;
  const { DnsNoDataError, DnsNotFoundError } = await dnsErrors();
  const status = nssStatusAfter(ipv4Failure) ??
    (ipv4Failure instanceof DnsNotFoundError || ipv4Failure instanceof DnsNoDataError
      ? "notfound"
      : "unavail");
  NSS_STATUS_AFTER.set(error, status);
}

/** A name that gave an address, as the other family's walk is told. */
const FOUND = Object.freeze({ found: true, ended: false, noData: false });

/** A name that failed and ended the search list, as the other family's walk is told. */
const FAILED_ENDED = Object.freeze({ found: false, ended: true, noData: false });

/**
 * Asks for each name of the search list in turn, as glibc's `res_search`: NXDOMAIN and no data go
 * on to the next search domain, and so does SERVFAIL; any other failure of a search domain (a
 * time-out, REFUSED, NOTIMP, garbage, a name that cannot be sent) ends the search list, but the
 * name as typed (`typed`, what is searched for) is still asked when it comes last, unless the
 * root (`search .`) was reached on the list, where the name stood as a search domain. A name
 * asked as it is first goes on to the search list whatever its error. Every server refusing
 * (nothing listens) ends the lookup at once. The error is that of the name asked as it is first,
 * else no data if any name had it, else SERVFAIL if any had it, else the last one's; it names
 * `typed`; its nsswitch.conf status is the last question's ({@linkcode nssStatusAfter}). Under
 * `no-aaaa`, IPv6 questions are asked as IPv4 ones, any answer no data.
 */
export const searchChain = (function searchChain(
  names: string[],
  typed: string,
  family: IpFamily,
  typeName: string,
  options: ResolveOptions,
  config: ResolverConfig | undefined,
): Promise<ChainAnswer> {
  // The usual lookup, one name of one family (an explicit server, a final dot, no search list),
  // goes straight to its question: no pairing, no search list, nothing of `no-aaaa`, and so not
  // through searchList's async frame (73 registers, ~1 KB of heap a call).
  const only = names[0];
  if (
    names.length === 1 && only !== undefined && !PAIRINGS.has(options) &&
    !(family === 6 && config?.noAaaa === true)
  ) {
    return lookupChain(only, family === 4 ? DNS_TYPE.A : DNS_TYPE.AAAA, typeName, options, config);
  }
  return searchList(names, typed, family, typeName, options, config);
}).bind(undefined);

/** {@linkcode searchChain} of several names, or of a pairing's, or under `no-aaaa`. */
const searchList = (async function searchList(
  names: string[],
  typed: string,
  family: IpFamily,
  typeName: string,
  options: ResolveOptions,
  config: ResolverConfig | undefined,
): Promise<ChainAnswer> {
  // Both families of `lookupAddresses` walk the list in step (_paired_search.ts): with a
  // pairing, each name is asked for both, the next only when neither found an address; each DNS
  // source of nsswitch.conf (`hosts: dns files dns`) is a pass of its own.
  const paired = (PAIRINGS.get(options) as PairedSearch | undefined)?.walk(family);
  let failure: unknown;
  try {
    // resolv.conf's `no-aaaa` (glibc 2.36's res-noaaaa.c): an AAAA question is sent as an A one,
    // and its answer read as no data, with the answer's code (NXDOMAIN stays NXDOMAIN).
    const noAaaa = family === 6 && config?.noAaaa === true;
    const type = family === 4 || noAaaa ? DNS_TYPE.A : DNS_TYPE.AAAA;
    // The A question in an AAAA one's place goes without EDNS0, as res-noaaaa.c's replacement
    // (arcount 0), whatever `edns0` says.
    const asked = noAaaa && config?.edns0 === true ? { ...config, edns0: false } : config;
    // The IPv6 walk under no-aaaa asks nothing (below), and leaves only after the IPv4 walk:
    // the IPv4 walk's questions must not wait for its turns (found hung: seed 36 of
    // tests/cmd/resolve-hostname_random_test.ts, a dead first server).
    if (noAaaa) paired?.silent(6);
    const ask = async (name: string, index: number): Promise<ChainAnswer> => {
      // Both families together under no-aaaa: glibc's gethostbyname4_r asks A alone (dns-host.c),
      // so the IPv6 walk asks nothing, and finds no data at each name.
      if (noAaaa && paired !== undefined) {
        throw new (await dnsErrors()).DnsNoDataError(name, typeName);
      }
      const found = await lookupChain(
        name,
        type,
        typeName,
        options,
        asked,
        paired?.pace(family, index),
      );
      if (noAaaa) throw new (await dnsErrors()).DnsNoDataError(name, typeName);
      return found;
    };
    // One name (an explicit server, a final dot, no search list): its own errors are the search's.
    // Awaited here, not handed on: an async function returning a promise costs two more turns of
    // the microtask queue, and `ask` a third, on every lookup.
    const only = names[0];
    if (names.length === 1 && only !== undefined) {
      // (Without a pairing only under no-aaaa: searchChain takes the others straight on.)
      if (paired === undefined) return await ask(only, 0);
      try {
        const found = await ask(only, 0);
        void paired.after(family, 0, FOUND);
        return found;
      } catch (error) {
        // The other family found an address: SUCCESS for both, as below.
        const next = await paired.after(family, 0, FAILED_ENDED);
        if (next.stop && typeof error === "object" && error !== null) {
          NSS_STATUS_AFTER.set(error, "success");
        }
        throw error;
      }
    }
    // The name as it is: asked first (dots >= ndots) or last, outside the search list; where the
    // root is on the list (`search .`), the name in its place is a search domain's, whose failure
    // ends the list as another's does.
    const dots = typed.split(".").length - 1;
    const asIsFirstly = dots >= (config?.ndots ?? 1);
    // With the root on the list, the name is not asked as it is last if the search reached the
    // root's place (res_search's root_on_list); if the list ended before, it is.
    const rootAt = !asIsFirstly && config?.search.includes("") === true ? names.indexOf(typed) : -1;
    const candidates = rootAt >= 0 && !(dots === 0 && config?.noTldQuery === true)
      ? [...names, typed]
      : names;
    const asIsAt = asIsFirstly ? 0 : candidates.length - 1;
    let rootReached = false;
    let asIsFirst: unknown;
    let noData: DnsNoDataError | undefined;
    let serverFailure: DnsServerError | undefined;
    let last: unknown;
    let unsendable: unknown;
    let searchEnded = false;
    let lastFailedServers: boolean | undefined;
    // The other family found an address where this one found none: glibc's one lookup of both
    // (gethostbyname4_r) succeeded, so nsswitch.conf's SUCCESS action follows (no later source
    // is asked for this family either: `hosts: dns files dns` walked the list again for AAAA).
    let otherFound = false;
    for (const [index, candidate] of candidates.entries()) {
      const asIs = index === asIsAt && candidate === typed && index !== rootAt;
      if (searchEnded && !asIs) {
        paired?.skipped(family, index);
        continue;
      }
      if (index === rootAt) rootReached = true;
      else if (asIs && rootReached) {
        paired?.skipped(family, index);
        continue;
      }
      try {
        const found = await ask(candidate, index);
        void paired?.after(family, index, FOUND);
        return found;
      } catch (error) {
        // A name a search domain made that cannot be sent (`a..test`, a label over 63 bytes):
        // glibc's res_querydomain fails before asking (NO_RECOVERY), which ends the search list.
        if (error instanceof SyntaxError && !asIs) {
          unsendable ??= error;
          searchEnded = true;
          if (paired) {
            const next = await paired.after(family, index, FAILED_ENDED);
            if (next.stop) {
              otherFound = true;
              break;
            }
            searchEnded = next.ended;
          }
          continue;
        }
        // An abort (the whole lookup's deadline too: a DnsTimeoutError), a missing permission, a
        // bug: not an answer about the name.
        options.signal?.throwIfAborted();
        const [errors, { SocketError }] = await Promise.all([
          dnsErrors(),
          socketErrorLoading ??= import("../net/socket_error.ts"),
        ]);
        const { DnsError, DnsNoDataError, DnsNotFoundError, DnsServerError } = errors;
        if (!(error instanceof DnsError || error instanceof SocketError)) throw error;
        if (await everyServerRefused(error)) throw error;
        lastFailedServers = serversFailed(error, errors, SocketError);
        last = error;
        if (asIs) {
          if (index === 0) asIsFirst = error;
        } else if (error instanceof DnsNoDataError) noData ??= error;
        else if (error instanceof DnsServerError && error.rcodeName === "SERVFAIL") {
          serverFailure ??= error;
        } else if (!(error instanceof DnsNotFoundError)) searchEnded = true;
        // The other family found an address at this name: the lookup ends here; or their answers
        // together say whether the list goes on.
        if (paired) {
          const noData = error instanceof DnsNoDataError;
          const next = await paired.after(family, index, {
            found: false,
            ended: searchEnded,
            noData,
          });
          if (next.stop) {
            otherFound = true;
            break;
          }
          searchEnded = next.ended;
        }
      }
    }
    const error = asIsFirst ?? noData ?? serverFailure ?? last ?? unsendable;
    const { DnsError, DnsNoDataError, DnsNotFoundError } = await dnsErrors();
    const where = error instanceof DnsError && error.server !== undefined
      ? { server: error.server }
      : {};
    const status = otherFound
      ? "success"
      : lastFailedServers === undefined
      ? nssStatusAfter(error)
      : lastFailedServers
      ? "unavail"
      : "notfound";
    const final = error instanceof DnsNoDataError
      ? new DnsNoDataError(typed, typeName, where)
      : error instanceof DnsNotFoundError
      ? new DnsNotFoundError(typed, where)
      : error;
    if (status !== undefined && typeof final === "object" && final !== null) {
      NSS_STATUS_AFTER.set(final, status);
    }
    throw final;
  } catch (error) {
    failure = error;
    // Both families under no-aaaa: glibc asks A alone, and its one lookup's status is the A
    // walk's (a dead server, REFUSED: UNAVAIL, so the next source of nsswitch.conf is asked for
    // both families). The IPv6 walk, which asked nothing, passes the IPv4 walk's on (seed 5982).
    if (family === 6 && config?.noAaaa === true && paired !== undefined) {
      await withStatusOfIpv4Walk(error, paired);
    }
    throw error;
  } finally {
    paired?.leave(family, failure);
  }
}).bind(undefined);

// HOSTALIASES (hostname(7)), here beside its only user: a module of its own cost every
// command's start-up ~25 microseconds of module-graph work.

/** The largest aliases file read; a larger one counts as none. */
const MAX_HOST_ALIASES_BYTES = 1 << 20;

/** One line: the name, and its alias (undefined where the line names none). */
type HostAliasLine = [name: string, alias: string | undefined];

/**
 * The lines of an aliases file as glibc reads them: the name is the text up to the line's first
 * blank (empty for a blank or indented line), the alias the next word after it. A last line
 * with no blank at all (no newline either) is not read.
 */
function parseHostAliases(text: string): HostAliasLine[] {
  const lines = text.split("\n");
  const last = lines.pop() ?? "";
  // fgets keeps the newline, which counts as a blank: only the unterminated last line may have none.
  const read = /\s/.test(last) ? [...lines, last] : lines;
  return read.map((line) => {
    const cut = line.search(/\s/);
    const name = cut < 0 ? line : line.slice(0, cut);
    const alias = cut < 0 ? undefined : /^\s*(\S+)/.exec(line.slice(cut + 1))?.[1];
    return [name, alias];
  });
}

/** Two names as glibc's ns_samename compares them: in any case, a final dot or none. */
function sameAliasName(a: string, b: string): boolean {
  return a.replace(/\.$/, "").toLowerCase() === b.replace(/\.$/, "").toLowerCase();
}

/**
 * The names DNS is asked for a valid host name (`hostName` in ASCII, without its final dot;
 * `absolute` when it had one), in order, and the name they search for: the search list's (none
 * without `config`, an explicit server). HOSTALIASES (hostname(7)), as glibc's dns source: a
 * name without dots its user gave an alias is looked up as the alias, through the search list
 * (res_search), unless the alias is itself a name without dots with an alias, asked as it is.
 */
export const namesToAsk = (async function namesToAsk(
  hostName: string,
  absolute: boolean,
  config: ResolverConfig | undefined,
): Promise<{ names: string[]; searched: string }> {
  if (config === undefined) return { names: [hostName], searched: hostName };
  const alias = !absolute && !hostName.includes(".") ? await hostAlias(hostName) : undefined;
  const again = alias !== undefined && !alias.includes(".") ? await hostAlias(alias) : undefined;
  const name = again ?? alias ?? hostName;
  const searched = name.endsWith(".") ? name.slice(0, -1) : name;
  if (again !== undefined) return { names: [searched], searched };
  const { searchNames } = resolvConf ?? await loadResolvConf();
  return { names: searchNames(alias ?? (absolute ? `${hostName}.` : hostName), config), searched };
}).bind(undefined);

/**
 * The alias `HOSTALIASES` gives a name without dots, or undefined: no variable (or one Deno
 * may not read), a file that cannot be read, no line for the name, or a line without an alias
 * (which ends the search, as in glibc).
 *
 * @param name A host name in ASCII, without dots.
 * @returns The alias as written (a final dot kept: res_search then asks it only as it is).
 */
export async function hostAlias(name: string): Promise<string | undefined> {
  const path = readEnvQuietly("HOSTALIASES");
  if (!path) return undefined;
  let lines: HostAliasLine[];
  try {
    lines = await readParsedConfigFile(path, MAX_HOST_ALIASES_BYTES, parseHostAliases, "aliases");
  } catch {
    return undefined; // as glibc, which only tries to open it
  }
  const line = lines.find(([key]) => sameAliasName(key, name));
  return line?.[1];
}
