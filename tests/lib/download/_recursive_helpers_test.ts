import assert from "node:assert/strict";
import {
  extensionAliases,
  fileChunks,
  hasHtmlSuffix,
  heldChunks,
  localCopy,
  seenKey,
} from "../../../lib/download/_recursive_helpers.ts";
import { HeldBody } from "../../../lib/download/_held_body.ts";
import { withPageExtension } from "../../../lib/download/page_kind.ts";
import { tempDir } from "../../harness/peers.ts";

Deno.test("hasHtmlSuffix() takes the names GNU wget's has_html_suffix_p takes", () => {
  for (const name of ["a.html", "a.HTM", "b.xhtml", "c.shtml", "d.PHTML", "e.1html", ".html"]) {
    assert.equal(hasHtmlSuffix(name), true, name);
  }
  for (const name of ["a.htmlx", "b.hhtmlx", "c.xxhtml", "html", "d.html/e", "f.txt", "g.ht"]) {
    assert.equal(hasHtmlSuffix(name), false, name);
  }
});

Deno.test("seenKey() makes one key of a URL however its escapes are written", () => {
  const key = seenKey("http://h/t~x.html");
  assert.equal(seenKey("http://h/t%7Ex.html"), key);
  assert.equal(seenKey("http://h/t%7ex.html"), key);
  assert.equal(seenKey("http://h/a%2Fb.html"), seenKey("http://h/a/b.html"));
  assert.equal(seenKey("http://h/q?a=%41"), seenKey("http://h/q?a=A"));
  // %00 stays (GNU wget never decodes it); a lone % is kept as it is.
  assert.notEqual(seenKey("http://h/%00"), seenKey("http://h/\0"));
  assert.equal(seenKey("http://h/100%"), "http://h/100%");
});

Deno.test("localCopy() gives FILE.orig's time and size with -K, else FILE's", async () => {
  await using dir = await tempDir();
  const file = `${dir.path}/page.html`;
  assert.equal(localCopy(file, true), undefined);
  await Deno.writeTextFile(file, "converted, longer");
  await Deno.utime(file, 2_000_000_000, 2_000_000_000);
  assert.deepEqual(localCopy(file, true), { mtime: new Date(2_000_000_000_000), size: 17 });
  await Deno.writeTextFile(`${file}.orig`, "original");
  await Deno.utime(`${file}.orig`, 1_000_000_000, 1_000_000_000);
  assert.deepEqual(localCopy(file, true), { mtime: new Date(1_000_000_000_000), size: 8 });
  assert.deepEqual(localCopy(file, false), { mtime: new Date(2_000_000_000_000), size: 17 });
});

Deno.test("extensionAliases() gives every other name -E may give a file, and only those", () => {
  assert.deepEqual(extensionAliases("d/sp ace"), ["d/sp ace.html", "d/sp ace.css"]);
  assert.deepEqual(extensionAliases("index.html?x=1"), [
    "index.html?x=1.html",
    "index.html?x=1.css",
  ]);
  assert.deepEqual(extensionAliases("a.HTM"), ["a.HTM.css"]);
  assert.deepEqual(extensionAliases("s.Css"), ["s.Css.html"]);
  for (const name of ["p", "p.html", "p.htm", "p.css", "p.php", "d/x.y", "q?a.html"]) {
    for (const type of ["text/html", "text/css", "text/plain", "application/xhtml+xml"]) {
      const named = withPageExtension(name, type);
      if (named !== name) assert.ok(extensionAliases(name).includes(named), `${name} ${type}`);
    }
  }
});

Deno.test("localCopy() takes no FILE.orig beside a directory named FILE (seed 21278)", async () => {
  // -E -K saved /Img (a redirect to /Img/) as Img.html with Img.orig, and /Img/ made Img/: GNU
  // wget's file_exists_p asks for a regular FILE, so the next -N run asks for /Img whole.
  await using dir = await tempDir();
  const name = `${dir.path}/Img`;
  await Deno.mkdir(name);
  await Deno.writeTextFile(`${name}.orig`, "original");
  assert.equal(localCopy(name, true), undefined);
  assert.equal(localCopy(name, false), undefined);
});

Deno.test("localCopy() after a HEAD takes FILE.orig though FILE is not there (seed 1900814)", async () => {
  // -E -K saved /d/e/n28 as n28.html with n28.orig: the HEAD of --content-disposition names the
  // file n28, and GNU's check_file_output compares n28.orig all the same; http_loop's
  // file_exists_p (fileFirst) finds no n28.
  await using dir = await tempDir();
  const name = `${dir.path}/n28`;
  await Deno.writeTextFile(`${name}.orig`, "original");
  await Deno.utime(`${name}.orig`, 1_000_000_000, 1_000_000_000);
  assert.equal(localCopy(name, true), undefined);
  assert.deepEqual(localCopy(name, true, false), { mtime: new Date(1_000_000_000_000), size: 8 });
  assert.equal(localCopy(name, false, false), undefined);
});

Deno.test("heldChunks() reads a held body as fileChunks() reads its file", async () => {
  await using dir = await tempDir();
  // Every byte, a page's high bytes among them, past the held body's cap.
  const bytes = Uint8Array.from({ length: 700_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
  const path = `${dir.path}/page.html`;
  await Deno.writeFile(path, bytes);
  using held = new HeldBody({ memoryBytes: 1000, tempDir: dir.path });
  for (let at = 0; at < bytes.length; at += 65_536) held.push(bytes.subarray(at, at + 65_536));
  assert.equal([...heldChunks(held)].join(""), [...fileChunks(path)].join(""));
});
