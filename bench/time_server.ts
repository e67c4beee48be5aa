/**
 * Benchmark: time-server against two anchors, a minimal C accept loop (`bench/daytime_server.c`)
 * and a bare Deno accept loop (`bench/_deno_accept_loop.ts`, the runtime's ceiling), under the
 * same load from a C load generator (`bench/daytime_load.c`: 64 clients on loopback that connect,
 * read to EOF and close, over and over).
 *
 * Every server gets SECONDS of load in total, given in ROUNDS slices taken in turn (A B C D, then
 * B C D A, …), so that noise from other work on the machine falls on all of them alike. The
 * ratios are the median over rounds of each round's ratio (servers measured seconds apart see
 * about the same machine); connections/s and latency are over the whole run.
 *
 *   deno run -A bench/time_server.ts [--seconds 10] [--rounds 10] [--clients 64]
 *
 * @module
 */

import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "10" },
    rounds: { type: "string", default: "10" },
    clients: { type: "string", default: "64" },
  },
});
const seconds = Number(values.seconds);
const rounds = Math.max(1, Math.floor(Number(values.rounds)));
const clients = Math.floor(Number(values.clients));
if (!(seconds > 0) || !(clients >= 1 && clients <= 1024)) {
  console.error(
    "Usage: deno run -A bench/time_server.ts [--seconds 10] [--rounds 5] [--clients 64]",
  );
  Deno.exit(2);
}

const here = new URL(".", import.meta.url).pathname;
const root = new URL("../", import.meta.url).pathname;
const out = `${here}out/`;
await Deno.mkdir(out, { recursive: true });

async function run(argv: string[]): Promise<string> {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError("The command line is empty");
  const { code, stdout, stderr } = await new Deno.Command(program, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout);
  if (code !== 0) {
    throw new Error(`${argv.join(" ")} exited with ${code}: ${new TextDecoder().decode(stderr)}`);
  }
  return text;
}

for (const name of ["daytime_server", "daytime_load"]) {
  await run(["gcc", "-O2", "-Wall", "-o", `${out}${name}`, `${here}${name}.c`]);
}

interface Server {
  name: string;
  argv: string[];
  child?: Deno.ChildProcess;
  port?: number;
  connections: number;
  errors: number;
  histogram: Map<number, number>;
  /** Connections per second in each round. */
  rates: number[];
  /** p99 latency in each round, in ms. */
  p99s: number[];
}

const deno = Deno.execPath();
const timeServer = [deno, "run", "-A", `${root}cmd/time-server.ts`, "--port", "0", "--host"];
const servers: Server[] = [
  { name: "C accept loop", argv: [`${out}daytime_server`, "0"] },
  { name: "bare Deno accept loop", argv: [deno, "run", "-A", `${here}_deno_accept_loop.ts`, "0"] },
  { name: "time-server (logging)", argv: [...timeServer, "127.0.0.1"] },
  { name: "time-server --quiet", argv: [...timeServer, "127.0.0.1", "--quiet"] },
].map((s) => ({
  ...s,
  connections: 0,
  errors: 0,
  histogram: new Map(),
  rates: [] as number[],
  p99s: [] as number[],
}));

