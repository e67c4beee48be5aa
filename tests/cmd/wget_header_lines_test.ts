/**
 * What wget's verbose log says of an answer's Content-Type and Last-Modified, beside GNU wget 1.21
 * on the same raw server: the type in the length line without its parameters (`[text/plain]` for
 * `text/plain;charset=UTF-8`), "Last-modified header invalid -- time-stamp ignored." for a date
 * GNU's parser cannot read (plain, `-N`, `-N --no-if-modified-since`, `--spider`), and where
 * "Last-modified header missing" falls after a HEAD.
 */

import assert from "node:assert/strict";
import { peerTest, tempDir } from "../harness/peers.ts";
import { type RawHandler, send, startRawServer } from "../harness/raw_http_server.ts";
import { bothWgetLogs } from "../harness/wget_logs.ts";

/** The copy of each file here before the run. */
const OLD_COPY = new TextEncoder().encode("old\n");

/** A 200 with `headers` and a two-byte body (none for HEAD), the connection closed after it. */
function answer(headers: string[]): RawHandler {
  return async (conn, { head }) => {
    const body = head.startsWith("HEAD ") ? "" : "hi";
    const lines = ["HTTP/1.1 200 OK", ...headers, "Content-Length: 2", "Connection: close"];
    await send(conn, `${lines.join("\r\n")}\r\n\r\n${body}`);
  };
}

/** A 200 with `headers` that says ten bytes and sends two, then closes. */
function cut(headers: string[]): RawHandler {
  return async (conn) => {
    const lines = ["HTTP/1.1 200 OK", ...headers, "Content-Length: 10", "Connection: close"];
    await send(conn, `${lines.join("\r\n")}\r\n\r\nhi`);
  };
}

peerTest(
  "wget's length line and Last-Modified lines read as GNU wget's verbose log",
  ["wget"],
  async (t) => {
    await using dir = await tempDir();
    await using server = startRawServer({
      "/charset": answer(["Content-Type: text/plain;charset=UTF-8"]),
      "/spaced": answer(["Content-Type: text/html ; charset=utf-8"]),
      "/bare-params": answer(["Content-Type: ;x"]),
      "/invalid": answer(["Content-Type: text/plain", "Last-Modified: garbage"]),
      "/time-t-minus-one": answer([
        "Content-Type: text/plain",
        "Last-Modified: Wed, 31 Dec 1969 23:59:59 GMT",
      ]),
      "/untimed": answer(["Content-Type: text/plain"]),
      // Ten bytes said, two sent: the body is cut short (GNU's got_head lines after its dots).
      "/cut-invalid": cut(["Content-Type: text/plain", "Last-Modified: garbage"]),
      "/cut-untimed": cut(["Content-Type: text/plain"]),
    });
    const cases: [string, string[]][] = [
      ["charset", []],
      ["spaced", []],
      ["bare-params", []],
      ["invalid", []],
      ["invalid", ["-N"]],
      ["invalid", ["-N", "--no-if-modified-since"]],
      ["invalid", ["--spider"]],
      ["invalid", ["-nv"]],
      ["time-t-minus-one", []],
      ["untimed", ["-N", "--no-if-modified-since"]],
      ["untimed", ["--spider", "-N"]],
      // The first file's line said, the second's still said.
      ["invalid", ["-t", "1", `${server.base}/cut-invalid`]],
      ["cut-untimed", ["-N", "-t", "2"]],
    ];
    for (const [path, options] of cases) {
      await t.step(`${options.join(" ")} /${path}`.trim(), async () => {
        // An old copy here, for -N to compare with.
        const copy = { name: path, bytes: OLD_COPY, mtime: new Date("2000-01-01") };
        const args = [...options, `${server.base}/${path}`];
        const { gnu, netkit } = await bothWgetLogs(dir.path, args, copy);
        assert.equal(netkit.log, gnu.log);
        assert.equal(netkit.code, gnu.code);
      });
    }
  },
);
