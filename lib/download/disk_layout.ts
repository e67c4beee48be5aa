/**
 * Where GNU wget puts a URL on disk when it recurses: `HOST[:PORT]/dir/file?query`, with `-nd`,
 * `-nH`, `--protocol-directories` and `--cut-dirs`. Every path element is percent-decoded and
 * then made safe (`/` and control characters escaped as `%XX`, `..` as `%2E%2E`), so no URL can
 * name a file outside the download directory.
 *
 * @module
 */

/** How URLs map to paths (GNU wget's `-nd`, `-x`, `-nH`, `--cut-dirs`, ...). */
export interface DiskLayout {
  /** Recreate the URL's directories (`-x`, the default with `-r`); false for `-nd`. @default {true} */
  directories?: boolean | undefined;
  /** Start with a directory named after the host (and port); false for `-nH`. @default {true} */
  hostDirectories?: boolean | undefined;
  /** Start with a directory named after the scheme (`--protocol-directories`). */
  protocolDirectories?: boolean | undefined;
  /** Drop this many leading directories of the URL's path (`--cut-dirs`). @default {0} */
  cutDirs?: number | undefined;
  /** The name for a URL whose path ends in `/`. @default {"index.html"} */
  indexName?: string | undefined;
}

const DEFAULT_PORT: Record<string, string> = { "http:": "80", "https:": "443" };
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/**
 * The relative path, with `/` separators, under which GNU wget saves `url`.
 *
 * @param url An absolute `http:` or `https:` URL.
 * @param layout The options that shape the path.
 * @returns A relative path with no empty, `.` or `..` element.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { localPathForUrl } from "@netkit/netkit/download";
 *
 * assert.equal(localPathForUrl("http://h:8080/a/b/c.html"), "h:8080/a/b/c.html");
 * assert.equal(localPathForUrl("http://h/a/?q=x%2Fy", { hostDirectories: false }), "a/index.html?q=x%2Fy");
 * assert.equal(localPathForUrl("http://h/a/b/c.png", { cutDirs: 1 }), "h/b/c.png");
 * assert.equal(localPathForUrl("http://h/a/b/c.png", { directories: false }), "c.png");
 * assert.equal(localPathForUrl("http://h/a/%2E%2E%2F..%2Fx"), "h/a/..%2F..%2Fx");
 * ```
 */
export function localPathForUrl(url: string | URL, layout: DiskLayout = {}): string {
  const parsed = typeof url === "string" ? new URL(url) : url;
  const parts: string[] = [];
  if (layout.directories ?? true) {
    if (layout.protocolDirectories) parts.push(parsed.protocol.slice(0, -1));
    if (layout.hostDirectories ?? true) {
      const host = parsed.hostname === ".." ? "%2E%2E" : parsed.hostname;
      const port = parsed.port !== "" && parsed.port !== DEFAULT_PORT[parsed.protocol]
        ? `:${parsed.port}`
        : "";
      parts.push(safeElement(host + port));
    }
    const directories = parsed.pathname.split("/").slice(1, -1);
    let cut = layout.cutDirs ?? 0;
    for (const directory of directories) {
      if (cut-- > 0 || directory === "") continue;
      parts.push(safeElement(directory));
    }
  }
  const segment = parsed.pathname.slice(parsed.pathname.lastIndexOf("/") + 1);
  const file = segment === "" ? layout.indexName ?? "index.html" : segment;
  parts.push(safeElement(file + parsed.search));
  return parts.join("/");
}

/**
 * One path element: percent-decoded, then `/`, NUL, control characters and DEL escaped as
 * GNU wget's `--restrict-file-names=unix` does; `..` and `.` become `%2E%2E` and `%2E`.
 */
function safeElement(text: string): string {
  // The common case, a plain name, needs no decoding.
  // deno-lint-ignore no-control-regex
  if (!/[%\x00-\x1f\x7f/]/.test(text)) {
    return text === ".." ? "%2E%2E" : text === "." || text === "" ? "%2E" : text;
  }
  const bytes = percentDecodeBytes(text);
  const out: number[] = [];
  for (const byte of bytes) {
    if (byte < 0x20 || byte === 0x7f || byte === 0x2f) {
      const hex = byte.toString(16).toUpperCase().padStart(2, "0");
      out.push(0x25, hex.charCodeAt(0), hex.charCodeAt(1));
    } else {
      out.push(byte);
    }
  }
  const name = DECODER.decode(new Uint8Array(out));
  if (name === "..") return "%2E%2E";
  if (name === "." || name === "") return "%2E";
  return name;
}

function percentDecodeBytes(text: string): Uint8Array {
  const raw = ENCODER.encode(text);
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const high = raw[i + 1];
    const low = raw[i + 2];
    if (raw[i] === 0x25 && high !== undefined && low !== undefined && isHex(high) && isHex(low)) {
      out[n++] = parseInt(String.fromCharCode(high, low), 16);
      i += 2;
    } else {
      out[n++] = raw[i] ?? 0;
    }
  }
  return out.subarray(0, n);
}

function isHex(byte: number | undefined): boolean {
  return byte !== undefined &&
    ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) ||
      (byte >= 0x61 && byte <= 0x66));
}
