/**
 * What the system's line-based files (`/etc/hosts`, `/etc/services`) share: a bounded read, and
 * lines split into whitespace-separated fields with `#` comments removed.
 *
 * @module
 */

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/**
 * Reads a whole text file, refusing one over `maxBytes` rather than holding it in memory
 * (`known`: its stat, when the caller has it). A regular file is read with one synchronous call:
 * the first asynchronous file call of a process
 * starts Deno's blocking thread pool, ~1.5 ms of a command's start-up, for files of a few hundred
 * bytes. Anything else (a FIFO, a device) is read asynchronously, so it cannot stall the process.
 */
export const readConfigFile = (async function readConfigFile(
  path: string,
  maxBytes: number,
  known?: Deno.FileInfo,
): Promise<string> {
  const info = known ?? Deno.statSync(path);
  if (info.isFile) {
    // One call reads it whole (open, read, close in one operation) once its size is known to be
    // within the bound; a file that grew past it meanwhile is refused all the same (counted in
    // characters, each of at least one byte).
    checkedSize(path, info.size, maxBytes);
    // As text at once: a TextDecoder's first use costs more than the read (~0.2 ms).
    const text = Deno.readTextFileSync(path);
    checkedSize(path, text.length, maxBytes);
    return text;
  }
  // Loaded here only: a regular file, the usual case, needs no read loop.
  const { readFull } = await import("./read_full.ts");
  using file = await Deno.open(path);
  const size = checkedSize(path, (await file.stat()).size, maxBytes);
  return new TextDecoder().decode(await readFull(file, new Uint8Array(size)));
}).bind(undefined);

const checkedSize = (function checkedSize(path: string, size: number, maxBytes: number): number {
  if (size > maxBytes) {
    throw new RangeError(`File "${path}" is ${size} bytes, more than ${maxBytes}`);
  }
  return size;
}).bind(undefined);

/**
 * The fields of each line that has any, comments (`#` to the end of the line) removed; fields
 * are separated by spaces, tabs, CR, FF and VT. By character code, without a regular expression:
 * it runs at every command's start-up, where the first pattern a process compiles costs ~0.2 ms.
 */
export const configLines = (function configLines(text: string): string[][] {
  const lines: string[][] = [];
  let fields: string[] = [];
  let fieldStart = -1; // where the field under way starts, -1 between fields
  let comment = false;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 0x0a;
    const newline = code === 0x0a;
    if (comment && !newline) continue;
    // A blank (space, \t, \v, \f, \r), "#" or a newline ends the field under way.
    if (
      code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c || code === 0x0d ||
      code === 0x23 || newline
    ) {
      if (fieldStart >= 0) fields.push(text.slice(fieldStart, i));
      fieldStart = -1;
      if (code === 0x23) comment = true;
      if (newline) {
        if (fields.length > 0) lines.push(fields);
        fields = [];
        comment = false;
      }
    } else if (fieldStart < 0) {
      fieldStart = i;
    }
  }
  return lines;
}).bind(undefined);

interface CachedParse {
  stamp: string;
  value: unknown;
}

const parsedFiles = new Map<string, CachedParse>();

/**
 * Reads and parses a configuration file once, and again only when it changes (another inode,
 * size or modification time), as glibc re-reads resolv.conf: edits show at once, and a lookup
 * that finds the file unchanged costs one `stat`.
 *
 * @param path The file.
 * @param maxBytes The largest file read (see {@linkcode readConfigFile}).
 * @param parse Turns the text into the value kept; `key` tells parsers of one file apart.
 * @param key Names the parser, for files read in more than one way.
 * @throws what `Deno.stat` and {@linkcode readConfigFile} throw (a missing file: NotFound).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readParsedConfigFile } from "./config_file.ts";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "a b\n");
 * let parses = 0;
 * const parse = (text: string) => (parses++, text.trim());
 * assert.equal(await readParsedConfigFile(path, 1024, parse, "demo"), "a b");
 * assert.equal(await readParsedConfigFile(path, 1024, parse, "demo"), "a b");
 * assert.equal(parses, 1);
 * await Deno.writeTextFile(path, "c d e\n");
 * assert.equal(await readParsedConfigFile(path, 1024, parse, "demo"), "c d e");
 * await Deno.remove(path);
 * ```
 */
export const readParsedConfigFile = (async function readParsedConfigFile<T>(
  path: string,
  maxBytes: number,
  parse: (text: string) => T,
  key: string,
): Promise<T> {
  // A synchronous stat: a few microseconds, against tens for an async op, on every lookup.
  const info = Deno.statSync(path);
  const stamp = fileStamp(info);
  const cacheKey = `${key}\0${path}`;
  const cached = parsedFiles.get(cacheKey);
  if (cached && cached.stamp === stamp) return cached.value as T;
  const value = parse(await readConfigFile(path, maxBytes, info));
  parsedFiles.set(cacheKey, { stamp, value });
  return value;
}).bind(undefined);

/**
 * What {@linkcode readParsedConfigFile} last kept for `path` under `key`, at once, while the file
 * is unchanged (one synchronous `stat`): for a caller that asks on every lookup and would
 * otherwise pay an `await` chain for a file that has not changed. Undefined when nothing is kept
 * yet, the file changed, or it cannot be stat'ed: `readParsedConfigFile` then reads it (and
 * throws what is wrong).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { keptParsedConfigFile, readParsedConfigFile } from "./config_file.ts";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "a b\n");
 * assert.equal(keptParsedConfigFile(path, "demo"), undefined);
 * await readParsedConfigFile(path, 1024, (text) => text.trim(), "demo");
 * assert.equal(keptParsedConfigFile(path, "demo"), "a b");
 * await Deno.writeTextFile(path, "a b c\n");
 * assert.equal(keptParsedConfigFile(path, "demo"), undefined);
 * await Deno.remove(path);
 * assert.equal(keptParsedConfigFile(path, "demo"), undefined);
 * ```
 */
export const keptParsedConfigFile =
  (function keptParsedConfigFile<T>(path: string, key: string): T | undefined {
    const cached = parsedFiles.get(`${key}\0${path}`);
    if (cached === undefined) return undefined;
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(path);
    } catch {
      return undefined;
    }
    return cached.stamp === fileStamp(info) ? cached.value as T : undefined;
  }).bind(undefined);

/** What tells one version of a file from another: its inode, size and modification time. */
const fileStamp = (function fileStamp(info: Deno.FileInfo): string {
  return `${info.ino}:${info.size}:${info.mtime?.getTime()}`;
}).bind(undefined);
