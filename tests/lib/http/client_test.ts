import assert, { deepEqual, equal, rejects } from "node:assert/strict";
import { type HttpRequestBody, HttpResponse, sendHttpRequest } from "../../../lib/http/client.ts";
import { HttpConnectionPool } from "../../../lib/http/pool.ts";
import { ConnectionClosedError, HttpProtocolError } from "../../../lib/http/errors.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";
import { NetkitError } from "../../../lib/io/netkit_error.ts";
import { createClientSocket } from "../../../lib/net/socket.ts";
import { UnexpectedEofError } from "../../../lib/net/socket_stream.ts";
import { collector } from "../../harness/byte_source.ts";
import { startNginx } from "../../harness/nginx.ts";
import { peerTest, tempDir } from "../../harness/peers.ts";
import { send, startRawServer } from "../../harness/raw_http_server.ts";
import {
  type RecordedRequest,
  type Reply,
  startRecordingServer,
} from "../../harness/recording_http_server.ts";

Deno.test("sendHttpRequest() reads a head, then streams the body it frames", async () => {
  await using server = startRawServer({
    "/len": async (conn) =>
      void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA"),
    "/close": async (conn) => void await send(conn, "HTTP/1.0 200 OK\r\n\r\nall of it"),
    "/chunked": async (conn) =>
      void await send(
        conn,
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
      ),
    "/304": async (conn) =>
      void await send(conn, "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"),
  });
  const cases: [string, string, number | undefined][] = [
    ["/len", "hello", 5],
    ["/close", "all of it", undefined],
    ["/chunked", "abc", undefined],
    ["/304", "", 0],
  ];
  for (const [path, body, length] of cases) {
    await using response = await sendHttpRequest(`${server.base}${path}`);
    assert(response instanceof HttpResponse);
    equal(response.contentLength, length, path);
    const sink = collector();
    equal(await response.copyBodyTo(sink), body.length, path);
    equal(sink.text(), body, path);
  }
});

Deno.test("sendHttpRequest() calls onRequestSent with the request written and the head awaited", async () => {
  // The server answers only once the hook ran: a hook called after the head would never come.
  let hookRan!: () => void;
  const hook = new Promise<void>((resolve) => (hookRan = resolve));
  await using server = startRawServer({
    "/": async (conn) => {
      await hook;
      await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    },
  });
  const calls: string[] = [];
  await using response = await sendHttpRequest(`${server.base}/`, {
    onRequestSent: () => {
      calls.push("sent");
      hookRan();
    },
  });
  calls.push("head");
  equal(await response.text(), "ok");
  deepEqual(calls, ["sent", "head"]);
});

Deno.test("sendHttpRequest() sends HEAD and reads no body", async () => {
  await using server = startRawServer({
    "/": async (conn) => void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"),
  });
  await using response = await sendHttpRequest(`${server.base}/`, { method: "HEAD" });
  equal(response.framing.kind, "none");
  equal(await response.copyBodyTo(collector()), 0);
  assert(server.requests[0]?.startsWith("HEAD / HTTP/1.1\r\n"));
});

Deno.test("sendHttpRequest() reports short bodies, silence and refusals with typed errors", async () => {
  await using server = startRawServer({
    "/short": async (conn) =>
      void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"),
    "/silent": async (conn) => void await conn.read(new Uint8Array(1)).catch(() => null),
    "/garbage": async (conn) => void await send(conn, "SSH-2.0-OpenSSH_9.2\r\n"),
  });
  {
    await using response = await sendHttpRequest(`${server.base}/short`);
    await rejects(response.copyBodyTo(collector()), UnexpectedEofError);
  }
  await rejects(sendHttpRequest(`${server.base}/silent`, { timeoutMs: 200 }), (error: unknown) => {
    assert(error instanceof SocketError && error.failure === "timed-out", String(error));
    return true;
  });
  await rejects(sendHttpRequest(`${server.base}/garbage`), HttpProtocolError);
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = closed.addr.port;
  closed.close();
  await rejects(sendHttpRequest(`http://127.0.0.1:${port}/`), (error: unknown) => {
    assert(error instanceof SocketError && error.failure === "refused", String(error));
    return true;
  });
});

