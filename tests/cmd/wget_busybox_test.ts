/**
 * netkit's wget beside BusyBox's wget (Debian's busybox-static) and GNU wget on the same loopback
 * server, for the options BusyBox has: `-O`, `-q`, `-S`, `-c`, `-P`, `-Y off`, `--header`, `-U`,
 * `--post-data`, `--spider`, `-o`. Where BusyBox and GNU agree, netkit must agree with both (same
 * files, exit code, request); where they differ, netkit follows GNU, and the test says where.
 * BusyBox 1.35's `-T SECONDS` is left out: Debian's busybox-static crashes on it (SIGSEGV, exit
 * 139, with any URL), so there is nothing to compare; netkit's `-T` is compared with GNU's in
 * wget_gnu_network_test.ts.
 */

import assert, { deepEqual, equal } from "node:assert/strict";
import { peerTest, tempDir } from "../harness/peers.ts";
import {
  type RecordedRequest,
  type RecordingServer,
  startRecordingServer,
} from "../harness/recording_http_server.ts";
import { type Case, type Outcome, runTool, type Tool } from "../harness/wget_side_by_side.ts";

const BODY = "0123456789".repeat(20);
const decoder = new TextDecoder();

function startServer(): RecordingServer {
  return startRecordingServer({
    handle: (request) => {
      if (request.target === "/missing") return { status: 404, reason: "Not Found", body: "no\n" };
      if (request.target === "/echo") return { body: request.body };
      const range = /^bytes=(\d+)-$/.exec(
        request.headers.find(([name]) => /^range$/i.test(name))?.[1] ?? "",
      );
      if (!range) return { headers: [["Content-Type", "text/plain"]], body: BODY };
      const from = Number(range[1]);
      return {
        status: 206,
        reason: "Partial Content",
        headers: [["Content-Range", `bytes ${from}-${BODY.length - 1}/${BODY.length}`]],
        body: BODY.slice(from),
      };
    },
  });
}

/** What the server saw of a request: method, target, the headers a case sets, the body. */
function seen(request: RecordedRequest): string {
  const header = (name: string) =>
    request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  return [
    `${request.method} ${request.target}`,
    `range=${header("Range") ?? ""}`,
    `x-test=${header("X-Test") ?? ""}`,
    `agent=${header("User-Agent")?.startsWith("netkit") ? "" : header("User-Agent") ?? ""}`,
    `body=${decoder.decode(request.body)}`,
  ].join(" ");
}

interface Run extends Outcome {
  seen: string[];
}

async function runAll(
  dir: string,
  server: RecordingServer,
  job: Case,
): Promise<Record<Tool, Run>> {
  const name = job.args.join(" ").replace(/[^\w.-]+/g, "_").slice(-60);
  const caseDir = await Deno.makeTempDir({ dir, prefix: `${name}_` });
  const runs = {} as Record<Tool, Run>;
  for (const tool of ["gnu", "busybox", "netkit"] as const) {
    const before = server.requests.length;
    const outcome = await runTool(tool, caseDir, undefined, { ...job, captureStdout: true });
    // Default User-Agents differ by design (Wget/1.21, Wget, netkit-wget): a -U one is compared.
    const requests = server.requests.slice(before).map(seen).map((line) =>
      line.replace(/agent=(Wget\/[\d.]+|Wget)( |$)/, "agent=$2")
    );
    runs[tool] = { ...outcome, seen: requests };
  }
  return runs;
}

/** netkit agrees with GNU wget in all things, and with BusyBox in those `withBusybox` names. */
function assertAgree(
  runs: Record<Tool, Run>,
  what: string,
  withBusybox: readonly ("code" | "files" | "stdout" | "seen")[],
): void {
  const { gnu, busybox, netkit } = runs;
  const detail =
    `${what}\nGNU: ${gnu.stderr}\nBusyBox: ${busybox.stderr}\nnetkit: ${netkit.stderr}`;
  equal(netkit.code, gnu.code, `exit code vs GNU: ${detail}`);
  deepEqual(netkit.files, gnu.files, `files vs GNU: ${detail}`);
  equal(netkit.stdout, gnu.stdout, `stdout vs GNU: ${detail}`);
  deepEqual(netkit.seen, gnu.seen, `requests vs GNU: ${detail}`);
  for (const part of withBusybox) {
    deepEqual(netkit[part], busybox[part], `${part} vs BusyBox: ${detail}`);
  }
}

peerTest(
  "wget agrees with BusyBox wget where BusyBox agrees with GNU wget, and follows GNU elsewhere",
  ["wget", "busybox"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/file.txt`;
    const all = ["code", "files", "stdout", "seen"] as const;
    const cases: [Case, readonly ("code" | "files" | "stdout" | "seen")[]][] = [
      [{ args: [url] }, all],
      [{ args: ["-q", "-O", "out", url] }, all],
      [{ args: ["-q", "-O", "-", url] }, all],
      [{ args: ["-q", "-P", "sub", url], dirs: ["sub"] }, all],
      // BusyBox does not make a missing -P directory (exit 1); GNU does; netkit follows GNU.
      [{ args: ["-q", "-P", "made/here", url] }, ["stdout"]],
      [{ args: ["-q", "-c", url], files: { "file.txt": BODY.slice(0, 37) } }, all],
      [{ args: ["-q", "-U", "agent/1", "--header", "X-Test: yes", url] }, all],
      [{ args: ["-q", "-O", "out", "--post-data", "a=1&b=2", `${server.base}/echo`] }, all],
      // BusyBox's spider asks with GET, GNU's with HEAD; netkit follows GNU.
      [{ args: ["-q", "--spider", url] }, ["code", "files", "stdout"]],
      [{ args: ["-q", "--spider", `${server.base}/missing`] }, ["files", "stdout"]],
      [{ args: ["-q", "-o", "log", "-O", "out", url] }, ["code", "stdout", "seen"]],
      // A dead proxy in the environment: -Y off goes direct (GNU takes -Y too).
      [{ args: ["-q", "-Y", "off", url], env: { http_proxy: "http://127.0.0.1:1" } }, all],
      // BusyBox exits 1 for a 404, GNU 8; netkit follows GNU.
      [{ args: ["-q", `${server.base}/missing`] }, ["files", "stdout", "seen"]],
      // BusyBox refuses to overwrite (exit 1); GNU saves file.txt.1; netkit follows GNU.
      [{ args: ["-q", url], files: { "file.txt": "old\n" } }, ["stdout", "seen"]],
    ];
    for (const [job, withBusybox] of cases) {
      const runs = await runAll(dir.path, server, job);
      assertAgree(runs, job.args.join(" "), withBusybox);
    }
    // -S prints the response head on stderr, with -q too, in all three.
    const heads = await runAll(dir.path, server, { args: ["-q", "-S", "-O", "out", url] });
    for (const run of Object.values(heads)) {
      assert.match(run.stderr, /^ {2}HTTP\/1\.1 200 OK$/m, run.stderr);
      assert.match(run.stderr, /^ {2}Content-Length: 200$/m, run.stderr);
    }
    assertAgree(heads, "-q -S", ["code", "files"]);
  },
);
