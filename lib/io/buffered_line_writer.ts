/**
 * Lines written in batches: a server logs one line per connection or request without one system
 * call (or one await) per line, and a stalled reader of its log cannot make it grow without bound.
 *
 * Lines are encoded straight into one of two fixed buffers (one fills while the other is being
 * written), so logging allocates nothing per line or per batch. When the reader falls behind and
 * the filling buffer is full, new lines are dropped and counted, and the next batch says how many.
 *
 * @module
 */

import type { ByteWriter } from "./duplex.ts";
import { writeAll } from "./write_all.ts";
import { CLOSE_TIMEOUT_MS } from "../internal/close_timeout.ts";

/** Options of {@linkcode BufferedLineWriter}. */
export interface BufferedLineWriterOptions {
  /** Write at most this long after the first unwritten line arrives. @default {10} */
  flushDelayMs?: number;
  /**
   * How long disposing waits for the buffered lines to go out. A log whose reader has stopped
   * reading (a full stderr pipe) would otherwise hold up a server's shutdown for ever; lines not
   * out by then are given up. The same default as a `SocketStream`'s `closeTimeoutMs`
   * (`DEFAULT_CLOSE_TIMEOUT_MS` of `@netkit/netkit/net`), long enough for a reader that is only
   * slow (a loaded machine) to get every line. @default {10000}
   */
  closeTimeoutMs?: number;
  /** @deprecated Use `closeTimeoutMs`, the name the rest of netkit gives this deadline. */
  disposeTimeoutMs?: number;
  /**
   * The size of each of the two buffers: lines that do not fit in the filling one are dropped
   * (and counted) until the reader catches up. @default {262144}
   */
  maxBufferedBytes?: number;
}

const encoder = new TextEncoder();
const NEWLINE = 10;

/**
 * Collects lines and writes them out in batches, each batch one write (started early once a
 * buffer is half full). Write errors (a closed pipe) are swallowed: logging must never take a
 * server down.
 *
 * @example Log to stderr
 * ```ts
 * import assert from "node:assert/strict";
 * import { BufferedLineWriter } from "@netkit/netkit/io";
 *
 * await using log = new BufferedLineWriter(Deno.stderr);
 * log.writeLine("Received a connection request from 127.0.0.1.");
 * assert.equal(log.dropped, 0); // the line is queued; disposing the writer flushes it
 * ```
 */
export class BufferedLineWriter implements AsyncDisposable {
  readonly #writer: ByteWriter;
  readonly #flushDelayMs: number;
  readonly #closeTimeoutMs: number;
  readonly #bufferBytes: number;
  #buffers: [Uint8Array, Uint8Array] | undefined;
  #active: 0 | 1 = 0;
  #used = 0;
  #dropped = 0;
  #unreported = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> | undefined;
  #lastLine: string | undefined;
  #lastBytes = new Uint8Array(0);

  /** Writes batches of lines to `writer` (e.g. `Deno.stderr`); buffers are allocated on first use. */
  constructor(writer: ByteWriter, options: BufferedLineWriterOptions = {}) {
    this.#writer = writer;
    this.#flushDelayMs = options.flushDelayMs ?? 10;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? options.disposeTimeoutMs ?? CLOSE_TIMEOUT_MS;
    this.#bufferBytes = options.maxBufferedBytes ?? 256 * 1024;
  }

  /** How many lines were dropped so far because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /**
   * Queues `line` (a LF is added). Returns at once; the line goes out with the next batch.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { BufferedLineWriter } from "@netkit/netkit/io";
   *
   * const chunks: string[] = [];
   * const sink = {
   *   write: (p: Uint8Array) => {
   *     chunks.push(new TextDecoder().decode(p));
   *     return Promise.resolve(p.length);
   *   },
   * };
   * const log = new BufferedLineWriter(sink);
   * log.writeLine("one");
   * log.writeLine("two");
   * await log.flush();
   * assert.deepEqual(chunks, ["one\ntwo\n"]); // one batch, one write
   * ```
   */
  writeLine(line: string): void {
    this.#buffers ??= [new Uint8Array(this.#bufferBytes), new Uint8Array(this.#bufferBytes)];
    const buffer = this.#buffers[this.#active];
    if (line === this.#lastLine) {
      // A server logs the same line again and again: copy its bytes, no encoding.
      const bytes = this.#lastBytes;
      if (this.#used + bytes.length <= buffer.length) {
        buffer.set(bytes, this.#used);
        this.#used += bytes.length;
      } else {
        this.#dropped++;
        this.#unreported++;
      }
    } else {
      const { read, written } = encoder.encodeInto(
        line,
        buffer.subarray(this.#used, buffer.length - 1),
      );
      if (read < line.length) {
        this.#dropped++;
        this.#unreported++;
      } else {
        buffer[this.#used + written] = NEWLINE;
        this.#lastLine = line;
        this.#lastBytes = buffer.slice(this.#used, this.#used + written + 1);
        this.#used += written + 1;
      }
    }
    if (this.#used > buffer.length / 2 && this.#writing === undefined) {
      this.#startWriting();
    } else if (this.#timer === undefined && this.#writing === undefined) {
      this.#timer = setTimeout(this.#onTimer, this.#flushDelayMs);
    }
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#startWriting();
  };

  /** Hands the filling buffer to the writer and swaps buffers; a no-op while a write runs. */
  #startWriting(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#writing !== undefined || !this.#buffers) return;
    if (this.#used === 0 && this.#unreported === 0) return;
    let bytes = this.#buffers[this.#active].subarray(0, this.#used);
    let notice: Uint8Array | undefined;
    if (this.#unreported > 0) {
      const text = `(${this.#unreported} log lines dropped)\n`;
      const buffer = this.#buffers[this.#active];
      const { read, written } = encoder.encodeInto(text, buffer.subarray(this.#used));
      if (read === text.length) bytes = buffer.subarray(0, this.#used + written);
      else notice = encoder.encode(text); // Rare: a full buffer, so one allocation is fine.
      this.#unreported = 0;
    }
    this.#active = this.#active === 0 ? 1 : 0;
    this.#used = 0;
    this.#writing = this.#write(bytes, notice).finally(() => {
      this.#writing = undefined;
      // Lines that arrived during the write go out without waiting for another one.
      if (this.#used > 0 || this.#unreported > 0) {
        this.#timer ??= setTimeout(this.#onTimer, this.#flushDelayMs);
      }
    });
  }

  async #write(bytes: Uint8Array, notice: Uint8Array | undefined): Promise<void> {
    try {
      if (bytes.length > 0) await writeAll(this.#writer, bytes);
      if (notice) await writeAll(this.#writer, notice);
    } catch {
      // The log's reader is gone; the server carries on without it.
    }
  }

  /** Writes everything buffered now and resolves when it is out. */
  async flush(): Promise<void> {
    this.#startWriting();
    while (this.#writing !== undefined) {
      await this.#writing;
      this.#startWriting();
    }
  }

  /**
   * Flushes, for `await using`, waiting at most `closeTimeoutMs`; the writer stays usable.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#closeTimeoutMs);
    });
    try {
      await Promise.race([this.flush(), gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }
}
