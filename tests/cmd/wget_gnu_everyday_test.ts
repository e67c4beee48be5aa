/**
 * Everyday wget command lines (from Dockerfiles, cron jobs, scripts) run by GNU wget 1.21 and by
 * netkit on the same loopback server: the exit codes, the files left, the requests the server
 * saw, and the stderr lines people grep (`ERROR 404`, `redirections exceeded`, `broken link`,
 * `already fully retrieved`, `-q` saying nothing), compared line for line once the dates and
 * rates are masked.
 */

import { deepEqual, equal } from "node:assert/strict";
import { createHash } from "node:crypto";
import { peerTest, tempDir } from "../harness/peers.ts";
import { type RawHandler, send, startRawServer } from "../harness/raw_http_server.ts";
import { snapshotTree } from "../harness/test_site.ts";
import { assertSame, type Case, type Outcome, sideBySide } from "../harness/wget_side_by_side.ts";

const BODY = "0123456789";
const LAST_MODIFIED = "Last-Modified: Mon, 02 Jan 2023 03:04:05 GMT";

/** Writes a reply with its Content-Length; no body for HEAD. */
async function reply(
  conn: Deno.Conn,
  head: string,
  status: string,
  headers: string[],
  body = "",
): Promise<void> {
  // The server closes after each reply and says so: neither wget races it to reuse the connection.
  const lines = [
    `HTTP/1.1 ${status}`,
    ...headers,
    `Content-Length: ${body.length}`,
    "Connection: close",
  ];
  await send(conn, `${lines.join("\r\n")}\r\n\r\n${head.startsWith("HEAD ") ? "" : body}`);
}

/** A 10-byte file that answers Range. */
const rangeFile: RawHandler = async (conn, { head }) => {
  const range = /\r\nRange: bytes=(\d+)-/i.exec(head);
  if (!range) return await reply(conn, head, "200 OK", [LAST_MODIFIED], BODY);
  const from = Number(range[1]);
  if (from >= BODY.length) {
    return await reply(conn, head, "416 Range Not Satisfiable", [
      `Content-Range: bytes */${BODY.length}`,
    ]);
  }
  await reply(conn, head, "206 Partial Content", [
    LAST_MODIFIED,
    `Content-Range: bytes ${from}-${BODY.length - 1}/${BODY.length}`,
  ], BODY.slice(from));
};

/** Answers with the request head it got, as the body. */
const echo: RawHandler = async (conn, { head }) => await reply(conn, head, "200 OK", [], head);

/** Content-Disposition values by path: a Windows path, RFC 5987, escapes, odd spacing. */
const DISPOSITIONS: Record<string, string> = {
  "/cd-windows": 'attachment; filename="C:\\Users\\x\\report.pdf"',
  "/cd-backslash-quote": 'attachment; filename="a \\"q\\".txt"',
  "/cd-percent": 'attachment; filename="100%25%20sure%3B%2Fno.txt"',
  "/cd-5987": "attachment; filename*=UTF-8''%E2%82%AC%20rates.txt; filename=\"plain.txt\"",
  "/cd-path": 'attachment; filename="../../etc/passwd"',
  "/cd-spaced": 'attachment;filename = "spaced name.txt" ; size=10',
  "/cd-bare": "attachment; filename=bare.txt",
  "/cd-semicolon": 'attachment; filename="a;b.txt"',
  "/cd-empty": 'attachment; filename=""',
};

/** A 10-byte file sent with an extra header. */
const named = (header: string): RawHandler => async (conn, { head }) =>
  await reply(conn, head, "200 OK", [header], BODY);

