/**
 * `wget -r --trust-server-names` beside GNU wget 1.21 on the same nginx: a link redirected (a
 * directory without its slash, nginx's 301; a page moved to another directory, a 302) names its
 * file after the URL that answered, directories and all, as GNU's http_loop names it
 * (`url_file_name` of the redirect's target): `/Img` is `Img/index.html`, `/go.html` is
 * `b/c/target.html`. Found by `tests/cmd/wget-recursive-random_test.ts` (seed 910007); netkit
 * used to keep the link's own name (`Img`, `go.html`). Compared: the exit codes, the files and
 * their bytes (after `-k` on both sides) and the requests nginx logged, as multisets.
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { bothWgetsOnNginx } from "../harness/wget_recursive_compare.ts";

const SITE: Record<string, string> = {
  "index.html": `<a href="Img">a directory</a> <a href="go.html">moved</a> <a href="b/">b</a>\n`,
  "Img/index.html": `<a href="../a.html">up</a> <img src="p.png">\n`,
  "Img/p.png": "png\n",
  "a.html": `<a href="go.html">moved again</a>\n`,
  "b/index.html": `<a href="c/target.html">the target</a>\n`,
  "b/c/target.html": `<a href="../../Img/">back</a> <a href="x.txt">x</a>\n`,
  "b/c/x.txt": "x\n",
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
  },
);
