/**
 * `wget -r`, `-p` and `-k` on markup beyond the main test site's, beside GNU wget on the same
 * nginx: every tag and attribute GNU wget reads links from, unquoted and upper-case markup,
 * entities, `<base href>`, `<meta name=robots content=nofollow>`, `<meta http-equiv=refresh>`
 * (followed, and rewritten by `-k` as GNU writes it), links in comments (never followed) and
 * in the text of raw-text elements — `<script>`, `<title>`, `<textarea>`, `<iframe>`,
 * `<noframes>`, … — which GNU wget's tag scanner reads like any other text, a page served as
 * text/plain, one without an extension, CSS in `<style>` and `style` attributes, a redirect to
 * another host, a file whose name is also a directory's, names from `Content-Disposition`, and a
 * byte order mark before a page and a stylesheet (kept by `-k`, as GNU keeps it).
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { mirrorBoth } from "../harness/test_site.ts";

/** nginx directives: content types, a page without a type by extension, and the redirects. */
const CONFIG = `
    types { text/html html; text/css css; image/png png; text/plain txt; }
    location = /plain.html { default_type text/plain; types {} }
    location = /noext { default_type text/html; types {} }
    location = /offsite-redirect.html { return 302 http://localhost:$server_port/elsewhere.html; }
    location = /collide { default_type text/plain; return 200 "a file named collide\\n"; }
    location = /cd/file.bin { add_header Content-Disposition 'attachment; filename="renamed.txt"'; }
    location = /cd/page.html { add_header Content-Disposition 'inline; filename="other.html"'; }
`;

function page(body: string): string {
  return `<!DOCTYPE html><html><head><title>t</title></head><body>\n${body}\n</body></html>\n`;
}

