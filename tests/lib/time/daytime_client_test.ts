import assert from "node:assert/strict";
import { requestDaytime } from "../../../lib/time/daytime_client.ts";
import { requestRfc868Time } from "../../../lib/time/time_client.ts";
import { LineTooLongError } from "../../../lib/net/socket_stream.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";
import { refusedPort } from "../../harness/refused_port.ts";

/** A one-shot server that sends `bytes` (in the given pieces) and closes. */
function serveOnce(...pieces: string[]): { port: number; done: Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const done = listener.accept().then(async (conn) => {
    for (const piece of pieces) await conn.write(new TextEncoder().encode(piece));
    conn.close();
    listener.close();
  });
  return { port: listener.addr.port, done };
}

Deno.test("requestDaytime() returns the line without CRLF or LF", async () => {
  for (const sent of [["Tue Nov 24 01:08:48 2026\r\n"], ["Tue Nov 24 01:08:48 2026\n"]]) {
    const { port, done } = serveOnce(...sent);
    assert.equal(await requestDaytime("127.0.0.1", port), "Tue Nov 24 01:08:48 2026");
    await done;
  }
});

Deno.test("requestDaytime() reads a line sent one piece at a time", async () => {
  const { port, done } = serveOnce(..."24 NOV 2026 01:52:55 UTC\r\n".split(""));
  assert.equal(await requestDaytime("127.0.0.1", port), "24 NOV 2026 01:52:55 UTC");
  await done;
});

Deno.test("requestDaytime() returns a last line without ending, and null for nothing", async () => {
  let server = serveOnce("no newline");
  assert.equal(await requestDaytime("127.0.0.1", server.port), "no newline");
  await server.done;
  server = serveOnce();
  assert.equal(await requestDaytime("127.0.0.1", server.port), null);
  await server.done;
});

Deno.test("requestDaytime() refuses an endless line", async () => {
  const { port, done } = serveOnce("x".repeat(5000));
  await assert.rejects(requestDaytime("127.0.0.1", port), LineTooLongError);
  await done;
});

Deno.test("requestDaytime() throws a SocketError for a refused connection", async () => {
  using refused = refusedPort();
  const error = await requestDaytime(refused.hostname, refused.port).catch((e) => e);
  assert.ok(error instanceof SocketError);
  assert.equal(error.failure, "refused");
});

Deno.test("requestDaytime() times out on a silent server", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const error = await requestDaytime("127.0.0.1", listener.addr.port, { timeoutMs: 100 })
    .catch((e) => e);
  (await accepted).close();
  assert.ok(error instanceof SocketError);
  assert.equal(error.failure, "timed-out");
});

/** A server that accepts one connection and sends `text` a byte every `everyMs`, then closes. */
function trickle(text: string, everyMs: number): { port: number; done: Promise<void> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const done = (async () => {
    using conn = await listener.accept();
    listener.close();
    for (const byte of new TextEncoder().encode(text)) {
      const sent = await conn.write(Uint8Array.of(byte)).then(() => true, () => false);
      if (!sent) return;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return { port: listener.addr.port, done };
}

Deno.test("timeoutMs bounds a whole request: an answer trickled past it times out", async () => {
  // Each byte comes well within the timeout; the answer as a whole does not.
  const daytime = trickle("Mon Nov 30 10:00:00 2026\r\n", 40);
  await assert.rejects(requestDaytime("127.0.0.1", daytime.port, { timeoutMs: 300 }), (error) => {
    assert(error instanceof SocketError && error.failure === "timed-out", String(error));
    return true;
  });
  await daytime.done;
  const time = trickle("\xe9\xf0\x00\x00", 150);
  await assert.rejects(requestRfc868Time("127.0.0.1", time.port, { timeoutMs: 300 }), (error) => {
    assert(error instanceof SocketError && error.failure === "timed-out", String(error));
    return true;
  });
  await time.done;
});
