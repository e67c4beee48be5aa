/**
 * `downloadRecursive()` with `maxThreads` above 1 (`--max-threads`) and with `waitMs`: what must
 * not depend on which answer comes first (the regression tests of the random `--max-threads`
 * hunt, `tests/cmd/wget-recursive-threads-random_test.ts`).
 */

import assert from "node:assert/strict";
import { downloadRecursive } from "../../../lib/download/recursive.ts";
import { tempDir } from "../../harness/peers.ts";

/**
 * Settles once `event` has happened, or after `ms` milliseconds (where netkit, rightly, waits for
 * what the caller holds up, the test goes on and its assertion tells).
 */
async function untilOrAfter(event: Promise<void>, ms = 300): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([event, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

Deno.test("downloadRecursive() with maxThreads gives a page the depth of its first link in breadth-first order, however fast another path is", async () => {
  // / -> s, f; s -> x (depth 2); f -> g -> x (depth 3). s is answered only once x has been asked
  // for (or, when x waits for s, after a while): a fast path through f and g must not leave x at
  // depth 3, where -l 3 would not read it, and y (its link) unfetched.
  const pages: Record<string, string> = {
    "/": `<a href="s.html">s</a><a href="f.html">f</a>`,
    "/s.html": `<a href="x.html">x</a>`,
    "/f.html": `<a href="g.html">g</a>`,
    "/g.html": `<a href="x.html">x</a>`,
    "/x.html": `<a href="y.html">y</a>`,
    "/y.html": `<p>y`,
  };
  const log: string[] = [];
  let askedForX!: () => void;
  const xAsked = new Promise<void>((resolve) => (askedForX = resolve));
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const path = new URL(request.url).pathname;
      log.push(path);
      if (path === "/x.html") askedForX();
      if (path === "/s.html") {
        await untilOrAfter(xAsked);
      }
      const body = pages[path];
      if (body === undefined) return new Response("missing", { status: 404 });
      return new Response(body, { headers: { "content-type": "text/html" } });
    },
  );
  await using dir = await tempDir();
  await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
    directory: dir.path,
    maxThreads: 2,
    maxDepth: 3,
    robots: false,
  });
  assert.deepEqual(log.toSorted(), ["/", "/f.html", "/g.html", "/s.html", "/x.html", "/y.html"]);
});

Deno.test("downloadRecursive() with waitMs waits before every request but the first, a redirect's too", async () => {
  const log: string[] = [];
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const path = new URL(request.url).pathname;
    log.push(path);
    if (path === "/") {
      return new Response(`<a href="/r">r</a>`, { headers: { "content-type": "text/html" } });
    }
    if (path === "/r") return new Response(null, { status: 301, headers: { location: "/t.html" } });
    return new Response("<p>t", { status: path === "/t.html" ? 200 : 404 });
  });
  await using dir = await tempDir();
  await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
    directory: dir.path,
    waitMs: 1000,
    sleep: (ms) => {
      log.push(`sleep ${ms}`);
      return Promise.resolve();
    },
  });
  assert.deepEqual(log, [
    "/",
    "sleep 1000",
    "/robots.txt",
    "sleep 1000",
    "/r",
    "sleep 1000",
    "/t.html",
  ]);
});

Deno.test("downloadRecursive() with maxThreads and waitMs gives a shared name to the URL first in the queue, however long its host's wait", async () => {
  // / links to a/x.html on 127.0.0.1, then to b/x.html on localhost; without directories both
  // are x.html. 127.0.0.1's wait is held until b/x.html has been asked for (or a while, when
  // b/x.html waits for its turn): x.html is still a's, x.html.1 b's, as GNU wget names them.
  let askedForB!: () => void;
  const bAsked = new Promise<void>((resolve) => (askedForB = resolve));
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/b/x.html") askedForB();
    const port: number = server.addr.port;
    const body: string = path === "/"
      ? `<a href="http://127.0.0.1:${port}/a/x.html">a</a><a href="http://localhost:${port}/b/x.html">b</a>`
      : `<p>${path}`;
    return new Response(body, { headers: { "content-type": "text/html" } });
  });
  await using dir = await tempDir();
  await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
    directory: dir.path,
    maxThreads: 2,
    robots: false,
    spanHosts: true,
    layout: { directories: false },
    waitMs: 1000,
    sleep: async () => {
      await untilOrAfter(bAsked);
    },
  });
  assert.equal(await Deno.readTextFile(`${dir.path}/x.html`), "<p>/a/x.html");
  assert.equal(await Deno.readTextFile(`${dir.path}/x.html.1`), "<p>/b/x.html");
});

