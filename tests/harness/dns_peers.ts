/**
 * DNS peers for the tests: a real dnsmasq on a free loopback port with the records the tests
 * need, `dig` to check answers against, and a fake DNS server of our own (UDP, optionally TCP)
 * that answers as a test tells it: error codes, garbage, silence, CNAME loops, truncation.
 *
 * @module
 */

import dgram from "node:dgram";
import { decodeDnsMessage, type DnsMessage } from "../../lib/dns/message.ts";
import { encodeDnsMessage } from "../../lib/dns/encode_message.ts";
import { bindFixedPort } from "./loopback_address.ts";
import {
  freePort,
  holdFreePort,
  type PeerProcess,
  retryPeerStart,
  startPeer,
  waitUntilListening,
} from "./peers.ts";
import { PortBindError, reservePort } from "./reserved_port.ts";

/** The records dnsmasq serves (all under `.test`). */
export const DNSMASQ_RECORDS: string[] = [
  "--host-record=web.test,10.0.0.1",
  "--host-record=web.test,10.0.0.2",
  "--host-record=web.test,10.0.0.3",
  "--host-record=web.test,fd00::1",
  "--host-record=six.test,fd00::6",
  // www.test -> alias.test -> web.test: a chain of two links
  "--cname=www.test,alias.test",
  "--cname=alias.test,web.test",
  // Authoritative for 10.in-addr.arpa too, so unknown addresses are NXDOMAIN, not REFUSED.
  "--local=/10.in-addr.arpa/",
  "--ptr-record=5.0.0.10.in-addr.arpa,ptr.test",
  "--ptr-record=5.0.0.10.in-addr.arpa,second-ptr.test",
  // 40 addresses: more than a 512-byte UDP answer holds, so the answer is truncated.
  ...Array.from({ length: 40 }, (_, i) => `--host-record=many.test,10.1.0.${i + 1}`),
];

/** A started dnsmasq; disposing it stops it. */
export interface Dnsmasq extends AsyncDisposable {
  /** The port it answers on (UDP and TCP) on 127.0.0.1. */
  port: number;
  /** The process. */
  peer: PeerProcess;
}

/**
 * A port of `hostname` free over both TCP and UDP, held over both until disposal (see
 * {@linkcode reservePort}; a DNS server sets `SO_REUSEADDR` and binds it all the same): the TCP
 * port the kernel picks, and the same port over UDP, or another pick when that one is taken.
 * Where nothing can be held (not Linux, no FFI), a port found free ({@linkcode freePort}).
 */
export function holdFreeDnsPort(hostname = "127.0.0.1"): Disposable & { port: number } {
  for (let attempt = 0;; attempt++) {
    const tcp = holdFreePort(hostname);
    let udp: Disposable;
    try {
      udp = reservePort(hostname, { transport: "udp", port: tcp.port });
    } catch (error) {
      tcp[Symbol.dispose]();
      // Not held where it cannot be (no FFI), nor its TCP port: a port found free, as before.
      if (!(error instanceof PortBindError)) {
        return { port: freePort(hostname), [Symbol.dispose]() {} };
      }
      if (!error.inUse || attempt === 20) throw error;
      continue; // Someone has that port over UDP (EADDRINUSE).
    }
    return {
      port: tcp.port,
      [Symbol.dispose]() {
        udp[Symbol.dispose]();
        tcp[Symbol.dispose]();
      },
    };
  }
}

/**
 * Starts a DNS server (`argv`, which listens on `hostname:port` over UDP and TCP) and waits until
 * it is ready: its own process listens over TCP there and holds a UDP socket there, and no other
 * process holds either (/proc, {@linkcode waitUntilListening}). `held`, the port held for it
 * ({@linkcode holdFreeDnsPort}), is disposed of once its TCP socket listens, before its UDP
 * socket is checked (the held one would count as a stranger's); throws
 * `PeerExitedError` when it ends first or `PortTakenError` (peers.ts) when another
 * process has the port, after stopping it.
 */
export async function startDnsPeer(
  argv: string[],
  hostname: string,
  port: number,
  held?: Disposable,
): Promise<PeerProcess> {
  let peer: PeerProcess;
  try {
    peer = await startPeer(argv, [{ hostname, port }]);
  } finally {
    held?.[Symbol.dispose]();
  }
  try {
    await waitUntilListening(peer.child, argv[0]!, [{ hostname, port, transport: "udp" }]);
  } catch (error) {
    await peer[Symbol.asyncDispose]();
    throw error;
  }
  return peer;
}

