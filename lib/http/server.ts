/**
 * An HTTP/1.1 server of netkit's own on `Deno.listen` / `Deno.listenTls`: the same handler
 * contract as `Deno.serve`, `(Request, info) => Response`, with the limits `Deno.serve` lacks --
 * a header-read timeout for the whole head, an idle keep-alive timeout, a write timeout, head and
 * body size limits, a connection limit that reclaims idle connections first -- accept failures
 * (EMFILE) survived, a graceful shutdown, and a fast path for responses whose bytes are known.
 *
 * @module
 */

import { concatBytes } from "../io/concat_bytes.ts";
import { MissingPermissionError } from "../io/missing_permission_error.ts";
import { formatHostPort } from "../net/host_port.ts";
import { DEFAULT_WRITE_TIMEOUT_MS } from "../net/timeouts.ts";
import {
  checkRequestLinePrefix,
  findHeadEnd,
  LINE_CHECKED,
  parseChunkSize,
  parseRequestHead,
} from "./request_parser.ts";
import { DEFAULT_MAX_HEAD_BYTES, type RequestHead, RequestHeadError } from "./request_parser.ts";
import { type KnownResponse, PreparedHead } from "./server_response.ts";
import { latin1Bytes } from "../internal/latin1.ts";
import { reasonPhrase } from "./_status_text.ts";

/** The default header-read timeout: the whole head must arrive within 20 s. */
export const DEFAULT_HEADER_TIMEOUT_MS = 20_000;
/** The default idle keep-alive timeout: 60 s. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
/**
 * The default write timeout: a client must take some bytes every 30 s (the library's one write
 * deadline, `DEFAULT_WRITE_TIMEOUT_MS` of `@netkit/netkit/net`).
 */
export const DEFAULT_SERVER_WRITE_TIMEOUT_MS: number = DEFAULT_WRITE_TIMEOUT_MS;
/** The default bound on a request body: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** The default connection limit. */
export const DEFAULT_MAX_CONNECTIONS = 1000;
/** How long a graceful shutdown waits for requests in flight by default: 10 s. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** A request handler, as for `Deno.serve`. */
export type HttpHandler = (
  request: Request,
  info: Deno.ServeHandlerInfo<Deno.NetAddr>,
) => Response | Promise<Response>;

/**
 * The fast path: answers a bodiless request from its method and raw target (e.g.
 * `/api/abc?x`), or returns undefined to let the handler answer it. It must have the same
 * effect as the handler would for the same request. The server copies the answer's bytes before
 * it calls the fast path again, so one answer object may be filled in afresh each time.
 */
export type FastPath = (
  method: string,
  target: string,
  info: { remoteAddr: Deno.NetAddr },
) => KnownResponse | undefined;

/** Options of {@linkcode serveHttp}. */
export interface HttpServerOptions {
  /** The port to listen on. @default {8000} */
  port?: number | undefined;
  /** The address to listen on; `::` takes both families where the system allows. @default {"0.0.0.0"} */
  hostname?: string | undefined;
  /** Serve on this listener (TCP or TLS) instead of opening one; it is closed at shutdown. */
  listener?: Deno.Listener | undefined;
  /** Serve HTTPS with this PEM certificate chain (with `key`). */
  cert?: string | undefined;
  /** The PEM private key for `cert`. */
  key?: string | undefined;
  /** Let several listeners share the port (Linux), one per process or worker. */
  reusePort?: boolean | undefined;
  /** Shuts the server down gracefully when aborted. */
  signal?: AbortSignal | undefined;
  /** Called once listening. */
  onListen?: ((addr: Deno.NetAddr) => void) | undefined;
  /** The response when the handler throws. @default {a plain 500} */
  onError?: ((error: unknown) => Response | Promise<Response>) | undefined;
  /** Answers requests whose response bytes are known without building a Request. */
  fastPath?: FastPath | undefined;
  /** Receives one line per answer in the common log format (as nginx and Apache write it). */
  accessLog?: ((line: string) => void) | undefined;
  /** The body of the server's own error answers (400, 413, 414, 431, ...). @default {plain text} */
  errorResponse?: ((status: number, message: string) => KnownResponse) | undefined;
  /** The whole request head must arrive within this. @default {20000} */
  headerTimeoutMs?: number | undefined;
  /** A kept-alive connection with no request is closed after this. @default {60000} */
  idleTimeoutMs?: number | undefined;
  /** A client that takes no response bytes for this long is dropped. @default {30000} */
  writeTimeoutMs?: number | undefined;
  /** The largest request head (431, or 414 for a request line alone). @default {16384} */
  maxHeadBytes?: number | undefined;
  /** The largest request body (413). @default {1048576} */
  maxBodyBytes?: number | undefined;
  /** The most open connections; beyond it idle ones are closed first. @default {1000} */
  maxConnections?: number | undefined;
  /** How long shutdown waits for requests in flight. @default {10000} */
  shutdownTimeoutMs?: number | undefined;
}

/** Counters of a running {@linkcode HttpServer}. */
export interface HttpServerStats {
  /** Connections open now. */
  connections: number;
  /** Connections accepted in all. */
  accepted: number;
  /** Requests answered, by status. */
  responses: Record<number, number>;
  /** Connections closed because the head did not arrive in time. */
  headerTimeouts: number;
  /** Kept-alive connections closed for idleness. */
  idleTimeouts: number;
  /** Connections dropped because the client stopped taking the response (or the body). */
  writeTimeouts: number;
  /** Connections whose body did not arrive in time. */
  bodyTimeouts: number;
  /** Connections closed to make room for new ones. */
  evicted: number;
  /** New connections refused with 503 at the connection limit. */
  refused: number;
  /** Accept calls that failed (e.g. out of descriptors). */
  acceptErrors: number;
}

