/**
 * An HTTP/1.1 client on {@linkcode SocketStream}, not `fetch`: request bodies (bytes, text, Blob,
 * stream; `Content-Length` or chunked; `Expect: 100-continue`), the response head read within
 * limits, the body streamed to a writer with flat memory whatever its size or read as bytes, text,
 * JSON or a `ReadableStream`, kept-alive connections through an {@linkcode HttpConnectionPool},
 * TCP_NODELAY on every connection, and one `signal` for the whole exchange. TLS is loaded only for
 * `https://`.
 *
 * @module
 */

import type { CertificateProblems } from "../net/certificate_problems.ts";
import { concatBytes } from "../io/concat_bytes.ts";
import { markNetkitError } from "../io/netkit_error.ts";
import { startDeadline } from "../internal/deadline.ts";
import { type DeadlineSignal, deadlineSignal } from "../internal/deadline_signal.ts";
import { HeadDeadline } from "./_head_deadline.ts";
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS } from "../net/timeouts.ts";
import { copyChunkedBody } from "./chunked.ts";
import {
  buildHttpRequest,
  type HttpRequestHeadOptions,
  type HttpRequestOptions,
} from "./request.ts";
import { type HttpRequestBody, prepareBody } from "./_request_body.ts";
import {
  type BodyFraming,
  bodyFraming,
  DEFAULT_MAX_HEADER_BYTES,
  type HttpResponseHead,
  type ReadHeadOptions,
  readHttpResponseHead,
  responseKeepsConnection,
} from "./response.ts";
import { ConnectionClosedError } from "./errors.ts";
import type { HttpConnectionPool, HttpPoolSharing } from "./pool.ts";
import { type HttpUrl, parseHttpUrl } from "./url.ts";
import { type ConnectStrategy, createClientSocket, reportingReached } from "../net/socket.ts";
import type { TlsTunnel } from "../net/tls_connect.ts";
import { SocketError } from "../net/socket_error.ts";
import type { ByteWriter, Duplex } from "../io/duplex.ts";
import { SocketStream, UnexpectedEofError } from "../net/socket_stream.ts";

export type { HttpRequestBody } from "./_request_body.ts";

/** Options of {@linkcode sendHttpRequest}. */
export interface HttpClientOptions extends HttpRequestOptions, ReadHeadOptions {
  /**
   * Time allowed for the whole exchange: connecting, sending the request, the response head and
   * reading the body to its end. When it runs out the connection is closed and every pending or
   * later call rejects with a {@linkcode SocketError} of `failure: "timed-out"`. It is also each
   * phase's own deadline unless `connectTimeoutMs` or `readTimeoutMs` says otherwise.
   * @default {undefined} (no deadline for the whole; each phase has its default)
   */
  timeoutMs?: number;
  /**
   * Time allowed to connect (TLS handshake included), in place of `timeoutMs`.
   * @default {10000} (`DEFAULT_CONNECT_TIMEOUT_MS`, as for `createClientSocket` and `connectTls`)
   */
  connectTimeoutMs?: number | undefined;
  /**
   * Time allowed for the response head and for each read of the body, in place of `timeoutMs`.
   * @default {900000} (`DEFAULT_READ_TIMEOUT_MS`: GNU wget's 900 s)
   */
  readTimeoutMs?: number | undefined;
  /**
   * Choose the addresses to connect to (the server's, or a plain HTTP proxy's) instead of the
   * system's resolver, e.g. to try each in turn and report it, as wget does.
   */
  connectVia?: ConnectStrategy | undefined;
  /**
   * Ignore `Content-Length` in responses (wget's `--ignore-length`): such a body is read until
   * the server closes the connection. Ask for that with a `Connection: close` header.
   */
  ignoreContentLength?: boolean | undefined;
  /** Extra trusted root certificates, PEM, for `https://`. */
  caCerts?: string[];
  /**
   * False to trust `caCerts` alone for `https://`, not the system's roots beside them (wget's
   * `--ca-directory`). @default {true}
   */
  systemRoots?: boolean | undefined;
  /** False to accept any certificate (`--no-check-certificate`). @default {true} */
  checkCertificate?: boolean;
  /**
   * With `checkCertificate: false`: told what is wrong with a certificate accepted all the same
   * (wget's `WARNING: The certificate of 'HOST' is not trusted.`).
   */
  onCertificateWarning?: ((problems: CertificateProblems) => void) | undefined;
  /** For `https://`: reach the server through this HTTP proxy's `CONNECT` tunnel. */
  tunnel?: TlsTunnel | undefined;
  /** For `https://`: a client certificate and its private key, PEM. */
  clientCertificate?: { cert: string; key: string };
  /**
   * For `https://`: called as each TLS connection is set up, before it connects, for `caCerts`
   * and `clientCertificate` read from files only then (wget reads them for its first HTTPS
   * connection, never for a plain-HTTP run); what it gives goes over those options. Make it read
   * once and give the same answer after.
   */
  tlsFiles?:
    | (() => Promise<Pick<HttpClientOptions, "caCerts" | "systemRoots" | "clientCertificate">>)
    | undefined;
  /**
   * Abort the whole exchange from outside: connect, request, response head and body. The
   * pending call rejects at once with `signal.reason` and the connection is closed.
   */
  signal?: AbortSignal;
  /**
   * The request body. Bytes, text (UTF-8) and a `Blob` go with `Content-Length`; a stream goes
   * chunked, or with the `Content-Length` given in `headers` (checked as it is sent).
   */
  body?: HttpRequestBody | undefined;
  /**
   * Keep the connection alive in this pool once the response is read to its end, and take the
   * request to an idle connection of the same origin when there is one. Without a pool each
   * exchange has a connection of its own and asks the server to close it (`Connection: close`).
   */
  pool?: HttpConnectionPool;
  /**
   * With an `Expect: 100-continue` header, how long to wait for `100 Continue` before sending the
   * body anyway. @default {1000}
   */
  expectContinueTimeoutMs?: number;
  /**
   * Called when the request has gone to the socket and the response is awaited: work done here
   * overlaps the server's (wget's recursion creates the file then). Called again when a stale
   * kept-alive connection makes the client send the request anew.
   */
  onRequestSent?: (() => void) | undefined;
  /**
   * With a `pool`: look a host's addresses up, so that a plain HTTP request may go out on an idle
   * connection that another name of the same server opened (`http://localhost:P/` after
   * `http://127.0.0.1:P/`), when that connection's peer is among them, as GNU wget reuses its
   * connection. Asked only when the most recently idle connection to the same port (and
   * settings) was opened for another name; a rejection (the name does not resolve) is the
   * request's. Never for `https://`: a certificate is a name's. Without it only connections
   * opened for the same host name are shared.
   */
  addressesOf?: ((host: string) => Promise<readonly string[]>) | undefined;
  /**
   * Called when the request has its connection, a new one or a kept-alive one from the `pool`
   * (again when a stale kept-alive connection makes the client send the request anew).
   */
  onConnection?: ((connection: HttpConnectionInfo) => void) | undefined;
  /**
   * Which requests the client sends again on its own, once, on a new connection, when a kept-alive
   * connection from the `pool` turns out closed by the server: `"idempotent"` (RFC 9110, 9.2.2:
   * PUT and DELETE too) or `"safe"` (9.2.1: GET, HEAD, OPTIONS, TRACE; GNU wget counts a PUT's or
   * a DELETE's there as a failed try). Any other request goes out on a kept-alive connection only
   * once no close is found on it, and is never sent twice (the error is the caller's).
   * @default {"idempotent"}
   */
  resendAfterClose?: "idempotent" | "safe" | undefined;
}

