import assert from "node:assert/strict";
import { type ClockEntry, schedule, unschedule } from "../../../lib/internal/shared_clock.ts";

/** The clock does not keep the process alive: the test does, with a timer it clears. */
async function keptAlive<T>(work: () => Promise<T>): Promise<T> {
  const alive = setInterval(() => {}, 1000);
  try {
    return await work();
  } finally {
    clearInterval(alive);
  }
}

Deno.test("the shared clock fires entries in time order, re-arming for one due sooner", async () => {
  await keptAlive(async () => {
    const fired: string[] = [];
    const { promise: done, resolve } = Promise.withResolvers<void>();
    const start = performance.now();
    const entry = (label: string, after: number): ClockEntry => ({
      due: start + after,
      fire() {
        fired.push(label);
        if (label === "last") resolve();
      },
    });
    schedule(entry("last", 60));
    schedule(entry("middle", 30));
    schedule(entry("first", 10)); // sooner than the armed wait: the clock arms again
    const removed = entry("removed", 20);
    schedule(removed);
    unschedule(removed);
    await done;
    assert.deepEqual(fired, ["first", "middle", "last"]);
    assert.ok(performance.now() - start >= 59, "nothing fires before its time");
  });
});

Deno.test("the shared clock fires entries due at one wake-up in time order, not the order added", async () => {
  // On a busy machine the wait ends late and finds several entries due: as here, where all are
  // due already when added, last-due first.
  await keptAlive(async () => {
    const fired: string[] = [];
    const { promise: done, resolve } = Promise.withResolvers<void>();
    const now = performance.now();
    for (const [label, ago] of [["third", 1], ["second", 2], ["first", 3]] as const) {
      schedule({
        due: now - ago,
        fire() {
          fired.push(label);
          if (fired.length === 3) resolve();
        },
      });
    }
    await done;
    assert.deepEqual(fired, ["first", "second", "third"]);
  });
});

Deno.test("a fired entry may schedule itself again", async () => {
  await keptAlive(async () => {
    const { promise: done, resolve } = Promise.withResolvers<void>();
    let fires = 0;
    const entry: ClockEntry = {
      due: performance.now() + 5,
      fire() {
        fires++;
        if (fires === 3) return resolve();
        entry.due = performance.now() + 5;
        schedule(entry);
      },
    };
    schedule(entry);
    await done;
    assert.equal(fires, 3);
  });
});
