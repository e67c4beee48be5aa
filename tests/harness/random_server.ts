/**
 * A seeded random site served by a scripted HTTP/1.1 server that misbehaves, for the differential
 * test of netkit's `wget -r` against GNU wget 1.21 (`tests/cmd/wget-recursive-server-random_test.ts`):
 * the same seed gives the same site, the same behaviours and the same options, so a difference
 * replays. Where `tests/harness/random_site.ts` draws the links of a site nginx serves well, this
 * draws what the server does with each URL:
 *
 * - the status: 200, 204, a redirect (301, 302, 303, 307, 308; relative or absolute `Location`, to
 *   another URL, to a 404, a chain, a loop, none at all), 401 with or without `WWW-Authenticate`,
 *   403, 404, 410, 500, 503 (with `Retry-After`, a few times before a 200);
 * - the body's framing: `Content-Length`, chunked (odd chunk sizes, an extension, trailers),
 *   neither (`Connection: close`), cut short (fewer bytes than `Content-Length`, then close, a
 *   time or two before the whole; a `Range` asked for then answered 206 or 200), an HTTP/1.0
 *   answer (closed after), `Connection: close` on an answer of a keep-alive run;
 * - the headers: `Content-Type` missing, `text/html; charset=…`, `application/xhtml+xml`,
 *   `TEXT/HTML`, `text/plain` for a `.html` name, `text/html` for a `.png` name; `Last-Modified`
 *   missing, malformed or in the future (304 to a matching `If-Modified-Since`, or not);
 *   `Content-Disposition`; `Content-Encoding: gzip`; `Set-Cookie`.
 *
 * The server records each request (connection, method, target and the headers a difference shows
 * in: Range, If-Modified-Since, Connection, Cookie), and starts afresh for each run
 * ({@linkcode RandomServer.reset}): the n-th request for a URL is answered the same in both runs.
 *
 * @module
 */

import { gzipSync } from "node:zlib";
import { reasonPhrase } from "../../lib/http/_status_text.ts";
import { randomDraws, seededRandom } from "./seeded_random.ts";
import { acceptConnections } from "./accept_loop.ts";

/** What the server does with one URL. */
export interface Behaviour {
  status: number;
  /**
   * Header lines besides the framing, `@ORIGIN@` standing for `http://127.0.0.1:PORT`, `@OTHER@`
   * for `http://localhost:PORT`.
   */
  headers: [string, string][];
  /** The body (a page's with `@ORIGIN@` placeholders). */
  body: string | Uint8Array;
  /** How the body is framed. */
  framing: "length" | "chunked" | "close" | "short" | "http10";
  /** Say `Connection: close` and close after the answer. */
  close: boolean;
  /** Chunk sizes, cycled (chunked). */
  chunks: number[];
  /** Trailer lines after the last chunk (chunked). */
  trailers: string[];
  /** For `short`: how many answers are cut, and where (a fraction of what was to come). */
  cuts: number[];
  /** For `short`: a later `Range` is answered 206 (else 200 with the whole body). */
  honoursRange: boolean;
  /** For 503: how many answers are 503 before the 200 this behaviour has otherwise. */
  failures: number;
  /** Answer 304 to an `If-Modified-Since` not older than `Last-Modified`. */
  honoursIms: boolean;
  /**
   * Framed by length: say a `Content-Length` this many bytes short of the body sent (seeds
   * above 1,300,000).
   */
  overrun?: number;
  /** A HEAD is answered with this status instead (a server that knows no HEAD: 501). */
  headStatus?: number;
  /**
   * The requests for the path (the first is 1, HEADs counted too) met with a close and no answer
   * at all: GNU's "No data received.", a failed try (hand-written sites only).
   */
  unanswered?: number[];
}

/** One generated case. */
export interface RandomServerSite {
  /** URL path (escaped, with query) → behaviour; any other path is a plain 404. */
  urls: Record<string, Behaviour>;
  /** The path the run starts from. */
  start: string;
  /** The options, the same for both wgets (`-nv` and `-P` aside). */
  args: string[];
  /** Whether a second run goes into the same directories (`-N`, `-m`). */
  again: boolean;
  /**
   * What the server answers otherwise in the second run (seeds above 1,200,000): path →
   * behaviour, put over `urls` before it.
   */
  changed?: Record<string, Behaviour>;
}

const encoder = new TextEncoder();

/** A Last-Modified time of the past (the site's), one of the future, and a malformed one. */
export const SITE_TIME = "Wed, 01 Jan 2020 00:00:00 GMT";
const FUTURE_TIME = "Fri, 01 Jan 2100 00:00:00 GMT";
const MALFORMED_TIMES = ["yesterday", "Wed, 32 Foo 2020 99:00:00 GMT", "0"];

