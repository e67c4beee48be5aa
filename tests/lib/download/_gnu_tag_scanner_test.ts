import assert from "node:assert/strict";
import { GnuTagScanner } from "../../../lib/download/_gnu_tag_scanner.ts";
import { extractHtmlLinks } from "../../../lib/download/links.ts";

/** Every tag as text: `<name attrs repeats>@start-end`, `</name>@start-end`. */
function tags(text: string, scanner = new GnuTagScanner({})): string[] {
  const seen: string[] = [];
  scanner.restart({
    onopentag(name, attributes, repeated) {
      const repeats = repeated ? ` ${JSON.stringify(repeated)}` : "";
      seen.push(
        `<${name} ${
          JSON.stringify(attributes)
        }${repeats}>@${scanner.startIndex}-${scanner.endIndex}`,
      );
    },
    onclosetag(name) {
      seen.push(`</${name}>@${scanner.startIndex}-${scanner.endIndex}`);
    },
  });
  // In two pieces: the tags come at the end, from the whole text.
  scanner.write(text.slice(0, 5));
  scanner.write(text.slice(5));
  scanner.end();
  return seen;
}

Deno.test("GnuTagScanner gives up a script's i<n at the first character no tag holds, as GNU wget", () => {
  // asciidoc's footnote code: "<spans.length" is a tag name, "i++)" and "{" attributes without
  // values, "//" no tag's end: given up, and the string's <a> read after it.
  const script = `for (i=0; i<spans.length; i++) { // x\n s = "<a href='x.html'>"; }`;
  assert.deepEqual(tags(script), [`<a {"href":"x.html"}>@44-60`]);
  // A tag ends at the next "<" as at a ">" (attributes without values, "{" and "'", here).
  assert.deepEqual(tags(`if (a <b) { '<img src="s.png">' }`), [
    `<b) {"{":"{","'":"'"}>@6-12`,
    `<img {"src":"s.png"}>@13-29`,
  ]);
  assert.deepEqual(tags("<a href=x<img src=y.png>"), [
    `<a {"href":"x"}>@0-8`,
    `<img {"src":"y.png"}>@9-23`,
  ]);
});

Deno.test("GnuTagScanner reads attributes as GNU wget: bare names, repeats, newlines in quotes", () => {
  assert.deepEqual(tags("<ul compact><a HREF='p.html' href=q.html>"), [
    `<ul {"compact":"compact"}>@0-11`,
    `<a {"href":"p.html"} [["href","q.html"]]>@12-40`,
  ]);
  // A newline inside quotes: the value up to the quote, unless a "<" or ">" comes first, which
  // drops the tag and reads on from there.
  assert.deepEqual(tags("<a href='a\nb'>"), [`<a {"href":"a\\nb"}>@0-13`]);
  assert.deepEqual(tags("<a href='a\n<b'><img src=c.png>"), [
    `<b' {}>@11-14`,
    `<img {"src":"c.png"}>@15-29`,
  ]);
  // An end tag with attributes is none; "/" before the end closes the tag (unquoted values
  // take it).
  assert.deepEqual(tags("</a x><br/><a href=e.html/>"), [
    `<br {}>@6-10`,
    `<a {"href":"e.html/"}>@11-26`,
  ]);
  // An empty value, or the end of the text inside a tag: nothing.
  assert.deepEqual(tags("<a href=><a href=f.html"), []);
});

Deno.test("GnuTagScanner skips comments and declarations as GNU wget, and gives up what is neither", () => {
  assert.deepEqual(tags("<!-- <a href=no.html> --><a href=yes.html>"), [
    `<a {"href":"yes.html"}>@25-41`,
  ]);
  assert.deepEqual(tags("<!DOCTYPE html><a href=d.html>"), [`<a {"href":"d.html"}>@15-29`]);
  // A comment without its end is no comment; a CDATA section before code no declaration.
  assert.deepEqual(tags("<!-- <a href=g.html>"), [`<a {"href":"g.html"}>@5-19`]);
  assert.deepEqual(tags(`//<![CDATA[\nvar z = "<a href='h.html'>";`), [
    `<a {"href":"h.html"}>@21-37`,
  ]);
});

Deno.test("GnuTagScanner restarts clean, and extractHtmlLinks reads a script's text with it", () => {
  const scanner = new GnuTagScanner({});
  assert.deepEqual(tags("<a href=", scanner), []);
  assert.deepEqual(tags("<p>", scanner), [`<p {}>@0-2`]);
  const page = `<script>for (i=0; i<n; i++) { // go
  s += "<a href='#f" + i + "'>" + "<img src='i.png'>"; }</script>`;
  const { links } = extractHtmlLinks(page, "http://h/d/p.html");
  assert.deepEqual(links.map((link) => [link.url, page.slice(link.start, link.end)]), [
    ["http://h/d/p.html", `#f" + i + "`],
    ["http://h/d/i.png", "i.png"],
  ]);
});
