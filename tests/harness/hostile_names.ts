/**
 * Seeded random cases for the differential test of the names `wget -r` gives files on disk
 * (`tests/cmd/wget-recursive-names-random_test.ts`): link names and redirect targets that stress
 * the name on disk (`..`, `.`, `%2e%2e`, `%2E.`, `%2f`, `%5c`, `\`, `%00`, control bytes, `//`,
 * `/./`, trailing dots and blanks, names of 200–300 bytes and paths over 4096 bytes, UTF-8 and
 * invalid UTF-8, names that differ only in case, `?`, `*`, `:`), served by a scripted server
 * (nginx refuses `%00` and `%2f` and answers `..` above the root with 400), with a random option
 * set (`-r`, `-m`, `-p -k`, `-nd`, `-x`, `-nH --cut-dirs=N`, `-P DIR`, `--protocol-directories`,
 * `-E`, `--restrict-file-names=…`), and what the user already has in the directory before the
 * run: an `index.html`, `x.1`, read-only files, a file where a directory is needed, a directory
 * where a file is needed, and symbolic links planted in the tree that point outside it.
 *
 * The server answers every request target from the target alone, so the site stays the same
 * whichever way a wget spells a URL: a target it knows (compared by {@linkcode looseKey}) is its
 * page or redirect; a name with `missing` in it is a 404; another name ending in `.html`, `.htm`
 * or `/` is a page without links; anything else is bytes made from the name.
 *
 * @module
 */

import { type RawHandler, send, startRawServer } from "./raw_http_server.ts";
import { seededRandom } from "./seeded_random.ts";

/** Something the user has in the run's directory before the run, by path under it. */
export interface Plant {
  /** The path below the run's directory (`@HOST@` stands for `127.0.0.1:PORT`). */
  path: string;
  kind:
    | "file"
    | "readonly"
    | "unreadable"
    | "dir"
    | "link-to-outside-dir"
    | "link-to-outside-file"
    | "dangling-link";
}

/** One generated case. */
export interface HostileCase {
  /** Pages with links, by loose key; `@HOST@` stands for `127.0.0.1:PORT`. */
  pages: Map<string, string>;
  /** Redirects by loose key: status and Location (`@HOST@` as above). */
  redirects: Map<string, { status: number; location: string }>;
  /** The start URL's path. */
  start: string;
  /** The options, the same for both wgets, `-P DIR` included when drawn. */
  args: string[];
  /** `-P`'s directory below the directory both run in, or "" for none. */
  prefix: string;
  /** What the run's directory holds before the run. */
  plants: Plant[];
  /** The kinds of hostile names the case holds, for the report. */
  features: Set<string>;
}

/** Path segments as a link may write them, each with the feature it exercises. */
const SEGMENTS: [string, string][] = [
  ["..", "dotdot"],
  [".", "dot"],
  ["%2e%2e", "escaped-dotdot"],
  ["%2E.", "escaped-dotdot"],
  [".%2e", "escaped-dotdot"],
  ["%2e", "escaped-dot"],
  ["a%2fb", "escaped-slash"],
  ["%2F", "escaped-slash"],
  ["..%2f..%2fsecret", "escaped-slash"],
  ["%2e%2e%2f%2e%2e%2fetc", "escaped-slash"],
  ["a%5cb", "escaped-backslash"],
  ["a\\b", "backslash"],
  ["%00x", "nul"],
  ["a%00", "nul"],
  ["c%01d", "control"],
  ["e%1bf", "control"],
  ["g%7fh", "control"],
  ["nl%0Ax", "control"],
  ["tab%09x", "control"],
  ["", "empty-segment"],
  ["dots.", "trailing-dot"],
  ["dots..", "trailing-dot"],
  ["blank%20", "trailing-blank"],
  ["%20lead", "leading-blank"],
  ["caf%C3%A9", "utf8"],
  ["caf\u00e9", "utf8"],
  ["%E2%82%AC", "utf8"],
  ["bad%ff", "invalid-utf8"],
  ["half%C3", "invalid-utf8"],
  ["%C0%AF", "invalid-utf8"],
  ["Case", "case"],
  ["CASE", "case"],
  ["case", "case"],
  ["q%3Fx", "question"],
  ["st*r", "star"],
  ["st%2Ar", "star"],
  ["co:lon", "colon"],
  ["a%3Ab", "colon"],
  ["pipe|x", "pipe"],
  ["lt%3Cgt%3E", "windows"],
  ["quo%22te", "windows"],
  ["hash%23x", "hash"],
  ["pct%25", "percent"],
  ["pct%2541", "percent"],
];