/** The site's files; `origin` is `http://127.0.0.1:PORT`. */
function siteFiles(origin: string): Record<string, string> {
  const files: Record<string, string> = {
    "robots.txt": "# comment\nUser-agent: wget\nDisallow: /wget-only/\n\n" +
      "User-agent: *\nDisallow: /all-blocked/\n",
    "index.html": page(`<a href="base/">base</a> <a href="meta/">meta</a>
<a href="tags.html">tags</a> <a href="comments.html">comments</a> <a href="refresh.html">refresh</a>
<a href="ents.html">entities</a> <a href="raw.html">raw text</a> <a href="style.html">style</a>
<a href="wget-only/a.html">robots</a> <a href="all-blocked/x.html">other agents' group</a>
<a href="plain.html">plain</a> <a href="noext">no extension</a> <a href="offsite-redirect.html">off</a>
<a href="collide">collide file</a> <a href="collide/inner.html">collide directory</a>
<a href="cd/file.bin">named by the server</a> <a href="cd/page.html">a page named by it</a>`),
    "cd/file.bin": "renamed by Content-Disposition\n",
    "cd/page.html": page(`<a href="../ents.html">up</a>`),
    "base/index.html": `<html><head><base href="${origin}/based/"></head>` +
      `<body><a href="rel.html">rel</a> <img src="pic.png"></body></html>\n`,
    "based/rel.html": page("based"),
    "based/pic.png": "based picture",
    "base/rel.html": page("never: the base points elsewhere"),
    "meta/index.html": `<html><head><meta name="robots" content="nofollow"></head>` +
      `<body><a href="child.html">child</a><img src="m.png"></body></html>\n`,
    "meta/child.html": page("child"),
    "meta/m.png": "picture",
    "tags.html": page(`<A HREF=upper.html>upper</A> <a href='single.html'>single</a>
<a href=" spaced.html ">spaced</a> <a href="//127.0.0.1:${new URL(origin).port}/protorel.html">x</a>
<script src="s.js"></script> <embed src="e.swf"> <object data="o.bin"></object>
<video poster="poster.png" src="v.mp4"><source src="src.webm"></video> <audio src="a.mp3"></audio>
<input type="image" src="input.png"> <table background="tbg.png"><tr><td background="td.png">x</td>
</tr></table> <map><area href="area.html"></map> <frameset><frame src="frame.html"></frameset>
<link rel="icon" href="favicon.ico"> <link rel="alternate" href="alt.html">
<link rel="stylesheet" href="css.css"> <img src="data:image/png;base64,AAAA">
<a href="tel:123">tel</a> <img srcset="ss1.png 1x, ss2.png 2x"> <img src="lazy.png" data-src="no.png">`),
    "css.css": "body { background: url(cssbg.png) }\n",
    "comments.html": page(`<!-- <a href="commented.html">c</a> -->
<script>var x = '<a href="inscript.html">';</script>
<textarea><a href="intextarea.html"></a></textarea> <noscript><a href="noscript.html">n</a></noscript>`),
    "raw.html": page(
      `<title><a href="intitle.html">t</a></title> <xmp><a href="inxmp.html">x</a></xmp>
<iframe src="ifr.html"><a href="iniframe.html">i</a></iframe>
<noframes><a href="innoframes.html">n</a></noframes> <noembed><a href="innoembed.html">e</a></noembed>
<style>/* <a href="instyle.html"> */ p { background: url(sbg.png) }</style>
<script type="text/template"><img src="intemplate.png"></script>
<plaintext><a href="inplaintext.html">p</a>`,
    ),
    "refresh.html": `<html><head><meta http-equiv="refresh" content="3; url=target.html#top">` +
      `<meta http-equiv="Refresh" content="0;URL=${origin}/absolute.html"></head><body></body></html>\n`,
    "ents.html": page(`<a href="e&#46;html">numeric</a> <a href="q.html?a=1&amp;b=2">amp</a>
<a href="q.html?a=1&b=2">raw</a> <a href="x&#x2e;html">hex</a>`),
    "style.html": `<html><head><style>body { background: url(block.png) } @import url("imp.css");` +
      `</style></head><body style="background: url(inline.png)">` +
      `<div style='background-image:url("div.png")'></div></body></html>\n`,
    "plain.html": `<a href="fromplain.html">never: served as text/plain</a>`,
    "noext": page(`<a href="fromnoext.html">x</a>`),
    "collide/inner.html": page("inner"),
    // A byte order mark (EF BB BF) before a page and a stylesheet: kept by -k, as GNU keeps it.
    "bom.html": `\uFEFF${
      page(`<a href="bom-leaf.html">leaf</a> <a href="${origin}/bom-abs.html">x</a>
<link rel="stylesheet" href="bom.css"> <a href="missing-bom.html">404</a>`)
    }`,
    "bom.css": "\uFEFF@import 'bom-imp.css'; body { background: url(bom.png) }\n",
    "bom-imp.css": "\uFEFFp { background: url(bom2.png) }\n",
  };
  const leaves = [
    "upper.html single.html spaced.html protorel.html area.html frame.html alt.html target.html",
    "absolute.html e.html x.html q.html wget-only/a.html all-blocked/x.html commented.html",
    "inscript.html intextarea.html noscript.html intitle.html inxmp.html ifr.html iniframe.html",
    "innoframes.html innoembed.html instyle.html incdata.html inplaintext.html fromplain.html",
    "fromnoext.html elsewhere.html bom-leaf.html bom-abs.html",
  ].join(" ").split(" ");
  for (const leaf of leaves) files[leaf] ??= page(leaf);
  const assets = "s.js e.swf o.bin poster.png v.mp4 src.webm a.mp3 input.png tbg.png td.png " +
    "favicon.ico cssbg.png ss1.png ss2.png lazy.png no.png sbg.png intemplate.png block.png " +
    "imp.css inline.png div.png bom.png bom2.png";
  for (const asset of assets.split(" ")) files[asset] = `the bytes of ${asset}\n`;
  // <meta name=robots> and <meta http-equiv=refresh> read by GNU's own rules (tag_handle_meta):
  // nofollow by a word at the start or after a comma that "nofollow" begins with (an empty
  // word, "no", "NOFOL"), not by one after a blank ("noindex nofollow"), "none" alone; a
  // refresh's seconds with a sign or none, and none below 0 (random seeds above 1,200,000).
  const robots = [
    "noindex nofollow",
    "index,,follow",
    "no",
    "NOFOL",
    "none, noindex",
    "NONE",
    " , ",
  ]
    .concat(["all,nofollow", "nofollowing", "", "index,\nnofollow", "x,nofol", "a nofollow, x"]);
  const refresh = ["+0; url=@", "-0;url=@", "; url=@", "3 ; url=@", "url=@", "-1; url=@"]
    .concat(["5;URL='@'", " 7; url=@", "+; url=@", "0x1; url=@", "08; url=@", "0;\n url=@"]);
  const index: string[] = [];
  for (const [i, content] of robots.entries()) {
    files[`meta-words/m${i}.html`] = `<html><head><meta name="robots" content="${content}">` +
      `</head><body><a href="t${i}.html">t</a></body></html>\n`;
    files[`meta-words/t${i}.html`] = page(`t${i}`);
    index.push(`<a href="m${i}.html">m${i}</a>`);
  }
  for (const [i, content] of refresh.entries()) {
    files[`meta-words/f${i}.html`] = `<html><head><meta http-equiv="refresh" content="${
      content.replace("@", `r${i}.html`)
    }"></head><body>f${i}</body></html>\n`;
    files[`meta-words/r${i}.html`] = page(`r${i}`);
    index.push(`<a href="f${i}.html">f${i}</a>`);
  }
  files["meta-words/index.html"] = page(index.join("\n"));
  // Control characters in links (by character references): asked for escaped (%01), and written
  // raw by -k into the link it makes absolute, as GNU's url_parse of a page's link keeps them.
  files["controls.html"] = page(
    `<a href="c&#1;x.html">1</a> <a href="d&#127;y.html">127</a>
<a href="e&#x1B;z.html?q=&#2;">27, 2</a> <a href="f&#11;g.html">11</a> <a href="a&#31;.html">31</a>`,
  );
  return files;
}

