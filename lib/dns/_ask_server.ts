/**
 * The work of `queryDns` (client.ts): one question to one server over UDP, then over
 * TCP when the answer comes back truncated. Apart from the public module so that the resolver's
 * DNS part loads only this, and can stop a question without an `AbortController`
 * ({@linkcode QuestionStop}): a lookup's questions are stopped only when their server is found
 * dead, and the first `AbortController`, `AbortSignal.any` and `abort()` of a process cost a
 * command's start-up ~0.4 ms.
 *
 * @module
 */

import type * as NodeDgram from "node:dgram";
import {
  DEFAULT_DNS_TIMEOUT_MS,
  DNS_PORT,
  formatNameServer,
  type NameServer,
} from "./name_server.ts";
import { quoteForMessage } from "../internal/quote.ts";
import { type ClockEntry, schedule, unschedule } from "../internal/shared_clock.ts";
import { decodeDnsMessage, type DnsMessage, encodeDnsQuery } from "./message.ts";
import { inetNtop, inetPton } from "../net/inet.ts";
import { takeQuestionSlot, waitForQuestionSlot } from "./_question_slots.ts";

// A computed specifier, as for node:tls in lib/net/tls_connect.ts: a literal `import("node:dgram")`
// puts Node's compatibility layer in the graph Deno builds at start-up, though a lookup answered
// from the hosts file never sends a datagram.
const NODE_DGRAM = "node:dgram";

/** node:dgram's load, one `import()` for every question (see loadFailures). */
let nodeDgramLoading: Promise<{ default: typeof NodeDgram }> | undefined;

/** Options of `queryDns` (client.ts, which exports this type). */
export interface DnsQueryOptions {
  /** The server to ask. */
  nameServer: NameServer;
  /**
   * Give up after this long over UDP and, after a truncated answer, this long again over TCP
   * (glibc's send_vc waits there without a limit of its own). @default {5000}
   */
  timeoutMs?: number;
  /** Abort the question: the promise rejects with `signal.reason` and the socket is closed. */
  signal?: AbortSignal | undefined;
  /** Ask over TCP only, as resolv.conf's `options use-vc` has glibc do. @default {false} */
  tcpOnly?: boolean;
}

/**
 * {@linkcode DnsQueryOptions} and how the resolver's questions are formed from resolv.conf's
 * options (not offered to `queryDns`'s callers): as glibc's res_mkquery and __res_nopt form them.
 */
export interface AskOptions extends DnsQueryOptions {
  /** `edns0`: an OPT record advertising {@linkcode EDNS_UDP_PAYLOAD_BYTES}. @default {false} */
  edns0?: boolean;
  /** `trust-ad`: the AD bit set in the question. @default {false} */
  trustAd?: boolean;
  /**
   * Send the UDP question again at a third and at two thirds of `timeoutMs` (`queryDns`'s way);
   * false for resolv.conf's servers, which glibc asks once a try, `attempts` being the retries.
   * @default {true}
   */
  resend?: boolean;
  /**
   * The sockets of this question's earlier tries, by server, kept for its later ones (resolv.conf's
   * `attempts`): see {@linkcode KeptSockets}.
   */
  kept?: KeptSockets | undefined;
  /**
   * The sockets a pair of questions (the A and AAAA ones of `lookupAddresses`) share, one a
   * server: see {@linkcode PairSockets}.
   */
  pair?: PairSockets | undefined;
  /**
   * Called once the question has been written over TCP (`use-vc`, or after a truncated answer),
   * so that the pair's other question goes out after it, as glibc's send_vc writes A before AAAA
   * on its connection. A question over UDP goes out in askServer's first synchronous stretch.
   */
  sent?: (() => void) | undefined;
}

/**
 * One question's UDP sockets kept from one try to the next, one a server, as glibc's res_send
 * keeps a socket a server for all its tries and sends the same query (the same id) each time: an
 * answer that comes after a try's `timeout` is then read by the next try of that server -- a
 * server slower than `timeout` but quicker than `attempts` of them answers, as with glibc,
 * where a socket closed at each try's end lost it. Closed by {@linkcode closeKeptSockets} once
 * the question is over (a socket the pair shares stays open for the other question).
 */
export interface KeptSockets extends SlotOwner {
  /** By server, as `HOST PORT`. */
  byServer: Map<string, KeptSocket>;
}

/**
 * A kept socket: the query it sends, with its id; a question's own ({@linkcode SoloSocket}), or a
 * channel of `_pair_sockets.ts` when the question is one of a pair.
 */
export interface KeptSocket {
  query: Uint8Array;
  id: number;
  /** Lets go of it: closed unless a question under way, or the pair, still holds it. */
  release(): void;
}

/**
 * The UDP sockets a pair of questions (the A and AAAA ones of a lookup of both families) share,
 * one a server, as glibc's res_send asks both on one socket a server (one source port, the
 * answers told apart by id): made by `_pair_sockets.ts`, which `_dns_lookup.ts` loads only for
 * such lookups, so that a question asked alone loads none of it.
 */
export interface PairSockets extends SlotOwner {
  /** Whether a question of the pair asks with `id` on its socket for `server` (`HOST PORT`). */
  idTaken(server: string, id: number): boolean;
  /**
   * How a question of the pair asks on the pair's socket for its server, opened by the first to
   * ask it ({@linkcode queryUdpDatagram} with it).
   */
  kind: SocketKind<HeldSocket>;
  /** Lets go of them (and of the slot): each closes once no question uses it. */
  close(): void;
}

/** Lets go of the sockets kept for a question's tries (closed unless the pair holds them). */
export function closeKeptSockets(kept: KeptSockets): void {
  for (const entry of kept.byServer.values()) entry.release();
  kept.byServer.clear();
  kept.closed = true;
  kept.slot?.();
  kept.slot = undefined;
}

/**
 * The UDP payload size an `edns0` question advertises: glibc's RESOLV_EDNS_BUFFER_SIZE, what its
 * nss_dns questions carry (small enough not to be fragmented).
 */
const EDNS_UDP_PAYLOAD_BYTES = 1200;
/** The OPT pseudo-record's type (RFC 6891). */
const DNS_TYPE_OPT = 41;

/**
 * `query` (one question, no other records) as resolv.conf's options form it: the AD bit under
 * `trust-ad`; under `edns0` an OPT record after the question (root owner, version 0, no flags,
 * no options), as glibc sends them.
 */
