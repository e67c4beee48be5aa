/**
 * GNU wget's SIGHUP and SIGUSR1: the download goes on when the terminal hangs up (an SSH session
 * that drops, a closed terminal window), its log moved from stderr to `wget-log` (or
 * `wget-log.1`, ...), said on stderr as GNU says it:
 *
 * ```
 *
 * SIGHUP received.
 * Redirecting output to 'wget-log'.
 * ```
 *
 * (the name quoted as the locale quotes it: curly quotes under UTF-8).
 *
 * With `-o`/`-a` the log is a file already: the signal changes nothing. A signal ignored when
 * wget started (`nohup wget ...`) stays ignored, as GNU leaves it (Deno's runtime, left alone,
 * would catch it and exit); so do SIGINT and SIGTERM (`wget URL &` in a script, whose SIGINT
 * the shell ignores).
 *
 * @module
 */

import { freeLogName } from "./background.ts";
import { quoteName, type WgetReporter } from "./reporter.ts";

/** The signals that move the log. */
const SIGNALS = ["SIGHUP", "SIGUSR1"] as const;
/** The signals that end wget, but not when ignored at the start (`cmd &` in a script). */
const ENDING = ["SIGINT", "SIGTERM"] as const;
/** The signals' numbers on Linux, for /proc/self/status's SigIgn mask. */
const NUMBERS: Record<(typeof SIGNALS | typeof ENDING)[number], number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGUSR1: 10,
  SIGTERM: 15,
};

/**
 * The signals 1 to 16 ignored since the process started (the low bits of SigIgn, signal N as bit
 * N - 1), or none when that cannot be read. Found by `indexOf`, not a regular expression and a
 * `BigInt`: on wget's start-up path, the expression's compilation cost more than the read
 * (0.60 against 0.36 ms at a process's first call, bench/README.md, sixteenth session).
 */
function ignoredSignals(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const at = status.indexOf("\nSigIgn:");
    if (at < 0) return 0;
    const end = status.indexOf("\n", at + 1);
    // Sixteen hex digits; signals 1 to 16 are the last four.
    const mask = status.slice(at + "\nSigIgn:".length, end < 0 ? undefined : end).trim();
    const low = parseInt(mask.slice(-4), 16);
    return Number.isNaN(low) ? 0 : low;
  } catch {
    return 0;
  }
}

/**
 * Listens for SIGHUP and SIGUSR1 while wget runs, and for SIGINT and SIGTERM when they were
 * ignored at the start (to keep them so); disposing removes the listeners.
 *
 * @param reporter The reporter whose log moves to `wget-log`.
 * @param logGiven `-o`/`-a` name a log file already.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listenForHangUp } from "./hang_up.ts";
 * import { WgetReporter } from "./reporter.ts";
 *
 * using listening = listenForHangUp(new WgetReporter({ quiet: true }), true);
 * assert.equal(typeof listening[Symbol.dispose], "function");
 * ```
 */
export function listenForHangUp(reporter: WgetReporter, logGiven: boolean): Disposable {
  if (Deno.build.os === "windows") return { [Symbol.dispose]() {} };
  const ignored = ignoredSignals();
  let redirected = logGiven;
  const listeners: [Deno.Signal, () => void][] = [];
  for (const signal of SIGNALS) {
    // Ignored at the start (nohup): Deno's runtime would catch it later all the same and exit,
    // so it is listened for and nothing done, as if still ignored.
    const wasIgnored = ((ignored >> (NUMBERS[signal] - 1)) & 1) === 1;
    const listener = () => {
      if (redirected || wasIgnored) return;
      redirected = true;
      let log: Deno.FsFile | undefined;
      let name = "wget-log";
      try {
        name = freeLogName();
        log = Deno.openSync(name, { write: true, createNew: true });
      } catch {
        // GNU: no log file, no log ("wget-log: REASON; disabling logging.").
      }
      const said = log
        ? `\n${signal} received.\nRedirecting output to ${quoteName(name)}.\n`
        : `\n${signal} received.\n${name}: cannot be created; disabling logging.\n`;
      try {
        Deno.stderr.writeSync(new TextEncoder().encode(said));
      } catch {
        // The terminal is gone.
      }
      reporter.redirect(log ?? { writeSync: (p) => p.length });
    };
    Deno.addSignalListener(signal, listener);
    listeners.push([signal, listener]);
  }
  for (const signal of ENDING) {
    // A shell runs `wget ... &` with SIGINT ignored (so that Ctrl-C ends the script, not the
    // download); Deno's runtime would catch it all the same and exit, so it is listened for and
    // nothing done, as GNU's wget, which leaves the signal alone, goes on.
    if (((ignored >> (NUMBERS[signal] - 1)) & 1) === 0) continue;
    const listener = () => {};
    Deno.addSignalListener(signal, listener);
    listeners.push([signal, listener]);
  }
  return {
    [Symbol.dispose]() {
      for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
    },
  };
}
