/**
 * A small per-origin pool of kept-alive HTTP/1.1 connections, for {@linkcode sendHttpRequest}'s
 * `pool` option: a connection whose response was read to its end goes back to the pool and
 * carries the next request to the same origin; idle ones are closed after a timeout; the pool is
 * bounded and closable.
 *
 * @module
 */

import { type Deadline, startDeadline } from "../internal/deadline.ts";
import type { SocketStream } from "../net/socket_stream.ts";

/** Options of {@linkcode HttpConnectionPool}. */
export interface HttpConnectionPoolOptions {
  /**
   * Close a connection that waited this long without a request; `Infinity` keeps it until the
   * pool closes (GNU wget's one connection, reused however long the wait: a connection the server
   * closed meanwhile is replaced when a request meets it). @default {10000}
   */
  idleTimeoutMs?: number;
  /** The most idle connections kept for one origin. @default {6} */
  maxIdlePerOrigin?: number;
  /** The most idle connections kept in all. @default {64} */
  maxIdle?: number;
}

/** What a pool has done, for tests and reports. */
export interface HttpConnectionPoolStats {
  /** Connections opened through the pool. */
  opened: number;
  /** Requests that went out on a kept-alive connection instead of a new one. */
  reused: number;
}

/**
 * How {@linkcode HttpConnectionPool.acquire} may take a connection that another key left idle:
 * the client's way to carry a request for `http://localhost:P/` on a connection opened for
 * `http://127.0.0.1:P/`, as GNU wget does. {@linkcode sendHttpRequest} makes one from its
 * `addressesOf` option.
 *
 * @example Two names of one server, one connection
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpConnectionPool, sendHttpRequest } from "@netkit/netkit/http";
 *
 * await using server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen: () => {} },
 *   (request) => new Response(new URL(request.url).hostname),
 * );
 * await using pool = new HttpConnectionPool();
 * const options = {
 *   pool,
 *   // What the caller's resolver says (wget's: the hosts file, DNS).
 *   addressesOf: (host: string) => Promise.resolve(host === "localhost" ? ["127.0.0.1"] : []),
 * };
 * const first = await sendHttpRequest(`http://127.0.0.1:${server.addr.port}/`, options);
 * assert.equal(await first.text(), "127.0.0.1");
 * const second = await sendHttpRequest(`http://localhost:${server.addr.port}/`, options);
 * assert.equal(await second.text(), "localhost");
 * assert.deepEqual(pool.stats, { opened: 1, reused: 1 });
 * ```
 */
export interface HttpPoolSharing {
  /**
   * Keys whose connections may serve each other's requests once `accepts` agrees (the client's
   * group is a key without its host name: scheme, port and settings).
   */
  group: string;
  /**
   * Called when the group's most recently idle connection is another key's (and only then):
   * settles to a test of which idle connections of the group may carry the request. It may
   * reject (the client's lookup of the new name failed): `acquire` rejects with its reason.
   */
  accepts(): Promise<(stream: SocketStream) => boolean>;
}

interface IdleConnection {
  stream: SocketStream;
  /** When it went idle, by `Date.now()` (a builtin; `performance.now()` calls the runtime). */
  since: number;
  /** The key it was opened for, and stays under. */
  key: string;
  /** Its key's group, when released with one. */
  group: string | undefined;
  /** Release order: the greatest went idle last. */
  order: number;
}