const formQuery = (function formQuery(
  query: Uint8Array,
  edns0: boolean | undefined,
  trustAd: boolean | undefined,
): Uint8Array {
  if (trustAd) query[3] = (query[3] ?? 0) | 0x20;
  if (!edns0) return query;
  const formed = new Uint8Array(query.length + 11);
  formed.set(query);
  formed[11] = 1; // ARCOUNT: the OPT record
  const at = query.length + 1; // after the root name's zero byte
  formed[at + 1] = DNS_TYPE_OPT;
  formed[at + 2] = EDNS_UDP_PAYLOAD_BYTES >> 8; // CLASS: the UDP payload size
  formed[at + 3] = EDNS_UDP_PAYLOAD_BYTES & 0xff;
  return formed;
}).bind(undefined);

/**
 * A way to stop one question from outside, for the resolver's dead-server probe: the question
 * settles with the reason given to {@linkcode stopQuestion} (its socket closed), as with an
 * aborted signal, but nothing is made unless it is used (the reason neither, unless the question
 * was still under way).
 */
export interface QuestionStop {
  /** Set by stopQuestion: the reason. */
  stopped?: { why: () => unknown };
  /** Set by the question under way: ends it with the reason `why` gives. */
  onStop?: (why: () => unknown) => void;
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** What a failed question needs to say why: the DNS errors and the socket errors. */
interface Failures {
  errors: typeof import("./errors.ts");
  sockets: typeof import("../net/socket_error.ts");
}

let failures: Failures | undefined;

/**
 * Loads {@linkcode Failures} when a question fails: an answer needs neither (~0.2 ms of a
 * command's start-up).
 */
export const loadFailures = (async function loadFailures(): Promise<Failures> {
  if (failures !== undefined) return failures;
  // One load for all: each import() made while a module loads costs a load of its own, as 1,000
  // questions failing at once would make (resolver.ts).
  failuresLoading ??= Promise.all([import("./errors.ts"), import("../net/socket_error.ts")]);
  const [errors, sockets] = await failuresLoading;
  return failures = { errors, sockets };
}).bind(undefined);

let failuresLoading:
  | Promise<[typeof import("./errors.ts"), typeof import("../net/socket_error.ts")]>
  | undefined;

/**
 * The SocketError of a question's socket whose `step` failed with `error`, its module loaded
 * then.
 */
export const socketFailure = (async function socketFailure(
  step: "bind" | "read" | "write",
  host: string,
  port: number,
  error: unknown,
): Promise<Error> {
  const { sockets } = await loadFailures();
  const failure = sockets.classifySocketError(error);
  return new sockets.SocketError({ step, host, port, failure, cause: error });
}).bind(undefined);

/**
 * Stops the question `stop` was given to (or the next one, if none is under way yet) with the
 * reason `why` gives, asked for only if the question has to settle with it.
 */
export const stopQuestion = (function stopQuestion(stop: QuestionStop, why: () => unknown): void {
  if (stop.stopped) return;
  stop.stopped = { why };
  stop.onStop?.(why);
}).bind(undefined);

/**
 * A signal for the socket kinds that take one (node:dgram's, TCP): the caller's, joined to
 * `stop` when there is one.
 */
const signalWithStop = (function signalWithStop(
  signal: AbortSignal | undefined,
  stop: QuestionStop | undefined,
): AbortSignal | undefined {
  if (stop === undefined) return signal;
  const controller = new AbortController();
  stop.onStop = (why) => controller.abort(why());
  if (stop.stopped) controller.abort(stop.stopped.why());
  return signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
}).bind(undefined);

const isLoopback = (function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.");
}).bind(undefined);

/**
 * The address a UDP socket for `server` binds, port 0 (a random source port for each question):
 * the loopback address of the family for a loopback server, else the wildcard of the family.
 */
const udpBindAddress = (function udpBindAddress(server: string): string {
  const six = server.includes(":");
  if (isLoopback(server)) return six ? "::1" : "127.0.0.1";
  return six ? "::" : "0.0.0.0";
}).bind(undefined);

/**
 * The largest datagram read: answers without EDNS hold 512 bytes; a longer datagram is cut here and
 * then fails to decode, as garbage should.
 */
const UDP_RECEIVE_BYTES = 4096;
/** Receive buffers kept for later questions, at most this many. */
const MAX_SPARE_RECEIVE_BUFFERS = 8;
const spareReceiveBuffers: Uint8Array[] = [];

/** A receive buffer for a new socket: a spare one, or a new one. */
export const takeReceiveBuffer = (function takeReceiveBuffer(): Uint8Array {
  return spareReceiveBuffers.pop() ?? new Uint8Array(UDP_RECEIVE_BYTES);
}).bind(undefined);

/** Keeps a receive buffer no receive() is pending on any more for a later socket. */
export const spareBuffer = (function spareBuffer(buffer: Uint8Array): void {
  if (spareReceiveBuffers.length < MAX_SPARE_RECEIVE_BUFFERS) spareReceiveBuffers.push(buffer);
}).bind(undefined);

/** Bind addresses Deno granted already, so that each question need not ask again. */
const grantedUdpBinds = new Set<string>();

/**
 * Whether Deno lets this process bind a UDP socket to `address` port 0. Checked before binding:
 * `node:dgram` reports a refused bind as an uncaught error that no caller could catch.
 */
const mayBindUdp = (function mayBindUdp(address: string): boolean {
  if (grantedUdpBinds.has(address)) return true;
  const listen = datagramListener();
  if (listen !== undefined && !mayPrompt()) return bindsUdp(listen, address);
  const host = address.includes(":") ? `[${address}]:0` : `${address}:0`;
  try {
    const granted = Deno.permissions.querySync({ name: "net", host }).state === "granted";
    // Only Deno's own sockets may trust a remembered grant: a bind revoked since then fails there
    // with an error the caller catches, where node:dgram's would be uncaught.
    if (granted && datagramListener()) grantedUdpBinds.add(address);
    return granted;
  } catch {
    return false;
  }
}).bind(undefined);

/**
 * Whether Deno could prompt for a permission: only with a terminal on stdin (and on stderr too).
 * Unsure (stdin unreadable): yes.
 */
