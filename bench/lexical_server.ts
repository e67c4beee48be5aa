/**
 * lexical-server benchmark, all in one run on loopback:
 *
 * 1. Cached racks with `wrk -t2 -c64 -d10s`: lexical-server (worker mode, logging on) beside nginx
 *    serving a static JSON file of the same size (the anchor), a bare `Deno.serve` returning
 *    `Response.json` (the runtime's ceiling), and lexical-server under `deno serve --parallel`.
 * 2. Cache misses, distinct 7-letter racks one after another on one keep-alive connection:
 *    latency in worker mode beside subprocess mode (a `deno run` of scrabble-word-finder per miss).
 * 3. The server's peak RSS (VmHWM) after each run.
 *
 * Run: `deno run -A bench/lexical_server.ts [--duration 10] [--misses 400]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { freePort, peerPath, startPeer, tempDir } from "../tests/harness/peers.ts";
import { startDenoServer } from "../tests/harness/deno_server.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    duration: { type: "string", default: "10" },
    misses: { type: "string", default: "400" },
    "subprocess-misses": { type: "string", default: "40" },
  },
});
const DURATION = Number(values.duration);
const MISSES = Number(values.misses);
const SUBPROCESS_MISSES = Number(values["subprocess-misses"]);
const SERVER = new URL("../cmd/lexical-server.ts", import.meta.url).pathname;
const RACK = "aeinrst";

interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: string;
}

function lexicalServer(args: string[]) {
  const argv = ["run", "-A", SERVER, "--host", "127.0.0.1", ...args];
  return startDenoServer((port) => [...argv, "--port", String(port)], { keepStderr: false });
}

async function wrk(url: string, options: { connections?: number; script?: string } = {}) {
  console.error(`bench: wrk ${url} (${options.connections ?? 64} connections)`);
  const output = await new Deno.Command(peerPath("wrk")!, {
    args: [
      "-t2",
      `-c${options.connections ?? 64}`,
      `-d${DURATION}s`,
      "--latency",
      ...(options.script ? ["-s", options.script] : []),
      url,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout);
  const ms = (label: string) => {
    const match = text.match(new RegExp(`${label}\\s+([0-9.]+)(us|ms|s)`));
    if (!match) return NaN;
    const value = Number(match[1]);
    return match[2] === "us" ? value / 1000 : match[2] === "s" ? value * 1000 : value;
  };
  const errors = text.match(/Socket errors:.*|Non-2xx.*/g)?.join("; ") ?? "";
  return {
    requestsPerSecond: Number(text.match(/Requests\/sec:\s+([0-9.]+)/)?.[1] ?? NaN),
    p50Ms: ms("50%"),
    p99Ms: ms("99%"),
    errors,
  };
}

function peakRssMb(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const kb = Number(status.match(/VmHWM:\s+(\d+) kB/)?.[1] ?? NaN);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

/** Distinct random 7-letter racks (seeded, with English letter frequencies). */
function racks(count: number, seed: number): string[] {
  const bag =
    "aaaaaaaaabbccddddeeeeeeeeeeeeffggghhiiiiiiiiijkllllmmnnnnnnooooooooppqrrrrrrssssttttttuuuuvvwwxyyz";
  const seen = new Set<string>();
  let state = seed;
  while (seen.size < count) {
    let rack = "";
    for (let i = 0; i < 7; i++) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      rack += bag[state % bag.length];
    }
    seen.add(rack.split("").sort().join(""));
  }
  return [...seen];
}

