import assert, { deepEqual, equal as assertEquals } from "node:assert/strict";
import { main } from "../../cmd/wget.ts";
import { makeCertificate, sha256File, startNginx, writeBigFile } from "../harness/nginx.ts";
import { peerPath, peerTest, tempDir } from "../harness/peers.ts";
import { type RawHandler, send, startRawServer } from "../harness/raw_http_server.ts";
import { commandArgs, runCommand } from "../harness/run.ts";

const MiB = 1024 * 1024;

/** A handler that answers a Range request from `body` (206, Content-Range), anything else with `first`. */
function resumable(body: string, first: string): RawHandler {
  return async (conn, { head }) => {
    const range = /Range: bytes=(\d+)-/i.exec(head);
    if (!range) return void await send(conn, first);
    const from = Number(range[1]);
    await send(
      conn,
      `HTTP/1.1 206 Partial Content\r\nContent-Length: ${body.length - from}\r\n` +
        `Content-Range: bytes ${from}-${body.length - 1}/${body.length}\r\n\r\n${body.slice(from)}`,
    );
  };
}

async function run(...args: string[]): Promise<number> {
  return await main(["-q", ...args]);
}

async function readText(path: string): Promise<string> {
  return await Deno.readTextFile(path);
}

async function listDir(path: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(path)) names.push(entry.name);
  return names.sort();
}

async function runPeer(argv: string[], cwd: string): Promise<number> {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError("The command line is empty");
  const { code } = await new Deno.Command(program, {
    args,
    cwd,
    stdout: "null",
    stderr: "null",
  }).output();
  return code;
}

peerTest(
  "wget downloads 0 B, 1 B, 1 MiB and 200 MiB files from nginx, same sha256 as curl and GNU wget",
  [
    "nginx",
    "curl",
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path);
    const sizes: Record<string, number> = {
      "empty.bin": 0,
      "one.bin": 1,
      "mib.bin": MiB,
      "big.bin": 200 * MiB,
    };
    for (const [name, size] of Object.entries(sizes)) {
      await writeBigFile(`${nginx.root}/${name}`, size, size + 7);
    }
    const out = `${dir.path}/out`;
    for (const [name, size] of Object.entries(sizes)) {
      const url = `http://127.0.0.1:${nginx.port}/${name}`;
      assertEquals(await run("-P", out, url), 0, name);
      assertEquals((await Deno.stat(`${out}/${name}`)).size, size, name);
      assertEquals(
        await sha256File(`${out}/${name}`),
        await sha256File(`${nginx.root}/${name}`),
        name,
      );
    }
    // The anchors on the 1 MiB file: same bytes, same name as GNU wget.
    const peers = `${dir.path}/peers`;
    await Deno.mkdir(peers);
    const url = `http://127.0.0.1:${nginx.port}/mib.bin`;
    assertEquals(await runPeer(["curl", "-s", "-o", "curl.bin", url], peers), 0);
    assertEquals(await runPeer(["wget", "-q", url], peers), 0);
    const expected = await sha256File(`${nginx.root}/mib.bin`);
    assertEquals(await sha256File(`${peers}/curl.bin`), expected);
    assertEquals(await sha256File(`${peers}/mib.bin`), expected);
    await Deno.remove(`${out}/big.bin`);
    await Deno.remove(`${nginx.root}/big.bin`);
  },
);

