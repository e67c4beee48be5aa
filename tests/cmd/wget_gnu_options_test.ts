/**
 * More of GNU wget's options, each run by GNU wget 1.21 and by netkit on the same loopback
 * server: `--ignore-length`, `--compression` with `-c` (GNU turns `-c` off), time suffixes
 * (`-w 1m`, `-T 2h`), recursive settings from `.wgetrc` and `-e`, and `--regex-type`.
 */

import assert, { deepEqual, equal } from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { peerTest, tempDir } from "../harness/peers.ts";
import { type RawServer, send, startRawServer } from "../harness/raw_http_server.ts";
import { startRecordingServer } from "../harness/recording_http_server.ts";
import { snapshotTree } from "../harness/test_site.ts";
import { assertSame, type Outcome, sideBySide } from "../harness/wget_side_by_side.ts";

const BODY = "0123456789".repeat(50);
const GZIPPED = gzipSync(new TextEncoder().encode(BODY));

function head(status: string, headers: string[]): string {
  return `HTTP/1.1 ${status}\r\n${headers.join("\r\n")}\r\n\r\n`;
}

const html = (links: string[]) => links.map((link) => `<a href="${link}">${link}</a>`).join("\n");

/**
 * The server closes after each reply; the replies a wget may follow with another request (several
 * URLs, -r) say so, else GNU wget races the close to reuse the connection (raw_http_server.ts).
 */
const CLOSE = "Connection: close";

function startServer(): RawServer {
  const page = (text: string) => async (conn: Deno.Conn) =>
    void await send(
      conn,
      head("200 OK", ["Content-Type: text/html", `Content-Length: ${text.length}`, CLOSE]) + text,
    );
  const file = (text: string) => async (conn: Deno.Conn) =>
    void await send(
      conn,
      head("200 OK", ["Content-Type: text/plain", `Content-Length: ${text.length}`, CLOSE]) + text,
    );
  return startRawServer({
    // Content-Length says 5 but the body runs on until the server closes, and the other way.
    "/longer": async (conn) =>
      void await send(conn, head("200 OK", ["Content-Length: 5"]) + "hello, and more\n"),
    "/shorter": async (conn) =>
      void await send(conn, head("200 OK", ["Content-Length: 500"]) + "short\n"),
    "/gz": async (conn) => {
      await send(
        conn,
        head("200 OK", ["Content-Encoding: gzip", `Content-Length: ${GZIPPED.length}`]),
      );
      await send(conn, GZIPPED);
    },
    "/f.txt": file(BODY),
    // A Range answered 206 (else the whole body).
    "/ranged": async (conn, request) => {
      const from = Number(/\r\nRange: bytes=(\d+)-/i.exec(request.head)?.[1] ?? 0);
      const part = BODY.slice(from);
      const range = from > 0
        ? [`Content-Range: bytes ${from}-${BODY.length - 1}/${BODY.length}`]
        : [];
      await send(
        conn,
        head(from > 0 ? "206 Partial Content" : "200 OK", [
          "Content-Type: text/plain",
          `Content-Length: ${part.length}`,
          ...range,
          CLOSE,
        ]) + part,
      );
    },
    "/robots.txt": file("User-agent: *\nDisallow: /\n"),
    "/site/index.html": page(html(["a.txt", "b.bin", "sub/c.txt", "../up.txt", "d.txt", "1.txt"])),
    "/site/a.txt": file("a\n"),
    "/site/b.bin": file("b\n"),
    "/site/d.txt": file("d\n"),
    "/site/1.txt": file("1\n"),
    "/site/sub/c.txt": file("c\n"),
    "/up.txt": file("up\n"),
    // A page and a stylesheet under names without their extensions, for -E and -k.
    "/page?q=1": page(html(["up.txt", "/site/a.txt", "page?q=1#top", "sheet"])),
    "/sheet": async (conn) => {
      const css = "body { background: url(up.txt) }\n";
      await send(
        conn,
        head("200 OK", ["Content-Type: text/css", `Content-Length: ${css.length}`, CLOSE]) + css,
      );
    },
  });
}

