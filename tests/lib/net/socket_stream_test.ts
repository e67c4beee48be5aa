import assert from "node:assert/strict";
import { createClientSocket, createServerSocket } from "../../../lib/net/socket.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";
import { duplexFromStreams } from "../../../lib/io/duplex.ts";
import { NetkitError } from "../../../lib/io/netkit_error.ts";
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

// ---------------------------------------------------------------------------------------------
// Shared use: many writers, many readers.

/** Reads everything `conn` sends, slowly: small reads, yielding to the event loop between them. */
async function readSlowly(conn: Deno.Conn): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const buffer = new Uint8Array(4096);
  let total = 0;
  let reads = 0;
  while (true) {
    const n = await conn.read(buffer);
    if (n === null) break;
    parts.push(buffer.slice(0, n));
    total += n;
    if (++reads % 8 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/** Message `seq` of task `task`: a header line, then `size` bytes derived from both. */
function message(task: number, seq: number, size: number): Uint8Array {
  const head = encoder.encode(`${task} ${seq} ${size}\n`);
  const out = new Uint8Array(head.length + size);
  out.set(head);
  for (let i = 0; i < size; i++) out[head.length + i] = (task * 7 + seq * 13 + i) % 251;
  return out;
}

Deno.test("SocketStream delivers every byte of 50 concurrent writers to a slow reader", async () => {
  const TASKS = 50;
  const MESSAGES = 20;
  // Sizes below, at and above the 64 KiB buffer: copies, fills and direct writes all mix.
  const sizeOf = (task: number, seq: number) =>
    [10, 100, 1000, 5000, 40_000, 65_536, 70_000][(task + seq) % 7]!;
  let received!: Uint8Array;
  const { stream, served } = await loopback(async (conn) => {
    received = await readSlowly(conn);
  });
  // A large write first, so that everything after it waits on the slow reader.
  const big = new Uint8Array(4 * 1024 * 1024).map((_, i) => i % 241);
  const bigWrite = stream.write(big);
  await Promise.all(
    Array.from({ length: TASKS }, async (_, task) => {
      for (let seq = 0; seq < MESSAGES; seq++) {
        const bytes = message(task, seq, sizeOf(task, seq));
        // Half the writers pass text-free bytes, half flush after each write.
        await stream.write(bytes);
        if (task % 2 === 0) await stream.flush();
      }
    }),
  );
  await bigWrite;
  await stream.closeWrite();
  await served;
  await stream[Symbol.asyncDispose]();

  assert.deepEqual(received.subarray(0, big.length), big);
  let offset = big.length;
  const nextSeq = new Array(TASKS).fill(0);
  let messages = 0;
  while (offset < received.length) {
    const newline = received.indexOf(0x0a, offset);
    assert.ok(newline > offset, `a header at ${offset}`);
    const [task = -1, seq = -1, size = -1] = new TextDecoder()
      .decode(received.subarray(offset, newline)).split(" ").map(Number);
    assert.equal(seq, nextSeq[task], `task ${task} in order`);
    assert.equal(size, sizeOf(task, seq));
    nextSeq[task] = seq + 1;
    const expected = message(task, seq, size);
    const start = newline + 1 - (expected.length - size);
    assert.deepEqual(received.subarray(start, start + expected.length), expected);
    offset = start + expected.length;
    messages++;
  }
  assert.equal(offset, received.length);
  assert.equal(messages, TASKS * MESSAGES);
});

Deno.test("SocketStream: 20 tasks that write and flush while a large write waits send 20 messages", async () => {
  let received!: Uint8Array;
  const { stream, served } = await loopback(async (conn) => {
    received = await readSlowly(conn);
  });
  const big = new Uint8Array(2 * 1024 * 1024).fill(0x2e);
  const bigWrite = stream.write(big);
  await Promise.all(Array.from({ length: 20 }, async (_, i) => {
    await stream.write(`message ${i}\n`);
    await stream.flush();
  }));
  await bigWrite;
  await stream.closeWrite();
  await served;
  stream.close();
  const lines = new TextDecoder().decode(received.subarray(big.length)).trimEnd().split("\n");
  assert.deepEqual(lines, Array.from({ length: 20 }, (_, i) => `message ${i}`));
});

Deno.test("SocketStream writes go out in call order even when not awaited", async () => {
  let received!: Uint8Array;
  const { stream, served } = await loopback(async (conn) => {
    received = await readSlowly(conn);
  });
  const expected: Uint8Array[] = [];
  const calls: Promise<void>[] = [];
  for (let i = 0; i < 200; i++) {
    const bytes = message(i, i, [3, 30_000, 70_000, 1][i % 4]!);
    expected.push(bytes);
    calls.push(stream.write(bytes));
    if (i % 17 === 0) calls.push(stream.flush());
  }
  calls.push(stream.closeWrite());
  await Promise.all(calls);
  await served;
  stream.close();
  let offset = 0;
  for (const bytes of expected) {
    assert.deepEqual(received.subarray(offset, offset + bytes.length), bytes);
    offset += bytes.length;
  }
  assert.equal(offset, received.length);
});

Deno.test("SocketStream: 50 writers with a close, abort or dispose among them: every call settles, what went out is whole", async (t) => {
  const endings: Record<string, (stream: SocketStream, reason: Error) => void> = {
    "close()": (stream) => stream.close(),
    "abort()": (stream, reason) => stream.abort(reason),
    "flushAndClose()": (stream) => void stream.flushAndClose().catch(() => {}),
    "await using": (stream) => void stream[Symbol.asyncDispose](),
  };
  for (const [name, end] of Object.entries(endings)) {
    await t.step(name, async () => {
      let received!: Uint8Array;
      const { stream, served } = await loopback(async (conn) => {
        received = await readSlowly(conn).catch(() => new Uint8Array());
      }, { writeBufferBytes: 8192 });
      const reason = new Error("ended by a writer");
      const sizes = [1, 100, 3000, 8191, 8192, 20_000];
      const outcomes: Promise<string>[] = [];
      await Promise.all(Array.from({ length: 50 }, async (_, task) => {
        for (let seq = 0; seq < 20; seq++) {
          const call = stream.write(message(task, seq, sizes[(task + seq) % sizes.length]!));
          outcomes.push(call.then(
            () => "ok",
            (error) => error === reason ? "reason" : (error as NetkitError).code,
          ));
          try {
            await call;
            if (seq % 3 === 0) await stream.flush();
          } catch {
            return; // This writer is done; the others find out for themselves.
          }
          if (task === 17 && seq === 10) end(stream, reason);
        }
      }));
      // Every write settled: accepted, or refused with the abort's reason or as closed.
      const kinds = new Set(await Promise.all(outcomes));
      for (const kind of kinds) assert.ok(["ok", "reason", "CLOSED"].includes(kind), kind);
      stream.close();
      await served;
      // What reached the peer is whole messages in each writer's order, the last perhaps cut.
      let offset = 0;
      const next = new Array(50).fill(0);
      while (offset < received.length) {
        const newline = received.indexOf(0x0a, offset);
        if (newline < 0) {
          // Cut inside a message's header line.
          assert.match(new TextDecoder().decode(received.subarray(offset)), /^[0-9 ]*$/);
          break;
        }
        const [task = -1, seq = -1, size = -1] = new TextDecoder()
          .decode(received.subarray(offset, newline)).split(" ").map(Number);
        assert.equal(seq, next[task], `task ${task} in order`);
        next[task] = seq + 1;
        const expected = message(task, seq, size);
        const got = received.subarray(offset, offset + expected.length);
        assert.deepEqual(got, expected.subarray(0, got.length));
        offset += got.length;
      }
    });
  }
});

Deno.test("SocketStream.readLine() called twice at once returns both lines, in call order", async () => {
  const { stream, served } = await loopback(async (conn) => {
    await sendAll(conn, encoder.encode("first\n"));
    await sendAll(conn, encoder.encode("second\n"));
  });
  await using _ = stream;
  assert.deepEqual(await Promise.all([stream.readLine(), stream.readLine()]), [
    "first",
    "second",
  ]);
  await served;
});

Deno.test("SocketStream serializes 100 concurrent reads of mixed kinds", async () => {
  const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
  const { stream, served } = await loopback(async (conn) => {
    conn.setNoDelay(true);
    for (const line of lines) await sendAll(conn, encoder.encode(line + "\n"));
  });
  await using _ = stream;
  const reads = lines.map((line, i) =>
    i % 3 === 0
      ? stream.readExactly(line.length + 1).then((b) => new TextDecoder().decode(b).trimEnd())
      : stream.readLine()
  );
  assert.deepEqual(await Promise.all(reads), lines);
  assert.equal(await stream.readLine(), null);
  await served;
});

// ---------------------------------------------------------------------------------------------
// Cancellation and deadlines. Each call below can only settle through its trigger: the peer
// neither reads nor writes nor closes until the test releases it, and the deadlines that could
// end the wait are off (or, where a test sets one, its error names the deadline, not the reason).
// So a call that is still pending before the trigger and settles with the trigger's reason
// settled because of the trigger. No clock is read: a busy machine delays, it never fails.

/** Far above any load: a call still pending this long after its trigger would wait forever. */
const HANG_GUARD_MS = 30_000;

/**
 * What `promise` settled with after `trigger()` ran (`undefined` if it fulfilled). Asserts that it
 * was still pending just before the trigger, so that the trigger is what settled it.
 */
async function settleAfter(
  promise: Promise<unknown>,
  trigger: () => void,
): Promise<{ error: unknown }> {
  let settled = false;
  const outcome = promise.then(() => ({ error: undefined }), (error) => ({ error }))
    .finally(() => (settled = true));
  // Let the call reach its wait on the connection.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(settled, false, "the call settled before its trigger");
  trigger();
  let guard: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      outcome,
      new Promise<never>((_, reject) => {
        guard = setTimeout(
          () =>
            reject(new Error(`hang guard: still pending ${HANG_GUARD_MS} ms after the trigger`)),
          HANG_GUARD_MS,
        );
      }),
    ]);
  } finally {
    clearTimeout(guard);
  }
}

