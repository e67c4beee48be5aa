/**
 * Scenarios of GNU wget's own test suite (its testenv/Test-*.py and tests/Test-*.px: the server's
 * files and headers, the command line, the files and exit code expected), re-expressed here and
 * run by the installed GNU wget 1.21.3 and by netkit on the same loopback server, each in a
 * directory of its own: the files left (bytes, and the server's time where it gave one), the exit
 * codes, the requests the server saw (method, target and the headers that carry state: Referer,
 * Cookie, Range, If-Modified-Since, Authorization) and stderr once dates, rates and ports are
 * masked. GNU's binary is the oracle, not the suite's expectations (written for later versions).
 */

import { deepEqual, equal } from "node:assert/strict";
import { peerTest, tempDir } from "../harness/peers.ts";
import { type RawHandler, send, startRawServer } from "../harness/raw_http_server.ts";
import { type Case, runTool } from "../harness/wget_side_by_side.ts";

/** One resource of a scenario's server. */
interface Resource {
  status?: string;
  headers?: string[];
  body?: string;
  /** Answers a request that sends no Authorization (a login's challenge). */
  unauthorized?: Resource;
}

const HTML = ["Content-Type: text/html"];

/**
 * A server for `site`: each path answers its resource (a HEAD without the body), with its
 * Content-Length and `Connection: close`; a body is written with `{{port}}` as the port the
 * request's Host names (GNU's suite writes `localhost:{{port}}` in pages).
 */
function startSite(site: Record<string, Resource>) {
  const handlers: Record<string, RawHandler> = {};
  for (const path of Object.keys(site)) {
    handlers[path] = async (conn, { head }) => {
      const resource = site[path]!.unauthorized && !/\r\nAuthorization: /i.test(head)
        ? site[path]!.unauthorized!
        : site[path]!;
      const port = /\r\nHost: [^\r]*:(\d+)\r\n/i.exec(head)?.[1] ?? "80";
      const body = new TextEncoder().encode((resource.body ?? "").replaceAll("{{port}}", port));
      const lines = [
        `HTTP/1.1 ${resource.status ?? "200 OK"}`,
        ...(resource.headers ?? []),
        `Content-Length: ${body.length}`,
        "Connection: close",
      ];
      await send(conn, `${lines.join("\r\n")}\r\n\r\n`);
      if (!head.startsWith("HEAD ")) await send(conn, body);
    };
  }
  return startRawServer(handlers);
}

/** A request as compared: method, target and the headers that carry state, in a fixed order. */
function summary(head: string): string {
  const [method, target] = head.split(" ");
  const kept = ["Referer", "Cookie", "Range", "If-Modified-Since", "Authorization"].flatMap(
    (name) => {
      const value = new RegExp(`\\r\\n${name}: *([^\\r]*)`, "i").exec(head)?.[1];
      if (value === undefined) return [];
      // (A Digest answer holds a client nonce of its own: its scheme is what is compared.)
      return [`${name}: ${value.replace(/:\d+\//g, ":PORT/").replace(/^Digest .*/, "Digest ...")}`];
    },
  );
  return [`${method} ${target}`, ...kept].join(" | ");
}

/** Every file under `dir`: its bytes, and its mtime when older than a day (the server's). */
async function tree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (relative: string) => {
    const entries = [];
    for await (const entry of Deno.readDir(relative ? `${dir}/${relative}` : dir)) {
      entries.push(entry);
    }
    for (const entry of entries.sort((a, b) => a.name < b.name ? -1 : 1)) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory) {
        await walk(path);
        continue;
      }
      const info = await Deno.stat(`${dir}/${path}`);
      const time = info.mtime?.getTime() ?? 0;
      const old = Date.now() - time > 86_400_000 ? ` @${time / 1000}` : "";
      files[path] = (await Deno.readTextFile(`${dir}/${path}`)).replace(/:\d+\//g, ":PORT/") + old;
    }
  };
  await walk("");
  return files;
}

