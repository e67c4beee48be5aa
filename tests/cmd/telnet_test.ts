import assert from "node:assert/strict";
import { main } from "../../cmd/telnet.ts";
import { TELNET } from "../../lib/telnet/filter.ts";
import { commandArgs } from "../harness/command.ts";
import { runCommand } from "../harness/run.ts";
import { peerTest, startPeerOnFreePort, tempDir } from "../harness/peers.ts";
import { refusedPort } from "../harness/refused_port.ts";
import { startXinetd } from "../harness/xinetd.ts";

const { DO, DONT, IAC, SB, SE, WILL, WONT } = TELNET;

const CLOSED = "Connection closed by foreign host.\n";

peerTest("telnet prints nginx's response to a piped HTTP request", ["nginx"], async () => {
  await using dir = await tempDir();
  await Deno.mkdir(`${dir.path}/www`);
  await Deno.writeTextFile(`${dir.path}/www/index.html`, "hello from nginx\n");
  const config = `${dir.path}/nginx.conf`;
  await using nginx = await startPeerOnFreePort(async (port) => {
    await Deno.writeTextFile(
      config,
      `daemon off;
master_process off;
worker_processes 1;
pid ${dir.path}/nginx.pid;
error_log ${dir.path}/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir.path}/body;
  proxy_temp_path ${dir.path}/proxy;
  fastcgi_temp_path ${dir.path}/fastcgi;
  uwsgi_temp_path ${dir.path}/uwsgi;
  scgi_temp_path ${dir.path}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir.path}/www;
  }
}
`,
    );
    return ["nginx", "-c", config, "-p", dir.path, "-e", `${dir.path}/error.log`];
  });
  const { port } = nginx;
  const { code, stdout, stderr } = await runCommand(
    "telnet",
    ["127.0.0.1", String(port)],
    "GET / HTTP/1.0\r\n\r\n",
  );
  assert.equal(code, 0);
  assert.match(stdout, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(stdout, /\r\nServer: nginx/);
  assert.ok(stdout.endsWith("\r\n\r\nhello from nginx\n"), stdout);
  assert.equal(stderr, CLOSED);
});

peerTest("telnet prints redis's +PONG to a piped PING", ["redis-server"], async () => {
  await using dir = await tempDir();
  await using redis = await startPeerOnFreePort((port) => [
    "redis-server",
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir.path,
  ]);
  const { port } = redis;
  const { code, stdout, stderr } = await runCommand(
    "telnet",
    ["127.0.0.1", String(port)],
    "PING\r\n",
  );
  assert.deepEqual([code, stdout, stderr], [0, "+PONG\r\n", CLOSED]);
  // Lines ending in a bare LF go out with CR LF too.
  const two = await runCommand("telnet", ["127.0.0.1", String(port)], "PING\nECHO hi\n");
  assert.equal(two.stdout, "+PONG\r\n$2\r\nhi\r\n");
});

/** A server that negotiates first, records what the client sends until it half-closes, says bye. */
function negotiatingServer(): { port: number; received: Promise<number[]> } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const received = listener.accept().then(async (conn) => {
    listener.close();
    const login = new TextEncoder().encode("login: ");
    await conn.write(
      new Uint8Array([IAC, DO, 24, IAC, WILL, 1, IAC, SB, 24, 1, IAC, SE, ...login]),
    );
    const bytes: number[] = [];
    const buffer = new Uint8Array(1024);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      bytes.push(...buffer.subarray(0, n));
    }
    await conn.write(new TextEncoder().encode("bye\n"));
    conn.close();
    return bytes;
  });
  return { port: listener.addr.port, received };
}

Deno.test("telnet refuses a server's options and prints only its data, end to end", async () => {
  const server = negotiatingServer();
  const child = new Deno.Command(Deno.execPath(), {
    args: [...commandArgs("telnet"), "127.0.0.1", String(server.port)],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  // Type the login only once the prompt is shown, as a user would.
  let stdout = "";
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  while (!stdout.includes("login: ")) stdout += (await reader.read()).value ?? "";
  const stdin = child.stdin.getWriter();
  await stdin.write(new TextEncoder().encode("root\n"));
  await stdin.close();
  for (let r = await reader.read(); !r.done; r = await reader.read()) stdout += r.value;
  assert.equal((await child.status).code, 0);
  assert.deepEqual([stdout, await stderr], ["login: bye\n", CLOSED]);
  assert.deepEqual(await server.received, [
    ...[IAC, WONT, 24, IAC, DONT, 1],
    ...new TextEncoder().encode("root\r\n"),
  ]);
});

Deno.test("telnet with input that ends before the server negotiates still prints its data", async () => {
  // The input is sent and the write side closed at once; refusals that come later cannot be sent.
  const server = negotiatingServer();
  const result = await runCommand("telnet", ["127.0.0.1", String(server.port)], "root\n");
  assert.deepEqual([result.code, result.stdout, result.stderr], [0, "login: bye\n", CLOSED]);
  const received = new TextDecoder().decode(new Uint8Array(await server.received));
  assert.ok(received.includes("root\r\n"));
});

Deno.test("telnet says the foreign host closed when the server closes first", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.accept().then(async (conn) => {
    await conn.write(new TextEncoder().encode("go away\n"));
    conn.close();
  });
  const child = new Deno.Command(Deno.execPath(), {
    args: [...commandArgs("telnet"), "127.0.0.1", String(listener.addr.port)],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdin = child.stdin.getWriter(); // held open until telnet has exited
  const [stdout, stderr, { code }] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.status,
  ]);
  await stdin.close().catch(() => {});
  assert.equal(code, 0);
  assert.equal(stdout, "go away\n");
  assert.equal(stderr, CLOSED);
});

Deno.test("telnet exits 1 with one line when the connection is refused", async () => {
  using refused = refusedPort();
  const port = refused.port;
  const { code, stdout, stderr } = await runCommand("telnet", ["127.0.0.1", String(port)], "");
  assert.deepEqual([code, stdout, stderr], [
    1,
    "",
    `telnet: Cannot connect to "127.0.0.1:${port}": connection refused\n`,
  ]);
});

Deno.test("telnet rejects bad arguments with exit 2", async () => {
  for (
    const args of [[], ["127.0.0.1", "no-such-service"], ["127.0.0.1", "0"], ["a", "1", "b"], [
      "-e",
      "xy",
      "a",
    ], [
      "a",
      "1",
      "--timeout",
      "-",
    ]]
  ) {
    assert.equal(await main(args), 2, args.join(" "));
  }
});

/** Runs telnet with `input` on stdin; returns its exit code, stdout bytes and stderr text. */
async function runTelnetBytes(
  args: string[],
  input: Uint8Array,
): Promise<{ code: number; stdout: Uint8Array<ArrayBuffer>; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...commandArgs("telnet"), ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writing = (async () => {
    const writer = child.stdin.getWriter();
    await writer.write(input).catch(() => {});
    await writer.close().catch(() => {});
  })();
  const [output] = await Promise.all([child.output(), writing]);
  return {
    code: output.code,
    stdout: output.stdout,
    stderr: new TextDecoder().decode(output.stderr),
  };
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65536)));
  }
  return bytes;
}

