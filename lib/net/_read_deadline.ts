/**
 * A read timeout for a {@linkcode Duplex}, on {@linkcode startDeadline} (no Deno timers, so no
 * start-up cost). One deadline watches all reads: when it expires during a read that has not yet
 * waited the full time, it re-arms for the rest; when it expires between reads, it disarms. So a
 * long download holds one pending wait, not one per read.
 *
 * @module
 */

import { type Deadline, startDeadline } from "../internal/deadline.ts";
import type { Duplex } from "../io/duplex.ts";

/** Wraps `conn` so that a read waiting longer than `timeoutMs` closes it and throws `TimedOut`. */
export function withReadDeadline(conn: Duplex, timeoutMs: number): Duplex {
  let readStart = -1;
  let deadline: Deadline | undefined;
  let timedOut = false;
  let closed = false;
  const arm = (ms: number) => {
    const current = startDeadline(ms, () => {
      if (deadline !== current) return;
      deadline = undefined;
      if (readStart < 0 || closed) return;
      const waited = performance.now() - readStart;
      if (waited >= timeoutMs - 1) {
        timedOut = true;
        conn.close();
      } else {
        arm(timeoutMs - waited);
      }
    });
    deadline = current;
  };
  const wrapped: Duplex = {
    async read(p) {
      readStart = performance.now();
      if (!deadline) arm(timeoutMs);
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
      closed = true;
      deadline?.cancel();
      deadline = undefined;
      conn.close();
    },
  };
  if (conn.closeWrite) wrapped.closeWrite = () => conn.closeWrite!();
  return wrapped;
}