Deno.test("sendHttpRequest()'s timeoutMs bounds the whole exchange, a trickled body included", async () => {
  // Head at once, then a body byte every 20 ms for three seconds: no single read waits long,
  // but the exchange as a whole outlasts timeoutMs.
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    using conn = await listener.accept();
    await conn.read(new Uint8Array(4096));
    await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 150\r\n\r\n");
    let stop = false;
    const closed = conn.read(new Uint8Array(1)).catch(() => null).then(() => (stop = true));
    for (let i = 0; i < 150 && !stop; i++) {
      await conn.write(new TextEncoder().encode("x")).catch(() => (stop = true));
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
    await closed;
  })();
  const url = `http://127.0.0.1:${listener.addr.port}/`;
  await using response = await sendHttpRequest(url, { timeoutMs: 300 });
  await rejects(response.bytes(), (error: unknown) => {
    assert(error instanceof SocketError && error.failure === "timed-out", String(error));
    return true;
  });
  await serving;
  // An exchange over before its deadline leaves nothing behind (the sanitizers check).
  await using server = startRawServer({
    "/": async (conn) => void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
  });
  const quick = await sendHttpRequest(`${server.base}/`, { timeoutMs: 60_000 });
  equal(text(await quick.bytes()), "ok");
});

Deno.test("sendHttpRequest() times out a trickled head on a kept-alive connection too", async () => {
  // One connection, two exchanges: the first answered at once, the second's head trickled a
  // byte every 20 ms (so the read deadline never fires) for ten seconds, far past the timeout.
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const encoder = new TextEncoder();
  const serving = (async () => {
    using conn = await listener.accept();
    const buffer = new Uint8Array(4096);
    await conn.read(buffer);
    await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
    await conn.read(buffer);
    await send(conn, "HTTP/1.1 200 OK\r\nX-Slow: ");
    let stop = false;
    const closed = conn.read(buffer).catch(() => null).then(() => (stop = true));
    for (let i = 0; i < 500 && !stop; i++) {
      await conn.write(encoder.encode("x")).catch(() => (stop = true));
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
    // Ten seconds later the head is complete: a client without a head deadline gets a 200.
    if (!stop) await send(conn, "\r\nContent-Length: 0\r\n\r\n").catch(() => {});
    await closed;
  })();
  await using pool = new HttpConnectionPool();
  const url = `http://127.0.0.1:${listener.addr.port}/`;
  const first = await sendHttpRequest(url, { pool, timeoutMs: 300 });
  equal(text(await first.bytes()), "hi");
  await rejects(sendHttpRequest(url, { pool, timeoutMs: 300 }), (error: unknown) => {
    assert(error instanceof SocketError && error.failure === "timed-out", String(error));
    return true;
  });
  equal(pool.stats.reused, 1);
  await serving;
});

Deno.test("createClientSocket() takes timeoutMs: Infinity for no timer of its own", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  using conn = await createClientSocket("127.0.0.1", listener.addr.port, { timeoutMs: Infinity });
  (await accepted).close();
  equal(conn.remoteAddr.port, listener.addr.port);
  const controller = new AbortController();
  controller.abort();
  await rejects(
    createClientSocket("127.0.0.1", listener.addr.port, {
      timeoutMs: Infinity,
      signal: controller.signal,
    }),
    (error: unknown) => error === controller.signal.reason,
  );
});

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const header = (request: RecordedRequest, name: string) =>
  request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

Deno.test("sendHttpRequest() sends bytes, text and Blob bodies with Content-Length", async () => {
  await using server = startRecordingServer();
  const bodies: [HttpRequestBody, string][] = [
    ["héllo", "héllo"],
    [new Uint8Array([0, 1, 2, 255]), "\0\x01\x02\ufffd"],
    [new Blob(["blob ", "parts"]), "blob parts"],
    ["", ""],
  ];
  for (const [body, expected] of bodies) {
    const response = await sendHttpRequest(`${server.base}/upload`, { method: "PUT", body });
    equal(await response.text(), expected);
  }
  const lengths = server.requests.map((r) => header(r, "Content-Length"));
  deepEqual(lengths, ["6", "4", "10", "0"]);
  assert(server.requests.every((r) => r.method === "PUT" && !header(r, "Transfer-Encoding")));
  deepEqual([...server.requests[1]!.body], [0, 1, 2, 255]);
});

