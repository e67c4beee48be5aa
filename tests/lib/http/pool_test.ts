import assert, { deepEqual, equal } from "node:assert/strict";
import { type HttpConnectionInfo, sendHttpRequest } from "../../../lib/http/client.ts";
import type { ConnectStrategy } from "../../../lib/net/socket.ts";
import { HttpConnectionPool } from "../../../lib/http/pool.ts";
import { SocketStream } from "../../../lib/net/socket_stream.ts";
import { download } from "../../../lib/download/download.ts";
import { startNginx } from "../../harness/nginx.ts";
import { peerTest, tempDir } from "../../harness/peers.ts";
import { startRecordingServer } from "../../harness/recording_http_server.ts";

/** nginx's count of accepted connections, this query's own (an HTTP/1.0 GET) included. */
async function nginxAccepts(port: number): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode("GET /status HTTP/1.0\r\n\r\n"));
  const text = await new Response(conn.readable).text();
  // "Active connections: 1\nserver accepts handled requests\n 5 5 9\n…": accepts is the first.
  const counts = text.split("\r\n\r\n")[1]?.split("\n")[2]?.trim().split(/\s+/)[0];
  return Number(counts);
}

Deno.test("HttpConnectionPool: one connection for many requests of every body framing", async () => {
  await using server = startRecordingServer({
    handle: (request) => {
      if (request.target === "/chunked") {
        return {
          raw: "3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n",
          headers: [["Transfer-Encoding", "chunked"]],
        };
      }
      if (request.target === "/empty") return { status: 204, reason: "No Content" };
      return { body: `you asked ${request.method} ${request.target}` };
    },
  });
  await using pool = new HttpConnectionPool();
  const url = (path: string) => `${server.base}${path}`;
  equal(await (await sendHttpRequest(url("/a"), { pool })).text(), "you asked GET /a");
  equal(await (await sendHttpRequest(url("/chunked"), { pool })).text(), "abc");
  equal((await sendHttpRequest(url("/empty"), { pool })).status, 204);
  equal((await sendHttpRequest(url("/head"), { pool, method: "HEAD" })).contentLength, 20);
  const post = await sendHttpRequest(url("/b"), { pool, method: "POST", body: "data" });
  equal(await post.text(), "you asked POST /b");
  const stream = ReadableStream.from([new TextEncoder().encode("streamed")]);
  const put = await sendHttpRequest(url("/c"), { pool, method: "PUT", body: stream });
  equal(await put.text(), "you asked PUT /c");
  equal(server.connections, 1);
  deepEqual(pool.stats, { opened: 1, reused: 5 });
  equal(pool.idle, 1);
  assert(server.requests.every((r) => r.head.includes("\r\nConnection: keep-alive")));
  equal(new TextDecoder().decode(server.requests[5]!.body), "streamed");
});

Deno.test("HttpConnectionPool: Connection: close (the server's or the caller's) and bodies until close are not kept", async () => {
  await using server = startRecordingServer({
    handle: (request) => {
      if (request.target === "/close") return { body: "bye", close: true };
      return { raw: "until the end", close: true };
    },
  });
  await using pool = new HttpConnectionPool();
  await (await sendHttpRequest(`${server.base}/close`, { pool })).text();
  equal(pool.idle, 0);
  await (await sendHttpRequest(`${server.base}/eof`, { pool })).text();
  equal(pool.idle, 0);
  // The caller's own Connection: close is honoured too.
  await using open = startRecordingServer();
  await (await sendHttpRequest(open.base, { pool, headers: [["Connection", "close"]] })).text();
  equal(pool.idle, 0);
  equal(pool.stats.reused, 0);
});

Deno.test("HttpConnectionPool: an unread body closes the connection; a short one is drained by dispose", async () => {
  await using server = startRecordingServer({ handle: () => ({ body: "x".repeat(100) }) });
  await using pool = new HttpConnectionPool();
  (await sendHttpRequest(server.base, { pool })).close();
  equal(pool.idle, 0);
  {
    await using _response = await sendHttpRequest(server.base, { pool });
  }
  equal(pool.idle, 1);
  await (await sendHttpRequest(server.base, { pool })).bytes();
  equal(server.connections, 2);
});

Deno.test("HttpConnectionPool: a kept connection the server closed is replaced, the request sent again", async () => {
  await using server = startRecordingServer({ idleCloseAfterResponse: true });
  await using pool = new HttpConnectionPool();
  for (const body of ["one", "two", "three"]) {
    // (PUT: idempotent, sent again; a POST is sent again only once the close is seen first.)
    const response = await sendHttpRequest(server.base, { pool, method: "PUT", body });
    equal(await response.text(), body);
  }
  equal(server.connections, 3);
  deepEqual(server.requests.map((r) => new TextDecoder().decode(r.body)), ["one", "two", "three"]);
});

