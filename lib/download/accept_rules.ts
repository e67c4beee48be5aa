/**
 * GNU wget's `-A`/`--accept` and `-R`/`--reject` lists: each entry is a file name suffix
 * (`html`, `.png`) or, when it holds `*`, `?`, `[` or `]`, a shell wildcard matched against the
 * whole file name.
 *
 * @module
 */

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
    const pattern = ignoreCase ? entry.toLowerCase() : entry;
    return /[*?[\]]/.test(pattern) ? globMatcher(pattern).test(subject) : subject.endsWith(pattern);
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
      let subject = dir;
      if (ignoreCase) {
        pattern = pattern.toLowerCase();
        subject = subject.toLowerCase();
      }
      if (/[*?[\]]/.test(pattern)) return globMatcher(pattern, true).test(subject);
      return pattern === "" || subject === pattern || subject.startsWith(`${pattern}/`);
    });
  if (rules.include?.length && !matches(rules.include)) return false;
  if (rules.exclude?.length && matches(rules.exclude)) return false;
  return true;
}

const GLOBS = new Map<string, RegExp>();

/**
 * A shell wildcard as a regular expression: `*`, `?`, `[abc]`, `[!abc]`, `\x`; with
 * `pathname`, `*` and `?` do not match `/` (fnmatch's FNM_PATHNAME).
 */
function globMatcher(glob: string, pathname = false): RegExp {
  const key = `${pathname ? "p" : "n"}${glob}`;
  let cached = GLOBS.get(key);
  if (cached) return cached;
  const any = pathname ? "[^/]" : "[^]";
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") source += `${any}*`;
    else if (c === "?") source += any;
    else if (c === "\\" && i + 1 < glob.length) source += escape(glob[++i] ?? "");
    else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) {
        source += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith("!") || body.startsWith("^");
      if (negate) body = body.slice(1);
      source += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = close;
    } else source += escape(c ?? "");
  }
  cached = new RegExp(`^${source}$`);
  GLOBS.set(key, cached);
  return cached;
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