function startServer() {
  const status = (line: string, headers: string[] = []): RawHandler => async (conn, { head }) =>
    await reply(conn, head, line, headers, "page\n");
  return startRawServer({
    "/f.txt": rangeFile,
    "/g.txt": rangeFile,
    "/a/b/c/deep.txt": rangeFile,
    // 30000 bytes, Range answered: three lines of dots, commas for a resumed part.
    "/big": async (conn, { head }) => {
      const body = "x".repeat(30000);
      const from = Number(/\r\nRange: bytes=(\d+)-/i.exec(head)?.[1] ?? 0);
      if (from === 0) return await reply(conn, head, "200 OK", [], body);
      await reply(conn, head, "206 Partial Content", [
        `Content-Range: bytes ${from}-${body.length - 1}/${body.length}`,
      ], body.slice(from));
    },
    // HEAD not implemented: --spider asks again with GET.
    "/no-head": async (conn, { head }) =>
      head.startsWith("HEAD ")
        ? await reply(conn, head, "501 Not Implemented", [])
        : await reply(conn, head, "200 OK", ["Content-Type: text/plain"], "body\n"),
    "/no-date.txt": async (conn, { head }) => await reply(conn, head, "200 OK", [], BODY),
    "/dir/": async (conn, { head }) =>
      await reply(conn, head, "200 OK", ["Content-Type: text/html"], "<p>index</p>\n"),
    "/echo": echo,
    // A page that sets a cookie and sends the browser back to itself, as cookie checks do.
    "/login": async (conn, { head }) => {
      if (/\r\nCookie: [^\r]*session=1/i.test(head)) {
        return await reply(conn, head, "200 OK", [], "welcome\n");
      }
      await reply(conn, head, "302 Found", ["Set-Cookie: session=1; Path=/", "Location: /login"]);
    },
    "/loop": status("302 Found", ["Location: /loop"]),
    "/r1": status("302 Found", ["Location: /r2"]),
    "/r2": status("301 Moved Permanently", ["Location: /r3"]),
    "/r3": status("302 Found", ["Location: /f.txt"]),
    "/nolocation": status("302 Found"),
    "/choices": status("300 Multiple Choices", ["Location: /f.txt"]),
    "/choices-page": status("300 Multiple Choices"),
    // The raw server's own 404 keeps the connection; this one says it closes (see reply()).
    "/missing": status("404 Not Found"),
    "/s204": async (conn) =>
      void await send(conn, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"),
    "/s304": async (conn) =>
      void await send(conn, "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n"),
    "/s401": status("401 Unauthorized"),
    "/s403": status("403 Forbidden"),
    "/s416": status("416 Range Not Satisfiable"),
    "/s500": status("500 Internal Server Error"),
    // Content-Disposition names as servers send them.
    ...Object.fromEntries(
      Object.entries(DISPOSITIONS).map((
        [path, value],
      ) => [path, named(`Content-Disposition: ${value}`)]),
    ),
    // 3 bytes of 100, then the server closes.
    "/cut": async (conn) =>
      void await send(
        conn,
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nabc",
      ),
  });
}

/**
 * stderr with what must differ masked: dates, rates, durations (GNU's progress dots keep their
 * columns; only the rate at the end of the line is masked).
 */
function masked(stderr: string): string {
  return stderr
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE")
    .replace(/\(\d+(?:\.\d+)? [KMG]?B\/s\)/g, "(RATE)")
    // A rate under 1K has a blank for its unit, as GNU's (`533 =0s`).
    .replace(/^(\s+\d+K[ .,]*(?:\d+%)?) *[\d.]+[ KMG]?=\S+$/gm, "$1 RATE")
    .replace(/^Total wall clock time: .*$/gm, "Total wall clock time: TIME")
    .replace(/^(Downloaded: \d+ files, \S+) in .*$/gm, "$1 in TIME")
    // A forced bar (redrawn after \r) is GNU's or netkit's own drawing.
    .replace(/^\r[^\n]*/gm, "BAR");
}

/** Asserts exit codes, files and requests alike, and the same stderr once masked. */
function assertSameOutput(both: { gnu: Outcome; netkit: Outcome }, what: string): void {
  assertSame(both, what);
  const [mine, theirs] = [masked(both.netkit.stderr), masked(both.gnu.stderr)];
  equal(mine, theirs, `stderr: ${what}\n--- netkit:\n${mine}\n--- GNU:\n${theirs}`);
}

peerTest(
  "wget follows a redirect back to the same URL (a cookie set on the way), and stops only after --max-redirect, as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    // Before: netkit called the second /login a loop and gave up (exit 8, no file).
    const cookie = await sideBySide(dir.path, server, { args: ["-q", `${server.base}/login`] });
    assertSame(cookie, "cookie check");
    deepEqual(cookie.netkit.files, { login: "welcome\n" });
    deepEqual(cookie.netkit.requests, ["GET /login", "GET /login"]);
    // A 300 with Location is followed; without, its page is the file (GNU's way).
    for (const path of ["/choices", "/choices-page"]) {
      const both = await sideBySide(dir.path, server, { args: ["-nv", `${server.base}${path}`] });
      assertSameOutput(both, path);
      equal(both.netkit.code, 0, path);
    }
    // A real loop: the 20 redirects GNU allows (21 requests), then "20 redirections exceeded."
    for (const args of [["-nv"], ["-q", "--spider"], [], ["--max-redirect=1"]]) {
      const job = {
        args: [...args, `${server.base}/${args[0] === "--max-redirect=1" ? "r1" : "loop"}`],
      };
      const both = await sideBySide(dir.path, server, job);
      assertSameOutput(both, job.args.join(" "));
      equal(both.netkit.code, 8);
    }
  },
);

