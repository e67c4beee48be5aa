/**
 * netkit's wget beside GNU wget (1.21, Debian's `wget`) on the same loopback servers: for each
 * case both run in a directory of their own, prepared alike, and the test compares the exit
 * codes, the files left on disk and the requests the server saw.
 */

import assert, { deepEqual, equal } from "node:assert/strict";
import { peerTest, startPeerOnFreePort, tempDir } from "../harness/peers.ts";
import { startTinyproxy } from "../harness/tinyproxy.ts";
import { refusedPort } from "../harness/refused_port.ts";
import {
  type RawHandler,
  type RawServer,
  send,
  startRawServer,
} from "../harness/raw_http_server.ts";
import {
  assertSame,
  type Case,
  type Outcome,
  runTool,
  sideBySide,
} from "../harness/wget_side_by_side.ts";
import { makeCertificate } from "../harness/nginx.ts";
import { plain, startRandomServer } from "../harness/random_server.ts";
import { runWgetLogged } from "../harness/wget_recursive_compare.ts";
import { commandArgs } from "../harness/run.ts";
import { main } from "../../cmd/wget.ts";
import {
  type RecordedRequest,
  type RecordingServer,
  type Reply,
  startRecordingServer,
} from "../harness/recording_http_server.ts";

const decoder = new TextDecoder();

/**
 * Writes a reply; no body for HEAD. It says `Connection: close`, for the raw server closes each
 * connection after one reply: unsaid, GNU wget keeps the connection for its next request (another
 * URL, a retry) and, when the server's close has not reached it yet (often on a loaded machine),
 * sends that request into the closed connection and logs "No data received." (retried, and counted
 * as a try: `-t 2` on a 504 then asked once, not twice).
 */
async function reply(
  conn: Deno.Conn,
  head: string,
  status: string,
  headers: string[],
  body = "",
): Promise<void> {
  const lines = [
    `HTTP/1.1 ${status}`,
    ...headers,
    `Content-Length: ${body.length}`,
    "Connection: close",
  ];
  const isHead = head.startsWith("HEAD ");
  await send(conn, `${lines.join("\r\n")}\r\n\r\n${isHead ? "" : body}`);
}

const BODY = "0123456789";

/** A file that supports Range, optionally named by Content-Disposition. */
function rangeFile(extra: string[] = []): RawHandler {
  return async (conn, { head }) => {
    const range = /\r\nRange: bytes=(\d+)-/i.exec(head);
    if (!range) return await reply(conn, head, "200 OK", extra, BODY);
    const from = Number(range[1]);
    if (from >= BODY.length) {
      return await reply(conn, head, "416 Range Not Satisfiable", [
        `Content-Range: bytes */${BODY.length}`,
      ]);
    }
    await reply(
      conn,
      head,
      "206 Partial Content",
      [...extra, `Content-Range: bytes ${from}-${BODY.length - 1}/${BODY.length}`],
      BODY.slice(from),
    );
  };
}

/**
 * Request targets whose file name GNU decodes twice (split_path's url_unescape, then
 * url_file_name's), where a `%` left after the first decoding is no escape: GNU's name for each.
 * netkit's plain download decoded with decodeURIComponent, which gives up on the whole name
 * there (`%25%2541` was `%%41`), where `-r` decoded as GNU.
 */
const DOUBLY_DECODED: Record<string, string> = {
  "/1%2541%25%25x": "1A%%x",
  "/%25%2541": "%A",
  "/x%0A%2541%25zz": "x%0AA%zz",
  "/e%2541?q=%2541%25zz": "eA?q=%41%zz",
  "/p%E2%82%AC%2541%25": "p\u20acA%",
};

function startServer(): RawServer {
  return startRawServer({
    "/f.txt": rangeFile(),
    "/cd": rangeFile(['Content-Disposition: attachment; filename="named.txt"']),
    "/norange": async (conn, { head }) => await reply(conn, head, "200 OK", [], BODY),
    "/redir": async (conn, { head }) =>
      await reply(conn, head, "302 Found", ["Location: /a,b.txt?fields=a,b"]),
    "/a,b.txt?fields=a,b": async (conn, { head }) =>
      await reply(conn, head, "200 OK", [], "comma\n"),
    "/moved": async (conn, { head }) =>
      await reply(conn, head, "301 Moved Permanently", ["Location: /norange"], "moved\n"),
    "/nowhere": async (conn, { head }) =>
      await reply(conn, head, "301 Moved Permanently", [], "nowhere\n"),
    "/s500": async (conn, { head }) =>
      await reply(conn, head, "500 Internal Server Error", [], "broken\n"),
    "/s504": async (conn, { head }) => await reply(conn, head, "504 Gateway Timeout", [], "late\n"),
    "/cookies": async (conn, { head }) => {
      const cookies = Array.from({ length: 150 }, (_, i) => `Set-Cookie: c${i}=${"v".repeat(20)}`);
      await reply(conn, head, "200 OK", cookies, "tasty\n");
    },
    "/a%20b.txt": async (conn, { head }) => await reply(conn, head, "200 OK", [], "space\n"),
    // Names with a `%` that is no escape once decoded (as both wgets send them: `%` as `%25`).
    ...Object.fromEntries(
      Object.keys(DOUBLY_DECODED).map((target) => [
        target,
        async (conn: Deno.Conn, { head }: { head: string }) =>
          await reply(conn, head, "200 OK", [], `${target}\n`),
      ]),
    ),
    // A directory's queries, and empty ones (`?` alone), each a file of its own.
    ...Object.fromEntries(
      ["/?q=1", "/d/?x=%2Fy", "/?", "/p.php?", "/p.php", "/d/?a=%41&b=%20c"].map((target) => [
        target,
        async (conn: Deno.Conn, { head }: { head: string }) =>
          await reply(conn, head, "200 OK", [], `${target}\n`),
      ]),
    ),
  });
}

peerTest("wget -nc -O FILE leaves FILE untouched and exits 1 without a request, as GNU wget", [
  "wget",
], async () => {
  await using dir = await tempDir();
  await using server = startServer();
  const both = await sideBySide(dir.path, server, {
    args: ["-nc", "-O", "out", `${server.base}/f.txt`],
    files: { out: "precious" },
  });
  assertSame(both, "-nc -O");
  deepEqual(both.netkit.files, { out: "precious" });
  deepEqual(both.netkit.requests, []);
  equal(both.netkit.code, 1);
  // GNU's words, quotes as the UTF-8 locale has them.
  equal(both.netkit.stderr, "File \u2018out\u2019 already there; not retrieving.\n");
  equal(both.gnu.stderr, both.netkit.stderr);
  // Without the file, -nc -O downloads as usual.
  assertSame(
    await sideBySide(dir.path, server, {
      args: ["-q", "-nc", "-O", "out", `${server.base}/f.txt`],
    }),
    "-nc -O, no file",
  );
});

