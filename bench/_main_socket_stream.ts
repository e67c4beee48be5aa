/**
 * The anchor of bench/socket_stream.ts: `SocketStream` as it was on main at 70f25f5, before
 * writes were made safe for several writers (copied verbatim, renamed `MainSocketStream`, its
 * read deadline and doc examples left out). Its writes are fast and unsafe: `flush()` hands a
 * view of its one buffer to the partial-write loop and the next `write()` copies over it.
 *
 * @module
 */

import type { ByteWriter, Duplex } from "../lib/io/duplex.ts";
import { writeAll } from "../lib/io/write_all.ts";
import { LineTooLongError } from "../lib/io/line_too_long_error.ts";
import { UnexpectedEofError } from "../lib/io/unexpected_eof_error.ts";
import { classifySocketError, SocketError } from "../lib/net/socket_error.ts";

const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
const DEFAULT_BUFFER_BYTES = 64 * 1024;
const INITIAL_READ_BUFFER_BYTES = 8 * 1024;
const COPY_CHUNK_BYTES = 256 * 1024;

/** Options of {@linkcode SocketStream}. */
interface SocketStreamOptions {
  /** The longest line accepted, without its line ending. @default {65536} */
  maxLineBytes?: number;
  /** Size of the write buffer; larger writes go straight out. @default {65536} */
  writeBufferBytes?: number;
  /** Fail a read that waits longer than this (closing the connection). Off by default. */
  readTimeoutMs?: number;
  /** Peer name used in error messages. */
  host?: string;
  /** Peer port used in error messages. */
  port?: number;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Buffered reading and writing over one connection, which it owns and closes on dispose.
 */
export class MainSocketStream implements AsyncDisposable {
  readonly #conn: Duplex;
  readonly #maxLineBytes: number;
  readonly #host: string;
  readonly #port: number;
  #readBuffer: Uint8Array;
  #start = 0;
  #end = 0;
  #eof = false;
  readonly #writeBufferBytes: number;
  #writeBuffer: Uint8Array | undefined;
  #writeLength = 0;
  #closed = false;
  #copyChunk: Uint8Array | undefined;

  /** Wraps `conn`; the stream now owns it. */
  constructor(conn: Duplex, options: SocketStreamOptions = {}) {
    this.#conn = conn; // main's read deadline is left out: the benchmark sets none.
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#host = options.host ?? "";
    this.#port = options.port ?? 0;
    // Small to start, doubled as lines need: a server holding many idle streams stays light.
    this.#readBuffer = new Uint8Array(INITIAL_READ_BUFFER_BYTES);
    this.#writeBufferBytes = options.writeBufferBytes ?? DEFAULT_BUFFER_BYTES;
  }

  /** The connection this stream owns. */
  get conn(): Duplex {
    return this.#conn;
  }

  /** How many bytes are buffered and not yet read. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Reads once from the connection into `p` (the read timeout is in the wrapped connection). */
  async #readRaw(p: Uint8Array): Promise<number | null> {
    if (this.#eof) return null;
    try {
      const n = await this.#conn.read(p);
      if (n === null) this.#eof = true;
      return n;
    } catch (error) {
      throw new SocketError({
        step: "read",
        host: this.#host,
        port: this.#port,
        failure: classifySocketError(error),
        cause: error,
      });
    }
  }

