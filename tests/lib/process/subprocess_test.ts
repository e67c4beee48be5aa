import assert from "node:assert/strict";
import { subprocess } from "../../../lib/process/subprocess.ts";
import { LineTooLongError } from "../../../lib/net/socket_stream.ts";
import { run } from "../../harness/run.ts";
import { groupGone, liveGroupMembers } from "../../harness/process_group.ts";

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

Deno.test("subprocess() kills the child when the caller aborts and rejects with the reason", async () => {
  const controller = new AbortController();
  const reason = new Error("stop now");
  let status: Promise<Deno.CommandStatus>;
  {
    await using child = subprocess(["sh", "-c", "echo started; exec sleep 30"], {
      signal: controller.signal,
      stderr: "collect",
    });
    status = child.status;
    const lines = child.lines();
    assert.deepEqual(await lines.next(), { value: "started", done: false });
    const waiting = lines.next();
    controller.abort(reason);
    await assert.rejects(waiting, (error) => error === reason);
    await assert.rejects(child.status, (error) => error === reason);
    await assert.rejects(child.stderrText(), (error) => error === reason);
  }
  // Disposal reaped the child, which SIGTERM had killed.
  await assert.rejects(status, (error) => error === reason);
});

Deno.test("subprocess() never blocks on a child that writes 1 MB to stderr, then stdout", async () => {
  const script = "head -c 1048576 /dev/zero | tr '\\0' e >&2; echo done";
  await using child = subprocess(["sh", "-c", script], { stderr: "collect" });
  assert.deepEqual(await collect(child.lines()), ["done"]);
  assert.equal((await child.status).code, 0);
  const text = await child.stderrText();
  assert.equal(text.length, 65_536, "the last 64 KiB are kept");
  assert.match(text, /^e+$/);
});

Deno.test("subprocess() collects all of a short stderr and refuses stderrText() otherwise", async () => {
  await using child = subprocess(["sh", "-c", "printf 'a\\nb' >&2"], {
    stderr: "collect",
    maxStderrBytes: 10,
  });
  assert.equal(await child.stderrText(), "a\nb");
  await using other = subprocess(["true"]);
  await assert.rejects(other.stderrText(), TypeError);
  assert.equal(other.stderr, null);
  assert.throws(() => subprocess(["true"], { maxStderrBytes: -1 }), RangeError);
});

Deno.test('subprocess() exposes stderr as a stream with stderr: "piped"', async () => {
  const script = "head -c 1048576 /dev/zero >&2; echo done";
  await using child = subprocess(["sh", "-c", script], { stderr: "piped" });
  let bytes = 0;
  const counting = (async () => {
    for await (const chunk of child.stderr!) bytes += chunk.length;
  })();
  assert.deepEqual(await collect(child.lines()), ["done"]);
  await counting;
  assert.equal(bytes, 1_048_576);
});

Deno.test("subprocess() without --allow-run throws a MissingPermissionError naming the program", async () => {
  const script = new URL("../../fixtures/subprocess_without_run.ts", import.meta.url).pathname;
  const { code: exit, stdout, stderr } = await run(Deno.execPath(), ["run", "--no-prompt", script]);
  assert.equal(exit, 0, stderr);
  assert.equal(stdout, "MissingPermissionError --allow-run=true true\n");
});

Deno.test("subprocess().lines() keeps no line it has given out: 1M lines read in flat memory", async () => {
  const script = new URL("../../fixtures/subprocess_many_lines.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await run(Deno.execPath(), [
    "run",
    "--allow-run=seq",
    "--v8-flags=--expose-gc",
    script,
    "1000000",
  ]);
  assert.equal(code, 0, stderr);
  const { read, heapMb } = JSON.parse(stdout);
  assert.equal(read, 1_000_000);
  // A million lines kept would take over 300 MB; a reader that keeps none needs a few.
  assert.ok(heapMb < 64, `${heapMb} MB in use after reading`);
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

Deno.test("subprocess() disposal kills a child that ignores SIGTERM with SIGKILL", async () => {
  let status: Promise<Deno.CommandStatus>;
  {
    await using child = subprocess([
      "sh",
      "-c",
      "trap '' TERM; echo ready; while :; do sleep 1; done",
    ]);
    status = child.status;
    const lines = child.lines();
    assert.deepEqual(await lines.next(), { value: "ready", done: false });
    await lines.return?.(undefined);
  }
  assert.equal((await status).signal, "SIGKILL");
});

Deno.test({
  name: "subprocess() with processGroup kills the child's own children too",
  ignore: Deno.build.os !== "linux",
  async fn() {
    let pgid: number;
    {
      // The shell starts two sleeps (one in the background) and reports when both run.
      await using child = subprocess(
        ["sh", "-c", "sleep 300 & echo $!; sleep 301 & echo $!; wait"],
        { processGroup: true },
      );
      pgid = child.pid;
      const lines = child.lines();
      const sleeps = [(await lines.next()).value, (await lines.next()).value].map(Number);
      const members = liveGroupMembers(pgid);
      assert.ok(members.includes(pgid), "the child leads its own group");
      for (const pid of sleeps) assert.ok(members.includes(pid), `sleep ${pid} is in the group`);
      await lines.return?.(undefined);
    }
    assert.deepEqual(await groupGone(pgid), []);
  },
});

Deno.test({
  name: "subprocess() with processGroup: an abort ends the whole group, before disposal",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const controller = new AbortController();
    const reason = new Error("stop the group");
    await using child = subprocess(
      ["sh", "-c", "sleep 300 & echo $!; sleep 301 & echo $!; wait"],
      { processGroup: true, signal: controller.signal },
    );
    const lines = child.lines();
    await lines.next();
    await lines.next();
    const reading = lines.next();
    controller.abort(reason);
    await assert.rejects(reading, (error) => error === reason);
    await assert.rejects(child.status, (error) => error === reason);
    // SIGTERM went to every member: the shell and both sleeps end without disposal's SIGKILL.
    assert.deepEqual(await groupGone(child.pid), []);
  },
});

Deno.test({
  name: "subprocess() with processGroup: a grandchild left behind after a normal exit is killed",
  ignore: Deno.build.os !== "linux",
  async fn() {
    let pgid: number;
    {
      await using child = subprocess(["sh", "-c", "sleep 300 >/dev/null 2>&1 & echo $!"], {
        processGroup: true,
      });
      pgid = child.pid;
      const [sleep] = await collect(child.lines());
      assert.equal((await child.status).code, 0);
      assert.ok(liveGroupMembers(pgid).includes(Number(sleep)), "the sleep outlived its shell");
    }
    assert.deepEqual(await groupGone(pgid), []);
  },
});
