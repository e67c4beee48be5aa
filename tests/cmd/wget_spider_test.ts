/**
 * `wget --spider` and HTTP errors beside GNU wget on the same nginx: the lines people grep
 * ("Remote file exists.", "broken link!!!", "ERROR 404: Not Found.", `-nv`'s "URL: … 200 OK"),
 * in the verbose log, with `-nv` and with `-q`, and the exit codes.
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { commandArgs } from "../harness/run.ts";

/** The run's dates, durations and rates, which differ between any two runs. */
function shape(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE")
    .replace(/(wall clock time:) .*/, "$1 TIME")
    .replace(/ in [^ ]+ \([^)]*\)$/m, " in TIME (RATE)")
    .replace(/(Converted links in \d+ files in) [\d.]+ seconds/, "$1 S seconds");
}

/** Runs GNU wget and netkit's wget with `args` in two empty directories. */
async function both(
  dir: string,
  args: string[],
): Promise<{ gnu: { code: number; stderr: string }; netkit: { code: number; stderr: string } }> {
  const run = async (argv: string[], cwd: string) => {
    await Deno.mkdir(cwd);
    const out = await new Deno.Command(argv[0]!, { args: argv.slice(1), cwd, stderr: "piped" })
      .output();
    return { code: out.code, stderr: shape(new TextDecoder().decode(out.stderr)) };
  };
  const tag = crypto.randomUUID();
  return {
    gnu: await run(["wget", ...args], `${dir}/gnu-${tag}`),
    netkit: await run([Deno.execPath(), ...commandArgs("wget"), ...args], `${dir}/netkit-${tag}`),
  };
}

peerTest(
  "wget --spider and HTTP errors print GNU wget's lines and exit with its codes",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path);
    await Deno.writeTextFile(`${nginx.root}/data.txt`, "plain text\n");
    await Deno.writeTextFile(`${nginx.root}/page.html`, "<a href=data.txt>data</a>\n");
    const origin = `http://127.0.0.1:${nginx.port}`;
    const cases = [
      [`${origin}/missing.html`],
      ["-nv", `${origin}/missing.html`],
      ["-q", `${origin}/missing.html`],
      ["--spider", `${origin}/data.txt`],
      ["--spider", `${origin}/page.html`],
      ["--spider", `${origin}/missing.html`],
      ["--spider", "-nv", `${origin}/data.txt`, `${origin}/missing.html`],
      ["--spider", "-q", `${origin}/missing.html`],
    ];
    for (const args of cases) {
      await t.step(args.join(" ").replaceAll(origin, ""), async () => {
        const { gnu, netkit } = await both(dir.path, args);
        assert.equal(netkit.stderr, gnu.stderr);
        assert.equal(netkit.code, gnu.code);
      });
    }
  },
);

peerTest(
  "wget -r -nv and -r -k -nv log what GNU wget logs, a missing robots.txt included",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path);
    // No robots.txt: GNU wget says so ("ERROR 404") and goes on, exit 0.
    await Deno.writeTextFile(`${nginx.root}/index.html`, `<a href="a.html">a</a>`);
    await Deno.writeTextFile(`${nginx.root}/a.html`, `<a href="/">home</a> <a href="b.txt">b</a>`);
    await Deno.writeTextFile(`${nginx.root}/b.txt`, "b\n");
    const origin = `http://127.0.0.1:${nginx.port}`;
    for (const args of [["-r", "-nv", `${origin}/`], ["-r", "-nv", "-k", `${origin}/a.html`]]) {
      const { gnu, netkit } = await both(dir.path, args);
      assert.equal(netkit.stderr, gnu.stderr);
      assert.equal(netkit.code, gnu.code);
      assert.equal(netkit.code, 0);
    }
  },
);