Deno.test("sendHttpRequest() sends Content-Length: 0 for a POST without a body, none for GET", async () => {
  await using server = startRecordingServer();
  await (await sendHttpRequest(`${server.base}/`, { method: "POST" })).bytes();
  await (await sendHttpRequest(`${server.base}/`)).bytes();
  equal(header(server.requests[0]!, "Content-Length"), "0");
  equal(header(server.requests[1]!, "Content-Length"), undefined);
});

Deno.test("sendHttpRequest() uploads a ReadableStream chunked, or with the caller's Content-Length", async () => {
  await using server = startRecordingServer();
  const parts = ["one ", "", "two ", "x".repeat(100_000)];
  const stream = () => ReadableStream.from(parts.map((p) => new TextEncoder().encode(p)));
  const expected = parts.join("");
  equal(
    await (await sendHttpRequest(`${server.base}/`, { method: "POST", body: stream() })).text(),
    expected,
  );
  const chunked = server.requests[0]!;
  equal(header(chunked, "Transfer-Encoding"), "chunked");
  equal(header(chunked, "Content-Length"), undefined);
  deepEqual(chunked.chunks, [4, 4, 100_000]);
  const response = await sendHttpRequest(`${server.base}/`, {
    method: "POST",
    body: stream(),
    headers: [["Content-Length", String(expected.length)], ["Transfer-Encoding", "gzip"]],
  });
  equal(await response.text(), expected);
  equal(header(server.requests[1]!, "Content-Length"), String(expected.length));
  equal(header(server.requests[1]!, "Transfer-Encoding"), undefined);
  equal(server.requests[1]!.chunks, undefined);
});

Deno.test("sendHttpRequest() rejects a stream body that breaks its Content-Length or fails", async () => {
  await using server = startRecordingServer();
  const body = () => ReadableStream.from([new TextEncoder().encode("12345")]);
  for (const length of ["4", "6"]) {
    await rejects(
      sendHttpRequest(`${server.base}/`, {
        method: "POST",
        body: body(),
        headers: [["Content-Length", length]],
      }),
      RangeError,
    );
  }
  const failing = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.error(new Error("disk on fire")),
  });
  await rejects(sendHttpRequest(`${server.base}/`, { method: "POST", body: failing }), {
    message: "disk on fire",
  });
  await rejects(
    // @ts-expect-error: a number is no body
    sendHttpRequest(`${server.base}/`, { method: "POST", body: 42 }),
    TypeError,
  );
});

Deno.test("sendHttpRequest() waits for 100 Continue, then sends the body", async () => {
  await using server = startRecordingServer();
  const interim: number[] = [];
  const response = await sendHttpRequest(`${server.base}/`, {
    method: "POST",
    body: "payload",
    headers: [["Expect", "100-continue"]],
    expectContinueTimeoutMs: 60_000,
    onInterim: (head) => interim.push(head.status),
  });
  equal(await response.text(), "payload");
  deepEqual(interim, [100]);
  equal(text(server.requests[0]!.body), "payload");
});

Deno.test("sendHttpRequest() skips the body when a final status comes instead of 100 Continue", async () => {
  await using server = startRecordingServer({
    expect: () => ({ status: 417, reason: "Expectation Failed", body: "no" }),
  });
  await using pool = new HttpConnectionPool();
  const response = await sendHttpRequest(`${server.base}/`, {
    method: "PUT",
    body: "never sent",
    headers: [["Expect", "100-continue"]],
    expectContinueTimeoutMs: 60_000,
    pool,
  });
  equal(response.status, 417);
  equal(response.statusText, "Expectation Failed");
  equal(await response.text(), "no");
  equal(pool.idle, 0);
  equal(server.requests[0]!.body.length, 0);
});

