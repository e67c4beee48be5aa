import assert from "node:assert/strict";
import {
  CssLinkReader,
  extractCssLinks,
  extractCssLinksFromChunks,
  extractHtmlLinks,
  extractHtmlLinksFromChunks,
  HtmlLinkReader,
  type PageLink,
} from "../../../lib/download/links.ts";

const PAGE = "http://h/dir/page.html";

function urls(html: string): string[] {
  return extractHtmlLinks(html, PAGE).links.filter((l) => !l.ignore).map((l) => l.url);
}

Deno.test("extractHtmlLinks() finds the tags and attributes GNU wget follows", () => {
  assert.deepEqual(
    urls(`<A HREF="a.html">x</A><area href="b.html"><img src="i.png" lowsrc="l.png">
      <script src="s.js"></script><iframe src="f.html"></iframe><frame src="fr.html">
      <embed src="e.swf"><video src="v.mp4" poster="p.jpg"><source src="s.webm"></video>
      <audio src="a.ogg"></audio><body background="bg.gif"><td background="td.gif">
      <object data="o.bin"></object><input type="image" src="in.png">`),
    [
      "a.html",
      "b.html",
      "i.png",
      "l.png",
      "s.js",
      "f.html",
      "fr.html",
      "e.swf",
      "v.mp4",
      "p.jpg",
      "s.webm",
      "a.ogg",
      "bg.gif",
      "td.gif",
      "o.bin",
      "in.png",
    ].map((name) => `http://h/dir/${name}`),
  );
});

Deno.test("extractHtmlLinks() marks inline links, stylesheets, and ignores forms and base", () => {
  const { links } = extractHtmlLinks(
    `<base href="http://h/other/"><link rel="stylesheet" href="s.css"><link rel="icon" href="i.ico">
     <link rel="next" href="n.html"><form action="post.cgi"></form><a href="a.html">a</a>`,
    PAGE,
  );
  assert.deepEqual(
    links.map((l) => [l.url, l.inline, l.expectHtml, l.expectCss, l.ignore]),
    [
      ["http://h/other/", false, false, false, true],
      ["http://h/other/s.css", true, false, true, false],
      ["http://h/other/i.ico", true, false, false, false],
      ["http://h/other/n.html", false, true, false, false],
      ["http://h/other/post.cgi", false, false, false, true],
      ["http://h/other/a.html", false, true, false, false],
    ],
  );
});

Deno.test("extractHtmlLinks() reads srcset, refresh, style attributes and <style>", () => {
  assert.deepEqual(
    urls(`<img srcset="a.png 1x, b.png 2x"><meta http-equiv="Refresh" content="0; URL=next.html">
      <p style="background: url('st.png')"></p><style>@import "imp.css"; p { background: url(bg.png) }</style>`),
    ["a.png", "b.png", "next.html", "st.png", "imp.css", "bg.png"].map((n) => `http://h/dir/${n}`),
  );
});

Deno.test("extractHtmlLinks() decodes entities, drops fragments, takes an empty link for the page", () => {
  // GNU wget too: `href=""` is the page itself (never fetched again; -k makes it the file's name).
  assert.deepEqual(urls(`<a href="q?a=1&amp;b=2#frag">x</a><a href="">e</a><a href="  ">s</a>`), [
    "http://h/dir/q?a=1&b=2",
    PAGE,
    PAGE,
  ]);
});

Deno.test("extractHtmlLinks() sees <meta name=robots content=nofollow>", () => {
  assert.equal(
    extractHtmlLinks(`<meta name="robots" content="index, NoFollow">`, PAGE).nofollow,
    true,
  );
  assert.equal(extractHtmlLinks(`<meta name="robots" content="none">`, PAGE).nofollow, true);
  assert.equal(extractHtmlLinks(`<meta name="robots" content="index">`, PAGE).nofollow, false);
});

Deno.test("extractHtmlLinks() survives hostile markup", () => {
  const hostile = [
    "<a href=",
    "<a href='unterminated>x",
    "<<<>>><a href=ok.html>",
    "<!-- <a href=commented.html> -->",
    "<script>document.write('<a href=\"js.html\">')</script>",
    '<a href="http://[::1">bad url</a>',
    '<a href="x\u0000y.html">nul</a>',
    "<constructor constructor=x __proto__=y><a toString=z hasOwnProperty=1 href=p.html>",
    "<a " + "x=1 ".repeat(100_000) + "href=big.html>",
  ];
  for (const html of hostile) extractHtmlLinks(html, PAGE);
  assert.deepEqual(urls("<!-- <a href=commented.html> --><a href=ok.html>"), [
    "http://h/dir/ok.html",
  ]);
});

