/**
 * `wget -r` (and `-m`, `-p`, `-x`) where it needs a directory and a regular file of the user's
 * is there, beside GNU wget 1.21 on the same nginx. GNU's `mkalldirs` removes a file that stands
 * where a file's own directory goes (`HOST/a` for `HOST/a/x.html`), without a word, whoever
 * wrote it, with every option (`-nc`, `-N`, `-c`, `--backups` too); a file higher up
 * (`HOST/b` for `HOST/b/c/y.html`) it keeps, and fails that URL: `Cannot write to ... (Not a
 * directory).`, exit 3, the run going on. netkit keeps a file it did not write this run in
 * both places and fails the URL the same way (cmd/README.md); a file this run wrote (`/f`, then
 * `/f/z.html`) makes way as in GNU. Compared with GNU: every other file (bytes), the requests
 * nginx saw, and the `-nv` log but for those lines.
 */

import assert from "node:assert/strict";
import { main } from "../../cmd/wget.ts";
import { type Nginx, startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { replyWith, startRawServer } from "../harness/raw_http_server.ts";
import { snapshotTree } from "../harness/test_site.ts";
import { requestsSince, runWgetLogged, stableLines } from "../harness/wget_recursive_compare.ts";

const page = (body: string) => `<!DOCTYPE html><html><body>\n${body}\n</body></html>\n`;

/** The site: pages below `a/`, `b/c/`, `d/` and `p/` (where the user has files), and `/f`. */
const SITE: Record<string, string> = {
  "index.html": page(
    [
      `<a href="a/x.html">x</a>`,
      `<a href="b/c/y.html">y</a>`,
      `<a href="d/">d</a>`,
      `<a href="e.html">e</a>`,
      `<a href="f">f</a>`,
      `<img src="p/pic.png" alt="">`,
    ].join("\n"),
  ),
  "a/x.html": page("x"),
  "b/c/y.html": page("y"),
  "d/index.html": page("d"),
  "e.html": page("e"),
  "f/z.html": page("z"),
  "p/pic.png": "not really a picture\n",
};

/** The user's files, by path below the host's directory: where a directory of the site goes. */
const USER_FILES = ["a", "b", "d", "p"];

/** nginx serving SITE, `/f` a page of its own (a file, and a directory's name). */
async function startSite(dir: string): Promise<Nginx & { log: string; host: string }> {
  const log = `${dir}/access.log`;
  const nginx = await startNginx(dir, {
    serverConfig: `
      types { text/html html; image/png png; }
      location = /f { types {} default_type text/html; return 200 '<a href="f/z.html">z</a>\\n'; }
      location = /status { stub_status; }
      access_log ${log} combined;
    `,
  });
  for (const [path, body] of Object.entries(SITE)) {
    const file = `${nginx.root}/${path}`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(file, body);
  }
  return { ...nginx, log, host: `127.0.0.1:${nginx.port}` };
}

/** What one wget did in a directory of its own, the user's files planted first. */
interface Run {
  code: number;
  files: Map<string, string>;
  requests: string[];
  log: string[];
}

async function runIn(
  tool: "gnu" | "netkit",
  dir: string,
  site: Nginx & { log: string; host: string },
  args: string[],
): Promise<Run> {
  const cwd = `${dir}/${tool}`;
  await Deno.mkdir(`${cwd}/${site.host}`, { recursive: true });
  for (const name of USER_FILES) {
    await Deno.writeTextFile(`${cwd}/${site.host}/${name}`, `the user's ${name}\n`);
  }
  const from = (await Deno.readTextFile(site.log)).length;
  const run = await runWgetLogged(tool, ["-nv", ...args], cwd, { LC_ALL: "C.UTF-8" });
  const host = (text: string) => text.replaceAll(site.host, "HOST");
  return {
    code: run.code,
    files: new Map([...await snapshotTree(cwd)].map(([path, digest]) => [host(path), digest])),
    requests: await requestsSince(site.log, from, site.port),
    log: stableLines(host(run.stderr)).filter((line) => line !== ""),
  };
}

/** Whether `path` is one of the user's files (`HOST/a`). */
function isUserFile(path: string): boolean {
  return USER_FILES.some((name) => path === `HOST/${name}`);
}

/** The SHA-256 of each file of the user's, by name, as snapshotTree() gives it. */
const USER_DIGESTS = new Map(
  await Promise.all(USER_FILES.map(async (name) => {
    const bytes = new TextEncoder().encode(`the user's ${name}\n`);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return [name, Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("")] as const;
  })),
);

/** The user's file that a path on disk (`HOST/a/x.html`) needs as a directory, if any. */
function userFileAbove(path: string): string | undefined {
  return USER_FILES.find((name) => path.startsWith(`HOST/${name}/`));
}

/**
 * GNU's log as netkit's is expected to read: GNU's own lines about the directory it could not
 * make dropped (`HOST/b/c: Not a directory`, `pathconf: ...`), and each file GNU saved below a
 * user's file it removed netkit's refusal instead.
 */
function expectedLog(gnu: string[]): string[] {
  return gnu
    .filter((line) =>
      !/^\S+: Not a directory$/.test(line) &&
      !/^Failed to rename .*: \(20\) Not a directory$/.test(line)
    )
    .map((line) => {
      const saved = /^DATE URL:\S+ \[[^\]]*\] -> "(.*)" \[\d+\]$/.exec(line);
      if (saved && userFileAbove(saved[1]!) !== undefined) {
        return `Cannot write to ‘${saved[1]}’ (Not a directory).`;
      }
      return line;
    });
}

