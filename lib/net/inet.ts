/**
 * Address text to bytes and back, as glibc's `inet_pton` and `inet_ntop` do it: strict dotted
 * quads for IPv4 (exactly four decimal parts, no leading zeros, no spaces) and RFC 4291 text for
 * IPv6; IPv6 printed as RFC 5952 asks (lowercase, the longest run of zero fields as `::`, the first
 * on a tie, never a single field) with the IPv4 tail of mapped (`::ffff:1.2.3.4`) and, as glibc
 * does, compatible (`::1.2.3.4`) addresses.
 *
 * @module
 */

import { hexDigitValue } from "../internal/percent_decode.ts";
import { quoteForMessage } from "../internal/quote.ts";

/** An address family by its IP version. */
export type IpFamily = 4 | 6;

const CODE_0 = 0x30;
const CODE_9 = 0x39;
const CODE_DOT = 0x2e;
const CODE_COLON = 0x3a;

/**
 * Reads `text[start..end)` as a dotted quad into `out[offset..offset+4)`. glibc's rules: four
 * parts, each 1 to 3 decimal digits worth at most 255, no leading zero, nothing else.
 */
const parseIpv4Into = (function parseIpv4Into(
  text: string,
  start: number,
  end: number,
  out: Uint8Array,
  offset: number,
): boolean {
  let parts = 0;
  let inPart = false;
  let value = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= CODE_0 && code <= CODE_9) {
      if (inPart && value === 0) return false; // a leading zero, as in "01"
      value = value * 10 + (code - CODE_0);
      if (value > 255) return false;
      if (!inPart) {
        parts++;
        if (parts > 4) return false;
        inPart = true;
      }
    } else if (code === CODE_DOT && inPart) {
      if (parts === 4) return false;
      out[offset + parts - 1] = value;
      value = 0;
      inPart = false;
    } else {
      return false;
    }
  }
  if (parts < 4 || !inPart) return false;
  out[offset + 3] = value;
  return true;
}).bind(undefined);

function parseIpv6(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(16);
  const n = text.length;
  if (n === 0) return undefined;
  let i = 0;
  // A leading colon is only allowed as the first half of "::".
  if (text.charCodeAt(0) === CODE_COLON) {
    if (n < 2 || text.charCodeAt(1) !== CODE_COLON) return undefined;
    i = 1;
  }
  let pos = 0; // bytes written
  let gap = -1; // where "::" stands, in bytes
  let fieldStart = i;
  let digits = 0;
  let value = 0;
  let sawIpv4 = false;
  while (i < n) {
    const code = text.charCodeAt(i++);
    const digit = hexDigitValue(code);
    if (digit >= 0) {
      if (digits === 4) return undefined;
      value = value * 16 + digit;
      digits++;
      continue;
    }
    if (code === CODE_COLON) {
      fieldStart = i;
      if (digits === 0) {
        if (gap >= 0) return undefined; // a second "::"
        gap = pos;
        continue;
      }
      if (i === n) return undefined; // a trailing single colon
      if (pos + 2 > 16) return undefined;
      bytes[pos++] = value >> 8;
      bytes[pos++] = value & 0xff;
      digits = 0;
      value = 0;
      continue;
    }
    if (code === CODE_DOT && pos + 4 <= 16 && parseIpv4Into(text, fieldStart, n, bytes, pos)) {
      pos += 4;
      digits = 0;
      sawIpv4 = true;
      break;
    }
    return undefined;
  }
  if (digits > 0 && !sawIpv4) {
    if (pos + 2 > 16) return undefined;
    bytes[pos++] = value >> 8;
    bytes[pos++] = value & 0xff;
  }
  if (gap >= 0) {
    if (pos === 16) return undefined; // "::" standing for no field at all
    const tail = bytes.slice(gap, pos);
    bytes.fill(0, gap);
    bytes.set(tail, 16 - tail.length);
    pos = 16;
  }
  return pos === 16 ? bytes : undefined;
}

/**
 * Reads an IPv4 or IPv6 address written as text, with exactly glibc's `inet_pton` rules.
 *
 * @param text `"192.0.2.1"`, `"2001:db8::1"`, `"::ffff:192.0.2.1"`, ...
 * @param family 4 or 6 to accept only that family; by default a text with a colon is IPv6.
 * @returns 4 bytes for IPv4, 16 for IPv6, in network order.
 * @throws {SyntaxError} for anything `inet_pton` rejects: `"1.2.3.1e2"`, `" 1.2.3.4"`,
 * `"01.2.3.4"`, `"1.2.3"`, `"256.1.1.1"`, `"1::2::3"`, `"1:2:3:4:5:6:7:8::"`, `""`, ....
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inetPton } from "@netkit/netkit/net";
 *
 * assert.deepEqual(inetPton("127.0.0.1"), new Uint8Array([127, 0, 0, 1]));
 * assert.equal(inetPton("::1").length, 16);
 * assert.throws(() => inetPton("01.2.3.4"), SyntaxError); // a leading zero is ambiguous
 * ```
 */
export function inetPton(text: string, family?: IpFamily): Uint8Array {
  return inetPtonBody(text, family);
}

/** {@linkcode inetPton}'s body, compiled with its module (README.md, start-up). */
const inetPtonBody = (function inetPton(text: string, family?: IpFamily): Uint8Array {
  if (typeof text !== "string") {
    throw new TypeError(`inetPton() takes a string, not ${typeof text}`);
  }
  const version = family ?? (text.includes(":") ? 6 : 4);
  if (version !== 4 && version !== 6) {
    throw new RangeError(`Address family must be 4 or 6, not "${family}"`);
  }
  const bytes = parseAddress(text, version);
  if (bytes) return bytes;
  throw new SyntaxError(`Invalid IPv${version} address ${quoteForMessage(text)}`);
}).bind(undefined);

