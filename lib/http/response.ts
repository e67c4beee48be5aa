/**
 * Reading an HTTP/1.x response head from a {@linkcode SocketStream}: the status line (HTTP/1.0 or
 * 1.1), headers ending in CRLF or a bare LF, folded and repeated headers, bounded in bytes and in
 * lines; and deciding how the body is framed.
 *
 * @module
 */

import { quoteForMessage } from "../internal/quote.ts";
import { ConnectionClosedError, HeaderLimitError, HttpProtocolError } from "./errors.ts";
import { LineTooLongError, type SocketStream } from "../net/socket_stream.ts";

/** The most bytes a response head may take, status line included: 64 KiB. */
export const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;
/** The most header lines a response head may have. */
export const DEFAULT_MAX_HEADER_COUNT = 100;

/** Response headers in arrival order, looked up without regard to case. */
export class HttpHeaders {
  /** Every header as `[name, value]`, in arrival order, names as sent. */
  readonly entries: [string, string][] = [];

  /**
   * All values of `name`, in order.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { HttpHeaders } from "@netkit/netkit/http";
   *
   * const headers = new HttpHeaders();
   * headers.entries.push(["Set-Cookie", "a=1"], ["set-cookie", "b=2"]);
   * assert.deepEqual(headers.getAll("SET-COOKIE"), ["a=1", "b=2"]);
   * ```
   */
  getAll(name: string): string[] {
    // An indexed loop, the lower-case name made once: every response is looked up several times
    // (framing, keep-alive, cookies, redirects), mostly while the code is still cold.
    const values: string[] = [];
    const length = name.length;
    const entries = this.entries;
    let lower: string | undefined;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const n = entry[0];
      if (n.length !== length) continue;
      if (n === name || n.toLowerCase() === (lower ??= name.toLowerCase())) values.push(entry[1]);
    }
    return values;
  }

  /** The values of `name` joined by `", "`, or `undefined` when absent. */
  get(name: string): string | undefined {
    // As getAll's loop, without an array for the usual one value (several lookups a response).
    const length = name.length;
    const entries = this.entries;
    let lower: string | undefined;
    let first: string | undefined;
    let more: string[] | undefined;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const n = entry[0];
      if (n.length !== length) continue;
      if (n === name || n.toLowerCase() === (lower ??= name.toLowerCase())) {
        if (first === undefined) first = entry[1];
        else (more ??= [first]).push(entry[1]);
      }
    }
    return more === undefined ? first : more.join(", ");
  }
}

/** A response's status line and headers. */
export interface HttpResponseHead {
  /** `"HTTP/1.0"` or `"HTTP/1.1"`. */
  version: string;
  /** The status code, 100 to 599. */
  status: number;
  /** The reason phrase, possibly empty. */
  reason: string;
  /** The headers. */
  headers: HttpHeaders;
  /** The head's lines as received (status line first), for printing with `-S`. */
  lines: string[];
}

/** Options of {@linkcode readHttpResponseHead}. */
export interface ReadHeadOptions {
  /** The most bytes the head may take. @default {65536} */
  maxHeaderBytes?: number;
  /** The most header lines. @default {100} */
  maxHeaderCount?: number;
  /** Called with each interim (1xx) response skipped on the way, e.g. `100 Continue`. */
  onInterim?: (head: HttpResponseHead) => void;
}

const CR = 0x0d;
const LF = 0x0a;
/** What `.` in `^HTTP\/(1\.[01]) ([1-9][0-9]{2})(?:[ \t](.*))?$`, a status line, does not take. */
const LINE_TERMINATOR = /[\r\u2028\u2029]/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A Content-Length's value. */
const DIGITS = /^[0-9]{1,15}$/;

/**
 * Reads one response head. Interim 1xx responses (100 Continue, 103 Early Hints) are skipped;
 * their lines count towards the limits.
 *
 * @param stream The connection, positioned at the start of a response.
 * @param options The limits.
 * @returns The status line and headers; the stream is left at the first byte of the body.
 * @throws {HttpProtocolError} for a bad status line or header line.
 * @throws {HeaderLimitError} when the head passes the byte or line limit.
 * @throws {ConnectionClosedError} when the connection closes before or inside the head.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { duplexFromStreams } from "@netkit/netkit/io";
 * import { SocketStream } from "@netkit/netkit/net";
 * import { readHttpResponseHead } from "@netkit/netkit/http";
 *
 * const text = "HTTP/1.1 200 OK\nX-A: 1\n  folded\nx-a: 2\n\nbody";
 * const input = new Blob([text]).stream();
 * await using stream = new SocketStream(duplexFromStreams(input, new WritableStream()));
 * const head = await readHttpResponseHead(stream);
 * assert.equal(head.status, 200);
 * assert.equal(head.headers.get("X-A"), "1 folded, 2");
 * ```
 */
