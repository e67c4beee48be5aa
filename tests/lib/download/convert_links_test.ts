import assert from "node:assert/strict";
import { convertLinks } from "../../../lib/download/convert_links.ts";
import { extractHtmlLinks } from "../../../lib/download/links.ts";
import { tempDir } from "../../harness/peers.ts";

Deno.test("convertLinks() writes a refresh's content again as GNU wget does: N; URL=new#fragment", async () => {
  await using dir = await tempDir();
  const page = `${dir.path}/h/a/index.html`;
  await Deno.mkdir(`${dir.path}/h/a`, { recursive: true });
  await Deno.writeTextFile(
    page,
    `<meta http-equiv="refresh" content="7;  url=next.html#top"><meta http-equiv=refresh ` +
      `content='0;URL=far.html'><meta http-equiv="refresh" content=" 1; url=skipped.html">`,
  );
  const saved = new Map([["http://h/a/next.html", `${dir.path}/h/a/next.html`]]);
  const { links } = extractHtmlLinks(await Deno.readTextFile(page), "http://h/a/");
  // A value's blanks around it are dropped, as GNU wget drops them: " 1; url=x" is a refresh.
  assert.deepEqual(links.map((l) => [l.raw, l.refreshTimeout]), [
    ["next.html#top", 7],
    ["far.html", 0],
    ["skipped.html", 1],
  ]);
  assert.equal(convertLinks(page, "http://h/a/", "html", saved), 3);
  assert.equal(
    await Deno.readTextFile(page),
    `<meta http-equiv="refresh" content="7; URL=next.html#top"><meta http-equiv=refresh ` +
      `content='0; URL=http://h/a/far.html'><meta http-equiv="refresh" ` +
      `content="1; URL=http://h/a/skipped.html">`,
  );
});

Deno.test("convertLinks() makes an empty link the page's own file, as GNU wget", async () => {
  await using dir = await tempDir();
  const page = `${dir.path}/h/a/index.html`;
  await Deno.mkdir(`${dir.path}/h/a`, { recursive: true });
  await Deno.writeTextFile(
    page,
    `<a href="">x</a> <img src=''> <form action=></form> <a href>y</a>`,
  );
  const saved = new Map([["http://h/a/", page]]);
  assert.equal(convertLinks(page, "http://h/a/", "html", saved), 2);
  // Without quotes an empty value stays, as GNU wget leaves it.
  assert.equal(
    await Deno.readTextFile(page),
    `<a href="index.html">x</a> <img src='index.html'> <form action=></form> <a href>y</a>`,
  );
});

Deno.test("convertLinks() with fileOnly rewrites only a link's last part, as GNU's --convert-file-only", async () => {
  await using dir = await tempDir();
  const page = `${dir.path}/h/a/index.html`;
  await Deno.mkdir(`${dir.path}/h/a`, { recursive: true });
  await Deno.writeTextFile(
    page,
    `<a href="/b/x?q=1#top">x</a> <a href="http://h/b/y.html">y</a> <a href="z.html">z</a>`,
  );
  const saved = new Map([
    ["http://h/b/x?q=1", `${dir.path}/h/b/x?q=1.html`],
    ["http://h/b/y.html", `${dir.path}/h/b/y.html`],
  ]);
  assert.equal(
    convertLinks(page, "http://h/a/", "html", saved, { fileOnly: true, adjustExtension: true }),
    3,
  );
  // A saved file's name in place of the link's last part (its fragment kept); a link to a file
  // not saved made absolute, as with -k.
  assert.equal(
    await Deno.readTextFile(page),
    `<a href="/b/x%3Fq=1.html#top">x</a> <a href="http://h/b/y.html">y</a> ` +
      `<a href="http://h/a/z.html">z</a>`,
  );
});

Deno.test("convertLinks() writes a link it makes absolute with GNU's characters, after <base> too", async () => {
  await using dir = await tempDir();
  const page = `${dir.path}/h/a/index.html`;
  await Deno.mkdir(`${dir.path}/h/a`, { recursive: true });
  await Deno.writeTextFile(
    page,
    `<a href="x{1}.html">1</a> <a href="50%.html#f{2}">2</a> <base href="/b/">` +
      `<a href="y z.html">3</a> <a href="m{%7B}.html">4</a> <a href="%41.html">5</a>`,
  );
  assert.equal(convertLinks(page, "http://h/a/", "html", new Map()), 6);
  assert.equal(
    await Deno.readTextFile(page),
    `<a href="http://h/a/x{1}.html">1</a> <a href="http://h/a/50%.html#f{2}">2</a> ` +
      `<base href=""><a href="http://h/b/y&#32;z.html">3</a> ` +
      `<a href="http://h/b/m{%7B}.html">4</a> <a href="http://h/b/%41.html">5</a>`,
  );
});

Deno.test("convertLinks() empties a <base href> but for its fragment, as GNU's replace_attr (seed 930030)", async () => {
  await using dir = await tempDir();
  const page = `${dir.path}/h/a/index.html`;
  await Deno.mkdir(`${dir.path}/h/a`, { recursive: true });
  await Deno.writeTextFile(
    page,
    `<base href="/p.html?q=1#f"><a href="x.html">x</a> <base href='/b/#'><a href="y.html">y</a>`,
  );
  convertLinks(page, "http://h/a/", "html", new Map());
  assert.equal(
    await Deno.readTextFile(page),
    `<base href="#f"><a href="http://h/x.html">x</a> <base href='#'>` +
      `<a href="http://h/b/y.html">y</a>`,
  );
});

