/**
 * The server side's request head parser, by RFC 9112: the request line, the header fields, and
 * the framing they declare (Content-Length, chunked), refusing the shapes that smuggle requests
 * past a proxy (Content-Length with Transfer-Encoding, obsolete line folding, a bare CR,
 * whitespace before a colon, conflicting lengths).
 *
 * @module
 */

import { markNetkitError } from "../io/netkit_error.ts";

/** The default bound on a request head (request line and header fields): 16 KiB. */
export const DEFAULT_MAX_HEAD_BYTES = 16 * 1024;

/** The most header fields a request may carry. */
export const MAX_HEADER_FIELDS = 100;

/** A parsed request head. */
export interface RequestHead {
  /** The method, as sent (case-sensitive, e.g. `GET`). */
  method: string;
  /** The request target, as sent: `/path?query`, `http://host/path`, `*` or `host:port`. */
  target: string;
  /** The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1 (and any later 1.x). */
  minor: number;
  /** The header fields in order, names in lowercase. */
  headers: [string, string][];
  /** The Host field's value, or undefined. */
  host: string | undefined;
  /** The body's length from Content-Length, or -1 when there is none (or it is chunked). */
  contentLength: number;
  /** Whether the body is chunked. */
  chunked: boolean;
  /** Whether the client wants the connection kept open after this request. */
  keepAlive: boolean;
  /** Whether the client sent `Expect: 100-continue` (HTTP/1.1 only). */
  expectContinue: boolean;
}

/**
 * A request the server cannot accept, with the status to answer: 400 (malformed, smuggling
 * shapes), 414 (request line too long), 431 (head too large), 417 (unknown expectation), 501
 * (unsupported transfer coding), 505 (HTTP version). After one the connection is closed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RequestHeadError } from "@netkit/netkit/http";
 *
 * const error = new RequestHeadError(431, "The request head is larger than 16384 bytes");
 * assert.ok(error instanceof SyntaxError);
 * assert.equal(error.status, 431);
 * assert.equal(error.code, "HTTP_REQUEST");
 * ```
 */
export class RequestHeadError extends SyntaxError {
  /** The status to answer. */
  readonly status: number;
  /** NetkitError's machine-readable code: `HTTP_REQUEST`. */
  declare readonly code: string;
  /** Builds the error. */
  constructor(status: number, message: string) {
    super(message);
    this.name = "RequestHeadError";
    this.status = status;
    markNetkitError(this, "HTTP_REQUEST");
  }
}

const LF = 10;
const CR = 13;
const SP = 32;
const HT = 9;
const COLON = 58;

/** tchar of RFC 9110 section 5.6.2: `!#$%&'*+-.^_`|~`, digits and letters. */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 65; c <= 90; c++) TCHAR[c] = TCHAR[c + 32] = 1;

const HOST_CHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:%[\]]*$/;
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]/i;
const utf8 = new TextDecoder();

/**
 * Where a complete head ends in `bytes[start, end)`: the index just past the empty line that ends
 * it (CRLF CRLF, or bare LFs), or -1 when it has not all arrived. Searches from `from` (a caller
 * reading a head in pieces passes where the last search stopped, so a dripped head costs linear
 * time).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findHeadEnd } from "@netkit/netkit/http";
 *
 * const bytes = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\nrest");
 * assert.equal(findHeadEnd(bytes, 0, bytes.length), bytes.length - 4);
 * assert.equal(findHeadEnd(bytes, 0, 10), -1);
 * ```
 */
export function findHeadEnd(bytes: Uint8Array, start: number, end: number, from = start): number {
  // Searched within what has arrived: a buffer's stale tail is never scanned.
  const arrived = end < bytes.length ? bytes.subarray(0, end) : bytes;
  let at = Math.max(start, from);
  while (at < end) {
    const lf = arrived.indexOf(LF, at);
    if (lf < 0 || lf >= end) return -1;
    const next = lf + 1;
    if (next < end && bytes[next]! === LF) return next + 1;
    if (next + 1 < end && bytes[next]! === CR && bytes[next + 1]! === LF) return next + 2;
    if (next + 1 >= end) return -1;
    at = next;
  }
  return -1;
}

/** What {@linkcode checkRequestLinePrefix} returns once the whole request line has been checked. */
export const LINE_CHECKED: number = Number.MAX_SAFE_INTEGER;

