/**
 * wget benchmark: nginx on loopback serving a 1 GiB file; netkit wget against `curl -s -o FILE`,
 * `wget -q -O FILE` and `curl -o /dev/null` (the ceiling without the write), median of 5 each, in
 * one run; netkit wget's peak RSS for 100 MiB and 1 GiB files; a 1 KiB download's wall time
 * against `deno run` of an empty script (hyperfine).
 *
 * Run: `deno run -A bench/wget.ts` (about two minutes; needs ~2.3 GB free in the temp directory).
 *
 * @module
 */

import { startNginx, writeBigFile } from "../tests/harness/nginx.ts";
import { tempDir } from "../tests/harness/peers.ts";

const MiB = 1024 * 1024;
const RUNS = 5;
const WGET = new URL("../cmd/wget.ts", import.meta.url).pathname;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.floor(sorted.length / 2)];
  if (value === undefined) throw new RangeError("median() of no values");
  return value;
}

async function timed(argv: string[]): Promise<number> {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError("The command line is empty");
  const start = performance.now();
  const { code } = await new Deno.Command(program, {
    args,
    stdout: "null",
    stderr: "null",
  }).output();
  if (code !== 0) throw new Error(`${argv.join(" ")} exited ${code}`);
  return (performance.now() - start) / 1000;
}

/** Runs `argv`, polling /proc/PID/status for VmHWM; returns the peak in MiB. */
async function peakRss(argv: string[]): Promise<number> {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError("The command line is empty");
  const child = new Deno.Command(program, { args, stdout: "null", stderr: "null" })
    .spawn();
  let peak = 0;
  let done = false;
  const status = child.status.then((s) => (done = true, s));
  while (!done) {
    try {
      const text = await Deno.readTextFile(`/proc/${child.pid}/status`);
      const match = /VmHWM:\s+(\d+) kB/.exec(text);
      if (match) peak = Math.max(peak, Number(match[1]) / 1024);
    } catch {
      // The process just ended.
    }
    await Promise.race([status, new Promise((r) => setTimeout(r, 20))]);
  }
  if (!(await status).success) throw new Error(`${argv.join(" ")} failed`);
  return peak;
}

await using dir = await tempDir("netkit_bench_");
await using nginx = await startNginx(dir.path);
const out = `${dir.path}/out`;
await Deno.mkdir(out);
// --startup-only: just the 1 KiB comparison, for quick iterations.
const startupOnly = Deno.args.includes("--startup-only");
console.error(startupOnly ? "Writing a 1 KiB file…" : "Writing 1 GiB, 100 MiB and 1 KiB files…");
if (!startupOnly) {
  await writeBigFile(`${nginx.root}/1g.bin`, 1024 * MiB);
  await writeBigFile(`${nginx.root}/100m.bin`, 100 * MiB);
}
await writeBigFile(`${nginx.root}/1k.bin`, 1024);
const url = (name: string) => `http://127.0.0.1:${nginx.port}/${name}`;
const deno = Deno.execPath();

