/**
 * `wget -m`, `-r`, `-p`, `-k` over the Rust documentation rustup installs (the book, an mdBook:
 * scripts, stylesheets, fonts, a search index, `print.html`; the `test` crate's rustdoc pages:
 * `../static.files/`, `<link rel=preload>`, source viewer pages), copied from the toolchain and
 * served by nginx, beside GNU wget with the same options: the same exit code, the same files with
 * the same bytes (after `-k` on both sides) and the same requests, each as often. Ignored, with
 * the reason, where no toolchain has its documentation (a machine without rustup).
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { bothWgetsOnNginx } from "../harness/wget_recursive_compare.ts";

/** The parts of the documentation served, under the same paths as in the toolchain. */
const PARTS = ["book", "test", "static.files", "src/test"];

/** The html directory of the first rustup toolchain with the book, if any. */
function rustDocs(): string | undefined {
  const home = Deno.env.get("RUSTUP_HOME") ?? `${Deno.env.get("HOME") ?? "/root"}/.rustup`;
  try {
    for (const entry of Deno.readDirSync(`${home}/toolchains`)) {
      const html = `${home}/toolchains/${entry.name}/share/doc/rust/html`;
      if (PARTS.every((part) => exists(`${html}/${part}`))) return html;
    }
  } catch {
    // No rustup here.
  }
  return undefined;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

const CASES: { args: string[]; path: string }[] = [
  { args: ["-m", "-np"], path: "/book/" },
  { args: ["-p", "-k"], path: "/book/ch04-01-what-is-ownership.html" },
  { args: ["-r", "-np", "-E", "-k", "-K"], path: "/book/" },
  { args: ["-r", "-np", "-nd", "-k"], path: "/book/" },
  { args: ["-r", "-np", "-R", "png,svg,woff2"], path: "/book/" },
  { args: ["-m", "-np", "-k"], path: "/test/" },
  { args: ["-p", "-k"], path: "/test/struct.TestDesc.html" },
];

const docs = rustDocs();
const name =
  "wget -m, -r, -p, -k over the Rust book and a rustdoc crate: GNU wget's files, bytes, exit codes and requests";
if (docs === undefined) {
  Deno.test({
    name: `${name} (ignored: no rustup toolchain with its documentation)`,
    ignore: true,
    fn() {},
  });
} else {
  peerTest(name, ["nginx", "wget"], async (t) => {
    await using dir = await tempDir();
    const log = `${dir.path}/access.log`;
    await using nginx = await startNginx(dir.path, {
      serverConfig: `include /etc/nginx/mime.types; access_log ${log} combined;`,
    });
    // A copy: nginx's workers cannot read below root's home.
    for (const part of PARTS) {
      const target = `${nginx.root}/${part}`;
      await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
      const copy = await new Deno.Command("cp", { args: ["-R", `${docs}/${part}`, target] })
        .output();
      assert.ok(copy.success, new TextDecoder().decode(copy.stderr));
    }
    await new Deno.Command("chmod", { args: ["-R", "a+rX", nginx.root] }).output();
    await Deno.writeTextFile(log, "");
    const origin = `http://127.0.0.1:${nginx.port}`;
    for (const { args, path } of CASES) {
      await t.step(`${args.join(" ")} ${path}`, async () => {
        const outcomes = await bothWgetsOnNginx(dir.path, log, nginx.port, [
          ...args,
          origin + path,
        ]);
        assert.ok(outcomes[0]!.files.length >= 20, JSON.stringify(outcomes[0]!.files));
        assert.deepEqual(outcomes[1], outcomes[0]);
      });
    }
  });
}