/**
 * The features of links netkit resolves as browsers do (WHATWG URL), where GNU wget 1.21 asks for
 * them as written (cmd/README.md's wget section): `\` is `/`, `%2e%2e` is `..`, `%2e` is `.`, and
 * `|` goes out as it is (GNU: `%7C`).
 */
export const BROWSER_READS = ["backslash", "escaped-dotdot", "escaped-dot", "pipe"];

const EXTENSIONS = [".html", ".html", "", ".png", ".txt", ".HTML", ".htm"];

/** A name of 200–300 bytes: ASCII, two-byte letters, or escapes across GNU's cut. */
function longName(
  int: (min: number, max: number) => number,
  pick: <T>(i: readonly T[]) => T,
  features: Set<string>,
) {
  const length = int(200, 300);
  return pick([
    () => "L".repeat(length),
    () => "%C3%A9".repeat(Math.ceil(length / 2)),
    () => {
      const escape = pick(["%2F", "%C3%A9", "%00", "%0A", "\u00e9"]);
      // GNU cuts an escape it makes (`%2F`) that does not fit and keeps the bytes that were
      // in its buffer there (cmd/README.md): the names are compared on their first bytes.
      if (/^%(2F|00|0A)$/.test(escape)) features.add("escape-at-cut");
      return "x".repeat(int(230, 238)) + escape + "tail";
    },
    () => "\u00e9".repeat(Math.ceil(length / 2)),
    () => "a".repeat(int(233, 237)) + pick([".html", ".png", "?q=1"]),
  ])();
}

/** Escapes `text` for a double-quoted HTML attribute. */
function attribute(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll('"', "&quot;").replaceAll("<", "&lt;");
}

/**
 * The key by which the server knows a request target: its bytes with the `%XX` escapes decoded,
 * but `%2F` and `%25` (in upper case), so `caf%C3%A9` and `café`, `a%5cb` and `a\b` are one.
 */
export function looseKey(target: string): string {
  const bytes = new TextEncoder().encode(target);
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x25 && i + 2 < bytes.length) {
      const hex = String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        const code = parseInt(hex, 16);
        out += code === 0x2f || code === 0x25 ? `%${hex.toUpperCase()}` : String.fromCharCode(code);
        i += 2;
        continue;
      }
    }
    out += String.fromCharCode(byte);
  }
  return out;
}

