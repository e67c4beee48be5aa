/**
 * `wget -p -k`'s promise, "a page with everything it needs for offline viewing", checked where a
 * user checks it: in a browser, with the server gone. GNU wget and netkit save the same page from
 * nginx on loopback with `-p -k` (and with `-nd`, and `-nH --cut-dirs=1`); nginx is stopped; then
 * headless Chromium opens each tree's page from disk, and a script in the page says what it got:
 * each image's source and width once loaded, the stylesheets (one `@import`ed), the script, the
 * frame and its image, the backgrounds from a stylesheet and from a `style` attribute, a picture's
 * `<source srcset>` (which GNU wget 1.21 does not read: neither tool saves it, and the picture
 * shows nothing from either tree), an image whose URL has a query (`q.png?v=2`, saved under that
 * name, which a file URL can only reach as `%3F`), a non-ASCII name, an image of another host
 * (saved under `-H`), and a link that `-p` did not follow (made absolute). netkit's tree must
 * render as GNU's does, and every resource either loaded from a file of the tree — none from the
 * network. Then a whole mirror (`-m -k -E`), browsed page by page.
 */

import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { startNginx } from "../harness/nginx.ts";
import { chromiumDom, dumpedText } from "../harness/chromium.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { mirrorBoth, startTestSite } from "../harness/test_site.ts";

/** A 1×1 PNG: every image of the site, so that a width of 1 says it loaded. */
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);

/** What the page reports once loaded, in a `<pre id="result">` that `--dump-dom` shows. */
const REPORT_SCRIPT = `<script>
addEventListener("load", () => {
  const byId = (id) => document.getElementById(id);
  const background = (id) => getComputedStyle(byId(id)).backgroundImage;
  const frame = (() => {
    try {
      const page = byId("frame").contentDocument;
      return [page.title, [...page.images].map((image) => [image.currentSrc, image.naturalWidth])];
    } catch (error) {
      return String(error);
    }
  })();
  byId("result").textContent = JSON.stringify({
    images: [...document.images].map((image) => [image.id, image.currentSrc, image.naturalWidth]),
    sheets: [...document.styleSheets].map((sheet) => sheet.href),
    imported: getComputedStyle(byId("imported")).width,
    color: getComputedStyle(document.body).color,
    script: window.appLoaded ?? null,
    backgrounds: [background("bg"), background("inline")],
    frame,
    away: byId("away").href,
  });
});
</script>`;

/** The site under nginx's root: a page in `/docs/` and what it needs. */
function siteFiles(otherHost: string): Record<string, string | Uint8Array> {
  return {
    "docs/page.html": `<!DOCTYPE html><html><head><title>offline</title>
<link rel="stylesheet" href="css/main.css">
<script src="js/app.js"></script>
</head><body>
<div id="bg">bg</div><div id="imported">imported</div>
<div id="inline" style="background-image: url('img/inline.png')">inline</div>
<img id="absolute" src="/img/absolute.png">
<img id="relative" src="img/relative.png">
<img id="srcset" src="img/s1.png" srcset="img/s1.png 1x, img/s2.png 2x">
<picture><source srcset="img/picture.png" type="image/png"><img id="picture" src="img/s1.png"></picture>
<img id="query" src="img/q.png?v=2">
<img id="accent" src="img/caf%C3%A9.png">
<img id="other-host" src="${otherHost}/elsewhere.png">
<iframe id="frame" src="frame.html"></iframe>
<a id="away" href="other.html">not a requisite</a>
<pre id="result"></pre>
${REPORT_SCRIPT}
</body></html>
`,
    "docs/frame.html": `<!DOCTYPE html><html><head><title>framed</title></head><body>
<img src="img/framed.png"></body></html>
`,
    "docs/other.html": "<p>other</p>\n",
    "docs/css/main.css": `@import url("more.css");
body { color: rgb(1, 2, 3) }
#bg { background-image: url("../img/bg.png") }
`,
    "docs/css/more.css": "#imported { width: 123px }\n",
    "docs/js/app.js": 'window.appLoaded = "yes";\n',
    "img/absolute.png": PNG,
    "docs/img/relative.png": PNG,
    "docs/img/s1.png": PNG,
    "docs/img/s2.png": PNG,
    "docs/img/picture.png": PNG,
    "docs/img/q.png": PNG,
    "docs/img/café.png": PNG,
    "docs/img/framed.png": PNG,
    "docs/img/bg.png": PNG,
    "docs/img/inline.png": PNG,
    "../second/elsewhere.png": PNG,
  };
}