/** More than loopback's socket buffers hold, so that sending it waits for the peer to read. */
const BIGGER_THAN_SOCKET_BUFFERS = 32 * 1024 * 1024;

/**
 * A loopback pair whose server side never reads; the test releases it. The write buffer holds
 * {@linkcode BIGGER_THAN_SOCKET_BUFFERS}, so a write of that size is buffered and its flush waits.
 */
async function deafPeer(options: ConstructorParameters<typeof SocketStream>[1] = {}) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const { stream, served } = await loopback(() => released, {
    writeBufferBytes: BIGGER_THAN_SOCKET_BUFFERS,
    // No deadline ends a wait unless the test sets one: only the test's trigger can.
    readTimeoutMs: Infinity,
    writeTimeoutMs: Infinity,
    closeTimeoutMs: Infinity,
    ...options,
  });
  return { stream, done: () => (release(), served) };
}

Deno.test("SocketStream.readLine({ signal }) rejects with the reason when aborted mid-read", async () => {
  const { stream, done } = await deafPeer();
  const controller = new AbortController();
  const reason = new Error("user gave up");
  const { error } = await settleAfter(
    stream.readLine({ signal: controller.signal }),
    () => controller.abort(reason),
  );
  assert.equal(error, reason);
  assert.ok(stream.isClosed);
  await assert.rejects(stream.readLine(), (e) => e === reason);
  await done();
});

