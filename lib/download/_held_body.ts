/**
 * A body the recursion holds until its file may be named (with several threads, a fetch
 * answered before one ahead of it in the queue took its name or number: see cmd/README.md,
 * `--max-threads`). Its first bytes stay in memory; past {@linkcode HELD_BODY_MEMORY_BYTES} the
 * body goes to a file in the system's temporary directory, so that memory stays flat in the
 * size of the file held. Private to `lib/download/`.
 *
 * @module
 */

/**
 * The bytes of a held body kept in memory before it goes to a temporary file: a page, the usual
 * held body, stays in memory (no file made for it), while a large file (a held 2 GiB download)
 * costs no more memory than this.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HELD_BODY_MEMORY_BYTES } from "./_held_body.ts";
 *
 * assert.equal(HELD_BODY_MEMORY_BYTES, 1024 * 1024);
 * ```
 */
export const HELD_BODY_MEMORY_BYTES = 1024 * 1024;

/** The bytes read back from the temporary file at a time (the body saved, or read for links). */
const COPY_BUFFER_BYTES = 256 * 1024;

/** How a {@linkcode HeldBody} keeps its bytes (for tests: a small cap, a directory of their own). */
export interface HeldBodyOptions {
  /** The bytes kept in memory before the body goes to a file. @default {HELD_BODY_MEMORY_BYTES} */
  memoryBytes?: number;
  /** Where the temporary file is made. @default {the system's: `TMPDIR`, or /tmp} */
  tempDir?: string;
}

/** What the log is told once a held body's file is named (its `path` the name before that). */
export interface HeldBodyStart {
  path: string;
  offset: number;
  total?: number | undefined;
}

/**
 * A body held until its file is named: appended to chunk by chunk, then copied into its file.
 * The temporary file is removed as soon as it is made (only its open descriptor keeps it), so
 * that nothing is left behind however the run ends, a Ctrl-C included, and nothing shows under
 * `-P`; disposing closes it.
 *
 * @example Past the cap, the body goes to a file, and comes back whole
 * ```ts
 * import assert from "node:assert/strict";
 * import { HeldBody } from "./_held_body.ts";
 *
 * const dir = await Deno.makeTempDir();
 * {
 *   using held = new HeldBody({ memoryBytes: 4, tempDir: dir });
 *   held.push(new TextEncoder().encode("abc"));
 *   held.push(new TextEncoder().encode("def"));
 *   assert.equal(held.bytes, 6);
 *   assert.deepEqual([...Deno.readDirSync(dir)], []);
 *   const out = await Deno.makeTempFile({ dir });
 *   using file = await Deno.open(out, { write: true });
 *   await held.copyTo(file);
 *   assert.equal(await Deno.readTextFile(out), "abcdef");
 *   await Deno.remove(out);
 * }
 * await Deno.remove(dir);
 * ```
 */
export class HeldBody implements Disposable {
  /** What the log is told once the file is named: the body's start. */
  start: HeldBodyStart | undefined;
  /** What the log is told once the file is named: the bytes received so far. */
  received: number | undefined;
  readonly #memoryBytes: number;
  readonly #tempDir: string | undefined;
  #chunks: Uint8Array[] = [];
  #bytes = 0;
  /** The temporary file, once the body passed the cap. */
  #spill: Deno.FsFile | undefined;
  /** Its name, where it could not be removed while open (Windows): removed at disposal. */
  #spillPath: string | undefined;
  /** No temporary file could be made: the body stays in memory, as it did before the cap. */
  #inMemoryOnly = false;

  /** An empty body. */
  constructor(options: HeldBodyOptions = {}) {
    this.#memoryBytes = options.memoryBytes ?? HELD_BODY_MEMORY_BYTES;
    this.#tempDir = options.tempDir;
  }

