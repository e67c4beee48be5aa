/**
 * A raw-socket HTTP/1.1 server for client tests that records what it received: every request's
 * head and body (framed by `Content-Length` or chunked, decoded here with code of its own, not
 * netkit's), on which connection it came, and how many connections there were. Connections stay
 * open between requests (keep-alive) unless a reply says `close`. `Expect: 100-continue` is
 * answered with `100 Continue`, or with a final reply that skips the body.
 *
 * @module
 */

import { acceptConnections } from "./accept_loop.ts";

/** One request as received. */
export interface RecordedRequest {
  /** 1 for the first connection accepted, 2 for the next, … */
  connection: number;
  method: string;
  target: string;
  /** Header lines as `[name, value]`, names as sent. */
  headers: [string, string][];
  /** The request head as text, blank line excluded. */
  head: string;
  /** The body, decoded from its framing. */
  body: Uint8Array;
  /** The sizes of its chunks, for a chunked body. */
  chunks?: number[] | undefined;
}

/** What the server answers. */
export interface Reply {
  status?: number;
  reason?: string;
  headers?: [string, string][];
  /** Sent with `Content-Length` (unless `raw`). */
  body?: string | Uint8Array;
  /** Bytes sent as they are after the head, instead of `body` (no `Content-Length` added). */
  raw?: string | Uint8Array;
  /** Close the connection after this reply. */
  close?: boolean;
  /** Send the head and this many bytes of the raw body, then wait until the client goes. */
  stallAfter?: number;
}

/** Options of {@linkcode startRecordingServer}. */
export interface RecordingServerOptions {
  /** The reply to a request. @default echoes the body with 200 */
  handle?: (request: RecordedRequest) => Reply | Promise<Reply>;
  /** For `Expect: 100-continue`: undefined to send `100 Continue`, or a final reply instead. */
  expect?: (head: string) => Reply | undefined;
  /** Close each connection after one response, without saying so (a stale keep-alive). */
  idleCloseAfterResponse?: boolean;
  /** The address to listen on. @default {"127.0.0.1"} */
  hostname?: string;
}