peerTest(
  "wget --ignore-length reads until the server closes and asks it to, as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    for (const path of ["/longer", "/shorter", "/f.txt"]) {
      const before = server.requests.length;
      const both = await sideBySide(dir.path, server, {
        args: ["--ignore-length", `${server.base}${path}`],
      });
      assertSame(both, `--ignore-length ${path}`);
      const lengthLine = (outcome: Outcome) =>
        outcome.stderr.split("\n").find((line) => line.startsWith("Length:"));
      assert.match(lengthLine(both.netkit) ?? "", /^Length: ignored( \[|$)/);
      equal(lengthLine(both.netkit), lengthLine(both.gnu));
      // GNU asks the server to close: the body ends where the connection does.
      for (const request of server.requests.slice(before)) {
        assert.match(request, /\r\nConnection: Close\r\n/i);
      }
    }
  },
);

peerTest(
  "wget -c --ignore-length: a 206's length is its Content-Range's, as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    // (Random seed 1700063: netkit said "[500]" where GNU says "[500/500]", and "Length: ignored".)
    for (const args of [["-nv"], []]) {
      const both = await sideBySide(dir.path, server, {
        args: [...args, "-c", "--ignore-length", `${server.base}/ranged`],
        files: { ranged: BODY.slice(0, 120) },
      });
      assertSame(both, `${args.join(" ")} -c --ignore-length`);
      deepEqual(both.netkit.files, { ranged: BODY });
      const said = (outcome: Outcome) =>
        outcome.stderr.split("\n").filter((line) => /^Length:| URL:/.test(line))
          .map((line) => line.replace(/^\S+ \S+ URL:/, "URL:"));
      deepEqual(said(both.netkit), said(both.gnu));
      assert.ok(
        said(both.gnu).some((line) => line.includes("[500/500]") || line.includes("380 remaining")),
        both.gnu.stderr,
      );
    }
  },
);

peerTest(
  "wget --compression=gzip -c turns -c off and says so, as GNU wget 1.21",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    for (const args of [["--compression=gzip", "-c"], ["-q", "-c", "--compression=gzip"]]) {
      const both = await sideBySide(dir.path, server, {
        args: [...args, `${server.base}/gz`],
        files: { gz: "xxx" },
      });
      assertSame(both, args.join(" "));
      deepEqual(both.netkit.files, { gz: "xxx", "gz.1": BODY });
      deepEqual(both.netkit.requests, ["GET /gz"]);
      const first = (outcome: Outcome) => outcome.stderr.split("\n")[0];
      equal(first(both.netkit), first(both.gnu));
      equal(
        first(both.netkit),
        "Compression does not work with --continue or --start-pos, they will be disabled.",
      );
    }
    // --compression=auto keeps -c (and is itself off): the Range asks for the body as stored, and
    // a server that ignores it has the local bytes skipped from its (undecoded) body.
    const auto = await sideBySide(dir.path, server, {
      args: ["-c", "--compression=auto", `${server.base}/gz`],
      files: { gz: "xxx" },
    });
    assertSame(auto, "-c --compression=auto");
    deepEqual(auto.netkit.requests, ["GET /gz Range: bytes=3-"]);
    const encodings = server.requests.slice(-2).map((request) =>
      /\r\nAccept-Encoding: *([^\r]*)/i.exec(request)?.[1]
    );
    deepEqual(encodings, ["identity", "identity"]);
    // And a file not here yet: GNU's main.c turns --compression=auto off beside -c for the run.
    const fresh = await sideBySide(dir.path, server, {
      args: ["-c", "--compression=auto", `${server.base}/gz`],
    });
    assertSame(fresh, "-c --compression=auto, no file here");
    const asked = server.requests.slice(-2).map((request) =>
      /\r\nAccept-Encoding: *([^\r]*)/i.exec(request)?.[1]
    );
    deepEqual(asked, ["identity", "identity"]);
  },
);

