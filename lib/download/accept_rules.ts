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
  return list.some((entry) => {
    // (A wildcard under --ignore-case: fnmatch's FNM_CASEFOLD, see globMatcher.)
    if (/[*?[\]]/.test(entry)) return globMatcher(entry, false, ignoreCase).test(name);
    return ignoreCase ? name.toLowerCase().endsWith(entry.toLowerCase()) : name.endsWith(entry);
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
      if (/[*?[\]]/.test(pattern)) return globMatcher(pattern, true, ignoreCase).test(dir);
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

const GLOBS = new Map<string, RegExp>();

/** POSIX classes in a bracket (`[[:upper:]]`), as fnmatch's in an ASCII or UTF-8 C locale. */
const CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  blank: " \\t",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-/:-@\\[-`{-~",
  space: " \\t-\\r",
  upper: "A-Z",
  xdigit: "0-9A-Fa-f",
};

/**
 * A shell wildcard as a regular expression, as fnmatch: `*`, `?`, `[abc]`, `[a-z]`, `[!abc]`,
 * `[[:upper:]]`, `\x`; with `pathname`, `*` and `?` do not match `/` (FNM_PATHNAME); with
 * `fold`, letters and ranges match either case, and a class the letter as it is (FNM_CASEFOLD,
 * which tests a class on the name's own letter: `[[:upper:]]*` takes `About.html` alone).
 */
function globMatcher(glob: string, pathname = false, fold = false): RegExp {
  const key = `${pathname ? "p" : "n"}${fold ? "f" : "c"}${glob}`;
  let cached = GLOBS.get(key);
  if (cached) return cached;
  const any = pathname ? "[^/]" : "[^]";
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") source += `${any}*`;
    else if (c === "?") source += any;
    else if (c === "\\" && i + 1 < glob.length) source += literal(glob[++i]!, fold);
    else if (c === "[") {
      const bracket = readBracket(glob, i + 1, fold);
      if (bracket === undefined) source += "\\[";
      else {
        source += bracket.source;
        i = bracket.end;
      }
    } else source += literal(c, fold);
  }
  cached = new RegExp(`^${source}$`);
  GLOBS.set(key, cached);
  return cached;
}

/** A character outside brackets, as a regular expression (folding: either case). */
function literal(c: string, fold: boolean): string {
  const lower = c.toLowerCase();
  const upper = c.toUpperCase();
  if (!fold || lower === upper) return escape(c);
  return `(?:${escape(lower)}|${escape(upper)})`;
}

/**
 * The bracket expression after `[` at `from` (`!` or `^` negating, a `]` first taken as itself,
 * ranges, `[:class:]`) as a regular expression, and the index of its closing `]`; undefined
 * when it does not close (the `[` is then itself).
 */
function readBracket(
  glob: string,
  from: number,
  fold: boolean,
): { source: string; end: number } | undefined {
  let j = from;
  const negate = glob[j] === "!" || glob[j] === "^";
  if (negate) j++;
  let body = "";
  for (let first = true; j < glob.length && (glob[j] !== "]" || first); first = false) {
    if (glob[j] === "[" && glob[j + 1] === ":") {
      const close = glob.indexOf(":]", j + 2);
      const known = close < 0 ? undefined : CLASSES[glob.slice(j + 2, close)];
      if (known !== undefined) {
        body += known;
        j = close + 2;
        continue;
      }
    }
    let c = glob[j]!;
    if (c === "\\" && j + 1 < glob.length) c = glob[++j]!;
    j++;
    if (glob[j] === "-" && j + 1 < glob.length && glob[j + 1] !== "]") {
      // A range (folding: the same range in either case too).
      let to = glob[j + 1]!;
      j += 2;
      if (to === "\\" && j < glob.length) to = glob[j++]!;
      // (A range backwards matches nothing, as fnmatch's: no SyntaxError.)
      const range = (a: string, b: string) =>
        a > b ? "" : `${escapeInBracket(a)}-${escapeInBracket(b)}`;
      body += range(c, to);
      const [lower, upper] = [
        range(c.toLowerCase(), to.toLowerCase()),
        range(c.toUpperCase(), to.toUpperCase()),
      ];
      if (fold && lower !== upper) body += lower + upper;
      continue;
    }
    body += fold
      ? [...new Set([c, c.toLowerCase(), c.toUpperCase()])].map(escapeInBracket).join("")
      : escapeInBracket(c);
  }
  if (j >= glob.length) return undefined;
  return { source: `[${negate ? "^" : ""}${body}]`, end: j };
}

/** `c` escaped for a bracket of a regular expression. */
function escapeInBracket(c: string): string {
  return c.replace(/[\\\]^[-]/g, "\\$&");
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