Deno.test("sendHttpRequest() sends the body anyway when no 100 Continue comes in time", async () => {
  // A server that ignores Expect: it reads the body at once, as many do.
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serve = (async () => {
    using conn = await listener.accept();
    let request = "";
    const buffer = new Uint8Array(4096);
    while (!request.endsWith("late body")) {
      const n = await conn.read(buffer);
      if (n === null) break;
      request += text(buffer.subarray(0, n));
    }
    await conn.write(new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    return request;
  })();
  const response = await sendHttpRequest(`http://127.0.0.1:${listener.addr.port}/`, {
    method: "POST",
    body: "late body",
    headers: [["Expect", "100-continue"]],
    expectContinueTimeoutMs: 10,
  });
  equal(await response.text(), "ok");
  assert((await serve).endsWith("\r\n\r\nlate body"));
});

Deno.test("HttpResponse: status, statusText, Headers, json(), contentLength for HEAD", async () => {
  await using server = startRecordingServer({
    handle: (request) => ({
      status: 203,
      reason: "Non-Authoritative Information",
      headers: [["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"], ["X-Name", "naïve"], [
        "Content-Type",
        "application/json",
      ]],
      body: request.method === "HEAD" ? "x".repeat(1234) : '{"list":[1,2]}',
    }),
  });
  await using pool = new HttpConnectionPool();
  const get = await sendHttpRequest(`${server.base}/`, { pool });
  equal(get.status, 203);
  equal(get.statusText, "Non-Authoritative Information");
  assert(get.ok);
  assert(get.headers instanceof Headers);
  equal(get.headers.get("content-type"), "application/json");
  deepEqual(get.headers.getSetCookie(), ["a=1", "b=2"]);
  // Beyond ASCII, Headers holds the UTF-8 bytes as Latin-1, as fetch does; head keeps the text.
  equal(get.headers.get("x-name"), "naÃ¯ve");
  equal(get.head.headers.get("X-Name"), "naïve");
  equal(get.contentLength, 14);
  deepEqual(await get.json(), { list: [1, 2] });
  assert(get.bodyUsed);
  await rejects(get.text(), TypeError);
  const head = await sendHttpRequest(`${server.base}/`, { method: "HEAD", pool });
  equal(head.framing.kind, "none");
  equal(head.contentLength, 1234);
  equal(await head.text(), "");
  const again = await sendHttpRequest(`${server.base}/`, { pool });
  await again.bytes();
  equal(server.connections, 1);
});

Deno.test("HttpResponse.body streams copies that stay valid; copyBodyTo() hands out views (the sink rule)", async () => {
  const big = new Uint8Array(600 * 1024).map((_, i) => i % 251);
  await using server = startRecordingServer({ handle: () => ({ body: big }) });
  {
    const response = await sendHttpRequest(`${server.base}/`);
    const kept: Uint8Array[] = [];
    for await (const chunk of response.body) kept.push(chunk);
    const joined = new Uint8Array(kept.reduce((n, c) => n + c.length, 0));
    kept.reduce((offset, c) => (joined.set(c, offset), offset + c.length), 0);
    deepEqual(joined, big);
  }
  {
    // A sink that keeps what it is given without copying: the views share the stream's buffer,
    // so the rule (copy what you keep) matters.
    const response = await sendHttpRequest(`${server.base}/`);
    const views: Uint8Array[] = [];
    await response.copyBodyTo({ write: (p) => (views.push(p), Promise.resolve(p.length)) });
    const buffers = new Set(views.slice(1).map((v) => v.buffer));
    assert(views.length > 2 && buffers.size < views.length - 1, "chunks reuse one buffer");
  }
  equal(await (await sendHttpRequest(`${server.base}/`)).bytes().then((b) => b.length), big.length);
});

Deno.test("HttpResponse.body cancelled closes the connection instead of pooling it", async () => {
  await using server = startRecordingServer({ handle: () => ({ body: "x".repeat(10_000) }) });
  await using pool = new HttpConnectionPool();
  const response = await sendHttpRequest(`${server.base}/`, { pool });
  const reader = response.body.getReader();
  await reader.read();
  await reader.cancel();
  equal(pool.idle, 0);
  await (await sendHttpRequest(`${server.base}/`, { pool })).bytes();
  equal(server.connections, 2);
});

Deno.test("sendHttpRequest() signal aborts the body read at once, with the signal's reason", async () => {
  await using server = startRecordingServer({
    handle: () => ({ raw: "partial", headers: [["Content-Length", "1000"]], stallAfter: 7 }),
  });
  const reads: ((response: HttpResponse) => Promise<unknown>)[] = [
    (r) => r.bytes(),
    (r) => r.copyBodyTo(collector()),
    (r) => new Response(r.body).arrayBuffer(),
  ];
  for (const read of reads) {
    const controller = new AbortController();
    const response = await sendHttpRequest(`${server.base}/`, { signal: controller.signal });
    const reason = new Error("user gave up");
    const pending = read(response);
    setTimeout(() => controller.abort(reason), 20);
    await rejects(pending, (error) => error === reason);
  }
});

Deno.test("sendHttpRequest() signal aborts while waiting for the head and rejects at once when aborted", async () => {
  const silence = Promise.withResolvers<Reply>();
  await using server = startRecordingServer({ handle: () => silence.promise });
  const controller = new AbortController();
  const pending = sendHttpRequest(`${server.base}/`, { signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  await rejects(pending, (error) => error instanceof DOMException && error.name === "AbortError");
  silence.resolve({ close: true });
  await rejects(
    sendHttpRequest(`${server.base}/`, { signal: AbortSignal.abort("early") }),
    (error) => error === "early",
  );
});

Deno.test("sendHttpRequest() signal aborts a TLS handshake the server never answers", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const controller = new AbortController();
  const reason = new Error("stop");
  const pending = sendHttpRequest(`https://127.0.0.1:${listener.addr.port}/`, {
    signal: controller.signal,
  });
  using conn = await accepted;
  controller.abort(reason);
  await rejects(pending, (error) => error === reason);
  // The handshake gives up when the connection closes; read to its end so nothing is left.
  while ((await conn.read(new Uint8Array(4096))) !== null);
});

Deno.test("sendHttpRequest() returns an early answer (413) to an upload the server stops reading", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serve = (async () => {
    using conn = await listener.accept();
    await conn.read(new Uint8Array(4096));
    const answer =
      "HTTP/1.1 413 Content Too Large\r\nContent-Length: 9\r\nConnection: close\r\n\r\ntoo large";
    await conn.write(new TextEncoder().encode(answer));
    // Read a little more, then stop reading while the client still sends.
    await conn.read(new Uint8Array(4096));
  })();
  let produced = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      produced += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
  await using pool = new HttpConnectionPool();
  const response = await sendHttpRequest(`http://127.0.0.1:${listener.addr.port}/upload`, {
    method: "PUT",
    body: endless,
    pool,
  });
  equal(response.status, 413);
  equal(await response.text(), "too large");
  equal(pool.idle, 0);
  assert(produced > 0);
  await serve;
});

/** A request body whose source never yields a chunk, and says when (and why) it is cancelled. */
function stalledBody() {
  const cancelled = Promise.withResolvers<unknown>();
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(new TextEncoder().encode("first chunk")),
    pull: () => new Promise<void>(() => {}),
    cancel: (reason) => cancelled.resolve(reason),
  });
  return { body, cancelled: cancelled.promise };
}

