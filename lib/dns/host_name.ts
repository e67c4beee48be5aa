/**
 * Host names checked as a resolver must check them: what a user types ({@linkcode toAsciiHostName}:
 * DNS limits, no empty label, international names to `xn--` form by Punycode, RFC 3492, and never
 * through a URL parser, which would cut `name#x` or `user@name/x` to another name), and what a
 * server answers ({@linkcode isValidAnswerName}: glibc's `res_hnok` rule, so a PTR record such as
 * `<script>.test` never reaches a caller).
 *
 * @module
 */

import { quoteForMessage } from "../internal/quote.ts";
import { InvalidHostNameError } from "./invalid_host_name_error.ts";

/** The longest label, in bytes (RFC 1035). */
export const MAX_LABEL_LENGTH = 63;
/** The longest name, in bytes, without the final dot (RFC 1035's 255 on the wire). */
export const MAX_HOST_NAME_LENGTH = 253;

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

function digit(value: number): string {
  return String.fromCharCode(value < 26 ? 97 + value : 22 + value);
}

/**
 * Encodes one label by Punycode (RFC 3492 section 6.3), without the `xn--` prefix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { punycodeEncode } from "@netkit/netkit/dns";
 *
 * assert.equal(punycodeEncode("b\u00fccher"), "bcher-kva");
 * assert.equal(punycodeEncode("m\u00fcnchen"), "mnchen-3ya");
 * ```
 */
