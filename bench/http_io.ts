/**
 * Where lexical-server's cached answers spend their time, in one run on loopback: lexical-server
 * (logging on, and `--quiet`) beside a bare `Deno.serve` (the anchor) and nginx with 1 worker, all
 * sending the same bytes, and beside the floor, an accept loop that only finds heads and writes a
 * pre-encoded answer (`_http_answer_loop.ts`), in three I/O variants: `read()` into one reused
 * buffer, the same with TCP_NODELAY, and `conn.readable` / `conn.writable` streams. `wrk -t2 -c64`,
 * the runs alternating `--rounds` times; each round's ratio to the anchor, and each server's CPU
 * time per request from /proc (the load of other jobs moves it far less than requests/s).
 *
 * Run: `deno run -A bench/http_io.ts [--duration 5] [--rounds 5]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { peerPath, tempDir } from "../tests/harness/peers.ts";
import { type DenoServer, startDenoServer } from "../tests/harness/deno_server.ts";
import { bareDenoServe, cpuSeconds, staticNginx } from "./_lexical_contenders.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    duration: { type: "string", default: "5" },
    rounds: { type: "string", default: "5" },
  },
});
const DURATION = Number(values.duration);
const ROUNDS = Number(values.rounds);
const RACK = "aeinrst";
const SERVER = new URL("../cmd/lexical-server.ts", import.meta.url).pathname;
const LOOP = new URL("./_http_answer_loop.ts", import.meta.url).pathname;

if (!peerPath("wrk") || !peerPath("nginx")) {
  console.error("bench/http_io.ts needs wrk and nginx");
  Deno.exit(1);
}

const lexical = (extra: string[]) =>
  startDenoServer((port) => [
    "run",
    "-A",
    SERVER,
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    ...extra,
  ], { keepStderr: false });

await using dir = await tempDir("netkit_bench_http_io_");
await Deno.chmod(dir.path, 0o755); // nginx's worker runs as another user
await using ours = await lexical([]);
await using quiet = await lexical(["--quiet"]);
let body = "";
for (const port of [ours.port, quiet.port, ours.port]) {
  body = await (await fetch(`http://127.0.0.1:${port}/api/${RACK}`)).text();
}
const bodyFile = `${dir.path}/api/${RACK}`;
await Deno.mkdir(`${dir.path}/api`);
await Deno.writeTextFile(bodyFile, body);
await using bare = await bareDenoServe(dir.path, body);
const loop = (extra: string[]): Promise<DenoServer> =>
  startDenoServer((port) => ["run", "-A", LOOP, String(port), bodyFile, ...extra]);
await using reads = await loop([]);
await using noDelay = await loop(["--nodelay"]);
await using streams = await loop(["--streams"]);
await using nginx = await staticNginx(dir.path, "1");

const contenders = [
  { name: "bare `Deno.serve`, same bytes (anchor)", port: bare.port, pid: bare.pid },
  { name: "nginx, 1 worker, static file", port: nginx.port, pid: nginx.pid },
  { name: "**lexical-server**, logging on (default)", port: ours.port, pid: ours.pid },
  { name: "lexical-server `--quiet`", port: quiet.port, pid: quiet.pid },
  { name: "floor: heads found, one answer written, `read()` into one buffer", ...at(reads) },
  { name: "floor, with `setNoDelay(true)`", ...at(noDelay) },
  { name: "floor, through `conn.readable` / `conn.writable`", ...at(streams) },
].map((contender) => ({ ...contender, rps: [] as number[], us: [] as number[] }));

function at(server: DenoServer) {
  return { port: server.port, pid: server.pid };
}

for (let round = 0; round < ROUNDS; round++) {
  for (const contender of contenders) {
    console.error(`bench: round ${round + 1}, ${contender.name}`);
    const before = cpuSeconds(contender.pid);
    const output = await new Deno.Command(peerPath("wrk")!, {
      args: ["-t2", "-c64", `-d${DURATION}s`, `http://127.0.0.1:${contender.port}/api/${RACK}`],
      stdout: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stdout);
    const requests = Number(text.match(/(\d+) requests in/)?.[1] ?? NaN);
    contender.rps.push(Number(text.match(/Requests\/sec:\s+([0-9.]+)/)?.[1] ?? NaN));
    contender.us.push(((cpuSeconds(contender.pid) - before) * 1e6) / requests);
    if (/Non-2xx|Socket errors/.test(text)) console.error(text);
  }
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const anchor = contenders[0]!;
console.log(
  `### Cached answers and the I/O under them: wrk -t2 -c64 -d${DURATION}s, ${body.length}-byte answer, ${ROUNDS} alternating rounds, ${navigator.hardwareConcurrency} cores\n`,
);
console.log(
  "| server | requests/s (median) | vs `Deno.serve`, each round | CPU µs/request (median) | CPU vs `Deno.serve` |",
);
console.log("|---|---:|---|---:|---:|");
for (const contender of contenders) {
  const ratios = contender.rps.map((rps, i) => rps / anchor.rps[i]!);
  console.log(
    `| ${contender.name} | ${median(contender.rps).toFixed(0)} | ${
      Math.min(...ratios).toFixed(2)
    }–${Math.max(...ratios).toFixed(2)}× (median ${median(ratios).toFixed(2)}×) | ${
      median(contender.us).toFixed(2)
    } | ${(median(anchor.us) / median(contender.us)).toFixed(2)}× |`,
  );
}
