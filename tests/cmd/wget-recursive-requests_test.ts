/**
 * `wget -r`'s requests as the server sees them, against GNU wget's: every request's method,
 * target and header lines (their values, the Referer's too; the User-Agent's value aside), which
 * of the run's connections it came on, and the order of the requests across two servers. The site has what decides, in GNU's one-at-a-time run, the
 * request after a page before it goes out: robots.txt asked while a page is read (the first page,
 * and a later one linking to another port of the host, URLs queued already), a redirect, a 404,
 * -N's If-Modified-Since and HEAD, -nc's files there, -Q's quota, a write that fails mid-run (a
 * file size limit), --wait; a change that sends the next request sooner (bench/README.md,
 * nineteenth session, branch pipe19) must leave these exchanges as they are.
 *
 * @module
 */

import assert from "node:assert/strict";
import { peerTest, tempDir } from "../harness/peers.ts";
import {
  type RecordedRequest,
  type Reply,
  startRecordingServer,
} from "../harness/recording_http_server.ts";
import { snapshotTree } from "../harness/test_site.ts";

const OLD = "Mon, 01 Jun 2020 10:00:00 GMT";

/** A page linking to `links` (`<a href>`, or `<img src>` for the .png ones). */
function page(title: string, links: string[]): string {
  const tags = links.map((link) =>
    link.endsWith(".png") ? `<img src="${link}">` : `<a href="${link}">${link}</a>`
  );
  return `<html><head><title>${title}</title></head><body>\n${tags.join("\n")}\n</body></html>\n`;
}

const PAGES: Record<string, string> = {
  "/": page("home", [
    "a.html",
    "img1.png",
    "old.html",
    "missing.html",
    "style.css",
    "private/x.html",
    "c.html",
    "big.bin",
    "f.html",
  ]),
  "/a.html": page("a", ["d.html", "img2.png", "b.html", "img1.png"]),
  "/b.html": page("b", ["e.html", "img3.png"]),

  "/d.html": page("d", ["img5.png", "/"]),
  "/e.html": page("e", ["img6.png"]),
  "/f.html": page("f", ["img7.png", "sub/"]),
  "/sub/": page("sub", ["g.html", "../img8.png"]),
  "/sub/g.html": page("g", ["img9.png"]),
};

/** The other server's `http://127.0.0.1:PORT`: the same host name on another port. */
let otherBase = "";

/** Whether /c.html links to the other server (see CASES). */
let linkElsewhere = false;

/** Every request to either server, as it came: `SERVER METHOD TARGET`. */
const arrivals: string[] = [];

/** How many times /d.html has changed. */
let dChanges = 0;

/** The site's answer to a request (-N: 304 to an If-Modified-Since not before its date). */
function reply(request: RecordedRequest): Reply {
  const target = request.target;
  const since = request.headers.find(([name]) => name.toLowerCase() === "if-modified-since");
  // /d.html is newer at each request than the copy here: fetched again under -N.
  const lastModified = target === "/d.html"
    ? new Date(Date.parse(OLD) + 3_600_000 * ++dChanges).toUTCString()
    : OLD;
  const dated = (type: string, body: string | Uint8Array): Reply => {
    if (since && target !== "/d.html" && Date.parse(since[1]) >= Date.parse(OLD)) {
      return { status: 304, reason: "Not Modified", headers: [["Last-Modified", OLD]] };
    }
    return { headers: [["Content-Type", type], ["Last-Modified", lastModified]], body };
  };
  if (target === "/robots.txt") return dated("text/plain", "User-agent: *\nDisallow: /private/\n");
  if (target === "/old.html") {
    return { status: 301, reason: "Moved Permanently", headers: [["Location", "/b.html"]] };
  }
  if (target === "/sub") {
    return { status: 301, reason: "Moved Permanently", headers: [["Location", "/sub/"]] };
  }
  // A link to the other server, read after others are queued: its robots.txt asked meanwhile.
  const html = target === "/c.html" && linkElsewhere
    ? page("c", ["img4.png", "a.html", "gone.html", `${otherBase}/elsewhere.html`])
    : PAGES[target];
  if (html !== undefined) return dated("text/html", html);
  if (target === "/style.css") return dated("text/css", "body { background: url(bg.png) }\n");
  if (/^\/(sub\/)?(img\d|bg)\.png$/.test(target)) return dated("image/png", `PNG ${target}\n`);
  if (target === "/big.bin") return dated("application/octet-stream", "x".repeat(40_000));
  return {
    status: 404,
    reason: "Not Found",
    headers: [["Content-Type", "text/html"]],
    body: "<html><body>Not found</body></html>\n",
  };
}

/** The other server's answer: its robots.txt, a page with an image, else a 404. */
function otherReply(request: RecordedRequest): Reply {
  const target = request.target;
  if (target === "/robots.txt") return { headers: [["Content-Type", "text/plain"]], body: "" };
  if (target === "/elsewhere.html") {
    return { headers: [["Content-Type", "text/html"]], body: page("elsewhere", ["pic.png"]) };
  }
  if (target === "/pic.png") return { headers: [["Content-Type", "image/png"]], body: "PNG\n" };
  return { status: 404, reason: "Not Found", body: "" };
}

/**
 * A HEAD's answer carries the headers of the GET's, with no body (a Content-Length of it); every
 * request noted in `arrivals`, with the server's `name`.
 */
function headReply(
  name: string,
  reply: (request: RecordedRequest) => Reply,
): (request: RecordedRequest) => Reply {
  return (request) => {
    arrivals.push(`${name} ${request.method} ${request.target}`);
    return headOnly(request, reply(request));
  };
}

