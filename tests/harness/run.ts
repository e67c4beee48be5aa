/**
 * Test helpers for running programs and commands: a subprocess with its output collected and a
 * time limit, the commands present in `cmd/`, and a command's `main()` run with its console
 * output captured.
 *
 * @module
 */

import { isCommandFileName } from "../../cmd/commands.ts";

/** The project root (no trailing slash). */
export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/** What a finished program gave. */
export interface RunResult {
  /** The exit code (137 or so when killed at the time limit). */
  code: number;
  /** Its standard output, as text. */
  stdout: string;
  /** Its standard error, as text. */
  stderr: string;
}

/** Options of {@linkcode run}. */
export interface RunOptions {
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** The working directory. @default {ROOT} */
  cwd?: string;
  /**
   * Killed after this long, so a command that ignores its arguments cannot hang the tests. A guard
   * against hangs, not a deadline: generous, for a loaded machine, where a type check from an
   * empty cache (`deno compile`, `deno publish`) took over two minutes with several full runs at
   * once (a few seconds alone). @default {300000}
   */
  timeoutMs?: number;
  /** Text fed to its standard input, which is then closed; no input at all when undefined. */
  stdin?: string | undefined;
}

/** Runs `program` with `args`, no standard input, and collects its output. */
export async function run(
  program: string,
  args: string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const child = new Deno.Command(program, {
    args,
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: "1", ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin)).catch(() => {});
    await writer.close().catch(() => {});
  }
  const timeoutMs = options.timeoutMs ?? 300_000;
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    // Said where a failing assertion shows it: a run cut short is not the program's answer.
    const note = killed ? `\n(killed by the test harness after ${timeoutMs / 1000} s)` : "";
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr) + note,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `deno ARGS` with the deno running the tests. */
export function runDeno(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return run(Deno.execPath(), args, options);
}

/** The argv after `deno` that runs `cmd/NAME.ts` with every permission. */
export function commandArgs(name: string): string[] {
  return ["run", "-A", "--quiet", `${ROOT}/cmd/${name}.ts`];
}

/** Runs `cmd/NAME.ts` with `args` to the end, feeding `stdin` when given. */
export function runCommand(
  name: string,
  args: string[],
  stdin?: string,
): Promise<RunResult> {
  return runDeno([...commandArgs(name), ...args], { stdin, timeoutMs: 60_000 });
}

/** The names of the commands present in `cmd/` (files `cmd/NAME.ts`), sorted. */
export function presentCommands(): string[] {
  return [...Deno.readDirSync(`${ROOT}/cmd`)]
    .filter((entry) => entry.isFile && isCommandFileName(entry.name))
    .map((entry) => entry.name.slice(0, -3))
    .sort();
}

/** Calls `fn` with `console.log` and `console.error` captured instead of printed. */
export async function captureConsole<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; stdout: string; stderr: string }> {
  const { log, error } = console;
  let stdout = "";
  let stderr = "";
  console.log = (...parts: unknown[]) => void (stdout += parts.join(" ") + "\n");
  console.error = (...parts: unknown[]) => void (stderr += parts.join(" ") + "\n");
  try {
    const result = await fn();
    return { result, stdout, stderr };
  } finally {
    console.log = log;
    console.error = error;
  }
}
