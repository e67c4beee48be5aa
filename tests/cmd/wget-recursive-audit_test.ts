/**
 * `wget -r`, `-m`, `-p`, `-k`, `-c` on the edge cases an audit against GNU wget found, beside GNU
 * wget on the same nginx, comparing the files, their bytes (and times), the exit codes, and the
 * requests nginx logged (method, path and status, in order): a response without `Content-Type`
 * (a page to GNU wget), names GNU takes for pages by their suffix (`.xhtml`, `.shtml`), a tag's
 * links in the order of its attributes, a style attribute's entities, style attributes and
 * `<style>` read whatever `--follow-tags`/`--ignore-tags` say, empty links, one URL written with
 * different escapes, attribute values with blanks around them, an attribute written twice; a second and third
 * `-m`/`-N` run over a mirror whose site changed between runs (a newer page, a page the server
 * answers 200 although it is older, an image of the same size, a page gone, a page added), with
 * `-K`, `-nd` and `--no-if-modified-since` (HEAD first) too; `-r -c` over an interrupted mirror
 * (Range, 206, 416); `--spider -r`'s log; and where netkit differs on purpose.
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import {
  nginxLogEnd,
  requestsSince,
  runWgetLogged as wgetLogged,
  runWgetQuiet as wget,
  stableLines,
} from "../harness/wget_recursive_compare.ts";
import { snapshotTree, startTestSite } from "../harness/test_site.ts";

/** nginx directives: content types, a page served without any, and a request log. */
function config(log: string): string {
  return `
    types { text/html html; text/css css; image/png png; text/plain txt; }
    location = /cgi { types {} default_type ""; }
    location = /status { stub_status; }
    access_log ${log} combined;
`;
}

function page(body: string): string {
  return `<!DOCTYPE html><html><head><title>t</title></head><body>\n${body}\n</body></html>\n`;
}