Deno.test("convertLinks() writes a page of many write batches byte for byte, UTF-8 or not", async () => {
  await using dir = await tempDir();
  const saved = new Map([["http://h/a/x.html", `${dir.path}/h/a/x.html`]]);
  await Deno.mkdir(`${dir.path}/h/a`, { recursive: true });
  // Text of 1 to 4 UTF-8 bytes a character (an astral one is two UTF-16 units, which a batch
  // must not split), ~1.3 MiB in all, with links between: each converted, nothing else moved.
  const filler = (n: number) => `caf\u00e9 \u20ac \u{1f600} ${"z".repeat(n % 97)}`;
  const parts = Array.from({ length: 30_000 }, (_, n) => filler(n));
  const page = (link: (n: number) => string) =>
    parts.map((text, n) => (n % 100 === 0 ? `<a href="${link(n)}">${n}</a>` : text)).join("");
  const path = `${dir.path}/h/a/index.html`;
  await Deno.writeTextFile(path, page((n) => (n % 200 === 0 ? "x.html" : `/far/${n}`)));
  assert.equal(convertLinks(path, "http://h/a/", "html", saved), 300);
  assert.equal(
    await Deno.readTextFile(path),
    page((n) => (n % 200 === 0 ? "x.html" : `http://h/far/${n}`)),
  );
  // Not UTF-8 (a Latin-1 page): every byte written back as it was.
  const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  const plain = Array.from({ length: 30_000 }, (_, n) => `caf\xe9 ${"z".repeat(n % 97)}`);
  const bytesPage = (link: (n: number) => string) =>
    latin1(
      plain.map((text, n) => (n % 100 === 0 ? `<a href="${link(n)}">${n}</a>` : text)).join(""),
    );
  await Deno.writeFile(path, bytesPage((n) => `/far/${n}`));
  assert.equal(convertLinks(path, "http://h/a/", "html", saved), 300);
  assert.deepEqual(await Deno.readFile(path), bytesPage((n) => `http://h/far/${n}`));
  assert.deepEqual([...Deno.readDirSync(`${dir.path}/h/a`)].map((entry) => entry.name), [
    "index.html",
  ]);
});

Deno.test("convertLinks() reads a page again byte for byte when a byte past its first pieces is not UTF-8", async () => {
  await using dir = await tempDir();
  const saved = new Map([["http://h/a/x.html", `${dir.path}/h/a/x.html`]]);
  await Deno.mkdir(`${dir.path}/h/a`, { recursive: true });
  const path = `${dir.path}/h/a/index.html`;
  // UTF-8 (caf\u00e9 is c3 a9) for ~400 KiB, links converted all along, then one byte 0xff: the
  // conversion under way as UTF-8 is dropped and the page read one character per byte, so c3 a9
  // is written back as those two bytes, not as the UTF-8 of two characters.
  const encode = (text: string) => new TextEncoder().encode(text);
  const page = (link: string) => {
    const parts = Array.from(
      { length: 4000 },
      (_, n) =>
        encode(`<p>caf\u00e9 ${"y".repeat(80)} <a href="${n % 2 ? link : "/far.html"}">l</a>\n`),
    );
    return new Uint8Array([...parts.flatMap((p) => [...p]), 0xff, ...encode(`<a href="${link}">`)]);
  };
  await Deno.writeFile(path, page("x.html"));
  assert.equal(convertLinks(path, "http://h/a/", "html", saved), 4001);
  const expected = [...page("x.html")];
  const far = [...encode(`"/far.html"`)];
  const absolute = [...encode(`"http://h/far.html"`)];
  // Every "/far.html" made absolute, byte for byte elsewhere.
  const result: number[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (far.every((b, k) => expected[i + k] === b)) {
      result.push(...absolute);
      i += far.length - 1;
    } else {
      result.push(expected[i]!);
    }
  }
  assert.deepEqual(await Deno.readFile(path), new Uint8Array(result));
  assert.deepEqual([...Deno.readDirSync(`${dir.path}/h/a`)].map((entry) => entry.name), [
    "index.html",
  ]);
});

Deno.test("convertLinks() keeps a UTF-8 page's byte order mark, as GNU wget", async () => {
  // (It was dropped: the page was decoded with the mark taken off, then written without it.)
  await using dir = await tempDir();
  await Deno.mkdir(`${dir.path}/h`, { recursive: true });
  const path = `${dir.path}/h/index.html`;
  const text = `<a href="/x.html">x</a> <a href="/nope.html">n</a>\n`;
  await Deno.writeFile(path, new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]));
  const saved = new Map([["http://h/x.html", `${dir.path}/h/x.html`]]);
  assert.equal(convertLinks(path, "http://h/", "html", saved), 2);
  const converted = `<a href="x.html">x</a> <a href="http://h/nope.html">n</a>\n`;
  assert.deepEqual(
    await Deno.readFile(path),
    new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(converted)]),
  );
});

Deno.test("convertLinks() converts a stylesheet of many pieces, links cut between them", async () => {
  await using dir = await tempDir();
  await Deno.mkdir(`${dir.path}/h/css`, { recursive: true });
  const path = `${dir.path}/h/css/s.css`;
  // Rules of 61 to 157 characters: a `url(` falls across each 32 KiB piece's end somewhere.
  const sheet = (link: (n: number) => string) =>
    Array.from(
      { length: 20_000 },
      (_, n) => `.r${n} { background: url(${link(n)}) } /* ${"c".repeat(n % 97)} */\n`,
    ).join("");
  await Deno.writeTextFile(path, sheet((n) => (n % 3 ? `/img/${n}.png` : "/img/saved.png")));
  const saved = new Map([["http://h/img/saved.png", `${dir.path}/h/img/saved.png`]]);
  assert.equal(convertLinks(path, "http://h/css/s.css", "css", saved), 20_000);
  assert.equal(
    await Deno.readTextFile(path),
    sheet((n) => (n % 3 ? `http://h/img/${n}.png` : "../img/saved.png")),
  );
});
