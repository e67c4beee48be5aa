/**
 * The base of every error netkit throws: one class to catch, one machine-readable `code` to
 * branch on, the underlying error kept as `cause`.
 *
 * @module
 */

/**
 * The codes netkit's own packages use. Packages add their own (upper snake case, or the POSIX
 * name of an OS error such as `ECONNREFUSED`); the type stays open to them.
 *
 * - `TIMEOUT`: a deadline (`connectTimeoutMs`, `readTimeoutMs`, `writeTimeoutMs`, `timeoutMs`)
 *   passed.
 * - `ABORTED`: cancelled through a `signal` (the caller's own `signal.reason` is rethrown as is
 *   where the caller gave one; this code marks errors netkit builds itself).
 * - `CLOSED`: the stream or connection was closed while, or before, the call used it.
 * - `UNEXPECTED_EOF`: the peer ended the stream before the bytes a reader needed.
 * - `LINE_TOO_LONG`: a line went past the reader's limit.
 * - `ECONNREFUSED`, `ECONNRESET`, `ENETUNREACH`, `EADDRINUSE`, `EADDRNOTAVAIL`, `ENOTFOUND`:
 *   the OS errors of sockets, named as POSIX (and Node) name them.
 * - `SOCKET_ERROR`: any other socket failure (the OS error is the `cause`).
 * - `TLS_HANDSHAKE`, `TLS_CERTIFICATE`: a failed TLS handshake, an unverifiable certificate.
 */
export type NetkitErrorCode =
  | "TIMEOUT"
  | "ABORTED"
  | "CLOSED"
  | "UNEXPECTED_EOF"
  | "LINE_TOO_LONG"
  | "ECONNREFUSED"
  | "ECONNRESET"
  | "ENETUNREACH"
  | "EADDRINUSE"
  | "EADDRNOTAVAIL"
  | "ENOTFOUND"
  | "SOCKET_ERROR"
  | "TLS_HANDSHAKE"
  | "TLS_CERTIFICATE"
  // Open to the codes of other packages, while editors still offer the ones above.
  | (string & Record<never, never>);

/**
 * The brand every netkit error carries, under a registered symbol so that two copies of the
 * library in one program still recognise each other's errors.
 */
const BRAND: unique symbol = Symbol.for("@netkit/netkit/NetkitError") as never;

/** What {@linkcode markNetkitError} adds to an error. */
export interface NetkitErrorFields {
  /** The machine-readable kind of failure, e.g. `"TIMEOUT"` or `"ECONNREFUSED"`. */
  readonly code: NetkitErrorCode;
}

/**
 * Gives an error that must keep another built-in base (a `RangeError` or `SyntaxError`, as the
 * house style asks for out-of-range and unparsable input) the `code` and the brand of a
 * {@linkcode NetkitError}, so that `error instanceof NetkitError` holds for it too. Call it in
 * the constructor.
 *
 * @param error The error being built (`this`).
 * @param code Its code.
 *
 * @example A range error that is also a netkit error
 * ```ts
 * import assert from "node:assert/strict";
 * import { markNetkitError, NetkitError } from "@netkit/netkit/io";
 *
 * class TooManyError extends RangeError {
 *   declare readonly code: string;
 *   constructor() {
 *     super("Too many");
 *     markNetkitError(this, "TOO_MANY");
 *   }
 * }
 * const error = new TooManyError();
 * assert.ok(error instanceof RangeError);
 * assert.ok(error instanceof NetkitError);
 * assert.equal(error.code, "TOO_MANY");
 * ```
 */
export function markNetkitError(error: Error, code: NetkitErrorCode): void {
  Object.defineProperty(error, "code", {
    value: code,
    enumerable: true,
    writable: false,
    configurable: true,
  });
  Object.defineProperty(error, BRAND, { value: true });
}

/**
 * The base of netkit's errors. Catch it to tell a network failure from a bug, and branch on
 * `code` rather than on the message. The error that caused it (the OS error, a parse error) is
 * kept as `cause`.
 *
 * A few netkit errors must extend `RangeError` or `SyntaxError` instead (`LineTooLongError`,
 * the HTTP header limit, URL and DNS parse errors): they carry the same brand and `code` through
 * {@linkcode markNetkitError}, and `instanceof NetkitError` is true for them as well.
 *
 * End of stream has one spelling: a reader returns `null` when the stream ends cleanly before
 * the first byte of what it reads (`SocketStream.readLine()` at EOF), and throws
 * `UnexpectedEofError` (code `UNEXPECTED_EOF`) when it ends part-way.
 *
 * @example Branch on the code
 * ```ts
 * import assert from "node:assert/strict";
 * import { NetkitError } from "@netkit/netkit/io";
 * import { createClientSocket } from "@netkit/netkit/net";
 *
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const port = listener.addr.port;
 * listener.close();
 * const error = await createClientSocket("127.0.0.1", port).catch((e) => e);
 * assert.ok(error instanceof NetkitError);
 * assert.equal(error.code, "ECONNREFUSED");
 * ```
 */
export class NetkitError extends Error implements NetkitErrorFields {
  /** The machine-readable kind of failure. */
  declare readonly code: NetkitErrorCode;

  /** Builds the error with its `code`; `options.cause` keeps the underlying error. */
  constructor(code: NetkitErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NetkitError";
    markNetkitError(this, code);
  }

  /**
   * True for every netkit error, including those that extend `RangeError` or `SyntaxError`;
   * subclasses test their own prototype chain as usual.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === NetkitError) {
      return typeof value === "object" && value !== null && BRAND in value;
    }
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}