/** Writes `files` under `root`, each with the time `seconds` when given. */
async function writeSite(root: string, files: Record<string, string>, seconds?: number) {
  for (const [path, content] of Object.entries(files)) {
    const full = `${root}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, content);
    if (seconds !== undefined) await Deno.utime(full, seconds, seconds);
  }
}

const SITE: Record<string, string> = {
  "index.html": page(`<a href="cgi">no Content-Type</a> <a href="x.xhtml">xhtml</a>
<a href="s.shtml">shtml</a> <a href="p.phtml">phtml</a> <a href="h.hhtmlx">not a page name</a>
<a href="data.txt">text</a> <a href="order.html">order</a> <a href="styled.html">styled</a>
<a href="empty.html">empty links</a> <a href="escapes.html">escapes</a>
<a href="blanks.html">blanks</a> <a href="rooted.html">rooted</a>
<a href="twice.html">an attribute twice</a> <a href="latin1.html">a Latin-1 page</a>
<a href="eq.html?">an empty query</a> <a href="data.txt?">another</a>`),
  // An empty query is a URL of its own: asked for as /eq.html? and saved as eq.html?.
  "eq.html": page(`<a href="eq.html?#top">itself</a> <a href="from-eq.html">x</a>`),
  "from-eq.html": page("from eq"),
  // A URL attribute written twice: both links, as GNU wget reads every attribute.
  "twice.html": page(
    `<a href="t1.html" title="t" HREF="t2.html">x</a> <img src=t1.png src='t2.png'>`,
  ),
  "t1.html": page("t1"),
  "t2.html": page("t2"),
  "t1.png": "t1\n",
  "t2.png": "t2\n",
  // -L follows only the relative link here.
  "rooted.html": page(`<a href="/ab.html">from the root</a> <a href="data.txt">relative</a>
<a href="HTTP:ab.html">with a scheme</a>`),
  // Attribute values without the blanks around them, as GNU wget reads them.
  "blanks.html": `<html><head><meta http-equiv="refresh" content=" 1; url=refreshed.html">` +
    `<link rel=" stylesheet " href="bl.css"><link rel="style\nsheet" href="bl2.css">` +
    `<meta name=" robots " content=" nofollow "></head>` +
    `<body><a href="unfollowed.html">x</a></body></html>\n`,
  "refreshed.html": page("refreshed"),
  "bl.css": "q { background: url(bl.png) }\n",
  "bl.png": "bl\n",
  "bl2.css": "q { background: url(bl2.png) }\n",
  "bl2.png": "bl2\n",
  "unfollowed.html": page("never: nofollow"),
  // One URL however its escapes are written: the first met is fetched, as GNU's black list
  // (keyed by the URL fully unescaped) has it; %2F and / too.
  "escapes.html": page(
    `<a href="t~x.html">1</a> <a href="t%7Ex.html">2</a> <a href="t%7ex.html">3</a>
<a href="%61b.html">4</a> <a href="ab.html">5</a> <a href="q.txt?a=%7e">6</a> <a href="q.txt?a=~">7</a>
<a href="a%2Fb.html">8</a> <a href="a/b.html">9</a>`,
  ),
  "t~x.html": page("t~x"),
  "ab.html": page("ab"),
  "q.txt": "q\n",
  "a%2Fb.html": page("a%2Fb"),
  "a/b.html": page("a/b"),
  // Empty links: the page itself, made its file's name by -k, as GNU wget does.
  "empty.html": page(`<a href="">self</a> <img src=''> <form action=></form> <a href="  ">s</a>
<a href="#">top</a>`),
  // --follow-tags and --ignore-tags leave style attributes and <style> read, as GNU reads them.
  "styled.html": `<html><head><style>@import "st.css";</style>` +
    `<link rel="stylesheet" href="ln.css"></head><body><p style="background: url(st1.png)">` +
    `<a href="st.html" style="background: url(st2.png)">a</a></p></body></html>\n`,
  // Links from the root, which -k rewrites: only those of the tags followed.
  "tags.html": page(`<link rel="stylesheet" href="/ln.css"><a href="/st.html">a</a>
<img src="/st1.png"> <p background="/o5.png">p</p>`),
  "st.css": "q { background: url(st3.png) }\n",
  "ln.css": "q { background: url(st4.png) }\n",
  "st.html": page("st"),
  "st1.png": "1\n",
  "st2.png": "2\n",
  "st3.png": "3\n",
  "st4.png": "4\n",
  // Links in the order of the page, as GNU wget keeps them (srcset before src here), and a
  // style attribute read as written (GNU asks for "&quot;ent.png&quot;").
  "order.html": page(`<img srcset="o1.png 1x, o2.png 2x" src="o3.png">
<table><tr><td style="background: url(o4.png)" background="o5.png">x</td></tr></table>
<p style="background: url(&quot;ent.png&quot;)">entity</p>`),
  "o1.png": "1\n",
  "o2.png": "2\n",
  "o3.png": "3\n",
  "o4.png": "4\n",
  "o5.png": "5\n",
  "ent.png": "entity\n",
  "cgi": page(`<a href="from-cgi.html">read for links</a> <img src="cgi.png">`),
  "x.xhtml": `<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>` +
    `<a href="from-xhtml.html">x</a></body></html>\n`,
  "s.shtml": page(`<a href="from-shtml.html">s</a>`),
  "p.phtml": page(`<a href="from-phtml.html">p</a>`),
  "h.hhtmlx": page(`<a href="from-hhtmlx.html">h</a>`),
  "data.txt": "text\n",
  "cgi.png": "a picture\n",
  "from-cgi.html": page("from cgi"),
  "from-xhtml.html": page("from xhtml"),
  "from-shtml.html": page("from shtml"),
  "from-phtml.html": page("from phtml"),
  "from-hhtmlx.html": page("from hhtmlx"),
};

/** `tmpLeft`: GNU wget leaves NAME.tmp behind (see below); the rest must be equal. */
const CASES: { args: string[]; path: string; tmpLeft?: boolean }[] = [
  { args: ["-r"], path: "/" },
  { args: ["-r", "-k"], path: "/" },
  { args: ["-r", "-E", "-k"], path: "/" },
  { args: ["-r", "-nd", "-E", "-k", "-K"], path: "/" },
  { args: ["-p", "-E"], path: "/cgi" },
  { args: ["-E"], path: "/cgi" },
  // -A: a page named .xhtml, .shtml or .phtml is still read for links (then deleted), as .html.
  { args: ["-r", "-A", "png,txt"], path: "/" },
  // A page -R rejects is read for its links as NAME.tmp, which GNU wget then tests against -R
  // by that name: "*html" no longer matches, and 1.21 (to 1.24.5) leaves every NAME.tmp behind.
  // netkit removes them (cmd/README.md).
  { args: ["-r", "-R", "*html"], path: "/", tmpLeft: true },
  { args: ["-r", "-l", "1", "-A", "txt"], path: "/" },
  // -c in a fresh run: a page saved already (/ and /index.html) is asked for its rest (416).
  { args: ["-r", "-c"], path: "/" },
  { args: ["-r", "--follow-tags=a"], path: "/styled.html" },
  { args: ["-r", "--ignore-tags=a,link,style,p"], path: "/styled.html" },
  { args: ["-p", "-k", "--follow-tags=img"], path: "/styled.html" },
  { args: ["-k", "--ignore-tags=a,link"], path: "/styled.html" },
  // An empty list clears the entries before it for -k's conversion too (GNU's cmd_vector), with
  // -r and without.
  { args: ["-k", "--follow-tags=a", "--follow-tags="], path: "/tags.html" },
  { args: ["-k", "--follow-tags=a", "-e", "follow_tags="], path: "/tags.html" },
  { args: ["-k", "--ignore-tags=a,link", "--ignore-tags="], path: "/tags.html" },
  { args: ["-k", "--follow-tags=p", "--follow-tags=", "--follow-tags=a,img"], path: "/tags.html" },
  { args: ["-r", "-k", "--follow-tags=a", "--follow-tags="], path: "/tags.html" },
  { args: ["-r", "-k", "-e", "follow_tags="], path: "/tags.html" },
  { args: ["-r", "-k", "--ignore-tags=a,link", "-e", "ignore_tags="], path: "/tags.html" },
  {
    args: ["-r", "-k", "--follow-tags=p", "--follow-tags=", "--follow-tags=a"],
    path: "/tags.html",
  },
  { args: ["-r", "-k", "--follow-tags=a,img"], path: "/tags.html" },
  { args: ["-p", "-k"], path: "/blanks.html" },
  { args: ["-r", "-L"], path: "/rooted.html" },
  { args: ["-r", "--relative", "-l", "2"], path: "/" },
  { args: ["-r", "--https-only"], path: "/" },
  // --convert-file-only: only the last part of each link to a saved file is rewritten.
  { args: ["-r", "--convert-file-only", "-E"], path: "/" },
  { args: ["-r", "-nd", "--convert-file-only"], path: "/" },
  { args: ["--convert-file-only"], path: "/" },
];

peerTest(
  "wget -r, -p, -k on the audit's edge cases: the same files, bytes and requests as GNU wget",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    const log = `${dir.path}/access.log`;
    await using nginx = await startNginx(dir.path, { serverConfig: config(log) });
    const origin = `http://127.0.0.1:${nginx.port}`;
    await writeSite(nginx.root, SITE);
    // A Latin-1 page: its links keep their bytes (caf%E9.html), as GNU wget keeps them.
    const latin1 = `<html><body><a href="caf\xe9.html">1</a> <a href="na\xefve/x.html">2</a>` +
      `<a href="caf%E9.html#\xe9t\xe9">3</a></body></html>\n`;
    await Deno.writeFile(
      `${nginx.root}/latin1.html`,
      Uint8Array.from(latin1, (c) => c.charCodeAt(0)),
    );
    for (const { args, path, tmpLeft } of CASES) {
      await t.step(`${args.join(" ")} ${path}`, async () => {
        const outcomes = [];
        for (const tool of ["gnu", "netkit"]) {
          const out = `${dir.path}/${tool}`;
          await Deno.remove(out, { recursive: true }).catch(() => {});
          const from = await nginxLogEnd(log, nginx.port);
          const code = await wget(tool, [...args, origin + path], out);
          const requests = await requestsSince(log, from, nginx.port);
          const files = await snapshotTree(out).catch(() => new Map());
          outcomes.push({ code, requests, files: [...files.entries()].sort() });
        }
        assert.ok(outcomes[0]!.files.length > 0);
        if (tmpLeft) {
          const gnu = outcomes[0]!;
          assert.ok(gnu.files.some(([name]) => name.endsWith("/index.html.tmp")));
          gnu.files = gnu.files.filter(([name]) => !name.endsWith(".tmp"));
        }
        assert.deepEqual(outcomes[1], outcomes[0]);
      });
    }
  },
);

