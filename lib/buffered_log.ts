/**
 * A log that collects lines in memory and writes them in batches, so a busy server does not make
 * one synchronous write per request. Lines are encoded straight into one of two fixed buffers
 * (one fills while the other is written), so logging allocates nothing per batch and memory is
 * bounded: when the writer falls behind and the buffer is full, new lines are dropped and counted.
 *
 * @module
 */

import { writeAll } from "./socket_stream.ts";

/** Options for {@linkcode BufferedLog}. */
export interface BufferedLogOptions {
  /** Where lines go. @default {Deno.stderr} */
  writer?: { write(p: Uint8Array): Promise<number> };
  /** Write at most this long after a line arrives. @default {50} */
  flushMs?: number;
  /** The size of each of the two buffers; lines beyond it are dropped. @default {256 KiB} */
  maxBufferBytes?: number;
}

const encoder = new TextEncoder();
const NEWLINE = 10;

/**
 * Batched, bounded line logging.
 *
 * @example
 * ```ts
 * import { BufferedLog } from "./buffered_log.ts";
 *
 * const chunks: Uint8Array[] = [];
 * const writer = { write: (p: Uint8Array) => (chunks.push(p.slice()), Promise.resolve(p.length)) };
 * await using log = new BufferedLog({ writer });
 * log.line("one");
 * log.line("two");
 * await log.flush();
 * console.assert(new TextDecoder().decode(chunks[0]) === "one\ntwo\n");
 * ```
 */
export class BufferedLog implements AsyncDisposable {
  readonly #writer: { write(p: Uint8Array): Promise<number> };
  readonly #flushMs: number;
  readonly #bufferBytes: number;
  #buffers: [Uint8Array, Uint8Array] | undefined;
  #active = 0;
  #used = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> | undefined;
  #dropped = 0;

  /** Builds the log; its buffers are allocated when the first line arrives. */
  constructor(options: BufferedLogOptions = {}) {
    this.#writer = options.writer ?? Deno.stderr;
    this.#flushMs = options.flushMs ?? 50;
    this.#bufferBytes = options.maxBufferBytes ?? 256 * 1024;
  }

  /** How many lines were dropped because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues one line (a newline is added). */
  line(text: string): void {
    this.#buffers ??= [new Uint8Array(this.#bufferBytes), new Uint8Array(this.#bufferBytes)];
    const buffer = this.#buffers[this.#active];
    const room = buffer.subarray(this.#used, buffer.length - 1);
    const { read, written } = encoder.encodeInto(text, room);
    if (read < text.length) {
      this.#dropped++;
    } else {
      buffer[this.#used + written] = NEWLINE;
      this.#used += written + 1;
    }
    if (this.#used > buffer.length / 2 && this.#writing === undefined) {
      this.flush().catch(() => {});
    } else {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.flush().catch(() => {});
      }, this.#flushMs);
    }
  }

  /** Writes every queued line; resolves when they are written. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#writing) return this.#writing.then(() => this.flush());
    if (this.#used === 0 || !this.#buffers) return Promise.resolve();
    const bytes = this.#buffers[this.#active].subarray(0, this.#used);
    this.#active ^= 1;
    this.#used = 0;
    this.#writing = writeAll(this.#writer, bytes)
      .catch(() => {})
      .finally(() => {
        this.#writing = undefined;
      });
    return this.#writing;
  }

  /** Flushes; the log stays usable. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.flush();
  }
}
