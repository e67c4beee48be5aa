/**
 * `--unlink` beside GNU Wget 1.21.3: a file wget writes over (`-N`, `-O FILE`, `-x`, `-r`) is
 * removed first, so that a hard link to it keeps the old bytes; without `--unlink` both write into
 * the file itself (the link sees the new bytes), and a plain run, which never writes over a file,
 * takes `NAME.1` either way. `-x` without `-r` writes over a file of the name, as GNU's
 * ALLOW_CLOBBER (its dirstruct). A file that cannot be removed (a read-only mount) is GNU's
 * UNLINKERR: `NAME: REASON`, `Cannot unlink 'NAME' (REASON).`, exit 3, the file kept, and a
 * recursion goes on.
 */

import { deepEqual, equal } from "node:assert/strict";
import { missingPeer, peerTest, tempDir } from "../harness/peers.ts";
import { etcNamespaceUnavailable } from "../harness/etc_namespace.ts";
import { startRecordingServer } from "../harness/recording_http_server.ts";
import { runTool } from "../harness/wget_side_by_side.ts";

/** Reads every file below `dir`, by its path there. */
async function tree(dir: string, prefix = ""): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : 1)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) Object.assign(files, await tree(path, `${prefix}${entry.name}/`));
    else files[`${prefix}${entry.name}`] = await Deno.readTextFile(path);
  }
  return files;
}

peerTest(
  "wget --unlink removes a file before writing over it, as GNU wget: a hard link keeps the old bytes",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startRecordingServer({
      handle: () => ({
        headers: [["Last-Modified", new Date().toUTCString()]],
        body: "new content\n",
      }),
    });
    const host = `127.0.0.1:${server.port}`;
    const url = `${server.base}/srv/f.txt`;
    // f.txt and HOST/srv/f.txt, old, each with a hard link of its own (ln.txt, lnr.txt).
    const prepare = `printf 'old\\n' > f.txt && touch -d 2000-01-01 f.txt && ln f.txt ln.txt && ` +
      `mkdir -p '${host}/srv' && cp -p f.txt '${host}/srv/f.txt' && ` +
      `ln '${host}/srv/f.txt' lnr.txt && exec "$@"`;
    const cases = [
      ["-N"],
      ["--unlink", "-N"],
      ["-e", "unlink=on", "-N"],
      ["-O", "f.txt"],
      ["--unlink", "-O", "f.txt"],
      ["--unlink", "-c", "-O", "f.txt"],
      ["-x"],
      ["--unlink", "-x"],
      ["-r", "-l", "1"],
      ["--unlink", "-r", "-l", "1"],
      ["--unlink"],
    ];
    for (const args of cases) {
      const caseDir = await Deno.makeTempDir({ dir: dir.path });
      const job = { args: ["-q", ...args, url], wrapper: ["sh", "-c", prepare, "sh"] };
      const gnu = await runTool("gnu", caseDir, undefined, job);
      const netkit = await runTool("netkit", caseDir, undefined, job);
      const what = `${args.join(" ")}\nGNU: ${gnu.stderr}\nnetkit: ${netkit.stderr}`;
      equal(netkit.code, gnu.code, what);
      equal(gnu.code, 0, what);
      const gnuFiles = await tree(gnu.dir);
      deepEqual(await tree(netkit.dir), gnuFiles, what);
      // What the case is about: the link kept the old bytes only under --unlink.
      const linked = args.includes("-x") || args.includes("-r") ? "lnr.txt" : "ln.txt";
      const unlinked = args.includes("--unlink") || args.includes("unlink=on");
      const written = args.join(" ") !== "--unlink";
      equal(gnuFiles[linked], unlinked || !written ? "old\n" : "new content\n", what);
    }
  },
);

const READ_ONLY_NAMESPACE = etcNamespaceUnavailable() ?? missingPeer(["wget"]);

Deno.test({
  name:
    "wget --unlink where the file cannot be removed says GNU's `Cannot unlink` lines, keeps it, " +
    "and goes on with the recursion" +
    (READ_ONLY_NAMESPACE ? ` (ignored: ${READ_ONLY_NAMESPACE})` : ""),
  ignore: READ_ONLY_NAMESPACE !== undefined,
  async fn() {
    await using dir = await tempDir();
    const pages: Record<string, string> = {
      "/": '<a href="ro/b.txt">b</a> <a href="c.txt">c</a>\n',
      "/ro/b.txt": "new b\n",
      "/c.txt": "new c\n",
    };
    await using server = startRecordingServer({
      handle: (request) => ({
        headers: [["Last-Modified", new Date().toUTCString()], ["Content-Type", "text/html"]],
        body: pages[request.target] ?? "",
        ...(pages[request.target] === undefined ? { status: 404, reason: "Not Found" } : {}),
      }),
    });
    // ro/b.txt, old, under a read-only mount of ro/ (the file cannot be removed: EROFS), the run
    // in a mount namespace of its own.
    const prepare = `mkdir ro && printf 'old b\\n' > ro/b.txt && touch -d 2000-01-01 ro/b.txt && ` +
      `mount --bind -o ro ro ro && exec "$@"`;
    const wrapper = ["unshare", "-m", "sh", "-c", prepare, "sh"];
    const cases = [
      ["--unlink", "-N", "-P", "ro", `${server.base}/ro/b.txt`],
      ["--unlink", "-N", "-nv", "-P", "ro", `${server.base}/ro/b.txt`],
      ["--unlink", "-r", "-N", "-nH", "-nv", `${server.base}/`],
    ];
    for (const args of cases) {
      const caseDir = await Deno.makeTempDir({ dir: dir.path });
      const job = { args, wrapper };
      const gnu = await runTool("gnu", caseDir, undefined, job);
      const netkit = await runTool("netkit", caseDir, undefined, job);
      const lines = (stderr: string) =>
        stderr.split("\n").filter((line) =>
          !/^(FINISHED )?(--)?\d{4}-\d\d-\d\d|^Total wall|^Downloaded/.test(line)
        );
      const what = `${args.join(" ")}\nGNU: ${gnu.stderr}\nnetkit: ${netkit.stderr}`;
      equal(netkit.code, gnu.code, what);
      equal(gnu.code, 3, what);
      deepEqual(lines(netkit.stderr), lines(gnu.stderr), what);
      // The user's file kept; the recursion went on to c.txt.
      deepEqual(await tree(netkit.dir), await tree(gnu.dir), what);
      equal(await Deno.readTextFile(`${gnu.dir}/ro/b.txt`), "old b\n", what);
    }
  },
});