/** The site, its behaviours and the options of `seed`. */
export function randomServerSite(seed: number): RandomServerSite {
  const { random, int, pick, chance } = randomDraws(seed);

  // The URLs: pages, images, texts and names without an extension in three directories.
  const dirs = ["/", "/d/", "/d/e/", "/x/"];
  const paths: string[] = ["/", "/d/"];
  const count = int(10, 30);
  for (let i = 0; paths.length < count && i < count * 3; i++) {
    const name = pick(["p", "p", "p", "i", "t", "n", "r", "r"]) + int(1, 60);
    const ext = name.startsWith("p")
      ? pick([".html", ".html", ".htm"])
      : name.startsWith("i")
      ? ".png"
      : name.startsWith("t")
      ? ".txt"
      : name.startsWith("r")
      ? ".html"
      : "";
    const path = pick(dirs) + name + ext;
    if (!paths.includes(path)) paths.push(path);
  }

  /** A link from a page at `from` to `to`: relative, root-relative or absolute. */
  const link = (from: string, to: string): string => {
    const form = pick(["relative", "relative", "root", "absolute"]);
    if (form === "root") return to;
    if (form === "absolute") return `@ORIGIN@${to}`;
    const fromDir = from.slice(0, from.lastIndexOf("/") + 1).split("/").filter(Boolean);
    const toParts = to.split("/").filter(Boolean);
    const toDir = to.endsWith("/") ? toParts : toParts.slice(0, -1);
    let common = 0;
    while (common < fromDir.length && common < toDir.length && fromDir[common] === toDir[common]) {
      common++;
    }
    const rest = toParts.slice(common).join("/") +
      (to.endsWith("/") && toParts.length > common ? "/" : "");
    const path = "../".repeat(fromDir.length - common) + rest;
    return path === "" ? "./" : path;
  };
  const pageBody = (from: string): string => {
    const links: string[] = [];
    for (let i = int(1, 6); i > 0; i--) {
      const to = chance(0.9) ? pick(paths) : `/gone${int(1, 3)}.html`;
      links.push(`<a href="${link(from, to)}">${to}</a>`);
    }
    const images = paths.filter((p) => p.endsWith(".png"));
    if (images.length > 0 && chance(0.5)) links.push(`<img src="${link(from, pick(images))}">`);
    return `<!DOCTYPE html>\n<html><head><title>${from}</title></head>\n<body>\n` +
      `${links.join("\n")}\n</body></html>\n`;
  };
  const bytes = (size: number) => Uint8Array.from({ length: size }, () => int(0, 255));

  const urls: Record<string, Behaviour> = {};
  const redirects: string[] = [];
  for (const path of paths) {
    const png = path.endsWith(".png");
    const text = path.endsWith(".txt");
    const behaviour = plain(200, "", { honoursIms: chance(0.7) });
    urls[path] = behaviour;
    if (path.startsWith("/r") || path.includes("/r")) {
      if (/\/r\d+\.html$/.test(path)) {
        behaviour.status = pick([301, 302, 303, 307, 308]);
        redirects.push(path);
        behaviour.body = `<html><body>Moved</body></html>\n`;
        behaviour.headers.push(["Content-Type", "text/html"]);
        continue;
      }
    }
    // The status of a page, an image or a text (the start page is a page).
    const roll = path === "/" ? 0 : random();
    if (roll < 0.62) behaviour.status = 200;
    else if (roll < 0.66) behaviour.status = 204;
    else if (roll < 0.72) behaviour.status = 401;
    else if (roll < 0.75) behaviour.status = 403;
    else if (roll < 0.8) behaviour.status = 404;
    else if (roll < 0.83) behaviour.status = 410;
    else if (roll < 0.88) behaviour.status = 500;
    else behaviour.status = 503;
    if (behaviour.status === 503) {
      behaviour.failures = int(1, 3);
      behaviour.headers.push(["Retry-After", pick(["0", "1"])]);
    }
    if (behaviour.status === 401 && chance(0.6)) {
      behaviour.headers.push(["WWW-Authenticate", 'Basic realm="netkit"']);
    }
    if (behaviour.status === 204) continue;
    const error = behaviour.status !== 200 && behaviour.status !== 503;
    // The body and its type.
    const typeRoll = random();
    if (error) {
      behaviour.body = `<html><body>Error ${behaviour.status}</body></html>\n`;
      behaviour.headers.push(["Content-Type", "text/html"]);
    } else if (png && typeRoll < 0.8) {
      behaviour.body = bytes(int(10, 300));
      behaviour.headers.push(["Content-Type", "image/png"]);
    } else if (text && typeRoll < 0.8) {
      behaviour.body = `text of ${path}\n`.repeat(int(1, 20));
      behaviour.headers.push(["Content-Type", "text/plain"]);
    } else {
      behaviour.body = pageBody(path);
      const type = pick([
        "text/html",
        "text/html",
        "text/html",
        null,
        "text/html; charset=utf-8",
        "text/html; charset=ISO-8859-1",
        "application/xhtml+xml",
        "TEXT/HTML",
        "text/plain",
      ]);
      if (type !== null) behaviour.headers.push(["Content-Type", type]);
    }
    // Last-Modified.
    const modified = random();
    if (modified < 0.6) behaviour.headers.push(["Last-Modified", SITE_TIME]);
    else if (modified < 0.7) behaviour.headers.push(["Last-Modified", FUTURE_TIME]);
    else if (modified < 0.8) behaviour.headers.push(["Last-Modified", pick(MALFORMED_TIMES)]);
    if (!error && chance(0.08)) {
      const name = `cd${int(1, 9)}${pick([".html", ".txt", ".bin", ""])}`;
      behaviour.headers.push([
        "Content-Disposition",
        pick([`attachment; filename="${name}"`, `inline; filename=${name}`, "attachment"]),
      ]);
    }
    if (chance(0.08)) {
      behaviour.headers.push(["Set-Cookie", `c${int(1, 3)}=v${int(1, 9)}; Path=/`]);
    }
    if (!error && chance(0.06)) {
      behaviour.headers.push(["Content-Encoding", "gzip"]);
      behaviour.body = gzipSync(
        typeof behaviour.body === "string" ? encoder.encode(behaviour.body) : behaviour.body,
      );
    }
    // The framing.
    const framing = random();
    if (framing < 0.5) behaviour.framing = "length";
    else if (framing < 0.65) behaviour.framing = "chunked";
    else if (framing < 0.75) behaviour.framing = "close";
    else if (framing < 0.88 && !error) behaviour.framing = "short";
    else behaviour.framing = "http10";
    if (behaviour.framing === "chunked") {
      behaviour.chunks = Array.from({ length: int(1, 3) }, () => pick([1, 3, 7, 13, 100, 4095]));
      if (chance(0.3)) behaviour.trailers = [pick(["X-Trailer: 1", "Expires: 0"])];
    }
    if (behaviour.framing === "length" || behaviour.framing === "chunked") {
      // GNU wget 1.21 reads one line after the last chunk, so a trailer leaves the blank line
      // unread, and GNU then finds the idle connection readable and opens another (netkit
      // reads the trailers and keeps it): trailers only where the answer closes anyway.
      behaviour.close = behaviour.trailers.length > 0 || chance(0.15);
    }
    // GNU wget 1.21 reads a gzip body it decodes until the server closes, so one cut short is
    // kept as decoded so far, without a retry (netkit starts it again): not drawn.
    if (
      behaviour.framing === "short" && behaviour.headers.some(([n]) => n === "Content-Encoding")
    ) {
      behaviour.framing = "length";
    }
    if (behaviour.framing === "short") {
      behaviour.cuts = Array.from({ length: int(1, 2) }, () => random());
      behaviour.honoursRange = chance(0.75);
    }
  }

  // Where the redirects go: a URL of the site, a 404, the next redirect (a chain, or a loop
  // when it comes round), nowhere (no Location).
  for (const [i, path] of redirects.entries()) {
    const behaviour = urls[path]!;
    const roll = random();
    let to: string | null;
    if (roll < 0.55) to = pick(paths.filter((p) => !redirects.includes(p)));
    else if (roll < 0.65) to = `/gone${int(1, 3)}.html`;
    else if (roll < 0.9 && redirects.length > 1) to = redirects[(i + 1) % redirects.length]!;
    else if (roll < 0.95) to = path;
    else to = null;
    if (to !== null) {
      const location = pick(["absolute", "root", "relative"]);
      behaviour.headers.push([
        "Location",
        location === "absolute" ? `@ORIGIN@${to}` : location === "root" ? to : link(path, to),
      ]);
    }
    if (chance(0.2)) behaviour.framing = pick(["close", "http10", "chunked"]);
    if (behaviour.framing === "chunked") behaviour.chunks = [5];
  }

  // robots.txt: none (404), allowing all, disallowing a directory, or a server error.
  const robots = random();
  if (robots < 0.3) {
    urls["/robots.txt"] = {
      ...plain(200, "User-agent: *\n" + pick(["Disallow:\n", "Disallow: /x/\n"])),
      headers: [["Content-Type", "text/plain"]],
    };
  } else if (robots < 0.4) urls["/robots.txt"] = plain(500, "oops\n");

  // The options.
  const args: string[] = [];
  const mode = pick(["r", "r", "np", "m", "p", "l"]);
  let start = "/";
  if (mode === "r") args.push("-r");
  if (mode === "np") args.push("-r", "-np");
  if (mode === "m") args.push("-m");
  if (mode === "p") args.push("-p", "-k");
  if (mode === "l") args.push("-r", "-l", String(int(1, 3)));
  if (mode === "np" || (mode === "p" && chance(0.5))) start = "/d/";
  if (chance(0.15)) args.push("-E");
  if (chance(0.15)) args.push("-nd");
  if (chance(0.15)) args.push("-S");
  if (mode !== "p" && chance(0.08)) args.push("--spider");
  if (mode !== "m" && chance(0.15)) args.push("-N");
  if (chance(0.4)) args.push("-t", String(int(1, 3)));
  args.push("--waitretry=0");
  const has = (name: string) =>
    Object.values(urls).some((b) => b.headers.some(([n]) => n === name));
  if (Object.values(urls).some((b) => b.status === 503) && chance(0.5)) {
    args.push("--retry-on-http-error=503");
  }
  if (has("Content-Disposition") && chance(0.5)) args.push("--content-disposition");
  if (has("Content-Encoding") && chance(0.5)) args.push("--compression=auto");
  // GNU wget closes the connection after a redirect or a 401 to a HEAD (netkit keeps it,
  // cmd/README.md): where HEADs go first (--spider, -N or -m with --content-disposition) these
  // answers say close, so both open another.
  const headFirst = args.includes("--spider") ||
    (args.includes("-N") || args.includes("-m")) && args.includes("--content-disposition");
  // And with -t 1 GNU never asks with GET after a HEAD answered 500 (its loop has no try
  // left): -t 2 there, below seed 1,800,200 (netkit said -nv's URL line twice then, and under
  // --spider sent the GET within the HEAD's try, seed 1800311: both fixed).
  const tries = args.indexOf("-t");
  if (headFirst && tries >= 0 && args[tries + 1] === "1" && seed < 1_800_200) {
    args[tries + 1] = "2";
  }
  if (headFirst) {
    for (const behaviour of Object.values(urls)) {
      if (behaviour.status === 401) behaviour.close = true;
      // GNU's --spider reads a page whose body came whole only at a second try for nothing,
      // and leaves its NAME.tmp.tmp (netkit reads it and removes it): no body cut short.
      if (args.includes("--spider") && behaviour.framing === "short") behaviour.framing = "length";
    }
    for (const path of redirects) urls[path]!.close = true;
  }
  // -E names a file stored gzip-encoded NAME.html.gz in GNU wget 1.21 (netkit NAME.html; a
  // server sends gzip only when asked, and wget asks only with --compression): not drawn.
  if (args.includes("-E") && !args.includes("--compression=auto")) {
    for (const behaviour of Object.values(urls)) {
      behaviour.headers = behaviour.headers.filter(([n]) => n !== "Content-Encoding");
    }
  }
  // Seeds above 100,000 draw besides, from a random stream of their own (so the seeds below,
  // which earlier sessions ran, stay what they were): --max-redirect (0 to 2, beside the
  // chains and loops), --trust-server-names, and redirects to the other name of the server.
  if (seed > 100_000) {
    const more = seededRandom(seed * 15485863 + 31);
    if (redirects.length > 0 && more() < 0.3) {
      args.push(`--max-redirect=${Math.floor(more() * 3)}`);
    }
    if (more() < 0.15) args.push("--trust-server-names");
    // Redirects to the server's other name (`@OTHER@`: `http://localhost:PORT`), followed only
    // under -H, which some seeds give with -D for both names.
    if (more() < 0.3) {
      for (const path of redirects) {
        const location = urls[path]!.headers.find(([name]) => name === "Location");
        if (location && more() < 0.5) {
          location[1] = location[1].startsWith("@ORIGIN@")
            ? location[1].replace("@ORIGIN@", "@OTHER@")
            : `@OTHER@${new URL(location[1], `http://h${path}`).pathname}`;
        }
      }
      if (more() < 0.5) args.push("-H", "-D", "localhost,127.0.0.1");
    }
  }
  const again = args.includes("-N") || args.includes("-m");
  const changed: Record<string, Behaviour> = {};
  if (seed > 1_200_000) newerDimensions(seed, urls, args, again, changed);
  if (seed > 1_300_000) wrongLengths(seed, urls, args);
  if (seed > 1_500_000) fourteenDimensions(seed, urls, args, again);
  if (seed > 3_800_000) headAnswers(seed, urls, args);
  return { urls, start, args, again, changed };
}

