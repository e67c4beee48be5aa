/**
 * netkit's wget beside another wget (GNU wget 1.21, BusyBox's) on the same loopback servers: for
 * each case both run in a directory of their own, prepared alike, and the tests compare the exit
 * codes, the files left on disk and the requests the server saw.
 *
 * @module
 */

import { deepEqual, equal } from "node:assert/strict";
import type { RawServer } from "./raw_http_server.ts";
import { commandArgs } from "./run.ts";

/** The wget that runs a case: GNU's, BusyBox's or netkit's. */
export type Tool = "gnu" | "busybox" | "netkit";

/** What one tool did. */
export interface Outcome {
  code: number;
  /** The files in its directory afterwards, name → content. */
  files: Record<string, string>;
  /** The requests the server saw: `METHOD TARGET` and the Range header when sent. */
  requests: string[];
  stderr: string;
  /** What it wrote on stdout (`-O -`), with `captureStdout`. */
  stdout: string;
  /** The directory it ran in. */
  dir: string;
}

/** One case run by both tools. */
export interface Case {
  /** Arguments after `wget`. */
  args: string[];
  /** Files to put in the directory first. */
  files?: Record<string, string>;
  /** The mtime of the files made first. */
  mtime?: Date | undefined;
  /** Directories to make first. */
  dirs?: string[];
  /** Extra environment. */
  env?: Record<string, string>;
  /** A command that runs the tool's command line (its argv follows), e.g. in a namespace. */
  wrapper?: string[];
  /**
   * Keep what the tool writes on stdout (for `-O -`); else it goes to /dev/null. (A pipe there
   * changes GNU wget's timing, which mattered while raw-server replies did not say the close that
   * follows them: GNU wget then raced the server's close; see tests/harness/raw_http_server.ts.)
   */
  captureStdout?: boolean;
}

const decoder = new TextDecoder();
// Deno's cache stays where it is when a case moves HOME (for a .netrc).
const DENO_DIR = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;

function summarise(head: string): string {
  const [method, target] = head.split(" ");
  const range = /\r\nRange: *([^\r]*)/i.exec(head);
  return range ? `${method} ${target} Range: ${range[1]}` : `${method} ${target}`;
}

async function readFiles(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const names = [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
  for (const name of names) {
    files[name] = Deno.statSync(`${dir}/${name}`).isDirectory
      ? "(directory)"
      : await Deno.readTextFile(`${dir}/${name}`);
  }
  return files;
}

/** Runs `job` with `tool` in `dir/TOOL`, prepared as the job says; returns what it did. */
export async function runTool(
  tool: Tool,
  dir: string,
  server: RawServer | undefined,
  job: Case,
): Promise<Outcome> {
  const cwd = `${dir}/${tool}`;
  await Deno.mkdir(cwd);
  for (const sub of job.dirs ?? []) await Deno.mkdir(`${cwd}/${sub}`);
  for (const [name, text] of Object.entries(job.files ?? {})) {
    await Deno.writeTextFile(`${cwd}/${name}`, text);
    if (job.mtime) await Deno.utime(`${cwd}/${name}`, job.mtime, job.mtime);
  }
  const before = server?.requests.length ?? 0;
  const argv = tool === "gnu"
    ? ["wget", ...job.args]
    : tool === "busybox"
    ? ["busybox", "wget", ...job.args]
    : [Deno.execPath(), ...commandArgs("wget"), ...job.args];
  const [program, ...args] = [...(job.wrapper ?? []), ...argv];
  const output = await new Deno.Command(program!, {
    args,
    cwd,
    // "$CWD" in a value stands for the tool's own directory (HOME for a .netrc there).
    env: Object.fromEntries(
      // Deno's own update check would go through a case's https_proxy.
      Object.entries({ LC_ALL: "C.UTF-8", DENO_DIR, DENO_NO_UPDATE_CHECK: "1", ...job.env }).map((
        [k, v],
      ) => [k, v.replace("$CWD", cwd)]),
    ),
    stdin: "null",
    stdout: job.captureStdout ? "piped" : "null",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    files: await readFiles(cwd),
    requests: (server?.requests.slice(before) ?? []).map(summarise),
    stderr: decoder.decode(output.stderr),
    stdout: job.captureStdout ? decoder.decode(output.stdout) : "",
    dir: cwd,
  };
}

/** Runs `job` with GNU wget, then with netkit; returns both outcomes. */
export async function sideBySide(
  dir: string,
  server: RawServer | undefined,
  job: Case,
): Promise<{ gnu: Outcome; netkit: Outcome }> {
  const name = job.args.join(" ").replace(/[^\w.-]+/g, "_").slice(-60);
  const caseDir = await Deno.makeTempDir({ dir, prefix: `${name}_` });
  const gnu = await runTool("gnu", caseDir, server, job);
  const netkit = await runTool("netkit", caseDir, server, job);
  return { gnu, netkit };
}

/** Runs `job` with GNU wget, BusyBox wget and netkit; returns the three outcomes. */
export async function threeWay(
  dir: string,
  server: RawServer | undefined,
  job: Case,
): Promise<{ gnu: Outcome; busybox: Outcome; netkit: Outcome }> {
  const name = job.args.join(" ").replace(/[^\w.-]+/g, "_").slice(-60);
  const caseDir = await Deno.makeTempDir({ dir, prefix: `${name}_` });
  const gnu = await runTool("gnu", caseDir, server, job);
  const busybox = await runTool("busybox", caseDir, server, job);
  const netkit = await runTool("netkit", caseDir, server, job);
  return { gnu, busybox, netkit };
}

/** Asserts that both tools exited alike, left the same files and sent the same requests. */
export function assertSame(
  both: { gnu: Outcome; netkit: Outcome },
  what: string,
  compare: { requests?: boolean } = {},
): void {
  const { gnu, netkit } = both;
  const detail = `${what}\nGNU: ${gnu.stderr}\nnetkit: ${netkit.stderr}`;
  equal(netkit.code, gnu.code, `exit code: ${detail}`);
  deepEqual(netkit.files, gnu.files, `files: ${detail}`);
  if (compare.requests !== false) deepEqual(netkit.requests, gnu.requests, `requests: ${detail}`);
}
