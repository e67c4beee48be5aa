/**
 * `wget -r` under a robots.txt of 20,000 lines (sites list every old path, and such files are no
 * rarity), beside GNU wget on the same nginx: the same files, exit codes and requests. The rules
 * are plain path prefixes without `Allow` or a query, where GNU's first matching line and RFC
 * 9309's longest one (netkit's, cmd/README.md) agree. Each check once tried every line's pattern (about 0.5 s for
 * the few links here); how long it takes is for `bench/`, not asserted here.
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { bothWgetsOnNginx } from "../harness/wget_recursive_compare.ts";

/** 20,000 `Disallow` lines, a few of them covering the site's pages. */
function robotsTxt(): string {
  const lines = ["User-agent: *"];
  for (let i = 0; i < 20_000; i++) lines.push(`Disallow: /old${i}/`);
  lines.push("Disallow: /site/p1", "Disallow: /site/sub/");
  for (let i = 20_000; i < 20_010; i++) lines.push(`Disallow: /site/f${i}.txt`);
  return lines.join("\n") + "\n";
}

/** A page linking to 40 text files, some of them disallowed, to pages below and to pages above. */
function site(): Record<string, string> {
  const files: Record<string, string> = { "robots.txt": robotsTxt() };
  const links: string[] = [];
  for (let i = 19_990; i < 20_030; i++) {
    links.push(`<a href="f${i}.txt">${i}</a>`);
    files[`site/f${i}.txt`] = `${i}\n`;
  }
  links.push(
    '<a href="p1.html">p1</a> <a href="p2.html">p2</a> <a href="p10.html">p10</a>',
    '<a href="sub/a.html">sub</a> <a href="q.html?x=1">q1</a> <a href="q.html?x=2">q2</a>',
    '<a href="/old7/x.html">old</a> <a href="/old77">old77 (no slash: allowed)</a>',
  );
  files["site/index.html"] = `<html><body>\n${links.join("\n")}\n</body></html>\n`;
  for (const name of ["p1.html", "p2.html", "p10.html", "sub/a.html", "q.html"]) {
    files[`site/${name}`] = `<p>${name}</p>\n`;
  }
  files["old77"] = "old 77\n";
  files["old7/x.html"] = "old 7\n";
  return files;
}

peerTest(
  "wget -r under a robots.txt of 20,000 lines fetches what GNU wget fetches",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir("netkit_robots_scale_");
    const log = `${dir.path}/access.log`;
    await using nginx = await startNginx(dir.path, {
      serverConfig: `access_log ${log} combined; location = /status { stub_status; }`,
    });
    for (const [path, content] of Object.entries(site())) {
      const full = `${nginx.root}/${path}`;
      await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(full, content);
    }
    const url = `http://127.0.0.1:${nginx.port}/site/`;
    const outcomes = await bothWgetsOnNginx(dir.path, log, nginx.port, ["-r", "-l", "2", url]);
    const [gnu, netkit] = outcomes;
    assert.deepEqual(netkit, gnu);
    // What the rules kept out, so that the comparison above is not of two empty runs.
    const fetched = gnu!.requests.join("\n");
    assert.match(fetched, /GET \/site\/f20010\.txt 200/);
    assert.doesNotMatch(fetched, /f20000\.txt|f20009\.txt|\/site\/p1|\/site\/sub\/|\/old7\//);
    assert.match(fetched, /GET \/site\/p2\.html 200/);
  },
);
