/**
 * GNU wget's `-A`/`--accept` and `-R`/`--reject` lists: each entry is a file name suffix
 * (`html`, `.png`) or, when it holds `*`, `?`, `[` or `]`, a shell wildcard matched against the
 * whole file name.
 *
 * @module
 */

import { globMatches } from "./_glob.ts";

/** The lists and how to compare. */
export interface AcceptRules {
  /** Suffixes or wildcards a file name must match one of (`-A`). */
  accept?: readonly string[] | undefined;
  /** Suffixes or wildcards a file name must match none of (`-R`). */
  reject?: readonly string[] | undefined;
  /** Compare without regard to case (`--ignore-case`). */
  ignoreCase?: boolean | undefined;
}

/**
 * Whether `path`'s last element passes the rules, as GNU wget's `acceptable()` decides.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { acceptsFileName } from "@netkit/netkit/download";
 *
 * assert.equal(acceptsFileName("site/a.PNG", { accept: ["png"] }), false);
 * assert.equal(acceptsFileName("site/a.PNG", { accept: ["png"], ignoreCase: true }), true);
 * assert.equal(acceptsFileName("page.html?q=1", { accept: ["*.html*"] }), true);
 * assert.equal(acceptsFileName("x.gif", { reject: ["gif", "jpg"] }), false);
 * ```
 */
export function acceptsFileName(path: string, rules: AcceptRules): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const ignoreCase = rules.ignoreCase ?? false;
  if (rules.accept?.length && !inList(rules.accept, name, ignoreCase)) return false;
  if (rules.reject?.length && inList(rules.reject, name, ignoreCase)) return false;
  return true;
}

function inList(list: readonly string[], name: string, ignoreCase: boolean): boolean {
  const subject = ignoreCase ? name.toLowerCase() : name;
  return list.some((entry) => {
    if (/[*?[\]]/.test(entry)) return globMatches(entry, name, { foldCase: ignoreCase });
    return subject.endsWith(ignoreCase ? entry.toLowerCase() : entry);
  });
}

/**
 * Whether the directory of a URL (its path without the leading `/` and the file name, as
 * `a/b`) passes GNU wget's `-I` (`--include-directories`) and `-X` (`--exclude-directories`):
 * an entry with a wildcard matches the whole directory (`*` stops at `/`), one without matches
 * the directory and everything below it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { acceptsDirectory } from "@netkit/netkit/download";
 *
 * assert.equal(acceptsDirectory("docs/a", { include: ["/docs"] }), true);
 * assert.equal(acceptsDirectory("blog", { include: ["/docs"] }), false);
 * assert.equal(acceptsDirectory("blog/drafts", { exclude: ["*\/drafts"] }), false);
 * assert.equal(acceptsDirectory("blog/x/drafts", { exclude: ["*\/drafts"] }), true);
 * ```
 */
export function acceptsDirectory(
  directory: string,
  rules: {
    include?: readonly string[] | undefined;
    exclude?: readonly string[] | undefined;
    ignoreCase?: boolean | undefined;
  },
): boolean {
  const dir = directory.startsWith("/") ? directory.slice(1) : directory;
  const ignoreCase = rules.ignoreCase ?? false;
  const matches = (list: readonly string[]) =>
    list.some((entry) => {
      let pattern = entry.startsWith("/") ? entry.slice(1) : entry;
      if (/[*?[\]]/.test(pattern)) {
        return globMatches(pattern, dir, { pathname: true, foldCase: ignoreCase });
      }
      let subject = dir;
      if (ignoreCase) {
        pattern = pattern.toLowerCase();
        subject = subject.toLowerCase();
      }
      return pattern === "" || subject === pattern || subject.startsWith(`${pattern}/`);
    });
  if (rules.include?.length && !matches(rules.include)) return false;
  if (rules.exclude?.length && matches(rules.exclude)) return false;
  return true;
}