Deno.test("sendHttpRequest() signal aborting an upload cancels the body's source, as fetch does", async () => {
  const sawRequest = Promise.withResolvers<void>();
  await using server = startRawServer({
    "/up": async (conn) => {
      sawRequest.resolve();
      await conn.read(new Uint8Array(4096));
    },
  });
  const { body, cancelled } = stalledBody();
  const controller = new AbortController();
  const reason = new Error("upload given up");
  const pending = sendHttpRequest(`${server.base}/up`, {
    method: "POST",
    body,
    signal: controller.signal,
  });
  // Abort mid-upload: once the server has the request's head (and the body is being sent), not
  // after a fixed sleep that a busy machine may not outlast.
  await sawRequest.promise;
  controller.abort(reason);
  await rejects(pending, (error) => error === reason);
  // The source waits for a chunk that never comes: only a cancel lets it (and its lock) go.
  equal(await cancelled, reason);
  equal(body.locked, false);
});

Deno.test("sendHttpRequest() cancels the rest of an upload once the early answer to it is closed", async () => {
  await using server = startRawServer({
    "/up": async (conn) => {
      await send(conn, "HTTP/1.1 413 Content Too Large\r\nContent-Length: 3\r\n\r\nno!");
      await conn.read(new Uint8Array(4096));
    },
  });
  const { body, cancelled } = stalledBody();
  await using pool = new HttpConnectionPool();
  const response = await sendHttpRequest(`${server.base}/up`, { method: "PUT", body, pool });
  equal(response.status, 413);
  equal(await response.text(), "no!");
  assert(await cancelled !== undefined);
  equal(pool.idle, 0);
});