/** The connection a request goes out on, as {@linkcode HttpClientOptions.onConnection} tells it. */
export interface HttpConnectionInfo {
  /**
   * The host name it was opened for: another name of the same server when the pool shared it
   * (GNU wget's "Reusing existing connection to" names it so).
   */
  host: string;
  /** The port it was opened for. */
  port: number;
  /** The address it is connected to, when known (plain TCP; TLS through `connectVia`). */
  address: string | undefined;
  /** True when it carried an exchange before and came from the pool. */
  reused: boolean;
}

/** What {@linkcode HttpResponse} needs from the exchange that made it. */
export interface HttpResponseInit {
  /** Aborting closes the connection and rejects body reads with its reason. */
  signal?: AbortSignal | undefined;
  /**
   * Called once the body has been read to its end; returns true when it kept the stream (for a
   * pool), false to have the response close it.
   */
  release?: ((stream: SocketStream) => boolean) | undefined;
  /** Called once when the exchange is over: the body read to its end, or the connection closed. */
  onDone?: (() => void) | undefined;
}

/** The most body bytes `[Symbol.asyncDispose]` reads to keep a connection, instead of closing it. */
const DRAIN_MAX_BYTES = 64 * 1024;
/** How long it waits for them. */
const DRAIN_TIMEOUT_MS = 1000;
/** How a kept-alive connection the server closed fails (a slow server's timeout is not one). */
const STALE_FAILURES = new Set(["reset", "closed", "other"]);

/** RFC 9110's idempotent methods (9.2.2): the ones a client may send again on its own. */
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"]);
/** RFC 9110's safe methods (9.2.1). */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);
/** Why the rest of a request body is cancelled once the server answered before it all went. */
const EARLY_ANSWER = "The server answered before the request body was sent";
/** The largest body `bytes()` allocates at once from `Content-Length`. */
const PREALLOCATE_MAX_BYTES = 64 * 1024 * 1024;

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const nullSink: ByteWriter = { write: (p) => Promise.resolve(p.length) };

/**
 * A response whose head has been read; the body is still on the connection. Read it once, in
 * one of the ways offered -- {@linkcode HttpResponse.copyBodyTo} (bulk, to a writer),
 * {@linkcode HttpResponse.bytes}, {@linkcode HttpResponse.text}, {@linkcode HttpResponse.json} or
 * {@linkcode HttpResponse.body} -- or close the response. A body read to its end gives the
 * connection back to the pool (when there is one); closing before then closes the connection.
 */
export class HttpResponse implements AsyncDisposable {
  /** The URL asked for. */
  readonly url: HttpUrl;
  /** The status line and headers, as received. */
  readonly head: HttpResponseHead;
  /** How the body is delimited. */
  readonly framing: BodyFraming;
  #stream: SocketStream | undefined;
  readonly #signal: AbortSignal | undefined;
  #onDone: (() => void) | undefined;
  readonly #release: ((stream: SocketStream) => boolean) | undefined;
  readonly #onAbort: (() => void) | undefined;
  #bodyUsed = false;
  #headers: Headers | undefined;
  #body: ReadableStream<Uint8Array> | undefined;

  /**
   * Wraps a response read from `stream`, which it now owns.
   *
   * @param url The URL asked for.
   * @param head The response head.
   * @param framing How the body is delimited.
   * @param stream The connection, at the first byte of the body.
   * @param init The signal of the exchange and where the connection goes after the body.
   */
  constructor(
    url: HttpUrl,
    head: HttpResponseHead,
    framing: BodyFraming,
    stream: SocketStream,
    init: HttpResponseInit = {},
  ) {
    this.url = url;
    this.head = head;
    this.framing = framing;
    this.#stream = stream;
    this.#signal = init.signal;
    this.#release = init.release;
    this.#onDone = init.onDone;
    if (this.#signal) {
      this.#onAbort = () => this.#discard();
      this.#signal.addEventListener("abort", this.#onAbort, { once: true });
    }
    // Nothing follows the head (HEAD, 204, 304): the exchange is over already. A 101 hands the
    // connection over to another protocol, so it stays until closed.
    if (framing.kind === "none" && head.status !== 101) this.#finish();
  }

