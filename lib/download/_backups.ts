/**
 * GNU wget's `--backups=N`: before a file is written again, its copies are moved along
 * (`NAME.1` to `NAME.2`, ..., up to `NAME.N`) and the file itself becomes `NAME.1`. Private to
 * `lib/download/`.
 *
 * @module
 */

import { osErrorText } from "../internal/os_error_text.ts";

/**
 * Rotates the backups of `path` (`count` of them at most); nothing when it is not a file.
 *
 * @throws {Error} `Failed to rename FROM to TO: REASON`, for the first rename that fails other
 * than for a copy not there (a directory without write permission, a copy's name taken by a
 * directory): the file is then not written over, where GNU wget says `Failed to rename` and
 * writes over it, the backup the user asked for (or an older one) lost.
 */
export function rotateBackups(path: string, count: number): void {
  try {
    if (!Deno.lstatSync(path).isFile) return;
  } catch {
    return;
  }
  const move = (from: string, to: string) => {
    try {
      Deno.renameSync(from, to);
    } catch (error) {
      // A copy not there yet: nothing to move, as GNU wget ignores it.
      if (error instanceof Deno.errors.NotFound) return;
      // GNU's words for it: the system's reason.
      throw new Error(`Failed to rename ${from} to ${to}: ${osErrorText(error)}`, { cause: error });
    }
  };
  for (let n = count; n > 1; n--) move(`${path}.${n - 1}`, `${path}.${n}`);
  move(path, `${path}.1`);
}
