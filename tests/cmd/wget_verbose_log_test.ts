/**
 * wget's default verbose log (and `-S`, `-O -`, `-c`, `--content-on-error`, `--compression`) on
 * odd answers, beside GNU wget 1.21 on the same raw server: `-S` lines escaped as quotearg's
 * escape style and a folded line joined to the one before; the status line's reason escaped, and
 * `200 ` when the reason is empty; Location's non-ASCII bytes as `%XX`; the dots' byte rate with
 * its blank unit (`0.00 =0s`); a 204 written to `-O -`; an error page saved with
 * `--content-on-error` (no length line, its dots); a resumed download's first dot lines
 * (`[ skipping 50K ]`), and none for a server that ignored Range; a body of unknown length
 * shorter than the file `-c` continues (saved, as it is); a gzip body's length line and progress
 * under `--compression=auto`; a file that cannot be made (a file where its directory goes): the
 * length line, a blank line, GNU's `Cannot write to`, and the next URL on a new connection.
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { type RawHandler, send, startRawServer } from "../harness/raw_http_server.ts";
import { bothWgetLogs } from "../harness/wget_logs.ts";

/** An answer with `status` and `headers`, `body` after them (none for HEAD), then closed. */
function answer(status: string, headers: string[], body = "hi", length = true): RawHandler {
  return async (conn, { head }) => {
    const lines = [status, ...headers];
    if (length) lines.push(`Content-Length: ${body.length}`);
    lines.push("Connection: close");
    await send(conn, `${lines.join("\r\n")}\r\n\r\n${head.startsWith("HEAD ") ? "" : body}`);
  };
}

/** A 120000-byte file of zeros that honours `Range: bytes=N-` with a 206 (unless `whole`). */
const ranged = (whole = false): RawHandler => async (conn, { head }) => {
  const total = 120_000;
  const asked = whole ? null : /\r\nRange: bytes=(\d+)-/i.exec(head);
  const start = asked ? Number(asked[1]) : 0;
  const lines = [
    asked ? "HTTP/1.1 206 Partial Content" : "HTTP/1.1 200 OK",
    "Content-Type: application/octet-stream",
    ...(asked ? [`Content-Range: bytes ${start}-${total - 1}/${total}`] : []),
    `Content-Length: ${total - start}`,
    "Connection: close",
  ];
  await send(conn, `${lines.join("\r\n")}\r\n\r\n`);
  await send(conn, new Uint8Array(total - start));
};

/** "hi", gzipped. */
const GZIP_HI = new Uint8Array([
  31,
  139,
  8,
  0,
  0,
  0,
  0,
  0,
  0,
  3,
  203,
  200,
  4,
  0,
  172,
  42,
  147,
  216,
  2,
  0,
  0,
  0,
]);

