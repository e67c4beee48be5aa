/**
 * What wget's own name lookup costs (issue 13: GNU's "Resolving NAME (NAME)... ADDR" needs wget
 * to resolve names itself): a 1 KiB download from nginx on loopback by address (`127.0.0.1`) and
 * by name (`localhost`, from the hosts file), netkit and GNU wget, against `deno run` of an empty
 * script (the start-up anchor). Interleaved rounds, so the machine's other work falls on every
 * case alike; medians and quartiles.
 *
 * Run: `deno run -A bench/wget_resolve.ts [--runs N]` (default 40 rounds, about half a minute).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { startNginx } from "../tests/harness/nginx.ts";
import { tempDir } from "../tests/harness/peers.ts";

const { values } = parseArgs({ args: Deno.args, options: { runs: { type: "string" } } });
const rounds = Number(values.runs ?? 40);
const WGET = new URL("../cmd/wget.ts", import.meta.url).pathname;
const deno = Deno.execPath();

await using dir = await tempDir("netkit_bench_");
await using nginx = await startNginx(dir.path);
await Deno.writeFile(`${nginx.root}/1k.bin`, new Uint8Array(1024).fill(120));
const empty = `${dir.path}/empty.ts`;
await Deno.writeTextFile(empty, "");
const out = `${dir.path}/out.bin`;

const cases: [string, string[]][] = [
  ["deno run empty.ts (anchor)", [deno, "run", "-A", empty]],
  ...(["127.0.0.1", "localhost"] as const).flatMap((host): [string, string[]][] => {
    const url = `http://${host}:${nginx.port}/1k.bin`;
    return [
      [`netkit wget, ${host}`, [deno, "run", "-A", WGET, "-q", "-O", out, url]],
      [`GNU wget, ${host}`, ["wget", "-q", "-O", out, url]],
    ];
  }),
];

const times = cases.map(() => [] as number[]);
for (let round = 0; round < rounds; round++) {
  for (const [index, [label, argv]] of cases.entries()) {
    const [program, ...args] = argv;
    const started = performance.now();
    const { success } = await new Deno.Command(program!, { args, stdout: "null", stderr: "null" })
      .output();
    if (!success) throw new Error(`${label} failed`);
    times[index]!.push(performance.now() - started);
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.floor((sorted.length - 1) * q)]!;
const anchor = quantile([...times[0]!].sort((a, b) => a - b), 0.5);
console.log(`| Case (${rounds} interleaved rounds) | Median ms | p25–p75 ms | × empty |`);
console.log("| --- | ---: | ---: | ---: |");
for (const [index, [label]] of cases.entries()) {
  const sorted = [...times[index]!].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const spread = `${quantile(sorted, 0.25).toFixed(1)}–${quantile(sorted, 0.75).toFixed(1)}`;
  console.log(`| ${label} | ${median.toFixed(1)} | ${spread} | ${(median / anchor).toFixed(2)} |`);
}