peerTest(
  "wget prints GNU wget's lines for errors, redirects, --spider, -c on a complete file, -O - (default and -nv)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = (path: string) => `${server.base}${path}`;
    const jobs: Case[] = [];
    for (const verbosity of [[], ["-nv"]]) {
      jobs.push(
        { args: [...verbosity, url("/missing")] },
        { args: [...verbosity, url("/missing"), url("/f.txt")] },
        { args: [...verbosity, url("/missing"), url("/missing")] },
        { args: [...verbosity, url("/s403")] },
        { args: [...verbosity, url("/s401")] },
        { args: [...verbosity, url("/nolocation")] },
        { args: [...verbosity, url("/r1")] },
        { args: [...verbosity, "--spider", url("/f.txt")] },
        { args: [...verbosity, "--spider", url("/dir/")] },
        { args: [...verbosity, "--spider", url("/missing"), url("/f.txt")] },
        { args: [...verbosity, "-c", url("/f.txt")], files: { "f.txt": BODY } },
        { args: [...verbosity, "-c", url("/s416")] },
        { args: [...verbosity, "-nc", url("/f.txt")], files: { "f.txt": "old" } },
        { args: [...verbosity, "-nc", "-O", "out", url("/f.txt")], files: { out: "old" } },
        { args: [...verbosity, "-N", "-O", "out", url("/f.txt")] },
        { args: [...verbosity, "-N", url("/s304")], files: { s304: "old" } },
        {
          args: [...verbosity, "-N", url("/f.txt")],
          files: { "f.txt": BODY },
          mtime: new Date("2023-01-02T03:04:05Z"),
        },
        { args: [...verbosity, url("/s204")] },
        // A 204 is said saved under the name a new file would have had: s204.1 (seed 3344).
        { args: [...verbosity, url("/s204")], files: { s204: BODY } },
        // --method=HEAD is GNU's --spider (its main.c), a 204 with no Length line.
        { args: [...verbosity, "--method=HEAD", url("/f.txt")] },
        { args: [...verbosity, "--method=head", url("/s204")] },
        { args: [...verbosity, "--spider", url("/s204")] },
        { args: [...verbosity, "-O", "-", url("/f.txt")], captureStdout: true },
        { args: [...verbosity, "-t", "2", "--waitretry=0", url("/cut")] },
        { args: [...verbosity, "--show-progress", url("/f.txt")] },
        { args: [...verbosity, "-N", url("/no-date.txt")] },
        { args: [...verbosity, "-c", url("/big")], files: { big: "x".repeat(12345) } },
        { args: [...verbosity, "--progress=bar:force", url("/big")] },
        { args: [...verbosity, "--show-progress", "--progress=bar:force:noscroll", url("/big")] },
      );
    }
    for (const job of jobs) {
      assertSameOutput(await sideBySide(dir.path, server, job), job.args.join(" "));
    }
  },
);

