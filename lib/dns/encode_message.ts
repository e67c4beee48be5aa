/**
 * A whole DNS message encoded, as a server (or a test's fake one) sends it: apart from the codec
 * of `message.ts`, which a client's questions and answers need (`encodeDnsQuery`,
 * `decodeDnsMessage`), so that a lookup does not load this encoder nor its byte concatenation
 * (~0.2 ms of a command's start-up).
 *
 * @module
 */

import { concatBytes } from "../io/concat_bytes.ts";
import { inetPton } from "../net/inet.ts";
import { DNS_TYPE } from "./codes.ts";
import { DNS_CLASS_IN, type DnsMessage, type DnsRecord, encodeDnsName } from "./message.ts";

function recordData(record: DnsRecord): Uint8Array {
  if (record.data instanceof Uint8Array) return record.data;
  if (record.type === DNS_TYPE.A) return inetPton(record.data, 4);
  if (record.type === DNS_TYPE.AAAA) return inetPton(record.data, 6);
  return encodeDnsName(record.data);
}

/**
 * Encodes a DNS message (names uncompressed). Fields left out are zero, false or empty.
 *
 * @param message What to encode; A and AAAA data as address text, CNAME/PTR/NS data as names,
 * other data as bytes.
 * @returns The message as it goes on the wire (without TCP's two-byte length).
 * @throws {DnsFormatError} for a name that cannot be encoded; {SyntaxError} for bad address text;
 * {RangeError} when a section has more than 65535 entries or the message exceeds 65535 bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DNS_TYPE, encodeDnsMessage } from "@netkit/netkit/dns";
 *
 * const query = encodeDnsMessage({
 *   id: 1,
 *   recursionDesired: true,
 *   questions: [{ name: "a.test", type: DNS_TYPE.A }],
 * });
 * assert.equal(query.length, 12 + 8 + 4);
 * ```
 */
export function encodeDnsMessage(message: Partial<DnsMessage>): Uint8Array {
  const sections = [
    message.questions ?? [],
    message.answers ?? [],
    message.authorities ?? [],
    message.additionals ?? [],
  ];
  const parts: Uint8Array[] = [];
  const header = new DataView(new ArrayBuffer(12));
  header.setUint16(0, message.id ?? 0);
  header.setUint16(
    2,
    (message.response ? 0x8000 : 0) | ((message.opcode ?? 0) & 0xf) << 11 |
      (message.authoritative ? 0x0400 : 0) | (message.truncated ? 0x0200 : 0) |
      (message.recursionDesired ? 0x0100 : 0) | (message.recursionAvailable ? 0x0080 : 0) |
      ((message.rcode ?? 0) & 0xf),
  );
  for (const [i, section] of sections.entries()) {
    if (section.length > 0xffff) throw new RangeError("A DNS section holds at most 65535 entries");
    header.setUint16(4 + 2 * i, section.length);
  }
  parts.push(new Uint8Array(header.buffer));
  for (const [i, section] of sections.entries()) {
    for (const entry of section) {
      parts.push(encodeDnsName(entry.name));
      const fixed = new DataView(new ArrayBuffer(i === 0 ? 4 : 10));
      fixed.setUint16(0, entry.type);
      fixed.setUint16(2, entry.class ?? DNS_CLASS_IN);
      if (i === 0) {
        parts.push(new Uint8Array(fixed.buffer));
        continue;
      }
      const record = entry as DnsRecord;
      const data = recordData(record);
      if (data.length > 0xffff) throw new RangeError("DNS record data exceeds 65535 bytes");
      fixed.setUint32(4, record.ttl ?? 0);
      fixed.setUint16(8, data.length);
      parts.push(new Uint8Array(fixed.buffer), data);
    }
  }
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  if (total > 0xffff) throw new RangeError(`DNS message of ${total} bytes exceeds 65535`);
  return concatBytes(parts);
}