peerTest("wget's verbose log on odd answers reads as GNU wget's", ["wget"], async (t) => {
  await using dir = await tempDir();
  await using server = startRawServer({
    "/control-type": answer("HTTP/1.1 200 OK", ["Content-Type: text/\x01x\x7f\t;y=1"]),
    "/folded": answer("HTTP/1.1 200 OK", ["Content-Type: text/plain", "X-Folded: a", " b"]),
    "/odd-reason": answer("HTTP/1.1 200 Tr\u00e8s  bien\x01", ["Content-Type: text/plain"]),
    "/no-reason": answer("HTTP/1.1 200", ["Content-Type: text/plain"]),
    "/empty-reason": answer("HTTP/1.1 200 ", ["Content-Type: text/plain"]),
    "/non-ascii-location": answer("HTTP/1.1 302 Found", ["Location: /\u00e9"], ""),
    "/%C3%A9": answer("HTTP/1.1 200 OK", ["Content-Type: text/plain"]),
    "/unsized": answer("HTTP/1.1 200 OK", ["Content-Type: text/plain"], "hi", false),
    "/empty": answer("HTTP/1.1 200 OK", ["Content-Type: text/plain"], ""),
    "/no-content": answer("HTTP/1.1 204 No Content", [], "", false),
    "/missing": answer("HTTP/1.1 404 Not Found", ["Content-Type: text/plain"], "no"),
    "/resumed": answer("HTTP/1.1 206 Partial Content", [
      "Content-Type: text/plain",
      "Content-Range: bytes 4-5/6",
    ]),
    "/ranged": ranged(),
    "/whole": ranged(true),
    "/gzip": async (conn) => {
      const head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n" +
        `Content-Length: ${GZIP_HI.length}\r\nConnection: close\r\n\r\n`;
      await send(conn, head);
      await send(conn, GZIP_HI);
    },
  });
  const cases: [string, string[], [string, Uint8Array]?][] = [
    ["control-type", ["-S"]],
    ["folded", ["-S"]],
    ["odd-reason", []],
    ["odd-reason", ["-S"]],
    ["no-reason", []],
    ["empty-reason", []],
    ["non-ascii-location", []],
    ["empty", []],
    ["no-content", ["-O", "-"]],
    ["missing", ["--content-on-error"]],
    ["resumed", ["-c"], ["resumed", new Uint8Array(4)]],
    ["ranged", ["-c"], ["ranged", new Uint8Array(3000)]],
    ["ranged", ["-c"], ["ranged", new Uint8Array(51_200)]],
    ["ranged", ["-c"], ["ranged", new Uint8Array(60_000)]],
    ["whole", ["-c"], ["whole", new Uint8Array(4)]],
    ["whole", ["-c"], ["whole", new Uint8Array(3000)]],
    ["unsized", ["-c"], ["unsized", new TextEncoder().encode("abcd")]],
    ["gzip", ["--compression=auto"]],
  ];
  for (const [path, options, copy] of cases) {
    const name = `${options.join(" ")} /${path}${copy ? ` (${copy[1].length} bytes here)` : ""}`;
    await t.step(name.trim(), async () => {
      const args = ["-t", "1", ...options, `${server.base}/${path}`];
      const here = copy ? { name: copy[0], bytes: copy[1] } : undefined;
      const { gnu, netkit } = await bothWgetLogs(dir.path, args, here);
      assert.equal(netkit.log, gnu.log);
      assert.equal(netkit.stdout, gnu.stdout);
      assert.equal(netkit.code, gnu.code);
      assert.deepEqual(netkit.files, gnu.files);
    });
  }
});

peerTest(
  "wget's verbose log when the file cannot be made for an answer (a file where its directory goes): GNU's length line and blank line before its Cannot write to, and the next URL on a new connection",
  ["wget", "nginx"],
  async () => {
    await using dir = await tempDir();
    // nginx keeps the connection alive: GNU closes it all the same, its body unread.
    await using nginx = await startNginx(dir.path);
    await Deno.writeTextFile(`${nginx.root}/a.txt`, "a\n");
    await Deno.writeTextFile(`${nginx.root}/b.txt`, "b\n");
    const base = `http://127.0.0.1:${nginx.port}`;
    const here = { name: "file", bytes: new TextEncoder().encode("mine") };
    const { gnu, netkit } = await bothWgetLogs(
      dir.path,
      ["-t", "1", "-P", "file/sub", `${base}/a.txt`, `${base}/b.txt`],
      here,
    );
    // GNU's perror-like lines of its failed mkdir and open are its own (cmd/README.md).
    const ownLines = /^file\/sub(\/[ab]\.txt)?: Not a directory\n/gm;
    assert.match(
      gnu.log,
      /\nLength: 2 \[text\/plain\]\n(.*\n)*\nCannot write to ‘file\/sub\/a.txt’/,
    );
    assert.match(gnu.log, /b\.txt\nConnecting to /);
    assert.equal(netkit.log, gnu.log.replace(ownLines, ""));
    assert.equal(netkit.code, 3);
    assert.equal(netkit.code, gnu.code);
    assert.deepEqual(netkit.files, gnu.files);
  },
);

