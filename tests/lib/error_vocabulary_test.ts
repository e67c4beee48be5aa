/**
 * One error vocabulary: every error class of the library is a NetkitError (or carries its brand
 * and a `code`, where it keeps RangeError or SyntaxError as its base), and HTTP's end of stream is
 * the one end-of-stream error, UnexpectedEofError.
 */

import assert from "node:assert/strict";
import { NetkitError, UnexpectedEofError } from "@netkit/netkit/io";
import {
  ConnectionClosedError,
  HeaderLimitError,
  HttpProtocolError,
  HttpStatusError,
  RedirectError,
  RequestHeadError,
  UrlError,
} from "@netkit/netkit/http";
import {
  DnsBadResponseError,
  DnsCnameChainError,
  DnsError,
  DnsFormatError,
  DnsNoDataError,
  DnsNotFoundError,
  DnsServerError,
  DnsTimeoutError,
  InvalidHostNameError,
} from "@netkit/netkit/dns";
import { LineTooLongError, SocketError, TlsError } from "@netkit/netkit/net";
import {
  PoolClosedError,
  QueueFullError,
  WorkerCrashError,
  WorkerLoadError,
  WorkerTaskError,
} from "@netkit/netkit/async";
import {
  ContentRangeError,
  DigestAttributeError,
  DownloadFileError,
  GaveUpError,
} from "@netkit/netkit/download";
import { RackError } from "@netkit/netkit/words";
import { UsageError } from "@netkit/netkit/cli";
import { MissingPermissionError } from "@netkit/netkit/io";

Deno.test("every error class of the library is a NetkitError with a machine-readable code", () => {
  const errors: [Error, string][] = [
    [new HttpProtocolError("x"), "HTTP_PROTOCOL"],
    [new HeaderLimitError("count", 1), "HEADER_LIMIT"],
    [new HttpStatusError(404, "Not Found", "http://127.0.0.1/"), "HTTP_STATUS"],
    [new RedirectError("x", "http://127.0.0.1/"), "REDIRECT"],
    [new ConnectionClosedError("x"), "UNEXPECTED_EOF"],
    [new UrlError("x", "ftp://x"), "INVALID_URL"],
    [new RequestHeadError(400, "x"), "HTTP_REQUEST"],
    [new DnsNotFoundError("x.test"), "ENOTFOUND"],
    [new DnsTimeoutError("x.test", 1000), "TIMEOUT"],
    [new LineTooLongError(10), "LINE_TOO_LONG"],
    [new UnexpectedEofError(4, 3), "UNEXPECTED_EOF"],
    [new SocketError({ step: "connect", host: "h", port: 1, failure: "refused" }), "ECONNREFUSED"],
    [new TlsError("x", true), "TLS_CERTIFICATE"],
    [new PoolClosedError(), "POOL_CLOSED"],
    [new DownloadFileError("/x", new Error("y")), "FILE"],
    [new GaveUpError(new Error("504"), 3), "GAVE_UP"],
    [new ContentRangeError("bytes 5-9/10", 0), "HTTP_PROTOCOL"],
    [new DigestAttributeError(), "HTTP_PROTOCOL"],
    [new RackError("empty", "x"), "INVALID_RACK"],
    [new DnsError("bad-response", "x.test", "x"), "EBADRESP"],
    [new DnsNoDataError("x.test", "AAAA"), "ENODATA"],
    [new DnsServerError("x.test", 5), "EREFUSED"],
    [new DnsBadResponseError("x.test", "x"), "EBADRESP"],
    [new DnsCnameChainError("x.test", ["a.test"], true), "CNAME_LOOP"],
    [new DnsFormatError("x"), "DNS_FORMAT"],
    [new InvalidHostNameError("a..test", "it has an empty label"), "EBADNAME"],
    [new QueueFullError(1), "QUEUE_FULL"],
    [new WorkerCrashError("x"), "WORKER_CRASHED"],
    [new WorkerLoadError("./w.ts", new Error("x")), "WORKER_LOAD_FAILED"],
    [new WorkerTaskError("x"), "WORKER_TASK_FAILED"],
    [
      new MissingPermissionError({ kind: "net", target: "127.0.0.1:53" }, "x"),
      "MISSING_PERMISSION",
    ],
    [new UsageError("x"), "USAGE"],
  ];
  for (const [error, code] of errors) {
    assert.ok(error instanceof NetkitError, `${error.name} is not a NetkitError`);
    assert.equal((error as NetkitError).code, code, error.name);
  }
  // Keeps the built-in base where callers catch by it.
  assert.ok(new HttpProtocolError("x") instanceof SyntaxError);
  assert.ok(new LineTooLongError(1) instanceof RangeError);
  // One end-of-stream error.
  assert.ok(new ConnectionClosedError("x") instanceof UnexpectedEofError);
});

Deno.test("every error class a public package exports is in the table above", async () => {
  const listed = new Set([
    "HttpProtocolError",
    "HeaderLimitError",
    "HttpStatusError",
    "RedirectError",
    "ConnectionClosedError",
    "UrlError",
    "RequestHeadError",
    "DnsNotFoundError",
    "DnsTimeoutError",
    "LineTooLongError",
    "UnexpectedEofError",
    "SocketError",
    "TlsError",
    "PoolClosedError",
    "DownloadFileError",
    "GaveUpError",
    "ContentRangeError",
    "DigestAttributeError",
    "RackError",
    "DnsError",
    "DnsNoDataError",
    "DnsServerError",
    "DnsBadResponseError",
    "DnsCnameChainError",
    "DnsFormatError",
    "InvalidHostNameError",
    "QueueFullError",
    "WorkerCrashError",
    "WorkerLoadError",
    "WorkerTaskError",
    "MissingPermissionError",
    "UsageError",
    "NetkitError",
  ]);
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const unlisted: string[] = [];
  for (const path of Object.keys(config.exports)) {
    const module = await import(
      path === "." ? "@netkit/netkit" : `@netkit/netkit/${path.slice(2)}`
    );
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== "function" || !(value.prototype instanceof Error)) continue;
      if (!listed.has(name)) unlisted.push(`${path}: ${name}`);
    }
  }
  assert.deepEqual(unlisted, [], "error classes missing from the table of codes");
});