/** A running server. */
export interface HttpServer extends AsyncDisposable {
  /** Where it listens. */
  readonly addr: Deno.NetAddr;
  /** Settles when the server has stopped and every connection is closed. */
  readonly finished: Promise<void>;
  /**
   * Stops accepting, closes idle connections at once, lets requests in flight finish (bounded by
   * `shutdownTimeoutMs`), and settles when every connection is closed.
   */
  shutdown(): Promise<void>;
  /** The counters. */
  stats(): HttpServerStats;
}

/**
 * Serves HTTP/1.1 with `handler` until shut down.
 *
 * Requests are parsed by RFC 9112 ({@linkcode parseRequestHead}); keep-alive, pipelining
 * (answers in order), HEAD, HTTP/1.0 with and without keep-alive, `Expect: 100-continue`,
 * Content-Length and chunked request bodies (read whole, up to `maxBodyBytes`) are supported.
 * Responses carry `Date` and a `Content-Length`, or are chunked when the body is long or
 * streamed. A malformed request is answered (400, 413, 414, 431, 501, 505) and its connection
 * closed.
 *
 * @param handler Answers each request, as for `Deno.serve`.
 * @param options Where to listen and the limits.
 * @returns The running server.
 * @throws {MissingPermissionError} when Deno's permissions do not reach the address; its `flag`
 * is the one to grant. Other listen errors are Deno's, as `Deno.serve` throws them.
 *
 * @example Serve on loopback and fetch
 * ```ts
 * import assert from "node:assert/strict";
 * import { serveHttp } from "@netkit/netkit/http";
 *
 * await using server = serveHttp((request) => new Response(`hi ${new URL(request.url).pathname}`), {
 *   hostname: "127.0.0.1",
 *   port: 0,
 * });
 * const response = await fetch(`http://127.0.0.1:${server.addr.port}/there`);
 * assert.equal(await response.text(), "hi /there");
 * ```
 */
export function serveHttp(handler: HttpHandler, options: HttpServerOptions = {}): HttpServer {
  const listener = options.listener ?? listen(options);
  let core: ServerCore;
  try {
    core = new ServerCore(handler, listener, options);
  } catch (error) {
    closeQuietly(listener); // A limit out of range: nothing may stay open.
    throw error;
  }
  options.onListen?.(core.addr);
  return core;
}

function listen(options: HttpServerOptions): Deno.Listener {
  const base = {
    port: options.port ?? 8000,
    hostname: options.hostname ?? "0.0.0.0",
    ...(options.reusePort === undefined ? {} : { reusePort: options.reusePort }),
  };
  if (options.cert !== undefined || options.key !== undefined) {
    if (options.cert === undefined || options.key === undefined) {
      throw new TypeError("HTTPS needs both a certificate and a key");
    }
  }
  try {
    if (options.cert !== undefined && options.key !== undefined) {
      return Deno.listenTls({ ...base, cert: options.cert, key: options.key });
    }
    return Deno.listen({ ...base, transport: "tcp" });
  } catch (error) {
    // A refused permission names the flag to grant; other errors are Deno's, as Deno.serve's.
    throw MissingPermissionError.from(
      error,
      `listening on "${formatHostPort(base.hostname, base.port)}"`,
    );
  }
}

// Connection states, for the timeouts.
const IDLE = 0; // Between requests (or before the first): the idle or header timeout.
const HEAD = 1; // Part of a head has arrived: the header timeout.
const BODY = 2; // Reading a body: each read within the header timeout.
const BUSY = 3; // The handler is working: no timeout.
const WRITE = 4; // Writing: each write within the write timeout.
const LINGER = 5; // Draining a refused request before closing.

const LINGER_MS = 2000;
const LINGER_BYTES = 256 * 1024;

// What the fast path did with a request.
const NOT_KNOWN = 0;
const KEEP_OPEN = 1;
const CLOSE = 2;

const CR = 13;
const LF = 10;
const FLUSH_BYTES = 64 * 1024;
const MEMO_HEAD_BYTES = 1024;
/** Empty lines ignored before a request line (RFC 9112 section 2.2 asks for at least one). */
const MAX_EMPTY_LINES = 2;
const STREAM_THRESHOLD = 64 * 1024;
const encoder = new TextEncoder();
const CONTINUE = encoder.encode("HTTP/1.1 100 Continue\r\n\r\n");
const CRLF = encoder.encode("\r\n");
const LAST_CHUNK = encoder.encode("0\r\n\r\n");
const CLOSE_LINE = encoder.encode("connection: close\r\n\r\n");
const KEEP_ALIVE_LINE = encoder.encode("connection: keep-alive\r\n\r\n");
const PLAIN_HEAD_CACHE = new Map<number, PreparedHead>();

const LENGTH_LINES = new Map<number, Uint8Array>();
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `content-length: N\r\n`, kept for the lengths seen most (a bounded cache). */
function contentLengthLine(length: number): Uint8Array {
  let line = LENGTH_LINES.get(length);
  if (line === undefined) {
    line = encoder.encode(`content-length: ${length}\r\n`);
    if (LENGTH_LINES.size >= 4096) LENGTH_LINES.clear();
    LENGTH_LINES.set(length, line);
  }
  return line;
}