/** Seconds since the epoch of the site's original files. */
const BEFORE = 1_700_000_000;

const MIRRORED: Record<string, string> = {
  "index.html": page(`<a href="a.html">a</a> <a href="b.html">b</a> <img src="p.png">
<a href="d/">d</a> <a href="cgi">cgi</a> <a href="gone.html">gone</a>`),
  "a.html": page(`<a href="c.html">c</a>`),
  "b.html": page("b"),
  "c.html": page("c"),
  "p.png": "png",
  "d/index.html": page(`<a href="e.html">e</a>`),
  "d/e.html": page("e"),
  "cgi": page("cgi"),
  "gone.html": page("gone"),
  "robots.txt": "User-agent: *\nDisallow: /private/\n",
};

/** The site between the first and the second run. */
async function changeSite(root: string): Promise<void> {
  const write = async (path: string, text: string, seconds: number) => {
    await Deno.writeTextFile(`${root}/${path}`, text);
    await Deno.utime(`${root}/${path}`, seconds, seconds);
  };
  // Newer: fetched again, and its new link followed.
  await write(
    "index.html",
    MIRRORED["index.html"]!.replace("</body>", `<a href="new.html">n</a>`),
    BEFORE + 9,
  );
  await write("a.html", page(`<a href="c.html">c</a> <a href="new.html">new</a>`), BEFORE + 9);
  await write("new.html", page("new"), BEFORE + 9);
  // Older and of the same size: nginx answers 200 (its If-Modified-Since is exact), and GNU wget
  // keeps its copy ("Server ignored If-Modified-Since").
  await write("b.html", page("B"), BEFORE - 9);
  // The same time but another size: 304, kept.
  await write("c.html", page("c, longer"), BEFORE);
  // Newer, the same size: fetched again.
  await write("p.png", "PNG", BEFORE + 5);
  await Deno.remove(`${root}/gone.html`);
}

