/**
 * The UDP sockets the A and AAAA questions of a lookup of both families share, one a server, as
 * glibc's send_dg asks both on one socket (`_ask_server.ts`'s {@linkcode PairSockets}): a socket
 * that several questions wait on, each for the datagrams with its id, read by one loop, with
 * ordered sends. Loaded only for lookups of both families (`_dns_lookup.ts`): a question asked
 * alone (one family, `queryDns`) takes `_ask_server.ts`'s simpler socket of its own.
 *
 * @module
 */

import type { DnsMessage } from "./message.ts";
import {
  type KeptSocket,
  loadFailures,
  type PairSockets,
  type QuestionStop,
  readDatagram,
  readUint16,
  socketFailure,
  spareBuffer,
  takeReceiveBuffer,
  type UdpQuestion,
  undecodableError,
  watchQuestion,
} from "./_ask_server.ts";

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/**
 * A UDP socket one or more questions wait on, each for the datagrams with its id, as glibc's
 * send_dg reads the answers to a lookup's A and AAAA questions from its one socket, telling them
 * apart by id. Its datagrams are read by one loop while it is open; a datagram no waiting
 * question has the id of is offered to all of them (each judges it: another server's, garbage),
 * and kept for a question that comes for it later: the next try of a question whose try ended
 * before the answer came (a server slower than `timeout`), as glibc's socket holds it. Open while
 * anyone holds it ({@linkcode UdpChannel.holders}).
 */
interface UdpChannel {
  socket: Deno.DatagramConn;
  /** The receive buffer, the loop's (never handed to another socket while it reads). */
  buffer: Uint8Array;
  /** The questions waiting for an answer, by id. */
  waiting: Map<number, ChannelWaiter>;
  /** Every id asked on it: a question joining it draws another. */
  ids: Set<number>;
  /** Datagrams no waiting question had the id of (copies), oldest first, at most a few. */
  unread: [Uint8Array, Deno.NetAddr][];
  /** Questions under way on it, kept tries, the pair: closed when none is left. */
  holders: number;
  reading: boolean;
  closed: boolean;
  /** The error its receive failed with (not a close): every later question fails with it. */
  failure?: { error: unknown };
  /** The last send not yet written, if any: the next waits for it ({@linkcode sendOn}). */
  sending?: Promise<unknown> | undefined;
}

/** A question waiting on a {@linkcode UdpChannel}. */
interface ChannelWaiter {
  /** A datagram for it (or for nobody waiting), read synchronously: the buffer is reused. */
  read(bytes: Uint8Array, from: Deno.NetAddr): void;
  /** The socket failed. */
  fail(error: unknown): void;
}

/** Datagrams a channel keeps for questions not waiting yet, at most. */
const MAX_UNREAD_DATAGRAMS = 8;

/** A question's socket kept from one try to the next (`_ask_server.ts`'s KeptSockets), a channel. */
interface KeptChannel extends KeptSocket {
  channel: UdpChannel;
}

/**
 * The pair's sockets as this module keeps them: {@linkcode PairSockets} with its channels, one a
 * server (as `HOST PORT`).
 */
interface ChannelPair extends PairSockets {
  byServer: Map<string, UdpChannel>;
}

/**
 * A new, empty {@linkcode PairSockets}: the UDP sockets a lookup's A and AAAA questions about one
 * name share, one a server, as glibc's res_send asks both on one socket a server (one source
 * port, the answers told apart by id). The first question to a server opens it, the other joins
 * it; held until both families are done with the name ({@linkcode PairSockets.close}, called by
 * `_paired_search.ts`), so that under `single-request` the AAAA question, sent only once the A one
 * is answered, leaves from the same port. Not used under `single-request-reopen`, whose second
 * question glibc sends from a socket of its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newPairSockets } from "./_pair_sockets.ts";
 *
 * const pair = newPairSockets();
 * assert.equal(pair.idTaken("127.0.0.1 53", 7), false); // no socket opened yet
 * pair.close();
 * assert.equal(pair.closed, true);
 * ```
 */