/** A Last-Modified newer than the site's, and one older. */
const NEWER_TIME = "Tue, 01 Jun 2021 00:00:00 GMT";
const OLDER_TIME = "Tue, 01 Jan 2019 00:00:00 GMT";

/**
 * What seeds above 1,200,000 draw besides, from a random stream of their own (so the seeds
 * below, which earlier sessions ran, stay what they were): links with a query to a page (a URL of
 * its own, answered as the page, `-E` naming it `NAME?q=1.html`), `-k` and `-K` beside the other
 * options, and for a second run (`-N`, `-m`) answers changed in between: a newer or older
 * `Last-Modified` with a longer body or one of the same size, a page gone (404) or its time gone.
 */
function newerDimensions(
  seed: number,
  urls: Record<string, Behaviour>,
  args: string[],
  again: boolean,
  changed: Record<string, Behaviour>,
): void {
  const random = seededRandom(seed * 67867967 + 43);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const pages = Object.keys(urls).filter((path) =>
    urls[path]!.status === 200 && typeof urls[path]!.body === "string" &&
    urls[path]!.body.includes("<a href")
  );
  if (pages.length > 0 && chance(0.4)) {
    for (let i = 1 + Math.floor(random() * 3); i > 0; i--) {
      const path = pick(pages);
      const query = pick(["?q=1", "?a=1&b=2", "?x", "?p=a%2Fb"]);
      const target = `${path}${query}`;
      urls[target] = { ...urls[path]!, headers: [...urls[path]!.headers] };
      const from = pick(pages);
      const page = urls[from]!;
      const href = pick([target, `@ORIGIN@${target}`]).replace("&", "&amp;");
      page.body = (page.body as string).replace("</body>", `<a href="${href}">q</a>\n</body>`);
    }
  }
  if (!args.includes("-k") && !args.includes("--spider") && chance(0.12)) {
    // (-K beside a second run: else -N's time is the conversion's, GNU's manual says so.)
    args.push("-k", ...(again || chance(0.5) ? ["-K"] : []));
  }
  if (!again || !chance(0.6)) return;
  const served = Object.keys(urls).filter((path) =>
    urls[path]!.status === 200 && urls[path]!.framing !== "short" &&
    !urls[path]!.headers.some(([name]) => name === "Content-Encoding")
  );
  for (let i = 1 + Math.floor(random() * 3); i > 0 && served.length > 0; i--) {
    const path = pick(served);
    const was = urls[path]!;
    const kind = pick(["newer", "newer", "older", "same-size", "gone", "untimed"]);
    const headers = was.headers.filter(([name]) => name !== "Last-Modified");
    const body = typeof was.body === "string" ? was.body : new TextDecoder().decode(was.body);
    if (kind === "gone") changed[path] = plain(404, "<html><body>Gone</body></html>\n");
    else if (kind === "untimed") changed[path] = { ...was, headers };
    else {
      const time = kind === "older" ? OLDER_TIME : NEWER_TIME;
      const edited = kind === "same-size"
        ? body.replace(/.$/s, "Z")
        : body.includes("</body>")
        ? body.replace("</body>", '<a href="/added.html">added</a></body>')
        : body + "more\n";
      changed[path] = {
        ...was,
        headers: [...headers, ["Last-Modified", time]],
        body: edited,
      };
    }
  }
  if (Object.keys(changed).length > 0) {
    changed["/added.html"] = plain(200, "<html><body>added</body></html>\n", {
      headers: [["Content-Type", "text/html"], ["Last-Modified", NEWER_TIME]],
    });
  }
}

