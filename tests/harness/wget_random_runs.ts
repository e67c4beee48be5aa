/**
 * The pieces of the random `wget -r` tests (`tests/cmd/wget-recursive-random_test.ts`, GNU wget
 * beside netkit one URL at a time, and `tests/cmd/wget-recursive-threads-random_test.ts`, beside
 * netkit's `--max-threads N`): the seeds to run, nginx's directives, both wgets run on one site,
 * their `-nv` logs normalised, and the second run's changes to the site.
 *
 * @module
 */

import assert from "node:assert/strict";
import { tempDir } from "./peers.ts";
import { type Nginx, startNginx } from "./nginx.ts";
import { type RandomSite, unboundedNoClobberFlat, writeRandomSite } from "./random_site.ts";
import { seededRandom } from "./seeded_random.ts";
import { commandArgs } from "./run.ts";
import { nginxAccepts, snapshotTree } from "./test_site.ts";
import { nginxLogEnd, stableLines } from "./wget_recursive_compare.ts";
import { firstDifference, fuzzSeeds, sortBrokenLinks } from "./fuzz_compare.ts";

export { firstDifference };

/** Keep the directories of the seeds that differ (NETKIT_FUZZ_KEEP=1), to look into. */
export const KEEP = Deno.env.get("NETKIT_FUZZ_KEEP") === "1";

/** nginx directives: the site's types, its redirects, a log naming the host asked for. */
export function config(log: string, redirects: string): string {
  return `
    types { text/html html htm php HTML shtml; text/css css; image/png png PNG; text/plain txt;
      application/javascript js; }
    location = /status { stub_status; }
    access_log ${log} fuzz;
    ${redirects}
`;
}

/** What one wget did. */
export interface Outcome {
  code: number;
  /** The signal that killed it, if one did (GNU wget 1.21.3 can crash: `crashedDifference`). */
  signal: Deno.Signal | null;
  files: string[];
  requests: string[];
  log: string[];
}

const decoder = new TextDecoder();

/**
 * The `-nv` log's lines that do not change from run to run, GNU's conversion order aside, and a
 * file that cannot be written told in GNU's last line alone (`Cannot write to ‘PATH’ (Is a
 * directory).`), where GNU says `PATH: Is a directory` (or `DIR: Not a directory`, of a
 * directory on the way) before it; `--spider`'s `NAME.tmp.tmp` (`-E`: `NAME.tmp.html.tmp.html`, `.tmp.css.tmp.css`; netkit:
 * `NAME.tmp`),
 * `robots.txt` (netkit: `robots.txt.tmp`) and `unlink: No such file or directory`; the usage text
 * after a refused option set (netkit's own).
 */
