import assert from "node:assert/strict";
import {
  PoolClosedError,
  QueueFullError,
  WorkerCrashError,
  WorkerLoadError,
  WorkerPool,
  WorkerTaskError,
} from "../../../lib/async/worker_pool.ts";
import { PoolClosedError as TaskPoolClosedError } from "../../../lib/async/task_pool.ts";
import { run } from "../../harness/run.ts";
import { NetkitError } from "../../../lib/io/netkit_error.ts";

const WORKER = new URL("../../fixtures/pool_worker.ts", import.meta.url);
const THROWS_AT_LOAD = new URL("../../fixtures/pool_worker_throws_at_load.ts", import.meta.url);
const INIT_FAILS = new URL("../../fixtures/pool_worker_init_fails.ts", import.meta.url);
type Op = { op: "double" | "throw" | "crash" | "slow" | "add" | "spin"; n: number };

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

Deno.test("WorkerPool.close() rejects queued tasks and later runs, and lets running ones finish", async () => {
  const pool = new WorkerPool<Op, number>(WORKER, { size: 1 });
  const running = pool.run({ op: "slow", n: 20 });
  const waiting = assert.rejects(pool.run({ op: "double", n: 1 }), PoolClosedError);
  await pool.close();
  await pool.close();
  assert.equal(await running, 20);
  await waiting;
  await assert.rejects(pool.run({ op: "double", n: 1 }), PoolClosedError);
  assert.equal(PoolClosedError, TaskPoolClosedError, "one error class for both pools");
});

Deno.test("WorkerPool.drain() finishes the queue and leaves the pool open", async () => {
  await using pool = new WorkerPool<Op, number>(WORKER, { size: 1 });
  const answers = [1, 2, 3].map((n) => pool.run({ op: "slow", n }));
  await pool.drain();
  assert.equal(pool.queued + pool.running, 0);
  assert.deepEqual(await Promise.all(answers), [1, 2, 3]);
  assert.equal(await pool.run({ op: "double", n: 4 }), 8);
});

Deno.test("WorkerPool.run() rejects with the caller's reason when aborted while queued", async () => {
  await using pool = new WorkerPool<Op, number>(WORKER, { size: 1 });
  const first = pool.run({ op: "slow", n: 20 });
  const controller = new AbortController();
  const reason = new Error("stop now");
  const queued = pool.run({ op: "double", n: 1 }, { signal: controller.signal });
  assert.equal(pool.queued, 1);
  controller.abort(reason);
  await assert.rejects(queued, (error) => error === reason);
  assert.equal(pool.queued, 0, "out of the queue");
  assert.equal(await first, 20);
  await assert.rejects(
    pool.run({ op: "double", n: 1 }, { signal: AbortSignal.abort(reason) }),
    (error) => error === reason,
  );
});

Deno.test("WorkerPool.run() stops a running task's worker when aborted and carries on", async () => {
  await using pool = new WorkerPool<Op, number>(WORKER, { size: 1 });
  assert.equal(await pool.run({ op: "double", n: 1 }), 2);
  const controller = new AbortController();
  const reason = new Error("stop now");
  const spinning = pool.run({ op: "spin", n: 0 }, { signal: controller.signal });
  const next = pool.run({ op: "double", n: 5 });
  controller.abort(reason);
  await assert.rejects(spinning, (error) => error === reason);
  assert.equal(await next, 10, "a fresh worker took the queue");
  assert.equal(pool.replaced, 1);
});

Deno.test("WorkerPool stops starting a worker module that throws at load and rejects with its error", async () => {
  await using pool = new WorkerPool<number, number>(THROWS_AT_LOAD, { size: 2, startRetries: 2 });
  const tasks = [1, 2, 3].map((n) => pool.run(n));
  for (const task of tasks) {
    await assert.rejects(task, (error) => {
      assert.ok(error instanceof WorkerLoadError);
      assert.match(error.message, /failed to start: .*Cannot load the configuration/);
      assert.match((error.cause as Error).stack!, /pool_worker_throws_at_load\.ts:\d+/);
      return true;
    });
  }
  // Two workers, then at most two retries (100 ms, 200 ms back-off) and no more.
  const started = pool.started;
  assert.ok(started >= 3 && started <= 4, `started ${started} workers`);
  await assert.rejects(pool.run(1), WorkerLoadError);
  assert.equal(pool.started, started);
});

