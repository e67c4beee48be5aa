/**
 * A small DNS message codec (RFC 1035 section 4): the header, questions, and resource records,
 * with A, AAAA, CNAME, PTR and NS data decoded and the rest kept as bytes. Names are read with
 * compression pointers, each of which must point before the one followed last, so no message can
 * make the decoder loop; every length is checked against the message's end. Anything malformed
 * is a {@linkcode DnsFormatError}.
 *
 * @module
 */

import { markNetkitError } from "../io/netkit_error.ts";
import { quoteForMessage } from "../internal/quote.ts";
import { inetNtop, inetPton } from "../net/inet.ts";
import { DNS_TYPE } from "./codes.ts";

export { DNS_RCODE, DNS_TYPE, MAX_CNAME_LINKS, rcodeName } from "./codes.ts";

/** The Internet class. */
export const DNS_CLASS_IN = 1;

/** The longest name on the wire, in bytes (RFC 1035 section 2.3.4). */
export const MAX_NAME_WIRE_BYTES = 255;
/** The longest label, in bytes. */
export const MAX_LABEL_BYTES = 63;

/**
 * A DNS message (or name) that cannot be decoded or encoded. Code `DNS_FORMAT`; a
 * `SyntaxError` that is also a `NetkitError`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeDnsMessage, DnsFormatError } from "@netkit/netkit/dns";
 *
 * assert.throws(() => decodeDnsMessage(new Uint8Array(5)), DnsFormatError);
 * assert.ok(new DnsFormatError("x") instanceof SyntaxError);
 * ```
 */
export class DnsFormatError extends SyntaxError {
  /** Always `"DNS_FORMAT"`. */
  declare readonly code: "DNS_FORMAT";
  /** Builds the error. */
  constructor(message: string) {
    super(message);
    this.name = "DnsFormatError";
    markNetkitError(this, "DNS_FORMAT");
  }
}

/** A question: the name, type and class asked about. */
export interface DnsQuestion {
  /** The name, without a final dot (`"."` for the root). */
  name: string;
  /** The record type, see {@linkcode DNS_TYPE}. */
  type: number;
  /** The class, normally {@linkcode DNS_CLASS_IN}. @default {1} */
  class?: number;
}

/** A resource record. */
export interface DnsRecord extends DnsQuestion {
  /** Time to live in seconds. @default {0} */
  ttl?: number;
  /**
   * The data: the address text of an A or AAAA record (of 4 or 16 bytes), the name of a CNAME,
   * PTR or NS record, the raw bytes of anything else.
   */
  data: string | Uint8Array;
}

/** A whole DNS message. */
export interface DnsMessage {
  /** The query id the answer must echo. */
  id: number;
  /** QR: true in a response. */
  response: boolean;
  /** The kind of query (0 = standard). */
  opcode: number;
  /** AA: the answer comes from an authoritative server. */
  authoritative: boolean;
  /** TC: the message was cut to fit a UDP datagram; ask again over TCP. */
  truncated: boolean;
  /** RD: the client asks the server to follow the name through other servers. */
  recursionDesired: boolean;
  /** RA: the server can do that. */
  recursionAvailable: boolean;
  /** The response code, see {@linkcode DNS_RCODE}. */
  rcode: number;
  /** The question section. */
  questions: DnsQuestion[];
  /** The answer section. */
  answers: DnsRecord[];
  /** The authority section. */
  authorities: DnsRecord[];
  /** The additional section. */
  additionals: DnsRecord[];
}

/**
 * Encodes a name as DNS labels. One final dot is allowed; `""` and `"."` are the root.
 *
 * @throws {DnsFormatError} for an empty label (`"a..b"`), a label over 63 bytes, a name over 255
 * bytes, or characters outside ASCII (convert international names to `xn--` form first).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeDnsName } from "@netkit/netkit/dns";
 *
 * assert.deepEqual(encodeDnsName("a.test."), new Uint8Array([1, 97, 4, 116, 101, 115, 116, 0]));
 * ```
 */