Deno.test("SocketStream signal option aborts every pending call with its reason", async () => {
  const controller = new AbortController();
  const { stream, done } = await deafPeer({ signal: controller.signal });
  const reason = new Error("server shutting down");
  const read = stream.readLine();
  const write = stream.write(new Uint8Array(2 * BIGGER_THAN_SOCKET_BUFFERS));
  const { error } = await settleAfter(
    Promise.all([read, write.catch((e) => Promise.reject(["write", e]))]).catch(async (first) => {
      // Both must reject with the reason.
      const results = await Promise.allSettled([read, write]);
      return Promise.reject([first, results]);
    }),
    () => controller.abort(reason),
  );
  const [, results] = error as [unknown, PromiseSettledResult<unknown>[]];
  for (const result of results) {
    assert.equal(result.status, "rejected");
    assert.equal((result as PromiseRejectedResult).reason, reason);
  }
  await done();
});

Deno.test("SocketStream.write({ signal }) to a peer that stopped reading settles on abort", async () => {
  const { stream, done } = await deafPeer();
  const controller = new AbortController();
  const { error } = await settleAfter(
    stream.write(new Uint8Array(2 * BIGGER_THAN_SOCKET_BUFFERS), { signal: controller.signal }),
    () => controller.abort(),
  );
  assert.ok(error instanceof DOMException && error.name === "AbortError");
  await done();
});

