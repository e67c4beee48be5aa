/**
 * GNU wget's quoting of names in its messages (gnulib's quote and quotearg): typographic quotes
 * under a UTF-8 locale, ASCII ones elsewhere, control characters escaped. Kept apart from the
 * reporter so that the command line's errors can quote without loading it.
 *
 * @module
 */

/** The C escapes GNU's quotearg writes for control characters. */
const C_ESCAPES: Record<number, string> = {
  7: "\\a",
  8: "\\b",
  9: "\\t",
  10: "\\n",
  11: "\\v",
  12: "\\f",
  13: "\\r",
};

/** A byte as quotearg's three-digit octal escape. */
function octal(byte: number): string {
  return `\\${byte.toString(8).padStart(3, "0")}`;
}

/**
 * GNU wget's quotes around a name: typographic under a UTF-8 locale, else ASCII; escaped as GNU's
 * quotearg escapes it (`a\\b` for `a\b`, `\t` for a tab, octal bytes outside a UTF-8 locale).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quoteName } from "./quote_name.ts";
 *
 * assert.match(quoteName("f.txt"), /^(\u2018f\.txt\u2019|'f\.txt')$/);
 * assert.match(quoteName("a\\b\tc"), /^.a\\\\b\\tc.$/);
 * ```
 */
export function quoteName(name: string): string {
  const utf8 = utf8Locale();
  const escaped = quoteargEscape(name, utf8);
  return utf8 ? `\u2018${escaped}\u2019` : `'${escaped}'`;
}

/**
 * Whether the locale's character set is UTF-8 (`LC_ALL`, `LC_CTYPE` or `LANG` says so).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { utf8Locale } from "./quote_name.ts";
 *
 * assert.equal(typeof utf8Locale(), "boolean");
 * ```
 */
export function utf8Locale(): boolean {
  const locale = Deno.env.get("LC_ALL") || Deno.env.get("LC_CTYPE") || Deno.env.get("LANG") || "";
  return /utf-?8/i.test(locale);
}

/**
 * `text` escaped as GNU's quotearg escapes it: a backslash doubled, controls as C escapes or
 * octal, and (outside a UTF-8 locale) every byte of a non-ASCII character in octal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { quoteargEscape } from "./quote_name.ts";
 *
 * assert.equal(quoteargEscape("a\tb\u00e9", false), "a\\tb\\303\\251");
 * assert.equal(quoteargEscape("\u00e9", true), "\u00e9");
 * ```
 */
export function quoteargEscape(text: string, utf8: boolean): string {
  const plain = (code: number) => code !== 0x5c && code >= 0x20 && code !== 0x7f;
  let allPlain = true;
  for (let i = 0; i < text.length && allPlain; i++) {
    const code = text.charCodeAt(i);
    allPlain = plain(code) && (utf8 || code < 0x80);
  }
  if (allPlain) return text;
  let escaped = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === "\\") escaped += "\\\\";
    else if (code < 0x20 || code === 0x7f) escaped += C_ESCAPES[code] ?? octal(code);
    else if (code > 0x7f && !utf8) {
      for (const byte of new TextEncoder().encode(char)) escaped += octal(byte);
    } else escaped += char;
  }
  return escaped;
}