/**
 * One step a case of `headFails` URLs: GNU wget and netkit's with `--waitretry=0`, `options` and
 * the case's own options for `/PATH` on `base`, into `dir`; the same log, exit code and files.
 */
async function headCasesBesideGnu(
  t: Deno.TestContext,
  dir: string,
  base: string,
  options: string[],
  cases: [string, string[]][],
): Promise<void> {
  for (const [path, own] of cases) {
    await t.step(`${[...options, ...own].join(" ")} /${path}`, async () => {
      const args = ["--waitretry=0", ...options, ...own, `${base}/${path}`];
      const { gnu, netkit } = await bothWgetLogs(dir, args);
      assert.equal(netkit.log, gnu.log);
      assert.equal(netkit.code, gnu.code);
      assert.deepEqual(netkit.files, gnu.files);
    });
  }
}

/**
 * A file named by Content-Disposition whose HEAD is answered `headStatus` (its GET 200), the
 * header on both answers; each answer closes the connection.
 */
function headFails(headStatus: string): RawHandler {
  return async (conn, { head }) => {
    const asHead = head.startsWith("HEAD ");
    const body = "hello\n";
    const lines = [
      asHead ? headStatus : "HTTP/1.1 200 OK",
      "Content-Type: text/plain",
      'Content-Disposition: attachment; filename="named.txt"',
      "Last-Modified: Wed, 01 Jan 2020 00:00:00 GMT",
      `Content-Length: ${body.length}`,
      "Connection: close",
    ];
    await send(conn, `${lines.join("\r\n")}\r\n\r\n${asHead ? "" : body}`);
  };
}

peerTest(
  "wget -N --content-disposition whose HEAD fails: GNU's GET at the next try, or its error",
  ["wget"],
  async (t) => {
    // -N (or -c) with --content-disposition asks with HEAD first (download()'s probe). GNU's
    // http_loop asks again with GET at the next try after a 500 or 501 ("(try: 2)", -nv's URL
    // line, the file named by the HEAD's header; with -t 1 no try is left: exit 4, nothing
    // more said), and fails on any other status as on a GET's (a 404: exit 8, no GET). netkit
    // sent the GET at once after any failed HEAD, named by the URL.
    await using dir = await tempDir();
    await using server = startRawServer({
      "/h500": headFails("HTTP/1.1 500 Internal Server Error"),
      "/h501": headFails("HTTP/1.1 501 Not Implemented"),
      "/h404": headFails("HTTP/1.1 404 Not Found"),
    });
    const cases: [string, string[]][] = [
      ["h500", ["-N"]],
      ["h500", ["-N", "-nv"]],
      ["h501", ["-c"]],
      ["h500", ["-N", "-t", "1"]],
      ["h501", ["-N", "-nv", "-t", "1"]],
      ["h404", ["-N"]],
      ["h404", ["-c", "-nv"]],
    ];
    await headCasesBesideGnu(t, dir.path, server.base, ["--content-disposition"], cases);
  },
);

peerTest(
  "wget --spider whose HEAD is answered 500 or 501: GNU's GET at the next try, none with -t 1",
  ["wget"],
  async (t) => {
    // GNU's http_loop asks again with GET at the next try after --spider's HEAD answered 500 or
    // 501 ("(try: 2)", waited for as a retry); with -t 1 no try is left: exit 4, nothing more
    // said. netkit sent the GET within the HEAD's try (server random seed 1800311).
    await using dir = await tempDir();
    await using server = startRawServer({
      "/h500": headFails("HTTP/1.1 500 Internal Server Error"),
      "/h501": headFails("HTTP/1.1 501 Not Implemented"),
    });
    const cases: [string, string[]][] = [
      ["h500", []],
      ["h501", ["-nv"]],
      ["h500", ["-t", "1"]],
      ["h501", ["-nv", "-t", "1"]],
    ];
    await headCasesBesideGnu(t, dir.path, server.base, ["--spider"], cases);
  },
);
