import assert from "node:assert/strict";
import { peerPath, peerTest, tempDir, waitForPort } from "../harness/peers.ts";
import { readPrintedPort } from "../harness/printed_port.ts";
import { type DenoServer, startDenoServer } from "../harness/deno_server.ts";

const SERVER = new URL("../../cmd/lexical-server.ts", import.meta.url).pathname;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function startServer(
  args: string[],
  host: string[] = ["--host", "127.0.0.1"],
): Promise<DenoServer> {
  // Listening on :: by default takes the port in both families.
  const portFreeOn = host.length === 0 ? "::" : "127.0.0.1";
  return startDenoServer(
    (port) => ["run", "-A", SERVER, ...args, "--port", String(port), ...host],
    { portFreeOn },
  );
}

async function readToEnd(conn: Deno.Conn): Promise<string> {
  const buffer = new Uint8Array(65536);
  let text = "";
  for (;;) {
    const n = await conn.read(buffer).catch(() => null);
    if (n === null) return text;
    text += decoder.decode(buffer.subarray(0, n));
  }
}

async function exchange(port: number, text: string, hostname = "127.0.0.1"): Promise<string> {
  using conn = await Deno.connect({ hostname, port });
  await conn.write(encoder.encode(text));
  return await readToEnd(conn);
}

Deno.test("lexical-server listens on :: by default, for IPv4 and IPv6 clients", async () => {
  await using server = await startServer(["--quiet", "--workers", "1"], []);
  await waitForPort(server.port, "::1");
  for (const host of ["127.0.0.1", "[::1]"]) {
    const response = await fetch(`http://${host}:${server.port}/lexical`);
    assert.equal(response.status, 200, host);
    assert.equal((await response.json()).possibilities[0], "lexical");
  }
});

Deno.test("lexical-server answers JSON 414 for a 64 KiB path, 400 naming %3F for a ?, 400 without Host", async () => {
  await using server = await startServer(["--quiet", "--workers", "1"]);
  const long = await exchange(server.port, `GET /${"a".repeat(65536)} HTTP/1.1\r\nHost: a\r\n\r\n`);
  assert.match(long, /^HTTP\/1\.1 414 /);
  assert.match(long, /content-type: application\/json; charset=utf-8\r\n/);
  assert.equal(typeof JSON.parse(long.slice(long.indexOf("\r\n\r\n") + 4)).error, "string");
  const query = await fetch(`http://127.0.0.1:${server.port}/qu?ck`);
  assert.equal(query.status, 400);
  assert.match((await query.json()).error, /%3F/);
  const noHost = await exchange(server.port, "GET /abc HTTP/1.1\r\n\r\n");
  assert.match(noHost, /^HTTP\/1\.1 400 /);
});

Deno.test("lexical-server closes a dripping head at --header-timeout and an idle one at --idle-timeout", async () => {
  await using server = await startServer([
    "--quiet",
    "--workers",
    "1",
    "--header-timeout",
    "0.5",
    "--idle-timeout",
    "0.5",
  ]);
  using silent = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await silent.write(encoder.encode("GET /abc HTTP/1.1\r\nHost: a\r\n"));
  assert.equal(await readToEnd(silent), "");
  using idle = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await idle.write(encoder.encode("GET /abc HTTP/1.1\r\nHost: a\r\n\r\n"));
  assert.match(await readToEnd(idle), /^HTTP\/1\.1 200 OK/);
});