/** The case of `seed`. */
export function hostileCase(seed: number): HostileCase {
  const random = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const features = new Set<string>();
  // Most cases leave out the links netkit resolves as browsers do, where GNU differs on purpose
  // (cmd/README.md): those are checked for safety only.
  const browserOnly = chance(0.25);
  // Bytes that are no part of a UTF-8 character, in a few cases: GNU writes them raw, netkit as
  // `%XX`, so -k's links to them and long names with them are compared for safety only.
  const rawBytes = chance(0.3);

  const segment = (): string => {
    if (chance(0.12)) {
      features.add("long-name");
      return longName(int, pick, features);
    }
    for (;;) {
      const [text, feature] = pick(SEGMENTS);
      if (!browserOnly && BROWSER_READS.includes(feature)) continue;
      if (!rawBytes && feature === "invalid-utf8") continue;
      features.add(feature);
      return text;
    }
  };
  const fileName = (): string => {
    const base = chance(0.3) ? pick(["page", "index", "x", "Page", "PAGE"]) : segment();
    return base + pick(EXTENSIONS);
  };

  const pages = new Map<string, string>();
  const redirects = new Map<string, { status: number; location: string }>();
  /** Hub pages: a directory below the root (plain or hostile) with a page of its own links. */
  const hubs: string[] = ["/"];
  for (let i = int(1, 4); i > 0; i--) {
    const depth = int(1, 3);
    const parts = Array.from(
      { length: depth },
      () => chance(0.5) ? pick(["d", "sub", "Dir"]) : segment(),
    );
    hubs.push("/" + parts.join("/") + "/");
  }
  // Now and then a path over 4096 bytes: directories of 240 bytes each, cut to 236 on disk.
  if (chance(0.15)) {
    features.add("path-over-4096");
    hubs.push(
      "/" + Array.from({ length: int(17, 19) }, (_, i) => `${i}`.padEnd(240, "d")).join("/") + "/",
    );
  }
  const plainDirs = ["linkdir", "filedir", "d"];

  /** A link from the hub page at `from` to somewhere hostile. */
  const href = (from: string): string => {
    const r = random();
    let path: string;
    if (r < 0.15 && hubs.length > 1) {
      path = pick(hubs);
    } else if (r < 0.25) {
      path = `/${pick(plainDirs)}/${fileName()}`;
    } else if (r < 0.32) {
      path = `/r${int(1, 3)}`;
    } else if (r < 0.36) {
      path = `/missing${int(1, 3)}.html`;
    } else if (r < 0.44) {
      path = pick([
        "/index.html",
        "/x",
        "/page.html",
        "/ro.html",
        "/leafdir.html",
        "/linkfile.html",
      ]);
    } else {
      const parts = Array.from({ length: int(0, 2) }, segment);
      path = (chance(0.5) ? "/" : "") + [...parts, fileName()].join("/");
      if (chance(0.1)) path = path.replace("/", pick(["//", "/./", "/../"]));
    }
    const form = pick(["as-is", "as-is", "absolute", "relative-up"]);
    if (form === "absolute" && path.startsWith("/")) path = `http://@HOST@${path}`;
    if (form === "relative-up" && path.startsWith("/")) {
      path = "../".repeat(from.split("/").length - 2 + int(0, 2)) + path.slice(1);
    }
    // Not `//NAME`, a link to the host NAME (one no URL can hold, as `hash%23x`, is not followed
    // and -k leaves it as written, where GNU makes it absolute: cmd/README.md).
    if (path.startsWith("//")) path = `/d${path}`;
    if (chance(0.15)) {
      features.add("query");
      path += pick(["?x=1", "?a/b", "?..", "?%2e%2e/x", "?q=*:?", "?", "?%00", "?a%2Fb"]);
    }
    if (chance(0.08)) path += "#frag";
    return path;
  };

  for (const hub of hubs) {
    const links: string[] = [];
    for (let i = int(3, 10); i > 0; i--) {
      links.push(`<a href="${attribute(href(hub))}">${i}</a>`);
    }
    if (chance(0.4)) links.push(`<img src="${attribute(href(hub))}" alt="">`);
    pages.set(
      looseKey(hub),
      `<!DOCTYPE html>\n<html><body>\n${links.join("\n")}\n</body></html>\n`,
    );
  }
  // The pages below the planted directory and links.
  pages.set(
    looseKey("/linkdir/"),
    `<html><body><a href="in.html">in</a> <a href="../linkfile.html">f</a></body></html>\n`,
  );
  pages.set(
    looseKey("/filedir/"),
    `<html><body><a href="in.html">in</a> <a href="/leafdir.html">d</a></body></html>\n`,
  );
  if (!hubs.includes("/linkdir/")) {
    pages.set(
      looseKey("/"),
      pages.get(looseKey("/"))!.replace(
        "</body>",
        `<a href="/linkdir/">l</a> <a href="/filedir/">f</a> <a href="/linkfile.html">lf</a>\n</body>`,
      ),
    );
  }

  // Redirects to hostile targets.
  for (let i = 1; i <= 3; i++) {
    features.add("redirect");
    const target = pick([
      () => "/../../up.html",
      () => browserOnly ? (features.add("escaped-dotdot"), "/%2e%2e/%2e%2e/up2.html") : "/up2.html",
      () => "http://@HOST@/a/../../../z.html",
      () => "/%2fetc%2fpasswd",
      () => "../../../rel.html",
      () => `/${longName(int, pick, features)}`,
      () => "/caf%C3%A9/",
      () => `/${segment()}/${fileName()}`,
      () => "/linkdir/in.html",
      () => "/linkfile.html",
      () => "/r" + (i % 3 + 1),
    ])();
    redirects.set(looseKey(`/r${i}`), { status: pick([301, 302]), location: target });
  }

  // The options.
  const args: string[] = [];
  args.push(...pick([["-r"], ["-r"], ["-m"], ["-p", "-k"], ["-r", "-l", "2"], ["-r", "-k"]]));
  const layout = random();
  if (layout < 0.15) args.push("-nd");
  else if (layout < 0.3) args.push("-nH", `--cut-dirs=${int(0, 3)}`);
  else if (layout < 0.4) args.push("--protocol-directories");
  else if (layout < 0.45) args.push("-x");
  if (chance(0.25)) args.push("-E");
  if (!args.includes("-k") && chance(0.15)) args.push("-k");
  if (chance(0.45)) {
    args.push(
      `--restrict-file-names=${
        pick([
          "unix",
          "windows",
          "ascii",
          "lowercase",
          "uppercase",
          "nocontrol",
          "windows,lowercase",
          "ascii,uppercase",
          "unix,nocontrol",
        ])
      }`,
    );
  }
  const prefix = chance(0.6) ? pick(["out", "a/b", "o"]) : "";
  if (prefix !== "") args.push("-P", pick([prefix, `./${prefix}`, `${prefix}/`]));

  // What is there before: at the site's root on disk, as the layout places it.
  const nd = args.includes("-nd");
  const cut = Number(args.find((a) => a.startsWith("--cut-dirs="))?.slice(11) ?? 0);
  const host = args.includes("-nH") ? "" : "@HOST@/";
  const base = (prefix === "" ? "" : `${prefix}/`) +
    (nd ? "" : (args.includes("--protocol-directories") ? "http/" : "") + host);
  const plants: Plant[] = [];
  const candidates: Plant[] = [
    { path: "index.html", kind: "file" },
    { path: "x.1", kind: "file" },
    { path: "index.html.1", kind: "file" },
    { path: "page.html", kind: "readonly" },
    { path: "ro.html", kind: "readonly" },
    { path: "leafdir.html", kind: "dir" },
    { path: "index.html", kind: "dir" },
    { path: "filedir", kind: "file" },
    { path: "linkdir", kind: "link-to-outside-dir" },
    { path: "linkfile.html", kind: "link-to-outside-file" },
    { path: "in.html", kind: "link-to-outside-file" },
    { path: "x", kind: "unreadable" },
    { path: "in.html", kind: "dangling-link" },
    { path: "x", kind: "dangling-link" },
  ];
  const used = new Set<string>();
  for (const plant of candidates) {
    // Links now and then: GNU writes through them, so such a case is checked for safety only.
    if (used.has(plant.path) || !chance(plant.kind.includes("link") ? 0.15 : 0.5)) continue;
    used.add(plant.path);
    // Under --cut-dirs the root's files stay at the root; the directories' would move.
    plants.push({ ...plant, path: base + plant.path });
  }
  if (cut > 0) features.add("cut-dirs");
  // Drawn last, so the cases before stay what they were: -c, -N or -nc over what is there (not
  // -c beside -E or -k, nor -nc beside -k: GNU differs there on purpose, cmd/README.md).
  if (chance(0.2)) {
    const extra = pick(["-c", "-N", "-nc"]);
    const k = args.includes("-k");
    if (!(extra === "-c" && (k || args.includes("-E"))) && !(extra === "-nc" && k)) {
      args.push(extra);
    }
  }
  return { pages, redirects, start: "/", args, prefix, plants, features };
}