Deno.test("extractHtmlLinks() gives each link's position in the page", () => {
  const html = `<p><a class=x href = "a.html">a</a> <img src=b.png></p>`;
  const { links } = extractHtmlLinks(html, PAGE);
  assert.deepEqual(links.map((l) => html.slice(l.start, l.end)), ["a.html", "b.png"]);
});

Deno.test("extractCssLinks() finds url() and @import, not comments or strings", () => {
  const css = `@import url("a.css"); @import 'b.css';
    /* url(comment.png) */ .x { content: "url(string.png)"; background: url( c.png ) }
    .y { background: URL(d.png) } .z { mask: url(data:image/png;base64,AAAA) }`;
  const links = extractCssLinks(css, "http://h/css/s.css");
  assert.deepEqual(links.map((l) => [l.url, l.expectCss]), [
    ["http://h/css/a.css", true],
    ["http://h/css/b.css", true],
    ["http://h/css/c.png", false],
    ["http://h/css/d.png", false],
  ]);
  assert.deepEqual(links.map((l) => css.slice(l.start, l.end)), [
    "a.css",
    "b.css",
    "c.png",
    "d.png",
  ]);
});

Deno.test("extractCssLinks() reads CSS escapes: an escaped quote or paren, a hex escape", () => {
  const css = `p { background: url( a\\ b.png ) } q { background: url("q\\".png") }
    r { background: url(x\\).png) } @import "i\\6d p.css"; s { background: url('it\\'s.png') }`;
  const links = extractCssLinks(css, "http://h/css/s.css");
  assert.deepEqual(links.map((l) => l.url), [
    "http://h/css/a%20b.png",
    "http://h/css/q%22.png",
    "http://h/css/x).png",
    "http://h/css/imp.css",
    "http://h/css/it's.png",
  ]);
  // Positions span the link as written, escapes and all.
  assert.deepEqual(links.map((l) => css.slice(l.start, l.end)), [
    "a\\ b.png",
    'q\\".png',
    "x\\).png",
    "i\\6d p.css",
    "it\\'s.png",
  ]);
});

Deno.test("extractHtmlLinks() gives a tag's links in the order of its attributes, as GNU wget", () => {
  assert.deepEqual(
    urls(`<img srcset="a.png 1x, b.png 2x" src="c.png"><td style="background: url(d.png)"
      background="e.png"><img src="f.png" srcset="g.png">`),
    [
      "http://h/dir/a.png",
      "http://h/dir/b.png",
      "http://h/dir/c.png",
      "http://h/dir/d.png",
      "http://h/dir/e.png",
      "http://h/dir/f.png",
      "http://h/dir/g.png",
    ],
  );
});

Deno.test("extractHtmlLinks() keeps a page's bytes read byte for byte (x-user-defined), as GNU wget", () => {
  const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  const read = (page: Uint8Array) => new TextDecoder("x-user-defined").decode(page);
  // A Latin-1 page: the byte 0xE9 stays %E9; a UTF-8 page: the same URL as from its text.
  assert.deepEqual(urls(read(bytes(`<a href="caf\xe9.html">x</a>`))), ["http://h/dir/caf%E9.html"]);
  const utf8 = new TextEncoder().encode(`<a href="caf\u00e9.html?q=\u00e9">x</a>`);
  assert.deepEqual(urls(read(utf8)), urls(new TextDecoder().decode(utf8)));
  assert.deepEqual(urls(read(utf8)), ["http://h/dir/caf%C3%A9.html?q=%C3%A9"]);
});