peerTest(
  "wget takes GNU wget's time suffixes (-w 0.001m, -T 1h, --waitretry=1d) and refuses others",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/f.txt`;
    for (
      const args of [
        ["-q", "-w", "0.001m", "--waitretry=1d", "-T", "1h", url, url],
        ["-q", "--read-timeout=0.5m", "--connect-timeout=2s", "--dns-timeout=1w", url],
        ["-q", "-e", "wait=0.0001h", "-e", "read_timeout=1m", url, url],
      ]
    ) {
      assertSame(await sideBySide(dir.path, server, { args }), args.join(" "));
    }
    for (const args of [["-w", "1x", url], ["-T", "abc", url], ["-e", "wait=zz", url]]) {
      const both = await sideBySide(dir.path, server, { args });
      assertSame(both, args.join(" "));
      equal(both.netkit.code, 2);
    }
  },
);

peerTest(
  "wget takes recursive settings from .wgetrc and -e (recursive, robots, reclevel, no_parent, accept), as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/site/index.html`;
    const rc = `${dir.path}/wgetrc`;
    await Deno.writeTextFile(
      rc,
      "recursive = on\nrobots = off\nreclevel = 1\nno_parent = on\naccept = txt,html\n",
    );
    const runs: { args: string[]; env?: Record<string, string> }[] = [
      { args: ["-q", url], env: { WGETRC: rc } },
      {
        args: ["-q", "-e", "recursive=on", "-e", "robots=off", "-e", "accept=txt", "-nH", url],
      },
      // robots.txt disallows everything: only the start page.
      { args: ["-q", "-e", "recursive = on", "-e", "dirstruct = off", url] },
      { args: ["-q", "-e", "recursive=on", "-e", "robots=off", "-e", "reclevel=1", url] },
    ];
    for (const { args, env } of runs) {
      const both = await sideBySide(dir.path, server, { args, ...(env ? { env } : {}) });
      const what = args.join(" ");
      equal(both.netkit.code, both.gnu.code, `${what}\n${both.netkit.stderr}`);
      deepEqual(await snapshotTree(both.netkit.dir), await snapshotTree(both.gnu.dir), what);
    }
  },
);

peerTest(
  "wget --regex-type: POSIX by default ([[:digit:]], \\d is a d), pcre on request, as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/site/index.html`;
    for (
      const args of [
        ["--accept-regex=/[[:digit:]]\\.txt$|html$"],
        ["--accept-regex=/\\d\\.txt$|html$"],
        ["--regex-type=posix", "--reject-regex=[[:alpha:]]\\.bin$"],
        ["--regex-type=pcre", "--accept-regex=/\\d\\.txt$|html$"],
        ["--regex-type=PCRE", "--reject-regex=(?i)A\\.TXT"],
      ]
    ) {
      const both = await sideBySide(dir.path, server, {
        args: ["-q", "-r", "-l", "1", "-np", "-e", "robots=off", ...args, url],
      });
      const what = args.join(" ");
      equal(both.netkit.code, both.gnu.code, `${what}\n${both.netkit.stderr}\n${both.gnu.stderr}`);
      deepEqual(await snapshotTree(both.netkit.dir), await snapshotTree(both.gnu.dir), what);
    }
    const bad = await sideBySide(dir.path, server, { args: ["--regex-type=foo", url] });
    equal(bad.netkit.code, bad.gnu.code);
  },
);

peerTest(
  "wget says Retrying., (try: 2) and Giving up. as GNU wget, and nothing more under -nv and -q",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    // Kept alive between the attempts, as a real server keeps it.
    await using server = startRecordingServer({
      handle: () => ({ status: 504, reason: "Gateway Timeout", body: "" }),
    });
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const refused = `http://127.0.0.1:${closed.addr.port}/`;
    closed.close();
    const dated = (text: string) => text.replace(/^--[\d: -]+--/gm, "--DATE--");
    for (const quiet of [[], ["-nv"], ["-q"]]) {
      for (const args of [[`${server.base}/s504`], ["--retry-connrefused", refused]]) {
        const both = await sideBySide(dir.path, undefined, {
          args: [...quiet, "-t", "2", "--waitretry=0", "-O", "out", ...args],
        });
        const what = [...quiet, ...args].join(" ");
        equal(both.netkit.code, 4, what);
        equal(both.gnu.code, 4, what);
        equal(
          dated(both.netkit.stderr),
          dated(both.gnu.stderr),
          `${what}\n${both.gnu.stderr}\n${both.netkit.stderr}`,
        );
      }
    }
  },
);

