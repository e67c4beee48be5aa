import assert from "node:assert/strict";
import { queryTcp } from "../../../lib/dns/_query_tcp.ts";
import { DnsBadResponseError, DnsTimeoutError } from "../../../lib/dns/errors.ts";
import { UnexpectedEofError } from "../../../lib/io/unexpected_eof_error.ts";

const QUERY = new Uint8Array([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);

/** A TCP server on loopback that runs `serve` on its one connection. */
function oneConnectionServer(serve: (conn: Deno.Conn) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = (async () => {
    const conn = await listener.accept();
    try {
      await serve(conn);
    } finally {
      try {
        conn.close();
      } catch {
        // Closed by serve.
      }
    }
  })();
  return {
    server: { hostname: "127.0.0.1", port: listener.addr.port },
    async [Symbol.asyncDispose]() {
      await served.catch(() => {});
      listener.close();
    },
  };
}

/** Reads the framed question, as a server would. */
async function readQuestion(conn: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(2 + QUERY.length);
  let got = 0;
  while (got < buffer.length) {
    const n = await conn.read(buffer.subarray(got));
    if (n === null) return;
    got += n;
  }
}

Deno.test("queryTcp() times out on a server that takes the question and never answers", async () => {
  const { promise: finished, resolve: finish } = Promise.withResolvers<void>();
  await using peer = oneConnectionServer(async (conn) => {
    await readQuestion(conn);
    await finished;
  });
  try {
    await assert.rejects(queryTcp(QUERY, "x.test", peer.server, 300), (error) => {
      assert(error instanceof DnsTimeoutError, String(error));
      return true;
    });
  } finally {
    finish();
  }
});

Deno.test("queryTcp() reports an answer cut short as a bad response, its cause the early end", async () => {
  await using peer = oneConnectionServer(async (conn) => {
    await readQuestion(conn);
    await conn.write(new Uint8Array([0, 12, 0x12, 0x34, 0x81])); // 12 bytes announced, 3 sent
  });
  await assert.rejects(queryTcp(QUERY, "x.test", peer.server, 5_000), (error) => {
    assert(error instanceof DnsBadResponseError, String(error));
    assert(error.cause instanceof UnexpectedEofError, String(error.cause));
    assert.match(error.message, /closed mid-answer/);
    return true;
  });
});

Deno.test("queryTcp() takes an answer sent a byte at a time", async () => {
  await using peer = oneConnectionServer(async (conn) => {
    await readQuestion(conn);
    for (const byte of [0, QUERY.length, ...QUERY]) await conn.write(new Uint8Array([byte]));
  });
  assert.deepEqual(await queryTcp(QUERY, "x.test", peer.server, 5_000), QUERY);
});
