/**
 * A buffered stream over a connection: lines, exact byte counts, bulk copies and buffered writes,
 * what socket++'s `iosockstream` gave C++. Reads are bounded, so a hostile peer cannot make it
 * grow without limit; every call can be cancelled and every wait has a deadline; several tasks
 * may share one stream.
 *
 * @module
 */

import type { ByteWriter, Duplex } from "../io/duplex.ts";
import { LineTooLongError } from "../io/line_too_long_error.ts";
import { UnexpectedEofError } from "../io/unexpected_eof_error.ts";
import { writeAll } from "../io/write_all.ts";
import { startDeadline } from "../internal/deadline.ts";
import { Mutex } from "../internal/mutex.ts";
import { IdleDeadline } from "./_deadlines.ts";
import { classifySocketError, SocketError, type SocketStep } from "./socket_error.ts";
import {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_READ_TIMEOUT_MS,
  DEFAULT_WRITE_TIMEOUT_MS,
} from "./timeouts.ts";

// Their home is lib/io now; re-exported so that imports from this file keep working.
export { LineTooLongError, UnexpectedEofError };

/** The longest line {@linkcode SocketStream.readLine} accepts by default: 64 KiB. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
/** The default size of the write buffer: 64 KiB. */
export const DEFAULT_BUFFER_BYTES = 64 * 1024;
/** The read buffer's starting size; it doubles while a line needs more. */
const INITIAL_READ_BUFFER_BYTES = 8 * 1024;
/** The chunk size used for bulk copies: 256 KiB. */
export const COPY_CHUNK_BYTES = 256 * 1024;

/** Options of {@linkcode SocketStream}. */
export interface SocketStreamOptions {
  /** The longest line accepted, without its line ending. @default {65536} */
  maxLineBytes?: number | undefined;
  /**
   * Size of the write buffer; larger writes go straight out. While one buffer is being sent a
   * second one fills, so a stream holds at most two. @default {65536}
   */
  writeBufferBytes?: number | undefined;
  /**
   * Fail a read that waits longer than this for any byte, closing the stream; `Infinity` for
   * none. @default {900000} (`DEFAULT_READ_TIMEOUT_MS`)
   */
  readTimeoutMs?: number | undefined;
  /**
   * Fail a write that waits longer than this for the peer to take any byte (a peer that stopped
   * reading), closing the stream; `Infinity` for none. @default {30000}
   * (`DEFAULT_WRITE_TIMEOUT_MS`)
   */
  writeTimeoutMs?: number | undefined;
  /**
   * How long `await using` (and {@linkcode SocketStream.flushAndClose}) waits for the buffered
   * bytes to go out before it drops them and closes anyway. @default {10000}
   * (`DEFAULT_CLOSE_TIMEOUT_MS`)
   */
  closeTimeoutMs?: number | undefined;
  /**
   * Aborting it closes the stream: pending and later calls reject with `signal.reason`. A
   * server can pass one signal to all its streams and abort it at shutdown (see
   * {@linkcode StreamGroup} for one that also counts them).
   */
  signal?: AbortSignal | undefined;
  /** Peer name used in error messages. */
  host?: string | undefined;
  /** Peer port used in error messages. */
  port?: number | undefined;
}

/** The options of one call of a {@linkcode SocketStream}. */
export interface StreamCallOptions {
  /**
   * Cancels the call. Aborting a call aborts the whole stream (its connection is closed, as the
   * bytes in flight are lost): the call rejects with `signal.reason`, and so do the stream's
   * other pending and later calls. A signal aborted already rejects the call at once and leaves
   * the stream untouched.
   */
  signal?: AbortSignal | undefined;
}

/**
 * A sink that can also take bytes synchronously, as a file's `writeSync` does:
 * {@linkcode SocketStream.copyTo} then writes with `writeSync`, without a promise per chunk.
 * `Deno.FsFile` is one.
 */
export interface SyncByteWriter extends ByteWriter {
  /** Writes some of `p` now; returns the count written. */
  writeSync(p: Uint8Array): number;
}