/**
 * Checks the part of a request line that has arrived, `bytes[start, end)` with no complete head
 * yet, so that garbage is refused at once instead of waiting for a head that never ends: the
 * method must be a token, the target visible ASCII, the version `HTTP/` digits. Resumes at
 * `from` (what an earlier call checked) and returns how far it got: each byte is checked once,
 * and finding the line's spaces again is one native scan of what has arrived (at most the head
 * limit).
 *
 * @returns Where the next call may resume ({@linkcode LINE_CHECKED} once the line is whole).
 * @throws {RequestHeadError} 400 for a prefix no valid request line starts with.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkRequestLinePrefix, RequestHeadError } from "@netkit/netkit/http";
 *
 * const good = new TextEncoder().encode("GET /a HT");
 * assert.equal(checkRequestLinePrefix(good, 0, good.length), good.length);
 * const bad = new TextEncoder().encode("G\0T /a");
 * assert.throws(() => checkRequestLinePrefix(bad, 0, bad.length), RequestHeadError);
 * ```
 */
export function checkRequestLinePrefix(
  bytes: Uint8Array,
  start: number,
  end: number,
  from = start,
): number {
  if (from === LINE_CHECKED) return LINE_CHECKED;
  bytes = end < bytes.length ? bytes.subarray(0, end) : bytes;
  let i = Math.max(start, from);
  // Which part `i` is in: find the spaces before it (at most two, so this is cheap).
  const sp1 = bytes.indexOf(SP, start);
  const inMethod = sp1 < 0 || sp1 >= i;
  if (inMethod) {
    for (; i < end; i++) {
      const c = bytes[i]!;
      if (c === SP) break;
      if (c >= 128 || TCHAR[c] === 0) throw bad("The method is not a token");
    }
    if (i >= end) return i;
    if (i === start) throw bad("The request line is not METHOD TARGET VERSION");
    i++; // The first space.
  }
  const method = sp1 < 0 ? i - 1 : sp1;
  const sp2 = bytes.indexOf(SP, method + 1);
  if (sp2 < 0 || sp2 >= i) {
    for (; i < end; i++) {
      const c = bytes[i]!;
      if (c === SP) break;
      if (c < SP || c >= 127) {
        throw bad(
          c === CR || c === LF
            ? "The request line is not METHOD TARGET VERSION"
            : "The request target holds a control character",
        );
      }
    }
    if (i >= end) return i;
    if (i === method + 1) throw bad("The request line is not METHOD TARGET VERSION");
    i++; // The second space.
  }
  const version = bytes.indexOf(SP, method + 1) + 1;
  const expected = "HTTP/";
  for (; i < end; i++) {
    const at = i - version;
    const c = bytes[i]!;
    if (at < 5) {
      if (c !== expected.charCodeAt(at)) throw bad("The request line does not end in HTTP/1.x");
    } else if (at === 5 || at === 7) {
      if (c < 48 || c > 57) throw bad("The request line does not end in HTTP/1.x");
    } else if (at === 6) {
      if (c !== 46) throw bad("The request line does not end in HTTP/1.x");
    } else {
      // The line is whole: what follows is the full parser's to judge.
      if (c === LF || (c === CR && at === 8)) return LINE_CHECKED;
      throw bad("The request line does not end in HTTP/1.x");
    }
  }
  return i;
}

/**
 * Parses a complete request head, `bytes[start, end)` as found by {@linkcode findHeadEnd}.
 *
 * Lines end in CRLF (a bare LF is accepted, RFC 9112 section 2.2); a CR anywhere else, a line starting
 * with whitespace (obsolete folding), whitespace between a field name and its colon, a control
 * character in a value, Content-Length together with Transfer-Encoding, conflicting
 * Content-Lengths, a transfer coding other than a final `chunked`, or an HTTP/1.1 request
 * without exactly one Host are all refused.
 *
 * @param bytes The buffer holding the head.
 * @param start Where the request line starts.
 * @param end Just past the head's final empty line.
 * @returns The head.
 * @throws {RequestHeadError} with the status to answer.
 *
 * @example Parse a request head
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRequestHead } from "@netkit/netkit/http";
 *
 * const bytes = new TextEncoder().encode("GET /a?b HTTP/1.1\r\nHost: example.org\r\n\r\n");
 * const head = parseRequestHead(bytes, 0, bytes.length);
 * assert.equal(head.method, "GET");
 * assert.equal(head.target, "/a?b");
 * assert.equal(head.host, "example.org");
 * assert.equal(head.keepAlive, true);
 * ```
 *
 * @example Refuse a smuggling shape
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRequestHead, RequestHeadError } from "@netkit/netkit/http";
 *
 * const bytes = new TextEncoder().encode(
 *   "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
 * );
 * assert.throws(() => parseRequestHead(bytes, 0, bytes.length), RequestHeadError);
 * ```
 */
