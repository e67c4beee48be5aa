import assert, { deepEqual, equal, rejects } from "node:assert/strict";
import {
  createUniqueFile,
  download,
  downloadExitCode,
  DownloadFileError,
  GaveUpError,
} from "../../../lib/download/download.ts";
import {
  ConnectionClosedError,
  HeaderLimitError,
  HttpProtocolError,
  HttpStatusError,
  RedirectError,
} from "../../../lib/http/errors.ts";
import { TlsError } from "../../../lib/net/tls_error.ts";
import { UrlError } from "../../../lib/http/url.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";
import { UnexpectedEofError } from "../../../lib/net/socket_stream.ts";
import { tempDir } from "../../harness/peers.ts";
import { HttpConnectionPool } from "../../../lib/http/pool.ts";
import { send, startRawServer } from "../../harness/raw_http_server.ts";
import { startRecordingServer } from "../../harness/recording_http_server.ts";

Deno.test("downloadExitCode() maps every error to GNU wget's code", () => {
  const cases: [unknown, number][] = [
    [new UrlError("x", "x"), 1],
    [new Error("x"), 1],
    [new DownloadFileError("/x", new Error("denied")), 3],
    [new SocketError({ step: "connect", host: "h", port: 1, failure: "refused" }), 4],
    [new UnexpectedEofError(10, 3), 4],
    [new ConnectionClosedError("x"), 4],
    [new TlsError("x", true), 5],
    [new HttpStatusError(401, "", "u"), 6],
    [new HttpStatusError(407, "", "u"), 8],
    [new HttpProtocolError("x"), 7],
    [new HeaderLimitError("count", 1), 7],
    [new HttpStatusError(404, "", "u"), 8],
    [new HttpStatusError(503, "", "u"), 8],
    [new RedirectError("x", "u"), 8],
  ];
  for (const [error, code] of cases) equal(downloadExitCode(error), code, String(error));
});

