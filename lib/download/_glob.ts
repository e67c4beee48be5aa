/**
 * Shell wildcards matched as glibc's `fnmatch()` matches them in a UTF-8 locale, the way GNU
 * wget's `-A`/`-R` (flags 0) and `-I`/`-X` (`FNM_PATHNAME`) call it, with `FNM_CASEFOLD` under
 * `--ignore-case`: `*`, `?`, `\x`, and bracket expressions with `!` or `^`, ranges, a leading
 * `]`, and the classes `[:alpha:]` ... `[:xdigit:]`. Under case folding a character and a range
 * are compared lower-cased, a class tests the character as it is (glibc's rule: `[[:upper:]]`
 * matches `A`, never `a`, with or without folding). An unterminated `[` is an ordinary
 * character; a pattern that ends in a lone `\`, or reaches an unknown class, matches nothing
 * there. Classes outside ASCII follow Unicode's categories (glibc's C.UTF-8 tables may differ
 * there); collating elements (`[.x.]`) and equivalence classes (`[=x=]`) stand for their one
 * character.
 *
 * @module
 */

/** How to match: glibc's `FNM_PATHNAME` and `FNM_CASEFOLD`. */
export interface GlobFlags {
  /** `*`, `?` and bracket expressions never match `/`. */
  pathname?: boolean | undefined;
  /** Compare lower-cased (classes excepted). */
  foldCase?: boolean | undefined;
}

const CLASSES: Record<string, (c: string) => boolean> = {
  alpha: (c) => /^\p{L}$/u.test(c),
  digit: (c) => c >= "0" && c <= "9",
  alnum: (c) => /^[\p{L}0-9]$/u.test(c),
  upper: (c) => /^\p{Lu}$/u.test(c),
  lower: (c) => /^\p{Ll}$/u.test(c),
  space: (c) => /^[ \t\n\v\f\r\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]$/.test(c),
  blank: (c) => /^[ \t\u1680\u2000-\u2006\u2008-\u200a\u205f\u3000]$/.test(c),
  punct: (c) => /^[\p{P}\p{S}]$/u.test(c),
  cntrl: (c) => /^\p{Cc}$/u.test(c),
  print: (c) => !/^[\p{Cc}\p{Cn}\p{Cs}]$/u.test(c),
  graph: (c) => !/^[\p{Cc}\p{Cn}\p{Cs}\s]$/u.test(c),
  xdigit: (c) => /^[0-9A-Fa-f]$/.test(c),
};

/** Lower-cased as towlower() does it, one character for one. */
function lower(c: string): string {
  const folded = c.toLowerCase();
  return [...folded].length === 1 ? folded : c;
}

/**
 * Whether `subject` matches the wildcard `glob` as glibc's `fnmatch(glob, subject, flags)`
 * says it does (0) in a UTF-8 locale.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { globMatches } from "./_glob.ts";
 *
 * assert.equal(globMatches("[[:upper:]]*", "About.html", { foldCase: true }), true);
 * assert.equal(globMatches("[[:upper:]]*", "about.html", { foldCase: true }), false);
 * assert.equal(globMatches("[a-p]*", "Page.html", { foldCase: true }), true);
 * assert.equal(globMatches("a/*", "a/b/c", { pathname: true }), false);
 * assert.equal(globMatches("[]x]y", "]y"), true);
 * ```
 */
export function globMatches(glob: string, subject: string, flags: GlobFlags = {}): boolean {
  const pathname = flags.pathname ?? false;
  const fold = flags.foldCase ? lower : (c: string) => c;
  const p = [...glob];
  const chars = [...subject];
  const folded = flags.foldCase ? chars.map(lower) : chars;
  const n = chars.length;
  // known[pi * (n + 1) + s]: 1 no match, 2 a match, of the pattern from pi against chars from s.
  const known = new Uint8Array((p.length + 1) * (n + 1));
  const from = (pi: number, s: number): boolean => {
    const at = pi * (n + 1) + s;
    if (known[at] !== 0) return known[at] === 2;
    let result: boolean;
    const c = p[pi];
    if (c === undefined) result = s === n;
    else if (c === "*") {
      // A loop, not a call a character: the depth of the calls stays the pattern's length,
      // however long the name (a hostile link's can be thousands of characters).
      result = false;
      for (let end = s; end <= n; end++) {
        if (from(pi + 1, end)) {
          result = true;
          break;
        }
        if (end === n || (pathname && chars[end] === "/")) break;
      }
    } else if (s === n) result = false;
    else {
      const next = step(p, pi, chars[s]!, folded[s]!, pathname, fold);
      result = next >= 0 && from(next, s + 1);
    }
    known[at] = result ? 2 : 1;
    return result;
  };
  return from(0, 0);
}

/**
 * Where the pattern `p` goes on after its element at `pi` matched one character (`raw`, and
 * `folded` as compared), or -1 when it does not match it.
 */
function step(
  p: string[],
  pi: number,
  raw: string,
  folded: string,
  pathname: boolean,
  fold: (c: string) => string,
): number {
  const c = p[pi]!;
  if (c === "?") return pathname && raw === "/" ? -1 : pi + 1;
  if (c === "\\") {
    const next = p[pi + 1];
    return next !== undefined && fold(next) === folded ? pi + 2 : -1;
  }
  if (c === "[") return bracket(p, pi + 1, raw, folded, pathname, fold);
  return fold(c) === folded ? pi + 1 : -1;
}