function plainError(status: number, message: string): KnownResponse {
  let head = PLAIN_HEAD_CACHE.get(status);
  if (!head) {
    head = new PreparedHead(status, [["content-type", "text/plain; charset=utf-8"]]);
    PLAIN_HEAD_CACHE.set(status, head);
  }
  return { head, body: `${message}\n` };
}

class ServerCore implements HttpServer {
  readonly addr: Deno.NetAddr;
  readonly finished: Promise<void>;
  readonly handler: HttpHandler;
  readonly listener: Deno.Listener;
  readonly fastPath: FastPath | undefined;
  readonly onError: ((error: unknown) => Response | Promise<Response>) | undefined;
  readonly errorResponse: (status: number, message: string) => KnownResponse;
  readonly accessLog: ((line: string) => void) | undefined;
  readonly headerTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly writeTimeoutMs: number;
  readonly maxHeadBytes: number;
  readonly maxBodyBytes: number;
  readonly maxConnections: number;
  readonly shutdownTimeoutMs: number;
  readonly scheme: string;
  readonly connections = new Set<Connection>();
  readonly counters: Omit<HttpServerStats, "connections"> = {
    accepted: 0,
    responses: {},
    headerTimeouts: 0,
    idleTimeouts: 0,
    writeTimeouts: 0,
    bodyTimeouts: 0,
    evicted: 0,
    refused: 0,
    acceptErrors: 0,
  };
  stopping = false;
  #sweeper: ReturnType<typeof setInterval>;
  #stopped = Promise.withResolvers<void>();
  #acceptPause: { timer: ReturnType<typeof setTimeout>; resolve: () => void } | undefined;
  #signal: AbortSignal | undefined;
  #onAbort = () => void this.shutdown();
  #dateSecond = -1;
  #logSecond = -1;
  #logDate = "";
  #dateLine = new Uint8Array(0);

