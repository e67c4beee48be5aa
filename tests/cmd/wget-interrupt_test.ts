/**
 * `wget` interrupted mid-body, beside GNU wget 1.21 on the same loopback server that drips the
 * body: killed with SIGINT, SIGTERM or SIGKILL (a single download, and `-r -k`), what each leaves
 * (the partial file under its final name, nothing else, `-k` never applied), how each dies (by
 * the signal: a shell sees 128 + N), and the user's next command (`-c`, `-N`); then SIGHUP, the
 * terminal hanging up, which GNU wget survives, its log moved to `wget-log`.
 */

import assert from "node:assert/strict";
import { peerTest, tempDir } from "../harness/peers.ts";
import { type RawHandler, send, startRawServer } from "../harness/raw_http_server.ts";
import { ROOT } from "../harness/run.ts";
import { runWgetLogged, stableLines } from "../harness/wget_recursive_compare.ts";

const BODY = Uint8Array.from({ length: 160_000 }, (_, i) => (i * 7 + 3) % 251);
const PAGE = new TextEncoder().encode(`<a href="a.bin">a</a> <a href="b.html">b</a>\n`);
const LAST_MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT";
/** The partial file is this long at least when the signal is sent. */
const KILL_AT = 16_000;

/**
 * `/a.bin` (BODY, 4 KB every 25 ms: a second in all; a `Range` request answered 206 at once),
 * `/fast.bin` (the same at once),
 * `/` (a page linking it), `/b.html`, and a 404 for robots.txt.
 */
function startDrippingServer() {
  return startRawServer({
    "/": async (conn) => {
      await send(conn, head("200 OK", "text/html", PAGE.length));
      await send(conn, PAGE);
    },
    "/b.html": async (conn) => {
      await send(conn, head("200 OK", "text/html", 2));
      await send(conn, "b\n");
    },
    "/a.bin": dripped(25),
    "/fast.bin": dripped(0),
  });
}

/** An answer's head, `extra` lines before `Connection: close`. */
const head = (status: string, type: string, length: number, extra = "") =>
  `HTTP/1.1 ${status}\r\nContent-Type: ${type}\r\nContent-Length: ${length}\r\n` +
  `Last-Modified: ${LAST_MODIFIED}\r\n${extra}Connection: close\r\n\r\n`;

/**
 * BODY from a `Range: bytes=N-` on (206) or whole (200), in 4,000-byte pieces `pause` ms apart
 * (a stop when the client has gone).
 */
