import assert from "node:assert/strict";
import { LruCache } from "../../../lib/async/lru_cache.ts";

Deno.test("LruCache evicts the least recently used entry", () => {
  const cache = new LruCache<string, number>(2);
  cache.set("a", 1);
  cache.set("b", 2);
  assert.equal(cache.get("a"), 1);
  cache.set("c", 3);
  assert.equal(cache.get("b"), undefined);
  assert.equal(cache.get("a"), 1);
  assert.equal(cache.get("c"), 3);
  assert.equal(cache.size, 2);
  assert.equal(cache.stats.evictions, 1);
});

Deno.test("LruCache.getOrCompute() computes once for 100 concurrent misses", async () => {
  const cache = new LruCache<string, string>(10);
  let runs = 0;
  const { promise, resolve } = Promise.withResolvers<string>();
  const compute = () => (runs++, promise);
  const answers = Array.from({ length: 100 }, () => cache.getOrCompute("k", compute));
  resolve("v");
  for (const answer of await Promise.all(answers)) {
    assert.deepEqual(answer, { value: "v", cached: false });
  }
  assert.equal(runs, 1);
  assert.deepEqual(await cache.getOrCompute("k", compute), { value: "v", cached: true });
  assert.deepEqual(
    { ...cache.stats },
    { hits: 1, misses: 100, joined: 99, computations: 1, failures: 0, evictions: 0 },
  );
});

Deno.test("LruCache.getOrCompute() does not cache a failure", async () => {
  const cache = new LruCache<string, string>(10);
  const failing = () => Promise.reject(new Error("no"));
  await assert.rejects(
    Promise.all([cache.getOrCompute("k", failing), cache.getOrCompute("k", failing)]),
    /no/,
  );
  assert.equal(cache.stats.failures, 1);
  assert.deepEqual(await cache.getOrCompute("k", () => Promise.resolve("yes")), {
    value: "yes",
    cached: false,
  });
});

Deno.test("LruCache with capacity 0 keeps nothing but still shares computations", async () => {
  const cache = new LruCache<string, string>(0);
  let runs = 0;
  const compute = () => Promise.resolve(`run ${++runs}`);
  await Promise.all([cache.getOrCompute("k", compute), cache.getOrCompute("k", compute)]);
  assert.equal(runs, 1);
  assert.equal(cache.size, 0);
  await cache.getOrCompute("k", compute);
  assert.equal(runs, 2);
});

Deno.test("LruCache refuses a bad capacity", () => {
  for (const capacity of [-1, 1.5, NaN]) assert.throws(() => new LruCache(capacity), RangeError);
});

Deno.test("LruCache bounds the total weight and skips a value heavier than the bound", () => {
  const cache = new LruCache<string, string>(100, { maxWeight: 10, weigh: (text) => text.length });
  cache.set("a", "12345");
  cache.set("b", "12345");
  assert.equal(cache.weight, 10);
  cache.set("c", "123");
  assert.equal(cache.get("a"), undefined);
  assert.equal(cache.weight, 8);
  cache.set("huge", "x".repeat(11));
  assert.equal(cache.get("huge"), undefined);
  cache.set("b", "1");
  assert.equal(cache.weight, 4);
  assert.throws(() => new LruCache(1, { maxWeight: -1 }), RangeError);
});