const contenders: [string, string[]][] = [
  ["netkit wget -q -O FILE", [
    deno,
    "run",
    "-A",
    WGET,
    "-q",
    "-O",
    `${out}/netkit.bin`,
    url("1g.bin"),
  ]],
  ["curl -s -o FILE", ["curl", "-s", "-o", `${out}/curl.bin`, url("1g.bin")]],
  ["wget -q -O FILE (GNU)", ["wget", "-q", "-O", `${out}/gnu.bin`, url("1g.bin")]],
  ["curl -s -o /dev/null", ["curl", "-s", "-o", "/dev/null", url("1g.bin")]],
];
const times = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
if (startupOnly) contenders.length = 0;
// Interleaved rounds, so that background load hits every contender alike.
for (let round = 0; round < RUNS; round++) {
  for (const [name, argv] of contenders) {
    times.get(name)!.push(await timed(argv));
    for (const file of ["netkit.bin", "curl.bin", "gnu.bin"]) {
      // A fast run must also be a whole one.
      const size = await Deno.stat(`${out}/${file}`).then((info) => info.size, () => undefined);
      if (size !== undefined && size !== 1024 * MiB) throw new Error(`${name}: ${size} bytes`);
      await Deno.remove(`${out}/${file}`).catch(() => {});
    }
  }
}
if (!startupOnly) reportThroughput();
function reportThroughput() {
  const rates = new Map([...times].map(([name, t]) => [name, 1024 / median(t)]));
  const curlRate = rates.get("curl -s -o FILE")!;
  console.log(`\n1 GiB over loopback from nginx, median of ${RUNS} (MiB/s, × curl -s -o FILE):`);
  console.log("| Command | Median s | MiB/s | × curl |");
  console.log("|---|---:|---:|---:|");
  for (const [name] of contenders) {
    const rate = rates.get(name)!;
    const line = `| ${name} | ${median(times.get(name)!).toFixed(2)} | ${rate.toFixed(0)} | ${
      (rate / curlRate).toFixed(2)
    } |`;
    console.log(line);
  }
}

if (!startupOnly) console.log("\nPeak RSS of netkit wget (VmHWM):");
for (const name of startupOnly ? [] : ["100m.bin", "1g.bin"]) {
  const peak = await peakRss([deno, "run", "-A", WGET, "-q", "-O", `${out}/rss.bin`, url(name)]);
  console.log(`| ${name} | ${peak.toFixed(1)} MiB |`);
  await Deno.remove(`${out}/rss.bin`).catch(() => {});
}

const empty = `${dir.path}/empty.ts`;
await Deno.writeTextFile(empty, "");
// The floor: the same GET with a bare Deno.connect, no parsing, no checks.
const bare = `${dir.path}/bare.ts`;
await Deno.writeTextFile(
  bare,
  `const c = await Deno.connect({ hostname: "127.0.0.1", port: ${nginx.port} });
await c.write(new TextEncoder().encode("GET /1k.bin HTTP/1.0\\r\\n\\r\\n"));
const f = Deno.openSync("${out}/bare.bin", { write: true, create: true, truncate: true });
const b = new Uint8Array(65536);
for (let n; (n = await c.read(b)) !== null;) f.writeSync(b.subarray(0, n));
`,
);
console.log("\n1 KiB download vs deno run of an empty script (hyperfine):");
const hyperfine = await new Deno.Command("hyperfine", {
  args: [
    "-N",
    "--warmup",
    "3",
    "--runs",
    "40",
    "--export-json",
    `${dir.path}/hf.json`,
    `${deno} run -A ${empty}`,
    `${deno} run -A ${WGET} -q -O ${out}/1k.bin ${url("1k.bin")}`,
    `${deno} run -A ${bare}`,
  ],
  stdout: "null",
  stderr: "inherit",
}).output();
if (!hyperfine.success) throw new Error("hyperfine failed");
const results = JSON.parse(await Deno.readTextFile(`${dir.path}/hf.json`)).results as {
  mean: number;
  median: number;
}[];
const [emptyRun, ...others] = results;
if (emptyRun === undefined) throw new Error("hyperfine reported no runs");
const labels = ["netkit wget -q -O FILE, 1 KiB", "bare Deno.connect GET, 1 KiB (floor)"];
const ms = (seconds: number) => (seconds * 1000).toFixed(1);
console.log("| Case | Median ms | × empty |");
console.log("|---|---:|---:|");
console.log(`| deno run empty.ts (anchor) | ${ms(emptyRun.median)} | 1.00 |`);
others.forEach((run, i) => {
  console.log(
    `| ${labels[i]} | ${ms(run.median)} | ${(run.median / emptyRun.median).toFixed(2)} |`,
  );
});
console.log(
  `\nMachine: ${Deno.build.target}, ${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}`,
);