peerTest("wget -q says nothing when a download fails, as GNU wget (cron mails no noise)", [
  "wget",
], async () => {
  await using dir = await tempDir();
  await using server = startServer();
  // --show-progress still shows the dots, as GNU's.
  assertSameOutput(
    await sideBySide(dir.path, server, { args: ["-q", "--show-progress", `${server.base}/f.txt`] }),
    "-q --show-progress",
  );
  // A server without HEAD: GNU asks again with GET, and the link is good.
  const noHead = await sideBySide(dir.path, server, {
    args: ["-q", "--spider", `${server.base}/no-head`],
  });
  assertSame(noHead, "--spider on a server without HEAD");
  equal(noHead.netkit.code, 0);
  for (const path of ["/missing", "/s500", "/s401", "/loop", "/nolocation"]) {
    const both = await sideBySide(dir.path, server, { args: ["-q", `${server.base}${path}`] });
    assertSameOutput(both, `-q ${path}`);
    equal(both.netkit.stderr, "", path);
  }
});

peerTest(
  "wget exits as GNU wget: a 204 makes no file, any 416 is done (0), -N -nc is refused (1), an unwritable -o log is 1, -P '' is here",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const jobs: Case[] = [
      { args: ["-q", `${server.base}/s204`] },
      { args: ["-q", `${server.base}/s416`] },
      { args: ["-q", "-N", "-nc", `${server.base}/f.txt`] },
      { args: ["-o", "none/log", `${server.base}/f.txt`] },
      // --method=HEAD saves no file; the body options' conflicts are exit 1, in GNU's words.
      { args: ["-q", "--method=HEAD", `${server.base}/f.txt`] },
      { args: ["-q", "--body-data=x", `${server.base}/echo`] },
      { args: ["-q", "--method=PUT", "--post-data=x", `${server.base}/echo`] },
      { args: ["-q", "--post-data=x", "--post-file=y", `${server.base}/echo`] },
      { args: ["-q", "--method=PUT", "--body-data=x", "--body-file=y", `${server.base}/echo`] },
      // An empty -P (`-P "$UNSET"`) is the current directory; before, netkit wrote to /f.txt.
      { args: ["-q", "-P", "", `${server.base}/f.txt`] },
      { args: ["-q", "--directory-prefix=", "-x", `${server.base}/a/b/c/deep.txt`] },
    ];
    const codes = [];
    for (const job of jobs) {
      const both = await sideBySide(dir.path, server, job);
      assertSame(both, job.args.join(" "));
      codes.push(both.netkit.code);
      if (job.args.includes("-nc") || job.args.some((arg) => /^--(body|post)-/.test(arg))) {
        equal(both.netkit.stderr.split("\n")[0], both.gnu.stderr.split("\n")[0]);
      }
    }
    deepEqual(codes, [0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0]);
  },
);

