/**
 * The resolver as a program uses it: through the public API only, many lookups at once against
 * one server, with the op and resource sanitizers on (issue #16, "the library as a program that
 * imports it uses it").
 */

import assert from "node:assert/strict";
import {
  decodeDnsMessage,
  DNS_TYPE,
  InvalidHostNameError,
  lookupAddresses,
  resolveHost,
} from "@netkit/netkit/dns";
import { answerTo, listenDnsPort } from "../../harness/dns_peers.ts";

/** Lookups started at once: enough that most questions wait past the 5 ms probe delay. */
const AT_ONCE = 200;

/**
 * A server that keeps every answer until `release` says so, and counts the TCP connections made
 * to it (the resolver's dead-server probes).
 */
function holdingServer(release: (state: { questions: number; connections: number }) => boolean) {
  const [udp, tcp] = listenDnsPort("127.0.0.1", 0);
  const state = { questions: 0, connections: 0 };
  const held: [Uint8Array, Deno.Addr][] = [];
  let released = false;
  const answerHeld = async () => {
    released = true;
    for (const [reply, to] of held.splice(0)) await udp.send(reply, to);
  };
  const answer = (wire: Uint8Array) => {
    const query = decodeDnsMessage(wire);
    const question = query.questions[0]!;
    return answerTo(query, {
      answers: [{ name: question.name, type: DNS_TYPE.A, class: 1, ttl: 60, data: "10.0.0.1" }],
    });
  };
  const serving = (async () => {
    try {
      while (true) {
        const [wire, from] = await udp.receive();
        state.questions++;
        held.push([answer(wire), from]);
        if (released) await answerHeld();
        else if (release(state)) await answerHeld();
      }
    } catch {
      // Closed.
    }
  })();
  const accepting = (async () => {
    try {
      for await (const conn of tcp) {
        state.connections++;
        conn.close();
        if (!released && release(state)) await answerHeld();
      }
    } catch {
      // Closed.
    }
  })();
  return {
    port: (udp.addr as Deno.NetAddr).port,
    state,
    async [Symbol.asyncDispose]() {
      udp.close();
      tcp.close();
      await Promise.all([serving, accepting]);
    },
  };
}

Deno.test("lookupAddresses(): many lookups at once, held by a first server, probe it once, not once a question", async () => {
  // The answers come once every question is in and a probe has found the server alive: every
  // question has then waited past the probe delay, and each used to probe the server itself.
  await using first = holdingServer((s) => s.questions >= AT_ONCE && s.connections >= 1);
  // A second server, never asked: the first is probed (with a refused TCP connection it would
  // be left for this one), as it is not the last.
  const [spareUdp, spareTcp] = listenDnsPort("127.0.0.1", 0);
  try {
    const nameServer = [`127.0.0.1:${first.port}`, `127.0.0.1:${spareTcp.addr.port}`];
    const found = await Promise.all(
      Array.from(
        { length: AT_ONCE },
        (_, i) => lookupAddresses(`n${i}.test`, { nameServer, hostsFile: false, family: 4 }),
      ),
    );
    assert.equal(found.length, AT_ONCE);
    assert.ok(found.every((f) => f.addresses[0]?.address === "10.0.0.1"));
    assert.equal(first.state.questions, AT_ONCE);
    // One probe for them all (more only if one ended before the next began).
    assert.ok(
      first.state.connections <= 2,
      `${first.state.connections} probes of one server for ${AT_ONCE} questions`,
    );
  } finally {
    spareUdp.close();
    spareTcp.close();
  }
});

Deno.test("resolveHost() of an address literal rejects with the reason of a signal aborted before, as lookupAddresses() does", async () => {
  const controller = new AbortController();
  const reason = new Error("stopped before");
  controller.abort(reason);
  for (const lookUp of [resolveHost, lookupAddresses]) {
    await assert.rejects(
      lookUp("127.0.0.1", { signal: controller.signal, hostsFile: false }),
      (error) => error === reason,
    );
  }
});

/** Why `prlimit` cannot lower a subprocess's descriptor limit here, or undefined. */
function prlimitUnavailable(): string | undefined {
  try {
    const probe = new Deno.Command("prlimit", { args: ["--nofile=64", "true"] }).outputSync();
    return probe.success ? undefined : "prlimit --nofile=64 fails here";
  } catch {
    return "prlimit is not installed";
  }
}

const UNDER_LIMIT = prlimitUnavailable();

Deno.test({
  name:
    `lookupAddresses(): 500 lookups at once in a program limited to 64 descriptors all find their answers${
      UNDER_LIMIT ? ` (ignored: ${UNDER_LIMIT})` : ""
    }`,
  ignore: UNDER_LIMIT !== undefined,
  async fn() {
    // Each lookup asks two questions (A and AAAA) on sockets of their own: a thousand at once
    // used to fail with EMFILE (or Deno, out of descriptors, panicked); they now wait their turn.
    await using server = holdingServer(() => true);
    const script = new URL("../../fixtures/dns_many_lookups.ts", import.meta.url).pathname;
    const run = await new Deno.Command("prlimit", {
      args: ["--nofile=64", Deno.execPath(), "run", "-A", script, String(server.port), "500"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(run.stdout);
    const stderr = new TextDecoder().decode(run.stderr);
    assert.equal(run.code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { found: 500 });
    assert.equal(server.state.questions, 1000);
  },
});

Deno.test("lookupAddresses() and resolveHost() refuse a name that cannot be a host name with an InvalidHostNameError, code EBADNAME, before any question", async () => {
  const cases: [string, string][] = [
    ["name..test", "it has an empty label"],
    ["name.test..", "it has an empty label"],
    [`${"a".repeat(64)}.test`, `the label "${"a".repeat(64)}" is longer than 63 bytes`],
    [`${"a.".repeat(126)}ab`, "it is longer than 253 bytes"],
    [
      "-x.test",
      "a label may hold only letters, digits, '-' and '_', and not start or end with '-'",
    ],
  ];
  for (const [name, reason] of cases) {
    for (const lookUp of [lookupAddresses, resolveHost]) {
      // No server is named: a question sent would fail otherwise (nothing listens on port 9).
      await assert.rejects(
        lookUp(name, { nameServer: "127.0.0.1:9", hostsFile: false }),
        (error) => {
          assert.ok(error instanceof InvalidHostNameError, String(error));
          assert.ok(error instanceof SyntaxError);
          assert.equal(error.code, "EBADNAME");
          assert.equal(error.hostName, name);
          assert.equal(error.reason, reason);
          return true;
        },
      );
    }
  }
});
