/**
 * lexical-server benchmark, all in one run on loopback:
 *
 * 1. Cached racks with `wrk -t2 -c64`, the same bytes per path: lexical-server on netkit's own
 *    `serveHttp` (the default, logging on) beside nginx serving the server's own answer from a
 *    file (the anchor, 1 worker; and 2 workers), a bare `Deno.serve` answering the same bytes
 *    pre-encoded from memory, lexical-server `--listeners 2` (two threads sharing the port with
 *    reusePort) beside nginx with 2 workers, and lexical-server under `deno serve --parallel`. All servers run
 *    at once and the wrk runs alternate, `--rounds` times; the table shows each one's median.
 * 2. Slowloris: 300 connections that send half a request head and wait. How long a good
 *    client's request takes meanwhile, and how many of the 300 are still open after the header
 *    timeout, beside nginx (`client_header_timeout`) and a bare `Deno.serve` (none).
 * 3. Cache misses, distinct 7-letter racks one after another on one keep-alive connection:
 *    latency in worker mode beside subprocess mode (a `deno run` of scrabble-word-finder per miss).
 * 4. The server's peak RSS (VmHWM) after each run.
 *
 * Run: `deno run -A bench/lexical_server.ts [--duration 10] [--rounds 3] [--misses 400]
 * [--cached-only]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { peerPath, tempDir } from "../tests/harness/peers.ts";
import { startDenoServer } from "../tests/harness/deno_server.ts";
import { bareDenoServe, cpuSeconds, staticNginx } from "./_lexical_contenders.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    duration: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
    misses: { type: "string", default: "400" },
    "subprocess-misses": { type: "string", default: "40" },
    "header-timeout": { type: "string", default: "5" },
    "cached-only": { type: "boolean", default: false },
  },
});
const DURATION = Number(values.duration);
const ROUNDS = Number(values.rounds);
const MISSES = Number(values.misses);
const SUBPROCESS_MISSES = Number(values["subprocess-misses"]);
const HEADER_TIMEOUT = Number(values["header-timeout"]);
const SERVER = new URL("../cmd/lexical-server.ts", import.meta.url).pathname;
const RACK = "aeinrst";

interface WrkResult {
  requestsPerSecond: number;
  requests: number;
  /** Server CPU microseconds per request, when the server's pid is known. */
  cpuUsPerRequest?: number;
  p50Ms: number;
  p99Ms: number;
  errors: string;
}

