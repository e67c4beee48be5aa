/**
 * Hand-written regressions of the differences `tests/cmd/wget-recursive-names-random_test.ts`
 * found in the names `wget -r` gives files on disk, one step a fix.
 */

import { deepEqual, equal } from "node:assert/strict";
import { main } from "../../cmd/wget.ts";
import { localPathForUrl } from "../../lib/download/disk_layout.ts";
import { tempDir } from "../harness/peers.ts";
import { replyWith, startRawServer } from "../harness/raw_http_server.ts";

const page = (html: string) => replyWith(html);

Deno.test("wget -r never writes through a symbolic link planted in its tree (GNU does)", async (t) => {
  await using server = startRawServer({
    "/": page(`<a href="linkdir/in.html">in</a> <a href="linkdir/deep/x.html">x</a>`),
    "/linkdir/in.html": page("in"),
    "/linkdir/deep/x.html": page("x"),
  });
  for (const prefix of [["-P", "out"], []]) {
    await t.step(prefix.length === 0 ? "without -P" : "under -P out", async () => {
      await using dir = await tempDir();
      const run = `${dir.path}/run`;
      const root = prefix.length === 0 ? run : `${run}/out`;
      const site = `${root}/127.0.0.1:${server.port}`;
      await Deno.mkdir(site, { recursive: true });
      await Deno.mkdir(`${dir.path}/outside`);
      await Deno.writeTextFile(`${dir.path}/outside/secret.txt`, "secret");
      await Deno.symlink(`${dir.path}/outside`, `${site}/linkdir`);
      const cwd = Deno.cwd();
      Deno.chdir(run);
      try {
        equal(await main(["-q", "-r", ...prefix, `${server.base}/`]), 0);
      } finally {
        Deno.chdir(cwd);
      }
      // The link made way for a directory of the run's, as a file in the way does.
      deepEqual([...Deno.readDirSync(`${dir.path}/outside`)].map((e) => e.name), ["secret.txt"]);
      equal(Deno.lstatSync(`${site}/linkdir`).isDirectory, true);
      equal(await Deno.readTextFile(`${site}/linkdir/in.html`), "in");
      equal(await Deno.readTextFile(`${site}/linkdir/deep/x.html`), "x");
    });
  }
});

Deno.test("localPathForUrl() cuts a directory's name to 236 bytes, as GNU wget cuts every name, and says so each time", () => {
  const shortened: number[] = [];
  const layout = { hostDirectories: false };
  const long = "d".repeat(300);
  for (let i = 0; i < 3; i++) {
    equal(
      localPathForUrl(`http://h/${long}/x${i}.html`, layout, (bytes) => shortened.push(bytes)),
      `${"d".repeat(236)}/x${i}.html`,
    );
  }
  // GNU wget says "The destination name is too long (300), reducing to 236" for every file there.
  deepEqual(shortened, [300, 300, 300]);
  // Two-byte letters are not cut in half.
  equal(localPathForUrl(`http://h/${"%C3%A9".repeat(150)}/x`, layout), `${"é".repeat(118)}/x`);
});

Deno.test("localPathForUrl() decodes a directory's name once, as GNU wget (a file's twice)", () => {
  equal(localPathForUrl("http://h/pct%2541/pct%2541"), "h/pct%41/pctA");
  equal(localPathForUrl("http://h/a%252Fb/a%252Fb"), "h/a%2Fb/a%2Fb");
});

Deno.test("localPathForUrl() decodes a query once, as GNU wget, and measures a long name so", () => {
  // GNU's url_file_name decodes "FILE?QUERY" whole, the file's name decoded once already (names
  // random seed 1906723: netkit saved x?q=1%2FpctA and said "too long (246)", GNU's 248).
  equal(localPathForUrl("http://h/pct%2541?q=1/pct%2541"), "h/pctA?q=1%2Fpct%41");
  const windows = { restrict: { os: "windows" as const, control: true, ascii: false } };
  equal(localPathForUrl("http://h/x?q=%2541", windows), "h/x@q=%41");
  const said: number[] = [];
  localPathForUrl(`http://h/${"a".repeat(235)}?q=1/pct%2541`, {}, (bytes) => said.push(bytes));
  deepEqual(said, [248]);
});

Deno.test("localPathForUrl() writes a byte that is no part of a UTF-8 character as %XX, so two such names stay two", () => {
  equal(localPathForUrl("http://h/bad%ff/x%fe"), "h/bad%FF/x%FE");
  equal(localPathForUrl("http://h/half%C3/%C0%AF/caf%C3%A9/%E2%82%AC"), "h/half%C3/%C0%AF/café/€");
  equal(
    localPathForUrl("http://h/%ff/%FF", {
      restrict: { os: "unix", control: true, ascii: false, case: "lower" },
    }),
    "h/%ff/%ff",
  );
});