  /** Reads more bytes into the buffer; returns false at end of stream. */
  async #fill(): Promise<boolean> {
    if (this.#start > 0 && this.#start === this.#end) {
      this.#start = this.#end = 0;
    }
    if (this.#end === this.#readBuffer.length) {
      if (this.#start > 0) {
        this.#readBuffer.copyWithin(0, this.#start, this.#end);
        this.#end -= this.#start;
        this.#start = 0;
      } else {
        const bigger = new Uint8Array(this.#readBuffer.length * 2);
        bigger.set(this.#readBuffer.subarray(0, this.#end));
        this.#readBuffer = bigger;
      }
    }
    const n = await this.#readRaw(this.#readBuffer.subarray(this.#end));
    if (n === null) return false;
    this.#end += n;
    return true;
  }

  /**
   * Reads one line as bytes, without its LF or CRLF.
   *
   * @returns The line, or `null` at end of stream. A last line without an ending is returned as is.
   * @throws {LineTooLongError} when no line ending arrives within the limit.
   */
  async readLineBytes(): Promise<Uint8Array | null> {
    let scanFrom = this.#start;
    while (true) {
      const newline = this.#readBuffer.subarray(scanFrom, this.#end).indexOf(0x0a);
      if (newline >= 0) {
        const lineEnd = scanFrom + newline;
        let contentEnd = lineEnd;
        if (contentEnd > this.#start && this.#readBuffer[contentEnd - 1] === 0x0d) contentEnd--;
        if (contentEnd - this.#start > this.#maxLineBytes) {
          throw new LineTooLongError(this.#maxLineBytes);
        }
        const line = this.#readBuffer.slice(this.#start, contentEnd);
        this.#start = lineEnd + 1;
        return line;
      }
      // Allow one extra byte for a CR that may precede the LF.
      if (this.#end - this.#start > this.#maxLineBytes + 1) {
        throw new LineTooLongError(this.#maxLineBytes);
      }
      const scanned = this.#end - this.#start;
      if (!(await this.#fill())) {
        if (this.#start === this.#end) return null;
        const line = this.#readBuffer.slice(this.#start, this.#end);
        this.#start = this.#end;
        return line;
      }
      scanFrom = this.#start + scanned;
    }
  }

  /**
   * Reads one line as UTF-8 text, without its LF or CRLF.
   *
   * @returns The line, or `null` at end of stream.
   * @throws {LineTooLongError} when no line ending arrives within the limit.
   */
  async readLine(): Promise<string | null> {
    const bytes = await this.readLineBytes();
    return bytes === null ? null : decoder.decode(bytes);
  }

  /** Iterates over the remaining lines until end of stream. */
  async *[Symbol.asyncIterator](): AsyncIterableIterator<string> {
    while (true) {
      const line = await this.readLine();
      if (line === null) return;
      yield line;
    }
  }

  /**
   * Reads exactly `n` bytes.
   *
   * @throws {UnexpectedEofError} when the stream ends first.
   */
  async readExactly(n: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Invalid byte count "${n}"`);
    const out = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const chunk = await this.readSome(out.subarray(got));
      if (chunk === null) throw new UnexpectedEofError(n, got);
      got += chunk;
    }
    return out;
  }

  /**
   * Reads whatever is available into `p`: buffered bytes first, else one read from the connection.
   *
   * @returns The count read, or `null` at end of stream.
   */
  async readSome(p: Uint8Array): Promise<number | null> {
    if (p.length === 0) return 0;
    if (this.#start < this.#end) {
      const n = Math.min(p.length, this.#end - this.#start);
      p.set(this.#readBuffer.subarray(this.#start, this.#start + n));
      this.#start += n;
      return n;
    }
    return await this.#readRaw(p);
  }

  /**
   * Copies bytes to `dest`: exactly `length` of them, or everything up to end of stream when
   * `length` is undefined. Large reads go straight into one reused chunk, not through the line
   * buffer, so memory stays flat whatever the size.
   *
   * @param dest Where the bytes go, e.g. a `Deno.FsFile`.
   * @param length How many bytes; undefined for "until the peer closes".
   * @param onProgress Called with the running total after each write.
   * @returns The number of bytes copied.
   * @throws {UnexpectedEofError} when `length` is given and the stream ends first.
   */
  async copyTo(
    dest: ByteWriter,
    length?: number,
    onProgress?: (copied: number) => void,
  ): Promise<number> {
    let copied = 0;
    const wanted = length ?? Infinity;
    if (this.#start < this.#end) {
      const n = Math.min(wanted, this.#end - this.#start);
      await writeAll(dest, this.#readBuffer.subarray(this.#start, this.#start + n));
      this.#start += n;
      copied += n;
      onProgress?.(copied);
    }
    if (copied >= wanted) return copied;
    // One chunk per stream, reused by every copy (a chunked body makes many short copies).
    const chunk = this.#copyChunk ??= new Uint8Array(COPY_CHUNK_BYTES);
    while (copied < wanted) {
      const room = Math.min(chunk.length, wanted - copied);
      const n = await this.#readRaw(chunk.subarray(0, room));
      if (n === null) {
        if (length !== undefined) throw new UnexpectedEofError(length, copied);
        break;
      }
      await writeAll(dest, chunk.subarray(0, n));
      copied += n;
      onProgress?.(copied);
    }
    return copied;
  }

  /**
   * Buffers `data` for sending; text is sent as UTF-8. Call {@linkcode SocketStream.flush} to
   * send what is buffered. Data larger than the buffer goes straight out.
   */
  async write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (this.#writeLength + bytes.length > this.#writeBufferBytes) {
      await this.flush();
      if (bytes.length >= this.#writeBufferBytes) {
        await this.#writeOut(bytes);
        return;
      }
    }
    this.#writeBuffer ??= new Uint8Array(this.#writeBufferBytes);
    this.#writeBuffer.set(bytes, this.#writeLength);
    this.#writeLength += bytes.length;
  }

  /** Sends everything buffered, looping over partial writes. */
  async flush(): Promise<void> {
    if (this.#writeLength === 0) return;
    const pending = this.#writeBuffer!.subarray(0, this.#writeLength);
    this.#writeLength = 0;
    await this.#writeOut(pending);
  }

  async #writeOut(bytes: Uint8Array): Promise<void> {
    try {
      await writeAll(this.#conn, bytes);
    } catch (error) {
      throw new SocketError({
        step: "write",
        host: this.#host,
        port: this.#port,
        failure: classifySocketError(error),
        cause: error,
      });
    }
  }

  /**
   * Flushes, then closes the write side (TCP half-close) so the peer sees end of stream while
   * this side keeps reading. A transport without half-close is left open.
   */
  async closeWrite(): Promise<void> {
    await this.flush();
    await this.#conn.closeWrite?.();
  }

  /** Closes the connection without flushing; closing twice is harmless. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer or the runtime: nothing left to release.
    }
  }

  /** Flushes what it can, then closes the connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#closed) {
      try {
        await this.flush();
      } catch {
        // The peer is gone; the buffered bytes cannot be delivered.
      }
    }
    this.close();
  }
}
