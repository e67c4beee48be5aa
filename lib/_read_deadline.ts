/**
 * A read timeout for a {@linkcode Duplex} without `setTimeout`: Deno loads its timer machinery on
 * the first `setTimeout`, which costs a command several milliseconds of start-up, while
 * `AbortSignal.timeout` does not. One signal watches all reads: when it fires during a read that
 * has not yet waited the full time, it re-arms for the rest; when it fires between reads, it
 * disarms. So a long download holds one pending timer, not one per read.
 *
 * @module
 */

import type { Duplex } from "./socket_stream.ts";

/** Wraps `conn` so that a read waiting longer than `timeoutMs` closes it and throws `TimedOut`. */
export function withReadDeadline(conn: Duplex, timeoutMs: number): Duplex {
  let readStart = -1;
  let signal: AbortSignal | undefined;
  let timedOut = false;
  const disarm = () => {
    signal?.removeEventListener("abort", onAbort);
    signal = undefined;
  };
  const arm = (ms: number) => {
    signal = AbortSignal.timeout(Math.max(1, Math.ceil(ms)));
    signal.addEventListener("abort", onAbort, { once: true });
  };
  function onAbort() {
    signal = undefined;
    if (readStart < 0) return;
    const waited = performance.now() - readStart;
    if (waited >= timeoutMs - 1) {
      timedOut = true;
      conn.close();
    } else {
      arm(timeoutMs - waited);
    }
  }
  const wrapped: Duplex = {
    async read(p) {
      readStart = performance.now();
      if (!signal) arm(timeoutMs);
      try {
        return await conn.read(p);
      } catch (error) {
        if (timedOut) throw new Deno.errors.TimedOut(`No data for ${timeoutMs} ms`);
        throw error;
      } finally {
        readStart = -1;
      }
    },
    write: (p) => conn.write(p),
    close() {
      disarm();
      conn.close();
    },
  };
  if (conn.closeWrite) wrapped.closeWrite = () => conn.closeWrite!();
  return wrapped;
}