peerTest("wget over IPv6: [::1]:PORT, index.html for /, .1 for a second copy, 301, 404 → 8", [
  "nginx",
  "wget",
], async () => {
  await using dir = await tempDir();
  await using nginx = await startNginx(dir.path, {
    serverConfig: "location = /moved { return 301 /dir/page.txt; }",
  });
  await Deno.mkdir(`${nginx.root}/dir`);
  await Deno.writeTextFile(`${nginx.root}/index.html`, "<p>index</p>\n");
  await Deno.writeTextFile(`${nginx.root}/dir/page.txt`, "page\n");
  await Deno.writeTextFile(`${nginx.root}/a b.txt`, "space\n");
  const out = `${dir.path}/out`;
  const v6 = `http://[::1]:${nginx.port}`;
  assertEquals(await run("-P", out, `${v6}/`), 0);
  assertEquals(await readText(`${out}/index.html`), "<p>index</p>\n");
  assertEquals(await run("-P", out, `${v6}/`), 0);
  assertEquals(await readText(`${out}/index.html.1`), "<p>index</p>\n");
  // A redirect keeps the original URL's name, as GNU wget does; --trust-server-names takes the new.
  assertEquals(await run("-P", out, `${v6}/moved`), 0);
  assertEquals(await readText(`${out}/moved`), "page\n");
  assertEquals(await run("-P", out, "--trust-server-names", `${v6}/moved`), 0);
  assertEquals(await readText(`${out}/page.txt`), "page\n");
  assertEquals(await run("-P", out, `${v6}/missing`), 8);
  assertEquals(await run("-P", out, `${v6}/dir/page.txt?x=1&y=%2F`), 0);
  assertEquals(await run("-P", out, `${v6}/a%20b.txt`), 0);
  const ours = ["a b.txt", "index.html", "index.html.1", "moved", "page.txt", "page.txt?x=1&y=%2F"];
  deepEqual(await listDir(out), ours);
  // GNU wget agrees on names and on the 404 code.
  const peers = `${dir.path}/peers`;
  await Deno.mkdir(peers);
  for (const path of ["/", "/", "/moved", "/dir/page.txt?x=1&y=%2F", "/a%20b.txt"]) {
    assertEquals(await runPeer(["wget", "-q", `${v6}${path}`], peers), 0, path);
  }
  assertEquals(await runPeer(["wget", "-q", "--trust-server-names", `${v6}/moved`], peers), 0);
  assertEquals(await runPeer(["wget", "-q", `${v6}/missing`], peers), 8);
  deepEqual(await listDir(peers), ours);
});

peerTest(
  "wget -c resumes from nginx with Range; a complete file is left alone",
  ["nginx"],
  async () => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path);
    await writeBigFile(`${nginx.root}/file.bin`, 3 * MiB, 3);
    const out = `${dir.path}/out`;
    await Deno.mkdir(out);
    const whole = await Deno.readFile(`${nginx.root}/file.bin`);
    await Deno.writeFile(`${out}/file.bin`, whole.subarray(0, MiB + 123));
    const url = `http://127.0.0.1:${nginx.port}/file.bin`;
    assertEquals(await run("-c", "-P", out, url), 0);
    assertEquals(await sha256File(`${out}/file.bin`), await sha256File(`${nginx.root}/file.bin`));
    // Already complete: nginx answers 416, nothing changes, success.
    assertEquals(await run("-c", "-P", out, url), 0);
    assertEquals((await Deno.stat(`${out}/file.bin`)).size, 3 * MiB);
    deepEqual(await listDir(out), ["file.bin"]);
  },
);

peerTest(
  "wget over HTTPS: trusted with --ca-certificate, exit 5 when untrusted, --no-check-certificate",
  [
    "nginx",
    "openssl",
    "curl",
  ],
  async () => {
    await using dir = await tempDir();
    const tls = await makeCertificate(dir.path);
    await using nginx = await startNginx(dir.path, { tls });
    await writeBigFile(`${nginx.root}/secret.bin`, MiB + 5, 9);
    const url = `https://127.0.0.1:${nginx.tlsPort}/secret.bin`;
    const out = `${dir.path}/out`;
    assertEquals(await run("-P", out, "--ca-certificate", tls.cert, url), 0);
    assertEquals(
      await sha256File(`${out}/secret.bin`),
      await sha256File(`${nginx.root}/secret.bin`),
    );
    assertEquals(await run("-P", out, "-t", "1", url), 5);
    assertEquals(await run("-O", `${out}/insecure.bin`, "--no-check-certificate", url), 0);
    assertEquals(
      await sha256File(`${out}/insecure.bin`),
      await sha256File(`${nginx.root}/secret.bin`),
    );
    deepEqual(await listDir(out), ["insecure.bin", "secret.bin"]);
    // curl agrees: trusted with --cacert, refused without (its code 60).
    assertEquals(
      await runPeer(["curl", "-s", "-o", "/dev/null", "--cacert", tls.cert, url], dir.path),
      0,
    );
    assertEquals(await runPeer(["curl", "-s", "-o", "/dev/null", url], dir.path), 60);
  },
);