/** A running recording server. */
export interface RecordingServer extends AsyncDisposable {
  port: number;
  /** `http://127.0.0.1:PORT` (`http://[::1]:PORT` on ::1). */
  base: string;
  requests: RecordedRequest[];
  /** Connections accepted so far. */
  readonly connections: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class Reader {
  #buffer = new Uint8Array(0);
  constructor(readonly conn: Deno.Conn) {}

  async #more(): Promise<boolean> {
    const chunk = new Uint8Array(64 * 1024);
    const n = await this.conn.read(chunk);
    if (n === null) return false;
    const joined = new Uint8Array(this.#buffer.length + n);
    joined.set(this.#buffer);
    joined.set(chunk.subarray(0, n), this.#buffer.length);
    this.#buffer = joined;
    return true;
  }

  /** Bytes up to and excluding `delimiter`, or null at end of stream. */
  async until(delimiter: string): Promise<string | null> {
    const d = encoder.encode(delimiter);
    while (true) {
      for (let i = 0; i + d.length <= this.#buffer.length; i++) {
        if (d.every((b, j) => this.#buffer[i + j] === b)) {
          const text = decoder.decode(this.#buffer.subarray(0, i));
          this.#buffer = this.#buffer.slice(i + d.length);
          return text;
        }
      }
      if (!(await this.#more())) return null;
    }
  }

  async exactly(n: number): Promise<Uint8Array> {
    while (this.#buffer.length < n) {
      if (!(await this.#more())) throw new Error(`End of stream inside a body of ${n} bytes`);
    }
    const out = this.#buffer.slice(0, n);
    this.#buffer = this.#buffer.slice(n);
    return out;
  }
}

async function writeAllTo(conn: Deno.Conn, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  let offset = 0;
  while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
}

function replyBytes(reply: Reply, head: boolean): Uint8Array {
  const { head: top, rest } = replyParts(reply, head);
  const out = new Uint8Array(top.length + rest.length);
  out.set(top);
  out.set(rest, top.length);
  return out;
}

function replyParts(reply: Reply, head: boolean): { head: Uint8Array; rest: Uint8Array } {
  const status = reply.status ?? 200;
  const body = typeof reply.body === "string" ? encoder.encode(reply.body) : reply.body;
  let text = `HTTP/1.1 ${status} ${reply.reason ?? "OK"}\r\n`;
  for (const [name, value] of reply.headers ?? []) text += `${name}: ${value}\r\n`;
  if (reply.raw === undefined) text += `Content-Length: ${body?.length ?? 0}\r\n`;
  if (reply.close) text += "Connection: close\r\n";
  text += "\r\n";
  const rest = reply.raw === undefined
    ? (head ? new Uint8Array(0) : body ?? new Uint8Array(0))
    : typeof reply.raw === "string"
    ? encoder.encode(reply.raw)
    : reply.raw;
  return { head: encoder.encode(text), rest };
}

/** Starts the server on 127.0.0.1 (or `hostname`), port 0. */
export function startRecordingServer(options: RecordingServerOptions = {}): RecordingServer {
  const hostname = options.hostname ?? "127.0.0.1";
  const listener = Deno.listen({ hostname, port: 0 });
  const requests: RecordedRequest[] = [];
  const handle = options.handle ?? ((request): Reply => ({ body: request.body }));

  const serve = async (conn: Deno.Conn, connection: number) => {
    const reader = new Reader(conn);
    while (true) {
      const head = await reader.until("\r\n\r\n");
      if (head === null) return;
      const [requestLine, ...lines] = head.split("\r\n");
      const [method = "", target = ""] = (requestLine ?? "").split(" ");
      const headers = lines.map((line): [string, string] => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon), line.slice(colon + 1).trim()];
      });
      const get = (name: string) =>
        headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
      if (get("Expect")?.toLowerCase() === "100-continue") {
        const final = options.expect?.(head);
        if (final) {
          requests.push({ connection, method, target, headers, head, body: new Uint8Array(0) });
          await writeAllTo(conn, replyBytes({ ...final, close: true }, method === "HEAD"));
          return;
        }
        await writeAllTo(conn, "HTTP/1.1 100 Continue\r\n\r\n");
      }
      let body: Uint8Array = new Uint8Array(0);
      let chunks: number[] | undefined = undefined;
      if (get("Transfer-Encoding")?.toLowerCase() === "chunked") {
        chunks = [];
        const parts: Uint8Array[] = [];
        while (true) {
          const sizeLine = await reader.until("\r\n");
          if (sizeLine === null) throw new Error("End of stream inside a chunked body");
          const size = parseInt(sizeLine, 16);
          if (size === 0) {
            await reader.until("\r\n");
            break;
          }
          chunks.push(size);
          parts.push(await reader.exactly(size));
          await reader.until("\r\n");
        }
        body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let offset = 0;
        for (const part of parts) body.set(part, (offset += part.length) - part.length);
      } else if (get("Content-Length") !== undefined) {
        body = await reader.exactly(Number(get("Content-Length")));
      }
      const request: RecordedRequest = { connection, method, target, headers, head, body };
      if (chunks) request.chunks = chunks;
      requests.push(request);
      const reply = await handle(request);
      if (reply.stallAfter !== undefined) {
        const parts = replyParts(reply, method === "HEAD");
        await writeAllTo(conn, parts.head);
        await writeAllTo(conn, parts.rest.subarray(0, reply.stallAfter));
        await conn.read(new Uint8Array(1)).catch(() => null);
        return;
      }
      await writeAllTo(conn, replyBytes(reply, method === "HEAD"));
      if (reply.close || options.idleCloseAfterResponse) return;
    }
  };

  const connections = acceptConnections(listener, serve);

  return {
    port: listener.addr.port,
    base: `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${listener.addr.port}`,
    requests,
    get connections() {
      return connections.count;
    },
    async [Symbol.asyncDispose]() {
      await connections.close();
    },
  };
}
