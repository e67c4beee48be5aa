/**
 * Which `WWW-Authenticate` challenge GNU Wget 1.21.3 answers, read as its http.c reads them. It
 * looks at every header for the schemes it knows (the first Digest, the first Basic, and stops at
 * NTLM) and prefers Digest over Basic; but each header is copied into one 256-byte buffer in
 * turn, and what it keeps is a place in that buffer. So among several headers it answers the text
 * at that place once the last one was copied: with one challenge a header, the last header's
 * (`Digest ...` then `Basic ...` is answered with Basic); within one header
 * (`Basic realm="a", Digest realm="a", ...`) Digest. Private to `lib/download/`.
 *
 * @module
 */

/** GNU's buffer: a header shorter than this is copied into it; a longer one is not. */
const BUFFER_BYTES = 256;

/** The challenge GNU answers: its scheme, and its text as GNU logs it. */
export interface ChosenChallenge {
  scheme: "basic" | "digest" | "ntlm";
  /** From the scheme's name on (GNU's `Authentication selected: TEXT`). */
  text: string;
}

/**
 * The challenge GNU wget answers among `values` (the `WWW-Authenticate` headers in order), or
 * undefined when it knows none of them or its choice cannot be told (a pointer into a header it
 * no longer holds).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gnuChallenge } from "./_auth_challenge.ts";
 *
 * const digest = 'Digest realm="r", nonce="n"';
 * assert.deepEqual(gnuChallenge(['Basic realm="r"', digest]), { scheme: "digest", text: digest });
 * assert.deepEqual(gnuChallenge([digest, 'Basic realm="r"']), { scheme: "basic", text: 'Basic realm="r"' });
 * assert.deepEqual(gnuChallenge([`Basic realm="r", ${digest}`]), { scheme: "digest", text: digest });
 * assert.deepEqual(gnuChallenge(["Negotiate"]), undefined);
 * ```
 */
export function gnuChallenge(values: readonly string[]): ChosenChallenge | undefined {
  // Where each known scheme was first seen: the header, and the offset in it.
  let digest: { header: number; at: number } | undefined;
  let basic: { header: number; at: number } | undefined;
  let ntlm: { header: number; at: number } | undefined;
  // GNU's buffer as the last copy into it left it (a C string at each offset).
  let buffer = "";
  /** The headers that went into the buffer (short ones); a long one had memory of its own. */
  const copied = new Set<number>();
  let last = -1;
  for (let header = 0; header < values.length && !ntlm; header++) {
    const value = values[header]!;
    last = header;
    if (value.length < BUFFER_BYTES) {
      buffer = value + "\0" + buffer.slice(value.length + 1);
      copied.add(header);
    }
    for (const { name, at } of schemesOf(value)) {
      if (isScheme(name, "ntlm")) {
        ntlm = { header, at };
        break;
      }
      if (!digest && isScheme(name, "digest")) digest = { header, at };
      else if (!basic && isScheme(name, "basic")) basic = { header, at };
    }
  }
  const chosen = ntlm ?? digest ?? basic;
  if (!chosen) return undefined;
  let text: string;
  if (copied.has(chosen.header)) {
    // The buffer now holds the last short header (a long one after it had memory of its own):
    // the text at the same offset, up to the first NUL.
    const end = buffer.indexOf("\0", chosen.at);
    text = buffer.slice(chosen.at, end < 0 ? undefined : end);
  } else if (chosen.header === last) {
    text = values[last]!.slice(chosen.at);
  } else {
    // A long header's memory was freed when the next one came: what it holds is not known.
    return undefined;
  }
  // GNU dispatches on the first letter of what it reads there.
  const first = text.charAt(0).toUpperCase();
  const scheme = first === "B" ? "basic" : first === "D" ? "digest" : first === "N" ? "ntlm" : "";
  return scheme === "" ? undefined : { scheme, text };
}

/** Whether `name` (a run without blanks) is the scheme `word`, any case, as GNU's STARTS. */
function isScheme(name: string, word: string): boolean {
  return name.toLowerCase() === word;
}

/**
 * The scheme names of one header value and their offsets, as GNU's loop finds them: a name (up
 * to a blank), then its parameters (`name=value`, `name="quoted"`, separated by commas) as long as
 * they read, then the next name.
 */
function schemesOf(value: string): Array<{ name: string; at: number }> {
  const found: Array<{ name: string; at: number }> = [];
  let p = 0;
  for (;;) {
    while (p < value.length && isSpace(value[p]!)) p++;
    const at = p;
    while (p < value.length && !isSpace(value[p]!)) p++;
    if (p === at) break;
    found.push({ name: value.slice(at, p), at });
    for (;;) {
      const next = param(value, p);
      if (next === undefined) break;
      p = next.end;
      if (!next.valued) break;
    }
  }
  return found;
}

/**
 * GNU's extract_param from `start`: where the parameter ends and whether it had a value (GNU's
 * loop goes on only then), or undefined when none reads (the place is not moved).
 */
function param(value: string, start: number): { end: number; valued: boolean } | undefined {
  let p = start;
  while (p < value.length && isSpace(value[p]!)) p++;
  if (p >= value.length) return undefined;
  const nameStart = p;
  while (p < value.length && !isSpace(value[p]!) && value[p] !== "=" && value[p] !== ",") p++;
  if (p === nameStart) return undefined;
  while (p < value.length && isSpace(value[p]!)) p++;
  // No value: read, past the separator, and GNU's loop stops there.
  if (p >= value.length) return { end: p, valued: false };
  if (value[p] === ",") return { end: p + 1, valued: false };
  if (value[p] !== "=") return undefined;
  p++;
  while (p < value.length && isSpace(value[p]!)) p++;
  if (value[p] === '"') {
    const close = value.indexOf('"', p + 1);
    if (close < 0) return undefined;
    p = close + 1;
    while (p < value.length && isSpace(value[p]!)) p++;
  }
  // (After a closing quote, anything up to the separator is skipped, as GNU's.)
  while (p < value.length && value[p] !== ",") p++;
  if (p < value.length) p++;
  return { end: p, valued: true };
}

/** C's isspace. */
function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";
}
