import assert from "node:assert/strict";
import { TextWindow } from "../../../lib/download/_text_window.ts";

Deno.test("TextWindow.slice() gives the text by places in the whole text, across pieces", () => {
  const html = `<a href="b.html">b</a><img src=c.png>`;
  const text = new TextWindow();
  for (const piece of html.match(/[^]{1,3}/g)!) text.append(piece);
  text.append("");
  assert.equal(text.length, html.length);
  for (let start = 0; start <= html.length; start++) {
    for (let end = start; end <= html.length + 2; end++) {
      assert.equal(text.slice(start, end), html.slice(start, end), `${start}-${end}`);
    }
  }
  assert.equal(text.slice(5, 2), "");
  assert.equal(text.slice(30), html.slice(30));
});

Deno.test("TextWindow.release() lets many pieces go at once and keeps the one holding the place", () => {
  const html = "x".repeat(50_000) + `<a href="y">`;
  const text = new TextWindow();
  for (const piece of html) text.append(piece);
  text.release(50_009);
  assert.equal(text.slice(50_009), `y">`);
  assert.throws(() => text.slice(50_008, 50_010), RangeError);
  // Never back; a place past the end holds nothing but what comes next.
  text.release(10);
  assert.equal(text.slice(50_009, 50_010), "y");
  text.release(60_000);
  assert.equal(text.slice(html.length), "");
  text.append("<p>");
  assert.equal(text.slice(html.length), "<p>");
});

Deno.test("TextWindow.clear() starts a new text at place 0", () => {
  const text = new TextWindow();
  text.append("<a href=x>");
  text.settle(5);
  text.release(5);
  text.clear();
  assert.equal(text.length, 0);
  assert.equal(text.settled, 0);
  text.append("<b>");
  assert.equal(text.slice(0), "<b>");
});
