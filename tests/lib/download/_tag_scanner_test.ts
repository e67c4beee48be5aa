import assert from "node:assert/strict";
import {
  TagScanner,
  type TagScannerHandlers,
  type TagScannerOptions,
} from "../../../lib/download/_tag_scanner.ts";
import { mutate, Rng, toBytes } from "../../fuzz/_harness.ts";
import { pageLinksTarget } from "../../fuzz/targets.ts";

/** Every event as text: `<name attrs>@start-end`, `</name>@start-end`, `"text"`. */
function events(
  chunks: string[],
  options: TagScannerOptions = {},
  reused?: TagScanner,
): string[] {
  const seen: string[] = [];
  // Text cut between pieces comes in several calls: joined, as one.
  let text: string | undefined;
  const flush = () => {
    if (text !== undefined) seen.push(JSON.stringify(text));
    text = undefined;
  };
  const handlers: TagScannerHandlers = {
    onopentag(name, attributes) {
      flush();
      seen.push(
        `<${name} ${JSON.stringify(attributes)}>@${scanner.startIndex}-${scanner.endIndex}`,
      );
    },
    onclosetag(name) {
      flush();
      seen.push(`</${name}>@${scanner.startIndex}-${scanner.endIndex}`);
    },
    ontext(piece) {
      text = (text ?? "") + piece;
    },
  };
  const scanner: TagScanner = reused ?? new TagScanner(handlers, options);
  reused?.restart(handlers);
  for (const chunk of chunks) scanner.write(chunk);
  scanner.end();
  flush();
  return seen;
}

Deno.test("TagScanner reports tags with lower-cased names, attributes as written, and positions", () => {
  const html = `<A HREF="x&amp;y" href=no Data>t</A><img src='i.png'/><!-- <a href=c> -->`;
  assert.deepEqual(events([html]), [
    `<a {"href":"x&amp;y","data":""}>@0-30`,
    `"t"`,
    `</a>@32-35`,
    `<img {"src":"i.png"}>@36-53`,
  ]);
});

Deno.test("TagScanner gives the same events however the page is cut", () => {
  const html = `<p class="a b">one <a href="x.html?a=1&amp;b=2">two</a></p>` +
    `<script>if (a < b) x = "<a href=s.html>";</script><style>p{}</style><img src=u>`;
  const whole = events([html]);
  for (let size = 1; size <= 20; size++) {
    const chunks = html.match(new RegExp(`[^]{1,${size}}`, "g"))!;
    assert.deepEqual(events(chunks), whole, `pieces of ${size}`);
  }
});

Deno.test("TagScanner reads <script> as text in HTML mode, and tags in it in XML mode", () => {
  const html = `<script>x = '<a href="s.html">';</script>`;
  assert.deepEqual(events([html]), [
    `<script {}>@0-7`,
    `"x = '<a href=\\"s.html\\">';"`,
    `</script>@32-40`,
  ]);
  assert.deepEqual(events([html], { xmlMode: true }), [
    `<script {}>@0-7`,
    `"x = '"`,
    `<a {"href":"s.html"}>@13-29`,
    `"';"`,
    `</script>@32-40`,
  ]);
});

Deno.test("TagScanner reads 100,000 unclosed tags one by one", () => {
  // htmlparser2's Parser keeps every unclosed element in an array grown at the front: seconds
  // for this page. The scanner keeps none.
  let opened = 0;
  const scanner = new TagScanner({ onopentag: () => void opened++ });
  scanner.write("<div>".repeat(100_000) + "<a href=x>");
  scanner.end();
  assert.equal(opened, 100_001);
});

Deno.test("TagScanner reports an attribute written again apart, in order, for that tag only", () => {
  const seen: string[] = [];
  const scanner = new TagScanner({
    onopentag(name, attributes, repeated) {
      seen.push(`${name} ${JSON.stringify(attributes)} ${JSON.stringify(repeated ?? null)}`);
    },
  });
  scanner.write(`<a HREF=x title=t href="y" href='z'><img src=i>`);
  scanner.end();
  assert.deepEqual(seen, [
    `a {"href":"x","title":"t"} [["href","y"],["href","z"]]`,
    `img {"src":"i"} null`,
  ]);
});

Deno.test("TagScanner.restart() reads the next page as a new scanner would, wherever the last stopped", () => {
  const pages = [
    [`<A HREF="x&amp;y" href=no Data>t</A><img src='i.png'/><!-- <a href=c> -->`],
    [`<script>var a = "<a href=x>";</script><p class=`],
    [`<a href="y">`, `z</a><style>b{}</`],
    [`<!-- open comment <a href=q>`],
    [`<a href=ok>k</a><title><b></title>`],
    [`<x/><a href="cut`],
  ];
  for (const xmlMode of [false, true]) {
    const scanner = new TagScanner({}, { xmlMode });
    for (const before of pages) {
      for (const page of pages) {
        events(before, { xmlMode }, scanner);
        assert.deepEqual(events(page, { xmlMode }, scanner), events(page, { xmlMode }));
      }
    }
  }
});