peerTest(
  "wget says Read error … in headers., No data received., Read error at byte N/M and Connection closed at byte N as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    /** Waits until the client goes away. */
    const stall = async (conn: Deno.Conn) => {
      const buffer = new Uint8Array(1024);
      while (await conn.read(buffer).catch(() => null) !== null) {
        // The client's bytes are of no interest.
      }
    };
    const partial = head("200 OK", ["Content-Length: 100"]) + "abc";
    await using server = startRawServer({
      "/head": stall,
      "/body": async (conn) => {
        await send(conn, partial);
        await stall(conn);
      },
      "/eof": async (conn) => void await send(conn, partial),
      "/nodata": () => Promise.resolve(),
    });
    const dated = (text: string) =>
      text.replace(/^--[\d: -]+--/gm, "--DATE--").replace(/^[\d: -]+ \([^)]*\) - /gm, "DATE - ")
        .replace(/^ +0K.*$/gm, "DOTS");
    for (const path of ["/head", "/body", "/eof", "/nodata"]) {
      for (const quiet of [[], ["-nv"], ["-q"]]) {
        const args = [...quiet, "-t", "2", "--waitretry=0", "--read-timeout=0.5", "-O", "out"];
        const both = await sideBySide(dir.path, server, {
          args: [...args, `${server.base}${path}`],
        });
        const what = `${quiet.join(" ")} ${path}`;
        equal(both.netkit.code, both.gnu.code, what);
        deepEqual(both.netkit.files, both.gnu.files, what);
        equal(dated(both.netkit.stderr), dated(both.gnu.stderr), what);
      }
    }
  },
);

peerTest(
  "wget --delete-after fetches and removes each file, keeps the user's and an -O file, as GNU",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const cases: { args: string[]; files: Record<string, string> }[] = [
      { args: ["--delete-after", `${server.base}/f.txt`], files: {} },
      { args: ["--delete-after", `${server.base}/f.txt`], files: { "f.txt": "mine\n" } },
      {
        args: ["-nv", "--delete-after", `${server.base}/f.txt`, `${server.base}/up.txt`],
        files: {},
      },
      { args: ["--delete-after", "-O", "out", `${server.base}/f.txt`], files: {} },
    ];
    for (const { args, files } of cases) {
      const both = await sideBySide(dir.path, server, { args, files });
      assertSame(both, args.join(" "));
    }
  },
);

peerTest(
  "wget -E, -k and -K without -r name and rewrite a page as GNU wget does",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const page = `${server.base}/page?q=1`;
    const sheet = `${server.base}/sheet`;
    const cases = [
      ["-E", page, sheet],
      ["-k", page, `${server.base}/up.txt`, sheet],
      ["-E", "-k", "-K", page, sheet, `${server.base}/up.txt`],
      ["-nv", "-k", page],
    ];
    for (const args of cases) {
      const both = await sideBySide(dir.path, server, { args });
      assertSame(both, args.join(" "));
    }
    // Names taken: the free name first, then -E's extension (page?q=1.1.html, sheet.1.css).
    const files = { "page?q=1": "x", "page?q=1.html": "y", sheet: "z", "sheet.css": "w" };
    const taken = await sideBySide(dir.path, server, { args: ["-E", page, sheet], files });
    assertSame(taken, "-E over names that are taken");
  },
);

peerTest(
  "wget -nc with -k, and -k with -O over several documents, as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/f.txt`;
    // -k wins over -nc (GNU says so, even with -q): the existing file does not stop the download.
    const both = await sideBySide(dir.path, server, {
      args: ["-q", "-nc", "-k", url],
      files: { "f.txt": "mine\n" },
    });
    assertSame(both, "-nc -k");
    equal(both.netkit.stderr, both.gnu.stderr);
    // One -O file cannot be converted when several documents go into it: refused, exit 1.
    for (
      const args of [["-k", "-O", "out", url, `${server.base}/up.txt`], [
        "-k",
        "-r",
        "-O",
        "out",
        url,
      ]]
    ) {
      const refused = await sideBySide(dir.path, server, { args });
      assertSame(refused, args.join(" "));
      equal(refused.netkit.code, 1);
      equal(refused.netkit.stderr.split("\n")[0], refused.gnu.stderr.split("\n")[0]);
    }
  },
);

peerTest(
  "wget -nd and -x together: the one given last wins, as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    for (
      const args of [["-nd", "-x"], ["-x", "-nd"], ["--no-directories", "--force-directories"]]
    ) {
      const both = await sideBySide(dir.path, server, {
        args: ["-q", ...args, `${server.base}/site/a.txt`],
      });
      assertSame(both, args.join(" "));
    }
  },
);
