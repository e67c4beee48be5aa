/**
 * The READMEs tell the truth about the code: the README's command table is `cmd/commands.ts`
 * (names, order, summaries) and its exit codes are the ones each command's `--help` states; every
 * option used in a documented command line exists in that command's `--help`; the tour has a
 * runnable, asserting example for every package `deno.json` exports; the permission table of
 * tools/README.md is the table's permissions; relative links and their anchors resolve; `ls lib/`
 * in the layout is the real one; and wherever the code speaks of "the lecture", its module doc says
 * what the lecture is. (The README's TypeScript examples themselves run under `deno test --doc`.)
 *
 * @module
 */

import assert from "node:assert/strict";
import { type CommandEntry, COMMANDS } from "../cmd/commands.ts";
import { permissionFlags } from "../tools/compile_plan.ts";
import { ROOT, runDeno } from "./harness/run.ts";

/** The Markdown files that document netkit, relative to the root. */
const READMES = [
  "README.md",
  "cmd/README.md",
  "tools/README.md",
  "bench/README.md",
  "tests/README.md",
];

const readText = (path: string) => Deno.readTextFileSync(`${ROOT}/${path}`);

/** The rows of the first Markdown table after `marker` in `text`, as trimmed cells, header dropped. */
export function tableAfter(text: string, marker: string): string[][] {
  const start = text.indexOf(marker);
  assert.notEqual(start, -1, `no ${JSON.stringify(marker)} in the text`);
  const lines = text.slice(start).split("\n");
  const first = lines.findIndex((line) => line.trimStart().startsWith("|"));
  assert.notEqual(first, -1, `no table after ${JSON.stringify(marker)}`);
  const rows: string[][] = [];
  for (const line of lines.slice(first)) {
    if (!line.trimStart().startsWith("|")) break;
    rows.push(line.trim().slice(1, -1).split("|").map((cell) => cell.trim()));
  }
  return rows.slice(2); // the header and the |---| line
}

/** The fenced code blocks of a Markdown text: info string and body. */
export function fencedBlocks(text: string): { info: string; body: string; line: number }[] {
  const blocks: { info: string; body: string; line: number }[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const end = lines.findIndex((line, j) => j > i && line.startsWith("```"));
    assert.notEqual(end, -1, `unclosed code block at line ${i + 1}`);
    blocks.push({ info: open[1]!.trim(), body: lines.slice(i + 1, end).join("\n"), line: i + 1 });
    i = end;
  }
  return blocks;
}

/** The numbers a cell of exit codes names: `0 ok, 1 failed` is 0, 1; `0–8` is 0 to 8. */
export function exitCodesIn(text: string): number[] {
  const codes = new Set<number>();
  for (const match of text.matchAll(/\b(\d+)(?:[–-](\d+))?\b/g)) {
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    for (let code = from; code <= to; code++) codes.add(code);
  }
  return [...codes];
}

/** The options (`-x`, `--long`) of a command line's arguments, `--name=value` as `--name`. */
export function optionsIn(args: string[]): string[] {
  return args.filter((arg) => /^--?[A-Za-z]/.test(arg)).map((arg) => arg.replace(/=.*$/, ""));
}