/**
 * What seeds above 1,300,000 draw besides, from a random stream of their own: a `Content-Length`
 * shorter than the body sent (the rest left on the connection, which closes after or not), and
 * `--ignore-length` (both then ask with `Connection: close` and read to the end; the server
 * closes when asked to).
 */
function wrongLengths(seed: number, urls: Record<string, Behaviour>, args: string[]): void {
  const random = seededRandom(seed * 32452867 + 53);
  const chance = (p: number) => random() < p;
  for (const path of Object.keys(urls)) {
    const behaviour = urls[path]!;
    if (
      behaviour.framing === "length" && behaviour.body.length > 2 &&
      !behaviour.headers.some(([name]) => name === "Content-Encoding") && chance(0.15)
    ) {
      behaviour.overrun = 1 + Math.floor(random() * Math.min(behaviour.body.length - 1, 40));
      // (A close drawn before stays: GNU closes after a HEAD's redirect, see above.)
      const closes = chance(0.5);
      behaviour.close ||= closes;
    }
  }
  if (chance(0.2)) args.push("--ignore-length");
}

/**
 * What seeds above 1,500,000 draw besides, from a random stream of their own:
 * `Content-Disposition` in other forms (`filename*=UTF-8''`, capitals, no quotes, a blank in
 * the name), `Content-Type` in mixed case with a charset or blanks, `--content-on-error`, and
 * `--no-if-modified-since` beside `-N` and `-m` (HEADs then go first: the answers GNU closes
 * after say close, as above).
 */
