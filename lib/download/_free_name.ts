/**
 * The name a new file would get without clobbering one: `path`, or `path.1`, `path.2`, ... (the
 * name {@linkcode createUniqueFile} would create), found without creating it, for an answer that
 * makes no file but is reported under the name it would have had (a 204, as GNU wget names it).
 *
 * @module
 */

/**
 * The most `.N` suffixes tried before a name counts as taken for good.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_NAME_SUFFIX } from "./_free_name.ts";
 *
 * assert.equal(MAX_NAME_SUFFIX, 100_000);
 * ```
 */
export const MAX_NAME_SUFFIX = 100_000;

/**
 * `path` + `extension`, or the first of `path.1` + `extension`, `path.2` + `extension`, ... that
 * does not exist (a dangling symbolic link counts as existing: `createNew` would fail on it).
 *
 * @throws {Deno.errors.AlreadyExists} when the 100,000th suffix exists too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { freeFileName } from "./_free_name.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/page.html`, "");
 * await Deno.writeTextFile(`${dir}/page.1.html`, "");
 * assert.equal(freeFileName(`${dir}/page`), `${dir}/page`);
 * assert.equal(freeFileName(`${dir}/page`, ".html"), `${dir}/page.2.html`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function freeFileName(path: string, extension = ""): string {
  for (let n = 0;; n++) {
    const candidate = n === 0 ? `${path}${extension}` : `${path}.${n}${extension}`;
    try {
      Deno.lstatSync(candidate);
    } catch {
      return candidate;
    }
    if (n >= MAX_NAME_SUFFIX) throw new Deno.errors.AlreadyExists(candidate);
  }
}
