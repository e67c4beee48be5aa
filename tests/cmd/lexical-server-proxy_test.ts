import assert from "node:assert/strict";
import { peerPath, peerTest, startPeerOnFreePort, tempDir } from "../harness/peers.ts";
import { startLexicalServer } from "../harness/deno_server.ts";

const startServer = () => startLexicalServer(["--quiet", "--workers", "1"]);

peerTest("two lexical-server instances serve behind nginx's upstream, kept alive", [
  "nginx",
], async () => {
  await using dir = await tempDir("netkit_lexical_proxy_");
  await Deno.chmod(dir.path, 0o755);
  await using first = await startServer();
  await using second = await startServer();
  // nginx needs a fixed port: one found free is held while nginx starts; taken all the same, nginx
  // ends at once or is not alone there, and it is started again on another port.
  const nginx = await startPeerOnFreePort(async (port) => {
    const temp = (name: string) => `${name}_temp_path ${dir.path}/${name}_temp;`;
    await Deno.writeTextFile(
      `${dir.path}/nginx.conf`,
      `daemon off;
worker_processes 1;
pid ${dir.path}/nginx.pid;
error_log ${dir.path}/error.log;
events { worker_connections 128; }
http {
  access_log off;
  ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join("\n  ")}
  upstream lexical {
    server 127.0.0.1:${first.port};
    server 127.0.0.1:${second.port};
    keepalive 8;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://lexical;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
    );
    return [
      peerPath("nginx")!,
      "-p",
      dir.path,
      "-e",
      `${dir.path}/error.log`,
      "-c",
      `${dir.path}/nginx.conf`,
    ];
  });
  await using _nginx = nginx;
  const { port } = nginx;
  for (let i = 0; i < 10; i++) {
    const response = await fetch(`http://127.0.0.1:${port}/api/lexical`);
    assert.equal(response.status, 200);
    assert.equal((await response.json()).possibilities[0], "lexical");
  }
  const head = await fetch(`http://127.0.0.1:${port}/api/lexical`, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
  const counts = await Promise.all(
    [first, second].map(async (server) =>
      (await (await fetch(`http://127.0.0.1:${server.port}/-/stats`)).json()).requests
    ),
  );
  assert.equal(counts[0] + counts[1], 11 + 2, `both instances answered: ${counts}`);
  assert.ok(counts.every((count) => count > 1), `round robin: ${counts}`);
});