peerTest(
  "wget -nc/-c --content-disposition check the header's name, as GNU wget (HEAD, then Range)",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/cd`;
    const skip = await sideBySide(dir.path, server, {
      args: ["-q", "-nc", "--content-disposition", url],
      files: { "named.txt": "01234" },
    });
    assertSame(skip, "-nc --content-disposition");
    deepEqual(skip.netkit.files, { "named.txt": "01234" });
    const resume = await sideBySide(dir.path, server, {
      args: ["-q", "-c", "--content-disposition", url],
      files: { "named.txt": "01234" },
    });
    assertSame(resume, "-c --content-disposition");
    deepEqual(resume.netkit.files, { "named.txt": BODY });
    deepEqual(resume.netkit.requests, ["HEAD /cd", "GET /cd Range: bytes=5-"]);
    // No local file: the whole body, under the header's name.
    assertSame(
      await sideBySide(dir.path, server, { args: ["-q", "-c", "--content-disposition", url] }),
      "-c --content-disposition, nothing there",
    );
  },
);

peerTest(
  "wget names a directory's queries and an empty query (?) as GNU wget: index.html?q=1, p.php?",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const targets = ["/?q=1", "/d/?x=%2Fy", "/?", "/p.php?", "/p.php", "/d/?a=%41&b=%20c"];
    for (const target of targets) {
      assertSame(
        await sideBySide(dir.path, server, { args: ["-q", `${server.base}${target}`] }),
        target,
      );
    }
    // All on one command line: one file each, none taken for another's (no index.html.1).
    const all = await sideBySide(dir.path, server, {
      args: ["-q", ...targets.map((target) => `${server.base}${target}`)],
    });
    assertSame(all, "all at once");
    deepEqual(Object.keys(all.netkit.files).sort(), [
      "index.html?",
      "index.html?a=A&b= c",
      "index.html?q=1",
      "index.html?x=%2Fy",
      "p.php",
      "p.php?",
    ]);
    deepEqual(all.netkit.requests, targets.map((target) => `GET ${target}`));
  },
);

peerTest(
  "wget decodes a file's name twice as GNU wget, a % left after the first decoding kept: %25%2541 is %A",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    for (const [target, name] of Object.entries(DOUBLY_DECODED)) {
      const both = await sideBySide(dir.path, server, { args: ["-q", `${server.base}${target}`] });
      assertSame(both, target);
      deepEqual(Object.keys(both.netkit.files), [name], target);
    }
  },
);

peerTest(
  "wget follows a redirect whose Location has commas, whole, as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const both = await sideBySide(dir.path, server, { args: ["-q", `${server.base}/redir`] });
    assertSame(both, "Location with commas");
    deepEqual(both.netkit.requests, ["GET /redir", "GET /a,b.txt?fields=a,b"]);
    deepEqual(both.netkit.files, { redir: "comma\n" });
  },
);

peerTest(
  "wget -c on a server that ignores Range keeps the local bytes and skips them, as GNU wget",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/norange`;
    const prefix = await sideBySide(dir.path, server, {
      args: ["-q", "-c", url],
      files: { norange: "abcd" },
    });
    assertSame(prefix, "-c, Range ignored");
    deepEqual(prefix.netkit.files, { norange: "abcd456789" });
    // A local file as long as the body or longer is complete: left alone, exit 0.
    for (const local of [BODY, "abcdefghijkl"]) {
      assertSame(
        await sideBySide(dir.path, server, { args: ["-q", "-c", url], files: { norange: local } }),
        `-c, ${local.length} bytes there`,
      );
    }
    // A server that honours Range: resumed, or 416 when complete.
    for (const local of ["0123", BODY]) {
      assertSame(
        await sideBySide(dir.path, server, {
          args: ["-q", "-c", `${server.base}/f.txt`],
          files: { "f.txt": local },
        }),
        `-c with Range, ${local.length} bytes there`,
      );
    }
  },
);