  /** The status code. */
  get status(): number {
    return this.head.status;
  }

  /** The reason phrase (`"Not Found"`), possibly empty. */
  get statusText(): string {
    return this.head.reason;
  }

  /** True for a 2xx status. */
  get ok(): boolean {
    return this.head.status >= 200 && this.head.status < 300;
  }

  /**
   * The headers as a Web `Headers` (names lower-cased, repeated ones joined; `getSetCookie()`
   * for each `Set-Cookie`). A value with bytes beyond ASCII reads as Latin-1, as in `fetch`;
   * {@linkcode HttpResponse.head} keeps the headers as sent.
   */
  get headers(): Headers {
    if (!this.#headers) {
      const headers = new Headers();
      for (const [name, value] of this.head.headers.entries) {
        try {
          headers.append(name, byteString(value));
        } catch {
          // A value Headers refuses (a NUL byte) is left out here; `head` still has it.
        }
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  /**
   * The body's length: from `Content-Length` when the server announced one, including for a
   * response to HEAD (the length a GET would have); 0 for 204 and 304; else undefined.
   */
  get contentLength(): number | undefined {
    if (this.framing.kind === "length") return this.framing.length;
    if (this.framing.kind !== "none") return undefined;
    if (this.head.status === 204 || this.head.status === 304) return 0;
    const value = this.head.headers.get("Content-Length")?.split(",")[0]?.trim();
    return value !== undefined && /^[0-9]{1,15}$/.test(value) ? Number(value) : undefined;
  }

  /** True once the body has been (or is being) read. */
  get bodyUsed(): boolean {
    return this.#bodyUsed;
  }

  /**
   * Streams the body to `dest`, in bulk.
   *
   * **The sink rule:** the chunk handed to `dest.write()` is a view of a buffer the connection
   * reuses for its next read. It is valid only until the promise `write()` returns settles; a
   * sink that keeps chunks must copy them (`p.slice()`). {@linkcode HttpResponse.bytes},
   * {@linkcode HttpResponse.text}, {@linkcode HttpResponse.json} and
   * {@linkcode HttpResponse.body} copy for you.
   *
   * @param dest Where the body goes, e.g. a `Deno.FsFile`.
   * @param onProgress Called with the running byte count after each write.
   * @returns The number of body bytes written.
   * @throws {TypeError} when the body was read already, or the response closed.
   * @throws {UnexpectedEofError} when the connection closes before `Content-Length` bytes.
   * @throws {ConnectionClosedError} when it closes inside a chunked body.
   * @throws {HttpProtocolError} for a malformed chunked body.
   * @throws {SocketError} for a read that fails or times out.
   * @throws the signal's reason when the exchange's `signal` aborts.
   *
   * @example Copy the body into a file
   * ```ts
   * import assert from "node:assert/strict";
   * import { sendHttpRequest } from "@netkit/netkit/http";
   *
   * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
   * const serve = (async () => {
   *   using conn = await listener.accept();
   *   await conn.read(new Uint8Array(4096));
   *   await conn.write(new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"));
   * })();
   * const path = await Deno.makeTempFile();
   * await using response = await sendHttpRequest(`http://127.0.0.1:${listener.addr.port}/`);
   * {
   *   using file = await Deno.open(path, { write: true });
   *   assert.equal(await response.copyBodyTo(file), 2);
   * }
   * assert.equal(await Deno.readTextFile(path), "hi");
   * await Deno.remove(path);
   * await serve;
   * ```
   */
  async copyBodyTo(dest: ByteWriter, onProgress?: (copied: number) => void): Promise<number> {
    if (this.#bodyUsed) throw new TypeError("Response body already read");
    this.#bodyUsed = true;
    this.#signal?.throwIfAborted();
    if (this.framing.kind === "none") {
      this.#finish();
      return 0;
    }
    const stream = this.#stream;
    if (!stream) throw new TypeError("Response closed before its body was read");
    let copied: number;
    try {
      switch (this.framing.kind) {
        case "length":
          copied = await stream.copyTo(dest, this.framing.length, onProgress);
          break;
        case "chunked":
          copied = (await copyChunkedBody(stream, dest, { onProgress })).bytes;
          break;
        case "close":
          copied = await stream.copyTo(dest, undefined, onProgress);
          break;
      }
    } catch (error) {
      this.#discard();
      this.#signal?.throwIfAborted();
      throw error;
    }
    // A body "until close" that ends because the abort closed the connection is not whole.
    this.#signal?.throwIfAborted();
    this.#finish();
    return copied;
  }

  /**
   * Reads the whole body into memory.
   *
   * @returns A copy of the body's bytes, yours to keep.
   * @throws what {@linkcode HttpResponse.copyBodyTo} throws.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { sendHttpRequest } from "@netkit/netkit/http";
   *
   * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
   * const serve = (async () => {
   *   using conn = await listener.accept();
   *   await conn.read(new Uint8Array(4096));
   *   await conn.write(new TextEncoder().encode("HTTP/1.0 200 OK\r\n\r\n\x01\x02"));
   * })();
   * const response = await sendHttpRequest(`http://127.0.0.1:${listener.addr.port}/`);
   * assert.deepEqual(await response.bytes(), new Uint8Array([1, 2]));
   * await serve;
   * ```
   */
  async bytes(): Promise<Uint8Array> {
    const length = this.framing.kind === "length" ? this.framing.length : undefined;
    if (length !== undefined && length <= PREALLOCATE_MAX_BYTES) {
      const out = new Uint8Array(length);
      let offset = 0;
      await this.copyBodyTo({
        write(p) {
          out.set(p, offset);
          offset += p.length;
          return Promise.resolve(p.length);
        },
      });
      return out;
    }
    const parts: Uint8Array[] = [];
    await this.copyBodyTo({
      write(p) {
        parts.push(p.slice());
        return Promise.resolve(p.length);
      },
    });
    if (parts.length === 1) return parts[0]!;
    return concatBytes(parts);
  }

  /**
   * Reads the whole body as UTF-8 text (a byte order mark is dropped, bad sequences become
   * U+FFFD).
   *
   * @throws what {@linkcode HttpResponse.copyBodyTo} throws.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { sendHttpRequest } from "@netkit/netkit/http";
   *
   * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
   * const serve = (async () => {
   *   using conn = await listener.accept();
   *   await conn.read(new Uint8Array(4096));
   *   const chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n";
   *   await conn.write(new TextEncoder().encode(chunked));
   * })();
   * const response = await sendHttpRequest(`http://127.0.0.1:${listener.addr.port}/`);
   * assert.equal(await response.text(), "hi");
   * await serve;
   * ```
   */
  async text(): Promise<string> {
    return decoder.decode(await this.bytes());
  }

  /**
   * Reads the whole body and parses it as JSON.
   *
   * @throws {SyntaxError} for a body that is not JSON; it is a `NetkitError` too, of code
   * `INVALID_JSON`.
   * @throws what {@linkcode HttpResponse.copyBodyTo} throws.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { sendHttpRequest } from "@netkit/netkit/http";
   *
   * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
   * const serve = (async () => {
   *   using conn = await listener.accept();
   *   await conn.read(new Uint8Array(4096));
   *   await conn.write(new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n{\"a\":1}\n"));
   * })();
   * const response = await sendHttpRequest(`http://127.0.0.1:${listener.addr.port}/`);
   * assert.deepEqual(await response.json(), { a: 1 });
   * await serve;
   * ```
   */
  async json<T = unknown>(): Promise<T> {
    const text = await this.text();
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      // Still the SyntaxError fetch's json() throws, with netkit's brand and a code.
      if (error instanceof SyntaxError) markNetkitError(error, "INVALID_JSON");
      throw error;
    }
  }

  /**
   * The body as a `ReadableStream` of byte chunks, each a copy that is yours to keep. Reading
   * from it reads from the connection (with backpressure); cancelling it closes the connection.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { sendHttpRequest } from "@netkit/netkit/http";
   *
   * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
   * const serve = (async () => {
   *   using conn = await listener.accept();
   *   await conn.read(new Uint8Array(4096));
   *   await conn.write(new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
   * })();
   * const response = await sendHttpRequest(`http://127.0.0.1:${listener.addr.port}/`);
   * const text = await new Response(response.body).text();
   * assert.equal(text, "hello");
   * await serve;
   * ```
   */
  get body(): ReadableStream<Uint8Array> {
    return this.#body ??= this.#bodyStream();
  }

  #bodyStream(): ReadableStream<Uint8Array> {
    let wake: (() => void) | undefined;
    let started = false;
    let cancelled = false;
    // A read is waiting that no chunk has answered yet (a byte stream's desiredSize stays 0 then).
    let wanted = false;
    // A byte stream, as fetch's body is: BYOB readers work, and each copy is handed over whole.
    return new ReadableStream({
      type: "bytes",
      pull: (controller) => {
        wanted = true;
        if (!started) {
          started = true;
          this.copyBodyTo({
            write: async (p) => {
              if (cancelled) throw new DOMException("Body stream cancelled", "AbortError");
              if (p.length === 0) return 0;
              wanted = false;
              // May call pull() at once, for a read already waiting: that sets `wanted` again.
              controller.enqueue(p.slice());
              while (!wanted && (controller.desiredSize ?? 0) <= 0 && !cancelled) {
                await new Promise<void>((resolve) => (wake = resolve));
              }
              return p.length;
            },
          }).then(
            () => {
              if (cancelled) return;
              controller.close();
              // A BYOB read waiting at the end is answered by hand: "done", no bytes.
              controller.byobRequest?.respond(0);
            },
            (error) => cancelled || controller.error(error),
          );
        }
        wake?.();
        wake = undefined;
      },
      cancel: () => {
        cancelled = true;
        wake?.();
        this.close();
      },
    });
  }

  /**
   * Reads and drops what is left of a short body (up to 64 KiB, announced by `Content-Length` or
   * chunked, arriving within a second), so that the connection can serve another request; otherwise
   * closes the connection. A body already read, or being read, is left alone.
   */
  async discardBody(): Promise<void> {
    const stream = this.#stream;
    if (!stream || this.#bodyUsed) return;
    const framing = this.framing;
    if (
      framing.kind !== "length" && framing.kind !== "chunked" ||
      framing.kind === "length" && framing.length > DRAIN_MAX_BYTES
    ) {
      this.close();
      return;
    }
    const deadline = startDeadline(DRAIN_TIMEOUT_MS, () => this.#discard());
    // A chunked body's size shows as it comes (GNU wget reads a chunked error page away too).
    let left = DRAIN_MAX_BYTES;
    const bounded: ByteWriter = {
      write: (p) =>
        (left -= p.length) < 0 ? Promise.reject(new RangeError("Too long")) : nullSink.write(p),
    };
    try {
      await this.copyBodyTo(framing.kind === "chunked" ? bounded : nullSink);
    } catch {
      // The connection is closed (or too much came): nothing to keep.
      this.close();
    } finally {
      deadline.cancel();
    }
  }

  /**
   * Closes the connection unless the body was read to its end (then it went back to the pool,
   * or was closed already); closing twice is harmless.
   */
  close(): void {
    this.#discard();
  }

  /** Drops a short unread body to keep the connection (see `discardBody`), else closes it. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.discardBody();
    this.close();
  }

  /** The body ended cleanly: hand the connection on, or close it. */
  #finish(): void {
    const stream = this.#stream;
    if (!stream) return;
    this.#stream = undefined;
    this.#stopWatching();
    if (!this.#release?.(stream)) stream.close();
  }

  /** Closes the connection, e.g. on abort or an error inside the body. */
  #discard(): void {
    const stream = this.#stream;
    this.#stream = undefined;
    this.#stopWatching();
    stream?.close();
  }

  #stopWatching(): void {
    if (this.#onAbort) this.#signal?.removeEventListener("abort", this.#onAbort);
    const done = this.#onDone;
    this.#onDone = undefined;
    done?.();
  }
}

/** A header value as the byte string `Headers` takes: UTF-8 bytes, one char per byte. */
function byteString(value: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(value)) return value;
  let out = "";
  for (const byte of encoder.encode(value)) out += String.fromCharCode(byte);
  return out;
}

/** A connection's response-head deadline, one for all its exchanges. */
const headDeadlines = new WeakMap<SocketStream, HeadDeadline>();

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** Settles with `promise`, or with `signal.reason` as soon as it aborts (`onLate` gets a late value). */
const abortable = (function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  onLate: (value: T) => void,
): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) onLate(value);
        else resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(signal.aborted ? signal.reason : error);
      },
    );
  });
}).bind(undefined);

