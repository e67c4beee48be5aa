import assert from "node:assert/strict";
import { main } from "../../cmd/time-client.ts";
import { serveTime } from "../../lib/time/server.ts";
import { startUdpTimeServer } from "../../lib/time/udp_server.ts";
import { formatCTime } from "../../lib/time/ctime.ts";
import { runCommand } from "../harness/run.ts";
import { missingPeer, peerPath, peerTest, tempDir } from "../harness/peers.ts";
import { refusedPort } from "../harness/refused_port.ts";
import { commandArgs } from "../harness/run.ts";
import { startXinetd } from "../harness/xinetd.ts";

const UNREACHABLE = "Time server could not be reached.\nAborting\n";
/**
 * xinetd's daytime line, e.g. "24 NOV 2026 01:52:55 UTC": its zone is strftime's %Z of the local
 * time zone, letters ("UTC", "CET") or, for zones tzdata names none, digits ("+1345", "-03").
 */
const XINETD_DAYTIME = /^\d{1,2} [A-Z]{3} \d{4} \d\d:\d\d:\d\d ([A-Z]+|[+-]\d{2}(\d{2})?)\n$/;

peerTest(
  "time-client prints the line of xinetd's built-in daytime service",
  ["xinetd"],
  async () => {
    await using xinetd = await startXinetd([{ name: "daytime", socketType: "stream" }]);
    const { port } = xinetd;
    const { code, stdout, stderr } = await runCommand("time-client", ["127.0.0.1", String(port)]);
    assert.equal(stderr, "");
    assert.equal(code, 0);
    // xinetd's format: "24 NOV 2026 01:52:55 UTC", sent with CRLF (printed without the CR).
    assert.match(stdout, XINETD_DAYTIME);
  },
);

Deno.test("time-client prints the line of our time-server", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const stop = new AbortController();
  const serving = serveTime(listener, {
    now: () => new Date("2026-11-24T01:08:48Z"),
    signal: stop.signal,
  });
  const result = await runCommand("time-client", ["127.0.0.1", String(listener.addr.port)]);
  stop.abort();
  await serving;
  assert.deepEqual([result.code, result.stdout, result.stderr], [
    0,
    "Tue Nov 24 01:08:48 2026\n",
    "",
  ]);
});

Deno.test("time-client reports a refused connection, then the lecture's two lines", async () => {
  using refused = refusedPort();
  const port = refused.port;
  const { code, stdout, stderr } = await runCommand("time-client", ["127.0.0.1", String(port)]);
  assert.deepEqual([code, stdout, stderr], [
    1,
    "",
    `time-client: Cannot connect to "127.0.0.1:${port}": connection refused\n${UNREACHABLE}`,
  ]);
});

Deno.test("time-client reports a name that does not resolve, then the lecture's two lines", async () => {
  for (const args of [["no-such-host.invalid", "13"], ["no-such-host.invalid", "13", "--udp"]]) {
    const { code, stderr } = await runCommand("time-client", args);
    assert.deepEqual([code, stderr], [
      1,
      `time-client: Cannot resolve "no-such-host.invalid": host not found\n${UNREACHABLE}`,
    ], args.join(" "));
  }
});

Deno.test("time-client gives up on a server that never answers after --timeout", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const result = await runCommand("time-client", [
    "127.0.0.1",
    String(listener.addr.port),
    "--timeout",
    "0.3",
  ]);
  (await accepted).close();
  assert.deepEqual([result.code, result.stderr], [
    1,
    `time-client: No answer from "127.0.0.1:${listener.addr.port}": timed out after 0.3 s\n${UNREACHABLE}`,
  ]);
});

Deno.test("time-client exits 1 when the server closes without a line", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.accept().then((conn) => conn.close());
  const { code, stderr } = await runCommand("time-client", [
    "127.0.0.1",
    String(listener.addr.port),
  ]);
  assert.equal(code, 1);
  assert.equal(
    stderr,
    `time-client: "127.0.0.1:${listener.addr.port}" closed the connection without sending the time\n${UNREACHABLE}`,
  );
});

Deno.test("time-client with the wrong argument count prints the usage and exits 2", async () => {
  for (const args of [[], ["127.0.0.1"], ["127.0.0.1", "13", "extra"]]) {
    const { code, stdout, stderr } = await runCommand("time-client", args);
    assert.equal(code, 2, args.join(" "));
    assert.equal(stdout, "");
    assert.match(stderr, /Usage: time-client HOST PORT/);
    assert.match(stderr, /e\.g\. time-client 127\.0\.0\.1 12345/);
  }
});

Deno.test("time-client rejects bad ports and timeouts with exit 2", async () => {
  const table = [
    ["127.0.0.1", "abc"],
    ["127.0.0.1", "0"],
    ["127.0.0.1", "70000"],
    ["127.0.0.1", "13", "--timeout", "x"],
    ["127.0.0.1", "13", "--timeout", "0"],
    ["127.0.0.1", "13", "--bogus"],
    ["127.0.0.1", "13", "--protocol", "ntp"],
  ];
  for (const args of table) assert.equal(await main(args), 2, args.join(" "));
});