peerTest(
  "wget -m run again over its mirror after the site changed: the same requests, files and times as GNU wget",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    const log = `${dir.path}/access.log`;
    await using nginx = await startNginx(dir.path, { serverConfig: config(log) });
    const origin = `http://127.0.0.1:${nginx.port}`;
    const options = [
      ["-m"],
      ["-m", "-k", "-K"],
      ["-m", "-E"],
      ["-r", "-N", "-nd"],
      // HEAD first, then GET what is newer or of another size; a page not newer is read here.
      ["-m", "--no-if-modified-since"],
      ["-r", "-N", "--no-if-modified-since", "-nd", "-k", "-K"],
      ["-N", "--no-if-modified-since"],
      ["-N"],
      // Each file written again keeps its copies as NAME.1, NAME.2, ... (-nd: the index pages too).
      ["-r", "-nd", "--backups=3"],
      ["-m", "--backups=2"],
    ];
    for (const args of options) {
      await t.step(args.join(" "), async () => {
        const outcomes = [];
        for (const tool of ["gnu", "netkit"]) {
          await Deno.remove(nginx.root, { recursive: true }).catch(() => {});
          await writeSite(nginx.root, MIRRORED, BEFORE);
          const out = `${dir.path}/${tool}`;
          await Deno.remove(out, { recursive: true }).catch(() => {});
          const runs = [];
          for (let run = 0; run < 3; run++) {
            if (run === 1) await changeSite(nginx.root);
            const from = await nginxLogEnd(log, nginx.port);
            const code = await wget(tool, [...args, `${origin}/`], out);
            const requests = await requestsSince(log, from, nginx.port);
            const files = [];
            for (const [path, digest] of [...(await snapshotTree(out)).entries()].sort()) {
              // The server's time, or none to compare (the time of the run, or of -k's rewrite).
              const seconds = (await Deno.stat(`${out}/${path}`)).mtime!.getTime() / 1000;
              files.push(`${path} ${digest} ${seconds < BEFORE + 60 ? seconds : "now"}`);
            }
            runs.push({ run, code, requests, files });
          }
          outcomes.push(runs);
        }
        assert.deepEqual(outcomes[1], outcomes[0]);
      });
    }
  },
);