Deno.test("extractHtmlLinks() follows a URL attribute written twice, as GNU wget", () => {
  const html = `<a href="a.html" title=t HREF="b.html">x</a> <img src=c.png src='d.png'>` +
    `<link rel=stylesheet href=e.css href=f.css>`;
  const { links } = extractHtmlLinks(html, PAGE);
  // <link> reads its first href only, as GNU's tag_handle_link.
  assert.deepEqual(links.map((l) => l.url.slice("http://h/dir/".length)), [
    "a.html",
    "b.html",
    "c.png",
    "d.png",
    "e.css",
  ]);
  assert.deepEqual(links.map((l) => html.slice(l.start, l.end)), [
    "a.html",
    "b.html",
    "c.png",
    "d.png",
    "e.css",
  ]);
  const chunks = [html.slice(0, 25), html.slice(25)];
  assert.deepEqual(
    extractHtmlLinksFromChunks(chunks, PAGE).links.map((l) => l.url),
    links.map((l) => l.url),
  );
});

Deno.test("extractHtmlLinks() places a URL attribute written many times in one walk of the tag", () => {
  // tests/fuzz: `<img src src ...>` 100 KB long took minutes, the tag walked again for each.
  const html = `<img src=a.png src="" ` + "src=b.png data-src=x.png ".repeat(25_000) +
    `src='c.png'>`;
  const { links } = extractHtmlLinks(html, PAGE);
  assert.equal(links.length, 25_003);
  assert.deepEqual(links.slice(0, 3).map((l) => html.slice(l.start, l.end)), [
    "a.png",
    "",
    "b.png",
  ]);
  assert.deepEqual(links.slice(-2).map((l) => html.slice(l.start, l.end)), ["b.png", "c.png"]);
  assert.ok(links.every((l) => html.slice(l.start, l.end) === l.raw));
  // Without a value: no place to rewrite.
  const bare = extractHtmlLinks(`<img src=a.png ${"src ".repeat(3)}>`, PAGE).links;
  assert.deepEqual(bare.map((l) => [l.start, l.end]), [[9, 14], [-1, -1], [-1, -1], [-1, -1]]);
});

Deno.test("extractHtmlLinks() reads style attributes and <style> whatever the tag filters say", () => {
  const html = `<style>@import "s.css";</style><a href="a.html" style="background: url(b.png)">
    <p style="background: url(c.png)"></p><img src="d.png">`;
  const found = (options: { followTags?: string[]; ignoreTags?: string[] }) =>
    extractHtmlLinks(html, PAGE, options).links.map((l) => l.url.slice("http://h/dir/".length));
  assert.deepEqual(found({ followTags: ["img"] }), ["s.css", "b.png", "c.png", "d.png"]);
  assert.deepEqual(found({ ignoreTags: ["a", "style", "p"] }), [
    "s.css",
    "b.png",
    "c.png",
    "d.png",
  ]);
  assert.deepEqual(found({ followTags: ["a"] }), ["s.css", "a.html", "b.png", "c.png"]);
});

Deno.test("extractHtmlLinks() reads a style attribute as written, entities and all, as GNU wget", () => {
  const html = `<p style="background: url(&quot;x.png&quot;)">`;
  assert.deepEqual(urls(html), ["http://h/dir/&quot;x.png&quot;"]);
  assert.deepEqual(
    extractHtmlLinksFromChunks([html.slice(0, 20), html.slice(20)], PAGE).links
      .map((l) => l.url),
    ["http://h/dir/&quot;x.png&quot;"],
  );
});

Deno.test("extractHtmlLinksFromChunks() finds what extractHtmlLinks() finds, however the page is cut", () => {
  const html =
    `<base href="/b/"><a href="x.html?a=1&amp;b=2">x</a><style>p{background:url(s.png)}</style>
    <img src="i.png" srcset="a.png 1x, b.png 2x" style="background: url('t.png')">
    <meta http-equiv="refresh" content="5; url=next.html"><link rel=stylesheet href=c.css>`;
  const whole = extractHtmlLinks(html, PAGE).links.map((l) => [l.url, l.inline, l.expectCss]);
  for (let size = 1; size <= 40; size++) {
    const chunks: string[] = [];
    for (let i = 0; i < html.length; i += size) chunks.push(html.slice(i, i + size));
    const pieces = extractHtmlLinksFromChunks(chunks, PAGE).links.map((l) => [
      l.url,
      l.inline,
      l.expectCss,
    ]);
    assert.deepEqual(pieces, whole, `chunks of ${size}`);
  }
});