Deno.test("lexical-server answers a request in flight on SIGTERM, then exits 0", async () => {
  await using dir = await tempDir("netkit_lexical_term_");
  const finder = `${dir.path}/slow-finder`;
  const started = `${dir.path}/started`;
  // Slow for every rack but "e": lexical-server runs its finder once at start-up with that rack.
  await Deno.writeTextFile(
    finder,
    `#!/bin/sh\nfor last; do :; done\nif [ "$last" != e ]; then touch ${started}; sleep 1; fi\n` +
      "echo slow\n",
  );
  await Deno.chmod(finder, 0o755);
  const server = await startServer([
    "--quiet",
    "--finder",
    "subprocess",
    "--finder-command",
    finder,
  ]);
  try {
    const answer = fetch(`http://127.0.0.1:${server.port}/slow`);
    for (;;) {
      try {
        await Deno.stat(started);
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    const stopped = server.stop("SIGTERM");
    const response = await answer;
    assert.equal(response.status, 200);
    assert.deepEqual((await response.json()).possibilities, ["slow"]);
    const { code, stderr } = await stopped;
    assert.equal(code, 0, stderr);
  } finally {
    await server.stop("SIGKILL");
  }
});

peerTest(
  "lexical-server survives running out of descriptors (ulimit -n 64)",
  ["bash"],
  async () => {
    const child = new Deno.Command("bash", {
      args: [
        "-c",
        `ulimit -n 64 && exec "${Deno.execPath()}" run -A "${SERVER}" --quiet --workers 1 --host 127.0.0.1 --port 0`,
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Port 0, and the port it prints: a port found free beforehand could be taken before it binds.
    const { port, seen } = await readPrintedPort(
      child.stderr,
      /lexical-server: Listening on http:\/\/127\.0\.0\.1:(\d+)\//,
    );
    const stderr = Array.fromAsync(child.stderr.pipeThrough(new TextDecoderStream()))
      .then((rest) => seen + rest.join(""));
    const held: Deno.Conn[] = [];
    try {
      // Hold more kept-alive connections than the server has descriptors for.
      for (let i = 0; i < 80; i++) {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        held.push(conn);
        await conn.write(encoder.encode("GET /abc HTTP/1.1\r\nHost: a\r\n\r\n"));
      }
      // A new client is still served: idle connections are reclaimed to make room.
      const response = await fetch(`http://127.0.0.1:${port}/lexical`, {
        signal: AbortSignal.timeout(20_000),
      });
      assert.equal(response.status, 200);
      assert.equal((await response.json()).possibilities[0], "lexical");
    } finally {
      for (const conn of held) conn.close();
      child.kill("SIGTERM");
      const status = await child.status;
      assert.equal(status.code, 0, await stderr);
    }
  },
);

peerTest("lexical-server serves HTTPS with --cert and --key", ["openssl", "curl"], async () => {
  const { makeCertificate } = await import("../harness/nginx.ts");
  await using dir = await tempDir("netkit_lexical_tls_");
  const { cert, key } = await makeCertificate(dir.path);
  await using server = await startServer([
    "--quiet",
    "--workers",
    "1",
    "--cert",
    cert,
    "--key",
    key,
  ]);
  const output = await new Deno.Command(peerPath("curl")!, {
    args: ["-s", "--cacert", cert, `https://127.0.0.1:${server.port}/lexical`],
    stdout: "piped",
  }).output();
  assert.equal(output.code, 0);
  assert.equal(JSON.parse(decoder.decode(output.stdout)).possibilities[0], "lexical");
});

Deno.test("lexical-server --access-log logs each answer in the common log format", async () => {
  const server = await startServer(["--quiet", "--workers", "1", "--access-log"]);
  try {
    await (await fetch(`http://127.0.0.1:${server.port}/lexical`)).text();
    await (await fetch(`http://127.0.0.1:${server.port}/lexical`)).text();
  } finally {
    const { code, stderr } = await server.stop("SIGTERM");
    assert.equal(code, 0, stderr);
    const lines = stderr.split("\n").filter((line) => line.includes('"GET /lexical HTTP/1.1"'));
    assert.equal(lines.length, 2, stderr);
    assert.ok(
      lines.every((line) =>
        /^127\.0\.0\.1 - - \[.+\] "GET \/lexical HTTP\/1\.1" 200 \d+$/.test(line)
      ),
    );
    assert.ok(!stderr.includes("Received a connection request"), "--quiet");
  }
});

Deno.test("lexical-server --listeners 2 serves on one port from two threads and stops on SIGTERM", async () => {
  const server = await startDenoServer((port) => [
    "run",
    "-A",
    "--unstable-net",
    SERVER,
    "--workers",
    "2",
    "--listeners",
    "2",
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
  ]);
  try {
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const client = Deno.createHttpClient({});
        try {
          const response = await fetch(`http://127.0.0.1:${server.port}/lexical`, { client });
          return (await response.json()).possibilities[0];
        } finally {
          client.close();
        }
      }),
    );
    assert.ok(answers.every((word) => word === "lexical"), String(answers));
  } finally {
    const { code, stderr } = await server.stop("SIGTERM");
    assert.equal(code, 0, stderr);
    assert.match(stderr, /\(worker, 2 listeners\)/);
  }
});

Deno.test("lexical-server --listeners 2 without --unstable-net says what it needs", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    // --no-config: netkit's deno.json turns the unstable net API on for everything it runs.
    args: [
      "run",
      "--no-config",
      "-A",
      SERVER,
      "--listeners",
      "2",
      "--port",
      "0",
      "--host",
      "127.0.0.1",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 1);
  assert.match(decoder.decode(output.stderr), /--listeners needs the unstable net API/);
});
