/**
 * `deno task compile`: builds every command in `cmd/` into `dist/NAME` with the permissions of
 * its entry in `cmd/commands.ts`, and the multi-call binary `dist/netkit`. The plan is
 * `tools/compile_plan.ts`; finding the runtime is `tools/denort.ts`.
 *
 * @module
 */

import { parseCommandLine } from "../lib/cli/command_line.ts";
import { findCommand, isCommandFileName } from "../cmd/commands.ts";
import { planCompile } from "./compile_plan.ts";
import { DENORT_BIN, DenortMissingError, locateDenort } from "./denort.ts";
import { scanCommand } from "./module_scan.ts";

export const usage = `Usage: deno task compile [--dry-run] [--out DIR] [--target TRIPLE] [NAME...]

Build each command of cmd/ (or the NAMEs given) into DIR/NAME with the permissions it needs,
and the multi-call binary DIR/netkit.

deno compile needs its runtime (denort): set ${DENORT_BIN}=/path/to/denort, or put
denort-TARGET.zip of the Deno release in DENO_DIR/dl/release/vVERSION/.

  --dry-run        print the deno compile commands, build nothing (no runtime needed)
  --verbose        show deno compile's own output (the embedded files)
  --out DIR        where the executables go, from the project root (default dist)
  --target TRIPLE  deno compile --target (default: this machine's)`;

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** Runs the compile task; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, {
    name: "compile",
    usage,
    options: {
      "dry-run": { type: "boolean" },
      verbose: { type: "boolean" },
      out: { type: "string" },
      target: { type: "string" },
    },
  });
  if (typeof parsed === "number") return parsed;
  const outDir = (parsed.values.out as string | undefined) ?? "dist";
  const target = parsed.values.target as string | undefined;
  const wanted = parsed.positionals;

  // First, so that a machine without a runtime gets one line and nothing else.
  if (!parsed.values["dry-run"]) {
    try {
      const source = await locateDenort({
        denortBin: Deno.env.get(DENORT_BIN) || undefined,
        denoDir: await denoDir(),
        version: Deno.version.deno,
        target: target ?? Deno.build.target,
        cliPath: Deno.execPath(),
      });
      console.error(
        `compile: runtime from ${source.kind === "env" ? DENORT_BIN : "cache"}: ${source.path}`,
      );
    } catch (error) {
      if (!(error instanceof DenortMissingError)) throw error;
      console.error(`compile: ${error.message}`);
      return 1;
    }
  }

  let present = await commandsInCmd();
  if (wanted.length > 0) {
    const missing = wanted.filter((name) => !present.includes(name));
    if (missing.length > 0) {
      console.error(`compile: no cmd/${missing[0]}.ts`);
      return 2;
    }
    present = present.filter((name) => wanted.includes(name));
  }

  const extraModules: Record<string, string[]> = {};
  for (const name of present) {
    const entry = findCommand(name);
    if (!entry) continue;
    const scan = await scanCommand(ROOT, name);
    extraModules[name] = [...scan.workers, ...scan.files];
    for (const permission of scan.needs) {
      if (entry.permissions.allow[permission] === undefined) {
        console.error(
          `compile: warning: ${name}'s code uses --allow-${permission} APIs that ` +
            `cmd/commands.ts does not grant it`,
        );
      }
    }
  }
  const plan = planCompile(present, { outDir, target, extraModules });
  if (wanted.length === 0) {
    for (const name of plan.skipped) console.error(`compile: skipping ${name} (no cmd/${name}.ts)`);
  }
  for (const name of plan.unknown) {
    console.error(`compile: not building cmd/${name}.ts: it has no entry in cmd/commands.ts`);
  }

  if (parsed.values["dry-run"]) {
    for (const step of plan.steps) console.log(["deno", ...step.args].map(quote).join(" "));
    return plan.unknown.length > 0 ? 1 : 0;
  }

  await Deno.mkdir(fromRoot(outDir), { recursive: true });
  for (const step of plan.steps) {
    const built = await new Deno.Command(Deno.execPath(), {
      args: step.args,
      cwd: ROOT,
      clearEnv: true,
      env: compileEnv(),
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (parsed.values.verbose) {
      await Deno.stderr.write(built.stdout);
      await Deno.stderr.write(built.stderr);
    }
    if (!built.success) {
      const text = new TextDecoder().decode(built.stderr).trim();
      console.error(`compile: building ${step.output} failed:\n${text}`);
      return 1;
    }
    const problem = target && target !== Deno.build.target ? undefined : await smokeTest(step);
    if (problem) {
      await Deno.remove(fromRoot(step.output)).catch(() => {});
      console.error(`compile: ${problem}`);
      return 1;
    }
    const size = (await Deno.stat(fromRoot(step.output))).size;
    console.error(`compile: built ${step.output} (${(size / 1e6).toFixed(1)} MB)`);
  }
  return plan.unknown.length > 0 ? 1 : 0;
}

/** The command names of `cmd/*.ts`, sorted. */
async function commandsInCmd(): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(`${ROOT}/cmd`)) {
    if (entry.isFile && isCommandFileName(entry.name)) {
      names.push(entry.name.slice(0, -3));
    }
  }
  return names.sort();
}

/** Deno's cache directory, as `deno info --json` reports it (DENO_DIR or the default). */
async function denoDir(): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  return JSON.parse(new TextDecoder().decode(output.stdout)).denoDir;
}

/**
 * Runs a fresh executable once with `--version`. deno compile accepts any file as its runtime,
 * so this is what proves the executable runs netkit.
 */
async function smokeTest(step: { name: string; output: string }): Promise<string | undefined> {
  const expected = `${step.name} (netkit) `;
  const child = new Deno.Command(fromRoot(step.output), {
    args: ["--version"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const result = await child.output();
  clearTimeout(timer);
  const printed = new TextDecoder().decode(result.stdout).trim().split("\n")[0] ?? "";
  if (result.success && printed.startsWith(expected)) return undefined;
  return `${step.output} does not run netkit (\`--version\` printed "${printed.slice(0, 60)}", ` +
    `exit ${result.code}): is ${DENORT_BIN} the denort runtime of deno ${Deno.version.deno}?`;
}

/**
 * The environment of `deno compile`: ours, without colours, and without an empty `DENORT_BIN`
 * (deno 2.9.6 takes `DENORT_BIN=` as the path "" and fails; we take it as unset).
 */
function compileEnv(): Record<string, string> {
  const env: Record<string, string> = { ...Deno.env.toObject(), NO_COLOR: "1" };
  if (!env[DENORT_BIN]) delete env[DENORT_BIN];
  return env;
}

/** A path relative to the project root, or absolute. */
function fromRoot(path: string): string {
  return path.startsWith("/") ? path : `${ROOT}/${path}`;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