/** stderr with what differs from run to run masked: dates, rates, durations, the port. */
function masked(stderr: string): string {
  return stderr
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE")
    .replace(/\(\d+(?:\.\d+)? [KMG]?B\/s\)/g, "(RATE)")
    .replace(/^(\s+\d+K[ .,]*(?:\d+%)?) *[\d.]+[ KMG]?=\S+$/gm, "$1 RATE")
    .replace(/^Total wall clock time: .*$/gm, "Total wall clock time: TIME")
    .replace(/^(Downloaded: \d+ files, \S+) in .*$/gm, "$1 in TIME")
    .replace(/ in [\d.]+ seconds\.$/gm, " in TIME seconds.")
    .replace(/(127\.0\.0\.1|localhost):\d+/g, "$1:PORT");
}

/** What one wget did in a scenario. */
interface Run {
  code: number;
  files: Record<string, string>;
  requests: string[];
  stderr: string;
}

/**
 * Runs `job` (made from the server's base URL, `http://localhost:PORT` when `localhost`) with GNU
 * wget, then netkit; returns both.
 */
async function scenario(
  dir: string,
  site: Record<string, Resource>,
  job: (base: string) => Case,
  { localhost = false } = {},
): Promise<{ gnu: Run; netkit: Run }> {
  await using server = startSite(site);
  const base = localhost ? `http://localhost:${server.port}` : server.base;
  const caseDir = await Deno.makeTempDir({ dir });
  const runs: Partial<Record<"gnu" | "netkit", Run>> = {};
  for (const tool of ["gnu", "netkit"] as const) {
    const before = server.requests.length;
    const outcome = await runTool(tool, caseDir, server, job(base));
    runs[tool] = {
      code: outcome.code,
      files: await tree(outcome.dir),
      requests: server.requests.slice(before).map(summary),
      stderr: masked(outcome.stderr),
    };
  }
  return runs as { gnu: Run; netkit: Run };
}

/** Asserts both wgets alike: exit code, files, requests and (unless told) stderr. */
function assertAlike(both: { gnu: Run; netkit: Run }, what: string, stderr = true): void {
  const { gnu, netkit } = both;
  const detail = `${what}\n--- GNU:\n${gnu.stderr}\n--- netkit:\n${netkit.stderr}`;
  equal(netkit.code, gnu.code, `exit code: ${detail}`);
  deepEqual(netkit.files, gnu.files, `files: ${detail}`);
  deepEqual(netkit.requests, gnu.requests, `requests: ${detail}`);
  if (stderr) equal(netkit.stderr, gnu.stderr, `stderr: ${detail}`);
}

// Test-recursive-basic / -include / -redirect: pages linking across directories.
const FILE1 = '<html><body>\n<a href="/a/File2.html">text</a>\n<a href="/b/File3.html">text</a>\n' +
  "</body></html>";
const RECURSIVE_SITE: Record<string, Resource> = {
  "/a/File1.html": { headers: HTML, body: FILE1 },
  "/a/File2.html": { headers: HTML, body: "With lemon or cream?" },
  "/b/File3.html": { headers: HTML, body: "Surely you're joking Mr. Feynman" },
  "/robots.txt": { body: "" },
};

