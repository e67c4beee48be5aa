import assert, { deepEqual as assertEquals } from "node:assert/strict";
import { BUILT_IN } from "../../cmd/netkit.ts";
import { type CommandRegistry, runMultiCall as dispatch } from "../../cmd/_netkit/multi_call.ts";
import { COMMANDS } from "../../cmd/commands.ts";
import { VERSION } from "../../lib/internal/version.ts";
import { tempDir } from "../harness/peers.ts";
import { captureConsole, presentCommands, ROOT, run, runDeno } from "../harness/run.ts";

const present = presentCommands();

/** The dispatcher over this netkit's commands, unless a test gives its own. */
function runMultiCall(argv0: string, args: string[], registry = BUILT_IN): Promise<number> {
  return dispatch(argv0, args, registry);
}
const built = COMMANDS.map((command) => command.name).filter((name) => present.includes(name));
const absent = COMMANDS.map((command) => command.name).filter((name) => !present.includes(name));

/** A command's own `main(["--help"])` output, to compare the dispatched run with. */
async function ownHelp(name: string): Promise<string> {
  const module = await import(`../../cmd/${name}.ts`);
  const { result, stdout } = await captureConsole(() => module.main(["--help"]));
  assertEquals(result, 0);
  return stdout;
}

Deno.test("runMultiCall() answers --version as netkit", async () => {
  const { result, stdout, stderr } = await captureConsole(() =>
    runMultiCall("/usr/local/bin/netkit", ["--version"])
  );
  assertEquals([result, stdout, stderr], [0, `netkit (netkit) ${VERSION}\n`, ""]);
});

Deno.test("runMultiCall() lists the commands present, alone and for --help and -h", async () => {
  for (const args of [[], ["--help"], ["-h"]]) {
    const { result, stdout, stderr } = await captureConsole(() => runMultiCall("netkit", args));
    assertEquals(result, 0);
    assertEquals(stderr, "");
    assert(stdout.startsWith("Usage: netkit COMMAND"), stdout);
    for (const name of built) assert(stdout.includes(`\n  ${name} `), `${name} not listed`);
    for (const name of absent) assert(!stdout.includes(`\n  ${name} `), `${name} listed`);
  }
});

Deno.test("runMultiCall() --list prints one name per line, as BusyBox does", async () => {
  const { result, stdout } = await captureConsole(() => runMultiCall("netkit", ["--list"]));
  assertEquals(result, 0);
  assertEquals(stdout, built.map((name) => `${name}\n`).join(""));
});

Deno.test("runMultiCall() exits 127 with one line for an unknown command", async () => {
  for (const name of ["frobnicate", "netkit", "WGET", "../cmd/netkit", "", "wget.ts"]) {
    const { result, stdout, stderr } = await captureConsole(() => runMultiCall("netkit", [name]));
    assertEquals(result, 127, name);
    assertEquals(stdout, "");
    assertEquals(stderr.split("\n").length, 2, stderr);
    assert(stderr.startsWith(`netkit: ${name}: command not found`), stderr);
  }
});

Deno.test("runMultiCall() rejects an unknown option of its own with exit 2", async () => {
  const { result, stdout, stderr } = await captureConsole(() =>
    runMultiCall("netkit", ["--bogus", "wget"])
  );
  assertEquals(result, 2);
  assertEquals(stdout, "");
  assertEquals(stderr.split("\n")[0], 'netkit: unknown option "--bogus"');
});

Deno.test("runMultiCall() exits 127 for a command of the table that is not built in", async () => {
  // A netkit built without wget: the table names it, but its module is not there.
  const registry: CommandRegistry = {
    ...BUILT_IN,
    isAvailable: (name) => Promise.resolve(name === "wget" ? false : BUILT_IN.isAvailable(name)),
    load: (name) =>
      name === "wget"
        ? Promise.reject(new TypeError(`Module not found "cmd/${name}.ts"`))
        : BUILT_IN.load(name),
  };
  for (const [argv0, args] of [["netkit", ["wget", "-q"]], ["/bin/wget", ["-q"]]] as const) {
    const { result, stdout, stderr } = await captureConsole(() =>
      runMultiCall(argv0, [...args], registry)
    );
    assertEquals([result, stdout, stderr], [
      127,
      "",
      "netkit: wget: command not built into this netkit\n",
    ]);
  }
  const { stdout } = await captureConsole(() => runMultiCall("netkit", ["--list"], registry));
  assertEquals(stdout.split("\n").includes("wget"), false);
  assert(stdout.split("\n").includes("telnet"), stdout);
});

