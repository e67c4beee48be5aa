/**
 * The HTTP client's cost per exchange, alone: every file of the bench's site
 * (tests/harness/test_site.ts, `--posts` posts: 1,649 files at 400) fetched in turn on one
 * kept-alive connection to nginx on loopback by `bench/_exchange_client.ts` (`sendHttpRequest`
 * and `copyBodyTo`, this checkout's and, with `--against DIR`, another's) and by
 * `bench/_exchange_floor.ts` (no netkit code), each in a fresh `deno run`, the order reversed
 * every round. It reports each one's user time (`perf stat`'s `user_time`: the program's
 * JavaScript, V8's compilers and collector, the runtime's side of the system calls) and its
 * paired ratio, round by round, to this checkout's. No files are written and no links read, so
 * a change to the client shows here far more plainly than in `bench/wget_mirror.ts`, whose runs
 * the kernel's file creation and the link reader dominate.
 *
 * Run: `deno run -A bench/http_exchange.ts [--rounds 31] [--posts 400] [--against DIR]`.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { startTestSite } from "../tests/harness/test_site.ts";
import { tempDir } from "../tests/harness/peers.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "31" },
    posts: { type: "string", default: "400" },
    against: { type: "string" },
  },
});
const ROUNDS = Number(values.rounds);
const HERE = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const CLIENT = new URL("./_exchange_client.ts", import.meta.url).pathname;
const FLOOR = new URL("./_exchange_floor.ts", import.meta.url).pathname;

/** Every file under `root`, as URL paths. */
async function paths(root: string, relative = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(`${root}${relative}`)) {
    const path = `${relative}/${entry.name}`;
    if (entry.isDirectory) found.push(...await paths(root, path));
    else found.push(path);
  }
  return found;
}

/** The user time of one `deno run`, in milliseconds. */
async function userMs(args: string[]): Promise<number> {
  const { stderr, success } = await new Deno.Command("perf", {
    args: ["stat", "-x,", "-e", "user_time", "--", Deno.execPath(), "run", "-A", ...args],
    stdout: "null",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stderr);
  if (!success) throw new Error(`${args.join(" ")} failed:\n${text}`);
  return Number(/^([0-9.]+),ns,user_time/m.exec(text)?.[1]) / 1e6;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

await using dir = await tempDir("netkit_bench_exchange_");
await using site = await startTestSite(dir.path, Number(values.posts));
const list = `${dir.path}/urls.txt`;
const urls = (await paths(site.root)).sort().map((path) => `${site.origin}${path}`);
await Deno.writeTextFile(list, urls.join("\n"));
const contenders: [string, string[]][] = [
  ["netkit (this checkout)", [CLIENT, HERE, list]],
  ...(values.against
    ? [[`netkit (${values.against})`, [CLIENT, values.against, list]]] as [
      string,
      string[],
    ][]
    : []),
  ["floor (no netkit code)", [FLOOR, list]],
];
const times = contenders.map(() => [] as number[]);
for (let round = 0; round < ROUNDS; round++) {
  const order = contenders.map((_, i) => i);
  if (round % 2 === 1) order.reverse();
  for (const i of order) times[i]!.push(await userMs(contenders[i]![1]));
}
const load = (await Deno.readTextFile("/proc/loadavg")).split(" ")[0];
console.log(
  `${urls.length} GETs on one kept-alive connection, ${ROUNDS} interleaved rounds, ` +
    `${new Date().toISOString().slice(0, 16)} UTC, load ${load}`,
);
console.log(
  "| client | user ms (median) | µs a GET (start-up included) | paired user × this checkout (range) | lower in |",
);
console.log("|---|---:|---:|---:|---:|");
contenders.forEach(([name], i) => {
  const ratios = times[i]!.map((ms, round) => ms / times[0]![round]!);
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(
    `| ${name} | ${median(times[i]!).toFixed(1)} | ${
      (median(times[i]!) * 1000 / urls.length).toFixed(1)
    } | ${median(ratios).toFixed(3)} (${sorted[0]!.toFixed(2)}–${sorted.at(-1)!.toFixed(2)}) | ${
      ratios.filter((r) => r < 1).length
    } of ${ROUNDS} |`,
  );
});
