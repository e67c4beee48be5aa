/**
 * The live streams of a server, to close together at shutdown.
 *
 * @module
 */

import type { SocketStream, StreamCallOptions } from "./socket_stream.ts";

/**
 * Tracks the live {@linkcode SocketStream}s of a server, each until it closes, so that shutdown
 * can close them all at once instead of waiting out their read deadlines. `closeAll(reason)`
 * aborts every stream: their pending calls (a handler blocked in `readLine()`) reject at once
 * with `reason`, and streams added afterwards are aborted on arrival.
 *
 * @example Shut a line server down while a client sits idle
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClientSocket, SocketStream, StreamGroup } from "@netkit/netkit/net";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const group = new StreamGroup();
 * const accepted = listener.accept();
 * await using client = new SocketStream(await createClientSocket("127.0.0.1", listener.addr.port));
 * const stream = group.add(new SocketStream(await accepted));
 * const waiting = stream.readLine().catch((error) => error); // a handler waiting for a request
 * assert.equal(group.size, 1);
 * group.closeAll(new Error("Server shutting down"));
 * assert.equal((await waiting).message, "Server shutting down");
 * await stream.closed;
 * assert.equal(group.size, 0);
 * ```
 */
export class StreamGroup implements AsyncDisposable {
  readonly #streams = new Set<SocketStream>();
  #closed = false;
  #reason: unknown;

  /** How many tracked streams are still open. */
  get size(): number {
    return this.#streams.size;
  }

  /** True once {@linkcode StreamGroup.closeAll} ran. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Tracks `stream` until it closes; returns it, for `const s = group.add(new SocketStream(c))`.
   * After `closeAll()`, the stream is aborted at once.
   */
  add(stream: SocketStream): SocketStream {
    if (this.#closed) {
      this.#closeOne(stream);
      return stream;
    }
    if (stream.isClosed || this.#streams.has(stream)) return stream;
    this.#streams.add(stream);
    stream.closed.then(() => this.#streams.delete(stream));
    return stream;
  }

  #closeOne(stream: SocketStream): void {
    if (this.#reason === undefined) stream.close();
    else stream.abort(this.#reason);
  }

  /**
   * Closes every tracked stream now, without flushing, and every stream added later. With a
   * `reason`, their pending and later calls reject with it; without, with a `SocketError` of
   * `failure: "closed"`.
   */
  closeAll(reason?: unknown): void {
    this.#closed = true;
    this.#reason = reason;
    for (const stream of [...this.#streams]) this.#closeOne(stream);
    this.#streams.clear();
  }

  /**
   * Flushes and closes every tracked stream, each bounded by its `closeTimeoutMs` (and by
   * `signal`), and every stream added later is closed on arrival. Failures are not thrown: the
   * streams are closed either way.
   */
  async flushAndCloseAll(options: StreamCallOptions = {}): Promise<void> {
    this.#closed = true;
    const streams = [...this.#streams];
    await Promise.allSettled(streams.map((stream) => stream.flushAndClose(options)));
  }

  /** Closes every tracked stream (see {@linkcode StreamGroup.closeAll}). */
  [Symbol.asyncDispose](): Promise<void> {
    this.closeAll();
    return Promise.resolve();
  }
}
