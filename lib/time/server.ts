/**
 * The lecture's time server as a library (the lecture: the networking lecture notes netkit
 * implements): accept connections on a listener and answer each with
 * the time, as daytime (RFC 867: the `%c` line) or time (RFC 868: four bytes), then close.
 *
 * Built to stay fast and safe under load: the answer is encoded once per second, not once per
 * connection; at most `concurrency` writes run at once; and a client that never reads cannot hold
 * a slot or a socket for long (see {@linkcode TimeServerOptions.timeoutMs}).
 *
 * @module
 */

import { formatCTime } from "./ctime.ts";
import { writeRfc868Time } from "./rfc868_time.ts";
import { TaskPool } from "../async/task_pool.ts";
import { classifySocketError, SocketError } from "../net/socket_error.ts";

/** The two protocols a time server speaks. */
export type TimeProtocol = "daytime" | "time";

/** The default number of connections served at once. */
export const DEFAULT_TIME_SERVER_CONCURRENCY = 4;
/** The default time a connection may take before it is closed: 5 s. */
export const DEFAULT_TIME_SERVER_TIMEOUT_MS = 5_000;

/** Options of {@linkcode serveTime}. */
export interface TimeServerOptions {
  /** `daytime` sends the `%c` line and a LF; `time` sends RFC 868's four bytes. @default {"daytime"} */
  protocol?: TimeProtocol;
  /** How many connections are served at once; more wait their turn. @default {4} */
  concurrency?: number;
  /** The clock, for tests. @default {() => new Date()} */
  now?: () => Date;
  /** Stops the server: no more accepting, connections in flight finish, then it resolves. */
  signal?: AbortSignal;
  /** Called with each client's address as it is accepted (for logging). */
  onConnection?: ((address: Deno.Addr) => void) | undefined;
  /**
   * Called with errors that do not stop the server, as a {@linkcode SocketError} whose `step` is
   * `accept` (e.g. out of file descriptors: worth logging) or `write` (a client that reset: usual).
   */
  onError?: (error: SocketError) => void;
  /**
   * A connection whose answer is not delivered within this many milliseconds is closed. A write
   * that is still waiting after a short grace (a tenth of this, at most 100 ms) gives its slot in
   * the pool to the next client and waits on the side, so clients that never read cannot fill
   * the pool. @default {5000}
   */
  timeoutMs?: number;
  /** The most writes allowed to wait on the side; beyond that they are closed at once. @default {1024} */
  maxWaiting?: number;
}

/** What a time server did, as {@linkcode serveTime} resolves. */
export interface TimeServerSummary {
  /** Connections accepted. */
  accepted: number;
  /** Connections whose answer was written in full. */
  answered: number;
  /** Connections closed because their answer could not be delivered in time (or at all). */
  dropped: number;
}

/**
 * One connection being answered. It is also the pool task's result: a bare thenable whose `then`
 * receives the pool's "slot free" callback, called once the answer is written or set aside. That
 * spares a Promise and a closure per connection.
 */
class Answer {
  offset = 0;
  detached = false;
  released = false;
  release: (() => void) | null = null;
  constructor(
    readonly conn: Deno.Conn,
    readonly bytes: Uint8Array,
    readonly tick: number,
  ) {}

  then(onReleased: () => void): void {
    if (this.released) onReleased();
    else this.release = onReleased;
  }

  /** Gives the pool slot back, once. */
  freeSlot(): void {
    if (this.released) return;
    this.released = true;
    this.release?.();
    this.release = null;
  }
}

const encoder = new TextEncoder();

/**
 * Serves the time on `listener` until `signal` aborts (or the listener is closed), then waits for
 * the connections in flight and resolves. The caller owns the listener; it is closed on abort.
 *
 * @param listener Where clients connect, e.g. from `createServerSocket(12345)`.
 * @returns A summary once the server has stopped.
 * @throws {RangeError} for a bad `concurrency`, `timeoutMs` or `protocol`.
 *
 * @example A daytime server on a free port, asked once, then stopped
 * ```ts
 * import assert from "node:assert/strict";
 * import { serveTime } from "@netkit/netkit/time";
 *
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const stop = new AbortController();
 * const serving = serveTime(listener, {
 *   now: () => new Date("2026-11-24T01:08:48Z"),
 *   signal: stop.signal,
 * });
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * const text = await new Response(conn.readable).text();
 * assert.equal(text, "Tue Nov 24 01:08:48 2026\n");
 * stop.abort();
 * assert.equal((await serving).answered, 1);
 * ```
 */
