/**
 * `wget -r` where a user's input or a site is large, against GNU wget on the same nginx in the
 * same rounds: a robots.txt of 20,000 lines, a `--load-cookies` export of 50,000 cookies, one page
 * of 5,000 links, pages of 2,000 and 4,000 paragraphs of links and `srcset` with a stylesheet of
 * as many `url()`s (`-p -k`), and 200 nested directories. Wall time, CPU time (`perf stat`'s
 * task-clock) and peak resident memory (GNU time), medians of the rounds; before the rounds, each case's tree is
 * checked against GNU wget's (same files and bytes), and a difference stops the bench.
 *
 * Run: `deno run -A bench/wget_scale.ts [--runs N] [--against DIR] [--only NAME,...]` (about two
 * minutes with 3 runs; the big pages take GNU wget longest: its time grows with the square of a
 * page's links). `--against DIR` adds another checkout's netkit wget (`git archive REV | tar -x
 * -C DIR`) to every round.
 *
 * @module
 */

import { startNginx } from "../tests/harness/nginx.ts";
import { tempDir } from "../tests/harness/peers.ts";
import { snapshotTree } from "../tests/harness/test_site.ts";
import { measure, type Measured, median } from "./_mirror_runs.ts";

const flag = (name: string) => {
  const at = Deno.args.indexOf(name);
  return at >= 0 ? Deno.args[at + 1] : undefined;
};
const RUNS = Number(flag("--runs") ?? 3);
const AGAINST = flag("--against");
const ONLY = flag("--only")?.split(",");

/** One case: the files it serves, the URL path and the options both wgets get. */
interface ScaleCase {
  name: string;
  files: () => Record<string, string>;
  path: string;
  args: (dir: string) => string[];
  /** A file put beside the run's directory first (the cookie export). */
  input?: { name: string; text: () => string };
}

const page = (body: string[]) => `<html><body>\n${body.join("\n")}\n</body></html>\n`;

function textFiles(prefix: string, count: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`${prefix}f${i}.txt`, `${i}\n`]),
  );
}

function bigPage(paragraphs: number): Record<string, string> {
  const body = ['<link rel="stylesheet" href="big.css">'];
  for (let i = 0; i < paragraphs; i++) {
    body.push(
      `<p class="x" data-i="${i}"><a href="a${i % 50}.html?x=${
        i % 7
      }" title="t${i}">link ${i}</a>` +
        ` <img srcset="i${i % 30}.png 1x, j${i % 30}.png 2x" src="i${
          i % 30
        }.png"> text &amp; more</p>`,
    );
  }
  const files: Record<string, string> = {
    "big/index.html": page(body),
    "big/big.css": Array.from(
      { length: paragraphs * 2 },
      (_, i) => `.c${i} { background: url("bg${i % 40}.png") no-repeat; }`,
    ).join("\n") + "\n",
  };
  for (let i = 0; i < 50; i++) files[`big/a${i}.html`] = "<p>x</p>\n";
  for (let i = 0; i < 40; i++) files[`big/bg${i}.png`] = "png\n";
  for (let i = 0; i < 30; i++) files[`big/i${i}.png`] = files[`big/j${i}.png`] = "png\n";
  return files;
}

