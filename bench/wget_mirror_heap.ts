/**
 * What netkit's `wget -m -np` still holds once a mirror is done, for three site sizes (308, 1,208
 * and 4,808 files of tests/harness/test_site.ts): the JavaScript heap after a full garbage
 * collection at exit (bench/_heap_at_exit.ts), beside the heap's size and the peak resident set
 * (GNU time's), and GNU wget's peak resident set on the same nginx. Peak memory is the retained
 * heap plus the runtime (`wget --version` peaks at ~36 MiB) plus the garbage between collections
 * and what the runtime keeps outside the heap, so the retained heap is the figure that says
 * whether what netkit holds grows with the pages.
 *
 * Run: `deno run -A bench/wget_mirror_heap.ts [--runs N] [--posts 100,400,1600]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { startTestSite } from "../tests/harness/test_site.ts";
import { tempDir } from "../tests/harness/peers.ts";

const WGET = new URL("../cmd/wget.ts", import.meta.url).pathname;
const AT_EXIT = new URL("./_heap_at_exit.ts", import.meta.url).pathname;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "3" },
    posts: { type: "string", default: "100,400,1600" },
  },
});
const RUNS = Number(values.runs);
const SIZES = values.posts.split(",").map(Number);
const MIB = 1024 * 1024;

/** Median of `values`. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** One mirror of `url` into a fresh `out` under GNU time: the files, peak RSS and the stderr. */
async function mirror(argv: string[], out: string) {
  await Deno.remove(out, { recursive: true }).catch(() => {});
  await Deno.mkdir(out);
  const run = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "maxrss=%M", ...argv],
    cwd: out,
    stdout: "null",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(run.stderr);
  if (!run.success && run.code !== 8) throw new Error(`${argv.join(" ")} failed:\n${text}`);
  let files = 0;
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await walk(`${dir}/${entry.name}`);
      else files++;
    }
  };
  await walk(out);
  const peak = Number(/maxrss=(\d+)/.exec(text)?.[1] ?? NaN) * 1024;
  const heap = /\{"heapAtExit".*\}/.exec(text)?.[0];
  return { files, peak, heap: heap ? JSON.parse(heap).heapAtExit : undefined };
}

const rows: string[] = [];
for (const posts of SIZES) {
  await using dir = await tempDir();
  await using site = await startTestSite(dir.path, posts);
  const url = `${site.origin}/blog/`;
  const netkit = { used: [] as number[], total: [] as number[], peak: [] as number[] };
  const gnu: number[] = [];
  let files = 0;
  for (let round = 0; round < RUNS; round++) {
    const ours = await mirror([
      Deno.execPath(),
      "run",
      "-A",
      "--preload",
      AT_EXIT,
      "--v8-flags=--expose-gc",
      WGET,
      "-q",
      "-m",
      "-np",
      url,
    ], `${dir.path}/netkit`);
    files = ours.files;
    netkit.used.push(ours.heap.heapUsed);
    netkit.total.push(ours.heap.heapTotal);
    netkit.peak.push(ours.peak);
    const theirs = await mirror(["wget", "-q", "-m", "-np", url], `${dir.path}/gnu`);
    if (theirs.files !== files) throw new Error(`GNU wget saved ${theirs.files}, netkit ${files}`);
    gnu.push(theirs.peak);
  }
  const mib = (bytes: number) => (bytes / MIB).toFixed(1);
  rows.push(
    `| ${files} | ${mib(median(netkit.used))} | ${mib(median(netkit.total))} | ${
      mib(median(netkit.peak))
    } | ${mib(median(gnu))} |`,
  );
}
console.log(
  `| Files | netkit heap held at exit MiB | heap size at exit MiB | netkit peak RSS MiB | GNU wget peak RSS MiB |`,
);
console.log("| ----- | ---- | ---- | ---- | ---- |");
for (const row of rows) console.log(row);