Deno.test("createUniqueFile() never opens an existing file or a planted symlink", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/f`, "keep");
  await Deno.writeTextFile(`${dir.path}/outside`, "outside");
  await Deno.symlink(`${dir.path}/outside`, `${dir.path}/f.1`);
  const { file, path } = createUniqueFile(`${dir.path}/f`);
  file.close();
  equal(path, `${dir.path}/f.2`);
  equal(await Deno.readTextFile(`${dir.path}/f`), "keep");
  equal(await Deno.readTextFile(`${dir.path}/outside`), "outside");
});

Deno.test("createUniqueFile() skips the names in use without trying to create each (wget -r -nd over many index.html)", async () => {
  // `wget -r -nd -E` over /usr/share/doc's nginx listings: a thousand pages named index.html,
  // saved as index.html.1.html, index.html.1.1.html, ...: each free name was found by a failed
  // O_EXCL open per name in use, whose error object took a hundred times a stat's time (61 s
  // against GNU wget's 7 s for the tree).
  await using dir = await tempDir();
  const stem = `${dir.path}/index.html`;
  await Deno.writeTextFile(stem, "");
  for (let n = 0; n < 20; n++) {
    const name = n === 0 ? `${stem}.1.html` : `${stem}.1.${n}.html`;
    // A dangling symlink is a name in use, as for O_EXCL.
    if (n === 5) await Deno.symlink(`${dir.path}/nowhere`, name);
    else await Deno.writeTextFile(name, "");
  }
  const other = `${dir.path}/copyright`;
  for (let n = 0; n < 10; n++) await Deno.writeTextFile(n === 0 ? other : `${other}.${n}`, "");
  const realOpenSync = Deno.openSync;
  const opened: string[] = [];
  Deno.openSync = (path, options) => {
    opened.push(String(path));
    return realOpenSync(path, options);
  };
  try {
    const page = createUniqueFile(stem, { adjustExtensionFor: "text/html" });
    page.file.close();
    equal(page.path, `${stem}.1.20.html`);
    const plain = createUniqueFile(other);
    plain.file.close();
    equal(plain.path, `${other}.10`);
  } finally {
    Deno.openSync = realOpenSync;
  }
  deepEqual(opened, [`${stem}.1.20.html`, `${other}.10`]);
  equal(await Deno.readTextFile(stem), "");
});

Deno.test("download() retries 504 and listed statuses, not 500 or 404, and reports each attempt", async () => {
  let calls = 0;
  await using server = startRawServer({
    "/broken": async (conn) =>
      void await send(conn, "HTTP/1.1 500 Broken\r\nContent-Length: 0\r\n\r\n"),
    "/busy-then-ok": async (conn) => {
      calls++;
      await send(
        conn,
        calls < 3
          ? "HTTP/1.1 504 Gateway Timeout\r\nContent-Length: 0\r\n\r\n"
          : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      );
    },
  });
  await using dir = await tempDir();
  const waits: number[] = [];
  const retries: number[] = [];
  const result = await download(`${server.base}/busy-then-ok`, {
    directory: dir.path,
    sleep: (ms) => (waits.push(ms), Promise.resolve()),
    events: { retry: (_e, attempt) => retries.push(attempt) },
  });
  equal(result.bytes, 2);
  // The try that got it, for -nv's last number (the result's own, whatever else runs at once).
  equal(result.tries, 3);
  deepEqual(waits, [1000, 2000]);
  deepEqual(retries, [1, 2]);
  const before = server.requests.length;
  await rejects(
    download(`${server.base}/missing`, { directory: dir.path, sleep: () => Promise.resolve() }),
    HttpStatusError,
  );
  equal(server.requests.length, before + 1);
  // A 500 is final, as with GNU wget, unless listed; a listed one that stays is GaveUpError.
  await rejects(download(`${server.base}/broken`, { directory: dir.path }), HttpStatusError);
  equal(server.requests.length, before + 2);
  await rejects(
    download(`${server.base}/broken`, {
      directory: dir.path,
      tries: 2,
      retryOnHttpError: [500],
      sleep: () => Promise.resolve(),
    }),
    GaveUpError,
  );
  equal(server.requests.length, before + 4);
});

Deno.test("download() reports start, progress and the final URL after a relative redirect", async () => {
  await using server = startRawServer({
    "/a/start": async (conn) =>
      void await send(conn, "HTTP/1.1 307 Temp\r\nLocation: ../b/end.txt\r\n\r\n"),
    "/b/end.txt": async (conn) =>
      void await send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone"),
  });
  await using dir = await tempDir();
  const seen: string[] = [];
  const result = await download(`${server.base}/a/start`, {
    directory: dir.path,
    events: {
      redirect: (_from, to, status) => seen.push(`${status} ${to}`),
      start: ({ path, total }) => seen.push(`start ${path.slice(dir.path.length)} ${total}`),
      progress: (n) => seen.push(`got ${n}`),
    },
  });
  deepEqual(seen, [`307 ${server.base}/b/end.txt`, "start /start 4", "got 4"]);
  equal(result.finalUrl, `${server.base}/b/end.txt`);
  equal(await Deno.readTextFile(`${dir.path}/start`), "done");
  assert(result.path?.endsWith("/start"));
});

Deno.test("download() makes a plain download's file while the request is out, and removes it when no body comes", async () => {
  await using dir = await tempDir();
  /**
   * Whether `name` is in the directory before the answer: waited for (the client makes it after it
   * sends the request, which the server may see first), up to a hang guard far above any load (a
   * file never made early would otherwise be waited for forever).
   */
  const madeBeforeAnswer = async (name: string) => {
    for (const until = Date.now() + 30_000; Date.now() < until;) {
      try {
        Deno.statSync(`${dir.path}/${name}`);
        return true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    return false;
  };
  const seen: Record<string, boolean> = {};
  await using server = startRecordingServer({
    handle: async ({ target }) => {
      const name = target.slice(1).replace(/\?.*/, "");
      seen[target] = await madeBeforeAnswer(name === "taken" ? "taken.1" : name);
      if (name === "missing") return { status: 404, reason: "Not Found", body: "no" };
      if (name === "empty") return { status: 204, reason: "No Content" };
      return { body: `body of ${name}` };
    },
  });
  const base = `http://127.0.0.1:${server.port}`;
  await Deno.writeTextFile(`${dir.path}/taken`, "the user's file");

  await download(`${base}/page`, { directory: dir.path });
  await download(`${base}/taken`, { directory: dir.path });
  await rejects(download(`${base}/missing`, { directory: dir.path }), HttpStatusError);
  await download(`${base}/empty`, { directory: dir.path });

  deepEqual(seen, { "/page": true, "/taken": true, "/missing": true, "/empty": true });
  equal(await Deno.readTextFile(`${dir.path}/page`), "body of page");
  equal(await Deno.readTextFile(`${dir.path}/taken`), "the user's file");
  equal(await Deno.readTextFile(`${dir.path}/taken.1`), "body of taken");
  // No body, no file: the ones made early are gone again, as GNU wget never makes them.
  const names = [...Deno.readDirSync(dir.path)].map((entry) => entry.name).sort();
  deepEqual(names, ["page", "taken", "taken.1"]);
});

Deno.test("download() waits for the answer before it makes a file whose name the answer decides", async () => {
  await using dir = await tempDir();
  let madeEarly: boolean | undefined;
  await using server = startRecordingServer({
    handle: () => {
      madeEarly = [...Deno.readDirSync(dir.path)].length > 0;
      return { body: "named", headers: [["Content-Disposition", 'attachment; filename="x.txt"']] };
    },
  });
  await download(`http://127.0.0.1:${server.port}/page`, {
    directory: dir.path,
    contentDisposition: true,
  });
  equal(madeEarly, false);
  deepEqual([...Deno.readDirSync(dir.path)].map((entry) => entry.name), ["x.txt"]);
});

