/**
 * `wget -m -np` of a generated site (tests/harness/test_site.ts: a blog of N posts, each with
 * two images, tag pages, a robots.txt that disallows the drafts) against GNU wget on the same
 * nginx in the same run: wall time, peak memory (GNU time's maximum resident set size) and
 * nginx's count of TCP connections, for three site sizes (308, 1,208 and 4,808 files), so growth
 * with the page count shows.
 * Then netkit's `--max-threads 4` against GNU Wget2's (Debian's `wget2` package; against GNU
 * wget when it is not installed).
 * Beside them, in the same rounds, the floor of any Deno program (bench/_bare_mirror.ts, no netkit
 * code): fed GNU wget's own list of URLs (`list`, no HTML read), finding the links itself
 * with a regular expression (`crawl`) or with htmlparser2's Tokenizer, as issue 15 asks of netkit
 * (`htmlparser2`), and all again over 4 connections against Wget2's `--max-threads 4`. Before the
 * rounds each floor's tree is checked against GNU wget's (same files, bytes and modification
 * times); a difference stops the bench.
 *
 * Run: `deno run -A bench/wget_mirror.ts [--runs N] [--posts 100,400,1600]` (about three
 * minutes). `--against DIR` adds another checkout's netkit wget (say, main's: `git archive main |
 * tar -x -C DIR`) to every round, for an interleaved comparison of two versions (its
 * `--max-threads 4` too, unless `--sequential`); `--sequential`
 * leaves out the `--max-threads 4` rows; `--no-floor` leaves out the floor's rows and
 * `--no-parser-floor` only the htmlparser2 floor's; `--floor-threads` adds the floor's 4
 * connections each in a Worker thread of its own (slower than one thread on 2 cores); `--cpu`
 * adds each run's CPU time (user + system, from `perf stat`'s task-clock) and the paired ratios
 * of CPU and wall time, round by round, against GNU wget and against the other checkout (and the
 * `--max-threads 4` rows' wall time against Wget2's), and the user time alone (`perf stat`'s
 * `user_time`: a program's JavaScript, without the kernel's file creation, which moves from run to
 * run far more than a change to the JavaScript does) with its paired ratio.
 *
 * @module
 */

import { nginxAccepts, startTestSite } from "../tests/harness/test_site.ts";
import { tempDir } from "../tests/harness/peers.ts";
import {
  countFiles,
  hasCommand,
  measure,
  median,
  pairedRatio,
  tree,
  treeDifferences,
} from "./_mirror_runs.ts";

const WGET = new URL("../cmd/wget.ts", import.meta.url).pathname;
const BARE = new URL("./_bare_mirror.ts", import.meta.url).pathname;
const runsFlag = Deno.args.indexOf("--runs");
const RUNS = runsFlag >= 0 ? Number(Deno.args[runsFlag + 1]) : 5;
const postsFlag = Deno.args.indexOf("--posts");
const SIZES = (postsFlag >= 0 ? Deno.args[postsFlag + 1] ?? "" : "100,400,1600").split(",")
  .map(Number);
const againstFlag = Deno.args.indexOf("--against");
const AGAINST = againstFlag >= 0 ? Deno.args[againstFlag + 1] : undefined;
const SEQUENTIAL = Deno.args.includes("--sequential");
const CPU = Deno.args.includes("--cpu");
const FLOOR = !Deno.args.includes("--no-floor");
const FLOOR_THREADS = Deno.args.includes("--floor-threads");
const PARSER_FLOOR = !Deno.args.includes("--no-parser-floor");

