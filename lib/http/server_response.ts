/**
 * The server's fast path: responses whose bytes are known before they are sent. A
 * {@linkcode PreparedHead} holds a status line and header fields encoded once; a
 * {@linkcode KnownResponse} pairs one with a body. The server adds `Date`, `Content-Length` and
 * `Connection` and writes them without building a `Request` or reading a `Response` stream.
 *
 * @module
 */

import { reasonPhrase } from "./_status_text.ts";
import { latin1Bytes } from "../internal/latin1.ts";

const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const RESERVED = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "date",
  "keep-alive",
]);

/**
 * A status line and header fields, encoded once and reused for every response that shares them.
 * `Content-Length`, `Transfer-Encoding`, `Connection` and `Date` belong to the server and may
 * not be given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PreparedHead } from "@netkit/netkit/http";
 *
 * const head = new PreparedHead(200, [["content-type", "application/json"]]);
 * assert.equal(
 *   new TextDecoder().decode(head.bytes),
 *   "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n",
 * );
 * ```
 */
export class PreparedHead {
  /** The status code. */
  readonly status: number;
  /** The status line and header fields, each ending in CRLF (no final empty line). */
  readonly bytes: Uint8Array;

  /**
   * Encodes the head.
   *
   * @throws {RangeError} for a status outside 200-599.
   * @throws {TypeError} for a field name or value that is not allowed, or a reserved field.
   */
  constructor(status: number, headers: Iterable<[string, string]> = []) {
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError(`The status ${status} is not from 200 to 599`);
    }
    let text = `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n`;
    for (const [name, value] of headers) {
      if (!FIELD_NAME.test(name)) throw new TypeError(`The field name "${name}" is not a token`);
      if (!FIELD_VALUE.test(value)) {
        throw new TypeError(`The value of "${name}" holds a control character`);
      }
      if (RESERVED.has(name.toLowerCase())) {
        throw new TypeError(`The field "${name}" is set by the server`);
      }
      text += `${name}: ${value}\r\n`;
    }
    this.status = status;
    this.bytes = latin1Bytes(text);
  }
}

/** A response whose bytes are known: a prepared head and the whole body. */
export interface KnownResponse {
  /** The status line and header fields. */
  head: PreparedHead;
  /**
   * The body, or its parts in order (e.g. a fresh prefix and a cached, pre-encoded rest); a
   * string is sent as UTF-8. A HEAD request gets its length only.
   */
  body: string | Uint8Array | readonly (string | Uint8Array)[];
}