  constructor(handler: HttpHandler, listener: Deno.Listener, options: HttpServerOptions) {
    this.handler = handler;
    this.listener = listener;
    this.addr = listener.addr as Deno.NetAddr;
    this.fastPath = options.fastPath;
    this.onError = options.onError;
    this.errorResponse = options.errorResponse ?? plainError;
    this.accessLog = options.accessLog;
    this.headerTimeoutMs = positive(options.headerTimeoutMs, DEFAULT_HEADER_TIMEOUT_MS);
    this.idleTimeoutMs = positive(options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS);
    this.writeTimeoutMs = positive(options.writeTimeoutMs, DEFAULT_SERVER_WRITE_TIMEOUT_MS);
    this.maxHeadBytes = positive(options.maxHeadBytes, DEFAULT_MAX_HEAD_BYTES);
    this.maxBodyBytes = Math.max(0, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    this.maxConnections = positive(options.maxConnections, DEFAULT_MAX_CONNECTIONS);
    this.shutdownTimeoutMs = Math.max(0, options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
    this.scheme = listener.constructor?.name === "TlsListener" || options.cert !== undefined
      ? "https"
      : "http";
    const shortest = Math.min(this.headerTimeoutMs, this.idleTimeoutMs, this.writeTimeoutMs);
    const tick = Math.min(250, Math.max(5, Math.floor(shortest / 10)));
    this.#sweeper = setInterval(() => this.#sweep(), tick);
    this.finished = this.#run();
    this.#signal = options.signal;
    if (this.#signal?.aborted) void this.shutdown();
    else this.#signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  stats(): HttpServerStats {
    return {
      connections: this.connections.size,
      ...this.counters,
      responses: { ...this.counters.responses },
    };
  }

  /** `date: ...\r\n`, rebuilt once a second. */
  dateLine(): Uint8Array {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    if (second !== this.#dateSecond) {
      this.#dateSecond = second;
      this.#dateLine = encoder.encode(`date: ${new Date(second * 1000).toUTCString()}\r\n`);
    }
    return this.#dateLine;
  }

  /** `10/Oct/2000:13:55:36 +0000`, rebuilt once a second. */
  logDate(): string {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.#logSecond) {
      this.#logSecond = second;
      const date = new Date(second * 1000);
      const two = (n: number) => String(n).padStart(2, "0");
      this.#logDate = `${two(date.getUTCDate())}/${
        MONTHS[date.getUTCMonth()]
      }/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${
        two(date.getUTCSeconds())
      } +0000`;
    }
    return this.#logDate;
  }

  counted(status: number): void {
    const responses = this.counters.responses;
    responses[status] = (responses[status] ?? 0) + 1;
  }

  async #run(): Promise<void> {
    try {
      await this.#acceptLoop();
    } finally {
      this.#signal?.removeEventListener("abort", this.#onAbort);
      await this.#stopped.promise;
      clearInterval(this.#sweeper);
    }
  }

  async #acceptLoop(): Promise<void> {
    let pauseMs = 10;
    while (!this.stopping) {
      let conn: Deno.Conn;
      try {
        conn = await this.listener.accept();
        pauseMs = 10;
      } catch (error) {
        if (this.stopping) break;
        if (error instanceof Deno.errors.BadResource) {
          // The listener was closed from outside: stop as if shut down.
          void this.shutdown();
          break;
        }
        // Out of descriptors (EMFILE, ENFILE) or a connection reset before accept: give back
        // idle connections, wait a little, try again. Never give up.
        this.counters.acceptErrors++;
        this.#reclaim(Math.max(1, Math.floor(this.connections.size / 10)));
        await this.#pause(pauseMs);
        pauseMs = Math.min(1000, pauseMs * 2);
        continue;
      }
      this.counters.accepted++;
      if (this.connections.size >= this.maxConnections && this.#reclaim(1) === 0) {
        this.counters.refused++;
        this.#refuse(conn);
        continue;
      }
      const connection = new Connection(this, conn);
      this.connections.add(connection);
      connection.serve().finally(() => {
        this.connections.delete(connection);
        if (this.stopping && this.connections.size === 0) this.#stopped.resolve();
      });
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#acceptPause = undefined;
        resolve();
      }, ms);
      this.#acceptPause = { timer, resolve };
    });
  }

  /**
   * Closes up to `count` connections to make room: idle kept-alive ones first (oldest first),
   * then those whose head has been arriving the longest. Returns how many were closed.
   */
  #reclaim(count: number): number {
    let closed = 0;
    for (const connection of this.connections) {
      if (closed >= count) return closed;
      if (connection.state === IDLE && connection.served > 0 && !connection.closed) {
        connection.abort();
        this.counters.evicted++;
        closed++;
      }
    }
    let victims: Connection[] | undefined;
    for (const connection of this.connections) {
      if (connection.state === IDLE || connection.state === HEAD) {
        if (!connection.closed) (victims ??= []).push(connection);
      }
    }
    if (victims) {
      victims.sort((a, b) => a.deadline - b.deadline);
      for (const connection of victims) {
        if (closed >= count) break;
        connection.abort();
        this.counters.evicted++;
        closed++;
      }
    }
    return closed;
  }

  #refuse(conn: Deno.Conn): void {
    const known = this.errorResponse(503, "The server has too many connections");
    const parts = typeof known.body === "string" || known.body instanceof Uint8Array
      ? [known.body]
      : known.body;
    const body = concatBytes(
      parts.map((part) => typeof part === "string" ? encoder.encode(part) : part),
    );
    const head = `content-length: ${body.length}\r\nretry-after: 1\r\nconnection: close\r\n\r\n`;
    const bytes = concatBytes([known.head.bytes, this.dateLine(), encoder.encode(head), body]);
    this.counted(503);
    conn.write(bytes).catch(() => {}).finally(() => closeQuietly(conn));
  }

  #sweep(): void {
    const now = Date.now();
    for (const connection of this.connections) {
      if (connection.deadline >= now || connection.closed) continue;
      const counters = this.counters;
      switch (connection.state) {
        case IDLE:
          if (connection.served > 0) counters.idleTimeouts++;
          else counters.headerTimeouts++;
          break;
        case HEAD:
          counters.headerTimeouts++;
          break;
        case BODY:
          counters.bodyTimeouts++;
          break;
        case WRITE:
          counters.writeTimeouts++;
          break;
      }
      connection.abort();
    }
  }

  shutdown(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      closeQuietly(this.listener);
      if (this.#acceptPause) {
        clearTimeout(this.#acceptPause.timer);
        this.#acceptPause.resolve();
      }
      for (const connection of this.connections) {
        if (connection.state === IDLE || connection.state === HEAD) connection.abort();
      }
      if (this.connections.size === 0) {
        this.#stopped.resolve();
      } else {
        const timer = setTimeout(() => {
          for (const connection of this.connections) connection.abort();
        }, this.shutdownTimeoutMs);
        this.#stopped.promise.then(() => clearTimeout(timer));
      }
    }
    return this.finished;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }
}

function positive(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new RangeError(`The limit ${value} is not positive`);
  return value;
}

function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // Already closed.
  }
}

/** The `info` a handler gets: the peer's address, and a promise of the response's delivery. */
class RequestInfo implements Deno.ServeHandlerInfo<Deno.NetAddr> {
  readonly remoteAddr: Deno.NetAddr;
  #completed: PromiseWithResolvers<void> | undefined;
  constructor(remoteAddr: Deno.NetAddr) {
    this.remoteAddr = remoteAddr;
  }
  get completed(): Promise<void> {
    if (!this.#completed) {
      this.#completed = Promise.withResolvers<void>();
      this.#completed.promise.catch(() => {});
    }
    return this.#completed.promise;
  }
  settle(delivered: boolean): void {
    if (!this.#completed) return;
    if (delivered) this.#completed.resolve();
    else this.#completed.reject(new Deno.errors.Interrupted("The response was not delivered"));
  }
}

/** One connection: reads requests, answers them in order, keeps the deadlines. */
class Connection {
  readonly server: ServerCore;
  readonly conn: Deno.Conn;
  readonly info: { remoteAddr: Deno.NetAddr };
  state = IDLE;
  deadline: number;
  closed = false;
  served = 0;
  #in: Uint8Array;
  #start = 0;
  #end = 0;
  #scanFrom = 0;
  #out = new Uint8Array(4096);
  #outLength = 0;
  #scratch = new Uint8Array(0);
  #lastHeadBytes: Uint8Array | undefined;
  #current: RequestHead | undefined;
  #checkedTo = 0;
  #emptyLines = 0;
  #bodyBytes = 0;
  #lastHead: RequestHead | undefined;

  constructor(server: ServerCore, conn: Deno.Conn) {
    this.server = server;
    this.conn = conn;
    this.info = { remoteAddr: conn.remoteAddr as Deno.NetAddr };
    this.#in = new Uint8Array(Math.min(4096, server.maxHeadBytes + 4));
    this.deadline = Date.now() + server.headerTimeoutMs;
  }

  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeQuietly(this.conn);
  }

  /**
   * The connection's loop. Its hot path has no promise of its own: heads already buffered are
   * parsed and, when the fast path knows their answers, answered into the output buffer without
   * an await; then one write sends every answer gathered (a pipelined batch takes one write), and
   * one read into the reused input buffer fetches more.
   */
  async serve(): Promise<void> {
    const server = this.server;
    try {
      for (;;) {
        this.#current = undefined;
        const head = this.#bufferedHead();
        if (head === undefined) {
          const length = this.#outLength;
          if (length > 0 && !this.closed) {
            // #flush() inlined: no promise but the write's own.
            const state = this.state;
            const deadline = this.deadline;
            this.state = WRITE;
            this.deadline = Date.now() + server.writeTimeoutMs;
            const written = await this.conn.write(this.#out.subarray(0, length));
            this.state = state;
            this.deadline = deadline;
            this.#outLength = length - written;
            if (written < length) {
              this.#out.copyWithin(0, written, length);
              await this.#flush();
            }
          }
          if (this.closed || (this.#end === 0 && server.stopping)) break;
          if (this.#end === this.#in.length) this.#makeRoom();
          const n = await this.conn.read(
            this.#end === 0 ? this.#in : this.#in.subarray(this.#end),
          );
          if (n === null) break;
          this.#end += n;
          continue;
        }
        this.#current = head;
        const known = this.#answerKnown(head);
        if (known === NOT_KNOWN) {
          if (!(await this.#answer(head))) break;
        } else {
          if (known === CLOSE) break;
          if (this.#outLength >= FLUSH_BYTES) await this.#flush();
        }
      }
      await this.#flush();
    } catch (error) {
      if (error instanceof RequestHeadError && !this.closed) {
        try {
          const known = this.server.errorResponse(error.status, error.message);
          const sent = this.#appendKnown(known, false, false);
          this.#logAccess(this.#current, error.status, sent);
          await this.#flush();
          await this.#linger();
        } catch {
          // The client went away.
        }
      }
    } finally {
      this.abort();
    }
  }

  /**
   * The next whole head in the input buffer, parsed; undefined when more bytes are needed (the
   * buffer then starts at 0 when empty, and the header timeout runs once part of a head is in).
   */
  #bufferedHead(): RequestHead | undefined {
    const server = this.server;
    const bytes = this.#in;
    // Empty lines before a request line are ignored (RFC 9112 section 2.2).
    while (this.#start < this.#end) {
      const c = bytes[this.#start];
      if (c === LF) this.#start++;
      else if (c === CR && this.#start + 1 < this.#end && bytes[this.#start + 1] === LF) {
        this.#start += 2;
      } else break;
      if (++this.#emptyLines > MAX_EMPTY_LINES) {
        throw new RequestHeadError(400, "Empty lines instead of a request line");
      }
    }
    if (this.#start === this.#end) {
      this.#start =
        this.#end =
        this.#scanFrom =
        this.#checkedTo =
          0;
      return undefined;
    }
    const repeated = this.#repeatedHead(bytes);
    if (repeated > 0) {
      this.#start = this.#scanFrom = this.#checkedTo = this.#start + repeated;
      this.#emptyLines = 0;
      return this.#lastHead!;
    }
    const stop = findHeadEnd(bytes, this.#start, this.#end, this.#scanFrom);
    if (stop >= 0) {
      const head = this.#remember(
        bytes,
        this.#start,
        stop,
        parseRequestHead(bytes, this.#start, stop),
      );
      this.#start = this.#scanFrom = this.#checkedTo = stop;
      this.#emptyLines = 0;
      return head;
    }
    // Not all here yet: refuse a request line that cannot be one now, not at the timeout.
    this.#checkedTo = checkRequestLinePrefix(bytes, this.#start, this.#end, this.#checkedTo);
    const buffered = this.#end - this.#start;
    if (buffered >= server.maxHeadBytes) {
      const lineEnds = bytes.indexOf(LF, this.#start);
      if (lineEnds < 0 || lineEnds >= this.#end) {
        throw new RequestHeadError(
          414,
          `The request line is longer than ${server.maxHeadBytes} bytes`,
        );
      }
      throw new RequestHeadError(
        431,
        `The request head is larger than ${server.maxHeadBytes} bytes`,
      );
    }
    this.#scanFrom = Math.max(this.#start, this.#end - 3);
    if (this.state !== HEAD) {
      // The first request's head must arrive within the header timeout of the connection's
      // start; a later one within the header timeout of its first byte.
      if (this.served > 0 || this.state !== IDLE) {
        this.deadline = Date.now() + server.headerTimeoutMs;
      }
      this.state = HEAD;
    }
    return undefined;
  }

  /**
   * The length of the previous request's head when the buffered bytes start with it byte for
   * byte (a kept-alive client repeating its request), else 0. Those bytes end where the previous
   * head ended, so its parsed head (never changed) is this one's, with no scan for the end.
   */
  #repeatedHead(bytes: Uint8Array): number {
    const last = this.#lastHeadBytes;
    const start = this.#start;
    if (last === undefined || this.#end - start < last.length) return 0;
    for (let i = 0; i < last.length; i++) if (last[i] !== bytes[start + i]) return 0;
    return last.length;
  }

  #remember(bytes: Uint8Array, start: number, stop: number, head: RequestHead): RequestHead {
    if (stop - start <= MEMO_HEAD_BYTES) {
      this.#lastHeadBytes = bytes.slice(start, stop);
      this.#lastHead = head;
    }
    return head;
  }

  #makeRoom(): void {
    const buffered = this.#end - this.#start;
    if (this.#start > 0 && buffered < this.#in.length / 2) {
      this.#in.copyWithin(0, this.#start, this.#end);
    } else {
      const grown = new Uint8Array(Math.min(this.#in.length * 2, this.server.maxHeadBytes + 4096));
      grown.set(this.#in.subarray(this.#start, this.#end));
      this.#in = grown;
    }
    this.#scanFrom -= this.#start;
    if (this.#checkedTo !== LINE_CHECKED) {
      this.#checkedTo = Math.max(0, this.#checkedTo - this.#start);
    }
    this.#start = 0;
    this.#end = buffered;
    if (this.#end === this.#in.length) {
      // Unreachable while the callers check their limits first; never read into no room.
      throw new RequestHeadError(431, "The request does not fit the buffer");
    }
  }

  /**
   * Answers a bodiless request the fast path knows, into the output buffer (no await): whether
   * it did, and whether the connection then stays open.
   */
  #answerKnown(head: RequestHead): typeof NOT_KNOWN | typeof KEEP_OPEN | typeof CLOSE {
    const server = this.server;
    if (server.fastPath === undefined || head.chunked || head.contentLength > 0) return NOT_KNOWN;
    const known = server.fastPath(head.method, head.target, this.info);
    if (known === undefined) return NOT_KNOWN;
    const keepAlive = head.keepAlive && !server.stopping;
    const sent = this.#appendKnown(known, head.method === "HEAD", keepAlive, head.minor);
    if (server.accessLog) this.#logAccess(head, known.head.status, sent);
    this.#answered(keepAlive);
    return keepAlive ? KEEP_OPEN : CLOSE;
  }

  /** Answers one request; whether the connection stays open. */
  async #answer(head: RequestHead): Promise<boolean> {
    const server = this.server;
    const keepAlive = head.keepAlive && !server.stopping;
    const hasBody = head.chunked || head.contentLength > 0;
    let body: Uint8Array<ArrayBuffer> | undefined;
    if (hasBody) {
      if (head.contentLength > server.maxBodyBytes) {
        throw new RequestHeadError(
          413,
          `The request body is larger than ${server.maxBodyBytes} bytes`,
        );
      }
      if (head.expectContinue) {
        this.#append(CONTINUE);
        await this.#flush();
      }
      this.state = BODY;
      body = head.chunked ? await this.#readChunked() : await this.#readBody(head.contentLength);
    }
    this.state = BUSY;
    this.deadline = Infinity;
    const info = new RequestInfo(this.info.remoteAddr);
    let response: Response;
    const request = this.#request(head, body);
    try {
      const answer = server.handler(request, info);
      if (answer instanceof Promise) {
        await this.#flush();
        this.state = BUSY;
        this.deadline = Infinity;
        response = await answer;
      } else {
        response = answer;
      }
      if (!(response instanceof Response)) {
        throw new TypeError("The handler did not return a Response");
      }
    } catch (error) {
      response = await this.#errorAnswer(error);
    }
    let stayOpen: boolean;
    try {
      stayOpen = await this.#appendResponse(response, head, keepAlive && !server.stopping);
      await this.#flush();
    } catch (error) {
      info.settle(false);
      throw error;
    }
    info.settle(true);
    if (server.accessLog) this.#logAccess(head, response.status, this.#bodyBytes);
    this.#answered(stayOpen);
    return stayOpen;
  }

  /** One common-log-format line; `head` is undefined for a request that could not be read. */
  #logAccess(head: RequestHead | undefined, status: number, bytes: number): void {
    const log = this.server.accessLog;
    if (!log) return;
    const host = this.info.remoteAddr.hostname.replace(/^::ffff:(?=\d+\.)/, "");
    const request = head
      ? `${head.method} ${head.target} HTTP/1.${head.minor}`.replace(
        /["\\]/g,
        (c) => `\\x${c.charCodeAt(0).toString(16)}`,
      )
      : "-";
    log(`${host} - - [${this.server.logDate()}] "${request}" ${status} ${bytes > 0 ? bytes : "-"}`);
  }

  #answered(keepAlive: boolean): void {
    this.served++;
    if (keepAlive) {
      this.state = IDLE;
      this.deadline = Date.now() + this.server.idleTimeoutMs;
    }
  }

  async #errorAnswer(error: unknown): Promise<Response> {
    try {
      if (this.server.onError) {
        const response = await this.server.onError(error);
        if (response instanceof Response) return response;
      }
    } catch {
      // Fall through to the plain 500.
    }
    return new Response("Internal Server Error\n", { status: 500 });
  }

  #request(head: RequestHead, body: Uint8Array<ArrayBuffer> | undefined): Request {
    const target = head.target;
    let url: string;
    if (target.charCodeAt(0) === 47) {
      url = `${this.server.scheme}://${head.host || this.#localHost()}${target}`;
    } else if (target === "*") {
      url = `${this.server.scheme}://${head.host || this.#localHost()}/`;
    } else {
      url = target;
    }
    const method = head.method;
    try {
      const request = new Request(url, {
        method,
        headers: head.headers,
        body: body === undefined || method === "GET" || method === "HEAD" ? null : body,
      });
      if (request.method !== method) {
        // The Request constructor uppercases `get`, `post`, ...; HTTP methods are case-sensitive
        // (RFC 9110 section 9.1), so the handler must see `get` as the unknown method it is.
        Object.defineProperty(request, "method", { value: method });
      }
      return request;
    } catch (error) {
      if (method === "TRACE" || method === "TRACK") {
        throw new RequestHeadError(501, `The method "${method}" is not supported`);
      }
      throw new RequestHeadError(400, `The request cannot be read: ${(error as Error).message}`);
    }
  }

  #localHost(): string {
    const addr = this.conn.localAddr as Deno.NetAddr;
    return addr.hostname.includes(":")
      ? `[${addr.hostname}]:${addr.port}`
      : `${addr.hostname}:${addr.port}`;
  }