export function readHttpResponseHead(
  stream: SocketStream,
  options: ReadHeadOptions = {},
): Promise<HttpResponseHead> {
  return readHead(stream, options);
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** {@linkcode readHttpResponseHead}, compiled with the module (see above). */
const readHead = (async function readHead(
  stream: SocketStream,
  options: ReadHeadOptions,
): Promise<HttpResponseHead> {
  const maxBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const maxCount = options.maxHeaderCount ?? DEFAULT_MAX_HEADER_COUNT;
  const counts: HeadCounts = { bytes: 0, count: 0 };
  while (true) {
    // The usual case: the whole head arrives in the first read, and is taken at once. (The line
    // reader would make that read too.)
    if (stream.peekBuffered()?.length === 0) await stream.fillBuffer();
    const head = takeWholeHead(stream, maxBytes, maxCount, counts) ??
      await readHeadLines(stream, maxBytes, maxCount, counts);
    // 1xx responses other than 101 are interim: the real one follows.
    if (head.status >= 200 || head.status === 101) return head;
    options.onInterim?.(head);
  }
}).bind(undefined);

/** How many bytes and header lines the heads read so far took (interim ones count). */
interface HeadCounts {
  bytes: number;
  count: number;
}

/**
 * One head read line by line, where {@linkcode takeWholeHead} could not take it whole; `counts`
 * goes on from the heads before it.
 */
const readHeadLines = (async function readHeadLines(
  stream: SocketStream,
  maxBytes: number,
  maxCount: number,
  counts: HeadCounts,
): Promise<HttpResponseHead> {
  // A line already buffered is taken without a promise (after the first, the whole head
  // usually is); the rest are awaited.
  const take = (first: boolean): string | undefined => {
    let line: Uint8Array | undefined;
    try {
      line = stream.takeLineBytes();
    } catch (error) {
      if (error instanceof LineTooLongError) throw new HeaderLimitError("bytes", maxBytes);
      throw error;
    }
    return line === undefined ? undefined : counted(line, first);
  };
  const counted = (line: Uint8Array | null, first: boolean): string => {
    if (line === null) {
      throw first && counts.bytes === 0
        ? new ConnectionClosedError("Server closed the connection without a response")
        : new ConnectionClosedError("Server closed the connection inside the response header");
    }
    counts.bytes += line.length + 2;
    if (counts.bytes > maxBytes) throw new HeaderLimitError("bytes", maxBytes);
    return decoder.decode(line);
  };
  const nextLine = async (first: boolean): Promise<string> => {
    let line: Uint8Array | null;
    try {
      line = await stream.readLineBytes();
    } catch (error) {
      if (error instanceof LineTooLongError) throw new HeaderLimitError("bytes", maxBytes);
      throw error;
    }
    return counted(line, first);
  };

  let statusLine = take(true) ?? await nextLine(true);
  // Tolerate blank lines before the status line, as browsers do, within the byte limit.
  while (statusLine === "") statusLine = take(true) ?? await nextLine(true);
  const head = headOf(statusLine);
  if (!head) throw new HttpProtocolError(`Invalid status line ${quoteForMessage(statusLine)}`);
  const entries = head.headers.entries;
  while (true) {
    const line = take(false) ?? await nextLine(false);
    if (line === "") break;
    head.lines.push(line);
    if (line[0] === " " || line[0] === "\t") {
      const last = entries.at(-1);
      if (last === undefined) {
        throw new HttpProtocolError(
          `Continuation line before any header ${quoteForMessage(line)}`,
        );
      }
      last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    if (++counts.count > maxCount) throw new HeaderLimitError("count", maxCount);
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon) : "";
    if (!HEADER_NAME.test(name)) {
      throw new HttpProtocolError(`Invalid header line ${quoteForMessage(line)}`);
    }
    entries.push([name, line.slice(colon + 1).trim()]);
  }
  return head;
}).bind(undefined);

/**
 * The head that `statusLine` begins, headers to come; undefined when it is no status line. Read
 * by hand, as `LINE_TERMINATOR`'s regular expression would (its `.` takes no CR, U+2028 or
 * U+2029): no match array, and the version's string is a constant.
 */
const headOf = (function headOf(statusLine: string): HttpResponseHead | undefined {
  const length = statusLine.length;
  if (length < 12 || !statusLine.startsWith("HTTP/1.")) return undefined;
  const minor = statusLine.charCodeAt(7);
  if (minor !== 0x30 && minor !== 0x31 || statusLine.charCodeAt(8) !== 0x20) return undefined;
  const hundreds = statusLine.charCodeAt(9) - 0x30;
  const tens = statusLine.charCodeAt(10) - 0x30;
  const units = statusLine.charCodeAt(11) - 0x30;
  if (
    !(hundreds >= 1 && hundreds <= 9 && tens >= 0 && tens <= 9 && units >= 0 && units <= 9)
  ) return undefined;
  let reason = "";
  if (length > 12) {
    const space = statusLine.charCodeAt(12);
    if (space !== 0x20 && space !== 0x09) return undefined;
    reason = statusLine.slice(13);
    if (LINE_TERMINATOR.test(reason)) return undefined;
    reason = reason.trim();
  }
  return {
    version: minor === 0x30 ? "HTTP/1.0" : "HTTP/1.1",
    status: hundreds * 100 + tens * 10 + units,
    reason,
    headers: new HttpHeaders(),
    lines: [statusLine],
  };
}).bind(undefined);

/**
 * The fast path of {@linkcode readHttpResponseHead}: a head buffered whole (a server's answer
 * usually arrives in one read) is found by its blank line, decoded once and cut into lines,
 * rather than taken and decoded line by line. Anything it does not read exactly as the line
 * reader would (no blank line buffered yet, blank lines before the status line, a byte order
 * mark, a line or a head past a limit, a line the reader refuses) is left where it is, nothing
 * consumed, for the line reader to read, or to refuse with its own error.
 *
 * @param maxBytes The most bytes the heads may take (the line reader's count: each line without
 * its ending, plus 2), `counts.bytes` of them taken already.
 * @param maxCount The most header lines, `counts.count` of them taken already.
 * @param counts Added to when the head is taken.
 */
const takeWholeHead = (function takeWholeHead(
  stream: SocketStream,
  maxBytes: number,
  maxCount: number,
  counts: HeadCounts,
): HttpResponseHead | undefined {
  const view = stream.peekBuffered();
  if (view === undefined || view.length === 0 || view[0] === CR || view[0] === LF) return undefined;
  // The blank line: an LF followed by LF or CR LF. `lines` counts the lines (blank one included)
  // and `crs` the CRs taken off their ends.
  let lines = 0;
  let crs = 0;
  let end = -1;
  let lf = view.indexOf(LF);
  while (lf >= 0) {
    lines++;
    if (view[lf - 1] === CR) crs++;
    const next = view[lf + 1];
    if (next === LF) {
      end = lf + 2;
      break;
    }
    if (next === CR && view[lf + 2] === LF) {
      end = lf + 3;
      crs++;
      break;
    }
    lf = view.indexOf(LF, lf + 1);
  }
  lines++;
  // (A head longer than the stream's line limit may hold a line past it: the line reader says.)
  if (end < 0 || end > stream.maxLineBytes) return undefined;
  const bytes = end + lines - crs;
  if (bytes > maxBytes - counts.bytes) return undefined;
  const text = decoder.decode(view.subarray(0, end));
  // Decoded line by line, each line loses a byte order mark at its start.
  if (text.includes("\ufeff")) return undefined;
  // Line i runs from `start` to its LF, less a CR before it; the last one is the blank line.
  let at = text.indexOf("\n");
  const head = headOf(text.slice(0, text.charCodeAt(at - 1) === CR ? at - 1 : at));
  if (!head) return undefined;
  const entries = head.headers.entries;
  const countLeft = maxCount - counts.count;
  let count = 0;
  for (let i = 1; i < lines - 1; i++) {
    const start = at + 1;
    at = text.indexOf("\n", start);
    const line = text.slice(start, at > start && text.charCodeAt(at - 1) === CR ? at - 1 : at);
    head.lines.push(line);
    const first = line[0];
    if (first === " " || first === "\t") {
      const last = entries.at(-1);
      if (last === undefined) return undefined;
      last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    if (++count > countLeft) return undefined;
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon) : "";
    if (!HEADER_NAME.test(name)) return undefined;
    entries.push([name, line.slice(colon + 1).trim()]);
  }
  stream.skipBuffered(end);
  counts.bytes += bytes;
  counts.count += count;
  return head;
}).bind(undefined);

/**
 * Whether the connection may carry another exchange after this response, as far as its head
 * says: HTTP/1.1 unless `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`. (The
 * body's framing must also end without closing the connection.)
 *
 * @param head The response head.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpHeaders, responseKeepsConnection } from "@netkit/netkit/http";
 *
 * const headers = new HttpHeaders();
 * const head = { version: "HTTP/1.1", status: 200, reason: "OK", headers, lines: [] };
 * assert.equal(responseKeepsConnection(head), true);
 * headers.entries.push(["Connection", "Close"]);
 * assert.equal(responseKeepsConnection(head), false);
 * ```
 */
export function responseKeepsConnection(head: HttpResponseHead): boolean {
  // (The usual answers: no Connection header, or one saying keep-alive. No lists made for them.)
  const value = head.headers.get("Connection");
  if (value === undefined) return head.version === "HTTP/1.1";
  if (value.length === 10 && value.toLowerCase() === "keep-alive") return true;
  const tokens = listItems(head.headers, "Connection", true);
  if (tokens.includes("close")) return false;
  return head.version === "HTTP/1.1" || tokens.includes("keep-alive");
}

/** How a response's body is delimited. */
export type BodyFraming =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  | { kind: "close" };

/**
 * Decides how the body of `head` is framed: none for HEAD, 1xx, 204 and 304; chunked when the last
 * transfer coding is `chunked`; else `Content-Length`; else until the connection closes.
 *
 * @param method The request's method.
 * @param head The response head.
 * @throws {HttpProtocolError} for an unreadable or contradictory `Content-Length`, or a transfer
 * coding other than chunked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bodyFraming, HttpHeaders } from "@netkit/netkit/http";
 *
 * const headers = new HttpHeaders();
 * headers.entries.push(["Content-Length", "42"]);
 * const head = { version: "HTTP/1.1", status: 200, reason: "OK", headers, lines: [] };
 * assert.deepEqual(bodyFraming("GET", head), { kind: "length", length: 42 });
 * assert.equal(bodyFraming("HEAD", head).kind, "none");
 * ```
 */
export function bodyFraming(method: string, head: HttpResponseHead): BodyFraming {
  return framingOf(method, head);
}

/** {@linkcode bodyFraming}, compiled with the module (see above). */
const framingOf = (function framingOf(method: string, head: HttpResponseHead): BodyFraming {
  const status = head.status;
  if (method === "HEAD" || status < 200 || status === 204 || status === 304) {
    return { kind: "none" };
  }
  // (Most answers name no transfer coding: no lists made for it then.)
  const codings = head.headers.get("Transfer-Encoding") === undefined
    ? []
    : listItems(head.headers, "Transfer-Encoding", true)
      .filter((coding) => coding !== "" && coding !== "identity");
  if (codings.length > 0) {
    if (codings[codings.length - 1] !== "chunked" || codings.length > 1) {
      throw new HttpProtocolError(`Unsupported transfer coding "${codings.join(", ")}"`);
    }
    return { kind: "chunked" };
  }
  // (One Content-Length of digits, the usual one, is taken as it is: no lists made for it.)
  const single = head.headers.get("Content-Length");
  if (single !== undefined && DIGITS.test(single)) {
    return { kind: "length", length: Number(single) };
  }
  const lengths = listItems(head.headers, "Content-Length", false);
  const [length] = lengths;
  if (length === undefined) return { kind: "close" };
  if (!DIGITS.test(length) || lengths.some((other) => other !== length)) {
    throw new HttpProtocolError(`Invalid Content-Length ${quoteForMessage(lengths.join(", "))}`);
  }
  return { kind: "length", length: Number(length) };
}).bind(undefined);

/**
 * The comma-separated items of every `name` header, trimmed (lower-cased with `lower`). A plain
 * loop: each response is framed with it, and `flatMap` cost more than the rest of the framing.
 */
const listItems = (function listItems(
  headers: HttpHeaders,
  name: string,
  lower: boolean,
): string[] {
  const items: string[] = [];
  for (const value of headers.getAll(name)) {
    for (const item of value.split(",")) {
      const trimmed = item.trim();
      items.push(lower ? trimmed.toLowerCase() : trimmed);
    }
  }
  return items;
}).bind(undefined);

const decoder = new TextDecoder();
