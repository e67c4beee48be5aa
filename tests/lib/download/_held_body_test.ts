import assert from "node:assert/strict";
import { HELD_BODY_MEMORY_BYTES, HeldBody } from "../../../lib/download/_held_body.ts";

/** `length` bytes, each told apart from its neighbours by its place (from `seed`). */
function pattern(length: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

/** The bytes `held` writes to a new file in `dir`, and whether it had to be awaited. */
async function copied(held: HeldBody, dir: string): Promise<[Uint8Array, boolean]> {
  const path = await Deno.makeTempFile({ dir, prefix: "out-" });
  try {
    using file = await Deno.open(path, { write: true });
    const copying = held.copyTo(file);
    await copying;
    return [await Deno.readFile(path), copying !== undefined];
  } finally {
    await Deno.remove(path);
  }
}

/** The names in `dir`. */
function namesIn(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}

Deno.test("HeldBody keeps a body under the cap in memory: no file, written at once", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using held = new HeldBody({ memoryBytes: 8, tempDir: dir });
    held.push(pattern(5));
    held.push(pattern(3, 5));
    assert.deepEqual(namesIn(dir), []);
    const [bytes, awaited] = await copied(held, dir);
    assert.deepEqual(bytes, new Uint8Array([...pattern(5), ...pattern(3, 5)]));
    assert.equal(awaited, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HeldBody past the cap goes to a temporary file, removed at once, and comes back whole", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using held = new HeldBody({ memoryBytes: 1000, tempDir: dir });
    const chunks = [pattern(600), pattern(600, 1), pattern(300_000, 2), pattern(1, 3)];
    for (const chunk of chunks) held.push(chunk);
    assert.equal(held.bytes, 301_201);
    // (Only its open descriptor keeps it: nothing to see, nothing left if the run is killed.)
    assert.deepEqual(namesIn(dir), []);
    const [bytes, awaited] = await copied(held, dir);
    assert.deepEqual(bytes, new Uint8Array(chunks.flatMap((chunk) => [...chunk])));
    assert.equal(awaited, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HeldBody.push() keeps a copy: the reader may reuse its buffer", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using held = new HeldBody({ tempDir: dir });
    const buffer = pattern(4);
    held.push(buffer);
    buffer.fill(0);
    assert.deepEqual((await copied(held, dir))[0], pattern(4));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HeldBody stays in memory where no temporary file can be made", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using held = new HeldBody({ memoryBytes: 2, tempDir: `${dir}/missing` });
    held.push(pattern(10));
    held.push(pattern(10, 10));
    const [bytes, awaited] = await copied(held, dir);
    assert.deepEqual(bytes, new Uint8Array([...pattern(10), ...pattern(10, 10)]));
    assert.equal(awaited, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HeldBody's disposal closes the temporary file; twice is harmless", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const held = new HeldBody({ memoryBytes: 1, tempDir: dir });
    held.push(pattern(10));
    held[Symbol.dispose]();
    held[Symbol.dispose]();
    // (The resource sanitizer fails the test where the file is still open.)
    assert.deepEqual(namesIn(dir), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HeldBody.chunks() reads the bytes held back, past the cap as under it, and a push after them appends", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const memoryBytes of [HELD_BODY_MEMORY_BYTES, 1000]) {
      using held = new HeldBody({ memoryBytes, tempDir: dir });
      const chunks = [pattern(600), pattern(300_000, 1), pattern(7, 2)];
      for (const chunk of chunks) held.push(chunk);
      assert.deepEqual(readBack(held), joined(chunks), `cap ${memoryBytes}`);
      // Read again after a reading stopped halfway (from the first byte), and pushed to after.
      for (const _ of held.chunks()) break;
      held.push(pattern(3, 9));
      assert.deepEqual(readBack(held), joined([...chunks, pattern(3, 9)]), `cap ${memoryBytes}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** `chunks` one after the other. */
function joined(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return all;
}

/** What `held.chunks()` gives, each chunk copied as it comes (the file's share one buffer). */
function readBack(held: HeldBody): Uint8Array {
  return joined(Array.from(held.chunks(), (chunk) => chunk.slice()));
}
