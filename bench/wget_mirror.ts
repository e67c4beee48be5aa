/**
 * `wget -m -np` of a generated site (tests/harness/test_site.ts: a blog of N posts, each with
 * two images, tag pages, a robots.txt that disallows the drafts) against GNU wget on the same
 * nginx in the same run: wall time, peak memory (GNU time's maximum resident set size) and
 * nginx's count of TCP connections, for three site sizes (308, 1,208 and 4,808 files), so growth
 * with the page count shows.
 * Then netkit's `--max-threads 4` against GNU Wget2's (Debian's `wget2` package; against GNU
 * wget when it is not installed).
 *
 * Run: `deno run -A bench/wget_mirror.ts [--runs N] [--posts 100,400,1600]` (about two minutes).
 *
 * @module
 */

import { nginxAccepts, startTestSite } from "../tests/harness/test_site.ts";
import { tempDir } from "../tests/harness/peers.ts";

const WGET = new URL("../cmd/wget.ts", import.meta.url).pathname;
const runsFlag = Deno.args.indexOf("--runs");
const RUNS = runsFlag >= 0 ? Number(Deno.args[runsFlag + 1]) : 5;
const postsFlag = Deno.args.indexOf("--posts");
const SIZES = (postsFlag >= 0 ? Deno.args[postsFlag + 1] ?? "" : "100,400,1600").split(",")
  .map(Number);
const TIME = "/usr/bin/time";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Runs `argv` under GNU time; returns wall milliseconds and peak resident KiB. */
async function measure(argv: string[], cwd: string): Promise<{ ms: number; kib: number }> {
  const start = performance.now();
  const { stderr } = await new Deno.Command(TIME, {
    args: ["-f", "maxrss=%M", ...argv],
    cwd,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - start;
  const text = new TextDecoder().decode(stderr);
  const kib = Number(/maxrss=(\d+)/.exec(text)?.[1] ?? NaN);
  return { ms, kib };
}

function hasCommand(name: string): boolean {
  try {
    return new Deno.Command(name, { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for await (const entry of Deno.readDir(dir)) {
    n += entry.isDirectory ? await countFiles(`${dir}/${entry.name}`) : 1;
  }
  return n;
}

const deno = Deno.execPath();
console.log(`Median of ${RUNS} interleaved runs, nginx on loopback, into a fresh directory`);
console.log("| Site | Tool | Files | Median ms | × GNU wget | Peak RSS MiB | TCP connections |");
console.log("|---|---|---:|---:|---:|---:|---:|");
for (const posts of SIZES) {
  await using dir = await tempDir("netkit_bench_mirror_");
  await using site = await startTestSite(dir.path, posts);
  const url = `${site.origin}/blog/`;
  const wget2 = hasCommand("wget2");
  const argv: Record<string, string[]> = {
    "GNU wget": ["wget", "-q", "-m", "-np", url],
    "netkit wget": [deno, "run", "-A", WGET, "-q", "-m", "-np", url],
    [wget2 ? "GNU Wget2 --max-threads 4" : "GNU wget (no wget2)"]: wget2
      ? ["wget2", "-q", "-m", "-np", "--max-threads", "4", url]
      : ["wget", "-q", "-m", "-np", url],
    "netkit wget --max-threads 4": [
      deno,
      "run",
      "-A",
      WGET,
      "-q",
      "-m",
      "-np",
      "--max-threads",
      "4",
      url,
    ],
  };
  const times = new Map<string, number[]>(Object.keys(argv).map((tool) => [tool, []]));
  const memory = new Map<string, number[]>(Object.keys(argv).map((tool) => [tool, []]));
  const connections = new Map<string, number>();
  const files = new Map<string, number>();
  for (let round = 0; round < RUNS; round++) {
    for (const [tool, args] of Object.entries(argv)) {
      const cwd = await Deno.makeTempDir({ dir: dir.path });
      const before = await nginxAccepts(site.port);
      const { ms, kib } = await measure(args, cwd);
      connections.set(tool, (await nginxAccepts(site.port)) - before - 1);
      files.set(tool, await countFiles(cwd));
      times.get(tool)!.push(ms);
      memory.get(tool)!.push(kib);
      await Deno.remove(cwd, { recursive: true });
    }
  }
  const anchorMs = median(times.get("GNU wget")!);
  for (const [tool, values] of times) {
    const ms = median(values);
    console.log(
      `| ${posts} posts | ${tool} | ${files.get(tool)} | ${ms.toFixed(0)} | ${
        (ms / anchorMs).toFixed(2)
      } | ${(median(memory.get(tool)!) / 1024).toFixed(1)} | ${connections.get(tool)} |`,
    );
  }
}
console.log(
  `\nMachine: ${Deno.build.target}, ${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}`,
);
