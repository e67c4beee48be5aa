/**
 * How every netkit command starts and ends: `main(args)` is run, its exit code passed to
 * `Deno.exit`, and a failed write to standard output or standard error -- wherever it happens, in
 * `main` or in a callback nobody awaits -- ends the command the same documented way instead of
 * with a stack trace:
 *
 * - the reader has gone (EPIPE, as with `netkit ports | head -1`): quietly, exit 0 -- the reader
 *   had all it wanted;
 * - the output cannot take the bytes (ENOSPC as on `/dev/full`, EIO, EBADF, EDQUOT, EFBIG): one
 *   line on stderr, `NAME: Cannot write the output: REASON` (when stderr itself works), and exit
 *   {@linkcode EXIT_OUTPUT_FAILED} (3, GNU wget's code for a file I/O error).
 *
 * @module
 */

/** The exit code of a command whose output cannot be written (ENOSPC, EIO, EBADF). */
export const EXIT_OUTPUT_FAILED = 3;

const FAILED_CODES = new Set(["ENOSPC", "EIO", "EBADF", "EDQUOT", "EFBIG"]);

/**
 * Tells a failed write to an output from other errors.
 *
 * @returns `"closed"` when the reader has gone (EPIPE), `"failed"` when the output cannot take
 * the bytes (ENOSPC, EIO, EBADF, EDQUOT, EFBIG), `null` for anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classifyOutputError } from "@netkit/netkit/cli";
 *
 * assert.equal(classifyOutputError(new Deno.errors.BrokenPipe("Broken pipe")), "closed");
 * assert.equal(classifyOutputError(Object.assign(new Error("No space"), { code: "ENOSPC" })), "failed");
 * assert.equal(classifyOutputError(new TypeError("x")), null);
 * ```
 */
export function classifyOutputError(error: unknown): "closed" | "failed" | null {
  if (error instanceof Deno.errors.BrokenPipe) return "closed";
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EPIPE") return "closed";
  if (typeof code === "string" && FAILED_CODES.has(code)) return "failed";
  return null;
}

/**
 * The exit code for an output error, after saying what failed on stderr (when it can).
 *
 * @param name The command's name, for the message.
 * @param error An error {@linkcode classifyOutputError} does not answer `null` for.
 * @returns 0 for a closed pipe, {@linkcode EXIT_OUTPUT_FAILED} otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reportOutputError } from "@netkit/netkit/cli";
 *
 * assert.equal(reportOutputError("demo", new Deno.errors.BrokenPipe("Broken pipe")), 0);
 * ```
 */
export function reportOutputError(name: string, error: unknown): number {
  if (classifyOutputError(error) === "closed") return 0;
  // The C library's words alone (`No space left on device`), without what Deno appends
  // (` (os error 28)`, and for some calls the call and path after it): lib/internal's
  // osErrorText, written here as this module imports nothing (every command loads it at start).
  const reason = (error instanceof Error ? error.message : String(error))
    .replace(/\s*\(os error \d+\).*$/s, "");
  try {
    // Straight to the file descriptor: console.error would throw again if stderr is the culprit.
    Deno.stderr.writeSync(
      new TextEncoder().encode(`${name}: Cannot write the output: ${reason}\n`),
    );
  } catch {
    // Stderr is broken too: the exit code is all that is left.
  }
  return EXIT_OUTPUT_FAILED;
}

/** Options of {@linkcode runMain}. */
export interface RunMainOptions {
  /**
   * Also end the command as the module says on an output error in a callback `main` does not
   * await (a timer, an event handler). `false` for a command that writes only from code `main`
   * awaits, whose output errors all reach `main`'s promise: its start-up then saves the process's
   * first `addEventListener` (~0.16 ms, Deno's event code compiled on first use). @default {true}
   */
  watchUnawaited?: boolean;
}

/**
 * Runs a command's `main` and exits with its code; output errors end it as the module says.
 * Other errors are left alone: they are bugs, and their stack trace helps fix them.
 *
 * @param name The command's name, for messages.
 * @param main The command's main function.
 * @param args Its arguments. @default {Deno.args}
 * @param options Whether to watch callbacks `main` does not await.
 *
 * @example The end of a command's entry point
 * ```ts ignore
 * if (import.meta.main) await runMain("ports", main);
 * ```
 *
 * @example A command whose every write is awaited by its `main`
 * ```ts ignore
 * if (import.meta.main) await runMain("resolve-hostname", main, Deno.args, { watchUnawaited: false });
 * ```
 */
export function runMain(
  name: string,
  main: (args: string[]) => Promise<number>,
  args: string[] = Deno.args,
  options: RunMainOptions = {},
): Promise<never> {
  if (options.watchUnawaited !== false) watchUnawaitedOutput(name);
  return runToExit(name, main, args);
}

/** Ends the command as {@linkcode runMain} says on an output error in a callback nobody awaits. */
function watchUnawaitedOutput(name: string): void {
  const onUncaught = (event: ErrorEvent | PromiseRejectionEvent) => {
    const error = "reason" in event ? event.reason : event.error;
    if (classifyOutputError(error) === null) return;
    event.preventDefault();
    Deno.exit(reportOutputError(name, error));
  };
  globalThis.addEventListener("error", onUncaught);
  globalThis.addEventListener("unhandledrejection", onUncaught);
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** {@linkcode runMain} once the watch is set: runs `main` and exits with its code. */
const runToExit = (async function runToExit(
  name: string,
  main: (args: string[]) => Promise<number>,
  args: string[],
): Promise<never> {
  let code: number;
  try {
    code = await main(args);
  } catch (error) {
    if (classifyOutputError(error) === null) throw error;
    code = reportOutputError(name, error);
  }
  Deno.exit(code);
}).bind(undefined);
