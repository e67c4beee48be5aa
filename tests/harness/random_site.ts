/**
 * A seeded random web site and a random `wget -r` option set for it, for the differential test of
 * netkit's `wget -r` against GNU wget (`tests/cmd/wget-recursive-random_test.ts`): the same seed
 * gives the same site, the same nginx directives and the same options, so a difference replays.
 *
 * The site has nested directories (depth 0–4) and 10–60 pages, with links of the forms a real site
 * has: relative (`a.html`, `../b/`, `./c?x=1`), root-relative, absolute with the origin,
 * protocol-relative, to the same server under another name (`localhost`), off-site, with
 * fragments and queries (`&amp;`, `=`, `%2F`, `+`, blanks, non-ASCII), percent-encoded and
 * upper-case paths, names with blanks, `~`, `@`, `;` and non-ASCII letters, directories with and
 * without their trailing slash (nginx's 301), missing files (404), redirects (nginx's `return
 * 301`/`302`), `<base href>`, images with `srcset`, stylesheets with `url()` and `@import`,
 * scripts, iframes, `<a>` inside comments and `<script>` text, robots.txt with `Disallow`/`Allow`
 * lines for `*`, and `<meta name="robots" content="nofollow">`.
 *
 * Left out, because netkit differs from GNU wget 1.21 there on purpose (cmd/README.md's wget
 * section): `\`, tabs and `%2e%2e` in links, blanks and non-ASCII letters as written in a link
 * that redirects or to a redirect's target (a directory), `-k` beside `-A`/`-R` (GNU's links to the
 * `NAME.tmp` files it leaves), `http:x.html`, `|^{}'` in queries, hosts no URL can
 * hold, broken comments (`<!-->`), Latin-1 pages, and robots.txt whose first matching line is
 * not its longest (the lines are written longest first, no path twice, without `*` or `$`). The
 * test normalises the rest (see there).
 *
 * Contents name the server by placeholders that {@linkcode writeRandomSite} fills in: `@ORIGIN@`
 * (`http://127.0.0.1:PORT`), `@HOST@` (`127.0.0.1:PORT`), `@OTHER@` (`localhost:PORT`) and `@OTHERUP@`
 * (`LOCALHOST:PORT`).
 *
 * @module
 */

import { randomDraws, seededRandom } from "./seeded_random.ts";

/** One generated case. */
export interface RandomSite {
  /** The files under the document root: path (as on disk) → content. */
  files: Record<string, string | Uint8Array>;
  /** nginx directives for the server block (the redirects). */
  nginxConfig: string;
  /** The URL path the run starts from (escaped). */
  start: string;
  /** The options, the same for both wgets. */
  args: string[];
}

const DIR_NAMES = [
  "docs",
  "a",
  "b",
  "Img",
  "sp ace",
  "til~de",
  "at@x",
  "semi;c",
  "caf\u00e9",
  "UP",
];
const PAGE_NAMES = [
  "page",
  "About",
  "sp ace",
  "t~ilde",
  "a@b",
  "s;c",
  "caf\u00e9",
  "UPPER",
  "q",
  "x.y",
  "n+m",
];
const QUERIES = [
  "x=1",
  "a=1&amp;b=2",
  "q=a%2Fb",
  "q=a+b",
  "q=a b",
  "q=caf\u00e9",
  "k=v=w",
  "",
  "p=%20&amp;r",
];

/** A directory or file of the site, by its path segments. */
interface Node {
  segments: string[];
  kind: "dir" | "page" | "png" | "css" | "js" | "txt";
}

/** Escapes a path segment as a link may write it. */
function escapeSegment(name: string, style: "raw" | "canonical" | "lower" | "letter"): string {
  if (style === "raw") return name;
  const bytes = new TextEncoder().encode(name);
  let out = "";
  for (const byte of bytes) {
    if (byte === 0x20 || byte >= 0x80) {
      const hex = byte.toString(16).toUpperCase().padStart(2, "0");
      out += `%${style === "lower" ? hex.toLowerCase() : hex}`;
    } else out += String.fromCharCode(byte);
  }
  if (style === "letter") {
    // One ASCII letter written as an escape (%61 for "a").
    const at = out.search(/[a-zA-Z]/);
    if (at >= 0) {
      out = out.slice(0, at) + "%" + out.charCodeAt(at).toString(16).toUpperCase() +
        out.slice(at + 1);
    }
  }
  return out;
}

/** The escaped URL path of `segments` (a directory's with its slash). */
function canonicalPath(node: Node): string {
  const path = "/" + node.segments.map((s) => escapeSegment(s, "canonical")).join("/");
  return node.kind === "dir" && node.segments.length > 0 ? path + "/" : path;
}

