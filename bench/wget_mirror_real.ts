/**
 * `wget -m -np` of real documentation served by nginx on loopback, against GNU wget in the same
 * rounds: pages bigger than bench/wget_mirror.ts's generated blog (rustdoc's run to ~1 MB with
 * ~2,000 links each), many attributes a tag, `srcset`, long inline scripts, stylesheets with many
 * `url()`. The corpora are the local Rust documentation (rustup's `share/doc/rust/html`: the book
 * (mdBook), the edition guide, Cargo's book, and the rustdoc of `proc_macro`, `test` and `alloc`,
 * each with the `static.files` its pages need) and libxslt's gtk-doc API pages
 * (`/usr/share/doc/libxslt1-dev/html`). Each is copied to a temporary directory (nginx's workers
 * cannot read /root), served with nginx's own `mime.types`.
 *
 * Each round runs, interleaved: GNU wget and netkit `-m -np`, then `-m -np -p -k` (GNU and netkit),
 * then GNU Wget2 and netkit with `--max-threads 4` `-m -np`; with `--against DIR` another
 * checkout's netkit beside each netkit row (an archive of main: `git archive main | tar -x -C
 * DIR`). Before the rounds netkit's trees are checked against GNU wget's (same files and bytes;
 * the `-k` pages converted on both sides); a difference stops the bench unless
 * `--ignore-differences`. Reported: median wall time, × GNU wget, peak RSS, and with `--cpu` the
 * CPU time (`perf stat`'s task-clock) and user time; the paired ratios (the median of each round's
 * ratio) of netkit against GNU wget (or Wget2 with 4 threads) and against the other checkout.
 *
 * Run: `deno run -A bench/wget_mirror_real.ts [--corpus book] [--runs 5] [--cpu] [--against DIR]
 * [--sequential] [--ignore-differences]`; `--corpus` takes one name or several separated by commas
 * (`book`, the default, runs a round in about 3 s; `alloc`, 271 files of 24 MB, in about 15 s);
 * `--list` prints the corpora.
 *
 * @module
 */

import { startNginx } from "../tests/harness/nginx.ts";
import { tempDir } from "../tests/harness/peers.ts";
import {
  countFiles,
  hasCommand,
  measure,
  median,
  pairedRatio,
  tree,
  treeDifferences,
} from "./_mirror_runs.ts";

const RUST = "/root/.rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html";

/** A corpus: the directories to copy (source → place under the web root) and the start path. */
interface Corpus {
  copy: [string, string][];
  start: string;
}

const rustdoc = (crate: string): Corpus => ({
  copy: [[`${RUST}/${crate}`, `rust/${crate}`], [`${RUST}/static.files`, "rust/static.files"]],
  start: `/rust/${crate}/`,
});
const mdbook = (book: string): Corpus => ({
  copy: [[`${RUST}/${book}`, `rust/${book}`]],
  start: `/rust/${book}/`,
});
const CORPORA: Record<string, Corpus> = {
  book: mdbook("book"),
  "edition-guide": mdbook("edition-guide"),
  cargo: mdbook("cargo"),
  proc_macro: rustdoc("proc_macro"),
  test: rustdoc("test"),
  alloc: rustdoc("alloc"),
  libxslt: {
    copy: [["/usr/share/doc/libxslt1-dev/html", "libxslt/html"]],
    start: "/libxslt/html/",
  },
};

function existsDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function flag(name: string): string | undefined {
  const at = Deno.args.indexOf(name);
  return at >= 0 ? Deno.args[at + 1] : undefined;
}

if (Deno.args.includes("--list")) {
  for (const [name, corpus] of Object.entries(CORPORA)) {
    console.log(`${name}: ${corpus.copy.map(([from]) => from).join(", ")}`);
  }
  Deno.exit(0);
}
const RUNS = Number(flag("--runs") ?? 5);
const NAMES = (flag("--corpus") ?? "book").split(",");
const AGAINST = flag("--against")?.replace(/\/+$/, "");
const CPU = Deno.args.includes("--cpu");
const SEQUENTIAL = Deno.args.includes("--sequential");
const IGNORE_DIFFERENCES = Deno.args.includes("--ignore-differences");
const WGET = new URL("../cmd/wget.ts", import.meta.url).pathname;
const deno = Deno.execPath();

