/**
 * `wget -r`, `-m`, `-p`, `-k` on markup distilled from real-world pages (the Rust documentation
 * rustdoc and mdBook make: search scripts that build tags in template strings, links in JSON
 * inside `<script>`), beside GNU wget on the same nginx, comparing the files, their bytes after
 * `-k`, the exit codes and the requests nginx logged, in order. Each fixture is a few lines that
 * reproduce what a comparison over the real trees found.
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import {
  nginxLogEnd,
  requestsSince,
  runWgetLogged as wgetLogged,
  runWgetQuiet as wget,
} from "../harness/wget_recursive_compare.ts";
import { snapshotTree } from "../harness/test_site.ts";

/** nginx directives: content types and a request log. */
function config(log: string): string {
  return `
    types { text/html html; text/css css; image/png png; font/woff2 woff2; application/javascript js; }
    access_log ${log} combined;
`;
}

const SITE: Record<string, string> = {
  // rustdoc's pages build <link rel=preload> tags in a template string inside <script>; GNU wget
  // reads the tag and -k writes the link it did not download as an absolute URL with the
  // characters as written (`${f}`, not `$%7Bf%7D`).
  "doc/page.html": `<html><head><script>document.write(["a.woff2"].map(f=>` +
    '`<link rel="preload" as="font" type="font/woff2"href="../static/${f}">`' +
    `).join(""))</script></head><body>
<a href="a{b}.html">1</a> <a href="a b.html">2</a> <a href='x"y.html'>3</a>
<a href="a&lt;b&gt;.html">4</a> <a href="caf\u00e9.html">6</a>
<a href="t\`t.html">7</a> <a href="e%7Bf.html">8</a> <a href="m{%7B}.html">9</a>
<a href="/r{1}/s.html#f{2}">10</a> <img src="i{1}.png">
<div style="background: url('u{1}.png')"></div>
</body></html>
`,
  // Asked for as browsers ask (see the test of the differences on purpose), converted as GNU's.
  "doc/browser.html": `<html><body><a href="q.html?x'y">5</a> <a href="h^|.html">11</a>
<a href="q.html?o={{n}}">12</a>
</body></html>
`,
  // A Jinja template's link: a "%" without two hex digits after it is asked for as %25, as GNU
  // wget asks (nginx answers a bare "%" 400), and -k writes it as it is.
  "doc/pct.html": `<html><body><a href="50%.html">1</a> <a href="{% if x %}a{% endif %}">2</a>
<a href="p.html?d=5%&e=%41">3</a> <a href="50%25.html">4</a> <img src="i%1.png">
</body></html>
`,
  // asciidoc's footnote script (every page of git's manual): a script's "i<n" starts a tag for
  // GNU wget's scanner too, which gives it up at the first character no tag holds and reads the
  // <a href> in the string after it, where an HTML5 tokenizer reads on to the next ">" (and
  // took that <a> for more attributes); "<![CDATA[" before code is no declaration it can read
  // either: given up, and the tags after it read.
  "doc/script.html": `<html><head><script type="text/javascript">
// asciidoc's footnotes(): the "<spans.length" of the loop starts no tag for GNU wget
var asciidoc = { footnotes: function () {
  for (i=0; i<spans.length; i++) {
    if (spans[i].className == "footnote") {
      spans[i].innerHTML =
        "[<a id='_footnoteref_" + n + "' href='#_footnote_" + n +
        "' title='View footnote' class='footnote'>" + n + "</a>]";
      noteholder.innerHTML += "<a href='notes.html'>" + n + "</a>";
    }
  }
  if (a<b && c>d) { x = "<img src='s1.png'>"; }
  if (a <b) { y = '<img src="s2.png">'; }
  var f = (x) => x<y ? "<a href='s3.html'>" : 0;
}};
</script>
<script>//<![CDATA[
var z = "<a href='cdata.html'>"; if (p<q) { w = "<a href='after.html'>"; }
//]]></script>
</head><body><p>text<span class="footnote">[note]</span></p></body></html>
`,
  "doc/notes.html": "notes.html\n",
  "doc/s3.html": "s3.html\n",
  "doc/cdata.html": "cdata.html\n",
  "doc/after.html": "after.html\n",
  "doc/s1.png": "s1.png\n",
  "doc/s2.png": "s2.png\n",
  "doc/50%.html": "<html><body>fifty</body></html>\n",
  "doc/i%1.png": "i%1\n",
  "doc/i{1}.png": "i1\n",
  "doc/u{1}.png": "u1\n",
  "static/a.woff2": "font\n",
};