peerTest(
  "wget -r sends each link's page as its Referer (over --referer, not for robots.txt), as GNU wget (its Test-recursive-*)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const jobs: Array<[string, Record<string, Resource>, (base: string) => Case]> = [
      ["recursive-basic", RECURSIVE_SITE, (base) => ({
        args: ["--recursive", "--no-host-directories", `${base}/a/File1.html`],
      })],
      ["recursive-include", RECURSIVE_SITE, (base) => ({
        args: ["-r", "-nH", "--include-directories=a", `${base}/a/File1.html`],
      })],
      // Redirected: the links of the page are sent with the URL it landed on.
      ["recursive-redirect", {
        ...RECURSIVE_SITE,
        "/a/File1.html": { status: "301 Moved Permanently", headers: ["Location: /b/File1.html"] },
        "/b/File1.html": { headers: HTML, body: FILE1 },
      }, (base) => ({ args: ["-r", "-nH", `${base}/a/File1.html`] })],
      // --referer names the start URL's (and robots.txt's); a link's page wins over it.
      ["--referer", RECURSIVE_SITE, (base) => ({
        args: ["-r", "-nH", "--referer=http://example.com/start", `${base}/a/File1.html`],
      })],
      // A Referer of the user's own (--header) is sent everywhere, as GNU's user headers win.
      ["--header Referer", RECURSIVE_SITE, (base) => ({
        args: ["-r", "-nH", "--header=Referer: http://mine/", `${base}/a/File1.html`],
      })],
      // The page's user and password are not in its links' Referer.
      ["user in the URL", RECURSIVE_SITE, (base) => ({
        args: ["-r", "-nH", `${base.replace("//", "//u:p@")}/a/File1.html`],
      })],
      // --spider -r: HEAD and GET alike.
      ["--spider -r", RECURSIVE_SITE, (base) => ({
        args: ["--spider", "-r", "-nH", `${base}/a/File1.html`],
      })],
    ];
    for (const [what, site, job] of jobs) {
      const both = await scenario(dir.path, site, job);
      assertAlike(both, what, what !== "--spider -r");
      if (what === "recursive-basic") {
        // Before: netkit sent no Referer at all.
        deepEqual(both.netkit.requests, [
          "GET /a/File1.html",
          "GET /robots.txt",
          "GET /a/File2.html | Referer: http://127.0.0.1:PORT/a/File1.html",
          "GET /b/File3.html | Referer: http://127.0.0.1:PORT/a/File1.html",
        ]);
      }
    }
  },
);

peerTest(
  "wget -r -k --content-on-error links to the error page it saved, as GNU wget (its Test--convert-links--content-on-error)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const page = (href: string) =>
      `<!DOCTYPE html>\n<html lang="en">\n<body>\n\t<a href="${href}"></a>\n</body>\n</html>\n`;
    const site: Record<string, Resource> = {
      "/a/x.html": { headers: HTML, body: page("/b/y.html") },
      "/robots.txt": { body: "" },
      "/b/y.html": {
        status: "404 Not Found",
        headers: ["Content-Type: text/plain"],
        body: "404 page content",
      },
      // An error page that is a page: read for -k's conversion too (GNU registers it as HTML).
      "/c/z.html": { headers: HTML, body: page("/d/e.html") },
      "/d/e.html": {
        status: "500 Internal Server Error",
        headers: HTML,
        body: page("/c/z.html"),
      },
    };
    for (const start of ["/a/x.html", "/c/z.html"]) {
      const both = await scenario(dir.path, site, (base) => ({
        args: ["-nH", "-r", "-l2", "--convert-links", "--content-on-error", `${base}${start}`],
      }));
      assertAlike(both, start);
      equal(both.netkit.code, 8);
    }
    const first = await scenario(dir.path, site, (base) => ({
      args: ["-nH", "-r", "-l2", "-k", "--content-on-error", `${base}/a/x.html`],
    }));
    // Before: netkit wrote the absolute URL of the error page.
    equal(first.netkit.files["a/x.html"], page("../b/y.html"));
  },
);

peerTest(
  "wget -r says GNU's 'nofollow attribute found in FILE' for a page whose robots meta says nofollow (its Test-meta-robots)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const meta = (content: string): Resource => ({
      headers: HTML,
      body:
        `<meta name="roBoTS" content="${content}">\n<a href="/bombshell.html">Don't follow me!</a>\n`,
    });
    const site = {
      "/start.html": meta("noFolLow ,  foo, bar "),
      "/mid.html": meta(" foo  ,  NOfOllow ,  bar "),
      "/end.html": meta("foo,BAr,   nofOLLOw    "),
      "/solo.html": meta("nofollow"),
      "/bombshell.html": { headers: HTML, body: "Hello" },
    };
    const pages = ["start", "mid", "end", "solo"];
    for (
      const args of [["-r", "-nd"], ["-r", "-nv"], ["-r", "-P", "out"], ["-r", "-e", "robots=off"]]
    ) {
      const both = await scenario(dir.path, site, (base) => ({
        args: [...args, ...pages.map((page) => `${base}/${page}.html`)],
      }));
      assertAlike(both, args.join(" "));
    }
  },
);

