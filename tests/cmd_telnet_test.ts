import assert from "node:assert/strict";
import { main } from "../cmd/telnet.ts";
import { TELNET } from "../lib/telnet.ts";
import { runCommand } from "./_command.ts";
import { freePort, peerTest, startPeer, tempDir } from "./_peers.ts";

const { DO, DONT, IAC, SB, SE, WILL, WONT } = TELNET;

const CLOSED = "Connection closed by foreign host.\n";

peerTest("telnet prints nginx's response to a piped HTTP request", ["nginx"], async () => {
  await using dir = await tempDir();
  const port = freePort();
  await Deno.mkdir(`${dir.path}/www`);
  await Deno.writeTextFile(`${dir.path}/www/index.html`, "hello from nginx\n");
  const config = `${dir.path}/nginx.conf`;
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
  await using _nginx = await startPeer([
    "nginx",
    "-c",
    config,
    "-p",
    dir.path,
    "-e",
    `${dir.path}/error.log`,
  ], port);
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
  const port = freePort();
  await using _redis = await startPeer([
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
  ], port);
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

Deno.test("telnet refuses a server's options and prints only its data, end to end", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const server = listener.accept().then(async (conn) => {
    await conn.write(
      new Uint8Array([
        IAC,
        DO,
        24,
        IAC,
        WILL,
        1,
        IAC,
        SB,
        24,
        1,
        IAC,
        SE,
        ...new TextEncoder().encode("login: "),
      ]),
    );
    const received: number[] = [];
    const buffer = new Uint8Array(1024);
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      received.push(...buffer.subarray(0, n));
    }
    await conn.write(new TextEncoder().encode("bye\n"));
    conn.close();
    return received;
  });
  const { code, stdout, stderr } = await runCommand(
    "telnet",
    ["127.0.0.1", String(listener.addr.port)],
    "root\n",
  );
  assert.deepEqual([code, stdout, stderr], [0, "login: bye\n", CLOSED]);
  const received = await server;
  // The refusals and the typed line, in whichever order they raced.
  const text = String.fromCharCode(...received);
  assert.ok(
    text.includes(String.fromCharCode(IAC, WONT, 24)),
    JSON.stringify(received),
  );
  assert.ok(
    text.includes(String.fromCharCode(IAC, DONT, 1)),
    JSON.stringify(received),
  );
  assert.ok(text.includes("root\r\n"));
});

Deno.test("telnet says the foreign host closed when the server closes first", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.accept().then(async (conn) => {
    await conn.write(new TextEncoder().encode("go away\n"));
    conn.close();
  });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../cmd/telnet.ts", import.meta.url).pathname,
      "127.0.0.1",
      String(listener.addr.port),
    ],
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
  const port = freePort();
  const { code, stdout, stderr } = await runCommand("telnet", ["127.0.0.1", String(port)], "");
  assert.deepEqual([code, stdout, stderr], [
    1,
    "",
    `telnet: Cannot connect to "127.0.0.1:${port}": connection refused\n`,
  ]);
});

Deno.test("telnet rejects bad arguments with exit 2", async () => {
  for (
    const args of [[], ["127.0.0.1"], ["127.0.0.1", "x"], ["127.0.0.1", "0"], ["a", "1", "b"], [
      "a",
      "1",
      "--timeout",
      "-",
    ]]
  ) {
    assert.equal(await main(args), 2, args.join(" "));
  }
});