/** One request the server saw: `METHOD TARGET STATUS`. */
export interface ScriptedServer extends AsyncDisposable {
  port: number;
  requests: string[];
}

const FIXED_DATE = "Wed, 01 Jan 2020 00:00:00 GMT";

/** The reply to `target`: status, headers and body. */
function reply(
  hostile: HostileCase,
  target: string,
  host: string,
): { status: number; headers: [string, string][]; body: Uint8Array } {
  const encoder = new TextEncoder();
  const key = looseKey(target.replace(/#.*/, ""));
  const path = key.replace(/\?.*/, "");
  const redirect = hostile.redirects.get(key);
  if (redirect) {
    return {
      status: redirect.status,
      headers: [["Location", redirect.location.replaceAll("@HOST@", host)]],
      body: new Uint8Array(),
    };
  }
  const page = hostile.pages.get(key) ?? hostile.pages.get(path);
  if (page !== undefined) {
    return {
      status: 200,
      headers: [["Content-Type", "text/html"], ["Last-Modified", FIXED_DATE]],
      body: encoder.encode(page.replaceAll("@HOST@", host)),
    };
  }
  if (/missing|robots\.txt/.test(path)) {
    return { status: 404, headers: [["Content-Type", "text/html"]], body: encoder.encode("no\n") };
  }
  const headers: [string, string][] = [["Last-Modified", FIXED_DATE]];
  if (/(\.html?|\/)$/i.test(path)) {
    headers.push(["Content-Type", "text/html"]);
    return { status: 200, headers, body: encoder.encode(`<html><body>leaf</body></html>\n`) };
  }
  const type = /\.png$/i.test(path)
    ? "image/png"
    : /\.txt$/i.test(path)
    ? "text/plain"
    : "application/octet-stream";
  headers.push(["Content-Type", type]);
  // Bytes made from the key, so that two names of one file compare equal.
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  const body = new Uint8Array(16 + (h >>> 0) % 64);
  const random = seededRandom(h);
  for (let i = 0; i < body.length; i++) body[i] = Math.floor(random() * 256);
  return { status: 200, headers, body };
}

/**
 * Starts the scripted server of `hostile` on 127.0.0.1, port 0 (the raw server of
 * `raw_http_server.ts`, every path answered by {@linkcode reply}); one request a connection.
 */
export function startScriptedServer(hostile: HostileCase): ScriptedServer {
  const requests: string[] = [];
  let host = "";
  const handler: RawHandler = async (conn, { path, head }) => {
    const answer = reply(hostile, path, host);
    const method = head.split(" ")[0];
    requests.push(`${method} ${path} ${answer.status}`);
    const reason = answer.status === 200 ? "OK" : answer.status === 404 ? "Not Found" : "Moved";
    const lines = [
      `HTTP/1.1 ${answer.status} ${reason}`,
      ...answer.headers.map(([k, v]) => `${k}: ${v}`),
      `Content-Length: ${answer.body.length}`,
      "Connection: close",
    ];
    await send(conn, lines.join("\r\n") + "\r\n\r\n");
    if (method !== "HEAD") await send(conn, answer.body);
  };
  // Every path is the handler's (the raw server looks handlers up by exact path).
  const handlers = new Proxy({}, { get: () => handler }) as Record<string, RawHandler>;
  const server = startRawServer(handlers);
  host = `127.0.0.1:${server.port}`;
  return {
    port: server.port,
    requests,
    [Symbol.asyncDispose]: () => server[Symbol.asyncDispose](),
  };
}

/** Makes `plants` under `runDir`, links pointing into `outside`. */
export async function plantAll(
  runDir: string,
  plants: Plant[],
  host: string,
  outside: string,
): Promise<void> {
  for (const plant of plants) {
    const path = `${runDir}/${plant.path.replaceAll("@HOST@", host)}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    switch (plant.kind) {
      case "file":
        await Deno.writeTextFile(path, `the user's ${plant.path}\n`);
        break;
      case "readonly":
        await Deno.writeTextFile(path, `the user's read-only ${plant.path}\n`, { mode: 0o444 });
        await Deno.chmod(path, 0o444);
        break;
      case "unreadable":
        await Deno.writeTextFile(path, `the user's unreadable ${plant.path}\n`);
        await Deno.chmod(path, 0o000);
        break;
      case "dangling-link":
        await Deno.symlink(`${outside}/new.txt`, path);
        break;
      case "dir":
        await Deno.mkdir(path);
        await Deno.writeTextFile(`${path}/keep.txt`, "the user's\n");
        break;
      case "link-to-outside-dir":
        await Deno.symlink(outside, path);
        break;
      case "link-to-outside-file":
        await Deno.symlink(`${outside}/secret.txt`, path);
        break;
    }
  }
}

/**
 * The bytes a name keeps when compared: GNU wget cuts a name of more than 236 bytes at 236 bytes,
 * inside a UTF-8 character or an escape it makes (`%2F`) and then keeping up to two bytes that
 * were in its buffer there; netkit cuts between characters and escapes, at 233 to 236 bytes
 * (cmd/README.md). Both agree on the first 233.
 */
export const LONG_RUN = 233;

/** `bytes` with each run of more than {@linkcode LONG_RUN} bytes but `/"<>` and blanks cut there. */
export function cutLongRuns(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  let run = 0;
  for (const byte of bytes) {
    const delimiter = byte === 0x2f || byte === 0x22 || byte === 0x3c || byte === 0x3e ||
      byte === 0x20 || byte === 0x0a;
    run = delimiter ? 0 : run + 1;
    if (run <= LONG_RUN) out.push(byte);
  }
  return Uint8Array.from(out);
}

/**
 * Bytes as text: UTF-8 where it is valid, `%NN` for a byte that is not (GNU wget writes it as
 * it is, netkit as `%NN`: cmd/README.md), and with `controls`, `\\xNN` for control bytes and `\\`.
 */
export function showBytes(bytes: Uint8Array, controls = true, lower = false): string {
  let out = "";
  let i = 0;
  const strict = new TextDecoder("utf-8", { fatal: true });
  while (i < bytes.length) {
    const byte = bytes[i]!;
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (byte >= 0x80 && size > 1) {
      try {
        out += strict.decode(bytes.subarray(i, i + size));
        i += size;
        continue;
      } catch {
        // Not UTF-8: shown byte by byte.
      }
    }
    out += byte >= 0x80
      ? `%${lower ? byte.toString(16) : byte.toString(16).toUpperCase()}`
      : controls && (byte < 0x20 || byte === 0x7f || byte === 0x5c)
      ? `\\x${byte.toString(16).padStart(2, "0")}`
      : String.fromCharCode(byte);
    i++;
  }
  return out;
}

/**
 * Everything under `dir`, without following links, whatever bytes the names hold (through
 * `find` and `sha256sum`, as Deno's paths are strings): `PATH dir`, `PATH file MODE SHA-256` or
 * `PATH link -> TARGET`, sorted. `skip` names a subtree (relative) left out; `lower` shows a byte
 * that is not UTF-8 as `%ff` rather than `%FF` (as netkit names it under `lowercase`).
 */
export async function snapshotAll(dir: string, skip?: string, lower = false): Promise<string[]> {
  try {
    Deno.statSync(dir);
  } catch {
    return []; // Not made (a -P directory the run never needed).
  }
  const listing = await new Deno.Command("find", {
    args: [".", "-mindepth", "1", "-printf", "%y %m %P\\0%l\\0"],
    cwd: dir,
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  if (!listing?.success) return [];
  // Each file's digest, of its bytes with every long run cut (see cutLongRuns), in
  // `sha256sum --zero`'s form.
  const digests = await new Deno.Command("find", {
    args: [
      ".",
      "-type",
      "f",
      "-exec",
      "sh",
      "-c",
      `for f do printf '%s  %s\\0' "$(LC_ALL=C sed -E 's/([^/"<> ]{${LONG_RUN}})[^/"<> ]+/\\1/g' "$f" | sha256sum | cut -c1-64)" "$f"; done`,
      "sh",
      "{}",
      "+",
    ],
    cwd: dir,
    stdout: "piped",
    stderr: "null",
  }).output();
  const split = (bytes: Uint8Array) => {
    const parts: Uint8Array[] = [];
    let from = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) {
        parts.push(bytes.subarray(from, i));
        from = i + 1;
      }
    }
    return parts;
  };
  const digestOf = new Map<string, string>();
  for (const line of split(digests.stdout)) {
    // `HASH  ./PATH`: the path after `./`.
    digestOf.set(
      showBytes(cutLongRuns(line.subarray(68)), true, lower),
      showBytes(line.subarray(0, 16)),
    );
  }
  const parts = split(listing.stdout);
  const lines: string[] = [];
  const skipped = skip === undefined ? undefined : showBytes(new TextEncoder().encode(skip));
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const entry = parts[i]!;
    const kind = String.fromCharCode(entry[0]!);
    const space = entry.indexOf(0x20, 2);
    const mode = showBytes(entry.subarray(2, space));
    const path = showBytes(cutLongRuns(entry.subarray(space + 1)), true, lower);
    if (skipped !== undefined && (path === skipped || path.startsWith(`${skipped}/`))) continue;
    if (kind === "l") lines.push(`${path} link -> ${showBytes(parts[i + 1]!)}`);
    else if (kind === "d") lines.push(`${path} dir`);
    else lines.push(`${path} file ${mode} ${digestOf.get(path) ?? "?"}`);
  }
  return lines.sort();
}