peerTest(
  "wget -N --no-if-modified-since says what its HEAD found in GNU wget's words",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path);
    const url = `http://127.0.0.1:${nginx.port}/a.html`;
    await Deno.writeTextFile(`${nginx.root}/a.html`, page("a"));
    await Deno.utime(`${nginx.root}/a.html`, BEFORE, BEFORE);
    // The copy here: as the server's, older, and not older but of another size.
    const copies: [string, string, number][] = [
      ["not newer", page("a"), BEFORE],
      ["newer", page("a"), BEFORE - 9],
      ["another size", page("a, longer"), BEFORE + 9],
    ];
    for (const [name, text, seconds] of copies) {
      await t.step(name, async () => {
        const logs = [];
        for (const tool of ["gnu", "netkit"]) {
          const cwd = `${dir.path}/${tool}-${name.replaceAll(" ", "-")}`;
          await Deno.mkdir(cwd);
          await Deno.writeTextFile(`${cwd}/a.html`, text);
          await Deno.utime(`${cwd}/a.html`, seconds, seconds);
          const run = await wgetLogged(tool, ["-N", "--no-if-modified-since", url], cwd);
          const copy = await Deno.readTextFile(`${cwd}/a.html`);
          logs.push({ code: run.code, lines: stableLines(run.stderr), copy });
        }
        assert.deepEqual(logs[1], logs[0]);
      });
    }
  },
);

peerTest(
  "wget -r where it differs from GNU wget on purpose: CSS escapes, links as browsers read them, RFC 9309",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    const log = `${dir.path}/access.log`;
    await using nginx = await startNginx(dir.path, { serverConfig: config(log) });
    const origin = `http://127.0.0.1:${nginx.port}`;
    await Deno.writeTextFile(
      `${nginx.root}/index.html`,
      page(`<a href="a\\b.html">backslash</a> <link rel="stylesheet" href="s.css">
<a href="sub/%2e%2e/v.html">dots</a> <a href="http:y.html">scheme only</a>
<img src="p.gif"> <a href="r/x.html">disallowed</a> <a href="r/ok/y.html">allowed again</a>`),
    );
    await Deno.writeTextFile(`${nginx.root}/s.css`, `p { background: url("q\\".png") }\n`);
    // RFC 9309: the longest match wins, and * and $ are patterns; GNU 1.21 takes the first line
    // that matches and reads * and $ as they are.
    await Deno.writeTextFile(
      `${nginx.root}/robots.txt`,
      "User-agent: *\nDisallow: /r/\nAllow: /r/ok/\nDisallow: /*.gif$\n",
    );
    const requests: Record<string, string[]> = {};
    for (const tool of ["gnu", "netkit"]) {
      const from = await nginxLogEnd(log, nginx.port);
      await wget(tool, ["-r", `${origin}/`], `${dir.path}/${tool}`);
      requests[tool] = await requestsSince(log, from, nginx.port);
    }
    // GNU keeps the backslash, netkit reads the link as a browser does.
    assert.ok(requests.gnu!.includes("GET /a%5Cb.html 404"), requests.gnu!.join());
    assert.ok(requests.gnu!.includes("GET /q%5C%22.png 404"), requests.gnu!.join());
    assert.ok(requests.netkit!.includes("GET /a/b.html 404"), requests.netkit!.join());
    assert.ok(requests.netkit!.includes("GET /q%22.png 404"), requests.netkit!.join());
    // GNU asks for %2e%2e as written and drops http:y.html; netkit reads them as a browser.
    assert.ok(requests.gnu!.includes("GET /sub/%2e%2e/v.html 404"), requests.gnu!.join());
    assert.ok(!requests.gnu!.some((line) => line.includes("y.html")), requests.gnu!.join());
    assert.ok(requests.netkit!.includes("GET /v.html 404"), requests.netkit!.join());
    assert.ok(requests.netkit!.includes("GET /y.html 404"), requests.netkit!.join());
    assert.ok(requests.gnu!.includes("GET /p.gif 404"), requests.gnu!.join());
    assert.ok(!requests.gnu!.some((line) => line.includes("/r/")), requests.gnu!.join());
    assert.ok(!requests.netkit!.some((line) => line.includes("p.gif")), requests.netkit!.join());
    assert.ok(requests.netkit!.includes("GET /r/ok/y.html 404"), requests.netkit!.join());
  },
);

