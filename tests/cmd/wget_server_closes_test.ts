/**
 * Servers that end kept-alive connections on their own schedule, beside GNU wget 1.21: an idle
 * timeout (nginx's `keepalive_timeout`, Apache's `KeepAliveTimeout`) shorter than `--wait`, so
 * every reuse would find the connection closed, and a `--wait` longer than the 10 s netkit's pool
 * kept an idle connection by default, on a server that keeps it; three requests a connection (nginx's
 * `keepalive_requests 3`, Apache's `MaxKeepAliveRequests 2`, lighttpd's
 * `server.max-keep-alive-requests 2`) under `-r`, `-m`, `-i`, several URLs, `-c`, `-N` run twice
 * and `--spider -r`; and a scripted server that closes after an answer without saying so, answers
 * HTTP/1.0, or closes a kept connection when the next request comes. Each case is made so that
 * its outcome does not hang on timing: the wait is ten times the idle timeout, and the closing
 * server either closes well before the next request or only once it has it.
 *
 * Compared: the exit code, the files, the log (dates and rates shaped away: `Connecting to` or
 * `Reusing existing connection to` before each request) and the requests the server saw (in
 * order where the scripted server numbers them by connection).
 *
 * @module
 */

import { deepEqual, equal, match } from "node:assert/strict";
import { startApache } from "../harness/apache.ts";
import { type LoggingServer, logLength, requestsLoggedSince } from "../harness/access_log.ts";
import { startLighttpd } from "../harness/lighttpd.ts";
import { makeCertificate, startNginx } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { commandArgs } from "../harness/run.ts";
import { snapshotTree } from "../harness/test_site.ts";
import { shapeWgetLog } from "../harness/wget_logs.ts";

type Tool = "gnu" | "netkit";

/** The site: a page linking four files, and a smaller one for the idle timeout (`--wait`). */
const SITE: Record<string, string> = {
  "index.html": '<a href="a.txt">a</a> <a href="b.txt">b</a> <a href="c.txt">c</a> ' +
    '<a href="d.txt">d</a>\n',
  "a.txt": "aaaaaaaa\n",
  "b.txt": "bbbbbbbb\n",
  "c.txt": "cccccccc\n",
  "d.txt": "dddddddd\n",
  "idle/index.html": '<a href="x.txt">x</a> <a href="y.txt">y</a>\n',
  "idle/x.txt": "x\n",
  "idle/y.txt": "y\n",
};
const FILES = ["a.txt", "b.txt", "c.txt", "d.txt"];
// One date for every file: -N's second run finds its copies current.
const MTIME = new Date("2026-01-02T03:04:05Z");

async function writeSite(root: string): Promise<void> {
  await Deno.mkdir(`${root}/idle`, { recursive: true, mode: 0o755 });
  await Deno.chmod(root, 0o755);
  for (const [name, text] of Object.entries(SITE)) {
    await Deno.writeTextFile(`${root}/${name}`, text, { mode: 0o644 });
    await Deno.utime(`${root}/${name}`, MTIME, MTIME);
  }
}

/** What one tool did. */
interface Run {
  code: number;
  log: string;
  files: Record<string, string>;
  requests: string[];
}

