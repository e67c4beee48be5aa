import assert from "node:assert/strict";
import { fuzz, FuzzFailure, mutate, Rng } from "./_harness.ts";
import { ALL_TARGETS } from "./targets.ts";

Deno.test("Rng gives the same sequence for the same seed", () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const first = Array.from({ length: 8 }, () => a.next());
  assert.deepEqual(first, Array.from({ length: 8 }, () => b.next()));
  assert.notDeepEqual(first, Array.from({ length: 8 }, () => c.next()));
});

Deno.test("mutate() changes inputs and stays deterministic", () => {
  const seed = new TextEncoder().encode("GET / HTTP/1.1\r\n");
  const one = Array.from({ length: 50 }, (_, i) => mutate(new Rng(i), seed, ["\r\n"]));
  const two = Array.from({ length: 50 }, (_, i) => mutate(new Rng(i), seed, ["\r\n"]));
  assert.deepEqual(one, two);
  assert.ok(one.some((m) => m.length !== seed.length || m.some((b, i) => b !== seed[i])));
});

Deno.test("fuzz() reports an unexpected error with the input", async () => {
  const target = {
    name: "throws on 'boom'",
    seeds: ["ok", "boom"],
    run: (input: Uint8Array) => {
      if (new TextDecoder().decode(input) === "boom") throw new Error("boom");
    },
    isExpectedError: () => false,
  };
  await assert.rejects(fuzz(target, { iterations: 0 }), FuzzFailure);
});

for (const target of ALL_TARGETS) {
  Deno.test(`fuzz: ${target.name} survives 3,000 mutated inputs`, async () => {
    const report = await fuzz(target, { iterations: 3_000, seed: 7 });
    assert.equal(report.iterations, target.seeds.length + 3_000);
    assert.equal(report.accepted + report.rejected, report.iterations);
  });
}
