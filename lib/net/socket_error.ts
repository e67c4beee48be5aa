/**
 * The one error type the socket layers throw, naming the step that failed, the peer and the OS
 * error in words a user can act on.
 *
 * @module
 */

import { NetkitError, type NetkitErrorCode } from "../io/netkit_error.ts";
import { formatHostPort } from "./host_port.ts";

/** The step of a socket's life that failed. */
export type SocketStep = "resolve" | "connect" | "bind" | "accept" | "read" | "write";

/** What went wrong, reduced from the OS error to the cases a caller branches on. */
export type SocketFailure =
  | "refused"
  | "unreachable"
  | "address-in-use"
  | "address-not-available"
  | "timed-out"
  | "reset"
  | "not-found"
  | "aborted"
  | "closed"
  | "other";

/** Options of {@linkcode SocketError}. */
export interface SocketErrorOptions {
  /** The step that failed. */
  step: SocketStep;
  /** The host (name or address) involved; `""` where there is none. */
  host: string;
  /** The port involved; `0` where there is none. */
  port: number;
  /** What went wrong. */
  failure: SocketFailure;
  /** The original error, kept for debugging. */
  cause?: unknown;
}

const FAILURE_TEXT: Record<SocketFailure, string> = {
  "refused": "connection refused",
  "unreachable": "network unreachable",
  "address-in-use": "address already in use",
  "address-not-available": "address not available",
  "timed-out": "timed out",
  "reset": "connection reset by peer",
  "not-found": "host not found",
  "aborted": "aborted",
  "closed": "connection closed",
  "other": "failed",
};

/** The {@linkcode NetkitError} code of each failure. */
const FAILURE_CODE: Record<SocketFailure, NetkitErrorCode> = {
  "refused": "ECONNREFUSED",
  "unreachable": "ENETUNREACH",
  "address-in-use": "EADDRINUSE",
  "address-not-available": "EADDRNOTAVAIL",
  "timed-out": "TIMEOUT",
  "reset": "ECONNRESET",
  "not-found": "ENOTFOUND",
  "aborted": "ABORTED",
  "closed": "CLOSED",
  "other": "SOCKET_ERROR",
};

/**
 * A socket operation failed. `step`, `host`, `port` and `failure` say which and why; `code` is
 * the failure as a {@linkcode NetkitError} code (`ECONNREFUSED`, `TIMEOUT`, `CLOSED`, ...); the OS
 * error is kept as `cause`.
 *
 * @example Tell a refused connection from the rest
 * ```ts
 * import assert from "node:assert/strict";
 * import { SocketError } from "@netkit/netkit/net";
 *
 * const error = new SocketError({ step: "connect", host: "127.0.0.1", port: 9, failure: "refused" });
 * assert.equal(error.message, 'Cannot connect to "127.0.0.1:9": connection refused');
 * assert.equal(error.code, "ECONNREFUSED");
 * ```
 */
export class SocketError extends NetkitError {
  /** The step that failed. */
  readonly step: SocketStep;
  /** The host involved. */
  readonly host: string;
  /** The port involved. */
  readonly port: number;
  /** What went wrong. */
  readonly failure: SocketFailure;

  /** Builds the error; the message is derived from the options. */
  constructor(options: SocketErrorOptions) {
    super(FAILURE_CODE[options.failure], describe(options), { cause: options.cause });
    this.name = "SocketError";
    this.step = options.step;
    this.host = options.host;
    this.port = options.port;
    this.failure = options.failure;
  }
}

function describe({ step, host, port, failure, cause }: SocketErrorOptions): string {
  const where = formatHostPort(host, port);
  const verb = {
    resolve: "Cannot resolve",
    connect: "Cannot connect to",
    bind: "Cannot listen on",
    accept: "Cannot accept on",
    read: "Cannot read from",
    write: "Cannot write to",
  }[step];
  const target = step === "resolve" ? `"${host}"` : `"${where}"`;
  let text = FAILURE_TEXT[failure];
  if (failure === "other" && cause instanceof Error && cause.message) text = cause.message;
  return `${verb} ${target}: ${text}`;
}

/**
 * Maps an error thrown by a `Deno` socket call onto a {@linkcode SocketFailure}.
 *
 * @param error Whatever `Deno.connect`, `Deno.listen`, `read` or `write` threw.
 * @returns The failure kind; `"other"` when nothing more precise fits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classifySocketError } from "@netkit/netkit/net";
 *
 * assert.equal(classifySocketError(new Deno.errors.ConnectionRefused("x")), "refused");
 * ```
 */
export function classifySocketError(error: unknown): SocketFailure {
  if (error instanceof SocketError) return error.failure;
  const e = Deno.errors;
  if (error instanceof e.ConnectionRefused) return "refused";
  if (error instanceof e.AddrInUse) return "address-in-use";
  if (error instanceof e.AddrNotAvailable) return "address-not-available";
  if (error instanceof e.TimedOut) return "timed-out";
  if (error instanceof e.ConnectionReset || error instanceof e.BrokenPipe) return "reset";
  if (error instanceof e.ConnectionAborted) return "reset";
  if (error instanceof e.NotFound) return "not-found";
  if (error instanceof e.BadResource || error instanceof e.Interrupted) return "closed";
  if (error instanceof DOMException && error.name === "AbortError") return "aborted";
  const message = error instanceof Error ? error.message.toLowerCase() : String(error);
  if (/unreachable|no route to host/.test(message)) return "unreachable";
  if (
    /name or service not known|failed to lookup|no address associated|nodename nor/.test(message)
  ) {
    return "not-found";
  }
  if (/timed out/.test(message)) return "timed-out";
  if (/connection reset|broken pipe/.test(message)) return "reset";
  return "other";
}
