/**
 * The plan of `deno task compile`: which `deno compile` runs build `dist/`, each with the
 * permissions and `--include` entries of its command, plus the multi-call binary `dist/netkit`.
 * Pure: it reads no files and runs nothing, so the plan is tested without a runtime.
 *
 * @module
 */

import { type CommandPermissions, COMMANDS, type PermissionName } from "../cmd/commands.ts";

/** The name of the multi-call binary and of its module, `cmd/netkit.ts`. */
export const MULTI_CALL_NAME = "netkit";

/**
 * What the multi-call binary needs for itself, beside its commands' permissions: reading its own
 * argv[0] from `/proc/self/cmdline` (see `cmd/netkit.ts`).
 */
export const MULTI_CALL_PERMISSIONS: CommandPermissions = {
  allow: { read: ["/proc/self/cmdline"] },
};

/** Options of {@linkcode planCompile}. */
export interface CompilePlanOptions {
  /** Where the executables go. @default {"dist"} */
  outDir?: string;
  /** A `deno compile --target` triple; the host's when absent. */
  target?: string | undefined;
  /**
   * Modules found by scanning each command's sources that `deno compile` does not pick up by
   * itself (worker modules), as paths relative to the project root, by command name.
   */
  extraModules?: Record<string, string[]>;
}

/** One `deno compile` run. */
export interface CompileStep {
  /** The command built (`wget`, or `netkit` for the multi-call binary). */
  name: string;
  /** The executable's path, relative to the project root. */
  output: string;
  /** The arguments after `deno`, starting with `compile`. */
  args: string[];
}

/** What {@linkcode planCompile} decided. */
export interface CompilePlan {
  /** The runs, one per command present, the multi-call binary last. */
  steps: CompileStep[];
  /** Commands of the table with no `cmd/NAME.ts`: skipped. */
  skipped: string[];
  /** Files in `cmd/` with no entry in the table: not built, since their permissions are unknown. */
  unknown: string[];
}

const PERMISSION_ORDER: PermissionName[] = ["net", "read", "write", "run", "env", "sys"];

/**
 * The `--allow-…` and `--unstable-…` flags for a command's permissions, in a fixed order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { permissionFlags } from "./compile_plan.ts";
 *
 * const flags = permissionFlags({ allow: { read: ["/etc/services"], net: true } });
 * assert.deepEqual(flags, ["--allow-net", "--allow-read=/etc/services"]);
 * ```
 */
export function permissionFlags(permissions: CommandPermissions): string[] {
  const flags: string[] = [];
  for (const name of PERMISSION_ORDER) {
    const grant = permissions.allow[name];
    if (grant === true) flags.push(`--allow-${name}`);
    else if (grant !== undefined) flags.push(`--allow-${name}=${grant.join(",")}`);
  }
  for (const feature of [...new Set(permissions.unstable ?? [])].sort()) {
    flags.push(`--unstable-${feature}`);
  }
  return flags;
}

/**
 * The union of several commands' permissions: what the multi-call binary needs to run them all.
 * A permission granted for everything by one command is granted for everything.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergePermissions } from "./compile_plan.ts";
 *
 * const merged = mergePermissions([
 *   { allow: { read: ["/etc/services"] } },
 *   { allow: { net: true, read: ["/etc/hosts"] }, unstable: ["net"] },
 * ]);
 * assert.deepEqual(merged.allow.read, ["/etc/services", "/etc/hosts"]);
 * assert.equal(merged.allow.net, true);
 * ```
 */
export function mergePermissions(list: CommandPermissions[]): CommandPermissions {
  const allow: CommandPermissions["allow"] = {};
  const unstable = new Set<string>();
  const include = new Set<string>();
  for (const permissions of list) {
    for (const name of PERMISSION_ORDER) {
      const grant = permissions.allow[name];
      const held = allow[name];
      if (grant === undefined || held === true) continue;
      allow[name] = grant === true ? true : [...new Set([...(held ?? []), ...grant])];
    }
    permissions.unstable?.forEach((feature) => unstable.add(feature));
    permissions.include?.forEach((entry) => include.add(entry));
  }
  return { allow, unstable: [...unstable], include: [...include] };
}

/**
 * Plans the `deno compile` runs for the commands present in `cmd/`: one executable per command
 * of the table, with its own permissions, and the multi-call binary with their union and every
 * command module included. Table commands that are absent are skipped; files in `cmd/` that the
 * table does not know are reported, not built.
 *
 * @param present The names of the files in `cmd/`, without `.ts`.
 * @param options Output directory, target, and modules found by scanning.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { planCompile } from "./compile_plan.ts";
 *
 * const plan = planCompile(["ports", "netkit"]);
 * assert.deepEqual(plan.steps.map((step) => step.output), ["dist/ports", "dist/netkit"]);
 * assert.ok(plan.skipped.includes("wget"));
 * ```
 */
export function planCompile(present: string[], options: CompilePlanOptions = {}): CompilePlan {
  const outDir = options.outDir ?? "dist";
  const extra = options.extraModules ?? {};
  const known = COMMANDS.filter((command) => present.includes(command.name));
  const steps: CompileStep[] = known.map((command) =>
    step(command.name, `${outDir}/${command.name}`, {
      ...command.permissions,
      include: [...(command.permissions.include ?? []), ...(extra[command.name] ?? [])],
    }, options.target)
  );
  if (present.includes(MULTI_CALL_NAME)) {
    // The multi-call binary imports each command with a literal `import("./NAME.ts")`, which
    // `deno compile` follows by itself; listing them keeps that explicit.
    const merged = mergePermissions([
      MULTI_CALL_PERMISSIONS,
      ...known.map((command) => command.permissions),
    ]);
    const modules = known.map((command) => `cmd/${command.name}.ts`);
    const workers = known.flatMap((command) => extra[command.name] ?? []);
    merged.include = [...new Set([...(merged.include ?? []), ...modules, ...workers])];
    steps.push(step(MULTI_CALL_NAME, `${outDir}/${MULTI_CALL_NAME}`, merged, options.target));
  }
  return {
    steps,
    skipped: COMMANDS.filter((command) => !present.includes(command.name)).map((c) => c.name),
    unknown: present
      .filter((name) => name !== MULTI_CALL_NAME && !COMMANDS.some((c) => c.name === name))
      .sort(),
  };
}

function step(
  name: string,
  output: string,
  permissions: CommandPermissions,
  target: string | undefined,
): CompileStep {
  const includes = [...new Set(permissions.include ?? [])].flatMap((entry) => ["--include", entry]);
  return {
    name,
    output,
    args: [
      "compile",
      "--no-prompt",
      ...permissionFlags(permissions),
      ...(target ? ["--target", target] : []),
      ...includes,
      "--output",
      output,
      `cmd/${name}.ts`,
    ],
  };
}
