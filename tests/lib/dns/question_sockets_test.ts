/**
 * The UDP sockets of the resolver's questions: one fresh socket (a fresh random source port) for
 * each question, as glibc's res_send opens one for each, also when lookups come back to back and
 * the next question's socket is opened while the server works; none left open between lookups.
 */

import assert from "node:assert/strict";
import { decodeDnsMessage, DNS_TYPE, resolveHost } from "@netkit/netkit/dns";
import { answerTo, listenDnsPort } from "../../harness/dns_peers.ts";

/** A server answering every A question with 10.0.0.1, noting the source port of each. */
function answeringServer() {
  const [udp, tcp] = listenDnsPort("127.0.0.1", 0);
  const sourcePorts: number[] = [];
  const serving = (async () => {
    try {
      while (true) {
        const [wire, from] = await udp.receive();
        sourcePorts.push((from as Deno.NetAddr).port);
        const query = decodeDnsMessage(wire);
        const name = query.questions[0]!.name;
        await udp.send(
          answerTo(query, {
            answers: [{ name, type: DNS_TYPE.A, class: 1, ttl: 60, data: "10.0.0.1" }],
          }),
          from,
        );
      }
    } catch {
      // Closed.
    }
  })();
  return {
    port: (udp.addr as Deno.NetAddr).port,
    sourcePorts,
    async [Symbol.asyncDispose]() {
      udp.close();
      tcp.close();
      await serving;
    },
  };
}

/** The sockets `Deno.listenDatagram` opens until `restore()`: how many, open at most, sends. */
function watchSockets() {
  const listen = Deno.listenDatagram;
  const watched = {
    opened: 0,
    open: 0,
    mostOpen: 0,
    sendsBySocket: new Map<number, number>(),
    /** The local port of each send, in order. */
    sentFrom: [] as number[],
  };
  Deno.listenDatagram = ((options: Deno.UdpListenOptions & { transport: "udp" }) => {
    const socket = listen(options);
    const id = ++watched.opened;
    watched.open++;
    watched.mostOpen = Math.max(watched.mostOpen, watched.open);
    const close = socket.close.bind(socket);
    const send = socket.send.bind(socket);
    socket.close = () => {
      watched.open--;
      close();
    };
    socket.send = (bytes: Uint8Array, to: Deno.Addr) => {
      watched.sendsBySocket.set(id, (watched.sendsBySocket.get(id) ?? 0) + 1);
      watched.sentFrom.push((socket.addr as Deno.NetAddr).port);
      return send(bytes, to);
    };
    return socket;
  }) as typeof Deno.listenDatagram;
  return { watched, restore: () => Deno.listenDatagram = listen };
}

/** One turn of the event loop. */
const aTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("resolveHost() asks each question of a loop of lookups from a socket of its own, none left open after", async () => {
  await using server = answeringServer();
  const options = {
    nameServer: { hostname: "127.0.0.1", port: server.port },
    hostsFile: false as const,
  };
  const { watched, restore } = watchSockets();
  const LOOKUPS = 30;
  try {
    for (let i = 0; i < LOOKUPS; i++) {
      const entry = await resolveHost(`n${i}.test`, options);
      assert.deepEqual(entry.addresses, ["10.0.0.1"]);
    }
    // Every question sent once, each from a socket that sent no other.
    assert.equal(watched.sendsBySocket.size, LOOKUPS);
    assert.ok([...watched.sendsBySocket.values()].every((sends) => sends === 1));
    // At most the question's and the next question's; the last spare at most opened unused.
    assert.ok(watched.mostOpen <= 2, `${watched.mostOpen} open at once`);
    assert.ok(watched.opened <= LOOKUPS + 1, `${watched.opened} opened`);
    // Nothing held between lookups once the loop's turn is over.
    await aTurn();
    assert.equal(watched.open, 0);
    // A lone lookup opens its own socket and no other, and closes it with its turn.
    const before = watched.opened;
    await resolveHost("lone.test", options);
    assert.equal(watched.opened, before + 1);
    await aTurn();
    assert.equal(watched.open, 0);
  } finally {
    restore();
  }
  // The server saw each question from the port of the socket that sent it.
  assert.deepEqual(server.sourcePorts, watched.sentFrom);
  assert.equal(server.sourcePorts.length, LOOKUPS + 1);
});
