/**
 * GNU wget and netkit's wget run side by side for their verbose logs: each in a directory of its
 * own (holding a copy of a file when asked), under a UTF-8 locale, with what differs between any
 * two runs (dates, rates, times) shaped away, for `assert.equal` of the two logs.
 *
 * @module
 */

import { commandArgs } from "./run.ts";

/** What one wget did: its exit code, its log (shaped), its stdout and the files it left. */
export interface WgetLogRun {
  code: number;
  /** stderr, through {@linkcode shapeWgetLog}. */
  log: string;
  stdout: string;
  /** `NAME: CONTENT` of each file in its directory, sorted. */
  files: string[];
}

/** A file put in each tool's directory before it runs. */
export interface WgetLogCopy {
  name: string;
  bytes: Uint8Array;
  /** Its modification time (default: now). */
  mtime?: Date;
}

/**
 * `text` with the run's dates, rates and times left replaced (`DATE`, `(RATE)`, `RATE=TIME`, a
 * progress line cut after its percentage, a several-URL run's wall clock and total time); an empty body's rate, `0.00 =0s`, is kept.
 */
export function shapeWgetLog(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE")
    .replace(/ (\d+%) .*$/gm, " $1")
    .replace(/ +(?!0\.00 =)[\d.]+[ KMG]?=[\d.]+s$/gm, " RATE=TIME")
    .replace(/\([\d.]+ [KMG]?B\/s\)/g, "(RATE)")
    // The summary of a run of several URLs.
    .replace(/(wall clock time:) .*/, "$1 TIME")
    .replace(/^(Downloaded: .*) in [^ ]+ \(RATE\)$/m, "$1 in TIME (RATE)");
}

/** Runs GNU wget, then netkit's wget, with `args` in two new directories under `dir`. */
export async function bothWgetLogs(
  dir: string,
  args: string[],
  copy?: WgetLogCopy,
): Promise<{ gnu: WgetLogRun; netkit: WgetLogRun }> {
  const tag = crypto.randomUUID();
  const decoder = new TextDecoder();
  const run = async (argv: string[], cwd: string): Promise<WgetLogRun> => {
    await Deno.mkdir(cwd);
    if (copy) {
      await Deno.writeFile(`${cwd}/${copy.name}`, copy.bytes);
      if (copy.mtime) await Deno.utime(`${cwd}/${copy.name}`, copy.mtime, copy.mtime);
    }
    const out = await new Deno.Command(argv[0]!, {
      args: argv.slice(1),
      cwd,
      stderr: "piped",
      stdout: "piped",
      env: { LC_ALL: "C.UTF-8" },
    }).output();
    const files: string[] = [];
    for await (const entry of Deno.readDir(cwd)) {
      files.push(`${entry.name}: ${decoder.decode(await Deno.readFile(`${cwd}/${entry.name}`))}`);
    }
    return {
      code: out.code,
      log: shapeWgetLog(decoder.decode(out.stderr)),
      stdout: decoder.decode(out.stdout),
      files: files.sort(),
    };
  };
  return {
    gnu: await run(["wget", ...args], `${dir}/gnu-${tag}`),
    netkit: await run([Deno.execPath(), ...commandArgs("wget"), ...args], `${dir}/netkit-${tag}`),
  };
}
