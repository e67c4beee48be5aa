import assert from "node:assert/strict";
import { PoolClosedError, TaskPool } from "../../../lib/async/task_pool.ts";

/** A promise with its resolve function outside, to release a task when the test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

Deno.test("TaskPool runs at most `concurrency` tasks at once", async () => {
  const pool = new TaskPool(3);
  let running = 0;
  let peak = 0;
  const gates = Array.from({ length: 10 }, gate);
  for (const g of gates) {
    pool.schedule(async () => {
      running++;
      peak = Math.max(peak, running);
      await g.promise;
      running--;
    });
  }
  assert.equal(pool.active, 3);
  assert.equal(pool.pending, 7);
  assert.equal(pool.full, true);
  for (const g of gates) g.open();
  await pool.drain();
  assert.equal(peak, 3);
  assert.equal(pool.active, 0);
  assert.equal(pool.pending, 0);
});

Deno.test("TaskPool starts queued tasks in the order they were scheduled", async () => {
  const pool = new TaskPool(2);
  const order: number[] = [];
  for (let i = 0; i < 20; i++) {
    pool.schedule(async () => {
      order.push(i);
      await Promise.resolve();
    });
  }
  await pool.drain();
  await pool.close();
  assert.deepEqual(order, Array.from({ length: 20 }, (_, i) => i));
});

Deno.test("TaskPool survives tasks that throw, reject or throw non-errors", async () => {
  const errors: unknown[] = [];
  const pool = new TaskPool(2, { onError: (error) => errors.push(error) });
  let done = 0;
  pool.schedule(() => {
    throw new Error("sync");
  });
  pool.schedule(() => Promise.reject(new Error("async")));
  pool.schedule(() => {
    throw "a string";
  });
  for (let i = 0; i < 5; i++) pool.schedule(() => Promise.resolve(void done++));
  await pool.drain();
  assert.equal(done, 5);
  const messages = errors.map((e) => (e instanceof Error ? e.message : e));
  assert.deepEqual(messages.sort(), ["a string", "async", "sync"]);
});

Deno.test("TaskPool survives an onError handler that throws", async () => {
  const pool = new TaskPool(1, {
    onError: () => {
      throw new Error("handler");
    },
  });
  let done = false;
  pool.schedule(() => Promise.reject(new Error("task")));
  pool.schedule(() => void (done = true));
  await pool.drain();
  assert.equal(done, true);
});

Deno.test("TaskPool.run() resolves to the result and rejects with the task's error", async () => {
  const errors: unknown[] = [];
  await using pool = new TaskPool(1, { onError: (error) => errors.push(error) });
  assert.equal(await pool.run(() => Promise.resolve(42)), 42);
  assert.equal(await pool.run(() => "sync"), "sync");
  await assert.rejects(pool.run(() => Promise.reject(new TypeError("no"))), TypeError);
  assert.equal(errors.length, 0);
});

Deno.test("TaskPool.close() refuses new tasks and waits for running ones", async () => {
  const pool = new TaskPool(2);
  const g = gate();
  let finished = false;
  pool.schedule(async () => {
    await g.promise;
    finished = true;
  });
  const closing = pool.close();
  assert.equal(pool.closed, true);
  assert.throws(() => pool.schedule(() => {}), PoolClosedError);
  await assert.rejects(pool.run(() => 1), PoolClosedError);
  g.open();
  await closing;
  assert.equal(finished, true);
  await pool.close(); // twice is harmless
});

Deno.test("TaskPool.available() waits for a free slot", async () => {
  const pool = new TaskPool(1);
  const g = gate();
  pool.schedule(() => g.promise);
  let ready = false;
  const waiting = pool.available().then(() => (ready = true));
  await Promise.resolve();
  assert.equal(ready, false);
  g.open();
  await waiting;
  assert.equal(pool.full, false);
  await pool.close();
});

Deno.test("TaskPool runs a long queue of synchronous tasks without deep recursion", async () => {
  const pool = new TaskPool(1);
  const g = gate();
  pool.schedule(() => g.promise);
  let count = 0;
  for (let i = 0; i < 200_000; i++) pool.schedule(() => void count++);
  g.open();
  await pool.drain();
  assert.equal(count, 200_000);
});

Deno.test("TaskPool lets a task schedule more tasks", async () => {
  const pool = new TaskPool(2);
  const seen: number[] = [];
  const spawn = (depth: number) => {
    seen.push(depth);
    if (depth < 50) {
      pool.schedule(() => spawn(depth + 1));
      pool.schedule(() => Promise.resolve(seen.push(-1)));
    }
  };
  pool.schedule(() => spawn(0));
  await pool.drain();
  assert.equal(seen.filter((d) => d >= 0).length, 51);
  assert.equal(seen.filter((d) => d < 0).length, 50);
});

Deno.test("TaskPool rejects a bad concurrency", () => {
  for (const n of [0, -1, 1.5, NaN, Infinity]) {
    assert.throws(() => new TaskPool(n), RangeError, String(n));
  }
});

Deno.test("TaskPool.run() rejects with the caller's reason when aborted while queued; the task never starts", async () => {
  await using pool = new TaskPool(1);
  const g = gate();
  const first = pool.run(() => g.promise);
  const controller = new AbortController();
  const reason = new Error("stop now");
  let started = false;
  const queued = pool.run(() => void (started = true), { signal: controller.signal });
  assert.equal(pool.pending, 1);
  controller.abort(reason);
  await assert.rejects(queued, (error) => error === reason);
  assert.equal(pool.pending, 0, "out of the queue");
  g.open();
  await first;
  await pool.drain();
  assert.equal(started, false);
  await assert.rejects(
    pool.run(() => 1, { signal: AbortSignal.abort(reason) }),
    (error) => error === reason,
  );
});

Deno.test("TaskPool.run() hands the signal to a running task and rejects with its reason at once", async () => {
  await using pool = new TaskPool(1);
  const controller = new AbortController();
  const reason = new Error("stop now");
  let seen: AbortSignal | undefined;
  const g = gate();
  const running = pool.run((signal) => {
    seen = signal;
    return g.promise.then(() => "late");
  }, { signal: controller.signal });
  controller.abort(reason);
  await assert.rejects(running, (error) => error === reason);
  assert.equal(seen, controller.signal);
  assert.equal(pool.active, 1, "the slot is the task's until it returns");
  g.open();
  await pool.drain();
  assert.equal(pool.active, 0);
});

Deno.test("TaskPool.close() drops queued tasks: run() rejects, schedule() reports to onError", async () => {
  const errors: unknown[] = [];
  const pool = new TaskPool(1, { onError: (error) => errors.push(error) });
  const g = gate();
  const running = pool.run(() => g.promise.then(() => "finished"));
  const queued = assert.rejects(pool.run(() => "never"), PoolClosedError);
  pool.schedule(() => {
    throw new Error("never runs");
  });
  const closing = pool.close();
  await queued;
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof PoolClosedError);
  g.open();
  assert.equal(await running, "finished");
  await closing;
});
