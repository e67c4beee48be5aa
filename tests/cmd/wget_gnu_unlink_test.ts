/**
 * `--unlink` beside GNU Wget 1.21.3: a file wget writes over (`-N`, `-O FILE`, `-x`, `-r`) is
 * removed first, so that a hard link to it keeps the old bytes; without `--unlink` both write into
 * the file itself (the link sees the new bytes), and a plain run, which never writes over a file,
 * takes `NAME.1` either way. `-x` without `-r` writes over a file of the name, as GNU's
 * ALLOW_CLOBBER (its dirstruct).
 */

import { deepEqual, equal } from "node:assert/strict";
import { peerTest, tempDir } from "../harness/peers.ts";
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