function fourteenDimensions(
  seed: number,
  urls: Record<string, Behaviour>,
  args: string[],
  again: boolean,
): void {
  const { int, pick, chance } = randomDraws(seed * 179424691 + 61);
  for (const behaviour of Object.values(urls)) {
    if (behaviour.status !== 200) continue;
    const type = behaviour.headers.find(([name]) => name === "Content-Type");
    if (type !== undefined && type[1] === "text/html" && chance(0.3)) {
      type[1] = pick([
        "Text/HTML;Charset=UTF-8",
        'text/html ; charset="utf-8"',
        "TEXT/html;charset=iso-8859-1",
        "text/html;",
      ]);
    }
    if (!behaviour.headers.some(([name]) => name === "Content-Disposition") && chance(0.06)) {
      const name = `cd${int(1, 9)}${pick([".html", ".txt", ""])}`;
      behaviour.headers.push([
        "Content-Disposition",
        pick([
          `attachment; filename*=UTF-8''${name}`,
          `ATTACHMENT; FILENAME=${name}`,
          `inline;filename="x ${name}"`,
          `attachment; filename="${name}"; size=3`,
        ]),
      ]);
    }
  }
  const has = (name: string) =>
    Object.values(urls).some((b) => b.headers.some(([n]) => n === name));
  let heads = false;
  if (has("Content-Disposition") && !args.includes("--content-disposition") && chance(0.3)) {
    args.push("--content-disposition");
    heads = again;
  }
  if (chance(0.12)) args.push("--content-on-error");
  if (again && !args.includes("--spider") && chance(0.3)) {
    args.push("--no-if-modified-since");
    heads = true;
  }
  if (heads) {
    const tries = args.indexOf("-t");
    if (tries >= 0 && args[tries + 1] === "1") args[tries + 1] = "2";
    for (const behaviour of Object.values(urls)) {
      if (behaviour.status === 401 || behaviour.status >= 300 && behaviour.status < 400) {
        behaviour.close = true;
      }
    }
  }
}