const CASES: { args: string[]; path: string }[] = [
  { args: ["-r"], path: "/" },
  { args: ["-r", "-k"], path: "/" },
  { args: ["-r", "-nd", "-k"], path: "/" },
  { args: ["-r", "-e", "robots=off"], path: "/" },
  { args: ["-r", "-l", "1", "-p"], path: "/" },
  { args: ["-p", "-k"], path: "/tags.html" },
  { args: ["-p", "-k", "-nd"], path: "/tags.html" },
  { args: ["-r", "-k"], path: "/raw.html" },
  { args: ["-p"], path: "/raw.html" },
  { args: ["-r", "-k"], path: "/refresh.html" },
  { args: ["-r", "-k"], path: "/comments.html" },
  { args: ["-p", "-k"], path: "/style.html" },
  { args: ["-r", "-k"], path: "/base/" },
  { args: ["-p", "-k"], path: "/base/" },
  { args: ["-r"], path: "/meta/" },
  { args: ["-p"], path: "/meta/" },
  { args: ["-r"], path: "/meta-words/" },
  { args: ["-r", "-k", "-nd"], path: "/meta-words/" },
  { args: ["-r", "-k", "-E"], path: "/noext" },
  { args: ["-r", "-k"], path: "/ents.html" },
  { args: ["-r", "-k"], path: "/controls.html" },
  { args: ["-r", "-H", "-D", "localhost,127.0.0.1"], path: "/" },
  { args: ["-r", "--content-disposition", "-k"], path: "/" },
  { args: ["-r", "-k"], path: "/bom.html" },
  { args: ["-p", "-k", "-nd"], path: "/bom.html" },
];

peerTest(
  "wget -r, -p, -k on every kind of markup: the same files with the same bytes as GNU wget",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path, { serverConfig: CONFIG });
    const origin = `http://127.0.0.1:${nginx.port}`;
    for (const [path, content] of Object.entries(siteFiles(origin))) {
      const full = `${nginx.root}/${path}`;
      await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(full, content);
    }
    for (const { args, path } of CASES) {
      await t.step(`${args.join(" ")} ${path}`, async () => {
        const { gnu, netkit, codes } = await mirrorBoth(dir.path, args, origin + path);
        assert.ok(gnu.size > 0);
        assert.deepEqual([...netkit.entries()].sort(), [...gnu.entries()].sort());
        assert.equal(codes[1], codes[0]);
      });
    }
  },
);
