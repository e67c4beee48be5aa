/**
 * Start-up of each command: `deno run -A cmd/NAME.ts --help` against `deno run -A` of an empty
 * script (the anchor), in the same run, plus `netkit NAME --help` through the multi-call
 * dispatcher. Goal: every command within 1.3× of the empty script.
 *
 * By default a loop of N rounds that runs every case once per round, so noise from other work on
 * the machine falls on all cases alike (on this shared 2-core machine hyperfine's case-after-case
 * runs gave the anchor itself medians from 12 to 19 ms). `--hyperfine` uses hyperfine instead
 * (`-N`, 3 warm-ups, JSON export). Prints a Markdown table of medians and ratios.
 *
 *     deno run -A bench/startup.ts [--runs N] [--hyperfine] [--before OTHER_CHECKOUT]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { isCommandFileName } from "../cmd/commands.ts";

const GOAL = 1.3;
const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "30" },
    hyperfine: { type: "boolean", default: false },
    before: { type: "string" },
  },
});
const runs = Number(values.runs);

interface Case {
  label: string;
  argv: string[];
}

const deno = Deno.execPath();
const scratch = await Deno.makeTempDir({ prefix: "netkit_startup_" });
const empty = `${scratch}/empty.ts`;
await Deno.writeTextFile(empty, "");
const nodeUtil = `${scratch}/node_util.ts`;
await Deno.writeTextFile(nodeUtil, 'import "node:util";\n');

const commands = [...Deno.readDirSync(`${root}/cmd`)]
  .filter((entry) => entry.isFile && isCommandFileName(entry.name))
  .map((entry) => entry.name.slice(0, -3))
  .sort();
/** The cases of one checkout: every command's `--help`, direct and through netkit. */
const casesOf = (tree: string, suffix: string): Case[] => [
  ...commands.map((name) => ({
    label: `${name} --help${suffix}`,
    argv: [deno, "run", "-A", `${tree}/cmd/${name}.ts`, "--help"],
  })),
  ...commands.filter((name) => name !== "netkit").map((name) => ({
    label: `netkit ${name} --help${suffix}`,
    argv: [deno, "run", "-A", `${tree}/cmd/netkit.ts`, name, "--help"],
  })),
];
const cases: Case[] = [
  { label: "empty script (anchor)", argv: [deno, "run", "-A", empty] },
  // Reference: what one `node:` import costs (why lib/cli/command_line.ts does not use node:util).
  { label: "script importing node:util (reference)", argv: [deno, "run", "-A", nodeUtil] },
  ...casesOf(root, ""),
  // `--before DIR`: the same commands from another checkout (e.g. a `git worktree` of an older
  // commit), interleaved in the same loop, so a change's effect on start-up is measured in one run.
  ...(values.before ? casesOf(values.before, " (before)") : []),
];

const hyperfine = values.hyperfine ? which("hyperfine") : undefined;
if (values.hyperfine && !hyperfine) console.error("hyperfine is not installed: using the loop");
const medians = hyperfine ? await withHyperfine(hyperfine) : await withLoop();
await Deno.remove(scratch, { recursive: true });

const anchor = medians[0];
if (anchor === undefined) throw new Error("No start-up times measured");
console.log(
  `\nStart-up, median of ${runs} runs (${hyperfine ? "hyperfine -N" : "interleaved loop"}), ` +
    `deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores:\n`,
);
console.log("| case | median ms | × empty script | goal ≤ 1.3× |");
console.log("| --- | ---: | ---: | :---: |");
cases.forEach((item, index) => {
  const median = medians[index];
  if (median === undefined) throw new Error(`No start-up time for ${item.label}`);
  const ratio = median / anchor;
  const verdict = index === 0
    ? "anchor"
    : index === 1
    ? "reference"
    : ratio <= GOAL
    ? "met"
    : "MISSED";
  console.log(
    `| ${item.label} | ${median.toFixed(1)} | ${ratio.toFixed(2)} | ${verdict} |`,
  );
});

async function withHyperfine(path: string): Promise<number[]> {
  const json = `${scratch}/hyperfine.json`;
  const quoted = cases.map((item) => item.argv.map(shellQuote).join(" "));
  const output = await new Deno.Command(path, {
    args: ["-N", "--warmup", "3", "--runs", String(runs), "--export-json", json, ...quoted],
    stdout: "null",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`hyperfine exited with ${output.code}`);
  const report = JSON.parse(await Deno.readTextFile(json)) as { results: { median: number }[] };
  return report.results.map((result) => result.median * 1000);
}

async function withLoop(): Promise<number[]> {
  const times: number[][] = cases.map(() => []);
  for (let round = -2; round < runs; round++) { // two rounds of warm-up
    for (const [index, item] of cases.entries()) {
      const [program, ...args] = item.argv;
      if (program === undefined) throw new TypeError("The command line is empty");
      const start = performance.now();
      const output = await new Deno.Command(program, {
        args,
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).output();
      const elapsed = performance.now() - start;
      if (!output.success) throw new Error(`${item.label} exited with ${output.code}`);
      if (round >= 0) times[index]?.push(elapsed);
    }
  }
  return times.map((list) => {
    const median = list.sort((a, b) => a - b)[Math.floor(list.length / 2)];
    if (median === undefined) throw new RangeError("No runs timed");
    return median;
  });
}

function which(command: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      if (Deno.statSync(`${dir}/${command}`).isFile) return `${dir}/${command}`;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