/** Starts dnsmasq in the foreground on 127.0.0.1 and a free port, authoritative for `.test`. */
export function startDnsmasq(extra: string[] = []): Promise<Dnsmasq> {
  // The port is held (TCP and UDP) while dnsmasq starts; taken all the same (by someone who
  // found it free before), dnsmasq ends or is not alone there, and another port is tried.
  return retryPeerStart(async () => {
    const held = holdFreeDnsPort();
    const { port } = held;
    const peer = await startDnsPeer(
      [
        "dnsmasq",
        "--no-daemon",
        "--no-resolv",
        "--no-hosts",
        "--local=/test/",
        `--port=${port}`,
        "--listen-address=127.0.0.1",
        "--bind-interfaces",
        "--cache-size=0",
        ...DNSMASQ_RECORDS,
        ...extra,
      ],
      "127.0.0.1",
      port,
      held,
    );
    return { port, peer, [Symbol.asyncDispose]: () => peer[Symbol.asyncDispose]() };
  });
}

/** One answer record as dig prints it. */
export interface DigRecord {
  name: string;
  type: string;
  data: string;
}

/** Asks dig the same question; returns the status and the answer section, names without dots. */
export async function dig(
  port: number,
  name: string,
  type: string,
  extra: string[] = [],
): Promise<{ status: string; answers: DigRecord[] }> {
  const { stdout, success } = await new Deno.Command("dig", {
    args: [
      "@127.0.0.1",
      "-p",
      String(port),
      "+noall",
      "+answer",
      "+comments",
      "+tries=1",
      "+time=3",
      ...extra,
      ...[name, type].filter((arg) => arg !== ""),
    ],
    stdout: "piped",
    stderr: "null",
  }).output();
  if (!success) throw new Error(`dig failed for ${name} ${type}`);
  const text = new TextDecoder().decode(stdout);
  const status = /status: ([A-Z]+)/.exec(text)?.[1] ?? "NONE";
  const answers: DigRecord[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith(";") || line.trim() === "") continue;
    const [owner, , , recordType, data] = line.split(/\s+/);
    if (owner === undefined || recordType === undefined || data === undefined) {
      throw new Error(`Unexpected dig answer line "${line}"`);
    }
    answers.push({
      name: owner.replace(/\.$/, ""),
      type: recordType,
      data: data.replace(/\.$/, ""),
    });
  }
  return { status, answers };
}

/** What a fake server answers to one query: bytes, several datagrams, or silence. */
export type FakeAnswer = Uint8Array | Uint8Array[] | undefined;

/** A fake DNS server of our own on 127.0.0.1. */
export interface FakeDnsServer extends AsyncDisposable {
  /** The port, the same for UDP and (when asked for) TCP. */
  port: number;
  /** The queries received over UDP, decoded. */
  queries: DnsMessage[];
  /** How many TCP queries came in. */
  tcpQueries: number;
}

/** Builds a response to `query` with its id and question. */
export function answerTo(query: DnsMessage, fields: Partial<DnsMessage> = {}): Uint8Array {
  return encodeDnsMessage({
    id: query.id,
    response: true,
    recursionDesired: query.recursionDesired,
    recursionAvailable: true,
    questions: query.questions,
    ...fields,
  });
}

/**
 * Starts a fake DNS server on `hostname` (127.0.0.1 by default). `udp` decides what each UDP query gets; `tcp`, when given, serves
 * TCP on the same port (two-byte length framing).
 */
