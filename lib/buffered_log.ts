/**
 * A log that collects lines in memory and writes them in batches, so a busy server does not make
 * one synchronous write per request. Memory is bounded: when the writer falls behind and the
 * buffer is full, new lines are dropped and counted.
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
  /** Drop lines beyond this many buffered bytes. @default {1 MiB} */
  maxBufferBytes?: number;
}

const encoder = new TextEncoder();

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
  readonly #maxBufferBytes: number;
  #lines: string[] = [];
  #bytes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();
  #dropped = 0;

  /** Builds the log; nothing is written until a line arrives. */
  constructor(options: BufferedLogOptions = {}) {
    this.#writer = options.writer ?? Deno.stderr;
    this.#flushMs = options.flushMs ?? 50;
    this.#maxBufferBytes = options.maxBufferBytes ?? 1024 * 1024;
  }

  /** How many lines were dropped because the buffer was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues one line (a newline is added). */
  line(text: string): void {
    if (this.#bytes + text.length + 1 > this.#maxBufferBytes) {
      this.#dropped++;
      return;
    }
    this.#lines.push(text);
    this.#bytes += text.length + 1;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch(() => {});
    }, this.#flushMs);
  }

  /** Writes every queued line; resolves when they are written. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#lines.length === 0) return this.#writing;
    const text = this.#lines.join("\n") + "\n";
    this.#lines = [];
    const bytes = encoder.encode(text);
    this.#writing = this.#writing
      .then(() => writeAll(this.#writer, bytes))
      .catch(() => {})
      .finally(() => {
        this.#bytes -= text.length;
      });
    return this.#writing;
  }

  /** Flushes; the log stays usable. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.flush();
  }
}