function lexicalServer(args: string[]) {
  const argv = ["run", "-A", "--unstable-net", SERVER, "--host", "127.0.0.1", ...args];
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
    requests: Number(text.match(/(\d+) requests in/)?.[1] ?? NaN),
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

// The body every contender sends: the server's own cached answer for the benchmark rack.
let body: string;
{
  await using server = await lexicalServer(["--quiet", "--workers", "1"]);
  const url = `http://127.0.0.1:${server.port}/api/${RACK}`;
  await (await fetch(url)).text();
  body = await (await fetch(url)).text();
}
await Deno.mkdir(`${dir.path}/api`);
await Deno.writeTextFile(`${dir.path}/api/${RACK}`, body);

/** nginx serving the body as a static file. */
const nginx = (workers: string, extra = "") => staticNginx(dir.path, workers, extra);
const bareServe = () => bareDenoServe(dir.path, body);

// 1. Cached racks: every contender up at once, wrk runs alternating.
interface Contender {
  name: string;
  port: number;
  pid?: number;
  results: WrkResult[];
}
{
  await using nginx1 = await nginx("1");
  await using nginx2 = await nginx("2");
  await using bare = await bareServe();
  await using ours = await lexicalServer([]);
  await using ours2 = await lexicalServer(["--listeners", "2"]);
  await using parallel = await startDenoServer(
    (port) => ["serve", "-A", "--parallel", "--quiet", "--port", String(port), SERVER],
    { env: { NETKIT_WORKERS: "1" }, keepStderr: false },
  );
  // Warm every listener's cache: a fresh connection each time, so reusePort spreads them.
  for (let i = 0; i < 16; i++) {
    for (const port of [ours.port, ours2.port, parallel.port]) {
      const client = Deno.createHttpClient({});
      await fetch(`http://127.0.0.1:${port}/api/${RACK}`, { client }).then((r) => r.text());
      client.close();
    }
  }
  const contenders: Contender[] = [
    {
      name: "nginx, 1 worker, static file (anchor)",
      port: nginx1.port,
      pid: nginx1.pid,
      results: [],
    },
    { name: "nginx, 2 workers", port: nginx2.port, pid: nginx2.pid, results: [] },
    {
      name: "bare Deno.serve, same bytes pre-encoded",
      port: bare.port,
      pid: bare.pid,
      results: [],
    },
    {
      name: "**lexical-server (serveHttp, default), logging on**",
      port: ours.port,
      pid: ours.pid,
      results: [],
    },
    {
      name: "lexical-server --listeners 2 (reusePort, 2 threads), logging on",
      port: ours2.port,
      pid: ours2.pid,
      results: [],
    },
    {
      name: "lexical-server under deno serve --parallel (2 threads)",
      port: parallel.port,
      pid: parallel.pid,
      results: [],
    },
  ];
  for (let round = 0; round < ROUNDS; round++) {
    for (const contender of contenders) {
      const before = contender.pid ? cpuSeconds(contender.pid) : NaN;
      const result: WrkResult = await wrk(`http://127.0.0.1:${contender.port}/api/${RACK}`);
      const used = contender.pid ? cpuSeconds(contender.pid) - before : NaN;
      result.cpuUsPerRequest = (used * 1e6) / result.requests;
      contender.results.push(result);
    }
  }
  const median = (contender: Contender) => {
    const sorted = [...contender.results].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const anchor = median(contenders[0]!).requestsPerSecond;
  const bareRps = median(contenders[2]!).requestsPerSecond;
  console.log(
    `### Cached racks: wrk -t2 -c64 -d${DURATION}s, ${body.length}-byte answer, median of ${ROUNDS} alternating rounds, loopback, ${navigator.hardwareConcurrency} cores\n`,
  );
  console.log(
    "| server | requests/s (median) | all rounds | vs nginx 1w | vs bare Deno.serve | each round vs nginx 1w | each round vs Deno.serve | server CPU µs/request (median) | p50 ms | p99 ms | peak RSS MB |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  // The wrk runs of one round follow each other within seconds: a round's ratios see the same
  // machine, so their spread says more than the medians' ratio when the load moves.
  const perRound = (contender: Contender, anchor: Contender) => {
    const ratios = contender.results.map((r, i) =>
      r.requestsPerSecond / anchor.results[i]!.requestsPerSecond
    );
    return `${fixed(Math.min(...ratios), 2)}–${fixed(Math.max(...ratios), 2)}×`;
  };
  const listeners2 = median(contenders[4]!).requestsPerSecond;
  const nginx2Rps = median(contenders[1]!).requestsPerSecond;
  for (const contender of contenders) {
    const result = median(contender);
    console.log(
      `| ${contender.name} | ${fixed(result.requestsPerSecond, 0)} | ${
        contender.results.map((r) => fixed(r.requestsPerSecond / 1000, 1) + "k").join(", ")
      } | ${fixed(result.requestsPerSecond / anchor, 2)}× | ${
        fixed(result.requestsPerSecond / bareRps, 2)
      }× | ${perRound(contender, contenders[0]!)} | ${perRound(contender, contenders[2]!)} | ${
        fixed(percentile(contender.results.map((r) => r.cpuUsPerRequest ?? NaN), 50), 2)
      } | ${fixed(result.p50Ms, 2)} | ${fixed(result.p99Ms, 2)} | ${
        contender.pid && !contender.name.startsWith("nginx") ? fixed(peakRssMb(contender.pid)) : ""
      } |${result.errors ? ` ${result.errors}` : ""}`,
    );
  }
  console.log(
    `\nlexical-server --listeners 2 vs nginx with 2 workers: ${fixed(listeners2 / nginx2Rps, 2)}×`,
  );
}

// The rest is skipped with --cached-only (to repeat the first table quickly).
if (!values["cached-only"]) {
  // 2. Slowloris: 300 half-sent heads, a good client meanwhile, who is still open after the timeout.
  {
    const CROWD = 300;
    const encoder = new TextEncoder();
    const slowloris = async (name: string, port: number) => {
      const crowd: Deno.Conn[] = [];
      for (let i = 0; i < CROWD; i++) {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        await conn.write(encoder.encode(`GET /api/${RACK} HTTP/1.1\r\nHost: a\r\nX-Slow: `));
        crowd.push(conn);
      }
      const startedAt = performance.now();
      let open = CROWD;
      const closedAt: number[] = [];
      const watchers = crowd.map(async (conn) => {
        const buffer = new Uint8Array(4096);
        try {
          while ((await conn.read(buffer)) !== null) { /* an error answer */ }
        } catch {
          // Reset.
        }
        open--;
        closedAt.push(performance.now() - startedAt);
      });
      const goodStarted = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}/api/${RACK}`);
      await response.text();
      const goodMs = performance.now() - goodStarted;
      await new Promise((resolve) => setTimeout(resolve, (HEADER_TIMEOUT + 2) * 1000));
      const stillOpen = open;
      for (const conn of crowd) {
        try {
          conn.close();
        } catch {
          // Closed.
        }
      }
      await Promise.all(watchers);
      const closedByServer = CROWD - stillOpen;
      return `| ${name} | ${response.status} in ${
        fixed(goodMs, 1)
      } ms | ${stillOpen} of ${CROWD} | ${
        closedByServer > 0
          ? fixed(percentile(closedAt.slice(0, closedByServer), 50) / 1000, 2)
          : "—"
      } |`;
    };
    const rows: string[] = [];
    {
      await using server = await lexicalServer(["--header-timeout", String(HEADER_TIMEOUT)]);
      await fetch(`http://127.0.0.1:${server.port}/api/${RACK}`).then((r) => r.text());
      rows.push(await slowloris(`lexical-server --header-timeout ${HEADER_TIMEOUT}`, server.port));
    }
    {
      await using server = await nginx("1", `client_header_timeout ${HEADER_TIMEOUT}s;`);
      rows.push(await slowloris(`nginx, client_header_timeout ${HEADER_TIMEOUT}s`, server.port));
    }
    {
      await using server = await bareServe();
      rows.push(await slowloris("bare Deno.serve (no header timeout)", server.port));
    }
    console.log(
      `\n### Slowloris: ${CROWD} connections with half a head, then a good client\n`,
    );
    console.log(
      `| server | good client meanwhile | still open ${
        HEADER_TIMEOUT + 2
      } s later | median s until closed |`,
    );
    console.log("|---|---|---|---|");
    for (const line of rows) console.log(line);
  }

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
    // One load generator is one client: lift the fair share to measure the finder's capacity.
    await using server = await lexicalServer([
      "--quiet",
      "--finder",
      finder,
      "--cache-size",
      "0",
      "--max-misses-per-client",
      "1000000",
    ]);
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
}