export function logLines(stderr: string): string[] {
  const lines = stableLines(stderr)
    .map((line) => line.replace(/^(Converted links in \d+ files in) [\d.]+ seconds\.$/, "$1 S."))
    // GNU's lines before it, of the open or a directory on the way (`PATH: Not a directory`; a
    // NAME.tmp's open, `PATH: Bad file descriptor`, lib/download/recursive.ts).
    .filter((line) =>
      line !== "" &&
      !/^out\/.*: (Is a directory|Not a directory|Bad file descriptor)$/.test(line)
    )
    // --spider: GNU 1.21 names a page it reads NAME.tmp.tmp (netkit NAME.tmp), robots.txt
    // without .tmp, and fails to remove the files it only asked HEAD for (cmd/README.md).
    .map((line) =>
      line.replace(/(\.tmp(?:\.html|\.css)?)\1/, "$1")
        .replace(/(\/robots\.txt)\.tmp"/i, '$1"')
    )
    .filter((line) => line !== "unlink: No such file or directory")
    // A NAME.tmp that cannot be made: GNU 1.21 says "Bad file descriptor" (its gethttp's fdopen
    // of the failed open's -1), netkit the system's reason (cmd/README.md, "Cannot write to").
    .map((line) =>
      line.replace(/^(Cannot write to ‘.*\.tmp(?:\.html|\.css)?’) \(.*\)\.$/, "$1 (R).")
    );
  // A refused option set: netkit's usage text after GNU's words is its own (house style).
  const usage = lines.findIndex((line) => line.startsWith("Usage: wget "));
  if (usage >= 0) lines.splice(usage);
  // --spider's broken links: GNU lists them in its hash table's order.
  const sorted = sortBrokenLinks(lines);
  const converting = sorted.filter((line) => line.startsWith("Converting links in ")).sort();
  return [...sorted.filter((line) => !line.startsWith("Converting links in ")), ...converting];
}

/** A whole second, from `ms`. */
const second = (ms: number) => Math.floor(ms / 1000);

/**
 * The rerun of seed `seed` (a second random stream, so the sites and options of the seeds stay
 * what they were): none, or the option both runs add (`-N`, `-nc`, `-c`, or nothing new when `-m`
 * already has `-N`) and the changes to the site between the runs.
 */
export function rerunOf(
  seed: number,
  site: RandomSite,
): { option: string[]; changes: Change[] } | null {
  const random = seededRandom(seed * 7919 + 17);
  if (random() >= 0.4) return null;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const mirror = site.args.includes("-m");
  const spider = site.args.includes("--spider") || site.args.includes("--delete-after");
  const has = (o: string) => site.args.includes(o);
  const option = mirror || spider
    ? []
    : pick([["-N"], ["-N"], ["-nc"], ["-c"], []]).filter((o) =>
      !(o === "-nc" && (has("-nc") || has("-k"))) &&
      // GNU 1.21's -c -E on a rerun reads NAME.html for a complete NAME (cmd/README.md), asks
      // for robots.txt again and again (416) and can end 8: not drawn, nor beside -k.
      !(o === "-c" && (has("-E") || has("-k"))) &&
      // (Nor -nc beside -nd at no depth limit: GNU never ends, randomSite's seed 2816.)
      !(o === "-nc" && unboundedNoClobberFlat(site.args, [o])) &&
      // Nor -c or -nc beside --trust-server-names below seed 1,200,001: netkit continued or
      // looked for the link's name's file where GNU takes the redirect target's (seed 930024,
      // fixed since).
      !((o === "-c" || o === "-nc") && has("--trust-server-names") && seed <= 1_200_000)
    );
  // A rerun of -k keeps the pages as they came (-K): else -N's time is the conversion's, and
  // GNU reconverts the converted pages it did not fetch again (GNU's manual asks for -K there).
  if (has("-k") && !has("-K")) option.push("-K");
  const pages = Object.keys(site.files).filter((path) => /\.(html?|php|HTML)$/.test(path));
  const changes: Change[] = [];
  for (let i = 1 + Math.floor(random() * 3); i > 0 && pages.length > 0; i--) {
    const path = pick(pages);
    changes.push({
      path,
      kind: pick(["newer", "older", "same-size", "same-size-newer", "removed", "link"]),
    });
  }
  if (random() < 0.4) changes.push({ path: "", kind: "added" });
  return { option, changes };
}

/** One change to the site between the runs. */
export interface Change {
  path: string;
  kind: "newer" | "older" | "same-size" | "same-size-newer" | "removed" | "link" | "added";
}

/** The site's files' fixed time, and the times the changes give. */
const SITE_TIME = new Date("2020-01-01T00:00:00Z");
const NEWER_TIME = new Date("2021-06-01T00:00:00Z");
const OLDER_TIME = new Date("2019-01-01T00:00:00Z");

/** Sets every file under `root` to SITE_TIME. */
export async function settle(root: string): Promise<void> {
  for await (const entry of Deno.readDir(root)) {
    const path = `${root}/${entry.name}`;
    if (entry.isDirectory) await settle(path);
    else await Deno.utime(path, SITE_TIME, SITE_TIME);
  }
}

/** Applies `changes` to the site under `root`. */
export async function change(root: string, changes: Change[]): Promise<void> {
  for (const { path, kind } of changes) {
    const full = `${root}/${path}`;
    if (kind === "added") {
      // A new page, linked from the start page's directory index and every page changed.
      await Deno.writeTextFile(`${root}/added-page.html`, "<html><body><p>new</p></body></html>\n");
      await Deno.utime(`${root}/added-page.html`, NEWER_TIME, NEWER_TIME);
      continue;
    }
    const text = await Deno.readTextFile(full).catch(() => null);
    if (text === null) continue;
    if (kind === "removed") await Deno.remove(full);
    else if (kind === "same-size" || kind === "same-size-newer") {
      const at = text.lastIndexOf("</body>");
      const edited = at > 0
        ? text.slice(0, at - 1) + "Z" + text.slice(at)
        : text.replace(/.$/s, "Z");
      await Deno.writeTextFile(full, edited);
      const time = kind === "same-size" ? SITE_TIME : NEWER_TIME;
      await Deno.utime(full, time, time);
    } else {
      const extra = kind === "link"
        ? '<a href="/added-page.html">added</a>'
        : `<p>edited ${kind}</p>`;
      await Deno.writeTextFile(full, text.replace("</body>", `${extra}</body>`));
      const time = kind === "older" ? OLDER_TIME : NEWER_TIME;
      await Deno.utime(full, time, time);
    }
  }
}

/**
 * Before a second run under `-nc -A`/`-R`: the `NAME.tmp` files GNU's first run left under `dir`
 * (not counted, cmd/README.md) copied into netkit's tree with their times, so that both runs start
 * from the same directory (GNU then finds each once answered and reads nothing of it: its
 * gethttp's RETRUNNEEDED); their paths, which netkit's files leave out.
 */
export async function copyLeftTemporaries(dir: string): Promise<Set<string>> {
  const copied = new Set<string>();
  const tree = await snapshotTree(`${dir}/gnu/out`).catch(() => new Map<string, string>());
  for (const path of tree.keys()) {
    if (!/\.tmp(\.\d+)?(\.html|\.css)?(\.orig)?$/.test(path)) continue;
    const to = `${dir}/netkit/out/${path}`;
    if (await Deno.lstat(to).then(() => true, () => false)) continue;
    try {
      await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
      await Deno.copyFile(`${dir}/gnu/out/${path}`, to);
    } catch {
      continue; // (A file of netkit's where GNU has a directory: nothing copied.)
    }
    const info = await Deno.lstat(`${dir}/gnu/out/${path}`);
    await Deno.utime(to, info.atime ?? SITE_TIME, info.mtime ?? SITE_TIME);
    copied.add(path);
  }
  return copied;
}

/** Runs both wgets with `args` on `url`, each in its directory under `dir`. */
export async function runBoth(
  dir: string,
  port: number,
  log: string,
  args: string[],
  url: string,
  rules: boolean,
  mtimes: boolean,
  netkitArgs: string[] = [],
  seeded: ReadonlySet<string> = new Set(),
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const tool of ["gnu", "netkit"]) {
    const cwd = `${dir}/${tool}`;
    await Deno.mkdir(cwd, { recursive: true });
    const from = await nginxLogEnd(log, port);
    const argv = tool === "gnu" ? ["wget"] : [Deno.execPath(), ...commandArgs("wget")];
    const run = await new Deno.Command(argv[0]!, {
      args: [
        ...argv.slice(1),
        "-nv",
        ...(tool === "gnu" ? [] : netkitArgs),
        ...args,
        "-P",
        "out",
        url,
      ],
      cwd,
      // A UTF-8 locale: under LC_ALL=C, GNU's IRI code converts each link from ASCII, which
      // unescapes %70 to "p" (netkit has no IRI conversion, cmd/README.md).
      env: { LC_ALL: "C.UTF-8" },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    await Deno.writeFile(`${cwd}/stderr.txt`, run.stderr);
    await nginxAccepts(port);
    const requests = (await Deno.readTextFile(log)).slice(from).split("\n")
      .filter((line) => line !== "" && !line.includes(" /status "));
    const tree = await snapshotTree(`${cwd}/out`).catch(() => new Map<string, string>());
    const files = [];
    for (const [path, digest] of tree) {
      // (GNU's NAME.tmp files copied here before a second run, `copyLeftTemporaries`.)
      if (tool === "netkit" && seeded.has(path)) continue;
      const mtime = mtimes
        ? ` ${second((await Deno.stat(`${cwd}/out/${path}`)).mtime?.getTime() ?? 0)}`
        : "";
      files.push(`${path} ${digest}${mtime}`);
    }
    files.sort();
    // GNU leaves the NAME.tmp of a page -A/-R rejects (cmd/README.md); netkit removes it.
    const kept = files.filter((line) =>
      !(tool === "gnu" && rules && /\.tmp(\.\d+)?(\.html|\.css)?(\.orig)? \S+( \d+)?$/.test(line))
    );
    let lines = logLines(decoder.decode(run.stderr));
    // And names the next one under -nd NAME.tmp.1 as the first is still there.
    if (rules) lines = lines.map((line) => line.replace(/\.tmp\.\d+(\.html|\.css)?"/, '.tmp$1"'));
    outcomes.push({ code: run.code, signal: run.signal, files: kept, requests, log: lines });
  }
  return outcomes;
}

/**
 * How `netkit`'s lines (requests or `-nv` lines) differ from `gnu`'s where GNU wget was killed by
 * a signal (`Outcome.signal`), which says nothing of what it would have done after: netkit's
 * first lines must be GNU's, in order (`ordered`), or else (`--max-threads`) each of GNU's must be
 * among netkit's; the exit codes and files are not compared. Empty when they agree. Random seed
 * 2307249's second run (`-r -R html -H -D localhost,127.0.0.1 --ignore-case`): GNU 1.21.3's
 * register_download finds `out/rx2.html.tmp` registered to the URL it is given, the redirect's
 * target, and returns without mapping that URL to the file (dissociated meanwhile by
 * `out/ry1.html.tmp`'s registration for another URL), so register_redirection's file is NULL
 * (its assert compiled out) and its xstrdup crashes: SIGSEGV, exit 139, every run.
 */
export function crashedDifference(gnu: string[], netkit: string[], ordered: boolean): string {
  if (ordered) {
    const prefix = netkit.slice(0, gnu.length);
    return gnu.join("\n") === prefix.join("\n") ? "" : firstDifference(gnu, prefix);
  }
  const left = new Map<string, number>();
  for (const line of netkit) left.set(line, (left.get(line) ?? 0) + 1);
  for (const line of gnu) {
    const count = left.get(line) ?? 0;
    if (count === 0) return `GNU's line not netkit's: ${line}`;
    left.set(line, count - 1);
  }
  return "";
}

/**
 * Runs `runSeed` for each seed (`fixed`, or those the environment names) as a step of `t`, each
 * in a directory of its own (kept, named `PREFIX<seed>_…`, when it differs and
 * NETKIT_FUZZ_KEEP=1); a step fails with its differences, and the test names the seeds that
 * differ.
 */
export async function stepSeeds(
  t: Deno.TestContext,
  fixed: number[],
  prefix: string,
  runSeed: (dir: string, seed: number) => Promise<string[]>,
): Promise<void> {
  const failed: string[] = [];
  for (const seed of fuzzSeeds(fixed)) {
    await t.step(`seed ${seed}`, async () => {
      await using dir = KEEP
        ? { path: await Deno.makeTempDir({ prefix: `${prefix}${seed}_` }), [Symbol.dispose]() {} }
        : await tempDir();
      const differences = await runSeed(dir.path, seed);
      if (KEEP && differences.length > 0) differences.push(`kept in ${dir.path}`);
      if (differences.length > 0) failed.push(seed.toString());
      assert.deepEqual(differences, [], differences.join("\n"));
    });
  }
  assert.deepEqual(failed, [], `seeds that differ: ${failed.join(",")}`);
}

/**
 * `site` served by an nginx under `dir`, its access log (`dir/access.log`, lines as `logFormat`
 * says) naming the host asked for; its files at the site's fixed time, and the start URL.
 */
export async function serveRandomSite(
  dir: string,
  site: RandomSite,
  logFormat: string,
): Promise<{ nginx: Nginx; log: string; url: string }> {
  const log = `${dir}/access.log`;
  const nginx = await startNginx(dir, {
    httpConfig: `log_format fuzz '${logFormat}';`,
    serverConfig: config(log, site.nginxConfig),
  });
  await writeRandomSite(nginx.root, site, nginx.port);
  await settle(nginx.root);
  return { nginx, log, url: `http://127.0.0.1:${nginx.port}${site.start}` };
}