/** A write (`bytes`) or a flush (no `bytes`) waiting its turn. */
interface QueuedWrite {
  bytes: Uint8Array | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const RESOLVED: Promise<void> = Promise.resolve();
const RESOLVED_FALSE: Promise<boolean> = Promise.resolve(false);
const decodeLine = (bytes: Uint8Array | null) => bytes === null ? null : decoder.decode(bytes);

/**
 * Buffered reading and writing over one connection, which it owns and closes on dispose.
 *
 * **Shared use.** One stream may be used by many tasks at once:
 * - Writes and flushes are queued in call order, and each write's bytes go out whole and
 *   contiguous, never interleaved with another's. A buffer being sent is never written to: while
 *   one buffer is on the wire, a second one collects the next writes, and a flush sends all that
 *   was written before it (concurrent flushes share one send).
 * - Reads (`readLine`, `readLineBytes`, `readExactly`, `readSome`, `copyTo`, `fillBuffer`) are
 *   serialized: each runs alone, in call order, so two concurrent `readLine()` calls get two whole
 *   lines. (Iterating with `for await` takes the lock per line.) What is buffered can be looked at
 *   without a read (`peekBuffered`, `takeLineBytes`) while no read is under way.
 *
 * **End of stream.** `readLine()` returns `null` when the stream ends cleanly before the first
 * byte of a line; a last line without an ending is returned as it is. `readExactly()` and a
 * `copyTo()` with a length throw {@linkcode UnexpectedEofError} when it ends part-way.
 *
 * **Cancellation and deadlines.** Every call that can wait takes a `signal`
 * ({@linkcode StreamCallOptions}), and the stream takes one for all calls. Aborting settles at
 * once, closes the stream and rejects with `signal.reason`. `readTimeoutMs` and `writeTimeoutMs`
 * bound each wait on the peer (900 s and 30 s by default, see `lib/net/timeouts.ts`); passing
 * one fails the call with a {@linkcode SocketError} of `failure: "timed-out"` (code `TIMEOUT`)
 * and closes the stream. `await using` flushes for at most `closeTimeoutMs` (10 s by default),
 * so a peer that stopped reading cannot hold it forever; {@linkcode SocketStream.close} never
 * waits.
 *
 * @example Speak a line protocol over TCP with a loopback server
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClientSocket, SocketStream } from "@netkit/netkit/net";
 *
 * // A one-connection server answering PING with +PONG, as redis-server does.
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const served = (async () => {
 *   await using peer = new SocketStream(await listener.accept());
 *   for await (const line of peer) {
 *     await peer.write(line === "PING" ? "+PONG\r\n" : "-ERR unknown command\r\n");
 *     await peer.flush();
 *   }
 * })();
 *
 * await using stream = new SocketStream(await createClientSocket("127.0.0.1", listener.addr.port));
 * await stream.write("PING\r\n");
 * await stream.flush();
 * assert.equal(await stream.readLine(), "+PONG");
 * await stream.write("PONG\r\n");
 * await stream.flush();
 * assert.equal(await stream.readLine(), "-ERR unknown command");
 * await stream.closeWrite(); // the server sees the end and closes its side
 * assert.equal(await stream.readLine(), null);
 * await served;
 * ```
 */
export class SocketStream implements AsyncDisposable {
  readonly #conn: Duplex;
  readonly #readDeadline: IdleDeadline | undefined;
  readonly #writeDeadline: IdleDeadline | undefined;
  readonly #maxLineBytes: number;
  readonly #host: string;
  readonly #port: number;
  readonly #closeTimeoutMs: number;
  readonly #signal: AbortSignal | undefined;
  // Reading: a buffer that grows for long lines, serialized by a lock.
  readonly #readLock = new Mutex();
  #readBuffer: Uint8Array;
  #start = 0;
  #end = 0;
  #eof = false;
  #bytesRead = 0;
  #copyChunk: Uint8Array | undefined;
  /** Rejects the pending read from the connection, when one is pending. */
  #readReject: ((error: unknown) => void) | undefined;
  // Writing: `#fill` collects writes while `#sending` (at most one send) is on the wire.
  /** Writes and flushes waiting for `#drain`, in call order, from `#writeHead` on. */
  #writeQueue: QueuedWrite[] = [];
  #writeHead = 0;
  #draining = false;
  readonly #writeBufferBytes: number;
  #fill: Uint8Array | undefined;
  #fillLength = 0;
  #spare: Uint8Array | undefined;
  #sending: Promise<void> | undefined;
  /** The send that will carry `#fill` once `#sending` is done. */
  #queuedSend: Promise<void> | undefined;
  #writeError: unknown;
  #writeFailed = false;
  /** Rejects the pending write to the connection, when one is pending. */
  #writeReject: ((error: unknown) => void) | undefined;
  // Closing.
  #closed = false;
  /** What calls reject with once closed: an abort's reason or a timeout; undefined for close(). */
  #closeReason: unknown;
  #closedPromise: Promise<void> | undefined;
  #resolveClosed: (() => void) | undefined;