peerTest(
  "wget -x, --restrict-file-names and --default-page name files as GNU wget (HOST/DIRS, -nH, --cut-dirs, --protocol-directories, -P)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/a/b/c/deep.txt`;
    for (
      const args of [
        ["-x"],
        ["-x", "-nH"],
        ["-x", "--cut-dirs=2"],
        ["-x", "-nH", "--cut-dirs=5"],
        ["--force-directories", "--protocol-directories"],
        ["-x", "-P", "pre"],
        ["-x", "-nc"],
      ]
    ) {
      const both = await sideBySide(dir.path, server, { args: ["-q", ...args, url] });
      assertSame(both, args.join(" "));
      deepEqual(
        await snapshotTree(both.netkit.dir),
        await snapshotTree(both.gnu.dir),
        args.join(" "),
      );
    }
    // --restrict-file-names names plain downloads too, as GNU's.
    for (
      const args of [
        ["--restrict-file-names=uppercase", `${server.base}/f.txt`],
        ["--restrict-file-names=windows", `${server.base}/echo?a=b`],
        ["--restrict-file-names=ascii", `${server.base}/cd-5987`],
        ["-x", "--restrict-file-names=uppercase", url],
        // --default-page names a URL that ends in /.
        ["--default-page=home.html", `${server.base}/dir/`],
        ["-x", "--default-page=home.html", `${server.base}/dir/`],
        ["-r", "-l", "1", "--default-page=home.html", `${server.base}/dir/`],
      ]
    ) {
      const both = await sideBySide(dir.path, server, { args: ["-q", ...args] });
      equal(both.netkit.code, both.gnu.code, args.join(" "));
      deepEqual(
        [...(await snapshotTree(both.netkit.dir)).keys()].sort(),
        [...(await snapshotTree(both.gnu.dir)).keys()].sort(),
        args.join(" "),
      );
    }
    const dirIndex = await sideBySide(dir.path, server, {
      args: ["-q", "-x", `${server.base}/dir/`],
    });
    deepEqual(await snapshotTree(dirIndex.netkit.dir), await snapshotTree(dirIndex.gnu.dir));
  },
);

