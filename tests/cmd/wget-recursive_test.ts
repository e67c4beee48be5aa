import assert from "node:assert/strict";
import { main } from "../../cmd/wget.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { mirrorBoth, nginxAccepts, snapshotTree, startTestSite } from "../harness/test_site.ts";

const WGET = new URL("../../cmd/wget.ts", import.meta.url).pathname;

const CASES: { args: string[]; path: string }[] = [
  { args: ["-r"], path: "/" },
  { args: ["-r", "-np"], path: "/docs/" },
  { args: ["-r", "-np"], path: "/docs/a/one.html" },
  { args: ["-r", "-l", "1"], path: "/" },
  { args: ["-r", "-l", "2", "-p"], path: "/" },
  { args: ["-r", "-A", "png"], path: "/" },
  { args: ["-r", "-A", "txt,html"], path: "/" },
  { args: ["-r", "-A", "*.html*"], path: "/" },
  { args: ["-r", "-R", "*.png,txt"], path: "/" },
  { args: ["-r", "-nd"], path: "/" },
  { args: ["-r", "-nH", "--cut-dirs=1"], path: "/blog/" },
  { args: ["-r", "-x", "--protocol-directories"], path: "/docs/a/" },
  { args: ["-r", "-e", "robots=off"], path: "/" },
  { args: ["-m", "-np"], path: "/blog/" },
  { args: ["-m", "-nd"], path: "/" },
  { args: ["-p"], path: "/docs/" },
  { args: ["-r", "-E"], path: "/" },
  { args: ["-r", "-I", "/docs,/img"], path: "/" },
  { args: ["-r", "-X", "/blog"], path: "/" },
  { args: ["-r", "-np", "-X", "*/b"], path: "/docs/" },
  { args: ["-r", "--accept-regex", "post-[0-9]\\.html|/blog/$|index"], path: "/" },
  { args: ["-r", "--reject-regex", "\\.png$"], path: "/" },
  { args: ["-r", "--ignore-tags=img"], path: "/" },
  { args: ["-r", "--follow-tags=a"], path: "/" },
  { args: ["-r", "-Q", "20k"], path: "/" },
  { args: ["-r", "-l", "1", "-w", "0.001", "--random-wait"], path: "/docs/" },
  // Converted pages compared after -k on both sides.
  { args: ["-r", "-k"], path: "/" },
  { args: ["-p", "-k"], path: "/docs/" },
  { args: ["-r", "-nd", "-k"], path: "/" },
  { args: ["-r", "-l", "1", "-k"], path: "/docs/" },
  { args: ["-r", "-A", "png", "-k"], path: "/" },
  { args: ["-m", "-np", "-k"], path: "/blog/" },
  { args: ["-m", "-k", "-E"], path: "/" },
  { args: ["-r", "-E", "-k", "-K"], path: "/" },
  // -nd with -E: many index.html pages, each named as GNU names them (index.html.1.html, …).
  { args: ["-r", "-nd", "-E", "-k", "-K"], path: "/" },
  // Other hosts: localhost is the same nginx under another name (offsite.invalid is never asked).
  { args: ["-r", "-H", "-l", "3", "-D", "localhost,127.0.0.1"], path: "/" },
  { args: ["-r", "-H", "-l", "3", "--exclude-domains", "invalid,localhost"], path: "/" },
  { args: ["-r", "-H", "-l", "3", "-np", "-k", "-D", "localhost,127.0.0.1"], path: "/" },
  // Start URLs that redirect, a directory named without its slash, a stylesheet, plain text.
  { args: ["-r"], path: "/old.html" },
  { args: ["-r", "-np"], path: "/docs" },
  { args: ["-r", "-np"], path: "/docs/moved/" },
  { args: ["-p", "-k"], path: "/old.html" },
  { args: ["-r", "-l", "1"], path: "/style.css" },
  { args: ["-r"], path: "/data.txt" },
  { args: ["-r", "--max-threads", "4"], path: "/" },
  { args: ["-r", "-k", "--restrict-file-names=windows"], path: "/" },
  { args: ["-r", "--restrict-file-names=lowercase"], path: "/files/" },
  { args: ["-r", "--restrict-file-names=nocontrol,uppercase"], path: "/files/" },
  { args: ["-r", "-k", "--restrict-file-names=ascii"], path: "/files/" },
  { args: ["-m", "-np", "-k", "--max-threads", "4"], path: "/blog/" },
  { args: ["-r", "-l", "2", "-p", "-k", "--max-threads", "3"], path: "/" },
];