/** Whether a usage text lists `option` as an option of its own. */
export function usageHasOption(usage: string, option: string): boolean {
  const escaped = option.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[\\s,\\[|])${escaped}(?=[\\s,=\\]|]|$)`, "m").test(usage);
}

/** A command line of the docs: which `cmd/NAME.ts` it runs, with which arguments. */
interface DocumentedRun {
  file: string;
  line: number;
  name: string;
  args: string[];
}

/** Every run of a `cmd/NAME.ts` in the non-TypeScript code blocks of `file`. */
function documentedRuns(file: string): DocumentedRun[] {
  const runs: DocumentedRun[] = [];
  for (const block of fencedBlocks(readText(file))) {
    if (block.info.startsWith("ts")) continue;
    block.body.split("\n").forEach((text, index) => {
      for (const match of text.matchAll(/\bcmd\/([a-z0-9-]+)\.ts\b([^|&;#]*)/g)) {
        // Words, with quotes taken as a whole: 'qu?ck', "NAME: VALUE".
        const args = [...match[2]!.matchAll(/'[^']*'|"[^"]*"|\S+/g)].map((word) => word[0]);
        runs.push({ file, line: block.line + 1 + index, name: match[1]!, args });
      }
    });
  }
  return runs;
}

/** `--help` of every command and of netkit, run once for all the tests that need it. */
let helpTexts: Promise<Map<string, string>> | undefined;
function helps(): Promise<Map<string, string>> {
  helpTexts ??= (async () => {
    const names = [...COMMANDS.map((command) => command.name), "netkit"];
    const results = await Promise.all(
      names.map((name) =>
        runDeno(["run", "-A", `cmd/${name}.ts`, "--help"], { timeoutMs: 30_000 })
      ),
    );
    const texts = new Map<string, string>();
    results.forEach((result, i) => {
      assert.equal(result.code, 0, `${names[i]} --help: ${result.stderr}`);
      texts.set(names[i]!, result.stdout);
    });
    return texts;
  })();
  return helpTexts;
}

Deno.test("README's command table lists cmd/commands.ts: names, order and summaries", () => {
  const rows = tableAfter(readText("README.md"), "## Commands");
  assert.deepEqual(
    rows.map(([name, summary]) => ({ name, summary })),
    COMMANDS.map((command) => ({ name: `\`${command.name}\``, summary: command.summary })),
  );
  for (const row of rows) {
    assert.equal(row.length, 4, `a row of four cells: ${row.join(" | ")}`);
    assert.equal(row[3], `${row[0]!.slice(0, -1)} --help\``);
  }
});

Deno.test("README's exit codes are the ones each command's --help states", async () => {
  const texts = await helps();
  for (const [name, , codes] of tableAfter(readText("README.md"), "## Commands")) {
    const help = texts.get(name!.replaceAll("`", ""))!;
    const exitPart = help.slice(help.search(/\bexit\b/i));
    assert.notEqual(help.search(/\bexit\b/i), -1, `${name} --help says nothing of exit codes`);
    const stated = exitCodesIn(exitPart);
    // The README says once, above the table, that a usage error exits 2.
    assert.ok(stated.includes(2), `${name} --help does not give 2 for a usage error`);
    for (const code of exitCodesIn(codes!)) {
      assert.ok(stated.includes(code), `README gives ${name} exit ${code}; --help does not`);
    }
  }
});

Deno.test("every option in the docs' command lines is in that command's --help", async () => {
  const texts = await helps();
  const runs = READMES.flatMap(documentedRuns);
  assert.ok(runs.length >= 20, `only ${runs.length} documented command lines found`);
  for (const run of runs) {
    let { name, args } = run;
    // netkit NAME ARGS runs NAME: its options are NAME's.
    if (name === "netkit" && args[0] !== undefined && texts.has(args[0])) {
      [name, ...args] = args;
    }
    const help = texts.get(name);
    assert.ok(help !== undefined, `${run.file}:${run.line}: cmd/${name}.ts is not a command`);
    for (const option of optionsIn(args)) {
      assert.ok(
        usageHasOption(help, option),
        `${run.file}:${run.line}: ${name} ${option} is not in \`${name} --help\``,
      );
    }
  }
});