const mayPrompt = (function mayPrompt(): boolean {
  try {
    return Deno.stdin.isTerminal();
  } catch {
    return true;
  }
}).bind(undefined);

/**
 * {@linkcode mayBindUdp} where Deno cannot prompt: the question's own socket, bound here, tells
 * what the query would (a permission Deno lacks throws `NotCapable`, and nothing is shown),
 * without the permission query (the process's first costs a command's start-up ~0.3 ms, as much
 * as its first bind). The socket waits in {@linkcode boundForQuestion} for the question, which
 * takes it at once. A bind that fails otherwise (an address this host lacks) leaves the
 * question's own bind to fail and report it, as after a granted query.
 */
const bindsUdp = (function bindsUdp(listen: typeof Deno.listenDatagram, address: string): boolean {
  try {
    closeBoundSocket();
    boundForQuestion = {
      address,
      socket: listen({ transport: "udp", hostname: address, port: 0 }),
    };
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) return false;
  }
  grantedUdpBinds.add(address);
  return true;
}).bind(undefined);

/** The socket {@linkcode bindsUdp} bound for the question that asked, until it takes it. */
let boundForQuestion: { address: string; socket: Deno.DatagramConn } | undefined;

/** The socket bound for this question on `address` (a new one, port 0), if any. */
const takeBoundSocket = (function takeBoundSocket(address: string): Deno.DatagramConn | undefined {
  const bound = boundForQuestion;
  if (bound === undefined || bound.address !== address) return undefined;
  boundForQuestion = undefined;
  return bound.socket;
}).bind(undefined);

/** Closes a socket bound for a question that did not take it (its pair's socket was open). */
const closeBoundSocket = (function closeBoundSocket(): void {
  const bound = boundForQuestion;
  boundForQuestion = undefined;
  try {
    bound?.socket.close();
  } catch {
    // Closed already.
  }
}).bind(undefined);

/** Random ids drawn 256 at a time: one getRandomValues() call for many questions. */
const randomIds = new Uint16Array(256);
let randomIdsLeft = 0;

const randomId = (function randomId(): number {
  if (randomIdsLeft === 0) {
    crypto.getRandomValues(randomIds);
    randomIdsLeft = randomIds.length;
  }
  const id = randomIds[--randomIdsLeft];
  if (id === undefined) throw new RangeError("getRandomValues() filled no id");
  return id;
}).bind(undefined);

/** The big-endian 16-bit number at `offset` of `bytes` (a DNS id, a TCP length prefix). */
export const readUint16 = (function readUint16(bytes: Uint8Array, offset: number): number {
  // From the bytes, not through a DataView: a view a call was ~4 a lookup, made and dropped.
  const high = bytes[offset];
  const low = bytes[offset + 1];
  if (high === undefined || low === undefined) {
    throw new RangeError(`No 16-bit number at offset ${offset} of ${bytes.length} bytes`);
  }
  return (high << 8) | low;
}).bind(undefined);

/**
 * A name as the codec decodes it from the wire: bytes other than printable ASCII, and `\`, as
 * `\DDD` (a search domain of a CRLF resolv.conf ends in a CR, as glibc reads it).
 */
const presented = (function presented(name: string): string {
  // Tested by character code: no regular expression on an answer's path.
  let special = false;
  for (let i = 0; i < name.length && !special; i++) {
    const code = name.charCodeAt(i);
    special = code <= 0x20 || code === 0x7f || code === 0x5c; // controls, space, DEL, "\"
  }
  if (!special) return name;
  // deno-lint-ignore no-control-regex
  return name.replace(/[\x00-\x20\x7f\\]/g, (ch) => {
    return `\\${ch.charCodeAt(0).toString().padStart(3, "0")}`;
  });
}).bind(undefined);

/** Checks that `message` answers `query`; returns what is wrong, or undefined. */
const mismatch = (function mismatch(
  message: DnsMessage,
  id: number,
  name: string,
  type: number,
): string | undefined {
  if (message.id !== id) return "wrong id";
  if (!message.response) return "not a response";
  const question = message.questions[0];
  if (question === undefined) {
    // Servers may leave the question out of an error answer.
    return message.rcode === 0 ? "no question in the answer" : undefined;
  }
  if (question.type === type && question.name === name && !name.includes("\\")) {
    // Spelt as asked (the usual answer): no presented copy, no lower-case copies. A name with a
    // backslash goes the long way, as the answer's names come escaped (presented).
    return undefined;
  }
  const asked = presented(name.endsWith(".") ? name.slice(0, -1) : name).toLowerCase();
  if (question.name.toLowerCase() !== (asked === "" ? "." : asked) || question.type !== type) {
    return `answer to another question (${quoteForMessage(question.name)})`;
  }
  return undefined;
}).bind(undefined);

/** An address as compared: without an IPv4-mapped prefix or a scope (`fe80::1%eth0`). */
function comparable(address: string): string {
  return inetNtop(inetPton(address.replace(/^::ffff:(?=\d+\.)/, "").replace(/%.*$/, "")));
}

/**
 * Whether a datagram from `a` comes from the server `b`. A server named by the unspecified address
 * (`nameserver 0.0.0.0`, which reaches this host) answers from the address the kernel picks, so
 * any address counts, as for glibc's res_ourserver_p.
 */
const sameAddress = (function sameAddress(a: string, b: string): boolean {
  if (a === b || b === "0.0.0.0" || b === "::") return true;
  try {
    return comparable(a) === comparable(b);
  } catch {
    return false;
  }
}).bind(undefined);

/** A datagram from the server, with the question's id, that cannot be decoded: why. */
interface Undecodable {
  undecodable: unknown;
}

/**
 * What one datagram says about a question: the answer; the reason it is garbage (too short to be
 * a DNS message, another id without the response bit, another question), to report if nothing
 * better comes; undefined for a datagram from another address, or for a response with another id
 * -- a late answer to an earlier question whose source port the system has given this one's
 * socket, as happens under a thousand lookups at once --, ignored as glibc's send_dg ignores it
 * ("response from old query"), so that the question times out rather than reporting a bad
 * answer; or, for one that cannot be decoded, the decoder's error, which ends the question
 * ({@linkcode undecodableError}).
 */