/** Runs `tool` with `args` in `cwd`, `times` times over; the logs one after the other. */
async function runTool(tool: Tool, cwd: string, args: string[], times = 1) {
  let log = "";
  let code = 0;
  for (let i = 0; i < times; i++) {
    const [program, ...rest] = tool === "gnu"
      ? ["wget", ...args]
      : [Deno.execPath(), ...commandArgs("wget"), ...args];
    const output = await new Deno.Command(program!, {
      args: rest,
      cwd,
      env: { LC_ALL: "C.UTF-8" },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    log += shapeWgetLog(new TextDecoder().decode(output.stderr));
    code = output.code;
  }
  return { code, log, files: Object.fromEntries([...await snapshotTree(cwd)].sort()) };
}

/** What a case puts in each tool's directory first. */
type Prepare = (cwd: string) => Promise<void>;

/** Runs a case with GNU wget, then netkit's, against `server`'s access log. */
async function bothLogged(
  dir: string,
  server: LoggingServer,
  args: string[],
  options: { prepare?: Prepare; times?: number; tools?: Tool[] } = {},
): Promise<Record<Tool, Run>> {
  const caseDir = await Deno.makeTempDir({ dir, prefix: "case_" });
  const runs: Partial<Record<Tool, Run>> = {};
  for (const tool of options.tools ?? ["gnu", "netkit"] as Tool[]) {
    const cwd = `${caseDir}/${tool}`;
    await Deno.mkdir(cwd);
    await options.prepare?.(cwd);
    const from = await logLength(server.log);
    const run = await runTool(tool, cwd, args, options.times);
    runs[tool] = { ...run, requests: await requestsLoggedSince(server, from) };
  }
  return runs as Record<Tool, Run>;
}

/** The log's lines about the URL asked for and the connection it went out on. */
const CONNECTION_LINES =
  /^(--DATE--|Connecting to |Reusing existing|No data received|Retrying|Giving up)/;

/** `C` for each `Connecting to` line of the log, `R` for each `Reusing existing connection`. */
function connections(log: string): string {
  return [...log.matchAll(/^(Connecting to|Reusing existing)/gm)]
    .map((m) => m[1] === "Connecting to" ? "C" : "R").join("");
}

/** Same exit code, log (or its lines about connections), files and requests (in any order). */
function assertSame(runs: Record<Tool, Run>, what: string, wholeLog = true): void {
  const { gnu, netkit } = runs;
  const detail = `${what}\nGNU:\n${gnu.log}\nnetkit:\n${netkit.log}`;
  const lines = (log: string) =>
    wholeLog ? log : log.split("\n").filter((line) => CONNECTION_LINES.test(line)).join("\n");
  equal(netkit.code, gnu.code, `exit code: ${detail}`);
  equal(lines(netkit.log), lines(gnu.log), `log: ${detail}`);
  deepEqual(netkit.files, gnu.files, `files: ${detail}`);
  // Sorted: Apache may log a connection's last request after the next connection's first (the
  // logs give the order asked in).
  deepEqual(
    netkit.requests.toSorted(),
    gnu.requests.toSorted(),
    `requests: GNU's ${JSON.stringify(gnu.requests)}, netkit's ${
      JSON.stringify(netkit.requests)
    }: ${detail}`,
  );
}

/** The cases for a server that ends a connection after three requests. */
function requestLimitCases(
  origin: string,
): [string[], { prepare?: Prepare; times?: number; wholeLog?: boolean; shape?: string }][] {
  const urls = FILES.map((name) => `${origin}/${name}`);
  const list: Prepare = (cwd) => Deno.writeTextFile(`${cwd}/list`, urls.join("\n") + "\n");
  const partial: Prepare = async (cwd) => {
    await Deno.writeTextFile(`${cwd}/a.txt`, "aaaa");
    await Deno.writeTextFile(`${cwd}/c.txt`, "cc");
  };
  return [
    [["-r", "-np", "-nH", `${origin}/`], {}],
    [["-m", "-np", "-nH", `${origin}/`], {}],
    [["-i", "list"], { prepare: list }],
    // The third request's answer says the close: a new connection for the fourth.
    [urls, { shape: "CRRC" }],
    [["-c", ...urls], { prepare: partial }],
    [["-N", ...urls], { times: 2 }],
    // (GNU's --spider -r has quirks of its own, `NAME.tmp.tmp` and `unlink:` lines, in
    // cmd/README.md: its lines about connections are compared.)
    [["--spider", "-r", "-np", `${origin}/`], { wholeLog: false }],
  ];
}

peerTest(
  "wget beside GNU wget on servers that end a connection after three requests (nginx, Apache, lighttpd)",
  ["wget", "nginx", "apache2", "lighttpd"],
  async () => {
    await using dir = await tempDir();
    await Deno.chmod(dir.path, 0o755);
    // nginx says `Connection: close` on a connection's third answer; so do Apache and lighttpd.
    const nginxLog = `${dir.path}/nginx-access.log`;
    await using nginx = await startNginx(`${dir.path}/nginx`, {
      serverConfig: `access_log ${nginxLog}; keepalive_requests 3;`,
    });
    const root = nginx.root;
    await writeSite(root);
    for (const name of ["apache", "lighttpd"]) await Deno.mkdir(`${dir.path}/${name}`);
    await using apache = await startApache(`${dir.path}/apache`, root, {
      // Apache counts the requests after a connection's first: 2 ends it after three (so does
      // lighttpd).
      config: "KeepAlive On\nMaxKeepAliveRequests 2",
    });
    await using lighttpd = await startLighttpd(`${dir.path}/lighttpd`, root, {
      config: "server.max-keep-alive-requests = 2",
    });
    const servers: [string, LoggingServer][] = [
      ["nginx", { port: nginx.port, log: nginxLog }],
      ["Apache", apache],
      ["lighttpd", lighttpd],
    ];
    // The three servers at once, each with its cases in turn.
    await Promise.all(servers.map(async ([name, server]) => {
      const origin = `http://127.0.0.1:${server.port}`;
      for (const [args, options] of requestLimitCases(origin)) {
        const runs = await bothLogged(dir.path, server, ["-t", "2", ...args], options);
        assertSame(runs, `${name}: ${args.join(" ")}`, options.wholeLog);
        if (options.shape) {
          equal(connections(runs.gnu.log), options.shape, `${name}: ${runs.gnu.log}`);
        }
      }
    }));
    // netkit's pool of connections (--max-threads, GNU Wget2's) on nginx: the same files and
    // requests as GNU's -r, in whatever order.
    const origin = `http://127.0.0.1:${nginx.port}`;
    const server = { port: nginx.port, log: nginxLog };
    const args = ["-t", "2", ...requestLimitCases(origin)[0]![0]];
    const { gnu } = await bothLogged(dir.path, server, args, { tools: ["gnu"] });
    const { netkit } = await bothLogged(dir.path, server, ["--max-threads", "4", ...args], {
      tools: ["netkit"],
    });
    equal(netkit.code, gnu.code, netkit.log);
    deepEqual(netkit.files, gnu.files, netkit.log);
    deepEqual(netkit.requests.toSorted(), gnu.requests.toSorted(), netkit.log);
  },
);

peerTest(
  "wget beside GNU wget when --wait outlasts a kept connection: the server's idle timeout ends it (nginx, Apache, HTTPS) or it is kept however long (nginx)",
  ["wget", "nginx", "apache2", "openssl"],
  async () => {
    await using dir = await tempDir();
    await Deno.chmod(dir.path, 0o755);
    // A tenth of the wait: every kept connection is closed, and its close read, before the
    // next request. Under /c/, nginx's default keepalive_timeout (75 s), each answer saying
    // which request of its connection it was (and left out of the log the other cases read).
    const nginxLog = `${dir.path}/nginx-access.log`;
    const tls = await makeCertificate(dir.path);
    await using nginx = await startNginx(`${dir.path}/nginx`, {
      tls,
      tlsServerConfig: "keepalive_timeout 50ms;",
      serverConfig: `access_log ${nginxLog}; keepalive_timeout 50ms;
        location /c/ {
          keepalive_timeout 75s;
          access_log off;
          default_type text/plain;
          return 200 "$connection_requests\\n";
        }`,
    });
    await writeSite(nginx.root);
    await Deno.mkdir(`${dir.path}/apache`);
    await using apache = await startApache(`${dir.path}/apache`, nginx.root, {
      config: "KeepAlive On\nKeepAliveTimeout 50ms",
    });
    const wait = ["--wait=0.5", "-r", "-np", "-nH"];
    // Longer than the 10 s a pool keeps an idle connection by default: GNU reuses it, and so
    // must netkit. (The two at once, beside the other cases: the wait is the test's time.)
    const kept = Promise.all((["gnu", "netkit"] as Tool[]).map(async (tool) => {
      const cwd = await Deno.makeTempDir({ dir: dir.path, prefix: `kept_${tool}_` });
      const urls = ["a", "b"].map((name) => `http://127.0.0.1:${nginx.port}/c/${name}`);
      return await runTool(tool, cwd, ["--wait=11", ...urls]);
    }));
    const onNginx = (async () => {
      const server = { port: nginx.port, log: nginxLog };
      const url = `http://127.0.0.1:${nginx.port}/idle/`;
      const runs = await bothLogged(dir.path, server, [...wait, url]);
      assertSame(runs, `nginx: ${url}`);
      // The page, robots.txt and the two files: each on a connection of its own.
      equal(connections(runs.gnu.log), "CCCC", runs.gnu.log);
      // netkit's pool of connections (--max-threads, GNU Wget2's): the same files and requests.
      const threads = ["--max-threads", "4", ...wait, url];
      const { netkit } = await bothLogged(dir.path, server, threads, { tools: ["netkit"] });
      equal(netkit.code, runs.gnu.code, netkit.log);
      deepEqual(netkit.files, runs.gnu.files, netkit.log);
      deepEqual(netkit.requests.toSorted(), runs.gnu.requests.toSorted(), netkit.log);
    })();
    const onApache = (async () => {
      const url = `http://127.0.0.1:${apache.port}/idle/`;
      assertSame(await bothLogged(dir.path, apache, ["-nv", ...wait, url]), `Apache: -nv ${url}`);
    })();
    // HTTPS: a TLS connection the server closed is replaced alike.
    const onTls = (async () => {
      const origin = `https://127.0.0.1:${nginx.tlsPort}`;
      const urls = ["a.txt", "b.txt", "c.txt"].map((name) => `${origin}/${name}`);
      const args = [`--ca-certificate=${tls.cert}`, "--wait=0.5", ...urls];
      const [gnu, netkit] = await Promise.all((["gnu", "netkit"] as Tool[]).map(async (tool) => {
        const cwd = await Deno.makeTempDir({ dir: dir.path, prefix: `tls_${tool}_` });
        return await runTool(tool, cwd, args);
      }));
      equal(connections(gnu!.log), "CCC", gnu!.log);
      equal(netkit!.code, gnu!.code, netkit!.log);
      equal(netkit!.log, gnu!.log);
      deepEqual(netkit!.files, gnu!.files, netkit!.log);
    })();
    await Promise.all([onNginx, onApache, onTls]);
    const [gnu, netkit] = await kept;
    equal(gnu!.code, 0, gnu!.log);
    equal(connections(gnu!.log), "CR", gnu!.log);
    equal(netkit!.code, gnu!.code, netkit!.log);
    equal(netkit!.log, gnu!.log);
    deepEqual(netkit!.files, gnu!.files, netkit!.log);
  },
);

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** How the scripted server treats a connection: see {@linkcode startClosingServer}. */
type Closing = "after-answer" | "http-1.0" | "at-second-request" | "head-cut-at-second-request";

/**
 * A server of the site's four files that keeps its connections open (HTTP/1.1, never saying
 * `Connection: close`), except: `after-answer` closes each after its answer; `http-1.0` answers
 * `HTTP/1.0` (no keep-alive) and closes; `at-second-request` answers a connection's first request
 * and closes, without an answer, when the second one comes; `head-cut-at-second-request` sends
 * the second one a status line alone, then closes. It records `CONNECTION.REQUEST METHOD
 * TARGET [RANGE]`, numbering connections from 1. It serves `site` (the site's four files unless
 * given).
 */
function startClosingServer(closing: Closing, site: Record<string, string> = SITE) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const requests: string[] = [];
  const encoder = new TextEncoder();
  let connectionCount = 0;
  const serve = async (conn: Deno.Conn, connection: number) => {
    let buffered = "";
    const bytes = new Uint8Array(16 * 1024);
    try {
      for (let number = 1;; number++) {
        while (!buffered.includes("\r\n\r\n")) {
          const n = await conn.read(bytes);
          if (n === null) return;
          buffered += new TextDecoder().decode(bytes.subarray(0, n));
        }
        const end = buffered.indexOf("\r\n\r\n");
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        const [method, target = "/"] = head.split(" ");
        const range = /\r\nRange: *([^\r]*)/i.exec(head);
        requests.push(`${connection}.${number} ${method} ${target}${range ? ` ${range[1]}` : ""}`);
        if (closing === "at-second-request" && number === 2) return;
        if (closing === "head-cut-at-second-request" && number === 2) {
          await conn.write(encoder.encode("HTTP/1.1 200 OK\r\n"));
          return;
        }
        const body = site[target.slice(1)];
        // (The site's own index is served as text: the tests above fetch files, never links.)
        const type = site !== SITE && target.endsWith(".html") ? "text/html" : "text/plain";
        const version = closing === "http-1.0" ? "HTTP/1.0" : "HTTP/1.1";
        const status = body === undefined ? "404 Not Found" : "200 OK";
        const text = method === "HEAD" ? "" : body ?? "";
        await conn.write(encoder.encode(
          `${version} ${status}\r\nContent-Type: ${type}\r\nContent-Length: ${
            (body ?? "").length
          }\r\n\r\n${text}`,
        ));
        if (!closing.endsWith("at-second-request")) return;
      }
    } catch {
      // The client went away.
    } finally {
      conn.close();
    }
  };
  const tasks: Promise<void>[] = [];
  const accepting = (async () => {
    for await (const conn of listener) tasks.push(serve(conn, ++connectionCount));
  })().catch(() => {});
  return {
    port: listener.addr.port,
    requests,
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting;
      await Promise.allSettled(tasks);
    },
  };
}

