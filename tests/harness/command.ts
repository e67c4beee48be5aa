/**
 * Test helpers for netkit commands that keep running (servers) or need their input timed: the
 * argv that runs a command, and a child whose stdout lines can be awaited. Commands that run to
 * the end are run with `runCommand` from `_run.ts`.
 *
 * @module
 */

import { commandArgs } from "./run.ts";

export { commandArgs };

/** A command still running, e.g. a server; disposing it kills it (SIGKILL) if still alive. */
export interface RunningCommand extends AsyncDisposable {
  child: Deno.ChildProcess;
  /** The lines it printed on stdout so far, in order. */
  stdoutLines: string[];
  /** Everything it prints on stderr, once it has exited. */
  stderr: Promise<string>;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp): Promise<RegExpMatchArray>;
}

/** Starts `cmd/NAME.ts` with `args` in the background, reading its output as it comes. */
export function spawnCommand(name: string, args: string[]): RunningCommand {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...commandArgs(name), ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdoutLines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const stdoutDone = (async () => {
    let rest = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      rest += chunk;
      let newline;
      while ((newline = rest.indexOf("\n")) >= 0) {
        const line = rest.slice(0, newline);
        rest = rest.slice(newline + 1);
        stdoutLines.push(line);
        for (const waiter of waiters.slice()) {
          const match = line.match(waiter.pattern);
          if (match) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(match);
          }
        }
      }
    }
  })();
  const stderr = new Response(child.stderr).text();
  return {
    child,
    stdoutLines,
    stderr,
    waitForLine(pattern) {
      const seen = stdoutLines.map((line) => line.match(pattern)).find((m) => m);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        stdoutDone.then(() => reject(new Error(`No line matching ${pattern} before exit`)));
      });
    },
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Exited already.
      }
      await child.status;
      await stdoutDone;
      await stderr;
    },
  };
}