Deno.test("download() answers a challenge after a redirect to another port of the same host with --user's credentials, never on another host, and never sends a URL's own unasked", async () => {
  // Two servers of one host (127.0.0.1, two ports) and one of another (127.0.0.2), each asking
  // for Basic on /private; /hop redirects to the first's /private on the second port.
  let elsewhere = "";
  const guarded = (request: { target: string; headers: [string, string][] }) => {
    if (request.target.startsWith("/hop")) {
      return {
        status: 301,
        reason: "Moved",
        headers: [["Location", elsewhere]] as [string, string][],
      };
    }
    const authorized = request.headers.some(([name]) => /^authorization$/i.test(name));
    return authorized || !request.target.startsWith("/private") ? { body: "secret" } : {
      status: 401,
      reason: "Unauthorized",
      headers: [["WWW-Authenticate", 'Basic realm="r"']] as [string, string][],
      body: "",
    };
  };
  await using first = startRecordingServer({ handle: guarded });
  await using second = startRecordingServer({ handle: guarded });
  await using other = startRecordingServer({ handle: guarded, hostname: "127.0.0.2" });
  await using dir = await tempDir();
  const seen = (server: typeof first) =>
    server.requests.map((r) =>
      `${r.target} ${r.headers.some(([name]) => /^authorization$/i.test(name)) ? "auth" : "-"}`
    );
  const credentials = { username: "u", password: "p" };
  // --user's: to the same host on another port, after its challenge; the origin then gets them
  // unasked.
  elsewhere = `${second.base}/private/a`;
  const origins = new Set<string>();
  await download(`${first.base}/hop`, {
    directory: dir.path,
    credentials,
    basicAuthOrigins: origins,
  });
  await download(`${second.base}/private/b`, {
    directory: dir.path,
    credentials,
    basicAuthOrigins: origins,
  });
  deepEqual(seen(first), ["/hop -"]);
  deepEqual(seen(second), ["/private/a -", "/private/a auth", "/private/b auth"]);
  deepEqual([...origins], [`http://127.0.0.1:${second.port}`]);
  // Never to another host.
  elsewhere = `${other.base}/private/c`;
  await rejects(
    download(`${first.base}/hop`, { directory: dir.path, credentials }),
    HttpStatusError,
  );
  deepEqual(seen(other), ["/private/c -"]);
  // A URL's own credentials answer each challenge and are never sent unasked, nor make the
  // origin one that gets them unasked (GNU wget's rule).
  const fresh = new Set<string>();
  const withUserinfo = first.base.replace("//", "//u:p@");
  await download(`${withUserinfo}/private/d`, { directory: dir.path, basicAuthOrigins: fresh });
  await download(`${withUserinfo}/private/e`, { directory: dir.path, basicAuthOrigins: fresh });
  deepEqual(seen(first).slice(2), [
    "/private/d -",
    "/private/d auth",
    "/private/e -",
    "/private/e auth",
  ]);
  deepEqual([...fresh], []);
});

Deno.test("download() reports the kept-alive connection a failed request went out on (GNU's Reusing line before the error)", async () => {
  // Each connection answers its first request and keeps open; its second gets the start of a
  // status line, then the close: not a stale connection (bytes came), a failed try.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    for await (const conn of listener) {
      (async () => {
        const buffer = new Uint8Array(4096);
        for (let request = 1; request <= 2; request++) {
          let head = "";
          while (!head.includes("\r\n\r\n")) {
            const n = await conn.read(buffer);
            if (n === null) return;
            head += new TextDecoder().decode(buffer.subarray(0, n));
          }
          await send(
            conn,
            request === 1
              ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
              : "HTTP/1.1 200 OK\r\n",
          );
        }
      })().catch(() => {}).finally(() => conn.close());
    }
  })().catch(() => {});
  await using dir = await tempDir();
  const pool = new HttpConnectionPool();
  const base = `http://127.0.0.1:${listener.addr.port}`;
  const reused: boolean[] = [];
  const options = {
    directory: dir.path,
    pool,
    tries: 1,
    events: { connected: (info: { reused: boolean }) => void reused.push(info.reused) },
  };
  try {
    await download(`${base}/a`, options);
    await rejects(download(`${base}/b`, options), ConnectionClosedError);
    // Reported before the error as for an answer: the log says "Reusing existing connection".
    deepEqual(reused, [false, true]);
  } finally {
    await pool.close();
    listener.close();
    await serving;
  }
});