/**
 * glibc's bracket expression whose `[` is just before `start` against one character: where the
 * pattern goes on (after its `]`, or after the `[` when it is not closed: an ordinary `[`), or
 * -1. Read as fnmatch reads it, member by member until one matches, so that what follows a
 * match (the rest skipped to its `]`) and what does not are told apart as glibc tells them.
 */
function bracket(
  p: string[],
  start: number,
  raw: string,
  folded: string,
  pathname: boolean,
  fold: (c: string) => string,
): number {
  if (pathname && raw === "/") return -1;
  const ordinaryBracket = folded === fold("[") ? start : -1;
  let q = start;
  const negate = p[q] === "!" || p[q] === "^";
  if (negate) q++;
  let c = p[q++];
  const fn = folded.codePointAt(0)!;
  for (;;) {
    let member: string | undefined;
    if (c === undefined) return ordinaryBracket;
    if (c === "\\") {
      c = p[q++];
      if (c === undefined) return -1;
      member = fold(c);
    } else if (c === "[" && p[q] === ":") {
      let k = q + 1;
      let name = "";
      let closed = false;
      for (;; k++) {
        const ch = p[k];
        if (ch === ":" && p[k + 1] === "]") {
          closed = true;
          break;
        }
        if (ch === undefined || ch < "a" || ch >= "z") break;
        name += ch;
      }
      if (closed) {
        const test = CLASSES[name];
        if (test === undefined) return -1;
        if (test(raw)) return skipMatched(p, k + 2, negate, ordinaryBracket);
        q = k + 2;
        c = p[q++];
      } else member = "[";
    } else if (c === "[" && p[q] === "=") {
      if (p[q + 1] !== undefined && p[q + 2] === "=" && p[q + 3] === "]") {
        if (raw === p[q + 1]) return skipMatched(p, q + 4, negate, ordinaryBracket);
        q += 4;
        c = p[q++];
      } else member = "[";
    } else if (c === "[" && p[q] === ".") {
      let k = q + 1;
      while (!(p[k] === "." && p[k + 1] === "]")) {
        if (p[k] === undefined) return -1;
        k++;
      }
      if (k !== q + 2) return -1;
      const one = p[q + 1]!;
      q = k + 2;
      const isRange = p[q] === "-" && p[q + 1] !== undefined;
      if (!isRange && raw === one) return skipMatched(p, q, negate, ordinaryBracket);
      c = p[q++];
      if (isRange) {
        const next = range(one);
        if (typeof next === "number") return next;
      }
    } else member = fold(c);
    if (member !== undefined) {
      const isRange = p[q] === "-" && p[q + 1] !== undefined && p[q + 1] !== "]";
      if (!isRange && member === folded) return skipMatched(p, q, negate, ordinaryBracket);
      c = p[q++];
      const next = range(member);
      if (typeof next === "number") return next;
    }
    if (c === "]") return negate ? q : -1;
  }

  /** `c` `-` END where `c` is `-`: a match's place, -1, or nothing (`c` the next). */
  function range(first: string): number | undefined {
    if (c !== "-" || p[q] === "]") return undefined;
    let end = p[q++];
    if (end === "[" && p[q] === ".") {
      // A collating element as the end: its one character, as it is.
      let k = q + 1;
      while (!(p[k] === "." && p[k + 1] === "]")) {
        if (p[k] === undefined) return -1;
        k++;
      }
      if (k !== q + 2) return -1;
      end = p[q + 1]!;
      q = k + 2;
    } else {
      if (end === "\\") end = p[q++];
      if (end === undefined) return -1;
      end = fold(end);
    }
    const low = first.codePointAt(0)!;
    const high = end.codePointAt(0)!;
    if (low <= fn && fn <= high) return skipMatched(p, q, negate, ordinaryBracket);
    c = p[q++];
    return undefined;
  }
}

/**
 * After a bracket's member matched at `q`: the rest skipped to its `]` as glibc skips it, and
 * where the pattern goes on (-1 when the bracket is negated, or the skip finds the pattern
 * malformed; `ordinaryBracket` when no `]` comes: then the `[` was an ordinary one).
 */
function skipMatched(p: string[], q: number, negate: boolean, ordinaryBracket: number): number {
  for (;;) {
    const c = p[q++];
    if (c === "]") return negate ? -1 : q;
    if (c === undefined) return ordinaryBracket;
    if (c === "\\") {
      if (p[q] === undefined) return -1;
      q++;
    } else if (c === "[" && p[q] === ":") {
      const startp = q;
      let k = q;
      for (;;) {
        const ch = p[++k];
        if (p[k] === ":" && p[k + 1] === "]") break;
        if (ch === undefined || ch < "a" || ch >= "z") {
          k = startp - 2;
          break;
        }
      }
      q = k + 2;
    } else if (c === "[" && p[q] === "=") {
      if (p[q + 1] === undefined || p[q + 2] !== "=" || p[q + 3] !== "]") return -1;
      q += 4;
    } else if (c === "[" && p[q] === ".") {
      let k = q;
      for (;;) {
        const ch = p[++k];
        if (ch === undefined) return -1;
        if (ch === "." && p[k + 1] === "]") break;
      }
      q = k + 2;
    }
  }
}
