/**
 * `--unlink`: the file at a name is removed before the name is written again, so that a hard
 * link to it keeps the old bytes, as GNU wget 1.21.3's http.c unlinks `hs->local_file`. One
 * helper for `download()` and the recursion. Private to `lib/download/`.
 *
 * @module
 */

/**
 * Removes the file (or symbolic link) at `path` before it is written again. Nothing when there
 * is none, nor for a directory, whose open then fails ("Is a directory"), as GNU's unlink is
 * only tried on a file that is there.
 *
 * @throws {Deno.errors.PermissionDenied} (or another OS error) when the file is there and cannot
 * be removed (a read-only file system): GNU's UNLINKERR, `Cannot unlink 'NAME' (REASON).`, and
 * the file is not written.
 */
export function unlinkBeforeWriting(path: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch {
    // Not there (or not reachable: the open says why).
    return;
  }
  if (info.isDirectory) return;
  try {
    Deno.removeSync(path);
  } catch (error) {
    // Gone meanwhile: nothing was lost.
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}
