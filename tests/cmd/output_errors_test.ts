/**
 * Every command with its standard output on `/dev/full` (ENOSPC) and on a pipe whose reader has
 * gone (EPIPE): one line on stderr and exit 3 for the first, a quiet end for the second, never a
 * stack trace (lib/cli/run_main.ts). wget's stderr is its log, not its output: a log that cannot
 * be written never fails the download, as GNU wget's (compared with GNU's below).
 */

import assert from "node:assert/strict";
import { COMMANDS } from "../../cmd/commands.ts";
import { EXIT_OUTPUT_FAILED } from "../../lib/cli/run_main.ts";
import { serveTime } from "../../lib/time/server.ts";
import { commandArgs } from "../harness/command.ts";
import { holdFreePort, retryPeerStart, waitUntilListening } from "../harness/peers.ts";
import { refusedPort } from "../harness/refused_port.ts";
import { runCommand } from "../harness/run.ts";
import { peerTest, tempDir } from "../harness/peers.ts";

/** Stack lines and Deno's report of an uncaught error: what must never show. */
const STACK_TRACE = /^ {4}at |error: Uncaught/m;

/** Servers the commands talk to, for the run of one test. */
async function withServers<T>(
  fn: (ports: { daytime: number; hello: number; http: number }) => Promise<T>,
): Promise<T> {
  const daytimeListener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const stop = new AbortController();
  const daytime = serveTime(daytimeListener, { signal: stop.signal });
  // Says hello to each connection and closes: something for telnet to print.
  const helloListener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const hello = (async () => {
    for await (const conn of helloListener) {
      conn.write(new TextEncoder().encode("hello\n".repeat(1000))).catch(() => {}).finally(() =>
        conn.close()
      );
    }
  })();
  const http = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("hello\n".repeat(1000)),
  );
  try {
    return await fn({
      daytime: daytimeListener.addr.port,
      hello: helloListener.addr.port,
      http: http.addr.port,
    });
  } finally {
    stop.abort();
    await daytime;
    helloListener.close();
    await hello.catch(() => {});
    await http.shutdown();
  }
}

/**
 * The invocations that make each command write to stdout. A server (time-server) that loses
 * its stdout's reader keeps serving (Deno's console.log drops EPIPE), so on a closed pipe it is
 * tried on its own, below.
 */
function invocations(
  ports: { daytime: number; hello: number; http: number },
  target: "/dev/full" | "closed pipe",
): string[][] {
  const byCommand: Record<string, string[][]> = {
    "time-server": target === "/dev/full" ? [["--port", "0", "--host", "127.0.0.1"]] : [],
    "time-client": [["127.0.0.1", String(ports.daytime)]],
    telnet: [["127.0.0.1", String(ports.hello)], ["--raw", "127.0.0.1", String(ports.hello)]],
    wget: [["-q", "-O", "-", `http://127.0.0.1:${ports.http}/`]],
    "resolve-hostname": [["localhost"]],
    "resolve-hostname6": [["::1"]],
    ports: [["ssh", "http", "telnet"]],
    "scrabble-word-finder": [["tacos"]],
    "lexical-server": [],
  };
  const runs: string[][] = [["netkit", "--list"]];
  for (const { name } of COMMANDS) {
    runs.push([name, "--help"]);
    for (const args of byCommand[name] ?? []) runs.push([name, ...args]);
  }
  return runs;
}

