import assert from "node:assert/strict";
import { main } from "../../cmd/lexical-server.ts";
import { peerPath, peerTest } from "../harness/peers.ts";
import { readPrintedPort } from "../harness/printed_port.ts";
import { captureConsole, commandArgs } from "../harness/run.ts";
import { startDenoServer, startLexicalServer } from "../harness/deno_server.ts";

const SERVER = new URL("../../cmd/lexical-server.ts", import.meta.url).pathname;
const FINDER = new URL("../../cmd/scrabble-word-finder.ts", import.meta.url).pathname;
const RACKS = ["lexical", "qu%3Fck", "AEINRST", "zzz", "%3F%3F"];

const startServer = (args: string[]) => startLexicalServer(args);

async function getJson(port: number, path: string) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    signal: AbortSignal.timeout(20_000),
  });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.json(),
  };
}

async function finderOutput(rack: string): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", FINDER, decodeURIComponent(rack)],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(output.stdout).split("\n").filter((line) => line !== "");
}

Deno.test("lexical-server answers the same words as the command, in worker and subprocess mode", async () => {
  await using workers = await startServer(["--quiet", "--workers", "2"]);
  await using children = await startServer(["--quiet", "--finder", "subprocess"]);
  for (const rack of RACKS) {
    const expected = await finderOutput(rack);
    assert.ok(expected.length > 0 || rack === "zzz", rack);
    for (const server of [workers, children]) {
      const { status, type, body } = await getJson(server.port, `/api/${rack}`);
      assert.equal(status, 200);
      assert.equal(type, "application/json; charset=utf-8");
      assert.equal(typeof body.time, "number");
      assert.equal(body.cached, false);
      assert.ok(Array.isArray(body.possibilities));
      assert.ok(body.possibilities.every((word: unknown) => typeof word === "string"));
      assert.deepEqual(body.possibilities, expected, rack);
    }
  }
});

Deno.test("lexical-server caches, computes once for 100 concurrent requests, and logs", async () => {
  const server = await startServer(["--workers", "2"]);
  try {
    assert.equal((await getJson(server.port, "/LeXiCaL")).body.cached, false);
    assert.equal((await getJson(server.port, "/api/lexical")).body.cached, true);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => getJson(server.port, "/words/aeinrst")),
    );
    assert.ok(answers.every((answer) => answer.status === 200));
    assert.equal(
      new Set(answers.map((answer) => JSON.stringify(answer.body.possibilities))).size,
      1,
    );
    const { body: stats } = await getJson(server.port, "/-/stats");
    assert.equal(stats.computations, 2, JSON.stringify(stats));
    assert.equal(stats.hits + stats.misses, 102);
    assert.equal(stats.requests, 103);
  } finally {
    const { code, stderr } = await server.stop("SIGTERM");
    assert.equal(code, 0, stderr);
    const logged = stderr.split("\n").filter((line) =>
      line.startsWith("Received a connection request from ")
    );
    assert.equal(logged.length, 103);
    assert.ok(logged.every((line) => line === "Received a connection request from 127.0.0.1."));
  }
});

Deno.test("lexical-server refuses bad input and stays up; SIGINT stops it", async () => {
  const server = await startServer(["--quiet", "--workers", "1"]);
  try {
    const table: [string, RequestInit, number][] = [
      ["/", {}, 400],
      ["/abc1", {}, 400],
      ["/%FF", {}, 400],
      ["/" + "a".repeat(33), {}, 414],
      ["/abc", { method: "POST", body: "x" }, 405],
      ["/abc", { method: "DELETE" }, 405],
    ];
    for (const [path, init, status] of table) {
      const response = await fetch(`http://127.0.0.1:${server.port}${path}`, init);
      assert.equal(response.status, status, path);
      assert.equal(typeof (await response.json()).error, "string");
      if (status === 405) assert.equal(response.headers.get("allow"), "GET, HEAD");
    }
    const head = await fetch(`http://127.0.0.1:${server.port}/abc`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), "");
    assert.equal((await getJson(server.port, "/abc")).status, 200);
  } finally {
    const { code, stderr } = await server.stop("SIGINT");
    assert.equal(code, 0, stderr);
    assert.ok(!stderr.includes("Received a connection"), "--quiet");
  }
});

