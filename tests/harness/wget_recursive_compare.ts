/**
 * Helpers of the `wget -r` side-by-side tests (`tests/cmd/wget-recursive-*_test.ts`): GNU wget
 * or netkit's run on the same nginx, quiet into a directory or as a command with its log, and the
 * requests nginx logged meanwhile.
 *
 * @module
 */

import { main } from "../../cmd/wget.ts";
import { nginxAccepts, snapshotTree } from "./test_site.ts";

/**
 * Where the requests to come will start in nginx's `log`: its length once nginx (on `port`) has
 * answered a request of this function's own, so every request before it is logged (a wget that
 * has just ended may have its last answer while nginx has not yet written its line).
 */
export async function nginxLogEnd(log: string, port: number): Promise<number> {
  await nginxAccepts(port);
  return (await Deno.readTextFile(log)).length;
}

/**
 * The requests nginx logged in `log` (combined format) since `from` characters, as
 * `METHOD /path STATUS`, without `/status` (the probe).
 */
export async function requestsSince(log: string, from: number, port: number): Promise<string[]> {
  // A request of its own first: nginx has logged every earlier one by the time it answers.
  await nginxAccepts(port);
  const text = (await Deno.readTextFile(log)).slice(from);
  return text.split("\n").flatMap((line) => {
    const match = line.match(/"(\S+) (\S+) HTTP\/[\d.]+" (\d+)/);
    return match && match[2] !== "/status" ? [`${match[1]} ${match[2]} ${match[3]}`] : [];
  });
}

/** GNU wget's log without what differs from run to run: dates, progress, rates, times. */
export function stableLines(stderr: string): string[] {
  return stderr.split("\n")
    .map((line) => line.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE"))
    .filter((line) => !/^\s+0K|\(.*\/s\)|^Total wall clock time:|^Downloaded:/.test(line));
}

/**
 * The closing line's count of files and bytes without its times (`Downloaded: 7 files, 1.3K`),
 * which {@linkcode stableLines} drops with the rest of the line; none when there is none.
 */
export function downloadedCount(stderr: string): string[] {
  const match = stderr.match(/^Downloaded: (\d+ files?, \S+) in /m);
  return match ? [`Downloaded: ${match[1]}`] : [];
}

/** Runs GNU wget (`gnu`) or netkit's (`netkit`, in this process) with `-q args -P out`. */
export async function runWgetQuiet(tool: string, args: string[], out: string): Promise<number> {
  if (tool === "netkit") return await main(["-q", ...args, "-P", out]);
  const run = await new Deno.Command("wget", {
    args: ["-q", ...args, "-P", out],
    stdout: "null",
    stderr: "null",
  }).output();
  return run.code;
}

/** Runs GNU wget or netkit's as a command in `cwd`; its exit code and what it wrote on stderr. */
export async function runWgetLogged(
  tool: string,
  args: string[],
  cwd: string,
  env?: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  const argv = tool === "gnu"
    ? ["wget"]
    : [Deno.execPath(), "run", "-A", new URL("../../cmd/wget.ts", import.meta.url).pathname];
  const run = await new Deno.Command(argv[0]!, {
    args: [...argv.slice(1), ...args],
    cwd,
    ...(env ? { env } : {}),
    stderr: "piped",
  }).output();
  return { code: run.code, stderr: new TextDecoder().decode(run.stderr) };
}

/** What one wget did against nginx: exit code, requests logged, files (path and digest). */
export interface NginxRunOutcome {
  code: number;
  /** nginx's requests meanwhile (`METHOD /path STATUS`), sorted: as a multiset. */
  requests: string[];
  /** Every file it left, `[path, digest]`, sorted. */
  files: [string, string][];
}

/**
 * Runs GNU wget, then netkit's, quiet with `args` into `dir/gnu` and `dir/netkit` (each emptied
 * first), against nginx on `port` logging to `log`; what each did, GNU's first.
 */
export async function bothWgetsOnNginx(
  dir: string,
  log: string,
  port: number,
  args: string[],
): Promise<[NginxRunOutcome, NginxRunOutcome]> {
  const outcomes: NginxRunOutcome[] = [];
  for (const tool of ["gnu", "netkit"]) {
    const out = `${dir}/${tool}`;
    await Deno.remove(out, { recursive: true }).catch(() => {});
    const from = (await Deno.readTextFile(log).catch(() => "")).length;
    const code = await runWgetQuiet(tool, args, out);
    const requests = (await requestsSince(log, from, port)).sort();
    const files = [...(await snapshotTree(out).catch(() => new Map<string, string>()))].sort();
    outcomes.push({ code, requests, files });
  }
  return [outcomes[0]!, outcomes[1]!];
}