async function missLatencies(port: number, list: string[]) {
  const client = Deno.createHttpClient({});
  const latencies: number[] = [];
  const serverTimes: number[] = [];
  for (const rack of list) {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/api/${rack}`, { client });
    const body = await response.json();
    latencies.push(performance.now() - started);
    if (response.status !== 200 || body.cached !== false) {
      throw new Error(`Rack "${rack}": status ${response.status}, cached ${body.cached}`);
    }
    serverTimes.push(body.time * 1000);
  }
  client.close();
  return {
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    server: percentile(serverTimes, 50),
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
  if (value === undefined) throw new RangeError("percentile() of no values");
  return value;
}

const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

if (!peerPath("wrk") || !peerPath("nginx")) {
  console.error("bench/lexical_server.ts needs wrk and nginx");
  Deno.exit(1);
}

await using dir = await tempDir("netkit_bench_lexical_");
await Deno.chmod(dir.path, 0o755); // nginx's workers run as another user
const rows: string[] = [];
const row = (name: string, result: WrkResult, anchor: number, rss: string) => {
  rows.push(
    `| ${name} | ${fixed(result.requestsPerSecond, 0)} | ${
      fixed(result.requestsPerSecond / anchor, 2)
    }× | ${fixed(result.p50Ms, 2)} | ${fixed(result.p99Ms, 2)} | ${rss} |${
      result.errors ? ` ${result.errors}` : ""
    }`,
  );
};

// The body nginx serves: the server's own answer for the benchmark rack.
let body: string;
{
  await using server = await lexicalServer(["--quiet", "--workers", "1"]);
  body = await (await fetch(`http://127.0.0.1:${server.port}/api/${RACK}`)).text();
}
await Deno.writeTextFile(`${dir.path}/${RACK}`, body);

/** nginx serving the body as a static file, access log on (buffered), as the anchor. */
async function nginx(workers: string): Promise<WrkResult> {
  const port = freePort();
  await Deno.writeTextFile(
    `${dir.path}/nginx.conf`,
    `daemon off;
worker_processes ${workers};
pid ${dir.path}/nginx.pid;
error_log ${dir.path}/error.log;
events { worker_connections 1024; }
http {
  access_log ${dir.path}/access.log combined buffer=64k flush=1s;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port};
    root ${dir.path};
    default_type "application/json; charset=utf-8";
    location / { try_files $uri =404; }
  }
}
`,
  );
  const prefix = ["-c", `${dir.path}/nginx.conf`, "-p", dir.path, "-e", `${dir.path}/error.log`];
  await using _nginx = await startPeer([peerPath("nginx")!, ...prefix], port);
  return await wrk(`http://127.0.0.1:${port}/${RACK}`);
}

const anchor = await nginx("1");
const anchorRps = anchor.requestsPerSecond;
row(`nginx, 1 worker, static ${body.length}-byte file (anchor)`, anchor, anchorRps, "");
row("nginx, 2 workers (auto)", await nginx("auto"), anchorRps, "");

{
  const script = `${dir.path}/bare.ts`;
  await Deno.writeTextFile(
    script,
    `const body = ${JSON.stringify(JSON.parse(body))};
Deno.serve({ port: Number(Deno.args[0]), hostname: "127.0.0.1", onListen() {} }, () => Response.json(body));
`,
  );
  await using bare = await startDenoServer((port) => ["run", "-A", script, String(port)]);
  const result = await wrk(`http://127.0.0.1:${bare.port}/api/${RACK}`);
  row("bare Deno.serve, Response.json (ceiling)", result, anchorRps, fixed(peakRssMb(bare.pid)));
}

{
  await using server = await lexicalServer([]);
  await fetch(`http://127.0.0.1:${server.port}/api/${RACK}`).then((response) => response.text());
  const result = await wrk(`http://127.0.0.1:${server.port}/api/${RACK}`);
  const name = "lexical-server, cached rack, logging on";
  row(name, result, anchorRps, fixed(peakRssMb(server.pid)));
}

{
  await using server = await startDenoServer(
    (port) => ["serve", "-A", "--parallel", "--quiet", "--port", String(port), SERVER],
    { env: { NETKIT_WORKERS: "1" }, keepStderr: false },
  );
  for (let i = 0; i < 8; i++) {
    await fetch(`http://127.0.0.1:${server.port}/api/${RACK}`).then((response) => response.text());
  }
  const result = await wrk(`http://127.0.0.1:${server.port}/api/${RACK}`);
  const name = "lexical-server, deno serve --parallel (2 threads)";
  row(name, result, anchorRps, fixed(peakRssMb(server.pid)));
}

console.log(
  `### Cached racks: wrk -t2 -c64 -d${DURATION}s, loopback, ${navigator.hardwareConcurrency} cores\n`,
);
console.log("| server | requests/s | vs nginx | p50 ms | p99 ms | peak RSS MB |");
console.log("|---|---|---|---|---|---|");
for (const line of rows) console.log(line);

// Misses one at a time: latency without queueing.
const missRows: string[] = [];
for (const finder of ["worker", "subprocess"] as const) {
  await using server = await lexicalServer(["--quiet", "--finder", finder]);
  const rssBefore = peakRssMb(server.pid);
  const count = finder === "worker" ? MISSES : SUBPROCESS_MISSES;
  const result = await missLatencies(server.port, racks(count, finder === "worker" ? 1 : 2));
  const name = finder === "worker"
    ? `worker (${navigator.hardwareConcurrency} workers, one shared index)`
    : "subprocess (deno run scrabble-word-finder per miss)";
  missRows.push(
    `| ${name} | ${count} | ${fixed(result.p50, 2)} | ${fixed(result.p90, 2)} | ${
      fixed(result.server, 2)
    } | ${fixed(rssBefore)} → ${fixed(peakRssMb(server.pid))} |`,
  );
}
console.log(`\n### Cache misses: distinct 7-letter racks, one at a time, one connection\n`);
console.log("| finder | racks | p50 ms | p90 ms | server-side p50 ms | server peak RSS MB |");
console.log("|---|---|---|---|---|---|");
for (const line of missRows) console.log(line);

// Misses under load: every request a new random 7-letter rack (wrk's Lua), cache off.
const lua = `${dir.path}/racks.lua`;
await Deno.writeTextFile(
  lua,
  `local letters = "aaaaaaaaabbccddddeeeeeeeeeeeeffggghhiiiiiiiiijkllllmmnnnnnnooooooooppqrrrrrrssssttttttuuuuvvwwxyyz"
math.randomseed(os.time())
request = function()
  local rack = {}
  for i = 1, 7 do
    local at = math.random(#letters)
    rack[i] = letters:sub(at, at)
  end
  return wrk.format("GET", "/api/" .. table.concat(rack))
end
`,
);
const loadRows: string[] = [];
for (const [finder, connections] of [["worker", 64], ["subprocess", 4]] as const) {
  await using server = await lexicalServer(["--quiet", "--finder", finder, "--cache-size", "0"]);
  const result = await wrk(`http://127.0.0.1:${server.port}/`, { connections, script: lua });
  loadRows.push(
    `| ${finder} | ${connections} | ${fixed(result.requestsPerSecond, 0)} | ${
      fixed(result.p50Ms, 2)
    } | ${fixed(result.p99Ms, 2)} | ${fixed(peakRssMb(server.pid))} |${
      result.errors ? ` ${result.errors}` : ""
    }`,
  );
}
console.log(`\n### Cache misses under load: wrk -t2 -d${DURATION}s, a random rack per request\n`);
console.log("| finder | connections | requests/s | p50 ms | p99 ms | server peak RSS MB |");
console.log("|---|---|---|---|---|---|");
for (const line of loadRows) console.log(line);