/** Runs a case with GNU wget, then netkit's, against a {@linkcode startClosingServer}. */
async function bothScripted(dir: string, closing: Closing, args: string[]) {
  await using server = startClosingServer(closing);
  const urls = ["a.txt", "b.txt", "c.txt"].map((name) => `http://127.0.0.1:${server.port}/${name}`);
  const caseDir = await Deno.makeTempDir({ dir, prefix: `${closing}_` });
  const runs: Partial<Record<Tool, Run>> = {};
  for (const tool of ["gnu", "netkit"] as Tool[]) {
    const cwd = `${caseDir}/${tool}`;
    await Deno.mkdir(cwd);
    const from = server.requests.length;
    const run = await runTool(tool, cwd, [...args, ...urls]);
    // The connections numbered from this run's first.
    const seen = server.requests.slice(from);
    const first = Number(seen[0]?.split(".")[0] ?? 1);
    runs[tool] = {
      ...run,
      requests: seen.map((line) => line.replace(/^\d+/, (c) => String(Number(c) - first + 1))),
    };
  }
  return runs as Record<Tool, Run>;
}

Deno.test("wget beside GNU wget on a server that closes without saying so", async () => {
  await using dir = await tempDir();
  // Closed right after the answer, half a second before the next request: both see the close and
  // connect anew (HTTP/1.0 too, which GNU would take for kept-alive; cmd/README.md).
  for (const closing of ["after-answer", "http-1.0"] as const) {
    const runs = await bothScripted(dir.path, closing, ["--wait=0.5"]);
    assertSame(runs, closing);
    equal(connections(runs.gnu.log), "CCC", runs.gnu.log);
    deepEqual(runs.gnu.requests, ["1.1 GET /a.txt", "2.1 GET /b.txt", "3.1 GET /c.txt"]);
  }
  // Closed when the second request comes, unanswered: GNU counts a failed try ("No data
  // received.", "Retrying.", a wait but for --waitretry=0); netkit asks again at once on a new
  // connection, as RFC 9112 allows for a GET (cmd/README.md). The server sees the same requests.
  const runs = await bothScripted(dir.path, "at-second-request", ["--waitretry=0"]);
  const { gnu, netkit } = runs;
  equal(netkit.code, gnu.code);
  deepEqual(netkit.files, gnu.files);
  deepEqual(netkit.requests, gnu.requests);
  deepEqual(gnu.requests, [
    "1.1 GET /a.txt",
    "1.2 GET /b.txt",
    "2.1 GET /b.txt",
    "2.2 GET /c.txt",
    "3.1 GET /c.txt",
  ]);
  match(
    gnu.log,
    /Reusing existing connection .*\nHTTP request sent, awaiting response\.\.\. No data received\.\nRetrying\./,
  );
  equal(connections(gnu.log), "CRCRC", gnu.log);
  equal(connections(netkit.log), "CCC", netkit.log);
  // With one try, GNU gives up on the URL (exit 4); netkit's second request is not a try.
  const once = await bothScripted(dir.path, "at-second-request", ["-t", "1"]);
  equal(once.gnu.code, 4, once.gnu.log);
  match(once.gnu.log, /No data received\.\nGiving up\./);
  equal(once.netkit.code, 0, once.netkit.log);
  deepEqual(Object.keys(once.netkit.files), ["a.txt", "b.txt", "c.txt"]);
  // A status line alone, then the close: GNU takes it for a whole head and saves an empty
  // b.txt (exit 0; cmd/README.md); netkit's try fails ("No data received.") and the next one
  // gets it. Both say which connection the request went out on.
  const cut = await bothScripted(dir.path, "head-cut-at-second-request", ["--waitretry=0"]);
  equal(cut.gnu.code, 0, cut.gnu.log);
  // (The files by their SHA-256: b.txt's is the empty file's.)
  equal(cut.gnu.files["b.txt"], EMPTY_SHA256, cut.gnu.log);
  equal(cut.netkit.code, 0, cut.netkit.log);
  deepEqual(cut.netkit.files, gnu.files, cut.netkit.log);
  match(
    cut.netkit.log,
    /Reusing existing connection to [^\n]*\nHTTP request sent, awaiting response\.\.\. No data received\.\nRetrying\./,
  );
  equal(connections(cut.netkit.log), "CRCRC", cut.netkit.log);
  equal(connections(cut.gnu.log), "CRC", cut.gnu.log);
});

