import assert from "node:assert/strict";
import { main } from "../../cmd/time-client.ts";
import { serveTime } from "../../lib/time/server.ts";
import { runCommand } from "../harness/run.ts";
import { freePort, peerTest, startPeer, tempDir } from "../harness/peers.ts";

const UNREACHABLE = "Time server could not be reached.\nAborting\n";

peerTest(
  "time-client prints the line of xinetd's built-in daytime service",
  ["xinetd"],
  async () => {
    await using dir = await tempDir();
    const port = freePort();
    const config = `${dir.path}/xinetd.conf`;
    await Deno.writeTextFile(
      config,
      `defaults
{
}
service daytime
{
  type = INTERNAL UNLISTED
  id = daytime-stream
  socket_type = stream
  protocol = tcp
  wait = no
  port = ${port}
  bind = 127.0.0.1
  disable = no
}
`,
    );
    await using _xinetd = await startPeer([
      "xinetd",
      "-dontfork",
      "-f",
      config,
      "-filelog",
      `${dir.path}/xinetd.log`,
      "-pidfile",
      `${dir.path}/xinetd.pid`,
    ], port);
    const { code, stdout, stderr } = await runCommand("time-client", ["127.0.0.1", String(port)]);
    assert.equal(stderr, "");
    assert.equal(code, 0);
    // xinetd's format: "24 NOV 2026 01:52:55 UTC", sent with CRLF (printed without the CR).
    assert.match(stdout, /^\d{1,2} [A-Z]{3} \d{4} \d\d:\d\d:\d\d [A-Z]+\n$/);
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

Deno.test("time-client reports a refused connection with the lecture's two lines", async () => {
  const { code, stdout, stderr } = await runCommand("time-client", [
    "127.0.0.1",
    String(freePort()),
  ]);
  assert.deepEqual([code, stdout, stderr], [1, "", UNREACHABLE]);
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
  assert.deepEqual([result.code, result.stderr], [1, UNREACHABLE]);
});

Deno.test("time-client exits 1 when the server closes without a line", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.accept().then((conn) => conn.close());
  const { code, stderr } = await runCommand("time-client", [
    "127.0.0.1",
    String(listener.addr.port),
  ]);
  assert.equal(code, 1);
  assert.match(
    stderr,
    /^time-client: The server closed the connection without sending the time\n$/,
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
  ];
  for (const args of table) assert.equal(await main(args), 2, args.join(" "));
});
