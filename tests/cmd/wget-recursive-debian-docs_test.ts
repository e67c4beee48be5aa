/**
 * `wget -m`, `-r`, `-p`, `-k` over real documentation trees Debian installs (GNU diffutils'
 * texinfo manual, aptitude's DocBook manual: `PEER_DOCUMENTS`, installed by `install_peers.ts`),
 * served by nginx as they lie on disk (with nginx's directory listings), beside GNU wget with the
 * same options: the same exit code, the same files with the same bytes (converted pages after
 * `-k` on both sides) and the same requests, each as often, as nginx logged them. Markup no site
 * generator made: texinfo's meta-refresh stubs and `href='...'`, DocBook's navigation tables,
 * `<link rel="home">`, images beside the pages and up a directory, a stylesheet.
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { missingDocument, PEER_DOCUMENTS, peerTest, tempDir } from "../harness/peers.ts";
import { bothWgetsOnNginx } from "../harness/wget_recursive_compare.ts";

/** The trees, by the path each is served under. */
const TREES: Record<string, string> = {
  diffutils: "/usr/share/doc/diffutils",
  aptitude: "/usr/share/doc/aptitude/html/en",
};

const CASES: { args: string[]; path: string }[] = [
  { args: ["-m", "-np"], path: "/diffutils/" },
  { args: ["-r", "-np", "-E", "-k", "-K"], path: "/diffutils/" },
  { args: ["-r", "-np", "-nd", "-k"], path: "/diffutils/" },
  { args: ["-r", "-l", "1", "-p", "-k"], path: "/diffutils/Invoking-diff.html" },
  { args: ["-r", "-np", "-A", "html"], path: "/diffutils/" },
  { args: ["-r", "-l", "2", "--restrict-file-names=windows", "-k"], path: "/diffutils/index.html" },
  { args: ["-m", "-np", "-k"], path: "/aptitude/" },
  { args: ["-r", "-np", "-R", "png,svg,woff2"], path: "/aptitude/" },
  { args: ["-r", "-np", "-nH", "--cut-dirs=1", "-k"], path: "/aptitude/" },
  { args: ["-p", "-k"], path: "/aptitude/ch01s01s04.html" },
  { args: ["-r", "-np", "-nd", "-E", "-k"], path: "/aptitude/" },
  { args: ["-r", "-l", "2", "-k"], path: "/" },
];

const directories = Object.values(TREES);
const missing = missingDocument(directories);
const name =
  "wget -m, -r, -p, -k over Debian's diffutils and aptitude manuals: GNU wget's files, bytes, exit codes and requests";
if (missing !== undefined) {
  Deno.test({
    name: `${name} (ignored: ${missing} is not installed, package ${PEER_DOCUMENTS[missing]})`,
    ignore: true,
    fn() {},
  });
} else {
  peerTest(name, ["nginx", "wget"], async (t) => {
    await using dir = await tempDir();
    const log = `${dir.path}/access.log`;
    await using nginx = await startNginx(dir.path, {
      serverConfig: `include /etc/nginx/mime.types; autoindex on; access_log ${log} combined;`,
    });
    for (const [path, tree] of Object.entries(TREES)) {
      await Deno.symlink(tree, `${nginx.root}/${path}`);
    }
    await Deno.writeTextFile(log, "");
    const origin = `http://127.0.0.1:${nginx.port}`;
    for (const { args, path } of CASES) {
      await t.step(`${args.join(" ")} ${path}`, async () => {
        // Requests in any order (netkit's is GNU's in every case here, but the order is not the
        // point).
        const outcomes = await bothWgetsOnNginx(dir.path, log, nginx.port, [
          ...args,
          origin + path,
        ]);
        assert.ok(outcomes[0]!.files.length >= 10, JSON.stringify(outcomes[0]!.files));
        assert.deepEqual(outcomes[1], outcomes[0]);
      });
    }
  });
}