Deno.test("downloadRecursive() with maxThreads makes a directory and a file of its name in the order of the queue, as with one thread", async () => {
  // / links to /a/ (saved as a/index.html), then to /a (a redirect to /a/, saved as a): /a/ is
  // answered only once /a has been asked for (or a while, when /a waits for /a/'s turn).
  let askedForA!: () => void;
  const aAsked = new Promise<void>((resolve) => (askedForA = resolve));
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const path = new URL(request.url).pathname;
      if (path === "/a") {
        askedForA();
        return new Response(null, { status: 301, headers: { location: "/a/" } });
      }
      if (path === "/a/") {
        await untilOrAfter(aAsked);
      }
      const body = path === "/" ? `<a href="/a/">a/</a><a href="/a">a</a>` : `<p>${path}`;
      return new Response(body, { headers: { "content-type": "text/html" } });
    },
  );
  await using dir = await tempDir();
  const files = async (maxThreads: number) => {
    const directory = `${dir.path}/${maxThreads}`;
    const result = await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
      directory,
      maxThreads,
      robots: false,
      layout: { hostDirectories: false },
    });
    const found = result.failures.map(({ url, error }) => `${url} ${(error as Error).name}`);
    for await (const entry of Deno.readDir(directory)) {
      found.push(entry.name + (entry.isDirectory ? "/" : ""));
    }
    return found.sort();
  };
  assert.deepEqual(await files(2), await files(1));
});

Deno.test("downloadRecursive() with maxThreads fetches the URLs after a slow body while its page waits to be read, no more than maxThreads at once", async () => {
  // / links to s.html, then to p1..p6.html. s.html's head comes at once, its body only once
  // p6.html has been asked for (or after a while, when the URLs after s.html wait for its
  // reading): with 2 threads, p1..p6 are fetched meanwhile, one at a time beside s.html, and
  // read after it.
  const log: string[] = [];
  let askedForLast!: () => void;
  const lastAsked = new Promise<void>((resolve) => (askedForLast = resolve));
  let atOnce = 0;
  let most = 0;
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      const path = new URL(request.url).pathname;
      most = Math.max(most, ++atOnce);
      log.push(path);
      if (path === "/p6.html") askedForLast();
      const headers = { "content-type": "text/html" };
      if (path === "/s.html") {
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            await untilOrAfter(lastAsked);
            log.push("s.html answered");
            controller.enqueue(new TextEncoder().encode("<p>s"));
            controller.close();
            atOnce--;
          },
        });
        return new Response(body, { headers });
      }
      atOnce--;
      const body = path === "/"
        ? `<a href="s.html">s</a>${[1, 2, 3, 4, 5, 6].map((i) => `<a href="p${i}.html">p</a>`)}`
        : `<p>${path}`;
      return new Response(body, { headers });
    },
  );
  await using dir = await tempDir();
  const result = await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
    directory: dir.path,
    maxThreads: 2,
    robots: false,
  });
  assert.equal(result.files, 8);
  assert.equal(log.indexOf("s.html answered"), log.length - 1, log.join(" "));
  assert.ok(most <= 2, `${most} requests at once`);
});

Deno.test("downloadRecursive() with maxThreads asks for a URL more than maxThreads after a redirect only once it is answered", async () => {
  // / links to r, p1..p3.html, then t.html; /r redirects to t.html, its answer held until t.html
  // is asked for (or a while). With 2 threads p1 is fetched beside r, but nothing after it until
  // r's redirect is in: t.html is then a URL downloaded already (r's file), asked for once, as in
  // GNU's run.
  const log: string[] = [];
  let askedForTarget!: () => void;
  const targetAsked = new Promise<void>((resolve) => (askedForTarget = resolve));
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const path = new URL(request.url).pathname;
      log.push(path);
      if (path === "/t.html") askedForTarget();
      if (path === "/r") {
        await untilOrAfter(targetAsked);
        return new Response(null, { status: 301, headers: { location: "/t.html" } });
      }
      const body = path === "/"
        ? `<a href="r">r</a>${[1, 2, 3].map((i) => `<a href="p${i}.html">p</a>`)}` +
          `<a href="t.html">t</a>`
        : `<p>${path}`;
      return new Response(body, { headers: { "content-type": "text/html" } });
    },
  );
  await using dir = await tempDir();
  await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
    directory: dir.path,
    maxThreads: 2,
    robots: false,
  });
  assert.deepEqual(log.filter((path) => path === "/t.html"), ["/t.html"], log.join(" "));
  assert.ok(log.indexOf("/r") < log.indexOf("/t.html"), log.join(" "));
});

