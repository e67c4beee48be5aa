/**
 * A small HTTP/1.1 client on {@linkcode SocketStream}, not `fetch`: one request per connection
 * (`Connection: close`), the response head read within limits, the body streamed to a writer with
 * flat memory whatever its size. TLS is loaded only for `https://`.
 *
 * @module
 */

import { startDeadline } from "../internal/deadline.ts";
import { copyChunkedBody } from "./chunked.ts";
import { buildHttpRequest, type HttpRequestOptions } from "./request.ts";
import {
  type BodyFraming,
  bodyFraming,
  DEFAULT_MAX_HEADER_BYTES,
  type HttpResponseHead,
  type ReadHeadOptions,
  readHttpResponseHead,
} from "./response.ts";
import { type HttpUrl, parseHttpUrl } from "./url.ts";
import { createClientSocket } from "../net/socket.ts";
import { SocketError } from "../net/socket_error.ts";
import type { ByteWriter, Duplex } from "../io/duplex.ts";
import { SocketStream } from "../net/socket_stream.ts";

/** Options of {@linkcode sendHttpRequest}. */
export interface HttpClientOptions extends HttpRequestOptions, ReadHeadOptions {
  /**
   * Time allowed to connect, then for the whole response head, then for each read of the body.
   * @default {900000} (GNU wget's 900 s)
   */
  timeoutMs?: number;
  /** Extra trusted root certificates, PEM, for `https://`. */
  caCerts?: string[];
  /** False to accept any certificate (`--no-check-certificate`). @default {true} */
  checkCertificate?: boolean;
  /** Abort the connect from outside. */
  signal?: AbortSignal;
}

/** A response whose head has been read; the body is still on the connection. */
export class HttpResponse implements AsyncDisposable {
  /** The URL asked for. */
  readonly url: HttpUrl;
  /** The status line and headers. */
  readonly head: HttpResponseHead;
  /** How the body is delimited. */
  readonly framing: BodyFraming;
  readonly #stream: SocketStream;

  /** Wraps a response read from `stream`, which it now owns. */
  constructor(url: HttpUrl, head: HttpResponseHead, framing: BodyFraming, stream: SocketStream) {
    this.url = url;
    this.head = head;
    this.framing = framing;
    this.#stream = stream;
  }

  /** The status code. */
  get status(): number {
    return this.head.status;
  }

  /** The body's length when the server announced it (`Content-Length`), else undefined. */
  get contentLength(): number | undefined {
    return this.framing.kind === "length" ? this.framing.length : undefined;
  }

  /**
   * Streams the body to `dest`, in bulk.
   *
   * @param dest Where the body goes, e.g. a `Deno.FsFile`.
   * @param onProgress Called with the running byte count after each write.
   * @returns The number of body bytes written.
   * @throws {UnexpectedEofError} when the connection closes before `Content-Length` bytes.
   * @throws {ConnectionClosedError} when it closes inside a chunked body.
   * @throws {HttpProtocolError} for a malformed chunked body.
   * @throws {SocketError} for a read that fails or times out.
   */
  async copyBodyTo(dest: ByteWriter, onProgress?: (copied: number) => void): Promise<number> {
    switch (this.framing.kind) {
      case "none":
        return 0;
      case "length":
        return await this.#stream.copyTo(dest, this.framing.length, onProgress);
      case "chunked":
        return (await copyChunkedBody(this.#stream, dest, { onProgress })).bytes;
      case "close":
        return await this.#stream.copyTo(dest, undefined, onProgress);
    }
  }

  /** Closes the connection; closing twice is harmless. */
  close(): void {
    this.#stream.close();
  }

  /** Closes the connection. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

/**
 * Sends one request and reads the response head.
 *
 * @param url The URL, parsed or as text.
 * @param options Method, headers, timeouts, TLS settings, head limits.
 * @returns The response; read its body with {@linkcode HttpResponse.copyBodyTo}, then close it.
 * @throws {UrlError} for a URL that is not http or https.
 * @throws {SocketError} when the connection cannot be made or breaks.
 * @throws {TlsError} when the TLS handshake fails (`verification` for an untrusted certificate).
 * @throws {HttpProtocolError} or {HeaderLimitError} for a response that cannot be read.
 * @throws {ConnectionClosedError} when the server closes before its response head ends.
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
 * @example The exact bytes of a server that speaks HTTP by hand
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
 * await using response = await sendHttpRequest(`http://127.0.0.1:${listener.addr.port}/`);
 * const parts: Uint8Array[] = [];
 * await response.copyBodyTo({ write: (p) => (parts.push(p.slice()), Promise.resolve(p.length)) });
 * assert.equal(response.status, 200);
 * assert.equal(response.head.reason, "OK");
 * assert.equal(new TextDecoder().decode(parts[0]), "hi");
 * await serve;
 * ```
 */
export async function sendHttpRequest(
  url: HttpUrl | string,
  options: HttpClientOptions = {},
): Promise<HttpResponse> {
  const target = typeof url === "string" ? parseHttpUrl(url) : url;
  const method = options.method ?? "GET";
  const request = buildHttpRequest(target, options);
  const timeoutMs = options.timeoutMs ?? 900_000;
  let conn: Duplex;
  if (target.scheme === "https") {
    const { connectTls } = await import("../net/tls_connect.ts");
    conn = await connectTls(target.host, target.port, { ...options, timeoutMs });
  } else {
    conn = await createClientSocket(target.host, target.port, {
      timeoutMs,
      signal: options.signal,
    });
  }
  const stream = new SocketStream(conn, {
    readTimeoutMs: timeoutMs,
    host: target.host,
    port: target.port,
    maxLineBytes: options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES,
    writeBufferBytes: 16 * 1024,
  });
  // The whole head must come within the timeout too: a server trickling a header byte just
  // before each read would time out would otherwise hold the client for hours.
  const headDeadline = startDeadline(timeoutMs, () => stream.close());
  try {
    await stream.write(request);
    await stream.flush();
    const head = await readHttpResponseHead(stream, options);
    return new HttpResponse(target, head, bodyFraming(method, head), stream);
  } catch (error) {
    stream.close();
    if (headDeadline.passed) {
      const { host, port } = target;
      throw new SocketError({ step: "read", host, port, failure: "timed-out", cause: error });
    }
    throw error;
  } finally {
    headDeadline.cancel();
  }
}