Deno.test("SocketStream.flush({ signal }) to a peer that stopped reading settles on abort", async () => {
  const { stream, done } = await deafPeer();
  const controller = new AbortController();
  // A buffered write first (it fits the buffer): the flush is what waits.
  await stream.write(new Uint8Array(BIGGER_THAN_SOCKET_BUFFERS));
  const reason = new Error("flush abandoned");
  const { error } = await settleAfter(
    stream.flush({ signal: controller.signal }),
    () => controller.abort(reason),
  );
  assert.equal(error, reason);
  await done();
});

Deno.test("SocketStream calls with a signal aborted already reject without touching the stream", async () => {
  const { stream, served } = await loopback((conn) => sendAll(conn, encoder.encode("kept\n")));
  await using _ = stream;
  const signal = AbortSignal.abort(new Error("too late"));
  for (
    const call of [
      () => stream.readLine({ signal }),
      () => stream.readExactly(1, { signal }),
      () => stream.write("x", { signal }),
      () => stream.flush({ signal }),
      () => stream.flushAndClose({ signal }),
    ]
  ) {
    await assert.rejects(call(), { message: "too late" });
  }
  assert.equal(await stream.readLine(), "kept");
  await served;
});

Deno.test("SocketStream writeTimeoutMs fails a write to a peer that stopped reading, and closes", async () => {
  const { stream, done } = await deafPeer({ writeTimeoutMs: 100, host: "127.0.0.1", port: 7 });
  await assert.rejects(
    stream.write(new Uint8Array(2 * BIGGER_THAN_SOCKET_BUFFERS)),
    (e: unknown) => {
      assert.ok(e instanceof SocketError);
      assert.ok(e instanceof NetkitError);
      assert.equal(e.step, "write");
      assert.equal(e.failure, "timed-out");
      assert.equal(e.code, "TIMEOUT");
      return true;
    },
  );
  assert.ok(stream.isClosed);
  await assert.rejects(stream.write(new Uint8Array(100_000)), SocketError);
  await done();
});

Deno.test("SocketStream await using with a peer that stopped reading ends after closeTimeoutMs", async () => {
  const { stream, done } = await deafPeer({ closeTimeoutMs: 100 });
  {
    await using _ = stream;
    await stream.write(new Uint8Array(BIGGER_THAN_SOCKET_BUFFERS));
  } // Without a bound, the flush of this disposal would wait for the peer forever.
  assert.ok(stream.isClosed);
  await done();
});