Deno.test("HttpConnectionPool: bounded per origin, idle ones closed after the timeout, close() empties it", async () => {
  await using server = startRecordingServer();
  const pool = new HttpConnectionPool({ maxIdlePerOrigin: 2, idleTimeoutMs: 50 });
  const responses = await Promise.all([1, 2, 3].map(() => sendHttpRequest(server.base, { pool })));
  for (const response of responses) await response.bytes();
  equal(pool.idle, 2);
  equal(server.connections, 3);
  // Wait on the server, not on the clock: both idle connections are closed by the timer.
  while (pool.idle > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await (await sendHttpRequest(server.base, { pool })).bytes();
  equal(pool.idle, 1);
  await pool.close();
  equal(pool.idle, 0);
  assert(pool.closed);
  // A closed pool keeps nothing; requests still work.
  await (await sendHttpRequest(server.base, { pool })).bytes();
  equal(pool.idle, 0);
  await pool.close();
});

Deno.test("HttpConnectionPool: another name of the same server shares a connection when addressesOf holds its peer", async () => {
  await using server = startRecordingServer({ handle: (request) => ({ body: request.target }) });
  await using pool = new HttpConnectionPool();
  // Every name reaches the server; addressesOf says which are the same server.
  const connectVia: ConnectStrategy = (_host, _port, connectTo) => connectTo("127.0.0.1");
  const asked: string[] = [];
  const addresses: Record<string, string[]> = {
    "localhost": ["::1", "127.0.0.1"],
    "near.test": ["127.0.0.1"],
    "far.test": ["127.0.0.2"],
  };
  const addressesOf = (host: string) => {
    asked.push(host);
    const found = addresses[host];
    return found ? Promise.resolve(found) : Promise.reject(new Error(`no ${host}`));
  };
  const seen: string[] = [];
  const onConnection = ({ host, address, reused }: HttpConnectionInfo) =>
    seen.push(`${host} ${address} ${reused ? "reused" : "new"}`);
  const get = async (host: string, path: string, share = true) => {
    const url = `http://${host}:${server.port}${path}`;
    const options = { pool, connectVia, onConnection, ...(share ? { addressesOf } : {}) };
    return await (await sendHttpRequest(url, options)).text();
  };
  equal(await get("127.0.0.1", "/a"), "/a");
  equal(await get("localhost", "/b"), "/b");
  // The connection stays its first name's: asked again, the lookup is the caller's to cache.
  equal(await get("localhost", "/c"), "/c");
  equal(await get("127.0.0.1", "/d"), "/d");
  // Elsewhere: a connection of its own, which then serves its own name without asking.
  equal(await get("far.test", "/e"), "/e");
  equal(await get("far.test", "/f"), "/f");
  // The most recent idle connection is far.test's (its peer 127.0.0.1 too): asked, near.test
  // takes it.
  equal(await get("near.test", "/g"), "/g");
  // A name that does not resolve fails as its connection's lookup would.
  await assert.rejects(get("gone.test", "/h"), /no gone.test/);
  // Without addressesOf, only the same name shares.
  equal(await get("localhost", "/i", false), "/i");
  deepEqual(asked, ["localhost", "localhost", "far.test", "near.test", "gone.test"]);
  deepEqual(seen, [
    "127.0.0.1 127.0.0.1 new",
    "127.0.0.1 127.0.0.1 reused",
    "127.0.0.1 127.0.0.1 reused",
    "127.0.0.1 127.0.0.1 reused",
    "far.test 127.0.0.1 new",
    "far.test 127.0.0.1 reused",
    "far.test 127.0.0.1 reused",
    "localhost 127.0.0.1 new",
  ]);
  equal(server.connections, 3);
  deepEqual(pool.stats, { opened: 3, reused: 5 });
});

Deno.test("HttpConnectionPool: https:// is never shared under another name", async () => {
  await using server = startRecordingServer();
  await using pool = new HttpConnectionPool();
  const asked: string[] = [];
  const addressesOf = (host: string) => (asked.push(host), Promise.resolve(["127.0.0.1"]));
  await (await sendHttpRequest(`${server.base}/a`, { pool, addressesOf })).text();
  // Another port is another server: not asked.
  await using other = startRecordingServer();
  await (await sendHttpRequest(`http://localhost:${other.port}/`, { pool, addressesOf })).text();
  equal(other.connections, 1);
  // An https:// URL on the plain server's port: its own connection (whose handshake the plain
  // server never answers).
  const https = `https://localhost:${server.port}/`;
  await assert.rejects(sendHttpRequest(https, { pool, addressesOf, connectTimeoutMs: 100 }));
  deepEqual(asked, []);
});

peerTest("HttpConnectionPool reuses one nginx connection for requests and redirects", [
  "nginx",
], async () => {
  await using dir = await tempDir();
  await using nginx = await startNginx(dir.path, {
    serverConfig: "location = /status { stub_status; }\n" +
      "location = /moved { return 301 /file.txt; }",
  });
  await Deno.writeTextFile(`${nginx.root}/file.txt`, "file\n");
  await using pool = new HttpConnectionPool();
  const before = await nginxAccepts(nginx.port);
  for (let i = 0; i < 10; i++) {
    const response = await sendHttpRequest(`http://127.0.0.1:${nginx.port}/file.txt`, { pool });
    equal(await response.text(), "file\n");
  }
  const post = await sendHttpRequest(`http://127.0.0.1:${nginx.port}/file.txt`, {
    pool,
    method: "POST",
    body: "ignored",
  });
  equal(post.status, 405);
  await post.discardBody();
  const out = `${dir.path}/out`;
  for (let i = 0; i < 3; i++) {
    const result = await download(`http://127.0.0.1:${nginx.port}/moved`, { pool, directory: out });
    equal(result.status, 200);
  }
  equal((await nginxAccepts(nginx.port)) - before, 2, "one for the pool, one for the query");
  deepEqual(pool.stats, { opened: 1, reused: 16 });
});

Deno.test("HttpConnectionPool.tryAcquire() takes an idle connection of the key at once, and leaves the rest to acquire()", async () => {
  const pair = async () => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const accepted = listener.accept();
    const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    const server = await accepted;
    listener.close();
    return { stream: new SocketStream(client), server };
  };
  const a = await pair();
  const b = await pair();
  await using pool = new HttpConnectionPool();
  equal(pool.tryAcquire("k1"), undefined); // nothing idle: acquire() opens
  pool.release("k1", a.stream, "g");
  pool.release("k2", b.stream, "g");
  // The group's most recently idle connection is k2's: for k1, acquire() must ask `accepts`.
  equal(pool.tryAcquire("k1", "g"), undefined);
  equal(pool.idle, 2);
  // Without sharing, or for k2, the key's own is taken.
  deepEqual(pool.tryAcquire("k2", "g"), { stream: b.stream, reused: true, key: "k2" });
  deepEqual(pool.tryAcquire("k1"), { stream: a.stream, reused: true, key: "k1" });
  equal(pool.tryAcquire("k1"), undefined);
  deepEqual(pool.stats, { opened: 0, reused: 2 });
  // The emptied list takes the next release.
  pool.release("k1", a.stream, "g");
  equal(pool.idle, 1);
  deepEqual(pool.tryAcquire("k1", "g"), { stream: a.stream, reused: true, key: "k1" });
  for (const { stream, server } of [a, b]) {
    stream.close();
    server.close();
  }
});

