import assert from "node:assert/strict";
import { shutdownSignal } from "../../../lib/process/shutdown_signal.ts";

Deno.test("shutdownSignal() aborts with the reason of the caller's own signal", () => {
  const controller = new AbortController();
  const reason = new Error("config reloaded");
  using stop = shutdownSignal(controller.signal);
  assert.equal(stop.signal.aborted, false);
  controller.abort(reason);
  assert.equal(stop.signal.reason, reason);
  using already = shutdownSignal(AbortSignal.abort(reason));
  assert.equal(already.signal.reason, reason);
});