const caIds = new WeakMap<readonly string[], number>();
let nextCaId = 1;

/**
 * Which pooled connections a request may share, but for the host name: same scheme, port, TLS and
 * stream settings (a request's key is this and its host).
 */
const poolGroup = (function poolGroup(
  target: HttpUrl,
  options: HttpClientOptions,
  timeoutMs: number,
): string {
  let ca = 0;
  if (options.caCerts) {
    ca = caIds.get(options.caCerts) ?? nextCaId++;
    caIds.set(options.caCerts, ca);
  }
  const check = options.checkCertificate === false ? 0 : 1;
  // Trusting caCerts alone is a group of its own: a negative id.
  if (options.systemRoots === false) ca = -ca - 1;
  const maxHead = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const { scheme, port } = target;
  const tunnelHost = options.tunnel?.host;
  const tunnelPort = options.tunnel?.port;
  const certificate = options.clientCertificate ? true : false;
  // The last group made is given again for the same settings (a run of requests to one origin).
  const last = lastGroupOf;
  if (
    scheme === last.scheme && port === last.port && check === last.check && ca === last.ca &&
    timeoutMs === last.timeoutMs && maxHead === last.maxHead && certificate === last.certificate &&
    tunnelHost === last.tunnelHost && tunnelPort === last.tunnelPort
  ) return last.group;
  const tunnel = (options.tunnel ? `|via ${tunnelHost}|${tunnelPort}` : "") +
    (certificate ? "|client certificate" : "");
  const group = `${scheme}|${port}|${check}|${ca}|${timeoutMs}|${maxHead}${tunnel}`;
  lastGroupOf = {
    scheme,
    port,
    check,
    ca,
    timeoutMs,
    maxHead,
    certificate,
    tunnelHost,
    tunnelPort,
    group,
  };
  return group;
}).bind(undefined);