/** `html` cut in two at every place, and in pieces of every size up to its length. */
function cuts(html: string): string[][] {
  const all: string[][] = [];
  for (let at = 1; at < html.length; at++) all.push([html.slice(0, at), html.slice(at)]);
  for (let size = 1; size < html.length; size++) {
    all.push(html.match(new RegExp(`[^]{1,${size}}`, "g"))!);
  }
  return all;
}

Deno.test("TagScanner drops a tag cut by the end after a `/` or a closing tag's name, however cut", () => {
  // htmlparser2's end() reports what follows as text from place -1 (its mark for no section),
  // before the text last read: tests/fuzz caught a RangeError on the first page.
  const pages: [string, string[]][] = [
    [`<bahref="http8/`, []],
    [`<a/`, []],
    [`<a / `, []],
    [`<a href=x /`, []],
    [`x<a href="y"/`, [`"x"`]],
    [`<p>t</p><b/`, [`<p {}>@0-2`, `"t"`, `</p>@4-7`]],
    // A closing tag is reported when its name ends.
    [`</a `, [`</a>@0-3`]],
    [`</a/`, [`</a>@0-3`]],
    [`</a x=y`, [`</a>@0-3`]],
    [`<style>p{}</style `, [`<style {}>@0-6`, `"p{}"`, `</style>@10-17`]],
    [`<script>x</script/`, [`<script {}>@0-7`, `"x"`, `</script>@9-17`]],
    [`<textarea><a href=x></textarea `, [
      `<textarea {}>@0-9`,
      `"<a href=x>"`,
      `</textarea>@20-30`,
    ]],
  ];
  for (const [html, expected] of pages) {
    for (const xmlMode of [false, true]) {
      const whole = events([html], { xmlMode });
      if (!xmlMode) assert.deepEqual(whole, expected, html);
      for (const chunks of cuts(html)) {
        assert.deepEqual(events(chunks, { xmlMode }), whole, chunks.join("|"));
      }
    }
  }
});

Deno.test("TagScanner reads a page ending in any unfinished markup the same however it is cut", () => {
  const pages = [
    `<a href="x`,
    `<a href='x`,
    `<a href=x`,
    `<a href`,
    `<a `,
    `<a`,
    `<`,
    `</`,
    `</a`,
    `<!-- <a href=x> -`,
    `<!doctype html`,
    `<![CDATA[<a href=x>`,
    `<?xml version="1.0"`,
    `<!x`,
    `t &amp`,
    `t &#`,
    `<style>p{background:url(`,
    `<script>if (a </scr`,
    `<title>a</title`,
    `<textarea><a href=x></textarea `,
    `<plaintext><a href=x>`,
    `<p class="a b">one <a href="x.html?a=1&amp;b=2">two</a></p><img src=u`,
  ];
  for (const html of pages) {
    for (const xmlMode of [false, true]) {
      const whole = events([html], { xmlMode });
      for (const chunks of cuts(html)) {
        assert.deepEqual(events(chunks, { xmlMode }), whole, chunks.join("|"));
      }
    }
  }
});

Deno.test("TagScanner gives the same events whole and in pieces on the fuzz corpus of page links", () => {
  // The first 1,000 inputs tests/fuzz gives extractHtmlLinks (its seed 7), each read whole and
  // cut in pieces.
  const rng = new Rng(7);
  const seeds = pageLinksTarget.seeds.map(toBytes);
  const decoder = new TextDecoder();
  for (let i = 0; i < seeds.length + 1_000; i++) {
    const input = seeds[i] ??
      (rng.int(16) === 0
        ? rng.bytes(rng.int(256))
        : mutate(rng, rng.pick(seeds), pageLinksTarget.dictionary!));
    // htmlparser2 reads "\x1c" as "<" (its `c | 0x20` case folding) where a piece starts inside
    // a `<script>` or `<style>`, but skips it inside a piece: as on main, not this test's matter.
    const html = decoder.decode(input).replaceAll("\x1c", "?");
    for (const xmlMode of [false, true]) {
      const whole = events([html], { xmlMode });
      for (const size of [1, 7, 64]) {
        const chunks = html.match(new RegExp(`[^]{1,${size}}`, "g")) ?? [];
        assert.deepEqual(events(chunks, { xmlMode }), whole, `${JSON.stringify(html)} in ${size}s`);
      }
    }
  }
});