  /** Wraps `conn`; the stream now owns it. */
  constructor(conn: Duplex, options: SocketStreamOptions = {}) {
    this.#conn = conn;
    const readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    const writeTimeoutMs = options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
    if (Number.isFinite(readTimeoutMs)) {
      this.#readDeadline = new IdleDeadline(readTimeoutMs, () => this.#timedOut("read"));
    }
    if (Number.isFinite(writeTimeoutMs)) {
      this.#writeDeadline = new IdleDeadline(writeTimeoutMs, () => this.#timedOut("write"));
    }
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#host = options.host ?? "";
    this.#port = options.port ?? 0;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    // Small to start, doubled as lines need: a server holding many idle streams stays light.
    this.#readBuffer = new Uint8Array(INITIAL_READ_BUFFER_BYTES);
    this.#writeBufferBytes = options.writeBufferBytes ?? DEFAULT_BUFFER_BYTES;
    const signal = options.signal;
    if (signal?.aborted) {
      this.abort(signal.reason);
    } else if (signal) {
      this.#signal = signal;
      signal.addEventListener("abort", this.#onSignalAbort, { once: true });
    }
  }

  readonly #onSignalAbort = (): void => this.abort(this.#signal!.reason);

  /** The connection this stream owns. */
  get conn(): Duplex {
    return this.#conn;
  }

  /** The longest line accepted, without its line ending (the `maxLineBytes` option). */
  get maxLineBytes(): number {
    return this.#maxLineBytes;
  }

  /** How many bytes are buffered and not yet read. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /**
   * How many bytes have been read from the connection so far, buffered ones included: a client
   * tells by it whether a peer answered at all (a kept-alive connection the server closed while
   * it was idle fails before its first byte).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { duplexFromStreams } from "@netkit/netkit/io";
   * import { SocketStream } from "@netkit/netkit/net";
   *
   * const input = new Blob(["one\ntwo\n"]).stream();
   * await using stream = new SocketStream(duplexFromStreams(input, new WritableStream()));
   * assert.equal(stream.bytesRead, 0);
   * assert.equal(await stream.readLine(), "one");
   * assert.equal(stream.bytesRead, 8); // both lines came in one read
   * ```
   */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /** True once the stream is closed (by `close()`, an abort, a timeout or disposal). */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Resolves when the stream closes, however it closes. */
  get closed(): Promise<void> {
    if (this.#closed) return RESOLVED;
    return this.#closedPromise ??= new Promise((resolve) => (this.#resolveClosed = resolve));
  }

  // ---------------------------------------------------------------------------------------------
  // Closing and failures

  /** The error calls reject with once the stream is closed. */
  #closedError(step: SocketStep): unknown {
    if (this.#closeReason !== undefined) return this.#closeReason;
    return new SocketError({ step, host: this.#host, port: this.#port, failure: "closed" });
  }

  /** Turns what a read or write of the connection threw into the error the caller sees. */
  #failure(step: SocketStep, error: unknown): unknown {
    if (this.#closed) return this.#closedError(step);
    const failure = classifySocketError(error);
    const wrapped = new SocketError({
      step,
      host: this.#host,
      port: this.#port,
      failure,
      cause: error,
    });
    // The transport timed out: the stream is over, and says why to every later call.
    if (failure === "timed-out") this.#shutdown(wrapped);
    return wrapped;
  }

  /** A deadline passed: the stream is over, and says why to every pending and later call. */
  #timedOut(step: "read" | "write"): void {
    const ms = step === "read" ? this.#readDeadline?.timeoutMs : this.#writeDeadline?.timeoutMs;
    const what = step === "read" ? "No data" : "No write progress";
    this.#shutdown(
      new SocketError({
        step,
        host: this.#host,
        port: this.#port,
        failure: "timed-out",
        cause: new Deno.errors.TimedOut(`${what} for ${ms} ms`),
      }),
    );
  }

  #shutdown(reason: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeReason = reason;
    this.#signal?.removeEventListener("abort", this.#onSignalAbort);
    this.#readDeadline?.stop();
    this.#writeDeadline?.stop();
    try {
      this.#conn.close();
    } catch {
      // Already closed by the peer, a deadline or the runtime: nothing left to release.
    }
    // Settle the pending calls now: some transports (a Web stream whose sink hangs) never
    // settle a pending call once closed.
    const readReject = this.#readReject;
    const writeReject = this.#writeReject;
    this.#readReject = this.#writeReject = undefined;
    readReject?.(reason);
    writeReject?.(reason);
    this.#resolveClosed?.();
  }

  /**
   * Closes the connection without flushing; closing twice is harmless. Pending calls reject with
   * a {@linkcode SocketError} of `failure: "closed"` (code `CLOSED`), as do later ones that need
   * the connection; lines already buffered can still be read.
   */
  close(): void {
    this.#shutdown(undefined);
  }

  /**
   * Closes the connection without flushing, and makes pending and later calls reject with
   * `reason` (an `AbortError` `DOMException` when omitted), reads of buffered lines included.
   * Harmless on a closed stream.
   *
   * @example Stop a reader blocked on a silent peer
   * ```ts
   * import assert from "node:assert/strict";
   * import { duplexFromStreams } from "@netkit/netkit/io";
   * import { SocketStream } from "@netkit/netkit/net";
   *
   * const silent = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
   * const stream = new SocketStream(duplexFromStreams(silent, new WritableStream()));
   * const reading = stream.readLine();
   * stream.abort(new Error("Shutting down"));
   * await assert.rejects(reading, { message: "Shutting down" });
   * assert.ok(stream.isClosed);
   * ```
   */
  abort(reason?: unknown): void {
    this.#shutdown(reason ?? new DOMException("The stream was aborted", "AbortError"));
  }

  /** Aborts the stream when `signal` aborts, until disposed. */
  #watch(signal: AbortSignal | undefined): Disposable | undefined {
    if (!signal) return undefined;
    if (signal.aborted) throw signal.reason;
    const onAbort = () => this.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    return { [Symbol.dispose]: () => signal.removeEventListener("abort", onAbort) };
  }

