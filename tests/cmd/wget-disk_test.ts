/**
 * `wget` on a full disk and a read-only one, beside GNU wget 1.21 on the same loopback server:
 * each run in a mount namespace of its own with a 256 KiB tmpfs as the download directory
 * (tests/harness/tmpfs_namespace.ts). Compared: the exit code, the files left (names, bytes,
 * mtimes where a resume or -N reads them), the `-nv` log (GNU's `Cannot write to ‘X’ (R).` in
 * both) and the requests the server saw.
 */

import assert from "node:assert/strict";
import { peerTest, tempDir } from "../harness/peers.ts";
import { send, startRawServer } from "../harness/raw_http_server.ts";
import { runInTmpfs, type TmpfsRun, type TmpfsStep } from "../harness/tmpfs_namespace.ts";
import { tmpfsNamespaceUnavailable } from "../harness/tmpfs_namespace.ts";
import { runWgetLogged, stableLines } from "../harness/wget_recursive_compare.ts";

const unavailable = tmpfsNamespaceUnavailable();

/** A test that needs the tmpfs namespace: ignored, with the reason, where it cannot run. */
function tmpfsTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  Deno.test({
    name: unavailable ? `${name} (ignored: ${unavailable})` : name,
    ignore: unavailable !== undefined,
    fn,
  });
}

/** `length` bytes of a pattern of its own for each `seed`. */
function bytesOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + seed * 13) % 251);
}

const LAST_MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT";
const INDEX = new TextEncoder().encode(
  `<html><body><a href="d/m1.bin">1</a> <a href="d/m2.bin">2</a> <a href="d/m3.bin">3</a> ` +
    `<a href="small.bin">s</a> <a href="p.html">p</a></body></html>\n`,
);
/** The site, by path: a page, three files of 100,000 bytes, a small one and a page after them. */
const SITE: Record<string, { body: Uint8Array; type: string }> = {
  "/": { body: INDEX, type: "text/html" },
  "/d/m1.bin": { body: bytesOf(100_000, 1), type: "application/octet-stream" },
  "/d/m2.bin": { body: bytesOf(100_000, 2), type: "application/octet-stream" },
  "/d/m3.bin": { body: bytesOf(100_000, 3), type: "application/octet-stream" },
  "/small.bin": { body: bytesOf(5_000, 4), type: "application/octet-stream" },
  "/p.html": { body: new TextEncoder().encode(`<a href="/">back</a>\n`), type: "text/html" },
  "/big.bin": { body: bytesOf(600_000, 5), type: "application/octet-stream" },
};

