import assert from "node:assert/strict";
import { BufferedLineWriter } from "../../../lib/io/buffered_line_writer.ts";

/** A sink that records each write; `gate` holds writes until opened. */
function sink(options: { fail?: boolean } = {}) {
  const writes: string[] = [];
  let open: () => void = () => {};
  let gate: Promise<void> | null = null;
  return {
    writes,
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      gate = null;
      open();
    },
    async write(p: Uint8Array): Promise<number> {
      if (gate) await gate;
      if (options.fail) throw new Deno.errors.BrokenPipe("gone");
      writes.push(new TextDecoder().decode(p));
      return p.length;
    },
  };
}

Deno.test("BufferedLineWriter writes many lines in one write", async () => {
  const out = sink();
  const log = new BufferedLineWriter(out);
  for (let i = 0; i < 1000; i++) log.writeLine(`line ${i}`);
  await log.flush();
  assert.equal(out.writes.length, 1);
  assert.equal(out.writes[0]?.split("\n").length, 1001);
  assert.ok(out.writes[0]?.endsWith("line 999\n"));
});

Deno.test("BufferedLineWriter writes by itself after the delay", async () => {
  const out = sink();
  const log = new BufferedLineWriter(out, { flushDelayMs: 1 });
  log.writeLine("hello");
  while (out.writes.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  assert.deepEqual(out.writes, ["hello\n"]);
  await log.flush();
});

Deno.test("BufferedLineWriter drops lines beyond its limit while the reader stalls, and says so", async () => {
  const out = sink();
  out.hold();
  const log = new BufferedLineWriter(out, { maxBufferedBytes: 100 });
  log.writeLine("first");
  const flushing = log.flush();
  for (let i = 0; i < 100; i++) log.writeLine(`line ${i}`); // about 7 bytes each
  assert.ok(log.dropped > 80);
  out.release();
  await flushing;
  const text = out.writes.join("");
  assert.match(text, /^first\nline 0\n/);
  assert.match(text, /\(\d+ log lines dropped\)\n$/);
});

Deno.test("BufferedLineWriter swallows write errors", async () => {
  const log = new BufferedLineWriter(sink({ fail: true }));
  log.writeLine("lost");
  await log.flush();
  log.writeLine("lost too");
  await log.flush();
});

Deno.test("BufferedLineWriter flush with nothing buffered returns at once", async () => {
  const out = sink();
  await using log = new BufferedLineWriter(out);
  await log.flush();
  assert.deepEqual(out.writes, []);
});

Deno.test("BufferedLineWriter writes nothing until flushed or due", async () => {
  const out = sink();
  await using log = new BufferedLineWriter(out, { flushDelayMs: 60_000 });
  for (let i = 0; i < 10; i++) log.writeLine(`line ${i}`);
  assert.deepEqual(out.writes, []);
  await log.flush();
  assert.equal(out.writes.length, 1);
});

Deno.test("BufferedLineWriter starts a write once a buffer is half full and fills the other meanwhile", async () => {
  const out = sink();
  out.hold();
  const log = new BufferedLineWriter(out, { maxBufferedBytes: 100 });
  // 11 bytes a line: the first buffer goes out once half full (5 lines) and the reader stalls;
  // the second buffer takes 9 lines; the other 86 are dropped.
  for (let i = 0; i < 100; i++) log.writeLine("0123456789");
  assert.equal(log.dropped, 86);
  out.release();
  await log.flush();
  assert.deepEqual(out.writes.map((text) => text.length), [55, 99, 23]);
  assert.equal(out.writes[2], "(86 log lines dropped)\n");
  assert.equal(log.dropped, 86);
});

Deno.test("BufferedLineWriter drops a line longer than its buffer", async () => {
  const out = sink();
  await using log = new BufferedLineWriter(out, { maxBufferedBytes: 64 });
  log.writeLine("x".repeat(100));
  log.writeLine("short");
  await log.flush();
  assert.equal(log.dropped, 1);
  assert.deepEqual(out.writes, ["short\n(1 log lines dropped)\n"]);
});

Deno.test("BufferedLineWriter measures a line by its UTF-8 size and leaves no part of a dropped one", async () => {
  const out = sink();
  await using log = new BufferedLineWriter(out, { maxBufferedBytes: 16 });
  log.writeLine("é".repeat(8)); // 16 bytes and a LF: too long, though 8 characters
  log.writeLine("ab");
  await log.flush();
  assert.deepEqual(out.writes, ["ab\n", "(1 log lines dropped)\n"]);
});

Deno.test("BufferedLineWriter's dispose gives up on a writer that never takes the bytes", async () => {
  const stuck = { write: () => new Promise<number>(() => {}) };
  const log = new BufferedLineWriter(stuck, { flushDelayMs: 1, closeTimeoutMs: 10 });
  log.writeLine("nobody reads this");
  await log[Symbol.asyncDispose](); // resolves after 10 ms instead of never
});

Deno.test("BufferedLineWriter still takes the deprecated disposeTimeoutMs", async () => {
  const stuck = { write: () => new Promise<number>(() => {}) };
  const log = new BufferedLineWriter(stuck, { flushDelayMs: 1, disposeTimeoutMs: 10 });
  log.writeLine("nobody reads this");
  await log[Symbol.asyncDispose](); // resolves after 10 ms instead of never
});
