import assert from "node:assert/strict";
import { subprocess } from "../../../lib/process/subprocess.ts";
import { LineTooLongError } from "../../../lib/net/socket_stream.ts";

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

Deno.test("subprocess() reads stdout line by line and reports the exit status", async () => {
  await using child = subprocess(["sh", "-c", "printf 'one\\r\\ntwo\\nthree'; exit 3"]);
  assert.ok(child.pid > 0);
  assert.deepEqual(await collect(child.lines()), ["one", "two", "three"]);
  const status = await child.status;
  assert.equal(status.code, 3);
  assert.equal(status.success, false);
});

Deno.test("subprocess() feeds the child's stdin when piped", async () => {
  await using child = subprocess(["cat"], { stdin: "piped" });
  const writer = child.stdin!.getWriter();
  await writer.write(new TextEncoder().encode("fed\nlines\n"));
  await writer.close();
  assert.deepEqual(await collect(child.lines()), ["fed", "lines"]);
  assert.equal((await child.status).code, 0);
});

Deno.test("subprocess() kills the child when the caller aborts", async () => {
  const controller = new AbortController();
  await using child = subprocess(["sleep", "30"], { signal: controller.signal });
  controller.abort();
  const status = await child.status;
  assert.equal(status.signal, "SIGTERM");
});

Deno.test("subprocess() refuses an already aborted signal, an empty argv, a missing program", () => {
  assert.throws(() => subprocess(["true"], { signal: AbortSignal.abort() }));
  assert.throws(() => subprocess([]), TypeError);
  assert.throws(() => subprocess(["/nonexistent/program"]), Deno.errors.NotFound);
});

Deno.test("subprocess() bounds stdout lines", async () => {
  await using child = subprocess(["sh", "-c", "head -c 5000 /dev/zero | tr '\\0' x"], {
    maxLineBytes: 1000,
  });
  await assert.rejects(collect(child.lines()), LineTooLongError);
});

Deno.test("subprocess() disposal kills and reaps a running child", async () => {
  let status: Promise<Deno.CommandStatus>;
  {
    await using child = subprocess(["sleep", "30"], { stdout: "null" });
    status = child.status;
    assert.throws(() => child.lines(), TypeError);
  }
  assert.equal((await status).signal, "SIGTERM");
});