Deno.test("SocketStream.flushAndClose() rejects with a timeout when the peer stopped reading", async () => {
  const { stream, done } = await deafPeer({ closeTimeoutMs: 100 });
  await stream.write(new Uint8Array(BIGGER_THAN_SOCKET_BUFFERS));
  await assert.rejects(stream.flushAndClose(), (e: unknown) => {
    assert.ok(e instanceof SocketError);
    assert.equal(e.failure, "timed-out");
    return true;
  });
  assert.ok(stream.isClosed);
  await done();
});

Deno.test("SocketStream await using settles at once when its signal aborts during the flush", async () => {
  const controller = new AbortController();
  const { stream, done } = await deafPeer({ signal: controller.signal, closeTimeoutMs: Infinity });
  await stream.write(new Uint8Array(BIGGER_THAN_SOCKET_BUFFERS));
  const { error } = await settleAfter(stream[Symbol.asyncDispose](), () => controller.abort());
  assert.equal(error, undefined);
  assert.ok(stream.isClosed);
  await done();
});

Deno.test("SocketStream.close() makes pending calls reject with a closed SocketError", async () => {
  const { stream, done } = await deafPeer({ host: "127.0.0.1", port: 7 });
  const { error } = await settleAfter(stream.readLine(), () => stream.close());
  assert.ok(error instanceof SocketError);
  assert.equal(error.failure, "closed");
  assert.equal(error.code, "CLOSED");
  await done();
});

Deno.test("SocketStream abort settles calls on a transport that never settles them itself", async () => {
  // A Web stream sink that hangs: aborting its writer cannot finish the write in progress.
  const sink = new WritableStream<Uint8Array>({ write: () => new Promise(() => {}) });
  const source = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
  const stream = new SocketStream(duplexFromStreams(source, sink));
  const reason = new Error("stop");
  const read = stream.readLine();
  const { error } = await settleAfter(
    (async () => {
      await stream.write(new Uint8Array(100_000));
    })(),
    () => stream.abort(reason),
  );
  assert.equal(error, reason);
  await assert.rejects(read, (e) => e === reason);
});

Deno.test("SocketStream errors share the NetkitError base and its codes", async () => {
  const { stream, served } = await loopback((conn) => sendAll(conn, encoder.encode("abc")));
  await using _ = stream;
  await assert.rejects(stream.readExactly(4), (e: unknown) => {
    assert.ok(e instanceof UnexpectedEofError && e instanceof NetkitError);
    assert.equal(e.code, "UNEXPECTED_EOF");
    return true;
  });
  const long = new SocketStream(
    duplexFromStreams(new Blob(["x".repeat(20)]).stream(), new WritableStream()),
    {
      maxLineBytes: 8,
    },
  );
  await assert.rejects(long.readLine(), (e: unknown) => {
    assert.ok(e instanceof LineTooLongError && e instanceof RangeError && e instanceof NetkitError);
    assert.equal(e.code, "LINE_TOO_LONG");
    return true;
  });
  long.close();
  await served;
});

Deno.test("SocketStream.takeLineBytes() takes buffered lines only, within the limit, never after an abort", async () => {
  const input = new Blob(["a\r\n12345678\r\n123456789\r\nrest"]).stream();
  const stream = new SocketStream(duplexFromStreams(input, new WritableStream()), {
    maxLineBytes: 8,
  });
  assert.equal(stream.takeLineBytes(), undefined);
  assert.equal(await stream.readLine(), "a");
  assert.equal(new TextDecoder().decode(stream.takeLineBytes()), "12345678");
  assert.throws(() => stream.takeLineBytes(), LineTooLongError);
  stream.abort(new Error("stop"));
  assert.equal(stream.takeLineBytes(), undefined);
});