Deno.test("extractHtmlLinks() finds tags in the text of raw-text elements, as GNU wget's scanner", () => {
  const html = `<script>var t = '<a href="s.html">';</script><title><a href="t.html"></a></title>
    <textarea><img src="x.png"></textarea><noframes><a href=n.html>n</a></noframes>
    <iframe src="f.html"><a href="fb.html"></a></iframe><!-- <a href="comment.html"> -->
    <style>/* <a href="css.html"> */ p { background: url(s.png) }</style><plaintext><a href=p.html>`;
  const { links } = extractHtmlLinks(html, PAGE);
  assert.deepEqual(
    links.map((l) => [l.url.slice(PAGE.length - "page.html".length), l.inline]),
    [
      ["s.html", false],
      ["t.html", false],
      ["x.png", true],
      ["n.html", false],
      ["f.html", true],
      ["fb.html", false],
      ["s.png", true],
      ["css.html", false],
      ["p.html", false],
    ],
  );
  for (const link of links) assert.equal(html.slice(link.start, link.end), link.raw);
  const pieces = extractHtmlLinksFromChunks(html.match(/[^]{1,7}/g)!, PAGE).links;
  assert.deepEqual(pieces.map((l) => l.url), links.map((l) => l.url));
});

Deno.test("extractHtmlLinks() reads a page of 100,000 unclosed tags (no element stack kept)", () => {
  // htmlparser2's Parser took seconds here (its open elements in an array grown at the front).
  const html = "<div>".repeat(100_000) + `<a href="end.html">` + "<title>".repeat(10_000);
  assert.deepEqual(extractHtmlLinks(html, PAGE).links.map((l) => l.url), ["http://h/dir/end.html"]);
});

Deno.test("extractHtmlLinks() resolves a link as new URL() does, page after page of one directory", () => {
  // The same links written on pages of one directory, of another, and under another <base>: the
  // links a directory's pages share are resolved once; "", "?x" and "#x" belong to each page.
  const html =
    `<a href="a.html"></a><a href=" ../up/b.html#f "></a><a href=""></a><a href="?q=1"></a>` +
    `<a href="#top"></a><a href="/root.css"></a><a href="c%zz.html"></a><a href="./"></a>`;
  const raws = ["a.html", " ../up/b.html#f ", "", "?q=1", "#top", "/root.css", "c%zz.html", "./"];
  const pages = [
    "http://h/dir/one.html",
    "http://h/dir/two.html?x=1",
    "http://h/dir/",
    "http://h/other/one.html",
    "http://h/dir/one.html",
    "https://h:8443/dir/one.html",
  ];
  const resolved = (base: string) =>
    raws.map((raw) => {
      const url = new URL(raw.trim().replace("%zz", "%25zz"), base);
      url.hash = "";
      return url.href;
    });
  for (const page of pages) {
    assert.deepEqual(extractHtmlLinks(html, page).links.map((l) => l.url), resolved(page), page);
  }
  const withBase = `<base href="http://g/b/base.html">${html}`;
  for (const page of pages) {
    assert.deepEqual(
      extractHtmlLinks(withBase, page).links.filter((l) => !l.base).map((l) => l.url),
      resolved("http://g/b/base.html"),
      page,
    );
  }
});

/** Stylesheets whose every construct may be cut between two chunks. */
const TRICKY_SHEETS = [
  `@import url("a.css"); @import 'b.css'; /* url(no.png) @import "no.css"; */ p{background:url(c.png)}`,
  `a { background: URL( 'q\\'s.png' ) } b { content: "url(no.png) \\" url(no2.png)" } c{x:url(d\\).png)}`,
  `@IMPORT\n\t  "i\\6d p.css" screen; @import url( e.css ); @importx.css; xurl(no.png) -url(no.png) _url(n.png)`,
  `/**/url(f.png)/***/url(g.png)/* * / */url(h.png) /*/ url(no.png) */ 'a\nurl(i.png)`,
  `p { background: url(a b.png) url(j\\ k.png) url( l.png\t\n) url(data:x) url() url("") url('m.png'x) }`,
  `\u00e9t\u00e9 { background: url(\u00e9l\u00e8ve.png) } @import "\uf7e9\uf780.css"; q{b:url('\uf7ff.png')}`,
  `\\url(no.png) \\@import "no.css"; u\\rl(no.png) @\\import "x.css"; url(n.png`,
  `@import "unclosed.css; url(no.png)`,
  `p { b: url("o.png" x y ) url('unclosed.png) }`,
  `/* unclosed url(no.png)`,
  `q { content: "open url(no.png)`,
  `@import`,
  `@import  url(`,
  `url(\\`,
  `x\\`,
];

