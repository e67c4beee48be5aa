import assert from "node:assert/strict";
import { markNetkitError, NetkitError } from "../../../lib/io/netkit_error.ts";
import { UnexpectedEofError } from "../../../lib/io/unexpected_eof_error.ts";
import { LineTooLongError } from "../../../lib/io/line_too_long_error.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";
import { TlsError } from "../../../lib/net/tls_error.ts";

Deno.test("NetkitError keeps its code, message and cause", () => {
  const cause = new Deno.errors.TimedOut("os said so");
  const error = new NetkitError("TIMEOUT", "No answer", { cause });
  assert.equal(error.code, "TIMEOUT");
  assert.equal(error.message, "No answer");
  assert.equal(error.cause, cause);
  assert.equal(error.name, "NetkitError");
  assert.ok(error instanceof Error);
});

Deno.test("NetkitError instanceof holds for every netkit error and nothing else", () => {
  const ours = [
    new UnexpectedEofError(2, 1),
    new LineTooLongError(10),
    new SocketError({ step: "read", host: "::1", port: 1, failure: "reset" }),
    new TlsError("Bad certificate", true),
  ];
  for (const error of ours) {
    assert.ok(error instanceof NetkitError, error.name);
    assert.equal(typeof error.code, "string");
  }
  for (const other of [new Error("x"), new RangeError("x"), null, undefined, "TIMEOUT", {}]) {
    assert.ok(!(other instanceof NetkitError));
  }
  // A subclass's instanceof stays its own.
  assert.ok(!(new LineTooLongError(1) instanceof UnexpectedEofError));
  assert.ok(!(new NetkitError("X", "x") instanceof UnexpectedEofError));
});

Deno.test("markNetkitError() brands a RangeError subclass without changing its base", () => {
  class OutOfRange extends RangeError {
    declare readonly code: string;
    constructor() {
      super("Out of range");
      markNetkitError(this, "OUT_OF_RANGE");
    }
  }
  const error = new OutOfRange();
  assert.ok(error instanceof RangeError && error instanceof NetkitError);
  assert.equal(error.code, "OUT_OF_RANGE");
});

Deno.test("SocketError codes follow its failure", () => {
  const codes = {
    refused: "ECONNREFUSED",
    unreachable: "ENETUNREACH",
    "address-in-use": "EADDRINUSE",
    "address-not-available": "EADDRNOTAVAIL",
    "timed-out": "TIMEOUT",
    reset: "ECONNRESET",
    "not-found": "ENOTFOUND",
    aborted: "ABORTED",
    closed: "CLOSED",
    other: "SOCKET_ERROR",
  } as const;
  for (const [failure, code] of Object.entries(codes)) {
    const error = new SocketError({
      step: "connect",
      host: "127.0.0.1",
      port: 1,
      failure: failure as keyof typeof codes,
    });
    assert.equal(error.code, code);
  }
});

Deno.test("UnexpectedEofError counts the bytes, or takes a message of its own", () => {
  assert.equal(new UnexpectedEofError(10, 4).message, "Connection closed after 4 of 10 bytes");
  const custom = new UnexpectedEofError(0, 0, "Server closed the connection inside a chunk");
  assert.equal(custom.message, "Server closed the connection inside a chunk");
  assert.equal(custom.code, "UNEXPECTED_EOF");
});
