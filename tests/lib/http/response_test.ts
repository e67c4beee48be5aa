import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import {
  ConnectionClosedError,
  HeaderLimitError,
  HttpProtocolError,
} from "../../../lib/http/errors.ts";
import {
  bodyFraming,
  HttpHeaders,
  readHttpResponseHead,
  responseKeepsConnection,
} from "../../../lib/http/response.ts";
import { streamOf } from "../../harness/byte_source.ts";

Deno.test("readHttpResponseHead() reads HTTP/1.0 and 1.1 with CRLF or bare LF, byte by byte", async () => {
  for (const piece of [1, 3, 1 << 20]) {
    for (const eol of ["\r\n", "\n"]) {
      const text = `HTTP/1.0 404 Not Found${eol}Content-Type: text/plain${eol}X-Multi: a${eol}` +
        `\tfolded${eol}x-multi: b${eol}${eol}body`;
      await using stream = streamOf(text, piece);
      const head = await readHttpResponseHead(stream);
      equal(head.version, "HTTP/1.0");
      equal(head.status, 404);
      equal(head.reason, "Not Found");
      equal(head.headers.get("content-type"), "text/plain");
      deepEqual(head.headers.getAll("X-MULTI"), ["a folded", "b"]);
      equal(await stream.readLine(), "body");
    }
  }
});

Deno.test("readHttpResponseHead() skips 1xx interim responses and tolerates no reason phrase", async () => {
  await using stream = streamOf(
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Hints\r\nLink: x\r\n\r\nHTTP/1.1 204\r\n\r\n",
  );
  const head = await readHttpResponseHead(stream);
  equal(head.status, 204);
  equal(head.reason, "");
  equal(head.headers.get("Link"), undefined);
});

Deno.test("readHttpResponseHead() rejects hostile heads with typed errors", async () => {
  const cases: [string, new (...args: never[]) => Error][] = [
    ["HTTP/2 200 OK\r\n\r\n", HttpProtocolError],
    ["HTTP/1.1 99 Low\r\n\r\n", HttpProtocolError],
    ["HTTP/1.1 2000 OK\r\n\r\n", HttpProtocolError],
    ["ICY 200 OK\r\n\r\n", HttpProtocolError],
    ["<html>hello</html>\n\n", HttpProtocolError],
    ["HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", HttpProtocolError],
    ["HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", HttpProtocolError],
    ["HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", HttpProtocolError],
    ["HTTP/1.1 200 OK\r\n folded first\r\n\r\n", HttpProtocolError],
    ["", ConnectionClosedError],
    ["HTTP/1.1 200 OK\r\nX: 1\r\n", ConnectionClosedError],
    [`HTTP/1.1 200 OK\r\nX: ${"a".repeat(70_000)}\r\n\r\n`, HeaderLimitError],
    [`HTTP/1.1 200 OK\r\n${"X: 1\r\n".repeat(101)}\r\n`, HeaderLimitError],
    [`HTTP/1.1 200 OK\r\n${`X: ${"a".repeat(1000)}\r\n`.repeat(70)}\r\n`, HeaderLimitError],
    ["\r\n".repeat(40_000) + "HTTP/1.1 200 OK\r\n\r\n", HeaderLimitError],
    [
      `HTTP/1.1 200 OK\r\n${"\r\n".repeat(10)}`.replace(
        "\r\n\r\n",
        `\r\n${"X: y\r\n".repeat(200)}`,
      ),
      HeaderLimitError,
    ],
  ];
  for (const [text, kind] of cases) {
    await using stream = streamOf(text, 4096);
    await rejects(readHttpResponseHead(stream), kind, JSON.stringify(text.slice(0, 40)));
  }
});

function headWith(status: number, entries: [string, string][]) {
  const headers = new HttpHeaders();
  headers.entries.push(...entries);
  return { version: "HTTP/1.1", status, reason: "", headers, lines: [] };
}

Deno.test("bodyFraming() picks none, length, chunked or close", () => {
  deepEqual(bodyFraming("GET", headWith(200, [["Content-Length", "10"]])), {
    kind: "length",
    length: 10,
  });
  deepEqual(bodyFraming("GET", headWith(200, [["Content-Length", "7, 7"]])), {
    kind: "length",
    length: 7,
  });
  deepEqual(bodyFraming("GET", headWith(200, [])), { kind: "close" });
  deepEqual(
    bodyFraming("GET", headWith(200, [["Transfer-Encoding", "chunked"], ["Content-Length", "5"]])),
    {
      kind: "chunked",
    },
  );
  for (const status of [204, 304, 100]) {
    equal(bodyFraming("GET", headWith(status, [["Content-Length", "5"]])).kind, "none");
  }
  equal(bodyFraming("HEAD", headWith(200, [["Content-Length", "5"]])).kind, "none");
});

Deno.test("bodyFraming() refuses bad or conflicting lengths and unknown codings", () => {
  for (const value of ["-1", "abc", "1e3", "0x10", "5, 6", "9999999999999999", ""]) {
    throws(
      () => bodyFraming("GET", headWith(200, [["Content-Length", value]])),
      HttpProtocolError,
      value,
    );
  }
  throws(
    () => bodyFraming("GET", headWith(200, [["Content-Length", "5"], ["Content-Length", "6"]])),
    HttpProtocolError,
  );
  for (const value of ["gzip", "chunked, gzip", "gzip, chunked"]) {
    throws(
      () => bodyFraming("GET", headWith(200, [["Transfer-Encoding", value]])),
      HttpProtocolError,
      value,
    );
  }
});