export const newPairSockets = (function newPairSockets(): PairSockets {
  const byServer = new Map<string, UdpChannel>();
  const sockets: ChannelPair = {
    byServer,
    idTaken(server: string, id: number): boolean {
      return byServer.get(server)?.ids.has(id) ?? false;
    },
    ask: queryOnChannel,
    close() {
      for (const channel of byServer.values()) releaseChannel(channel);
      byServer.clear();
      sockets.closed = true;
      sockets.slot?.();
      sockets.slot = undefined;
    },
  };
  return sockets;
}).bind(undefined);

/** A channel on a new socket, held by nobody yet. */
const openChannel = (function openChannel(socket: Deno.DatagramConn): UdpChannel {
  return {
    socket,
    buffer: takeReceiveBuffer(),
    waiting: new Map(),
    ids: new Set(),
    unread: [],
    holders: 0,
    reading: false,
    closed: false,
  };
}).bind(undefined);

/** One holder lets go of `channel`: the last closes its socket (its pending receive ends). */
const releaseChannel = (function releaseChannel(channel: UdpChannel): void {
  if (--channel.holders > 0 || channel.closed) return;
  channel.closed = true;
  try {
    channel.socket.close();
  } catch {
    // Closed already.
  }
  if (!channel.reading) spareBuffer(channel.buffer);
}).bind(undefined);

/** Hands one datagram to the question with its id; else to all waiting, and keeps it. */
const deliver = (function deliver(
  channel: UdpChannel,
  bytes: Uint8Array,
  from: Deno.NetAddr,
): void {
  const waiter = bytes.length >= 2 ? channel.waiting.get(readUint16(bytes, 0)) : undefined;
  if (waiter !== undefined) return waiter.read(bytes, from);
  for (const other of [...channel.waiting.values()]) other.read(bytes, from);
  if (bytes.length < 2) return;
  if (channel.unread.length >= MAX_UNREAD_DATAGRAMS) channel.unread.shift();
  channel.unread.push([bytes.slice(), from]);
}).bind(undefined);

/**
 * Sends `query` on `channel`'s socket after the sends before it are written: a new socket
 * writes the datagrams of sends pending together last first (Deno 2.9: its first writes wait
 * for the socket's readiness, and the waiters are woken in reverse), where glibc's sendmmsg
 * writes the A question, then the AAAA one.
 */
const sendOn = (function sendOn(
  channel: UdpChannel,
  query: Uint8Array,
  target: Deno.NetAddr,
): Promise<number> {
  const before = channel.sending;
  const sent = before === undefined
    ? channel.socket.send(query, target)
    : before.then(() => channel.socket.send(query, target));
  const written: Promise<unknown> = sent.then(() => {
    if (channel.sending === written) channel.sending = undefined;
  }, () => {
    if (channel.sending === written) channel.sending = undefined;
  });
  channel.sending = written;
  return sent;
}).bind(undefined);

/** Reads `channel`'s datagrams until it is closed, or its receive fails. */
const readChannel = (async function readChannel(channel: UdpChannel): Promise<void> {
  channel.reading = true;
  const { socket, buffer } = channel;
  try {
    // Only while a question waits: a datagram that comes meanwhile waits in the socket's buffer
    // (no receive is left pending for nobody, to be cancelled by the close).
    while (!channel.closed && channel.waiting.size > 0) {
      const [bytes, from] = await socket.receive(buffer);
      deliver(channel, bytes, from as Deno.NetAddr);
    }
  } catch (error) {
    if (!channel.closed) {
      channel.failure = { error };
      for (const waiter of [...channel.waiting.values()]) waiter.fail(error);
    }
  } finally {
    channel.reading = false;
    if (channel.closed) spareBuffer(buffer);
  }
}).bind(undefined);

/**
 * A question of a pair on a `Deno.listenDatagram` socket (`_ask_server.ts`'s queryUdpDatagram,
 * with the same resends, filters and errors, for a pair): the socket is a {@linkcode UdpChannel},
 * its earlier try's (kept), or the one the pair's first question opened for the server; the
 * question waits on it for the datagrams with its id, until its deadline, an abort or a stop, and
 * lets go of it then.
 */
