/**
 * The UDP sockets the A and AAAA questions of a lookup of both families share, one a server, as
 * glibc's send_dg asks both on one socket (`_ask_server.ts`'s {@linkcode PairSockets}): a socket
 * that several questions wait on, each for the datagrams with its id, read by one loop, with
 * ordered sends. Loaded only for lookups of both families (`_dns_lookup.ts`): a question asked
 * alone (one family, `queryDns`) takes `_ask_server.ts`'s simpler socket of its own.
 *
 * @module
 */

import {
  type HeldSocket,
  keepUnread,
  type KeptSocket,
  type PairSockets,
  readUint16,
  releaseHeldSocket,
  type SocketKind,
  type SocketWaiter,
  takeReceiveBuffer,
  type UdpQuestion,
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
 * anyone holds it (`holders`).
 */
interface UdpChannel extends HeldSocket {
  /** The questions waiting for an answer, by id. */
  waiting: Map<number, SocketWaiter>;
  /** Every id asked on it: a question joining it draws another. */
  ids: Set<number>;
  /** Datagrams no waiting question had the id of (copies), oldest first, at most a few. */
  unread: [Uint8Array, Deno.NetAddr][];
  /** The last send not yet written, if any: the next waits for it ({@linkcode sendOn}). */
  sending?: Promise<unknown> | undefined;
}

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
    kind: channels as SocketKind<HeldSocket>,
    close() {
      for (const channel of byServer.values()) releaseHeldSocket(channel);
      byServer.clear();
      sockets.closed = true;
      sockets.slot?.();
      sockets.slot = undefined;
    },
  };
  return sockets;
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

/**
 * How a question of a pair asks on a {@linkcode UdpChannel} (`_ask_server.ts`'s queryUdpDatagram,
 * with the same resends, filters and errors as a question alone): the socket is its earlier try's
 * (kept), or the one the pair's first question opened for the server; the question waits on it
 * for the datagrams with its id.
 */
const channels: SocketKind<UdpChannel> = {
  find: (function find(question: UdpQuestion, key: string, kept: KeptSocket | undefined) {
    // The socket of this question's earlier try of the server, or of the pair's other question.
    return (kept as KeptChannel | undefined)?.channel ??
      (question.pair as ChannelPair).byServer.get(key);
  }).bind(undefined),
  open: (function open(socket: Deno.DatagramConn, question: UdpQuestion, key: string) {
    const pair = question.pair as ChannelPair;
    const channel: UdpChannel = {
      socket,
      buffer: takeReceiveBuffer(),
      waiting: new Map(),
      ids: new Set(),
      unread: [],
      // The pair holds it until it is closed. A pair closed already (a later DNS source of
      // nsswitch.conf asks a name both walks were done with: `hosts: dns dns`) holds nothing:
      // its close, over, would never let go of the socket, left open with a read pending.
      holders: pair.closed ? 0 : 1,
      reading: false,
      closed: false,
    };
    if (!pair.closed) pair.byServer.set(key, channel);
    return channel;
  }).bind(undefined),
  keep: (function keep(channel: UdpChannel, query: Uint8Array, id: number) {
    const kept: KeptChannel = {
      channel,
      query,
      id,
      release: () => releaseHeldSocket(kept.channel),
    };
    return kept;
  }).bind(undefined),
  claim: (function claim(channel: UdpChannel, id: number) {
    channel.ids.add(id);
  }).bind(undefined),
  waiting: (function waiting(channel: UdpChannel) {
    return channel.waiting.size > 0;
  }).bind(undefined),
  deliver: (function deliver(channel: UdpChannel, bytes: Uint8Array, from: Deno.NetAddr) {
    // To the question with its id; else to all waiting, and kept.
    const waiter = bytes.length >= 2 ? channel.waiting.get(readUint16(bytes, 0)) : undefined;
    if (waiter !== undefined) return waiter.read(bytes, from);
    for (const other of [...channel.waiting.values()]) other.read(bytes, from);
    if (bytes.length >= 2) keepUnread(channel.unread, bytes, from);
  }).bind(undefined),
  failed: (function failed(channel: UdpChannel, error: unknown) {
    for (const waiter of [...channel.waiting.values()]) waiter.fail(error);
  }).bind(undefined),
  join: (function join(channel: UdpChannel, id: number, waiter: SocketWaiter) {
    channel.waiting.set(id, waiter);
  }).bind(undefined),
  leave: (function leave(channel: UdpChannel, id: number, waiter: SocketWaiter) {
    if (channel.waiting.get(id) === waiter) channel.waiting.delete(id);
  }).bind(undefined),
  replay: (function replay(channel: UdpChannel, id: number, waiter: SocketWaiter) {
    const unread = channel.unread;
    for (let i = 0; i < unread.length && !waiter.done; i++) {
      const [bytes, from] = unread[i]!;
      if (readUint16(bytes, 0) !== id) continue;
      unread.splice(i--, 1);
      waiter.read(bytes, from);
    }
  }).bind(undefined),
  send: sendOn,
};
