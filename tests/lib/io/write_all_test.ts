import assert from "node:assert/strict";
import { writeAll } from "../../../lib/io/write_all.ts";

Deno.test("writeAll() loops over partial writes until every byte is taken", async () => {
  const taken: number[] = [];
  const dribble = {
    write: (
      p: Uint8Array,
    ) => (taken.push(...p.subarray(0, 2)), Promise.resolve(Math.min(2, p.length))),
  };
  await writeAll(dribble, new Uint8Array([1, 2, 3, 4, 5]));
  assert.deepEqual(taken, [1, 2, 3, 4, 5]);
});

Deno.test("writeAll() refuses a writer that takes no byte, or claims more than it was given", async () => {
  // Either would loop for ever (on promises alone, so not even a timer could stop it) or skip data.
  for (const count of [0, -1, 7, NaN]) {
    const writer = { write: () => Promise.resolve(count) };
    await assert.rejects(writeAll(writer, new Uint8Array(5)), (error) => {
      assert.ok(error instanceof Deno.errors.WriteZero, String(error));
      assert.match((error as Error).message, new RegExp(`"${count}"`));
      return true;
    });
  }
  // Nothing to write is no write at all.
  await writeAll({ write: () => Promise.reject(new Error("not called")) }, new Uint8Array(0));
});
