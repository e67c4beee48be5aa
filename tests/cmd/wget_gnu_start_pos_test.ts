/**
 * `--start-pos=OFFSET` (`-e start_pos=OFFSET`) beside GNU Wget 1.21.3: each download asks for
 * `Range: bytes=OFFSET-` and writes the bytes from there to the file a download would make (a free
 * name, `NAME.1`, beside a file of the name; appended to a file written over, as GNU's "ab": `-x`,
 * `-O`), `-nc` skips a file that is there, `-c` beside it is dropped with GNU's line, a server that
 * ignores Range has the first OFFSET bytes of its body skipped, and one with no bytes after OFFSET
 * (416, a shorter body) leaves "The file is already fully retrieved". The files, the Range headers
 * the server saw, the exit codes and the key log lines are compared.
 */

import { deepEqual, equal, match } from "node:assert/strict";
import { peerTest, tempDir } from "../harness/peers.ts";
import { type RecordingServer, startRecordingServer } from "../harness/recording_http_server.ts";
import { type Case, runTool } from "../harness/wget_side_by_side.ts";

/** The file served: 3000 bytes, each run of ten telling where it is. */
const BODY = Array.from({ length: 300 }, (_, i) => `${i}`.padStart(9, "-") + "\n").join("");

/** Reads every file below `dir`, by its path there. */
async function tree(dir: string, prefix = ""): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : 1)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) Object.assign(files, await tree(path, `${prefix}${entry.name}/`));
    else files[`${prefix}${entry.name}`] = await Deno.readTextFile(path);
  }
  return files;
}

/**
 * Runs `job` with GNU wget and with netkit in a directory of its own below `dir`, against
 * `server`, and compares their exit codes, the requests each made (method, target, Range,
 * Accept-Encoding), the files they left and their stderr as `logOf` reads it.
 */
async function compareBoth(
  dir: string,
  server: RecordingServer,
  job: Case,
  logOf: (stderr: string) => unknown,
): Promise<void> {
  const caseDir = await Deno.makeTempDir({ dir });
  const seen: Record<string, string[]> = {};
  const outcome: Record<string, Awaited<ReturnType<typeof runTool>>> = {};
  for (const tool of ["gnu", "netkit"] as const) {
    const before = server.requests.length;
    outcome[tool] = await runTool(tool, caseDir, undefined, job);
    seen[tool] = server.requests.slice(before).map((request) => {
      const range = request.headers.find(([name]) => /^range$/i.test(name))?.[1];
      return `${request.method} ${request.target} ${range ?? "-"}`;
    });
  }
  const gnu = outcome.gnu!;
  const netkit = outcome.netkit!;
  const what = `${job.args.join(" ")}\nGNU: ${gnu.stderr}\nnetkit: ${netkit.stderr}`;
  equal(netkit.code, gnu.code, what);
  deepEqual(seen.netkit, seen.gnu, what);
  deepEqual(await tree(netkit.dir), await tree(gnu.dir), what);
  deepEqual(logOf(netkit.stderr), logOf(gnu.stderr), what);
}

/** The log lines compared: lengths, what was saved (no time, no rate), GNU's warnings. */
function keyLines(stderr: string): string[] {
  return stderr.split("\n").flatMap((line) => {
    if (/^(Length|HTTP request sent|Saving to|Specifying|Compression|wget:|Cannot)/.test(line)) {
      return [line];
    }
    // -nv's line, without its time.
    const nv = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (URL:.*)$/.exec(line);
    if (nv) return [nv[1]!];
    if (/fully retrieved|Continuing|already there/.test(line)) return [line.trim()];
    const saved = / - (.* saved \[.*\])$/.exec(line);
    return saved ? [saved[1]!] : [];
  });
}