async function runWithStdout(
  target: "/dev/full" | "closed pipe",
  [name, ...args]: string[],
): Promise<{ code: number; stderr: string }> {
  const argv = [Deno.execPath(), ...commandArgs(name!), ...args];
  const child = target === "/dev/full"
    ? new Deno.Command("sh", {
      args: ["-c", 'exec "$@" > /dev/full', "sh", ...argv],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn()
    : new Deno.Command(Deno.execPath(), {
      args: argv.slice(1),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  // The reader goes before the command has written anything.
  if (target === "closed pipe") await child.stdout.cancel();
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
    return { code: status.code, stderr };
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("every command with stdout on /dev/full says so in one line and exits 3", async () => {
  await withServers(async (ports) => {
    for (const run of invocations(ports, "/dev/full")) {
      const { code, stderr } = await runWithStdout("/dev/full", run);
      const what = `${run.join(" ")}: exit ${code}, stderr ${JSON.stringify(stderr)}`;
      assert.doesNotMatch(stderr, STACK_TRACE, what);
      assert.equal(code, EXIT_OUTPUT_FAILED, what);
      // (wget's is GNU wget's line, without the command's name.)
      assert.match(
        stderr,
        /^([a-z0-9-]+: Cannot write .*No space left on device|Cannot write to .* \(No space left on device\)\.)$/m,
        what,
      );
      // The system's reason alone, as the C library says it (not Deno's "(os error 28)").
      assert.doesNotMatch(stderr, /os error/, what);
    }
  });
});

Deno.test("every command with stdout on a closed pipe ends quietly (wget: one line), no stack trace", async () => {
  await withServers(async (ports) => {
    for (const run of invocations(ports, "closed pipe")) {
      const { code, stderr } = await runWithStdout("closed pipe", run);
      const what = `${run.join(" ")}: exit ${code}, stderr ${JSON.stringify(stderr)}`;
      assert.doesNotMatch(stderr, STACK_TRACE, what);
      if (run[0] === "wget" && run[1] !== "--help") {
        // wget reports a write error even with -q (the house rule), and exits 3 as GNU wget does.
        assert.equal(code, 3, what);
        assert.match(stderr, /^Cannot write to .-. \(Broken pipe\)\.\n$/, what);
        continue;
      }
      assert.doesNotMatch(stderr, /Cannot write|Broken pipe/i, what);
      assert.equal(code, 0, what);
    }
  });
});

Deno.test("time-server with stdout on a closed pipe keeps serving and stops on SIGTERM", async () => {
  // Its stdout is closed before it prints its port, so it cannot be told port 0: a port found free
  // is handed to it, held until it listens; as that port can be taken all the same (it then ends
  // at once, or another process listens there), it is started again on another one; ready is its
  // own listening socket, not a connect to whoever.
  const start = async () => {
    using held = holdFreePort();
    const { port } = held;
    const child = new Deno.Command(Deno.execPath(), {
      args: [...commandArgs("time-server"), "--port", String(port), "--host", "127.0.0.1"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    await child.stdout.cancel();
    const stderr = new Response(child.stderr).text();
    try {
      await waitUntilListening(child, "time-server", port, "127.0.0.1");
    } catch (error) {
      // Another process on its port (PortTakenError): it still runs.
      try {
        child.kill("SIGTERM");
      } catch {
        // Already ended.
      }
      await child.status;
      await stderr;
      throw error;
    }
    return { port, child, stderr };
  };
  const { port, child, stderr } = await retryPeerStart(start);
  const answer = await runCommand("time-client", ["127.0.0.1", String(port)]);
  assert.equal(answer.code, 0);
  child.kill("SIGTERM");
  assert.equal((await child.status).code, 0);
  assert.doesNotMatch(await stderr, STACK_TRACE);
});

Deno.test("commands with stderr on /dev/full exit 3, not with an uncaught error's 1 (wget: below)", async () => {
  using refused = refusedPort(); // nobody listens, nobody can
  const port = refused.port;
  const runs = [
    ["ports", "--bogus"],
    ["ports", "no-such-service-x"],
    ["time-client", "127.0.0.1", String(port)],
    ["telnet", "127.0.0.1", String(port)],
    ["scrabble-word-finder", "--dict", "/nonexistent", "abc"],
  ];
  for (const [name, ...args] of runs) {
    const { code } = await new Deno.Command("sh", {
      args: ["-c", 'exec "$@" 2> /dev/full', "sh", Deno.execPath(), ...commandArgs(name!), ...args],
      stdin: "null",
      stdout: "null",
    }).output();
    assert.equal(code, EXIT_OUTPUT_FAILED, `${name} ${args.join(" ")}`);
  }
});

/**
 * Runs GNU wget (`gnu`) or netkit's in `dir` through `sh -c`, with `redirect` after it
 * (`2>/dev/full`), or with its stderr a pipe whose reader has gone (`closed`): exit code and the
 * files it left (name and size, sorted).
 */
async function wgetWithLog(
  tool: "gnu" | "netkit",
  dir: string,
  args: string[],
  redirect: string | "closed",
): Promise<{ code: number; files: string[] }> {
  const argv = tool === "gnu" ? ["wget"] : [Deno.execPath(), ...commandArgs("wget")];
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      `cd "$0" && exec "$@" ${redirect === "closed" ? "" : redirect}`,
      dir,
      ...argv,
      ...args,
    ],
    stdin: "null",
    stdout: "null",
    stderr: redirect === "closed" ? "piped" : "null",
  }).spawn();
  // The reader goes before wget has written anything.
  if (redirect === "closed") await child.stderr.cancel();
  const { code } = await child.status;
  const files = [...Deno.readDirSync(dir)]
    .map((entry) => `${entry.name} ${Deno.statSync(`${dir}/${entry.name}`).size}`).sort();
  return { code, files };
}

peerTest(
  "wget with its log on /dev/full (stderr, -o, -a) ends as GNU wget: the log's failure ignored, the download's own exit code; a log whose reader has gone is exit 1; the document on /dev/full exit 3",
  ["wget"],
  async () => {
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (request) =>
        new URL(request.url).pathname === "/missing"
          ? new Response("none\n", { status: 404 })
          : new Response("hello\n".repeat(20_000)),
    );
    using refused = refusedPort();
    const base = `http://127.0.0.1:${server.addr.port}`;
    const cases: [string[], string, number][] = [
      [[`${base}/f.bin`], "2>/dev/full", 0],
      [["-q", `${base}/f.bin`], "2>/dev/full", 0],
      [["-nv", `${base}/f.bin`], "2>/dev/full", 0],
      [["--progress=bar:force", `${base}/f.bin`], "2>/dev/full", 0],
      [["-q", "--show-progress", `${base}/f.bin`], "2>/dev/full", 0],
      [["-o", "/dev/full", `${base}/f.bin`], "", 0],
      [["-a", "/dev/full", "-nv", `${base}/f.bin`], "", 0],
      [["-O", "-", `${base}/f.bin`], "2>/dev/full", 0],
      [[`${base}/missing`], "2>/dev/full", 8],
      [[`http://127.0.0.1:${refused.port}/`], "2>/dev/full", 4],
      // The document itself cannot be written: GNU's write failure, exit 3.
      [["-O", "-", `${base}/f.bin`], ">/dev/full 2>/dev/full", 3],
      // GNU exits 1 on its log's first EPIPE (the file made by then stays).
      [[`${base}/f.bin`], "closed", 1],
      [["-nv", `${base}/f.bin`], "closed", 1],
      // Usage errors keep their codes: getopt's 2, a missing URL's 1, a bad value's 2.
      [["--bogus"], "2>/dev/full", 2],
      [["-O"], "2>/dev/full", 2],
      [["-nz"], "2>/dev/full", 1],
      [[], "2>/dev/full", 1],
      [["-q", "-v", `${base}/f.bin`], "2>/dev/full", 1],
      [["--quiet=foo", `${base}/f.bin`], "2>/dev/full", 2],
      [["--progress=foo", `${base}/f.bin`], "2>/dev/full", 2],
      [["--quota=abc", `${base}/f.bin`], "2>/dev/full", 2],
      [["-e", "bogus=1", `${base}/f.bin`], "2>/dev/full", 2],
    ];
    for (const [args, redirect, expected] of cases) {
      const what = `${args.join(" ")} ${redirect}`;
      const seen: Record<string, { code: number; files: string[] }> = {};
      for (const tool of ["gnu", "netkit"] as const) {
        await using dir = await tempDir();
        seen[tool] = await wgetWithLog(tool, dir.path, args, redirect);
      }
      assert.equal(seen.gnu!.code, expected, `GNU: ${what}`);
      assert.deepEqual(seen.netkit, seen.gnu, what);
    }
  },
);
