import assert from "node:assert/strict";
import { serveTime } from "../../../lib/time/server.ts";
import { decodeRfc868Time } from "../../../lib/time/rfc868_time.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";

const FIXED = () => new Date("2026-11-24T01:08:48.750Z");

async function readAll(port: number, hostname = "127.0.0.1"): Promise<Uint8Array> {
  const conn = await Deno.connect({ hostname, port });
  return new Uint8Array(await new Response(conn.readable).arrayBuffer());
}

/** A connection whose writes the test settles by hand: a client that never reads, or resets. */
class FakeConn {
  readonly written: Uint8Array[] = [];
  closed = false;
  #pending: { resolve: (n: number) => void; reject: (e: unknown) => void }[] = [];
  readonly remoteAddr: Deno.NetAddr = { transport: "tcp", hostname: "192.0.2.1", port: 4 };
  constructor(readonly mode: "ok" | "stuck" | "reset") {}
  write(p: Uint8Array): Promise<number> {
    if (this.closed) return Promise.reject(new Deno.errors.BadResource("closed"));
    if (this.mode === "ok") {
      this.written.push(p.slice());
      return Promise.resolve(p.length);
    }
    if (this.mode === "reset") return Promise.reject(new Deno.errors.ConnectionReset("reset"));
    return new Promise((resolve, reject) => this.#pending.push({ resolve, reject }));
  }
  /** The peer goes away: pending writes fail. */
  reset(): void {
    for (const { reject } of this.#pending.splice(0)) {
      reject(new Deno.errors.ConnectionReset("reset"));
    }
  }
  close(): void {
    if (this.closed) throw new Deno.errors.BadResource("closed twice");
    this.closed = true;
    for (const { reject } of this.#pending.splice(0)) {
      reject(new Deno.errors.BadResource("closed"));
    }
  }
}

/** A listener handing out connections the test pushes. */
class FakeListener {
  #queue: FakeConn[] = [];
  #waiter: { resolve: (c: FakeConn) => void; reject: (e: unknown) => void } | null = null;
  #closed = false;
  push(conn: FakeConn): void {
    if (this.#waiter) {
      this.#waiter.resolve(conn);
      this.#waiter = null;
    } else this.#queue.push(conn);
  }
  accept(): Promise<FakeConn> {
    if (this.#closed) return Promise.reject(new Deno.errors.BadResource("closed"));
    const next = this.#queue.shift();
    if (next) return Promise.resolve(next);
    return new Promise((resolve, reject) => (this.#waiter = { resolve, reject }));
  }
  close(): void {
    this.#closed = true;
    this.#waiter?.reject(new Deno.errors.BadResource("closed"));
    this.#waiter = null;
  }
  asListener(): Deno.Listener {
    return this as unknown as Deno.Listener;
  }
}

/** Resolves once `check` holds, polling on the event loop (no fixed sleep). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

Deno.test("serveTime() answers daytime with the %c line and a LF, then closes", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const stop = new AbortController();
  const serving = serveTime(listener, { now: FIXED, signal: stop.signal });
  const text = new TextDecoder().decode(await readAll(listener.addr.port));
  assert.equal(text, "Tue Nov 24 01:08:48 2026\n");
  stop.abort();
  assert.deepEqual(await serving, { accepted: 1, answered: 1, dropped: 0 });
});

Deno.test("serveTime() answers time with RFC 868's four bytes", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const stop = new AbortController();
  const serving = serveTime(listener, { now: FIXED, signal: stop.signal, protocol: "time" });
  const bytes = await readAll(listener.addr.port);
  assert.equal(bytes.length, 4);
  assert.equal(decodeRfc868Time(bytes).toISOString(), "2026-11-24T01:08:48.000Z");
  stop.abort();
  await serving;
});

Deno.test("serveTime() follows the clock from one second to the next", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const stop = new AbortController();
  let now = new Date("2026-11-24T23:59:59Z");
  const serving = serveTime(listener, { now: () => now, signal: stop.signal });
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  assert.equal(decode(await readAll(listener.addr.port)), "Tue Nov 24 23:59:59 2026\n");
  now = new Date("2026-11-25T00:00:00Z");
  assert.equal(decode(await readAll(listener.addr.port)), "Wed Nov 25 00:00:00 2026\n");
  stop.abort();
  await serving;
});

Deno.test("serveTime() serves IPv6 clients on ::1", async () => {
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ hostname: "::1", port: 0 });
  } catch {
    return; // No IPv6 on this machine.
  }
  const stop = new AbortController();
  const addresses: string[] = [];
  const serving = serveTime(listener, {
    now: FIXED,
    signal: stop.signal,
    onConnection: (a) => addresses.push((a as Deno.NetAddr).hostname),
  });
  assert.equal((await readAll(listener.addr.port, "::1")).length, 25);
  stop.abort();
  await serving;
  assert.deepEqual(addresses, ["::1"]);
});

Deno.test("serveTime() serves a good client while 200 clients connect and never read", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const stop = new AbortController();
  const serving = serveTime(listener, { now: FIXED, signal: stop.signal, concurrency: 2 });
  const idle: Deno.Conn[] = [];
  for (let i = 0; i < 200; i++) {
    idle.push(await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }));
  }
  const text = new TextDecoder().decode(await readAll(listener.addr.port));
  assert.equal(text, "Tue Nov 24 01:08:48 2026\n");
  for (const conn of idle) conn.close();
  stop.abort();
  const summary = await serving;
  assert.equal(summary.accepted, 201);
});

Deno.test("serveTime() gives the slot of a stuck writer to the next client", async () => {
  const listener = new FakeListener();
  const stop = new AbortController();
  const serving = serveTime(listener.asListener(), {
    now: FIXED,
    signal: stop.signal,
    concurrency: 2,
    timeoutMs: 60_000,
  });
  const stuck = Array.from({ length: 6 }, () => new FakeConn("stuck"));
  for (const conn of stuck) listener.push(conn);
  const good = new FakeConn("ok");
  listener.push(good);
  await until(() => good.closed);
  assert.equal(new TextDecoder().decode(good.written[0]), "Tue Nov 24 01:08:48 2026\n");
  // The stuck ones still wait on the side, far from their timeout.
  assert.equal(stuck.filter((c) => c.closed).length, 0);
  // Shutdown waits for them; here their peers go away.
  stop.abort();
  for (const conn of stuck) conn.reset();
  assert.deepEqual(await serving, { accepted: 7, answered: 1, dropped: 6 });
  assert.ok(stuck.every((c) => c.closed));
});

Deno.test("serveTime() closes a connection not answered within timeoutMs", async () => {
  const listener = new FakeListener();
  const stop = new AbortController();
  const errors: unknown[] = [];
  const serving = serveTime(listener.asListener(), {
    signal: stop.signal,
    timeoutMs: 30,
    onError: (e) => errors.push(e),
  });
  const stuck = new FakeConn("stuck");
  listener.push(stuck);
  await until(() => stuck.closed);
  stop.abort();
  assert.deepEqual(await serving, { accepted: 1, answered: 0, dropped: 1 });
  assert.equal(errors.length, 0, "a timeout is not an error");
});

Deno.test("serveTime() closes writers beyond maxWaiting at once", async () => {
  const listener = new FakeListener();
  const stop = new AbortController();
  const serving = serveTime(listener.asListener(), {
    signal: stop.signal,
    concurrency: 1,
    maxWaiting: 1,
    timeoutMs: 60_000,
  });
  const stuck = [new FakeConn("stuck"), new FakeConn("stuck"), new FakeConn("stuck")] as const;
  for (const conn of stuck) listener.push(conn);
  await until(() => stuck.filter((c) => c.closed).length === 2);
  stop.abort();
  stuck[0].reset();
  assert.deepEqual(await serving, { accepted: 3, answered: 0, dropped: 3 });
});

Deno.test("serveTime() carries on after a client resets", async () => {
  const listener = new FakeListener();
  const stop = new AbortController();
  const errors: SocketError[] = [];
  const serving = serveTime(listener.asListener(), {
    now: FIXED,
    signal: stop.signal,
    onError: (e) => errors.push(e),
  });
  listener.push(new FakeConn("reset"));
  const good = new FakeConn("ok");
  listener.push(good);
  await until(() => good.closed);
  stop.abort();
  assert.deepEqual(await serving, { accepted: 2, answered: 1, dropped: 1 });
  assert.ok(errors[0] instanceof SocketError);
  assert.equal(errors[0].step, "write");
  assert.equal(errors[0].failure, "reset");
  assert.equal(errors[0].host, "192.0.2.1");
});

Deno.test("serveTime() on abort stops accepting and finishes the writes in flight", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  const stop = new AbortController();
  const serving = serveTime(listener, { now: FIXED, signal: stop.signal });
  await readAll(port);
  stop.abort();
  await serving;
  // The listener is closed: it accepts no more. (A refused connection alone proves nothing under
  // --parallel: another test may bind the freed port; so the listener itself is asked, with a
  // connection that an open one would accept.)
  const accepting = listener.accept().then((conn) => {
    conn.close();
    return "still accepting";
  }, (error) => error);
  const probe = await Deno.connect({ hostname: "127.0.0.1", port }).catch(() => undefined);
  const outcome = await accepting;
  probe?.close();
  assert.ok(outcome instanceof Deno.errors.BadResource, String(outcome));
});

Deno.test("serveTime() waits for a write in flight before resolving", async () => {
  const listener = new FakeListener();
  const stop = new AbortController();
  let accepted = false;
  const serving = serveTime(listener.asListener(), {
    signal: stop.signal,
    timeoutMs: 60_000,
    onConnection: () => (accepted = true),
  });
  const slow = new FakeConn("stuck");
  listener.push(slow);
  await until(() => accepted);
  let resolved = false;
  serving.then(() => (resolved = true));
  stop.abort();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(resolved, false);
  slow.reset();
  await serving;
  assert.ok(slow.closed);
});

Deno.test("serveTime() with an already aborted signal returns at once", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  assert.deepEqual(await serveTime(listener, { signal: AbortSignal.abort() }), {
    accepted: 0,
    answered: 0,
    dropped: 0,
  });
});

Deno.test("serveTime() rejects bad options", async () => {
  const cases = [
    { protocol: "ntp" as "time" },
    { concurrency: 0 },
    { timeoutMs: 0 },
    { timeoutMs: NaN },
  ];
  for (const options of cases) {
    using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    await assert.rejects(serveTime(listener, options), RangeError, JSON.stringify(options));
  }
});

Deno.test("serveTime() drops the connection, not the server, when the clock is broken", async () => {
  const listener = new FakeListener();
  const stop = new AbortController();
  const errors: SocketError[] = [];
  let broken = true;
  const serving = serveTime(listener.asListener(), {
    now: () => (broken ? new Date(NaN) : FIXED()),
    signal: stop.signal,
    onError: (e) => errors.push(e),
  });
  const first = new FakeConn("ok");
  listener.push(first);
  await until(() => first.closed);
  broken = false;
  const second = new FakeConn("ok");
  listener.push(second);
  await until(() => second.closed);
  stop.abort();
  assert.deepEqual(await serving, { accepted: 2, answered: 1, dropped: 1 });
  assert.equal(first.written.length, 0);
  assert.ok(errors[0]?.cause instanceof RangeError);
});