peerTest(
  "wget -r: the same files with the same bytes as GNU wget, option set by option set",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path);
    for (const { args, path } of CASES) {
      await t.step(`${args.join(" ")} ${path}`, async () => {
        const { gnu, netkit, codes } = await mirrorBoth(dir.path, args, site.origin + path);
        assert.ok(gnu.size > 0);
        assert.deepEqual(
          [...netkit.entries()].sort(),
          [...gnu.entries()].sort(),
        );
        assert.equal(codes[1], codes[0]);
      });
    }
  },
);

peerTest(
  "wget -r from an IPv6 address: the same files as GNU wget, in ::1:PORT/ (no brackets)",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path, 2);
    const url = `http://[::1]:${site.port}/docs/`;
    const { gnu, netkit, codes } = await mirrorBoth(dir.path, ["-r", "-l", "1", "-k"], url);
    assert.ok([...gnu.keys()].every((path) => path.startsWith(`::1:${site.port}/`)));
    assert.deepEqual([...netkit.entries()].sort(), [...gnu.entries()].sort());
    assert.equal(codes[1], codes[0]);
  },
);

peerTest(
  "wget -r -O FILE and -p -O FILE put every document into FILE, in GNU wget's order, and nothing else",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path, 2);
    // The site's files of another day each: FILE gets the last document's Last-Modified, as GNU
    // wget touches it after each document that has one.
    let day = 0;
    const redate = async (directory: string) => {
      for await (const entry of Deno.readDir(directory)) {
        const path = `${directory}/${entry.name}`;
        if (entry.isDirectory) await redate(path);
        else {
          const seconds = 1_700_000_000 + 86_400 * day++;
          await Deno.utime(path, seconds, seconds);
        }
      }
    };
    await redate(site.root);
    // One level: deeper, GNU wget reads each page's links from the whole FILE so far (every
    // earlier document with it, against the page's own URL) and fetches links netkit does not
    // (cmd/README.md: a difference on purpose).
    for (const args of [["-r", "-l", "1"], ["-p"], ["-r", "-l", "1", "-nd"]]) {
      const url = `${site.origin}/docs/a/${args[0] === "-p" ? "one.html" : ""}`;
      const outcomes = [];
      for (const tool of ["gnu", "netkit"]) {
        const cwd = `${dir.path}/${tool}${args.join("")}`;
        await Deno.mkdir(cwd);
        const argv = tool === "gnu" ? ["wget"] : [Deno.execPath(), "run", "-A", "--quiet", WGET];
        const run = await new Deno.Command(argv[0]!, {
          args: [...argv.slice(1), "-nv", ...args, "-O", "out", url],
          cwd,
          stderr: "piped",
        }).output();
        const log = new TextDecoder().decode(run.stderr).split("\n")
          .filter((line) => line.startsWith("WARNING") || / URL:/.test(line))
          .map((line) => line.replace(/^\S+ \S+ /, "DATE "));
        const time = (await Deno.stat(`${cwd}/out`)).mtime?.getTime();
        outcomes.push({ code: run.code, files: await snapshotTree(cwd), log, time });
      }
      const [gnu, netkit] = outcomes;
      assert.deepEqual([...netkit!.files.keys()], ["out"]);
      assert.deepEqual([...netkit!.files.entries()], [...gnu!.files.entries()], args.join(" "));
      assert.deepEqual(netkit!.log, gnu!.log);
      assert.equal(netkit!.code, gnu!.code);
      assert.ok(gnu!.time! < 1_800_000_000_000);
      assert.equal(netkit!.time, gnu!.time);
    }
  },
);

peerTest(
  "wget -m a second time fetches nothing new (If-Modified-Since) and keeps the same tree",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path, 4);
    const out = `${dir.path}/out`;
    assert.equal(await main(["-q", "-m", "-np", "-P", out, `${site.origin}/blog/`]), 0);
    const first = await snapshotTree(out);
    const stat = await Deno.stat(`${out}/127.0.0.1:${site.port}/blog/index.html`);
    const served = await Deno.stat(`${site.root}/blog/index.html`);
    assert.equal(stat.mtime?.getTime(), Math.floor(served.mtime!.getTime() / 1000) * 1000);
    assert.equal(await main(["-q", "-m", "-np", "-P", out, `${site.origin}/blog/`]), 0);
    assert.deepEqual(await snapshotTree(out), first);
  },
);