Deno.test("runMultiCall() passes on a load error of a command that is built in", async () => {
  const registry: CommandRegistry = {
    ...BUILT_IN,
    isAvailable: () => Promise.resolve(true),
    load: () => Promise.reject(new SyntaxError("Broken module")),
  };
  await assert.rejects(runMultiCall("netkit", ["wget"], registry), SyntaxError);
});

Deno.test("runMultiCall() runs the command named by its own file name or its first argument", async () => {
  for (const name of COMMANDS.map((command) => command.name)) {
    const expected = built.includes(name) ? await ownHelp(name) : undefined;
    for (
      const [argv0, args] of [
        ["netkit", [name, "--help"]],
        [`/opt/netkit/bin/${name}`, ["--help"]],
        [`C:\\netkit\\${name}.exe`, ["--help"]],
      ] as [string, string[]][]
    ) {
      const { result, stdout, stderr } = await captureConsole(() => runMultiCall(argv0, args));
      if (expected === undefined) {
        assertEquals([result, stderr], [
          127,
          `netkit: ${name}: command not built into this netkit\n`,
        ]);
      } else {
        assertEquals([result, stdout], [0, expected], `${argv0} ${args.join(" ")}`);
      }
    }
  }
});

Deno.test("netkit runs under deno run with no permissions to list and to reject", async () => {
  const listing = await runDeno(["run", "cmd/netkit.ts"]);
  assertEquals(listing.code, 0, listing.stderr);
  assert(listing.stdout.includes("Commands:"), listing.stdout);
  const unknown = await runDeno(["run", "cmd/netkit.ts", "frobnicate", "--help"]);
  assertEquals(unknown.code, 127);
  assertEquals(unknown.stdout, "");
  assertEquals(unknown.stderr.trim().split("\n").length, 1, unknown.stderr);
  const bogus = await runDeno(["run", "cmd/netkit.ts", "--bogus"]);
  assertEquals(bogus.code, 2);
  assert(bogus.stderr.startsWith("netkit: "), bogus.stderr);
});

Deno.test({
  name: built.length > 0
    ? "deno run cmd/netkit.ts NAME --help prints what cmd/NAME.ts --help prints"
    : "deno run cmd/netkit.ts NAME --help (ignored: no command in cmd/ yet)",
  ignore: built.length === 0,
  fn: async () => {
    for (const name of built) {
      const direct = await runDeno(["run", "-A", "--unstable-net", `cmd/${name}.ts`, "--help"]);
      const viaNetkit = await runDeno([
        "run",
        "-A",
        "--unstable-net",
        "cmd/netkit.ts",
        name,
        "--help",
      ]);
      assertEquals([viaNetkit.code, viaNetkit.stdout], [0, direct.stdout], name);
    }
  },
});

Deno.test("netkit started under a command's name runs that command (argv[0], as BusyBox)", async () => {
  await using dir = await tempDir();
  const name = built[0] ?? "wget";
  const link = `${dir.path}/${name}`;
  await Deno.symlink(Deno.execPath(), link);
  const result = await run(link, [
    "run",
    "-A",
    "--unstable-net",
    `${ROOT}/cmd/netkit.ts`,
    "--help",
  ]);
  if (built.includes(name)) {
    const direct = await runDeno(["run", "-A", "--unstable-net", `cmd/${name}.ts`, "--help"]);
    assertEquals([result.code, result.stdout], [0, direct.stdout]);
  } else {
    assertEquals(result.code, 127);
    assertEquals(result.stderr, `netkit: ${name}: command not built into this netkit\n`);
  }
});

Deno.test("BUILT_IN loads every command of the table, and nothing else", async () => {
  for (const { name } of COMMANDS) {
    const module = await BUILT_IN.load(name);
    assertEquals([typeof module.main, typeof module.usage], ["function", "string"], name);
    assert(module.usage.startsWith(`Usage: ${name}`), name);
  }
  for (const name of ["netkit", "frobnicate", "toString", "__proto__", "../cmd/wget"]) {
    await assert.rejects(BUILT_IN.load(name), TypeError, name);
  }
});
