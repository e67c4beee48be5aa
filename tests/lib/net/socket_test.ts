import assert from "node:assert/strict";
import { createClientSocket, createServerSocket, parsePort } from "../../../lib/net/socket.ts";
import { classifySocketError, SocketError } from "../../../lib/net/socket_error.ts";
import { NetkitError } from "../../../lib/io/netkit_error.ts";
import { refusedNet, runWithNetGrant } from "../../harness/least_privilege.ts";

Deno.test("parsePort() accepts 1 to 65535 and 0 only when allowed", () => {
  assert.equal(parsePort("1"), 1);
  assert.equal(parsePort("65535"), 65535);
  assert.equal(parsePort(8080), 8080);
  assert.equal(parsePort("0", { allowZero: true }), 0);
});

Deno.test("parsePort() rejects hostile input with a RangeError", () => {
  const hostile = [
    "",
    "abc",
    "0",
    "70000",
    "65536",
    " 80",
    "80 ",
    "0x50",
    "8e1",
    "-1",
    "1.5",
    "+80",
  ];
  for (const value of hostile) {
    assert.throws(() => parsePort(value), RangeError, `accepted ${JSON.stringify(value)}`);
  }
  assert.throws(() => parsePort(-1), RangeError);
  assert.throws(() => parsePort("100000", { allowZero: true }), RangeError);
});

Deno.test("createServerSocket() on port 0 gives an ephemeral port readable from .addr", async () => {
  using listener = createServerSocket(0, { hostname: "127.0.0.1" });
  const { port } = listener.addr;
  assert.ok(port > 0);
  const accepted = listener.accept();
  using client = await createClientSocket("127.0.0.1", port);
  using server = await accepted;
  await server.write(new TextEncoder().encode("hi"));
  const buffer = new Uint8Array(2);
  assert.equal(await client.read(buffer), 2);
  assert.equal(new TextDecoder().decode(buffer), "hi");
});

Deno.test("createServerSocket() by default serves IPv4 and IPv6 clients alike", async () => {
  using listener = createServerSocket(0);
  const { port } = listener.addr;
  for (const host of ["127.0.0.1", "::1", "[::1]"]) {
    const accepted = listener.accept();
    using _client = await createClientSocket(host, port);
    using conn = await accepted;
    assert.ok((conn.remoteAddr as Deno.NetAddr).hostname.length > 0);
  }
});

Deno.test("createServerSocket() reports an address in use as a bind SocketError", () => {
  using first = createServerSocket(0, { hostname: "127.0.0.1" });
  assert.throws(() => createServerSocket(first.addr.port, { hostname: "127.0.0.1" }), (e) => {
    assert.ok(e instanceof SocketError);
    assert.equal(e.step, "bind");
    assert.equal(e.failure, "address-in-use");
    assert.equal(e.port, first.addr.port);
    assert.match(e.message, /^Cannot listen on "127\.0\.0\.1:\d+": address already in use$/);
    return true;
  });
});

Deno.test("createServerSocket() rejects bad ports before any system call", () => {
  assert.throws(() => createServerSocket(70000), RangeError);
  assert.throws(() => createServerSocket("abc"), RangeError);
});

Deno.test("createClientSocket() names a refused connection", async () => {
  const listener = createServerSocket(0, { hostname: "127.0.0.1" });
  const { port } = listener.addr;
  listener.close();
  await assert.rejects(createClientSocket("127.0.0.1", port), (e: unknown) => {
    assert.ok(e instanceof SocketError);
    assert.equal(e.step, "connect");
    assert.equal(e.failure, "refused");
    assert.equal(e.message, `Cannot connect to "127.0.0.1:${port}": connection refused`);
    assert.ok(e.cause instanceof Error);
    return true;
  });
});

Deno.test("createClientSocket() rejects bad ports with a RangeError", async () => {
  for (const port of ["abc", "0", "70000", 0]) {
    await assert.rejects(createClientSocket("127.0.0.1", port), RangeError);
  }
});

Deno.test("createClientSocket() reports an unknown host as a resolve failure", async () => {
  await assert.rejects(
    createClientSocket("no-such-host.invalid", 80, { timeoutMs: 5000 }),
    (e: unknown) => {
      assert.ok(e instanceof SocketError);
      assert.ok(e.step === "resolve" || e.failure === "timed-out", e.message);
      return true;
    },
  );
});

Deno.test("createClientSocket() rejects with the reason of a signal aborted already", async () => {
  const reason = new Error("cancelled before starting");
  await assert.rejects(
    createClientSocket("127.0.0.1", 9, { signal: AbortSignal.abort(reason) }),
    (e: unknown) => e === reason,
  );
});

