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

const GLOBS = new Map<string, RegExp>();

/** A shell wildcard as a regular expression: `*`, `?`, `[abc]`, `[!abc]`, `\x`. */
function globMatcher(glob: string): RegExp {
  let cached = GLOBS.get(glob);
  if (cached) return cached;
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") source += "[^]*";
    else if (c === "?") source += "[^]";
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
  GLOBS.set(glob, cached);
  return cached;
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
