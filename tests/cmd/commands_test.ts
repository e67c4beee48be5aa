/**
 * What every command in `cmd/` must do, whoever wrote it: answer `--help` and `--version`, reject
 * a bogus option with exit 2, have an entry in the command table, and be granted the permissions
 * its code uses. The tests are made from the files present, so new commands are covered at once.
 */

import assert, { deepEqual as assertEquals } from "node:assert/strict";
import { findCommand } from "../../cmd/commands.ts";
import { MULTI_CALL_NAME } from "../../tools/compile_plan.ts";
import { scanCommand } from "../../tools/module_scan.ts";
import { VERSION } from "../../lib/internal/version.ts";
import { presentCommands, ROOT, runDeno } from "../harness/run.ts";

const present = presentCommands();
const runCommand = (name: string, args: string[]) =>
  runDeno(["run", "-A", "--unstable-net", `cmd/${name}.ts`, ...args], { timeoutMs: 20_000 });

for (const name of present) {
  Deno.test(`${name} --help prints its usage on stdout and exits 0`, async () => {
    const result = await runCommand(name, ["--help"]);
    assertEquals(result.code, 0, result.stderr);
    assert(result.stdout.trim().length > 0, "empty usage");
    assert(/usage/i.test(result.stdout), result.stdout);
    assertEquals(result.stderr, "");
  });

  Deno.test(`${name} --version prints "${name} (netkit) VERSION" and exits 0`, async () => {
    const result = await runCommand(name, ["--version"]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(result.stdout, `${name} (netkit) ${VERSION}\n`);
  });

  Deno.test(`${name} rejects a bogus option with exit 2 and "${name}: …" first on stderr`, async () => {
    const result = await runCommand(name, ["--no-such-option-zzz"]);
    assertEquals(result.code, 2, result.stderr);
    assertEquals(result.stdout, "");
    assert(result.stderr.startsWith(`${name}: `), result.stderr);
  });
}

Deno.test("every file in cmd/ has an entry in lib/commands.ts, so it is compiled and dispatched", () => {
  const unknown = present.filter((name) => name !== MULTI_CALL_NAME && !findCommand(name));
  assertEquals(unknown, []);
});

for (const name of present.filter((name) => findCommand(name))) {
  Deno.test(`lib/commands.ts grants ${name} every permission its code uses`, async () => {
    const scan = await scanCommand(ROOT, name);
    const allow = findCommand(name)!.permissions.allow;
    const missing = scan.needs.filter((permission) => allow[permission] === undefined);
    assertEquals(missing, [], `${name} calls APIs that need --allow-${missing.join(", --allow-")}`);
  });
}

// A literal name handed to Deno.env.get or to lib/dns's quiet reader: what a command's code reads.
const ENV_READ = /\b(?:Deno\.env\.get|readEnvQuietly)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\)/g;

for (
  const name of present.filter((name) => Array.isArray(findCommand(name)?.permissions.allow.env))
) {
  Deno.test(`lib/commands.ts lets ${name} read every variable its code names`, async () => {
    const scan = await scanCommand(ROOT, name);
    const listed = findCommand(name)!.permissions.allow.env as readonly string[];
    const read = new Set<string>();
    for (const module of scan.modules) {
      const source = await Deno.readTextFile(`${ROOT}/${module}`);
      for (const match of source.matchAll(ENV_READ)) read.add(match[1]!);
    }
    const missing = [...read].filter((variable) => !listed.includes(variable)).sort();
    assertEquals(missing, [], `the compiled ${name} could not read ${missing.join(", ")}`);
  });
}
