/**
 * The floor of `bench/wget_mirror.ts`: the least a `deno run` program can do to leave the same
 * files as `wget -m -np URL` on the bench's site, with no netkit code. Kept-alive HTTP/1.1
 * connections (`setNoDelay`), one `GET` per URL and nothing pipelined, as GNU wget asks; each
 * `200` body written to `HOST:PORT/path` (directories made once each, `index.html` for a path
 * ending in `/`, the query kept after a `?` as GNU names it: the blog's `?page=2` needs no
 * escaping) and dated from its `Last-Modified` (`-m` is `-N`: GNU dates its files); robots.txt
 * fetched and saved. The file is created while its request is on the wire, as netkit does, so the
 * kernel's work overlaps the server's. Nothing else: no options, no messages, no checks beyond what
 * the loop needs (every answer has a `Content-Length`, as nginx sends for static files), a new
 * connection when the server ends one (`Connection: close`).
 *
 * - `--list FILE`: the URLs in the order GNU wget asked for them (from its `-nv` log), robots.txt
 *   among them; no HTML read at all. No program that finds the links itself can do less.
 * - `--crawl URL`: the links found the cheapest way that works on this site: a regular expression
 *   for `href`, `src` and `srcset` values in `text/html` bodies, joined to the page's URL by hand
 *   (dot segments removed), kept when on the same host and port, under the start URL's directory
 *   (`-np`) and not under a `Disallow` of robots.txt's `User-agent: *` group (prefix match); a Set
 *   of the URLs seen, a queue in the order found (GNU's breadth-first order).
 * - `--parser htmlparser2` (with `--crawl`): the links read with htmlparser2's `Tokenizer` instead
 *   of the regular expression, as issue 15 asks netkit to read them ("a well-kept parser from the
 *   npm registry ... not regular expressions"): the values of `href`, `src` and `srcset`
 *   attributes of any tag, sliced from the page's text by the tokenizer's indices, entities left
 *   as written (`decodeEntities: false`, as netkit's scanner), joined and kept as above. The
 *   package is `import()`ed at start, beside robots.txt's request, and awaited before the first
 *   page is read (its entry point `.` is the only one that offers the Tokenizer: its DOM modules
 *   load too, as in netkit). No tree and no `Parser`: the Parser is the Tokenizer and more.
 * - `--connections N` (default 1): N kept-alive connections taking URLs from the one queue, the
 *   floor against GNU Wget2's `--max-threads N`.
 * - `--threads N`: the N connections each in a Worker thread of its own (saving and reading for
 *   links there; the queue and the Set stay on the main thread): what threads, as Wget2 has them,
 *   give a Deno program. On 2 cores it costs more than it gains (each isolate's start-up, the
 *   messages), so `--connections` is the floor there.
 *
 * If this program alone takes more than a goal allows, no Deno program can meet the goal.
 *
 * Run: `deno run -A bench/_bare_mirror.ts [--connections N | --threads N] (--list FILE |
 * --crawl URL [--parser htmlparser2])` in the directory to fill (URLs `http://HOST:PORT/...`).
 *
 * @module
 */

const IN_WORKER = (globalThis as { name?: string }).name === "bare-mirror";
// A worker thread gets the command line in its module URL's query.
const args: string[] = IN_WORKER
  ? JSON.parse(decodeURIComponent(new URL(import.meta.url).search.slice(1)))
  : Deno.args;
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const listFile = flag("--list");
const crawlUrl = flag("--crawl");
const connections = Number(flag("--connections") ?? "1");
const threads = Number(flag("--threads") ?? "0");
const parser = flag("--parser");

const queue = listFile !== undefined
  ? Deno.readTextFileSync(listFile).split("\n").filter((line) => line !== "")
  : crawlUrl !== undefined
  ? [crawlUrl]
  : [];