Deno.test("time-client --udp gives up on a silent UDP port with its reason", async () => {
  // A bound UDP socket nobody answers on: no ICMP error, only silence.
  const { default: dgram } = await import("node:dgram");
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  const port = socket.address().port;
  const result = await runCommand("time-client", [
    "127.0.0.1",
    String(port),
    "--udp",
    "--timeout",
    "0.3",
  ]);
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  assert.deepEqual([result.code, result.stderr], [
    1,
    `time-client: No answer from "127.0.0.1:${port}": timed out after 0.3 s\n${UNREACHABLE}`,
  ]);
});

peerTest(
  "time-client prints xinetd's time service (RFC 868, TCP and UDP) as the %c line",
  ["xinetd"],
  async () => {
    await using xinetd = await startXinetd([
      { name: "time", socketType: "stream" },
      { name: "time", socketType: "dgram" },
    ]);
    const { port } = xinetd;
    for (const extra of [[], ["--udp"]]) {
      const before = Math.floor(Date.now() / 1000);
      const { code, stdout, stderr } = await runCommand("time-client", [
        ...["127.0.0.1", String(port), "--protocol", "time"],
        ...extra,
      ]);
      const after = Math.floor(Date.now() / 1000);
      assert.deepEqual([code, stderr], [0, ""], extra.join(" "));
      // One of the seconds the run spanned, as glibc's %c in UTC prints it.
      const lines = [];
      for (let second = before; second <= after; second++) {
        lines.push(`${formatCTime(new Date(second * 1000))}\n`);
      }
      assert.ok(lines.includes(stdout), `${JSON.stringify(stdout)} not in ${lines}`);
    }
  },
);

peerTest("time-client --udp prints xinetd's UDP daytime line", ["xinetd"], async () => {
  await using xinetd = await startXinetd([{ name: "daytime", socketType: "dgram" }]);
  const { port } = xinetd;
  const { code, stdout, stderr } = await runCommand("time-client", [
    ...["127.0.0.1", String(port), "--udp"],
  ]);
  assert.deepEqual([code, stderr], [0, ""]);
  assert.match(stdout, XINETD_DAYTIME);
});

Deno.test("time-client --protocol time [--udp] reads our time-server, TCP and UDP", async () => {
  // A second near the client's clock, which picks the era it reads RFC 868's count in: a fixed
  // date (2026) would be read 136 years on by a client whose clock is past 2094.
  const served = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + 48_000);
  const now = () => served;
  const line = `${formatCTime(served)}\n`;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const stop = new AbortController();
  const serving = serveTime(listener, { now, protocol: "time", signal: stop.signal });
  await using udp = await startUdpTimeServer(0, { hostname: "127.0.0.1", now, protocol: "time" });
  const tcp = await runCommand("time-client", [
    ...["127.0.0.1", String(listener.addr.port), "--protocol", "time"],
  ]);
  const overUdp = await runCommand("time-client", [
    ...["127.0.0.1", String(udp.port), "--protocol", "time", "--udp"],
  ]);
  stop.abort();
  await serving;
  assert.deepEqual([tcp.code, tcp.stdout, tcp.stderr], [0, line, ""]);
  assert.deepEqual([overUdp.code, overUdp.stdout, overUdp.stderr], [0, line, ""]);
});

Deno.test("time-client --protocol time says so when the server closes after 2 of 4 bytes", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.accept().then(async (conn) => {
    await conn.write(new Uint8Array([0xe9, 0x0f]));
    conn.close();
  });
  const { code, stdout, stderr } = await runCommand("time-client", [
    ...["127.0.0.1", String(listener.addr.port), "--protocol", "time"],
  ]);
  assert.deepEqual([code, stdout], [1, ""]);
  assert.match(stderr, /closed the connection without sending the time\nTime server could not/);
});

/** Why `unshare -n` (a network namespace, where port 37 is free for BusyBox rdate) cannot run. */
function netNamespaceUnavailable(): string | undefined {
  if (Deno.uid() !== 0) return "needs root for unshare -n";
  for (const tool of ["unshare", "ip"]) {
    if (!peerPath(tool)) return `"${tool}" is not installed`;
  }
  const probe = new Deno.Command("unshare", { args: ["-n", "true"], stderr: "null" }).outputSync();
  return probe.success ? undefined : "unshare -n is not permitted here";
}

