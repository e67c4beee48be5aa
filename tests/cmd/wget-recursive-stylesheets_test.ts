/**
 * `wget -r` and `-p` on a stylesheet of 20 MiB, beside GNU wget on the same nginx: GNU wget 1.21
 * reads a stylesheet whole for its links (css-url.c's `get_urls_css_file`), so links anywhere in
 * it are followed — before 16 MiB and after (netkit once read no further), cut by the 32 KiB
 * pieces netkit reads a sheet in (a `url(`, its value, a comment, a string, an `@import`, a
 * character of two bytes), and past 1 MiB (the text netkit keeps while a page arrives).
 */

import assert from "node:assert/strict";
import { startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { mirrorBoth } from "../harness/test_site.ts";

const CONFIG = `
    types { text/html html; text/css css; image/png png; }
`;

/** The pieces netkit reads a sheet from its file in (lib/download's PAGE_CHUNK_BYTES). */
const CHUNK = 32 * 1024;
const MIB = 1024 * 1024;

/**
 * A stylesheet of rules and comments (`size` bytes at least) with each of `marks`' texts at its
 * place (the filler before it padded with blanks).
 */
function bigSheet(size: number, marks: [number, string][]): Uint8Array {
  const filler = ".rule { color: red } /* url(no.png) @import 'no.css'; */ p { margin: 0 }\n";
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let at = 0;
  const fillTo = (place: number) => {
    const lines = Math.floor((place - at) / filler.length);
    if (lines > 0) {
      parts.push(encoder.encode(filler.repeat(lines)));
      at += lines * filler.length;
    }
    parts.push(encoder.encode(" ".repeat(place - at)));
    at = place;
  };
  for (const [place, text] of [...marks].sort((a, b) => a[0] - b[0])) {
    assert.ok(place >= at, `${place}`);
    fillTo(place);
    const bytes = encoder.encode(text);
    parts.push(bytes);
    at += bytes.length;
  }
  fillTo(Math.max(at, size));
  const sheet = new Uint8Array(at);
  let filled = 0;
  for (const part of parts) {
    sheet.set(part, filled);
    filled += part.length;
  }
  return sheet;
}

/** The site: a page with the big sheet, the sheets it imports, and what they link to. */
function siteFiles(): Record<string, string | Uint8Array> {
  const sheet = bigSheet(20 * MIB, [
    [0, `@import "head.css";\np { background: url(before.png) }\n`],
    [5 * MIB, `q { background: url('five.png') }`],
    // A `url(` cut after "ur", a value cut in its middle, a quoted value cut after its quote.
    [100 * CHUNK - 2, `url(cut-url.png)`],
    [101 * CHUNK - 6, `url(cut-value.png)`],
    [102 * CHUNK - 5, `url( "cut-quote.png" )`],
    // A comment and a string cut between pieces, with what is not a link inside.
    [103 * CHUNK - 10, `/* a comment url(no-comment.png) */ url(after-comment.png)`],
    [104 * CHUNK - 4, `q { content: "a string url(no-string.png)" } url(after-string.png)`],
    // An `@import` cut in its keyword. (An escape is read as CSS means it where GNU keeps the
    // `\`, cmd/README.md says: the unit tests cut escapes.)
    [105 * CHUNK - 3, `@import 'cut-import.css';`],
    // At 16 MiB: a link across it, then links past it.
    [16 * MIB - 7, `url(at-16mib.png)`],
    [17 * MIB - 1, `url(caf\u00e9.png)`],
    [18 * MIB, `@import url(after.css);`],
    [20 * MIB, `p { background: url("last.png") } /* the end`],
  ]);
  const files: Record<string, string | Uint8Array> = {
    "index.html": `<!DOCTYPE html><link rel="stylesheet" href="big.css"><a href="page.html">p</a>`,
    "page.html": `<p>page`,
    "big.css": sheet,
    "head.css": `p { background: url(head.png) }`,
    "cut-import.css": `p { background: url(cut-import.png) }`,
    "after.css": `p { background: url(after.png) }`,
  };
  for (
    const name of [
      "before",
      "five",
      "cut-url",
      "cut-value",
      "cut-quote",
      "after-comment",
      "after-string",
      "cut(escape",
      "at-16mib",
      "caf\u00e9",
      "last",
      "head",
      "cut-import",
      "after",
    ]
  ) files[`${name}.png`] = `png ${name}\n`;
  return files;
}

peerTest(
  "wget -r, -p on a stylesheet of 20 MiB: its links before and after 16 MiB and cut between pieces, as GNU wget",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using nginx = await startNginx(dir.path, { serverConfig: CONFIG });
    const origin = `http://127.0.0.1:${nginx.port}`;
    for (const [path, content] of Object.entries(siteFiles())) {
      if (typeof content === "string") await Deno.writeTextFile(`${nginx.root}/${path}`, content);
      else await Deno.writeFile(`${nginx.root}/${path}`, content);
    }
    const cases = [
      { args: ["-r"], path: "/" },
      { args: ["-p"], path: "/" },
      { args: ["-r"], path: "/big.css" },
      { args: ["-r", "--max-threads", "2"], path: "/" },
    ];
    for (const { args, path } of cases) {
      await t.step(`${args.join(" ")} ${path}`, async () => {
        const { gnu, netkit, codes } = await mirrorBoth(dir.path, args, origin + path);
        // Every .png and sheet linked is there (the check that GNU itself followed them all).
        const names = [...gnu.keys()].map((name) => name.slice(name.indexOf("/") + 1)).sort();
        for (const name of ["after.css", "last.png", "at-16mib.png", "cut-value.png"]) {
          assert.ok(names.includes(name), names.join("\n"));
        }
        assert.ok(!names.some((name) => name.startsWith("no")), names.join("\n"));
        assert.deepEqual([...netkit.entries()].sort(), [...gnu.entries()].sort());
        assert.equal(codes[1], codes[0]);
      });
    }
  },
);
