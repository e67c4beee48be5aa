/**
 * `wget -r` on random sites, beside GNU wget 1.21 on the same nginx: for each seed a site
 * (`tests/harness/random_site.ts`: nested directories, 10–60 pages, links of every form a real
 * site has) and one random option set (`-r`, `-r -np`, `-m -np`, `-p -k`, `-r -l N`, with `-A`,
 * `-R`, `-nd`, `-nH --cut-dirs`, `-E`, `-k -K`, `-I`, `-X`, `--restrict-file-names`,
 * `-e robots=off`, `-H -D`, the regexes and tag lists, `-x`, `-L`, `--spider`, `--delete-after`,
 * `-nc`, `-Q`…), run by both into fresh directories; compared: the exit codes, the files and their
 * bytes (after `-k` on both sides), the requests nginx logged (host, method, target, status, the
 * Referer, in order: both go breadth-first) and the `-nv` log but for its dates and times. A
 * failure names the seed, the command line and the first difference of each.
 *
 * Both run under a UTF-8 locale: under `LC_ALL=C` GNU's IRI code converts each link from ASCII,
 * which unescapes `%70` to `p` (netkit has no IRI conversion, cmd/README.md). Normalised, where
 * netkit differs from GNU wget on purpose (cmd/README.md): `-k`'s "Converting links in" lines
 * and `--spider`'s broken links are compared as sets (GNU goes in its hash tables' order); the
 * `NAME.tmp` GNU leaves of a page `-A`/`-R` rejects is not counted (nor the `NAME.tmp.1` it then
 * names the next one under `-nd`); a file that cannot be written is told in netkit's one line;
 * `--spider`'s `NAME.tmp.tmp` (netkit `NAME.tmp`), its `robots.txt` (netkit `robots.txt.tmp`) and
 * `unlink: No such file or directory`; netkit's usage text after a refused option set. What the
 * generator leaves out for the same reason is listed in `tests/harness/random_site.ts`.
 *
 * About 2 seeds in 5 then run again into the same directories (a second random stream, so the
 * sites and options stay what they were) after changes to the site (a page newer, older, of the
 * same size with the same or a newer time, removed, with a new link; a page added), both adding
 * `-N`, `-nc`, `-c` or nothing (`-m` has `-N`); compared as above, with the files' times (not
 * under `-k`) and each request's If-Modified-Since. Not drawn: `-c` beside `-E` (GNU reads
 * `NAME.html`, cmd/README.md) or `-k`, and a rerun of `-k` without `-K` (the pages' times are
 * then the conversion's, the second's that differ; GNU's manual asks for `-K` there).
 *
 * Under `-R` GNU reads the `NAME.tmp` it left again when a later link reaches the same URL: a
 * page not read when it came (a redirect to a URL queued already) netkit keeps until then too
 * (seeds 635 and 20545, fixed). Under `-nc` another URL of that file's name (`/%69ndex.html`
 * after `/`) is asked for by both, GNU then finding its `NAME.tmp` there (its gethttp's
 * RETRUNNEEDED) and saying, saving and reading nothing: so netkit, which remembers the
 * `NAME.tmp` files it removed where GNU leaves them (seed 1600152, and the first runs of 3405,
 * 21655, 23677 and 12136, fixed). A second run under `-nc -A`/`-R` starts both from the same
 * directory: the `NAME.tmp` files GNU's first run left are copied into netkit's
 * (`copyLeftTemporaries`, not counted), which netkit then finds once answered as GNU does, in a
 * run of its own too (seeds 3405, 21655, 23677, 12136; 3505: `-p -R *.txt,html -nc`, GNU then
 * reads nothing more; 900052: `-r -np -R html -nc`, the start page's `NAME.tmp`; 1200293
 * likewise, `-r -l 0 -R html,js -nc`: netkit saved and read the page again, fixed).
 *
 * Seeds above 100,000 draw more options (and robots.txt groups) from a stream of their own
 * (`tests/harness/random_site.ts`), and seeds above 1,200,000 more again (meta robots and refresh
 * contents, character references, capitals and line breaks in links, 303/307/308 redirects,
 * `--restrict-file-names` lists, tag lists, `--regex-type`; `-c`/`-nc` beside
 * `--trust-server-names`), and seeds above 1,300,000 more again (`--cut-dirs` past the deepest
 * directory, `-l inf`/`0`/`1` beside `-p`, `-nd`/`-x`/`-nH` together, `--ignore-length`, `.shtml`
 * and `.phtml` pages, `%2F` in a path, `..` past the root, odd `<base href>`s, requisites with
 * `#x` or `?` alone or `HTTP://`, `@import` chains, redirects to the path with a slash and to
 * themselves); 910007 (`-r -E -k --trust-server-names`: a directory's link
 * without its slash saved as `Img/index.html`, as GNU, not `Img.html`) runs with the tests.
 *
 * A fixed few seeds run with the tests. To hunt, run more (about 0.2 s a seed):
 *
 *     NETKIT_FUZZ_SEEDS=300 NETKIT_FUZZ_FIRST=1000 deno test -A --unstable-net tests/cmd/wget-recursive-random_test.ts
 *
 * to replay some, `NETKIT_FUZZ_SEED=1042,1077`, and to keep the directories of the seeds that
 * differ (the site, both trees, both logs, nginx's config and log), `NETKIT_FUZZ_KEEP=1`.
 */