Deno.test("SocketStream refuses a transport or sink that takes no byte, instead of looping for ever", async () => {
  const stuck = {
    read: () => Promise.resolve(null),
    write: () => Promise.resolve(0),
    close: () => {},
  };
  const stream = new SocketStream(stuck);
  await stream.write("hello\n");
  await assert.rejects(stream.flush(), (error) => {
    assert.ok(error instanceof SocketError);
    assert.ok(error.cause instanceof Deno.errors.WriteZero);
    return true;
  });
  stream.close();
  // copyTo() hands its bytes to a sink through writeAll(), which refuses one that takes none.
  const input = new SocketStream(
    duplexFromStreams(new Blob(["body"]).stream(), new WritableStream()),
  );
  await assert.rejects(
    input.copyTo({ write: () => Promise.resolve(0) }),
    Deno.errors.WriteZero,
  );
  input.close();
});

Deno.test("SocketStream.peekBuffered(), skipBuffered() and fillBuffer() let a parser scan the buffer itself", async () => {
  const text = "a: 1\r\nb: 2\r\n\r\nbody";
  const { stream, served } = await loopback(async (conn) => {
    conn.setNoDelay(true);
    // Byte by byte: the parser must ask for more until its blank line is in.
    for (const byte of encoder.encode(text)) await sendAll(conn, new Uint8Array([byte]));
  }, { maxLineBytes: 64 });
  await using _ = stream;
  assert.deepEqual(stream.peekBuffered(), new Uint8Array());
  let end = -1;
  let fills = 0;
  while (end < 0) {
    end = new TextDecoder().decode(stream.peekBuffered()).indexOf("\r\n\r\n");
    if (end < 0) {
      assert.ok(await stream.fillBuffer());
      fills++;
    }
  }
  assert.ok(fills >= 1);
  assert.equal(stream.bytesRead, stream.buffered);
  assert.throws(() => stream.skipBuffered(stream.buffered + 1), RangeError);
  assert.throws(() => stream.skipBuffered(-1), RangeError);
  stream.skipBuffered(end + 4);
  assert.equal(await stream.readLine(), "body");
  assert.equal(await stream.fillBuffer(), false);
  assert.equal(stream.bytesRead, text.length);
  await served;
});

Deno.test("SocketStream.fillBuffer() grows the buffer only up to maxLineBytes, and peekBuffered() shows nothing during a read or after an abort", async () => {
  const input = new Blob(["x".repeat(40)]).stream();
  const stream = new SocketStream(duplexFromStreams(input, new WritableStream()), {
    maxLineBytes: 8,
  });
  const reading = stream.fillBuffer();
  assert.equal(stream.peekBuffered(), undefined);
  assert.throws(() => stream.skipBuffered(0), RangeError);
  assert.ok(await reading);
  assert.equal(stream.peekBuffered()?.length, 40);
  await assert.rejects(stream.fillBuffer(), LineTooLongError);
  stream.abort(new Error("stop"));
  assert.equal(stream.peekBuffered(), undefined);
  await assert.rejects(stream.fillBuffer(), { message: "stop" });
});

Deno.test("SocketStream.fillBuffer() waiting on a silent peer: close() and the read timeout settle it, and let the read lock go", async () => {
  const silent = () => new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
  const closed = (error: unknown) => error instanceof SocketError && error.failure === "closed";
  const closing = new SocketStream(duplexFromStreams(silent(), new WritableStream()));
  const pending = closing.fillBuffer();
  assert.equal(closing.peekBuffered(), undefined); // the read holds the lock
  closing.close();
  await assert.rejects(pending, closed);
  await assert.rejects(closing.fillBuffer(), closed);
  assert.deepEqual(closing.peekBuffered(), new Uint8Array()); // the lock was let go
  const timing = new SocketStream(duplexFromStreams(silent(), new WritableStream()), {
    readTimeoutMs: 20,
  });
  const timedOut = (error: unknown) =>
    error instanceof SocketError && error.failure === "timed-out";
  // (The read deadline's clock does not keep the event loop alive; a socket's pending read does.)
  const awake = setTimeout(() => {}, 5000);
  await assert.rejects(timing.fillBuffer(), timedOut);
  clearTimeout(awake);
  await assert.rejects(timing.fillBuffer(), timedOut); // what every later call says
  assert.equal(timing.bytesRead, 0);
  timing.close();
});

