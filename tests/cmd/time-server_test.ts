import assert from "node:assert/strict";
import { main } from "../../cmd/time-server.ts";
import { decodeRfc868Time } from "../../lib/time/rfc868_time.ts";
import { commandArgs, spawnCommand } from "../harness/command.ts";
import { runCommand } from "../harness/run.ts";
import { peerTest } from "../harness/peers.ts";

const DAYTIME_LINE =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ 1-3][0-9] \d\d:\d\d:\d\d \d{4}$/;
const LISTENING = /^Server listening on port (\d+)\.$/;

/** Runs nc as the client: it connects, reads to EOF, and prints what it got. */
async function nc(port: number, host = "127.0.0.1"): Promise<Uint8Array> {
  const { code, stdout } = await new Deno.Command("nc", {
    args: ["-w", "10", host, String(port)],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  assert.equal(code, 0);
  return stdout;
}

peerTest(
  "time-server answers nc with the %c line, logs it, exits 0 on SIGTERM",
  ["nc"],
  async () => {
    await using server = spawnCommand("time-server", ["--port", "0", "--host", "127.0.0.1"]);
    const port = Number((await server.waitForLine(LISTENING))[1]);
    for (let i = 0; i < 3; i++) {
      const text = new TextDecoder().decode(await nc(port));
      assert.ok(text.endsWith("\n") && !text.endsWith("\r\n"), JSON.stringify(text));
      assert.match(text.slice(0, -1), DAYTIME_LINE);
    }
    server.child.kill("SIGTERM");
    assert.equal((await server.child.status).code, 0);
    assert.equal(
      await server.stderr,
      "Received a connection request from 127.0.0.1.\n".repeat(3),
    );
  },
);

// nc, not curl: curl's telnet:// reads a 0xFF byte of the answer as the telnet IAC and drops it with
// the byte after it, so curl printed two bytes whenever the time held a 0xFF (one second in 256).
peerTest("time-server --protocol time answers nc with four raw bytes", ["nc"], async () => {
  await using server = spawnCommand("time-server", [
    "--port=0",
    "--host=127.0.0.1",
    "--protocol=time",
    "--quiet",
  ]);
  const port = Number((await server.waitForLine(LISTENING))[1]);
  const before = Math.floor(Date.now() / 1000);
  const stdout = await nc(port);
  const after = Math.ceil(Date.now() / 1000);
  assert.equal(stdout.length, 4);
  // Read in the era nearest this clock, as a client does (not 1968-2104: after 2104 it fails).
  const seconds = decodeRfc868Time(stdout, new Date()).getTime() / 1000;
  assert.ok(seconds >= before && seconds <= after, `${seconds} not in ${before}..${after}`);
  server.child.kill("SIGINT");
  assert.equal((await server.child.status).code, 0);
  assert.equal(await server.stderr, "", "--quiet logs nothing");
});

peerTest("time-server serves nc while 300 clients connect and never read", ["nc"], async () => {
  await using server = spawnCommand("time-server", [
    "--port",
    "0",
    "--host",
    "127.0.0.1",
    "--concurrency",
    "2",
  ]);
  const port = Number((await server.waitForLine(LISTENING))[1]);
  const idle: Deno.Conn[] = [];
  for (let i = 0; i < 300; i++) {
    idle.push(await Deno.connect({ hostname: "127.0.0.1", port }));
  }
  assert.match(new TextDecoder().decode(await nc(port)).trimEnd(), DAYTIME_LINE);
  for (const conn of idle) conn.close();
  server.child.kill("SIGTERM");
  assert.equal((await server.child.status).code, 0);
  const log = (await server.stderr).trimEnd().split("\n");
  assert.equal(log.length, 301);
});

peerTest("time-server listens on IPv4 and IPv6 by default", ["nc"], async () => {
  await using server = spawnCommand("time-server", ["--port", "0"]);
  const port = Number((await server.waitForLine(LISTENING))[1]);
  assert.match(new TextDecoder().decode(await nc(port, "127.0.0.1")).trimEnd(), DAYTIME_LINE);
  assert.match(new TextDecoder().decode(await nc(port, "::1")).trimEnd(), DAYTIME_LINE);
  server.child.kill("SIGTERM");
  assert.equal((await server.child.status).code, 0);
  // An IPv4 client of the "::" listener is logged with its IPv4 address, not "::ffff:…".
  assert.equal(
    await server.stderr,
    "Received a connection request from 127.0.0.1.\nReceived a connection request from ::1.\n",
  );
});

Deno.test("time-server stops when its signal aborts and exits 0", async () => {
  const stop = new AbortController();
  const running = main(["--port", "0", "--host", "127.0.0.1", "--quiet"], stop.signal);
  stop.abort();
  assert.equal(await running, 0);
});

Deno.test("time-server rejects bad arguments with exit 2", async () => {
  const table = [
    ["--port", "abc"],
    ["--port", "70000"],
    ["--port", "-1"],
    ["--concurrency", "0"],
    ["--concurrency", "many"],
    ["--protocol", "ntp"],
    ["--timeout", "0"],
    ["--timeout", "soon"],
    ["--bogus"],
    ["extra"],
  ];
  for (const args of table) {
    assert.equal(await main(args), 2, args.join(" "));
  }
});

Deno.test("time-server prints a usage error on stderr and exits 2, end to end", async () => {
  const { code, stdout, stderr } = await runCommand("time-server", ["--port", "abc"]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.match(stderr, /^time-server: --port: Invalid port "abc"/);
  assert.match(stderr, /Usage: time-server/);
});

Deno.test("time-server --help prints usage on stdout and exits 0", async () => {
  const { code, stdout } = await runCommand("time-server", ["--help"]);
  assert.equal(code, 0);
  assert.match(stdout, /^Usage: time-server \[--port 12345\]/);
});

Deno.test("time-server exits 1 with one line when the port is taken", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { code, stderr } = await runCommand("time-server", [
    "--host",
    "127.0.0.1",
    "--port",
    String(taken.addr.port),
  ]);
  assert.equal(code, 1);
  assert.equal(
    stderr,
    `time-server: Cannot listen on "127.0.0.1:${taken.addr.port}": address already in use\n`,
  );
});

peerTest(
  "time-server keeps serving after running out of file descriptors",
  ["sh", "nc"],
  async () => {
    // Few descriptors to spare: a burst of clients makes accept fail with "Too many open files".
    const child = new Deno.Command("sh", {
      args: [
        "-c",
        'ulimit -n 40 && exec "$0" "$@"',
        Deno.execPath(),
        ...commandArgs("time-server"),
        "--port",
        "0",
        "--host",
        "127.0.0.1",
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let stdout = "";
    while (!LISTENING.test(stdout.split("\n")[0] ?? "")) {
      stdout += (await reader.read()).value ?? "";
    }
    const port = Number(stdout.match(/port (\d+)/)![1]);
    const burst = await Promise.all(
      Array.from({ length: 200 }, () => Deno.connect({ hostname: "127.0.0.1", port })),
    );
    for (const conn of burst) conn.close();
    assert.match(new TextDecoder().decode(await nc(port)).trimEnd(), DAYTIME_LINE);
    child.kill("SIGTERM");
    assert.equal((await child.status).code, 0);
    await reader.cancel();
    for (const line of (await stderr).trimEnd().split("\n")) {
      assert.match(
        line,
        /^(Received a connection request from 127\.0\.0\.1\.|time-server: Cannot accept on "127\.0\.0\.1:\d+": .*)$/,
      );
    }
  },
);

peerTest("time-server --udp answers nc's datagram with the daytime line", ["nc"], async () => {
  await using server = spawnCommand("time-server", ["--port=0", "--host=127.0.0.1", "--udp"]);
  const port = Number((await server.waitForLine(LISTENING))[1]);
  // nc -u sends the newline it reads and prints the one datagram that comes back.
  const nc = new Deno.Command("nc", {
    args: ["-u", "-w", "2", "127.0.0.1", String(port)],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = nc.stdin.getWriter();
  await writer.write(new TextEncoder().encode("\n"));
  const reader = nc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) text += (await reader.read()).value ?? "";
  await writer.close();
  await reader.cancel();
  nc.kill("SIGTERM");
  await nc.status;
  assert.match(text, /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d \d{4}\n$/);
  server.child.kill("SIGTERM");
  assert.equal((await server.child.status).code, 0);
  assert.match(await server.stderr, /^Received a connection request from 127\.0\.0\.1\.\n/);
});

Deno.test("time-server --udp --protocol time answers time-client --udp", async () => {
  await using server = spawnCommand("time-server", [
    ...["--port=0", "--host=127.0.0.1", "--udp", "--protocol=time", "--quiet"],
  ]);
  const port = Number((await server.waitForLine(LISTENING))[1]);
  const result = await runCommand("time-client", [
    ...["127.0.0.1", String(port), "--udp", "--protocol", "time"],
  ]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d \d{4}\n$/);
  server.child.kill("SIGINT");
  assert.equal((await server.child.status).code, 0);
});

/** The port of the "Server listening on port N." line, the first `stdout` has; then stdout is closed. */
async function listeningPort(stdout: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`time-server ended before listening: ${JSON.stringify(text)}`);
    text += value;
  }
  await reader.cancel();
  return Number(LISTENING.exec(text.slice(0, text.indexOf("\n")))![1]);
}

Deno.test("time-server stops on SIGTERM while its stderr is a full pipe nobody reads", async () => {
  // Port 0 and the port it prints: a port found free beforehand may be another test's by the
  // time the server binds it, and waitForPort would then find that test's listener.
  const child = new Deno.Command(Deno.execPath(), {
    args: [...commandArgs("time-server"), "--port", "0", "--host", "127.0.0.1"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped", // never read: a pipe holds 64 KiB, the log lines below are ~115 KiB
  }).spawn();
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    const port = await listeningPort(child.stdout);
    for (let i = 0; i < 2500; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await new Response(conn.readable).arrayBuffer();
    }
    child.kill("SIGTERM");
    const status = await child.status;
    assert.deepEqual([status.code, status.signal], [0, null]);
  } finally {
    clearTimeout(killer);
    await child.stderr.cancel();
  }
});
