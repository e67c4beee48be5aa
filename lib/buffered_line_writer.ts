/**
 * Lines written in batches: a server logs one line per connection without one system call (or one
 * await) per line, and a stalled reader of its log cannot make it grow without bound.
 *
 * @module
 */

import { type ByteWriter, writeAll } from "./socket_stream.ts";

/** Options of {@linkcode BufferedLineWriter}. */
export interface BufferedLineWriterOptions {
  /** Wait this long after the first unwritten line before writing the batch. @default {10} */
  flushDelayMs?: number;
  /** Lines beyond this many buffered bytes are dropped (and counted) until the writer catches up. @default {1048576} */
  maxBufferedBytes?: number;
}

const encoder = new TextEncoder();

/**
 * Collects lines and writes them out in batches, each batch one write. Write errors (a closed
 * pipe) are swallowed: logging must never take a server down.
 *
 * @example Log to stderr
 * ```ts
 * import { BufferedLineWriter } from "./buffered_line_writer.ts";
 *
 * await using log = new BufferedLineWriter(Deno.stderr);
 * log.writeLine("Received a connection request from 127.0.0.1.");
 * ```
 */
export class BufferedLineWriter implements AsyncDisposable {
  readonly #writer: ByteWriter;
  readonly #flushDelayMs: number;
  readonly #maxBufferedBytes: number;
  #lines: string[] = [];
  #bufferedBytes = 0;
  #dropped = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> | null = null;

  /** Writes batches of lines to `writer` (e.g. `Deno.stderr`). */
  constructor(writer: ByteWriter, options: BufferedLineWriterOptions = {}) {
    this.#writer = writer;
    this.#flushDelayMs = options.flushDelayMs ?? 10;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  }

  /** How many lines were dropped because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /**
   * Queues `line` (a LF is added). Returns at once; the line goes out with the next batch.
   *
   * @example
   * ```ts
   * import { BufferedLineWriter } from "./buffered_line_writer.ts";
   *
   * const chunks: string[] = [];
   * const sink = { write: (p: Uint8Array) => (chunks.push(new TextDecoder().decode(p)), Promise.resolve(p.length)) };
   * const log = new BufferedLineWriter(sink);
   * log.writeLine("one");
   * log.writeLine("two");
   * await log.flush();
   * console.assert(chunks.join("") === "one\ntwo\n" && chunks.length === 1);
   * ```
   */
  writeLine(line: string): void {
    if (this.#bufferedBytes + line.length + 1 > this.#maxBufferedBytes) {
      this.#dropped++;
      return;
    }
    this.#lines.push(line);
    this.#bufferedBytes += line.length + 1;
    if (this.#timer === undefined && this.#writing === null) {
      this.#timer = setTimeout(this.#onTimer, this.#flushDelayMs);
    }
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#startWriting();
  };

  #startWriting(): void {
    if (this.#writing !== null) return;
    if (this.#lines.length === 0 && this.#dropped === 0) return;
    this.#writing = this.#writeBatches().finally(() => (this.#writing = null));
  }

  async #writeBatches(): Promise<void> {
    while (this.#lines.length > 0 || this.#dropped > 0) {
      const lines = this.#lines;
      if (this.#dropped > 0) {
        lines.push(`(${this.#dropped} log lines dropped)`);
        this.#dropped = 0;
      }
      this.#lines = [];
      this.#bufferedBytes = 0;
      lines.push("");
      try {
        await writeAll(this.#writer, encoder.encode(lines.join("\n")));
      } catch {
        // The log's reader is gone; the server carries on without it.
      }
    }
  }

  /** Writes everything buffered now and resolves when it is out. */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#startWriting();
    while (this.#writing !== null) {
      await this.#writing;
      this.#startWriting();
    }
  }

  /** Flushes, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.flush();
  }
}