export function parseRequestHead(bytes: Uint8Array, start: number, end: number): RequestHead {
  return parseQuickly(bytes, start, end) ?? parseSlowly(bytes, start, end);
}

const REQUEST_LINE = /([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([\x21-\x7e]+) HTTP\/([0-9])\.([0-9])\r?\n/y;
// Each pattern can match a line in one way only, so a failing line costs linear time (a value of
// 16 KiB of blanks must not cost 16K x 16K steps of backtracking).
const FIELD_LINE = /([!#$%&'*+\-.^_`|~0-9A-Za-z]+):([^\r\n]*)\r?\n/y;
const FIELD_VALUE = /^[\t\x20-\x7e]*$/;

/**
 * The common case, decoded at once and matched with two regular expressions: an ASCII head in
 * the strict grammar. Undefined for anything else, which {@linkcode parseSlowly} then reads
 * byte by byte to accept (obs-text) or to name what is wrong.
 */
function parseQuickly(bytes: Uint8Array, start: number, end: number): RequestHead | undefined {
  const text = utf8.decode(bytes.subarray(start, end));
  REQUEST_LINE.lastIndex = 0;
  const line = REQUEST_LINE.exec(text);
  if (line === null) return undefined;
  const major = line[3]!.charCodeAt(0) - 48;
  if (major !== 1) return undefined;
  const headers: [string, string][] = [];
  let at = REQUEST_LINE.lastIndex;
  for (;;) {
    const c = text.charCodeAt(at);
    if (c === LF || (c === CR && text.charCodeAt(at + 1) === LF)) break;
    if (headers.length >= MAX_HEADER_FIELDS) return undefined;
    FIELD_LINE.lastIndex = at;
    const field = FIELD_LINE.exec(text);
    if (field === null) return undefined;
    const value = field[2]!;
    if (!FIELD_VALUE.test(value)) return undefined;
    // Only SP and HT can be blanks here, so trim() removes exactly the OWS around the value.
    headers.push([field[1]!.toLowerCase(), value.trim()]);
    at = FIELD_LINE.lastIndex;
  }
  return interpret(line[1]!, line[2]!, line[4] === "0" ? 0 : 1, headers);
}

/** Reads the head byte by byte: obs-text in values, and a precise error for what is refused. */
function parseSlowly(bytes: Uint8Array, start: number, end: number): RequestHead {
  // The request line.
  let lineEnd = bytes.indexOf(LF, start);
  if (lineEnd < 0 || lineEnd >= end) throw bad("The request head has no end");
  let lineStop = lineEnd > start && bytes[lineEnd - 1]! === CR ? lineEnd - 1 : lineEnd;
  const cr = bytes.indexOf(CR, start);
  if (cr >= 0 && cr < lineStop) throw bad("The request line holds a bare CR");
  const sp1 = bytes.indexOf(SP, start);
  if (sp1 <= start || sp1 >= lineStop) throw bad("The request line is not METHOD TARGET VERSION");
  for (let i = start; i < sp1; i++) {
    const c = bytes[i]!;
    if (c >= 128 || TCHAR[c] === 0) throw bad("The method is not a token");
  }
  const sp2 = bytes.indexOf(SP, sp1 + 1);
  if (sp2 < 0 || sp2 >= lineStop || sp2 === sp1 + 1) {
    throw bad("The request line is not METHOD TARGET VERSION");
  }
  for (let i = sp1 + 1; i < sp2; i++) {
    const c = bytes[i]!;
    if (c <= SP || c >= 127) throw bad("The request target holds a space or a control character");
  }
  if (
    lineStop - sp2 - 1 !== 8 || bytes[sp2 + 1]! !== 72 || bytes[sp2 + 2]! !== 84 ||
    bytes[sp2 + 3]! !== 84 || bytes[sp2 + 4]! !== 80 || bytes[sp2 + 5]! !== 47 ||
    bytes[sp2 + 7]! !== 46
  ) {
    throw bad("The request line does not end in HTTP/1.x");
  }
  const major = bytes[sp2 + 6]! - 48;
  const minorDigit = bytes[sp2 + 8]! - 48;
  if (major < 0 || major > 9 || minorDigit < 0 || minorDigit > 9) {
    throw bad("The request line does not end in HTTP/1.x");
  }
  if (major !== 1) throw new RequestHeadError(505, `HTTP/${major}.${minorDigit} is not supported`);
  const minor = minorDigit === 0 ? 0 : 1;
  const method = ascii(bytes, start, sp1);
  const target = ascii(bytes, sp1 + 1, sp2);

  // The header fields.
  const headers: [string, string][] = [];
  let lineStart = lineEnd + 1;
  while (lineStart < end) {
    lineEnd = bytes.indexOf(LF, lineStart);
    if (lineEnd < 0 || lineEnd >= end) throw bad("The request head has no end");
    lineStop = lineEnd > lineStart && bytes[lineEnd - 1]! === CR ? lineEnd - 1 : lineEnd;
    if (lineStop === lineStart) break; // The empty line.
    const first = bytes[lineStart]!;
    if (first === SP || first === HT) throw bad("Obsolete line folding is not accepted");
    if (headers.length >= MAX_HEADER_FIELDS) {
      throw new RequestHeadError(
        431,
        `The request has more than ${MAX_HEADER_FIELDS} header fields`,
      );
    }
    let colon = -1;
    for (let i = lineStart; i < lineStop; i++) {
      const c = bytes[i]!;
      if (c === COLON) {
        colon = i;
        break;
      }
      if (c >= 128 || TCHAR[c] === 0) {
        throw bad(
          c === CR
            ? "A header field holds a bare CR"
            : c === SP || c === HT
            ? "Whitespace between a field name and its colon is not accepted"
            : "A header field name is not a token",
        );
      }
    }
    if (colon <= lineStart) throw bad("A header field has no name or no colon");
    let valueStart = colon + 1;
    let valueStop = lineStop;
    while (valueStart < valueStop && (bytes[valueStart]! === SP || bytes[valueStart]! === HT)) {
      valueStart++;
    }
    while (
      valueStop > valueStart && (bytes[valueStop - 1]! === SP || bytes[valueStop - 1]! === HT)
    ) {
      valueStop--;
    }
    let high = false;
    for (let i = valueStart; i < valueStop; i++) {
      const c = bytes[i]!;
      if ((c < SP && c !== HT) || c === 127) {
        throw bad(
          c === CR ? "A header field holds a bare CR" : "A header value holds a control character",
        );
      }
      if (c >= 128) high = true;
    }
    const name = ascii(bytes, lineStart, colon).toLowerCase();
    const value = high ? latin1(bytes, valueStart, valueStop) : ascii(bytes, valueStart, valueStop);
    headers.push([name, value]);
    lineStart = lineEnd + 1;
  }
  return interpret(method, target, minor, headers);
}

/** The meaning of a head's fields: Host, framing, connection, expectation; refusing conflicts. */
function interpret(
  method: string,
  target: string,
  minor: number,
  headers: [string, string][],
): RequestHead {
  let host: string | undefined;
  let hosts = 0;
  let contentLength = -1;
  let transferEncoding: string | undefined;
  let connection: string | undefined;
  let expect: string | undefined;
  for (const [name, value] of headers) {
    switch (name) {
      case "host":
        host = value;
        hosts++;
        break;
      case "content-length":
        contentLength = mergeContentLength(contentLength, value);
        break;
      case "transfer-encoding":
        transferEncoding = transferEncoding === undefined ? value : `${transferEncoding},${value}`;
        break;
      case "connection":
        connection = connection === undefined ? value : `${connection},${value}`;
        break;
      case "expect":
        expect = value;
        break;
    }
  }
  if (hosts > 1) throw bad("The request has more than one Host field");
  if (minor === 1 && hosts === 0) throw bad("An HTTP/1.1 request must carry a Host field");
  if (host !== undefined && !HOST_CHAR.test(host)) throw bad("The Host field is not a host");
  if (target.charCodeAt(0) !== 47) { // Not origin-form.
    if (target === "*") {
      if (method !== "OPTIONS") throw bad('The target "*" is only for OPTIONS');
    } else if (method === "CONNECT") {
      throw new RequestHeadError(501, "CONNECT is not supported");
    } else if (!ABSOLUTE_FORM.test(target)) {
      throw bad("The request target is not a path or an http(s) URL");
    }
  }

  let chunked = false;
  if (transferEncoding !== undefined) {
    if (contentLength >= 0) {
      throw bad("Content-Length and Transfer-Encoding together are not accepted");
    }
    if (minor === 0) throw bad("Transfer-Encoding is not accepted in HTTP/1.0");
    const codings = transferEncoding.split(",").map((coding) => coding.trim().toLowerCase());
    if (codings.at(-1) !== "chunked") {
      throw bad("The final transfer coding is not chunked");
    }
    if (codings.length > 1) {
      throw new RequestHeadError(501, `The transfer coding "${codings[0]}" is not supported`);
    }
    chunked = true;
  }

  let keepAlive = minor === 1;
  if (connection !== undefined) {
    for (const option of connection.split(",")) {
      const token = option.trim().toLowerCase();
      if (token === "close") {
        keepAlive = false;
        break;
      }
      if (token === "keep-alive") keepAlive = true;
    }
  }
  let expectContinue = false;
  if (expect !== undefined && minor === 1) {
    if (expect.toLowerCase() !== "100-continue") {
      throw new RequestHeadError(417, `The expectation "${expect.slice(0, 40)}" is not supported`);
    }
    expectContinue = true;
  }
  return {
    method,
    target,
    minor,
    headers,
    host,
    contentLength,
    chunked,
    keepAlive,
    expectContinue,
  };
}

/**
 * The size of one chunk from its chunk-size line, `bytes[start, stop)` without the CRLF:
 * hexadecimal digits, then optional extensions after `;` (ignored).
 *
 * @throws {RequestHeadError} 400 for anything else, 413 when it exceeds `maxSize`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseChunkSize } from "@netkit/netkit/http";
 *
 * const line = new TextEncoder().encode("1a;name=value");
 * assert.equal(parseChunkSize(line, 0, line.length, 1000), 26);
 * ```
 */
export function parseChunkSize(
  bytes: Uint8Array,
  start: number,
  stop: number,
  maxSize: number,
): number {
  let size = 0;
  let i = start;
  for (; i < stop; i++) {
    const c = bytes[i]!;
    const digit = c >= 48 && c <= 57
      ? c - 48
      : c >= 97 && c <= 102
      ? c - 87
      : c >= 65 && c <= 70
      ? c - 55
      : -1;
    if (digit < 0) break;
    size = size * 16 + digit;
    if (size > maxSize) {
      throw new RequestHeadError(413, `The request body is larger than ${maxSize} bytes`);
    }
  }
  if (i === start) throw bad("A chunk size is not hexadecimal");
  while (i < stop && (bytes[i]! === SP || bytes[i]! === HT)) i++;
  if (i < stop && bytes[i]! !== 59) throw bad("A chunk size is not hexadecimal");
  for (; i < stop; i++) {
    const c = bytes[i]!;
    if ((c < SP && c !== HT) || c === 127) throw bad("A chunk extension holds a control character");
  }
  return size;
}

function bad(message: string): RequestHeadError {
  return new RequestHeadError(400, message);
}

function mergeContentLength(previous: number, value: string): number {
  let length = previous;
  for (const part of value.split(",")) {
    const text = part.trim();
    if (!/^[0-9]{1,15}$/.test(text)) {
      throw bad(`The Content-Length "${value.slice(0, 40)}" is not a number`);
    }
    const parsed = Number(text);
    if (length >= 0 && parsed !== length) throw bad("The request has conflicting Content-Lengths");
    length = parsed;
  }
  return length;
}

/** Bytes already checked to be ASCII, as a string. */
function ascii(bytes: Uint8Array, start: number, stop: number): string {
  if (stop - start < 24) {
    let text = "";
    for (let i = start; i < stop; i++) text += String.fromCharCode(bytes[i]!);
    return text;
  }
  return utf8.decode(bytes.subarray(start, stop));
}

/** Bytes as ISO-8859-1 (obs-text in a field value keeps its byte values). */
function latin1(bytes: Uint8Array, start: number, stop: number): string {
  let text = "";
  for (let i = start; i < stop; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}