/** `extractCssLinks`'s links as plain values (to compare with the chunked reading). */
function cssLinksOf(css: string): unknown[] {
  return extractCssLinks(css, "http://h/css/s.css");
}

Deno.test("extractCssLinksFromChunks() finds what extractCssLinks() finds, the text cut anywhere in 2 or 3", () => {
  const base = "http://h/css/s.css";
  let compared = 0;
  for (const css of TRICKY_SHEETS) {
    const whole = cssLinksOf(css);
    assert.deepEqual(extractCssLinksFromChunks([css], base), whole, css);
    assert.deepEqual(extractCssLinksFromChunks([...css], base), whole, `${css} by characters`);
    for (let a = 0; a <= css.length; a++) {
      const two = [css.slice(0, a), css.slice(a)];
      assert.deepEqual(extractCssLinksFromChunks(two, base), whole, JSON.stringify(two));
      for (let b = a; b <= css.length; b++) {
        const three = [css.slice(0, a), css.slice(a, b), css.slice(b)];
        assert.deepEqual(extractCssLinksFromChunks(three, base), whole, JSON.stringify(three));
        compared++;
      }
    }
  }
  // (The sheets have links to find: the comparison is not of empty lists only.)
  assert.ok(TRICKY_SHEETS.filter((css) => cssLinksOf(css).length > 0).length >= 7);
  assert.ok(compared > 10_000);
});

Deno.test("extractCssLinksFromChunks() agrees with extractCssLinks() on random sheets cut at random", () => {
  const pieces = [
    "url(",
    "URL(",
    "@import",
    "@IMPORT ",
    "/*",
    "*/",
    "*",
    "/",
    '"',
    "'",
    "\\",
    ")",
    "(",
    " ",
    "\n",
    "a.png",
    "b",
    "-",
    "\u00e9",
    "\uf7c3",
    ";",
    "u",
    "r",
    "l",
  ];
  let seed = 34;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let found = 0;
  for (let n = 0; n < 3000; n++) {
    let css = "";
    const length = 1 + Math.floor(random() * 40);
    for (let k = 0; k < length; k++) css += pieces[Math.floor(random() * pieces.length)];
    const whole = cssLinksOf(css);
    found += whole.length;
    const chunks: string[] = [];
    for (let at = 0; at < css.length;) {
      const size = 1 + Math.floor(random() * 8);
      chunks.push(css.slice(at, at + size));
      at += size;
    }
    assert.deepEqual(
      extractCssLinksFromChunks(chunks, "http://h/css/s.css"),
      whole,
      JSON.stringify(chunks),
    );
  }
  assert.ok(found > 150, `${found}`);
});

/** Links by place, links at one place in the order found (what the readers hand out). */
function byPlace(links: PageLink[]): PageLink[] {
  return [...links].sort((a, b) => a.start - b.start);
}

/** A page of `count` random pieces of markup (tags, raw text, entities, broken tags). */
function randomMarkup(random: () => number, pieces: readonly string[], count: number): string {
  let text = "";
  for (let k = 0; k < count; k++) text += pieces[Math.floor(random() * pieces.length)];
  return text;
}