peerTest(
  "wget --spider -r -nv: GNU wget's lines, a missing robots.txt an error as for a file",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path);
    await Deno.writeTextFile(
      `${nginx.root}/index.html`,
      page(`<a href="x.html">x</a> <a href="y.html">y</a>`),
    );
    await Deno.writeTextFile(`${nginx.root}/y.html`, page("y"));
    const logs = [];
    for (const tool of ["gnu", "netkit"]) {
      const cwd = `${dir.path}/${tool}`;
      await Deno.mkdir(cwd);
      const url = `http://127.0.0.1:${nginx.port}/`;
      const run = await wgetLogged(tool, ["--spider", "-r", "-nv", url], cwd);
      const lines = run.stderr.split("\n")
        .map((line) =>
          line.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE")
            // GNU wget 1.21 names the page it reads NAME.tmp.tmp; netkit NAME.tmp.
            .replace(".tmp.tmp", ".tmp")
        )
        .filter((line) => !/^(Total wall clock time|Downloaded):/.test(line));
      logs.push({ code: run.code, lines });
    }
    assert.ok(logs[0]!.lines.includes("DATE ERROR 404: Not Found."), logs[0]!.lines.join("\n"));
    assert.deepEqual(logs[1], logs[0]);
  },
);

peerTest(
  "wget -r -c over an interrupted mirror: the same Range requests and files as GNU wget",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    const log = `${dir.path}/access.log`;
    await using nginx = await startNginx(dir.path, { serverConfig: config(log) });
    const origin = `http://127.0.0.1:${nginx.port}`;
    const site: Record<string, string> = {
      ...MIRRORED,
      "index.html": MIRRORED["index.html"]!.replace("</body>", `<img src="big.png"></body>`),
      "big.png": "B".repeat(5000),
    };
    await writeSite(nginx.root, site);
    for (const args of [["-r", "-c"], ["-r", "-c", "-nd", "-k"]]) {
      await t.step(args.join(" "), async () => {
        const outcomes = [];
        for (const tool of ["gnu", "netkit"]) {
          const out = `${dir.path}/${tool}`;
          await Deno.remove(out, { recursive: true }).catch(() => {});
          const layout = args.includes("-nd") ? ["-nd"] : [];
          await wget(tool, ["-r", ...layout, `${origin}/`], out);
          // Interrupted: an image and a page cut short, a page never fetched.
          const host = layout.length ? out : `${out}/127.0.0.1:${nginx.port}`;
          await Deno.truncate(`${host}/big.png`, 2000);
          await Deno.truncate(`${host}/a.html`, 40);
          await Deno.remove(`${host}/c.html`);
          const from = await nginxLogEnd(log, nginx.port);
          const code = await wget(tool, [...args, `${origin}/`], out);
          const requests = await requestsSince(log, from, nginx.port);
          const files = [...(await snapshotTree(out)).entries()].sort();
          outcomes.push({ code, requests, files });
        }
        assert.ok(outcomes[0]!.requests.includes("GET /big.png 206"));
        assert.deepEqual(outcomes[1], outcomes[0]);
      });
    }
  },
);

