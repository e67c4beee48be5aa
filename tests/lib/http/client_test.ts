import assert, { equal, rejects } from "node:assert/strict";
import { HttpResponse, sendHttpRequest } from "../../../lib/http/client.ts";
import { HttpProtocolError } from "../../../lib/http/errors.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";
import { createClientSocket } from "../../../lib/net/socket.ts";
import { UnexpectedEofError } from "../../../lib/net/socket_stream.ts";
import { collector } from "../../harness/byte_source.ts";
import { send, startRawServer } from "../../harness/raw_http_server.ts";

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
    ["/304", "", undefined],
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
