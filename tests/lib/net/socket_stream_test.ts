import assert from "node:assert/strict";
import { createClientSocket, createServerSocket } from "../../../lib/net/socket.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";
import { duplexFromStreams } from "../../../lib/io/duplex.ts";
import {
  LineTooLongError,
  SocketStream,
  UnexpectedEofError,
} from "../../../lib/net/socket_stream.ts";

const encoder = new TextEncoder();

/** A loopback pair: `serve` runs on the accepted side; the client side is returned wrapped. */
async function loopback(
  serve: (conn: Deno.TcpConn) => Promise<void>,
  options: ConstructorParameters<typeof SocketStream>[1] = {},
): Promise<{ stream: SocketStream; served: Promise<void> }> {
  const listener = createServerSocket(0, { hostname: "127.0.0.1" });
  const accepted = listener.accept();
  const client = await createClientSocket("127.0.0.1", listener.addr.port);
  const conn = await accepted;
  listener.close();
  const served = serve(conn).finally(() => {
    try {
      conn.close();
    } catch {
      // The test closed it already.
    }
  });
  return { stream: new SocketStream(client, options), served };
}

async function sendAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
}

Deno.test("SocketStream.readLine() accepts CRLF and bare LF mixed", async () => {
  const { stream, served } = await loopback((conn) =>
    sendAll(conn, encoder.encode("one\r\ntwo\nthree\r\n\r\nfive\n"))
  );
  await using _ = stream;
  const lines = [];
  for await (const line of stream) lines.push(line);
  assert.deepEqual(lines, ["one", "two", "three", "", "five"]);
  await served;
});

Deno.test("SocketStream.readLine() reassembles lines sent one byte at a time", async () => {
  const text = "HTTP/1.1 200 OK\r\nContent-Length: 3\nX: y\r\n\r\n";
  const { stream, served } = await loopback(async (conn) => {
    conn.setNoDelay(true);
    for (const byte of encoder.encode(text)) await sendAll(conn, new Uint8Array([byte]));
  });
  await using _ = stream;
  assert.equal(await stream.readLine(), "HTTP/1.1 200 OK");
  assert.equal(await stream.readLine(), "Content-Length: 3");
  assert.equal(await stream.readLine(), "X: y");
  assert.equal(await stream.readLine(), "");
  assert.equal(await stream.readLine(), null);
  await served;
});

Deno.test("SocketStream.readLine() keeps a CR that does not end the line", async () => {
  const { stream, served } = await loopback((conn) => sendAll(conn, encoder.encode("a\rb\r\n")));
  await using _ = stream;
  assert.equal(await stream.readLine(), "a\rb");
  await served;
});

Deno.test("SocketStream.readLine() returns a last line cut by EOF, then null", async () => {
  const { stream, served } = await loopback((conn) => sendAll(conn, encoder.encode("x\npartial")));
  await using _ = stream;
  assert.equal(await stream.readLine(), "x");
  assert.equal(await stream.readLine(), "partial");
  assert.equal(await stream.readLine(), null);
  assert.equal(await stream.readLine(), null);
  await served;
});

Deno.test("SocketStream.readLine() throws LineTooLongError for a 1 MB line", async () => {
  const { stream, served } = await loopback((conn) =>
    sendAll(conn, new Uint8Array(1024 * 1024).fill(0x61)).catch(() => {})
  );
  await using _ = stream;
  await assert.rejects(stream.readLine(), (e: unknown) => {
    assert.ok(e instanceof LineTooLongError);
    assert.ok(e instanceof RangeError);
    assert.equal(e.limit, 64 * 1024);
    return true;
  });
  stream.close();
  await served;
});

Deno.test("SocketStream.readLine() honours a custom limit, counting the line without its CRLF", async () => {
  const input = new Blob(["12345678\r\n123456789\r\n"]).stream();
  await using small = new SocketStream(duplexFromStreams(input, new WritableStream()), {
    maxLineBytes: 8,
  });
  assert.equal(await small.readLine(), "12345678");
  await assert.rejects(small.readLine(), LineTooLongError);
});

Deno.test("SocketStream leaves the bytes after a line buffered for the body", async () => {
  const body = new Uint8Array(100_000).map((_, i) => i % 251);
  const head = encoder.encode("Content-Length: 100000\r\n\r\n");
  const { stream, served } = await loopback((conn) =>
    sendAll(conn, new Uint8Array([...head, ...body]))
  );
  await using _ = stream;
  assert.equal(await stream.readLine(), "Content-Length: 100000");
  assert.equal(await stream.readLine(), "");
  assert.deepEqual(await stream.readExactly(100_000), body);
  assert.equal(await stream.readLine(), null);
  await served;
});