const first = /^http:\/\/(([^/:]+):(\d+))(\/.*)$/.exec(queue[0] ?? "");
if (
  first === null || !(connections >= 1) || (parser !== undefined && parser !== "htmlparser2")
) {
  throw new Error(
    "usage: _bare_mirror.ts [--connections N | --threads N] (--list FILE | --crawl URL " +
      "[--parser htmlparser2])",
  );
}
const [, hostPort, hostname, port, startPath] = first as unknown as string[];
const ORIGIN = `http://${hostPort}`;
const crawl = listFile === undefined;
const parent = startPath!.slice(0, startPath!.lastIndexOf("/") + 1);
const seen = new Set(queue);
if (crawl) seen.add(`${ORIGIN}/robots.txt`);
const disallowed: string[] = [];
const madeDirectories = new Set<string>();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One kept-alive connection and its read buffer. */
interface Connection {
  conn: Deno.TcpConn;
  buffer: Uint8Array;
  start: number;
  end: number;
}

async function connect(): Promise<Connection> {
  const conn = await Deno.connect({ hostname: hostname!, port: Number(port) });
  conn.setNoDelay(true);
  return { conn, buffer: new Uint8Array(256 * 1024), start: 0, end: 0 };
}

/** Reads more bytes into the buffer; the server never closes first here. */
async function fill(c: Connection): Promise<void> {
  if (c.start === c.end) c.start = c.end = 0;
  const n = await c.conn.read(c.buffer.subarray(c.end));
  if (n === null) throw new Error("the server closed the connection");
  c.end += n;
}

/** The index just past the head's blank line, or -1 while the head is incomplete. */
function headEnd(c: Connection): number {
  const b = c.buffer;
  for (let i = c.start; i + 3 < c.end; i++) {
    if (b[i] === 13 && b[i + 1] === 10 && b[i + 2] === 13 && b[i + 3] === 10) return i + 4;
  }
  return -1;
}

/** GNU wget's name for a URL path (with its query) of this host. */
function fileName(path: string): string {
  const q = path.indexOf("?");
  const p = q < 0 ? path : path.slice(0, q);
  return hostPort + p + (p.endsWith("/") ? "index.html" : "") + (q < 0 ? "" : path.slice(q));
}

/** GETs `path` into its file; returns the body's text when it is a page to read for links. */
async function get(c: Connection, path: string): Promise<string | undefined> {
  await c.conn.write(
    encoder.encode(`GET ${path} HTTP/1.1\r\nHost: ${hostPort}\r\nAccept: */*\r\n\r\n`),
  );
  const name = fileName(path);
  const directory = name.slice(0, name.lastIndexOf("/"));
  if (!madeDirectories.has(directory)) {
    Deno.mkdirSync(directory, { recursive: true });
    madeDirectories.add(directory);
  }
  const file = Deno.openSync(name, { write: true, create: true, truncate: true });
  let bodyStart = headEnd(c);
  while (bodyStart < 0) {
    await fill(c);
    bodyStart = headEnd(c);
  }
  const head = decoder.decode(c.buffer.subarray(c.start, bodyStart));
  c.start = bodyStart;
  const ok = head.startsWith("HTTP/1.1 200");
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? "0");
  const page = ok && crawl && (/\r\ncontent-type:\s*text\/html/i.test(head) ||
      path === "/robots.txt")
    ? new Uint8Array(length)
    : undefined;
  let left = length;
  while (left > 0) {
    if (c.start === c.end) await fill(c);
    const piece = c.buffer.subarray(c.start, c.start + Math.min(left, c.end - c.start));
    page?.set(piece, length - left);
    const written = ok ? file.writeSync(piece) : piece.length;
    c.start += written;
    left -= written;
  }
  const modified = /\r\nlast-modified:\s*([^\r]+)/i.exec(head)?.[1];
  if (ok && modified !== undefined) {
    const date = new Date(modified);
    file.utimeSync(date, date);
  }
  file.close();
  if (!ok) Deno.removeSync(name);
  if (/\r\nconnection:\s*close/i.test(head)) {
    // nginx closes a connection after `keepalive_requests` (1,000) requests, as GNU wget sees.
    c.conn.close();
    Object.assign(c, await connect());
  }
  return page === undefined ? undefined : decoder.decode(page);
}