/**
 * Kept-alive connections by origin. Give it to {@linkcode sendHttpRequest} (or `download()`) as
 * `pool`; close it when done, usually with `await using`. After `close()` the pool keeps nothing:
 * requests still work, each on a connection of its own.
 *
 * The idle timer does not keep the process alive, and neither does an idle connection.
 *
 * @example Two requests, one connection
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpConnectionPool, sendHttpRequest } from "@netkit/netkit/http";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const serve = (async () => {
 *   using conn = await listener.accept();
 *   const reply = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
 *   for (let i = 0; i < 2; i++) {
 *     await conn.read(new Uint8Array(4096));
 *     await conn.write(reply);
 *   }
 * })();
 * await using pool = new HttpConnectionPool();
 * const url = `http://127.0.0.1:${listener.addr.port}/`;
 * for (let i = 0; i < 2; i++) {
 *   const response = await sendHttpRequest(url, { pool });
 *   assert.equal(await response.text(), "hi");
 * }
 * assert.deepEqual(pool.stats, { opened: 1, reused: 1 });
 * await pool.close();
 * await serve;
 * ```
 */
export class HttpConnectionPool implements AsyncDisposable {
  readonly #idleTimeoutMs: number;
  readonly #maxIdlePerOrigin: number;
  readonly #maxIdle: number;
  readonly #idle = new Map<string, IdleConnection[]>();
  #idleCount = 0;
  #releases = 0;
  #closed = false;
  /** One timer for the whole pool, running while connections are idle. */
  #sweeper: Deadline | undefined;
  /** Connections opened and reused so far. */
  readonly stats: HttpConnectionPoolStats = { opened: 0, reused: 0 };

  /** An empty pool. */
  constructor(options: HttpConnectionPoolOptions = {}) {
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 10_000;
    this.#maxIdlePerOrigin = options.maxIdlePerOrigin ?? 6;
    this.#maxIdle = options.maxIdle ?? 64;
  }

  /** How many idle connections the pool holds. */
  get idle(): number {
    return this.#idleCount;
  }