Deno.test("SocketStream.copyTo() writes with a sink's writeSync, the same bytes as write(), partial writes and bad counts included", async () => {
  const body = "0123456789".repeat(3);
  const copy = async (
    sink: { write(p: Uint8Array): Promise<number>; writeSync?(p: Uint8Array): number },
    piece: number,
  ) => {
    const input = new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = encoder.encode(`head\n${body}tail`);
        for (let i = 0; i < bytes.length; i += piece) controller.enqueue(bytes.slice(i, i + piece));
        controller.close();
      },
    });
    await using stream = new SocketStream(duplexFromStreams(input, new WritableStream()));
    assert.equal(await stream.readLine(), "head");
    const progress: number[] = [];
    const copied = await stream.copyTo(sink, body.length, (n) => progress.push(n));
    return { copied, progress, rest: await stream.readLine() };
  };
  for (const piece of [1, 7, 1000]) {
    const viaWrite: number[] = [];
    const viaSync: number[] = [];
    // Both take at most 4 bytes a call: the copy loops over partial writes either way.
    const asyncSink = {
      write: (
        p: Uint8Array,
      ) => (viaWrite.push(...p.subarray(0, 4)), Promise.resolve(Math.min(4, p.length))),
    };
    const syncSink = {
      write: () => Promise.reject(new Error("write() called")),
      writeSync: (p: Uint8Array) => (viaSync.push(...p.subarray(0, 4)), Math.min(4, p.length)),
    };
    const a = await copy(asyncSink, piece);
    const b = await copy(syncSink, piece);
    assert.deepEqual(b, a, `pieces of ${piece}`);
    assert.deepEqual(viaSync, viaWrite);
    assert.equal(new TextDecoder().decode(new Uint8Array(viaSync)), body);
    assert.equal(a.rest, "tail");
    // A sink that takes nothing, or claims more than it was given, is refused the same way.
    for (const n of [0, 1000]) {
      await assert.rejects(
        copy({ write: () => Promise.resolve(n), writeSync: () => n }, piece),
        Deno.errors.WriteZero,
      );
    }
    // A sink's own failure is the copy's.
    await assert.rejects(
      copy({
        write: () => Promise.resolve(1),
        writeSync: () => {
          throw new Error("disk full");
        },
      }, piece),
      { message: "disk full" },
    );
  }
});

Deno.test("SocketStream readTimeoutMs bounds each read on its own: reads that each wait less never time out, however long they take together", async () => {
  // The deadline is armed lazily (moved only when it comes due): a read that begins late in the
  // period of the one before it must still have its full time.
  const { stream, served } = await loopback(async (conn) => {
    conn.setNoDelay(true);
    for (let i = 0; i < 30; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await sendAll(conn, encoder.encode(`${i}\n`));
    }
  }, { readTimeoutMs: 400 });
  await using _ = stream;
  for (let i = 0; i < 30; i++) assert.equal(await stream.readLine(), `${i}`);
  assert.equal(await stream.readLine(), null);
  await served;
});

Deno.test("SocketStream read timeout still fires for a read that begins after many short ones", async () => {
  let release!: () => void;
  const silence = new Promise<void>((resolve) => (release = resolve));
  const { stream, served } = await loopback(async (conn) => {
    for (let i = 0; i < 5; i++) await sendAll(conn, encoder.encode(`${i}\n`));
    await silence;
  }, { readTimeoutMs: 50 });
  await using _ = stream;
  for (let i = 0; i < 5; i++) assert.equal(await stream.readLine(), `${i}`);
  await assert.rejects(stream.readLine(), (e: unknown) => {
    assert.ok(e instanceof SocketError);
    assert.equal(e.failure, "timed-out");
    return true;
  });
  release();
  await served;
});