export function encodeDnsName(name: string): Uint8Array {
  const bare = name.endsWith(".") ? name.slice(0, -1) : name;
  if (bare === "") return new Uint8Array([0]);
  const wire = new Uint8Array(checkedWireLength(name, bare));
  writeDnsName(name, bare, wire, 0);
  return wire;
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** The wire length of a non-empty `bare` name (ASCII, at most 255 bytes), or a DnsFormatError. */
const checkedWireLength = (function checkedWireLength(name: string, bare: string): number {
  // By character code: no regular expression on a question's path.
  for (let i = 0; i < bare.length; i++) {
    if (bare.charCodeAt(i) > 0x7f) {
      throw new DnsFormatError(`Invalid DNS name ${quoteForMessage(name)}: not ASCII`);
    }
  }
  // ASCII: one byte a character; a length byte takes each dot's place, one more before the first
  // label, and the root's 0 ends it.
  if (bare.length + 2 > MAX_NAME_WIRE_BYTES) {
    throw new DnsFormatError(`Invalid DNS name ${quoteForMessage(name)}: longer than 255 bytes`);
  }
  return bare.length + 2;
}).bind(undefined);

/** Writes the non-empty ASCII name `bare` at `offset` of `wire` (checked by checkedWireLength). */
const writeDnsName =
  (function writeDnsName(name: string, bare: string, wire: Uint8Array, offset: number): void {
    let lengthAt = 0;
    for (let i = 0; i <= bare.length; i++) {
      const code = i < bare.length ? bare.charCodeAt(i) : 0x2e;
      if (code !== 0x2e) {
        wire[offset + i + 1] = code;
        continue;
      }
      const length = i - lengthAt;
      if (length === 0 || length > MAX_LABEL_BYTES) {
        throw new DnsFormatError(
          `Invalid DNS name ${quoteForMessage(name)}: a label must be 1 to 63 bytes long`,
        );
      }
      wire[offset + lengthAt] = length;
      lengthAt = i + 1;
    }
    wire[offset + bare.length + 1] = 0;
  }).bind(undefined);

/**
 * Encodes a query of one question (recursion desired), as a resolver sends it: the same bytes as
 * {@linkcode encodeDnsMessage} gives for `{ id, recursionDesired: true, questions: [{ name, type }] }`,
 * in one buffer.
 *
 * @throws {DnsFormatError} when `name` cannot be encoded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DNS_TYPE, encodeDnsMessage, encodeDnsQuery } from "@netkit/netkit/dns";
 *
 * assert.deepEqual(
 *   encodeDnsQuery(7, "a.test", DNS_TYPE.A),
 *   encodeDnsMessage({
 *     id: 7,
 *     recursionDesired: true,
 *     questions: [{ name: "a.test", type: DNS_TYPE.A }],
 *   }),
 * );
 * ```
 */
export function encodeDnsQuery(id: number, name: string, type: number): Uint8Array {
  return encodeDnsQueryBody(id, name, type);
}

/** {@linkcode encodeDnsQuery}'s body, compiled with its module (README.md, start-up). */
const encodeDnsQueryBody =
  (function encodeDnsQuery(id: number, name: string, type: number): Uint8Array {
    const bare = name.endsWith(".") ? name.slice(0, -1) : name;
    const nameLength = bare === "" ? 1 : checkedWireLength(name, bare);
    const query = new Uint8Array(12 + nameLength + 4);
    query[0] = (id >> 8) & 0xff;
    query[1] = id & 0xff;
    query[2] = 0x01; // RD
    query[5] = 1; // one question
    if (bare !== "") writeDnsName(name, bare, query, 12);
    const at = 12 + nameLength;
    query[at] = (type >> 8) & 0xff;
    query[at + 1] = type & 0xff;
    query[at + 3] = DNS_CLASS_IN;
    return query;
  }).bind(undefined);

/** The text of the label at `start`..`end` of `bytes` (an index loop: no view, no iterator). */
const labelText = (function labelText(bytes: Uint8Array, start: number, end: number): string {
  let text = "";
  for (let i = start; i < end; i++) {
    const byte = bytes[i] ?? 0;
    // Printable ASCII as is, the rest as dig writes it: \DDD.
    if (byte > 0x20 && byte < 0x7f && byte !== 0x2e && byte !== 0x5c) {
      text += String.fromCharCode(byte);
    } else {
      text += `\\${byte.toString().padStart(3, "0")}`;
    }
  }
  return text;
}).bind(undefined);

/** Where the last {@linkcode readName} ended: one number, not an object per name read. */
let nameEnd = 0;

/**
 * Reads a possibly compressed name at `offset`; returns it, and leaves the offset after it in
 * `nameEnd`.
 */
const readName = (function readName(bytes: Uint8Array, offset: number): string {
  let name = "";
  let pos = offset;
  let next = -1;
  let lowestTarget = offset; // each pointer must point before the last place jumped to
  let wireBytes = 1;
  while (true) {
    const length = bytes[pos];
    if (length === undefined) throw new DnsFormatError("DNS name runs past the end of the message");
    if ((length & 0xc0) === 0xc0) {
      const low = bytes[pos + 1];
      if (low === undefined) {
        throw new DnsFormatError("DNS name pointer runs past the end of the message");
      }
      const target = ((length & 0x3f) << 8) | low;
      if (target >= lowestTarget) {
        throw new DnsFormatError(`DNS name pointer to ${target} does not point backwards`);
      }
      if (next < 0) next = pos + 2;
      lowestTarget = target;
      pos = target;
      continue;
    }
    if (length & 0xc0) {
      throw new DnsFormatError(`Unsupported DNS label type 0x${length.toString(16)}`);
    }
    if (length === 0) {
      pos++;
      break;
    }
    if (pos + 1 + length > bytes.length) {
      throw new DnsFormatError("DNS label runs past the end of the message");
    }
    wireBytes += length + 1;
    if (wireBytes > MAX_NAME_WIRE_BYTES) throw new DnsFormatError("DNS name longer than 255 bytes");
    name = name === ""
      ? labelText(bytes, pos + 1, pos + 1 + length)
      : `${name}.${labelText(bytes, pos + 1, pos + 1 + length)}`;
    pos += 1 + length;
  }
  nameEnd = next < 0 ? pos : next;
  return name === "" ? "." : name;
}).bind(undefined);

/** Where a decode is in a message. */
interface Reader {
  readonly bytes: Uint8Array;
  pos: number;
}

// Plain functions compiled with the module, not a class's methods (compiled at their first
// call, at every start-up), reading bytes by hand (no DataView to make).

/** Throws unless `n` more bytes of `what` are left. */
const need = (function need(reader: Reader, n: number, what: string): void {
  if (reader.pos + n > reader.bytes.length) {
    throw new DnsFormatError(`DNS message ends inside ${what}`);
  }
}).bind(undefined);

/** The big-endian 16-bit number at the reader's place; moves past it. */
const readU16 = (function readU16(reader: Reader, what: string): number {
  need(reader, 2, what);
  const { bytes, pos } = reader;
  reader.pos = pos + 2;
  return ((bytes[pos] ?? 0) << 8) | (bytes[pos + 1] ?? 0);
}).bind(undefined);

/** The big-endian 32-bit number at the reader's place; moves past it. */
const readU32 = (function readU32(reader: Reader, what: string): number {
  need(reader, 4, what);
  const { bytes, pos } = reader;
  reader.pos = pos + 4;
  return (((bytes[pos] ?? 0) << 24) | ((bytes[pos + 1] ?? 0) << 16) |
    ((bytes[pos + 2] ?? 0) << 8) | (bytes[pos + 3] ?? 0)) >>> 0;
}).bind(undefined);

/** The name at the reader's place; moves past it. */
const readNameAt = (function readNameAt(reader: Reader): string {
  const name = readName(reader.bytes, reader.pos);
  reader.pos = nameEnd;
  return name;
}).bind(undefined);

const readQuestion = (function readQuestion(reader: Reader): DnsQuestion {
  const name = readNameAt(reader);
  return { name, type: readU16(reader, "a question"), class: readU16(reader, "a question") };
}).bind(undefined);

const readRecord = (function readRecord(reader: Reader): DnsRecord {
  const name = readNameAt(reader);
  const type = readU16(reader, "a record");
  const klass = readU16(reader, "a record");
  const ttl = readU32(reader, "a record");
  const length = readU16(reader, "a record");
  need(reader, length, "record data");
  const start = reader.pos;
  const end = start + length;
  let data: string | Uint8Array;
  // An A or AAAA record of another length is no address: its bytes are kept, as glibc's
  // getanswer_r and gaih_getanswer_slice skip such a record and take the others.
  const address = type === DNS_TYPE.A ? length === 4 : type === DNS_TYPE.AAAA && length === 16;
  if (klass === DNS_CLASS_IN && address) {
    const bytes = reader.bytes;
    data = length === 4
      ? `${bytes[start]}.${bytes[start + 1]}.${bytes[start + 2]}.${bytes[start + 3]}`
      : inetNtop(bytes.subarray(start, end)); // read, not kept: no copy
  } else if (type === DNS_TYPE.CNAME || type === DNS_TYPE.PTR || type === DNS_TYPE.NS) {
    data = readName(reader.bytes, start);
    // A name shorter than its data is read as glibc reads it, up to its end, the rest skipped
    // (dnsmasq's `--ptr-record=...,a..b.test` sends `a` and the rest of the name after it; a
    // CNAME's target is followed, as getanswer_r and gaih_getanswer_slice unpack it).
    if (nameEnd > end) {
      throw new DnsFormatError("DNS name runs past its record data");
    }
  } else {
    data = reader.bytes.slice(start, end);
  }
  reader.pos = end;
  return { name, type, class: klass, ttl, data };
}).bind(undefined);

/**
 * Decodes a DNS message as it comes from the wire (without TCP's two-byte length).
 *
 * @param bytes The message.
 * @returns Header fields and the four sections.
 * @throws {DnsFormatError} for anything malformed: short header, counts larger than the records
 * present, labels or pointers past the end, compression loops, a name past its record's data
 * (an A or AAAA record of another length than 4 or 16 bytes keeps its bytes as data; a CNAME, PTR
 * or NS name shorter than its data is read to its end: as glibc 2.36 reads them).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeDnsMessage, DNS_TYPE, encodeDnsMessage } from "@netkit/netkit/dns";
 *
 * const wire = encodeDnsMessage({
 *   id: 7,
 *   response: true,
 *   questions: [{ name: "web.test", type: DNS_TYPE.A }],
 *   answers: [{ name: "web.test", type: DNS_TYPE.A, data: "10.0.0.1" }],
 * });
 * const message = decodeDnsMessage(wire);
 * assert.equal(message.id, 7);
 * assert.equal(message.response, true);
 * assert.equal(message.answers[0]?.data, "10.0.0.1");
 * ```
 */
export function decodeDnsMessage(bytes: Uint8Array): DnsMessage {
  return decodeMessage(bytes);
}

/** `count` records from the reader's place. */
const readSection = (function readSection(reader: Reader, count: number): DnsRecord[] {
  const section: DnsRecord[] = [];
  for (let i = 0; i < count; i++) section.push(readRecord(reader));
  return section;
}).bind(undefined);

/** {@linkcode decodeDnsMessage}, compiled with the module (see above). */
const decodeMessage = (function decodeMessage(bytes: Uint8Array): DnsMessage {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`decodeDnsMessage() takes a Uint8Array, not ${typeof bytes}`);
  }
  if (bytes.length < 12) {
    throw new DnsFormatError(`DNS message of ${bytes.length} bytes is shorter than its header`);
  }
  const reader: Reader = { bytes, pos: 0 };
  const id = readU16(reader, "the header");
  const flags = readU16(reader, "the header");
  const questionCount = readU16(reader, "the header");
  const answerCount = readU16(reader, "the header");
  const authorityCount = readU16(reader, "the header");
  const additionalCount = readU16(reader, "the header");
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < questionCount; i++) questions.push(readQuestion(reader));
  const answers = readSection(reader, answerCount);
  const authorities = readSection(reader, authorityCount);
  const additionals = readSection(reader, additionalCount);
  return {
    id,
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursionDesired: (flags & 0x0100) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    rcode: flags & 0xf,
    questions,
    answers,
    authorities,
    additionals,
  };
}).bind(undefined);

