/**
 * One deadline for a whole TCP request of the time clients (connect, then the answer), as
 * `timeoutMs` means across netkit: a signal that aborts with a timed-out `SocketError` when the
 * time is up, joined to the caller's. Private to `lib/time/`.
 *
 * @module
 */

import { type Deadline, startDeadline } from "../internal/deadline.ts";
import { SocketError } from "../net/socket_error.ts";

/** A running whole-request deadline: its signal, and how to stop it once the request is over. */
export interface WholeDeadline extends Disposable {
  /** Aborts when the time is up (with a timed-out `SocketError`) or when the caller's does. */
  readonly signal: AbortSignal;
}

/**
 * Starts `timeoutMs` for the request to `host:port`; disposing it stops the clock.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wholeDeadline } from "./_whole_deadline.ts";
 *
 * using deadline = wholeDeadline(60_000, undefined, "127.0.0.1", 13);
 * assert.equal(deadline.signal.aborted, false);
 * ```
 */
export function wholeDeadline(
  timeoutMs: number,
  caller: AbortSignal | undefined,
  host: string,
  port: number,
): WholeDeadline {
  const expiry = new AbortController();
  const clock: Deadline = startDeadline(
    timeoutMs,
    () => expiry.abort(new SocketError({ step: "read", host, port, failure: "timed-out" })),
  );
  return {
    signal: caller ? AbortSignal.any([caller, expiry.signal]) : expiry.signal,
    [Symbol.dispose]: () => clock.cancel(),
  };
}