peerTest(
  "wget takes a .wgetrc written for GNU wget (passive_ftp, progress, netrc, logfile, input...) as GNU wget does",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/f.txt`;
    const rc = [
      "# Debian's /etc/wgetrc sets this one",
      "passive_ftp = on",
      "ftp_proxy = http://127.0.0.1:9/",
      "progress = dot:mega",
      "show_progress = off",
      "netrc = off",
      "http_keep_alive = off",
      "dnscache = off",
      "iri = on",
      "tries = 1",
      "",
    ].join("\n");
    const jobs: Case[] = [
      { args: ["-nv", url], files: { rc }, env: { WGETRC: "$CWD/rc" } },
      { args: ["-nv", "-e", "passive_ftp=on", "-e", "numtries=2", url] },
      { args: ["-nv", "-e", "logfile=log", url] },
      { args: ["-nv", "-e", "input=list"], files: { list: `${server.base}/g.txt\n` } },
      { args: ["-nv", "-e", "always_rest=on", url], files: { "f.txt": "01234" } },
      // The system's file, then the user's, a later line winning; the command line over both;
      // --config FILE alone; --no-config none. (-t counts the refused connections.)
      ...[
        [["--retry-connrefused"], { rc: "tries = 3\ntries = 1\n" }],
        [["--retry-connrefused"], { sys: "tries = 1\n", rc: "tries = 2\n" }],
        [["--retry-connrefused", "-t", "1"], { sys: "tries = 3\n", rc: "tries = 2\n" }],
        [["--retry-connrefused", "--config=sys"], { sys: "tries = 1\n", rc: "tries = 3\n" }],
        [["--retry-connrefused", "-t", "2", "--no-config"], { sys: "tries = 1\n" }],
        [["--config=none"], {}],
      ].map(([args, files]): Case => ({
        args: ["-nv", "--waitretry=0", ...args as string[], "http://127.0.0.1:9/"],
        files: files as Record<string, string>,
        env: { SYSTEM_WGETRC: "$CWD/sys", WGETRC: "$CWD/rc" },
      })),
      // Still refused as GNU refuses them.
      { args: ["-nv", "-e", "no_such_command=1", url] },
      { args: ["-nv", url], files: { rc: "no_such_command = 1\n" }, env: { WGETRC: "$CWD/rc" } },
    ];
    for (const job of jobs) {
      const both = await sideBySide(dir.path, server, job);
      const files = (outcome: Outcome) => {
        const { log: _log, ...rest } = outcome.files;
        return rest;
      };
      equal(both.netkit.code, both.gnu.code, `${job.args.join(" ")}\n${both.netkit.stderr}`);
      deepEqual(files(both.netkit), files(both.gnu), job.args.join(" "));
      deepEqual(both.netkit.requests, both.gnu.requests, job.args.join(" "));
      // The refused attempts, one "failed:" line each.
      const failures = (outcome: Outcome) => outcome.stderr.split("failed: ").length;
      equal(failures(both.netkit), failures(both.gnu), job.args.join(" "));
      if (job.args.includes("logfile=log")) {
        equal(masked(both.netkit.files.log ?? ""), masked(both.gnu.files.log ?? ""));
      }
    }
  },
);

peerTest(
  "wget -U '' sends no User-Agent; --header User-Agent and Host replace wget's, as GNU wget",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const headerNames = (outcome: Outcome) =>
      (outcome.files.echo ?? "").split("\r\n").slice(1).filter((line) => line !== "").map((line) =>
        line.toLowerCase().startsWith("user-agent: wget/") ||
          line.toLowerCase().startsWith("user-agent: netkit-wget/")
          ? "user-agent: (the tool's own)"
          : line.toLowerCase()
      ).filter((line) => !line.startsWith("connection:")).sort();
    for (
      const args of [
        ["--user-agent="],
        ["-U", ""],
        ["-U", "Agent/1"],
        ["--header", "User-Agent: Other/2"],
        ["--header", "Host: example.test"],
      ]
    ) {
      const both = await sideBySide(dir.path, server, {
        args: ["-q", ...args, `${server.base}/echo`],
      });
      equal(both.netkit.code, both.gnu.code);
      deepEqual(headerNames(both.netkit), headerNames(both.gnu), args.join(" "));
    }
  },
);

peerTest(
  "wget -i - with nothing on stdin exits 0, -F reads the -i file as HTML, -c -O asks each URL for what FILE lacks, as GNU wget (a list not there too)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    // `generate | wget -i -`: the URLs on standard input, through a shell.
    const piped = (text: string) => ["sh", "-c", `printf '%s' '${text}' | "$0" "$@"`];
    const page =
      `<link rel="stylesheet" href="g.txt"><a href="f.txt">1</a><a href="f.txt#x">2</a>` +
      `<img src="/dir/"><a href="mailto:x@y">m</a><a href="${server.base}/missing">z</a>` +
      `<form action="/echo"></form>`;
    const jobs: Case[] = [
      { args: ["-nv", "-i", "-"], wrapper: piped("") },
      { args: ["-nv", "-i", "-", `${server.base}/g.txt`], wrapper: piped("\n\n") },
      { args: ["-nv", "-i", "-"], wrapper: piped(`${server.base}/f.txt\n${server.base}/g.txt\n`) },
      {
        args: ["-nv", "-F", "-B", `${server.base}/`, "-i", "page.html"],
        files: { "page.html": page },
      },
      {
        args: ["-nv", "--force-html", "-i", "page.html"],
        files: { "page.html": `<base href="${server.base}/a/b/c/"><a href="deep.txt">x</a>` },
      },
      // No base: each link without a scheme is said and left out, as GNU's append_url does
      // (a relative <base href> too; an absolute one is the base of the links after it).
      {
        args: ["-nv", "-F", "-i", "page.html"],
        files: {
          "page.html": `<base href="sub/"><link rel=stylesheet href=" s.css "><a href="">e</a>
<a href="#top">t</a> <a href="//${server.base.slice(7)}/f.txt">n</a> <a href="mailto:a@b">m</a>
<a href="1a:b">s</a> <form action="f.cgi"></form> <img srcset="a.png 1x, b.png 2x">
<p style="background: url(st.png)"><a href="${server.base}/g.txt">g</a>
<base href="${server.base}/a/"><a href="deep.txt">x</a>`,
        },
      },
      { args: ["-nv", "-c", "-O", "out", `${server.base}/f.txt`, `${server.base}/g.txt`] },
      {
        args: ["-nv", "-c", "-O", "out", `${server.base}/f.txt`, `${server.base}/g.txt`],
        files: { out: "01234" },
      },
      // A list that cannot be read names no URL: said after the URLs given, exit 0.
      { args: ["-nv", "-i", "missing.txt", `${server.base}/g.txt`] },
      { args: ["-i", "missing.txt"] },
      { args: ["-q", "-i", "missing.txt"] },
      { args: ["-nv", "-F", "-i", "sub"], dirs: ["sub"] },
    ];
    for (const job of jobs) {
      assertSameOutput(await sideBySide(dir.path, server, job), job.args.join(" "));
    }
  },
);

peerTest(
  "wget --content-disposition names files as GNU wget does (a Windows path, escapes, RFC 5987)",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    for (const path of Object.keys(DISPOSITIONS)) {
      const both = await sideBySide(dir.path, server, {
        args: ["-q", "--content-disposition", `${server.base}${path}`],
      });
      assertSame(both, path);
    }
  },
);

peerTest(
  "wget takes GNU wget's other options (--no-hsts, --no-http-keep-alive, -d, --secure-protocol, --no-cache, -v...) as GNU wget does",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/f.txt`;
    for (
      const args of [
        ["--no-hsts", "--no-http-keep-alive", "--no-dns-cache", "--no-iri", "--passive-ftp"],
        ["-d", "--no-glob", "--report-speed=bits", "--local-encoding", "UTF-8"],
        ["--secure-protocol=TLSv1_2", "--https-only", "--no-netrc", "--hsts-file", "hsts"],
        ["-v"],
        ["--verbose", "-nc"],
        ["-q", "-v"],
      ]
    ) {
      const both = await sideBySide(dir.path, server, { args: [...args, url] });
      assertSame(both, args.join(" "));
    }
    // --no-cache asks for a fresh copy with both of GNU's headers.
    const fresh = await sideBySide(dir.path, server, {
      args: ["-q", "--no-cache", `${server.base}/echo`],
    });
    const cacheHeaders = (outcome: Outcome) =>
      (outcome.files.echo ?? "").split("\r\n").filter((line) =>
        /^(cache-control|pragma):/i.test(line)
      );
    deepEqual(cacheHeaders(fresh.netkit), cacheHeaders(fresh.gnu));
    deepEqual(cacheHeaders(fresh.netkit), ["Cache-Control: no-cache", "Pragma: no-cache"]);
  },
);

