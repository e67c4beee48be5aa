/**
 * The name a new file would get without clobbering one: `path`, or `path.1`, `path.2`, ... (the
 * name {@linkcode createUniqueFile} would create), found without creating it, for an answer that
 * makes no file but is reported under the name it would have had (a 204, as GNU wget names it).
 *
 * @module
 */

/** `path`, or the first of `path.1`, `path.2`, ... that does not exist. */
export function freeFileName(path: string): string {
  for (let n = 0;; n++) {
    const candidate = n === 0 ? path : `${path}.${n}`;
    try {
      Deno.lstatSync(candidate);
    } catch {
      return candidate;
    }
  }
}