/** The `Disallow` prefixes of robots.txt's `User-agent: *` group. */
function readRobots(text: string): void {
  let applies = false;
  for (const line of text.split("\n")) {
    const colon = line.indexOf(":");
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).replace(/#.*/, "").trim();
    if (key === "user-agent") applies = value === "*";
    else if (key === "disallow" && applies && value !== "") disallowed.push(value);
  }
}

/** `href` joined to the page's path, or undefined when it leaves this host or is not http. */
function resolve(href: string, base: string): string | undefined {
  if (href.includes("&")) href = href.replaceAll("&amp;", "&");
  const hash = href.indexOf("#");
  if (hash >= 0) href = href.slice(0, hash);
  let path: string;
  if (href.startsWith(ORIGIN + "/")) path = href.slice(ORIGIN.length);
  else if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href)) return undefined;
  else if (href.startsWith("/")) path = href;
  else if (href.startsWith("?")) path = base.replace(/\?.*/, "") + href;
  else if (href === "") path = base;
  else path = base.replace(/\?.*/, "").replace(/[^/]*$/, "") + href;
  if (/\/\.\.?(\/|\?|$)/.test(path)) {
    const q = path.indexOf("?");
    const segments: string[] = [];
    const parts = (q < 0 ? path : path.slice(0, q)).split("/");
    for (const part of parts) {
      if (part === "..") segments.length > 1 && segments.pop();
      else if (part !== ".") segments.push(part);
    }
    const last = parts[parts.length - 1];
    if (last === "." || last === "..") segments.push("");
    path = segments.join("/") + (q < 0 ? "" : path.slice(q));
  }
  return path;
}