function pngBytes(random: () => number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/** The site and options of `seed`. */
export function randomSite(seed: number): RandomSite {
  const { random, int, pick, chance } = randomDraws(seed);

  // Directories: the root, then each below a random earlier one, at most 4 deep.
  const dirs: Node[] = [{ segments: [], kind: "dir" }];
  const dirCount = int(0, 7);
  for (let i = 0; i < dirCount; i++) {
    const parent = pick(dirs);
    if (parent.segments.length >= 4) continue;
    const name = pick(DIR_NAMES);
    const segments = [...parent.segments, name];
    if (dirs.some((d) => d.segments.join("/") === segments.join("/"))) continue;
    dirs.push({ segments, kind: "dir" });
  }
  const nodes: Node[] = [];
  const taken = new Set<string>();
  const add = (dir: Node, name: string, kind: Node["kind"]) => {
    const segments = [...dir.segments, name];
    const key = segments.join("/").toLowerCase();
    // No file named as a directory, no two names that differ only in case (-E, lowercase).
    if (taken.has(key) || dirs.some((d) => d.segments.join("/").toLowerCase() === key)) return;
    taken.add(key);
    nodes.push({ segments, kind });
  };
  for (const dir of dirs) {
    if (dir.segments.length === 0 || chance(0.85)) add(dir, "index.html", "page");
  }
  const pages = int(10, 60);
  for (let i = 0; nodes.length < pages && i < pages * 3; i++) {
    const name = chance(0.5) ? `p${int(1, 99)}` : pick(PAGE_NAMES);
    add(pick(dirs), `${name}.${chance(0.1) ? pick(["htm", "php", "HTML"]) : "html"}`, "page");
  }
  const assets = int(2, 12);
  for (let i = 0; i < assets; i++) {
    const kind = pick(["png", "png", "css", "js", "txt"] as const);
    const name = chance(0.7) ? `f${int(1, 50)}` : pick(PAGE_NAMES);
    add(pick(dirs), `${name}.${kind === "png" && chance(0.2) ? "PNG" : kind}`, kind);
  }
  const pageNodes = nodes.filter((n) => n.kind === "page");
  const byKind = (kind: Node["kind"]) => nodes.filter((n) => n.kind === kind);

  // Redirects: nginx answers /rN.html with 301 or 302 to a page, a directory, or a missing file.
  const redirects: { path: string; status: number; to: string }[] = [];
  const config: string[] = [];
  for (let i = int(0, 2); i > 0; i--) {
    const path = `/r${i}.html`;
    const status = pick([301, 302]);
    const to = chance(0.8)
      ? canonicalPath(chance(0.8) ? pick(pageNodes) : pick(dirs))
      : `/gone${i}.html`;
    redirects.push({ path, status, to });
    config.push(`location = ${path} { return ${status} "${to}"; }`);
  }

  /** A link from a page in `from` (its base's segments) to `to`, in a random form. */
  const href = (from: string[], to: Node | string, requisite = false, srcset = false): string => {
    let path: string;
    // Not a blank or a non-ASCII letter as written in a link nginx redirects (a directory
    // without its slash, /rN.html), or to a redirect's target: GNU files such a URL as written
    // and looks it up escaped, so its -k leaves the link absolute and it fetches the target
    // again after the redirect (cmd/README.md). Nor in srcset, which blanks split.
    let redirected = redirects.some((r) => r.path === to);
    if (typeof to === "string") path = to;
    else {
      const slash = to.kind === "dir" && to.segments.length > 0 && (requisite || chance(0.7))
        ? "/"
        : "";
      // (A directory with its slash is the target of the redirect of one without.)
      redirected = to.kind === "dir" || srcset ||
        redirects.some((r) => r.to === canonicalPath(to));
      const style = redirected
        ? pick(["canonical", "canonical", "lower", "letter"] as const)
        : pick(["raw", "canonical", "canonical", "lower", "letter"] as const);
      const segments = to.segments.map((s) => escapeSegment(s, style));
      const form = pick(["relative", "relative", "relative", "root", "absolute", "protocol"]);
      if (form === "relative") {
        let common = 0;
        while (
          common < from.length && common < to.segments.length - (to.kind === "dir" ? 0 : 1) &&
          from[common] === to.segments[common]
        ) common++;
        const up = "../".repeat(from.length - common);
        // (An ancestor is `../`, not `..//`, whose path grows at each level under -m.)
        const below = segments.slice(common).join("/");
        const rest = below === "" ? "" : below + slash;
        path = (up === "" && chance(0.2) ? "./" : up) + rest;
        if (path === "") path = "./";
      } else {
        const full = "/" + segments.join("/") + slash;
        path = form === "root" ? full : form === "absolute" ? `@ORIGIN@${full}` : `//@HOST@${full}`;
      }
    }
    if (requisite && !srcset && chance(0.08)) path += pick(["?v=1", "?v=2&amp;x"]);
    else if (!requisite && chance(0.2)) {
      path += `?${pick(QUERIES.filter((q) => !redirected || /^[\x21-\x7e]*$/.test(q)))}`;
    }
    if (!requisite && chance(0.15)) path += `#${pick(["top", "s1", ""])}`;
    return path;
  };
  const anyTarget = (): Node | string => {
    const r = random();
    if (r < 0.55) return pick(pageNodes);
    if (r < 0.7) return pick(dirs);
    if (r < 0.8 && nodes.length > pageNodes.length) {
      return pick(nodes.filter((n) => n.kind !== "page"));
    }
    if (r < 0.85) return `/missing${int(1, 5)}.html`;
    if (r < 0.9 && redirects.length > 0) return pick(redirects).path;
    if (r < 0.95) {
      return pick([`http://@OTHER@/`, `http://@OTHER@${canonicalPath(pick(pageNodes))}`]);
    }
    return pick([
      "http://offsite.invalid/x.html",
      "mailto:a@b.invalid",
      "#",
      "?",
      "",
      "/robots.txt",
    ]);
  };

  const files: Record<string, string | Uint8Array> = {};
  for (const node of nodes) {
    const dir = node.segments.slice(0, -1);
    const path = node.segments.join("/");
    if (node.kind === "png") files[path] = pngBytes(random, int(10, 400));
    else if (node.kind === "txt") files[path] = `text ${path}\n`;
    else if (node.kind === "js") {
      files[path] = `// ${path}\nvar u = "<a href='from-js.html'>x</a>";\n`;
    } else if (node.kind === "css") {
      const rules: string[] = [];
      for (let i = int(0, 3); i > 0; i--) {
        const target = chance(0.7) && byKind("png").length > 0
          ? href(dir, pick(byKind("png")), true)
          : chance(0.5) && byKind("css").length > 0
          ? href(dir, pick(byKind("css")), true)
          : `missing${int(1, 3)}.png`;
        // Unquoted only where the name needs no quotes (CSS escapes are read differently).
        const quote = /^[\w./@~;:%?=-]*$/.test(target) ? pick(["", "'", '"']) : pick(["'", '"']);
        rules.push(
          target.endsWith(".css") && chance(0.6)
            ? pick([`@import "${target}";`, `@import url(${target});`])
            : `p { background: url(${quote}${target}${quote}) }`,
        );
      }
      // @import only at the start, as CSS wants (both read it anywhere, but keep it real).
      rules.sort((a, b) => Number(b.startsWith("@")) - Number(a.startsWith("@")));
      files[path] = rules.join("\n") + "\n";
    } else {
      // A page.
      let base = dir;
      const head: string[] = [];
      if (chance(0.1)) {
        const baseDir = pick(dirs);
        base = baseDir.segments;
        const written = canonicalPath(baseDir);
        // Absolute, root-relative, or relative to the page (`sub/`, `../`).
        const relative = href(dir, baseDir, true).replace(/\?.*/, "");
        head.push(
          `<base href="${
            pick([`@ORIGIN@${written}`, written, relative === "" ? "./" : relative])
          }">`,
        );
      }
      if (chance(0.08)) {
        const content = pick(["nofollow", "NOFOLLOW, noindex", "none", "noindex", "all"]);
        head.push(`<meta name="${pick(["robots", "ROBOTS"])}" content="${content}">`);
      }
      if (chance(0.4) && byKind("css").length > 0) {
        head.push(`<link rel="stylesheet" href="${href(base, pick(byKind("css")), true)}">`);
      }
      if (chance(0.2) && byKind("js").length > 0) {
        head.push(`<script src="${href(base, pick(byKind("js")), true)}"></script>`);
      }
      const body: string[] = [];
      for (let i = int(1, 8); i > 0; i--) {
        body.push(`<a href="${href(base, anyTarget())}">link ${i}</a>`);
      }
      const pngs = byKind("png");
      if (pngs.length > 0 && chance(0.5)) {
        const one = href(base, pick(pngs), true);
        const srcset = chance(0.4)
          ? ` srcset="${href(base, pick(pngs), true, true)} 1x, ${
            href(base, pick(pngs), true, true)
          } 2x"`
          : "";
        body.push(`<img src="${one}"${srcset} alt="">`);
      }
      if (chance(0.15)) body.push(`<iframe src="${href(base, pick(pageNodes), true)}"></iframe>`);
      if (chance(0.15)) {
        body.push(`<!-- <a href="${href(base, pick(pageNodes))}">commented</a> -->`);
      }
      if (chance(0.1)) {
        body.push(
          `<script>var s = '<a href="${href(base, pick(pageNodes), true)}">x</a>';</script>`,
        );
      }
      if (chance(0.1) && pngs.length > 0) {
        body.push(`<div style="background: url(${href(base, pick(pngs), true)})">styled</div>`);
      }
      // Other markup of real pages, now and then.
      const aPage = () => href(base, pick(pageNodes));
      const aPng = () => pngs.length > 0 ? href(base, pick(pngs), true) : "none.png";
      const EXTRAS = [
        () => `<A HREF='${aPage()}'>upper case</A>`,
        () => `<a href=${href(base, pick(pageNodes), true, true).replace(/[\s"'>]/g, "")}>bare</a>`,
        () => `<map><area href="${aPage()}" alt=""></map>`,
        () => `<frameset><frame src="${href(base, pick(pageNodes), true)}"></frameset>`,
        () => `<embed src="${aPng()}">`,
        () => `<video src="${aPng()}" poster="${aPng()}"></video>`,
        () => `<audio><source src="${aPng()}"></audio>`,
        () => `<picture><source srcset="${aPng()} 1x"></picture>`,
        () => `<object data="${aPng()}"></object>`,
        () => `<form action="${aPage()}"><input type="image" src="${aPng()}"></form>`,
        () => `<meta http-equiv="refresh" content="0; url=${href(base, pick(pageNodes), true)}">`,
        () => `<link rel="icon" href="${aPng()}">`,
        () => `<link rel="alternate" href="${aPage()}">`,
        () => `<table background="${aPng()}"><tr><td background="${aPng()}">x</td></tr></table>`,
        () => `<a href=" ${aPage()} ">blanks around</a>`,
        () => `<a href="HTTP://@HOST@${canonicalPath(pick(pageNodes))}">upper-case scheme</a>`,
        () => `<a href="http://@OTHERUP@${canonicalPath(pick(pageNodes))}">upper-case host</a>`,
        () => `<a href="${"../".repeat(5)}${canonicalPath(pick(pageNodes)).slice(1)}">up</a>`,
        () => `<a href="${pick([".", "..", "./", "../", "?", "#", ""])}">dots</a>`,
        () => `<style>p { background: url("${aPng()}") }</style>`,
        () => `<a href="javascript:void(0)">js</a> <a href="data:text/html,x">data</a>`,
        () => `<img src="data:image/png;base64,AAAA" alt="">`,
        () => `<a href="${aPage()}" rel="nofollow">rel nofollow</a>`,
      ];
      for (let i = int(0, 3); i > 0 && pageNodes.length > 0; i--) body.push(pick(EXTRAS)());
      files[path] = `<!DOCTYPE html>\n<html><head><title>${path}</title>${head.join("")}` +
        `</head>\n<body>\n${body.join("\n")}\n</body></html>\n`;
    }
  }

  // robots.txt: Disallow/Allow for *, longest path first (GNU's first match is then the
  // longest), no path twice, plain ASCII.
  if (chance(0.6)) {
    const plain = [...dirs.slice(1), ...pageNodes]
      .map(canonicalPath)
      .filter((p) => /^[\w./-]+$/.test(p));
    const lines = new Map<string, string>();
    for (let i = int(0, 4); i > 0 && plain.length > 0; i--) {
      let path = pick(plain);
      if (chance(0.2)) path = path.slice(0, int(2, path.length));
      lines.set(path, chance(0.7) ? "Disallow" : "Allow");
    }
    const sorted = [...lines].sort(([a], [b]) => b.length - a.length);
    files["robots.txt"] = "User-agent: *\n" +
      (sorted.length === 0 ? "Disallow:\n" : sorted.map(([p, k]) => `${k}: ${p}\n`).join(""));
  }

  // The options.
  const args: string[] = [];
  const mode = pick(["r", "r", "np", "m", "p", "l"]);
  if (mode === "r") args.push("-r");
  if (mode === "np") args.push("-r", "-np");
  if (mode === "m") args.push("-m", "-np");
  if (mode === "p") args.push("-p");
  if (mode === "l") args.push("-r", "-l", String(int(0, 3)));
  const suffixes = ["html", "png", "css", "*.txt", "htm*", "p*", "js", "PNG", "*index*"];
  if (chance(0.15)) {
    args.push("-A", [pick(suffixes), ...(chance(0.4) ? [pick(suffixes)] : [])].join(","));
  }
  if (chance(0.15)) {
    args.push("-R", [pick(suffixes), ...(chance(0.4) ? [pick(suffixes)] : [])].join(","));
  }
  const layout = random();
  if (layout < 0.15) args.push("-nd");
  else if (layout < 0.28) args.push("-nH", `--cut-dirs=${int(0, 3)}`);
  if (chance(0.2)) args.push("-E");
  // Not -k beside -A/-R: GNU's -k points links at the NAME.tmp files it leaves (cmd/README.md).
  const rules = args.includes("-A") || args.includes("-R");
  if (!rules && (chance(0.3) || mode === "p")) args.push("-k");
  if (args.includes("-k") && chance(0.3)) args.push("-K");
  const plainDirs = dirs.slice(1).map((d) => "/" + d.segments.join("/"));
  if (plainDirs.length > 0 && chance(0.1)) args.push("-I", pick(plainDirs));
  if (plainDirs.length > 0 && chance(0.1)) args.push("-X", pick(plainDirs));
  if (chance(0.15)) {
    args.push(
      `--restrict-file-names=${
        pick([
          "unix",
          "windows",
          "ascii",
          "lowercase",
          "uppercase",
          "nocontrol",
          "windows,lowercase",
        ])
      }`,
    );
  }
  if (chance(0.15)) args.push("-e", "robots=off");
  if (chance(0.05)) args.push("--ignore-case");
  if (chance(0.05)) args.push("--accept-regex", pick(["p[0-9]", "html", "/(a|b)/", "\\?"]));
  if (chance(0.05)) args.push("--reject-regex", pick(["p[0-9]", "png$", "/(a|b)/", "\\?"]));
  if (chance(0.05)) {
    args.push(pick(["--follow-tags=a", "--follow-tags=a,img", "--ignore-tags=img"]));
  }
  if (chance(0.05)) args.push(pick(["-x", "--protocol-directories", "-nH"]));
  // (--spider -p without -r: GNU asks HEAD for the page alone, cmd/README.md.)
  if (chance(0.04)) {
    args.push(pick(["-L", "--delete-after", ...(mode === "p" ? [] : ["--spider"]), "-nc"]));
  }
  if (args.includes("-k") && chance(0.1)) args.push("--convert-file-only");
  if (chance(0.04)) args.push("-Q", pick(["2k", "10k"]));
  if (chance(0.1)) args.push("-H", "-D", pick(["localhost,127.0.0.1", "localhost", "127.0.0.1"]));

  const start = mode === "np" || mode === "m" || mode === "p"
    ? canonicalPath(chance(0.5) ? pick(dirs) : pick(pageNodes))
    : chance(0.8)
    ? "/"
    : canonicalPath(pick(pageNodes));
  // Drawn last, so the sites and options of the seeds before stay what they were: a start URL
  // with a query or a fragment.
  const tail = chance(0.15) ? pick(["?x=1", "?q=a%2Fb", "?k=v=w", "?", "#top", "?x=1#s1"]) : "";
  // Not -nc beside -nd at no depth limit (-l 0): a page already here is read again from disk,
  // and a relative link into a directory of its own name (at@x/ in /at@x/) names a file here
  // again, one level deeper each time, never asked for: GNU's walk never ends (seed 2816).
  // (Dropped after the draws, so the other seeds stay what they were.)
  if (seed > 100_000) {
    moreOptions(seed, args, files, plainDirs);
    moreMarkup(seed, files, config, nodes.map((n) => ({ node: n, path: canonicalPath(n) })));
  }
  if (seed > 1_200_000) {
    newerDimensions(seed, args, files, config, plainDirs, pageNodes.map(canonicalPath));
  }
  if (seed > 1_300_000) {
    thirteenDimensions(seed, args, files, config, plainDirs, pageNodes.map(canonicalPath));
  }
  let begin = start;
  if (seed > 1_500_000) {
    begin = fourteenDimensions(seed, args, files, pageNodes.map(canonicalPath), start, tail);
  }
  if (unboundedNoClobberFlat(args)) args.splice(args.indexOf("-nc"), 1);
  return { files, nginxConfig: config.join("\n"), start: begin + tail, args };
}

/**
 * The markup and redirects seeds above 100,000 add, from a random stream of their own: `srcset`
 * without descriptors, without a blank after its commas or with blanks between, `@import` with a
 * media list or a bare string, `url( '…' )` with blanks inside, `URL(` in capitals, a `<base href>`
 * with a query and a fragment, and redirects in a chain (`/rxN.html` to `/rN.html` or to a page) and
 * to the server's other name (`localhost`, nginx's `$server_port`), each linked from a page.
 */
function moreMarkup(
  seed: number,
  files: Record<string, string | Uint8Array>,
  config: string[],
  nodes: { node: Node; path: string }[],
): void {
  const random = seededRandom(seed * 32452843 + 37);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const of = (kind: Node["kind"]) => nodes.filter((n) => n.node.kind === kind).map((n) => n.path);
  const pages = of("page");
  const pngs = of("png");
  const csss = of("css");
  const png = () => pngs.length > 0 ? pick(pngs) : "/none.png";
  const css = () => csss.length > 0 ? pick(csss) : "/none.css";
  const chain = config.some((line) => line.startsWith("location = /r1.html")) ? "/r1.html" : null;
  // A redirect's target without escapes: other links write a blank or a non-ASCII letter in it
  // as it is, and GNU then fetches it again (cmd/README.md; seed 970078).
  const plainPages = pages.filter((path) => !path.includes("%"));
  const target = () => plainPages.length > 0 ? pick(plainPages) : "/index.html";
  if (chance(0.3)) {
    config.push(`location = /rx1.html { return 302 "${chain ?? target()}"; }`);
  }
  if (chance(0.3)) {
    config.push(
      `location = /rx2.html { return ${
        pick([301, 302])
      } "http://localhost:$server_port${target()}"; }`,
    );
  }
  const MARKUP = [
    () => `<img srcset="${png()}" alt="">`,
    () => `<img src="${png()}" srcset="${png()} 1x,${png()} 2x" alt="">`,
    // (Not blanks before the first URL: GNU's -k then writes `&#32;` over it and doubles the
    // name's end, `/x.PNGNG`, cmd/README.md.)
    () => `<img srcset="${png()}  100w ,  ${png()}  2x  " alt="">`,
    () => `<style>@import url("${css()}") screen;</style>`,
    () => `<style>@import '${css()}';</style>`,
    () => `<style>p { background: url( '${png()}' ) }</style>`,
    () => `<div style="background:URL(${png()})">u</div>`,
    () => `<a href="/rx1.html">chain</a>`,
    () => `<a href="/rx2.html">to the other name</a>`,
  ];
  for (const path of Object.keys(files)) {
    const text = files[path];
    if (typeof text !== "string" || !text.includes("</body>") || !chance(0.3)) continue;
    const added = [pick(MARKUP)(), ...(chance(0.3) ? [pick(MARKUP)()] : [])];
    if (chance(0.1)) {
      added.unshift(`<base href="${pick(pages)}?q=1#f">`);
    }
    files[path] = text.replace("</body>", `${added.join("\n")}\n</body>`);
  }
}

/**
 * What seeds above 100,000 draw besides, from a random stream of their own (so the seeds below,
 * which earlier sessions ran and whose differences are fixed or known, stay what they were):
 * `-p` beside `-r` and `-l N` (requisites one level past the limit), `--cut-dirs` without `-nH`,
 * `-I`/`-X` with wildcards and lists, `--trust-server-names`, `--max-redirect`,
 * `--default-page`, `--exclude-domains` under `-H`, `-A`/`-R` patterns that a name's query
 * matches, `--ignore-case` beside a regex of capitals, and robots.txt groups for `Wget` and for
 * other robots (GNU takes the `wget` group, named alone, over `*`'s).
 */
function moreOptions(
  seed: number,
  args: string[],
  files: Record<string, string | Uint8Array>,
  plainDirs: string[],
): void {
  const { int, pick, chance } = randomDraws(seed * 15485863 + 29);
  const has = (o: string) => args.includes(o);
  if (has("-r") && !has("-p") && chance(0.25)) args.push("-p");
  if (!has("-nd") && !has("-nH") && chance(0.12)) args.push(`--cut-dirs=${int(1, 2)}`);
  if (plainDirs.length > 0 && chance(0.15)) {
    const dir = pick(plainDirs);
    const segments = dir.slice(1).split("/");
    const last = segments.at(-1)!;
    const pattern = pick([
      `/${segments[0]!.slice(0, 1)}*`,
      `/*${last.slice(-1)}`,
      segments.length > 1 ? `/*/${last}` : `${dir}*`,
      `${dir},${pick(plainDirs)}`,
      `/[a-d]*`,
    ]);
    args.push(pick(["-I", "-X"]), pattern);
  }
  // (Not beside -nc below seed 1,200,001, where netkit looked for the link's name's file.)
  if (chance(0.1) && (!has("-nc") || seed > 1_200_000)) args.push("--trust-server-names");
  if (chance(0.06)) args.push(`--max-redirect=${int(0, 1)}`);
  if (chance(0.06)) args.push(`--default-page=${pick(["main.html", "home", "index.htm"])}`);
  if (has("-H") && chance(0.3)) args.push("--exclude-domains", pick(["localhost", "127.0.0.1"]));
  if (!has("-k") && chance(0.08)) {
    args.push(pick(["-A", "-R"]), pick(["*=1*", "*[?]*", "*.html?*", "*a=1*,*.png"]));
  }
  if (chance(0.08)) {
    args.push(
      "--ignore-case",
      pick(["--accept-regex", "--reject-regex"]),
      pick(["UPPER|ABOUT", "/UP/", "P[0-9]+\\.HTML", "IMG"]),
    );
  }
  const robots = files["robots.txt"];
  if (typeof robots === "string" && chance(0.4)) {
    const lines = robots.split("\n").slice(1).filter((line) => line !== "");
    const group = pick([
      "User-agent: Wget\n",
      "User-agent: wget\n",
      "User-agent: other-bot\nUser-agent: WGET\n",
      "User-agent: wget/1.21\n",
      "User-agent: other-bot\n",
    ]);
    const rules = pick([
      "Disallow:\n",
      `Disallow: ${pick([...plainDirs.filter((d) => /^[\w/]+$/.test(d)), "/a"])}\n`,
      lines.slice(0, 1).join("\n") + "\n",
    ]);
    files["robots.txt"] = chance(0.5)
      ? `${group}${rules}\n${robots}`
      : `${robots}\n${group}${rules}`;
  }
}

/**
 * What seeds above 1,200,000 add, from a random stream of their own (so the seeds below, which
 * earlier sessions ran, stay what they were): `<meta name=robots>` contents GNU reads by its own
 * rules (a word at the start or after a comma that begins `nofollow`, `none` alone),
 * `<meta http-equiv=refresh>` contents (a sign, no seconds, blanks, no `URL=`, a quoted URL),
 * links with character references (`&#47;`, `&#x2F;`, `&#46;`, a letter's), tags and attributes in
 * capitals, line breaks inside and around a link, blanks around `=`, redirects by 303, 307 and
 * 308 inside a directory (to a page above it: `-np`), and the options `--restrict-file-names`
 * lists, more `--follow-tags`/`--ignore-tags` lists (`meta`, `area`, capitals) and
 * `--regex-type=pcre` or `posix` with their own syntax.
 */
function newerDimensions(
  seed: number,
  args: string[],
  files: Record<string, string | Uint8Array>,
  config: string[],
  plainDirs: string[],
  pages: string[],
): void {
  const { int, pick, chance } = randomDraws(seed * 49979687 + 41);
  const has = (prefix: string) => args.some((arg) => arg.startsWith(prefix));
  // Links without escapes (a blank or a non-ASCII letter as written is left out, see above).
  const plain = pages.filter((path) => /^[\w./~@;+-]+$/.test(path));
  const page = () => plain.length > 0 ? pick(plain) : "/index.html";
  const pngs = Object.keys(files).filter((path) => /\.png$/i.test(path) && /^[\w./-]+$/.test(path));
  const png = () => pngs.length > 0 ? `/${pick(pngs)}` : "/none.png";
  const csss = Object.keys(files).filter((path) =>
    path.endsWith(".css") && /^[\w./-]+$/.test(path)
  );
  const css = () => csss.length > 0 ? `/${pick(csss)}` : "/none.css";
  // A character of the link written as a character reference (never a tab's or a `\\`'s).
  const referenced = (link: string): string => {
    const at = int(1, link.length - 1);
    const c = link[at]!;
    // (Not inside a reference written before: `&#1&#48;4;` is byte 1, or a line feed, which
    // GNU asks for as %0A where a browser drops it, cmd/README.md.)
    const inside = [...link.matchAll(/&#x?[0-9a-f]*;?/gi)]
      .some((m) => m.index <= at && at < m.index + m[0].length);
    if (!/[\w./]/.test(c) || inside) return link;
    const code = c.charCodeAt(0);
    const written = pick([
      `&#${code};`,
      `&#x${code.toString(16)};`,
      `&#x${code.toString(16).toUpperCase()};`,
      `&#0${code};`,
      `&#${code}`,
    ]);
    return link.slice(0, at) + written + link.slice(at + 1);
  };
  // Redirects by 303, 307 and 308 inside a directory, to a page anywhere (above it too).
  const dirs = plainDirs.filter((dir) => /^[\w/]+$/.test(dir));
  const moved: string[] = [];
  for (let i = chance(0.4) ? int(1, 2) : 0; i > 0; i--) {
    const path = `${dirs.length > 0 && chance(0.7) ? pick(dirs) : ""}/ry${i}.html`;
    config.push(`location = ${path} { return ${pick([303, 307, 308])} "${page()}"; }`);
    moved.push(path);
  }
  const ROBOTS = [
    "noindex nofollow",
    "index,,follow",
    "no",
    "NOFOL",
    "none, noindex",
    "follow",
    "noindex, nofollow",
    " , ",
    "all,nofollow",
    "nofollowing",
    "index, follow",
    "NONE",
  ];
  const REFRESH = [
    "0; url=@",
    "+0; url=@",
    "-0;url=@",
    "; url=@",
    "3 ; url=@",
    "url=@",
    "0;URL= @",
    "0;\n url=@",
    "-1; url=@",
    "5;URL='@'",
    "2; URL=@#top",
    "0",
  ];
  const HEAD = [
    () => `<meta name="${pick(["robots", "Robots"])}" content="${pick(ROBOTS)}">`,
    () =>
      `<meta http-equiv="${pick(["refresh", "Refresh", "REFRESH"])}" content="${
        pick(REFRESH).replace("@", page())
      }">`,
    () => `<LINK REL="STYLESHEET" HREF="${css()}">`,
    () => `<link rel="stylesheet" href="${referenced(css())}">`,
  ];
  const BODY = [
    () => `<a href="${referenced(page())}">reference</a>`,
    () => `<a href="${referenced(referenced(page()))}">references</a>`,
    () => `<img src="${referenced(png())}" alt="">`,
    () => `<IMG SRC="${png()}" ALT="">`,
    () => `<IFRAME SRC="${page()}"></IFRAME>`,
    () => `<MAP><AREA HREF=${page()} ALT=""></MAP>`,
    () => `<FRAMESET><FRAME SRC="${page()}"></FRAMESET>`,
    () => `<A\nHREF="${page()}">capitals across a line</A>`,
    () => `<a href = "${page()}">blanks around =</a>`,
    () => `<a href="\n${page()}\n">line breaks around</a>`,
    () => {
      const link = page();
      const at = int(1, link.length - 1);
      return `<a href="${link.slice(0, at)}\n${link.slice(at)}">a line break inside</a>`;
    },
    () => `<a href="${page()}?a=1&amp;b=&#50;">query with references</a>`,
    () => moved.length > 0 ? `<a href="${pick(moved)}">moved</a>` : "",
  ];
  for (const path of Object.keys(files)) {
    let text = files[path];
    if (typeof text !== "string" || !text.includes("</body>") || !chance(0.35)) continue;
    if (chance(0.4)) text = text.replace("</head>", `${pick(HEAD)()}</head>`);
    const added = [pick(BODY)(), ...(chance(0.4) ? [pick(BODY)()] : [])];
    if (moved.length > 0 && chance(0.5)) added.push(`<a href="${pick(moved)}">moved</a>`);
    files[path] = text.replace("</body>", `${added.join("\n")}\n</body>`);
  }
  if (!has("--restrict-file-names") && chance(0.12)) {
    args.push(
      `--restrict-file-names=${
        pick([
          "windows,ascii",
          "unix,lowercase",
          "nocontrol,ascii",
          "ascii,uppercase",
          "windows,nocontrol",
          "lowercase,nocontrol,ascii",
          "unix,nocontrol,uppercase",
        ])
      }`,
    );
  }
  if (!has("--follow-tags") && !has("--ignore-tags") && chance(0.1)) {
    args.push(
      pick([
        "--follow-tags=a,area",
        "--follow-tags=img,link",
        "--ignore-tags=a",
        "--ignore-tags=link,script",
        "--follow-tags=A,IMG",
        "--follow-tags=frame,iframe,a",
        "--ignore-tags=meta",
        "--follow-tags=meta,a",
        "--ignore-tags=area,frame,iframe",
      ]),
    );
  }
  if (!has("--accept-regex") && !has("--reject-regex") && chance(0.1)) {
    const pcre = chance(0.6);
    args.push(
      `--regex-type=${pcre ? "pcre" : "posix"}`,
      pick(["--accept-regex", "--reject-regex"]),
      pcre
        ? pick([
          "\\d+\\.html$",
          "/p\\d{1,2}\\.",
          "(?i)upper",
          "^http://[^/]+/(?:a|b)/",
          "\\.(png|css)$",
        ])
        : pick([
          "[[:digit:]]+\\.html$",
          "/[[:upper:]]",
          "(a|b)/",
          "\\.(png|css)$",
          "p[0-9]{1,2}\\.",
        ]),
    );
  }
}

/**
 * What seeds above 1,300,000 add, from a random stream of their own (so the seeds below, which
 * earlier sessions ran, stay what they were): `--cut-dirs` beyond the deepest directory, `-l inf`,
 * `-l 0` and `-l 1` beside `-p`, `-nd`, `-x`, `-nH` and `--protocol-directories` together (the
 * last of `-nd` and `-x` wins), `--ignore-length`; pages named `.shtml` (text/html) and `.phtml`
 * (nginx's default type), links with a slash written `%2F` (nginx serves the file the slash
 * names; wget keeps the escape), `..` past the root in the middle of a path, `<base href>`s that
 * are empty, a query, a fragment, protocol-relative, in capitals or past the root, requisites
 * with a fragment or `?` alone or an upper-case scheme, `@import` chains across directories, and
 * redirects to the same path with a slash added and to themselves.
 */
function thirteenDimensions(
  seed: number,
  args: string[],
  files: Record<string, string | Uint8Array>,
  config: string[],
  plainDirs: string[],
  pages: string[],
): void {
  const { int, pick, chance } = randomDraws(seed * 86028121 + 47);
  const has = (prefix: string) => args.some((arg) => arg.startsWith(prefix));
  if (!has("--cut-dirs") && chance(0.1)) {
    args.push(...(chance(0.5) ? ["-nH"] : []), `--cut-dirs=${int(4, 9)}`);
  }
  if (args.includes("-p") && chance(0.3)) {
    const level = pick(["inf", "0", "1"]);
    const at = args.indexOf("-l");
    if (at >= 0) args[at + 1] = level;
    else args.push(...(args.includes("-r") || args.includes("-m") ? [] : ["-r"]), "-l", level);
  }
  if (chance(0.1)) {
    args.push(
      ...pick([
        ["-nd", "-nH"],
        ["-x", "-nd"],
        ["-nd", "-x"],
        ["-nH", "-x"],
        ["-nd", "--cut-dirs=1"],
        ["-nH", "--protocol-directories"],
        ["-x", "--protocol-directories", "-nH"],
      ]),
    );
  }
  if (chance(0.06)) args.push("--ignore-length");
  // Plain names (a blank or a non-ASCII letter as written is left out, see above).
  const plain = pages.filter((path) => /^[\w./~@;+-]+$/.test(path));
  const page = () => plain.length > 0 ? pick(plain) : "/index.html";
  const dirs = plainDirs.filter((dir) => /^[\w/]+$/.test(dir));
  const pngs = Object.keys(files).filter((path) => /\.png$/i.test(path) && /^[\w./-]+$/.test(path));
  const png = () => pngs.length > 0 ? `/${pick(pngs)}` : "/none.png";
  // Pages of other suffixes, linked from pages below.
  const more: string[] = [];
  for (let i = chance(0.3) ? int(1, 2) : 0; i > 0; i--) {
    const name = `${dirs.length > 0 && chance(0.5) ? pick(dirs).slice(1) + "/" : ""}s${i}.${
      pick(["shtml", "shtml", "phtml"])
    }`;
    files[name] = `<!DOCTYPE html>\n<html><head><title>${name}</title></head>\n<body>\n` +
      `<a href="${page()}">back</a>\n<img src="${png()}" alt="">\n</body></html>\n`;
    more.push(`/${name}`);
  }
  // An @import chain across directories: c0 imports c1, which imports c2.
  const chain: string[] = [];
  if (chance(0.2)) {
    const where = ["", ...dirs.map((dir) => dir.slice(1) + "/")];
    const names = [0, 1, 2].map((i) => `${pick(where)}chain${i}.css`);
    names.forEach((name, i) => {
      const next = names[i + 1];
      const from = name.split("/").slice(0, -1);
      const relative = (to: string) => {
        const parts = to.split("/");
        let common = 0;
        while (common < from.length && from[common] === parts[common]) common++;
        return "../".repeat(from.length - common) + parts.slice(common).join("/");
      };
      const rules = next === undefined ? [] : [
        pick([
          `@import url(${relative(next)});`,
          `@import "${relative(next)}";`,
          `@import url('/${next}') screen;`,
        ]),
      ];
      rules.push(`p { background: url(${pngs.length > 0 ? relative(pick(pngs)) : "none.png"}) }`);
      files[name] = rules.join("\n") + "\n";
    });
    chain.push(`/${names[0]}`);
  }
  const slashed: string[] = [];
  if (dirs.length > 0 && chance(0.2)) {
    // The same path with a slash added (a directory's, as nginx's own 301 but by a location).
    const dir = pick(dirs);
    config.push(`location = ${dir}-moved { return 301 "${dir}/"; }`);
    slashed.push(`${dir}-moved`);
  }
  if (chance(0.1)) {
    config.push(`location = /self.html { return ${pick([301, 302])} "/self.html"; }`);
    slashed.push("/self.html");
  }
  const withEscapedSlash = (path: string) => {
    const slashes = [...path.matchAll(/\//g)].map((m) => m.index).filter((i) => i > 0);
    if (slashes.length === 0) return path;
    const at = pick(slashes);
    return path.slice(0, at) + pick(["%2F", "%2f"]) + path.slice(at + 1);
  };
  const BASES = [
    "",
    "?q=1",
    "#f",
    "//@HOST@/",
    `HTTP://@HOST@${dirs.length > 0 ? pick(dirs) + "/" : "/"}`,
    "../../../../",
    "/index.html",
    "@ORIGIN@",
    `${dirs.length > 0 ? pick(dirs).slice(1) : "."}/./`,
  ];
  const BODY = [
    () => `<a href="${withEscapedSlash(page())}">escaped slash</a>`,
    () => `<img src="${withEscapedSlash(png())}" alt="">`,
    () => {
      const [first, ...rest] = page().slice(1).split("/");
      return `<a href="/${rest.length > 0 ? first + "/../../" : "../"}${
        rest.length > 0 ? rest.join("/") : first
      }">past the root</a>`;
    },
    () => `<img src="${png()}${pick(["#x", "?", "?#", "#"])}" alt="">`,
    () => `<img src="${pick(["HTTP", "Http"])}://@HOST@${png()}" alt="">`,
    () => `<a href="${pick(["HTTP", "hTTp"])}://@HOST@${page()}#x">scheme</a>`,
    () => more.length > 0 ? `<a href="${pick(more)}">other suffix</a>` : "",
    () => chain.length > 0 ? `<link rel="stylesheet" href="${chain[0]}">` : "",
    () => slashed.length > 0 ? `<a href="${pick(slashed)}">slash</a>` : "",
    () => `<a href="${page()}?">query alone</a>`,
  ];
  for (const path of Object.keys(files)) {
    let text = files[path];
    if (typeof text !== "string" || !text.includes("</body>") || more.includes(`/${path}`)) {
      continue;
    }
    if (!chance(0.35)) continue;
    if (!text.includes("<base ") && chance(0.2)) {
      text = text.replace("</head>", `<base href="${pick(BASES)}"></head>`);
    }
    const added = [pick(BODY)(), ...(chance(0.4) ? [pick(BODY)()] : [])];
    if (more.length > 0 && chance(0.3)) added.push(`<a href="${pick(more)}">other suffix</a>`);
    if (chain.length > 0 && chance(0.3)) {
      added.push(`<link rel="stylesheet" href="${chain[0]}">`);
    }
    files[path] = text.replace("</body>", `${added.join("\n")}\n</body>`);
  }
}

/**
 * What seeds above 1,500,000 add, from a random stream of their own (so the seeds below, which
 * earlier sessions ran, stay what they were; the twenty-third session hunted 1,400,000 on
 * without them): a directory start URL without its slash (nginx's 301 to it, under `-np`, `-m`
 * and `-p`), `-A`/`-R` wildcards with `[...]` sets (and `--ignore-case`), `-D` lists in capitals,
 * with a leading or trailing dot or a name's tail (with `-H` or without), `-E -k -K` together
 * (and `--convert-file-only`), and markup: `<meta http-equiv=refresh>` without quotes, with
 * blanks around `=` or a comma, `srcset` across lines and without blanks, attributes in mixed
 * case, CSS `url()` with blanks inside and comments around, and `<a>` in a CSS comment.
 */
function fourteenDimensions(
  seed: number,
  args: string[],
  files: Record<string, string | Uint8Array>,
  pages: string[],
  start: string,
  tail: string,
): string {
  const { pick, chance } = randomDraws(seed * 104395301 + 59);
  const has = (prefix: string) => args.some((arg) => arg.startsWith(prefix));
  let begin = start;
  // (Only where the start is a directory and no query follows: `/d?x=1` is another URL.)
  if (start.length > 1 && start.endsWith("/") && tail === "" && chance(0.4)) {
    begin = start.slice(0, -1);
  }
  if (!has("-k") && !has("-A") && !has("-R") && chance(0.12)) {
    args.push(
      pick(["-A", "-R"]),
      pick([
        "p[0-9]*",
        "*.[hH][tT]*",
        "[a-p]*",
        "*[0-9].html",
        "[!p]*.html",
        "*.[Pp][Nn][Gg]",
        "[[:upper:]]*",
        "*[.]css,*[.]js",
      ]),
      ...(chance(0.4) ? ["--ignore-case"] : []),
    );
  }
  if (chance(0.1)) {
    const domains = pick([
      ".0.0.1",
      "LOCALHOST",
      ".localhost,127.0.0.1",
      "0.0.1",
      "localhost.",
      "host,127.0.0.1",
      "127.0.0.1,.",
    ]);
    const at = args.indexOf("-D");
    if (at >= 0) args[at + 1] = domains;
    else args.push(...(chance(0.7) ? ["-H"] : []), "-D", domains);
  }
  if (!has("-A") && !has("-R") && chance(0.1)) {
    for (const option of ["-E", "-k", "-K"]) if (!args.includes(option)) args.push(option);
    if (!has("--convert-file-only") && chance(0.4)) args.push("--convert-file-only");
  }
  const plain = pages.filter((path) => /^[\w./~@;+-]+$/.test(path));
  const page = () => plain.length > 0 ? pick(plain) : "/index.html";
  const pngs = Object.keys(files).filter((path) => /\.png$/i.test(path) && /^[\w./-]+$/.test(path));
  const png = () => pngs.length > 0 ? `/${pick(pngs)}` : "/none.png";
  const HEAD = [
    () => `<META HTTP-EQUIV=Refresh CONTENT=0;URL=${page()}>`,
    () => `<meta http-equiv="refresh" content="0; url = ${page()}">`,
    () => `<meta http-equiv="refresh" content="0, url=${page()}">`,
    () => `<meta http-equiv="refresh" content="0;url=&quot;${page()}&quot;">`,
    () => `<meta http-equiv="refresh" content="  7  ;  URL=${page()}  ">`,
  ];
  const BODY = [
    () => `<img srcset="${png()},${png()} 2x" alt="">`,
    // (Not a line break or a tab after a comma: GNU's -k then doubles the name's end, as for
    // blanks before the first URL, `/x.PNGNG`, cmd/README.md; seed 1500005.)
    () => `<img src="${png()}" srcset="${png()}  1x,${png()}   2x" alt="">`,
    () => `<img SrC="${png()}" alt="">`,
    () => `<a HrEf="${page()}">mixed case</a>`,
    () => `<style>p { background: url( "${png()}"  ) }</style>`,
    () => `<style>/* url(${png()}) */ p { background: url(${png()}) /* x */ }</style>`,
    () => `<style>/* <a href="${page()}">x</a> */</style>`,
    () => `<div style="background:url(  ${png()}  )">u</div>`,
  ];
  for (const path of Object.keys(files)) {
    let text = files[path];
    if (typeof text !== "string" || !text.includes("</body>") || !chance(0.3)) continue;
    if (chance(0.25)) text = text.replace("</head>", `${pick(HEAD)()}</head>`);
    const added = [pick(BODY)(), ...(chance(0.3) ? [pick(BODY)()] : [])];
    files[path] = text.replace("</body>", `${added.join("\n")}\n</body>`);
  }
  return begin;
}

/**
 * Whether `args` (with `extra`, a second run's option) have `-nc` and `-nd` at no depth limit
 * (`-l 0` or `-l inf`), which GNU wget walks without end on a site whose relative links go
 * deeper into a directory of the same name.
 */
export function unboundedNoClobberFlat(args: readonly string[], extra: readonly string[] = []) {
  const all = [...args, ...extra];
  const level = all.indexOf("-l");
  return all.includes("-nc") && all.includes("-nd") && level >= 0 &&
    ["0", "inf"].includes(all[level + 1]!);
}

/** Writes `site`'s files under `root`, the placeholders filled in for the server at `port`. */
export async function writeRandomSite(root: string, site: RandomSite, port: number): Promise<void> {
  for (const [path, content] of Object.entries(site.files)) {
    const full = `${root}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    if (typeof content === "string") {
      await Deno.writeTextFile(
        full,
        content.replaceAll("@ORIGIN@", `http://127.0.0.1:${port}`)
          .replaceAll("@HOST@", `127.0.0.1:${port}`)
          .replaceAll("@OTHER@", `localhost:${port}`)
          .replaceAll("@OTHERUP@", `LOCALHOST:${port}`),
      );
    } else await Deno.writeFile(full, content);
  }
}

/** What a run of netkit's `--max-threads` adds to a seed's site and options. */
export interface RandomThreads {
  /** `--max-threads N`, from 2 to 8. */
  threads: number;
  /**
   * Both host names (`-H -D localhost,127.0.0.1`, netkit with `--wait=0.05` too): each host's
   * requests are then to be at least the wait apart.
   */
  hosts: boolean;
}

/**
 * The thread count and host option of `seed` for the `--max-threads` random test, from a random
 * stream of its own: {@linkcode randomSite} of the same seed stays what it was.
 */
export function randomThreads(seed: number): RandomThreads {
  const random = seededRandom(seed * 104729 + 7);
  return { threads: 2 + Math.floor(random() * 7), hosts: random() < 0.12 };
}