/**
 * What seeds above 3,800,000 draw besides, from a random stream of their own, where HEADs go
 * first (`--spider`, `-N` or `-m` with `--content-disposition` or `--no-if-modified-since`, `-c`
 * with `--content-disposition`): a HEAD answered otherwise than the GET, as by a server that knows
 * no HEAD (501) or fails it (500), and a redirect whose HEAD is answered 200, so that its GET
 * is redirected after the HEAD (GNU's retrieve_url then asks for the target with HEAD first).
 */
function headAnswers(seed: number, urls: Record<string, Behaviour>, args: string[]): void {
  const { pick, chance } = randomDraws(seed * 15485867 + 71);
  const timestamps = args.includes("-N") || args.includes("-m");
  const heads = args.includes("--spider") ||
    args.includes("--content-disposition") && (timestamps || args.includes("-c")) ||
    timestamps && args.includes("--no-if-modified-since");
  if (!heads) return;
  for (const behaviour of Object.values(urls)) {
    if (!chance(0.2)) continue;
    const redirect = behaviour.status >= 300 && behaviour.status < 400;
    behaviour.headStatus = redirect ? pick([200, 200, 500, 501]) : pick([500, 501]);
  }
}

/**
 * netkit's `--max-threads` for `seed`'s run (GNU wget 1.21 fetches one URL at a time): 1 for
 * about two seeds in three, else 2 to 4, from a stream of its own so that the site, its
 * behaviours and the options stay those of the seed.
 */