Deno.test("downloadRecursive() with maxThreads takes a URL a redirect landed on, its body still coming, as downloaded already", async () => {
  // / links to r, p1..p3.html, then t.html; /r redirects to t.html at once, whose body comes only
  // after a while (or once t.html is asked for again): t.html's own turn comes meanwhile, and must
  // wait for r's fetch and then find the URL saved (r's file), asked for once, as in GNU's run.
  const log: string[] = [];
  let askedAgain!: () => void;
  const again = new Promise<void>((resolve) => (askedAgain = resolve));
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      const path = new URL(request.url).pathname;
      log.push(path);
      const headers = { "content-type": "text/html" };
      if (path === "/r") {
        return new Response(null, { status: 301, headers: { location: "/t.html" } });
      }
      if (path === "/t.html") {
        if (log.filter((asked) => asked === path).length > 1) askedAgain();
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            await untilOrAfter(again);
            controller.enqueue(new TextEncoder().encode("<p>t"));
            controller.close();
          },
        });
        return new Response(body, { headers });
      }
      const body = path === "/"
        ? `<a href="r">r</a>${[1, 2, 3].map((i) => `<a href="p${i}.html">p</a>`)}` +
          `<a href="t.html">t</a>`
        : `<p>${path}`;
      return new Response(body, { headers });
    },
  );
  await using dir = await tempDir();
  await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
    directory: dir.path,
    maxThreads: 2,
    robots: false,
  });
  assert.deepEqual(log.filter((path) => path === "/t.html"), ["/t.html"], log.join(" "));
});

Deno.test("downloadRecursive() with maxThreads fetches a redirect's target again once --delete-after removed the page that landed on it, as with one thread", async () => {
  // / links to p, a.html, then b.html; a.html redirects to b.html. --delete-after: a page is
  // read, then removed, and its URLs forgotten (GNU's), so when b.html's turn comes it is no URL
  // downloaded and is asked for again. p's body is held until b.html has been asked for (or a while): with
  // 2 threads b.html's turn comes while a.html is saved but not yet read, and must wait for it.
  const run = async (threads: number) => {
    const log: string[] = [];
    let askedForTarget!: () => void;
    const targetAsked = new Promise<void>((resolve) => (askedForTarget = resolve));
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      (request) => {
        const path = new URL(request.url).pathname;
        log.push(path);
        const headers = { "content-type": "text/html" };
        if (path === "/b.html") askedForTarget();
        if (path === "/a.html") {
          return new Response(null, { status: 301, headers: { location: "/b.html" } });
        }
        if (path === "/p") {
          const body = new ReadableStream<Uint8Array>({
            async start(controller) {
              await untilOrAfter(targetAsked);
              controller.enqueue(new TextEncoder().encode("<p>p"));
              controller.close();
            },
          });
          return new Response(body, { headers });
        }
        const body = path === "/"
          ? `<a href="p">p</a><a href="a.html">a</a><a href="b.html">b</a>`
          : `<p>${path}`;
        return new Response(body, { headers });
      },
    );
    await using dir = await tempDir();
    await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
      directory: dir.path,
      maxThreads: threads,
      robots: false,
      deleteAfter: true,
    });
    return log.toSorted();
  };
  const one = await run(1);
  assert.deepEqual(one.filter((path) => path === "/b.html"), ["/b.html", "/b.html"]);
  assert.deepEqual(await run(2), one);
});