export const readDatagram = (function readDatagram(
  bytes: Uint8Array,
  fromAddress: string,
  fromPort: number,
  question: UdpQuestion,
): DnsMessage | string | undefined | Undecodable {
  const { server } = question;
  if (fromPort !== server.port || !sameAddress(fromAddress, server.hostname)) return undefined;
  if (bytes.length < 12) return `${bytes.length} bytes that answer no question of ours`;
  if (readUint16(bytes, 0) !== readUint16(question.query, 0)) {
    // The QR bit: a response, to another question.
    if (((bytes[2] ?? 0) & 0x80) !== 0) return undefined;
    return `${bytes.length} bytes that answer no question of ours`;
  }
  let message: DnsMessage;
  try {
    message = decodeDnsMessage(bytes);
  } catch (error) {
    return { undecodable: error };
  }
  return question.check(message) ?? message;
}).bind(undefined);

/** The error of a question whose answer cannot be decoded (`cause`: the decoder's error). */
export function undecodableError(
  errors: Failures["errors"],
  question: UdpQuestion,
  cause: unknown,
) {
  return new errors.DnsBadResponseError(question.name, (cause as Error).message, {
    server: formatNameServer(question.server),
    cause,
  });
}

/**
 * The error of a UDP question that got no answer by its deadline: a time-out; or, when garbage
 * came (`garbage`, the last datagram's fault), a bad response whose cause is the time-out.
 * Garbage alone is ignored as glibc's send_dg ignores it: nsswitch.conf sees a time-out.
 */
const timedOutError = (function timedOutError(
  errors: Failures["errors"],
  question: Pick<UdpQuestion, "name" | "server" | "timeoutMs">,
  garbage: string | undefined,
): Error {
  const { name, timeoutMs } = question;
  const server = formatNameServer(question.server);
  const timeout = new errors.DnsTimeoutError(name, timeoutMs, { server });
  return garbage
    ? new errors.DnsBadResponseError(name, garbage, { server, cause: timeout })
    : timeout;
}).bind(undefined);

/** One question over UDP: what both socket kinds need to ask it. */
export interface UdpQuestion {
  /** The encoded query. */
  query: Uint8Array;
  /** Checks that a message answers the query; says what is wrong, or undefined. */
  check: (message: DnsMessage) => string | undefined;
  /** The name asked, for errors. */
  name: string;
  server: Required<NameServer>;
  timeoutMs: number;
  /** The local address the socket binds, port 0. */
  bindAddress: string;
  signal?: AbortSignal | undefined;
  /** Whether to send it again at a third and at two thirds of the time. */
  resend: boolean;
  /** The question's kept sockets, when its tries keep them (the system path's `attempts`). */
  kept?: KeptSockets | undefined;
  /** The sockets it shares with the other question of its pair, if any. */
  pair?: PairSockets | undefined;
}

/**
 * Watches a UDP question while it waits: an abort of `question.signal` and the probe's stop
 * (`questionStop`) end it through `stop`; `send` goes again at a third and at two thirds of the
 * time when `question.resend`; at the deadline it ends as a timeout, or as a bad response when
 * only garbage came (`garbage()`, the last datagram's fault). Returns what ends the watch (the
 * clock entry and the listeners), to call once the question is settled. Shared by the question's
 * own socket and a pair's (`_pair_sockets.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { watchQuestion } from "./_ask_server.ts";
 *
 * const aborts = new AbortController();
 * let why: (() => unknown) | undefined;
 * const question = {
 *   name: "a.test",
 *   server: { hostname: "127.0.0.1", port: 53 },
 *   timeoutMs: 60_000,
 *   resend: false,
 *   signal: aborts.signal,
 * };
 * const unwatch = watchQuestion(question, undefined, () => {}, (w) => why = w, () => undefined);
 * aborts.abort(new Error("stop"));
 * assert.equal((why!() as Error).message, "stop");
 * unwatch();
 * ```
 */
export const watchQuestion = (function watchQuestion(
  question: Pick<UdpQuestion, "name" | "server" | "timeoutMs" | "resend" | "signal">,
  questionStop: QuestionStop | undefined,
  send: () => void,
  stop: (why: () => unknown) => void,
  garbage: () => string | undefined,
): () => void {
  const { timeoutMs, signal } = question;
  // (No listener, and no closure for one, without a signal.)
  const onAbort = signal === undefined ? undefined : () => stop(() => signal.reason);
  if (onAbort !== undefined) signal?.addEventListener("abort", onAbort, { once: true });
  if (questionStop) {
    questionStop.onStop = stop;
    if (questionStop.stopped) stop(questionStop.stopped.why);
  }
  // A resend at a third and at two thirds of the time, then the deadline, on the shared clock:
  // no timer per question (each cost ~1.5 KB of heap; the first setTimeout of a process, ~3.5 ms).
  // The pending receive keeps the process alive meanwhile.
  const started = performance.now();
  let resends = 0;
  const clock: ClockEntry = {
    due: started + (question.resend ? timeoutMs / 3 : timeoutMs),
    fire() {
      if (question.resend && resends < 2) {
        resends++;
        send();
        clock.due = started + ((resends + 1) * timeoutMs) / 3;
        schedule(clock);
        return;
      }
      stop(async () => timedOutError((await loadFailures()).errors, question, garbage()));
    },
  };
  schedule(clock);
  return () => {
    unschedule(clock);
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
    if (questionStop) delete questionStop.onStop;
  };
}).bind(undefined);

/**
 * Sends `query` over UDP and waits for the datagram that answers it, resending twice before the
 * deadline. Datagrams from elsewhere, or with another id, are ignored; if only such garbage came
 * from the server, the result is a bad-response error rather than a timeout (whose cause is the
 * timeout).
 */