peerTest(
  "wget exit codes as GNU wget's: 500 at once, 504 retried, --retry-on-http-error, -O DIR, no URL",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const cases: Case[] = [
      { args: ["-q", "-t", "3", `${server.base}/s500`] },
      { args: ["-q", "-t", "2", "--waitretry=0", `${server.base}/s504`] },
      {
        args: [
          "-q",
          "-t",
          "2",
          "--waitretry=0",
          "--retry-on-http-error=503,500",
          `${server.base}/s500`,
        ],
      },
      { args: ["-q", "-t", "1", "--retry-on-http-error=500", `${server.base}/s500`] },
      { args: ["-q", "-O", "sub", `${server.base}/f.txt`], dirs: ["sub"] },
      { args: ["-q", "-O", "none/x", `${server.base}/f.txt`] },
      { args: ["-q"] },
      { args: ["-q", `${server.base}/f.txt`, `${server.base}/s500`, `${server.base}/missing`] },
    ];
    for (const job of cases) {
      const both = await sideBySide(dir.path, server, job);
      assertSame(both, job.args.join(" "));
      assert(!/os error|\(os error|Other\(/.test(both.netkit.stderr), both.netkit.stderr);
    }
  },
);

peerTest(
  "wget -q -S prints the head, takes 150 Set-Cookie lines, -i lines whole, -nv -nd -nH -np, as GNU wget",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const headers = await sideBySide(dir.path, server, {
      args: ["-q", "-S", `${server.base}/f.txt`],
    });
    assertSame(headers, "-q -S");
    for (const outcome of [headers.gnu, headers.netkit]) {
      assert(outcome.stderr.includes("  HTTP/1.1 200 OK\n"), outcome.stderr);
      assert(outcome.stderr.includes("  Content-Length: 10\n"), outcome.stderr);
    }
    assertSame(
      await sideBySide(dir.path, server, { args: ["-q", `${server.base}/cookies`] }),
      "150 cookies",
    );
    const list = `${dir.path}/list.txt`;
    await Deno.writeTextFile(list, `  ${server.base}/f.txt  \n${server.base}/a b.txt\n`);
    const fromList = await sideBySide(dir.path, server, { args: ["-q", "-i", list] });
    assertSame(fromList, "-i with a space inside a line");
    deepEqual(Object.keys(fromList.netkit.files), ["a b.txt", "f.txt"]);
    const spelled = await sideBySide(dir.path, server, {
      args: ["-nv", "-nd", "-nH", "-np", `${server.base}/f.txt`, `${server.base}/missing`],
    });
    assertSame(spelled, "-nv -nd -nH -np");
    // -nv: one line for the file, two for the error, in GNU's words (the dates aside).
    const shape = (text: string) =>
      text.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE")
        .replace(/(wall clock time:) .*/, "$1 TIME")
        .replace(/ in [^(]* \(.*\)$/m, " in TIME (RATE)");
    equal(shape(spelled.netkit.stderr), shape(spelled.gnu.stderr));
  },
);

/** A TLS server on 127.0.0.1 with `cert`, answering one request per connection. */
function startTlsServer(cert: string, key: string): Deno.TlsListener & { done: Promise<void> } {
  const listener = Deno.listenTls({ hostname: "127.0.0.1", port: 0, cert, key });
  const done = (async () => {
    for await (const conn of listener) {
      (async () => {
        try {
          await conn.handshake();
          await conn.read(new Uint8Array(4096));
          await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n");
        } catch {
          // The client refused the certificate.
        } finally {
          conn.close();
        }
      })();
    }
  })().catch(() => {});
  return Object.assign(listener, { done });
}

peerTest(
  "wget --ca-certificate trusts a self-signed CA certificate; TLS failures exit 5 in GNU wget's lines, a plain port 4, as GNU wget",
  [
    "wget",
    "openssl",
  ],
  async () => {
    await using dir = await tempDir();
    const good = await makeCertificate(dir.path, "DNS:localhost,IP:127.0.0.1", "good-", {
      ca: true,
    });
    const wrong = await makeCertificate(dir.path, "DNS:wrong.test", "wrong-", { ca: true });
    const server = startTlsServer(
      await Deno.readTextFile(good.cert),
      await Deno.readTextFile(good.key),
    );
    const other = startTlsServer(
      await Deno.readTextFile(wrong.cert),
      await Deno.readTextFile(wrong.key),
    );
    // A plain HTTP server that answers whatever comes (a TLS ClientHello here) with a 400.
    using plain = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const answering = (async () => {
      for await (const conn of plain) {
        await conn.read(new Uint8Array(4096)).catch(() => null);
        await send(
          conn,
          "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        conn.close();
      }
    })().catch(() => {});
    try {
      const url = `https://127.0.0.1:${server.addr.port}/secret`;
      const trusted = await sideBySide(dir.path, undefined, {
        args: ["-q", "-T", "20", `--ca-certificate=${good.cert}`, url],
      });
      assertSame(trusted, "--ca-certificate, self-signed");
      deepEqual(trusted.netkit.files, { secret: "ok\n" });
      // The verbose log names the CA file once, before connecting, as GNU's.
      const said = await sideBySide(dir.path, undefined, {
        args: ["-T", "20", `--ca-certificate=${good.cert}`, url],
      });
      const loaded = (outcome: Outcome) =>
        outcome.stderr.split("\n").filter((line) => line.startsWith("Loaded CA certificate"));
      deepEqual(loaded(said.netkit), loaded(said.gnu));
      deepEqual(loaded(said.netkit), [`Loaded CA certificate '${good.cert}'`]);
      // A certificate refused: GNU's lines (its GnuTLS check's), each of them.
      const cases: [string[], RegExp][] = [
        [["-t", "1", url], /^ERROR: The certificate of .127\.0\.0\.1. is not trusted\.$/m],
        [
          ["-t", "1", `--ca-certificate=${good.cert}`, `https://127.0.0.1:${other.addr.port}/x`],
          /^ERROR: The certificate of .127\.0\.0\.1. doesn't have a known issuer\.$/m,
        ],
        [
          ["-t", "1", `--ca-certificate=${wrong.cert}`, `https://127.0.0.1:${other.addr.port}/x`],
          /^The certificate's owner does not match hostname .127\.0\.0\.1.$/m,
        ],
        [
          ["-t", "1", `https://127.0.0.1:${plain.addr.port}/f.txt`],
          /TLS connection|connection reset|closed/,
        ],
      ];
      for (const [args, words] of cases) {
        // -nv: GNU's -q says nothing at all, and netkit's neither.
        const both = await sideBySide(dir.path, undefined, { args: ["-nv", "-T", "20", ...args] });
        assertSame(both, args.join(" "));
        assert(words.test(both.netkit.stderr), both.netkit.stderr);
        const certificateLines = (outcome: Outcome) =>
          outcome.stderr.split("\n").filter((line) => /certificate/i.test(line));
        deepEqual(certificateLines(both.netkit), certificateLines(both.gnu), args.join(" "));
        assert(!/Other\(|Error\(|os error/.test(both.netkit.stderr), both.netkit.stderr);
      }
    } finally {
      server.close();
      other.close();
      plain.close();
      await answering;
      await server.done;
      await other.done;
    }
  },
);

const LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT";

/** The parts of a recorded request both tools must agree on. */
function described(request: RecordedRequest): string {
  const keep = [
    "content-type",
    "authorization",
    "if-modified-since",
    "referer",
    "cookie",
    "accept-encoding",
  ];
  const headers = request.headers
    .filter(([name]) => keep.includes(name.toLowerCase()))
    // Cookies of the same path come in no set order (RFC 6265 asks none of servers).
    .map(([name, value]) =>
      `${name.toLowerCase()}: ${
        /^cookie$/i.test(name) ? value.split("; ").sort().join("; ") : value
      }`
    )
    .sort();
  return [`${request.method} ${request.target}`, ...headers, decoder.decode(request.body)]
    .join(" | ");
}

function startRecording(): RecordingServer {
  return startRecordingServer({
    handle: (request): Reply => {
      const auth = request.headers.find(([name]) => name.toLowerCase() === "authorization");
      if (request.target === "/auth" && auth?.[1] !== "Basic dTpw") {
        return { status: 401, headers: [["WWW-Authenticate", 'Basic realm="r"']], body: "" };
      }
      if (request.target === "/login") {
        return {
          status: 302,
          headers: [
            ["Location", "/app/home"],
            ["Set-Cookie", "sid=s1"],
            // (GNU wget refuses a Path the setting URL is not under, "/app" or "/elsewhere"
            // from "/login"; RFC 6265, browsers, curl and netkit take it: a deliberate
            // difference, left out here.)
            ["Set-Cookie", `keep=k1; Max-Age=86400; Path=/`],
            ["Set-Cookie", "foreign=f1; Domain=example.org"],
          ],
        };
      }
      if (request.target === "/expires") {
        // Expires read as GNU's http_atotm reads dates: the unreadable ones give session cookies.
        const expires = [
          "Fri, 01 Jan 2100 00:00:00 GMT",
          "Friday, 01-Jan-2100 00:00:00 GMT",
          "Sun, 07 Feb 2106 06:28:16 GMT",
          "Wed, 31 Dec 1969 23:59:59 GMT", // time_t -1: GNU's "no date"
          "Wed, 31 Dec 1969 23:59:58 GMT", // past: discarded
          "2100-01-01T00:00:00Z",
          "0",
          "Fri, 01 Jan 2100 00:00:00 PST",
          "1 Jan 2100",
        ];
        return {
          status: 200,
          headers: expires.map((date, i) => ["Set-Cookie", `e${i}=v${i}; Path=/; Expires=${date}`]),
          body: "ok\n",
        };
      }
      if (request.target === "/r303" || request.target === "/r307") {
        return { status: Number(request.target.slice(2)), headers: [["Location", "/done"]] };
      }
      if (request.target === "/other-host") {
        // A redirect to another host (another loopback address): no credentials follow it.
        return { status: 302, headers: [["Location", `http://localhost:${port()}/done`]] };
      }
      return { status: 200, headers: [["Last-Modified", LAST_MODIFIED]], body: "ok\n" };
    },
  });
}
let port = () => 0;

peerTest(
  "wget --post-data, --post-file, --method, --body-data, --user/--password, --referer, -N send what GNU wget sends",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startRecording();
    port = () => server.port;
    const url = (path: string) => `${server.base}${path}`;
    const cases: Case[] = [
      { args: ["-q", "--post-data=a=1&b=2", url("/p")] },
      { args: ["-q", "--post-file=body.txt", url("/pf")], files: { "body.txt": "from a file\n" } },
      { args: ["-q", "--method=PUT", "--body-data=xyz", url("/put")] },
      { args: ["-q", "--method=DELETE", url("/del")] },
      { args: ["-q", "--post-data=a=1", url("/r303")] },
      { args: ["-q", "--post-data=a=1", url("/r307")] },
      { args: ["-q", "--user=u", "--password=p", url("/auth")] },
      { args: ["-q", "--http-user=u", "--http-password=p", "--auth-no-challenge", url("/auth")] },
      { args: ["-q", "--user=u", "--password=p", url("/auth"), url("/auth")] },
      { args: ["-q", "--user=u", "--password=wrong", url("/auth")] },
      { args: ["-q", "--referer=http://example.test/", url("/ref")] },
      {
        args: ["-q", url("/auth")],
        files: { ".netrc": "machine 127.0.0.1 login u password p\n" },
        env: { HOME: "$CWD" },
      },
      {
        args: ["-q", url("/auth")],
        files: { ".netrc": "machine other.test login x password y\ndefault login u password p\n" },
        env: { HOME: "$CWD" },
      },
    ];
    for (const job of cases) {
      const before = server.requests.length;
      const gnu = await sideBySide(dir.path, undefined, job);
      const gnuRequests = server.requests.slice(
        before,
        before + (server.requests.length - before) / 2,
      );
      const netkitRequests = server.requests.slice(before + gnuRequests.length);
      assertSame(gnu, job.args.join(" "));
      deepEqual(netkitRequests.map(described), gnuRequests.map(described), job.args.join(" "));
    }
    // One deliberate difference: GNU wget sends --user's password to whatever host a redirect
    // names; netkit keeps it for the host it was given for (the issue's rule, curl's too).
    const before = server.requests.length;
    const args = ["-q", "--user=u", "--password=p", "--auth-no-challenge", url("/other-host")];
    const both = await sideBySide(dir.path, undefined, { args });
    equal(both.netkit.code, both.gnu.code);
    deepEqual(server.requests.slice(before).map(described), [
      "GET /other-host | accept-encoding: identity | authorization: Basic dTpw | ",
      "GET /done | accept-encoding: identity | authorization: Basic dTpw | ",
      "GET /other-host | accept-encoding: identity | authorization: Basic dTpw | ",
      "GET /done | accept-encoding: identity | ",
    ]);
  },
);

peerTest(
  "wget gives files the server's Last-Modified and -N skips a file that is not older, as GNU wget",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startRecording();
    const url = `${server.base}/stamped`;
    for (const old of [undefined, "2010-01-01T00:00:00.000Z", "2020-01-01T00:00:00.000Z"]) {
      const caseDir = await Deno.makeTempDir({ dir: dir.path });
      const seen: Record<string, unknown> = {};
      for (const tool of ["gnu", "netkit"] as const) {
        const before = server.requests.length;
        const outcome = await runTool(tool, caseDir, undefined, {
          args: ["-q", "-N", url],
          files: old ? { stamped: "old\n" } : {},
          ...(old ? { mtime: new Date(old) } : {}),
        });
        const request = server.requests[before];
        seen[tool] = {
          code: outcome.code,
          files: outcome.files,
          mtime: (await Deno.stat(`${caseDir}/${tool}/stamped`)).mtime?.toISOString(),
          ifModifiedSince: request?.headers.find(([n]) => /^if-modified-since$/i.test(n))?.[1],
        };
      }
      deepEqual(seen.netkit, seen.gnu, `local file from ${old}`);
    }
  },
);

peerTest(
  "wget goes through http_proxy (tinyproxy) as GNU wget: absolute URL, no_proxy, --no-proxy, -e use_proxy=off, proxy credentials, an unreachable proxy is 4",
  [
    "wget",
    "tinyproxy",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startRecording();
    await using proxy = await startTinyproxy(dir.path);
    await using guarded = await startTinyproxy(dir.path, "u p");
    const url = `${server.base}/via`;
    // A proxy nobody listens on, nor can while the test runs: wget's connect to it is refused.
    using deadProxy = refusedPort();
    const viaProxy = (request: RecordedRequest) =>
      request.headers.some(([name, value]) => /^via$/i.test(name) && value.includes("tinyproxy"));
    const cases: [Case, boolean][] = [
      [{ args: ["-q", url], env: { http_proxy: proxy.url } }, true],
      [{ args: ["-q", url], env: { http_proxy: proxy.url.slice("http://".length) } }, true],
      [
        { args: ["-q", url], env: { http_proxy: proxy.url, no_proxy: "example.org,127.0.0.1" } },
        false,
      ],
      [{ args: ["-q", "--no-proxy", url], env: { http_proxy: proxy.url } }, false],
      [{ args: ["-q", "-e", "use_proxy=off", url], env: { http_proxy: proxy.url } }, false],
      [{ args: ["-q", "-e", `http_proxy=${proxy.url}`, url] }, true],
      [{ args: ["-q", url], env: { http_proxy: guarded.url } }, false],
      [{
        args: ["-q", "--proxy-user=u", "--proxy-password=p", url],
        env: { http_proxy: guarded.url },
      }, true],
      [
        { args: ["-q", "-t", "1", url], env: { http_proxy: `http://127.0.0.1:${deadProxy.port}` } },
        false,
      ],
    ];
    for (const [job, proxied] of cases) {
      const before = server.requests.length;
      const both = await sideBySide(dir.path, undefined, job);
      const what = `${job.args.join(" ")} ${JSON.stringify(job.env ?? {})}`;
      assertSame(both, what);
      const seen = server.requests.slice(before);
      deepEqual(seen.map(viaProxy), seen.map(() => proxied), what);
      // The same requests reached the server from both (GNU's first, then netkit's).
      const half = seen.length / 2;
      deepEqual(seen.slice(half).map(described), seen.slice(0, half).map(described), what);
    }
  },
);

peerTest(
  "wget goes through https_proxy with CONNECT (tinyproxy) as GNU wget: tunnel, proxy credentials, 407 and an unreachable proxy are 4",
  [
    "wget",
    "tinyproxy",
    "openssl",
  ],
  async () => {
    await using dir = await tempDir();
    await using proxy = await startTinyproxy(dir.path);
    await using guarded = await startTinyproxy(dir.path, "u p");
    const good = await makeCertificate(dir.path, "DNS:localhost,IP:127.0.0.1", "good-", {
      ca: true,
    });
    const server = startTlsServer(
      await Deno.readTextFile(good.cert),
      await Deno.readTextFile(good.key),
    );
    try {
      const url = `https://127.0.0.1:${server.addr.port}/secret`;
      const ca = `--ca-certificate=${good.cert}`;
      // A proxy nobody listens on, nor can while the test runs: wget's connect to it is refused.
      using deadProxy = refusedPort();
      const cases: Case[] = [
        { args: ["-q", "-t", "1", ca, url], env: { https_proxy: proxy.url } },
        { args: ["-q", "-t", "1", "--no-check-certificate", url], env: { HTTPS_PROXY: proxy.url } },
        { args: ["-q", "-t", "1", url], env: { https_proxy: proxy.url } },
        { args: ["-q", "-t", "1", ca, url], env: { https_proxy: guarded.url } },
        {
          args: ["-q", "-t", "1", ca, url],
          env: { https_proxy: guarded.url.replace("//", "//u:p@") },
        },
        {
          args: ["-q", "-t", "1", ca, url],
          env: { https_proxy: `http://127.0.0.1:${deadProxy.port}` },
        },
      ];
      for (const job of cases) {
        const both = await sideBySide(dir.path, undefined, job);
        assertSame(both, `${job.args.join(" ")} ${JSON.stringify(job.env)}`);
      }
    } finally {
      server.close();
      await server.done;
    }
  },
);

peerTest(
  "wget --content-on-error, --save-headers, -B with -i, --limit-rate, -w, --retry-connrefused leave what GNU wget leaves",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const refused = `http://127.0.0.1:${closed.addr.port}/x`;
    closed.close();
    const cases: Case[] = [
      { args: ["-q", "--content-on-error", `${server.base}/s500`] },
      // A redirect not followed saves nothing (GNU's gethttp returns before the body).
      { args: ["-q", "--content-on-error", "--max-redirect=0", `${server.base}/moved`] },
      { args: ["-q", "--content-on-error", `${server.base}/nowhere`] },
      { args: ["-q", "-r", "--content-on-error", "--max-redirect=0", `${server.base}/moved`] },
      { args: ["-q", "--save-headers", `${server.base}/f.txt`] },
      {
        args: ["-q", "-B", `${server.base}/`, "-i", "list"],
        files: { list: `f.txt\n/redir\n${server.base}/s500\n` },
      },
      {
        args: [
          "-q",
          "--limit-rate=100k",
          "-w",
          "0.01",
          "--random-wait",
          `${server.base}/f.txt`,
          `${server.base}/cookies`,
        ],
      },
      { args: ["-q", "--retry-connrefused", "-t", "2", "--waitretry=0", refused] },
      { args: ["-q", "-t", "2", refused] },
      {
        args: ["-q", "-Q", "5", "-i", "list", `${server.base}/norange`],
        files: { list: `${server.base}/f.txt\n${server.base}/f.txt\n${server.base}/f.txt\n` },
      },
      { args: ["-q", "-Q", "5", `${server.base}/f.txt`, `${server.base}/f.txt`] },
      {
        args: ["-q", "-Q", "5", "-i", "list", `${server.base}/missing`],
        files: { list: `${server.base}/f.txt\n${server.base}/f.txt\n` },
      },
      {
        args: ["-q", "-Q", "5", "-i", "list"],
        files: { list: `${server.base}/f.txt\n`.repeat(3) },
      },
    ];
    for (const job of cases) {
      assertSame(await sideBySide(dir.path, server, job), job.args.join(" "));
    }
  },
);

peerTest(
  "wget --content-on-error leaves an error page undated, as GNU wget (its Last-Modified is the page's)",
  ["wget"],
  async () => {
    // GNU's http_loop dates a file only once it is retrieved: a 404's page, or a 503's tried
    // again and found complete, keeps the time it was written; netkit gave it the server's.
    const lastModified = ["Last-Modified", "Wed, 01 Jan 2020 00:00:00 GMT"] as [string, string];
    const page = "a\n".repeat(40);
    const urls = {
      "/a.txt": plain(404, page, { headers: [["Content-Type", "text/plain"], lastModified] }),
      "/b.txt": plain(503, page, {
        headers: [["Retry-After", "0"], ["Content-Type", "text/plain"], lastModified],
        failures: 1,
      }),
    };
    await using dir = await tempDir();
    await using server = startRandomServer({ urls, start: "/a.txt", args: [], again: false });
    const args = ["-nv", "--content-on-error", "--waitretry=0", "--retry-on-http-error=503"];
    const found = [];
    for (const tool of ["gnu", "netkit"]) {
      const out = `${dir.path}/${tool}`;
      await Deno.mkdir(out);
      await server.reset();
      const started = Date.now() - 2_000;
      const { code } = await runWgetLogged(
        tool,
        [...args, `${server.origin}/a.txt`, `${server.origin}/b.txt`],
        out,
        { LC_ALL: "C.UTF-8" },
      );
      const dated = ["a.txt", "b.txt"].map((name) => {
        const { size, mtime } = Deno.statSync(`${out}/${name}`);
        return `${name} ${size} ${mtime!.getTime() >= started ? "now" : mtime!.toISOString()}`;
      });
      found.push({ code, dated, requests: [...server.requests] });
    }
    assert.deepEqual(found[0]!.dated, ["a.txt 80 now", "b.txt 80 now"]);
    assert.deepEqual(found[1], found[0]);
  },
);

peerTest(
  "wget keeps cookies across redirects and URLs, --load-cookies, --save-cookies, --no-cookies, as GNU wget",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startRecording();
    const loaded = `127.0.0.1\tFALSE\t/\tFALSE\t0\tloaded\tl1\n`;
    // A browser's export: 50,000 cookies of other sites around two of this one's, the first line
    // one of them (a jar that kept only its last 3,000 lost it, and 47,000 others on saving).
    const other = (i: number) => `site${i}.example.com\tTRUE\t/\tFALSE\t4000000000\tc${i}\tv${i}`;
    const exported = [
      "127.0.0.1\tFALSE\t/\tFALSE\t4000000000\tfirst\tf1",
      ...Array.from({ length: 50_000 }, (_, i) => other(i)),
      "127.0.0.1\tFALSE\t/app\tFALSE\t4000000000\tdeep\td1",
    ].join("\n") + "\n";
    const cases: Case[] = [
      { args: ["-q", `${server.base}/login`, `${server.base}/app/again`, `${server.base}/top`] },
      { args: ["-q", "--no-cookies", `${server.base}/login`] },
      { args: ["-q", "--load-cookies=in.txt", `${server.base}/top`], files: { "in.txt": loaded } },
      {
        args: [
          "-q",
          "--load-cookies=big.txt",
          "--save-cookies=out.txt",
          `${server.base}/app/again`,
        ],
        files: { "big.txt": exported },
      },
      { args: ["-q", "--save-cookies=out.txt", `${server.base}/login`] },
      { args: ["-q", "--save-cookies=out.txt", "--keep-session-cookies", `${server.base}/login`] },
      {
        args: ["-q", "--save-cookies=out.txt", "--keep-session-cookies", `${server.base}/expires`],
      },
    ];
    // The cookie files without their comment lines, which carry GNU's date and name.
    const cookieLines = (files: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(files).map(([name, text]) => [
          name,
          text.split("\n").filter((line) => line !== "" && !line.startsWith("# ")).sort(),
        ]),
      );
    // A cookie line with its expiry (Max-Age from each tool's own clock) set apart.
    const withoutExpiry = (lines: Record<string, string[]>) =>
      JSON.stringify(lines).replace(/\\t\d{8,}\\t/g, "\\tEXPIRY\\t");
    const expiries = (lines: Record<string, string[]>) =>
      [...JSON.stringify(lines).matchAll(/\\t(\d{8,})\\t/g)].map((match) => Number(match[1]));
    for (const job of cases) {
      const before = server.requests.length;
      const started = Date.now();
      const both = await sideBySide(dir.path, undefined, job);
      // Both runs fell inside these seconds: their expiries differ by no more.
      const apart = Math.ceil((Date.now() - started) / 1000) + 1;
      const what = job.args.join(" ");
      equal(both.netkit.code, both.gnu.code, what);
      const ours = cookieLines(both.netkit.files);
      const theirs = cookieLines(both.gnu.files);
      equal(withoutExpiry(ours), withoutExpiry(theirs), what);
      const gnuExpiries = expiries(theirs);
      expiries(ours).forEach((expiry, i) =>
        assert(
          Math.abs(expiry - gnuExpiries[i]!) <= apart,
          `${what}: expiry ${expiry}, GNU's ${gnuExpiries[i]}, runs within ${apart} s`,
        )
      );
      const seen = server.requests.slice(before).map(described);
      const half = seen.length / 2;
      deepEqual(seen.slice(half), seen.slice(0, half), `${what}\n${seen.join("\n")}`);
    }
  },
);

