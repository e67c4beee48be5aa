/** Test helpers: a SocketStream over fixed bytes delivered in pieces, and a collecting sink. */

import { duplexFromStreams } from "../../lib/io/duplex.ts";
import { SocketStream } from "../../lib/net/socket_stream.ts";

/** A stream that delivers `text` in pieces of `piece` bytes (1 for the worst case). */
export function streamOf(
  text: string | Uint8Array,
  piece = 1 << 20,
  maxLineBytes?: number,
): SocketStream {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  let offset = 0;
  const readable = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + piece));
      offset += piece;
    },
  });
  return new SocketStream(duplexFromStreams(readable, new WritableStream()), { maxLineBytes });
}

/** A writer that keeps what it gets. */
export function collector(): {
  write(p: Uint8Array): Promise<number>;
  text(): string;
  bytes: number;
} {
  const parts: Uint8Array[] = [];
  let bytes = 0;
  return {
    write(p) {
      parts.push(p.slice());
      bytes += p.length;
      return Promise.resolve(p.length);
    },
    text: () => new TextDecoder().decode(new Uint8Array(parts.flatMap((p) => [...p]))),
    get bytes() {
      return bytes;
    },
  };
}
