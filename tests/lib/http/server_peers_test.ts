import assert from "node:assert/strict";
import { serveHttp } from "../../../lib/http/server.ts";
import { peerPath, peerTest } from "../../harness/peers.ts";

const decoder = new TextDecoder();

function echoServer() {
  return serveHttp(async (request) => {
    const body = request.body ? await request.text() : "";
    return new Response(`${request.method} ${new URL(request.url).pathname} ${body.length}\n`, {
      headers: { "x-expect": request.headers.get("expect") ?? "" },
    });
  }, { hostname: "127.0.0.1", port: 0 });
}

async function run(argv: string[], stdin?: string) {
  const child = new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(stdin));
    await writer.close();
  }
  const output = await child.output();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

peerTest("serveHttp() serves curl: keep-alive, chunked upload, 100-continue, HEAD, HTTP/1.0", [
  "curl",
], async () => {
  await using server = echoServer();
  const base = `http://127.0.0.1:${server.addr.port}`;
  const curl = (...args: string[]) => run([peerPath("curl")!, "-s", "--max-time", "10", ...args]);

  const reuse = await curl("-v", `${base}/a`, `${base}/b`);
  assert.equal(reuse.code, 0, reuse.stderr);
  assert.match(reuse.stderr, /Re-using existing connection/);
  assert.equal(reuse.stdout, "GET /a 0\nGET /b 0\n");

  const chunked = await curl(
    "-H",
    "Transfer-Encoding: chunked",
    "--data-binary",
    "hello",
    `${base}/up`,
  );
  assert.equal(chunked.code, 0, chunked.stderr);
  assert.equal(chunked.stdout, "POST /up 5\n");

  const expect = await curl(
    "-v",
    "-H",
    "Expect: 100-continue",
    "--data-binary",
    "x".repeat(2000),
    `${base}/big`,
  );
  assert.equal(expect.code, 0, expect.stderr);
  assert.match(expect.stderr, /HTTP\/1\.1 100 Continue/);
  assert.equal(expect.stdout, "POST /big 2000\n");

  const head = await curl("-I", `${base}/h`);
  assert.equal(head.code, 0);
  assert.match(head.stdout, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(head.stdout, /content-length: 10\r\n/);

  const old = await curl("--http1.0", `${base}/old`);
  assert.equal(old.stdout, "GET /old 0\n");
});

peerTest("serveHttp() serves Python's http.client: keep-alive, chunked body, HEAD", [
  "python3",
], async () => {
  await using server = echoServer();
  const script = `
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", ${server.addr.port}, timeout=10)
c.request("GET", "/one")
r = c.getresponse(); print(r.status, r.read().decode().strip())
c.request("POST", "/two", body=iter([b"ab", b"cde"]), encode_chunked=True)
r = c.getresponse(); print(r.status, r.read().decode().strip())
c.request("HEAD", "/three")
r = c.getresponse(); print(r.status, r.getheader("content-length"), len(r.read()))
c.request("GET", "/four", headers={"Connection": "close"})
r = c.getresponse(); print(r.status, r.read().decode().strip(), r.getheader("connection"))
`;
  const result = await run([peerPath("python3")!, "-c", script]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(
    result.stdout,
    "200 GET /one 0\n200 POST /two 5\n200 14 0\n200 GET /four 0 close\n",
  );
});

peerTest("serveHttp() serves GNU wget: a body, a HEAD (--spider), a 404 with wget's exit code 8", [
  "wget",
], async () => {
  await using server = serveHttp((request) => {
    const path = new URL(request.url).pathname;
    return path === "/missing"
      ? new Response("no\n", { status: 404 })
      : new Response(`${request.method} ${path}\n`, {
        headers: { "content-type": "text/plain" },
      });
  }, { hostname: "127.0.0.1", port: 0 });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const wget = (...args: string[]) =>
    run([peerPath("wget")!, "--tries=1", "--timeout=10", ...args]);
  const body = await wget("-q", "-O", "-", `${base}/file.txt`);
  assert.equal(body.code, 0, body.stderr);
  assert.equal(body.stdout, "GET /file.txt\n");
  const spider = await wget("--spider", "-S", `${base}/file.txt`);
  assert.equal(spider.code, 0, spider.stderr);
  assert.match(spider.stderr, /HTTP\/1\.1 200 OK/);
  assert.match(spider.stderr, /content-length: 15/i);
  const missing = await wget("-q", "-O", "-", `${base}/missing`);
  assert.equal(missing.code, 8);
});
