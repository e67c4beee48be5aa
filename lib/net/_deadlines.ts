/**
 * Read and write deadlines for a {@linkcode Duplex}, on {@linkcode startDeadline} (no Deno
 * timers, so no start-up cost). One deadline per direction watches all its calls: when it
 * expires during a call that has not yet waited the full time, it re-arms for the rest; when it
 * expires between calls, it disarms. So a long transfer holds one pending wait per direction,
 * not one per read or write.
 *
 * @module
 */

import { type Deadline, startDeadline } from "../internal/deadline.ts";
import type { Duplex } from "../io/duplex.ts";

/** The deadlines of {@linkcode withDeadlines}; `Infinity` or undefined for none. */
export interface DuplexDeadlines {
  /** Fail a read that waits longer than this for any byte. */
  readTimeoutMs?: number | undefined;
  /** Fail a write that waits longer than this for the peer to take any byte. */
  writeTimeoutMs?: number | undefined;
}

/** Watches one direction: `run` wraps each call of it. */
class Watch {
  #started = -1;
  #deadline: Deadline | undefined;
  #timedOut = false;
  #stopped = false;

  constructor(
    readonly timeoutMs: number,
    readonly onExpire: () => void,
    readonly what: string,
  ) {}

  #arm(ms: number): void {
    const current = startDeadline(ms, () => {
      if (this.#deadline !== current) return;
      this.#deadline = undefined;
      if (this.#started < 0 || this.#stopped) return;
      const waited = performance.now() - this.#started;
      if (waited >= this.timeoutMs - 1) {
        this.#timedOut = true;
        this.onExpire();
      } else {
        this.#arm(this.timeoutMs - waited);
      }
    });
    this.#deadline = current;
  }

  run<T>(call: () => Promise<T>): Promise<T> {
    this.#started = performance.now();
    if (!this.#deadline) this.#arm(this.timeoutMs);
    return call().then(this.#succeeded, this.#failed);
  }

  readonly #succeeded = <T>(value: T): T => {
    this.#started = -1;
    return value;
  };

  readonly #failed = (error: unknown): never => {
    this.#started = -1;
    if (this.#timedOut) throw new Deno.errors.TimedOut(`No ${this.what} for ${this.timeoutMs} ms`);
    throw error;
  };

  stop(): void {
    this.#stopped = true;
    this.#deadline?.cancel();
    this.#deadline = undefined;
  }
}

/**
 * Wraps `conn` so that a read or write waiting longer than its deadline closes it and throws
 * `Deno.errors.TimedOut`. Returns `conn` itself when there is no deadline to watch.
 */
export function withDeadlines(conn: Duplex, deadlines: DuplexDeadlines): Duplex {
  const readMs = deadlines.readTimeoutMs ?? Infinity;
  const writeMs = deadlines.writeTimeoutMs ?? Infinity;
  if (!Number.isFinite(readMs) && !Number.isFinite(writeMs)) return conn;
  const expire = () => {
    reads?.stop();
    writes?.stop();
    try {
      conn.close();
    } catch {
      // Closed already.
    }
  };
  const reads = Number.isFinite(readMs) ? new Watch(readMs, expire, "data") : undefined;
  const writes = Number.isFinite(writeMs)
    ? new Watch(writeMs, expire, "write progress")
    : undefined;
  const wrapped: Duplex = {
    read: reads ? (p) => reads.run(() => conn.read(p)) : (p) => conn.read(p),
    write: writes ? (p) => writes.run(() => conn.write(p)) : (p) => conn.write(p),
    close() {
      reads?.stop();
      writes?.stop();
      conn.close();
    },
  };
  if (conn.closeWrite) {
    wrapped.closeWrite = writes
      ? () => writes.run(() => conn.closeWrite!())
      : () => conn.closeWrite!();
  }
  return wrapped;
}