  /** True once {@linkcode HttpConnectionPool.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * A connection for `key` (an origin and the settings it was opened with): the most recently
   * idle one, else a new one from `open`. With `sharing`, when the most recently idle connection
   * of its group is another key's, the most recently idle one of the group that `accepts` takes
   * (its own key's included).
   *
   * @param key Which connections may be shared; the client builds it from the URL's origin and
   * its TLS and timeout settings.
   * @param open Opens a new connection.
   * @param sharing Which other keys' connections may carry the request, and when.
   * @returns The stream, whether it carried an exchange before, and the key to give it back
   * under (the key it was opened for).
   */
  async acquire(
    key: string,
    open: () => Promise<SocketStream>,
    sharing?: HttpPoolSharing,
  ): Promise<{ stream: SocketStream; reused: boolean; key: string }> {
    if (sharing && this.#idleCount > 0) {
      const latest = this.#latestIdle(sharing.group);
      if (latest && latest.key !== key) {
        const accepts = await sharing.accepts();
        // The pool may have changed meanwhile: look again.
        const chosen = this.#latestIdle(
          sharing.group,
          (entry) => entry.key === key || accepts(entry.stream),
        );
        if (chosen) {
          const list = this.#idle.get(chosen.key)!;
          list.splice(list.indexOf(chosen), 1);
          if (list.length === 0) this.#idle.delete(chosen.key);
          this.#idleCount--;
          if (Date.now() - chosen.since < this.#idleTimeoutMs) {
            this.stats.reused++;
            return { stream: chosen.stream, reused: true, key: chosen.key };
          }
          chosen.stream.close();
        }
      }
    }
    const idle = this.#takeIdle(key);
    if (idle) return idle;
    const stream = await open();
    this.stats.opened++;
    return { stream, reused: false, key };
  }

  /**
   * {@linkcode HttpConnectionPool.acquire} without a wait, for the usual case: the connection it
   * would give at once, an idle one of `key`'s.
   *
   * @param key As for `acquire`.
   * @param group The group of the `sharing` that `acquire` would be given, if any.
   * @returns The connection, or `undefined` when `acquire` would have to wait: to open one, or
   * to ask `sharing` about another key's (then call `acquire`).
   */
  tryAcquire(
    key: string,
    group?: string,
  ): { stream: SocketStream; reused: boolean; key: string } | undefined {
    if (this.#idleCount === 0) return undefined;
    if (group !== undefined) {
      const latest = this.#latestIdle(group);
      if (latest && latest.key !== key) return undefined;
    }
    return this.#takeIdle(key);
  }

  /** The most recently idle connection of `key` still within its idle time, taken. */
  #takeIdle(key: string): { stream: SocketStream; reused: boolean; key: string } | undefined {
    const list = this.#idle.get(key);
    let idle = list?.pop();
    while (idle) {
      this.#idleCount--;
      // Past its idle time (the sweeper runs late when the process is busy): not to be trusted.
      if (Date.now() - idle.since < this.#idleTimeoutMs) break;
      idle.stream.close();
      idle = list!.pop();
    }
    // (An emptied list stays, for the release to come; the sweeper drops it if none does.)
    if (!idle) return undefined;
    this.stats.reused++;
    return { stream: idle.stream, reused: true, key };
  }

  /** The most recently idle connection of `group` (that `take` takes), if any. */
  #latestIdle(
    group: string,
    take?: (entry: IdleConnection) => boolean,
  ): IdleConnection | undefined {
    let latest: IdleConnection | undefined;
    for (const list of this.#idle.values()) {
      for (const entry of list) {
        if (
          entry.group === group && (latest === undefined || entry.order > latest.order) &&
          (take === undefined || take(entry))
        ) {
          latest = entry;
        }
      }
    }
    return latest;
  }

  /**
   * Takes back a connection whose exchange ended cleanly (response read to its end, nothing
   * left unread), to serve a later request for `key` (or, with `group`, for another key of the
   * group that {@linkcode HttpConnectionPool.acquire}'s `sharing` accepts); closes it instead
   * when the pool is full or closed.
   */
  release(key: string, stream: SocketStream, group?: string): void {
    let list = this.#idle.get(key);
    // Bytes nobody asked for would be read as the next response: such a connection is spoiled.
    if (
      this.#closed || stream.buffered > 0 || (list?.length ?? 0) >= this.#maxIdlePerOrigin ||
      this.#idleCount >= this.#maxIdle
    ) {
      stream.close();
      return;
    }
    if (list === undefined) this.#idle.set(key, list = []);
    list.push({ stream, since: Date.now(), key, group, order: ++this.#releases });
    this.#idleCount++;
    this.#sweep();
  }

  /**
   * Keeps one timer running while anything is idle: at each expiry it closes the connections
   * idle for longer than the timeout and waits for the next. (One timer per pool, not one per
   * exchange: a list of small files makes thousands of exchanges.)
   */
  #sweep(): void {
    if (this.#sweeper || this.#idleCount === 0 || this.#idleTimeoutMs === Infinity) return;
    const oldest = Math.min(
      ...[...this.#idle.values()].flatMap((list) => list.map((entry) => entry.since)),
    );
    const wait = Math.max(0, oldest + this.#idleTimeoutMs - Date.now()) + 1;
    this.#sweeper = startDeadline(wait, () => {
      this.#sweeper = undefined;
      const now = Date.now();
      for (const [key, list] of this.#idle) {
        const keep = list.filter((entry) => now - entry.since < this.#idleTimeoutMs);
        for (const entry of list) if (!keep.includes(entry)) entry.stream.close();
        this.#idleCount -= list.length - keep.length;
        if (keep.length === 0) this.#idle.delete(key);
        else this.#idle.set(key, keep);
      }
      this.#sweep();
    });
  }

  /** Closes every idle connection and keeps none from now on; closing twice is harmless. */
  close(): Promise<void> {
    this.#closed = true;
    this.#sweeper?.cancel();
    this.#sweeper = undefined;
    for (const list of this.#idle.values()) {
      for (const { stream } of list) stream.close();
    }
    this.#idle.clear();
    this.#idleCount = 0;
    return Promise.resolve();
  }

  /** Closes the pool. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