const CASES: { args: string[]; path: string }[] = [
  { args: ["-p", "-k"], path: "/doc/page.html" },
  { args: ["-p", "-k"], path: "/doc/browser.html" },
  { args: ["-r", "-np", "-k"], path: "/doc/page.html" },
  { args: ["-p", "-k"], path: "/doc/pct.html" },
  { args: ["-r", "-np", "-k"], path: "/doc/pct.html" },
  { args: ["-r", "-nd", "-E", "-k"], path: "/doc/pct.html" },
  { args: ["-r", "-nd", "-k", "-E"], path: "/doc/page.html" },
  { args: ["-r", "-k"], path: "/doc/script.html" },
  { args: ["-p", "-k"], path: "/doc/script.html" },
];

peerTest(
  "wget -r, -p, -k on markup distilled from real-world pages: the same files, bytes and requests as GNU wget",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    const log = `${dir.path}/access.log`;
    await using nginx = await startNginx(dir.path, { serverConfig: config(log) });
    const origin = `http://127.0.0.1:${nginx.port}`;
    for (const [path, content] of Object.entries(SITE)) {
      const full = `${nginx.root}/${path}`;
      await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(full, content);
    }
    for (const { args, path } of CASES) {
      await t.step(`${args.join(" ")} ${path}`, async () => {
        const outcomes = [];
        for (const tool of ["gnu", "netkit"]) {
          const out = `${dir.path}/${tool}`;
          await Deno.remove(out, { recursive: true }).catch(() => {});
          const from = await nginxLogEnd(log, nginx.port);
          const code = await wget(tool, [...args, origin + path], out);
          const requests = await requestsSince(log, from, nginx.port);
          const files = await snapshotTree(out).catch(() => new Map());
          const pages = [];
          for (const [name] of files) {
            if (name.endsWith(".html")) pages.push(await Deno.readTextFile(`${out}/${name}`));
          }
          outcomes.push({ code, requests, files: [...files.entries()].sort(), pages });
        }
        assert.ok(outcomes[0]!.files.length > 0);
        assert.deepEqual(outcomes[1], outcomes[0]);
      });
    }
  },
);

peerTest(
  "wget -r -k where it differs from GNU wget on purpose: ^, and { } ' in a query, go out as browsers send them; a host no URL can hold stays as written",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    const log = `${dir.path}/access.log`;
    await using nginx = await startNginx(dir.path, { serverConfig: config(log) });
    await Deno.writeTextFile(
      `${nginx.root}/index.html`,
      SITE["doc/browser.html"]!.replace("</body>", `<a href="//{{ h }}">13</a></body>`),
    );
    const requests: Record<string, string[]> = {};
    const pages: Record<string, string> = {};
    for (const tool of ["gnu", "netkit"]) {
      const from = await nginxLogEnd(log, nginx.port);
      const out = `${dir.path}/${tool}`;
      await wget(tool, ["-r", "-k", "-nH", `http://127.0.0.1:${nginx.port}/`], out);
      requests[tool] = await requestsSince(log, from, nginx.port);
      pages[tool] = await Deno.readTextFile(`${out}/index.html`);
    }
    assert.ok(requests.gnu!.includes("GET /q.html?x'y 404"), requests.gnu!.join());
    assert.ok(requests.gnu!.includes("GET /h%5E%7C.html 404"), requests.gnu!.join());
    assert.ok(requests.gnu!.includes("GET /q.html?o=%7B%7Bn%7D%7D 404"), requests.gnu!.join());
    assert.ok(requests.netkit!.includes("GET /q.html?x%27y 404"), requests.netkit!.join());
    assert.ok(requests.netkit!.includes("GET /h^|.html 404"), requests.netkit!.join());
    assert.ok(requests.netkit!.includes("GET /q.html?o={{n}} 404"), requests.netkit!.join());
    // Jinja's //{{ host }}: GNU takes "{{ h }}" for a host name; no URL parser does.
    assert.ok(pages.gnu!.includes(`<a href="http://%7B%7B%20h%20%7D%7D/">13</a>`), pages.gnu);
    assert.ok(pages.netkit!.includes(`<a href="//{{ h }}">13</a>`), pages.netkit);
  },
);

