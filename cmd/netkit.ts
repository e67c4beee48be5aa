/**
 * netkit, the multi-call binary, as BusyBox does it: `netkit wget URL` runs wget, and a copy or
 * link of the binary named `wget` runs wget directly.
 *
 * The one command that imports others: a multi-call binary is a dispatcher over the commands by
 * definition (BusyBox's applet table), so the "a command never imports another" rule gives way
 * here, and only here. Each command is loaded lazily, when chosen, so start-up stays that of one
 * command. The imports are string literals, one per command: `deno compile` finds them all, no
 * read permission is needed, and unlike a template (\`./${name}.ts\`, which makes `deno run`
 * scan every file of `cmd/` at start-up) they cost next to nothing until one is taken.
 *
 * @module
 */

import { COMMANDS } from "../lib/commands.ts";
import {
  type CommandModule,
  type CommandRegistry,
  filesIn,
  programName,
  runMultiCall,
} from "../lib/multi_call.ts";

/** The usage text of `netkit --help`. */
export const usage = `Usage: netkit COMMAND [ARGUMENTS...]
   or: COMMAND [ARGUMENTS...]   (netkit linked or copied under a command's name)
   or: netkit --list | --help | --version

Network utilities in one binary. Run \`netkit COMMAND --help\` for a command's usage.`;

/** How each command of the table is loaded (tests check that every command has its line). */
const LOADERS: Record<string, () => Promise<CommandModule>> = {
  "time-server": () => import("./time-server.ts"),
  "time-client": () => import("./time-client.ts"),
  "telnet": () => import("./telnet.ts"),
  "wget": () => import("./wget.ts"),
  "resolve-hostname": () => import("./resolve-hostname.ts"),
  "resolve-hostname6": () => import("./resolve-hostname6.ts"),
  "ports": () => import("./ports.ts"),
  "scrabble-word-finder": () => import("./scrabble-word-finder.ts"),
  "lexical-server": () => import("./lexical-server.ts"),
};

/** The files of cmd/, listed on first need; undefined when they cannot be listed. */
let commandFiles: { files: Set<string> | undefined } | undefined;

/** The registry of this netkit: the table of lib/commands.ts and the files of cmd/. */
export const BUILT_IN: CommandRegistry = {
  usage,
  commands: COMMANDS,
  isAvailable: (name) => {
    commandFiles ??= { files: filesIn(new URL("./", import.meta.url)) };
    return Promise.resolve(commandFiles.files?.has(`${name}.ts`));
  },
  load: (name) =>
    Object.hasOwn(LOADERS, name)
      ? LOADERS[name]()
      : Promise.reject(new TypeError(`No module for the command "${name}"`)),
};

/** Runs netkit with the program's own name (argv[0]) and its arguments; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  return await runMultiCall(await programName(), args, BUILT_IN);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