/** The raw server for SITE: `Range: bytes=N-` answered 206, Last-Modified on every file. */
function startSite() {
  const handlers = Object.fromEntries(
    Object.entries(SITE).map(([path, { body, type }]) => [
      path,
      async (conn: Deno.TcpConn, request: { head: string }) => {
        const from = Number(/^Range: bytes=(\d+)-/im.exec(request.head)?.[1] ?? 0);
        const status = from > 0 ? "206 Partial Content" : "200 OK";
        const range = from > 0
          ? `Content-Range: bytes ${from}-${body.length - 1}/${body.length}\r\n`
          : "";
        await send(
          conn,
          `HTTP/1.1 ${status}\r\nContent-Type: ${type}\r\n${range}` +
            `Content-Length: ${body.length - from}\r\nLast-Modified: ${LAST_MODIFIED}\r\n` +
            "Connection: close\r\n\r\n",
        );
        await send(conn, body.subarray(from));
      },
    ]),
  );
  handlers["/robots.txt"] = async (conn: Deno.TcpConn) => {
    await send(conn, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  };
  return startRawServer(handlers);
}

/** The requests of `heads` as `METHOD /path [Range]`. */
function requestLines(heads: string[]): string[] {
  return heads.map((head) => {
    const [method, path] = head.split(" ");
    const range = /^Range: (\S+)/im.exec(head)?.[1];
    return range ? `${method} ${path} ${range}` : `${method} ${path}`;
  });
}

/** A `-nv` log's stable lines (dates, rates and times dropped). */
function logLines(stderr: string): string[] {
  return stableLines(stderr).filter((line) => line !== "");
}

/** What both did: per step the exit code, log and requests; the files left. */
interface Side {
  run: TmpfsRun;
  logs: string[][];
  requests: string[];
}

async function bothSides(
  steps: (base: string) => TmpfsStep[],
  options: {
    sizeKiB?: number;
    readOnly?: string[];
    seed?: Record<string, string>;
    full?: string[];
    /** Arguments netkit's wget takes before each step's own (`--max-threads 4`). */
    netkitArgs?: string[];
  } = {},
): Promise<{ gnu: Side; netkit: Side }> {
  await using server = startSite();
  const sides: Partial<Record<"gnu" | "netkit", Side>> = {};
  for (const tool of ["gnu", "netkit"] as const) {
    await using dir = await tempDir();
    const from = server.requests.length;
    const extra = tool === "netkit" ? options.netkitArgs ?? [] : [];
    const toolSteps = steps(server.base).map((step) => ({
      ...step,
      args: [...extra, ...step.args],
    }));
    const run = await runInTmpfs(tool, dir.path, options.sizeKiB ?? 256, toolSteps, {
      readOnly: options.readOnly ?? [],
      seed: options.seed ?? {},
      full: options.full ?? [],
    });
    sides[tool] = {
      run,
      logs: run.steps.map((step) => logLines(step.stderr)),
      requests: requestLines(server.requests.slice(from)),
    };
  }
  return { gnu: sides.gnu!, netkit: sides.netkit! };
}

/** Each file's size, by path, sorted. */
function sizes(run: TmpfsRun): [string, number][] {
  return [...run.files].map(([path, file]) => [path, file.bytes.length] as [string, number])
    .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}

/** Asserts that every file left is the start of what the server sent for its path. */
function assertPrefixes(run: TmpfsRun, served: Record<string, string>) {
  for (const [path, file] of run.files) {
    const body = SITE[served[path] ?? `/${path}`]!.body;
    assert.deepEqual(file.bytes, body.subarray(0, file.bytes.length), path);
  }
}

tmpfsTest(
  "wget on a full disk: a single download, -O, and -c once space is freed, as GNU wget (exit 3, the partial file kept and completed)",
  async (t) => {
    await t.step("big.bin, then -c with more space", async () => {
      const { gnu, netkit } = await bothSides((base) => [
        { args: ["-nv", `${base}/big.bin`] },
        { args: ["-nv", "-c", `${base}/big.bin`], resizeKiB: 2048 },
      ]);
      assert.deepEqual(netkit.run.steps.map((s) => s.code), [3, 0]);
      assert.deepEqual(gnu.run.steps.map((s) => s.code), [3, 0]);
      assert.deepEqual(netkit.logs[0], gnu.logs[0]);
      assert.deepEqual(netkit.logs[0], ["Cannot write to ‘big.bin’ (No space left on device)."]);
      assert.deepEqual(netkit.logs[1], gnu.logs[1]);
      // The second run resumed where the first stopped, and ended with the whole file.
      assert.deepEqual(netkit.requests, gnu.requests);
      assert.match(netkit.requests[1]!, /^GET \/big\.bin bytes=\d+-$/);
      assert.deepEqual(sizes(netkit.run), [["big.bin", 600_000]]);
      assert.deepEqual(netkit.run.files.get("big.bin")!.bytes, SITE["/big.bin"]!.body);
      assert.equal(netkit.run.files.get("big.bin")!.mtime, gnu.run.files.get("big.bin")!.mtime);
    });
    await t.step("-O out.bin", async () => {
      const { gnu, netkit } = await bothSides((base) => [
        { args: ["-nv", "-O", "out.bin", `${base}/big.bin`] },
      ]);
      assert.equal(netkit.run.steps[0]!.code, 3);
      assert.equal(gnu.run.steps[0]!.code, 3);
      assert.deepEqual(netkit.logs, gnu.logs);
      assert.deepEqual(sizes(netkit.run), sizes(gnu.run));
      assertPrefixes(netkit.run, { "out.bin": "/big.bin" });
    });
  },
);

tmpfsTest(
  "wget -o/-a LOG on a full disk finishes the download, as GNU wget: the log's failure ignored, nothing said, exit 0",
  async () => {
    // Each run logs into full/ (a file system with no byte free) and downloads beside it.
    const runs = [
      ["-o", "full/log"],
      ["-o", "full/log", "-q"],
      ["-o", "full/log", "-nv"],
      ["-o", "full/log", "--progress=bar:force"],
      ["-a", "full/log"],
      ["-a", "full/log", "-nv"],
      ["-o", "full/log", "-O", "out.bin"],
      ["-o", "full/log", "-r", "-l", "1", "-nH", "-P", "site"],
    ];
    const { gnu, netkit } = await bothSides(
      (base) => runs.map((args) => ({ args: [...args, `${base}/small.bin`] })),
      { full: ["full"] },
    );
    assert.deepEqual(gnu.run.steps, runs.map(() => ({ code: 0, stderr: "" })));
    assert.deepEqual(netkit.run.steps, gnu.run.steps);
    assert.deepEqual(netkit.requests, gnu.requests);
    assert.deepEqual(sizes(netkit.run), sizes(gnu.run));
    const saved = [...netkit.run.files].filter(([path]) => !path.startsWith("full/"));
    assert.deepEqual(saved.map(([path]) => path).sort(), [
      "out.bin",
      "site/small.bin",
      "small.bin",
      "small.bin.1",
      "small.bin.2",
      "small.bin.3",
      "small.bin.4",
      "small.bin.5",
    ]);
    for (const [path, file] of saved) assert.deepEqual(file.bytes, SITE["/small.bin"]!.body, path);
  },
);

tmpfsTest(
  "wget -r on a disk that fills mid-run stops the recursion, as GNU wget (no request after the failed write, exit 3)",
  async (t) => {
    for (const args of [["-r", "-nH"], ["-m", "-nH"]]) {
      await t.step(args.join(" "), async () => {
        const { gnu, netkit } = await bothSides((base) => [{ args: ["-nv", ...args, `${base}/`] }]);
        assert.equal(gnu.run.steps[0]!.code, 3);
        assert.equal(netkit.run.steps[0]!.code, 3);
        // GNU's retrieve_tree ends on a failed write: /small.bin and /p.html are never asked.
        assert.deepEqual(netkit.requests, gnu.requests);
        assert.ok(!gnu.requests.includes("GET /p.html"), gnu.requests.join(", "));
        assert.deepEqual(netkit.logs, gnu.logs);
        assert.deepEqual(sizes(netkit.run), sizes(gnu.run));
        assertPrefixes(netkit.run, { "index.html": "/" });
      });
    }
  },
);

tmpfsTest(
  "wget -r --max-threads on a disk that fills mid-run leaves no empty file GNU's one-at-a-time run would not leave (exit 3, as GNU wget)",
  async (t) => {
    // GNU stops at its first failed write, leaving that file as far as it got; with several
    // threads the fetches under way fail too (a page after the files, made when the disk is
    // full, is empty): their files are left only when they hold bytes.
    for (const threads of ["2", "4"]) {
      await t.step(`-r -nH --max-threads ${threads}`, async () => {
        const { gnu, netkit } = await bothSides(
          (base) => [{ args: ["-nv", "-r", "-nH", `${base}/`] }],
          { netkitArgs: ["--max-threads", threads] },
        );
        assert.equal(gnu.run.steps[0]!.code, 3);
        assert.equal(netkit.run.steps[0]!.code, 3);
        assert.deepEqual(sizes(gnu.run).filter(([, size]) => size === 0), []);
        assert.deepEqual(
          sizes(netkit.run).filter(([, size]) => size === 0),
          [],
          netkit.logs[0]!.join("\n"),
        );
        assert.ok(netkit.logs[0]!.some((line) => /^Cannot write to .*No space left/.test(line)));
        assert.deepEqual(netkit.run.files.get("index.html"), gnu.run.files.get("index.html"));
        assertPrefixes(netkit.run, { "index.html": "/" });
      });
    }
  },
);

tmpfsTest(
  "wget -r -k on a disk that filled keeps each page as it was when its converted copy cannot be written (GNU leaves it empty)",
  async (t) => {
    for (const args of [["-k"], ["-k", "-K"]]) {
      await t.step(args.join(" "), async () => {
        const { gnu, netkit } = await bothSides((base) => [
          { args: ["-nv", "-r", "-nH", ...args, `${base}/`] },
        ]);
        assert.equal(gnu.run.steps[0]!.code, 3);
        assert.equal(netkit.run.steps[0]!.code, 3);
        assert.deepEqual(netkit.requests, gnu.requests);
        // GNU truncates index.html and then cannot write it again: the page is lost (with -K
        // its .orig keeps the bytes); netkit writes the converted page beside it first.
        assert.equal(gnu.run.files.get("index.html")!.bytes.length, 0);
        assert.deepEqual(netkit.run.files.get("index.html")!.bytes, INDEX);
        assert.equal(netkit.run.files.has("index.html.orig"), false);
        const others = (run: TmpfsRun) =>
          sizes(run).filter(([path]) => !path.startsWith("index.html"));
        assert.deepEqual(others(netkit.run), others(gnu.run));
        // The same lines, but netkit's word for the page it did not convert (GNU says none).
        assert.deepEqual(
          netkit.logs[0]!.filter((line) =>
            line !== "Cannot write to ‘index.html’ (No space left on device)."
          ),
          gnu.logs[0],
        );
        assert.ok(
          netkit.logs[0]!.includes("Cannot write to ‘index.html’ (No space left on device)."),
        );
        assert.equal(
          [...netkit.run.files.keys()].some((path) => path.includes(".converting")),
          false,
        );
      });
    }
  },
);

tmpfsTest(
  "wget -P onto a read-only file system: exit 3 and GNU's reason, as GNU wget",
  async () => {
    const { gnu, netkit } = await bothSides(
      (base) => [{ args: ["-nv", "-P", "ro", `${base}/small.bin`] }],
      { readOnly: ["ro"] },
    );
    assert.equal(gnu.run.steps[0]!.code, 3);
    assert.equal(netkit.run.steps[0]!.code, 3);
    assert.deepEqual(netkit.logs[0], ["Cannot write to ‘ro/small.bin’ (Read-only file system)."]);
    // GNU says the open's failure twice (perror, then its own line).
    assert.deepEqual(gnu.logs[0], [
      "ro/small.bin: Read-only file system",
      "Cannot write to ‘ro/small.bin’ (Read-only file system).",
    ]);
    assert.deepEqual(netkit.requests, gnu.requests);
    assert.deepEqual(sizes(netkit.run), []);
  },
);

tmpfsTest(
  "wget with the user's file on a read-only file system (-N, -nc, -c, -O, --backups, -r): the file as it was, GNU wget's exit code and requests",
  async (t) => {
    const cases = [
      ["-N"],
      ["-N", "--no-if-modified-since"],
      ["-nc"],
      ["-c"],
      ["--backups=1"],
      ["-O", "ro/small.bin"],
      ["-c", "-O", "ro/small.bin"],
      ["-r", "-l", "1", "-nH"],
    ];
    for (const args of cases) {
      await t.step(args.join(" "), async () => {
        const { gnu, netkit } = await bothSides(
          (base) => [{ args: ["-nv", "-P", "ro", ...args, `${base}/small.bin`] }],
          { readOnly: ["ro"], seed: { "ro/small.bin": "the user's\n" } },
        );
        assert.equal(netkit.run.steps[0]!.code, gnu.run.steps[0]!.code);
        assert.deepEqual(netkit.requests, gnu.requests);
        for (const side of [gnu, netkit]) {
          assert.deepEqual(sizes(side.run), [["ro/small.bin", 11]]);
          assert.equal(side.run.files.get("ro/small.bin")!.mtime, Date.UTC(2020, 0, 1));
        }
        // netkit's line is GNU's last (GNU says the system's first); -O's is GNU's `perror`
        // line; --backups names the rename (GNU's names garbage).
        const expected = args.includes("-O") ? gnu.logs[0]! : args.includes("--backups=1")
          ? [
            "Cannot write to ‘ro/small.bin’ (Failed to rename ro/small.bin to ro/small.bin.1: " +
            "Read-only file system).",
          ]
          : gnu.logs[0]!.filter((line) => !/^ro\/small\.bin: /.test(line));
        assert.deepEqual(netkit.logs[0], expected);
      });
    }
  },
);

/** Runs both wgets in directories of their own below `dir`, each prepared by `setup`. */
async function bothInDirs(
  dir: string,
  args: (base: string) => string[],
  setup: (cwd: string) => Promise<void> = async () => {},
) {
  await using server = startSite();
  const sides: Record<string, { code: number; log: string[]; requests: string[]; cwd: string }> =
    {};
  for (const tool of ["gnu", "netkit"] as const) {
    const cwd = `${dir}/${tool}`;
    await Deno.mkdir(cwd);
    await setup(cwd);
    const from = server.requests.length;
    const run = await runWgetLogged(tool, args(server.base), cwd, { LC_ALL: "C.UTF-8" });
    sides[tool] = {
      code: run.code,
      log: logLines(run.stderr),
      requests: requestLines(server.requests.slice(from)),
      cwd,
    };
  }
  return { gnu: sides.gnu!, netkit: sides.netkit! };
}

peerTest(
  "wget --backups=N never writes over a file whose backup cannot be made (GNU says Failed to rename and writes over it): exit 3, every file kept",
  ["wget"],
  async (t) => {
    const cases = [
      { name: "NAME.1 a directory", backups: 1, files: { "small.bin": "the user's\n" } },
      {
        name: "NAME.2 a directory",
        backups: 2,
        files: { "small.bin": "the user's\n", "small.bin.1": "an older one\n" },
      },
    ];
    for (const { name, backups, files } of cases) {
      await t.step(name, async () => {
        await using dir = await tempDir();
        const blocked = `small.bin.${backups}`;
        const { gnu, netkit } = await bothInDirs(
          dir.path,
          (base) => ["-nv", `--backups=${backups}`, `${base}/small.bin`],
          async (cwd) => {
            for (const [path, text] of Object.entries(files)) {
              await Deno.writeTextFile(`${cwd}/${path}`, text);
            }
            await Deno.mkdir(`${cwd}/${blocked}/inside`, { recursive: true });
          },
        );
        // GNU: the rename failed, said in a line of its own, and the file written over anyway.
        // (Only the line's start: GNU 1.21.3 prints freed memory for the first name, bytes that
        // change from run to run and once held a newline in CI, `Failed to rename \x{fffd}\x{fffd}i`.)
        assert.equal(gnu.code, 0);
        assert.match(gnu.log[0]!, /^Failed to rename /);
        assert.equal((await Deno.stat(`${gnu.cwd}/small.bin`)).size, 5_000);
        // netkit: nothing written, the user's files as they were, one line, exit 3.
        assert.equal(netkit.code, 3);
        const from = backups === 1 ? "small.bin" : "small.bin.1";
        assert.deepEqual(netkit.log, [
          `Cannot write to ‘small.bin’ (Failed to rename ${from} to ${blocked}: Is a directory).`,
        ]);
        for (const [path, text] of Object.entries(files)) {
          assert.equal(await Deno.readTextFile(`${netkit.cwd}/${path}`), text, path);
        }
        assert.ok((await Deno.stat(`${netkit.cwd}/${blocked}/inside`)).isDirectory);
        assert.deepEqual(netkit.requests, gnu.requests);
      });
    }
    await t.step("-r", async () => {
      await using dir = await tempDir();
      const { gnu, netkit } = await bothInDirs(
        dir.path,
        (base) => ["-nv", "-r", "-l", "1", "-nH", "--backups=1", `${base}/`],
        async (cwd) => {
          await Deno.writeTextFile(`${cwd}/small.bin`, "the user's\n");
          await Deno.mkdir(`${cwd}/small.bin.1/inside`, { recursive: true });
        },
      );
      assert.equal(gnu.code, 0);
      assert.equal(netkit.code, 3);
      assert.equal(await Deno.readTextFile(`${netkit.cwd}/small.bin`), "the user's\n");
      assert.deepEqual(netkit.requests, gnu.requests);
      // The rest of the run is GNU's: the other files, and the log but for that URL's lines.
      const line =
        "Cannot write to ‘small.bin’ (Failed to rename small.bin to small.bin.1: Is a directory).";
      assert.deepEqual(
        netkit.log.filter((l) => l !== line),
        gnu.log.filter((l) => !/^Failed to rename|small\.bin/.test(l)),
      );
      assert.ok(netkit.log.includes(line));
    });
  },
);

peerTest(
  "wget -r, -m, -k and --convert-file-only refuse an -O that is not a regular file (standard output, /dev/null), as GNU wget: exit 1 before any request",
  ["wget"],
  async (t) => {
    const cases = [
      ["-r", "-O", "-"],
      ["-m", "-O", "-"],
      ["-r", "-q", "-O", "-"],
      ["-k", "-O", "-"],
      ["--convert-file-only", "-O", "-"],
      ["-r", "-O", "/dev/null"],
    ];
    for (const args of cases) {
      await t.step(args.join(" "), async () => {
        await using dir = await tempDir();
        const { gnu, netkit } = await bothInDirs(
          dir.path,
          (base) => [...args, `${base}/small.bin`],
        );
        assert.equal(gnu.code, 1);
        assert.equal(netkit.code, 1);
        assert.deepEqual(netkit.log, gnu.log);
        assert.deepEqual(gnu.requests, []);
        assert.deepEqual(netkit.requests, []);
      });
    }
    // -p alone may stream to standard output; -m and -r -N with an -O file say -N does nothing.
    for (const args of [["-p", "-O", "-"], ["-m", "-O", "out"], ["-r", "-N", "-O", "out"]]) {
      await t.step(args.join(" "), async () => {
        await using dir = await tempDir();
        const { gnu, netkit } = await bothInDirs(
          dir.path,
          (base) => ["-nv", ...args, `${base}/small.bin`],
        );
        assert.equal(gnu.code, 0);
        assert.equal(netkit.code, 0);
        assert.deepEqual(netkit.log.slice(0, 4), gnu.log.slice(0, 4));
        assert.deepEqual(netkit.requests, gnu.requests);
      });
    }
  },
);
