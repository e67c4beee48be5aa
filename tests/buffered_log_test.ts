import assert from "node:assert/strict";
import { BufferedLog } from "../lib/buffered_log.ts";

function recorder() {
  const writes: string[] = [];
  const writer = {
    write(p: Uint8Array) {
      writes.push(new TextDecoder().decode(p));
      return Promise.resolve(p.length);
    },
  };
  return { writes, writer };
}

Deno.test("BufferedLog writes many lines in one write", async () => {
  const { writes, writer } = recorder();
  await using log = new BufferedLog({ writer });
  for (let i = 0; i < 1000; i++) log.line(`line ${i}`);
  assert.equal(writes.length, 0);
  await log.flush();
  assert.equal(writes.length, 1);
  assert.equal(writes[0].split("\n").length, 1001);
});

Deno.test("BufferedLog flushes by itself after flushMs", async () => {
  const written = Promise.withResolvers<string>();
  const writer = {
    write(p: Uint8Array) {
      written.resolve(new TextDecoder().decode(p));
      return Promise.resolve(p.length);
    },
  };
  const log = new BufferedLog({ writer, flushMs: 1 });
  log.line("soon");
  assert.equal(await written.promise, "soon\n");
});

Deno.test("BufferedLog drops lines beyond its bound when the writer falls behind", async () => {
  const release = Promise.withResolvers<void>();
  const writes: string[] = [];
  const writer = {
    async write(p: Uint8Array) {
      await release.promise;
      writes.push(new TextDecoder().decode(p));
      return p.length;
    },
  };
  const log = new BufferedLog({ writer, maxBufferBytes: 100 });
  // 11 bytes a line: the first buffer is sent once half full (5 lines) and the writer stalls;
  // the second buffer takes 9 lines; the rest are dropped.
  for (let i = 0; i < 100; i++) log.line("0123456789");
  assert.equal(log.dropped, 86);
  release.resolve();
  await log.flush();
  assert.deepEqual(writes.map((text) => text.length), [55, 99]);
});

Deno.test("BufferedLog drops a line longer than its buffer", async () => {
  const { writes, writer } = recorder();
  await using log = new BufferedLog({ writer, maxBufferBytes: 16 });
  log.line("x".repeat(100));
  log.line("short");
  await log.flush();
  assert.equal(log.dropped, 1);
  assert.deepEqual(writes, ["short\n"]);
});