Deno.test("downloadRecursive() with maxThreads and adjustExtension asks for /s.html only once /s, which -E names s.html, has been answered", async () => {
  // / links to s, then to s.html. /s is a page: -E names its file s.html, the name /s.html's
  // URL gives. GNU's one-at-a-time run asks for /s, saves s.html, then asks for /s.html (with -N
  // as If-Modified-Since that file) and writes it over: /s.html must wait for /s's answer, even
  // when /s is slow (held until /s.html is asked for, or a while).
  const log: string[] = [];
  let askedForTwin!: () => void;
  const twinAsked = new Promise<void>((resolve) => (askedForTwin = resolve));
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const path = new URL(request.url).pathname;
      log.push(path);
      if (path === "/s.html") askedForTwin();
      if (path === "/s") {
        await untilOrAfter(twinAsked);
        log.push("s answered");
      }
      const body = path === "/" ? `<a href="s">s</a><a href="s.html">t</a>` : `<p>${path}`;
      return new Response(body, { headers: { "content-type": "text/html" } });
    },
  );
  await using dir = await tempDir();
  await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
    directory: dir.path,
    maxThreads: 4,
    adjustExtension: true,
    robots: false,
  });
  assert.deepEqual(log, ["/", "/s", "s answered", "/s.html"]);
  assert.equal(
    Deno.readTextFileSync(`${dir.path}/127.0.0.1:${server.addr.port}/s.html`),
    "<p>/s.html",
  );
});

Deno.test("downloadRecursive() with maxThreads leaves the files of one thread, the early files of answers without a body removed", async () => {
  // Each URL's new file is made while its request is on the wire (with several threads on
  // Deno's blocking pool, waited for once the answer's head is in): a 404, a redirect, a body
  // that ends early and a 204 must leave what one thread leaves (no empty file of theirs), and
  // the files with bodies their bytes and the server's times, however the answers interleave.
  const links = Array.from({ length: 24 }, (_, i) => `<a href="d/p${i}.html">${i}</a>`);
  const modified = "Wed, 21 Oct 2015 07:28:00 GMT";
  const handler = (request: Request): Response => {
    const path = new URL(request.url).pathname;
    if (path === "/") {
      return new Response(links.join(""), { headers: { "content-type": "text/html" } });
    }
    const match = /^\/d\/p(\d+)\.html$/.exec(path);
    const n = match ? Number(match[1]) : -1;
    if (path.startsWith("/d/t")) {
      return new Response(`<p>${path}`, {
        headers: { "content-type": "text/html", "last-modified": modified },
      });
    }
    switch (n % 6) {
      case 0:
        return new Response("missing", { status: 404 });
      case 1:
        return new Response(null, { status: 301, headers: { location: `/d/t${n}.html` } });
      case 2:
        return new Response(null, { status: 204 });
      case 3: {
        // A body that comes a chunk at a time, after the head.
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            controller.enqueue(new TextEncoder().encode(`<p>${path} `.repeat(500)));
            controller.close();
          },
        });
        return new Response(body, {
          headers: { "content-type": "text/html", "last-modified": modified },
        });
      }
      default:
        return new Response(`<p>${path}`, {
          headers: { "content-type": "text/html", "last-modified": modified },
        });
    }
  };
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  const run = async (maxThreads: number) => {
    await using dir = await tempDir();
    await downloadRecursive([`http://127.0.0.1:${server.addr.port}/`], {
      directory: dir.path,
      maxThreads,
      robots: false,
    });
    const files: string[] = [];
    const root = `${dir.path}/127.0.0.1:${server.addr.port}`;
    for (const entry of Deno.readDirSync(`${root}/d`)) {
      const info = Deno.statSync(`${root}/d/${entry.name}`);
      files.push(`${entry.name} ${info.size} ${info.mtime?.toISOString()}`);
    }
    return files.toSorted();
  };
  const one = await run(1);
  // 24 links, 4 of each kind: a redirect's body saved by the name of the URL asked for, a 404 and
  // a 204 make no file.
  assert.equal(one.length, 4 * 4);
  assert.ok(one.every((line) => !line.includes(" 0 ")));
  assert.ok(one.includes("p1.html 13 2015-10-21T07:28:00.000Z"));
  assert.ok(one.includes("p3.html 7000 2015-10-21T07:28:00.000Z"));
  for (const threads of [2, 4, 8]) assert.deepEqual(await run(threads), one);
});
