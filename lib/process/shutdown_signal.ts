/**
 * SIGINT and SIGTERM as an `AbortSignal`: how a server learns it should stop accepting, let what
 * is in flight finish, and exit.
 *
 * @module
 */

/** The signals that stop a netkit server. */
const STOP_SIGNALS: readonly Deno.Signal[] = ["SIGINT", "SIGTERM"];

/**
 * An `AbortSignal` that aborts on SIGINT or SIGTERM (or when `also` aborts). Dispose of it (with
 * `using`) to remove the signal listeners, so the process can exit without one.
 *
 * @param also Another signal to follow, e.g. a test's; its reason becomes the reason.
 * @returns The signal, and its disposer.
 *
 * @example Stop a server on Ctrl-C
 * ```ts
 * import assert from "node:assert/strict";
 * import { shutdownSignal } from "@netkit/netkit/process";
 *
 * // A test stands in for Ctrl-C: SIGINT or SIGTERM would abort the signal the same way.
 * const test = new AbortController();
 * using shutdown = shutdownSignal(test.signal);
 * assert.equal(shutdown.signal.aborted, false);
 * test.abort();
 * assert.equal(shutdown.signal.aborted, true);
 * ```
 */
export function shutdownSignal(also?: AbortSignal): { signal: AbortSignal } & Disposable {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  // The caller's own signal passes its reason on, as every netkit cancellation does.
  const onAlso = () => stop.abort(also?.reason);
  for (const name of STOP_SIGNALS) Deno.addSignalListener(name, onSignal);
  also?.addEventListener("abort", onAlso, { once: true });
  if (also?.aborted) onAlso();
  return {
    signal: stop.signal,
    [Symbol.dispose]() {
      for (const name of STOP_SIGNALS) Deno.removeSignalListener(name, onSignal);
      also?.removeEventListener("abort", onAlso);
    },
  };
}