Deno.test("wget beside GNU wget: a POST, PUT or DELETE that meets a closed kept-alive connection is a failed try", async () => {
  await using dir = await tempDir();
  // The server closes the connection when the second request comes, unanswered. RFC 9112 lets a
  // client send only an idempotent request again on its own: a POST (or another method with a
  // body) is a failed try, as GNU counts it for every method ("No data received."); with one try
  // the URL is given up (exit 4) and the next one goes out on a new connection. A PUT or a
  // DELETE, idempotent, RFC 9112 would let wget send again; wget counts the try as GNU's does.
  for (
    const args of [
      ["-t", "1", "--post-data=x"],
      ["-t", "1", "--method=PATCH", "--body-data=x"],
      ["-t", "1", "--method=PUT", "--body-data=x"],
      ["-t", "1", "--method=DELETE"],
      ["-t", "2", "--waitretry=0", "--method=PUT", "--body-data=x"],
      ["-t", "2", "--waitretry=0", "--post-data=x"],
    ]
  ) {
    const runs = await bothScripted(dir.path, "at-second-request", args);
    assertSame(runs, args.join(" "));
    if (args[1] === "1") {
      equal(runs.gnu.code, 4, runs.gnu.log);
      match(runs.gnu.log, /No data received\.\nGiving up\./);
    }
  }
  // Closed right after the answer, half a second before the next request: GNU finds the close
  // before it reuses the connection and connects anew, no try lost; so does netkit's POST.
  for (const closing of ["after-answer", "http-1.0"] as const) {
    const args = ["-t", "1", "--wait=0.5", "--post-data=x"];
    const runs = await bothScripted(dir.path, closing, args);
    assertSame(runs, `${closing}: ${args.join(" ")}`);
    equal(connections(runs.gnu.log), "CCC", runs.gnu.log);
  }
});