peerTest(
  "wget --start-pos asks for the bytes from OFFSET and writes them as GNU wget 1.21.3 does",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startRecordingServer({
      handle: (request) => {
        const range = request.headers.find(([name]) => /^range$/i.test(name))?.[1];
        const from = /^bytes=(\d+)-$/.exec(range ?? "");
        const headers: [string, string][] = [
          ["Content-Type", "text/plain"],
          ["Last-Modified", "Tue, 01 Dec 2026 00:00:00 GMT"],
        ];
        if (from && !request.target.startsWith("/norange/")) {
          const start = Number(from[1]);
          if (start >= BODY.length) {
            return { status: 416, reason: "Range Not Satisfiable", headers, body: "" };
          }
          headers.push(["Content-Range", `bytes ${start}-${BODY.length - 1}/${BODY.length}`]);
          return { status: 206, reason: "Partial Content", headers, body: BODY.slice(start) };
        }
        return { headers, body: BODY };
      },
    });
    const url = `${server.base}/srv/f.txt`;
    const host = `127.0.0.1:${server.port}`;
    const old = { "f.txt": "old\n" };
    const cases: { args: string[]; files?: Record<string, string>; dirs?: string[] }[] = [
      { args: ["--start-pos=1000", url] },
      { args: ["--start-pos=1000", url], files: old },
      { args: ["-e", "start_pos=1k", url], files: old },
      { args: ["--start-pos=1000", "-nc", url], files: old },
      { args: ["--start-pos=1000", "-c", url], files: old },
      { args: ["--start-pos=1000", "-O", "out", url, `${server.base}/norange/g.txt`] },
      { args: ["--start-pos=1000", "-O", "f.txt", url], files: old },
      { args: ["--start-pos=1000", `${server.base}/norange/g.txt`] },
      { args: ["--start-pos=3000", url] },
      { args: ["--start-pos=3000", `${server.base}/norange/g.txt`] },
      {
        args: ["--start-pos=2990", "-x", url],
        dirs: [host, `${host}/srv`],
        files: { [`${host}/srv/f.txt`]: "old\n" },
      },
      { args: ["--start-pos=0", url], files: old },
      { args: ["--start-pos=0", "-c", url], files: old },
      { args: ["--start-pos=1000", "--compression=gzip", url] },
      { args: ["--start-pos=1000", "--compression=auto", url] },
      { args: ["--start-pos=1000", "-q", "-c", url], files: old },
      { args: ["--start-pos=1000", "--backups=1", url], files: old },
      { args: ["--start-pos=1000", "-N", url] },
      { args: ["--start-pos=1000", "--spider", url] },
      { args: ["--start-pos=1000", "-nv", url, `${server.base}/srv/g.txt`], files: old },
    ];
    for (const job of cases) await compareBoth(dir.path, server, job, keyLines);
  },
);

peerTest(
  "wget -r --start-pos asks every document from OFFSET, robots.txt too, as GNU wget 1.21.3 (a 416 " +
    "robots.txt cannot be read, and is asked for again at the next link)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const page = "<html>" + " ".repeat(100) + '<a href="a.txt">a</a> <a href="b.html">b</a>\n';
    const pages: Record<string, [string, string]> = {
      "/": [page, "text/html"],
      "/a.txt": [BODY, "text/plain"],
      "/b.html": [page.replace("a.txt", "c.txt"), "text/html"],
      "/c.txt": ["short\n", "text/plain"],
    };
    await using server = startRecordingServer({
      handle: (request) => {
        const found = pages[request.target];
        if (!found) return { status: 404, reason: "Not Found", body: "none\n" };
        const [body, type] = found;
        const range = request.headers.find(([name]) => /^range$/i.test(name))?.[1];
        const from = /^bytes=(\d+)-$/.exec(range ?? "");
        const headers: [string, string][] = [["Content-Type", type]];
        if (!from) return { headers, body };
        const start = Number(from[1]);
        if (start >= body.length) return { status: 416, reason: "Range Not Satisfiable", body: "" };
        headers.push(["Content-Range", `bytes ${start}-${body.length - 1}/${body.length}`]);
        return { status: 206, reason: "Partial Content", headers, body: body.slice(start) };
      },
    });
    const host = `127.0.0.1:${server.port}`;
    const cases: { args: string[]; files?: Record<string, string>; dirs?: string[] }[] = [
      { args: ["--start-pos=100", "-r", "-nv", `${server.base}/`] },
      {
        args: ["--start-pos=100", "-r", `${server.base}/`],
        dirs: [host],
        files: { [`${host}/index.html`]: "old\n" },
      },
      { args: ["--start-pos=2", "-r", "-nd", "-nv", `${server.base}/`] },
      // robots.txt's 416 under -O: GNU reads -O's file for its rules (there: no line missing).
      { args: ["--start-pos=100", "-r", "-nv", "-O", "out", `${server.base}/`] },
    ];
    for (const job of cases) await compareBoth(dir.path, server, job, keyLines);
  },
);