const LINK = /\b(href|src|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;

/** Adds the link(s) of one `href`/`src` (`srcset` false) or `srcset` value to `paths`. */
function addLinks(paths: string[], value: string, srcset: boolean, base: string): void {
  const hrefs = srcset
    ? value.split(",").map((candidate) => candidate.trim().split(/\s+/)[0]!)
    : [value.trim()];
  for (const href of hrefs) {
    const path = resolve(href, base);
    if (path !== undefined && path.startsWith(parent)) paths.push(path);
  }
}

/** The paths of the page's links on this host under the start directory (`-np`). */
function linksOf(text: string, base: string): string[] {
  if (tokenizer !== undefined) return tokenizer.linksOf(text, base);
  const paths: string[] = [];
  for (const match of text.matchAll(LINK)) {
    addLinks(paths, (match[2] ?? match[3])!, match[1]!.toLowerCase() === "srcset", base);
  }
  return paths;
}

/**
 * `linksOf` with htmlparser2's Tokenizer (`--parser htmlparser2`): one tokenizer for the run,
 * `reset()` before each page; only the three attributes' values are sliced out of the page.
 */
function tagLinkReader(htmlparser2: typeof import("npm:htmlparser2@12.0.0")) {
  let text = "";
  let base = "";
  let paths: string[] = [];
  // 0: not a link attribute, 1: href or src, 2: srcset.
  let kind = 0;
  let valueStart = -1;
  let valueEnd = -1;
  const ignore = () => {};
  const tokenizer = new htmlparser2.Tokenizer({ decodeEntities: false }, {
    onattribname(start, end) {
      const length = end - start;
      kind = 0;
      valueStart = -1;
      if (length === 4 || length === 3 || length === 6) {
        const name = text.slice(start, end).toLowerCase();
        if (name === "href" || name === "src") kind = 1;
        else if (name === "srcset") kind = 2;
      }
    },
    // One call per value here (no entities decoded, the page written whole); kept general.
    onattribdata(start, end) {
      if (valueStart < 0) valueStart = start;
      valueEnd = end;
    },
    onattribend() {
      if (kind !== 0) {
        addLinks(paths, valueStart < 0 ? "" : text.slice(valueStart, valueEnd), kind === 2, base);
      }
      kind = 0;
    },
    onattribentity: ignore,
    oncdata: ignore,
    onclosetag: ignore,
    oncomment: ignore,
    ondeclaration: ignore,
    onend: ignore,
    onopentagend: ignore,
    onopentagname: ignore,
    onprocessinginstruction: ignore,
    onselfclosingtag: ignore,
    ontext: ignore,
    ontextentity: ignore,
  });
  return {
    linksOf(page: string, pageBase: string): string[] {
      text = page;
      base = pageBase;
      paths = [];
      tokenizer.reset();
      tokenizer.write(page);
      tokenizer.end();
      return paths;
    },
  };
}

let tokenizer: ReturnType<typeof tagLinkReader> | undefined;
/**
 * In a variable, so that Deno does not resolve it before the program starts, as it does a
 * dynamic import of a string literal: without `--parser` the program stays as it was.
 */
const HTMLPARSER2 = "npm:htmlparser2@12.0.0";
/**
 * With `--parser htmlparser2`, its import, started at once (beside the connection and robots.txt's
 * request) where pages are read: not on the main thread of `--threads`.
 */
const loadingParser = parser === undefined || !crawl || (threads > 0 && !IN_WORKER)
  ? undefined
  : import(HTMLPARSER2).then((htmlparser2: typeof import("npm:htmlparser2@12.0.0")) => {
    tokenizer = tagLinkReader(htmlparser2);
  });

let next = 0;
let busy = 0;
let waiting: (() => void)[] = [];
function wake(): void {
  const resolvers = waiting;
  waiting = [];
  for (const resolve of resolvers) resolve();
}

/**
 * Takes URLs from the queue until it is empty and no other connection can add to it; `fetch`
 * saves one and returns the paths of its links (robots.txt's: its text).
 */
async function work(fetch: (path: string) => Promise<string[] | string | undefined>) {
  for (;;) {
    if (next < queue.length) {
      const path = queue[next++]!.slice(ORIGIN.length);
      busy++;
      const links = await fetch(path);
      if (typeof links === "string") readRobots(links);
      else {
        for (const link of links ?? []) {
          const url = ORIGIN + link;
          if (seen.has(url) || disallowed.some((prefix) => link.startsWith(prefix))) continue;
          seen.add(url);
          queue.push(url);
        }
      }
      busy--;
      wake();
    } else if (busy === 0) break;
    else await new Promise<void>((resolve) => waiting.push(resolve));
  }
}

/** Saves `path` over `c`; its links, or robots.txt's text. */
async function fetchOver(c: Connection, path: string): Promise<string[] | string | undefined> {
  const text = await get(c, path);
  return text === undefined || path === "/robots.txt" ? text : linksOf(text, path);
}

if (IN_WORKER) {
  // One connection per worker thread: each message is a path to save, each answer fetchOver's.
  const c = Promise.all([connect(), loadingParser]).then(([c]) => c);
  const scope = self as unknown as {
    onmessage: (event: MessageEvent<string>) => void;
    postMessage(message: unknown): void;
  };
  scope.onmessage = async (event) => scope.postMessage(await fetchOver(await c, event.data));
} else if (threads > 0) {
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(new URL(`?${encodeURIComponent(JSON.stringify(args))}`, import.meta.url), {
        type: "module",
        name: "bare-mirror",
      }),
  );
  const fetchVia = (worker: Worker) => (path: string) =>
    new Promise<string[] | string | undefined>((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.postMessage(path);
    });
  if (crawl) readRobots(((await fetchVia(workers[0]!)("/robots.txt")) as string) ?? "");
  await Promise.all(workers.map((worker) => work(fetchVia(worker))));
  for (const worker of workers) worker.terminate();
} else {
  const pool = await Promise.all(Array.from({ length: connections }, connect));
  if (crawl) readRobots((await get(pool[0]!, "/robots.txt")) ?? "");
  await loadingParser;
  await Promise.all(pool.map((c) => work((path) => fetchOver(c, path))));
  for (const c of pool) c.conn.close();
}
