/**
 * GNU wget's `--regex-type`: `posix` (the default), a POSIX extended regular expression as
 * glibc's `regcomp(REG_EXTENDED)` reads it, and `pcre`, each turned into a JavaScript `RegExp`
 * that matches the same strings (wget only asks whether a URL matches, so leftmost-longest
 * against leftmost-first does not matter).
 *
 * @module
 */

/** POSIX bracket classes (`[[:digit:]]`) in JavaScript's terms. */
const CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  blank: " \\t",
  cntrl: "\\x00-\\x1f\\x7f",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: " \\t\\n\\r\\f\\v",
  upper: "A-Z",
  xdigit: "0-9A-Fa-f",
};

/** glibc's backslash escapes outside brackets that are more than the character itself. */
const GNU_ESCAPES: Record<string, string> = {
  w: "\\w",
  W: "\\W",
  s: "\\s",
  S: "\\S",
  b: "\\b",
  B: "\\B",
  "<": "\\b(?=\\w)",
  ">": "\\b(?<=\\w)",
  "`": "^",
  "'": "$",
};

/**
 * Compiles a POSIX extended regular expression (with glibc's `\w`, `\s`, `\<`, `\>` and back
 * references) as a JavaScript `RegExp`: inside brackets a backslash is itself and `[:class:]`
 * names a class; outside them `\d` is a plain `d`, as in glibc.
 *
 * @throws {SyntaxError} for an expression that cannot be compiled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { posixRegExp } from "./regex.ts";
 *
 * assert.ok(posixRegExp("page[[:digit:]]+\\.html$").test("/page12.html"));
 * assert.ok(!posixRegExp("\\d").test("1")); // \d is "d" in POSIX
 * assert.ok(posixRegExp("[\\.]").test("\\"));
 * ```
 */
export function posixRegExp(source: string): RegExp {
  let out = "";
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === "\\") {
      const next = source[++i];
      if (next === undefined) throw new SyntaxError("Trailing backslash");
      if (/[1-9]/.test(next)) out += `\\${next}`;
      else out += GNU_ESCAPES[next] ?? escapeChar(next);
    } else if (char === "[") {
      const [bracket, end] = bracketExpression(source, i);
      out += bracket;
      i = end;
    } else {
      out += char;
    }
  }
  return new RegExp(out);
}

/** The bracket expression starting at `start`, as JavaScript, and the index of its `]`. */
function bracketExpression(source: string, start: number): [string, number] {
  let i = start + 1;
  let out = "[";
  if (source[i] === "^") {
    out += "^";
    i++;
  }
  // A `]` first in the list is a member, not the end.
  if (source[i] === "]") {
    out += "\\]";
    i++;
  }
  for (; i < source.length; i++) {
    const char = source[i]!;
    if (char === "]") return [`${out}]`, i];
    if (char === "[" && /[:.=]/.test(source[i + 1] ?? "")) {
      const kind = source[i + 1]!;
      const close = source.indexOf(`${kind}]`, i + 2);
      if (close < 0) throw new SyntaxError("Unterminated bracket class");
      const name = source.slice(i + 2, close);
      if (kind === ":") {
        const members = CLASSES[name];
        if (members === undefined) throw new SyntaxError(`Unknown class "${name}"`);
        out += members;
      } else {
        out += [...name].map(escapeChar).join("");
      }
      i = close + 1;
    } else if (char === "-") {
      out += "-";
    } else {
      out += escapeChar(char);
    }
  }
  throw new SyntaxError("Unterminated bracket expression");
}

/** A character as a literal in a JavaScript pattern. */
function escapeChar(char: string): string {
  return /[\\^$.*+?()[\]{}|\/-]/.test(char) ? `\\${char}` : char;
}

/**
 * Compiles a PCRE pattern as a JavaScript `RegExp`: the syntax is JavaScript's but for PCRE's
 * leading option setting (`(?i)`, `(?s)`, `(?m)`), which becomes the flags.
 *
 * @throws {SyntaxError} for a pattern that cannot be compiled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pcreRegExp } from "./regex.ts";
 *
 * assert.ok(pcreRegExp("(?i)A\\.TXT$").test("/site/a.txt"));
 * assert.ok(pcreRegExp("\\d\\.txt").test("/1.txt"));
 * ```
 */
export function pcreRegExp(source: string): RegExp {
  let flags = "";
  let rest = source;
  for (let match; (match = /^\(\?([ims]+)\)/.exec(rest));) {
    for (const flag of match[1]!) if (!flags.includes(flag)) flags += flag;
    rest = rest.slice(match[0].length);
  }
  return new RegExp(rest, flags);
}