export function randomServerThreads(seed: number): number {
  const random = seededRandom(seed * 7919 + 3);
  return random() < 0.65 ? 1 : 2 + Math.floor(random() * 3);
}

/**
 * A behaviour that answers `status` with `body` framed by its length, and `more` over that (for
 * hand-written sites: `plain(200, "<a href=x.html>x</a>", { headers: [["Content-Type",
 * "text/html"]] })`).
 */
export function plain(status: number, body: string, more: Partial<Behaviour> = {}): Behaviour {
  return {
    status,
    headers: [],
    body,
    framing: "length",
    close: false,
    chunks: [],
    trailers: [],
    cuts: [],
    honoursRange: true,
    failures: 0,
    honoursIms: false,
    ...more,
  };
}

/** A running server of a {@linkcode RandomServerSite}. */
export interface RandomServer extends AsyncDisposable {
  port: number;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** The requests since the last reset, one line each. */
  requests: string[];
  /** Forgets the requests and how often each URL was asked for, and closes open connections. */
  reset(): Promise<void>;
}

/** One request as the server read it. */
interface Request {
  method: string;
  target: string;
  header(name: string): string | undefined;
}

/** The bytes of the answer to `request`, and whether the connection closes after them. */
function answer(
  site: RandomServerSite,
  origin: string,
  request: Request,
  attempt: number,
): { bytes: Uint8Array; close: boolean } {
  const path = request.target;
  const behaviour = site.urls[path] ?? plain(404, "<html><body>Not here</body></html>\n");
  if (behaviour.unanswered?.includes(attempt)) return { bytes: new Uint8Array(0), close: true };
  const fill = (text: string) =>
    text.replaceAll("@ORIGIN@", origin)
      .replaceAll("@OTHER@", origin.replace("//127.0.0.1:", "//localhost:"));
  let body = typeof behaviour.body === "string"
    ? encoder.encode(fill(behaviour.body))
    : behaviour.body;
  let status = behaviour.status;
  let headers = behaviour.headers.map(([n, v]): [string, string] => [n, fill(v)]);
  if (status === 503 && attempt > behaviour.failures) {
    status = 200;
    headers = headers.filter(([n]) => n !== "Retry-After");
  }
  if (request.method === "HEAD" && behaviour.headStatus !== undefined) {
    status = behaviour.headStatus;
  }
  const lastModified = headers.find(([n]) => n === "Last-Modified")?.[1];
  const ims = request.header("If-Modified-Since");
  if (
    status === 200 && behaviour.honoursIms && ims !== undefined && lastModified !== undefined &&
    !Number.isNaN(Date.parse(lastModified)) && !Number.isNaN(Date.parse(ims)) &&
    Date.parse(ims) >= Date.parse(lastModified)
  ) {
    return { bytes: head("HTTP/1.1", 304, headers, behaviour.close), close: behaviour.close };
  }
  const headOnly = request.method === "HEAD";
  let framing = behaviour.framing;
  // A cut answer, then (Range or not) the rest.
  const range = request.header("Range")?.match(/^bytes=(\d+)-$/);
  let cutAt: number | null = null;
  if (framing === "short") {
    const from = range ? Number(range[1]) : 0;
    if (range && behaviour.honoursRange && from < body.length) {
      headers.push(["Content-Range", `bytes ${from}-${body.length - 1}/${body.length}`]);
      status = 206;
      body = body.subarray(from);
    }
    const cut = behaviour.cuts[attempt - 1];
    // (A HEAD has no body to cut: answered whole, kept open.)
    if (cut !== undefined && !headOnly) cutAt = Math.floor(cut * body.length);
    framing = "length";
  }
  const version = framing === "http10" ? "HTTP/1.0" : "HTTP/1.1";
  const noBody = status === 204 || headOnly;
  if (framing === "chunked") headers.push(["Transfer-Encoding", "chunked"]);
  else if (framing !== "close" && status !== 204) {
    const overrun = cutAt === null && behaviour.overrun !== undefined ? behaviour.overrun : 0;
    headers.push(["Content-Length", String(body.length - overrun)]);
  }
  const close = behaviour.close || framing === "close" || framing === "http10" ||
    cutAt !== null;
  let rest: Uint8Array = new Uint8Array(0);
  if (!noBody) {
    if (cutAt !== null) rest = body.subarray(0, cutAt);
    else if (framing === "chunked") rest = chunked(body, behaviour.chunks, behaviour.trailers);
    else rest = body;
  }
  // An HTTP/1.0 answer says close too: GNU wget 1.21 takes one without it for keep-alive and,
  // when the server's close has not arrived yet, sends the next request on it ("No data
  // received.", a retry): a race, not compared.
  const top = head(
    version,
    status,
    headers,
    behaviour.close || framing === "close" || framing === "http10",
  );
  const bytes = new Uint8Array(top.length + rest.length);
  bytes.set(top);
  bytes.set(rest, top.length);
  return { bytes, close };
}