Deno.test("wget -r writes nothing outside -P, whatever links and redirects say", async () => {
  const links = [
    "/..%2F..%2Fevil1.html",
    "/%2E%2E/%2E%2E/evil2.html",
    "/a/%2e%2e%2f%2e%2e%2fevil3.html",
    "/%00/%0A/evil4.html",
    "/..",
    "/a/..%5C..%5Cevil5.html",
    "/redirect-up",
    "/redirect-encoded",
    "?../../evil6.html",
    `/${"%2E%2E%2F".repeat(30)}evil7.html`,
  ];
  const page = links.map((l) => `<a href="${l}">x</a><img src="${l}.png">`).join("\n");
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const { pathname } = new URL(req.url);
    if (pathname === "/redirect-up") {
      return new Response(null, { status: 302, headers: { Location: "/../../../evil8.html" } });
    }
    if (pathname === "/redirect-encoded") {
      return new Response(null, { status: 302, headers: { Location: "/%2E%2E%2F%2E%2E%2Fevil9" } });
    }
    return new Response(page, {
      headers: {
        "Content-Type": "text/html",
        "Content-Disposition": 'attachment; filename="../../evil10.html"',
      },
    });
  });
  await using dir = await tempDir();
  const inner = `${dir.path}/a/b`;
  const origin = `http://127.0.0.1:${server.addr.port}`;
  for (const layout of [[], ["-nd"], ["-nH", "--cut-dirs=5"], ["-nH"]]) {
    assert.equal(await main(["-q", "-r", "-l", "3", ...layout, "-P", inner, `${origin}/`]), 0);
  }
  const outside: string[] = [];
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      const full = `${path}/${entry.name}`;
      if (full === inner) continue;
      if (entry.isDirectory) await walk(full);
      else outside.push(full);
    }
  };
  await walk(dir.path);
  assert.deepEqual(outside, []);
  const inside = await snapshotTree(inner);
  assert.ok(inside.size > 10, `${inside.size} files`);
});

peerTest(
  "wget -m fetches a whole site over one kept-alive connection, as GNU wget does (nginx)",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path);
    // The blog: dozens of pages and images, a robots.txt, no 400 answer (nginx closes after one).
    const url = `${site.origin}/blog/`;
    const connections: number[] = [];
    let before = await nginxAccepts(site.port);
    assert.equal(await main(["-q", "-m", "-np", "-P", `${dir.path}/netkit`, url]), 0);
    connections.push(await nginxAccepts(site.port) - before);
    before = await nginxAccepts(site.port);
    const gnu = await new Deno.Command("wget", {
      args: ["-q", "-m", "-np", "-P", `${dir.path}/gnu`, url],
    }).output();
    assert.equal(gnu.code, 0);
    connections.push(await nginxAccepts(site.port) - before);
    // One for the mirror, one for the status query.
    assert.deepEqual(connections, [2, 2]);
  },
);

peerTest(
  "wget -r -nc a second time fetches nothing already there, reads those pages, as GNU wget",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path, 3);
    const trees: Map<string, string>[] = [];
    for (const tool of ["gnu", "netkit"]) {
      const out = `${dir.path}/${tool}`;
      // A first run that stops at depth 1, then -nc with depth 3 over it.
      for (const args of [["-r", "-l", "1"], ["-r", "-l", "3", "-nc"]]) {
        if (tool === "gnu") {
          await new Deno.Command("wget", {
            args: ["-q", ...args, "-P", out, `${site.origin}/docs/`],
          }).output();
        } else {
          await main(["-q", ...args, "-P", out, `${site.origin}/docs/`]);
        }
      }
      trees.push(await snapshotTree(out));
    }
    assert.deepEqual([...trees[1]!.entries()].sort(), [...trees[0]!.entries()].sort());
  },
);

peerTest(
  "wget -r --delete-after leaves no file and exits as GNU wget",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path, 3);
    const { gnu, netkit, codes } = await mirrorBoth(
      dir.path,
      ["-r", "-l", "2", "--delete-after"],
      `${site.origin}/docs/`,
    );
    assert.deepEqual([gnu.size, netkit.size], [0, 0]);
    assert.equal(codes[1], codes[0]);
  },
);

peerTest(
  "wget --spider -r reports the same broken links as GNU wget, keeps no file, exits 8",
  ["nginx", "wget"],
  async () => {
    await using dir = await tempDir();
    await using site = await startTestSite(dir.path, 2);
    const reports: { code: number; broken: string[]; files: number }[] = [];
    for (const tool of ["gnu", "netkit"]) {
      const out = `${dir.path}/${tool}`;
      await Deno.mkdir(out);
      const argv = tool === "gnu"
        ? ["wget"]
        : [Deno.execPath(), "run", "-A", new URL("../../cmd/wget.ts", import.meta.url).pathname];
      const { code, stderr } = await new Deno.Command(argv[0]!, {
        args: [...argv.slice(1), "--spider", "-r", "-l", "2", `${site.origin}/`],
        cwd: out,
        stdout: "null",
        stderr: "piped",
      }).output();
      const lines = new TextDecoder().decode(stderr).split("\n");
      const found = lines.findIndex((line) => /^Found \d+ broken links?\.$/.test(line));
      const broken = lines.slice(found + 1).filter((line) => line.startsWith("http")).sort();
      reports.push({ code, broken, files: (await snapshotTree(out)).size });
    }
    assert.equal(reports[0]!.broken.length, 3);
    assert.deepEqual(reports[1], reports[0]);
  },
);