peerTest(
  "wget says GNU's 'Cookie coming from HOST attempted to set domain to DOMAIN' and sends no such cookie (its Test-cookie-domain-mismatch)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const site = {
      "/File1": { headers: ["Set-Cookie: sess-id=0213; path=/; DoMAIn=.example.com"], body: "1" },
      "/File2": { body: "2" },
    };
    for (const verbosity of [[], ["-nv"], ["-q"]]) {
      const both = await scenario(dir.path, site, (base) => ({
        args: [...verbosity, `${base}/File1`, `${base}/File2`],
      }));
      assertAlike(both, verbosity.join(" "));
    }
  },
);

peerTest(
  "wget says GNU's words for a URL it cannot take (Scheme missing, Invalid host name, Bad port number, Unsupported scheme), exit 1 (its Test-missing-scheme-retval)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const site = { "/bar": { body: "Content" }, "/ok": { body: "ok" } };
    const bad = [
      "/foo/bar",
      "//foo/bar",
      ":x",
      "http://:80/",
      "http://h:abc/",
      "http://h:99999/",
      "http://[::1",
      "http://[zz]/",
      "x://y",
    ];
    for (const url of bad) {
      for (const args of [[url], ["-nv", url], ["-q", url], ["-r", url]]) {
        const both = await scenario(dir.path, site, () => ({ args }));
        assertAlike(both, args.join(" "));
        equal(both.netkit.code, 1, args.join(" "));
      }
    }
    // Among good URLs: said where it stands, and the others fetched.
    const both = await scenario(dir.path, site, (base) => ({
      args: ["-nv", `${base}/ok`, "/foo/bar", `${base}/bar`],
    }));
    assertAlike(both, "among others", false);
    equal(both.netkit.stderr.split("\n")[1], "/foo/bar: Scheme missing.");
  },
);

peerTest(
  "wget refuses the URLs GNU's url_parse refuses, in its words (user names, the first @, after ], a control byte in the host, scheme letters), and reads -i lines as GNU's get_urls_file",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const site = {
      "/ok": { body: "ok" },
      "/list.txt": { body: "http://127.0.0.1:{{port}}/ok\nhttp://:1/\n# note\n" },
    };
    const at = (base: string, user: string) => base.replace("//", `//${user}@`) + "/ok";
    const bad: Array<(base: string) => string> = [
      // Before: netkit took these and fetched /ok (its URL reader takes the last @).
      (base) => at(base, ""),
      (base) => at(base, ":pw"),
      (base) => at(base, "u@x:p"),
      () => "http://[::1]x/",
      () => "a%0Ab",
      () => "a.b://x/",
      () => "ftp://:21/",
    ];
    for (const url of bad) {
      for (const flags of [[], ["-r"]]) {
        const both = await scenario(dir.path, site, (base) => ({ args: [...flags, url(base)] }));
        assertAlike(both, `${flags} ${url("http://HOST")}`);
        equal(both.netkit.code, 1);
      }
    }
    // -i: each bad line said as it is read (a `#` line is a URL too), left out, exit 1 when
    // nothing else failed; -B merged first, a base that is no URL too.
    const list = (base: string) =>
      `${base}/ok\n# note\n  http://@x/  \n/rel\n\nhttp://[::1\nx://y\nhttp://h:65536/\n`;
    const jobs: Array<(base: string) => Case> = [
      (base) => ({ args: ["-i", "list"], files: { list: list(base) } }),
      (base) => ({ args: ["-nv", "-i", "list", "-B", "/x/"], files: { list: list(base) } }),
      () => ({ args: ["-i", "list"], files: { list: "/a\n#\n" } }),
      () => ({ args: ["-r", "-i", "list", "-B", "x/"], files: { list: "a\n:1\n" } }),
      (base) => ({ args: ["-i", `${base}/list.txt`] }),
    ];
    for (const job of jobs) {
      const both = await scenario(dir.path, site, job);
      assertAlike(both, job("http://HOST").args.join(" "));
    }
    // A Location GNU refuses: `Location: ... [following]`, then its words, without its shorthand
    // rewrite (before: netkit followed http://@host/ and said mailto: in its own words).
    const moved = (location: string): Resource => ({
      status: "302 Found",
      headers: [`Location: ${location}`],
    });
    const redirects = {
      "/to-user": moved("http://@127.0.0.1:1/ok"),
      "/to-mailto": moved("mailto:x"),
      "/to-port": moved("http://127.0.0.1:99999/"),
    };
    for (const path of Object.keys(redirects)) {
      for (const flags of [[], ["-nv"]]) {
        const both = await scenario(dir.path, redirects, (base) => ({
          args: [...flags, `${base}${path}`],
        }));
        assertAlike(both, `${flags} ${path}`);
      }
    }
  },
);

