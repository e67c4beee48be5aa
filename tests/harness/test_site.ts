/**
 * A generated web site for the `wget -r` tests and benchmark, served by nginx on loopback:
 * nested directories, relative and absolute links, parent links, off-site links, robots.txt
 * with Disallow, images, CSS with `url()` and `@import`, a redirect, query strings, a 404 link,
 * self links, link loops, a deep chain, and hostile link names.
 *
 * @module
 */

import { main as wget } from "../../cmd/wget.ts";
import { type Nginx, startNginx } from "./nginx.ts";

/** nginx directives for the site: real content types and the redirect. */
export const TEST_SITE_NGINX_CONFIG = `
    types { text/html html; text/css css; image/png png; text/plain txt; }
    location = /old.html { return 301 /new.html; }
    location = /docs/moved/ { return 302 /docs/a/; }
    location = /status { stub_status; }
`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html><head><title>${title}</title>` +
    `<link rel="stylesheet" href="/style.css"></head>\n<body>\n${body}\n</body></html>\n`;
}

/** Pseudo-random bytes standing in for an image. */
function png(seed: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed * 2654435761 >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/**
 * Writes the site under `root`; `posts` blog posts (so the site grows for the benchmark).
 * Absolute links name `origin` (`http://127.0.0.1:PORT`).
 */
export async function writeTestSite(root: string, origin: string, posts = 24): Promise<void> {
  const files: Record<string, string | Uint8Array> = {};
  files["robots.txt"] = "User-agent: *\nDisallow: /private/\nDisallow: /blog/drafts/\n";
  files["style.css"] = `@import "css/extra.css";\nbody { background: url(img/bg.png) }\n` +
    `/* url(img/commented.png) */\nh1 { background-image: url( "img/h1.png" ) }\n`;
  files["css/extra.css"] = `.x { background: url('../img/extra.png') }\n`;
  files["img/bg.png"] = png(1, 3000);
  files["img/h1.png"] = png(2, 1000);
  files["img/extra.png"] = png(3, 500);
  files["img/logo.png"] = png(4, 5000);
  files["img/unused.png"] = png(5, 100);
  files["index.html"] = page(
    "home",
    `<h1>Home</h1><img src="img/logo.png" alt="logo">
<a href="index.html">self</a> <a href="#top">fragment</a>
<a href="docs/">docs</a> <a href="blog/index.html">blog</a>
<a href="${origin}/about.html">about (absolute)</a>
<a href="http://offsite.invalid/page.html">off-site</a>
<a href="mailto:someone@example.org">mail</a> <a href="javascript:void(0)">js</a>
<a href="private/secret.html">private</a> <a href="missing.html">404</a>
<a href="old.html">redirected</a> <a href="search.html?q=a%2Fb&amp;n=1">query</a>
<a href="search.html?q=c">query 2</a> <a href="chain/1.html">chain</a>
<a href="data.txt">text</a> <a href="archive.zip">zip</a>
<a href="..%2F..%2Fescape.html">hostile 1</a>
<a href="/%0Aevil.html">hostile 3</a>
<a href="files/">odd names</a>
<form action="/form-target.html"><input type="submit"></form>`,
  );
  files["files/index.html"] = page(
    "odd names",
    `<a href="%C3%9Cn%C3%AFcode.txt">unicode</a> <a href="a:b*c.txt">colon</a>
<a href="UPPER.TXT">upper</a> <a href="sp%20ace.txt">space</a> <a href="q.txt?x=a:b&amp;y=%2F">query</a>
<a href="back%5Cslash.txt">backslash</a> <a href="pct%2541.txt">percent</a>`,
  );
  files["files/Ünïcode.txt"] = "unicode\n";
  files["files/a:b*c.txt"] = "colon\n";
  files["files/UPPER.TXT"] = "upper\n";
  files["files/sp ace.txt"] = "space\n";
  files["files/q.txt"] = "query\n";
  files["files/back\\slash.txt"] = "backslash\n";
  files["files/pct%41.txt"] = "percent\n";
  // The same server under another name: another host to GNU wget, for -H, -D and
  // --exclude-domains.
  const other = origin.replace("127.0.0.1", "localhost");
  files["about.html"] = page(
    "about",
    `<a href="/">home</a> <a href="about.html">self</a> <a href="${other}/docs/a/">elsewhere</a>`,
  );
  files["new.html"] = page("new", `<p>Moved here.</p><a href="new-child.html">child</a>`);
  files["new-child.html"] = page("new child", `<p>Below the redirect.</p>`);
  files["search.html"] = page("search", `<a href="?q=d">another query</a>`);
  files["data.txt"] = "plain text\n";
  files["archive.zip"] = png(6, 2000);
  files["form-target.html"] = page("form", "never fetched");
  files["private/secret.html"] = page("secret", `<a href="hidden.html">hidden</a>`);
  files["private/hidden.html"] = page("hidden", "");
  files["docs/index.html"] = page(
    "docs",
    `<a href="../index.html">up</a> <a href="a/">a</a> <a href="a/b/">b</a>
<a href="moved/">moved</a> <img src="../img/logo.png"> <img src="diagram.png">
<iframe src="frame.html"></iframe>`,
  );
  files["docs/diagram.png"] = png(7, 4000);
  files["docs/frame.html"] = page("frame", `<a href="index.html">docs</a>`);
  files["docs/a/index.html"] = page(
    "a",
    `<a href="../">docs</a> <a href="b/index.html">b</a> <a href="one.html">one</a>
<a href="/docs/a/two.html">two</a> <a href="../../index.html">root</a>`,
  );
  files["docs/a/one.html"] = page("one", `<a href="two.html">two</a> <img src="one.png">`);
  files["docs/a/two.html"] = page("two", `<a href="one.html">one (loop)</a>`);
  files["docs/a/one.png"] = png(8, 800);
  files["docs/a/b/index.html"] = page("b", `<a href="c/deep.html">deep</a> <a href="../">a</a>`);
  files["docs/a/b/c/deep.html"] = page("deep", `<a href="/docs/">docs</a>`);
  const blog: string[] = [];
  for (let n = 1; n <= posts; n++) {
    blog.push(`<a href="post-${n}.html">post ${n}</a>`);
    files[`blog/post-${n}.html`] = page(
      `post ${n}`,
      `<a href="post-${n === 1 ? posts : n - 1}.html">prev</a>
<a href="post-${n === posts ? 1 : n + 1}.html">next</a> <a href="./">blog</a>
<img src="images/p${n}.png" srcset="images/p${n}.png 1x, images/p${n}-2x.png 2x">
<a href="tags/t${n % 5}.html">tag</a> <a href="/blog/drafts/d${n}.html">draft</a>`,
    );
    files[`blog/images/p${n}.png`] = png(100 + n, 700 + n);
    files[`blog/images/p${n}-2x.png`] = png(200 + n, 900 + n);
    files[`blog/drafts/d${n}.html`] = page("draft", "");
  }
  for (let t = 0; t < 5; t++) {
    files[`blog/tags/t${t}.html`] = page(`tag ${t}`, `<a href="../index.html">blog</a>`);
  }
  files["blog/index.html"] = page("blog", blog.join("\n") + `\n<a href="?page=2">page 2</a>`);
  for (let n = 1; n <= 8; n++) {
    files[`chain/${n}.html`] = page(`chain ${n}`, `<a href="${n + 1}.html">next</a>`);
  }
  for (const [path, content] of Object.entries(files)) {
    const full = `${root}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(full, content);
    else await Deno.writeFile(full, content);
  }
}

/** Starts nginx serving the test site from `dir/www`. */
export async function startTestSite(dir: string, posts = 24): Promise<Nginx & { origin: string }> {
  const nginx = await startNginx(dir, { serverConfig: TEST_SITE_NGINX_CONFIG });
  const origin = `http://127.0.0.1:${nginx.port}`;
  await writeTestSite(nginx.root, origin, posts);
  return { ...nginx, origin };
}

/** Every file under `dir`, by relative path, with its bytes as hex-free text for comparing. */
export async function snapshotTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (relative: string) => {
    for await (const entry of Deno.readDir(relative ? `${dir}/${relative}` : dir)) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory) await walk(path);
      else {
        const bytes = await Deno.readFile(`${dir}/${path}`);
        const digest = await crypto.subtle.digest("SHA-256", bytes);
        files.set(
          path,
          Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join(""),
        );
      }
    }
  };
  await walk("");
  return files;
}