Deno.test("sendHttpRequest() sends each chunk of a stream body as it comes, not when a buffer fills", async () => {
  const sawPing = Promise.withResolvers<void>();
  await using server = startRawServer({
    "/live": async (conn, { head }) => {
      let seen = head;
      const buffer = new Uint8Array(4096);
      while (!seen.includes("\r\n0\r\n\r\n")) {
        if (seen.includes("4\r\nping\r\n")) sawPing.resolve();
        const n = await conn.read(buffer);
        if (n === null) return;
        seen += new TextDecoder().decode(buffer.subarray(0, n));
      }
      await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong");
    },
  });
  // A live source: its second chunk (here, its end) comes only once the server has the first.
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => controller.enqueue(new TextEncoder().encode("ping")),
    pull: async (controller) => {
      await sawPing.promise;
      controller.close();
    },
  });
  const response = await sendHttpRequest(`${server.base}/live`, { method: "POST", body });
  equal(await response.text(), "pong");
});

Deno.test("HttpResponse.json() on a body that is not JSON throws a SyntaxError that is a NetkitError", async () => {
  await using server = startRawServer({
    "/bad": async (conn) =>
      void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n{bad"),
  });
  const response = await sendHttpRequest(`${server.base}/bad`);
  await rejects(response.json(), (error) => {
    // A SyntaxError as fetch's json() throws, with netkit's brand and a code to branch on.
    assert(error instanceof SyntaxError);
    assert(error instanceof NetkitError);
    equal(error.code, "INVALID_JSON");
    return true;
  });
});

Deno.test("HttpResponse.body is a byte stream, as fetch's is: a BYOB reader fills the caller's buffer", async () => {
  await using server = startRawServer({
    "/": async (conn) =>
      void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world"),
  });
  await using pool = new HttpConnectionPool();
  const response = await sendHttpRequest(`${server.base}/`, { pool });
  const reader = response.body.getReader({ mode: "byob" });
  let text = "";
  while (true) {
    const { value, done } = await reader.read(new Uint8Array(4));
    if (done) break;
    assert(value.length <= 4);
    text += new TextDecoder().decode(value);
  }
  equal(text, "hello world");
  equal(pool.idle, 1, "read to its end, the connection went back to the pool");
});

peerTest("sendHttpRequest() uploads to nginx: chunked, 100-continue, early 413, one connection", [
  "nginx",
], async () => {
  await using dir = await tempDir();
  await using nginx = await startNginx(dir.path, {
    serverConfig: "location /dav/ { dav_methods PUT; client_max_body_size 1m; }\n" +
      "location = /dav/small { dav_methods PUT; client_max_body_size 10; }",
  });
  // nginx's workers write the uploads: let them into the document root.
  await Deno.mkdir(`${nginx.root}/dav`, { mode: 0o777 });
  await Deno.chmod(`${nginx.root}/dav`, 0o777);
  const base = `http://127.0.0.1:${nginx.port}/dav`;
  const encoder = new TextEncoder();
  await using pool = new HttpConnectionPool();
  const interim: number[] = [];
  const onInterim = (head: { status: number }) => void interim.push(head.status);
  const expect: [string, string][] = [["Expect", "100-continue"]];

  // A stream without a length goes chunked; nginx answers 100 Continue, then 201.
  const chunked = ReadableStream.from(["hello ", "world"].map((s) => encoder.encode(s)));
  const put = await sendHttpRequest(`${base}/a.txt`, {
    pool,
    method: "PUT",
    body: chunked,
    headers: expect,
    onInterim,
  });
  equal(put.status, 201);
  await put.discardBody();
  equal(await Deno.readTextFile(`${nginx.root}/dav/a.txt`), "hello world");
  deepEqual(interim, [100]);

  // A stream with the caller's Content-Length, on the same connection.
  const sized = ReadableStream.from([encoder.encode("12345")]);
  const replace = await sendHttpRequest(`${base}/a.txt`, {
    pool,
    method: "PUT",
    body: sized,
    headers: [["Content-Length", "5"], ...expect],
  });
  equal(replace.status, 204);
  equal(await Deno.readTextFile(`${nginx.root}/dav/a.txt`), "12345");

  // Too large: nginx answers 413 instead of 100 Continue, and the body is never sent.
  const tooLarge = await sendHttpRequest(`${base}/small`, {
    pool,
    method: "PUT",
    body: new Uint8Array(100_000),
    headers: expect,
  });
  equal(tooLarge.status, 413);
  await tooLarge.text();
  // Without Expect, nginx answers 413 before reading the 4 MB it is sent, then closes.
  const early = await sendHttpRequest(`${base}/small`, {
    pool,
    method: "PUT",
    body: new Uint8Array(4_000_000),
  });
  equal(early.status, 413);
  await early.text();
  const get = await sendHttpRequest(`${base}/a.txt`, { pool });
  equal(await get.text(), "12345");
  // One connection for the first three exchanges; the early answer's connection is not reused.
  deepEqual(pool.stats, { opened: 3, reused: 2 });
});

Deno.test("sendHttpRequest() signal aborts on a kept-alive connection and mid-upload, leaving nothing open", async () => {
  const answered = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
  const release = Promise.withResolvers<void>();
  // When the server has the second request: each stage aborts only then, not after a fixed 20 ms,
  // within which a loaded machine had not even connected for /deaf (the pool opened 1, not 2).
  const arrived: Record<string, PromiseWithResolvers<void>> = {
    "/kept": Promise.withResolvers<void>(),
    "/deaf": Promise.withResolvers<void>(),
  };
  await using server = startRawServer({
    // Answers the first request, then reads on without answering (keeps the connection).
    "/kept": async (conn) => {
      await send(conn, answered);
      while ((await conn.read(new Uint8Array(4096))) !== null) arrived["/kept"]!.resolve();
    },
    // Never reads the body: the upload stops on full socket buffers.
    "/deaf": () => {
      arrived["/deaf"]!.resolve();
      return release.promise;
    },
  });
  await using pool = new HttpConnectionPool();
  equal(await (await sendHttpRequest(`${server.base}/kept`, { pool })).text(), "hi");
  const stages: [string, HttpRequestBody | undefined][] = [
    ["/kept", undefined], // goes out on the kept connection, whose server says nothing more
    ["/deaf", new Uint8Array(32 * 1024 * 1024)], // more than the socket buffers take
  ];
  for (const [path, body] of stages) {
    const controller = new AbortController();
    const reason = new Error(`stop ${path}`);
    const pending = sendHttpRequest(`${server.base}${path}`, {
      method: body ? "PUT" : "GET",
      body,
      pool,
      signal: controller.signal,
    });
    await arrived[path]!.promise;
    controller.abort(reason);
    await rejects(pending, (error) => error === reason);
    equal(pool.idle, 0, path);
  }
  release.resolve();
  deepEqual(pool.stats, { opened: 2, reused: 1 });
});

/**
 * A loopback server that answers each connection's requests from `answers` in turn (the first
 * connection gets `answers[0]`): each item is what to send for one request, "close" to close
 * the connection right away without reading, or "drop" to read the request and close without an
 * answer. It counts connections and requests.
 */
function scriptedServer(answers: string[][]) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const log = { connections: 0, requests: [] as string[] };
  const served: Promise<void>[] = [];
  const encoder = new TextEncoder();
  const accepting = (async () => {
    for await (const conn of listener) {
      const script = answers[log.connections++] ?? [];
      served.push((async () => {
        using _ = conn;
        const buffer = new Uint8Array(4096);
        for (const answer of script) {
          if (answer === "close") return;
          let request = "";
          while (!request.includes("\r\n\r\n")) {
            const n = await conn.read(buffer).catch(() => null);
            if (n === null) return;
            request += new TextDecoder().decode(buffer.subarray(0, n));
          }
          log.requests.push(request.split("\r\n")[0]!);
          if (answer === "drop") return;
          await conn.write(encoder.encode(answer)).catch(() => {});
        }
      })());
    }
  })();
  return {
    url: `http://127.0.0.1:${listener.addr.port}/`,
    log,
    /** Settles once every connection accepted so far is done with its script and closed. */
    done: () => Promise.all(served),
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting;
      await Promise.all(served);
    },
  };
}

