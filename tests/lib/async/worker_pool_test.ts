import assert from "node:assert/strict";
import {
  QueueFullError,
  WorkerCrashError,
  WorkerPool,
  WorkerTaskError,
} from "../../../lib/async/worker_pool.ts";

const WORKER = new URL("../../fixtures/pool_worker.ts", import.meta.url);
type Op = { op: "double" | "throw" | "crash" | "slow" | "add"; n: number };

Deno.test("WorkerPool.run() answers tasks on every worker", async () => {
  await using pool = new WorkerPool<Op, number>(WORKER, { size: 3 });
  assert.equal(pool.size, 3);
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, n) => pool.run({ op: "double", n })),
  );
  assert.deepEqual(results, Array.from({ length: 50 }, (_, n) => n * 2));
});

Deno.test("WorkerPool defaults to one worker per core", async () => {
  await using pool = new WorkerPool(WORKER);
  assert.equal(pool.size, navigator.hardwareConcurrency);
});

Deno.test("WorkerPool posts init to every worker before its first task", async () => {
  await using pool = new WorkerPool<Op, number>(WORKER, { size: 2, init: 100 });
  const results = await Promise.all([1, 2, 3, 4].map((n) => pool.run({ op: "add", n })));
  assert.deepEqual(results, [101, 102, 103, 104]);
});

Deno.test("WorkerPool.run() rejects only the task whose worker function throws", async () => {
  await using pool = new WorkerPool<Op, number>(WORKER, { size: 1 });
  const [good, bad, after] = await Promise.allSettled([
    pool.run({ op: "double", n: 1 }),
    pool.run({ op: "throw", n: 7 }),
    pool.run({ op: "double", n: 3 }),
  ]);
  assert.deepEqual(good, { status: "fulfilled", value: 2 });
  assert.equal(bad.status, "rejected");
  const error = (bad as PromiseRejectedResult).reason;
  assert.ok(error instanceof WorkerTaskError);
  assert.equal(error.remoteName, "TypeError");
  assert.equal(error.message, 'Bad number "7"');
  assert.deepEqual(after, { status: "fulfilled", value: 6 });
  assert.equal(pool.replaced, 0);
});

Deno.test("WorkerPool replaces a worker that dies and rejects its task only", async () => {
  await using pool = new WorkerPool<Op, number>(WORKER, { size: 1, init: 5 });
  const crashed = pool.run({ op: "crash", n: 0 });
  const queued = pool.run({ op: "add", n: 1 });
  await assert.rejects(crashed, WorkerCrashError);
  assert.equal(await queued, 6, "the replacement got init too");
  assert.equal(pool.replaced, 1);
  assert.equal(await pool.run({ op: "double", n: 21 }), 42);
});

Deno.test("WorkerPool.run() refuses tasks beyond the queue bound", async () => {
  await using pool = new WorkerPool<Op, number>(WORKER, { size: 1, maxQueue: 2 });
  const running = [
    pool.run({ op: "slow", n: 50 }),
    pool.run({ op: "slow", n: 1 }),
    pool.run({ op: "slow", n: 1 }),
  ];
  assert.equal(pool.queued, 2);
  await assert.rejects(pool.run({ op: "double", n: 1 }), QueueFullError);
  assert.deepEqual(await Promise.all(running), [50, 1, 1]);
});

Deno.test("WorkerPool.close() rejects waiting tasks and later runs", async () => {
  const pool = new WorkerPool<Op, number>(WORKER, { size: 1 });
  const running = pool.run({ op: "slow", n: 10_000 });
  const waiting = pool.run({ op: "double", n: 1 });
  await pool.close();
  await pool.close();
  await assert.rejects(running, /closed/);
  await assert.rejects(waiting, /closed/);
  await assert.rejects(pool.run({ op: "double", n: 1 }), /closed/);
});

Deno.test("WorkerPool refuses a bad size or queue bound", () => {
  for (const size of [0, -1, 1.5, NaN]) {
    assert.throws(() => new WorkerPool(WORKER, { size }), RangeError);
  }
  assert.throws(() => new WorkerPool(WORKER, { size: 1, maxQueue: -1 }), RangeError);
});
