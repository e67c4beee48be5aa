/**
 * What a recursive run knows of the disk it writes: the directories it made and found, and the
 * files it wrote, so that it spares system calls where nothing can be there yet and replaces only
 * its own files where a directory goes. Private to `lib/download/`.
 *
 * @module
 */

/**
 * The directories and files of one run (see `recursive.ts`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RunDisk } from "./_run_disk.ts";
 *
 * const root = await Deno.makeTempDir();
 * const disk = new RunDisk();
 * disk.makeParents(`${root}/a/b/x.html`, root);
 * assert.ok(Deno.statSync(`${root}/a/b`).isDirectory);
 * // Nothing can be in a directory this run made, until the run writes it.
 * assert.equal(disk.mayExist(`${root}/a/b/x.html`), false);
 * assert.equal(disk.isNewName(`${root}/a/b/x.html`), true);
 * disk.written.add(`${root}/a/b/x.html`);
 * assert.equal(disk.mayExist(`${root}/a/b/x.html`), true);
 * // So too a file a failed fetch left cut short.
 * disk.leftAt(`${root}/a/b/y.html`);
 * assert.equal(disk.mayExist(`${root}/a/b/y.html`), true);
 * // A file of the user's where a directory goes is kept.
 * Deno.writeTextFileSync(`${root}/c`, "the user's");
 * assert.throws(() => disk.makeParents(`${root}/c/y.html`, root), Deno.errors.NotADirectory);
 * assert.equal(Deno.readTextFileSync(`${root}/c`), "the user's");
 * // A NAME.tmp written over twice is accounted for twice, then no more.
 * disk.wroteOver(`${root}/q.tmp`);
 * disk.wroteOver(`${root}/q.tmp`);
 * assert.deepEqual([1, 2, 3].map(() => disk.takeWrittenOver(`${root}/q.tmp`)), [true, true, false]);
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export class RunDisk {
  /** Directories known to exist, and those this run created (so hold only its own files). */
  readonly directories = new Set<string>();
  readonly freshDirectories = new Set<string>();
  /** Files this run wrote. */
  readonly written = new Set<string>();
  /** Files this run left cut short (a fetch that failed midway), not among `written`. */
  readonly #left = new Set<string>();

  /**
   * With several threads, NAME.tmp files that a fetch wrote over another's, not read yet (see Walker.holdName), with how
   * many fetches' files each took: one per write over, each the file of one fetch after it in
   * the queue whose own removal then finds it gone. Counted, not a set: two redirects that land
   * on one name, each writing over the file of the fetch after it (`/%62`'s over `/b/`'s, then
   * `/b-moved`'s, before it, over `/%62`'s), leave two fetches to forget their URLs (threads
   * random seed 2201515: `/b/`'s were not, and `-k` said its file was not there, about one run
   * in six of the fixed list).
   */
  readonly #writtenOver = new Map<string, number>();

  /** A fetch wrote over the NAME.tmp at `path`, another fetch's file not read yet. */
  wroteOver(path: string): void {
    this.#writtenOver.set(path, (this.#writtenOver.get(path) ?? 0) + 1);
  }

  /**
   * Whether a write over the NAME.tmp at `path` is left to account for (see `wroteOver`): one is
   * taken, for the fetch whose own file it was.
   */
  takeWrittenOver(path: string): boolean {
    const count = this.#writtenOver.get(path);
    if (count === undefined) return false;
    if (count > 1) this.#writtenOver.set(path, count - 1);
    else this.#writtenOver.delete(path);
    return true;
  }

  /**
   * A file this run made and left cut short, its fetch failed: GNU leaves it too, and a later
   * fetch of its name compares it (`-N`) or continues it (`-c`) as any file there.
   */
  leftAt(path: string): void {
    this.#left.add(path);
  }

  /**
   * Whether `path` may exist already: not when its directory is one this run created and it
   * has neither written the file nor left it cut short, which spares a failing system call per
   * file.
   */
  mayExist(path: string): boolean {
    const slash = path.lastIndexOf("/");
    const parent = slash < 0 ? "." : path.slice(0, slash);
    return !this.freshDirectories.has(parent) || this.written.has(path) || this.#left.has(path);
  }

  /**
   * Whether a file (of the user's, or of an earlier run) is at `path`, or under -E
   * (`extensions`) at the name with `.html` or `.css` after it: a GET that another fetch may take
   * away to its own name is made only where nothing is there to be lost (see `OwnGet`).
   */
  someFileAt(path: string, extensions: boolean): boolean {
    if (!this.mayExist(path)) return false;
    const names = extensions ? [path, `${path}.html`, `${path}.css`] : [path];
    return names.some((name) => {
      try {
        Deno.lstatSync(name);
        return true;
      } catch {
        return false;
      }
    });
  }

  /** Whether this run wrote `path` (or under -E, `extensions`, the name with `.html` or `.css`). */
  writtenAt(path: string, extensions: boolean): boolean {
    const names = extensions ? [path, `${path}.html`, `${path}.css`] : [path];
    return names.some((name) => this.written.has(name));
  }

  /**
   * Whether nothing can be at `path`: its directory is one this run made (so exists) and the run
   * has neither written the name nor left a file there cut short. Creating it then has no effect but the new, empty file.
   */
  isNewName(path: string): boolean {
    const slash = path.lastIndexOf("/");
    return slash > 0 && this.freshDirectories.has(path.slice(0, slash)) &&
      !this.written.has(path) && !this.#left.has(path);
  }

  /**
   * Creates the directories above `path`, remembering what it made. A file in the way of the
   * file's own directory is removed, as GNU wget's `mkalldirs` removes it, only when this run
   * wrote it (`/a` saved as `a`, then `/a/b` needs a directory `a`); a file the run did not
   * write is the user's and is kept: the file below it is not written ({@linkcode
   * Deno.errors.NotADirectory}, as GNU wget fails when the file is higher up).
   */
  makeParents(path: string, root: string): void {
    const slash = path.lastIndexOf("/");
    if (slash <= 0) return;
    const parent = path.slice(0, slash);
    if (this.directories.has(parent)) return;
    this.makeDirectory(parent, root, true);
  }

  /**
   * mkdir of `directory` below `root`, after its parents (each checked once). A symbolic link
   * below `root` is removed, never followed (it may point outside); `root` itself and the
   * directories above it are the user's, links or not. A file in the way is removed only when
   * `replaceWritten` and this run wrote it; else {@linkcode Deno.errors.NotADirectory}.
   */
  makeDirectory(directory: string, root: string, replaceWritten: boolean): void {
    if (this.directories.has(directory)) return;
    const prefix = root === "." ? "" : `${root.replace(/\/+$/, "")}/`;
    if (!directory.startsWith(prefix) || directory.length <= prefix.length) {
      // The download directory (-P) and above, made as they are (a link there followed).
      try {
        Deno.mkdirSync(directory, { recursive: true });
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        throw notADirectory(directory);
      }
      this.directories.add(directory);
      return;
    }
    const slash = directory.lastIndexOf("/");
    if (slash > 0) this.makeDirectory(directory.slice(0, slash), root, false);
    try {
      Deno.mkdirSync(directory);
      this.freshDirectories.add(directory);
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      const info = Deno.lstatSync(directory);
      if (!info.isDirectory) {
        if (!info.isSymlink && !(replaceWritten && this.written.has(directory))) {
          throw notADirectory(directory);
        }
        Deno.removeSync(directory);
        Deno.mkdirSync(directory);
        this.freshDirectories.add(directory);
      }
    }
    this.directories.add(directory);
  }
}

/** The error of a file, not a directory, at `path` (ENOTDIR: the C library's "Not a directory"). */
export function notADirectory(path: string): Deno.errors.NotADirectory {
  return new Deno.errors.NotADirectory(`Not a directory: "${path}"`);
}
