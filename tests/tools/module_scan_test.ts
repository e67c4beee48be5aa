import assert, { deepEqual as assertEquals } from "node:assert/strict";
import {
  findReferencedFiles,
  findWorkerModules,
  permissionsUsed,
  scanCommand,
} from "../../tools/module_scan.ts";
import { tempDir } from "../harness/peers.ts";

const HERE = "file:///p/lib/pool.ts";

Deno.test("findWorkerModules() resolves the worker URLs a module starts", () => {
  const cases: [string, string[]][] = [
    [`new Worker(new URL("./w.ts", import.meta.url), { type: "module" })`, [
      "file:///p/lib/w.ts",
    ]],
    [`new Worker(new URL('../cmd/x.ts', import.meta.url))`, ["file:///p/cmd/x.ts"]],
    ["new Worker(\n  new URL(`./a.ts`,\n    import.meta.url,\n  ),\n)", ["file:///p/lib/a.ts"]],
    [`new Worker(new URL("./a.ts", import.meta.url) , {})`, ["file:///p/lib/a.ts"]],
    [`new Worker(import.meta.resolve("./r.ts"), { type: "module" })`, ["file:///p/lib/r.ts"]],
    [
      `new Worker(new URL("./d.ts", import.meta.url)); new Worker(new URL("./d.ts", import.meta.url))`,
      [
        "file:///p/lib/d.ts",
      ],
    ],
    [`// new Worker(new URL("./c.ts", import.meta.url))`, []],
    [`/* new Worker(new URL("./c.ts", import.meta.url)) */`, []],
    [`new Worker(url)`, []],
    [`const w = "new Worker";`, []],
  ];
  for (const [source, expected] of cases) assertEquals(findWorkerModules(source, HERE), expected);
});

Deno.test("findWorkerModules() reads a call as deno fmt lays it out over several lines", () => {
  const source = `const worker = new Worker(
  new URL(
    "./a_very_long_worker_module_name_that_makes_deno_fmt_break_the_line.ts",
    import.meta.url,
  ),
  { type: "module" },
);`;
  assertEquals(findWorkerModules(source, HERE), [
    "file:///p/lib/a_very_long_worker_module_name_that_makes_deno_fmt_break_the_line.ts",
  ]);
});

Deno.test("findReferencedFiles() finds files named relative to the module, not templates", () => {
  const cases: [string, string[]][] = [
    [`const u = new URL("./job.ts", import.meta.url); new Worker(u);`, ["file:///p/lib/job.ts"]],
    [`Deno.readFile(new URL("../data/words.txt", import.meta.url))`, [
      "file:///p/data/words.txt",
    ]],
    ["import(new URL(`./${name}.ts`, import.meta.url).href)", []],
    [`new URL("https://example.org/", import.meta.url)`, []],
    [`new URL("/etc/services", import.meta.url)`, []],
    [`// new URL("./x.ts", import.meta.url)`, []],
  ];
  for (const [source, expected] of cases) {
    assertEquals(findReferencedFiles(source, HERE), expected, source);
  }
});

Deno.test("permissionsUsed() names the permission of each API a source calls", () => {
  const cases: [string, string[]][] = [
    ["await Deno.connect({ port: 13 })", ["net"]],
    ["Deno.serve(handler)", ["net"]],
    ["await Deno.resolveDns(name, 'A')", ["net"]],
    ['import dgram from "node:dgram";', ["net"]],
    ["await Deno.readTextFile('/etc/hosts')", ["read"]],
    ["await Deno.open(path, { write: true, create: true })", ["read"]],
    ["await Deno.rename(a, b)", ["write"]],
    ["new Deno.Command('ls').spawn()", ["run"]],
    ['import { spawn } from "node:child_process";', ["run"]],
    ["Deno.env.get('HOME')", ["env"]],
    ['import os from "node:os";', ["sys"]],
    ["// Deno.env.get('HOME')\nconst x = 1;", []],
    ["/* new Deno.Command('x') */", []],
    ["const url = 'http://x/'; // Deno.env", []],
    ["navigator.hardwareConcurrency", []],
  ];
  for (const [source, expected] of cases) assertEquals(permissionsUsed(source), expected, source);
});

Deno.test("scanCommand() follows a command's imports and its workers' imports", async () => {
  await using dir = await tempDir();
  await Deno.mkdir(`${dir.path}/cmd`);
  await Deno.mkdir(`${dir.path}/lib`);
  await Deno.writeTextFile(
    `${dir.path}/cmd/demo.ts`,
    `import { start } from "../lib/pool.ts";\nstart();\n`,
  );
  await Deno.writeTextFile(
    `${dir.path}/lib/pool.ts`,
    `export function start() {\n  return new Worker(new URL("./job.ts", import.meta.url), { type: "module" });\n}\n`,
  );
  await Deno.writeTextFile(
    `${dir.path}/lib/job.ts`,
    `import { home } from "./env.ts";\nself.postMessage(home());\n`,
  );
  await Deno.writeTextFile(
    `${dir.path}/lib/env.ts`,
    `export const home = () => Deno.env.get("HOME");\n`,
  );
  await Deno.writeTextFile(`${dir.path}/lib/unused.ts`, `Deno.listen({ port: 0 });\n`);
  await Deno.writeTextFile(
    `${dir.path}/cmd/demo.ts`,
    `import { start } from "../lib/pool.ts";\nstart();\n` +
      `new URL("../lib/words.txt", import.meta.url);\nnew URL("./absent.txt", import.meta.url);\n`,
  );
  await Deno.writeTextFile(`${dir.path}/lib/words.txt`, "aa\n");
  const scan = await scanCommand(dir.path, "demo");
  assertEquals(scan.modules, ["cmd/demo.ts", "lib/env.ts", "lib/job.ts", "lib/pool.ts"]);
  assertEquals(scan.workers, ["lib/job.ts"]);
  assertEquals(scan.files, ["lib/words.txt"]);
  assertEquals(scan.needs, ["env"]);
});

Deno.test("scanCommand() reports a module that does not parse", async () => {
  await using dir = await tempDir();
  await Deno.mkdir(`${dir.path}/cmd`);
  await Deno.writeTextFile(`${dir.path}/cmd/broken.ts`, `import "../lib/absent.ts";\n`);
  try {
    const scan = await scanCommand(dir.path, "broken");
    // deno info lists a missing module with an error instead of failing: it is left out.
    assertEquals(scan.modules, ["cmd/broken.ts"]);
  } catch (error) {
    assert(String(error).includes("Cannot read the module graph"), String(error));
  }
});