/** What `poolGroup` made last, and from what. */
let lastGroupOf = {
  scheme: "",
  port: -1,
  check: -1,
  ca: 0,
  timeoutMs: NaN,
  maxHead: -1,
  certificate: false,
  tunnelHost: undefined as string | undefined,
  tunnelPort: undefined as number | undefined,
  group: "",
};

let lastGroup = "";
let lastHost = "";
let lastKey = "";

/**
 * The pool's key: the group and the host. The last one made is given again for the same
 * arguments (a run of requests to one origin): one string, hashed once, not one a request.
 */
const poolKey = (function poolKey(group: string, host: string): string {
  if (group !== lastGroup || host !== lastHost) {
    lastGroup = group;
    lastHost = host;
    lastKey = `${group}|${host}`;
  }
  return lastKey;
}).bind(undefined);

/** Where each connection the client opened goes: its host, port and peer address. */
const peers = new WeakMap<
  SocketStream,
  { host: string; port: number; address: string | undefined }
>();

/** Opens a connection for `target`: TCP (TCP_NODELAY) or TLS, wrapped in a stream. */
const openStream = (async function openStream(
  target: HttpUrl,
  options: HttpClientOptions,
  timeoutMs: number,
): Promise<SocketStream> {
  let conn: Duplex;
  const signal = options.signal;
  const connectTimeoutMs = options.connectTimeoutMs ?? options.timeoutMs ??
    DEFAULT_CONNECT_TIMEOUT_MS;
  let address: string | undefined;
  if (target.scheme === "https") {
    const { connectTls } = await import("../net/tls_connect.ts");
    const via = options.connectVia;
    // The address the strategy reached, for onConnection.
    const connectVia = via && reportingReached(via, (to) => (address = to));
    const files = options.tlsFiles && await options.tlsFiles();
    conn = await abortable(
      connectTls(target.host, target.port, {
        ...options,
        ...files,
        connectTimeoutMs,
        connectVia,
      }),
      signal,
      (late) => late.close(),
    );
  } else {
    const { host, port } = target;
    const connect = (address: string) =>
      createClientSocket(address, port, { connectTimeoutMs, signal });
    const tcp = await abortable(
      options.connectVia ? options.connectVia(host, port, connect) : connect(host),
      signal,
      (late) => late.close(),
    );
    // A request head and its body may go out in two writes: without TCP_NODELAY the second
    // waits for the first's ACK, which the server delays.
    tcp.setNoDelay(true);
    conn = tcp;
    address = tcp.remoteAddr.hostname;
  }
  const stream = new SocketStream(conn, {
    readTimeoutMs: timeoutMs,
    host: target.host,
    port: target.port,
    maxLineBytes: options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
    writeBufferBytes: 16 * 1024,
  });
  peers.set(stream, { host: target.host, port: target.port, address });
  const head = new HeadDeadline(() => stream.close());
  headDeadlines.set(stream, head);
  stream.closed.then(() => head.stop());
  return stream;
}).bind(undefined);