peerTest("wget over HTTPS: a certificate for another name is exit 5, as curl refuses it", [
  "openssl",
  "curl",
], async () => {
  await using dir = await tempDir();
  const tls = await makeCertificate(dir.path, "DNS:wrong.test", "wrong-");
  using listener = Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: await Deno.readTextFile(tls.cert),
    key: await Deno.readTextFile(tls.key),
  });
  const serving = (async () => {
    for await (const conn of listener) {
      (async () => {
        try {
          await conn.handshake();
          await conn.read(new Uint8Array(4096));
          await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        } catch {
          // The client refused the certificate.
        } finally {
          conn.close();
        }
      })();
    }
  })().catch(() => {});
  const url = `https://127.0.0.1:${listener.addr.port}/secret`;
  assertEquals(await run("-t", "1", "-P", dir.path, "--ca-certificate", tls.cert, url), 5);
  assertEquals(
    await runPeer(["curl", "-s", "-o", "/dev/null", "--cacert", tls.cert, url], dir.path),
    60,
  );
  // With the name check off (and the chain still trusted by nothing) it goes through.
  assertEquals(await run("--no-check-certificate", "-P", dir.path, url), 0);
  assertEquals(await readText(`${dir.path}/secret`), "ok");
  listener.close();
  await serving;
});