peerTest("lexical-server keeps a connection alive for curl", ["curl"], async () => {
  await using server = await startServer(["--quiet", "--workers", "1"]);
  const base = `http://127.0.0.1:${server.port}`;
  const output = await new Deno.Command(peerPath("curl")!, {
    args: ["-sv", "--max-time", "10", `${base}/abc`, `${base}/api/cba`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  assert.match(stderr, /Re-using existing connection/);
  const bodies = new TextDecoder().decode(output.stdout).replaceAll("}{", "}\n{").split("\n");
  assert.deepEqual(bodies.map((body) => JSON.parse(body).cached), [false, true]);
});

Deno.test("lexical-server runs under deno serve --parallel and ends on SIGTERM", async () => {
  const server = await startDenoServer(
    (port) => ["serve", "-A", "--parallel", "--port", String(port), "--host", "127.0.0.1", SERVER],
    { env: { NETKIT_WORKERS: "1" } },
  );
  try {
    const { status, body } = await getJson(server.port, "/lexical");
    assert.equal(status, 200);
    assert.equal(body.possibilities[0], "lexical");
  } finally {
    const { code, stderr } = await server.stop("SIGTERM");
    assert.equal(code, 0, "the pool's workers must not keep deno serve alive");
    assert.ok(
      !stderr.includes("lexical-server: Listening"),
      "main() must not run under deno serve",
    );
  }
});

Deno.test("lexical-server refuses bad options with exit 2", async () => {
  for (
    const args of [
      ["--finder", "thread"],
      ["--workers", "0"],
      ["--cache-size", "-1"],
      ["70000"],
      ["--port", "1", "2"],
      ["1", "2"],
    ]
  ) {
    const { result, stderr } = await captureConsole(() => main(args));
    assert.equal(result, 2, JSON.stringify(args));
    assert.match(stderr, /^lexical-server: /);
  }
});

Deno.test("lexical-server stops on SIGTERM while its stderr is a full pipe nobody reads", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      ...commandArgs("lexical-server"),
      ...["--port", "0", "--host", "127.0.0.1", "--workers", "1"],
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped", // never read: a pipe holds 64 KiB, the log lines below are ~115 KiB
  }).spawn();
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    // Port 0, and the port it prints (its first line; the rest stays unread): a port found free
    // beforehand could be taken before it binds.
    const { port } = await readPrintedPort(
      child.stderr,
      /lexical-server: Listening on http:\/\/127\.0\.0\.1:(\d+)\//,
    );
    for (let i = 0; i < 2500; i++) {
      await (await fetch(`http://127.0.0.1:${port}/x/cat`)).body?.cancel();
    }
    child.kill("SIGTERM");
    const status = await child.status;
    assert.deepEqual([status.code, status.signal], [0, null]);
  } finally {
    clearTimeout(killer);
    await child.stderr.cancel();
  }
});

Deno.test("lexical-server logs a failing subprocess finder's stderr and answers 500", async () => {
  const failing = await Deno.makeTempFile({ suffix: ".sh" });
  // Fine for "e" (the start-up check), broken for every other rack.
  await Deno.writeTextFile(
    failing,
    '#!/bin/sh\nfor last; do :; done\n[ "$last" = e ] && { echo e; exit 0; }\n' +
      "echo chatter >&2\necho the dictionary is gone >&2\nexit 3\n",
  );
  await Deno.chmod(failing, 0o755);
  try {
    const server = await startServer([
      "--quiet",
      "--finder",
      "subprocess",
      "--finder-command",
      failing,
    ]);
    let stderr: string;
    try {
      const { status, body } = await getJson(server.port, "/api/abc");
      assert.equal(status, 500);
      assert.match(body.error, /exited with 3: the dictionary is gone$/);
    } finally {
      stderr = (await server.stop()).stderr;
    }
    assert.match(
      stderr,
      /^lexical-server: Word finder failed for rack "abc": The word finder ".*" exited with 3: the dictionary is gone$/m,
    );
  } finally {
    await Deno.remove(failing);
  }
});

Deno.test("lexical-server checks its subprocess finder at start-up: missing or broken is exit 1, one line", async () => {
  const broken = await Deno.makeTempFile({ suffix: ".sh" });
  await Deno.writeTextFile(broken, "#!/bin/sh\necho broken dictionary >&2\nexit 3\n");
  await Deno.chmod(broken, 0o755);
  try {
    for (
      const [program, reason] of [
        ["/nonexistent/finder", '"/nonexistent/finder" cannot be run: No such file or directory'],
        [broken, "broken dictionary"],
      ]
    ) {
      const result = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("../../cmd/lexical-server.ts", import.meta.url).pathname,
          "0",
          "--host",
          "127.0.0.1",
          "--finder",
          "subprocess",
          "--finder-command",
          program!,
          "--quiet",
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(result.stderr);
      assert.equal(result.code, 1, stderr);
      assert.equal(stderr.trimEnd().split("\n").length, 1, stderr);
      assert.ok(stderr.startsWith("lexical-server: Cannot load the word finder: "), stderr);
      assert.ok(stderr.includes(reason!), stderr);
    }
  } finally {
    await Deno.remove(broken);
  }
});

Deno.test("lexical-server bounds a many-blank rack's answer (--max-answer-bytes, default 1 MiB)", async () => {
  const blanks = "%3F".repeat(15); // every SOWPODS word: 267,751 of them, 3.2 MB of JSON
  for (
    const [args, bound] of [[[], 1024 * 1024], [["--max-answer-bytes", "2048"], 2048]] as const
  ) {
    await using server = await startServer(["--quiet", "--workers", "1", ...args]);
    for (const cached of [false, true]) {
      const response = await fetch(`http://127.0.0.1:${server.port}/api/${blanks}`);
      assert.equal(response.status, 200);
      const text = await response.text();
      const body = JSON.parse(text);
      assert.equal(body.cached, cached);
      assert.equal(body.truncated, true);
      const list = JSON.stringify(body.possibilities).length;
      assert.ok(list <= bound && list > bound - 64, `${list} bytes of words, bound ${bound}`);
      assert.ok(body.possibilities[0].length >= 15, "the longest words come first");
    }
  }
});