Deno.test("wget -x never writes through a symbolic link planted where it needs a directory (GNU does)", async () => {
  await using server = startRawServer({ "/linkdir/in.html": page("in") });
  await using dir = await tempDir();
  const out = `${dir.path}/out`;
  const site = `${out}/127.0.0.1:${server.port}`;
  await Deno.mkdir(site, { recursive: true });
  await Deno.mkdir(`${dir.path}/outside`);
  await Deno.symlink(`${dir.path}/outside`, `${site}/linkdir`);
  equal(await main(["-q", "-x", "-P", out, `${server.base}/linkdir/in.html`]), 0);
  deepEqual([...Deno.readDirSync(`${dir.path}/outside`)], []);
  equal(Deno.lstatSync(`${site}/linkdir`).isDirectory, true);
  equal(await Deno.readTextFile(`${site}/linkdir/in.html`), "in");
});

Deno.test("wget -r keeps what the user has: a link at a file's name is never written through, a directory or an unreadable file at a name is a name in use", async (t) => {
  await using server = startRawServer({
    "/": page(`<a href="a.html">a</a> <a href="b.html">b</a> <a href="c.html">c</a>`),
    "/a.html": page("a"),
    "/b.html": page("b"),
    "/c.html": page("c"),
  });
  for (const layout of [["-nd"], []]) {
    await t.step(layout.length === 0 ? "-r" : "-r -nd", async () => {
      await using dir = await tempDir();
      const out = `${dir.path}/out`;
      const site = layout.length === 0 ? `${out}/127.0.0.1:${server.port}` : out;
      await Deno.mkdir(`${site}/b.html`, { recursive: true });
      await Deno.mkdir(`${dir.path}/outside`);
      await Deno.writeTextFile(`${dir.path}/outside/secret.txt`, "secret");
      await Deno.symlink(`${dir.path}/outside/secret.txt`, `${site}/a.html`);
      await Deno.writeTextFile(`${site}/c.html`, "the user's", { mode: 0o000 });
      await Deno.chmod(`${site}/c.html`, 0o000);
      const code = await main(["-q", "-r", ...layout, "-P", out, `${server.base}/`]);
      equal(await Deno.readTextFile(`${dir.path}/outside/secret.txt`), "secret");
      if (layout.length > 0) {
        // -nd: every name in use is kept, the copy goes to NAME.1 (GNU too for the link; as
        // root it writes over the unreadable file, and fails on the directory, exit 3).
        equal(code, 0);
        equal(Deno.lstatSync(`${site}/a.html`).isSymlink, true);
        equal(await Deno.readTextFile(`${site}/a.html.1`), "a");
        equal(await Deno.readTextFile(`${site}/b.html.1`), "b");
        equal(await Deno.readTextFile(`${site}/c.html`), "the user's");
        equal(await Deno.readTextFile(`${site}/c.html.1`), "c");
      } else {
        // -r writes over a file of its tree, as GNU: the link goes, never its target (GNU writes
        // over the target); a directory cannot be written over (exit 3, as GNU).
        equal(code, 3);
        equal(Deno.lstatSync(`${site}/a.html`).isFile, true);
        equal(await Deno.readTextFile(`${site}/a.html`), "a");
        equal(Deno.statSync(`${site}/b.html`).isDirectory, true);
      }
    });
  }
});

Deno.test("wget -r -c and -r -N never write through a link planted at a file's name (GNU -c appends to its target)", async (t) => {
  await using server = startRawServer({
    "/": page(`<a href="a.html">a</a>`),
    "/a.html": page("the whole of a"),
  });
  for (const option of ["-c", "-N"]) {
    await t.step(option, async () => {
      await using dir = await tempDir();
      const site = `${dir.path}/out/127.0.0.1:${server.port}`;
      await Deno.mkdir(site, { recursive: true });
      await Deno.mkdir(`${dir.path}/outside`);
      await Deno.writeTextFile(`${dir.path}/outside/secret.txt`, "sec");
      await Deno.symlink(`${dir.path}/outside/secret.txt`, `${site}/a.html`);
      await main(["-q", "-r", option, "-P", `${dir.path}/out`, `${server.base}/`]);
      equal(await Deno.readTextFile(`${dir.path}/outside/secret.txt`), "sec");
      equal(Deno.lstatSync(`${site}/a.html`).isFile, true);
      equal(await Deno.readTextFile(`${site}/a.html`), "the whole of a");
    });
  }
});