function head(version: string, status: number, headers: [string, string][], close: boolean) {
  let text = `${version} ${status} ${reasonPhrase(status)}\r\n`;
  for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
  if (close) text += "Connection: close\r\n";
  return encoder.encode(text + "\r\n");
}

function chunked(body: Uint8Array, sizes: number[], trailers: string[]): Uint8Array {
  const parts: string[] = [];
  const out: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; offset < body.length; i++) {
    const size = Math.min(sizes[i % sizes.length] ?? 100, body.length - offset);
    out.push(encoder.encode(`${size.toString(16)}${i === 1 ? ";ext=1" : ""}\r\n`));
    out.push(body.subarray(offset, offset + size), encoder.encode("\r\n"));
    offset += size;
  }
  parts.push("0\r\n", ...trailers.map((t) => `${t}\r\n`), "\r\n");
  out.push(encoder.encode(parts.join("")));
  const all = new Uint8Array(out.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of out) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/** Serves `site` on 127.0.0.1, port 0. */
export function startRandomServer(site: RandomServerSite): RandomServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const origin = `http://127.0.0.1:${listener.addr.port}`;
  const requests: string[] = [];
  const attempts = new Map<string, number>();

  const serve = async (conn: Deno.Conn, connection: number) => {
    let buffer = new Uint8Array(0);
    const chunk = new Uint8Array(16 * 1024);
    while (true) {
      let end = -1;
      while ((end = findHeadEnd(buffer)) < 0) {
        const n = await conn.read(chunk);
        if (n === null) return;
        const joined = new Uint8Array(buffer.length + n);
        joined.set(buffer);
        joined.set(chunk.subarray(0, n), buffer.length);
        buffer = joined;
      }
      const text = new TextDecoder().decode(buffer.subarray(0, end));
      buffer = buffer.slice(end + 4);
      const [line = "", ...lines] = text.split("\r\n");
      const [method = "", target = ""] = line.split(" ");
      const header = (name: string) =>
        lines.find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
          ?.slice(name.length + 1).trim();
      const attempt = (attempts.get(target) ?? 0) + 1;
      attempts.set(target, attempt);
      requests.push(
        [
          `#${connection}`,
          method,
          target,
          ...["Range", "If-Modified-Since", "Connection", "Cookie", "Accept-Encoding"]
            .flatMap((name) => header(name) === undefined ? [] : [`${name}=${header(name)}`])
            // (GNU says Keep-Alive, netkit keep-alive: the same token.)
            .map((field) => field.startsWith("Connection=") ? field.toLowerCase() : field)
            // (A Range asks for stored bytes: netkit says identity, GNU gzip, cmd/README.md.)
            .filter((field) =>
              !(field.startsWith("Accept-Encoding=") && header("Range") !== undefined)
            )
            // (GNU sends the cookies in its own order, newest first by its chain's accident.)
            .map((field) =>
              field.startsWith("Cookie=")
                ? `Cookie=${field.slice(7).split("; ").sort().join("; ")}`
                : field
            )
            // (A file's time the server did not give is the run's, which differs by a second.)
            .map((field) =>
              field.startsWith("If-Modified-Since=") &&
                Math.abs(Date.parse(field.slice(18)) - Date.now()) < 24 * 3600_000
                ? "If-Modified-Since=now"
                : field
            ),
        ].join(" "),
      );
      const { bytes, close } = answer(site, origin, { method, target, header }, attempt);
      let offset = 0;
      while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
      // (Asked to close, under --ignore-length: both read the body to the end.)
      const asked = site.args.includes("--ignore-length") &&
        /close/i.test(header("Connection") ?? "");
      if (close || asked) return;
    }
  };

  const connections = acceptConnections(listener, serve);

  return {
    port: listener.addr.port,
    origin,
    requests,
    async reset() {
      await connections.reset();
      requests.length = 0;
      attempts.clear();
    },
    async [Symbol.asyncDispose]() {
      await connections.close();
    },
  };
}

function findHeadEnd(buffer: Uint8Array): number {
  for (let i = 0; i + 3 < buffer.length; i++) {
    if (buffer[i] === 13 && buffer[i + 1] === 10 && buffer[i + 2] === 13 && buffer[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}