peerTest(
  "wget answers Digest (camera-style) and Basic challenges as GNU wget: URL credentials wait for the 401, --user alone sends nothing",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const md5 = (text: string) => createHash("md5").update(text).digest("hex");
    // A server that checks the Digest answer (qop=auth, MD5) for u:p, and one that asks for Basic.
    await using server = startRawServer({
      "/digest": async (conn, { head }) => {
        const answer = /\r\nAuthorization: Digest (.*)\r\n/i.exec(head)?.[1];
        const p = Object.fromEntries(
          [...(answer ?? "").matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [
            m[1],
            m[2] ?? m[3],
          ]),
        );
        const a1 = md5(`${p.username}:${p.realm}:p`);
        const expected = md5(
          `${a1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${md5(`GET:${p.uri}`)}`,
        );
        if (answer && p.username === "u" && p.response === expected && p.opaque === "o1") {
          return await reply(conn, head, "200 OK", [], "picture\n");
        }
        await reply(conn, head, "401 Unauthorized", [
          'WWW-Authenticate: Digest realm="cam", nonce="n0nce", qop="auth", opaque="o1"',
        ], "no\n");
      },
      "/basic": async (conn, { head }) => {
        if (/\r\nAuthorization: Basic dTpw\r\n/.test(head)) {
          return await reply(conn, head, "200 OK", [], "in\n");
        }
        await reply(conn, head, "401 Unauthorized", ['WWW-Authenticate: Basic realm="r"'], "no\n");
      },
    });
    const at = (path: string) => `${server.base}${path}`;
    const withUser = (path: string) => at(path).replace("http://", "http://u:p@");
    const jobs: Case[] = [
      { args: ["-q", "--user=u", "--password=p", at("/digest")] },
      { args: ["-q", "--user=u", "--password=wrong", at("/digest")] },
      { args: ["-q", withUser("/digest")] },
      { args: ["-q", withUser("/basic")] },
      { args: ["-q", "--user=u", at("/basic")] },
      { args: ["-q", "--password=p", at("/basic")] },
      {
        args: ["-q", "--user=u", at("/basic")],
        files: { ".netrc": "machine 127.0.0.1 login u password p\n" },
        env: { HOME: "$CWD" },
      },
    ];
    for (const job of jobs) {
      const both = await sideBySide(dir.path, server, job);
      const files = (outcome: Outcome) => {
        const { ".netrc": _netrc, ...rest } = outcome.files;
        return rest;
      };
      equal(both.netkit.code, both.gnu.code, `${job.args.join(" ")}\n${both.netkit.stderr}`);
      deepEqual(files(both.netkit), files(both.gnu), job.args.join(" "));
      deepEqual(both.netkit.requests, both.gnu.requests, job.args.join(" "));
    }
    // -nv says which challenge it answered, in GNU's words.
    const said = await sideBySide(dir.path, server, {
      args: ["-nv", "--user=u", "--password=p", at("/digest")],
    });
    const selected = (outcome: Outcome) =>
      outcome.stderr.split("\n").filter((line) => line.startsWith("Authentication selected:"));
    deepEqual(selected(said.netkit), selected(said.gnu));
  },
);