Deno.test("README's tour has an asserting example for every package deno.json exports", () => {
  const exports = JSON.parse(readText("deno.json")).exports as Record<string, string>;
  const packages = Object.keys(exports).filter((key) => key !== ".").map((key) => key.slice(2));
  const examples = fencedBlocks(readText("README.md")).filter((block) => block.info === "ts");
  for (const example of examples) {
    assert.match(example.body, /import assert from "node:assert\/strict";/, `line ${example.line}`);
    assert.doesNotMatch(example.body, /console\.assert/, `line ${example.line}`);
    assert.doesNotMatch(example.body, /from "\.{1,2}\//, `line ${example.line}: a relative import`);
  }
  for (const name of packages) {
    assert.ok(
      examples.some((example) => example.body.includes(`from "@netkit/netkit/${name}";`)),
      `no README example imports @netkit/netkit/${name}`,
    );
  }
});

/** The `deno compile` flags the compile task gives a command: permissions, then `--include`s. */
function compileFlags(command: CommandEntry): string {
  const includes = (command.permissions.include ?? []).map((entry) => `--include ${entry}`);
  return [...permissionFlags(command.permissions), ...includes].join(" ");
}

Deno.test("tools/README.md's permission table is the command table's permissions", () => {
  const rows = tableAfter(readText("tools/README.md"), "**Permissions per command**");
  const seen: string[] = [];
  for (const [names, flags] of rows) {
    if (names === "netkit") continue;
    const documented = /`([^`]*)`/.exec(flags!)?.[1];
    for (const name of names!.split(",").map((part) => part.trim())) {
      const command = COMMANDS.find((entry) => entry.name === name);
      assert.ok(command, `tools/README.md lists "${name}", not in cmd/commands.ts`);
      assert.equal(documented, compileFlags(command), `the flags of ${name}`);
      seen.push(name);
    }
  }
  assert.deepEqual(seen.toSorted(), COMMANDS.map((command) => command.name).toSorted());
});

/** The anchor GitHub gives a Markdown heading. */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

Deno.test("the READMEs' relative links reach files and headings that exist", () => {
  for (const file of READMES) {
    const text = readText(file);
    const base = new URL(file, `file://${ROOT}/`);
    for (const [, target = ""] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [path = "", anchor] = target.split("#");
      const url = path === "" ? base : new URL(path, base);
      const stat = Deno.statSync(url); // throws for a missing file
      if (anchor === undefined) continue;
      assert.ok(stat.isFile, `${file}: #${anchor} on a directory`);
      const headings = Deno.readTextFileSync(url).split("\n")
        .filter((line) => /^#{1,6} /.test(line))
        .map((line) => headingAnchor(line.replace(/^#+ /, "")));
      assert.ok(headings.includes(anchor), `${file}: no heading for ${target}`);
    }
  }
});

Deno.test("README's layout shows the folders of lib/", () => {
  const listed = /\$ ls lib\/\n(.*)\n/.exec(readText("README.md"))?.[1]?.trim().split(/\s+/);
  const folders = [...Deno.readDirSync(`${ROOT}/lib`)]
    .filter((entry) => entry.isDirectory)
    .map((entry) => entry.name)
    .toSorted();
  assert.deepEqual(listed, folders);
});

Deno.test("where the code speaks of the lecture, its module doc says what the lecture is", () => {
  const missing: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(`${ROOT}/${dir}`)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) walk(path);
      else if (path.endsWith(".ts")) {
        const source = readText(path);
        if (!/lecture/i.test(source)) continue;
        const moduleDoc = (/^\/\*\*[\s\S]*?\*\//.exec(source.trimStart())?.[0] ?? "")
          .replace(/\s*\n\s*\*\s*/g, " ");
        if (!/lecture notes/i.test(moduleDoc)) missing.push(path);
      }
    }
  };
  for (const dir of ["lib", "cmd", "tools"]) walk(dir);
  assert.deepEqual(
    missing,
    [],
    "say in the module doc: the lecture is the networking lecture notes",
  );
});

Deno.test("the files and folders the READMEs name in code spans exist", () => {
  const generated = ["bench/out/", "dist/"]; // made by the benchmarks and the compile task
  const missing: string[] = [];
  for (const file of READMES) {
    for (
      const [, path = ""] of readText(file).matchAll(/`((?:lib|cmd|tests|tools|bench)\/[^`\s]*)`/g)
    ) {
      if (path.includes("NAME") || generated.some((prefix) => path.startsWith(prefix))) continue;
      try {
        Deno.statSync(new URL(path, `file://${ROOT}/`));
      } catch {
        missing.push(`${file}: ${path}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});