Deno.test("responseKeepsConnection(): HTTP/1.1 unless close, HTTP/1.0 only with keep-alive", () => {
  const cases: [string, [string, string][], boolean][] = [
    ["HTTP/1.1", [], true],
    ["HTTP/1.1", [["Connection", "close"]], false],
    ["HTTP/1.1", [["connection", "Upgrade, CLOSE"]], false],
    ["HTTP/1.1", [["Connection", "keep-alive"]], true],
    ["HTTP/1.0", [], false],
    ["HTTP/1.0", [["Connection", "Keep-Alive"]], true],
    ["HTTP/1.0", [["Connection", "keep-alive"], ["Connection", "close"]], false],
  ];
  for (const [version, entries, keeps] of cases) {
    const head = { ...headWith(200, entries), version };
    equal(responseKeepsConnection(head), keeps, `${version} ${JSON.stringify(entries)}`);
  }
});

Deno.test("readHttpResponseHead() reports each interim response to onInterim", async () => {
  const text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" +
    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  await using stream = streamOf(text, 7);
  const seen: number[] = [];
  const head = await readHttpResponseHead(stream, { onInterim: (h) => seen.push(h.status) });
  equal(head.status, 200);
  deepEqual(seen, [100, 103]);
});

Deno.test("readHttpResponseHead() reads a head buffered whole as it reads one byte by byte", async () => {
  const bom = "\ufeff";
  const heads: (string | Uint8Array)[] = [
    "HTTP/1.1 200 OK\r\nA: 1\nB:  2 \r\n\tc\r\n \r\nX\r\r: 1\r\n\r\nbody",
    "HTTP/1.1 200 OK\r\n\r\n",
    "HTTP/1.1 200 OK\n\rX: 1\n\n",
    "HTTP/1.1 200 OK\r\nX: a\r\r\n\r\n",
    "HTTP/1.1 100 Continue\r\nA: 1\r\n\r\nHTTP/1.1 200 OK\r\nB: 2\r\n\r\n",
    `HTTP/1.1 200 OK\r\nX: caf\u00e9\r\n${bom}Y: 1\r\nZ: ${bom}\r\n\r\n`,
    new Uint8Array([...new TextEncoder().encode("HTTP/1.1 200 OK\r\nX: \xe2\x82"), 13, 10, 13, 10]),
    new Uint8Array([
      ...new TextEncoder().encode("HTTP/1.1 200 OK\r\nX: a"),
      0xe2,
      0x82,
      13,
      10,
      0xff,
      ...new TextEncoder().encode("Y: b\r\n\r\n"),
    ]),
    "HTTP/1.1 200 OK\r\nNo colon\r\n\r\n",
    "HTTP/1.1 200 OK\r\n folded first\r\n\r\n",
    `HTTP/1.1 200 OK\r\n${"X: 1\r\n".repeat(101)}\r\n`,
    `HTTP/1.1 200 OK\r\n${"X: 1\r\n".repeat(100)}\r\n`,
    `HTTP/1.1 200 OK\r\nX: ${"a".repeat(197)}\r\n\r\n`,
    `HTTP/1.1 200 OK\r\nX: ${"a".repeat(198)}\r\n\r\n`,
  ];
  const read = async (text: string | Uint8Array, piece: number) => {
    await using stream = streamOf(text, piece, 200);
    try {
      const head = await readHttpResponseHead(stream, { maxHeaderBytes: 1000 });
      return { head, rest: await stream.readLine() };
    } catch (error) {
      return { error: `${(error as Error).name}: ${(error as Error).message}` };
    }
  };
  for (const text of heads) {
    deepEqual(await read(text, 1 << 20), await read(text, 1), JSON.stringify(text));
  }
  // The limits, whole or byte by byte: 1,000 bytes of head, lines of 200.
  equal(
    (await read(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(198)}\r\n\r\n`, 1 << 20)).error?.split(":")[0],
    "HeaderLimitError",
  );
});

Deno.test("readHttpResponseHead() reads status lines as its expression does, whatever their shape", async () => {
  const cases: [string, [string, number, string] | undefined][] = [
    ["HTTP/1.1 200 OK", ["HTTP/1.1", 200, "OK"]],
    ["HTTP/1.0 404 Not Found  ", ["HTTP/1.0", 404, "Not Found"]],
    ["HTTP/1.1 200", ["HTTP/1.1", 200, ""]],
    ["HTTP/1.1 200 ", ["HTTP/1.1", 200, ""]],
    ["HTTP/1.1 200\tTab", ["HTTP/1.1", 200, "Tab"]],
    ["HTTP/1.1 599 \u00e9t\u00e9", ["HTTP/1.1", 599, "\u00e9t\u00e9"]],
    ["HTTP/1.1 200 O\rK", undefined],
    ["HTTP/1.1 200 a\u2028b", undefined],
    ["HTTP/1.1 200OK", undefined],
    ["HTTP/1.1  200 OK", undefined],
    ["HTTP/1.2 200 OK", undefined],
    ["HTTP/1.1 099 OK", undefined],
    ["HTTP/1.1 2x0 OK", undefined],
    ["http/1.1 200 OK", undefined],
    ["HTTP/1.1 20", undefined],
  ];
  for (const [line, expected] of cases) {
    await using stream = streamOf(`${line}\r\n\r\n`);
    if (expected === undefined) {
      await rejects(readHttpResponseHead(stream), HttpProtocolError, JSON.stringify(line));
      continue;
    }
    const head = await readHttpResponseHead(stream);
    deepEqual([head.version, head.status, head.reason], expected, JSON.stringify(line));
  }
});