Deno.test("wget reads chunked, HTTP/1.0 close-delimited and bare-LF responses", async () => {
  await using server = startRawServer({
    "/chunked": async (conn) => {
      await send(
        conn,
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
          "5;name=value\r\nhello\r\n1A\r\n, chunked world with ext!!\r\n0;last\r\nX-Trailer: yes\r\n\r\n",
      );
    },
    "/close": async (conn) => {
      await send(conn, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end\n");
    },
    "/barelf": async (conn) => {
      await send(conn, "HTTP/1.1 200 OK\nX-Folded: a\n b\nContent-Length: 6\n\nbare!\n");
    },
  });
  await using dir = await tempDir();
  for (const path of ["/chunked", "/close", "/barelf"]) {
    assertEquals(await run("-P", dir.path, `${server.base}${path}`), 0, path);
  }
  assertEquals(await readText(`${dir.path}/chunked`), "hello, chunked world with ext!!");
  assertEquals(await readText(`${dir.path}/close`), "until the end\n");
  assertEquals(await readText(`${dir.path}/barelf`), "bare!\n");
  const request = server.requests[0];
  assert(request !== undefined, "no request reached the server");
  assert(request.startsWith("GET /chunked HTTP/1.1\r\n"), request);
  assert(request.includes(`\r\nHost: 127.0.0.1:${server.port}\r\n`), request);
  assert(/\r\nUser-Agent: netkit-wget\/\d+\.\d+\.\d+\r\n/.test(request), request);
  // Keep-alive, as GNU wget asks: the raw server closes after each response anyway.
  assert(request.includes("\r\nAccept: */*\r\n"), request);
  assert(request.includes("\r\nConnection: keep-alive\r\n"), request);
});

Deno.test("wget keeps a short body, exits 4, and -c finishes it", async () => {
  const body = "0123456789".repeat(100);
  await using server = startRawServer({
    "/lying": resumable(
      body,
      `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    ),
    "/early": async () => {},
    "/wrong-range": async (conn, { head }) => {
      // Answers any Range with the file's first bytes, labelled as such.
      const range = /Range: bytes=(\d+)-/i.exec(head);
      const status = range ? "206 Partial Content" : "200 OK";
      const extra = range ? `Content-Range: bytes 0-9/${body.length}\r\n` : "";
      await send(
        conn,
        `HTTP/1.1 ${status}\r\nContent-Length: 10\r\n${extra}\r\n${body.slice(0, 10)}`,
      );
    },
  });
  await using dir = await tempDir();
  assertEquals(await run("-t", "1", "-P", dir.path, `${server.base}/lying`), 4);
  assertEquals(await readText(`${dir.path}/lying`), "0123456789");
  assertEquals(await run("-c", "-t", "1", "-P", dir.path, `${server.base}/lying`), 0);
  assertEquals(await readText(`${dir.path}/lying`), body);
  assertEquals(await run("-t", "1", "-P", dir.path, `${server.base}/early`), 4);
  // A 206 that does not start where the file ends is refused, the file left as it was: GNU's
  // RANGEERR, retried until the tries run out, then "Giving up." (exit 4).
  await Deno.writeTextFile(`${dir.path}/wrong-range`, "abcde");
  assertEquals(await run("-c", "-t", "1", "-P", dir.path, `${server.base}/wrong-range`), 4);
  assertEquals(await readText(`${dir.path}/wrong-range`), "abcde");
  deepEqual(await listDir(dir.path), ["lying", "wrong-range"]);
});

Deno.test("wget retries a short body by resuming it with Range", async () => {
  const body = "abcdefghij".repeat(50);
  let calls = 0;
  await using server = startRawServer({
    "/flaky": (conn, request) => {
      calls++;
      const short = `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${
        body.slice(0, 100)
      }`;
      return resumable(body, short)(conn, request);
    },
  });
  await using dir = await tempDir();
  assertEquals(await run("--waitretry", "0", "-P", dir.path, `${server.base}/flaky`), 0);
  assertEquals(await readText(`${dir.path}/flaky`), body);
  assertEquals(calls, 2);
});

Deno.test("wget -O FILE rewinds a body the server restarts on retry", async () => {
  const body = "0123456789".repeat(30);
  let calls = 0;
  await using server = startRawServer({
    "/first": async (conn) =>
      void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nfirst\n"),
    "/restart": async (conn) => {
      // No Range support: the first answer is short, the second whole.
      calls++;
      const part = calls === 1 ? body.slice(0, 42) : body;
      await send(conn, `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${part}`);
    },
  });
  await using dir = await tempDir();
  const out = `${dir.path}/out.txt`;
  assertEquals(
    await run("--waitretry", "0", "-O", out, `${server.base}/first`, `${server.base}/restart`),
    0,
  );
  assertEquals(await readText(out), `first\n${body}`);
  assertEquals(calls, 2);
});

Deno.test("wget -T stops a slow drip with exit 4", async () => {
  await using server = startRawServer({
    "/drip": async (conn) => {
      await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nx");
      await conn.read(new Uint8Array(1)).catch(() => null);
    },
    "/trickle": async (conn) => {
      const header = "HTTP/1.1 200 OK\r\n" + "X-Slow: 1\r\n".repeat(100);
      // Pacing the hostile server, not synchronising the test: stops when the client hangs up.
      for (const byte of new TextEncoder().encode(header)) {
        if (!await send(conn, new Uint8Array([byte]))) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  });
  await using dir = await tempDir();
  assertEquals(await run("-T", "0.3", "-t", "1", "-P", dir.path, `${server.base}/drip`), 4);
  assertEquals(await readText(`${dir.path}/drip`), "x");
  // A header trickled a byte every 50 ms never lets a read wait 0.3 s; the head's own deadline ends it.
  assertEquals(await run("-T", "0.3", "-t", "1", "-P", dir.path, `${server.base}/trickle`), 4);
  deepEqual(await listDir(dir.path), ["drip"]);
  // GNU's separate timeouts stand for -T (the largest of them): --read-timeout stops the drip too.
  const separate = [
    "--read-timeout=0.3",
    "--connect-timeout=0.2",
    "-t",
    "1",
    "-O",
    `${dir.path}/d`,
  ];
  assertEquals(await run(...separate, `${server.base}/drip`), 4);
});

Deno.test("wget stops redirect loops, long chains and endless headers", async () => {
  const redirect = (to: string) => async (conn: Deno.TcpConn) => {
    await send(conn, `HTTP/1.1 302 Found\r\nLocation: ${to}\r\nContent-Length: 0\r\n\r\n`);
  };
  const chain: Record<string, ReturnType<typeof redirect>> = {};
  for (let i = 0; i < 30; i++) chain[`/chain${i}`] = redirect(`/chain${i + 1}`);
  chain["/chain30"] = async (conn) => void await send(conn, "HTTP/1.1 200 OK\r\n\r\nend");
  await using server = startRawServer({
    "/loop-a": redirect("/loop-b"),
    "/loop-b": redirect("/loop-a"),
    ...chain,
    "/endless": async (conn) => {
      if (!await send(conn, "HTTP/1.1 200 OK\r\n")) return;
      for (let i = 0; i < 100_000; i++) {
        if (!await send(conn, `X-Header-${i}: ${"v".repeat(100)}\r\n`)) return;
      }
    },
    "/longline": async (conn) => {
      await send(conn, "HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(200_000) + "\r\n\r\n");
    },
  });
  await using dir = await tempDir();
  assertEquals(await run("-P", dir.path, `${server.base}/loop-a`), 8);
  assertEquals(await run("-P", dir.path, `${server.base}/chain0`), 8);
  assertEquals(await run("--max-redirect", "40", "-P", dir.path, `${server.base}/chain0`), 0);
  assertEquals(await readText(`${dir.path}/chain0`), "end");
  await Deno.remove(`${dir.path}/chain0`);
  assertEquals(await run("-P", dir.path, `${server.base}/endless`), 7);
  assertEquals(await run("-P", dir.path, `${server.base}/longline`), 7);
  deepEqual(await listDir(dir.path), []);
  if (peerPath("wget")) {
    // GNU wget gives the same 8 for the loop and the long chain.
    for (const path of ["/loop-a", "/chain0"]) {
      assertEquals(
        await runPeer(["wget", "-q", "-O", "/dev/null", `${server.base}${path}`], dir.path),
        8,
      );
    }
  }
});

Deno.test("wget never writes outside its directory nor over an existing file", async () => {
  const cd = (value: string) => async (conn: Deno.TcpConn) => {
    await send(
      conn,
      `HTTP/1.1 200 OK\r\nContent-Disposition: ${value}\r\nContent-Length: 4\r\n\r\nevil`,
    );
  };
  await using server = startRawServer({
    "/cd1": cd('attachment; filename="../../escaped.txt"'),
    "/cd2": cd("attachment; filename=/etc/passwd"),
    "/cd3": cd('attachment; filename="..\\\\..\\\\win.txt"'),
    "/cd4": cd("attachment; filename*=UTF-8''..%2F..%2Fenc.txt"),
    "/cd5": cd('attachment; filename=".."'),
    "/cd6": cd('attachment; filename=".bashrc"'),
    "/a%2F..%2F..%2Fx": cd("inline"),
    "/": cd("inline"),
    "/ctl%0A%00name": cd("inline"),
    "/redir": async (conn) => {
      await send(
        conn,
        "HTTP/1.1 301 Moved\r\nLocation: /..%2F..%2Fvia-redirect\r\nContent-Length: 0\r\n\r\n",
      );
    },
    "/..%2F..%2Fvia-redirect": cd("inline"),
  });
  await using outer = await tempDir();
  const dir = `${outer.path}/inner/target`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/passwd`, "keep me");
  for (const path of ["/cd1", "/cd2", "/cd3", "/cd4", "/cd5", "/cd6"]) {
    assertEquals(await run("--content-disposition", "-P", dir, `${server.base}${path}`), 0, path);
  }
  for (const path of ["/a%2F..%2F..%2Fx", "/%2E%2E", "/ctl%0A%00name"]) {
    assertEquals(await run("-P", dir, `${server.base}${path}`), 0, path);
  }
  assertEquals(await run("--trust-server-names", "-P", dir, `${server.base}/redir`), 0);
  assertEquals(await readText(`${dir}/passwd`), "keep me");
  deepEqual(await listDir(outer.path), ["inner"]);
  deepEqual(await listDir(`${outer.path}/inner`), ["target"]);
  deepEqual(await listDir(dir), [
    "..%2F..%2Fvia-redirect",
    "a%2F..%2F..%2Fx",
    "bashrc",
    "cd5",
    "ctl%0A%00name",
    "enc.txt",
    "escaped.txt",
    "index.html",
    "passwd",
    "passwd.1",
    "win.txt",
  ]);
});

Deno.test("wget exit codes: usage 2, no URL 1, bad URL 1, refused 4, auth 6, 5xx 8 at once, file I/O 3", async () => {
  let fails = 0;
  await using server = startRawServer({
    "/auth": async (conn) => {
      await send(
        conn,
        'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="x"\r\nContent-Length: 0\r\n\r\n',
      );
    },
    "/basic": async (conn, { head }) => {
      const ok = head.includes("\r\nAuthorization: Basic dXNlcjpwIHc=\r\n");
      await send(
        conn,
        // URL credentials wait for the challenge, as GNU wget's.
        ok
          ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
          : 'HTTP/1.1 401 No\r\nWWW-Authenticate: Basic realm="x"\r\nContent-Length: 0\r\n\r\n',
      );
    },
    "/fail": async (conn) => {
      fails++;
      await send(conn, "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n");
    },
    "/ok": async (conn) => {
      await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    },
  });
  await using dir = await tempDir();
  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const refusedPort = closed.addr.port;
  closed.close();
  // (GNU reads `--tries x` as 0, no limit; a negative number is its usage error.)
  assertEquals(await run("--tries", "-1", server.base), 2);
  assertEquals(await run("--no-such-option", server.base), 2);
  assertEquals(await run(), 1);
  assertEquals(await run("ftp://127.0.0.1/x"), 1);
  assertEquals(await run("-P", dir.path, `http://127.0.0.1:${refusedPort}/`), 4);
  assertEquals(await run("-P", dir.path, `${server.base}/auth`), 6);
  assertEquals(await run("-P", dir.path, `http://user:p%20w@127.0.0.1:${server.port}/basic`), 0);
  // A 503 is not tried again unless --retry-on-http-error names it; then giving up is 4.
  assertEquals(await run("-t", "3", "--waitretry", "0", "-P", dir.path, `${server.base}/fail`), 8);
  assertEquals(fails, 1);
  const retrying = ["--retry-on-http-error=500,503", "-t", "3", "--waitretry", "0"];
  assertEquals(await run(...retrying, "-P", dir.path, `${server.base}/fail`), 4);
  assertEquals(fails, 4);
  assertEquals(await run("-P", `${dir.path}/basic/sub`, `${server.base}/ok`), 3);
  // Several URLs: the lowest failing code wins.
  assertEquals(await run("-P", dir.path, `${server.base}/auth`, `${server.base}/ok`), 6);
  deepEqual(await listDir(dir.path), ["basic", "ok"]);
});

Deno.test("wget -O - writes to stdout, -O FILE collects all, --no-clobber skips, --spider checks", async () => {
  await using server = startRawServer({
    "/a": async (conn) => void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nA\n"),
    "/b": async (conn) => void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nB\n"),
  });
  await using dir = await tempDir();
  const out = `${dir.path}/all.txt`;
  assertEquals(await run("-O", out, `${server.base}/a`, `${server.base}/b`), 0);
  assertEquals(await readText(out), "A\nB\n");
  await Deno.writeTextFile(`${dir.path}/a`, "old");
  assertEquals(await run("-nc", "-P", dir.path, `${server.base}/a`), 0);
  assertEquals(await readText(`${dir.path}/a`), "old");
  assertEquals(await run("--spider", "-P", dir.path, `${server.base}/b`), 0);
  assertEquals(await run("--spider", "-P", dir.path, `${server.base}/none`), 8);
  assertEquals(server.requests.at(-1)?.startsWith("HEAD /none HTTP/1.1"), true);
  const list = `${dir.path}/urls.txt`;
  await Deno.writeTextFile(list, `# a comment\n${server.base}/a\n\n${server.base}/b\n`);
  // (GNU wget reads `# a comment` as a URL, refuses it, and exits 1: its url_parse's URLERROR.)
  assertEquals(await run("-i", list, "-P", `${dir.path}/from-list`), 1);
  deepEqual(await listDir(`${dir.path}/from-list`), ["a", "b"]);
  deepEqual(await listDir(dir.path), ["a", "all.txt", "from-list", "urls.txt"]);

  const child = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../cmd/wget.ts", import.meta.url).pathname,
      "-O",
      "-",
      `${server.base}/a`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(child.code, 0);
  assertEquals(new TextDecoder().decode(child.stdout), "A\n");
  const log = new TextDecoder().decode(child.stderr);
  assert(log.includes("HTTP request sent, awaiting response... 200 OK\n"), log);
  // GNU wget's words for -O -: "Saving to: ‘STDOUT’", then "- written to stdout [2/2]".
  assert(/Saving to: (?:'STDOUT'|\u2018STDOUT\u2019)\n/.test(log), log);
  assert(/ - written to stdout \[2\/2\]$/.test(log.trimEnd()), log);
  // -S prints the server's head instead, indented as GNU wget does.
  const verbose = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../cmd/wget.ts", import.meta.url).pathname,
      "-S",
      "-O",
      "-",
      `${server.base}/a`,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  const head = new TextDecoder().decode(verbose.stderr);
  assert(head.includes("\n  HTTP/1.1 200 OK\n  Content-Length: 2\n"), head);
});

/** nginx's count of accepted connections, this query's own (an HTTP/1.0 GET) included. */
async function nginxAccepts(port: number): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode("GET /status HTTP/1.0\r\n\r\n"));
  const text = await new Response(conn.readable).text();
  // "Active connections: 1\nserver accepts handled requests\n 5 5 9\n…": accepts is the first.
  const counts = text.split("\r\n\r\n")[1]?.split("\n")[2]?.trim().split(/\s+/)[0];
  return Number(counts);
}

peerTest(
  "wget keeps one connection for several URLs, -i lists and redirects, as GNU wget does (nginx)",
  ["nginx", "wget", "openssl"],
  async () => {
    await using dir = await tempDir();
    const tls = await makeCertificate(dir.path);
    await using nginx = await startNginx(dir.path, {
      tls,
      serverConfig: "location = /status { stub_status; }\n" +
        "location = /moved { return 301 /a.txt; }",
    });
    for (const name of ["a", "b", "c"]) {
      await Deno.writeTextFile(`${nginx.root}/${name}.txt`, `${name}\n`.repeat(100));
    }
    const http = `http://127.0.0.1:${nginx.port}`;
    const https = `https://127.0.0.1:${nginx.tlsPort}`;
    const list = `${dir.path}/list.txt`;
    await Deno.writeTextFile(
      list,
      `${http}/b.txt\n${http}/moved\n${https}/c.txt\n${https}/a.txt\n`,
    );
    const args = [`${http}/a.txt`, `${http}/c.txt`, "-i", list];
    const connections: number[] = [];
    for (const tool of ["netkit", "gnu"]) {
      const out = `${dir.path}/${tool}`;
      await Deno.mkdir(out);
      const before = await nginxAccepts(nginx.port);
      const code = tool === "netkit"
        ? await run("-P", out, "--ca-certificate", tls.cert, ...args)
        : await runPeer(["wget", "-q", "-P", out, `--ca-certificate=${tls.cert}`, ...args], out);
      assertEquals(code, 0, tool);
      // stub_status counts both servers' connections: one plain, one TLS, one for the query.
      connections.push((await nginxAccepts(nginx.port)) - before);
      deepEqual(await listDir(out), ["a.txt", "a.txt.1", "b.txt", "c.txt", "c.txt.1", "moved"]);
    }
    deepEqual(connections, [3, 3]);
  },
);

/** `/private`: 200 for Basic `u:s3cret`, else a 401 asking for Basic. */
const basicAuthOnly: RawHandler = async (conn, { head }) => {
  const ok = head.includes(`\r\nAuthorization: Basic ${btoa("u:s3cret")}\r\n`);
  await send(
    conn,
    ok
      ? "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n"
      : 'HTTP/1.1 401 No\r\nWWW-Authenticate: Basic realm="r"\r\nContent-Length: 0\r\n\r\n',
  );
};

Deno.test("wget --ask-password reads the password from standard input and sends it after the 401", async () => {
  await using server = startRawServer({ "/private": basicAuthOnly });
  await using dir = await tempDir();
  const args = ["--user=u", "--ask-password", "-O", `${dir.path}/out`, `${server.base}/private`];
  const result = await runCommand("wget", ["-q", ...args], "s3cret\n");
  assertEquals(result.code, 0, result.stderr);
  assert(/^Password for user (?:'u'|\u2018u\u2019): $/.test(result.stderr), result.stderr);
  assertEquals(await readText(`${dir.path}/out`), "ok\n");
  const wrong = await runCommand("wget", ["-q", ...args], "wrong\n");
  assertEquals(wrong.code, 6);
  // GNU's words and exit code (1) for the pair: tests/cmd/wget_test.ts's next test.
  assertEquals(await run("--ask-password", "--password=x", server.base), 1);
});

peerTest(
  "wget --ask-password prompts, warns and fails as GNU wget 1.21.3: no user, --http-user, an empty answer, --password, --http-password",
  ["wget"],
  async () => {
    await using server = startRawServer({ "/private": basicAuthOnly });
    await using dir = await tempDir();
    const cases: [string[], string][] = [
      [[], "s3cret\n"],
      [["--user=u"], "\n"],
      [["--user=u"], ""],
      [["--http-user=u"], "s3cret\n"],
      [["--user=u", "--password=x"], "s3cret\n"],
      [["--user=u", "--http-password=s3cret"], "wrong\n"],
    ];
    for (const [extra, input] of cases) {
      const args = ["-q", "--ask-password", ...extra, "-O", "-", `${server.base}/private`];
      const outcomes = [];
      for (const argv of [["wget", ...args], [Deno.execPath(), ...commandArgs("wget"), ...args]]) {
        const child = new Deno.Command(argv[0]!, {
          args: argv.slice(1),
          cwd: dir.path,
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
          env: { LC_ALL: "C.UTF-8" },
        }).spawn();
        const writer = child.stdin.getWriter();
        try {
          await writer.write(new TextEncoder().encode(input));
          await writer.close();
        } catch {
          // Gone before reading (the --password pair ends wget first).
        }
        const { code, stdout, stderr } = await child.output();
        const decoder = new TextDecoder();
        outcomes.push({ code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) });
      }
      deepEqual(outcomes[1], outcomes[0], `${extra.join(" ")} <<< ${JSON.stringify(input)}`);
    }
  },
);

Deno.test("wget -i /dev/stdin reads a piped list once (the start-up peek for https:// skips pipes)", async () => {
  await using dir = await tempDir();
  await using server = startRawServer({
    "/a": async (conn) => void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nA\n"),
    "/b": async (conn) => void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nB\n"),
  });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../cmd/wget.ts", import.meta.url).pathname,
      "-q",
      "-P",
      dir.path,
      "-i",
      "/dev/stdin",
    ],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(`${server.base}/a\n${server.base}/b\n`));
  await writer.close();
  const { code, stderr } = await child.output();
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  deepEqual(await listDir(dir.path), ["a", "b"]);
});