  /**
   * Flushes, then closes, however the flush ends. The flush is bounded by `closeTimeoutMs` (and
   * by `writeTimeoutMs` per write): past it, the buffered bytes are dropped and the call
   * rejects with a {@linkcode SocketError} of `failure: "timed-out"`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { duplexFromStreams } from "@netkit/netkit/io";
   * import { SocketStream } from "@netkit/netkit/net";
   *
   * const chunks: Uint8Array[] = [];
   * const sink = new WritableStream<Uint8Array>({ write: (c) => void chunks.push(c) });
   * const stream = new SocketStream(duplexFromStreams(new Blob([]).stream(), sink));
   * await stream.write("bye\n");
   * await stream.flushAndClose();
   * assert.equal(new TextDecoder().decode(chunks[0]), "bye\n");
   * assert.ok(stream.isClosed);
   * ```
   */
  async flushAndClose(options: StreamCallOptions = {}): Promise<void> {
    if (options.signal?.aborted) throw options.signal.reason;
    if (this.#closed) return;
    const pending = this.#fillLength > 0 || this.#sending !== undefined || this.#draining;
    const deadline = pending && Number.isFinite(this.#closeTimeoutMs)
      ? startDeadline(this.#closeTimeoutMs, () =>
        this.#shutdown(
          new SocketError({
            step: "write",
            host: this.#host,
            port: this.#port,
            failure: "timed-out",
            cause: new Deno.errors.TimedOut(`Close took over ${this.#closeTimeoutMs} ms`),
          }),
        ))
      : undefined;
    try {
      await this.flush(options);
    } finally {
      deadline?.cancel();
      this.close();
    }
  }

  /** Flushes what it can within `closeTimeoutMs`, then closes the connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.flushAndClose();
    } catch {
      // The peer is gone, stopped reading or the stream was aborted: the bytes are lost.
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  /** Runs `op` holding the read lock, aborting the stream when `signal` aborts. */
  #read<T>(op: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    // After an abort or a timeout, nothing more: not even the lines still buffered.
    if (this.#closeReason !== undefined) return Promise.reject(this.#closeReason);
    if (!signal && this.#readLock.tryLock()) {
      // (`then` with two handlers: one promise, where `finally` makes three.)
      return op().then(this.#unlockWith, this.#unlockThrowing) as Promise<T>;
    }
    return this.#readQueued(op, signal);
  }

  readonly #unlockWith = <T>(value: T): T => {
    this.#readLock.unlock();
    return value;
  };

  readonly #unlockThrowing = (error: unknown): never => {
    this.#readLock.unlock();
    throw error;
  };

  async #readQueued<T>(op: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    using _ = this.#watch(signal);
    if (!this.#readLock.tryLock()) await this.#readLock.lock();
    try {
      return await op();
    } finally {
      this.#readLock.unlock();
    }
  }

  /** Reads once from the connection into `p`, under the read deadline. */
  async #readRaw(p: Uint8Array): Promise<number | null> {
    if (this.#eof) return null;
    if (this.#closed) throw this.#closedError("read");
    let n: number | null;
    const deadline = this.#readDeadline;
    deadline?.begin();
    try {
      n = await new Promise<number | null>((resolve, reject) => {
        this.#readReject = reject;
        this.#conn.read(p).then(resolve, reject);
      });
    } catch (error) {
      throw this.#failure("read", error);
    } finally {
      this.#readReject = undefined;
      deadline?.end();
    }
    if (n === null) this.#eof = true;
    else this.#bytesRead += n;
    return n;
  }

  /** Reads more bytes into the buffer; returns false at end of stream. */
  async #fillReadBuffer(): Promise<boolean> {
    this.#makeRoom();
    const n = await this.#readRaw(this.#readBuffer.subarray(this.#end));
    if (n === null) return false;
    this.#end += n;
    return true;
  }

  /** Makes room after the buffered bytes for a read: moves them to the start, or grows. */
  #makeRoom(): void {
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
  }

