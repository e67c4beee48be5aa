/**
 * netkit, the multi-call binary, as BusyBox does it: `netkit wget URL` runs wget, and a copy or
 * link of the binary named `wget` runs wget directly.
 *
 * The one command that loads others: a multi-call binary is a dispatcher over the commands by
 * definition (BusyBox's applet table), so the "a command never imports another" rule gives way
 * here, and only here, through the loaders of the command table (`cmd/commands.ts`). Each command
 * is loaded lazily, when chosen, so start-up stays that of one command.
 *
 * @module
 */

import { runMain } from "../lib/cli/run_main.ts";
import { COMMANDS, findCommand } from "./commands.ts";
import { type CommandRegistry, filesIn, programName, runMultiCall } from "./_netkit/multi_call.ts";

/** The usage text of `netkit --help`. */
export const usage = `Usage: netkit COMMAND [ARGUMENTS...]
   or: COMMAND [ARGUMENTS...]   (netkit linked or copied under a command's name)
   or: netkit --list | --help | --version

Network utilities in one binary. Run \`netkit COMMAND --help\` for a command's usage.`;

/** The files of cmd/, listed on first need; undefined when they cannot be listed. */
let commandFiles: { files: Set<string> | undefined } | undefined;

/** The registry of this netkit: the table of cmd/commands.ts and the files of cmd/. */
export const BUILT_IN: CommandRegistry = {
  usage,
  commands: COMMANDS,
  isAvailable: (name) => {
    commandFiles ??= { files: filesIn(new URL("./", import.meta.url)) };
    return Promise.resolve(commandFiles.files?.has(`${name}.ts`));
  },
  load: (name) =>
    findCommand(name)?.load() ??
      Promise.reject(new TypeError(`No module for the command "${name}"`)),
};

/** Runs netkit with the program's own name (argv[0]) and its arguments; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  return await runMultiCall(await programName(), args, BUILT_IN);
}

if (import.meta.main) await runMain("netkit", main);