/** A site on two ports of 127.0.0.1 (two servers to wget, one host), logging every request. */
function serveTwoOrigins(log: string[]) {
  const types: Record<string, string> = { css: "text/css", png: "image/png", txt: "text/plain" };
  const serve = (name: string, pages: (other: number) => Record<string, string>) => {
    let other = 0;
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
      const url = new URL(request.url);
      log.push(`${name}${url.pathname}${url.search}`);
      if (url.pathname === "/old.html") {
        return new Response(null, { status: 301, headers: { location: "/new.html" } });
      }
      const body = pages(other)[url.pathname];
      if (body === undefined) return new Response("missing", { status: 404 });
      const suffix = url.pathname.split(".").pop() ?? "";
      const type = types[suffix] ?? "text/html";
      return new Response(body, { headers: { "content-type": type } });
    });
    return { server, setOther: (port: number) => (other = port) };
  };
  const one = serve("one", (two) => ({
    "/": `<a href="a.html">a</a> <a href="b.html">b</a> <img src="img.png">
<a href="sub/">sub</a>`,
    "/a.html": `<a href="b.html">b</a> <a href="c.html">c</a> <a href="./">up</a>
<img src="img2.png" srcset="img2.png 1x, img3.png 2x">`,
    // Not the first page: its link to the other server comes once robots.txt is known here.
    "/b.html": `<a href="a.html">a</a> <a href="d.html">d</a> <a href="missing.html">404</a>
<a href="http://127.0.0.1:${two}/x.html">other server</a>`,
    "/c.html": `<a href="old.html">moved</a> <a href="private/p.html">private</a>`,
    "/new.html": `<a href="n2.html">n2</a>`,
    "/n2.html": `<p>n2`,
    "/d.html": `<link rel="stylesheet" href="s.css"><a href="sub/e.html">e</a>`,
    "/s.css": `body { background: url(bg.png) }`,
    "/sub/": `<a href="../a.html">a</a> <a href="e.html">e</a> <a href="f.txt">f</a>`,
    "/sub/e.html": `<p>e`,
    "/sub/f.txt": `f`,
    "/img.png": "png",
    "/img2.png": "png2",
    "/img3.png": "png3",
    "/bg.png": "bg",
    "/z.html": `<a href="a.html">a</a>`,
    "/robots.txt": "User-agent: *\nDisallow: /private/\n",
  }));
  const two = serve("two", (first) => ({
    "/x.html": `<a href="y.html">y</a> <a href="http://127.0.0.1:${first}/z.html">z</a>`,
    "/y.html": `<p>y`,
  }));
  one.setOther(two.server.addr.port);
  two.setOther(one.server.addr.port);
  return {
    origin: `http://127.0.0.1:${one.server.addr.port}`,
    async [Symbol.asyncDispose]() {
      await one.server.shutdown();
      await two.server.shutdown();
    },
  };
}

peerTest(
  "wget -r asks for the same URLs in the same order as GNU wget, across two servers",
  ["wget"],
  async (t) => {
    const log: string[] = [];
    await using site = serveTwoOrigins(log);
    await using dir = await tempDir();
    const cases = [["-r"], ["-r", "-e", "robots=off"], ["-m"], ["-r", "-R", "*.png"], [
      "-r",
      "-l",
      "2",
      "-p",
    ]];
    for (const args of cases) {
      await t.step(args.join(" "), async () => {
        log.length = 0;
        await new Deno.Command("wget", {
          args: ["-q", ...args, "-P", `${dir.path}/gnu`, `${site.origin}/`],
          stdout: "null",
          stderr: "null",
        }).output();
        const gnu = [...log];
        log.length = 0;
        await main(["-q", ...args, "-P", `${dir.path}/netkit`, `${site.origin}/`]);
        assert.ok(gnu.length > 10, gnu.join(" "));
        assert.deepEqual(log, gnu);
        await Deno.remove(`${dir.path}/gnu`, { recursive: true });
        await Deno.remove(`${dir.path}/netkit`, { recursive: true });
      });
    }
  },
);