peerTest(
  "wget --start-pos after a body cut short asks from where the file ends (kept different: GNU " +
    "asks from OFFSET again and appends, repeating bytes)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    let answered = 0;
    await using server = startRecordingServer({
      handle: (request) => {
        const range = request.headers.find(([name]) => /^range$/i.test(name))?.[1];
        const start = Number(/^bytes=(\d+)-$/.exec(range ?? "")?.[1] ?? 0);
        const part = BODY.slice(start);
        const headers: [string, string][] = [
          ["Content-Range", `bytes ${start}-${BODY.length - 1}/${BODY.length}`],
        ];
        // Every first answer of a run is cut after 500 bytes of its announced length.
        if (answered++ % 2 === 0) {
          headers.push(["Content-Length", String(part.length)]);
          return { status: 206, headers, raw: part.slice(0, 500), close: true };
        }
        return { status: 206, headers, body: part };
      },
    });
    const job = { args: ["-nv", "--waitretry=0", "--start-pos=1000", `${server.base}/f.txt`] };
    const ranges: Record<string, string[]> = {};
    const outcome: Record<string, Awaited<ReturnType<typeof runTool>>> = {};
    for (const tool of ["gnu", "netkit"] as const) {
      answered = 0;
      const before = server.requests.length;
      outcome[tool] = await runTool(tool, dir.path, undefined, job);
      ranges[tool] = server.requests.slice(before).map((request) =>
        request.headers.find(([name]) => /^range$/i.test(name))?.[1] ?? "-"
      );
    }
    equal(outcome.gnu!.code, 0, outcome.gnu!.stderr);
    equal(outcome.netkit!.code, 0, outcome.netkit!.stderr);
    deepEqual(ranges.gnu, ["bytes=1000-", "bytes=1000-"]);
    deepEqual(ranges.netkit, ["bytes=1000-", "bytes=1500-"]);
    const gnuFile = await Deno.readTextFile(`${outcome.gnu!.dir}/f.txt`);
    equal(gnuFile, BODY.slice(1000, 1500) + BODY.slice(1000));
    equal(await Deno.readTextFile(`${outcome.netkit!.dir}/f.txt`), BODY.slice(1000));
  },
);

peerTest(
  "wget --start-pos is no longer ignored: a Range is sent and only the bytes from OFFSET written",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startRecordingServer({
      handle: () => ({ headers: [["Content-Type", "text/plain"]], body: BODY }),
    });
    const outcome = await runTool("netkit", dir.path, undefined, {
      args: ["-q", "--start-pos=2990", `${server.base}/f.txt`],
    });
    equal(outcome.code, 0, outcome.stderr);
    equal(outcome.stderr, "");
    equal(await Deno.readTextFile(`${outcome.dir}/f.txt`), BODY.slice(2990));
    const range = server.requests[0]?.headers.find(([name]) => /^range$/i.test(name))?.[1];
    match(range ?? "", /^bytes=2990-$/);
  },
);

peerTest(
  "wget --start-pos and -c retry an answer that resumes elsewhere as GNU's RANGEERR (new " +
    "connection, 'Retrying.', 'Giving up.', exit 4), and -r says a 416 page with no file as " +
    "GNU's get_urls_html",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const page = '<a href="a.txt">a</a>\n';
    await using server = startRecordingServer({
      handle: (request) => {
        const range = request.headers.find(([name]) => /^range$/i.test(name))?.[1];
        const start = Number(/^bytes=(\d+)-$/.exec(range ?? "")?.[1] ?? 0);
        if (request.target === "/") {
          // (No Content-Type on the 416: GNU takes the page for HTML.)
          if (start >= page.length) return { status: 416, reason: "Range Not Satisfiable" };
          return { headers: [["Content-Type", "text/html"]], body: page };
        }
        const headers: [string, string][] = [["Content-Type", "text/plain"]];
        // /wrong/: five bytes later than asked; /none/: no Content-Range at all.
        if (request.target.startsWith("/wrong/")) {
          headers.push(["Content-Range", `bytes ${start + 5}-${BODY.length - 1}/${BODY.length}`]);
        }
        const body = BODY.slice(request.target.startsWith("/wrong/") ? start + 5 : start);
        return { status: 206, reason: "Partial Content", headers, body };
      },
    });
    const retry = ["--tries=2", "--waitretry=0"];
    const cases: { args: string[]; files?: Record<string, string> }[] = [
      { args: [...retry, "--start-pos=1000", `${server.base}/wrong/f.txt`] },
      { args: [...retry, "-nv", "--start-pos=1000", `${server.base}/wrong/f.txt`] },
      { args: [...retry, "--start-pos=1000", `${server.base}/none/f.txt`] },
      {
        args: [...retry, "-c", `${server.base}/wrong/f.txt`],
        files: { "f.txt": "x".repeat(1000) },
      },
      { args: ["--start-pos=1000", "-r", `${server.base}/`] },
      { args: ["--start-pos=1000", "-r", "-nv", `${server.base}/`] },
    ];
    const masked = (stderr: string) =>
      stderr.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE").replaceAll(
        String(server.port),
        "PORT",
      );
    for (const job of cases) await compareBoth(dir.path, server, job, masked);
  },
);