/** inetPton without the exception: undefined for what it rejects (cheaper in hot paths). */
const parseAddress =
  (function parseAddress(text: string, version: IpFamily): Uint8Array | undefined {
    if (version === 6) return parseIpv6(text);
    const bytes = new Uint8Array(4);
    return parseIpv4Into(text, 0, text.length, bytes, 0) ? bytes : undefined;
  }).bind(undefined);

/**
 * Tells which family an address literal belongs to, without throwing.
 *
 * @returns 4 or 6, or undefined when `text` is no address literal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addressFamily } from "@netkit/netkit/net";
 *
 * assert.equal(addressFamily("::1"), 6);
 * assert.equal(addressFamily("example.org"), undefined);
 * ```
 */
export function addressFamily(text: string): IpFamily | undefined {
  if (typeof text !== "string") return undefined;
  const version = text.includes(":") ? 6 : 4;
  return parseAddress(text, version) ? version : undefined;
}

/**
 * Writes an address as text, as glibc's `inet_ntop` does: dotted quad for 4 bytes; for 16 bytes
 * RFC 5952 text, with a dotted IPv4 tail for mapped `::ffff:a.b.c.d` and compatible `::a.b.c.d`
 * addresses.
 *
 * @param bytes 4 or 16 bytes in network order; the length decides the family.
 * @returns The address text.
 * @throws {TypeError} when `bytes` is no `Uint8Array`.
 * @throws {RangeError} when it is neither 4 nor 16 bytes long.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inetNtop, inetPton } from "@netkit/netkit/net";
 *
 * assert.equal(inetNtop(inetPton("2001:DB8:0:0:1:0:0:1")), "2001:db8::1:0:0:1");
 * assert.equal(inetNtop(inetPton("::ffff:c000:0201")), "::ffff:192.0.2.1");
 * assert.equal(inetNtop(new Uint8Array([10, 0, 0, 1])), "10.0.0.1");
 * ```
 */
export function inetNtop(bytes: Uint8Array): string {
  return inetNtopBody(bytes);
}

/** {@linkcode inetNtop}'s body, compiled with its module (README.md, start-up). */
const inetNtopBody = (function inetNtop(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`inetNtop() takes a Uint8Array, not ${typeof bytes}`);
  }
  if (bytes.length === 4) return bytes.join(".");
  if (bytes.length !== 16) {
    throw new RangeError(`An address is 4 or 16 bytes long, not ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(view.getUint16(i));
  // The longest run of zero words, the first one on a tie; a single zero is not a run.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestLength < 2) bestStart = -1;
  let text = "";
  for (const [i, word] of words.entries()) {
    if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLength) {
      if (i === bestStart) text += ":";
      continue;
    }
    if (i !== 0) text += ":";
    const ipv4Tail = i === 6 && bestStart === 0 &&
      (bestLength === 6 || (bestLength === 5 && words[5] === 0xffff));
    if (ipv4Tail) {
      text += bytes.subarray(12).join(".");
      break;
    }
    text += word.toString(16);
  }
  if (bestStart >= 0 && bestStart + bestLength === 8) text += ":";
  return text;
}).bind(undefined);

/**
 * Parses an IPv4 address in any form glibc's `inet_aton` takes, exactly (no trailing text, as
 * `gethostbyname` and `getaddrinfo` use it): one to four parts, each decimal, octal (`0` prefix)
 * or hexadecimal (`0x`), the last part filling the bytes that remain -- `127.1`, `0x7f.1` and
 * `2130706433` are all 127.0.0.1.
 *
 * @param text The address text.
 * @returns Four bytes in network order, or undefined when `text` is no such address.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inetAton } from "@netkit/netkit/net";
 *
 * assert.deepEqual(inetAton("127.1"), new Uint8Array([127, 0, 0, 1]));
 * assert.deepEqual(inetAton("0x7f.1"), new Uint8Array([127, 0, 0, 1]));
 * assert.equal(inetAton("1.2.3.256"), undefined);
 * ```
 */
export function inetAton(text: string): Uint8Array | undefined {
  if (typeof text !== "string" || text === "") return undefined;
  // A dotted quad as inet_pton takes it (the usual case: a resolv.conf `nameserver` line) reads
  // the same in every form inet_aton takes, without a regular expression.
  const quad = new Uint8Array(4);
  if (parseIpv4Into(text, 0, text.length, quad, 0)) return quad;
  // A host name (any letter but a-f and x) is turned away before any splitting.
  if (!/^[0-9a-fA-FxX.]+$/.test(text)) return undefined;
  const parts = text.split(".");
  if (parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(part)) value = parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = part.length === 1 ? 0 : parseInt(part.slice(1), 8);
    else if (/^[1-9][0-9]*$/.test(part)) value = Number(part);
    else return undefined;
    if (!Number.isSafeInteger(value)) return undefined;
    values.push(value);
  }
  const last = values.pop() ?? 0;
  if (values.some((value) => value > 255)) return undefined;
  const lastBytes = 4 - values.length;
  if (last >= 2 ** (8 * lastBytes)) return undefined;
  const bytes = new Uint8Array(4);
  values.forEach((value, i) => (bytes[i] = value));
  for (let i = 3, rest = last; i >= values.length; i--, rest = Math.floor(rest / 256)) {
    bytes[i] = rest % 256;
  }
  return bytes;
}
