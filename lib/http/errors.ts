/**
 * The errors of the HTTP client beyond the socket's own: a response that breaks the protocol, a
 * head larger than the limits, a TLS handshake that fails, and a status that means failure.
 *
 * @module
 */

import { markNetkitError, NetkitError } from "../io/netkit_error.ts";
import { UnexpectedEofError } from "../io/unexpected_eof_error.ts";
/**
 * The server's response is not HTTP/1.x as the client can read it: a bad status line, header,
 * chunk size or framing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpProtocolError } from "@netkit/netkit/http";
 *
 * const error = new HttpProtocolError('Invalid status line "HTTP/9 OK"');
 * assert.ok(error instanceof SyntaxError);
 * ```
 */
export class HttpProtocolError extends SyntaxError {
  /** Builds the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HttpProtocolError";
    markNetkitError(this, "HTTP_PROTOCOL");
  }
}

/**
 * The response head (or a chunked body's trailer) is larger than allowed: too many bytes or too
 * many lines. A server that sends headers without end meets this instead of exhausting memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HeaderLimitError } from "@netkit/netkit/http";
 *
 * const error = new HeaderLimitError("count", 100);
 * assert.equal(error.message, "Response has more than 100 header lines");
 * ```
 */
export class HeaderLimitError extends RangeError {
  /** Which limit was passed. */
  readonly kind: "bytes" | "count";
  /** The limit. */
  readonly limit: number;
  /** Builds the error. */
  constructor(kind: "bytes" | "count", limit: number) {
    super(
      kind === "bytes"
        ? `Response header larger than ${limit} bytes`
        : `Response has more than ${limit} header lines`,
    );
    this.name = "HeaderLimitError";
    markNetkitError(this, "HEADER_LIMIT");
    this.kind = kind;
    this.limit = limit;
  }
}

/**
 * The server answered with a status that is not a success (4xx, 5xx, or a redirect that cannot
 * be followed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpStatusError } from "@netkit/netkit/http";
 *
 * const error = new HttpStatusError(404, "Not Found", "http://127.0.0.1/x");
 * assert.equal(error.message, 'Server answered 404 Not Found for "http://127.0.0.1/x"');
 * ```
 */
export class HttpStatusError extends NetkitError {
  /** The status code. */
  readonly status: number;
  /** The reason phrase. */
  readonly reason: string;
  /** The URL that was asked for. */
  readonly url: string;
  /** Builds the error. */
  constructor(status: number, reason: string, url: string) {
    super("HTTP_STATUS", `Server answered ${status}${reason ? ` ${reason}` : ""} for "${url}"`);
    this.name = "HttpStatusError";
    this.status = status;
    this.reason = reason;
    this.url = url;
  }
}

/**
 * Redirects went on too long: more than the limit, or back to a URL already visited.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RedirectError } from "@netkit/netkit/http";
 *
 * const error = new RedirectError('Redirect loop at "http://a/"', "http://a/");
 * assert.ok(error instanceof Error);
 * assert.equal(error.message, 'Redirect loop at "http://a/"');
 * assert.equal(error.url, "http://a/");
 * ```
 */
export class RedirectError extends NetkitError {
  /** The URL where the redirects were stopped. */
  readonly url: string;
  /** Builds the error. */
  constructor(message: string, url: string) {
    super("REDIRECT", message);
    this.name = "RedirectError";
    this.url = url;
  }
}

/**
 * The server closed the connection before its response (or the part framing it) was complete.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConnectionClosedError } from "@netkit/netkit/http";
 *
 * const error = new ConnectionClosedError("Server closed the connection");
 * assert.equal(error.name, "ConnectionClosedError");
 * ```
 */
export class ConnectionClosedError extends UnexpectedEofError {
  /** Builds the error (an {@linkcode UnexpectedEofError}: one end-of-stream error in netkit). */
  constructor(message: string) {
    super(Number.NaN, Number.NaN, message);
    this.name = "ConnectionClosedError";
  }
}