Deno.test("WorkerPool gives up on a worker whose init fails, with the worker's stack", async () => {
  await using pool = new WorkerPool<number, number>(INIT_FAILS, {
    size: 1,
    init: 1,
    startRetries: 1,
  });
  await assert.rejects(pool.run(1), (error) => {
    assert.ok(error instanceof WorkerLoadError);
    const cause = error.cause as Error;
    assert.equal(cause.name, "RangeError");
    assert.match(cause.stack!, /pool_worker_init_fails\.ts/);
    return true;
  });
  assert.equal(pool.started, 2);
});

Deno.test("WorkerPool gives up on a missing worker module", async () => {
  const missing = new URL("../../fixtures/no_such_worker.ts", import.meta.url);
  await using pool = new WorkerPool<number, number>(missing, { size: 1, startRetries: 0 });
  await assert.rejects(pool.run(1), WorkerLoadError);
  assert.equal(pool.started, 1);
});

Deno.test("A program whose worker module throws at load ends, printing a bounded error", async () => {
  const code = `
    import { WorkerPool } from ${
    JSON.stringify(new URL("../../../lib/async/worker_pool.ts", import.meta.url).href)
  };
    await using pool = new WorkerPool(${JSON.stringify(THROWS_AT_LOAD.href)}, { size: 4 });
    try {
      await pool.run(1);
    } catch (error) {
      console.log(error.name, pool.started <= 4 + 3);
    }
  `;
  const { code: exit, stdout, stderr } = await run(Deno.execPath(), ["eval", code]);
  assert.equal(exit, 0, stderr);
  assert.equal(stdout, "WorkerLoadError true\n");
  // One error report per worker started, not a flood.
  const reports = stderr.split("\n").filter((line) => line.startsWith("error: Uncaught"));
  assert.ok(reports.length >= 1 && reports.length <= 4 + 3, stderr);
});

Deno.test("WorkerPool refuses a bad size or queue bound", () => {
  for (const size of [0, -1, 1.5, NaN]) {
    assert.throws(() => new WorkerPool(WORKER, { size }), RangeError);
  }
  assert.throws(() => new WorkerPool(WORKER, { size: 1, maxQueue: -1 }), RangeError);
});

Deno.test("WorkerPool without read permission for its module rejects with MissingPermissionError, no retry", async () => {
  const script = new URL("../../fixtures/worker_pool_without_read.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await run(Deno.execPath(), ["run", "--no-prompt", script]);
  assert.equal(code, 0, stderr);
  const module = new URL("../../fixtures/pool_worker.ts", import.meta.url).pathname;
  assert.deepEqual(JSON.parse(stdout), {
    name: "MissingPermissionError",
    flag: `--allow-read=${module}`,
    started: 2,
  });
});

Deno.test("The pools' errors are NetkitErrors with a code", () => {
  const cases: [Error, string][] = [
    [new PoolClosedError(), "POOL_CLOSED"],
    [new WorkerTaskError("no"), "WORKER_TASK_FAILED"],
    [new WorkerCrashError("died"), "WORKER_CRASHED"],
    [new WorkerLoadError("file:///w.ts", new Error("boom")), "WORKER_LOAD_FAILED"],
    [new QueueFullError(1), "QUEUE_FULL"],
  ];
  for (const [error, code] of cases) {
    assert.ok(error instanceof NetkitError, error.name);
    assert.equal((error as NetkitError).code, code);
  }
  assert.ok(new QueueFullError(1) instanceof RangeError);
});

Deno.test("WorkerPool.ready() resolves once every worker has loaded, rejects when they cannot", async () => {
  await using good = new WorkerPool<Op, number>(WORKER, { size: 2, init: 1 });
  await good.ready();
  await good.ready(); // again, at once
  await using bad = new WorkerPool(THROWS_AT_LOAD, { size: 1, startRetries: 0 });
  await assert.rejects(bad.ready(), WorkerLoadError);
  const closed = new WorkerPool<Op, number>(WORKER, { size: 1 });
  const waiting = assert.rejects(closed.ready(), PoolClosedError);
  await closed.close();
  await waiting;
});
