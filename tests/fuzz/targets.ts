/**
 * The fuzz targets: each parser netkit exposes to untrusted input, with seeds, a dictionary and
 * the typed errors that count as a clean rejection.
 *
 * @module
 */

import type { FuzzTarget } from "./_harness.ts";
import { parsePort } from "../../lib/socket.ts";
import { inetNtop, inetPton } from "../../lib/inet.ts";
import { parseHostsFile } from "../../lib/hosts_file.ts";
import {
  decodeDnsMessage,
  DNS_TYPE,
  DnsFormatError,
  encodeDnsMessage,
} from "../../lib/dns_message.ts";
import { type Duplex, LineTooLongError, SocketStream } from "../../lib/socket_stream.ts";

const decoder = new TextDecoder();

/** A duplex that reads `input` in pieces of 1 to 16 bytes, so lines straddle reads. */
export function bytesInPieces(input: Uint8Array): Duplex {
  let offset = 0;
  return {
    read(p) {
      if (offset >= input.length) return Promise.resolve(null);
      const n = Math.min(p.length, 1 + ((input[offset] ?? 0) % 16), input.length - offset);
      p.set(input.subarray(offset, offset + n));
      offset += n;
      return Promise.resolve(n);
    },
    write: (p) => Promise.resolve(p.length),
    close() {},
  };
}

/** `parsePort` on arbitrary text. */
export const portTarget: FuzzTarget = {
  name: "parsePort",
  seeds: ["80", "0", "65535", "65536", " 80", "0x50", "８０"],
  dictionary: ["0", "9", "-", "+", " ", "e", "."],
  run(input) {
    const port = parsePort(decoder.decode(input));
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Bad port ${port}`);
  },
  isExpectedError: (error) => error instanceof RangeError,
};

/** `SocketStream.readLine` over arbitrary bytes, with a small line limit. */
export const lineReaderTarget: FuzzTarget = {
  name: "SocketStream.readLine",
  seeds: ["a\r\nb\n\nc", "\r\r\n\n", "x".repeat(100) + "\n"],
  dictionary: ["\r\n", "\n", "\r", "\0"],
  async run(input) {
    const stream = new SocketStream(bytesInPieces(input), { maxLineBytes: 256 });
    let total = 0;
    for await (const line of stream) total += line.length + 1;
    if (total > input.length * 3 + 1) throw new Error("Read more than was sent");
  },
  isExpectedError: (error) => error instanceof LineTooLongError,
};

/** `inetPton` on arbitrary text; whatever it accepts must survive a round trip through inetNtop. */
export const inetTarget: FuzzTarget = {
  name: "inetPton",
  seeds: ["127.0.0.1", "::1", "::ffff:1.2.3.4", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "1.2.3.1e2"],
  dictionary: [":", "::", ".", "0", "ffff", "255", "%eth0", " "],
  run(input) {
    const bytes = inetPton(decoder.decode(input));
    const again = inetPton(inetNtop(bytes));
    if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) {
      throw new Error("inetNtop(inetPton(x)) does not round-trip");
    }
  },
  isExpectedError: (error) => error instanceof SyntaxError,
};

/** `parseHostsFile` never throws, whatever the file holds. */
export const hostsFileTarget: FuzzTarget = {
  name: "parseHostsFile",
  seeds: [
    "127.0.0.1\tlocalhost loopback # me\n::1 localhost6\n",
    "# only a comment\n\n10.0.0.1 a b c d\r\nbad\n",
  ],
  dictionary: ["\n", "\t", "#", " ", "::1", "127.0.0.1", "\0"],
  run(input) {
    for (const entry of parseHostsFile(decoder.decode(input))) {
      if (entry.names.length === 0) throw new Error("Entry without names");
    }
  },
  isExpectedError: () => false,
};

/** `decodeDnsMessage` on mutated answers: a DnsFormatError or a message, never a loop. */
export const dnsMessageTarget: FuzzTarget = {
  name: "decodeDnsMessage",
  seeds: [
    encodeDnsMessage({
      id: 1,
      response: true,
      questions: [{ name: "www.test", type: DNS_TYPE.A }],
      answers: [
        { name: "www.test", type: DNS_TYPE.CNAME, data: "web.test" },
        { name: "web.test", type: DNS_TYPE.A, data: "10.0.0.1" },
        { name: "web.test", type: DNS_TYPE.AAAA, data: "fd00::1" },
      ],
    }),
  ],
  dictionary: ["\xc0\x0c", "\xc0", "\x00", "\x3f"],
  run(input) {
    decodeDnsMessage(input);
  },
  isExpectedError: (error) => error instanceof DnsFormatError,
};

/** Every target, for `deno task fuzz` and the short run in the tests. */
export const ALL_TARGETS: FuzzTarget[] = [
  portTarget,
  lineReaderTarget,
  inetTarget,
  hostsFileTarget,
  dnsMessageTarget,
];