  /** The bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Appends a chunk (copied: the reader reuses its buffer).
   *
   * @throws the OS error when the temporary file cannot be written (a full disk).
   */
  push(chunk: Uint8Array): void {
    this.#bytes += chunk.length;
    if (this.#spill === undefined && this.#bytes > this.#memoryBytes) this.#spillChunks();
    if (this.#spill) writeAll(this.#spill, chunk);
    else this.#chunks.push(chunk.slice());
  }

  /**
   * Writes the bytes held to `file` at its position. Those in memory are written at once,
   * synchronously (nothing else runs meanwhile, as before there was a cap), and nothing is
   * returned; a temporary file's are read back with asynchronous calls (a large body's copy lets
   * the other fetches go on), and the copy is returned, to be awaited.
   *
   * @throws the OS error of a write to `file` (or of a read of the temporary file).
   */
  copyTo(file: Deno.FsFile): Promise<void> | undefined {
    for (const chunk of this.#chunks) writeAll(file, chunk);
    return this.#spill && copyFile(this.#spill, file);
  }

  /**
   * The bytes held, from the first, a chunk at a time: those in memory as they are, then the
   * temporary file's, read back synchronously into one buffer of 256 KiB (each chunk is good until
   * the next is asked for). A page read for its links beside another fetch's file reads its
   * bytes so, as it reads its own file's (see the recursion's `besideBody`).
   *
   * @throws the OS error of a read of the temporary file.
   *
   * @example Read back, past the cap as under it
   * ```ts
   * import assert from "node:assert/strict";
   * import { HeldBody } from "./_held_body.ts";
   *
   * const dir = await Deno.makeTempDir();
   * {
   *   using held = new HeldBody({ memoryBytes: 4, tempDir: dir });
   *   held.push(new TextEncoder().encode("abc"));
   *   held.push(new TextEncoder().encode("def"));
   *   const text = [...held.chunks()].map((chunk) => new TextDecoder().decode(chunk)).join("");
   *   assert.equal(text, "abcdef");
   * }
   * await Deno.remove(dir);
   * ```
   */
  *chunks(): Generator<Uint8Array> {
    yield* this.#chunks;
    const spill = this.#spill;
    if (spill === undefined) return;
    spill.seekSync(0, Deno.SeekMode.Start);
    try {
      const buffer = new Uint8Array(COPY_BUFFER_BYTES);
      for (let read = spill.readSync(buffer); read !== null; read = spill.readSync(buffer)) {
        yield buffer.subarray(0, read);
      }
    } finally {
      // (A push after it appends, wherever the reading stopped.)
      spill.seekSync(0, Deno.SeekMode.End);
    }
  }

  /** Lets the bytes go, and closes (and removes) the temporary file; twice is harmless. */
  [Symbol.dispose](): void {
    this.#chunks = [];
    this.#spill?.close();
    this.#spill = undefined;
    if (this.#spillPath !== undefined) removeQuietly(this.#spillPath);
    this.#spillPath = undefined;
  }

  /** The chunks in memory go to a new temporary file, which takes the body from now on. */
  #spillChunks(): void {
    if (this.#inMemoryOnly) return;
    let path: string;
    try {
      const dir = this.#tempDir;
      path = Deno.makeTempFileSync({
        prefix: "netkit-held-",
        ...(dir === undefined ? {} : { dir }),
      });
    } catch {
      // GNU's run, which makes no such file, would not fail here: the body stays in memory.
      this.#inMemoryOnly = true;
      return;
    }
    try {
      this.#spill = Deno.openSync(path, { read: true, write: true });
    } catch {
      removeQuietly(path);
      this.#inMemoryOnly = true;
      return;
    }
    try {
      // Removed at once: only the open file keeps its bytes (tmpfile(3)'s way).
      Deno.removeSync(path);
    } catch {
      // Not while open (Windows): removed when disposed.
      this.#spillPath = path;
    }
    for (const chunk of this.#chunks) writeAll(this.#spill, chunk);
    this.#chunks = [];
  }
}

/** All of `chunk` to `file` (writeSync may write less than asked). */
function writeAll(file: Deno.FsFile, chunk: Uint8Array): void {
  for (let at = 0; at < chunk.length;) at += file.writeSync(chunk.subarray(at));
}

/** The bytes of `from`, from its start, to `to` at its position. */
async function copyFile(from: Deno.FsFile, to: Deno.FsFile): Promise<void> {
  from.seekSync(0, Deno.SeekMode.Start);
  const buffer = new Uint8Array(COPY_BUFFER_BYTES);
  for (let read = await from.read(buffer); read !== null; read = await from.read(buffer)) {
    await writeAllAsync(to, buffer.subarray(0, read));
  }
}

/** All of `chunk` to `file`, asynchronously. */
async function writeAllAsync(file: Deno.FsFile, chunk: Uint8Array): Promise<void> {
  for (let at = 0; at < chunk.length;) at += await file.write(chunk.subarray(at));
}

/** Removes `path`, gone or not. */
function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // Gone already, or not ours to remove any more.
  }
}
