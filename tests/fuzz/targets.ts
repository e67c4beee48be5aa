/**
 * The fuzz targets: each parser netkit exposes to untrusted input, with seeds, a dictionary and
 * the typed errors that count as a clean rejection.
 *
 * @module
 */

import type { FuzzTarget } from "./_harness.ts";
import { parsePort } from "../../lib/socket.ts";
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

/** Every target, for `deno task fuzz` and the short run in the tests. */
export const ALL_TARGETS: FuzzTarget[] = [portTarget, lineReaderTarget];