/**
 * The name to ask for the PTR record of an address: `4.3.2.1.in-addr.arpa` for `1.2.3.4` (and for
 * `::ffff:1.2.3.4` and `::1.2.3.4`, as glibc's gethostbyaddr), the 32 reversed nibbles under
 * `ip6.arpa` for IPv6.
 *
 * @param address An IPv4 or IPv6 address literal.
 * @throws {SyntaxError} when `address` is no address literal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reverseLookupName } from "@netkit/netkit/dns";
 *
 * assert.equal(reverseLookupName("10.0.0.1"), "1.0.0.10.in-addr.arpa");
 * assert.equal(reverseLookupName("::1"), `1.${"0.".repeat(31)}ip6.arpa`);
 * assert.equal(reverseLookupName("::ffff:10.0.0.3"), "3.0.0.10.in-addr.arpa");
 * assert.equal(reverseLookupName("::10.0.0.3"), "3.0.0.10.in-addr.arpa");
 * ```
 */
export function reverseLookupName(address: string): string {
  const bytes = inetPton(address);
  if (bytes.length === 4) return `${[...bytes].reverse().join(".")}.in-addr.arpa`;
  // An IPv4-mapped address (::ffff:a.b.c.d) is asked in the IPv4 zone, as glibc's gethostbyaddr,
  // and so is an IPv4-compatible one (::a.b.c.d, not ::1: glibc's "tunnelled"; seed 20718).
  const zeros = bytes.subarray(0, 10).every((b) => b === 0);
  const mapped = zeros && bytes[10] === 0xff && bytes[11] === 0xff;
  const compatible = zeros && bytes[10] === 0 && bytes[11] === 0 &&
    !(bytes[12] === 0 && bytes[13] === 0 && bytes[14] === 0 && bytes[15] === 1);
  if (mapped || compatible) {
    return `${[...bytes.subarray(12)].reverse().join(".")}.in-addr.arpa`;
  }
  const nibbles: string[] = [];
  for (const byte of [...bytes].reverse()) {
    nibbles.push((byte & 0xf).toString(16), (byte >> 4).toString(16));
  }
  return `${nibbles.join(".")}.ip6.arpa`;
}