for (const name of NAMES) {
  if (!Object.hasOwn(CORPORA, name)) {
    throw new Error(`unknown corpus ${name} (${Object.keys(CORPORA).join(", ")})`);
  }
}

/** A row: its argv, the row its paired ratio is taken against, and whether its tree is checked. */
interface Row {
  argv: string[];
  anchor: string;
  against?: string;
  check?: string;
}

const checks: string[] = [];
console.log(`Median of ${RUNS} interleaved rounds, nginx on loopback, into a fresh directory`);
console.log(
  `| Corpus | Tool | Files | MB | Median ms | paired × anchor |${
    AGAINST ? " paired × other checkout |" : ""
  } Peak RSS MiB |${CPU ? " CPU ms | paired CPU × anchor | user ms | paired user × anchor |" : ""}${
    CPU && AGAINST ? " paired CPU × other checkout |" : ""
  }`,
);
console.log(
  `|---|---|---:|---:|---:|---:|${AGAINST ? "---:|" : ""}---:|${CPU ? "---:|---:|---:|---:|" : ""}${
    CPU && AGAINST ? "---:|" : ""
  }`,
);
for (const name of NAMES) {
  const corpus = CORPORA[name]!;
  const missing = corpus.copy.find(([from]) => !existsDirectory(from));
  if (missing !== undefined) {
    // (`deno task bench` runs every script: a machine without the documentation skips it.)
    console.log(`(${name}: ${missing[0]} is not here; skipped)`);
    continue;
  }
  await using dir = await tempDir("netkit_bench_mirror_real_");
  await using nginx = await startNginx(dir.path, {
    serverConfig: "include /etc/nginx/mime.types;",
  });
  for (const [from, to] of corpus.copy) {
    await Deno.mkdir(`${nginx.root}/${to}`, { recursive: true });
    const copy = await new Deno.Command("cp", { args: ["-r", `${from}/.`, `${nginx.root}/${to}`] })
      .output();
    if (!copy.success) throw new Error(`cp ${from}: ${new TextDecoder().decode(copy.stderr)}`);
  }
  await new Deno.Command("chmod", { args: ["-R", "a+rX", nginx.root] }).output();
  const url = `http://127.0.0.1:${nginx.port}${corpus.start}`;
  const wget2 = hasCommand("wget2");
  const netkit = (root: string, options: string[]) => [
    deno,
    "run",
    "-A",
    `${root}/cmd/wget.ts`,
    "-q",
    ...options,
    url,
  ];
  const here = WGET.slice(0, -"/cmd/wget.ts".length);
  const rows: Record<string, Row> = {};
  const variants: [string, string[], string][] = [
    ["-m -np", ["-m", "-np"], "GNU wget"],
    ["-m -np -p -k", ["-m", "-np", "-p", "-k"], "GNU wget -p -k"],
  ];
  for (const [label, options, anchor] of variants) {
    rows[anchor] = { argv: ["wget", "-q", ...options, url], anchor };
    rows[`netkit ${label}`] = {
      argv: netkit(here, options),
      anchor,
      ...(AGAINST ? { against: `other ${label}` } : {}),
      check: anchor,
    };
    if (AGAINST) {
      rows[`other ${label}`] = { argv: netkit(AGAINST, options), anchor, check: anchor };
    }
  }
  if (!SEQUENTIAL) {
    const threads = ["-m", "-np", "--max-threads", "4"];
    const anchor = wget2 ? "GNU Wget2 --max-threads 4" : "GNU wget (no wget2)";
    rows[anchor] = {
      argv: wget2 ? ["wget2", "-q", ...threads, url] : ["wget", "-q", "-m", "-np", url],
      anchor,
    };
    rows["netkit --max-threads 4"] = {
      argv: netkit(here, threads),
      anchor,
      ...(AGAINST ? { against: "other --max-threads 4" } : {}),
      check: "GNU wget",
    };
    if (AGAINST) {
      rows["other --max-threads 4"] = { argv: netkit(AGAINST, threads), anchor, check: "GNU wget" };
    }
  }

  // The trees first: each checked row's against its GNU wget row's (files and bytes).
  const trees = new Map<string, Map<string, string>>();
  const treeOf = async (row: string) => {
    const known = trees.get(row);
    if (known) return known;
    const cwd = await Deno.makeTempDir({ dir: dir.path });
    const [command, ...args] = rows[row]!.argv;
    await new Deno.Command(command!, { args, cwd, stdout: "null", stderr: "null" }).output();
    const found = await tree(cwd, false);
    await Deno.remove(cwd, { recursive: true });
    trees.set(row, found);
    return found;
  };
  let bytes = 0;
  const differing: string[] = [];
  for (const [row, { check }] of Object.entries(rows)) {
    if (check === undefined) continue;
    const gnu = await treeOf(check);
    const differ = treeDifferences(gnu, await treeOf(row));
    if (differ.length > 0) {
      const message = `${name}: ${row} differs from ${check} at ${differ.length} paths: ${
        differ.slice(0, 5).join(", ")
      }`;
      if (!IGNORE_DIFFERENCES) throw new Error(message);
      console.log(`(${message})`);
      differing.push(row);
    }
  }
  for (const value of trees.get("GNU wget")!.values()) bytes += Number(value.split(" ")[1]);
  checks.push(
    `${name}: ${trees.get("GNU wget")!.size} files, ${(bytes / 1e6).toFixed(1)} MB, ${
      differing.length === 0 ? "all equal" : `differing: ${differing.join(", ")}`
    }`,
  );

  const times = new Map<string, number[]>(Object.keys(rows).map((row) => [row, []]));
  const memory = new Map<string, number[]>(Object.keys(rows).map((row) => [row, []]));
  const cpu = new Map<string, number[]>(Object.keys(rows).map((row) => [row, []]));
  const user = new Map<string, number[]>(Object.keys(rows).map((row) => [row, []]));
  const files = new Map<string, number>();
  const sizes = new Map<string, number>();
  for (let round = 0; round < RUNS; round++) {
    for (const [row, { argv }] of Object.entries(rows)) {
      const cwd = await Deno.makeTempDir({ dir: dir.path });
      const { ms, kib, cpuMs, userMs } = await measure(argv, cwd, CPU);
      times.get(row)!.push(ms);
      memory.get(row)!.push(kib);
      cpu.get(row)!.push(cpuMs);
      user.get(row)!.push(userMs);
      if (round === 0) {
        files.set(row, await countFiles(cwd));
        const du = await new Deno.Command("du", { args: ["-sb", cwd], stdout: "piped" }).output();
        sizes.set(row, Number(new TextDecoder().decode(du.stdout).split("\t")[0]));
      }
      await Deno.remove(cwd, { recursive: true });
    }
  }
  for (const [row, { anchor, against }] of Object.entries(rows)) {
    const ratio = (values: Map<string, number[]>, reference: string | undefined) =>
      reference === undefined || reference === row
        ? ""
        : pairedRatio(values.get(row)!, values.get(reference)!);
    console.log(
      `| ${name} | ${row} | ${files.get(row)} | ${(sizes.get(row)! / 1e6).toFixed(1)} | ${
        median(times.get(row)!).toFixed(0)
      } | ${ratio(times, anchor)} |${AGAINST ? ` ${ratio(times, against)} |` : ""} ${
        (median(memory.get(row)!) / 1024).toFixed(1)
      } |${
        CPU
          ? ` ${median(cpu.get(row)!).toFixed(0)} | ${ratio(cpu, anchor)} | ${
            median(user.get(row)!).toFixed(0)
          } | ${ratio(user, anchor)} |`
          : ""
      }${CPU && AGAINST ? ` ${ratio(cpu, against)} |` : ""}`,
    );
  }
}
if (checks.length > 0) {
  console.log(
    `\nnetkit's trees checked against GNU wget's (files and bytes): ${checks.join("; ")}`,
  );
}
console.log(
  `Machine: ${Deno.build.target}, ${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}`,
);