async function gzipped(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

peerTest(
  "wget --compression=none|auto|gzip asks and stores as GNU wget does",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const text = "hello gzip world\n".repeat(100);
    const packed = await gzipped(text);
    const gzipReply = (always: boolean): RawHandler => async (conn, { head }) => {
      const wantsGzip = /\r\nAccept-Encoding:[^\r]*gzip/i.test(head);
      if (!always && !wantsGzip) {
        await send(conn, `HTTP/1.1 200 OK\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
        return;
      }
      const headText =
        `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${packed.length}\r\n\r\n`;
      const bytes = new Uint8Array([...new TextEncoder().encode(headText), ...packed]);
      await send(conn, bytes);
    };
    await using server = startRawServer({ "/gz": gzipReply(false), "/forced": gzipReply(true) });
    for (
      const compression of [[], ["--compression=none"], ["--compression=auto"], [
        "--compression=gzip",
      ]]
    ) {
      for (const path of ["/gz", "/forced"]) {
        const before = server.requests.length;
        const both = await sideBySide(dir.path, server, {
          args: ["-q", ...compression, `${server.base}${path}`],
        });
        const what = `${compression.join(" ")} ${path}`;
        // Same files byte for byte (a stored gzip body reads as the same text on both sides).
        assertSame(both, what, { requests: false });
        const encodings = server.requests.slice(before).map((h) =>
          /\r\nAccept-Encoding: *([^\r]*)/i.exec(h)?.[1]
        );
        equal(encodings[0], encodings[1], what);
      }
    }
  },
);

peerTest(
  "wget -o FILE and -a FILE write the messages GNU wget writes there (-nv), stderr left empty",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const shape = (text = "") => text.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE");
    const cases: Case[] = [
      { args: ["-nv", "-o", "log", `${server.base}/f.txt`, `${server.base}/missing`] },
      { args: ["-nv", "-a", "log", `${server.base}/f.txt`], files: { log: "before\n" } },
    ];
    for (const job of cases) {
      const both = await sideBySide(dir.path, server, job);
      const what = job.args.join(" ");
      equal(both.netkit.code, both.gnu.code, what);
      equal(both.netkit.stderr, "", what);
      equal(both.gnu.stderr, "", what);
      const normalise = (files: Record<string, string>) =>
        shape(files.log)
          .replace(/(wall clock time:) .*/, "$1 TIME")
          .replace(/ in [^(]* \(.*\)$/m, " in TIME (RATE)");
      equal(
        normalise(both.netkit.files),
        normalise(both.gnu.files),
        `${what}\n${both.gnu.files.log}\n${both.netkit.files.log}`,
      );
    }
  },
);

peerTest(
  "wget --certificate/--private-key answer a server that asks for a client certificate, --ca-directory trusts a directory, as GNU wget",
  [
    "wget",
    "openssl",
  ],
  async () => {
    await using dir = await tempDir();
    const server = await makeCertificate(dir.path, "DNS:localhost,IP:127.0.0.1", "server-", {
      ca: true,
    });
    const client = await makeCertificate(dir.path, "DNS:client.test", "client-", { ca: true });
    await Deno.mkdir(`${dir.path}/cas`);
    await Deno.copyFile(server.cert, `${dir.path}/cas/server.pem`);
    await Deno.writeTextFile(`${dir.path}/cas/README`, "not a certificate\n");
    const both = `${dir.path}/client-both.pem`;
    await Deno.writeTextFile(
      both,
      (await Deno.readTextFile(client.cert)) + (await Deno.readTextFile(client.key)),
    );
    // openssl's own test server, asking for a client certificate (and, strict, refusing one it
    // does not trust instead of going on).
    const startSServer = async (strict: boolean) => {
      // Started again on another port if the one found free was taken before it bound it.
      return await startPeerOnFreePort((port) => [
        "openssl",
        "s_server",
        "-accept",
        `127.0.0.1:${port}`,
        "-cert",
        server.cert,
        "-key",
        server.key,
        "-CAfile",
        client.cert,
        "-Verify",
        "1",
        ...(strict ? ["-verify_return_error"] : []),
        "-www",
        "-quiet",
      ]);
    };
    await using sServer = await startSServer(false);
    const port = sServer.port;
    const url = `https://127.0.0.1:${port}/`;
    const ca = `--ca-certificate=${server.cert}`;
    // The same certificate and key in DER: PKCS#1 and PKCS#8 keys.
    const der = (args: string[]) => new Deno.Command("openssl", { args }).output();
    await der(["x509", "-in", client.cert, "-outform", "DER", "-out", `${dir.path}/client.der`]);
    await der(["rsa", "-in", client.key, "-outform", "DER", "-out", `${dir.path}/key.der`]);
    await der(["pkey", "-in", client.key, "-outform", "DER", "-out", `${dir.path}/pk8.der`]);
    await der(["x509", "-in", server.cert, "-outform", "DER", "-out", `${dir.path}/server.der`]);
    const derCert = [`--certificate=${dir.path}/client.der`, "--certificate-type=DER"];
    const cases: string[][] = [
      [ca],
      [ca, `--certificate=${client.cert}`, `--private-key=${client.key}`],
      [ca, `--certificate=${both}`, "--certificate-type=PEM"],
      [`--ca-directory=${dir.path}/cas`, `--certificate=${both}`],
      [ca, ...derCert, `--private-key=${dir.path}/key.der`, "--private-key-type=der"],
      [ca, ...derCert, `--private-key=${dir.path}/pk8.der`, "--private-key-type=DER"],
      // GNU wget (GnuTLS) reads both files as the key's type: these fail, and the next works.
      [ca, ...derCert, `--private-key=${client.key}`],
      [
        ca,
        `--certificate=${client.cert}`,
        `--private-key=${dir.path}/key.der`,
        "--private-key-type=DER",
      ],
      [
        ca,
        `--certificate=${dir.path}/client.der`,
        `--private-key=${dir.path}/key.der`,
        "--private-key-type=DER",
      ],
      // Without --private-key the key is in the certificate's file, of the certificate's type.
      [ca, `--certificate=${both}`, "--certificate-type=DER"],
      [ca, `--certificate=${both}`, "--private-key-type=DER"],
      // A DER CA certificate trusts nothing (GNU reads PEM only): exit 5.
      [`--ca-certificate=${dir.path}/server.der`, `--certificate=${both}`],
      // --private-key alone: its file is the certificate's too, of the key's type (GNU's
      // ssl_init; netkit sent no certificate, and the server refused the handshake).
      [ca, `--private-key=${both}`],
      [ca, `--private-key=${both}`, "--certificate-type=DER"],
      // A key file alone, or a key that is not the certificate's: GnuTLS takes neither, and
      // GNU wget sends no certificate (the server then ends the handshake).
      [ca, `--private-key=${client.key}`],
      [ca, `--certificate=${client.cert}`, `--private-key=${server.key}`],
    ];
    for (const options of cases) {
      const outcome = await sideBySide(dir.path, undefined, {
        args: ["-q", "-t", "1", "-T", "20", "-O", "page", ...options, url],
      });
      const what = options.join(" ");
      equal(outcome.netkit.code, outcome.gnu.code, what);
      // Without a client certificate the server ends the handshake: the cases tell them apart.
      if (options.length === 1) assert.notEqual(outcome.gnu.code, 0, what);
      if (options[1] === `--private-key=${both}`) equal(outcome.gnu.code, 0, what);
      const keyAlone = options.length === 2 && options[1] === `--private-key=${client.key}`;
      if (keyAlone || options[2] === `--private-key=${server.key}`) {
        assert.notEqual(outcome.gnu.code, 0, what);
      }
      // s_server's page lists the session's ciphers, which differ between TLS libraries.
      equal(
        outcome.netkit.files.page?.includes("s_server"),
        outcome.gnu.files.page?.includes("s_server"),
        what,
      );
    }
    equal(await main(["-q", "--certificate-type=DIR", url]), 2);
    // A server that refuses a client certificate it does not trust (after the TLS 1.3
    // handshake): exit 4 as GNU's, and a message in words, never the web stream's own text.
    await using strict = await startSServer(true);
    const strictPort = strict.port;
    const refused = await sideBySide(dir.path, undefined, {
      args: [
        "-t",
        "1",
        "-O",
        "page",
        ca,
        `--certificate=${server.cert}`,
        `--private-key=${server.key}`,
        `https://127.0.0.1:${strictPort}/`,
      ],
    });
    equal(refused.netkit.code, refused.gnu.code, refused.netkit.stderr);
    assert.doesNotMatch(refused.netkit.stderr, /stream is closing|Other\(|Error\(/);
    assert.match(refused.netkit.stderr, /TLS (alert|session)/);
  },
);

peerTest(
  "wget reads $WGETRC and ~/.wgetrc as GNU wget: settings under command-line options, an unknown command is exit 2, an unreadable $WGETRC exit 1",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    await using server = startRecording();
    const url = `${server.base}/rc`;
    const unreadable = `${dir.path}/unreadable-rc`;
    await Deno.writeTextFile(unreadable, "tries = 3\n", { mode: 0o000 });
    await Deno.chmod(unreadable, 0o000);
    const cases: Case[] = [
      {
        args: ["-q", url],
        files: {
          rc: "# settings\nuser_agent = from-rc\nheader = X-From: rc\n\nreferer = http://r.test/\n",
        },
        env: { WGETRC: "$CWD/rc" },
      },
      {
        args: ["-q", "--referer=http://cli.test/", url],
        files: { ".wgetrc": "referer = http://rc.test/\nuse_proxy = off\n" },
        env: { HOME: "$CWD", http_proxy: "http://127.0.0.1:1" },
      },
      { args: ["-q", url], files: { rc: "foo = bar\n" }, env: { WGETRC: "$CWD/rc" } },
      { args: ["-q", url], env: { WGETRC: "$CWD/none" } },
      // GNU's file_exists_p: a regular file its mode bits let the user read (root too), or
      // "Permission denied" and exit 1 (netkit read these: empty, or a directory's error).
      { args: ["-q", url], env: { WGETRC: "/dev/null" } },
      { args: ["-q", url], env: { WGETRC: "$CWD" } },
      { args: ["-q", url], env: { WGETRC: unreadable } },
    ];
    for (const job of cases) {
      const before = server.requests.length;
      const both = await sideBySide(dir.path, undefined, job);
      const what = `${job.args.join(" ")} ${JSON.stringify(job.files)} ${JSON.stringify(job.env)}`;
      assertSame(both, what, { requests: false });
      const said = (outcome: Outcome) => outcome.stderr.replaceAll(outcome.dir, "$CWD");
      equal(said(both.netkit), said(both.gnu), what);
      if (job.env?.WGETRC && !job.files) equal(both.gnu.code, 1, what);
      const seen = server.requests.slice(before).map((request) =>
        request.headers
          .filter(([name]) => /^(user-agent|x-from|referer)$/i.test(name))
          .map(([name, value]) => `${name.toLowerCase()}: ${value}`)
          .filter((line) => !/^user-agent: (Wget|netkit-wget)\//.test(line))
          .sort()
          .join(" | ")
      );
      const half = seen.length / 2;
      deepEqual(seen.slice(half), seen.slice(0, half), what);
    }
  },
);

/**
 * Waits for a detached download to finish: the log's "saved" line, up to a hang guard far above any
 * load (60 s; a download that never finishes would otherwise be waited for forever).
 */
async function logSays(path: string, words: string): Promise<string> {
  for (const until = Date.now() + 60_000; Date.now() < until;) {
    try {
      const text = await Deno.readTextFile(path);
      if (text.includes(words)) return text;
    } catch {
      // Not there yet.
    }
    // Polling a process that nothing can be awaited on (it is detached), as waitForPort does.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${path} never said "${words}"`);
}

peerTest("wget -b goes to the background with its messages in wget-log, wget-log.1, as GNU wget", [
  "wget",
], async () => {
  await using dir = await tempDir();
  await using server = startServer();
  const url = `${server.base}/f.txt`;
  // `wget ARGS` run by one tool in `cwd`: its exit code and what it said on stdout.
  const background = async (tool: "gnu" | "netkit", cwd: string, args: string[]) => {
    const [program, argv] = tool === "gnu"
      ? ["wget", args]
      : [Deno.execPath(), [...commandArgs("wget"), ...args]];
    const output = await new Deno.Command(program, {
      args: argv,
      cwd,
      env: { LC_ALL: "C.UTF-8" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: output.code, said: decoder.decode(output.stdout) };
  };
  for (const tool of ["gnu", "netkit"] as const) {
    const cwd = `${dir.path}/${tool}`;
    await Deno.mkdir(cwd);
    for (const log of ["wget-log", "wget-log.1"]) {
      const { code, said } = await background(tool, cwd, ["-b", url]);
      equal(code, 0, tool);
      assert(/^Continuing in background, pid \d+\.\n/.test(said), said);
      assert(said.endsWith(`Output will be written to \u2018${log}\u2019.\n`), said);
      await logSays(`${cwd}/${log}`, "saved [10/10]");
    }
    // -b -q: no log at all, and only the first line (before the fix netkit made wget-log.2);
    // GNU's other spellings too: the child is told --no-background before the `--` that ends the
    // options (after it, `-q` is a URL, so this one has a log, wget-log.2).
    for (
      const [args, file] of [
        [["-qb", url], "f.txt.2"],
        [["--backgr=on", "--", url, "-q"], "f.txt.3"],
      ] as const
    ) {
      const quiet = await background(tool, cwd, [...args]);
      equal(quiet.code, 0, tool);
      assert(/^Continuing in background, pid \d+\.\n/.test(quiet.said), tool);
      await logSays(`${cwd}/${file}`, BODY);
    }
  }
  const names = (tool: string) =>
    [...Deno.readDirSync(`${dir.path}/${tool}`)].map((e) => e.name).sort();
  deepEqual(names("netkit"), names("gnu"));
  deepEqual(names("netkit"), [
    "f.txt",
    "f.txt.1",
    "f.txt.2",
    "f.txt.3",
    "wget-log",
    "wget-log.1",
    "wget-log.2",
  ]);
});

peerTest(
  "wget draws GNU wget's dot progress when stderr is not a terminal: same dots, pads and percentages",
  [
    "wget",
  ],
  async () => {
    await using dir = await tempDir();
    const body = "x".repeat(123_456);
    await using server = startRawServer({
      "/m.bin": async (conn) =>
        void await send(conn, `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
      "/tiny": async (conn) =>
        void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nab\n"),
    });
    // The dot lines, rates and times left out (they differ from run to run).
    const dotLines = (stderr: string) =>
      stderr.split("\n").filter((line) => /^ +\d+K/.test(line)).map((line) =>
        line.replace(/(\d+%)? +[^\s%]+( [^\s%]+)?$/, (_all, percent) => `${percent ?? ""} RATE`)
      );
    for (
      const args of [["m.bin"], ["tiny"], ["--progress=dot:binary", "m.bin"], [
        "--progress=dot:mega",
        "m.bin",
      ]]
    ) {
      const path = args.pop()!;
      const both = await sideBySide(dir.path, server, {
        args: [...args, `${server.base}/${path}`],
      });
      assertSame(both, args.join(" "), { requests: false });
      const lines = dotLines(both.netkit.stderr);
      assert(lines.length > 0, both.netkit.stderr);
      deepEqual(
        lines,
        dotLines(both.gnu.stderr),
        `${args.join(" ")} ${path}\n${both.gnu.stderr}\n${both.netkit.stderr}`,
      );
    }
  },
);

peerTest("wget says Connecting to … connected. and Reusing existing connection to … as GNU wget", [
  "wget",
], async () => {
  await using dir = await tempDir();
  await using server = startRecording();
  const url = `${server.base}/a`;
  const both = await sideBySide(dir.path, undefined, { args: [url, url, `${server.base}/b`] });
  const lines = (stderr: string) =>
    stderr.split("\n").filter((line) =>
      /^(Connecting to|Reusing existing|HTTP request sent|--\d)/.test(line)
    ).map((line) => line.replace(/^--[\d: -]+--/, "--DATE--"));
  deepEqual(lines(both.netkit.stderr), lines(both.gnu.stderr));
  assert(
    lines(both.netkit.stderr).includes(`Reusing existing connection to 127.0.0.1:${server.port}.`),
  );
});
