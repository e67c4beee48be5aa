import assert from "node:assert/strict";
import { downloadRecursive } from "../../../lib/download/recursive.ts";
import { tempDir } from "../../harness/peers.ts";

/** A site from a table of paths; HTML for bodies starting with `<`, 404 for the rest. */
function serveSite(pages: Record<string, string>, log: string[] = []) {
  return Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const url = new URL(request.url);
    log.push(url.pathname + url.search);
    const body = pages[url.pathname];
    if (body === undefined) return new Response("missing", { status: 404 });
    const type = body.startsWith("<") ? "text/html" : "text/plain";
    return new Response(body, { headers: { "content-type": type } });
  });
}

Deno.test("downloadRecursive() obeys robots.txt by longest match, and not with robots: false", async () => {
  const log: string[] = [];
  await using server = serveSite({
    "/": `<a href="/p/a.html">a</a><a href="/p/open/b.html">b</a><a href="/c.html">c</a>`,
    "/robots.txt": "User-agent: *\nDisallow: /p/\nAllow: /p/open/\n",
    "/p/a.html": "<p>a",
    "/p/open/b.html": "<p>b",
    "/c.html": "<p>c",
  }, log);
  await using dir = await tempDir();
  const origin = `http://127.0.0.1:${server.addr.port}`;
  await downloadRecursive([`${origin}/`], { directory: `${dir.path}/1` });
  assert.deepEqual(log, ["/", "/robots.txt", "/p/open/b.html", "/c.html"]);
  log.length = 0;
  await downloadRecursive([`${origin}/`], { directory: `${dir.path}/2`, robots: false });
  assert.deepEqual(log, ["/", "/p/a.html", "/p/open/b.html", "/c.html"]);
});

Deno.test("downloadRecursive() follows no link of a page with <meta name=robots content=nofollow>", async () => {
  const log: string[] = [];
  await using server = serveSite({
    "/": `<meta name="robots" content="noindex,nofollow"><a href="a.html">a</a>`,
    "/a.html": "<p>a",
  }, log);
  await using dir = await tempDir();
  const origin = `http://127.0.0.1:${server.addr.port}`;
  const result = await downloadRecursive([`${origin}/`], { directory: dir.path });
  assert.deepEqual(log, ["/"]);
  assert.equal(result.files, 1);
});

Deno.test("downloadRecursive() settles every task when its signal aborts mid-run", async () => {
  const pages: Record<string, string> = { "/": "" };
  for (let i = 0; i < 50; i++) {
    pages["/"] += `<a href="p${i}.html">${i}</a>`;
    pages[`/p${i}.html`] = `<p>${i}`;
  }
  await using server = serveSite(pages);
  await using dir = await tempDir();
  const controller = new AbortController();
  const reason = new Error("Stop");
  let saved = 0;
  await assert.rejects(
    downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
      directory: dir.path,
      maxThreads: 4,
      robots: false,
      signal: controller.signal,
      onSaved() {
        if (++saved === 5) controller.abort(reason);
      },
    }),
    (error) => error === reason,
  );
  assert.ok(saved < 50, `${saved} saved`);
});

Deno.test("downloadRecursive() with maxThreads fetches robots.txt once per server", async () => {
  const log: string[] = [];
  const pages: Record<string, string> = { "/": "", "/robots.txt": "" };
  for (let i = 0; i < 20; i++) {
    pages["/"] += `<a href="p${i}.html">${i}</a>`;
    pages[`/p${i}.html`] = `<a href="/">home</a><a href="p${(i + 1) % 20}.html">next</a>`;
  }
  await using server = serveSite(pages, log);
  await using dir = await tempDir();
  const result = await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
    directory: dir.path,
    maxThreads: 5,
  });
  assert.equal(log.filter((p) => p === "/robots.txt").length, 1);
  assert.equal(log.length, 22);
  assert.equal(result.files, 22);
});
