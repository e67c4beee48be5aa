/**
 * Finding the runtime `deno compile` builds on (`denort`) before compiling, so that a machine
 * without one gets one clear line instead of a failed download.
 *
 * What deno 2.9.6 does (observed): with `DENORT_BIN` set it copies that file as the base of the
 * executable without checking it — a missing file fails ("Could not find denort at …"), but any
 * other file, even `/bin/true` or the `deno` CLI itself, gives exit 0 and an executable that runs
 * that file instead of the program. Without `DENORT_BIN` it uses
 * `DENO_DIR/dl/release/vVERSION/denort-TARGET.zip` when present (a zip holding `denort`; anything
 * else fails with "Failed to unpack archive"), and otherwise downloads that zip from Deno's host.
 * So the checks here reject what deno would accept silently, and the compile task also runs each
 * executable once.
 *
 * @module
 */

import { readFull } from "../lib/internal/read_full.ts";

/** The environment variable `deno compile` reads the runtime's path from. */
export const DENORT_BIN = "DENORT_BIN";

/** Where the runtime comes from. */
export interface DenortSource {
  /** `env`: the file `DENORT_BIN` names; `cache`: the zip in Deno's cache directory. */
  kind: "env" | "cache";
  /** The file's path. */
  path: string;
}

/** Options of {@linkcode locateDenort}. */
export interface LocateDenortOptions {
  /** The value of `DENORT_BIN`, if set. */
  denortBin?: string | undefined;
  /** Deno's cache directory (`denoDir` of `deno info --json`). */
  denoDir: string;
  /** The Deno version compiling, e.g. `2.9.6`. */
  version: string;
  /** The target triple, e.g. `x86_64-unknown-linux-gnu`. */
  target: string;
  /** The `deno` CLI's own path, which `DENORT_BIN` must not name. */
  cliPath?: string;
}

/** No usable runtime: the message is one line saying what is missing and how to supply it. */
export class DenortMissingError extends Error {
  /** Builds the error. */
  constructor(message: string) {
    super(message);
    this.name = "DenortMissingError";
  }
}

/**
 * The path of the runtime zip `deno compile` looks for in Deno's cache directory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denortZipPath } from "./denort.ts";
 *
 * assert.equal(
 *   denortZipPath("/c", "2.9.6", "x86_64-unknown-linux-gnu"),
 *   "/c/dl/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip",
 * );
 * ```
 */
export function denortZipPath(denoDir: string, version: string, target: string): string {
  return `${denoDir}/dl/release/v${version}/denort-${target}.zip`;
}

/**
 * Finds the runtime `deno compile` will use: `DENORT_BIN` when set, else the pre-seeded zip in
 * Deno's cache directory.
 *
 * @returns Where the runtime is.
 * @throws {DenortMissingError} when neither is there, or what is there cannot be a runtime (a
 * missing file, one that is not an executable for the target, the `deno` CLI itself, a zip
 * without `denort` in it), with a one-line message naming `DENORT_BIN`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DenortMissingError, locateDenort } from "./denort.ts";
 *
 * const denoDir = await Deno.makeTempDir(); // an empty cache: no runtime in it
 * await assert.rejects(
 *   locateDenort({ denoDir, version: "2.9.6", target: "x86_64-unknown-linux-gnu" }),
 *   (error) => {
 *     assert.ok(error instanceof DenortMissingError);
 *     assert.match(error.message, /DENORT_BIN/);
 *     return true;
 *   },
 * );
 * await Deno.remove(denoDir);
 * ```
 */
export async function locateDenort(options: LocateDenortOptions): Promise<DenortSource> {
  const { version, target } = options;
  const zip = denortZipPath(options.denoDir, version, target);
  const how = `set ${DENORT_BIN}=/path/to/denort (deno ${version}, ${target}) or put ` +
    `denort-${target}.zip of the Deno ${version} release at "${zip}"`;
  if (options.denortBin) {
    const path = options.denortBin;
    const problem = await executableProblem(path, target, options.cliPath);
    if (problem) throw new DenortMissingError(`${DENORT_BIN}="${path}" ${problem}; ${how}`);
    return { kind: "env", path };
  }
  let names: string[] | undefined;
  try {
    names = await zipEntryNames(zip);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new DenortMissingError(
      `No denort runtime for deno compile: ${DENORT_BIN} is not set and "${zip}" does not ` +
        `exist (the download from Deno's host is not tried); ${how}`,
    );
  }
  const runtime = target.includes("windows") ? "denort.exe" : "denort";
  if (!names?.includes(runtime)) {
    throw new DenortMissingError(
      `"${zip}" is not a denort runtime zip (no "${runtime}" in it); ${how}`,
    );
  }
  return { kind: "cache", path: zip };
}

/** Why `path` cannot be a runtime for `target`, or undefined when it may be one. */
async function executableProblem(
  path: string,
  target: string,
  cliPath: string | undefined,
): Promise<string | undefined> {
  let head: Uint8Array;
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return "is not a file";
    using file = await Deno.open(path);
    head = new Uint8Array(4);
    head = head.subarray(0, (await file.read(head)) ?? 0);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "does not exist";
    return `cannot be read (${(error as Error).message})`;
  }
  if (!hasExecutableMagic(head, target)) return `is not an executable for ${target}`;
  if (cliPath && await sameFile(path, cliPath)) return "is the deno CLI, not the denort runtime";
  return undefined;
}

function hasExecutableMagic(head: Uint8Array, target: string): boolean {
  const hex = [...head].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  if (target.includes("windows")) return hex.startsWith("4d5a"); // "MZ"
  if (target.includes("apple")) return hex === "cffaedfe" || hex === "cafebabe";
  return hex === "7f454c46"; // "\x7fELF"
}

async function sameFile(a: string, b: string): Promise<boolean> {
  try {
    return await Deno.realPath(a) === await Deno.realPath(b);
  } catch {
    return false;
  }
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;

/** The names in a zip's central directory, read from its end (the zip is not read whole). */
async function zipEntryNames(path: string): Promise<string[] | undefined> {
  using file = await Deno.open(path);
  const size = (await file.stat()).size;
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(file, size - tailLength, tailLength);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let at = tail.length - 22; at >= 0; at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const directorySize = view.getUint32(eocd + 12, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  if (directoryOffset + directorySize > size) return undefined;
  const directory = await readAt(file, directoryOffset, directorySize);
  const entries = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let at = 0; at + 46 <= directory.length;) {
    if (entries.getUint32(at, true) !== CENTRAL_SIGNATURE) return undefined;
    const nameLength = entries.getUint16(at + 28, true);
    const extraLength = entries.getUint16(at + 30, true);
    const commentLength = entries.getUint16(at + 32, true);
    names.push(decoder.decode(directory.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

async function readAt(file: Deno.FsFile, offset: number, length: number): Promise<Uint8Array> {
  await file.seek(offset, Deno.SeekMode.Start);
  return await readFull(file, new Uint8Array(length));
}