peerTest(
  "wget asks for a URL's |, ^, \\, `, {, } and stray % escaped, as GNU's reencode_escapes (given, listed, redirected to; a page's links are read as browsers read them, on purpose)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const page = '<a href="a|b^c.html">1</a> <a href="img\\p.png">2</a> <a href="50%.txt">3</a> ' +
      '<a href="q.txt?x={1}|2`">4</a>';
    const site: Record<string, Resource> = {
      "/p.html": { headers: HTML, body: page },
      "/a%7Cb%5Ec.html": { body: "1" },
      "/img%5Cp.png": { body: "2" },
      "/50%25.txt": { body: "3" },
      "/q.txt?x=%7B1%7D%7C2%60": { body: "4" },
      "/moved": { status: "302 Found", headers: ["Location: /a|b^c.html"] },
      "/robots.txt": { body: "" },
    };
    const jobs: Array<(base: string) => Case> = [
      (base) => ({ args: ["-nv", `${base}/a|b^c.html`, `${base}/img\\p.png`, `${base}/50%.txt`] }),
      (base) => ({ args: ["-nv", `${base}/moved`] }),
      (base) => ({ args: ["-i", "list"], files: { list: `${base}/q.txt?x={1}|2\`\n` } }),
    ];
    for (const job of jobs) {
      const both = await scenario(dir.path, site, job);
      assertAlike(both, job("http://HOST").args.join(" "));
      equal(both.netkit.requests.some((request) => / \/[^ ]*[|^\\`{}]/.test(request)), false);
    }
    // A page's links: a stray % as GNU's, the rest as a browser reads them (cmd/README.md).
    const walk = await scenario(
      dir.path,
      site,
      (base) => ({ args: ["-r", "-nv", `${base}/p.html`] }),
    );
    equal(
      walk.gnu.requests.some((line) => line.startsWith("GET /img%5Cp.png ")),
      true,
      walk.gnu.requests.join(),
    );
    equal(
      walk.netkit.requests.some((line) => line.startsWith("GET /img/p.png ")),
      true,
      walk.netkit.requests.join(),
    );
    equal(
      walk.netkit.requests.some((line) => line.startsWith("GET /50%25.txt ")),
      true,
      walk.netkit.requests.join(),
    );
  },
);

peerTest(
  "wget -O /dev/full ends its dots and says 'Cannot write to' as GNU wget, exit 3 (its Test-stdouterr)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const site = { "/somefile.txt": { body: "0123456789" }, "/big": { body: "x".repeat(100_000) } };
    for (
      const args of [
        ["-c", "/somefile.txt", "-O", "/dev/full"],
        ["/big", "-O", "/dev/full"],
        ["-nv", "/big", "-O", "/dev/full"],
        ["--progress=dot:mega", "/big", "-O", "/dev/full"],
      ]
    ) {
      const both = await scenario(dir.path, site, (base) => ({
        args: args.map((arg) => arg.startsWith("/") && arg !== "/dev/full" ? base + arg : arg),
      }));
      assertAlike(both, args.join(" "));
      equal(both.netkit.code, 3);
    }
  },
);

peerTest(
  "wget answers the WWW-Authenticate challenge GNU wget answers: Digest within a header, else the last header's; 'Unknown authentication scheme.' (its Test-auth-*)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const digest = 'Digest realm="Wget", nonce="abc123", qop="auth", opaque="xyz"';
    const basic = 'Basic realm="Wget"';
    const cases: Array<[string, string[]]> = [
      ["Test-auth-digest", [digest]],
      ["Test-auth-basic", [basic]],
      ["Test-auth-both: Basic, then Digest", [basic, digest]],
      ["Test-auth-both's inline: both in one header", [`${basic}, ${digest}`]],
      ["Digest, then Basic: GNU answers the last header", [digest, basic]],
      ["Basic, Digest, Basic", [basic, digest, 'Basic realm="2"']],
      ["a short Basic last", [digest, "Basic"]],
      ["lower case", ['digest realm="W", nonce="n"', 'basic realm="x"']],
      ["Negotiate, then Basic", ["Negotiate", basic]],
      ["a scheme GNU does not know", ["Bearer realm=x"]],
      ["no challenge at all", []],
      // Digest read as GNU's digest_authentication_encode (before: netkit took auth from a list
      // and said nothing, refused SHA-256 and a missing nonce as an unknown scheme).
      ["qop=auth-int", ['Digest realm="W", nonce="n", qop="auth-int"']],
      ["qop list", ['Digest realm="W", nonce="n", opaque="o", qop="auth,auth-int"']],
      ["SHA-256", ['Digest realm="W", nonce="n", algorithm=SHA-256']],
      ["MD5-sess", ['Digest realm="W", nonce="n", algorithm="MD5-sess", qop="auth"']],
      ["no nonce", ['Digest realm="W"', basic]],
      ["stale", ['Digest realm="W", nonce="n", stale=true, qop=auth']],
    ];
    for (const [what, challenges] of cases) {
      const site = (body: string): Resource => ({
        body,
        unauthorized: {
          status: "401 Unauthorized",
          headers: challenges.map((value) => `WWW-Authenticate: ${value}`),
          body: "no",
        },
      });
      const both = await scenario(
        dir.path,
        { "/File1": site("1"), "/File2": site("2") },
        (base) => ({
          args: ["--user=Sauron", "--password=TheEye", `${base}/File1`, `${base}/File2`],
        }),
      );
      assertAlike(both, what);
    }
    // Without credentials GNU says nothing of the scheme.
    const none = await scenario(dir.path, {
      "/File1": { status: "401 Unauthorized", headers: ["WWW-Authenticate: Bearer x"] },
    }, (base) => ({ args: ["-nv", `${base}/File1`] }));
    assertAlike(none, "no credentials");
  },
);

peerTest(
  "wget keeps and sends cookies as GNU wget: after a 401, expired ones dropped, in GNU's order and without a second of the same name and value (its Test-cookie*)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const setting = (cookies: string[], more: Resource = {}): Resource => ({
      headers: cookies.map((cookie) => `Set-Cookie: ${cookie}`),
      body: "x",
      ...more,
    });
    const four = ["File1", "File2", "File3", "File4"];
    const jobs: Array<[string, Record<string, Resource>, string[]]> = [
      ["Test-cookie", { "/File1": setting(["sess-id=0213; path=/"]), "/File2": { body: "2" } }, [
        "File1",
        "File2",
      ]],
      ["Test-cookie-401", {
        "/File1": setting(["sess-id=0213; path=/"], { status: "401 Unauthorized" }),
        "/File2": { body: "2" },
      }, ["File1", "File2"]],
      // Before: netkit sent `sess-id=0213; new-sess=N` (the order they were set).
      ["Test-cookie-expires", {
        "/File1": setting(["sess-id=0213; path=/"]),
        "/File2": setting(["new-sess=N"]),
        "/File3": setting(["sess-id=0213; path=/; ExPIRes=Sun, 06 Nov 2001 12:32:43 GMT"]),
        "/File4": { body: "4" },
      }, four],
      ["names and paths", {
        "/File1": setting(["zed=1; path=/", "alpha=1; path=/", "mid=1; path=/"]),
        "/File2": setting(["deep=1; path=/", "b=2"]),
        "/File3": setting(["alpha=2; path=/"]),
        "/File4": { body: "4" },
      }, four],
    ];
    for (const [what, site, paths] of jobs) {
      const both = await scenario(dir.path, site, (base) => ({
        args: paths.map((path) => `${base}/${path}`),
      }));
      assertAlike(both, what);
    }
    // Cookies of a host and of its domains, through a proxy (the server answers every host).
    const hosts: Record<string, Resource> = {
      "http://a.b.d7.test/x/y": setting(["deep=1; Path=/x"]),
      "http://a.b.d7.test/": setting(["host=1", "zed=1", "alpha=2"]),
      "http://b.d7.test/": setting(["parent=1; Domain=b.d7.test", "sibling=1"]),
      "http://d7.test/": setting(["c7=1; Domain=d7.test", "host=1; Domain=d7.test"]),
      "http://a.b.d7.test/x/z": { body: "z" },
    };
    const proxied = await scenario(dir.path, hosts, (base) => ({
      args: ["-e", `http_proxy=${base.slice("http://".length)}`, ...Object.keys(hosts)],
    }));
    assertAlike(proxied, "domains", false);
    equal(
      proxied.netkit.requests.at(-1),
      "GET http://a.b.d7.test/x/z | Cookie: deep=1; alpha=2; zed=1; parent=1; c7=1; host=1",
    );
  },
);

peerTest(
  "wget --post-file of a file that is not there says GNU's 'BODY data file ... missing' for each URL and asks nothing, exit 3 (its Test--post-file)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const site = { "/": { body: "root" }, "/b": { body: "b" } };
    for (
      const args of [
        ["--post-file=nofile"],
        ["-nv", "--post-file=nofile"],
        ["-q", "--post-file=nofile"],
        ["-r", "--post-file=nofile"],
        ["-O", "out", "--post-file=nofile"],
        ["--method=PUT", "--body-file=nofile"],
      ]
    ) {
      const both = await scenario(dir.path, site, (base) => ({
        args: [...args, `${base}/`, `${base}/b`],
      }));
      assertAlike(both, args.join(" "));
      equal(both.netkit.code, 3);
      deepEqual(both.netkit.requests, []);
    }
  },
);

peerTest(
  "wget reads no_proxy as GNU wget: NAME matches itself and its subdomains, .NAME the subdomains alone (its Test-no_proxy-env)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    // The proxy is the scenario's server: a URL it answers went through it; one that goes
    // direct fails (the names do not resolve).
    const hosts = ["working1.localhost", "www.working1.localhost", "working2.localhost"];
    const site = Object.fromEntries(
      [...hosts, "www.working2.localhost"].map((host) => [`http://${host}/File1`, { body: host }]),
    );
    for (const host of [...hosts, "www.working2.localhost"]) {
      const both = await scenario(dir.path, site, (base) => ({
        args: ["-t", "1", `http://${host}/File1`],
        env: {
          http_proxy: base.slice("http://".length),
          no_proxy: "working1.localhost,.working2.localhost",
        },
      }));
      assertAlike(both, host, false);
      // Before: netkit went direct for working2.localhost (exit 4).
      equal(both.netkit.code, host === "working2.localhost" ? 0 : 4, host);
    }
  },
);