function dripped(pause: number): RawHandler {
  return async (conn, { head: request }) => {
    const from = Number(/^Range: bytes=(\d+)-/im.exec(request)?.[1] ?? 0);
    if (from > 0) {
      const range = `Content-Range: bytes ${from}-${BODY.length - 1}/${BODY.length}\r\n`;
      await send(
        conn,
        head("206 Partial Content", "application/octet-stream", BODY.length - from, range),
      );
      await send(conn, BODY.subarray(from));
      return;
    }
    await send(conn, head("200 OK", "application/octet-stream", BODY.length));
    for (let at = 0; at < BODY.length; at += 4_000) {
      if (!await send(conn, BODY.subarray(at, at + 4_000))) return;
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  };
}

/** The command line of GNU wget or netkit's. */
function wgetArgv(tool: "gnu" | "netkit", args: string[]): string[] {
  return tool === "gnu"
    ? ["wget", ...args]
    : [Deno.execPath(), "run", "-A", `${ROOT}/cmd/wget.ts`, ...args];
}

/** Every file below `dir` (but `stderr.txt`) with its bytes. */
async function filesIn(dir: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const walk = async (path: string, prefix: string) => {
    for await (const entry of Deno.readDir(path)) {
      const name = `${prefix}${entry.name}`;
      if (entry.isDirectory) await walk(`${path}/${entry.name}`, `${name}/`);
      else if (name !== "stderr.txt") files.set(name, await Deno.readFile(`${path}/${entry.name}`));
    }
  };
  await walk(dir, "");
  return files;
}

/**
 * Starts wget in `cwd`, waits until `path` there holds KILL_AT bytes (5 s at most), sends
 * `signal`, and returns how the process ended and what it printed.
 */
async function interrupt(
  tool: "gnu" | "netkit",
  cwd: string,
  args: string[],
  signal: Deno.Signal,
  path = "a.bin",
  prefix: string[] = [],
): Promise<{ status: Deno.CommandStatus; stderr: string; sizeAtSignal: number }> {
  const [command, ...rest] = [...prefix, ...wgetArgv(tool, args)];
  const child = new Deno.Command(command!, {
    args: rest,
    cwd,
    env: { LC_ALL: "C.UTF-8" },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let size = 0;
  for (let i = 0; i < 500 && size < KILL_AT; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    try {
      size = (await Deno.stat(`${cwd}/${path}`)).size;
    } catch {
      // Not made yet.
    }
  }
  child.kill(signal);
  return { status: await child.status, stderr: await stderr, sizeAtSignal: size };
}

peerTest(
  "wget killed mid-body (SIGINT, SIGTERM, SIGKILL) dies by the signal and leaves the partial file under its name, as GNU wget; -c completes it, -N sees the sizes differ",
  ["wget"],
  async (t) => {
    await using server = startDrippingServer();
    const url = `${server.base}/a.bin`;
    for (const signal of ["SIGINT", "SIGTERM", "SIGKILL"] as const) {
      await t.step(signal, async () => {
        await using dir = await tempDir();
        const outcomes = [];
        for (const tool of ["gnu", "netkit"] as const) {
          const cwd = `${dir.path}/${tool}`;
          await Deno.mkdir(cwd);
          const { status, sizeAtSignal } = await interrupt(tool, cwd, ["-nv", url], signal);
          const files = await filesIn(cwd);
          // Only a.bin, under its final name, the start of the body; no temporary file.
          assert.deepEqual([...files.keys()], ["a.bin"], tool);
          const partial = files.get("a.bin")!;
          assert.ok(partial.length >= sizeAtSignal && partial.length < BODY.length, tool);
          assert.deepEqual(partial, BODY.subarray(0, partial.length), tool);
          // The user's next command: -c asks for the rest and completes the file.
          const from = server.requests.length;
          const resumed = await runWgetLogged(tool, ["-nv", "-c", url], cwd);
          assert.equal(resumed.code, 0, tool);
          assert.deepEqual(await Deno.readFile(`${cwd}/a.bin`), BODY, tool);
          const ranges = server.requests.slice(from).map((h) => /^Range: (.*)\r$/m.exec(h)?.[1]);
          assert.deepEqual(ranges, [`bytes=${partial.length}-`], tool);
          outcomes.push({ signal: status.signal, code: status.code, success: status.success });
        }
        // Both died by the signal (130, 143, 137 to a shell).
        assert.deepEqual(outcomes[1], outcomes[0]);
        assert.equal(outcomes[0]!.signal, signal);
      });
    }
    await t.step("-N over a partial file: the sizes do not match, retrieved again", async () => {
      await using dir = await tempDir();
      const logs = [];
      for (const tool of ["gnu", "netkit"] as const) {
        const cwd = `${dir.path}/${tool}`;
        await Deno.mkdir(cwd);
        await Deno.writeFile(`${cwd}/fast.bin`, BODY.subarray(0, 20_000));
        // With a HEAD first (GNU's message is said there), and as -N asks by default.
        for (const args of [["-N", "--no-if-modified-since"], ["-N"]]) {
          await Deno.truncate(`${cwd}/fast.bin`, 20_000);
          const run = await runWgetLogged(tool, [...args, `${server.base}/fast.bin`], cwd, {
            LC_ALL: "C.UTF-8",
          });
          assert.equal(run.code, 0, tool);
          assert.deepEqual(await Deno.readFile(`${cwd}/fast.bin`), BODY, tool);
          const mtime = (await Deno.stat(`${cwd}/fast.bin`)).mtime?.toUTCString();
          assert.equal(mtime, LAST_MODIFIED, tool);
          logs.push(
            stableLines(run.stderr).filter((line) => line !== "" && !/^\s+\d+K /.test(line)),
          );
        }
      }
      assert.deepEqual(logs.slice(2), logs.slice(0, 2));
      assert.ok(logs[0]!.includes("The sizes do not match (local 20000) -- retrieving."));
    });
  },
);

peerTest(
  "wget started with SIGINT ignored (`wget URL &` in a script) goes on after a SIGINT, as GNU wget",
  ["wget"],
  async () => {
    await using server = startDrippingServer();
    await using dir = await tempDir();
    for (const tool of ["gnu", "netkit"] as const) {
      const cwd = `${dir.path}/${tool}`;
      await Deno.mkdir(cwd);
      const ignoring = ["sh", "-c", `trap '' INT; exec "$@"`, "sh"];
      const args = ["-nv", `${server.base}/a.bin`];
      const { status } = await interrupt(tool, cwd, args, "SIGINT", "a.bin", ignoring);
      assert.equal(status.code, 0, tool);
      assert.deepEqual(await Deno.readFile(`${cwd}/a.bin`), BODY, tool);
    }
  },
);

peerTest(
  "wget -r -k interrupted (SIGINT) leaves GNU wget's files: the page unconverted, the partial file, nothing else; -m afterwards as GNU's",
  ["wget"],
  async () => {
    await using server = startDrippingServer();
    await using dir = await tempDir();
    const left = [];
    for (const tool of ["gnu", "netkit"] as const) {
      const cwd = `${dir.path}/${tool}`;
      await Deno.mkdir(cwd);
      const { status } = await interrupt(
        tool,
        cwd,
        ["-nv", "-r", "-k", "-nH", `${server.base}/`],
        "SIGINT",
      );
      assert.equal(status.signal, "SIGINT", tool);
      const files = await filesIn(cwd);
      assert.deepEqual(files.get("index.html"), PAGE, tool);
      left.push([...files.keys()].sort());
    }
    assert.deepEqual(left[1], left[0]);
    assert.deepEqual(left[0], ["a.bin", "index.html"]);
    // The user's next command, -m: the same requests, and every file whole, as GNU's.
    const after = [];
    for (const tool of ["gnu", "netkit"] as const) {
      const cwd = `${dir.path}/${tool}`;
      const from = server.requests.length;
      const run = await runWgetLogged(tool, ["-nv", "-m", "-nH", `${server.base}/`], cwd);
      const requests = server.requests.slice(from).map((head) => head.split("\r\n")[0]);
      after.push({ code: run.code, files: await filesIn(cwd), requests });
    }
    assert.deepEqual(after[1], after[0]);
    assert.equal(after[0]!.code, 0);
    assert.deepEqual(after[0]!.files.get("a.bin"), BODY);
  },
);

peerTest(
  "wget survives SIGHUP (the terminal hung up) as GNU wget: the download goes on, its log moved to wget-log, exit 0",
  ["wget"],
  async (t) => {
    await using server = startDrippingServer();
    for (const mode of [[], ["-nv"], ["-q"]]) {
      await t.step(mode.join(" ") || "default", async () => {
        await using dir = await tempDir();
        const seen = [];
        for (const tool of ["gnu", "netkit"] as const) {
          const cwd = `${dir.path}/${tool}`;
          await Deno.mkdir(cwd);
          const { status, stderr } = await interrupt(
            tool,
            cwd,
            [...mode, `${server.base}/a.bin`],
            "SIGHUP",
          );
          assert.equal(status.code, 0, tool);
          assert.deepEqual(await Deno.readFile(`${cwd}/a.bin`), BODY, tool);
          assert.ok(
            stderr.endsWith("\nSIGHUP received.\nRedirecting output to ‘wget-log’.\n"),
            `${tool}: ${stderr}`,
          );
          const log = await Deno.readTextFile(`${cwd}/wget-log`);
          // The rest of the log: -nv's line for the file, the last dots of the default log.
          seen.push({
            saved: /URL:.* -> "a\.bin" \[1\]/.test(log),
            done: /100%/.test(log),
            empty: log === "",
          });
        }
        assert.deepEqual(seen[1], seen[0]);
      });
    }
    await t.step("under nohup: SIGHUP ignored, as it was when wget started", async () => {
      await using dir = await tempDir();
      for (const tool of ["gnu", "netkit"] as const) {
        const cwd = `${dir.path}/${tool}`;
        await Deno.mkdir(cwd);
        const args = ["-nv", `${server.base}/a.bin`];
        const { status, stderr } = await interrupt(tool, cwd, args, "SIGHUP", "a.bin", ["nohup"]);
        assert.equal(status.code, 0, tool);
        assert.deepEqual(await Deno.readFile(`${cwd}/a.bin`), BODY, tool);
        assert.doesNotMatch(stderr, /SIGHUP/, tool);
        assert.deepEqual([...(await filesIn(cwd)).keys()], ["a.bin"], tool);
      }
    });
  },
);
