/**
 * `wget -b`: the same command line run again as a detached process, its messages in `wget-log`
 * (or `wget-log.1`, ... when that exists; `-o`/`-a` name the log instead), as GNU wget does.
 *
 * The child gets the permissions this process holds without restriction (`--allow-net`, ...);
 * a permission granted only for some paths or hosts is not passed on.
 *
 * @module
 */

import { quoteName } from "./quote_name.ts";

const PERMISSIONS = ["net", "read", "write", "env", "run", "sys"] as const;

/**
 * The first of `wget-log`, `wget-log.1`, ... that does not exist.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { freeLogName } from "./background.ts";
 *
 * assert.match(freeLogName(), /^wget-log(\.\d+)?$/);
 * ```
 */
export function freeLogName(): string {
  for (let n = 0;; n++) {
    const name = n === 0 ? "wget-log" : `wget-log.${n}`;
    try {
      Deno.lstatSync(name);
    } catch {
      return name;
    }
  }
}

/**
 * Starts wget again in the background with `args` and `--no-background` (the last of `-b` and
 * `--no-background` wins, as in GNU's), prints GNU's two lines on stdout and returns the exit code
 * (0, or 1 when the process cannot be started).
 *
 * @param args The arguments wget was given.
 * @param optionsEnd Where the options end in `args` (the index of the `--` that ends them).
 * @param logGiven Whether `-o` or `-a` already names a log.
 * @param quiet `-q`: no log at all (GNU wget then makes no `wget-log`).
 *
 * @example
 * ```ts ignore
 * import { goBackground } from "./background.ts";
 *
 * Deno.exit(goBackground(["-b", "http://127.0.0.1:8080/big.iso"], 2, false));
 * ```
 */
export function goBackground(
  args: readonly string[],
  optionsEnd: number,
  logGiven: boolean,
  quiet = false,
): number {
  const rest = [...args.slice(0, optionsEnd), "--no-background", ...args.slice(optionsEnd)];
  const log = logGiven || quiet ? undefined : freeLogName();
  const childArgs = log === undefined ? rest : ["-o", log, ...rest];
  // What came before wget's own arguments (`wget` under the multi-call netkit).
  const prefix = Deno.args.slice(0, Math.max(0, Deno.args.length - args.length));
  const exec = Deno.execPath();
  const isDeno = /(^|\/)deno$/.test(exec);
  const flags = PERMISSIONS
    .filter((name) => Deno.permissions.querySync({ name }).state === "granted")
    .map((name) => `--allow-${name}`);
  const argv = isDeno
    ? ["run", "--quiet", ...flags, Deno.mainModule, ...prefix, ...childArgs]
    : [...prefix, ...childArgs];
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(exec, {
      args: argv,
      detached: true,
      stdin: "null",
      stdout: "inherit",
      stderr: "null",
    }).spawn();
  } catch (error) {
    console.error(`wget: Cannot continue in background: ${(error as Error).message}`);
    return 1;
  }
  child.unref();
  let text = `Continuing in background, pid ${child.pid}.\n`;
  if (log !== undefined) text += `Output will be written to ${quoteName(log)}.\n`;
  Deno.stdout.writeSync(new TextEncoder().encode(text));
  return 0;
}
