import { deepEqual, equal, rejects } from "node:assert/strict";
import { copyChunkedBody } from "../../../lib/http/chunked.ts";
import {
  ConnectionClosedError,
  HeaderLimitError,
  HttpProtocolError,
} from "../../../lib/http/errors.ts";
import { collector, streamOf } from "../../harness/byte_source.ts";

Deno.test("copyChunkedBody() decodes chunks with extensions and trailers, in any split", async () => {
  const wire =
    '4;a=1;b="x"\r\nWiki\r\n5 ; ext\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n000\r\nX-Sum: 9\r\nX-More: y\r\n\r\nNEXT';
  for (const piece of [1, 2, 7, 1 << 20]) {
    await using stream = streamOf(wire, piece);
    const sink = collector();
    const progress: number[] = [];
    const result = await copyChunkedBody(stream, sink, { onProgress: (n) => progress.push(n) });
    equal(sink.text(), "Wikipedia in\r\n\r\nchunks.");
    equal(result.bytes, 23);
    deepEqual(result.trailers, [["X-Sum", "9"], ["X-More", "y"]]);
    equal(progress.at(-1), 23);
    equal(await stream.readLine(), "NEXT");
  }
});

Deno.test("copyChunkedBody() copies a large chunk in bulk", async () => {
  const big = new Uint8Array(3 * 1024 * 1024 + 5).fill(97);
  const head = new TextEncoder().encode(`${big.length.toString(16)}\r\n`);
  const tail = new TextEncoder().encode("\r\n0\r\n\r\n");
  const wire = new Uint8Array([...head, ...big, ...tail]);
  await using stream = streamOf(wire, 64 * 1024);
  const sink = collector();
  equal((await copyChunkedBody(stream, sink)).bytes, big.length);
  equal(sink.bytes, big.length);
});

Deno.test("copyChunkedBody() rejects hostile chunked bodies with typed errors", async () => {
  const cases: [string, new (...args: never[]) => Error][] = [
    ["zz\r\n", HttpProtocolError],
    ["-5\r\nhello\r\n0\r\n\r\n", HttpProtocolError],
    ["0x5\r\nhello\r\n0\r\n\r\n", HttpProtocolError],
    ["FFFFFFFFFFFFFFFF\r\n", HttpProtocolError],
    ["10000000000000\r\n", HttpProtocolError],
    ["5\r\nhelloXX\r\n0\r\n\r\n", HttpProtocolError],
    ["5\r\nhel", ConnectionClosedError],
    ["5\r\nhello\r\n", ConnectionClosedError],
    ["", ConnectionClosedError],
    [`0\r\n${"X: y\r\n".repeat(101)}\r\n`, HeaderLimitError],
    [`0\r\nno colon\r\n\r\n`, HttpProtocolError],
    [`${"0".repeat(70_000)}1\r\n`, HttpProtocolError],
  ];
  for (const [wire, kind] of cases) {
    await using stream = streamOf(wire, 5);
    await rejects(copyChunkedBody(stream, collector()), kind, JSON.stringify(wire.slice(0, 30)));
  }
});