  /**
   * Reads one line as bytes, without its LF or CRLF.
   *
   * @returns The line, or `null` when the stream ended cleanly before any byte of it. A last
   * line without an ending is returned as it is.
   * @throws {LineTooLongError} when no line ending arrives within the limit.
   * @throws {SocketError} when the read fails or times out.
   */
  readLineBytes(options: StreamCallOptions = {}): Promise<Uint8Array | null> {
    const signal = options.signal;
    if (!signal && !this.#readLock.locked && this.#closeReason === undefined) {
      try {
        const line = this.#takeBufferedLine();
        if (line) return Promise.resolve(line);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.#read(this.#readLineBytes, signal);
  }

  /**
   * Takes one line already in the buffer, without its LF or CRLF, without waiting and without
   * copying it: a reader of many short lines (a response head) skips a promise and a copy per
   * line.
   *
   * @returns A view of the line inside the stream's buffer, valid until the next read: decode or
   * copy it first. `undefined` when no whole line is buffered, another read is under way, or the
   * stream was aborted or timed out: then read it with {@linkcode SocketStream.readLineBytes}.
   * @throws {LineTooLongError} when the buffered line is longer than the limit.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { duplexFromStreams } from "@netkit/netkit/io";
   * import { SocketStream } from "@netkit/netkit/net";
   *
   * const input = new Blob(["a\r\nb\nc"]).stream();
   * await using stream = new SocketStream(duplexFromStreams(input, new WritableStream()));
   * assert.equal(stream.takeLineBytes(), undefined); // nothing read yet
   * assert.deepEqual(await stream.readLineBytes(), new TextEncoder().encode("a"));
   * assert.deepEqual(stream.takeLineBytes(), new TextEncoder().encode("b"));
   * assert.equal(stream.takeLineBytes(), undefined); // "c" has no ending yet
   * ```
   */
  takeLineBytes(): Uint8Array | undefined {
    if (this.#readLock.locked || this.#closeReason !== undefined) return undefined;
    return this.#takeBufferedLine(false);
  }

  /**
   * The bytes buffered and not yet read, as a view inside the stream's buffer, for a parser that
   * scans them itself (a whole response head at once): consume what it used with
   * {@linkcode SocketStream.skipBuffered}, and read more with
   * {@linkcode SocketStream.fillBuffer}. The view is valid until the next read.
   *
   * @returns The view; `undefined` while another read is under way, or once the stream was
   * aborted or timed out.
   *
   * @example Find a blank line in what is buffered
   * ```ts
   * import assert from "node:assert/strict";
   * import { duplexFromStreams } from "@netkit/netkit/io";
   * import { SocketStream } from "@netkit/netkit/net";
   *
   * const input = new Blob(["a: 1\n\nrest"]).stream();
   * await using stream = new SocketStream(duplexFromStreams(input, new WritableStream()));
   * let end = -1;
   * while (end < 0) {
   *   end = new TextDecoder().decode(stream.peekBuffered()).indexOf("\n\n");
   *   if (end < 0) assert.ok(await stream.fillBuffer());
   * }
   * stream.skipBuffered(end + 2);
   * assert.equal(await stream.readLine(), "rest");
   * ```
   */
  peekBuffered(): Uint8Array | undefined {
    if (this.#readLock.locked || this.#closeReason !== undefined) return undefined;
    return this.#readBuffer.subarray(this.#start, this.#end);
  }

  /**
   * Consumes `n` buffered bytes, as {@linkcode SocketStream.peekBuffered} showed them.
   *
   * @throws {RangeError} when fewer than `n` bytes are buffered, or another read is under way.
   */
  skipBuffered(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.#end - this.#start) {
      throw new RangeError(`Cannot skip "${n}" of ${this.#end - this.#start} buffered bytes`);
    }
    if (this.#readLock.locked) throw new RangeError("Cannot skip bytes while a read is under way");
    this.#start += n;
  }

  /**
   * Reads once from the connection into the buffer, after the bytes buffered already (see
   * {@linkcode SocketStream.peekBuffered}). The buffer grows as needed, up to `maxLineBytes`
   * unread bytes (and one read more).
   *
   * @returns False at end of stream, else true.
   * @throws {LineTooLongError} when more than `maxLineBytes` are buffered already.
   * @throws {SocketError} when the read fails or times out.
   */
  fillBuffer(options: StreamCallOptions = {}): Promise<boolean> {
    const signal = options.signal;
    // The usual call (no signal, no other read under way): one promise around the connection's
    // read, not the general path's chain of async frames (a response head's read).
    if (signal === undefined && this.#closeReason === undefined && this.#readLock.tryLock()) {
      return this.#fillLocked();
    }
    return this.#read(this.#fillBounded, signal);
  }

  /**
   * `#fillBounded` for a caller holding the read lock, let go as it settles: what `#read`,
   * `#fillReadBuffer` and `#readRaw` do, in one promise.
   */
  #fillLocked(): Promise<boolean> {
    const lock = this.#readLock;
    if (this.#end - this.#start > this.#maxLineBytes + 1) {
      lock.unlock();
      return Promise.reject(new LineTooLongError(this.#maxLineBytes));
    }
    this.#makeRoom();
    if (this.#eof) {
      lock.unlock();
      return RESOLVED_FALSE;
    }
    if (this.#closed) {
      lock.unlock();
      return Promise.reject(this.#closedError("read"));
    }
    const deadline = this.#readDeadline;
    return new Promise<boolean>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        this.#readReject = undefined;
        deadline?.end();
        const failure = this.#failure("read", error);
        lock.unlock();
        reject(failure);
      };
      const filled = (n: number | null) => {
        if (settled) return;
        settled = true;
        this.#readReject = undefined;
        deadline?.end();
        if (n === null) this.#eof = true;
        else {
          this.#bytesRead += n;
          this.#end += n;
        }
        lock.unlock();
        resolve(n !== null);
      };
      this.#readReject = fail;
      deadline?.begin();
      try {
        this.#conn.read(this.#readBuffer.subarray(this.#end)).then(filled, fail);
      } catch (error) {
        fail(error);
      }
    });
  }

  readonly #fillBounded = (): Promise<boolean> => {
    if (this.#end - this.#start > this.#maxLineBytes + 1) {
      return Promise.reject(new LineTooLongError(this.#maxLineBytes));
    }
    return this.#fillReadBuffer();
  };

  /**
   * The fast path of line reads: takes a whole line already in the buffer, without a wait or a
   * lock (nobody else reads: the caller checked); undefined when none is complete.
   */
  #takeBufferedLine(copy = true): Uint8Array | undefined {
    const newline = this.#readBuffer.subarray(this.#start, this.#end).indexOf(0x0a);
    return newline < 0 ? undefined : this.#cutLine(this.#start + newline, copy);
  }

  /**
   * Takes the buffered line that ends with the LF at `lineEnd`, without its LF or CRLF: a copy,
   * or (`copy` false) a view valid until the next read.
   */
  #cutLine(lineEnd: number, copy = true): Uint8Array {
    const start = this.#start;
    let contentEnd = lineEnd;
    if (contentEnd > start && this.#readBuffer[contentEnd - 1] === 0x0d) contentEnd--;
    if (contentEnd - start > this.#maxLineBytes) {
      throw new LineTooLongError(this.#maxLineBytes);
    }
    this.#start = lineEnd + 1;
    return copy
      ? this.#readBuffer.slice(start, contentEnd)
      : this.#readBuffer.subarray(start, contentEnd);
  }

  readonly #readLineBytes = async (): Promise<Uint8Array | null> => {
    let scanFrom = this.#start;
    while (true) {
      const newline = this.#readBuffer.subarray(scanFrom, this.#end).indexOf(0x0a);
      if (newline >= 0) return this.#cutLine(scanFrom + newline);
      // Allow one extra byte for a CR that may precede the LF.
      if (this.#end - this.#start > this.#maxLineBytes + 1) {
        throw new LineTooLongError(this.#maxLineBytes);
      }
      const scanned = this.#end - this.#start;
      if (!(await this.#fillReadBuffer())) {
        if (this.#start === this.#end) return null;
        const line = this.#readBuffer.slice(this.#start, this.#end);
        this.#start = this.#end;
        return line;
      }
      scanFrom = this.#start + scanned;
    }
  };

  /**
   * Reads one line as UTF-8 text, without its LF or CRLF.
   *
   * @returns The line, or `null` when the stream ended cleanly before any byte of it.
   * @throws {LineTooLongError} when no line ending arrives within the limit.
   * @throws {SocketError} when the read fails or times out.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { duplexFromStreams } from "@netkit/netkit/io";
   * import { SocketStream } from "@netkit/netkit/net";
   *
   * const input = new Blob(["a\r\nb\nc"]).stream();
   * await using stream = new SocketStream(duplexFromStreams(input, new WritableStream()));
   * const lines = [await stream.readLine(), await stream.readLine(), await stream.readLine()];
   * assert.deepEqual(lines, ["a", "b", "c"]);
   * assert.equal(await stream.readLine(), null);
   * ```
   */
  readLine(options: StreamCallOptions = {}): Promise<string | null> {
    const signal = options.signal;
    if (!signal && !this.#readLock.locked && this.#closeReason === undefined) {
      try {
        const line = this.#takeBufferedLine(false);
        if (line) return Promise.resolve(decoder.decode(line));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.#read(this.#readLineBytes, signal).then(decodeLine);
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
   * @throws {SocketError} when a read fails or times out.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { duplexFromStreams } from "@netkit/netkit/io";
   * import { SocketStream } from "@netkit/netkit/net";
   *
   * const input = new Blob([new Uint8Array([0xe9, 0x0f, 0x2b, 0x41, 1])]).stream();
   * await using stream = new SocketStream(duplexFromStreams(input, new WritableStream()));
   * const seconds = new DataView((await stream.readExactly(4)).buffer).getUint32(0);
   * assert.equal(seconds, 0xe90f2b41);
   * ```
   */
  readExactly(n: number, options: StreamCallOptions = {}): Promise<Uint8Array> {
    if (!Number.isSafeInteger(n) || n < 0) {
      return Promise.reject(new RangeError(`Invalid byte count "${n}"`));
    }
    return this.#read(async () => {
      const out = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const chunk = await this.#readSome(out.subarray(got));
        if (chunk === null) throw new UnexpectedEofError(n, got);
        got += chunk;
      }
      return out;
    }, options.signal);
  }

  /**
   * Reads whatever is available into `p`: buffered bytes first, else one read from the connection.
   *
   * @returns The count read, or `null` at end of stream.
   * @throws {SocketError} when the read fails or times out.
   */
  readSome(p: Uint8Array, options: StreamCallOptions = {}): Promise<number | null> {
    return this.#read(() => this.#readSome(p), options.signal);
  }

  async #readSome(p: Uint8Array): Promise<number | null> {
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
   * buffer, so memory stays flat whatever the size. `dest` must not keep the array it is given
   * past its `write()` call: the chunk is reused.
   *
   * A `dest` with a `writeSync` method ({@linkcode SyncByteWriter}, as a `Deno.FsFile`) is written
   * with it instead, without a promise a chunk; when the `length` bytes are all buffered already
   * (a small body that came with its head), the copy then takes no lock and no wait at all.
   *
   * @param dest Where the bytes go, e.g. a `Deno.FsFile`.
   * @param length How many bytes; undefined for "until the peer closes".
   * @param onProgress Called with the running total after each write.
   * @param options A `signal` to cancel the copy.
   * @returns The number of bytes copied.
   * @throws {UnexpectedEofError} when `length` is given and the stream ends first.
   * @throws {SocketError} when a read fails or times out.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { duplexFromStreams } from "@netkit/netkit/io";
   * import { SocketStream } from "@netkit/netkit/net";
   *
   * const input = new Blob(["header\nbody bytes"]).stream();
   * await using stream = new SocketStream(duplexFromStreams(input, new WritableStream()));
   * await stream.readLine();
   * const chunks: Uint8Array[] = [];
   * const sink = { write: (p: Uint8Array) => (chunks.push(p.slice()), Promise.resolve(p.length)) };
   * assert.equal(await stream.copyTo(sink), 10);
   * assert.equal(new TextDecoder().decode(chunks[0]), "body bytes");
   * ```
   */
  copyTo(
    dest: ByteWriter,
    length?: number,
    onProgress?: (copied: number) => void,
    options: StreamCallOptions = {},
  ): Promise<number> {
    const signal = options.signal;
    if (
      length !== undefined && length <= this.#end - this.#start && length > 0 &&
      typeof (dest as SyncByteWriter).writeSync === "function" && !signal &&
      !this.#readLock.locked && this.#closeReason === undefined
    ) {
      // All of it is buffered and the sink writes synchronously: no lock, no wait. (A failure,
      // the sink's or onProgress's, is a rejection, as from the copy that waits.)
      try {
        writeAllSync(
          dest as SyncByteWriter,
          this.#readBuffer.subarray(this.#start, this.#start + length),
        );
        this.#start += length;
        onProgress?.(length);
      } catch (error) {
        return Promise.reject(error);
      }
      return Promise.resolve(length);
    }
    return this.#read(() => this.#copyTo(dest, length, onProgress), signal);
  }

  async #copyTo(
    dest: ByteWriter,
    length: number | undefined,
    onProgress: ((copied: number) => void) | undefined,
  ): Promise<number> {
    let copied = 0;
    const wanted = length ?? Infinity;
    const sync = typeof (dest as SyncByteWriter).writeSync === "function"
      ? dest as SyncByteWriter
      : undefined;
    if (this.#start < this.#end) {
      const n = Math.min(wanted, this.#end - this.#start);
      const bytes = this.#readBuffer.subarray(this.#start, this.#start + n);
      if (sync) writeAllSync(sync, bytes);
      else await writeAll(dest, bytes);
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
      if (sync) writeAllSync(sync, chunk.subarray(0, n));
      else await writeAll(dest, chunk.subarray(0, n));
      copied += n;
      onProgress?.(copied);
    }
    return copied;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /**
   * Buffers `data` for sending; text is sent as UTF-8. Call {@linkcode SocketStream.flush} to
   * send what is buffered. Data larger than the buffer goes straight out (after what is
   * buffered), and the call resolves once it is sent: `data` is never kept past the call.
   * When the buffer is full, the call waits for the peer (back-pressure).
   *
   * Safe to call from several tasks at once: writes are queued in call order and each goes out
   * whole.
   *
   * @throws {SocketError} when the connection fails, or an earlier buffered send failed.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { duplexFromStreams } from "@netkit/netkit/io";
   * import { SocketStream } from "@netkit/netkit/net";
   *
   * const chunks: string[] = [];
   * const sink = new WritableStream<Uint8Array>({
   *   write: (c) => void chunks.push(new TextDecoder().decode(c)),
   * });
   * await using stream = new SocketStream(duplexFromStreams(new Blob([]).stream(), sink));
   * await Promise.all(["a\n", "b\n", "c\n"].map(async (line) => {
   *   await stream.write(line);
   *   await stream.flush();
   * }));
   * assert.equal(chunks.join(""), "a\nb\nc\n");
   * ```
   */
  write(data: string | Uint8Array, options: StreamCallOptions = {}): Promise<void> {
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const size = this.#writeBufferBytes;
    if (!this.#draining && !this.#closed && !this.#writeFailed) {
      // The fast path: the bytes fit in the buffer that is filling, and nobody waits before us.
      if (typeof data === "string") {
        // A UTF-16 unit takes at most 3 bytes of UTF-8: encode straight into the buffer.
        if (data.length * 3 <= size - this.#fillLength) {
          const fill = this.#fill ??= new Uint8Array(size);
          this.#fillLength += encoder.encodeInto(data, fill.subarray(this.#fillLength)).written;
          return RESOLVED;
        }
        data = encoder.encode(data);
      }
      if (this.#fillLength + data.length <= size) {
        (this.#fill ??= new Uint8Array(size)).set(data, this.#fillLength);
        this.#fillLength += data.length;
        return RESOLVED;
      }
    } else if (typeof data === "string") {
      data = encoder.encode(data);
    }
    return this.#enqueue(data, signal);
  }

  /**
   * Queues a write (`bytes`) or a flush (`undefined`) behind the ones waiting, for the drain
   * loop; settles when it is done.
   */
  #enqueue(bytes: Uint8Array | undefined, signal: AbortSignal | undefined): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.#writeQueue.push({ bytes, resolve, reject });
    });
    if (!this.#draining) void this.#drain();
    if (!signal) return done;
    return this.#awaitWithSignal(done, signal);
  }

  async #awaitWithSignal(done: Promise<void>, signal: AbortSignal): Promise<void> {
    using _ = this.#watch(signal);
    await done;
  }

  #throwIfNotWritable(): void {
    if (this.#writeFailed) throw this.#writeError;
    if (this.#closed) throw this.#closedError("write");
  }

  /**
   * Works through the queued writes and flushes in order. Writes that fit are copied at once, in
   * one synchronous pass (so that a crowd of writers costs one wake-up, not one each); the loop
   * waits only when both buffers are taken, or for a large write to go out.
   */
  async #drain(): Promise<void> {
    this.#draining = true;
    const queue = this.#writeQueue;
    const size = this.#writeBufferBytes;
    try {
      while (this.#writeHead < queue.length) {
        if (this.#writeHead >= 1024) {
          // A crowd that never lets the loop finish: drop the done part now and then.
          queue.splice(0, this.#writeHead);
          this.#writeHead = 0;
        }
        const item = queue[this.#writeHead]!;
        if (this.#writeFailed || this.#closed) {
          const error = this.#writeFailed ? this.#writeError : this.#closedError("write");
          this.#writeHead++;
          item.reject(error);
          continue;
        }
        const bytes = item.bytes;
        if (bytes === undefined) {
          // A flush: it waits for its send, the queue does not.
          this.#writeHead++;
          this.#requestSend().then(() => {
            if (this.#writeFailed) item.reject(this.#writeError);
            else item.resolve();
          });
        } else if (bytes.length >= size) {
          // Straight out, after everything buffered, and waited for: `bytes` is the caller's.
          await this.#requestSend();
          if (!this.#writeFailed && !this.#closed) {
            await this.#launch(bytes, undefined);
            if (!this.#writeFailed) {
              this.#writeHead++;
              item.resolve();
            }
          }
        } else if (this.#fillLength + bytes.length <= size) {
          (this.#fill ??= new Uint8Array(size)).set(bytes, this.#fillLength);
          this.#fillLength += bytes.length;
          this.#writeHead++;
          item.resolve();
        } else {
          const busy = this.#queuedSend ?? this.#sending;
          if (busy) await busy; // Both buffers are taken: wait for the one on the wire.
          else void this.#launchFill();
        }
      }
    } catch (error) {
      // Not expected (sends record their failures); fail what waits rather than leave it hanging.
      for (const item of queue.slice(this.#writeHead)) item.reject(error);
    } finally {
      this.#writeQueue = [];
      this.#writeHead = 0;
      this.#draining = false;
    }
  }

  /**
   * Sends everything buffered, looping over partial writes; resolves once all that was written
   * before the call is out. Concurrent flushes share one send.
   *
   * @throws {SocketError} when the connection fails or the write times out.
   */
  flush(options: StreamCallOptions = {}): Promise<void> {
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    // Behind queued writes, so that their bytes go with it.
    if (this.#draining) return this.#enqueue(undefined, signal);
    if (this.#writeFailed) return Promise.reject(this.#writeError);
    if (this.#fillLength === 0 && this.#sending === undefined) return RESOLVED;
    if (this.#closed) return Promise.reject(this.#closedError("write"));
    const sent = this.#requestSend().then(this.#afterSend);
    return signal ? this.#awaitWithSignal(sent, signal) : sent;
  }

  readonly #afterSend = (): void => {
    if (this.#writeFailed) throw this.#writeError;
  };

  /** Resolves once what is buffered now, and what is on the wire, is sent. */
  #requestSend(): Promise<void> {
    if (this.#queuedSend) return this.#queuedSend; // It will carry `#fill` as it is by then.
    if (this.#fillLength === 0) return this.#sending ?? RESOLVED;
    if (!this.#sending) return this.#launchFill();
    const queued = this.#sending.then(() => {
      this.#queuedSend = undefined;
      return this.#launchFill();
    });
    this.#queuedSend = queued;
    return queued;
  }

  /** Puts the filling buffer on the wire and starts filling the other one. */
  #launchFill(): Promise<void> {
    if (this.#fillLength === 0 || this.#closed || this.#writeFailed) return RESOLVED;
    const buffer = this.#fill!;
    const out = buffer.subarray(0, this.#fillLength);
    this.#fill = this.#spare;
    this.#spare = undefined;
    this.#fillLength = 0;
    return this.#launch(out, buffer);
  }

  /**
   * Starts the one send: writes all of `out` to the connection, looping over partial writes. It
   * never rejects; a failure is recorded for the calls to throw. `buffer`, when given, is handed
   * back for filling once the send is over.
   */
  #launch(out: Uint8Array, buffer: Uint8Array | undefined): Promise<void> {
    const sending = new Promise<void>((resolve) => {
      let offset = 0;
      let settled = false;
      const finish = () => {
        settled = true;
        this.#writeDeadline?.end();
        if (this.#writeReject === fail) this.#writeReject = undefined;
        if (buffer) {
          if (this.#fill === undefined) this.#fill = buffer;
          else this.#spare = buffer;
        }
        if (this.#sending === sending) this.#sending = undefined;
        resolve();
      };
      const fail = (error: unknown) => {
        if (settled) return; // Settled already, by close or abort.
        if (!this.#writeFailed) {
          this.#writeFailed = true;
          this.#writeError = this.#failure("write", error);
        }
        finish();
      };
      const wrote = (n: number) => {
        if (settled) return;
        if (!(n > 0 && n <= out.length - offset)) {
          // A transport that takes nothing would be called for ever; one that claims more skips.
          const left = out.length - offset;
          return fail(new Deno.errors.WriteZero(`The connection took "${n}" bytes of ${left}`));
        }
        offset += n;
        if (offset < out.length) {
          this.#writeDeadline?.begin(); // Progress: the peer took some, the wait starts again.
          this.#conn.write(out.subarray(offset)).then(wrote, fail);
        } else {
          finish();
        }
      };
      this.#writeReject = fail;
      // Never settled synchronously: `#sending` must be set first.
      if (this.#closed) queueMicrotask(() => fail(this.#closedError("write")));
      else {
        this.#writeDeadline?.begin();
        this.#conn.write(out).then(wrote, fail);
      }
    });
    this.#sending = sending;
    return sending;
  }

  /**
   * Flushes, then closes the write side (TCP half-close) so the peer sees end of stream while
   * this side keeps reading. A transport without half-close is left open.
   */
  async closeWrite(options: StreamCallOptions = {}): Promise<void> {
    await this.flush(options);
    if (!this.#conn.closeWrite) return;
    this.#writeDeadline?.begin();
    try {
      await this.#conn.closeWrite();
    } finally {
      this.#writeDeadline?.end();
    }
  }
}

/** `writeAll` for a synchronous sink: the same loop over partial writes, and the same checks. */
function writeAllSync(dest: SyncByteWriter, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    const left = bytes.length - offset;
    const n = dest.writeSync(bytes.subarray(offset));
    if (!(n > 0 && n <= left)) {
      throw new Deno.errors.WriteZero(`The writer reported "${n}" bytes written of ${left}`);
    }
    offset += n;
  }
}