  // --- Request bodies ---

  async #readBody(length: number): Promise<Uint8Array<ArrayBuffer>> {
    const body = new Uint8Array(length);
    const buffered = Math.min(length, this.#end - this.#start);
    body.set(this.#in.subarray(this.#start, this.#start + buffered));
    this.#start += buffered;
    let filled = buffered;
    while (filled < length) {
      this.deadline = Date.now() + this.server.headerTimeoutMs;
      const n = await this.conn.read(body.subarray(filled));
      if (n === null) throw new RequestHeadError(400, "The request body ended early");
      filled += n;
    }
    return body;
  }

  /** Ensures a line is buffered (bounded) and returns where its LF is. */
  async #line(limit: number): Promise<number> {
    for (;;) {
      const lf = this.#in.indexOf(LF, this.#start);
      if (lf >= 0 && lf < this.#end) return lf;
      if (this.#end - this.#start > limit) {
        throw new RequestHeadError(400, "A chunk line is too long");
      }
      await this.#fill();
    }
  }

  /** Reads more bytes into the input buffer. */
  async #fill(): Promise<void> {
    if (this.#end === this.#in.length) this.#makeRoom();
    this.deadline = Date.now() + this.server.headerTimeoutMs;
    const n = await this.conn.read(this.#in.subarray(this.#end));
    if (n === null) throw new RequestHeadError(400, "The request body ended early");
    this.#end += n;
  }

  async #readChunked(): Promise<Uint8Array<ArrayBuffer>> {
    const max = this.server.maxBodyBytes;
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const lf = await this.#line(4096);
      if (lf === this.#start || this.#in[lf - 1] !== CR) {
        throw new RequestHeadError(400, "A chunk size line does not end in CRLF");
      }
      const size = parseChunkSize(this.#in, this.#start, lf - 1, max - total);
      this.#start = lf + 1;
      if (size === 0) break;
      total += size;
      const part = new Uint8Array(size);
      let filled = 0;
      while (filled < size) {
        if (this.#start === this.#end) await this.#fill();
        const n = Math.min(size - filled, this.#end - this.#start);
        part.set(this.#in.subarray(this.#start, this.#start + n), filled);
        this.#start += n;
        filled += n;
      }
      parts.push(part);
      while (this.#end - this.#start < 2) await this.#fill();
      if (this.#in[this.#start] !== CR || this.#in[this.#start + 1] !== LF) {
        throw new RequestHeadError(400, "A chunk does not end in CRLF");
      }
      this.#start += 2;
    }
    // The trailer section: fields until an empty line, bounded, ignored.
    let trailer = 0;
    for (;;) {
      const lf = await this.#line(this.server.maxHeadBytes);
      const length = lf + 1 - this.#start;
      if (length > 1 && this.#in[lf - 1] !== CR) {
        throw new RequestHeadError(400, "A trailer line does not end in CRLF");
      }
      const first = this.#in[this.#start];
      this.#start = lf + 1;
      if (length <= 2) break;
      if (first === 32 || first === 9) {
        throw new RequestHeadError(400, "Obsolete line folding is not accepted");
      }
      trailer += length;
      if (trailer > this.server.maxHeadBytes) {
        throw new RequestHeadError(431, "The chunked trailer is too large");
      }
    }
    return concatBytes(parts);
  }

  // --- Responses ---

  #reserve(length: number): void {
    const needed = this.#outLength + length;
    if (needed <= this.#out.length) return;
    const grown = new Uint8Array(Math.max(needed, this.#out.length * 2));
    grown.set(this.#out.subarray(0, this.#outLength));
    this.#out = grown;
  }

  #append(bytes: Uint8Array): void {
    this.#reserve(bytes.length);
    this.#out.set(bytes, this.#outLength);
    this.#outLength += bytes.length;
  }

  #appendText(text: string): void {
    this.#reserve(text.length * 3);
    this.#outLength += encoder.encodeInto(text, this.#out.subarray(this.#outLength)).written;
  }

  /** Appends a known response; returns the body bytes sent (none for HEAD). */
  #appendKnown(known: KnownResponse, isHead: boolean, keepAlive: boolean, minor = 1): number {
    const body = known.body;
    let length: number;
    let parts: Uint8Array[] | undefined;
    let single: Uint8Array | undefined;
    if (typeof body === "string") {
      single = this.#encodeScratch(body, 0);
      length = single.length;
    } else if (body instanceof Uint8Array) {
      single = body;
      length = body.length;
    } else {
      parts = [];
      length = 0;
      let used = 0;
      for (const part of body) {
        const bytes = typeof part === "string" ? this.#encodeScratch(part, used) : part;
        if (typeof part === "string") used += bytes.length;
        parts.push(bytes);
        length += bytes.length;
      }
    }
    this.#append(known.head.bytes);
    this.#append(this.server.dateLine());
    this.#append(contentLengthLine(length));
    if (!keepAlive) this.#append(CLOSE_LINE);
    else if (minor === 0) this.#append(KEEP_ALIVE_LINE);
    else this.#append(CRLF);
    if (!isHead) {
      if (single) this.#append(single);
      else for (const part of parts!) this.#append(part);
    }
    this.server.counted(known.head.status);
    return isHead ? 0 : length;
  }

  /** `text` as UTF-8 in the scratch buffer at `offset` (valid until the next call at or before it). */
  #encodeScratch(text: string, offset: number): Uint8Array {
    const needed = offset + text.length * 3;
    if (this.#scratch.length < needed) {
      const grown = new Uint8Array(needed + 256);
      grown.set(this.#scratch.subarray(0, offset));
      this.#scratch = grown;
    }
    const view = this.#scratch.subarray(offset);
    return view.subarray(0, encoder.encodeInto(text, view).written);
  }

  /** Appends a handler's response (streaming a long body); whether the connection stays open. */
  async #appendResponse(
    response: Response,
    head: RequestHead,
    keepAlive: boolean,
  ): Promise<boolean> {
    const status = response.status;
    const isHead = head.method === "HEAD";
    let text = `HTTP/1.1 ${status} ${response.statusText || reasonPhrase(status)}\r\n`;
    let hasDate = false;
    let declaredLength: string | undefined;
    for (const [name, value] of response.headers) {
      switch (name) {
        case "connection":
          if (/(^|,)\s*close\s*(,|$)/i.test(value)) keepAlive = false;
          continue;
        case "keep-alive":
        case "transfer-encoding":
          continue;
        case "content-length":
          declaredLength = value;
          continue;
        case "date":
          hasDate = true;
      }
      text += `${name}: ${value}\r\n`;
    }
    const noBody = status < 200 || status === 204 || status === 304;
    const chunks: Uint8Array[] = [];
    let total = 0;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let streaming = false;
    if (response.body !== null) {
      if (noBody || (isHead && declaredLength !== undefined)) {
        await response.body.cancel().catch(() => {});
      } else {
        reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          total += value.length;
          if (total > STREAM_THRESHOLD) {
            streaming = true;
            break;
          }
        }
        if (isHead) await reader.cancel().catch(() => {});
      }
    }
    if (noBody) {
      if (status === 304 && declaredLength !== undefined) {
        text += `content-length: ${declaredLength}\r\n`;
      }
    } else if (isHead && declaredLength !== undefined) {
      text += `content-length: ${declaredLength}\r\n`;
    } else if (!streaming) {
      text += `content-length: ${total}\r\n`;
    } else if (isHead) {
      // The length is unknown without reading it all: none is sent.
    } else if (head.minor === 1) {
      text += "transfer-encoding: chunked\r\n";
    } else {
      keepAlive = false; // HTTP/1.0: the body ends when the connection does.
    }
    if (!keepAlive) text += "connection: close\r\n";
    else if (head.minor === 0) text += "connection: keep-alive\r\n";
    if (/[\x80-\xff]/.test(text)) this.#append(latin1Bytes(text));
    else this.#appendText(text);
    if (!hasDate) this.#append(this.server.dateLine());
    this.#append(CRLF);
    this.server.counted(status);
    this.#bodyBytes = 0;
    if (isHead || noBody) return keepAlive;
    if (!streaming) {
      for (const chunk of chunks) this.#append(chunk);
      this.#bodyBytes = total;
      return keepAlive;
    }
    const chunked = head.minor === 1;
    const frame = async (chunk: Uint8Array) => {
      if (chunk.length === 0) return;
      this.#bodyBytes += chunk.length;
      if (chunked) this.#appendText(`${chunk.length.toString(16)}\r\n`);
      this.#append(chunk);
      if (chunked) this.#append(CRLF);
      if (this.#outLength >= FLUSH_BYTES) await this.#flush();
    };
    try {
      for (const chunk of chunks) await frame(chunk);
      for (;;) {
        const { done, value } = await reader!.read();
        if (done) break;
        await frame(value);
      }
    } catch (error) {
      await reader!.cancel().catch(() => {});
      // A body that fails half-way: the connection is dropped so the client sees it incomplete.
      throw error;
    }
    if (chunked) this.#append(LAST_CHUNK);
    return keepAlive;
  }

  /**
   * After an error answer: stops sending, then reads and drops what the client is still sending
   * (bounded in bytes and time), so that closing does not reset the connection before the client
   * has read the answer.
   */
  async #linger(): Promise<void> {
    await this.conn.closeWrite();
    this.state = LINGER;
    this.deadline = Date.now() + LINGER_MS;
    const sink = new Uint8Array(4096);
    let dropped = 0;
    while (dropped < LINGER_BYTES) {
      const n = await this.conn.read(sink);
      if (n === null) return;
      dropped += n;
    }
  }

  async #flush(): Promise<void> {
    if (this.#outLength === 0) return;
    if (this.closed) throw new Deno.errors.Interrupted("The connection was closed");
    const state = this.state;
    const deadline = this.deadline;
    this.state = WRITE;
    const out = this.#out;
    const length = this.#outLength;
    let written = 0;
    while (written < length) {
      this.deadline = Date.now() + this.server.writeTimeoutMs;
      written += await this.conn.write(out.subarray(written, length));
    }
    this.#outLength = 0;
    this.state = state;
    this.deadline = deadline;
  }
}