const deno = Deno.execPath();
const checks: string[] = [];
console.log(`Median of ${RUNS} interleaved runs, nginx on loopback, into a fresh directory`);
console.log(
  `| Site | Tool | Files | Median ms | × GNU wget | Peak RSS MiB | TCP connections |${
    CPU ? " CPU ms | CPU × GNU wget | paired wall × | paired CPU × | user ms | paired user × |" : ""
  }${SEQUENTIAL ? "" : " paired wall × Wget2 |"}`,
);
console.log(
  `|---|---|---:|---:|---:|---:|---:|${CPU ? "---:|---:|---:|---:|---:|---:|" : ""}${
    SEQUENTIAL ? "" : "---:|"
  }`,
);
for (const posts of SIZES) {
  await using dir = await tempDir("netkit_bench_mirror_");
  await using site = await startTestSite(dir.path, posts);
  const url = `${site.origin}/blog/`;
  const wget2 = hasCommand("wget2");
  const netkit = (wget: string, extra: string[] = []) => [
    deno,
    "run",
    "-A",
    wget,
    "-q",
    "-m",
    "-np",
    ...extra,
    url,
  ];
  const urls = `${dir.path}/urls.txt`;
  const bare = (extra: string[]) => [deno, "run", "-A", BARE, ...extra];
  const floors: Record<string, string[]> = {
    "floor (list)": bare(["--list", urls]),
    "floor (crawl)": bare(["--crawl", url]),
    ...(PARSER_FLOOR
      ? { "floor (htmlparser2)": bare(["--crawl", url, "--parser", "htmlparser2"]) }
      : {}),
  };
  const floors4: Record<string, string[]> = {
    "floor (list) 4 connections": bare(["--connections", "4", "--list", urls]),
    "floor (crawl) 4 connections": bare(["--connections", "4", "--crawl", url]),
  };
  if (PARSER_FLOOR) {
    floors4["floor (htmlparser2) 4 connections"] = bare([
      "--connections",
      "4",
      "--crawl",
      url,
      "--parser",
      "htmlparser2",
    ]);
  }
  if (FLOOR_THREADS) {
    floors4["floor (list) 4 threads"] = bare(["--threads", "4", "--list", urls]);
    floors4["floor (crawl) 4 threads"] = bare(["--threads", "4", "--crawl", url]);
    if (PARSER_FLOOR) {
      floors4["floor (htmlparser2) 4 threads"] = bare([
        "--threads",
        "4",
        "--crawl",
        url,
        "--parser",
        "htmlparser2",
      ]);
    }
  }
  if (FLOOR) {
    // GNU wget's URLs in its order, from its -nv log; then each floor's tree against GNU's.
    const gnuDir = await Deno.makeTempDir({ dir: dir.path });
    const { stderr } = await new Deno.Command("wget", {
      args: ["-nv", "-m", "-np", url],
      cwd: gnuDir,
      stderr: "piped",
    }).output();
    const log = new TextDecoder().decode(stderr);
    await Deno.writeTextFile(urls, [...log.matchAll(/ URL:(\S+) \[/g)].map((m) => m[1]).join("\n"));
    const gnuTree = await tree(gnuDir);
    for (const [name, args] of Object.entries({ ...floors, ...(SEQUENTIAL ? {} : floors4) })) {
      const cwd = await Deno.makeTempDir({ dir: dir.path });
      const run = await new Deno.Command(args[0]!, { args: args.slice(1), cwd }).output();
      if (!run.success) {
        throw new Error(`${name} failed: ${new TextDecoder().decode(run.stderr)}`);
      }
      const floorTree = await tree(cwd);
      const differ = treeDifferences(gnuTree, floorTree);
      if (differ.length > 0) {
        throw new Error(
          `${name} differs from GNU wget at ${posts} posts: ${
            differ.slice(0, 5).map((path) =>
              `${path}: ${gnuTree.get(path)} / ${floorTree.get(path)}`
            )
          }`,
        );
      }
      await Deno.remove(cwd, { recursive: true });
    }
    await Deno.remove(gnuDir, { recursive: true });
    checks.push(`${posts} posts: ${gnuTree.size} files`);
  }
  const argv: Record<string, string[]> = {
    "GNU wget": ["wget", "-q", "-m", "-np", url],
    ...(FLOOR ? floors : {}),
    "netkit wget": netkit(WGET),
  };
  if (AGAINST !== undefined) {
    argv[`netkit wget (${AGAINST})`] = netkit(`${AGAINST.replace(/\/+$/, "")}/cmd/wget.ts`);
  }
  if (!SEQUENTIAL) {
    argv[wget2 ? "GNU Wget2 --max-threads 4" : "GNU wget (no wget2)"] = wget2
      ? ["wget2", "-q", "-m", "-np", "--max-threads", "4", url]
      : ["wget", "-q", "-m", "-np", url];
    if (FLOOR) Object.assign(argv, floors4);
    argv["netkit wget --max-threads 4"] = netkit(WGET, ["--max-threads", "4"]);
    if (AGAINST !== undefined) {
      argv[`netkit wget --max-threads 4 (${AGAINST})`] = netkit(
        `${AGAINST.replace(/\/+$/, "")}/cmd/wget.ts`,
        ["--max-threads", "4"],
      );
    }
  }
  const times = new Map<string, number[]>(Object.keys(argv).map((tool) => [tool, []]));
  const memory = new Map<string, number[]>(Object.keys(argv).map((tool) => [tool, []]));
  const cpu = new Map<string, number[]>(Object.keys(argv).map((tool) => [tool, []]));
  const user = new Map<string, number[]>(Object.keys(argv).map((tool) => [tool, []]));
  const connections = new Map<string, number>();
  const files = new Map<string, number>();
  for (let round = 0; round < RUNS; round++) {
    for (const [tool, args] of Object.entries(argv)) {
      const cwd = await Deno.makeTempDir({ dir: dir.path });
      const before = await nginxAccepts(site.port);
      const { ms, kib, cpuMs, userMs } = await measure(args, cwd, CPU);
      connections.set(tool, (await nginxAccepts(site.port)) - before - 1);
      files.set(tool, await countFiles(cwd));
      times.get(tool)!.push(ms);
      memory.get(tool)!.push(kib);
      cpu.get(tool)!.push(cpuMs);
      user.get(tool)!.push(userMs);
      await Deno.remove(cwd, { recursive: true });
    }
  }
  const anchorMs = median(times.get("GNU wget")!);
  const anchorCpu = median(cpu.get("GNU wget")!);
  // Paired ratios: each round's run against the same round's GNU wget, or with --against the
  // same round's other checkout (netkit's own rows), then the median over the rounds.
  // The rows after Wget2's (--max-threads 4 and the floor's 4 connections) are paired with it too.
  const wget2Row = Object.keys(argv).find((tool) => tool.startsWith("GNU Wget2"));
  const threaded = wget2Row === undefined ? [] : Object.keys(argv).slice(
    Object.keys(argv).indexOf(wget2Row),
  );
  const paired = (
    tool: string,
    values: Map<string, number[]>,
    reference = AGAINST !== undefined && tool === "netkit wget"
      ? `netkit wget (${AGAINST})`
      : AGAINST !== undefined && tool === "netkit wget --max-threads 4"
      ? `netkit wget --max-threads 4 (${AGAINST})`
      : "GNU wget",
  ) => {
    return pairedRatio(values.get(tool)!, values.get(reference)!);
  };
  for (const [tool, values] of times) {
    const ms = median(values);
    const cpuMs = median(cpu.get(tool)!);
    const cpuColumns = CPU
      ? ` ${cpuMs.toFixed(0)} | ${(cpuMs / anchorCpu).toFixed(2)} | ${paired(tool, times)} | ${
        paired(tool, cpu)
      } | ${median(user.get(tool)!).toFixed(0)} | ${paired(tool, user)} |`
      : "";
    console.log(
      `| ${posts} posts | ${tool} | ${files.get(tool)} | ${ms.toFixed(0)} | ${
        (ms / anchorMs).toFixed(2)
      } | ${(median(memory.get(tool)!) / 1024).toFixed(1)} | ${
        connections.get(tool)
      } |${cpuColumns}${
        SEQUENTIAL ? "" : ` ${threaded.includes(tool) ? paired(tool, times, wget2Row) : ""} |`
      }`,
    );
  }
}
if (checks.length > 0) {
  console.log(
    `\nEach floor's tree = GNU wget's (same files, bytes and mtimes): ${checks.join(", ")}`,
  );
}
console.log(
  `\nMachine: ${Deno.build.target}, ${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}`,
);