peerTest(
  "wget -m, -m --no-if-modified-since, -r -nc a second time: GNU wget's log, verbose and -nv",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path);
    const files = {
      "index.html": page(`<a href="a.html">a</a> <a href="b.html">b</a>`),
      "a.html": page("a"),
      "b.html": page("b"),
    };
    const url = `http://127.0.0.1:${nginx.port}/`;
    const second = [
      ["-m"],
      ["-m", "-nv"],
      ["-m", "--no-if-modified-since"],
      ["-m", "-nv", "--no-if-modified-since"],
      ["-r", "-nc"],
      ["-r", "-nc", "-nv"],
    ];
    for (const args of second) {
      await t.step(args.join(" "), async () => {
        const logs = [];
        for (const tool of ["gnu", "netkit"]) {
          await writeSite(nginx.root, files, BEFORE);
          const cwd = `${dir.path}/${tool}${args.join("")}`;
          await Deno.mkdir(cwd);
          await wgetLogged(tool, ["-q", "-m", url], cwd);
          // b.html is newer on the server now: fetched again.
          await writeSite(nginx.root, { "b.html": page("B") }, BEFORE + 9);
          const run = await wgetLogged(tool, [...args, url], cwd);
          logs.push({ code: run.code, lines: stableLines(run.stderr) });
        }
        assert.deepEqual(logs[1], logs[0]);
      });
    }
  },
);

peerTest(
  "wget -r -N -k run again (no -K): a 200 that finds a converted page current says only GNU wget's lines",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path);
    const files = {
      "index.html": page(`<a href="a.html">a</a> <a href="d/">d</a> <a href="t.txt">t</a>`),
      "a.html": page(`<a href="d/x.html">x</a>`),
      "d/index.html": page(`<a href="../a.html">a</a>`),
      "d/x.html": page("x"),
      "t.txt": "text\n",
    };
    const url = `http://127.0.0.1:${nginx.port}/`;
    // -k gave the pages the time of the conversion: nginx's exact If-Modified-Since answers them
    // 200, and both find them current by their Last-Modified and size ("Server ignored
    // If-Modified-Since"), keep them unread, and say no length, no dots (netkit said both where
    // -E or --limit-rate take download()'s general path).
    const again = [
      ["-r", "-N", "-k"],
      ["-r", "-N", "-E", "-k"],
      ["-r", "-N", "-k", "--limit-rate=10m"],
      ["-r", "-N", "-E", "-k", "-nv"],
    ];
    for (const args of again) {
      await t.step(args.join(" "), async () => {
        const logs = [];
        for (const tool of ["gnu", "netkit"]) {
          await writeSite(nginx.root, files, BEFORE);
          const cwd = `${dir.path}/${tool}${args.join("")}`;
          await Deno.mkdir(cwd);
          await wgetLogged(tool, ["-q", ...args, url], cwd);
          const run = await wgetLogged(tool, [...args, url], cwd);
          // (-k's lines come in GNU's hash table's order: cmd/README.md.)
          const lines = stableLines(run.stderr)
            .filter((line) => !/^Convert|^\d+-\d+$/.test(line));
          logs.push({ code: run.code, lines });
        }
        const said = logs[0]!.lines.some((line) => line.includes("Server ignored If-Modified"));
        assert.equal(said, !args.includes("-nv"));
        assert.deepEqual(logs[1], logs[0]);
      });
    }
  },
);

