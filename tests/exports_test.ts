/**
 * Every name the flat `mod.ts` exported before the packages split (the list in
 * `tests/fixtures/mod_exports_before_packages.txt`) is still exported by one of the package's
 * entry points (`deno.json` `exports`), so no user import is left without a home.
 */

import assert from "node:assert/strict";
import { ROOT, runDeno } from "./harness/run.ts";

Deno.test("every name the old mod.ts exported is reachable from an entry point of deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)) as {
    exports: Record<string, string>;
  };
  const entryPoints = Object.values(config.exports);
  assert.ok(entryPoints.includes("./mod.ts"));
  const doc = await runDeno(["doc", "--json", ...entryPoints], { timeoutMs: 120_000 });
  assert.equal(doc.code, 0, doc.stderr);
  const { nodes } = JSON.parse(doc.stdout) as {
    nodes: Record<string, { symbols?: { name: string }[] }>;
  };
  const exported = new Set(
    Object.values(nodes).flatMap((node) => (node.symbols ?? []).map((symbol) => symbol.name)),
  );
  const before = (await Deno.readTextFile(`${ROOT}/tests/fixtures/mod_exports_before_packages.txt`))
    .split("\n").filter((name) => name !== "");
  assert.equal(before.length, 215);
  assert.deepEqual(before.filter((name) => !exported.has(name)), []);
});