Deno.test("sendHttpRequest() retries a kept-alive connection the server closed while idle once, on a new one; a POST sees the close first and goes on a new one", async () => {
  const ok = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  for (const method of ["GET", "POST"]) {
    // The first connection answers once and closes (the script ends); the second answers.
    await using server = scriptedServer([[ok("one")], [ok("two")]]);
    await using pool = new HttpConnectionPool();
    const seen: string[] = [];
    const onConnection = ({ reused }: { reused: boolean }) => seen.push(reused ? "reused" : "new");
    const body = method === "POST" ? "data" : undefined;
    const first = await sendHttpRequest(server.url, { pool, onConnection, method, body });
    equal(await first.text(), "one");
    // The server has closed the first connection, which the pool holds as idle.
    await server.done();
    const second = await sendHttpRequest(server.url, { pool, onConnection, method, body });
    equal(await second.text(), "two");
    // A POST may not be sent twice: the closed connection is found before it is sent on it.
    deepEqual(seen, method === "GET" ? ["new", "reused", "new"] : ["new", "new"], method);
    equal(server.log.connections, 2);
    deepEqual(server.log.requests, [`${method} / HTTP/1.1`, `${method} / HTTP/1.1`]);
  }
});

Deno.test("sendHttpRequest() sends a request again after a kept-alive connection closed at it only when its method is idempotent (RFC 9112, 9.3.1)", async () => {
  const ok = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  for (const method of ["POST", "PATCH", "PUT", "DELETE"]) {
    // The first connection answers once and closes, unanswered, at the next request.
    await using server = scriptedServer([[ok("one"), "drop"], [ok("two")]]);
    await using pool = new HttpConnectionPool();
    await (await sendHttpRequest(server.url, { pool })).text();
    const sent = sendHttpRequest(server.url, { pool, method, body: "data" });
    if (method === "PUT" || method === "DELETE") {
      equal(await (await sent).text(), "two", method);
      equal(server.log.connections, 2, method);
    } else {
      await rejects(sent, ConnectionClosedError, method);
      equal(server.log.connections, 1, method);
    }
  }
});

