/**
 * The multi-call dispatcher behind `cmd/netkit.ts`, as BusyBox does it: run the command named by
 * the program's own name (argv[0]) or by its first argument, list the commands, and answer an
 * unknown one with exit 127. Which commands exist and how they load is the caller's registry, so
 * that the dispatcher can be tested with commands missing.
 *
 * Unlike the rest of `lib/`, this module talks to the user (the listing, one line per error),
 * so that `cmd/netkit.ts` stays thin. `lib/cli/command_line.ts` is loaded only for a usage error: start-up of
 * `netkit COMMAND` stays that of the command.
 *
 * @module
 */

import type { CommandEntry, CommandModule } from "../commands.ts";
import { VERSION } from "../../lib/internal/version.ts";

// A computed specifier: a literal `import("node:process")` puts Node's compatibility layer in the
// graph Deno builds at start-up, though only a compiled binary without /proc loads it.
const NODE_PROCESS = "node:process";

/** The exit code of an unknown command, as a shell gives for "command not found". */
export const EXIT_NOT_FOUND = 127;

/** The commands a multi-call binary knows and how it finds them; tests give their own. */
export interface CommandRegistry {
  /** The multi-call binary's own usage text, for `--help` and usage errors. */
  usage: string;
  /** The table of commands, in listing order. */
  commands: readonly CommandEntry[];
  /** Whether a command is built in: true, false, or undefined when that cannot be checked. */
  isAvailable(name: string): Promise<boolean | undefined>;
  /** Loads a command's module; rejects when it is not built in. */
  load(name: string): Promise<CommandModule>;
}

/**
 * Runs the command that `invokedAs` (the program's own name, as argv[0]) or the first argument
 * names.
 *
 * @param invokedAs The name the program was started under; a path is fine.
 * @param args The arguments after it.
 * @param registry The commands to choose from.
 * @returns The exit code: the command's, or 0 for a listing, 2 for a usage error, 127 for an
 * unknown command or one that is not built in.
 *
 * @example Run as `netkit --version`
 * ```ts
 * import assert from "node:assert/strict";
 * import { runMultiCall } from "./multi_call.ts";
 *
 * const registry = {
 *   usage: "Usage: netkit COMMAND",
 *   commands: [],
 *   isAvailable: () => Promise.resolve(false),
 *   load: () => Promise.reject(new TypeError("None")),
 * };
 * assert.equal(await runMultiCall("/usr/local/bin/netkit", ["--version"], registry), 0);
 * ```
 */
export async function runMultiCall(
  invokedAs: string,
  args: string[],
  registry: CommandRegistry,
): Promise<number> {
  const known = (name: string) => registry.commands.some((command) => command.name === name);
  const self = invokedAs.split(/[\\/]/).pop()!.replace(/\.exe$/i, "");
  if (known(self)) return await runCommand(registry, self, args);

  const [first, ...rest] = args;
  if (first === undefined || first === "--help" || first === "-h") {
    console.log(`${registry.usage}\n\n${await listing(registry)}`);
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
    const { reportUsageError, UsageError } = await import("../../lib/cli/command_line.ts");
    return reportUsageError(
      { name: "netkit", usage: registry.usage },
      new UsageError(`unknown option "${first}"`),
    );
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

/** The commands of the table that are present; all of them when that cannot be checked. */
async function availableCommands(registry: CommandRegistry): Promise<CommandEntry[]> {
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

/** Whether reading `path` is allowed already: asking would prompt on a terminal. */
function mayRead(path: string | URL): boolean {
  return Deno.permissions.querySync({ name: "read", path }).state === "granted";
}

/**
 * The names of the files in the directory at `url`, read once with one system call; undefined
 * when that cannot be done without asking for read permission (or at all).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { filesIn } from "./multi_call.ts";
 *
 * // undefined only where listing the directory would need a permission prompt
 * assert.equal(filesIn(new URL("./", import.meta.url))?.has("multi_call.ts"), true);
 * ```
 */
export function filesIn(url: URL): Set<string> | undefined {
  try {
    if (!mayRead(url)) return undefined;
    const names = new Set<string>();
    for (const entry of Deno.readDirSync(url)) if (entry.isFile) names.add(entry.name);
    return names;
  } catch {
    return undefined;
  }
}

/**
 * The name the program was started under (argv[0]): a compiled netkit linked as `wget` is told
 * `wget` here, where `Deno.execPath()` would follow the link to `netkit`. Read from
 * `/proc/self/cmdline` (free); `node:process` gives it too, but loading it costs ~10 ms of
 * start-up, so only where there is no /proc, and only in a compiled binary: under `deno run`,
 * argv[0] is deno itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { programName } from "./multi_call.ts";
 *
 * assert.ok((await programName()).length > 0);
 * ```
 */
export async function programName(): Promise<string> {
  try {
    if (!mayRead("/proc/self/cmdline")) throw new Deno.errors.NotCapable("No read permission");
    const [program = ""] = Deno.readTextFileSync("/proc/self/cmdline").split("\0");
    return program;
  } catch {
    if (!Deno.build.standalone) return "deno";
    const { default: process } = await import(NODE_PROCESS);
    return process.argv0;
  }
}
