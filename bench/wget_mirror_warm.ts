/**
 * How much of a `wget -m -np` run is the first run of its code: netkit's wget `main()` called
 * several times in one process, each walk into a fresh directory, on the site of
 * bench/wget_mirror.ts (tests/harness/test_site.ts on nginx). The first walk pays the modules'
 * loading (`cmd/_wget/command.ts`, the walker, htmlparser2), every function's first calls and V8's
 * tiering up (at 308 files no netkit function is optimized in one run: its per-file path runs as
 * bytecode and baseline code); the later walks run the same work warm. Each round is a fresh
 * process; per walk its wall time, its main thread's CPU time and all threads' CPU time (Linux's
 * schedstat, brought up to date at each scheduler event: exact to a tick across a walk).
 *
 * Run: `deno run -A bench/wget_mirror_warm.ts [--runs N] [--posts 100] [--walks 3]`;
 * `--first-posts P` makes the first walk one of a site of P posts (say 1: 7 files), so that the
 * later walks of the larger site start with the modules loaded and every function called once.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { startTestSite } from "../tests/harness/test_site.ts";
import { tempDir } from "../tests/harness/peers.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "7" },
    posts: { type: "string", default: "100" },
    walks: { type: "string", default: "3" },
    "first-posts": { type: "string" },
    child: { type: "boolean", default: false },
  },
  allowPositionals: true,
});

/** Milliseconds of CPU of this process's threads: the main thread's and all of them. */
function cpuMs(): { main: number; all: number } {
  const ranFor = (file: string) => {
    const text = Deno.readTextFileSync(file);
    return Number(text.slice(0, text.indexOf(" "))) / 1e6;
  };
  let all = 0;
  for (const task of Deno.readDirSync("/proc/self/task")) {
    all += ranFor(`/proc/self/task/${task.name}/schedstat`);
  }
  return { main: ranFor(`/proc/self/task/${Deno.pid}/schedstat`), all };
}

/** Median of `values`. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

if (values.child) {
  // One round: each positional URL walked once, in order, into a directory of its own.
  const { main } = await import("../cmd/wget.ts");
  await using dir = await tempDir("netkit_bench_warm_");
  const walks = [];
  for (const [i, url] of positionals.entries()) {
    const cwd = `${dir.path}/${i}`;
    Deno.mkdirSync(cwd);
    Deno.chdir(cwd);
    const before = cpuMs();
    const start = performance.now();
    const code = await main(["-q", "-m", "-np", url]);
    const ms = performance.now() - start;
    const after = cpuMs();
    let files = 0;
    const count = (path: string) => {
      for (const entry of Deno.readDirSync(path)) {
        if (entry.isDirectory) count(`${path}/${entry.name}`);
        else files++;
      }
    };
    count(cwd);
    walks.push({ code, files, ms, main: after.main - before.main, all: after.all - before.all });
  }
  Deno.chdir(dir.path);
  console.log(JSON.stringify(walks));
} else {
  const runs = Number(values.runs);
  const walks = Number(values.walks);
  await using dir = await tempDir("netkit_bench_warm_site_");
  await using site = await startTestSite(dir.path, Number(values.posts));
  const firstPosts = values["first-posts"];
  await using smallDir = await tempDir("netkit_bench_warm_small_");
  await using small = firstPosts === undefined
    ? undefined
    : await startTestSite(smallDir.path, Number(firstPosts));
  const urls = Array.from({ length: walks }, () => `${site.origin}/blog/`);
  if (small) urls[0] = `${small.origin}/blog/`;
  const rounds: { code: number; files: number; ms: number; main: number; all: number }[][] = [];
  for (let round = 0; round < runs; round++) {
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL(import.meta.url).pathname, "--child", ...urls],
      stderr: "inherit",
    }).output();
    if (!run.success) throw new Error("a round failed");
    rounds.push(JSON.parse(new TextDecoder().decode(run.stdout)));
  }
  console.log(
    `Median of ${runs} processes, each walking ${walks} times (\`-q -m -np\`); CPU from schedstat`,
  );
  console.log(
    "| walk | files | exit | wall ms | main thread CPU ms (range) | all threads CPU ms |",
  );
  console.log("|---:|---:|---:|---:|---|---:|");
  for (let walk = 0; walk < walks; walk++) {
    const of = (key: "ms" | "main" | "all") => rounds.map((round) => round[walk]![key]);
    const main = of("main");
    console.log(
      `| ${walk + 1} | ${rounds[0]![walk]!.files} | ${rounds[0]![walk]!.code} | ${
        median(of("ms")).toFixed(0)
      } | ${median(main).toFixed(1)} (${Math.min(...main).toFixed(0)}–${
        Math.max(...main).toFixed(0)
      }) | ${median(of("all")).toFixed(1)} |`,
    );
  }
}