import { peerTest } from "../harness/peers.ts";
import { randomSite } from "../harness/random_site.ts";
import {
  change,
  copyLeftTemporaries,
  crashedDifference,
  firstDifference,
  type Outcome,
  rerunOf,
  runBoth,
  serveRandomSite,
  stepSeeds,
} from "../harness/wget_random_runs.ts";

/**
 * The seeds the test suite runs (about 0.2 s each on an idle machine; 18 of 1–40 run again, with
 * -N, -nc, -c, -m or nothing new), 356: `-r -c` again through a redirect to a complete file, and
 * 2821: `-p -E -k -K -N` again, the start page `/?k=v=w` saved as `index.html?k=v=w.html` (its
 * `NAME.orig` beside no `NAME`: fetched whole, without If-Modified-Since, as GNU), 20545:
 * `-r -R html`, a redirect to a page queued already, read from the redirect's file when the
 * page's turn comes, and 21278: `-r -E -k -K -N` again, `/at@x/Img`'s `Img.orig` beside the
 * directory `Img` (no copy: fetched whole, as GNU); 635 as 20545 (`-r -R html,*.txt -nd`);
 * 910007: `--trust-server-names` names a redirected link's file after the URL that answered;
 * 920009 (under `--spider`), 910180 (`-m`: the target's copy compared, a 304) and 930057 (`-R`
 * judges the target's name) likewise; 930030: `-k` keeps a `<base href>`'s fragment; 1200003,
 * 1200008 and 1200013: `<meta name=robots>` and refresh contents read by GNU's rules
 * (`noindex nofollow` is no nofollow, `no` and `NOFOL` are, a refresh of `+0;`); 1200501:
 * `-nd -nc --trust-server-names`, a redirect to a name here not asked for, from a link `-A`
 * rejects too (GNU's http_loop); 1600057 (`-R [[:upper:]]* --ignore-case`), 1600249
 * (`-R [[:upper:]]*`) and 2000182 (`-A [[:upper:]]* --ignore-case`): fnmatch's classes in
 * `-A`/`-R`, which netkit took for a bracket of their letters (under `--ignore-case` a class
 * tests the name's own letter, FNM_CASEFOLD); 1700063 (`-c --ignore-length`: a 206's length is
 * its Content-Range's, `[562/562]`, as GNU's gethttp reads it; netkit said `[562]`); 1600152
 * (`-r -R html -nc`: `/%69ndex.html` after `/`, GNU's `index.html.tmp` found there, nothing said;
 * netkit saved it again with its `-nv` line); 2100046 (`-A *index* --trust-server-names -nH
 * --cut-dirs=8 -x -E`: a rejected page redirected to a name `-A` accepts is written over, as GNU
 * writes any file under `-x`; netkit made `index.html.1.html`); 3405, 3505, 900052 and 1200293
 * (a second run under `-nc -R` finds the `NAME.tmp` GNU's first left, its gethttp's RETRUNNEEDED:
 * netkit saved and read the page again); 1900015 (`-r -A p* --trust-server-names -N` again: a
 * rejected link redirected to `/p87.html` asks with If-Modified-Since, as GNU's gethttp compares
 * the name it saves under; netkit asked without, as for the link's `NAME.tmp`); 1904995 (`-r -c
 * --trust-server-names -R *[0-9].html`: a rejected link, `/r1.html`, redirected to `/`, asks for
 * the rest of `index.html`, a 416, as GNU's gethttp continues the name it saves under; netkit
 * asked without and saved the page again); 1904007 (`-m -np -R p* -X /*c`: a `NAME.tmp` below a
 * file, `semi;c/a/p36.html.tmp`, cannot be made: GNU says `Bad file descriptor`, its fdopen of
 * the failed open's -1, netkit the system's `Not a directory`, told apart by the log's reading);
 * 1907684 (`-r -R html,css -nc --trust-server-names -p`: `/rx1.html`, redirected to
 * `/semi;c/Img/q.html`, read already, finds its `NAME.tmp` left there, as GNU's check_file_output
 * (RETRUNNEEDED): nothing said or counted; netkit saved and said it again); 1911948 (`-r -nc
 * --trust-server-names --max-redirect=0`: a redirect to a page read already is counted first, as
 * GNU's retrieve_url, and says `0 redirections exceeded.`; netkit found the target's file here and
 * said nothing); 1915294 (`-r -l 1 -E -nd -A [!p]*.html --ignore-case`: a second `index.html`
 * that `-A` rejects as `index.html.1` is `index.html.1.tmp.1.html` beside the first's
 * `index.html.1.tmp.html`, as GNU's ensure_extension numbers it; netkit said
 * `index.html.1.tmp.html.1`); 1918034 (`-r -A html,css -nd --trust-server-names`:
 * `/r1.html?q=a+b`, a name `-A` rejects, redirected to `/p46.html`, whose `p46.html` is here,
 * is saved as `p46.html.1.tmp`, as GNU's gethttp judges the free name it saves under; netkit
 * judged `p46.html` and said `p46.html.1`); 2307249 (`-r -R html -H --ignore-case` again), where
 * GNU crashes, SIGSEGV, its run compared up to there (`crashedDifference`).
 */