Deno.test("SocketStream.copyTo() with writeSync behaves as with write() alone: partial writes, failures, short streams, progress", async () => {
  const input = encoder.encode(`head\n${"abcdefghij".repeat(5)}`);
  const bodyBytes = input.length - 5;
  // What one copy did, and the state it left the stream in.
  const run = async (
    viaSync: boolean,
    piece: number,
    length: number | undefined,
    failAt: number,
    progressFails: boolean,
  ) => {
    const readable = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < input.length; i += piece) controller.enqueue(input.slice(i, i + piece));
        controller.close();
      },
    });
    await using stream = new SocketStream(duplexFromStreams(readable, new WritableStream()));
    assert.equal(await stream.readLine(), "head");
    const written: number[] = [];
    let calls = 0;
    // Takes 1 to 3 bytes a call, the same sequence either way; fails on call `failAt`.
    const take = (p: Uint8Array) => {
      if (++calls === failAt) throw new Error(`sink failed on call ${calls}`);
      const n = Math.min(p.length, 1 + (calls % 3));
      written.push(...p.subarray(0, n));
      return n;
    };
    const sink = viaSync
      ? { write: () => Promise.reject(new Error("write() called")), writeSync: take }
      : { write: (p: Uint8Array) => Promise.resolve().then(() => take(p)) };
    const progress: number[] = [];
    const onProgress = (n: number) => {
      progress.push(n);
      if (progressFails) throw new Error(`progress failed at ${n}`);
    };
    let outcome: string;
    try {
      // A failure must come as a rejection, never thrown from the call itself.
      let promise: Promise<number>;
      try {
        promise = stream.copyTo(sink, length, onProgress);
      } catch (error) {
        return { thrownSynchronously: String(error) };
      }
      outcome = `copied ${await promise}`;
    } catch (error) {
      outcome = `${(error as Error).name}: ${(error as Error).message}`;
    }
    // The stream stays usable: what is left reads the same either way.
    const buffered = stream.buffered;
    const rest: number[] = [];
    while (true) {
      const chunk = new Uint8Array(64);
      const n = await stream.readSome(chunk).catch((e) => String(e));
      if (typeof n === "string") {
        rest.push(-1);
        break;
      }
      if (n === null) break;
      rest.push(...chunk.subarray(0, n));
    }
    return { outcome, written, progress, buffered, rest, bytesRead: stream.bytesRead };
  };
  for (const piece of [1, 7, input.length]) {
    for (const length of [undefined, 0, 1, 10, bodyBytes, bodyBytes + 1, bodyBytes + 20]) {
      for (const failAt of [0, 1, 2, 9]) {
        for (const progressFails of [false, true]) {
          const a = await run(false, piece, length, failAt, progressFails);
          const b = await run(true, piece, length, failAt, progressFails);
          assert.deepEqual(
            b,
            a,
            `piece ${piece} length ${length} failAt ${failAt} progressFails ${progressFails}`,
          );
        }
      }
    }
  }
});

Deno.test("SocketStream.copyTo() of buffered bytes to a writeSync sink rejects, never throws, when onProgress fails", async () => {
  await using stream = new SocketStream(
    duplexFromStreams(new Blob(["head\nbody"]).stream(), new WritableStream()),
  );
  assert.equal(await stream.readLine(), "head");
  const sink = { write: () => Promise.resolve(0), writeSync: (p: Uint8Array) => p.length };
  const copy = stream.copyTo(sink, 1, () => {
    throw new Error("progress failed");
  });
  await assert.rejects(copy, { message: "progress failed" });
  // The byte was written before the callback failed: the copy that waits leaves the same.
  assert.equal(await stream.readLine(), "ody");
});
