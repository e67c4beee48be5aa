/**
 * `wget --spider -r` (a link checker) and the other runs that read pages only for their links
 * (`--delete-after`, `-R html`), beside GNU wget: the requests the server sees (HEAD for every
 * URL, a GET only for pages and stylesheets), the broken links, and the user's own files at the
 * same paths, which must come out untouched.
 */

import assert from "node:assert/strict";
import { peerTest, tempDir } from "../harness/peers.ts";
import { type Reply, startRecordingServer } from "../harness/recording_http_server.ts";
import { snapshotTree, startTestSite } from "../harness/test_site.ts";
import { commandArgs } from "../harness/run.ts";

/** A small site: a page linking a page, a stylesheet, a large file and a missing one. */
const SITE: Record<string, { type: string; body: string }> = {
  "/": {
    type: "text/html",
    body: `<link rel=stylesheet href=s.css><a href=a.html>a</a> <a href=big.bin>big</a>
<a href=gone.html>gone</a>`,
  },
  "/a.html": { type: "text/html; charset=utf-8", body: `<img src=pic.png> <a href=/>home</a>` },
  "/s.css": { type: "text/css", body: `body { background: url(bg.png) }` },
  "/pic.png": { type: "image/png", body: "p".repeat(100) },
  "/bg.png": { type: "image/png", body: "b".repeat(100) },
  "/big.bin": { type: "application/octet-stream", body: "x".repeat(1 << 20) },
};

function reply(method: string, target: string): Reply {
  const file = SITE[target];
  if (file === undefined) return { status: 404, reason: "Not Found", body: "" };
  const headers: [string, string][] = [["Content-Type", file.type]];
  // A HEAD answer has the length of the body it does not send.
  if (method === "HEAD") {
    return { headers: [...headers, ["Content-Length", `${file.body.length}`]], raw: "" };
  }
  return { headers, body: file.body };
}

/** Runs `wget ARGS` (GNU's or netkit's) in `cwd`. */
async function wget(tool: "gnu" | "netkit", args: string[], cwd: string): Promise<number> {
  const argv = tool === "gnu" ? ["wget"] : [Deno.execPath(), ...commandArgs("wget")];
  await Deno.mkdir(cwd, { recursive: true });
  const out = await new Deno.Command(argv[0]!, {
    args: [...argv.slice(1), ...args],
    cwd,
    stdout: "null",
    stderr: "null",
  }).output();
  return out.code;
}

peerTest(
  "wget --spider -r asks HEAD for every URL and GETs only pages and stylesheets, as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const seen: Record<string, string[]> = {};
    const codes: Record<string, number> = {};
    for (const tool of ["gnu", "netkit"] as const) {
      await using server = startRecordingServer({
        handle: (request) => reply(request.method, request.target),
      });
      codes[tool] = await wget(tool, ["--spider", "-r", `${server.base}/`], `${dir.path}/${tool}`);
      seen[tool] = server.requests.map((r) => `${r.method} ${r.target}`);
      // (Directories may stay, empty, as GNU wget leaves them.)
      const left = await snapshotTree(`${dir.path}/${tool}`);
      assert.deepEqual([...left.keys()], [], `${tool} left files behind`);
    }
    assert.deepEqual(seen.netkit, seen.gnu);
    assert.ok(seen.netkit!.includes("HEAD /big.bin"));
    assert.ok(!seen.netkit!.includes("GET /big.bin"), "the large file was downloaded");
    assert.equal(codes.netkit, codes.gnu);
    assert.equal(codes.netkit, 8); // gone.html
  },
);

peerTest(
  "wget --spider -r, --delete-after -r and -r -R html leave the user's files at the same paths",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path, 2);
    const host = `127.0.0.1:${site.port}`;
    for (const options of [["--spider"], ["--delete-after"], ["-R", "html"]]) {
      await t.step(options.join(" "), async () => {
        for (const tool of ["gnu", "netkit"] as const) {
          const cwd = `${dir.path}/${tool}${options.join("")}`;
          await Deno.mkdir(`${cwd}/${host}/docs/a`, { recursive: true });
          await Deno.writeTextFile(`${cwd}/${host}/docs/a/one.html`, "the user's page\n");
          await Deno.writeTextFile(`${cwd}/${host}/docs/a/one.html.tmp`, "the user's tmp\n");
          const args = ["-q", ...options, "-r", "-l", "1", `${site.origin}/docs/a/one.html`];
          await wget(tool, args, cwd);
          assert.equal(
            await Deno.readTextFile(`${cwd}/${host}/docs/a/one.html`),
            "the user's page\n",
            tool,
          );
          if (tool === "netkit") {
            // GNU wget truncates a NAME.tmp of the user's; netkit picks another name.
            assert.equal(
              await Deno.readTextFile(`${cwd}/${host}/docs/a/one.html.tmp`),
              "the user's tmp\n",
            );
          }
        }
      });
    }
  },
);

peerTest(
  "wget --spider -r --content-on-error keeps robots.txt's error page as robots.txt, as GNU wget",
  ["wget"],
  async (t) => {
    await using dir = await tempDir();
    // (GNU's res_retrieve_file turns --spider off for robots.txt: a download's name, kept as no
    // rules were read from it; server random seeds 1500299 and 1500393.)
    for (const options of [[], ["-E"]]) {
      await t.step(options.join(" ") || "no -E", async () => {
        const trees: Record<string, string[]> = {};
        for (const tool of ["gnu", "netkit"] as const) {
          await using server = startRecordingServer({
            handle: (request): Reply =>
              request.target === "/robots.txt"
                ? {
                  status: 404,
                  reason: "Not Found",
                  headers: [["Content-Type", "text/html"]],
                  body: "<p>no robots here</p>\n",
                }
                : reply(request.method, request.target),
          });
          const cwd = `${dir.path}/${tool}${options.join("")}`;
          const args = ["--spider", "-r", "-l", "1", "--content-on-error", ...options];
          await wget(tool, [...args, `${server.base}/`], cwd);
          const tree = await snapshotTree(cwd);
          trees[tool] = [...tree.keys()].map((path) => path.replace(/^[^/]+\//, "HOST/"));
        }
        const name = options.length > 0 ? "HOST/robots.txt.html" : "HOST/robots.txt";
        assert.deepEqual(trees.gnu, [name]);
        assert.deepEqual(trees.netkit, trees.gnu);
      });
    }
  },
);