/**
 * Sends one request and reads the response head.
 *
 * With a `pool`, the request goes out on an idle kept-alive connection to the same origin when
 * there is one (a connection the server closed meanwhile is replaced by a new one, and the
 * request sent again once, when its method is idempotent and its body can be sent again; a
 * request of another method goes out on an idle connection only once no close is found on it,
 * and is never sent twice: RFC 9112, 9.3.1), and the connection goes back to the pool once the
 * body has been read to its end. Without one, the connection closes after the exchange.
 *
 * @param url The URL, parsed or as text.
 * @param options Method, headers, body, pool, signal, timeouts, TLS settings, head limits.
 * @returns The response; read its body (or close it) to end the exchange.
 * @throws {UrlError} for a URL that is not http or https.
 * @throws {TypeError} for a bad method, header or body type.
 * @throws {RangeError} for a stream body whose size differs from its `Content-Length`.
 * @throws {SocketError} when the connection cannot be made or breaks.
 * @throws {TlsError} when the TLS handshake fails (`verification` for an untrusted certificate).
 * @throws {HttpProtocolError} or {HeaderLimitError} for a response that cannot be read.
 * @throws {ConnectionClosedError} when the server closes before its response head ends.
 * @throws the signal's reason when `signal` aborts.
 *
 * @example Fetch from a Deno.serve server on loopback
 * ```ts
 * import assert from "node:assert/strict";
 * import { sendHttpRequest } from "@netkit/netkit/http";
 *
 * await using server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen: () => {} },
 *   (request) => new Response(`You asked for ${new URL(request.url).pathname}\n`),
 * );
 * await using response = await sendHttpRequest(`http://127.0.0.1:${server.addr.port}/hello`);
 * assert.equal(response.status, 200);
 * assert.equal(response.head.headers.get("content-type"), "text/plain;charset=UTF-8");
 * let body = "";
 * const decoder = new TextDecoder();
 * const bytes = await response.copyBodyTo({
 *   write: (p) => (body += decoder.decode(p, { stream: true }), Promise.resolve(p.length)),
 * });
 * assert.equal(bytes, response.contentLength);
 * assert.equal(body, "You asked for /hello\n");
 * ```
 *
 * @example POST a JSON document to a server on loopback
 * ```ts
 * import assert from "node:assert/strict";
 * import { sendHttpRequest } from "@netkit/netkit/http";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const serve = (async () => {
 *   using conn = await listener.accept();
 *   const buffer = new Uint8Array(4096);
 *   let request = "";
 *   while (!request.endsWith('{"n":1}')) {
 *     request += new TextDecoder().decode(buffer.subarray(0, (await conn.read(buffer))!));
 *   }
 *   await conn.write(new TextEncoder().encode("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));
 *   return request;
 * })();
 * const response = await sendHttpRequest(`http://127.0.0.1:${listener.addr.port}/items`, {
 *   method: "POST",
 *   headers: [["Content-Type", "application/json"]],
 *   body: JSON.stringify({ n: 1 }),
 * });
 * assert.equal(response.status, 201);
 * assert.equal(response.statusText, "Created");
 * assert.match(await serve, /^POST \/items HTTP\/1.1\r\n.*Content-Length: 7\r\n/s);
 * ```
 */
export function sendHttpRequest(
  url: HttpUrl | string,
  options: HttpClientOptions = {},
): Promise<HttpResponse> {
  // Not an async function: the usual request (no whole-exchange deadline) is sendOnce's promise
  // itself, not one more wrapped around it.
  let target: HttpUrl;
  try {
    target = typeof url === "string" ? parseHttpUrl(url) : url;
    options.signal?.throwIfAborted();
  } catch (error) {
    return Promise.reject(error);
  }
  if (options.timeoutMs !== undefined && Number.isFinite(options.timeoutMs)) {
    return sendWithin(target, options, options.timeoutMs);
  }
  return sendOnce(target, options, undefined);
}

/** {@linkcode sendHttpRequest} under `timeoutMs` for the whole exchange. */
async function sendWithin(
  target: HttpUrl,
  options: HttpClientOptions,
  timeoutMs: number,
): Promise<HttpResponse> {
  // timeoutMs bounds the whole exchange: its own signal, combined with the caller's.
  const { host, port } = target;
  const whole = deadlineSignal(
    timeoutMs,
    options.signal,
    () => new SocketError({ step: "read", host, port, failure: "timed-out" }),
  );
  try {
    return await sendOnce(target, { ...options, signal: whole.signal }, whole);
  } catch (error) {
    whole[Symbol.dispose]();
    throw error;
  }
}