export function punycodeEncode(label: string): string {
  const points = Array.from(label, (ch) => ch.codePointAt(0) ?? 0);
  let output = points.filter((p) => p < 0x80).map((p) => String.fromCharCode(p)).join("");
  const basic = output.length;
  let handled = basic;
  if (basic > 0) output += "-";
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < points.length) {
    let m = Infinity;
    for (const p of points) if (p >= n && p < m) m = p;
    delta += (m - n) * (handled + 1);
    n = m;
    for (const p of points) {
      if (p < n) delta++;
      if (p !== n) continue;
      let q = delta;
      for (let k = BASE;; k += BASE) {
        const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
        if (q < t) break;
        output += digit(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

/**
 * Decodes one label by Punycode (RFC 3492 section 6.2), without the `xn--` prefix: the inverse of
 * {@linkcode punycodeEncode}.
 *
 * @throws {SyntaxError} when `encoded` is no valid Punycode.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { punycodeDecode } from "@netkit/netkit/dns";
 *
 * assert.equal(punycodeDecode("bcher-kva"), "b\u00fccher");
 * assert.throws(() => punycodeDecode("99999999999"), SyntaxError);
 * ```
 */
export function punycodeDecode(encoded: string): string {
  const fail = (): never => {
    throw new SyntaxError(`Invalid Punycode ${quoteForMessage(encoded)}`);
  };
  const delimiter = encoded.lastIndexOf("-");
  const output = Array.from(delimiter > 0 ? encoded.slice(0, delimiter) : "", (ch) => {
    const point = ch.codePointAt(0) ?? 0;
    return point < 0x80 ? point : fail();
  });
  let n = INITIAL_N;
  let i = 0;
  let bias = INITIAL_BIAS;
  for (let index = delimiter > 0 ? delimiter + 1 : 0; index < encoded.length;) {
    const oldI = i;
    let w = 1;
    for (let k = BASE;; k += BASE) {
      if (index >= encoded.length) fail();
      const code = encoded.charCodeAt(index++);
      const value = code >= 0x30 && code <= 0x39
        ? code - 22
        : code >= 0x41 && code <= 0x5a
        ? code - 0x41
        : code >= 0x61 && code <= 0x7a
        ? code - 0x61
        : fail();
      i += value * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (value < t) break;
      w *= BASE - t;
      if (!Number.isSafeInteger(i) || !Number.isSafeInteger(w)) fail();
    }
    const length = output.length + 1;
    bias = adapt(i - oldI, length, oldI === 0);
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) fail();
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}

/**
 * A host name with its `xn--` labels shown in Unicode, as getaddrinfo's `AI_CANONIDN` shows a
 * canonical name (`getent ahosts` asks for it); a label that is no valid Punycode stays as it
 * is. The inverse of {@linkcode toAsciiHostName} for the labels it encodes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toUnicodeHostName } from "@netkit/netkit/dns";
 *
 * assert.equal(toUnicodeHostName("xn--bcher-kva.test"), "b\u00fccher.test");
 * assert.equal(toUnicodeHostName("www.test"), "www.test");
 * assert.equal(toUnicodeHostName("XN--BCHER-KVA.TEST"), "B\u00fcCHER.TEST");
 * ```
 */
export function toUnicodeHostName(name: string): string {
  if (!/(^|\.)xn--/i.test(name)) return name;
  return name.split(".").map((label) => {
    if (!/^xn--/i.test(label)) return label;
    try {
      // The letters' case kept, as libidn2 keeps it (getent ahosts: `B\u00fcCHER.TEST` for
      // `XN--BCHER-KVA.TEST`, random seed 1401096).
      return punycodeDecode(label.slice(4));
    } catch {
      return label;
    }
  }).join(".");
}

const ASCII_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/i;

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/**
 * Whether `name` is a whole name of ASCII_LABEL's labels, each at most 63 long: the usual name,
 * taken as it is. By character code: the first regular expression a process runs costs ~0.2 ms
 * (a pattern of this size ~0.07 ms more), where a command's whole lookup should take less.
 */
const isPlainHostName = (function isPlainHostName(name: string): boolean {
  let labelStart = 0;
  for (let i = 0; i <= name.length; i++) {
    const code = i < name.length ? name.charCodeAt(i) : 0x2e;
    if (code === 0x2e) {
      // A label ends: 1 to 63 long, without "-" at either end.
      const length = i - labelStart;
      if (length === 0 || length > MAX_LABEL_LENGTH) return false;
      if (name.charCodeAt(labelStart) === 0x2d || name.charCodeAt(i - 1) === 0x2d) return false;
      labelStart = i + 1;
    } else if (
      !((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) ||
        (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x2d)
    ) {
      return false;
    }
  }
  return true;
}).bind(undefined);
// Built on first use: a Unicode property class costs ~1 ms to compile, at every start-up if
// written as a literal, and most names are ASCII.
let unicodeLabel: RegExp | undefined;
const isUnicodeLabel = (label: string) =>
  (unicodeLabel ??= new RegExp(
    "^[\\p{L}\\p{N}_](?:[\\p{L}\\p{M}\\p{N}_-]*[\\p{L}\\p{M}\\p{N}_])?$",
    "u",
  ))
    .test(label);

/**
 * Checks a host name typed by a user and gives its ASCII form: one final dot allowed (and
 * dropped), each label 1-63 bytes of letters, digits, `-` and `_` (not at either end), at most
 * 253 bytes in all; an international name is normalised (NFC, lower case) and each non-ASCII label
 * encoded as `xn--...`. Nothing is cut or guessed: `both.test#\u00fc` is refused, not read as `both.test`.
 *
 * @param name The name as typed.
 * @returns The name in ASCII, without a final dot.
 * @throws {InvalidHostNameError} (a `SyntaxError`, code `EBADNAME`) saying what is wrong, with the
 * name quoted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toAsciiHostName } from "@netkit/netkit/dns";
 *
 * assert.equal(toAsciiHostName("B\u00fccher.Example."), "xn--bcher-kva.Example");
 * assert.throws(() => toAsciiHostName("both.test#\u00fc"), SyntaxError);
 * assert.throws(() => toAsciiHostName("both.test.."), SyntaxError);
 * ```
 */
export function toAsciiHostName(name: string): string {
  // The usual case, an ASCII host name that is valid as it is: returned without splitting (and
  // without compiling the rest, which a command's single lookup then never runs).
  const bare = name.endsWith(".") ? name.slice(0, -1) : name;
  if (bare !== "" && bare.length <= MAX_HOST_NAME_LENGTH && isPlainHostName(bare)) return bare;
  return encodeHostName(name, bare);
}

/** {@linkcode toAsciiHostName} for a name that is not a plain ASCII host name (`bare`: no final dot). */
function encodeHostName(name: string, bare: string): string {
  const fail = (why: string): never => {
    throw new InvalidHostNameError(name, why);
  };
  if (name === "" || name === ".") fail("it is empty");
  const labels = bare.normalize("NFC").split(".");
  const ascii = labels.map((label) => {
    if (label === "") return fail("it has an empty label");
    if (/^[\x21-\x7e]+$/.test(label)) {
      if (!ASCII_LABEL.test(label)) {
        return fail(
          "a label may hold only letters, digits, '-' and '_', and not start or end with '-'",
        );
      }
      return label;
    }
    const lower = label.toLowerCase();
    if (!isUnicodeLabel(lower)) {
      return fail(`the label ${quoteForMessage(label)} is not a host name label`);
    }
    return `xn--${punycodeEncode(lower)}`;
  });
  for (const label of ascii) {
    if (label.length > MAX_LABEL_LENGTH) {
      fail(`the label ${quoteForMessage(label)} is longer than ${MAX_LABEL_LENGTH} bytes`);
    }
  }
  const joined = ascii.join(".");
  if (joined.length > MAX_HOST_NAME_LENGTH) {
    fail(`it is longer than ${MAX_HOST_NAME_LENGTH} bytes`);
  }
  return joined;
}

/**
 * The host name that a name written with the escapes of DNS master files stands for, as glibc's
 * DNS source reads the text it is given (res_hnok, then ns_name_pton for the question): `\DDD` is
 * the byte of decimal DDD (three digits, 255 at most), `\X` is X itself, so that `\100.test` and
 * `\d.test` ask for `d.test`, as `getent hosts` does. Undefined when `name` has no backslash, is
 * not printable ASCII, cannot be read (a final backslash, `\1.test`) or stands for no host name
 * ({@linkcode toAsciiHostName}): `d\.test` and `d\046test` put a dot inside a label, `\032`
 * a space.
 *
 * @param name The name as typed.
 * @returns The host name in ASCII, without a final dot, or undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hostNameOfEscapes } from "@netkit/netkit/dns";
 *
 * assert.equal(hostNameOfEscapes("\\100.test"), "d.test");
 * assert.equal(hostNameOfEscapes("we\\b.corp.test."), "web.corp.test");
 * assert.equal(hostNameOfEscapes("d\\.test"), undefined);
 * assert.equal(hostNameOfEscapes("d.test\\"), undefined);
 * assert.equal(hostNameOfEscapes("d.test"), undefined);
 * ```
 */
export function hostNameOfEscapes(name: string): string | undefined {
  if (!name.includes("\\") || !/^[\x21-\x7e]+$/.test(name)) return undefined;
  let text = "";
  for (let at = 0; at < name.length; at++) {
    const char = name[at]!;
    if (char !== "\\") {
      text += char;
      continue;
    }
    let escaped = name[++at];
    if (escaped === undefined) return undefined; // a final backslash
    if (escaped >= "0" && escaped <= "9") {
      const digits = name.slice(at, at + 3);
      if (!/^[0-9]{3}$/.test(digits) || Number(digits) > 255) return undefined;
      escaped = String.fromCharCode(Number(digits));
      at += 2;
    }
    // A label's byte, never the end of one: only what a host name's label holds.
    if (!/^[0-9A-Za-z_-]$/.test(escaped)) return undefined;
    text += escaped;
  }
  try {
    return toAsciiHostName(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether a name found in a DNS answer (an owner, a CNAME target, a PTR name) is a host name by
 * glibc's `res_hnok` rule: labels of letters, digits, `-` and `_`, not starting with `-`. Names
 * holding anything else (`<script>x</scr.test`, `bad\032name!!.test`) are not handed to callers.
 *
 * @param name The name as the codec decoded it (special bytes appear `\DDD`-escaped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isValidAnswerName } from "@netkit/netkit/dns";
 *
 * assert.equal(isValidAnswerName("mail-1.example.test"), true);
 * assert.equal(isValidAnswerName("<script>x</scr.test"), false);
 * assert.equal(isValidAnswerName("bad\\032name!!.test"), false);
 * ```
 */
export function isValidAnswerName(name: string): boolean {
  return isAnswerName(name);
}

/** {@linkcode isValidAnswerName}, compiled with the module (see above). */
const isAnswerName = (function isAnswerName(name: string): boolean {
  const bare = name.endsWith(".") ? name.slice(0, -1) : name;
  if (bare === "") return true; // the root
  if (bare.startsWith("-") || bare.length > MAX_HOST_NAME_LENGTH) return false;
  // Labels of 1 to 63 of `[A-Za-z0-9_-]`, by character code: nothing allocated, and no
  // regular expression on an answer's path.
  let label = 0;
  for (let i = 0; i <= bare.length; i++) {
    const code = i < bare.length ? bare.charCodeAt(i) : 0x2e;
    if (code === 0x2e) {
      if (label === 0) return false;
      label = 0;
      continue;
    }
    const lower = code | 0x20;
    const allowed = (lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39) ||
      code === 0x5f || code === 0x2d; // a-z A-Z 0-9 _ -
    if (!allowed || ++label > MAX_LABEL_LENGTH) return false;
  }
  return true;
}).bind(undefined);
