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

import { reportUsageError, UsageError } from "../lib/cli.ts";
import { type CommandEntry, COMMANDS } from "../lib/commands.ts";
import { VERSION } from "../lib/version.ts";

/** The exit code of an unknown command, as a shell gives for "command not found". */
export const EXIT_NOT_FOUND = 127;

/** The usage text of `netkit --help`. */
export const usage = `Usage: netkit COMMAND [ARGUMENTS...]
   or: COMMAND [ARGUMENTS...]   (netkit linked or copied under a command's name)
   or: netkit --list | --help | --version

Network utilities in one binary. Run \`netkit COMMAND --help\` for a command's usage.`;

/** What a command module exports. */
export interface CommandModule {
  /** The command's usage text. */
  usage: string;
  /** Runs the command; resolves to its exit code. */
  main(args: string[]): Promise<number>;
}

/** The commands a netkit knows and how it finds them; tests give their own. */
export interface CommandRegistry {
  /** The table of commands, in listing order. */
  commands: readonly CommandEntry[];
  /** Whether a command is built in: true, false, or undefined when that cannot be checked. */
  isAvailable(name: string): Promise<boolean | undefined>;
  /** Loads a command's module; rejects when it is not built in. */
  load(name: string): Promise<CommandModule>;
}

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

/** The registry of this netkit: the table of lib/commands.ts and the files of cmd/. */
export const BUILT_IN: CommandRegistry = {
  commands: COMMANDS,
  isAvailable,
  load: (name) =>
    Object.hasOwn(LOADERS, name)
      ? LOADERS[name]()
      : Promise.reject(new TypeError(`No module for the command "${name}"`)),
};

/**
 * Runs the command that `invokedAs` (the program's own name, as argv[0]) or the first argument
 * names.
 *
 * @param invokedAs The name the program was started under; a path is fine.
 * @param args The arguments after it.
 * @param registry The commands to choose from. @default {BUILT_IN}
 * @returns The exit code: the command's, or 0 for a listing, 2 for a usage error, 127 for an
 * unknown command.
 *
 * @example Run as `netkit --version`
 * ```ts
 * import { runMultiCall } from "./netkit.ts";
 *
 * console.assert(await runMultiCall("/usr/local/bin/netkit", ["--version"]) === 0);
 * ```
 */
export async function runMultiCall(
  invokedAs: string,
  args: string[],
  registry: CommandRegistry = BUILT_IN,
): Promise<number> {
  const known = (name: string) => registry.commands.some((command) => command.name === name);
  const self = invokedAs.split(/[\\/]/).pop()!.replace(/\.exe$/i, "");
  if (known(self)) return await runCommand(registry, self, args);

  const [first, ...rest] = args;
  if (first === undefined || first === "--help" || first === "-h") {
    console.log(`${usage}\n\n${await listing(registry)}`);
    return 0;
  }
  if (first === "--list") {
    const names = (await availableCommands(registry)).map((command) => command.name);
    if (names.length > 0) console.log(names.join("\n"));
    return 0;
  }
  if (first === "--version") {
    console.log(`netkit (netkit) ${VERSION}`);
    return 0;
  }
  if (first.startsWith("-")) {
    return reportUsageError({ name: "netkit", usage }, new UsageError(`unknown option "${first}"`));
  }
  if (!known(first)) {
    console.error(`netkit: ${first}: command not found (netkit --list shows the commands)`);
    return EXIT_NOT_FOUND;
  }
  return await runCommand(registry, first, rest);
}

async function runCommand(
  registry: CommandRegistry,
  name: string,
  args: string[],
): Promise<number> {
  let module: CommandModule;
  try {
    module = await registry.load(name);
  } catch (error) {
    if (await registry.isAvailable(name) === true) throw error;
    console.error(`netkit: ${name}: command not built into this netkit`);
    return EXIT_NOT_FOUND;
  }
  return await module.main(args);
}

/** Whether reading `path` is allowed already: asking would prompt on a terminal. */
function mayRead(path: string | URL): boolean {
  return Deno.permissions.querySync({ name: "read", path }).state === "granted";
}

/** Whether `cmd/NAME.ts` exists, or undefined when that cannot be checked (no read permission). */
async function isAvailable(name: string): Promise<boolean | undefined> {
  try {
    const path = new URL(`./${name}.ts`, import.meta.url);
    if (!mayRead(path)) return undefined;
    await Deno.stat(path);
    return true;
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? false : undefined;
  }
}

/** The commands of the table that are present; all of them when that cannot be checked. */
async function availableCommands(registry: CommandRegistry) {
  const { commands } = registry;
  const present = await Promise.all(commands.map((command) => registry.isAvailable(command.name)));
  return commands.filter((_, index) => present[index] !== false);
}

async function listing(registry: CommandRegistry): Promise<string> {
  const commands = await availableCommands(registry);
  if (commands.length === 0) return "Commands: none built in";
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `Commands:\n${lines.join("\n")}`;
}

/**
 * The name the program was started under (argv[0]): a compiled netkit linked as `wget` is told
 * `wget` here, where `Deno.execPath()` would follow the link to `netkit`. Read from
 * `/proc/self/cmdline` (free); `node:process` gives it too, but loading it costs ~10 ms of
 * start-up, so only where there is no /proc, and only in a compiled binary: under `deno run`,
 * argv[0] is deno itself.
 */
async function invokedAs(): Promise<string> {
  try {
    if (!mayRead("/proc/self/cmdline")) throw new Deno.errors.NotCapable("No read permission");
    return Deno.readTextFileSync("/proc/self/cmdline").split("\0")[0];
  } catch {
    if (!Deno.build.standalone) return "deno";
    const { default: process } = await import("node:process");
    return process.argv0;
  }
}

/** Runs netkit with the program's own name (argv[0]) and its arguments; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  return await runMultiCall(await invokedAs(), args);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
