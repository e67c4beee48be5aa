import assert from "node:assert/strict";
import {
  formatNameServer,
  parseNameServer,
  queryDns,
  readSystemNameServers,
} from "../../../lib/dns/client.ts";
import { DnsBadResponseError, DnsTimeoutError } from "../../../lib/dns/errors.ts";
import { DNS_RCODE, DNS_TYPE } from "../../../lib/dns/message.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";
import { answerTo, startFakeDnsServer } from "../../harness/dns_peers.ts";
import { tempDir } from "../../harness/peers.ts";

const A = DNS_TYPE.A;

function at(port: number) {
  return { nameServer: { hostname: "127.0.0.1", port }, timeoutMs: 600 };
}

Deno.test("queryDns() returns the answer with its RCODE, whatever it is", async () => {
  await using server = await startFakeDnsServer((query) =>
    answerTo(query, { rcode: DNS_RCODE.SERVFAIL })
  );
  const answer = await queryDns("a.test", A, at(server.port));
  assert.equal(answer.rcode, DNS_RCODE.SERVFAIL);
  assert.equal(server.queries[0]?.recursionDesired, true);
  assert.equal(server.queries[0]?.questions[0]?.name, "a.test");
});

Deno.test("queryDns() times out on a silent server, resending meanwhile", async () => {
  await using server = await startFakeDnsServer(() => undefined);
  await assert.rejects(queryDns("a.test", A, at(server.port)), DnsTimeoutError);
  // Three sends; under load the last may still be in flight when the timeout fires.
  assert.ok(server.queries.length >= 1 && server.queries.length <= 3);
  assert.ok(server.queries.every((query) => query.id === server.queries[0]?.id));
});

Deno.test("queryDns() ignores datagrams with another id and keeps waiting", async () => {
  await using server = await startFakeDnsServer((query) => [
    answerTo({ ...query, id: query.id ^ 1 }, { answers: [] }),
    new Uint8Array([1, 2, 3]),
    answerTo(query, { answers: [{ name: "a.test", type: A, data: "10.0.0.9" }] }),
  ]);
  const answer = await queryDns("a.test", A, at(server.port));
  assert.equal(answer.answers[0]?.data, "10.0.0.9");
});

Deno.test("queryDns() times out, as glibc, when only answers with other ids come (late answers to earlier questions on a reused port)", async () => {
  await using server = await startFakeDnsServer((query) =>
    answerTo({ ...query, id: query.id ^ 1 }, {
      answers: [{ name: "a.test", type: A, data: "10.0.0.9" }],
    })
  );
  await assert.rejects(queryDns("a.test", A, { ...at(server.port), timeoutMs: 300 }), {
    name: "DnsTimeoutError",
    code: "TIMEOUT",
  });
});

Deno.test("queryDns() fails at once on a malformed answer with the right id", async () => {
  await using server = await startFakeDnsServer((query) => {
    const bytes = answerTo(query, { answers: [{ name: "a.test", type: A, data: "10.0.0.9" }] });
    return bytes.subarray(0, bytes.length - 2);
  });
  await assert.rejects(queryDns("a.test", A, at(server.port)), DnsBadResponseError);
});

Deno.test("queryDns() calls only-garbage a bad response, not a timeout", async () => {
  await using server = await startFakeDnsServer(() => crypto.getRandomValues(new Uint8Array(3)));
  await assert.rejects(queryDns("a.test", A, at(server.port)), DnsBadResponseError);
});

Deno.test("queryDns() rejects an answer to another question", async () => {
  await using server = await startFakeDnsServer((query) =>
    answerTo(query, { questions: [{ name: "other.test", type: A }] })
  );
  await assert.rejects(queryDns("a.test", A, at(server.port)), {
    name: "DnsBadResponseError",
    message: /another question/,
  });
});

Deno.test("queryDns() asks again over TCP when the UDP answer is truncated", async () => {
  await using server = await startFakeDnsServer(
    (query) => answerTo(query, { truncated: true }),
    (query) => answerTo(query, { answers: [{ name: "a.test", type: A, data: "10.0.0.7" }] }),
  );
  const answer = await queryDns("a.test", A, at(server.port));
  assert.equal(answer.truncated, false);
  assert.equal(answer.answers[0]?.data, "10.0.0.7");
  assert.equal(server.tcpQueries, 1);
});