peerTest(
  "wget takes empty values (unset shell variables) and a cookies file not there yet as GNU wget does",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/f.txt`;
    for (
      const args of [
        ["--header=", url],
        ["--header=X-A: 1", "--header=", "--header=X-B: 2", `${server.base}/echo`],
        ["-t", "", url],
        ["--ca-certificate=", url],
        ["--max-redirect=", `${server.base}/r1`],
        // A login script's first run: the cookies file it loads and saves is not there yet.
        ["--load-cookies=c.txt", "--save-cookies=c.txt", "--keep-session-cookies", url],
        ["--save-cookies=none/c.txt", url],
      ]
    ) {
      const both = await sideBySide(dir.path, server, { args: ["-nv", ...args] });
      const comparable = (outcome: Outcome) => {
        const files = { ...outcome.files };
        // The tools name themselves in the cookies file's comment and the echoed User-Agent.
        if (files["c.txt"] !== undefined) files["c.txt"] = "(cookies)";
        if (files.echo !== undefined) {
          files.echo = files.echo.split("\r\n").filter((line) => /^X-/.test(line)).join(",");
        }
        return files;
      };
      equal(both.netkit.code, both.gnu.code, `${args.join(" ")}\n${both.netkit.stderr}`);
      deepEqual(comparable(both.netkit), comparable(both.gnu), args.join(" "));
      deepEqual(both.netkit.requests, both.gnu.requests, args.join(" "));
      const cookieLines = (outcome: Outcome) =>
        outcome.stderr.split("\n").filter((line) => line.startsWith("Cannot open cookies file"));
      deepEqual(cookieLines(both.netkit), cookieLines(both.gnu), args.join(" "));
    }
  },
);

peerTest(
  "wget -O FILE gets the server's Last-Modified as its mtime, as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const both = await sideBySide(dir.path, server, {
      args: ["-q", "-O", "out", `${server.base}/f.txt`],
    });
    assertSame(both, "-O out");
    const mtime = (outcome: Outcome) => Deno.statSync(`${outcome.dir}/out`).mtime?.toISOString();
    equal(mtime(both.netkit), mtime(both.gnu));
    equal(mtime(both.netkit), "2023-01-02T03:04:05.000Z");
  },
);