Deno.test("SocketStream.copyTo() copies 8 MiB exactly, with memory bounded by its chunk", async () => {
  const size = 8 * 1024 * 1024;
  const payload = new Uint8Array(size).map((_, i) => (i * 31) % 256);
  const { stream, served } = await loopback((conn) => sendAll(conn, payload));
  await using _ = stream;
  const received = new Uint8Array(size);
  let offset = 0;
  let largestWrite = 0;
  const sink = {
    write(p: Uint8Array) {
      received.set(p, offset);
      offset += p.length;
      largestWrite = Math.max(largestWrite, p.length);
      return Promise.resolve(p.length);
    },
  };
  const progress: number[] = [];
  assert.equal(await stream.copyTo(sink, undefined, (n) => progress.push(n)), size);
  assert.deepEqual(received, payload);
  assert.ok(largestWrite <= 256 * 1024);
  assert.equal(progress.at(-1), size);
  await served;
});

Deno.test("SocketStream.copyTo() with a length stops there and throws on a short stream", async () => {
  const { stream, served } = await loopback((conn) => sendAll(conn, encoder.encode("abcdef")));
  await using _ = stream;
  const chunks: string[] = [];
  const sink = {
    write: (p: Uint8Array) => (chunks.push(new TextDecoder().decode(p)), Promise.resolve(p.length)),
  };
  assert.equal(await stream.copyTo(sink, 2), 2);
  assert.equal(chunks.join(""), "ab");
  await assert.rejects(stream.copyTo(sink, 10), (e: unknown) => {
    assert.ok(e instanceof UnexpectedEofError);
    assert.equal(e.expected, 10);
    assert.equal(e.received, 4);
    return true;
  });
  await served;
});

Deno.test("SocketStream.readExactly() throws UnexpectedEofError when the peer closes early", async () => {
  const { stream, served } = await loopback((conn) => sendAll(conn, new Uint8Array(3)));
  await using _ = stream;
  await assert.rejects(stream.readExactly(4), UnexpectedEofError);
  await served;
});

Deno.test("SocketStream.write() delivers 16 MiB to a slow reader despite partial writes", async () => {
  const size = 16 * 1024 * 1024;
  let received = 0;
  let sum = 0;
  const { stream, served } = await loopback(async (conn) => {
    const buffer = new Uint8Array(4096);
    while (true) {
      const n = await conn.read(buffer);
      if (n === null) break;
      for (const byte of buffer.subarray(0, n)) sum = (sum + byte) % 1_000_003;
      received += n;
      if (received % (1024 * 1024) < 4096) await new Promise((r) => setTimeout(r, 0));
    }
  });
  const payload = new Uint8Array(size).map((_, i) => i % 253);
  let expected = 0;
  for (const byte of payload) expected = (expected + byte) % 1_000_003;
  await stream.write("start:");
  await stream.write(payload);
  for (let i = 0; i < 1000; i++) await stream.write("x");
  await stream.closeWrite();
  await served;
  await stream[Symbol.asyncDispose]();
  assert.equal(received, 6 + size + 1000);
  const extra = [..."start:"].reduce((s, c) => s + c.charCodeAt(0), 0) + 1000 * 0x78;
  assert.equal(sum, (expected + extra) % 1_000_003);
});

Deno.test("SocketStream.closeWrite() half-closes: the peer sees EOF and can still answer", async () => {
  const { stream, served } = await loopback(async (conn) => {
    const peer = new SocketStream(conn);
    const lines = [];
    for await (const line of peer) lines.push(line);
    await peer.write(`got ${lines.length} lines\n`);
    await peer.flush();
  });
  await using _ = stream;
  await stream.write("a\nb\n");
  await stream.closeWrite();
  assert.equal(await stream.readLine(), "got 2 lines");
  await served;
});

Deno.test("SocketStream read timeout gives a SocketError with failure timed-out", async () => {
  let release!: () => void;
  const silence = new Promise<void>((resolve) => (release = resolve));
  const { stream, served } = await loopback(() => silence, {
    readTimeoutMs: 50,
    host: "127.0.0.1",
    port: 1,
  });
  await using _ = stream;
  await assert.rejects(stream.readLine(), (e: unknown) => {
    assert.ok(e instanceof SocketError);
    assert.equal(e.step, "read");
    assert.equal(e.failure, "timed-out");
    return true;
  });
  release();
  await served;
});

Deno.test("SocketStream disposal closes the connection once; twice is harmless", async () => {
  const { stream, served } = await loopback(async (conn) => {
    assert.equal(await conn.read(new Uint8Array(10)), 5);
    assert.equal(await conn.read(new Uint8Array(10)), null);
  });
  await stream.write("hello");
  await stream[Symbol.asyncDispose]();
  await stream[Symbol.asyncDispose]();
  stream.close();
  await served;
});

Deno.test("SocketStream over Web streams reads lines and writes bytes", async () => {
  const written: string[] = [];
  const sink = new WritableStream<Uint8Array>({
    write: (chunk) => void written.push(new TextDecoder().decode(chunk)),
  });
  const stream = new SocketStream(duplexFromStreams(new Blob(["a\nb"]).stream(), sink));
  assert.equal(await stream.readLine(), "a");
  assert.equal(await stream.readLine(), "b");
  await stream.write("out");
  await stream.closeWrite();
  assert.deepEqual(written, ["out"]);
  stream.close();
});