Deno.test("HttpConnectionPool: idleTimeoutMs Infinity keeps an idle connection until close(), with no timer", async () => {
  await using server = startRecordingServer();
  const pool = new HttpConnectionPool({ idleTimeoutMs: Infinity });
  const response = await sendHttpRequest(server.base, { pool });
  // Deadlines (lib/internal/deadline.ts) wait on Atomics.waitAsync or a timer: count both while
  // the connection goes back to the pool. (A timeout of Infinity is a 1 ms timer to Deno.)
  const { waitAsync } = Atomics;
  const { setTimeout: timer } = globalThis;
  let deadlines = 0;
  Atomics.waitAsync = ((
    ...args: Parameters<typeof waitAsync>
  ) => (deadlines++, waitAsync(...args))) as typeof waitAsync;
  globalThis.setTimeout =
    ((...args: Parameters<typeof timer>) => (deadlines++, timer(...args))) as typeof timer;
  try {
    await response.bytes();
  } finally {
    Atomics.waitAsync = waitAsync;
    globalThis.setTimeout = timer;
  }
  equal(pool.idle, 1);
  equal(deadlines, 0);
  await (await sendHttpRequest(server.base, { pool })).bytes();
  deepEqual(pool.stats, { opened: 1, reused: 1 });
  equal(server.connections, 1);
  await pool.close();
  equal(pool.idle, 0);
});