peerTest(
  "wget -r -k --delete-after converts nothing and says nothing of it, as GNU wget",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path);
    await writeSite(nginx.root, {
      "index.html": page(`<a href="a.html">a</a> <img src="p.png">`),
      "a.html": page(`<a href="/index.html">back</a>`),
      "p.png": "png",
    });
    const url = `http://127.0.0.1:${nginx.port}/`;
    for (const args of [["-r", "-k"], ["-p", "-k", "-K"], ["-r", "--convert-file-only"]]) {
      await t.step(args.join(" "), async () => {
        const logs = [];
        for (const tool of ["gnu", "netkit"]) {
          const cwd = `${dir.path}/${tool}${args.join("")}`;
          await Deno.mkdir(cwd);
          const run = await wgetLogged(tool, [...args, "--delete-after", url], cwd);
          logs.push({ code: run.code, lines: stableLines(run.stderr) });
        }
        assert.ok(!logs[0]!.lines.some((line) => line.startsWith("Convert")));
        assert.deepEqual(logs[1], logs[0]);
      });
    }
  },
);

peerTest(
  "wget -r's log quotes names as GNU wget does (escapes, octal outside UTF-8) and says robots.txt goes",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path);
    await writeSite(nginx.root, {
      "index.html": page(`<a href="back%5Cslash.txt">1</a> <a href="%C3%9Cn.txt">2</a>`),
      "back\\slash.txt": "backslash\n",
      "\u00dcn.txt": "unicode\n",
      "robots.txt": "User-agent: *\nDisallow: /private/\n",
    });
    for (const locale of ["C.UTF-8", "C"]) {
      await t.step(locale, async () => {
        const logs = [];
        for (const tool of ["gnu", "netkit"]) {
          const cwd = `${dir.path}/${tool}-${locale}`;
          await Deno.mkdir(cwd);
          // -A: robots.txt is read as robots.txt.tmp, then removed ("Removing ...").
          const args = ["-r", "-A", "txt,html", `http://127.0.0.1:${nginx.port}/`];
          const run = await wgetLogged(tool, args, cwd, { LC_ALL: locale });
          // GNU's IRI code cannot convert the name to the C locale's charset and says so.
          const lines = stableLines(run.stderr)
            .filter((line) => line !== "Incomplete or invalid multibyte sequence encountered");
          logs.push({ code: run.code, lines });
        }
        assert.ok(logs[0]!.lines.some((line) => line.includes("back\\\\slash.txt")));
        assert.deepEqual(logs[1], logs[0]);
      });
    }
  },
);

peerTest(
  "wget -r --rejected-log: the same log as GNU wget's, line for line; a redirect's target and -X",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path, 3);
    const cases: [string[], string][] = [
      [["-r", "-l", "2"], "/"],
      [["-r", "-np"], "/docs/a/"],
      [["-r", "-L"], "/docs/a/"],
      [["-r", "-A", "png,html", "-X", "/blog"], "/"],
      [["-m", "-np", "-k"], "/blog/"],
      [["-r", "-H", "-D", "localhost,127.0.0.1", "-l", "2"], "/"],
      [["-r", "-I", "/docs/a", "-l", "3"], "/docs/a/"],
      // A redirect's target is loaded whatever -X or a regex says, and is then seen already.
      [["-r", "-X", "/docs/a"], "/docs/moved/"],
      [["-r", "--reject-regex", "/docs/a/$"], "/docs/moved/"],
      [["-r", "-e", "robots=off"], "/docs/moved/"],
    ];
    for (const [args, path] of cases) {
      await t.step(`${args.join(" ")} ${path}`, async () => {
        const logs = [];
        const trees = [];
        for (const tool of ["gnu", "netkit"]) {
          const log = `${dir.path}/${tool}.log`;
          const out = `${dir.path}/${tool}`;
          await Deno.remove(out, { recursive: true }).catch(() => {});
          await wget(tool, [...args, "--rejected-log", log, site.origin + path], out);
          logs.push(await Deno.readTextFile(log));
          trees.push([...(await snapshotTree(out)).entries()].sort());
        }
        assert.ok(logs[0]!.split("\n").length > 1);
        assert.equal(logs[1], logs[0]);
        assert.deepEqual(trees[1], trees[0]);
      });
    }
  },
);