Deno.test("sendHttpRequest() sends a request again once, on a new connection, whatever the stale ones the pool holds", async () => {
  const ok = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  // Three connections (three requests at once), each closed unanswered at its second request.
  await using server = scriptedServer([[ok("1"), "drop"], [ok("2"), "drop"], [ok("3"), "drop"], [
    ok("fresh"),
  ]]);
  await using pool = new HttpConnectionPool();
  const first = await Promise.all([1, 2, 3].map(() => sendHttpRequest(server.url, { pool })));
  for (const response of first) await response.text();
  equal(pool.idle, 3);
  const seen: string[] = [];
  const onConnection = ({ reused }: { reused: boolean }) => seen.push(reused ? "reused" : "new");
  equal(await (await sendHttpRequest(server.url, { pool, onConnection })).text(), "fresh");
  // One stale connection met, then a new one: not the two other stale ones.
  deepEqual(seen, ["reused", "new"]);
  equal(server.log.requests.length, 5);
  equal(server.log.connections, 4);
});

Deno.test("sendHttpRequest() does not retry a kept-alive connection that answered part of a head, then closed", async () => {
  const ok = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none";
  const inside = "Server closed the connection inside the response header";
  for (
    const [part, message] of [
      ["H", 'Invalid status line "H"'],
      ["HTTP/1.1 200 OK\r\n", inside],
      ["HTTP/1.1 200 OK\r\nContent-Length: 3\r\n", inside],
      ["HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\no", "closed"],
    ] as [string, string][]
  ) {
    // Were the second request retried, the second connection would answer it.
    await using server = scriptedServer([[ok, part], [ok]]);
    await using pool = new HttpConnectionPool();
    const first = await sendHttpRequest(server.url, { pool });
    equal(await first.text(), "one");
    // (After a whole head, the short body fails its read instead.)
    await rejects(
      sendHttpRequest(server.url, { pool }).then((response) => response.text()),
      (error: unknown) => {
        assert(error instanceof Error && error.message.includes(message), String(error));
        return true;
      },
    );
    equal(server.log.connections, 1, JSON.stringify(part));
    equal(pool.stats.reused, 1);
  }
});

Deno.test("sendHttpRequest() retries a stale kept-alive connection only once: a new one that fails too is the error", async () => {
  await using server = scriptedServer([["HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"], [
    "close",
  ]]);
  await using pool = new HttpConnectionPool();
  await (await sendHttpRequest(server.url, { pool })).text();
  await server.done();
  // (The closed connection is seen at the read, before the reset its unread request causes.)
  await rejects(sendHttpRequest(server.url, { pool }), (error: unknown) => {
    const eof = error instanceof Error &&
      error.message === "Server closed the connection without a response";
    assert(eof || (error instanceof SocketError && error.failure === "reset"), String(error));
    return true;
  });
  equal(server.log.connections, 2);
  deepEqual(pool.stats, { opened: 2, reused: 1 });
});