const queryOnChannel = (async function queryOnChannel(
  listen: typeof Deno.listenDatagram,
  question: UdpQuestion,
  questionStop: QuestionStop | undefined,
): Promise<DnsMessage> {
  const { query, server, bindAddress, kept } = question;
  const pair = question.pair as ChannelPair;
  const keptKey = `${server.hostname} ${server.port}`;
  // The socket of this question's earlier try of the server, or of the pair's other question.
  const entry = kept?.byServer.get(keptKey) as KeptChannel | undefined;
  let channel = entry?.channel ?? pair?.byServer.get(keptKey);
  if (channel === undefined || channel.closed) {
    let socket: Deno.DatagramConn;
    try {
      socket = listen({ transport: "udp", hostname: bindAddress, port: 0 });
    } catch (error) {
      throw await socketFailure("bind", bindAddress, 0, error);
    }
    channel = openChannel(socket);
    pair.byServer.set(keptKey, channel);
    channel.holders++;
  }
  const id = readUint16(query, 0);
  if (kept !== undefined && entry === undefined) {
    const kept_: KeptChannel = { channel, query, id, release: () => releaseChannel(kept_.channel) };
    kept.byServer.set(keptKey, kept_);
    channel.holders++;
  }
  channel.holders++; // this question, until it settles
  channel.ids.add(id);
  const target: Deno.NetAddr = { transport: "udp", hostname: server.hostname, port: server.port };
  let garbage: string | undefined;
  let settled = false;
  // How the question ends: its answer, or why not (the error made when needed: the errors'
  // modules load then).
  let settle!: (outcome: DnsMessage | (() => unknown)) => void;
  const outcome = new Promise<DnsMessage | (() => unknown)>((resolve) => settle = resolve);
  // Leaves the channel's waiting questions at once: its loop reads on only for those left.
  const stop = (why: () => unknown) => {
    if (settled) return;
    settled = true;
    if (channel.waiting.get(id) === waiter) channel.waiting.delete(id);
    settle(why);
  };
  const waiter: ChannelWaiter = {
    read(bytes: Uint8Array, from: Deno.NetAddr) {
      if (settled) return;
      const read = readDatagram(bytes, from.hostname, from.port, question);
      if (typeof read === "object" && "undecodable" in read) {
        const cause = read.undecodable;
        stop(async () => undecodableError((await loadFailures()).errors, question, cause));
      } else if (typeof read === "string") garbage = read;
      else if (read) {
        settled = true;
        channel.waiting.delete(id);
        settle(read);
      }
    },
    fail(error) {
      stop(() => socketFailure("read", server.hostname, server.port, error));
    },
  };
  const sends: Promise<unknown>[] = [];
  const send = () => {
    if (!settled) sends.push(sendOn(channel, query, target).catch(() => {}));
  };
  const unwatch = watchQuestion(question, questionStop, send, stop, () => garbage);
  if (channel.failure !== undefined) waiter.fail(channel.failure.error);
  else if (!settled) {
    channel.waiting.set(id, waiter);
    // An answer to this query that came while no try waited for it (a kept socket's).
    const unread = channel.unread;
    for (let i = 0; i < unread.length && !settled; i++) {
      const [bytes, from] = unread[i]!;
      if (readUint16(bytes, 0) !== id) continue;
      unread.splice(i--, 1);
      waiter.read(bytes, from);
    }
    if (!settled) {
      // The first send is not awaited: the answer is awaited at once, one turn of the loop sooner.
      sends.push(
        sendOn(channel, query, target).catch((error) =>
          stop(() => socketFailure("write", server.hostname, server.port, error))
        ),
      );
      if (!channel.reading) void readChannel(channel);
    }
  }
  try {
    const result = await outcome;
    if (typeof result !== "function") return result;
    throw await result();
  } finally {
    unwatch();
    if (channel.waiting.get(id) === waiter) channel.waiting.delete(id);
    releaseChannel(channel);
    for (const sent of sends) await sent;
  }
}).bind(undefined);