/** "YYYY-MM-DD hh:mm:ss" in UTC, as faketime takes an absolute time. */
function fakeTimeSpec(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Runs, in a network namespace of its own, xinetd's built-in RFC 868 time service (TCP and UDP) on
 * port 37 with its clock frozen at `serverClock` by faketime, then BusyBox rdate -p (TCP; its port
 * is 37) and time-client --protocol time over TCP and UDP, time-client with its clock at
 * `clientClock` (faketime, frozen too) when given. Returns the four lines printed, by name.
 */
async function readFakedTimeService(serverClock: Date, clientClock?: Date) {
  await using dir = await tempDir();
  const config = [
    ...["defaults", "{", "}"],
    ...(["stream", "dgram"] as const).flatMap((type) => [
      "service time",
      "{",
      "  type = INTERNAL UNLISTED",
      `  id = time-${type}`,
      `  socket_type = ${type}`,
      `  protocol = ${type === "stream" ? "tcp" : "udp"}`,
      `  wait = ${type === "stream" ? "no" : "yes"}`,
      "  port = 37",
      "  bind = 127.0.0.1",
      "  disable = no",
      "}",
    ]),
  ].join("\n");
  await Deno.writeTextFile(`${dir.path}/xinetd.conf`, `${config}\n`);
  // The client's monotonic clock is left alone (FAKETIME_DONT_FAKE_MONOTONIC), so its timers run.
  const client = clientClock
    ? `env FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "${fakeTimeSpec(clientClock)}" `
    : "";
  const timeClient = `${client}"${Deno.execPath()}" ${commandArgs("time-client").join(" ")}`;
  // TZ=UTC: faketime reads its "YYYY-MM-DD hh:mm:ss" in the local time zone.
  const script = `
    set -e
    export TZ=UTC
    ip link set lo up
    faketime -f "${fakeTimeSpec(serverClock)}" xinetd -dontfork -f "$1/xinetd.conf" \\
      -filelog "$1/xinetd.log" -pidfile "$1/xinetd.pid" &
    # faketime runs xinetd as its child: the pid to stop is xinetd's own, from its pidfile.
    trap 'kill "$(cat "$1/xinetd.pid")"' EXIT
    i=0
    until grep -q "Started working" "$1/xinetd.log" 2>/dev/null; do
      i=$((i + 1)); [ $i -lt 600 ] || { echo "xinetd did not start" >&2; exit 3; }; sleep 0.05
    done
    echo "rdate $(busybox rdate -p 127.0.0.1 2>>"$1/clients.err")"
    echo "tcp $(${timeClient} 127.0.0.1 37 --protocol time 2>>"$1/clients.err")"
    echo "udp $(${timeClient} 127.0.0.1 37 --protocol time --udp 2>>"$1/clients.err")"
  `;
  const output = await new Deno.Command("unshare", {
    args: ["-n", "sh", "-c", script, "sh", dir.path],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  const lines = new TextDecoder().decode(output.stdout).trimEnd().split("\n");
  const read = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(" ")), line.slice(line.indexOf(" ") + 1)]),
  );
  // A client that printed nothing: its own words, and xinetd's log, say why.
  const why = async (name: string) =>
    await Deno.readTextFile(`${dir.path}/${name}`).catch(() => "");
  if (!read.rdate || !read.tcp || !read.udp) {
    throw new Error(
      `a client printed no time: ${JSON.stringify(lines)}\n` +
        `clients' stderr:\n${await why("clients.err")}\nxinetd.log:\n${await why("xinetd.log")}`,
    );
  }
  return read;
}

const FAKED_ERA_PEERS = ["xinetd", "faketime", "busybox"];
const FAKED_ERA_IGNORE = missingPeer(FAKED_ERA_PEERS) ?? netNamespaceUnavailable();

Deno.test({
  name: `time-client reads RFC 868 bytes as BusyBox rdate does: the era nearest its own clock${
    FAKED_ERA_IGNORE ? ` (ignored: ${FAKED_ERA_IGNORE})` : ""
  }`,
  ignore: FAKED_ERA_IGNORE !== undefined,
  async fn() {
    // A server 2^31 s + 1 day ahead of the (real) client clocks: its count is read 136 years back,
    // in the era nearest the client's clock, as rdate reads it. A fixed window (1968 to 2104) read
    // it as sent while the real clock is before 2036, and 136 years back after.
    const real = Math.floor(Date.now() / 1000) * 1000;
    const server = new Date(real + (2 ** 31 + 86_400) * 1000);
    const read = await readFakedTimeService(server);
    const expected = formatCTime(new Date(server.getTime() - 2 ** 32 * 1000));
    assert.deepEqual(read, { rdate: expected, tcp: expected, udp: expected });
  },
});

Deno.test({
  name: `time-client at 2110 reads xinetd's time at 2110, and across the 2036 wrap${
    FAKED_ERA_IGNORE ? ` (ignored: ${FAKED_ERA_IGNORE})` : ""
  }`,
  ignore: FAKED_ERA_IGNORE !== undefined,
  async fn() {
    // 2110: past 2104, where a count read in a fixed window 1968-2104 comes out as 1973.
    const in2110 = new Date("2110-01-01T00:00:00Z");
    const later = await readFakedTimeService(in2110, in2110);
    assert.equal(later.tcp, "Wed Jan  1 00:00:00 2110");
    assert.equal(later.udp, "Wed Jan  1 00:00:00 2110");
    // One second before and after the wrap (count 0xFFFFFFFF, then 0), the client at the wrap.
    const wrap = new Date("2036-02-07T06:28:16Z");
    for (const offset of [-1000, 0, 1000]) {
      const server = new Date(wrap.getTime() + offset);
      const read = await readFakedTimeService(server, wrap);
      const expected = formatCTime(server);
      assert.deepEqual(read, { rdate: expected, tcp: expected, udp: expected }, String(offset));
    }
  },
});
