import assert from "node:assert/strict";
import { BufferedLineWriter } from "../lib/buffered_line_writer.ts";

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
  assert.equal(out.writes[0].split("\n").length, 1001);
  assert.ok(out.writes[0].endsWith("line 999\n"));
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
