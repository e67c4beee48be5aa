import assert, { deepEqual, equal, rejects } from "node:assert/strict";
import { type HttpRequestBody, HttpResponse, sendHttpRequest } from "../../../lib/http/client.ts";
import { HttpConnectionPool } from "../../../lib/http/pool.ts";
import { HttpProtocolError } from "../../../lib/http/errors.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";
import { createClientSocket } from "../../../lib/net/socket.ts";
import { UnexpectedEofError } from "../../../lib/net/socket_stream.ts";
import { collector } from "../../harness/byte_source.ts";
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