peerTest(
  "wget --spider -r where it differs from GNU wget on purpose: robots.txt is read as robots.txt.tmp, never over the user's",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path);
    await Deno.writeTextFile(`${nginx.root}/index.html`, `<a href="a.html">a</a>\n`);
    await Deno.writeTextFile(`${nginx.root}/a.html`, "a\n");
    // The Rust documentation's own robots.txt, in short.
    await Deno.writeTextFile(`${nginx.root}/robots.txt`, "User-agent: *\nDisallow: /1.\n");
    const host = `127.0.0.1:${nginx.port}`;
    const left: Record<string, string[]> = {};
    for (const tool of ["gnu", "netkit"]) {
      const out = `${dir.path}/${tool}`;
      await Deno.mkdir(`${out}/${host}`, { recursive: true });
      await Deno.writeTextFile(`${out}/${host}/robots.txt`, "the user's\n");
      assert.equal(await wget(tool, ["--spider", "-r", `http://${host}/`], out), 0);
      left[tool] = [...(await snapshotTree(out)).keys()];
    }
    // GNU wget 1.21 saves robots.txt over the user's file and then removes it ("Removing
    // HOST/robots.txt."); with --delete-after or -A it uses robots.txt.tmp, as netkit always does.
    assert.deepEqual(left.gnu, []);
    assert.deepEqual(left.netkit, [`${host}/robots.txt`]);
    const kept = await Deno.readTextFile(`${dir.path}/netkit/${host}/robots.txt`);
    assert.equal(kept, "the user's\n");
  },
);

peerTest(
  "wget -r -k converts every page, then every stylesheet, as GNU wget, each with GNU's counts",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path, { serverConfig: config(`${dir.path}/log`) });
    // An mdBook's shape: chapters, a print page, stylesheets with fonts. Within the pages and
    // within the stylesheets GNU's order is its hash table's, which netkit does not copy: the
    // lines are compared as sets, the pages first on both sides.
    const chapters = Array.from(
      { length: 17 },
      (_, i) => `ch${String(i + 1).padStart(2, "0")}.html`,
    );
    const sheets = ["css/variables.css", "css/general.css", "css/chrome.css", "fonts/fonts.css"];
    const head = sheets.map((s) => `<link rel="stylesheet" href="${s}">`).join("");
    const body = chapters.map((c) => `<a href="${c}">${c}</a>`).join("\n");
    await Deno.writeTextFile(`${nginx.root}/index.html`, `${head}\n${body}\n`);
    for (const chapter of chapters) {
      await Deno.writeTextFile(`${nginx.root}/${chapter}`, `${head}<a href="index.html">i</a>\n`);
    }
    for (const sheet of sheets) {
      await Deno.mkdir(`${nginx.root}/${sheet.split("/")[0]}`, { recursive: true });
      await Deno.writeTextFile(`${nginx.root}/${sheet}`, `a { background: url(../x.png) }\n`);
    }
    const origin = `http://127.0.0.1:${nginx.port}`;
    // Without -r too: each URL given, the stylesheets last.
    const given = [...sheets, ...chapters, ""].map((path) => `${origin}/${path}`);
    const cases = [["-r", "-k"], ["-r", "-k", "-nd", "-P", "out"], ["-m", "-k", "-E"], ["-k"]];
    for (const args of cases) {
      await t.step(args.join(" "), async () => {
        const orders = [];
        for (const tool of ["gnu", "netkit"]) {
          const cwd = `${dir.path}/${tool}${args.join("")}`;
          await Deno.mkdir(cwd);
          const urls = args.length === 1 ? given : [`${origin}/`];
          const run = await wgetLogged(tool, [...args, ...urls], cwd);
          const lines = run.stderr.split("\n").filter((line) => line.startsWith("Converting "));
          const firstSheet = lines.findIndex((line) => /\.css\.\.\./.test(line));
          const lastPage = lines.findLastIndex((line) => !/\.css\.\.\./.test(line));
          assert.ok(firstSheet > lastPage, `${tool}: pages first\n${lines.join("\n")}`);
          orders.push({ code: run.code, lines: lines.sort() });
        }
        assert.ok(orders[0]!.lines.length > 20, orders[0]!.lines.join("\n"));
        assert.deepEqual(orders[1], orders[0]);
      });
    }
  },
);