/** nginx's count of accepted connections (stub_status at /status), itself one more. */
export async function nginxAccepts(port: number): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode("GET /status HTTP/1.0\r\n\r\n"));
  const text = await new Response(conn.readable).text();
  return Number(text.split("\r\n\r\n")[1]?.split("\n")[2]?.trim().split(/\s+/)[0]);
}

/** Runs GNU wget and netkit's wget with the same options into two directories. */
export async function mirrorBoth(
  dir: string,
  args: string[],
  url: string,
): Promise<{ gnu: Map<string, string>; netkit: Map<string, string>; codes: [number, number] }> {
  const gnuDir = `${dir}/gnu`;
  const netkitDir = `${dir}/netkit`;
  await Deno.remove(gnuDir, { recursive: true }).catch(() => {});
  await Deno.remove(netkitDir, { recursive: true }).catch(() => {});
  // --max-threads is GNU Wget2's; GNU wget (one thread) must still end with the same files.
  const gnuArgs = args.filter((a, i) => a !== "--max-threads" && args[i - 1] !== "--max-threads");
  const gnu = await new Deno.Command("wget", {
    args: ["-q", ...gnuArgs, "-P", gnuDir, url],
    stdout: "null",
    stderr: "null",
  }).output();
  const code = await wget(["-q", ...args, "-P", netkitDir, url]);
  return {
    gnu: await snapshotTree(gnuDir).catch(() => new Map()),
    netkit: await snapshotTree(netkitDir).catch(() => new Map()),
    codes: [gnu.code, code],
  };
}