const CASES: ScaleCase[] = [
  {
    name: "robots.txt of 20,000 lines, -r -l 1 -np, 200 links",
    files: () => ({
      "robots.txt":
        ["User-agent: *", ...Array.from({ length: 20_000 }, (_, i) => `Disallow: /old${i}/`)]
          .join("\n") + "\nDisallow: /r/f1\n",
      "r/index.html": page(Array.from({ length: 200 }, (_, i) => `<a href="f${i}.txt">${i}</a>`)),
      ...textFiles("r/", 200),
    }),
    path: "/r/",
    args: () => ["-r", "-l", "1", "-np"],
  },
  {
    name: "--load-cookies of 50,000 cookies, -r -l 1 -np, 500 links",
    files: () => ({
      "c/index.html": page(Array.from({ length: 500 }, (_, i) => `<a href="f${i}.txt">${i}</a>`)),
      ...textFiles("c/", 500),
    }),
    input: {
      name: "cookies.txt",
      text: () =>
        Array.from(
          { length: 50_000 },
          (_, i) => `site${i}.example.com\tTRUE\t/\tFALSE\t4000000000\tc${i}\tv${i}`,
        ).join("\n") + "\n127.0.0.1\tFALSE\t/\tFALSE\t4000000000\tmine\tyes\n",
    },
    path: "/c/",
    args: (dir) => ["-r", "-l", "1", "-np", `--load-cookies=${dir}/cookies.txt`],
  },
  {
    name: "one page of 5,000 links, -r -l 1 -np",
    files: () => ({
      "l/index.html": page(Array.from({ length: 5_000 }, (_, i) => `<a href="f${i}.txt">${i}</a>`)),
      ...textFiles("l/", 5_000),
    }),
    path: "/l/",
    args: () => ["-r", "-l", "1", "-np"],
  },
  ...[2_000, 4_000].map((paragraphs) => ({
    name: `a page of ${paragraphs.toLocaleString("en")} paragraphs, -r -l 1 -np -p -k`,
    files: () => bigPage(paragraphs),
    path: "/big/",
    args: () => ["-r", "-l", "1", "-np", "-p", "-k"],
  })),
  {
    name: "200 nested directories, -r -l inf -np",
    files: () => {
      const files: Record<string, string> = {};
      let dir = "d";
      for (let i = 0; i < 200; i++) {
        files[`${dir}/index.html`] = `<a href="n${i}/index.html">next</a>\n`;
        dir += `/n${i}`;
      }
      files[`${dir}/index.html`] = "end\n";
      return files;
    },
    path: "/d/",
    args: () => ["-r", "-l", "inf", "-np"],
  },
];

const tools: { name: string; argv: string[] }[] = [
  { name: "GNU wget", argv: ["wget"] },
  {
    name: "netkit",
    argv: [Deno.execPath(), "run", "-A", new URL("../cmd/wget.ts", import.meta.url).pathname],
  },
  ...(AGAINST
    ? [{
      name: "netkit (--against)",
      argv: [Deno.execPath(), "run", "-A", `${AGAINST}/cmd/wget.ts`],
    }]
    : []),
];

await using dir = await tempDir("netkit_bench_scale_");
await using nginx = await startNginx(dir.path, { serverConfig: "access_log off;" });
const rows: string[] = [];
for (const scale of CASES) {
  if (ONLY && !ONLY.some((name) => scale.name.includes(name))) continue;
  await Deno.remove(nginx.root, { recursive: true }).catch(() => {});
  for (const [path, text] of Object.entries(scale.files())) {
    const full = `${nginx.root}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, text);
  }
  if (scale.input) await Deno.writeTextFile(`${dir.path}/${scale.input.name}`, scale.input.text());
  const url = `http://127.0.0.1:${nginx.port}${scale.path}`;
  const results = new Map(tools.map((tool) => [tool.name, [] as Measured[]]));
  let reference: Map<string, string> | undefined;
  for (let round = 0; round < RUNS; round++) {
    for (const tool of tools) {
      const out = `${dir.path}/out`;
      await Deno.remove(out, { recursive: true }).catch(() => {});
      await Deno.mkdir(out);
      results.get(tool.name)!.push(
        await measure([...tool.argv, "-q", ...scale.args(dir.path), url], out, true),
      );
      if (round > 0) continue;
      const tree = await snapshotTree(out);
      if (!reference) reference = tree;
      else if (JSON.stringify([...tree].sort()) !== JSON.stringify([...reference].sort())) {
        throw new Error(`${scale.name}: ${tool.name}'s files differ from GNU wget's`);
      }
    }
  }
  const gnu = median(results.get("GNU wget")!.map((r) => r.ms));
  for (const [name, runs] of results) {
    const ms = median(runs.map((r) => r.ms));
    rows.push(
      `| ${scale.name} | ${name} | ${ms.toFixed(0)} | ${(ms / gnu).toFixed(2)} | ` +
        `${median(runs.map((r) => r.cpuMs)).toFixed(0)} | ${
          (median(runs.map((r) => r.kib)) / 1024).toFixed(1)
        } |`,
    );
  }
  console.error(`${scale.name}: done`);
}
console.log(`${RUNS} rounds, ${new Date().toISOString()}, load ${Deno.loadavg()[0]}`);
console.log("| case | tool | wall ms | × GNU wget | CPU ms | peak MiB |");
console.log("| ---- | ---- | ------: | ---------: | -----: | -------: |");
for (const row of rows) console.log(row);
