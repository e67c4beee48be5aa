/**
 * The harness's port race made to happen: a stranger listens on the port a peer was given between
 * the moment it was found free and the peer's start. The start must still end with the peer on a
 * port of its own, never with a peer that only seems ready while the stranger answers.
 */

import assert from "node:assert/strict";
import {
  holdFreePort,
  peerTest,
  PortTakenError,
  startPeerOnFreePort,
  tempDir,
  waitUntilListening,
} from "./peers.ts";

/** GETs `path` from 127.0.0.1:`port`, the body as text. */
async function get(port: number, path: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return await response.text();
}

peerTest(
  "startPeerOnFreePort: a stranger takes the port before the peer binds it; the peer ends and is started on another port, its own",
  ["python3"],
  async () => {
    await using dir = await tempDir();
    const token = crypto.randomUUID();
    await Deno.writeTextFile(`${dir.path}/token.txt`, token);
    const ports: number[] = [];
    let stranger: Deno.TcpListener | undefined;
    try {
      await using peer = await startPeerOnFreePort((port) => {
        ports.push(port);
        // The race: someone listens on the port after it was found free, before the peer binds
        // it (the port is held without listening while the peer starts: a listen by number,
        // with SO_REUSEADDR as every peer and Deno set it, still gets it).
        stranger ??= Deno.listen({ hostname: "127.0.0.1", port });
        return [
          "python3",
          ...["-m", "http.server", "--bind", "127.0.0.1", "--directory", dir.path, `${port}`],
        ];
      });
      assert.equal(ports.length, 2, `ports tried: ${ports}`);
      assert.equal(ports[0], stranger?.addr.port);
      assert.equal(peer.port, ports[1]);
      assert.notEqual(peer.port, stranger?.addr.port);
      // The peer's own process listens there (nobody else), and it answers with the token.
      await waitUntilListening(peer.child, "python3", peer.port);
      assert.equal(await get(peer.port, "/token.txt"), token);
    } finally {
      stranger?.close();
    }
  },
);

peerTest(
  "startPeerOnFreePort: a peer holding one of its addresses while a stranger holds the other is not ready; it is stopped and started on another port",
  ["nginx"],
  async () => {
    await using dir = await tempDir();
    // nginx's worker drops root's rights: let it into the (0700) temporary directory.
    await Deno.chmod(dir.path, 0o755);
    const token = crypto.randomUUID();
    await Deno.mkdir(`${dir.path}/www`);
    await Deno.writeTextFile(`${dir.path}/www/token.txt`, token);
    const ports: number[] = [];
    let stranger: Deno.TcpListener | undefined;
    const started = Date.now();
    try {
      await using nginx = await startPeerOnFreePort(async (port) => {
        ports.push(port);
        // The stranger takes 127.0.0.1:PORT; nginx gets [::1]:PORT and, failing the other,
        // keeps trying it for 2.5 s with [::1]:PORT open: a look at the port alone takes it
        // for ready, and requests to 127.0.0.1:PORT reach the stranger.
        stranger ??= Deno.listen({ hostname: "127.0.0.1", port });
        const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
          .map((name) => `${name}_temp_path ${dir.path}/${name}_temp;`).join("\n");
        await Deno.writeTextFile(
          `${dir.path}/nginx.conf`,
          `daemon off;
worker_processes 1;
pid ${dir.path}/nginx.pid;
error_log ${dir.path}/error.log;
events { worker_connections 16; }
http {
  access_log off;
  ${temp}
  server {
    listen 127.0.0.1:${port};
    listen [::1]:${port};
    root ${dir.path}/www;
  }
}
`,
        );
        return [
          "nginx",
          "-p",
          dir.path,
          "-e",
          `${dir.path}/error.log`,
          "-c",
          `${dir.path}/nginx.conf`,
        ];
      }, { hostnames: ["127.0.0.1", "::1"] });
      assert.equal(ports.length, 2, `ports tried: ${ports}`);
      assert.equal(ports[0], stranger?.addr.port);
      assert.notEqual(nginx.port, stranger?.addr.port);
      // Seen at once (a PortTakenError), not when nginx gave up the taken address.
      assert.ok(Date.now() - started < 2_500 + 5_000, `${Date.now() - started} ms`);
      await waitUntilListening(nginx.child, "nginx", [
        { hostname: "127.0.0.1", port: nginx.port },
        { hostname: "::1", port: nginx.port },
      ]);
      assert.equal(await get(nginx.port, "/token.txt"), token);
    } finally {
      stranger?.close();
    }
  },
);

Deno.test("waitUntilListening: a stranger on the address is a PortTakenError, at once", async () => {
  using stranger = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  // A peer that never listens: `sleep`, told nothing of the port.
  const child = new Deno.Command("sleep", { args: ["30"], stdout: "null", stderr: "null" }).spawn();
  try {
    await assert.rejects(
      waitUntilListening(child, "sleep", stranger.addr.port),
      PortTakenError,
    );
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
});

Deno.test("holdFreePort: no bind to port 0 is given the held port; a listen by number is", () => {
  using held = holdFreePort();
  for (let i = 0; i < 200; i++) {
    using other = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    assert.notEqual(other.addr.port, held.port);
  }
  using peer = Deno.listen({ hostname: "127.0.0.1", port: held.port });
  assert.equal(peer.addr.port, held.port);
});