peerTest(
  "telnet --raw moves 20 MB of random bytes through xinetd's echo service unchanged",
  ["xinetd"],
  async () => {
    await using xinetd = await startXinetd([{ name: "echo", socketType: "stream" }]);
    const { port } = xinetd;
    const input = randomBytes(20 * 1024 * 1024);
    const { code, stdout, stderr } = await runTelnetBytes(
      ["--raw", "127.0.0.1", String(port)],
      input,
    );
    assert.deepEqual([code, stderr], [0, CLOSED]);
    assert.equal(stdout.length, input.length);
    assert.equal(await sha256(stdout), await sha256(input));
  },
);

Deno.test("telnet on a port other than 23 passes a binary body with 0xFF bytes through whole", async () => {
  const body = randomBytes(100_000);
  body[0] = 0x42; // not IAC: the server does not speak telnet
  body.set([0xff, 0xfd, 0x01, 0xff, 0xff, 0x0d, 0x00], 500);
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.accept().then(async (conn) => {
    let offset = 0;
    while (offset < body.length) offset += await conn.write(body.subarray(offset));
    conn.close();
  });
  const { code, stdout } = await runTelnetBytes(
    ["127.0.0.1", String(listener.addr.port)],
    new Uint8Array(0),
  );
  assert.equal(code, 0);
  assert.equal(stdout.length, body.length);
  assert.equal(await sha256(stdout), await sha256(body));
});

peerTest(
  "telnet leaves a redis value holding FF FD 01 alone (no IAC WONT injected)",
  ["redis-server"],
  async () => {
    await using dir = await tempDir();
    await using redis = await startPeerOnFreePort((port) => [
      "redis-server",
      ...["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      ...["--dir", dir.path],
    ]);
    const { port } = redis;
    const input = new Uint8Array([
      ...new TextEncoder().encode("SET k "),
      0xff,
      0xfd,
      0x01,
      ...new TextEncoder().encode("\nGET k\nPING\n"),
    ]);
    const { code, stdout } = await runTelnetBytes(["127.0.0.1", String(port)], input);
    assert.equal(code, 0);
    assert.deepEqual([...stdout], [
      ...new TextEncoder().encode("+OK\r\n$3\r\n"),
      0xff,
      0xfd,
      0x01,
      ...new TextEncoder().encode("\r\n+PONG\r\n"),
    ]);
  },
);

Deno.test("telnet drops the NUL of CR NUL from a telnet server and keeps IAC IAC as 0xFF", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.accept().then(async (conn) => {
    await conn.write(new Uint8Array([IAC, WILL, 1, 0x61, 0x0d, 0x00, 0x62, IAC, IAC, 0x0d, 0x0a]));
    conn.close();
  });
  const { code, stdout } = await runTelnetBytes(
    ["127.0.0.1", String(listener.addr.port)],
    new Uint8Array(0),
  );
  assert.equal(code, 0);
  assert.deepEqual([...stdout], [0x61, 0x0d, 0x62, 0xff, 0x0d, 0x0a]);
});

Deno.test("telnet takes a service name for the port", async () => {
  // Port 1 (tcpmux) has nobody listening on loopback: the name was found, the connection refused.
  const { code, stderr } = await runCommand("telnet", ["127.0.0.1", "tcpmux"], "");
  assert.deepEqual([code, stderr], [
    1,
    'telnet: Cannot connect to "127.0.0.1:1": connection refused\n',
  ]);
});

Deno.test("parseEscapeCharacter() takes a character or ^X; showCharacter() prints it back", async () => {
  const { parseEscapeCharacter } = await import("../../cmd/telnet.ts");
  const { showCharacter } = await import("../../cmd/_telnet/terminal.ts");
  const table: [string, number, string][] = [
    ["^]", 0x1d, "^]"],
    ["^x", 0x18, "^X"],
    ["^?", 0x7f, "^?"],
    ["~", 0x7e, "~"],
  ];
  for (const [text, byte, shown] of table) {
    assert.equal(parseEscapeCharacter(text), byte, text);
    assert.equal(showCharacter(byte), shown, text);
  }
  assert.equal(showCharacter(null), "off");
  for (const bad of ["", "ab", "^1", "é"]) assert.throws(() => parseEscapeCharacter(bad), bad);
});
