import assert from "node:assert/strict";
import { run } from "../../harness/run.ts";

Deno.test("worker_entry.ts, the worker side of a pool, loads nothing else of netkit", async () => {
  const entry = new URL("../../../lib/async/worker_entry.ts", import.meta.url);
  const { code, stdout, stderr } = await run(Deno.execPath(), ["info", "--json", entry.pathname]);
  assert.equal(code, 0, stderr);
  const graph = JSON.parse(stdout) as { modules: { specifier: string }[] };
  const root = new URL("../../../", import.meta.url).href;
  const files = graph.modules.map((module) => module.specifier.replace(root, "")).sort();
  assert.deepEqual(files, ["lib/async/_worker_protocol.ts", "lib/async/worker_entry.ts"]);
});
