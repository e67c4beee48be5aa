/**
 * `wget -r`/`-p` started from an `-i` list, beside GNU wget 1.21 on the same nginx (two hosts:
 * 127.0.0.1 and 127.0.0.2): several start URLs on both hosts with `-H`, `-D` and `-np`, an HTML
 * list (`-F`) with `--base` or without one (GNU's "Cannot resolve incomplete link" lines), a list
 * with no URL or none at all beside a URL given (GNU's "No URLs found in FILE." after the walk), a
 * list given as a URL (fetched, then read: as a page when it is one);
 * compared: the exit codes, the files with their bytes, the requests each host logged in order,
 * and the verbose log but for dates, rates, `-k`'s lines (in GNU's hash table's order) and
 * whether a connection was opened or reused (GNU keeps one, netkit one per host).
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { runWgetLogged, stableLines } from "../harness/wget_recursive_compare.ts";
import { nginxAccepts, snapshotTree } from "../harness/test_site.ts";

function page(body: string): string {
  return `<!DOCTYPE html><html><head><title>t</title></head><body>\n${body}\n</body></html>\n`;
}

/** Writes `files` under `root`. */
async function writeSite(root: string, files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    const full = `${root}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, content);
  }
}

peerTest(
  "wget -r -i LIST over two hosts, -F -i with and without --base: GNU wget's files, requests and log",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    const log = `${dir.path}/access.log`;
    const logFormat = `log_format hosts '$host:$server_port "$request" $status';`;
    const access = `access_log ${log} hosts; location = /status { stub_status; }`;
    await using nginx = await startNginx(dir.path, {
      httpConfig: logFormat,
      serverConfig: access,
      second: { address: "127.0.0.2", serverConfig: access },
    });
    const one = `http://127.0.0.1:${nginx.port}`;
    const two = `http://127.0.0.2:${nginx.secondPort}`;
    await writeSite(nginx.root, {
      "index.html": page(`<a href="dir/">d</a> <a href="${two}/b/">b</a> <img src="i.png">`),
      "dir/index.html": page(
        `<a href="sub/">s</a> <a href="../up.html">u</a> <a href="x.html">x</a>
<a href="${one}/dir/x.html">absolute</a>`,
      ),
      "dir/sub/index.html": page(`<a href="deep.html">deep</a>`),
      "dir/sub/deep.html": page("deep"),
      "dir/x.html": page(`<a href="${two}/b/c.html">c</a>`),
      "up.html": page("up"),
      "i.png": "png\n",
      // A list fetched by its URL (-i URL): lines relative to it, or a page's links.
      "list.txt": `${one}/up.html\ndir/x.html\n${two}/b/\n`,
    });
    await writeSite(`${dir.path}/second`, {
      "b/index.html": page(`<a href="c.html">c</a> <a href="${one}/up.html">up</a>`),
      "b/c.html": page(`<img src="../img/x.png">`),
      "img/x.png": "x\n",
    });
    const lists: Record<string, string> = {
      "urls.txt": `${one}/dir/\n${two}/b/\n`,
      "page.html": `<html><body><a href="dir/">d</a> <a href="/up.html">u</a>
<a href="${two}/b/c.html">c</a> <a href="//127.0.0.1:${nginx.port}/dir/x.html">x</a>
<img src="i.png"></body></html>\n`,
      "empty.txt": "",
    };
    const cases: string[][] = [
      ["-r", "-i", "urls.txt"],
      ["-r", "-np", "-i", "urls.txt"],
      ["-r", "-H", "-D", "127.0.0.2", "-i", "urls.txt"],
      ["-r", "-l", "1", "-H", "-i", "urls.txt"],
      ["-r", "-F", "-i", "page.html", `--base=${one}/`],
      ["-r", "-l", "1", "-F", "-i", "page.html", `--base=${one}/dir/`],
      ["-p", "-k", "-F", "-i", "page.html", `--base=${one}/`],
      // No base: the links without a scheme are said and left out.
      ["-r", "-F", "-i", "page.html"],
      ["-r", "-nv", "-F", "-i", "page.html"],
      // (Said when GNU reads the file: after the URLs given.)
      ["-nv", "-F", "-i", "page.html", `${one}/up.html`],
      // GNU's "No URLs found in FILE." after the walk of the URL given, before its closing lines.
      ["-r", "-l", "1", "-i", "empty.txt", `${one}/dir/x.html`],
      ["-r", "-l", "1", "-i", "missing.txt", `${one}/dir/x.html`],
      ["-r", "-nv", "-i", "missing.txt"],
      // -i URL: fetched (a file of the run's, no robots.txt), then read as a list or a page.
      ["-nv", "-i", `${one}/list.txt`],
      ["-i", `${one}/dir/`],
      ["-nv", "-B", `${one}/dir/`, "-i", `${one}/list.txt`],
      ["-r", "-i", `${one}/list.txt`],
      ["-r", "-l", "1", "-nv", "-i", `${one}/dir/`],
      ["-m", "-nd", "-nv", "-i", `${one}/list.txt`],
      ["-p", "-nH", "--cut-dirs=1", "-i", `${one}/dir/`],
      ["-r", "-nv", "-i", `${one}/nope.txt`],
      ["-Q", "1", "-nv", "-i", `${one}/list.txt`],
      // The list page is a file of the run's: -k converts it, -K keeps its original.
      ["-r", "-k", "-K", "-l", "1", "-i", `${one}/dir/`],
      ["-r", "-l", "3", "-k", "-i", `${one}/list.txt`],
      // The list stays (GNU's as list.txt.tmp, cmd/README.md), the files from it go.
      ["-r", "--delete-after", "-i", `${one}/list.txt`],
      ["-q", "--delete-after", "-i", `${one}/list.txt`],
    ];
    for (const args of cases) {
      await t.step(args.join(" "), async () => {
        const outcomes = [];
        for (const tool of ["gnu", "netkit"]) {
          const cwd = `${dir.path}/${tool}`;
          await Deno.remove(cwd, { recursive: true }).catch(() => {});
          await Deno.mkdir(cwd);
          for (const [name, text] of Object.entries(lists)) {
            await Deno.writeTextFile(`${cwd}/${name}`, text);
          }
          const from = (await Deno.readTextFile(log).catch(() => "")).length;
          const run = await runWgetLogged(tool, args, cwd);
          // A request of its own first: nginx (one worker) has logged every earlier one by then.
          await nginxAccepts(nginx.port);
          const requests = (await Deno.readTextFile(log)).slice(from).split("\n")
            .filter((line) => line !== "" && !line.includes("/status"));
          const files = [...(await snapshotTree(cwd)).entries()]
            .map(([path, digest]) => [path.replace(/^(.*list\.txt)\.tmp$/, "$1"), digest])
            .sort();
          // (GNU keeps one connection, netkit one per host: back on the first host GNU connects
          // again where netkit reuses its own, cmd/README.md.)
          const lines = stableLines(run.stderr)
            .filter((line) => !/^Convert|^\d+-\d+$/.test(line))
            .map((line) => line.replace(/(list\.txt)\.tmp’/, "$1’"))
            .map((line) =>
              line.replace(
                /^(?:Reusing existing connection to (\S+)\.|Connecting to (\S+)\.\.\. connected\.)$/,
                "CONNECT $1$2",
              )
            );
          outcomes.push({ code: run.code, requests, files, lines });
        }
        assert.deepEqual(outcomes[1], outcomes[0]);
      });
    }
  },
);