Deno.test("queryDns() reports a refused TCP fallback as a SocketError", async () => {
  await using server = await startFakeDnsServer((query) => answerTo(query, { truncated: true }));
  await assert.rejects(queryDns("a.test", A, at(server.port)), SocketError);
});

Deno.test("queryDns() checks a TCP answer as strictly as a UDP one", async () => {
  await using server = await startFakeDnsServer(
    (query) => answerTo(query, { truncated: true }),
    () => new Uint8Array(20),
  );
  await assert.rejects(queryDns("a.test", A, at(server.port)), DnsBadResponseError);
});

Deno.test("parseNameServer() reads IP, IP:PORT and [IPv6]:PORT", () => {
  assert.deepEqual(parseNameServer("127.0.0.1"), { hostname: "127.0.0.1", port: 53 });
  assert.deepEqual(parseNameServer("127.0.0.1:5353"), { hostname: "127.0.0.1", port: 5353 });
  assert.deepEqual(parseNameServer("::1"), { hostname: "::1", port: 53 });
  assert.deepEqual(parseNameServer("[0::1]:54"), { hostname: "::1", port: 54 });
  assert.deepEqual(parseNameServer("[::1]"), { hostname: "::1", port: 53 });
  for (const bad of ["", "dns.test", "1.2.3.4:", "[::1]:", "::1]:53", "[1.2.3]:53", "01.2.3.4"]) {
    assert.throws(() => parseNameServer(bad), Error, bad);
  }
  assert.throws(() => parseNameServer("1.2.3.4:0"), RangeError);
  assert.throws(() => parseNameServer("[::1]:65536"), RangeError);
  assert.equal(formatNameServer({ hostname: "::1", port: 5 }), "[::1]:5");
});

Deno.test("readSystemNameServers() reads nameserver lines and falls back to 127.0.0.1", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/resolv.conf`;
  await Deno.writeTextFile(
    path,
    "# comment\nsearch test\nnameserver 192.0.2.53\nnameserver\tfd00::53\nnameserver bogus\n" +
      "nameserver fe80::1%eth0\n",
  );
  assert.deepEqual(await readSystemNameServers(path), [
    { hostname: "192.0.2.53", port: 53 },
    { hostname: "fd00::53", port: 53 },
  ]);
  await Deno.writeTextFile(path, "options ndots:2\n");
  assert.deepEqual(await readSystemNameServers(path), [{ hostname: "127.0.0.1", port: 53 }]);
});

Deno.test("queryDns() rejects with the caller's reason when aborted while waiting for UDP", async () => {
  await using server = await startFakeDnsServer(() => undefined);
  const controller = new AbortController();
  const reason = new Error("stop now");
  const asking = queryDns("a.test", A, {
    ...at(server.port),
    timeoutMs: 60_000,
    signal: controller.signal,
  });
  while (server.queries.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  controller.abort(reason);
  await assert.rejects(asking, (error) => error === reason);
  await assert.rejects(
    queryDns("a.test", A, { ...at(server.port), signal: AbortSignal.abort(reason) }),
    (error) => error === reason,
  );
});

Deno.test("queryDns() rejects with the caller's reason when aborted during the TCP fallback", async () => {
  // A TCP listener on the UDP server's port number that accepts and never answers; another
  // test running in parallel may hold that TCP port, so a few servers are tried.
  const listening = async () => {
    for (let attempt = 0;; attempt++) {
      const server = await startFakeDnsServer((query) => answerTo(query, { truncated: true }));
      try {
        return { server, listener: Deno.listen({ hostname: "127.0.0.1", port: server.port }) };
      } catch (error) {
        await server[Symbol.asyncDispose]();
        if (attempt === 5 || !(error instanceof Deno.errors.AddrInUse)) throw error;
      }
    }
  };
  const { server: fake, listener: tcp } = await listening();
  await using server = fake;
  using listener = tcp;
  const controller = new AbortController();
  const reason = new Error("stop now");
  const asking = queryDns("a.test", A, {
    ...at(server.port),
    timeoutMs: 60_000,
    signal: controller.signal,
  });
  const conn = await listener.accept();
  controller.abort(reason);
  await assert.rejects(asking, (error) => error === reason);
  // The client closed its end: the silent server reads (at most the query, then) end of file.
  const buffer = new Uint8Array(1024);
  while ((await conn.read(buffer)) !== null) { /* the query */ }
  conn.close();
});
