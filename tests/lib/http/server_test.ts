import assert from "node:assert/strict";
import { type HttpHandler, type HttpServerOptions, serveHttp } from "../../../lib/http/server.ts";
import { PreparedHead } from "../../../lib/http/server_response.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const echo: HttpHandler = async (request) => {
  const body = request.body ? await request.text() : "";
  return new Response(`${request.method} ${new URL(request.url).pathname} ${body}`);
};

function serve(handler: HttpHandler = echo, options: HttpServerOptions = {}) {
  return serveHttp(handler, { hostname: "127.0.0.1", port: 0, ...options });
}

/** Sends `text` on a fresh connection and reads until the server closes it. */
async function exchange(port: number, text: string | Uint8Array): Promise<string> {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await write(conn, text);
  return await readToEnd(conn);
}

async function write(conn: Deno.Conn, text: string | Uint8Array): Promise<void> {
  const bytes = typeof text === "string" ? encoder.encode(text) : text;
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

async function readToEnd(conn: Deno.Conn): Promise<string> {
  const buffer = new Uint8Array(64 * 1024);
  let text = "";
  for (;;) {
    let n: number | null;
    try {
      n = await conn.read(buffer);
    } catch (error) {
      if (error instanceof Deno.errors.ConnectionReset) break;
      throw error;
    }
    if (n === null) break;
    text += decoder.decode(buffer.subarray(0, n));
  }
  return text;
}

/** Reads until `text` holds `count` complete responses with Content-Length bodies. */
async function readResponses(conn: Deno.Conn, count: number): Promise<string[]> {
  const buffer = new Uint8Array(64 * 1024);
  let text = "";
  for (;;) {
    const responses: string[] = [];
    let at = 0;
    while (responses.length < count) {
      const end = text.indexOf("\r\n\r\n", at);
      if (end < 0) break;
      const length = Number(text.slice(at, end).match(/content-length: (\d+)/i)?.[1] ?? 0);
      if (text.length < end + 4 + length) break;
      responses.push(text.slice(at, end + 4 + length));
      at = end + 4 + length;
    }
    if (responses.length === count) return responses;
    const n = await conn.read(buffer);
    if (n === null) throw new Error(`The server closed after ${responses.length} responses`);
    text += decoder.decode(buffer.subarray(0, n));
  }
}

const bodyOf = (response: string) => response.slice(response.indexOf("\r\n\r\n") + 4);
const statusOf = (response: string) => Number(response.slice(9, 12));

Deno.test("serveHttp() answers fetch, with Date and Content-Length", async () => {
  await using server = serve();
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/a/b`, {
    method: "POST",
    body: "hello",
  });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "POST /a/b hello");
  assert.match(response.headers.get("date")!, /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} /);
  assert.equal(response.headers.get("content-length"), "15");
});

Deno.test("serveHttp() answers pipelined requests in order on one connection", async () => {
  // The first request takes longest: the answers must still come in request order.
  await using server = serve(async (request) => {
    const path = new URL(request.url).pathname;
    await new Promise((resolve) => setTimeout(resolve, path === "/1" ? 30 : 0));
    return new Response(path);
  });
  using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  await write(
    conn,
    "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n" +
      "POST /3 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiGET /4 HTTP/1.1\r\nHost: a\r\n\r\n",
  );
  const responses = await readResponses(conn, 4);
  assert.deepEqual(responses.map(bodyOf), ["/1", "/2", "/3", "/4"]);
  await write(conn, "GET /5 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  const last = await readToEnd(conn);
  assert.match(last, /connection: close\r\n/);
  assert.equal(bodyOf(last), "/5");
});

Deno.test("serveHttp() takes the fast path for known bytes, pipelined, HEAD without a body", async () => {
  const head = new PreparedHead(200, [["content-type", "text/plain"]]);
  let handled = 0;
  await using server = serve(() => {
    handled++;
    return new Response("slow");
  }, {
    fastPath: (method, target) =>
      target === "/fast" ? { head, body: [`${method}:`, encoder.encode("fast")] } : undefined,
  });
  using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  await write(
    conn,
    "GET /fast HTTP/1.1\r\nHost: a\r\n\r\nGET /slow HTTP/1.1\r\nHost: a\r\n\r\n" +
      "HEAD /fast HTTP/1.1\r\nHost: a\r\n\r\nGET /fast HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
  );
  const text = await readToEnd(conn);
  const parts = text.split(/(?=HTTP\/1\.1 )/);
  assert.equal(parts.length, 4, text);
  assert.equal(bodyOf(parts[0]!), "GET:fast");
  assert.equal(bodyOf(parts[1]!), "slow");
  assert.match(parts[2]!, /content-length: 9\r\n/);
  assert.equal(bodyOf(parts[2]!), "");
  assert.equal(bodyOf(parts[3]!), "GET:fast");
  assert.equal(handled, 1);
});

Deno.test("serveHttp() refuses HTTP/1.1 without Host, and serves HTTP/1.0 with and without keep-alive", async () => {
  await using server = serve();
  const port = server.addr.port;
  const noHost = await exchange(port, "GET / HTTP/1.1\r\n\r\n");
  assert.equal(statusOf(noHost), 400);
  assert.match(noHost, /connection: close/);

  const plain = await exchange(port, "GET /old HTTP/1.0\r\n\r\n");
  assert.equal(statusOf(plain), 200);
  assert.match(plain, /connection: close\r\n/);
  assert.equal(bodyOf(plain), "GET /old ");

  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await write(conn, "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  const [first] = await readResponses(conn, 1);
  assert.match(first!, /connection: keep-alive\r\n/);
  await write(conn, "GET /b HTTP/1.0\r\n\r\n");
  assert.equal(bodyOf(await readToEnd(conn)), "GET /b ");
});

Deno.test("serveHttp() refuses smuggling shapes and malformed heads with 400 and closes", async () => {
  await using server = serve();
  const table: [string, number][] = [
    [
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      400,
    ],
    [
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nabc",
      400,
    ],
    ["POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\nabcd", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x3\r\n\r\nabc", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501],
    ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n folded\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\rX-B: 2\r\n\r\n", 400],
    ["GET / HTTP/1.1\rHost: a\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nHost: a\r\nX-A: \x001\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400],
    ["GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400],
    ["GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400],
    ["GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400],
    ["GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", 400],
    ["G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400],
    ["GET a HTTP/1.1\r\nHost: a\r\n\r\n", 400],
    ["GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505],
    ["GET / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", 417],
    ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 400],
    ["POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", 400],
    ["CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", 501],
    // Unfinished heads that no request can start with: refused at once, not at the timeout.
    ["G\x00T /abc", 400],
    ["GET /a\x01", 400],
    ["GET /abc HTTX", 400],
    ["GET /abc\r\n", 400],
    ["\r\n\r\n\r\n", 400],
  ];
  for (const [request, status] of table) {
    const answer = await exchange(server.addr.port, request);
    assert.equal(statusOf(answer), status, JSON.stringify(request));
    assert.match(answer, /connection: close\r\n/, JSON.stringify(request));
    assert.equal(answer.split("HTTP/1.1 ").length, 2, `one answer, then closed: ${request}`);
  }
});

Deno.test("serveHttp() accepts absolute-form, chunked bodies with extensions and trailers, leading CRLF", async () => {
  await using server = serve();
  const answer = await exchange(
    server.addr.port,
    "\r\nPOST http://example.org/abs HTTP/1.1\r\nHost: example.org\r\n" +
      "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
      "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: yes\r\n\r\n",
  );
  assert.equal(statusOf(answer), 200);
  assert.equal(bodyOf(answer), "POST /abs abcde");
});

Deno.test("serveHttp() refuses oversize heads with 414 and 431 and bodies with 413", async () => {
  await using server = serve(echo, { maxHeadBytes: 4096, maxBodyBytes: 1000 });
  const port = server.addr.port;
  const longLine = await exchange(port, `GET /${"a".repeat(8000)} HTTP/1.1\r\nHost: a\r\n\r\n`);
  assert.equal(statusOf(longLine), 414);
  const fields = Array.from({ length: 100 }, (_, i) => `X-${i}: ${"v".repeat(60)}\r\n`).join("");
  const manyFields = await exchange(port, `GET / HTTP/1.1\r\nHost: a\r\n${fields}\r\n`);
  assert.equal(statusOf(manyFields), 431);
  const tooMany = Array.from({ length: 101 }, (_, i) => `X-${i}: v\r\n`).join("");
  assert.equal(statusOf(await exchange(port, `GET / HTTP/1.1\r\nHost: a\r\n${tooMany}\r\n`)), 431);
  const big = await exchange(port, `POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n`);
  assert.equal(statusOf(big), 413);
  const chunks = "100\r\n" + "x".repeat(256) + "\r\n";
  const bigChunked = await exchange(
    port,
    `POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n${chunks.repeat(5)}0\r\n\r\n`,
  );
  assert.equal(statusOf(bigChunked), 413);
  const fits = await exchange(
    port,
    `POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n${
      "y".repeat(1000)
    }`,
  );
  assert.equal(statusOf(fits), 200);
});

Deno.test("serveHttp() answers Expect: 100-continue before the body arrives", async () => {
  await using server = serve();
  using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  await write(
    conn,
    "PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n",
  );
  const buffer = new Uint8Array(1024);
  const n = await conn.read(buffer);
  assert.equal(decoder.decode(buffer.subarray(0, n!)), "HTTP/1.1 100 Continue\r\n\r\n");
  await write(conn, "data");
  const [answer] = await readResponses(conn, 1);
  assert.equal(bodyOf(answer!), "PUT /up data");
});

Deno.test("serveHttp() streams long bodies chunked (HTTP/1.1) or until close (HTTP/1.0)", async () => {
  const piece = "z".repeat(50_000);
  await using server = serve(() =>
    new Response(
      new ReadableStream({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(encoder.encode(piece));
          controller.close();
        },
      }),
    )
  );
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  assert.equal(response.headers.get("transfer-encoding"), "chunked");
  assert.equal((await response.text()).length, 200_000);
  const old = await exchange(server.addr.port, "GET / HTTP/1.0\r\n\r\n");
  assert.doesNotMatch(old, /transfer-encoding|content-length/i);
  assert.equal(bodyOf(old).length, 200_000);
  const head = await exchange(
    server.addr.port,
    "HEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
  );
  assert.equal(bodyOf(head), "");
});

Deno.test("serveHttp() answers 500 when the handler throws, and keeps serving", async () => {
  await using server = serve((request) => {
    if (request.url.endsWith("/throw")) throw new Error("boom");
    return new Response("fine");
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const failed = await fetch(`${base}/throw`);
  assert.equal(failed.status, 500);
  await failed.body?.cancel();
  assert.equal(await (await fetch(`${base}/ok`)).text(), "fine");
});

Deno.test("serveHttp() closes silent, dripping, idle and non-reading connections at the timeouts", async () => {
  const endless = () =>
    new Response(
      new ReadableStream({ pull: (controller) => controller.enqueue(new Uint8Array(65536)) }),
    );
  await using server = serve(endless, {
    headerTimeoutMs: 500,
    idleTimeoutMs: 500,
    writeTimeoutMs: 500,
  });
  const port = server.addr.port;
  // Silent: nothing sent at all.
  assert.equal(await exchange(port, ""), "");
  // Dripping: one byte every 20 ms never completes the head in time.
  {
    using conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const head = "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: " + "s".repeat(200);
    let closed = false;
    for (const byte of encoder.encode(head)) {
      try {
        await conn.write(Uint8Array.of(byte));
      } catch {
        closed = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (server.stats().headerTimeouts > 1) break;
    }
    if (!closed) assert.equal(await readToEnd(conn), "");
  }
  // Idle after one answer.
  {
    using conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await write(conn, "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
    const text = await readToEnd(conn);
    assert.match(text, /^HTTP\/1\.1 200 OK/);
  }
  // Not reading an endless answer.
  {
    using conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await write(conn, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    while (server.stats().writeTimeouts === 0) await new Promise((r) => setTimeout(r, 20));
  }
  const stats = server.stats();
  assert.equal(stats.headerTimeouts, 2);
  assert.equal(stats.idleTimeouts, 1);
  assert.equal(stats.writeTimeouts, 1);
});

Deno.test("serveHttp() serves a good client while 300 half-sent heads wait", async () => {
  await using server = serve(() => new Response("served"), { headerTimeoutMs: 60_000 });
  const port = server.addr.port;
  const crowd: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 300; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await write(conn, "GET / HTTP/1.1\r\nHost: a\r\nX-Half: ");
      crowd.push(conn);
    }
    while (server.stats().connections < 300) await new Promise((r) => setTimeout(r, 5));
    const answer = await exchange(port, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    assert.equal(bodyOf(answer), "served");
    assert.equal(server.stats().connections, 300, "the crowd is still waiting");
  } finally {
    for (const conn of crowd) conn.close();
  }
});

Deno.test("serveHttp() at maxConnections closes idle connections first, then refuses with 503", async () => {
  await using server = serve(() => new Response("ok"), { maxConnections: 3 });
  const port = server.addr.port;
  const idle: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await write(conn, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      await readResponses(conn, 1);
      idle.push(conn);
    }
    // A fourth client is served: the oldest idle connection made room.
    assert.equal(bodyOf(await exchange(port, "GET / HTTP/1.0\r\n\r\n")), "ok");
    assert.equal(await readToEnd(idle[0]!), "", "the oldest idle connection was closed");
    assert.equal(server.stats().evicted, 1);
  } finally {
    for (const conn of idle) conn.close();
  }
});

Deno.test("serveHttp() at maxConnections answers 503 when no connection can be closed", async () => {
  const release = Promise.withResolvers<void>();
  const started = Promise.withResolvers<void>();
  await using server = serve(async () => {
    started.resolve();
    await release.promise;
    return new Response("ok");
  }, { maxConnections: 1 });
  const port = server.addr.port;
  using busy = await Deno.connect({ hostname: "127.0.0.1", port });
  await write(busy, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  await started.promise;
  const refused = await exchange(port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  assert.equal(statusOf(refused), 503);
  assert.match(refused, /retry-after: 1\r\n/);
  release.resolve();
  assert.equal(bodyOf(await readToEnd(busy)), "ok");
  assert.equal(server.stats().refused, 1);
});

Deno.test("serveHttp() shuts down gracefully: idle closed at once, in-flight answered", async () => {
  // An address of its own: under --parallel another process may be given the port once the
  // listener closes, and "no longer accepting" would then reach that process's listener.
  const hostname = `127.77.${1 + Math.floor(Math.random() * 254)}.${
    1 + Math.floor(Math.random() * 254)
  }`;
  const release = Promise.withResolvers<void>();
  const started = Promise.withResolvers<void>();
  const server = serve(async () => {
    started.resolve();
    await release.promise;
    return new Response("late but answered");
  }, { hostname });
  const port = server.addr.port;
  using idle = await Deno.connect({ hostname, port });
  await write(idle, "GET / HTTP/1.1\r\nHost: a\r\n");
  using busy = await Deno.connect({ hostname, port });
  await write(busy, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
  await started.promise;
  const finished = server.shutdown();
  assert.equal(await readToEnd(idle), "", "the half-sent head is dropped at once");
  await assert.rejects(Deno.connect({ hostname, port }), "no longer accepting");
  release.resolve();
  const answer = await readToEnd(busy);
  assert.equal(bodyOf(answer), "late but answered");
  assert.match(answer, /connection: close\r\n/);
  await finished;
});

/**
 * This process's descriptors for sockets whose local port is `port` (the listener and the server's
 * side of its connections): counted by inode, so other tests running in this process do not count.
 */
function socketsOnPort(port: number): number {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of Deno.readTextFileSync(table).split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && parseInt(fields[1]!.split(":")[1]!, 16) === port) {
        inodes.add(fields[9]!);
      }
    }
  }
  let count = 0;
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(Deno.readLinkSync(`/proc/self/fd/${entry.name}`));
      if (inode && inodes.has(inode[1]!)) count++;
    } catch {
      // Closed meanwhile (the directory's own descriptor).
    }
  }
  return count;
}

Deno.test("serveHttp() leaves no descriptors behind", async () => {
  let port: number;
  {
    await using server = serve(() => new Response("ok"), {
      headerTimeoutMs: 100,
      idleTimeoutMs: 100,
    });
    port = server.addr.port;
    const conns = await Promise.all(
      Array.from({ length: 50 }, () => Deno.connect({ hostname: "127.0.0.1", port })),
    );
    await Promise.all(
      conns.map((conn, i) => write(conn, i % 2 ? "GET / HTTP/1.1\r\nHost: a\r\n\r\n" : "GET")),
    );
    assert.ok(socketsOnPort(port) >= 1, "the listener is counted");
    await Promise.all(conns.map(async (conn) => {
      await readToEnd(conn);
      conn.close();
    }));
  }
  assert.equal(socketsOnPort(port), 0);
});

Deno.test("serveHttp() stops when its signal aborts", async () => {
  const stop = new AbortController();
  const server = serve(() => new Response("ok"), { signal: stop.signal });
  assert.equal(await (await fetch(`http://127.0.0.1:${server.addr.port}/`)).text(), "ok");
  stop.abort();
  await server.finished;
});

Deno.test("serveHttp() writes one common-log-format line per answer to accessLog", async () => {
  const lines: string[] = [];
  const head = new PreparedHead(200, []);
  await using server = serve(() => new Response("slow!", { status: 201 }), {
    accessLog: (line) => lines.push(line),
    fastPath: (_method, target) => target === "/fast" ? { head, body: "fast" } : undefined,
  });
  using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  await write(
    conn,
    'GET /fast HTTP/1.1\r\nHost: a\r\n\r\nHEAD /fast HTTP/1.1\r\nHost: a\r\n\r\nGET /a"b HTTP/1.0\r\n\r\n',
  );
  await readToEnd(conn);
  await exchange(server.addr.port, "GET / HTTP/1.1\r\n\r\n");
  const date = String.raw`\[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000\]`;
  assert.equal(lines.length, 4, lines.join("\n"));
  assert.match(lines[0]!, new RegExp(`^127\\.0\\.0\\.1 - - ${date} "GET /fast HTTP/1\\.1" 200 4$`));
  assert.match(lines[1]!, /"HEAD \/fast HTTP\/1\.1" 200 -$/);
  assert.match(lines[2]!, /"GET \/a\\x22b HTTP\/1\.0" 201 5$/);
  assert.match(lines[3]!, /"-" 400 \d+$/);
});

Deno.test("serveHttp() keeps methods case-sensitive: `get` is not GET", async () => {
  await using server = serve((request) => new Response(request.method));
  const answer = await exchange(
    server.addr.port,
    "get / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
  );
  assert.equal(bodyOf(answer), "get");
});

Deno.test("serveHttp() frames 204 and 304 without a body, keeps every Set-Cookie, settles info.completed", async () => {
  const completed: Promise<void>[] = [];
  await using server = serve((request, info) => {
    completed.push(info.completed);
    const path = new URL(request.url).pathname;
    if (path === "/204") return new Response(null, { status: 204 });
    if (path === "/304") return new Response(null, { status: 304, headers: { etag: '"x"' } });
    const headers = new Headers();
    headers.append("set-cookie", "a=1");
    headers.append("set-cookie", "b=2");
    return new Response("cookies", { headers });
  });
  using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
  await write(
    conn,
    "GET /204 HTTP/1.1\r\nHost: a\r\n\r\nGET /304 HTTP/1.1\r\nHost: a\r\n\r\n" +
      "GET /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
  );
  const text = await readToEnd(conn);
  const [noContent, notModified, cookies] = text.split(/(?=HTTP\/1\.1 )/);
  assert.doesNotMatch(noContent!, /content-length|transfer-encoding/);
  assert.match(notModified!, /^HTTP\/1\.1 304 Not Modified\r\n/);
  assert.match(notModified!, /etag: "x"\r\n/);
  assert.equal(bodyOf(notModified!), "");
  assert.match(cookies!, /set-cookie: a=1\r\nset-cookie: b=2\r\n/);
  assert.equal(bodyOf(cookies!), "cookies");
  await Promise.all(completed);
});

Deno.test("serveHttp() drops the connection when a streamed body fails half-way", async () => {
  let sent = 0;
  await using server = serve(() =>
    new Response(
      new ReadableStream({
        pull(controller) {
          if (sent++ < 3) controller.enqueue(new Uint8Array(40_000));
          else controller.error(new Error("the source broke"));
        },
      }),
    )
  );
  const answer = await exchange(server.addr.port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  assert.match(answer, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(answer, /transfer-encoding: chunked\r\n/);
  assert.ok(!answer.endsWith("0\r\n\r\n"), "no last chunk: the client sees the body cut short");
});

Deno.test("serveHttp() refuses a limit out of range and leaves nothing open", () => {
  assert.throws(() => serve(echo, { headerTimeoutMs: 0 }), RangeError);
  assert.throws(() => serve(echo, { maxConnections: -1 }), RangeError);
});
