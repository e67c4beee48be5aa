import assert from "node:assert/strict";
import { main } from "../../cmd/wget.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { snapshotTree, startTestSite } from "../harness/test_site.ts";

/** Runs GNU wget and netkit's wget with the same options into two directories. */
async function mirrorBoth(
  dir: string,
  args: string[],
  url: string,
): Promise<{ gnu: Map<string, string>; netkit: Map<string, string>; codes: [number, number] }> {
  const gnuDir = `${dir}/gnu`;
  const netkitDir = `${dir}/netkit`;
  await Deno.remove(gnuDir, { recursive: true }).catch(() => {});
  await Deno.remove(netkitDir, { recursive: true }).catch(() => {});
  const gnu = await new Deno.Command("wget", {
    args: ["-q", ...args, "-P", gnuDir, url],
    stdout: "null",
    stderr: "null",
  }).output();
  const code = await main(["-q", ...args, "-P", netkitDir, url]);
  return {
    gnu: await snapshotTree(gnuDir).catch(() => new Map()),
    netkit: await snapshotTree(netkitDir).catch(() => new Map()),
    codes: [gnu.code, code],
  };
}

const CASES: { args: string[]; path: string }[] = [
  { args: ["-r"], path: "/" },
  { args: ["-r", "-np"], path: "/docs/" },
  { args: ["-r", "-np"], path: "/docs/a/one.html" },
  { args: ["-r", "-l", "1"], path: "/" },
  { args: ["-r", "-l", "2", "-p"], path: "/" },
  { args: ["-r", "-A", "png"], path: "/" },
  { args: ["-r", "-A", "txt,html"], path: "/" },
  { args: ["-r", "-A", "*.html*"], path: "/" },
  { args: ["-r", "-R", "*.png,txt"], path: "/" },
  { args: ["-r", "-nd"], path: "/" },
  { args: ["-r", "-nH", "--cut-dirs=1"], path: "/blog/" },
  { args: ["-r", "-x", "--protocol-directories"], path: "/docs/a/" },
  { args: ["-r", "-e", "robots=off"], path: "/" },
  { args: ["-m", "-np"], path: "/blog/" },
  { args: ["-m", "-nd"], path: "/" },
  { args: ["-p"], path: "/docs/" },
];

peerTest(
  "wget -r: the same files with the same bytes as GNU wget, option set by option set",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path);
    for (const { args, path } of CASES) {
      await t.step(`${args.join(" ")} ${path}`, async () => {
        const { gnu, netkit, codes } = await mirrorBoth(dir.path, args, site.origin + path);
        assert.ok(gnu.size > 0);
        assert.deepEqual(
          [...netkit.entries()].sort(),
          [...gnu.entries()].sort(),
        );
        assert.equal(codes[1], codes[0]);
      });
    }
  },
);

peerTest(
  "wget -m a second time fetches nothing new (If-Modified-Since) and keeps the same tree",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path, 4);
    const out = `${dir.path}/out`;
    assert.equal(await main(["-q", "-m", "-np", "-P", out, `${site.origin}/blog/`]), 0);
    const first = await snapshotTree(out);
    const stat = await Deno.stat(`${out}/127.0.0.1:${site.port}/blog/index.html`);
    const served = await Deno.stat(`${site.root}/blog/index.html`);
    assert.equal(stat.mtime?.getTime(), Math.floor(served.mtime!.getTime() / 1000) * 1000);
    assert.equal(await main(["-q", "-m", "-np", "-P", out, `${site.origin}/blog/`]), 0);
    assert.deepEqual(await snapshotTree(out), first);
  },
);