/** Each case: its options, the URLs' paths, and the user's files it needs as directories. */
const CASES: { args: string[]; paths: string[]; below: string[] }[] = [
  { args: ["-r"], paths: ["/"], below: ["a", "b", "d", "p"] },
  { args: ["-r", "-nc"], paths: ["/"], below: ["a", "b", "d", "p"] },
  { args: ["-r", "-N"], paths: ["/"], below: ["a", "b", "d", "p"] },
  { args: ["-r", "-c"], paths: ["/"], below: ["a", "b", "d", "p"] },
  { args: ["-m"], paths: ["/"], below: ["a", "b", "d", "p"] },
  { args: ["-r", "--backups=2"], paths: ["/"], below: ["a", "b", "d", "p"] },
  { args: ["-p"], paths: ["/"], below: ["p"] },
  { args: ["-x"], paths: ["/a/x.html", "/b/c/y.html", "/f", "/f/z.html"], below: ["a", "b"] },
];

peerTest(
  "wget keeps a file of the user's where it needs a directory (GNU removes it): the URL fails with Not a directory, exit 3, and the rest is GNU wget's",
  ["wget", "nginx"],
  async (t) => {
    await using dir = await tempDir();
    await using site = await startSite(dir.path);
    for (const { args, paths, below } of CASES) {
      await t.step(args.join(" "), async () => {
        await using runs = await tempDir();
        const urls = paths.map((path) => `http://${site.host}${path}`);
        const gnu = await runIn("gnu", runs.path, site, [...args, ...urls]);
        const netkit = await runIn("netkit", runs.path, site, [...args, ...urls]);
        // netkit: every file of the user's as it was, a refusal for each needed as a directory.
        for (const user of USER_FILES) {
          assert.equal(netkit.files.get(`HOST/${user}`), USER_DIGESTS.get(user), user);
        }
        const refused = netkit.log.flatMap((line) => {
          const match = /^Cannot write to ‘(.*)’ \(Not a directory\)\.$/.exec(line);
          return match ? [userFileAbove(match[1]!) ?? match[1]!] : [];
        });
        assert.deepEqual(refused, below);
        assert.equal(netkit.code, 3);
        // GNU removed each but `b` (above the file's own directory: its URL failed, exit 3).
        for (const user of below) assert.equal(gnu.files.has(`HOST/${user}`), user === "b", user);
        assert.equal(gnu.code, below.includes("b") ? 3 : 0);
        // Every other file is GNU's, byte for byte; a file the run wrote (`/f`) made way for its
        // directory in both.
        const others = (files: Map<string, string>) =>
          [...files].filter(([path]) => userFileAbove(path) === undefined && !isUserFile(path))
            .sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
        assert.deepEqual(others(netkit.files), others(gnu.files));
        if (args[0] !== "-p") {
          assert.equal(netkit.files.has("HOST/f"), false);
          assert.equal(netkit.files.has("HOST/f/z.html"), true);
        }
        assert.deepEqual(netkit.requests, gnu.requests);
        assert.deepEqual(netkit.log, expectedLog(gnu.log));
      });
    }
  },
);

Deno.test("wget -r never makes a directory through a symbolic link planted higher up (it wrote outside)", async () => {
  await using server = startRawServer({
    "/": replyWith(`<a href="linkdir/deep/x.html">x</a>`),
    "/linkdir/deep/x.html": replyWith("x"),
  });
  await using dir = await tempDir();
  const out = `${dir.path}/out`;
  const site = `${out}/127.0.0.1:${server.port}`;
  await Deno.mkdir(site, { recursive: true });
  await Deno.mkdir(`${dir.path}/outside`);
  await Deno.symlink(`${dir.path}/outside`, `${site}/linkdir`);
  assert.equal(await main(["-q", "-r", "-P", out, `${server.base}/`]), 0);
  assert.deepEqual([...Deno.readDirSync(`${dir.path}/outside`)], []);
  assert.equal(Deno.lstatSync(`${site}/linkdir`).isDirectory, true);
  assert.equal(await Deno.readTextFile(`${site}/linkdir/deep/x.html`), "x");
});