export async function startFakeDnsServer(
  udp: (query: DnsMessage, raw: Uint8Array) => FakeAnswer,
  tcp?: (query: DnsMessage) => Uint8Array,
  hostname = "127.0.0.1",
): Promise<FakeDnsServer> {
  let socket: ReturnType<typeof dgram.createSocket>;
  let listener: Deno.TcpListener | undefined;
  for (let attempt = 0;; attempt++) {
    // A closed dgram socket cannot be bound again: each attempt takes a fresh one.
    socket = dgram.createSocket(hostname.includes(":") ? "udp6" : "udp4");
    await new Promise<void>((resolve) => socket.bind(0, hostname, () => resolve()));
    if (!tcp) break;
    try {
      listener = Deno.listen({ hostname, port: socket.address().port });
      break;
    } catch (error) {
      if (attempt === 5) throw error;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  }
  const server: FakeDnsServer = {
    port: socket.address().port,
    queries: [],
    tcpQueries: 0,
    async [Symbol.asyncDispose]() {
      listener?.close();
      await serving;
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
  socket.on("message", (packet: Uint8Array, from: { address: string; port: number }) => {
    const raw = new Uint8Array(packet);
    const query = decodeDnsMessage(raw);
    server.queries.push(query);
    const answer = udp(query, raw);
    for (const datagram of answer === undefined ? [] : Array.isArray(answer) ? answer : [answer]) {
      socket.send(datagram, from.port, from.address);
    }
  });
  const serving = (async () => {
    if (!listener || !tcp) return;
    try {
      for await (const conn of listener) {
        server.tcpQueries++;
        try {
          const head = new Uint8Array(2);
          let got = 0;
          while (got < 2) got += (await conn.read(head.subarray(got))) ?? 2;
          const body = new Uint8Array(new DataView(head.buffer).getUint16(0));
          got = 0;
          while (got < body.length) {
            const n = await conn.read(body.subarray(got));
            if (n === null) break;
            got += n;
          }
          const answer = tcp(decodeDnsMessage(body));
          const framed = new Uint8Array(2 + answer.length);
          new DataView(framed.buffer).setUint16(0, answer.length);
          framed.set(answer, 2);
          let sent = 0;
          while (sent < framed.length) sent += await conn.write(framed.subarray(sent));
        } catch {
          // The client went away: fine for a test server.
        } finally {
          conn.close();
        }
      }
    } catch {
      // Listener closed.
    }
  })();
  return server;
}

/**
 * dnsmasq on port 53 of a loopback address of its own (for resolv.conf, which cannot name a
 * port), answering `records` (dnsmasq options such as `--host-record=…`) for `.test`; needs root.
 */
export async function startDnsmasqOnPort53(address: string, records: string[]): Promise<Dnsmasq> {
  // Tried again on the same address when dnsmasq ends at once (its port 53 still held a moment).
  const peer = await retryPeerStart(() =>
    startDnsPeer(
      [
        "dnsmasq",
        "--no-daemon",
        "--no-resolv",
        "--no-hosts",
        "--local=/test/",
        "--port=53",
        `--listen-address=${address}`,
        "--bind-interfaces",
        "--cache-size=0",
        ...records,
      ],
      address,
      53,
    )
  );
  return { port: 53, peer, [Symbol.asyncDispose]: () => peer[Symbol.asyncDispose]() };
}

/**
 * Binds `hostname:port` over UDP and TCP for a DNS server. A fixed port (53) is tried again while
 * it is still taken ({@linkcode bindFixedPort}); with port 0, the UDP port the system chose may be
 * taken over TCP, and another one is tried.
 */
export function listenDnsPort(
  hostname: string,
  port: number,
): [Deno.DatagramConn, Deno.TcpListener] {
  const bind = (): [Deno.DatagramConn, Deno.TcpListener] => {
    const udp = Deno.listenDatagram({ transport: "udp", hostname, port });
    try {
      return [udp, Deno.listen({ hostname, port: (udp.addr as Deno.NetAddr).port })];
    } catch (error) {
      udp.close();
      throw error;
    }
  };
  if (port !== 0) return bindFixedPort(`${hostname}:${port}`, bind);
  for (let attempt = 0;; attempt++) {
    try {
      return bind();
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
}

/** A DNS server of {@linkcode startDnsServerAt}. */
export interface PlainDnsServer extends AsyncDisposable {
  /** Where it listens, as `HOST:PORT`. */
  server: string;
  /** How many UDP questions came in. */
  readonly questions: number;
}

/**
 * A DNS server on `hostname:port` (port 53 of a loopback address of its own for resolv.conf, which
 * cannot name a port; 0 for any): `answer` decides what each UDP question gets (undefined: nothing,
 * a silent server), and its TCP port accepts and closes each connection, so that the resolver's
 * TCP probe finds it alive.
 */
export function startDnsServerAt(
  hostname: string,
  port: number,
  answer: (wire: Uint8Array) => Uint8Array | undefined,
): PlainDnsServer {
  const [udp, tcp] = listenDnsPort(hostname, port);
  let questions = 0;
  const serving = (async () => {
    try {
      while (true) {
        const [wire, from] = await udp.receive();
        questions++;
        const reply = answer(wire);
        if (reply) await udp.send(reply, from);
      }
    } catch {
      // Closed.
    }
  })();
  const accepting = (async () => {
    try {
      // Accepted and closed: TCP is only probed here.
      for await (const conn of tcp) conn.close();
    } catch {
      // Closed.
    }
  })();
  return {
    server: `${hostname}:${tcp.addr.port}`,
    get questions() {
      return questions;
    },
    async [Symbol.asyncDispose]() {
      udp.close();
      tcp.close();
      await Promise.all([serving, accepting]);
    },
  };
}
