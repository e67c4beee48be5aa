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
import { DnsNotFoundError, DnsTimeoutError } from "@netkit/netkit/dns";
import { LineTooLongError, SocketError, TlsError } from "@netkit/netkit/net";
import { PoolClosedError } from "@netkit/netkit/async";
import { DownloadFileError, GaveUpError } from "@netkit/netkit/download";
import { RackError } from "@netkit/netkit/words";

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
    [new RackError("empty", "x"), "INVALID_RACK"],
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
