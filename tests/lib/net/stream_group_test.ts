import assert from "node:assert/strict";
import { createClientSocket, createServerSocket } from "../../../lib/net/socket.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";
import { SocketStream } from "../../../lib/net/socket_stream.ts";
import { StreamGroup } from "../../../lib/net/stream_group.ts";

/** `count` loopback pairs: the server sides, wrapped and tracked by `group`, and the clients. */
async function pairs(group: StreamGroup, count: number) {
  using listener = createServerSocket(0, { hostname: "127.0.0.1" });
  const servers: SocketStream[] = [];
  const clients: SocketStream[] = [];
  for (let i = 0; i < count; i++) {
    const accepted = listener.accept();
    clients.push(new SocketStream(await createClientSocket("127.0.0.1", listener.addr.port)));
    servers.push(group.add(new SocketStream(await accepted)));
  }
  return { servers, clients };
}

Deno.test("StreamGroup.closeAll() ends every waiting handler with the reason", async () => {
  const group = new StreamGroup();
  const { servers, clients } = await pairs(group, 20);
  assert.equal(group.size, 20);
  let settled = 0;
  const waiting = servers.map((stream) =>
    stream.readLine().then(() => "read", (error) => error).finally(() => settled++)
  );
  // The clients never send and no read deadline comes within the test (15 min by default): the
  // reads wait until closeAll() ends them, which their error (the reason) shows.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(settled, 0, "a read ended before closeAll()");
  const reason = new Error("Server shutting down");
  group.closeAll(reason);
  for (const outcome of await Promise.all(waiting)) assert.equal(outcome, reason);
  assert.equal(group.size, 0);
  // The clients see the connections end.
  for (const client of clients) {
    assert.equal(await client.readLine(), null);
    client.close();
  }
});

Deno.test("StreamGroup forgets a stream once it closes", async () => {
  const group = new StreamGroup();
  const { servers, clients } = await pairs(group, 3);
  const [, second] = servers;
  second!.close();
  await second!.closed;
  assert.equal(group.size, 2);
  await group[Symbol.asyncDispose]();
  assert.equal(group.size, 0);
  assert.ok(servers.every((stream) => stream.isClosed));
  for (const client of clients) client.close();
});

Deno.test("StreamGroup closes a stream added after closeAll() on arrival", async () => {
  const group = new StreamGroup();
  group.closeAll();
  const { servers: [server], clients: [client] } = await pairs(group, 1);
  assert.ok(server!.isClosed);
  await assert.rejects(server!.readLine(), (e: unknown) => {
    assert.ok(e instanceof SocketError);
    assert.equal(e.failure, "closed");
    return true;
  });
  client!.close();
});

Deno.test("StreamGroup.flushAndCloseAll() sends what each stream buffered", async () => {
  const group = new StreamGroup();
  const { servers, clients } = await pairs(group, 5);
  await Promise.all(servers.map((stream, i) => stream.write(`bye ${i}\n`)));
  await group.flushAndCloseAll();
  assert.equal(group.size, 0);
  for (const [i, client] of clients.entries()) {
    assert.equal(await client.readLine(), `bye ${i}`);
    assert.equal(await client.readLine(), null);
    client.close();
  }
});