Deno.test("wget -r replaces a file it wrote this run by a directory only where the file's own directory goes (GNU's mkalldirs), and keeps the user's, with one thread or several", async (t) => {
  await using server = startRawServer({
    "/": replyWith(`<a href="f">f</a> <a href="g">g</a> <a href="u/x.html">u</a>`),
    "/f": replyWith(`<a href="f/z.html">z</a>`),
    "/f/z.html": replyWith("z"),
    // A file the run wrote higher up is kept, and the URL fails, as GNU's.
    "/g": replyWith(`<a href="g/h/z.html">z</a>`),
    "/g/h/z.html": replyWith("z"),
    "/u/x.html": replyWith("x"),
  });
  for (const threads of [[], ["--max-threads", "4"]]) {
    await t.step(threads.join(" ") || "one thread", async () => {
      await using dir = await tempDir();
      const out = `${dir.path}/out`;
      const site = `${out}/127.0.0.1:${server.port}`;
      await Deno.mkdir(site, { recursive: true });
      await Deno.writeTextFile(`${site}/u`, "the user's u\n");
      assert.equal(await main(["-q", "-r", ...threads, "-P", out, `${server.base}/`]), 3);
      assert.equal(await Deno.readTextFile(`${site}/f/z.html`), "z");
      assert.equal(await Deno.readTextFile(`${site}/g`), `<a href="g/h/z.html">z</a>`);
      assert.equal(await Deno.readTextFile(`${site}/u`), "the user's u\n");
    });
  }
});

Deno.test("wget -P FILE keeps the user's FILE (GNU removes it to make the directory), with and without -r -nd", async (t) => {
  await using server = startRawServer({
    "/e.html": replyWith("e\n", "text/plain"),
  });
  for (const args of [[], ["-r", "-nd"]]) {
    await t.step(args.join(" ") || "plain", async () => {
      await using dir = await tempDir();
      const out = `${dir.path}/out`;
      await Deno.writeTextFile(out, "the user's out\n");
      assert.equal(await main(["-q", ...args, "-P", out, `${server.base}/e.html`]), 3);
      assert.equal(await Deno.readTextFile(out), "the user's out\n");
    });
  }
});

peerTest(
  'wget -r says the system\'s reason where a NAME.tmp cannot be made below a file (GNU 1.21: "Bad file descriptor"), and fails the same URLs',
  ["wget"],
  async (t) => {
    // `/g` is a page, so `g/h/` cannot be made below it: both keep it and fail its URLs.
    await using server = startRawServer({
      "/": replyWith(`<a href="g">g</a> <a href="g/h/p.html">p</a> <a href="g/h/q.html">q</a>`),
      "/g": replyWith(`<a href="g/h/p.html">p</a>`),
      "/g/h/p.html": replyWith("p"),
      "/g/h/q.html": replyWith("q"),
    });
    // (p.html's NAME.tmp: GNU's fdopen of the failed open leaves EBADF, -nc's too, GNU's
    // ALLOW_CLOBBER, and GNU says "Bad file descriptor"; netkit keeps the system's reason, the
    // one GNU gives for q.html; random seed 1904007.)
    for (const args of [["-R", "p*"], ["-nc", "-R", "p*"]]) {
      await t.step(args.join(" "), async () => {
        await using dir = await tempDir();
        const refusals = [];
        for (const tool of ["gnu", "netkit"]) {
          await Deno.mkdir(`${dir.path}/${tool}`);
          const argv = ["-nv", "-r", ...args, "-P", "out", `${server.base}/`];
          const { code, stderr } = await runWgetLogged(tool, argv, `${dir.path}/${tool}`, {
            LC_ALL: "C.UTF-8",
          });
          const lines = stableLines(stderr).filter((line) => line.startsWith("Cannot write to"));
          refusals.push({ code, lines });
        }
        const names = (lines: string[]) => lines.map((line) => line.replace(/^.*\//, ""));
        assert.deepEqual(names(refusals[0]!.lines), [
          "p.html.tmp’ (Bad file descriptor).",
          "q.html’ (Not a directory).",
        ]);
        assert.deepEqual(names(refusals[1]!.lines), [
          "p.html.tmp’ (Not a directory).",
          "q.html’ (Not a directory).",
        ]);
        assert.equal(refusals[1]!.code, refusals[0]!.code);
      });
    }
  },
);
