/**
 * `wget -r -l 1 -k` of one large page (64 MiB by default) full of links, served by nginx on
 * loopback, against GNU wget in the same rounds: wall time and peak memory (GNU time's maximum
 * resident set size) of the whole run, whose last step is `-k`'s conversion of the page. Before
 * the rounds, netkit's converted page is compared with GNU wget's, byte for byte; a difference
 * stops the bench.
 *
 * The page: paragraphs of filler, each with a link to one of ten pages (saved: made relative),
 * to a page not on the server (a 404: made absolute), or off-site (left as it is), and a
 * `<style>` with `url()`s; `--links N` of them in all (default 71,268, about one every 940 bytes).
 *
 * Run: `deno run -A bench/wget_convert_large.ts [--runs N] [--mib 64] [--links 71268]
 * [--against DIR]` (`DIR`: another checkout, say main's: `git archive main | tar -x -C DIR`).
 *
 * @module
 */

import { startNginx } from "../tests/harness/nginx.ts";
import { tempDir } from "../tests/harness/peers.ts";
import { measure, median } from "./_mirror_runs.ts";

const flag = (name: string, fallback: string) => {
  const at = Deno.args.indexOf(name);
  return at >= 0 ? Deno.args[at + 1] ?? fallback : fallback;
};
const RUNS = Number(flag("--runs", "3"));
const MIB = Number(flag("--mib", "64"));
const LINKS = Number(flag("--links", "71268"));
const AGAINST = Deno.args.includes("--against") ? flag("--against", "") : undefined;
const WGET = new URL("../cmd/wget.ts", import.meta.url).pathname;

/** The page: `links` links spread over `bytes` bytes of filler. */
function largePage(bytes: number, links: number): Uint8Array {
  const parts: string[] = [`<html><head><style>p { background: url(/bg.png) }</style></head>\n`];
  let length = parts[0]!.length;
  const per = Math.max(1, Math.floor(bytes / links) - 40);
  const filler = "filler text, not a link. ".repeat(Math.ceil(per / 25)).slice(0, per);
  for (let i = 0; i < links; i++) {
    const link = i % 7 === 0
      ? `http://off.invalid/x${i}.html`
      : i % 5 === 0
      ? `missing${i % 13}.html`
      : `p${i % 10}.html`;
    const part = `<p>${filler}<a href="${link}">l</a></p>\n`;
    parts.push(part);
    length += part.length;
  }
  parts.push("</html>\n");
  return new TextEncoder().encode(parts.join(""));
}

await using dir = await tempDir("netkit_bench_convert_");
const page = largePage(MIB * 1024 * 1024, LINKS);
await using nginx = await startNginx(dir.path);
const root = `${dir.path}/www`;
await Deno.writeFile(`${root}/index.html`, page);
for (let i = 0; i < 10; i++) await Deno.writeTextFile(`${root}/p${i}.html`, `page ${i}\n`);
await Deno.writeFile(`${root}/bg.png`, new Uint8Array(16));
const url = `http://127.0.0.1:${nginx.port}/index.html`;

const ARGS = ["-q", "-r", "-l", "1", "-k", "-nH", url];
const tools: [string, string[]][] = [
  ["GNU wget", ["wget", ...ARGS]],
  ["netkit", [Deno.execPath(), "run", "-A", WGET, ...ARGS]],
];
if (AGAINST) {
  tools.push([`netkit (${AGAINST})`, [
    Deno.execPath(),
    "run",
    "-A",
    `${AGAINST}/cmd/wget.ts`,
    ...ARGS,
  ]]);
}

/** A fresh directory for one run. */
let runs = 0;
async function freshDir(): Promise<string> {
  const cwd = `${dir.path}/run${runs++}`;
  await Deno.mkdir(cwd);
  return cwd;
}

// Same converted page from every tool, first.
const converted: Uint8Array[] = [];
for (const [name, argv] of tools) {
  const cwd = await freshDir();
  await new Deno.Command(argv[0]!, { args: argv.slice(1), cwd, stdout: "null", stderr: "null" })
    .output();
  converted.push(await Deno.readFile(`${cwd}/index.html`));
  await Deno.remove(cwd, { recursive: true });
  const [gnu] = converted;
  const mine = converted.at(-1)!;
  if (gnu!.length !== mine.length || gnu!.some((b, i) => b !== mine[i])) {
    console.error(`${name}'s converted page differs from GNU wget's`);
    Deno.exit(1);
  }
}
console.log(
  `${MIB} MiB page, ${LINKS} links, \`-r -l 1 -k\`: the converted page is GNU wget's, byte for byte`,
);

const times = tools.map(() => [] as number[]);
const peaks = tools.map(() => [] as number[]);
for (let round = 0; round < RUNS; round++) {
  for (const [i, [, argv]] of tools.entries()) {
    const cwd = await freshDir();
    const { ms, kib } = await measure(argv, cwd);
    times[i]!.push(ms);
    peaks[i]!.push(kib / 1024);
    await Deno.remove(cwd, { recursive: true });
  }
}
console.log(`| tool | median ms | × GNU wget | peak RSS MiB (median) |`);
console.log(`|---|---:|---:|---:|`);
const gnuMs = median(times[0]!);
for (const [i, [name]] of tools.entries()) {
  const ms = median(times[i]!);
  console.log(
    `| ${name} | ${ms.toFixed(0)} | ${(ms / gnuMs).toFixed(2)}× | ${
      median(peaks[i]!).toFixed(1)
    } |`,
  );
}