async function queryUdp(question: UdpQuestion): Promise<DnsMessage> {
  const { query, server, timeoutMs, bindAddress, signal } = question;
  // Loaded on first use: a node: module costs milliseconds at every command's start-up.
  const [{ default: dgram }, { errors, sockets }]: [{ default: typeof NodeDgram }, Failures] =
    await Promise.all([nodeDgramLoading ??= import(NODE_DGRAM), loadFailures()]);
  const { classifySocketError, SocketError } = sockets;
  signal?.throwIfAborted();
  const socket = dgram.createSocket(server.hostname.includes(":") ? "udp6" : "udp4");
  return new Promise<DnsMessage>((resolve, reject) => {
    let done = false;
    let garbage: string | undefined;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      signal?.removeEventListener("abort", onAbort);
      try {
        socket.close(settle);
      } catch {
        settle();
      }
    };
    const fail = (error: unknown) => finish(() => reject(error));
    // Settles at once; the socket closes meanwhile.
    const onAbort = () => {
      if (done) return;
      const reason = signal!.reason;
      finish(() => {});
      reject(reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    let bound = false;
    socket.on("error", (error: Error) => {
      const failure = classifySocketError(error);
      fail(
        new SocketError({
          step: bound ? "read" : "bind",
          host: bound ? server.hostname : bindAddress,
          port: bound ? server.port : 0,
          failure,
          cause: error,
        }),
      );
    });
    socket.on("message", (packet: Uint8Array, from: { address: string; port: number }) => {
      const bytes = new Uint8Array(packet.buffer, packet.byteOffset, packet.byteLength);
      const read = readDatagram(bytes, from.address, from.port, question);
      if (typeof read === "object" && "undecodable" in read) {
        fail(undecodableError(errors, question, read.undecodable));
        return;
      }
      if (typeof read === "string") garbage = read;
      else if (read) finish(() => resolve(read));
    });
    const send = () => {
      socket.send(query, server.port, server.hostname, (error: Error | null) => {
        if (!error) return;
        const failure = classifySocketError(error);
        fail(
          new SocketError({
            step: "write",
            host: server.hostname,
            port: server.port,
            failure,
            cause: error,
          }),
        );
      });
    };
    timers.push(setTimeout(() => fail(timedOutError(errors, question, garbage)), timeoutMs));
    // Only what the question needs, port 0: a random source port for each question.
    socket.bind(0, bindAddress, () => {
      bound = true;
      if (done) return;
      if (question.resend) {
        timers.push(setTimeout(send, timeoutMs / 3), setTimeout(send, (2 * timeoutMs) / 3));
      }
      send();
    });
  });
}

/**
 * `Deno.listenDatagram` where this process has it (`--unstable-net`, or `"unstable": ["net"]` in
 * deno.json as netkit's own has): its sockets cost about half of `node:dgram`'s per question and
 * report a refused bind as an error the caller catches.
 */
const datagramListener = (function datagramListener(): typeof Deno.listenDatagram | undefined {
  const listen = (Deno as { listenDatagram?: typeof Deno.listenDatagram }).listenDatagram;
  return typeof listen === "function" ? listen : undefined;
}).bind(undefined);

/**
 * A UDP socket that the tries of questions wait on: a question's own ({@linkcode SoloSocket}), or
 * the one a pair's questions share (`_pair_sockets.ts`). Its datagrams are read by one loop while
 * a try waits; it is open while anyone holds it ({@linkcode releaseHeldSocket}).
 */
export interface HeldSocket {
  socket: Deno.DatagramConn;
  /** The receive buffer, the loop's (never handed to another socket while it reads). */
  buffer: Uint8Array;
  /** The tries under way on it, the kept tries, the pair: closed when none is left. */
  holders: number;
  reading: boolean;
  closed: boolean;
  /** The error its receive failed with (not a close): every later try fails with it. */
  failure?: { error: unknown };
}

/** A try waiting on a {@linkcode HeldSocket}. */
export interface SocketWaiter {
  /** Whether the try has ended: its answer came, or why not. */
  done: boolean;
  /** A datagram for it (or for nobody waiting), read synchronously: the buffer is reused. */
  read(bytes: Uint8Array, from: Deno.NetAddr): void;
  /** The socket failed. */
  fail(error: unknown): void;
}

/**
 * What a kind of {@linkcode HeldSocket} does its own way ({@linkcode soloSockets}, and the pair's
 * in `_pair_sockets.ts`); {@linkcode queryUdpDatagram} and the read loop do the rest.
 */
export interface SocketKind<S extends HeldSocket> {
  /** The socket a try of `question` to its server (`key`, `HOST PORT`) asks on, if one is open. */
  find(question: UdpQuestion, key: string, kept: KeptSocket | undefined): S | undefined;
  /** `socket`, new, as this kind keeps it (and where the pair finds it). */
  open(socket: Deno.DatagramConn, question: UdpQuestion, key: string): S;
  /** The entry the question's {@linkcode KeptSockets} keep for `held`. */
  keep(held: S, query: Uint8Array, id: number): KeptSocket;
  /** A try asking with `id` holds `held` from now on (holders counted by the caller). */
  claim(held: S, id: number): void;
  /** Whether any try waits on `held`: its loop reads on only then. */
  waiting(held: S): boolean;
  /** A datagram the loop read: to the try it is for, or kept. */
  deliver(held: S, bytes: Uint8Array, from: Deno.NetAddr): void;
  /** The receive failed: tells the tries waiting. */
  failed(held: S, error: unknown): void;
  /** `waiter`, asking with `id`, waits on `held` from now on. */
  join(held: S, id: number, waiter: SocketWaiter): void;
  /** `waiter` no longer waits on `held` (if it still did). */
  leave(held: S, id: number, waiter: SocketWaiter): void;
  /** Hands `waiter` the datagrams with `id` kept while no try waited, until it is done. */
  replay(held: S, id: number, waiter: SocketWaiter): void;
  /** Sends `query` on `held`'s socket. */
  send(held: S, query: Uint8Array, target: Deno.NetAddr): Promise<number>;
}

/** Datagrams a socket keeps for tries not waiting yet, at most. */
const MAX_UNREAD_DATAGRAMS = 8;

/** Keeps a copy of a datagram for a later try, dropping the oldest beyond a few. */
export const keepUnread = (function keepUnread(
  unread: [Uint8Array, Deno.NetAddr][],
  bytes: Uint8Array,
  from: Deno.NetAddr,
): void {
  if (unread.length >= MAX_UNREAD_DATAGRAMS) unread.shift();
  unread.push([bytes.slice(), from]);
}).bind(undefined);

/** One holder lets go of `held`: the last closes its socket (its pending receive ends). */
export const releaseHeldSocket = (function releaseHeldSocket(held: HeldSocket): void {
  if (--held.holders > 0 || held.closed) return;
  held.closed = true;
  closeSoon(held.socket);
  if (!held.reading) spareBuffer(held.buffer);
}).bind(undefined);

/**
 * Sockets let go of and not closed yet ({@linkcode closeSoon}): closed once the next question is
 * out, or by {@linkcode sweep} before this turn of the event loop ends.
 */
const closing: Deno.DatagramConn[] = [];
/**
 * A socket opened, port 0, for the next question while this one's answer is awaited (only when
 * questions come back to back): taken by the next question to bind that address, or closed by
 * {@linkcode sweep} once no question is under way.
 */
let spare: { address: string; socket: Deno.DatagramConn } | undefined;
/** Questions under way on Deno's sockets (queryUdpDatagram). */
let asking = 0;
/**
 * Whether questions come back to back: one took its socket in the turn of the event loop in which
 * the one before it ended (a loop of lookups). Then each question opens the next one's socket.
 */
let backToBack = false;
/** Whether {@linkcode sweep} is queued, and its hops so far. */
let sweeping = false;
let sweepHops = 0;
/**
 * How many microtasks {@linkcode sweep} waits: enough for the answer to reach the caller of a
 * lookup (each `await` between them a hop or more) and for the caller's next lookup to send.
 */
const SWEEP_HOPS = 48;

/**
 * Closes `socket` soon, not now: off the answer's way to the caller. A caller that asks again at
 * once has it closed after its question is sent, while the server works (~10 us of a lookup);
 * otherwise {@linkcode sweep} closes it a few microtasks later, in the same turn of the event loop
 * (nothing is read or sent in between: no datagram can reach it).
 */
const closeSoon = (function closeSoon(socket: Deno.DatagramConn): void {
  closing.push(socket);
  queueSweep();
}).bind(undefined);

/** Queues {@linkcode sweep}, unless it is queued already. */
const queueSweep = (function queueSweep(): void {
  if (sweeping) return;
  sweeping = true;
  sweepHops = 0;
  queueMicrotask(sweep);
}).bind(undefined);

/** Closes the sockets {@linkcode closeSoon} was given. */
const closeClosing = (function closeClosing(): void {
  // Popped, not spliced: no array a lookup.
  for (let socket = closing.pop(); socket !== undefined; socket = closing.pop()) {
    try {
      socket.close();
    } catch {
      // Closed already.
    }
  }
}).bind(undefined);

/**
 * The end of a turn in which sockets were let go of: closes them, and the spare socket if no
 * question is under way (nothing stays open between lookups). Stops early when a question sent
 * meanwhile has closed them and is under way (its spare then in use).
 */
const sweep = (function sweep(): void {
  if (closing.length === 0 && (spare === undefined || asking > 0)) {
    sweeping = false;
    return;
  }
  if (++sweepHops < SWEEP_HOPS) {
    queueMicrotask(sweep);
    return;
  }
  sweeping = false;
  if (asking === 0 && spare !== undefined) {
    closing.push(spare.socket);
    spare = undefined;
    backToBack = false; // not taken: lookups no longer come back to back
  }
  closeClosing();
}).bind(undefined);

/**
 * A new socket for a question, bound to `address` port 0: the spare one if it is bound there
 * (opened while an earlier question waited), else a new one.
 */
const openQuestionSocket = (function openQuestionSocket(
  listen: typeof Deno.listenDatagram,
  address: string,
): Deno.DatagramConn {
  // The question before ended in this turn: lookups come back to back.
  if (closing.length > 0) backToBack = true;
  const taken = spare;
  if (taken !== undefined && taken.address === address) {
    spare = undefined;
    return taken.socket;
  }
  return takeBoundSocket(address) ?? listen({ transport: "udp", hostname: address, port: 0 });
}).bind(undefined);

/**
 * Once a question is sent (the server at work): closes the sockets let go of, and, when questions
 * come back to back, opens the next question's socket (its own random port, as each question's).
 */
const afterSend = (function afterSend(listen: typeof Deno.listenDatagram, address: string): void {
  closeClosing();
  if (!backToBack || spare !== undefined) return;
  try {
    spare = { address, socket: listen({ transport: "udp", hostname: address, port: 0 }) };
  } catch {
    // The next question opens its own, and reports why it cannot.
  }
}).bind(undefined);

/** Reads `held`'s datagrams while a try waits, until it is closed, or its receive fails. */
const readHeldSocket = (async function readHeldSocket<S extends HeldSocket>(
  held: S,
  kind: SocketKind<S>,
): Promise<void> {
  held.reading = true;
  const { socket, buffer } = held;
  try {
    // Only while a try waits: a datagram that comes meanwhile waits in the socket's buffer (no
    // receive is left pending for nobody, to be cancelled by the close).
    while (!held.closed && kind.waiting(held)) {
      const [bytes, from] = await socket.receive(buffer);
      kind.deliver(held, bytes, from as Deno.NetAddr);
    }
  } catch (error) {
    if (!held.closed) {
      held.failure = { error };
      kind.failed(held, error);
    }
  } finally {
    held.reading = false;
    if (held.closed) spareBuffer(buffer);
  }
}).bind(undefined);

/**
 * The UDP socket a question asks on alone (no pair): its own, kept from one try to the next when
 * its tries keep them ({@linkcode KeptSockets}). Its datagrams are read while a try waits; one
 * with the query's id that comes after the try has ended (to the receive it left pending) is kept
 * for the next try, as glibc's socket holds it. Open while anyone holds it.
 */
interface SoloSocket extends KeptSocket, HeldSocket {
  /** The try waiting on it, if any. */
  waiter: SocketWaiter | undefined;
  /** Answers to its query that came while no try waited (copies), oldest first, at most a few. */
  unread: [Uint8Array, Deno.NetAddr][];
}

/** A {@linkcode SoloSocket} on a new socket sending `query`, held by nobody yet. */
const openSolo = (function openSolo(socket: Deno.DatagramConn, query: Uint8Array): SoloSocket {
  const solo: SoloSocket = {
    socket,
    query,
    id: readUint16(query, 0),
    buffer: takeReceiveBuffer(),
    waiter: undefined,
    unread: [],
    holders: 0,
    reading: false,
    closed: false,
    release: () => releaseHeldSocket(solo),
  };
  return solo;
}).bind(undefined);

/** A question's own socket ({@linkcode SoloSocket}): one try waits on it at a time. */
const soloSockets: SocketKind<SoloSocket> = {
  find: (function find(_question: UdpQuestion, _key: string, kept: KeptSocket | undefined) {
    // The socket of this question's earlier try of the server.
    return kept as SoloSocket | undefined;
  }).bind(undefined),
  open: (function open(socket: Deno.DatagramConn, question: UdpQuestion) {
    return openSolo(socket, question.query);
  }).bind(undefined),
  keep: (function keep(solo: SoloSocket) {
    return solo;
  }).bind(undefined),
  claim: (function claim() {}).bind(undefined),
  waiting: (function waiting(solo: SoloSocket) {
    return solo.waiter !== undefined;
  }).bind(undefined),
  deliver: (function deliver(solo: SoloSocket, bytes: Uint8Array, from: Deno.NetAddr) {
    if (solo.waiter !== undefined) solo.waiter.read(bytes, from);
    else if (bytes.length >= 2 && readUint16(bytes, 0) === solo.id) {
      // For the next try (the same query, the same id).
      keepUnread(solo.unread, bytes, from);
    }
  }).bind(undefined),
  failed: (function failed(solo: SoloSocket, error: unknown) {
    solo.waiter?.fail(error);
  }).bind(undefined),
  join: (function join(solo: SoloSocket, _id: number, waiter: SocketWaiter) {
    solo.waiter = waiter;
  }).bind(undefined),
  leave: (function leave(solo: SoloSocket, _id: number, waiter: SocketWaiter) {
    if (solo.waiter === waiter) solo.waiter = undefined;
  }).bind(undefined),
  replay: (function replay(solo: SoloSocket, _id: number, waiter: SocketWaiter) {
    const unread = solo.unread;
    while (unread.length > 0 && !waiter.done) {
      const [bytes, from] = unread.shift()!;
      waiter.read(bytes, from);
    }
  }).bind(undefined),
  send: (function send(solo: SoloSocket, query: Uint8Array, target: Deno.NetAddr) {
    return solo.socket.send(query, target);
  }).bind(undefined),
};

/**
 * {@linkcode queryUdp} on a `Deno.listenDatagram` socket: the same resends, filters and errors.
 * The socket is the question's own ({@linkcode soloSockets}) or its pair's (`kind`, from
 * `_pair_sockets.ts`), new or its earlier try's (kept); the try waits on it for the datagrams with
 * its id until its answer, its deadline, an abort or a stop, and lets go of it then.
 */
const queryUdpDatagram = (async function queryUdpDatagram<S extends HeldSocket>(
  listen: typeof Deno.listenDatagram,
  question: UdpQuestion,
  questionStop: QuestionStop | undefined,
  kind: SocketKind<S>,
): Promise<DnsMessage> {
  const { query, server, bindAddress, kept } = question;
  // The server's key, for the kept sockets and the pair's: a question's own socket needs none.
  const key = kept === undefined && kind === (soloSockets as SocketKind<HeldSocket>)
    ? ""
    : `${server.hostname} ${server.port}`;
  const entry = kept?.byServer.get(key);
  let found = kind.find(question, key, entry);
  if (found === undefined || found.closed) {
    let socket: Deno.DatagramConn;
    try {
      socket = openQuestionSocket(listen, bindAddress);
    } catch (error) {
      throw await socketFailure("bind", bindAddress, 0, error);
    }
    found = kind.open(socket, question, key);
  }
  const held = found;
  const id = readUint16(query, 0);
  if (kept !== undefined && entry === undefined) {
    kept.byServer.set(key, kind.keep(held, query, id));
    held.holders++;
  }
  held.holders++; // this try, until it settles
  kind.claim(held, id);
  const target: Deno.NetAddr = { transport: "udp", hostname: server.hostname, port: server.port };
  let garbage: string | undefined;
  // How the try ends: its answer, or why not (the error made when needed: the errors' modules
  // load then).
  let settle!: (outcome: DnsMessage | (() => unknown)) => void;
  const outcome = new Promise<DnsMessage | (() => unknown)>((resolve) => settle = resolve);
  // Leaves the socket at once: its loop reads on only while a try waits.
  const end = (result: DnsMessage | (() => unknown)) => {
    if (waiter.done) return;
    waiter.done = true;
    kind.leave(held, id, waiter);
    settle(result);
  };
  const waiter: SocketWaiter = {
    done: false,
    read(bytes: Uint8Array, from: Deno.NetAddr) {
      if (waiter.done) return;
      const read = readDatagram(bytes, from.hostname, from.port, question);
      if (typeof read === "object" && "undecodable" in read) {
        const cause = read.undecodable;
        end(async () => undecodableError((await loadFailures()).errors, question, cause));
      } else if (typeof read === "string") garbage = read;
      else if (read) end(read);
    },
    fail(error) {
      end(() => socketFailure("read", server.hostname, server.port, error));
    },
  };
  // The first send's promise, then the resends' (an array only for a question resent).
  let sent: Promise<unknown> | undefined;
  let resent: Promise<unknown>[] | undefined;
  const send = () => {
    if (!waiter.done) (resent ??= []).push(kind.send(held, query, target).catch(() => {}));
  };
  const unwatch = watchQuestion(question, questionStop, send, end, () => garbage);
  if (held.failure !== undefined) waiter.fail(held.failure.error);
  else if (!waiter.done) {
    kind.join(held, id, waiter);
    // An answer to this query that came while no try waited for it (a kept socket's).
    kind.replay(held, id, waiter);
    if (!waiter.done) {
      // The first send is not awaited: the answer is awaited at once, one turn of the loop sooner.
      sent = kind.send(held, query, target).catch((error) =>
        end(() => socketFailure("write", server.hostname, server.port, error))
      );
      if (!held.reading) void readHeldSocket(held, kind);
      afterSend(listen, bindAddress);
    }
  }
  asking++;
  try {
    const result = await outcome;
    if (typeof result !== "function") return result;
    throw await result();
  } finally {
    // The last question under way: its spare socket is closed with this turn, if not taken.
    if (--asking === 0 && spare !== undefined) queueSweep();
    unwatch();
    kind.leave(held, id, waiter);
    releaseHeldSocket(held);
    await sent;
    if (resent !== undefined) { for (const again of resent) await again; }
  }
}).bind(undefined);

/**
 * `queryDns`: asks `options.nameServer` for the records of one type of one name, over
 * UDP and, when the answer is truncated, again over TCP; `stop` stops it from outside (see
 * {@linkcode QuestionStop}). Questions beyond the process's share of descriptors wait their turn
 * (`_question_slots.ts`); the question's `timeoutMs` starts when it is sent.
 */
export const askServer = (async function askServer(
  name: string,
  type: number,
  options: AskOptions,
  stop?: QuestionStop,
): Promise<DnsMessage> {
  options.signal?.throwIfAborted();
  // The sockets a question's tries keep, or its pair shares, hold one slot between them, taken
  // by their first question (_question_slots.ts), and given back when they are closed: the
  // others take none, so that none waits for a slot while a socket of theirs holds one (every
  // slot could be left waiting so), and the pair's other question, while it waits, does not
  // wait behind other lookups. No await where a slot is free: the question then goes out in
  // this call's synchronous stretch, as the paired A and AAAA questions of lookupAddresses need.
  // (node:dgram's sockets, without Deno.listenDatagram, are a question's own: the pair's two
  // are open at once, each with a slot.)
  // (A pair closed already -- both walks were done with the name, and a later DNS source of
  // nsswitch.conf, `hosts: dns dns`, asks it again -- holds no slot: one taken for it would never
  // be given back.)
  const pair = options.pair?.closed ? undefined : options.pair;
  const owner = (pair !== undefined && datagramListener() !== undefined ? pair : undefined) ??
    options.kept;
  const release = owner === undefined
    ? takeQuestionSlot() ?? await waitForQuestionSlot(options.signal)
    : undefined;
  if (owner !== undefined && owner.slot === undefined) {
    const taken = owner.taking === undefined ? takeQuestionSlot() : undefined;
    if (taken !== undefined) owner.slot = taken;
    else await (owner.taking ??= slotFor(owner, options.signal));
  }
  try {
    return await askServerNow(name, type, options, stop);
  } finally {
    release?.();
  }
}).bind(undefined);

/** What holds sockets for several questions, and the one question slot they take. */
interface SlotOwner {
  slot?: (() => void) | undefined;
  taking?: Promise<void> | undefined;
  closed?: boolean;
}

/** Waits for a slot for `owner`'s sockets (given back at once if they are closed meanwhile). */
const slotFor = (async function slotFor(
  owner: SlotOwner,
  signal: AbortSignal | undefined,
): Promise<void> {
  let release: () => void;
  try {
    release = await waitForQuestionSlot(signal);
  } finally {
    owner.taking = undefined;
  }
  if (owner.closed) release();
  else owner.slot = release;
}).bind(undefined);

/** {@linkcode askServer} once the question holds a slot. */
const askServerNow = (async function askServerNow(
  name: string,
  type: number,
  options: AskOptions,
  stop?: QuestionStop,
): Promise<DnsMessage> {
  const server = {
    hostname: options.nameServer.hostname,
    port: options.nameServer.port ?? DNS_PORT,
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;
  // A later try of a server this question has a kept socket for sends the same query, the same
  // id, as glibc does: an answer to the earlier try answers this one.
  const key = `${server.hostname} ${server.port}`;
  const keptEntry = options.kept?.byServer.get(key);
  let id = keptEntry?.id ?? randomId();
  // A socket the pair's other question asks on: an id of its own, the answers told apart by it.
  const pair = keptEntry === undefined ? options.pair : undefined;
  while (pair?.idTaken(key, id)) id = randomId();
  const query = keptEntry?.query ??
    formQuery(encodeDnsQuery(id, name, type), options.edns0, options.trustAd);
  const check = (message: DnsMessage) => mismatch(message, id, name, type);
  const signal = options.signal;
  signal?.throwIfAborted();
  if (stop?.stopped) throw stop.stopped.why();
  const bindAddress = udpBindAddress(server.hostname);
  // Without the right to bind a UDP socket (`--allow-net=127.0.0.1:5353` grants the server, not
  // a local port), ask over TCP, which needs only the server's address: every server answers
  // there too (RFC 7766).
  const udp = !options.tcpOnly && mayBindUdp(bindAddress);
  if (udp) {
    const listen = datagramListener();
    const question: UdpQuestion = {
      query,
      check,
      name,
      server,
      timeoutMs,
      bindAddress,
      signal,
      resend: options.resend !== false,
      kept: options.kept,
      pair: options.pair,
    };
    // A question of a pair asks on the pair's socket (_pair_sockets.ts), one alone on its own.
    const asked = listen
      ? (options.pair === undefined
        ? queryUdpDatagram(listen, question, stop, soloSockets)
        : queryUdpDatagram(listen, question, stop, options.pair.kind))
      : queryUdp({ ...question, signal: signalWithStop(signal, stop) });
    // The socket mayBindUdp bound, taken by the question's first synchronous stretch or never.
    closeBoundSocket();
    const answer = await asked;
    if (!answer.truncated) return answer;
  }
  // TCP's own time, not what the UDP try left of it: glibc waits for a TCP answer however long
  // it takes (send_vc has no timeout), netkit the whole time again (seed 1300231).
  let bytes: Uint8Array;
  try {
    // Loaded only here: most questions never need TCP (a truncated answer, `use-vc`, no UDP).
    const { queryTcp } = await import("./_query_tcp.ts");
    bytes = await queryTcp(
      query,
      name,
      server,
      timeoutMs,
      signalWithStop(signal, stop),
      options.sent,
    );
  } catch (error) {
    const { sockets } = await loadFailures();
    // A server that takes no TCP: what to grant so that UDP can be used says more than "refused".
    if (
      !udp && !options.tcpOnly && error instanceof sockets.SocketError && error.step === "connect"
    ) {
      const local = bindAddress.includes(":") ? `[${bindAddress}]:0` : `${bindAddress}:0`;
      const { MissingPermissionError } = await import("../io/missing_permission_error.ts");
      throw new MissingPermissionError(
        { kind: "net", target: local },
        `asking the name server ${formatNameServer(server)} over UDP (over TCP: ${error.message})`,
        { cause: error },
      );
    }
    throw error;
  }
  const where = formatNameServer(server);
  let message: DnsMessage;
  try {
    message = decodeDnsMessage(bytes);
  } catch (error) {
    const { errors } = await loadFailures();
    throw new errors.DnsBadResponseError(name, (error as Error).message, {
      server: where,
      cause: error,
    });
  }
  const wrong = check(message);
  if (wrong) {
    const { errors } = await loadFailures();
    throw new errors.DnsBadResponseError(name, `over TCP, ${wrong}`, { server: where });
  }
  return message;
}).bind(undefined);