async function start(server: Server): Promise<void> {
  const [program, ...args] = server.argv;
  if (program === undefined) throw new TypeError("The command line is empty");
  const child = new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "piped",
    // The log goes to /dev/null: written, as in production, but not read here.
    stderr: "null",
  }).spawn();
  server.child = child;
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${server.name} exited before listening`);
    text += value;
  }
  reader.releaseLock();
  const match = text.match(/port (\d+)/);
  if (!match) throw new Error(`${server.name} printed ${JSON.stringify(text)}`);
  server.port = Number(match[1]);
}

interface LoadResult {
  connections: number;
  rate: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

async function load(server: Server, duration: number, record: boolean): Promise<LoadResult> {
  const histogramFile = `${out}histogram.txt`;
  const result = JSON.parse(
    await run([
      `${out}daytime_load`,
      String(server.port),
      String(duration),
      String(clients),
      histogramFile,
    ]),
  ) as LoadResult;
  if (record) {
    server.rates.push(result.rate);
    server.p99s.push(result.p99_ms);
    server.connections += result.connections;
    server.errors += result.errors;
    for (const line of (await Deno.readTextFile(histogramFile)).split("\n")) {
      if (!line) continue;
      const [us, count] = line.split(" ").map(Number);
      if (us === undefined || count === undefined) throw new Error(`Bad histogram line "${line}"`);
      server.histogram.set(us, (server.histogram.get(us) ?? 0) + count);
    }
  }
  return result;
}

function percentile(histogram: Map<number, number>, total: number, fraction: number): number {
  const wanted = Math.floor(total * fraction);
  let seen = 0;
  for (const us of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(us)!;
    if (seen > wanted) return us / 1000;
  }
  return NaN;
}

const cpu = (await Deno.readTextFile("/proc/cpuinfo").catch(() => ""))
  .match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
console.log(
  `Machine: ${navigator.hardwareConcurrency} cores, ${cpu}, Linux ${Deno.osRelease()}, Deno ${Deno.version.deno}`,
);
console.log(
  `Load: ${clients} clients on loopback (connect, read to EOF, close), ${seconds} s per server ` +
    `in ${rounds} rounds taken in turn`,
);

try {
  for (const server of servers) await start(server);
  // Warm up (JIT, caches), not recorded.
  for (const server of servers) await load(server, 1, false);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < servers.length; i++) {
      const server = servers[(round + i) % servers.length];
      if (server === undefined) throw new RangeError(`No server ${i}`);
      await load(server, seconds / rounds, true);
    }
  }
} finally {
  for (const server of servers) {
    try {
      server.child?.kill("SIGTERM");
    } catch {
      // Gone already.
    }
    await server.child?.status;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  const upper = sorted[middle];
  if (upper === undefined) throw new RangeError("median() of no values");
  const lower = sorted[middle - 1];
  return sorted.length % 2 || lower === undefined ? upper : (lower + upper) / 2;
}

function medianRatio(a: Server, b: Server): number {
  return median(a.rates.map((rate, i) => rate / (b.rates[i] ?? NaN)));
}

const [c, bare] = servers;
if (c === undefined || bare === undefined) {
  throw new Error("The C and bare Deno anchors are missing");
}
const rows = servers.map((s) => {
  const rate = s.connections / seconds;
  return {
    name: s.name,
    rate,
    vsBare: medianRatio(s, bare),
    vsC: medianRatio(s, c),
    p50: percentile(s.histogram, s.connections, 0.5),
    p99: percentile(s.histogram, s.connections, 0.99),
    p99Median: median(s.p99s),
    errors: s.errors,
  };
});

console.log("");
console.log(
  "| server | connections/s | × bare Deno | × C | p50 ms | p99 ms | p99 ms, median of rounds | errors |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${Math.round(r.rate)} | ${r.vsBare.toFixed(2)} | ${r.vsC.toFixed(2)} | ` +
      `${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.p99Median.toFixed(3)} | ${r.errors} |`,
  );
}

const ours = rows[2];
if (ours === undefined) throw new Error("No row for time-server");
const goals = [
  [`time-server ≥ 0.9× bare Deno loop`, ours.vsBare >= 0.9, ours.vsBare.toFixed(2)],
  [`time-server ≥ 1.0× C loop`, ours.vsC >= 1.0, ours.vsC.toFixed(2)],
  [
    `time-server p99 ≤ 2.5 ms`,
    ours.p99 <= 2.5,
    `${ours.p99.toFixed(3)} ms over the run, ${ours.p99Median.toFixed(3)} ms median of rounds`,
  ],
] as const;
console.log(
  "\nRatios are medians of per-round ratios; connections/s, p50 and p99 are over the whole run.",
);
console.log("");
for (const [goal, met, figure] of goals) {
  console.log(`${met ? "met   " : "MISSED"} ${goal}: ${figure}`);
}
