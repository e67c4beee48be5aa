/**
 * GNU wget's `--backups=N`: before a file is written again, its copies are moved along
 * (`NAME.1` to `NAME.2`, ..., up to `NAME.N`) and the file itself becomes `NAME.1`. Private to
 * `lib/download/`.
 *
 * @module
 */

/** Rotates the backups of `path` (`count` of them at most); nothing when it is not a file. */
export function rotateBackups(path: string, count: number): void {
  try {
    if (!Deno.lstatSync(path).isFile) return;
  } catch {
    return;
  }
  const move = (from: string, to: string) => {
    try {
      Deno.renameSync(from, to);
    } catch {
      // A copy not there yet: nothing to move, as GNU wget ignores it.
    }
  };
  for (let n = count; n > 1; n--) move(`${path}.${n - 1}`, `${path}.${n}`);
  move(path, `${path}.1`);
}