/** GNU wget's log without what differs from run to run: dates, progress, rates, times. */
function stableLines(stderr: string): string[] {
  return stderr.split("\n")
    .map((line) =>
      line.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE")
        .replace(/\([\d.]+ [KMG]?B\/s\)/, "(RATE)")
        .replace(/in [\d.]+ seconds/, "in T seconds")
    )
    .filter((line) => !/^\s+0K|^Total wall clock time:|^Downloaded:/.test(line));
}

peerTest(
  "wget -m over nginx's autoindex pages (no Last-Modified) logs what GNU wget logs, twice",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path, { serverConfig: "autoindex on;" });
    await Deno.mkdir(`${nginx.root}/docs/html`, { recursive: true });
    await Deno.writeTextFile(`${nginx.root}/docs/html/index.html`, `<a href="a.html">a</a>\n`);
    await Deno.writeTextFile(`${nginx.root}/docs/html/a.html`, "a\n");
    await Deno.writeTextFile(`${nginx.root}/docs/notes.txt`, "notes\n");
    // Dated well before the runs: a page -k converts is dated when converted (by both tools), and
    // nginx answers 304 only to its Last-Modified exactly, so a conversion in the second the site
    // was written would make the second run's answer depend on the clock.
    for (const path of ["docs/html/index.html", "docs/html/a.html", "docs/notes.txt"]) {
      await Deno.utime(`${nginx.root}/${path}`, 1_600_000_000, 1_600_000_000);
    }
    for (const args of [["-m", "-np"], ["-m", "-np", "-k", "-nd"], ["-r", "-N", "-np"]]) {
      await t.step(args.join(" "), async () => {
        const logs = [];
        for (const tool of ["gnu", "netkit"]) {
          const cwd = `${dir.path}/${tool}${args.join("")}`;
          await Deno.mkdir(cwd);
          const url = `http://127.0.0.1:${nginx.port}/docs/`;
          for (let run = 0; run < 2; run++) {
            const { code, stderr } = await wgetLogged(tool, [...args, url], cwd);
            logs.push({ tool, run, code, lines: stableLines(stderr) });
          }
        }
        assert.ok(
          logs[0]!.lines.includes("Last-modified header missing -- time-stamps turned off."),
          logs[0]!.lines.join("\n"),
        );
        assert.deepEqual(
          logs.slice(2).map((log) => ({ ...log, tool: "gnu" })),
          logs.slice(0, 2),
        );
      });
    }
  },
);