/** A site of two levels under the index: four pages, the first of which links one file. */
const DEEP_SITE: Record<string, string> = {
  "index.html": [1, 2, 3, 4].map((n) => `<a href="p${n}.html">p${n}</a>`).join(" ") + "\n",
  "p1.html": '<a href="f.txt">f</a>\n',
  "p2.html": "two\n",
  "p3.html": "three\n",
  "p4.html": "four\n",
  "f.txt": "f\n",
};

Deno.test("wget --max-threads sends a request again once on a new connection when a kept-alive one was closed, however many the pool holds", async () => {
  await using dir = await tempDir();
  // Each connection's second request is closed unanswered: under --max-threads 4 the four pages
  // come on up to four connections, and the one file after them finds them idle in the pool, each
  // as stale as the next. The request is sent again once, on a new connection (as with one
  // thread, where the pool holds one): the server sees it twice at most, and every file comes, as
  // GNU's sequential run gets them (GNU counts each such request a failed try: --waitretry=0
  // keeps it quick).
  await using server = startClosingServer("at-second-request", DEEP_SITE);
  const url = `http://127.0.0.1:${server.port}/index.html`;
  const caseDir = await Deno.makeTempDir({ dir: dir.path, prefix: "threads_" });
  const runs: Partial<Record<Tool, Run>> = {};
  for (const [tool, extra] of [["gnu", []], ["netkit", ["--max-threads", "4"]]] as const) {
    const cwd = `${caseDir}/${tool}`;
    await Deno.mkdir(cwd);
    const from = server.requests.length;
    const run = await runTool(tool, cwd, ["-r", "-nd", "--waitretry=0", ...extra, url]);
    runs[tool] = { ...run, requests: server.requests.slice(from) };
  }
  const { gnu, netkit } = runs as Record<Tool, Run>;
  equal(gnu.code, 0, gnu.log);
  equal(netkit.code, gnu.code, netkit.log);
  deepEqual(netkit.files, gnu.files, netkit.log);
  const targets = (requests: string[]) => requests.map((line) => line.replace(/^\S+ /, ""));
  const times = new Map<string, number>();
  for (const target of targets(netkit.requests)) times.set(target, (times.get(target) ?? 0) + 1);
  deepEqual(
    [...times].filter(([, count]) => count > 2),
    [],
    `requests: ${JSON.stringify(netkit.requests)}`,
  );
  // Every URL GNU asked for, and no other.
  deepEqual([...times.keys()].sort(), [...new Set(targets(gnu.requests))].sort());
});
