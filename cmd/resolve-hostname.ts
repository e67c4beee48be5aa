/**
 * `resolve-hostname`: the official name and every IPv4 address of host names, asked for one at a
 * time (the dialogue of the lecture, the networking lecture notes netkit implements) or given as
 * arguments; `-x ADDRESS` for the reverse.
 *
 * @module
 */

import { runMain } from "../lib/cli/run_main.ts";
import { resolverMain, resolverUsage } from "./_resolve/main.ts";

/** The usage text. */
export const usage: string = resolverUsage(4);

/** Runs the command; returns the exit code (0 all resolved, 1 some not, 2 usage). */
export function main(args: string[]): Promise<number> {
  return resolverMain(args, 4);
}

// Every line is written by code main awaits (no timer, no handler): no watch for others needed.
if (import.meta.main) await runMain("resolve-hostname", main, Deno.args, { watchUnawaited: false });
