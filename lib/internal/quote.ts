/**
 * Quoting for error messages, shared by the parsers.
 *
 * @module
 */

const MAX_QUOTED = 64;

/** Quotes a value for an error message: control characters escaped, very long values cut short. */
export function quoteForMessage(text: string): string {
  const shown = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}\u2026` : text;
  let escaped = "";
  for (const char of shown) {
    const code = char.charCodeAt(0);
    escaped += code < 0x20 || code === 0x7f || char === '"' || char === "\\"
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : char;
  }
  return `"${escaped}"`;
}
