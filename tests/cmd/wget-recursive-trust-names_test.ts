/**
 * `wget -r --trust-server-names` beside GNU wget 1.21 on the same nginx: a link redirected (a
 * directory without its slash, nginx's 301; a page moved to another directory, a 302) names its
 * file after the URL that answered, directories and all, as GNU's http_loop names it
 * (`url_file_name` of the redirect's target): `/Img` is `Img/index.html`, `/go.html` is
 * `b/c/target.html`. Found by `tests/cmd/wget-recursive-random_test.ts` (seed 910007); netkit
 * used to keep the link's own name (`Img`, `go.html`). Compared: the exit codes, the files and
 * their bytes (after `-k` on both sides) and the requests nginx logged, as multisets; under
 * `--spider` (the GET after a HEAD that was redirected, seed 920009) the `-nv` log, GNU's
 * `NAME.tmp.tmp` read as netkit's `NAME.tmp` and its `unlink:` lines dropped (cmd/README.md);
 * under `-N` a second run's requests, the target's copy compared (If-Modified-Since, a 304: seed
 * 910180, where netkit compared the link's name's and fetched the target again; with
 * `--no-if-modified-since` by a HEAD to the target first, server random seed 1600294, where netkit
 * sent the GET alone); under `-R`,
 * the `-nv` log: the target's name is what `-A`/`-R` judge (`NAME.tmp` or not, seed 930057); under
 * `-nc --max-redirect=0` again, the `-nv` log and exit code: past the count a redirect is not
 * followed even where the target's file is here (seed 1911948).
 * Without `-r`, `-x` with `--trust-server-names` or `--content-disposition` likewise.
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import {
  bothWgetsOnNginx,
  nginxLogEnd,
  requestsSince,
  runWgetLogged,
  runWgetQuiet,
  stableLines,
} from "../harness/wget_recursive_compare.ts";
import { snapshotTree } from "../harness/test_site.ts";

const SITE: Record<string, string> = {
  "index.html": `<a href="Img">a directory</a> <a href="go.html">moved</a> <a href="b/">b</a>\n`,
  "Img/index.html": `<a href="../a.html">up</a> <img src="p.png">\n`,
  "Img/p.png": "png\n",
  "a.html": `<a href="go.html">moved again</a>\n`,
  "b/index.html": `<a href="c/target.html">the target</a>\n`,
  "b/c/target.html": `<a href="../../Img/">back</a> <a href="x.txt">x</a>\n`,
  "b/c/x.txt": "x\n",
  "d/e/file.html": "a file the server names\n",
};

const CASES = [
  ["-r", "--trust-server-names"],
  ["-r", "--trust-server-names", "-E", "-k"],
  ["-r", "--trust-server-names", "-nd"],
  ["-r", "--trust-server-names", "-nH", "--cut-dirs=1"],
  ["-p", "-k", "--trust-server-names"],
];

peerTest(
  "wget -r --trust-server-names: a redirected link's file named after the URL that answered, as GNU wget",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    const log = `${dir.path}/access.log`;
    await using nginx = await startNginx(dir.path, {
      serverConfig: `location = /go.html { return 302 /b/c/target.html; }
        location = /cd.html { return 302 /d/e/file.html; }
        location /d/ { add_header Content-Disposition 'attachment; filename="named.txt"'; }
        access_log ${log} combined;`,
    });
    for (const [path, content] of Object.entries(SITE)) {
      const full = `${nginx.root}/${path}`;
      await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(full, content);
    }
    await Deno.writeTextFile(log, "");
    const url = `http://127.0.0.1:${nginx.port}/`;
    for (const args of CASES) {
      await t.step(args.join(" "), async () => {
        const [gnu, netkit] = await bothWgetsOnNginx(dir.path, log, nginx.port, [...args, url]);
        assert.deepEqual(netkit, gnu);
        if (!args.includes("-nd") && !args.includes("-nH")) {
          const names = gnu.files.map(([path]) => path.replace(/^[^/]*\//, ""));
          assert.ok(names.includes("Img/index.html") || args.includes("-p"), names.join("\n"));
        }
      });
    }
    // Without -r, -x puts the file in the directories of the URL that names it (GNU's
    // url_file_name of the redirect's target): `Img/index.html`, `b/c/target.html`, `d/e/named.txt`,
    // where netkit used the directories of the URL given (`index.html`, `target.html`, `cd/...`).
    const PLAIN = [
      ["-x", "--trust-server-names", `${url}Img`, `${url}go.html`],
      ["-x", "-nH", "--cut-dirs=1", "--trust-server-names", `${url}go.html`],
      ["-x", "--content-disposition", `${url}cd.html`],
      ["-x", "--content-disposition", "--trust-server-names", `${url}cd.html`, `${url}Img`],
    ];
    for (const args of PLAIN) {
      await t.step(args.join(" ").replaceAll(url, "/"), async () => {
        const [gnu, netkit] = await bothWgetsOnNginx(dir.path, log, nginx.port, args);
        assert.deepEqual(netkit, gnu);
        const names = gnu.files.map(([path]) => path);
        assert.ok(
          names.some((name) => /(Img\/index|c\/target|d\/e\/named)/.test(name)),
          names.join("\n"),
        );
      });
    }
    // (--no-if-modified-since: the target's copy compared by a HEAD first, as GNU's http_loop
    // for the target, where netkit asked with GET alone: server random seed 1600294.)
    for (const byHead of [[], ["--no-if-modified-since"]]) {
      await t.step(
        `${["-r", "-N", ...byHead].join(" ")} --trust-server-names twice: the target compared`,
        async () => {
          const runs = [];
          for (const tool of ["gnu", "netkit"]) {
            const out = `${dir.path}/${tool}-again${byHead.length}`;
            const args = ["-r", "-N", ...byHead, "--trust-server-names", url];
            await runWgetQuiet(tool, args, out);
            // A newer start page, read again (after a 304 neither wget reads a page for links).
            // (Later than the step before made it too.)
            const newer = Date.now() / 1000 + 100 * runs.length + 100 + 1000 * byHead.length;
            await Deno.utime(`${nginx.root}/index.html`, newer, newer);
            const from = await nginxLogEnd(log, nginx.port);
            const code = await runWgetQuiet(tool, args, out);
            const files = [...await snapshotTree(out)].sort();
            runs.push({
              code,
              requests: (await requestsSince(log, from, nginx.port)).sort(),
              files,
            });
          }
          const compared = byHead.length ? "HEAD /b/c/target.html 200" : "GET /b/c/target.html 304";
          assert.ok(runs[0]!.requests.includes(compared), runs[0]!.requests.join("\n"));
          assert.deepEqual(runs[1], runs[0]);
        },
      );
    }
    // A second run under -c or -nc: GNU's http_loop names each URL of the redirects afresh, so
    // -c continues the target's file (a Range after the redirect: 206), and -nc finds it here
    // (not asked for; a page read from it for links), where netkit used the link's own name
    // (`go.html`: the target fetched whole again).
    for (const again of [["-c"], ["-nc"], ["-c", "-nd"], ["-nc", "-nd"]]) {
      await t.step(`-r --trust-server-names, again with ${again.join(" ")}`, async () => {
        const runs = [];
        for (const tool of ["gnu", "netkit"]) {
          const out = `${dir.path}/${tool}-${again.join("")}`;
          await Deno.remove(out, { recursive: true }).catch(() => {});
          const first = ["-r", "--trust-server-names", ...again.slice(1), url];
          await runWgetQuiet(tool, first, out);
          const host = again.includes("-nd") ? out : `${out}/127.0.0.1:${nginx.port}`;
          const target = again.includes("-nd") ? `${host}/target.html` : `${host}/b/c/target.html`;
          if (again[0] === "-c") await Deno.truncate(target, 12);
          await Deno.remove(again.includes("-nd") ? `${host}/x.txt` : `${host}/b/c/x.txt`);
          const from = await nginxLogEnd(log, nginx.port);
          const code = await runWgetQuiet(tool, [...again.slice(0, 1), ...first], out);
          const requests = await requestsSince(log, from, nginx.port);
          const files = [...await snapshotTree(out)].sort();
          runs.push({ code, requests: requests.sort(), files });
        }
        const asked = runs[0]!.requests.filter((line) => line.includes("/b/c/target.html"));
        assert.deepEqual(asked, again[0] === "-c" ? ["GET /b/c/target.html 206"] : []);
        assert.ok(runs[0]!.requests.includes("GET /b/c/x.txt 200"), runs[0]!.requests.join("\n"));
        assert.deepEqual(runs[1], runs[0]);
      });
    }
    // Past --max-redirect GNU's retrieve_url says "0 redirections exceeded." before its
    // http_loop names the target: so too where -nc finds the target's file here, where netkit
    // said nothing (random seed 1911948, `-nc --trust-server-names --max-redirect=0`).
    await t.step("-r -nc --trust-server-names --max-redirect=0 again: the -nv log", async () => {
      const logs = [];
      for (const tool of ["gnu", "netkit"]) {
        const cwd = `${dir.path}/${tool}-exceeded`;
        await Deno.remove(cwd, { recursive: true }).catch(() => {});
        await Deno.mkdir(cwd, { recursive: true });
        await runWgetQuiet(tool, ["-r", "--trust-server-names", url], cwd);
        const again = ["-nv", "-r", "-nc", "--trust-server-names", "--max-redirect=0", url];
        const run = await runWgetLogged(tool, [...again, "-P", cwd], cwd);
        logs.push({ code: run.code, lines: stableLines(run.stderr) });
      }
      const exceeded = logs[0]!.lines.filter((line) => line === "0 redirections exceeded.");
      assert.equal(exceeded.length, 2, logs[0]!.lines.join("\n"));
      assert.deepEqual(logs[1], logs[0]);
    });
    const LOGGED = [
      ["--spider"],
      ["--spider", "-nd"],
      ["--spider", "--max-threads", "3"],
      ["-R", "target.html"],
      ["-R", "go.html"],
    ];
    for (const args of LOGGED) {
      await t.step(`-r --trust-server-names ${args.join(" ")}: the -nv log`, async () => {
        const logs = [];
        for (const tool of ["gnu", "netkit"]) {
          const cwd = `${dir.path}/${tool}-logged`;
          await Deno.remove(cwd, { recursive: true }).catch(() => {});
          await Deno.mkdir(cwd, { recursive: true });
          // (GNU wget has no --max-threads: it runs one URL at a time.)
          const all = ["-nv", "-r", "--trust-server-names", ...args, url].filter((arg, i, list) =>
            tool === "netkit" || (arg !== "--max-threads" && list[i - 1] !== "--max-threads")
          );
          const run = await runWgetLogged(tool, all, cwd);
          // (Nor GNU's `unlink: No such file or directory` after a HEAD, cmd/README.md.)
          const lines = stableLines(run.stderr).map((line) => line.replace(".tmp.tmp", ".tmp"))
            .filter((line) => line !== "unlink: No such file or directory");
          logs.push({
            code: run.code,
            lines: args.includes("--max-threads") ? lines.sort() : lines,
          });
        }
        const name = args[0] === "--spider"
          ? "index.html.tmp"
          : args[1] === "target.html"
          ? "target.html.tmp"
          : 'target.html"';
        assert.ok(logs[0]!.lines.some((line) => line.includes(name)), logs[0]!.lines.join("\n"));
        assert.deepEqual(logs[1], logs[0]);
      });
    }
    // A page -R rejects (`/r.html`, read as NAME.tmp) redirected to a name it accepts
    // (`/UP/index.html`'s `index.html`, which `/`'s file holds under -nH --cut-dirs=1): written
    // over, as any file of the run under -x (GNU's ALLOW_CLOBBER), where netkit kept the link's
    // no-clobber and made `index.html.1` (threads random seed 2100046).
    await t.step("-r --trust-server-names -R r.html -nH --cut-dirs=1: written over", async () => {
      await using over = await startNginx(`${dir.path}/over`, {
        serverConfig: "location = /r.html { return 302 /UP/index.html; }",
      });
      await Deno.writeTextFile(`${over.root}/index.html`, `<a href="r.html">r</a>\n`);
      await Deno.mkdir(`${over.root}/UP`);
      await Deno.writeTextFile(`${over.root}/UP/index.html`, "up\n");
      const runs = [];
      for (const tool of ["gnu", "netkit"]) {
        const cwd = `${dir.path}/${tool}-over`;
        await Deno.mkdir(cwd, { recursive: true });
        const args = ["-nv", "-r", "--trust-server-names", "-R", "r.html", "-nH", "--cut-dirs=1"];
        const run = await runWgetLogged(tool, [...args, `http://127.0.0.1:${over.port}/`], cwd);
        const files = [...await snapshotTree(cwd)].filter(([path]) => path !== "stderr.txt")
          .sort();
        runs.push({ code: run.code, lines: stableLines(run.stderr), files });
      }
      const lines = runs[0]!.lines;
      assert.ok(
        lines.some((line) => /UP\/index\.html .*-> "index\.html"/.test(line)),
        lines.join("\n"),
      );
      assert.deepEqual(runs[1], runs[0]);
    });
  },
);