/** {@linkcode sendHttpRequest} once its whole-exchange deadline is set. */
const sendOnce = (async function sendOnce(
  target: HttpUrl,
  options: HttpClientOptions,
  whole: DeadlineSignal | undefined,
): Promise<HttpResponse> {
  const signal = options.signal;
  const headers = options.headers ?? [];
  const body = prepareBody(options.body, headers);
  const pool = options.pool && !options.pool.closed ? options.pool : undefined;
  // (By length first: most requests carry a few headers and none is Connection.)
  let callerCloses = false;
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!;
    if (
      name.length === 10 && name.toLowerCase() === "connection" &&
      /(^|,)\s*close\s*(,|$)/i.test(value)
    ) callerCloses = true;
  }
  // Only what the head needs (not a copy of every option: a list of URLs builds one per URL).
  const headOptions: HttpRequestHeadOptions = {
    headers,
    keepAlive: pool !== undefined,
    bodyLength: body.length,
  };
  if (options.method !== undefined) headOptions.method = options.method;
  if (options.userAgent !== undefined) headOptions.userAgent = options.userAgent;
  // As text: the stream encodes it straight into its buffer (no array of its own a request).
  const request = buildHttpRequest(target, headOptions);
  const timeoutMs = options.readTimeoutMs ?? options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const group = pool ? poolGroup(target, options, timeoutMs) : "";
  const key = pool ? poolKey(group, target.host) : "";
  const addressesOf = options.addressesOf;
  // Another name's connection may carry it when its peer is one of this name's addresses (plain
  // HTTP only).
  const shares = addressesOf !== undefined && target.scheme === "http";
  // A request sent again after a stale connection goes out on a new one: another idle one may be
  // as stale (several were kept, by parallel requests).
  let resent = false;
  const idempotent = (options.resendAfterClose === "safe" ? SAFE_METHODS : IDEMPOTENT_METHODS)
    .has(options.method ?? "GET");
  while (true) {
    // (An idle connection is taken without a wait, and without making what opening needs.)
    const { stream, reused, key: owner } = resent
      ? await openForPool(target, options, timeoutMs, pool, key)
      : pool?.tryAcquire(key, shares ? group : undefined) ??
        await acquireOrOpen(target, options, timeoutMs, pool, key, group, shares);
    // A request that may not be sent twice goes out on a kept-alive connection only once the
    // server is seen not to have closed it while it was idle (GNU wget's test before a reuse).
    if (reused && !idempotent && await closedWhileIdle(stream)) {
      stream.close();
      continue;
    }
    if (options.onConnection) {
      const peer = peers.get(stream)!;
      options.onConnection({ host: peer.host, port: peer.port, address: peer.address, reused });
    }
    const before = stream.bytesRead;
    try {
      return await exchange(
        target,
        options,
        stream,
        request,
        body,
        timeoutMs,
        pool && !callerCloses ? releaser(pool, owner, group) : undefined,
        whole && (() => whole[Symbol.dispose]()),
      );
    } catch (error) {
      // A kept-alive connection the server closed while it was idle fails before any byte of
      // a response arrives: send the request again, once, on a new connection, when RFC 9112
      // (9.3.1) allows it: an idempotent method, a body that can be sent again. Else the error is
      // the caller's (wget counts a try, as GNU's for every method).
      const stale = reused && stream.bytesRead === before && body.replayable && !signal?.aborted &&
        idempotent &&
        (error instanceof ConnectionClosedError || error instanceof UnexpectedEofError ||
          (error instanceof SocketError && STALE_FAILURES.has(error.failure)));
      if (!stale) throw error;
      resent = true;
    }
  }
}).bind(undefined);

let lastPool: HttpConnectionPool | undefined;
let lastOwner = "";
let lastGroupReleased = "";
let lastRelease: ((stream: SocketStream) => boolean) | undefined;

/**
 * Gives a connection back to `pool` under `owner`: the last one made is given again for the same
 * arguments (a run of requests to one origin), not a closure a request.
 */
const releaser = (function releaser(
  pool: HttpConnectionPool,
  owner: string,
  group: string,
): (stream: SocketStream) => boolean {
  if (pool !== lastPool || owner !== lastOwner || group !== lastGroupReleased || !lastRelease) {
    lastPool = pool;
    lastOwner = owner;
    lastGroupReleased = group;
    lastRelease = (s) => (pool.release(owner, s, group), true);
  }
  return lastRelease;
}).bind(undefined);

/**
 * Whether the server closed an idle kept-alive connection (or wrote on it unasked): a read that
 * ends at once, where GNU wget's test_socket_open polls the socket. A read still waiting is left
 * under way: the response to the request sent next goes into the stream's buffer.
 */
const closedWhileIdle = (function closedWhileIdle(stream: SocketStream): Promise<boolean> {
  if (stream.buffered > 0 || stream.isClosed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 1);
    stream.fillBuffer().then((more) => !more || stream.buffered > 0, () => true).then((ended) => {
      clearTimeout(timer);
      resolve(ended);
    });
  });
}).bind(undefined);

/** A new connection, counted by the pool as one it opened (given back to it under `key`). */
const openForPool = (async function openForPool(
  target: HttpUrl,
  options: HttpClientOptions,
  timeoutMs: number,
  pool: HttpConnectionPool | undefined,
  key: string,
): Promise<{ stream: SocketStream; reused: boolean; key: string }> {
  const stream = await openStream(target, options, timeoutMs);
  if (pool) pool.stats.opened++;
  return { stream, reused: false, key };
}).bind(undefined);

/** A connection for a request that no idle one could take at once: the pool's, or a new one. */
const acquireOrOpen = (function acquireOrOpen(
  target: HttpUrl,
  options: HttpClientOptions,
  timeoutMs: number,
  pool: HttpConnectionPool | undefined,
  key: string,
  group: string,
  shares: boolean,
): Promise<{ stream: SocketStream; reused: boolean; key: string }> {
  const open = () => openStream(target, options, timeoutMs);
  if (!pool) return open().then((stream) => ({ stream, reused: false, key }));
  const addressesOf = options.addressesOf!;
  const sharing: HttpPoolSharing | undefined = shares
    ? {
      group,
      accepts: async () => {
        const addresses = await addressesOf(target.host);
        return (stream) => addresses.includes(peers.get(stream)?.address ?? "");
      },
    }
    : undefined;
  return pool.acquire(key, open, sharing);
}).bind(undefined);

/** Where the request body is: none, waiting for 100 Continue, sending, done, skipped, failed. */
type SendState = "none" | "waiting" | "sending" | "done" | "skipped" | "failed";