/** What headless Chromium's page reported for the file `page`, with the network unreachable. */
async function renderedReport(page: string, profile: string): Promise<unknown> {
  // A saved page's frame is another file: let the page's script look into it.
  const extra = ["--allow-file-access-from-files"];
  const dom = await chromiumDom(pathToFileURL(page).href, profile, extra);
  const report = dom.match(/<pre id="result">([^<]*)<\/pre>/)?.[1];
  assert.ok(report, `no report in ${dom.slice(0, 300)} … ${dom.slice(-500)}`);
  return JSON.parse(dumpedText(report));
}

/** Every `file:` URL in `report`, as a path (decoded, without query or fragment). */
function filePaths(report: unknown): string[] {
  const text = JSON.stringify(report);
  return [...text.matchAll(/file:\/\/[^"\\)]+/g)].map((match) =>
    decodeURIComponent(new URL(match[0]).pathname)
  );
}

/**
 * The option sets, where each saves the page under its tree, and the images that neither tree
 * shows: the picture's source, which GNU wget 1.21 does not read, and without `-E` the image with
 * a query, whose link GNU's `-k` writes as `q.png?v=2` (its local_quote_string writes `?` as
 * `%3F` only under `-E`), which a browser reads as the file `q.png` and a query.
 */
const VARIANTS: { args: string[]; page: (host: string) => string; unseen: string[] }[] = [
  {
    args: ["-p", "-k", "-E"],
    page: (host) => `${host}/docs/page.html`,
    unseen: ["picture", "other-host"],
  },
  { args: ["-p", "-k", "-E", "-nd"], page: () => "page.html", unseen: ["picture", "other-host"] },
  {
    args: ["-p", "-k", "-nH", "--cut-dirs=1"],
    page: () => "page.html",
    unseen: ["picture", "query", "other-host"],
  },
  // GNU wget's manual's recipe for a page to read offline, another host's images included.
  {
    args: ["-E", "-H", "-k", "-K", "-p"],
    page: (host) => `${host}/docs/page.html`,
    unseen: ["picture"],
  },
];

peerTest(
  "wget -p -k saves a page that headless Chromium shows offline as it shows GNU wget's",
  ["wget", "nginx", "chromium"],
  async () => {
    await using dir = await tempDir("netkit_offline_chromium_");
    const trees: { variant: number; tool: string; page: string; files: Map<string, string> }[] = [];
    let origin = "";
    {
      await using nginx = await startNginx(dir.path, {
        serverConfig: "types { text/html html; text/css css; image/png png; " +
          "application/javascript js; }",
        second: { address: "127.0.0.2", serverConfig: "types { image/png png; }" },
      });
      origin = `http://127.0.0.1:${nginx.port}`;
      const otherHost = `http://127.0.0.2:${nginx.secondPort}`;
      for (const [path, content] of Object.entries(siteFiles(otherHost))) {
        const file = `${nginx.root}/${path}`;
        await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
        if (typeof content === "string") await Deno.writeTextFile(file, content);
        else await Deno.writeFile(file, content);
      }
      for (const [variant, { args, page }] of VARIANTS.entries()) {
        const out = `${dir.path}/run${variant}`;
        const { gnu, netkit, codes } = await mirrorBoth(out, args, `${origin}/docs/page.html`);
        assert.deepEqual(codes, [0, 0], args.join(" "));
        assert.deepEqual([...netkit].sort(), [...gnu].sort(), args.join(" "));
        const host = `127.0.0.1:${nginx.port}`;
        trees.push({ variant, tool: "gnu", page: `${out}/gnu/${page(host)}`, files: gnu });
        trees.push({ variant, tool: "netkit", page: `${out}/netkit/${page(host)}`, files: netkit });
      }
    }
    // nginx is gone: anything the page still asks of it fails to load.
    for (const [variant, { args, unseen }] of VARIANTS.entries()) {
      const [gnu, netkit] = trees.filter((tree) => tree.variant === variant);
      const reports = [];
      for (const tree of [gnu!, netkit!]) {
        const report = await renderedReport(
          tree.page,
          `${dir.path}/profile-${variant}-${tree.tool}`,
        );
        const root = tree.page.slice(
          0,
          tree.page.lastIndexOf(`/run${variant}/`) + `/run${variant}/`.length + tree.tool.length,
        );
        // Every resource the page refers to as a file is a file of its own tree (but the images
        // that GNU's tree does not show either).
        const unseenFiles = ["/picture.png", ...(unseen.includes("query") ? ["/q.png"] : [])];
        const seenPaths = filePaths(report).filter((path) =>
          !unseenFiles.some((name) => path.endsWith(name))
        );
        for (const path of seenPaths) {
          assert.ok(path.startsWith(`${root}/`), `${tree.tool} ${args.join(" ")}: ${path}`);
          assert.ok(
            tree.files.has(path.slice(root.length + 1)),
            `${tree.tool} ${args.join(" ")}: ${path} missing`,
          );
        }
        reports.push(
          JSON.parse(JSON.stringify(report).replaceAll(`file://${encodeURI(root)}`, "file://TREE")),
        );
      }
      assert.deepEqual(reports[1], reports[0], args.join(" "));
      // GNU's tree shows what the test expects of a page saved for offline viewing.
      const seen = reports[0] as {
        images: [string, string, number][];
        imported: string;
        color: string;
        script: string | null;
        backgrounds: string[];
        frame: [string, [string, number][]];
        away: string;
      };
      for (const [id, source, width] of seen.images) {
        if (unseen.includes(id)) {
          assert.equal(width, 0, `${id}: ${source}`);
          continue;
        }
        assert.ok(source.startsWith("file://TREE/") && width === 1, `${id}: ${source} ${width}`);
      }
      assert.equal(seen.imported, "123px");
      assert.equal(seen.color, "rgb(1, 2, 3)");
      assert.equal(seen.script, "yes");
      for (const background of seen.backgrounds) {
        assert.match(background, /^url\("file:\/\/TREE\//);
      }
      assert.equal(seen.frame[0], "framed");
      assert.deepEqual(seen.frame[1].map(([, width]) => width), [1]);
      assert.equal(seen.away, `${origin}/docs/other.html`);
    }
  },
);

/**
 * A page that opens every page of a mirror (`pages`, file URLs) in a frame of its own and, once
 * all are loaded, reports in `<pre id="result">` what each refers to as the browser resolves it:
 * each link, image (`currentSrc` too, as `srcset` picks it), stylesheet, script and frame, and
 * the body's and first heading's backgrounds from the stylesheets.
 */
function browsingPage(pages: string[]): string {
  const frames = pages.map((page) => `<iframe src="${page}"></iframe>`).join("\n");
  return `<!DOCTYPE html><html><body>
${frames}
<pre id="result"></pre>
<script>
addEventListener("load", () => {
  const report = {};
  for (const frame of document.querySelectorAll("iframe")) {
    const page = frame.contentDocument;
    const refs = [];
    for (const element of page.querySelectorAll("[href], [src], [srcset]")) {
      const tag = element.tagName.toLowerCase();
      if (element.href !== undefined) refs.push([tag, "href", element.href]);
      if (element.src) refs.push([tag, "src", element.src]);
      if (element.currentSrc) refs.push([tag, "currentSrc", element.currentSrc]);
    }
    for (const element of [page.body, page.querySelector("h1")]) {
      if (!element) continue;
      const background = getComputedStyle(element).backgroundImage;
      refs.push([element.tagName.toLowerCase(), "background", background]);
    }
    report[frame.getAttribute("src")] = refs;
  }
  document.getElementById("result").textContent = JSON.stringify(report);
});
</script></body></html>
`;
}

peerTest(
  "wget -m -k -E's mirror browses offline in headless Chromium as GNU wget's: " +
    "every link to a saved file finds it",
  ["wget", "nginx", "chromium"],
  async () => {
    await using dir = await tempDir("netkit_offline_mirror_");
    const trees: { tool: string; root: string; files: Map<string, string> }[] = [];
    {
      await using site = await startTestSite(dir.path, 12);
      const { gnu, netkit, codes } = await mirrorBoth(
        `${dir.path}/run`,
        ["-m", "-k", "-E"],
        `${site.origin}/`,
      );
      assert.deepEqual(codes, [8, 8]);
      assert.deepEqual([...netkit].sort(), [...gnu].sort());
      trees.push({ tool: "gnu", root: `${dir.path}/run/gnu`, files: gnu });
      trees.push({ tool: "netkit", root: `${dir.path}/run/netkit`, files: netkit });
      // netkit's walk with four threads converts the same links.
      const threaded = await mirrorBoth(
        `${dir.path}/threads`,
        ["-m", "-k", "-E", "--max-threads", "4"],
        `${site.origin}/`,
      );
      assert.deepEqual(threaded.codes, [8, 8]);
      assert.deepEqual([...threaded.netkit].sort(), [...gnu].sort());
      const root = `${dir.path}/threads/netkit`;
      trees.push({ tool: "netkit --max-threads 4", root, files: threaded.netkit });
    }
    // nginx is gone: a link the browser would follow to it leads nowhere.
    const reports = [];
    for (const { tool, root, files } of trees) {
      const pages = [...files.keys()].filter((path) => path.endsWith(".html")).sort();
      const pageUrls = pages.map((path) => pathToFileURL(`${root}/${path}`).href);
      const harness = `${dir.path}/browse-${reports.length}.html`;
      await Deno.writeTextFile(harness, browsingPage(pageUrls));
      const profile = `${dir.path}/profile-${reports.length}`;
      const report = await renderedReport(harness, profile) as Record<
        string,
        [string, string, string][]
      >;
      assert.equal(Object.keys(report).length, pages.length, tool);
      // Each file a page refers to: there, or not (a link to what was not downloaded keeps an
      // absolute http URL, so a file that is missing is a conversion gone wrong).
      const missing: string[] = [];
      for (const [page, refs] of Object.entries(report)) {
        for (const [tag, attribute, url] of refs) {
          const file = url.match(/file:\/\/[^"\\)#?]+/)?.[0];
          if (!file) continue;
          const path = decodeURIComponent(new URL(file).pathname);
          if (path.startsWith(`${root}/`) && files.has(path.slice(root.length + 1))) continue;
          // A directory of the tree (`docs/`): where a browser shows its listing.
          const isDirectory = await Deno.stat(path).then((info) => info.isDirectory, () => false);
          if (!isDirectory) missing.push(`${page} ${tag} ${attribute} ${url}`);
        }
      }
      reports.push({
        missing: missing.map((line) => line.replaceAll(encodeURI(root), "TREE")),
        report: JSON.parse(JSON.stringify(report).replaceAll(encodeURI(root), "TREE")),
      });
    }
    assert.deepEqual(reports[1], reports[0]);
    assert.deepEqual(reports[2], reports[0]);
    // The one link that leads nowhere in both trees: GNU's -k writes `back%5Cslash.txt`'s file
    // as `back\slash.txt`, which a browser reads as `back/slash.txt` (a backslash is a slash in
    // a file URL, as in an http one).
    assert.deepEqual(reports[0]!.missing.map((line) => line.replace(/:\d+\//g, ":PORT/")), [
      "file://TREE/127.0.0.1:PORT/files/index.html a href " +
      "file://TREE/127.0.0.1:PORT/files/back/slash.txt",
    ]);
  },
);