export async function serveTime(
  listener: Deno.Listener,
  options: TimeServerOptions = {},
): Promise<TimeServerSummary> {
  const protocol = options.protocol ?? "daytime";
  if (protocol !== "daytime" && protocol !== "time") {
    throw new RangeError(`Unknown protocol "${protocol}": expected "daytime" or "time"`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIME_SERVER_TIMEOUT_MS;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new RangeError(`Invalid timeout "${timeoutMs}": expected a positive number`);
  }
  const maxWaiting = options.maxWaiting ?? 1024;
  const onError = options.onError ?? (() => {});
  const report = (step: "accept" | "write", address: Deno.Addr, error: unknown) => {
    const { hostname = "", port = 0 } = address as Partial<Deno.NetAddr>;
    const failure = classifySocketError(error);
    onError(new SocketError({ step, host: hostname, port, failure, cause: error }));
  };
  const onConnection = options.onConnection;
  // Answers never throw (their errors are reported where they happen), so the pool needs no onError.
  const pool = new TaskPool(options.concurrency ?? DEFAULT_TIME_SERVER_CONCURRENCY);
  const now = options.now;
  const signal = options.signal;
  const summary: TimeServerSummary = { accepted: 0, answered: 0, dropped: 0 };

  // The answer, encoded once per second.
  let cachedSecond = NaN;
  let cachedBytes = new Uint8Array(0);
  const answerBytes = (): Uint8Array => {
    const ms = now ? now().getTime() : Date.now();
    const second = Math.floor(ms / 1000);
    if (second !== cachedSecond) {
      const date = new Date(second * 1000);
      if (protocol === "daytime") {
        cachedBytes = encoder.encode(`${formatCTime(date)}\n`);
      } else {
        cachedBytes = new Uint8Array(4);
        writeRfc868Time(date, cachedBytes);
      }
      cachedSecond = second;
    }
    return cachedBytes;
  };

  // Connections being answered, swept by one timer that runs as long as the server does (none
  // per connection, and none started and stopped as the set empties and fills): after a grace of
  // one to two ticks a slow write leaves the pool; after `timeoutMs` it is closed.
  const tickMs = Math.max(1, Math.min(100, Math.floor(timeoutMs / 10)));
  const timeoutTicks = Math.ceil(timeoutMs / tickMs);
  const inFlight = new Set<Answer>();
  let tick = 0;
  let waiting = 0;
  let allDone: (() => void) | null = null;

  const finish = (answer: Answer, delivered: boolean): void => {
    if (!inFlight.delete(answer)) return;
    if (delivered) summary.answered++;
    else summary.dropped++;
    try {
      answer.conn.close();
    } catch {
      // Closed already (by the sweeper, or the peer reset it).
    }
    if (answer.detached) waiting--;
    answer.freeSlot();
    if (inFlight.size === 0) allDone?.();
  };

  const sweep = (): void => {
    tick++;
    for (const answer of inFlight) {
      const age = tick - answer.tick;
      if (age >= timeoutTicks) {
        finish(answer, false);
      } else if (age >= 2 && !answer.detached) {
        if (waiting >= maxWaiting) {
          finish(answer, false);
          continue;
        }
        answer.detached = true;
        waiting++;
        answer.freeSlot();
      }
    }
  };

  const writeSome = (answer: Answer): void => {
    answer.conn.write(answer.offset === 0 ? answer.bytes : answer.bytes.subarray(answer.offset))
      .then(
        (n) => {
          answer.offset += n;
          if (answer.offset < answer.bytes.length) writeSome(answer);
          else finish(answer, true);
        },
        (error) => {
          if (inFlight.has(answer)) report("write", answer.conn.remoteAddr, error);
          finish(answer, false);
        },
      );
  };

  const answer = (conn: Deno.Conn): PromiseLike<void> | void => {
    let bytes: Uint8Array;
    try {
      bytes = answerBytes();
    } catch (error) {
      // A clock that returns an invalid date: drop the connection rather than leak it.
      summary.dropped++;
      conn.close();
      return report("write", conn.remoteAddr, error);
    }
    const entry = new Answer(conn, bytes, tick);
    inFlight.add(entry);
    writeSome(entry);
    return entry as unknown as PromiseLike<void>;
  };

  const stop = () => {
    try {
      listener.close();
    } catch {
      // Closed already.
    }
  };
  if (signal?.aborted) stop();
  signal?.addEventListener("abort", stop, { once: true });
  const sweeper = setInterval(sweep, tickMs);

  try {
    while (!signal?.aborted) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (
          signal?.aborted || error instanceof Deno.errors.BadResource ||
          error instanceof Deno.errors.Interrupted
        ) {
          break;
        }
        // Out of file descriptors and the like: report, let connections finish, try again.
        report("accept", listener.addr, error);
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      summary.accepted++;
      if (onConnection) onConnection(conn.remoteAddr);
      // Queue without bound only up to a point: beyond it, leave clients in the kernel's backlog.
      if (pool.pending >= 4096) await pool.available();
      pool.schedule(() => answer(conn));
    }
  } finally {
    signal?.removeEventListener("abort", stop);
    stop();
    // Answer the clients already accepted, then close.
    await pool.drain();
    await pool.close();
    if (inFlight.size > 0) await new Promise<void>((resolve) => (allDone = resolve));
    clearInterval(sweeper);
  }
  return summary;
}