/**
 * A listener whose accept queue is full (it never accepts), so that a further connect waits for
 * the SYN it dropped to be retried: a connect that hangs, on loopback.
 */
async function hangingListener(): Promise<{ port: number } & Disposable> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const conns: Deno.Conn[] = [];
  const close = () => {
    for (const conn of conns) conn.close();
    listener.close();
  };
  try {
    // A queued connect completes in well under a millisecond; a dropped SYN is retried after a
    // second. Two probes in a row that wait 300 ms tell a full queue from a busy machine.
    let waited = 0;
    while (waited < 2) {
      const timer = new AbortController();
      const id = setTimeout(() => timer.abort(), 300);
      try {
        conns.push(await Deno.connect({ hostname: "127.0.0.1", port, signal: timer.signal }));
        waited = 0;
      } catch {
        waited++;
      } finally {
        clearTimeout(id);
      }
      if (conns.length > 10_000) throw new Error("The accept queue never filled");
    }
  } catch (error) {
    close();
    throw error;
  }
  return { port, [Symbol.dispose]: close };
}

/** The inodes of this machine's sockets in SYN-SENT (connecting) to 127.0.0.1:`port`. */
function connectingTo(port: number): Set<string> {
  const inodes = new Set<string>();
  for (const line of Deno.readTextFileSync("/proc/net/tcp").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    // State 02: SYN-SENT; 0100007F: 127.0.0.1.
    if (
      fields[2] === `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}` &&
      fields[3] === "02"
    ) {
      inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/** Far above any load: the connect it guards would otherwise wait out the kernel's SYN retries (minutes). */
const HANG_GUARD_MS = 30_000;

Deno.test("createClientSocket() rejects with signal.reason when aborted mid-connect, without waiting for the connect", async () => {
  using target = await hangingListener();
  const before = connectingTo(target.port);
  const controller = new AbortController();
  const reason = new Error("user pressed ^C");
  let settled = false;
  const connecting = createClientSocket("127.0.0.1", target.port, { signal: controller.signal })
    .then(() => undefined, (error) => error)
    .finally(() => (settled = true));
  // Abort once the kernel sends our SYN (a connecting socket to the port that was not there before),
  // not after a fixed sleep that a busy machine may outlast or not reach.
  while ([...connectingTo(target.port)].every((inode) => before.has(inode))) {
    assert.equal(settled, false, "the connect ended before it was aborted");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  assert.equal(settled, false, "the connect ended before it was aborted");
  controller.abort(reason);
  let guard: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise((resolve) => (guard = setTimeout(() => resolve("hang"), HANG_GUARD_MS)));
  try {
    assert.equal(await Promise.race([connecting, hang]), reason);
  } finally {
    clearTimeout(guard);
  }
});

Deno.test("createClientSocket() connectTimeoutMs gives a TIMEOUT SocketError", async () => {
  using target = await hangingListener();
  await assert.rejects(
    createClientSocket("127.0.0.1", target.port, { connectTimeoutMs: 50 }),
    (e: unknown) => {
      assert.ok(e instanceof SocketError);
      assert.ok(e instanceof NetkitError);
      assert.equal(e.failure, "timed-out");
      assert.equal(e.code, "TIMEOUT");
      return true;
    },
  );
});

Deno.test("createClientSocket() gives ECONNREFUSED as the code of a refused connection", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await assert.rejects(createClientSocket("127.0.0.1", port), { code: "ECONNREFUSED" });
});

Deno.test("classifySocketError() maps Deno errors and messages", () => {
  assert.equal(classifySocketError(new Deno.errors.ConnectionReset("x")), "reset");
  assert.equal(classifySocketError(new Deno.errors.TimedOut("x")), "timed-out");
  assert.equal(classifySocketError(new Error("No route to host (os error 113)")), "unreachable");
  assert.equal(classifySocketError(new Error("something odd")), "other");
});

Deno.test("Sockets the grant does not reach fail with a MissingPermissionError naming the flag", async () => {
  const { port, outcomes } = await runWithNetGrant("net_least_privilege.ts");
  const other = `127.0.0.1:${port === 65535 ? port - 1 : port + 1}`;
  assert.deepEqual(outcomes, {
    connect: refusedNet(other),
    connectByName: refusedNet(`localhost:${port}`),
    listen: refusedNet(other),
    tls: refusedNet(other),
    http: refusedNet(other),
    https: refusedNet(other),
    serveHttp: refusedNet(other),
  });
});
