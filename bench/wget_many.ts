/**
 * wget with many URLs in one `-i` list, against GNU wget on the same nginx in the same run: 20
 * HTTPS URLs (a self-signed certificate, trusted with `--ca-certificate` by both) and 200 small
 * HTTP files. Both tools keep the connection alive across the list, so the figures measure one
 * handshake plus many exchanges; nginx's `stub_status` counts the connections each run opened.
 *
 * Run: `deno run -A bench/wget_many.ts [--runs N]` (about half a minute).
 *
 * @module
 */

import { makeCertificate, startNginx } from "../tests/harness/nginx.ts";
import { tempDir } from "../tests/harness/peers.ts";

const WGET = new URL("../cmd/wget.ts", import.meta.url).pathname;
const BARE = new URL("./_bare_keep_alive_get.ts", import.meta.url).pathname;
const runsFlag = Deno.args.indexOf("--runs");
const RUNS = runsFlag >= 0 ? Number(Deno.args[runsFlag + 1]) : 11;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Runs `argv` under bash's `times`: wall time, and the CPU time (user + system) it used. */
async function timed(argv: string[], cwd: string): Promise<{ wall: number; cpu: number }> {
  const start = performance.now();
  const { code, stdout, stderr } = await new Deno.Command("bash", {
    args: [
      "-c",
      '"$@" >/dev/null 2>"$0.err"; status=$?; times; exit $status',
      `${cwd}/.run`,
      ...argv,
    ],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wall = performance.now() - start;
  if (code !== 0) {
    const err = await Deno.readTextFile(`${cwd}/.run.err`).catch(() => "");
    throw new Error(`${argv.join(" ")} exited ${code}: ${err}${new TextDecoder().decode(stderr)}`);
  }
  // The second line of `times` is the children's user and system time: "0m0.012s 0m0.004s".
  const children = new TextDecoder().decode(stdout).trim().split("\n")[1] ?? "";
  const cpu = [...children.matchAll(/(\d+)m([\d.]+)s/g)]
    .reduce((sum, [, m, s]) => sum + Number(m) * 60_000 + Number(s) * 1000, 0);
  return { wall, cpu };
}

await using dir = await tempDir("netkit_bench_many_");
const tls = await makeCertificate(dir.path);
await using nginx = await startNginx(dir.path, {
  tls,
  serverConfig: "location = /status { stub_status; }",
});
const SMALL = 200;
const HTTPS = 20;
for (let i = 0; i < SMALL; i++) {
  await Deno.writeTextFile(`${nginx.root}/f${i}.txt`, `file ${i}\n`.repeat(10));
}
const httpList = `${dir.path}/http.txt`;
const httpsList = `${dir.path}/https.txt`;
await Deno.writeTextFile(
  httpList,
  Array.from({ length: SMALL }, (_, i) => `http://127.0.0.1:${nginx.port}/f${i}.txt`).join("\n"),
);
await Deno.writeTextFile(
  httpsList,
  Array.from({ length: HTTPS }, (_, i) => `https://127.0.0.1:${nginx.tlsPort}/f${i}.txt`)
    .join("\n"),
);

/** nginx's count of accepted connections so far, this query's own (one HTTP/1.0 GET) included. */
async function accepts(): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: nginx.port });
  await conn.write(new TextEncoder().encode("GET /status HTTP/1.0\r\n\r\n"));
  const text = await new Response(conn.readable).text(); // closes the connection at its end
  // "Active connections: 1\nserver accepts handled requests\n 5 5 9\n…": accepts is the first.
  const counts = text.split("\r\n\r\n")[1]?.split("\n")[2]?.trim().split(/\s+/)[0];
  return Number(counts);
}

const deno = Deno.execPath();
/** The argv of the floor, `bench/_bare_keep_alive_get.ts`, with `args`. */
const bare = (...args: string[]) => [deno, "run", "-A", BARE, ...args];
const cases: { name: string; anchor: string; argv: Record<string, string[]> }[] = [
  {
    name: `${HTTPS} HTTPS URLs in one -i`,
    anchor: "GNU wget",
    argv: {
      "GNU wget": ["wget", "-q", `--ca-certificate=${tls.cert}`, "-i", httpsList],
      "netkit wget": [deno, "run", "-A", WGET, "-q", "--ca-certificate", tls.cert, "-i", httpsList],
      "bare Deno loop (floor)": bare(httpsList, tls.cert),
      "bare Deno loop, files made early (floor)": bare("--create-early", httpsList, tls.cert),
    },
  },
  {
    name: `${SMALL} small HTTP files in one -i`,
    anchor: "GNU wget",
    argv: {
      "GNU wget": ["wget", "-q", "-i", httpList],
      "netkit wget": [deno, "run", "-A", WGET, "-q", "-i", httpList],
      "bare Deno loop (floor)": bare(httpList),
      "bare Deno loop, files made early (floor)": bare("--create-early", httpList),
    },
  },
];

console.log(`Median of ${RUNS} interleaved runs, nginx on loopback, files into a fresh directory`);
console.log(
  "| Case | Tool | Wall ms | × GNU wget | CPU ms (user+sys) | × GNU wget | TCP connections |",
);
console.log("|---|---|---:|---:|---:|---:|---:|");
for (const { name, anchor, argv } of cases) {
  const times = new Map<string, number[]>(Object.keys(argv).map((tool) => [tool, []]));
  const cpus = new Map<string, number[]>(Object.keys(argv).map((tool) => [tool, []]));
  const connections = new Map<string, number>();
  for (let round = 0; round < RUNS; round++) {
    for (const [tool, args] of Object.entries(argv)) {
      const cwd = await Deno.makeTempDir({ dir: dir.path });
      const before = await accepts();
      const { wall, cpu } = await timed(args, cwd);
      times.get(tool)!.push(wall);
      cpus.get(tool)!.push(cpu);
      connections.set(tool, (await accepts()) - before - 1);
      await Deno.remove(cwd, { recursive: true });
    }
  }
  const anchorMs = median(times.get(anchor)!);
  const anchorCpu = median(cpus.get(anchor)!);
  for (const [tool, values] of times) {
    const ms = median(values);
    const cpu = median(cpus.get(tool)!);
    console.log(
      `| ${name} | ${tool} | ${ms.toFixed(1)} | ${(ms / anchorMs).toFixed(2)} | ${
        cpu.toFixed(0)
      } | ${(cpu / anchorCpu).toFixed(2)} | ${connections.get(tool)} |`,
    );
  }
}
console.log(
  `\nMachine: ${Deno.build.target}, ${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}`,
);
