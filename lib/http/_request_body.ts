/**
 * Request bodies for the client: what the caller gave (bytes, text, a Blob, a stream) turned into
 * a length or `chunked` for the head, and written after it.
 *
 * @module
 */

import type { SocketStream } from "../net/socket_stream.ts";

/** A request body: bytes, text (sent as UTF-8), a `Blob`, or a stream of bytes. */
export type HttpRequestBody = Uint8Array | string | Blob | ReadableStream<Uint8Array>;

/** A body ready to send. */
export interface PreparedBody {
  /** `Content-Length`, or `"chunked"`; undefined for no body. */
  length: number | "chunked" | undefined;
  /** Whether it can be sent again (on a fresh connection after a stale kept-alive one). */
  readonly replayable: boolean;
  /**
   * Writes the body to `stream`: each chunk of a stream as it comes; bytes and text buffered
   * (the caller flushes).
   */
  write(stream: SocketStream, stop: () => boolean): Promise<void>;
  /**
   * Cancels the source of a body being written (a stream, a Blob) with `reason`, as `fetch`
   * does on abort: a source waiting for its next chunk lets go at once, and `write()` ends.
   * Harmless when nothing is being written.
   */
  cancel(reason: unknown): void;
}

const encoder = new TextEncoder();

/** The body of a request without one (most requests): one object for all of them. */
const NO_BODY: PreparedBody = Object.freeze({
  length: undefined,
  replayable: true,
  write: () => Promise.resolve(),
  cancel() {},
});

/**
 * Prepares `body`. A stream is sent with the caller's `Content-Length` when there is one (and
 * checked against it), else chunked.
 */
export function prepareBody(
  body: HttpRequestBody | undefined,
  headers: ReadonlyArray<readonly [string, string]>,
): PreparedBody {
  if (body === undefined) return NO_BODY;
  if (typeof body === "string" || body instanceof Uint8Array) {
    const bytes = typeof body === "string" ? encoder.encode(body) : body;
    return {
      length: bytes.length,
      replayable: true,
      write: (stream) => stream.write(bytes),
      cancel() {},
    };
  }
  if (body instanceof Blob) {
    const sending = new SourceReader();
    return {
      length: body.size,
      replayable: true,
      write: (stream, stop) => sending.write(stream, body.stream(), body.size, stop),
      cancel: (reason) => sending.cancel(reason),
    };
  }
  if (!(body instanceof ReadableStream)) {
    throw new TypeError("Request body must be a Uint8Array, a string, a Blob or a ReadableStream");
  }
  const declared = headers.find(([name]) => name.toLowerCase() === "content-length")?.[1].trim();
  let length: number | "chunked" = "chunked";
  if (declared !== undefined) {
    if (!/^[0-9]{1,15}$/.test(declared)) {
      throw new RangeError(`Invalid Content-Length "${declared}" for a request body`);
    }
    length = Number(declared);
  }
  let started = false;
  const sending = new SourceReader();
  return {
    length,
    get replayable() {
      return !started;
    },
    write: (stream, stop) => {
      started = true;
      return sending.write(stream, body, length, stop);
    },
    cancel: (reason) => sending.cancel(reason),
  };
}

/** Reads a body's source and writes it; cancellable from outside while it waits for a chunk. */
class SourceReader {
  /** The write under way: its reader, and whether it was cancelled. */
  #current: { reader: ReadableStreamDefaultReader<Uint8Array>; cancelled: boolean } | undefined;

  /** Cancels the source being read; one not being read (not yet, or no more) is left alone. */
  cancel(reason: unknown): void {
    const current = this.#current;
    if (current === undefined || current.cancelled) return;
    current.cancelled = true;
    current.reader.cancel(reason).catch(() => {});
  }

  async write(
    stream: SocketStream,
    body: ReadableStream<Uint8Array>,
    length: number | "chunked",
    stop: () => boolean,
  ): Promise<void> {
    // A Blob is read afresh for each attempt (a request sent again): each has its own state.
    const current = { reader: body.getReader(), cancelled: false };
    this.#current = current;
    try {
      await writeStream(stream, current.reader, length, () => current.cancelled || stop());
    } finally {
      if (this.#current === current) this.#current = undefined;
      current.reader.releaseLock();
    }
  }
}

async function writeStream(
  stream: SocketStream,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  length: number | "chunked",
  stop: () => boolean,
): Promise<void> {
  let sent = 0;
  try {
    while (!stop()) {
      const { value, done } = await reader.read();
      if (done || stop()) break;
      if (!(value instanceof Uint8Array)) {
        throw new TypeError("A request body stream must yield Uint8Array chunks");
      }
      if (value.length === 0) continue;
      sent += value.length;
      if (length === "chunked") {
        await stream.write(`${value.length.toString(16)}\r\n`);
        await stream.write(value);
        await stream.write("\r\n");
      } else {
        if (sent > length) {
          throw new RangeError(`Request body longer than its Content-Length of ${length} bytes`);
        }
        await stream.write(value);
      }
      // Each chunk goes out as it comes, as with fetch and Node: a live source (a pipe, a
      // protocol that waits for the server) must not wait for a buffer to fill.
      await stream.flush();
    }
    if (stop()) {
      // The exchange no longer wants the rest (an early response, a failure): let the source go.
      reader.cancel().catch(() => {});
      return;
    }
    if (length === "chunked") await stream.write("0\r\n\r\n");
    else if (sent !== length) {
      throw new RangeError(
        `Request body of ${sent} bytes, shorter than its Content-Length of ${length}`,
      );
    }
  } catch (error) {
    reader.cancel(error).catch(() => {});
    throw error;
  }
}
