/**
 * What `bench/wget_mirror.ts` and `bench/wget_mirror_real.ts` share: running a tool under GNU time
 * (and `perf stat`), the median, a tree of files by path, and the paired ratio of two rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { median, pairedRatio } from "./_mirror_runs.ts";
 *
 * assert.equal(median([3, 1, 2]), 2);
 * assert.equal(pairedRatio([2, 4, 9], [1, 2, 3]), "2.000 (2.00–3.00)");
 * ```
 *
 * @module
 */

/** The median of `values` (the upper one of an even count); NaN when empty. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * The median of each round's `values[i] / reference[i]`, with the smallest and largest, as
 * `"1.234 (1.10–1.50)"`.
 */
export function pairedRatio(values: number[], reference: number[]): string {
  const ratios = values.map((v, i) => v / reference[i]!);
  return `${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(2)}–${
    Math.max(...ratios).toFixed(2)
  })`;
}

/** One run's figures. */
export interface Measured {
  /** Wall milliseconds, from the spawn to the exit. */
  ms: number;
  /** Peak resident KiB (GNU time's `%M`). */
  kib: number;
  /** CPU milliseconds, user + system (`perf stat`'s task-clock); NaN without `cpu`. */
  cpuMs: number;
  /** User milliseconds (`perf stat`'s user_time); NaN without `cpu`. */
  userMs: number;
}

/**
 * Runs `argv` in `cwd` under GNU time (and `perf stat` with `cpu`), its output thrown away.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { measure } from "./_mirror_runs.ts";
 *
 * const { ms } = await measure(["true"], "/tmp");
 * assert.ok(ms > 0);
 * ```
 */
export async function measure(argv: string[], cwd: string, cpu = false): Promise<Measured> {
  // perf outside GNU time, so that %M is the tool's peak, not perf's own (~14 MiB).
  const command = cpu
    ? ["perf", "stat", "-x,", "-e", "task-clock,user_time", "--", "/usr/bin/time"]
    : ["/usr/bin/time"];
  const start = performance.now();
  const { stderr } = await new Deno.Command(command[0]!, {
    args: [...command.slice(1), "-f", "maxrss=%M", ...argv],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - start;
  const text = new TextDecoder().decode(stderr);
  const kib = Number(/maxrss=(\d+)/.exec(text)?.[1] ?? NaN);
  const cpuMs = Number(/^([0-9.]+),msec,task-clock/m.exec(text)?.[1] ?? NaN);
  const userMs = Number(/^([0-9.]+),ns,user_time/m.exec(text)?.[1] ?? NaN) / 1e6;
  return { ms, kib, cpuMs, userMs };
}

/** Whether `name --version` runs and succeeds. */
export function hasCommand(name: string): boolean {
  try {
    return new Deno.Command(name, { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** How many files (not directories) are under `dir`. */
export async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for await (const entry of Deno.readDir(dir)) {
    n += entry.isDirectory ? await countFiles(`${dir}/${entry.name}`) : 1;
  }
  return n;
}

/**
 * Every file under `dir` by relative path: its SHA-256, and its modification time unless
 * `mtimes` is false.
 */
export async function tree(
  dir: string,
  mtimes = true,
  relative = "",
  files: Map<string, string> = new Map(),
): Promise<Map<string, string>> {
  for await (const entry of Deno.readDir(`${dir}/${relative}`)) {
    const path = `${relative}${entry.name}`;
    if (entry.isDirectory) await tree(dir, mtimes, `${path}/`, files);
    else {
      const bytes = await Deno.readFile(`${dir}/${path}`);
      const digest = await crypto.subtle.digest("SHA-256", bytes);
      const mtime = mtimes ? ` ${(await Deno.stat(`${dir}/${path}`)).mtime?.getTime()}` : "";
      files.set(path, `${new Uint8Array(digest).join(",")} ${bytes.length}${mtime}`);
    }
  }
  return files;
}

/** The paths where two trees differ (present in one only, or other bytes). */
export function treeDifferences(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((path) => a.get(path) !== b.get(path));
}
