/**
 * Percent-encoding (`%XX`) read back: as text the Web way (`decodeURIComponent`, forgiving) and as
 * bytes GNU wget's way (its url_unescape), with the hex digit reader both ways and address text use.
 *
 * @module
 */

/**
 * `decodeURIComponent`, but text that is not valid percent-encoding comes back as it is.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { percentDecode } from "./percent_decode.ts";
 *
 * assert.equal(percentDecode("caf%C3%A9"), "caf\u00e9");
 * assert.equal(percentDecode("100%"), "100%");
 * ```
 */
export function percentDecode(text: string): string {
  // Nothing to decode (most paths): no call, no copy.
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * GNU wget's url_unescape over bytes: each `%XX` the byte it stands for, but `%00` (which a C
 * string cannot hold: it stays as it is), and a `%` without two hex digits as it is. Bytes above
 * 127 come out as bytes, whether or not they make UTF-8.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { urlUnescapeBytes } from "./percent_decode.ts";
 *
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * assert.deepEqual(urlUnescapeBytes(bytes("a%2Fb%FF")), new Uint8Array([0x61, 0x2f, 0x62, 0xff]));
 * assert.deepEqual(urlUnescapeBytes(bytes("%00%4")), bytes("%00%4"));
 * ```
 */
export function urlUnescapeBytes(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x25 && i + 2 < raw.length) {
      const high = hexDigitValue(raw[i + 1]!);
      const low = hexDigitValue(raw[i + 2]!);
      const byte = high * 16 + low;
      if (high >= 0 && low >= 0 && byte !== 0) {
        out[n++] = byte;
        i += 2;
        continue;
      }
    }
    out[n++] = raw[i]!;
  }
  return out.subarray(0, n);
}

/**
 * The value of a hex digit's character code (`0` to `9`, `a` to `f`, `A` to `F`), or -1 for any other.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hexDigitValue } from "./percent_decode.ts";
 *
 * assert.equal(hexDigitValue("b".charCodeAt(0)), 11);
 * assert.equal(hexDigitValue("g".charCodeAt(0)), -1);
 * ```
 */
export function hexDigitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30; // 0-9
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10; // a-f
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10; // A-F
  return -1;
}