/** `text` cut into pieces of 1 to `most` characters. */
function randomCuts(random: () => number, text: string, most: number): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length;) {
    const size = 1 + Math.floor(random() * most);
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

/** Reads `chunks` with `reader`; every link handed out lies at or after the place settled before. */
function readAll(
  reader: HtmlLinkReader | CssLinkReader,
  chunks: string[],
): { links: PageLink[]; texts: string[] } {
  const links: PageLink[] = [];
  const texts: string[] = [];
  const take = (found: PageLink[], settledBefore: number) => {
    for (const link of found) {
      if (link.start >= 0) {
        assert.ok(link.start >= settledBefore, `${link.start} < ${settledBefore}`);
      }
      links.push(link);
      texts.push(reader.text(Math.max(link.start, 0), Math.max(link.end, 0)));
    }
  };
  for (const chunk of chunks) {
    const before = reader.settled;
    take(reader.write(chunk), before);
    assert.ok(reader.settled >= before);
  }
  const before = reader.settled;
  take(reader.end(), before);
  return { links, texts };
}

Deno.test("HtmlLinkReader hands out extractHtmlLinks()'s links by place, however the page is cut", () => {
  const pieces = [
    `<a href="a.html">`,
    `<a href='b.html#f'>`,
    `<a href=c.html>`,
    `<a href="x" href="y">`,
    `<img src=i.png srcset="s1.png 1x, s2.png 2x" src=j.png>`,
    `<img style="background:url('st.png')" src="k.png">`,
    `<div style="background: url(d.png)">`,
    `<base href="/base/">`,
    `<form action="/post">`,
    `<meta http-equiv="refresh" content="3; url=r.html">`,
    `<link rel=stylesheet href="c.css">`,
    `<style>p { background: url(sty.png) } @import "imp.css";</style>`,
    `<script>var a = "<a href=scr.html>";</script>`,
    `<noscript><img src=nos.png></noscript>`,
    `<title><a href=t.html></title>`,
    `<textarea><img src=ta.png></textarea>`,
    `<!-- <a href=comment.html> -->`,
    `&amp;`,
    ` text `,
    `\n`,
    `<a href="e&amp;f.html">`,
    `<p>`,
    `</p>`,
    `<`,
    `>`,
    `"`,
    `'`,
    `=`,
    `<a href=`,
    `<img src="`,
    `<style>`,
    `<script>`,
    `</style>`,
    `</script>`,
    `url(`,
    `\u00e9`,
    `<iframe src=f.html>`,
    `<a href="">`,
  ];
  let seed = 35;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let found = 0;
  for (let n = 0; n < 1500; n++) {
    const html = randomMarkup(random, pieces, 1 + Math.floor(random() * 30));
    // Links whose place was not found (-1) are handed out where found, and left alone.
    const all = extractHtmlLinks(html, PAGE).links;
    const whole = byPlace(all.filter((l) => l.start >= 0));
    found += whole.length;
    const read = readAll(new HtmlLinkReader(PAGE), randomCuts(random, html, 1 + n % 24));
    const placed = read.links.filter((l) => l.start >= 0);
    assert.deepEqual(placed, whole, JSON.stringify(html));
    assert.deepEqual(
      read.links.filter((l) => l.start < 0),
      all.filter((l) => l.start < 0),
    );
    assert.deepEqual(
      read.texts.filter((_, i) => read.links[i]!.start >= 0),
      whole.map((l) => html.slice(l.start, l.end)),
    );
  }
  // The pages hold links: the comparison compares something.
  assert.ok(found > 5000, `${found} links`);
});

Deno.test("CssLinkReader hands out extractCssLinks()'s links, however the sheet is cut", () => {
  const pieces = [
    "url(",
    "url(a.png)",
    "url( 'q.png' )",
    '@import "i.css";',
    "@import ",
    "/*",
    "*/",
    '"',
    "'",
    "\\",
    ")",
    " ",
    "a.png",
    "b",
    ";",
    "u",
    "\u00e9",
  ];
  let seed = 36;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let found = 0;
  for (let n = 0; n < 3000; n++) {
    const css = randomMarkup(random, pieces, 1 + Math.floor(random() * 40));
    const whole = extractCssLinks(css, PAGE);
    found += whole.length;
    const read = readAll(new CssLinkReader(PAGE), randomCuts(random, css, 1 + n % 10));
    assert.deepEqual(read.links, whole, JSON.stringify(css));
    assert.deepEqual(read.texts, whole.map((l) => l.raw));
  }
  assert.ok(found > 1000, `${found} links`);
});

Deno.test("HtmlLinkReader holds the text from the last tag on, not the page", () => {
  const reader = new HtmlLinkReader(PAGE);
  let links = 0;
  for (let i = 0; i < 2000; i++) {
    links += reader.write(`<p>paragraph ${i}</p><a href="p${i}.html">${"x".repeat(500)}</a>`)
      .length;
    // Text a thousand pieces back is gone.
    if (i > 1000) assert.throws(() => reader.text(0, 10), RangeError);
  }
  links += reader.end().length;
  assert.equal(links, 2000);
});