/** How the body's sending stands, for a request without a body: it never changes. */
const NO_BODY_SENT: { state: SendState; error?: unknown } = Object.freeze({ state: "none" });
/** The head read's options when the exchange sets none. */
const NO_HEAD_OPTIONS: ReadHeadOptions = Object.freeze({});

/**
 * Writes the request on `stream` and reads the response head; closes the stream on failure.
 *
 * @param request The request's head, sent as UTF-8.
 * @param release Where the connection goes after the body, when it may be kept.
 * @param onDone Called once when the exchange is over.
 */
const exchange = (async function exchange(
  target: HttpUrl,
  options: HttpClientOptions,
  stream: SocketStream,
  request: string,
  body: ReturnType<typeof prepareBody>,
  timeoutMs: number,
  jobRelease: ((stream: SocketStream) => boolean) | undefined,
  onDone: (() => void) | undefined,
): Promise<HttpResponse> {
  const signal = options.signal;
  const method = options.method ?? "GET";
  const onAbort = signal && (() => stream.close());
  if (onAbort) signal!.addEventListener("abort", onAbort, { once: true });
  // The whole head must come within the timeout too: a server trickling a header byte just
  // before each read would time out would otherwise hold the client for hours.
  const headDeadline = headDeadlines.get(stream)!;
  headDeadline.begin(timeoutMs);
  // The body's sending: "none" without one, else waiting (for 100 Continue), sending, done,
  // skipped (a final status came instead of 100) or failed.
  const hasBody = body.length !== undefined && body.length !== 0;
  const send: { state: SendState; error?: unknown } = hasBody ? { state: "none" } : NO_BODY_SENT;
  let go: ((send: boolean) => void) | undefined;
  try {
    await stream.write(request);
    if (hasBody) {
      const expectContinue = (options.headers ?? []).some(([name, value]) =>
        name.toLowerCase() === "expect" && value.trim().toLowerCase() === "100-continue"
      );
      let proceed = Promise.resolve(true);
      if (expectContinue) {
        await stream.flush();
        send.state = "waiting";
        proceed = new Promise<boolean>((resolve) => (go = resolve));
        const wait = startDeadline(options.expectContinueTimeoutMs ?? 1000, () => go?.(true));
        proceed.then(() => wait.cancel());
      }
      const stop = () => send.state !== "sending";
      proceed.then(async (allowed) => {
        go = undefined;
        if (!allowed || send.state !== "waiting" && send.state !== "none") {
          if (send.state === "waiting") send.state = "skipped";
          return;
        }
        send.state = "sending";
        try {
          await body.write(stream, stop);
          await stream.flush();
          if (send.state === "sending") send.state = "done";
        } catch (error) {
          if (send.state === "sending") {
            send.state = "failed";
            send.error = error;
            // The body's own failure (its source, its length) ends the exchange. A write the
            // server refused may come with an answer already sent (413): the head read decides.
            if (!(error instanceof SocketError)) stream.close();
          }
        }
      });
    } else {
      await stream.flush();
    }
    options.onRequestSent?.();
    let head: HttpResponseHead;
    try {
      // (Interim answers matter to a body waiting for 100 Continue, or to the caller.)
      let headOptions = NO_HEAD_OPTIONS;
      if (
        hasBody || options.onInterim || options.maxHeaderBytes !== undefined ||
        options.maxHeaderCount !== undefined
      ) {
        headOptions = {};
        if (hasBody || options.onInterim) {
          headOptions.onInterim = (interim) => {
            if (interim.status === 100) go?.(true);
            options.onInterim?.(interim);
          };
        }
        if (options.maxHeaderBytes !== undefined) {
          headOptions.maxHeaderBytes = options.maxHeaderBytes;
        }
        if (options.maxHeaderCount !== undefined) {
          headOptions.maxHeaderCount = options.maxHeaderCount;
        }
      }
      head = await readHttpResponseHead(stream, headOptions);
    } catch (error) {
      throw send.state === "failed" && !(send.error instanceof SocketError) ? send.error : error;
    }
    // A final status before 100 Continue: the body is not sent. (If it is being sent, the
    // server answered early; the rest goes out while the response is read, and the
    // connection is closed after it.)
    if (send.state === "waiting") {
      send.state = "skipped";
      go?.(false);
    } else if (send.state === "sending") {
      // The connection ends with this response: the rest of the body is let go with it.
      stream.closed.then(() =>
        body.cancel(
          signal?.aborted ? signal.reason : new DOMException(EARLY_ANSWER, "AbortError"),
        )
      );
    }
    let framing = bodyFraming(method, head);
    if (options.ignoreContentLength && framing.kind === "length") framing = { kind: "close" };
    const keep = jobRelease !== undefined && responseKeepsConnection(head) &&
      framing.kind !== "close" && head.status !== 101;
    // (Without a body there is nothing whose sending could spoil the connection.)
    const release = !keep
      ? undefined
      : !hasBody
      ? jobRelease
      : (s: SocketStream) => (send.state === "none" || send.state === "done") && jobRelease!(s);
    if (onAbort) signal!.removeEventListener("abort", onAbort);
    return new HttpResponse(target, head, framing, stream, { signal, release, onDone });
  } catch (error) {
    if (onAbort) signal!.removeEventListener("abort", onAbort);
    if (send.state === "sending" || send.state === "waiting") send.state = "failed";
    go?.(false);
    stream.close();
    // A source waiting for its next chunk lets go now, as fetch cancels a request's body.
    body.cancel(signal?.aborted ? signal.reason : error);
    signal?.throwIfAborted();
    if (headDeadline.passed) {
      const { host, port } = target;
      throw new SocketError({ step: "read", host, port, failure: "timed-out", cause: error });
    }
    throw error;
  } finally {
    headDeadline.end();
  }
}).bind(undefined);