peerTest(
  "wget --spider -r logs what GNU wget logs, but for GNU's failed removal of files it never wrote",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path, { serverConfig: config(`${dir.path}/log`) });
    // An mdBook page's shape: an icon, a script, a stylesheet, a chapter, a text file.
    await Deno.writeTextFile(
      `${nginx.root}/index.html`,
      `<link rel="icon" href="favicon.png"><link rel="stylesheet" href="s.css">` +
        `<script src="book.js"></script><a href="ch01.html">1</a> <a href="notes.txt">n</a>\n`,
    );
    for (const name of ["favicon.png", "s.css", "book.js", "ch01.html", "notes.txt"]) {
      await Deno.writeTextFile(`${nginx.root}/${name}`, `${name}\n`);
    }
    const logs: Record<string, string[]> = {};
    for (const tool of ["gnu", "netkit"]) {
      const cwd = `${dir.path}/${tool}`;
      await Deno.mkdir(cwd);
      const args = ["--spider", "-r", `http://127.0.0.1:${nginx.port}/`];
      const run = await wgetLogged(tool, args, cwd);
      assert.equal(run.code, 0);
      // GNU wget 1.21 names a page it reads NAME.tmp.tmp; netkit NAME.tmp.
      logs[tool] = stableLines(run.stderr).map((line) => line.replace(".tmp.tmp", ".tmp"));
    }
    // GNU removes a NAME.tmp for every file it only asked HEAD for, and says it could not.
    const host = `127.0.0.1:${nginx.port}`;
    const failed = ["favicon.png", "book.js", "notes.txt"].map((name) =>
      `Removing ${host}/${name}.tmp.\nunlink: No such file or directory\n`
    );
    let gnu = logs.gnu!.join("\n");
    for (const lines of failed) {
      assert.ok(gnu.includes(lines), gnu);
      gnu = gnu.replace(`${lines}\n`, "");
    }
    assert.equal(logs.netkit!.join("\n"), gnu);
  },
);

peerTest(
  "wget -r -k from a directory's URL without its slash: GNU wget's files, exit code and -k lines (the first page's file became the directory)",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path, { serverConfig: config(`${dir.path}/log`) });
    // `wget -r http://host/book`: nginx answers 301 to /book/, whose page is saved as "book";
    // the files under book/ then need a directory there, and GNU wget removes the file.
    await Deno.mkdir(`${nginx.root}/book`);
    await Deno.writeTextFile(
      `${nginx.root}/book/index.html`,
      `<link rel="stylesheet" href="s.css"><a href="ch01.html">1</a>\n`,
    );
    await Deno.writeTextFile(`${nginx.root}/book/ch01.html`, `<a href="index.html">i</a>\n`);
    await Deno.writeTextFile(`${nginx.root}/book/s.css`, `a { background: url(p.png) }\n`);
    for (const args of [["-r", "-k"], ["-r", "-np", "-k", "-E"]]) {
      await t.step(args.join(" "), async () => {
        const outcomes = [];
        for (const tool of ["gnu", "netkit"]) {
          const cwd = `${dir.path}/${tool}${args.join("")}`;
          await Deno.mkdir(cwd);
          const run = await wgetLogged(tool, [...args, `http://127.0.0.1:${nginx.port}/book`], cwd);
          const files = [...(await snapshotTree(cwd)).entries()].sort();
          const lines = stableLines(run.stderr).filter((line) =>
            /^Convert|: Is a directory$/.test(line) || /^\d+-\d+$/.test(line)
          );
          // Each file's lines together; the files in any order (GNU's is its hash table's).
          const perFile = lines.join("\n").split(/\n(?=Convert|\S+: Is a directory$)/m).sort();
          outcomes.push({ code: run.code, files, lines: perFile });
        }
        // With -E the page is book.html, out of the way.
        const clash = !args.includes("-E");
        assert.equal(
          outcomes[0]!.lines.some((line) => line.endsWith("book: Is a directory")),
          clash,
        );
        assert.deepEqual(outcomes[1], outcomes[0]);
      });
    }
  },
);
