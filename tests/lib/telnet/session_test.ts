import assert from "node:assert/strict";
import { runTelnetSession } from "../../../lib/telnet/session.ts";
import { TELNET } from "../../../lib/telnet/filter.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";

const { DO, DONT, IAC, SB, SE, WILL, WONT } = TELNET;

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function collector() {
  const chunks: Uint8Array[] = [];
  return {
    output: {
      write: (p: Uint8Array) => {
        chunks.push(p.slice());
        return Promise.resolve(p.length);
      },
    },
    bytes: () => new Uint8Array(chunks.flatMap((c) => [...c])),
  };
}

/** Reads everything a client sends until it half-closes. */
async function readToEnd(conn: Deno.Conn): Promise<Uint8Array> {
  const parts: number[] = [];
  const buffer = new Uint8Array(4096);
  for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
    parts.push(...buffer.subarray(0, n));
  }
  return new Uint8Array(parts);
}

Deno.test("runTelnetSession() sends input lines with CRLF and half-closes at the end", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const server = listener.accept().then(async (conn) => {
    const got = await readToEnd(conn); // ends only because the client half-closed
    await conn.write(encode(`got ${JSON.stringify(decode(got))}`));
    conn.close();
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const out = collector();
  const result = await runTelnetSession(conn, {
    input: new Blob(["one\r\ntwo\n\nthree"]).stream(),
    output: out.output,
  });
  await server;
  assert.equal(decode(out.bytes()), 'got "one\\r\\ntwo\\r\\n\\r\\nthree\\r\\n"');
  assert.deepEqual(result, { inputEnded: true });
});

Deno.test("runTelnetSession() refuses options and never prints telnet commands", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const server = listener.accept().then(async (conn) => {
    // Commands split across writes (often across reads too), an IAC IAC data byte, a
    // subnegotiation. Every split is covered by telnet_test.ts.
    const pieces = [
      [...encode("login: "), IAC],
      [DO, 1, IAC, WILL],
      [3, IAC, IAC, IAC, SB, 24, 1],
      [IAC, SE, ...encode("ok\n")],
    ];
    for (const piece of pieces) await conn.write(new Uint8Array(piece));
    const replies = await readToEnd(conn);
    conn.close();
    return replies;
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const out = collector();
  // The input ends only after the server's data has arrived, so the replies precede the FIN.
  let release!: () => void;
  const later = new Promise<void>((resolve) => (release = resolve));
  const input = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await later;
      controller.close();
    },
  });
  const session = runTelnetSession(conn, {
    input,
    output: {
      write: (p) => {
        const n = out.output.write(p);
        if (decode(out.bytes()).includes("ok\n")) release();
        return n;
      },
    },
  });
  await session;
  assert.deepEqual([...out.bytes()], [...encode("login: "), 255, ...encode("ok\n")]);
  assert.deepEqual([...(await server)], [IAC, WONT, 1, IAC, DONT, 3]);
});

Deno.test("runTelnetSession() ends when the server closes first, input still open", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.accept().then(async (conn) => {
    await conn.write(encode("bye\n"));
    conn.close();
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const out = collector();
  const endless = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
  const result = await runTelnetSession(conn, { input: endless, output: out.output });
  assert.equal(decode(out.bytes()), "bye\n");
  assert.deepEqual(result, { inputEnded: false });
});

Deno.test("runTelnetSession() passes 1 MiB of raw bytes through unchanged", async () => {
  const payload = new Uint8Array(1024 * 1024).map((_, i) => (i * 7) % 255); // no 255
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.accept().then(async (conn) => {
    let offset = 0;
    while (offset < payload.length) offset += await conn.write(payload.subarray(offset));
    conn.close();
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const out = collector();
  await runTelnetSession(conn, { input: new Blob([]).stream(), output: out.output });
  assert.deepEqual(out.bytes(), payload);
});

Deno.test("runTelnetSession() reports a reset as a SocketError", async () => {
  const conn = {
    read: () => Promise.reject(new Deno.errors.ConnectionReset("reset")),
    write: (p: Uint8Array) => Promise.resolve(p.length),
    closeWrite: () => Promise.resolve(),
    close: () => {},
  };
  const error = await runTelnetSession(conn, {
    input: new Blob([]).stream(),
    output: collector().output,
    host: "127.0.0.1",
    port: 23,
  }).catch((e) => e);
  assert.ok(error instanceof SocketError);
  assert.equal(error.message, 'Cannot read from "127.0.0.1:23": connection reset by peer');
});

Deno.test("runTelnetSession() sends a 1 MiB input without line endings on as it comes", async () => {
  const input = new Uint8Array(1024 * 1024).fill(0x61);
  input[5] = 255;
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const server = listener.accept().then(async (conn) => {
    const got = await readToEnd(conn);
    conn.close();
    return got;
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  await runTelnetSession(conn, { input: new Blob([input]).stream(), output: collector().output });
  const got = await server;
  // Every byte arrives, the 255 doubled, with no CR LF added in between (one may close the end,
  // if a piece was still held when the input ended).
  const body = got[got.length - 1] === 10 ? got.subarray(0, -2) : got;
  assert.equal(body.length, input.length + 1);
  assert.deepEqual([...body.subarray(4, 8)], [0x61, 255, 255, 0x61]);
  assert.equal(body.filter((b) => b === 13 || b === 10).length, 0);
});

Deno.test("runTelnetSession() in raw mode passes every byte unchanged both ways", async () => {
  const fromServer = new Uint8Array([0x41, IAC, DO, 1, 0x0d, 0x00, IAC, IAC, 0x0a]);
  const fromUser = new Uint8Array([0x61, 0x0a, IAC, 0x0d, 0x00, 0x62]); // no CR LF added
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const server = listener.accept().then(async (conn) => {
    await conn.write(fromServer);
    const got = await readToEnd(conn);
    conn.close();
    return got;
  });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const out = collector();
  await runTelnetSession(conn, {
    input: new Blob([fromUser]).stream(),
    output: out.output,
    mode: "raw",
  });
  assert.deepEqual(out.bytes(), fromServer);
  assert.deepEqual(await server, fromUser);
});

Deno.test("runTelnetSession() in auto mode is telnet only when the server starts with IAC", async () => {
  for (
    const [first, shown, answered] of [
      [[IAC, WILL, 1, 0x68, IAC, IAC], [0x68, 0xff], [IAC, DONT, 1]],
      [[0x68, IAC, WILL, 1, IAC, IAC], [0x68, IAC, WILL, 1, IAC, IAC], []],
    ]
  ) {
    using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const server = listener.accept().then(async (conn) => {
      await conn.write(new Uint8Array(first!));
      const got = await readToEnd(conn);
      conn.close();
      return got;
    });
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    const out = collector();
    // The input ends only after the server's bytes are in, so its answers can still go out.
    let release!: () => void;
    const shownAll = new Promise<void>((resolve) => (release = resolve));
    const input = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await shownAll;
        controller.enqueue(encode("hi\n"));
        controller.close();
      },
    });
    const output = {
      write: async (p: Uint8Array) => {
        const n = await out.output.write(p);
        if (out.bytes().length >= shown!.length) release();
        return n;
      },
    };
    await runTelnetSession(conn, { input, output, mode: "auto" });
    assert.deepEqual([...out.bytes()], shown);
    assert.deepEqual([...await server], [...answered!, ...encode("hi\r\n")]);
  }
});