const FIXED_SEEDS = [
  ...Array.from({ length: 40 }, (_, i) => i + 1),
  ...[356, 2821, 635, 20545, 21278, 910007, 920009, 910180, 930057, 930030],
  ...[1200003, 1200008, 1200013, 1200501, 1600057, 1600249, 2000182, 1700063, 1600152],
  ...[2100046, 3405, 3505, 900052, 1200293, 1900015, 1904995, 1904007, 1907684, 1911948],
  ...[1915294, 1918034, 2307249],
];

/** The differences between GNU's outcome and netkit's, empty when none. */
function compare([gnu, netkit]: Outcome[]): string[] {
  const differences: string[] = [];
  if (gnu!.signal) {
    // GNU crashed: what it did before, netkit's first (`crashedDifference`).
    for (const what of ["requests", "log"] as const) {
      const difference = crashedDifference(gnu![what], netkit![what], true);
      if (difference) differences.push(`${what} before GNU's ${gnu!.signal} ${difference}`);
    }
    return differences;
  }
  if (gnu!.code !== netkit!.code) {
    differences.push(`exit code: GNU ${gnu!.code}, netkit ${netkit!.code}`);
  }
  for (const what of ["files", "requests", "log"] as const) {
    if (gnu![what].join("\n") !== netkit![what].join("\n")) {
      differences.push(`${what} ${firstDifference(gnu![what], netkit![what])}`);
    }
  }
  return differences;
}

/** Runs seed `seed` with both wgets under `dir`; the differences found, empty when none. */
async function runSeed(dir: string, seed: number): Promise<string[]> {
  const site = randomSite(seed);
  const served = await serveRandomSite(
    dir,
    site,
    // (The Referer too: each link's page, as GNU's recur.c sends it.)
    '$host "$request" $status "$http_if_modified_since" "$http_referer"',
  );
  await using nginx = served.nginx;
  const { log, url } = served;
  const rules = site.args.includes("-A") || site.args.includes("-R");
  const rerun = rerunOf(seed, site);
  const args = [...site.args, ...(rerun?.option ?? [])];
  // The files' times when GNU and netkit keep them (-k rewrites the pages after).
  const mtimes = !args.includes("-k");
  const differences = compare(await runBoth(dir, nginx.port, log, args, url, rules, mtimes));
  if (differences.length === 0 && rerun) {
    await change(nginx.root, rerun.changes);
    const seeded = rules && args.includes("-nc")
      ? await copyLeftTemporaries(dir)
      : new Set<string>();
    const again = compare(
      await runBoth(dir, nginx.port, log, args, url, rules, mtimes, [], seeded),
    );
    if (again.length > 0) {
      differences.push(
        `the second run, after ${rerun.changes.map((c) => `${c.kind} ${c.path}`).join(", ")}:`,
        ...again,
      );
    }
  }
  if (differences.length > 0) {
    differences.unshift(`seed ${seed}: wget -nv ${args.join(" ")} -P out ${url}`);
  }
  return differences;
}

peerTest(
  "wget -r on random sites: GNU wget's files, bytes, requests, exit code and -nv log, seed by seed",
  ["nginx", "wget"],
  async (t) => await stepSeeds(t, FIXED_SEEDS, "fuzz", runSeed),
);
