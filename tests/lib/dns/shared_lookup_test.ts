/**
 * One lookup shared by the callers that ask the same name with the same options at once
 * (`_shared_lookup.ts`), through the public API: the server is asked once, each caller gets its
 * own copy, and leaves on its own signal or deadline without ending the others' lookup.
 */

import assert from "node:assert/strict";
import {
  decodeDnsMessage,
  DNS_RCODE,
  DNS_TYPE,
  DnsNotFoundError,
  DnsTimeoutError,
  lookupAddresses,
} from "@netkit/netkit/dns";
import { answerTo, listenDnsPort } from "../../harness/dns_peers.ts";

/**
 * A server on 127.0.0.1 that holds its answers (A 10.0.0.1, AAAA fd00::1, or NXDOMAIN for
 * `nx.test`) until `release()`, then answers at once; it counts the questions, and its TCP port
 * accepts and closes each connection.
 */
function holdingServer() {
  const [udp, tcp] = listenDnsPort("127.0.0.1", 0);
  const state = { questions: 0 };
  const held: [Uint8Array, Deno.Addr][] = [];
  let released = false;
  let arrived = () => {};
  const answer = (wire: Uint8Array) => {
    const query = decodeDnsMessage(wire);
    const question = query.questions[0]!;
    if (question.name === "nx.test") return answerTo(query, { rcode: DNS_RCODE.NXDOMAIN });
    const six = question.type === DNS_TYPE.AAAA;
    const data = six ? "fd00::1" : "10.0.0.1";
    return answerTo(query, {
      answers: [{ name: question.name, type: question.type, ttl: 60, data }],
    });
  };
  const serving = (async () => {
    try {
      while (true) {
        const [wire, from] = await udp.receive();
        state.questions++;
        arrived();
        if (released) await udp.send(answer(wire), from);
        else held.push([answer(wire), from]);
      }
    } catch {
      // Closed.
    }
  })();
  const accepting = (async () => {
    try {
      for await (const conn of tcp) conn.close();
    } catch {
      // Closed.
    }
  })();
  return {
    nameServer: `127.0.0.1:${(udp.addr as Deno.NetAddr).port}`,
    state,
    /** Resolves once `count` questions have come in. */
    async questions(count: number) {
      while (state.questions < count) await new Promise<void>((resolve) => arrived = resolve);
    },
    async release() {
      released = true;
      for (const [reply, to] of held.splice(0)) await udp.send(reply, to);
    },
    async [Symbol.asyncDispose]() {
      udp.close();
      tcp.close();
      await Promise.all([serving, accepting]);
    },
  };
}

/** A turn of the event loop and a little more: lookups started earlier have joined by then. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

Deno.test("lookupAddresses(): 50 lookups of one name at once ask its two questions once, and each caller gets its own copy", async () => {
  await using server = holdingServer();
  const options = { nameServer: server.nameServer, hostsFile: false } as const;
  const lookups = Array.from({ length: 50 }, () => lookupAddresses("one.test", options));
  await server.questions(2);
  await settle();
  await server.release();
  const found = await Promise.all(lookups);
  assert.equal(server.state.questions, 2);
  for (const lookup of found) {
    assert.deepEqual(lookup, {
      canonicalName: "one.test",
      addresses: [{ address: "fd00::1", family: 6 }, { address: "10.0.0.1", family: 4 }],
    });
  }
  // Each its own: changing one answer changes no other.
  found[0]!.addresses.pop();
  assert.equal(found[1]!.addresses.length, 2);
  assert.notEqual(found[0]!.addresses, found[1]!.addresses);
});

Deno.test("lookupAddresses(): different options, or a trace, are different lookups", async () => {
  await using server = holdingServer();
  await server.release();
  const options = { nameServer: server.nameServer, hostsFile: false } as const;
  const steps: unknown[][] = [[], []];
  await Promise.all([
    lookupAddresses("one.test", options),
    lookupAddresses("one.test", { ...options, family: 4 }),
    lookupAddresses("one.test", { ...options, trace: (step) => steps[0]!.push(step) }),
    lookupAddresses("one.test", { ...options, trace: (step) => steps[1]!.push(step) }),
  ]);
  // 2 + 1 + 2 + 2: only equal lookups without a trace share.
  assert.equal(server.state.questions, 7);
  assert.ok(steps[0]!.length > 0);
  assert.deepEqual(steps[0], steps[1]);
});

Deno.test("lookupAddresses(): one caller's abort rejects its own lookup only; the others get the answer", async () => {
  await using server = holdingServer();
  const options = { nameServer: server.nameServer, hostsFile: false } as const;
  const mine = new AbortController();
  const aborted = lookupAddresses("one.test", { ...options, signal: mine.signal });
  const theirs = new AbortController();
  const others = [
    lookupAddresses("one.test", options),
    lookupAddresses("one.test", { ...options, signal: theirs.signal }),
  ];
  await server.questions(2);
  const reason = new Error("mine");
  mine.abort(reason);
  await assert.rejects(aborted, (error) => error === reason);
  await server.release();
  for (const found of await Promise.all(others)) {
    assert.deepEqual(found.addresses.map((a) => a.address), ["fd00::1", "10.0.0.1"]);
  }
  assert.equal(server.state.questions, 2);
});

Deno.test("lookupAddresses(): when every caller has left, the lookup stops, and the next caller asks anew", async () => {
  await using server = holdingServer();
  const options = { nameServer: server.nameServer, hostsFile: false } as const;
  const controllers = [new AbortController(), new AbortController()];
  const lookups = controllers.map((c) =>
    lookupAddresses("one.test", { ...options, signal: c.signal })
  );
  await server.questions(2);
  await settle();
  const reasons = controllers.map((controller, i) => {
    const reason = new Error(`caller ${i}`);
    controller.abort(reason);
    return reason;
  });
  for (const [i, lookup] of lookups.entries()) {
    await assert.rejects(lookup, (error) => error === reasons[i]);
  }
  await server.release();
  const again = await lookupAddresses("one.test", options);
  assert.deepEqual(again.addresses.map((a) => a.address), ["fd00::1", "10.0.0.1"]);
  // The stopped lookup's two questions, then the new one's two.
  assert.equal(server.state.questions, 4);
});

Deno.test("lookupAddresses(): a caller's whole-lookup deadline is its own; an error is every caller's", async () => {
  await using server = holdingServer();
  const options = { nameServer: server.nameServer, hostsFile: false } as const;
  const hurried = lookupAddresses("one.test", { ...options, timeoutMs: 1 });
  const patient = lookupAddresses("one.test", options);
  await assert.rejects(
    hurried,
    (error) => error instanceof DnsTimeoutError && error.scope === "lookup",
  );
  await server.release();
  assert.deepEqual((await patient).addresses.map((a) => a.address), ["fd00::1", "10.0.0.1"]);
  const missing = Array.from({ length: 5 }, () => lookupAddresses("nx.test", options));
  for (const lookup of missing) {
    await assert.rejects(lookup, (error) => error instanceof DnsNotFoundError);
  }
  assert.equal(server.state.questions, 4);
});