/** `answer` without its body for a HEAD. */
function headOnly(request: RecordedRequest, answer: Reply): Reply {
  if (request.method !== "HEAD") return answer;
  const { body = "", ...head } = answer;
  const length = typeof body === "string" ? new TextEncoder().encode(body).length : body.length;
  return { ...head, raw: "", headers: [...head.headers ?? [], ["Content-Length", String(length)]] };
}

/** The requests of one run: connection (1 for the run's first), method, target, header lines. */
function exchanges(requests: RecordedRequest[], connections = true): string[] {
  const first = requests[0]?.connection ?? 1;
  return requests.map((request) => {
    const headers = request.headers.flatMap(([name, value]) => {
      const key = name.toLowerCase();
      if (key === "user-agent") return [`${key}: (agent)`];
      // The case of GNU's Connection value aside.
      return [`${key}: ${key === "connection" ? value.toLowerCase() : value}`];
    }).sort();
    const on = connections ? `#${request.connection - first + 1} ` : "";
    return [`${on}${request.method} ${request.target}`, ...headers]
      .join("\n");
  });
}

/** Runs GNU wget or netkit's as a command in `cwd` (through `sh -c` when `limited`). */
async function run(
  tool: "gnu" | "netkit",
  args: string[],
  cwd: string,
  fileLimitKiB?: number,
): Promise<number> {
  const argv = tool === "gnu"
    ? ["wget"]
    : [Deno.execPath(), "run", "-A", new URL("../../cmd/wget.ts", import.meta.url).pathname];
  const all = [...argv, "-q", ...args];
  // A file size limit makes the large file's write fail (EFBIG), SIGXFSZ ignored as a shell's
  // `trap '' XFSZ` leaves it for the command it runs.
  const command = fileLimitKiB === undefined
    ? new Deno.Command(all[0]!, { args: all.slice(1), cwd, stdout: "null", stderr: "null" })
    : new Deno.Command("bash", {
      args: ["-c", `trap '' XFSZ; ulimit -f ${fileLimitKiB}; exec "$@"`, "wget", ...all],
      cwd,
      stdout: "null",
      stderr: "null",
    });
  return (await command.output()).code;
}

/** The runs compared: a name, the arguments, a run first in the same directory, a file limit. */
const CASES: {
  name: string;
  args: string[];
  before?: string[];
  fileLimitKiB?: number;
  /** Whether the connections are compared too. */
  connections?: boolean;
  /**
   * /c.html links to the other server, on another port of the same host: its robots.txt is
   * asked while c.html is read, with URLs queued already. (GNU wget keeps one connection, so it
   * opens a new one to the first server after; netkit's pool keeps both: the connections are
   * not compared.)
   */
  elsewhere?: boolean;
}[] = [
  { name: "-r", args: ["-r"] },
  { name: "-m -np", args: ["-m", "-np"] },
  { name: "-r -N over a first run", args: ["-r", "-N"], before: ["-r"] },
  {
    name: "-r -N --no-if-modified-since over a first run",
    args: ["-r", "-N", "--no-if-modified-since"],
    before: ["-r"],
    // GNU wget 1.21 opens a new connection after a redirect answered to a HEAD; netkit's goes on
    // on the same one (so on main too): the requests alone are compared here.
    connections: false,
  },
  { name: "-r -nc over a first run", args: ["-r", "-nc"], before: ["-r"] },
  { name: "-r -Q 2000", args: ["-r", "-Q", "2000"] },
  { name: "-r with a write failing mid-run", args: ["-r"], fileLimitKiB: 24 },
  { name: "-r -e robots=off -l 2", args: ["-r", "-e", "robots=off", "-l", "2"] },
  { name: "-r, a link to another port", args: ["-r"], elsewhere: true, connections: false },
  { name: "-r -H -l 3", args: ["-r", "-H", "-l", "3"], elsewhere: true, connections: false },
  { name: "-r --wait 0.01", args: ["-r", "--wait", "0.01"] },
];

peerTest(
  "wget -r sends the requests GNU wget sends, in its order, with its headers, on its connections",
  ["wget"],
  async (t) => {
    await using dir = await tempDir();
    await using server = startRecordingServer({ handle: headReply("site", reply) });
    await using other = startRecordingServer({ handle: headReply("other", otherReply) });
    otherBase = other.base;
    const url = `${server.base}/`;
    for (
      const [index, { name, args, before, fileLimitKiB, connections, elsewhere }] of CASES.entries()
    ) {
      await t.step(name, async () => {
        linkElsewhere = elsewhere ?? false;
        const seen: Record<string, string[]> = {};
        const seenElsewhere: Record<string, string[]> = {};
        const order: Record<string, string[]> = {};
        const codes: Record<string, number> = {};
        const trees: Record<string, string[]> = {};
        for (const tool of ["gnu", "netkit"] as const) {
          const cwd = `${dir.path}/${index}-${tool}`;
          await Deno.mkdir(cwd);
          if (before) await run(tool, [...before, url], cwd);
          server.requests.length = 0;
          other.requests.length = 0;
          arrivals.length = 0;
          codes[tool] = await run(tool, [...args, url], cwd, fileLimitKiB);
          seen[tool] = exchanges(server.requests, connections);
          seenElsewhere[tool] = exchanges(other.requests, connections);
          order[tool] = [...arrivals];
          trees[tool] = [...(await snapshotTree(cwd)).keys()].sort();
        }
        assert.deepEqual(order.netkit, order.gnu);
        assert.deepEqual(seen.netkit, seen.gnu);
        assert.deepEqual(seenElsewhere.netkit, seenElsewhere.gnu);
        assert.equal(codes.netkit, codes.gnu);
        // (The write failed, and ended GNU's run: exit 3.)
        if (fileLimitKiB !== undefined) assert.equal(codes.gnu, 3);
        assert.deepEqual(trees.netkit, trees.gnu);
      });
    }
  },
);
