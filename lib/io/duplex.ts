/**
 * The byte reader, writer and duplex shapes the streams of netkit work over (`Deno.Conn`,
 * `Deno.FsFile`, a TLS socket and a subprocess's pipes are all one), and an adapter from a pair
 * of Web streams.
 *
 * @module
 */

/** Something to read bytes from; `Deno.Conn` and `Deno.FsFile` are both one. */
export interface ByteReader {
  /** Reads into `p`; resolves to the count read, or `null` at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
}

/** Something to write bytes to; may write fewer than offered. */
export interface ByteWriter {
  /** Writes some of `p`; resolves to the count written. */
  write(p: Uint8Array): Promise<number>;
}

/** What a {@linkcode SocketStream} wraps: a reader and writer, closable, maybe half-closable. */
export interface Duplex extends ByteReader, ByteWriter {
  /** Closes both directions. */
  close(): void;
  /** Closes the write side only (TCP half-close), where the transport has one. */
  closeWrite?(): Promise<void>;
}

/**
 * Adapts a pair of Web streams to the {@linkcode Duplex} a {@linkcode SocketStream} wraps.
 *
 * @param readable Where bytes come from.
 * @param writable Where bytes go.
 * @returns A duplex whose `close()` releases both.
 *
 * @example Read and write through the duplex
 * ```ts
 * import assert from "node:assert/strict";
 * import { duplexFromStreams } from "@netkit/netkit/io";
 *
 * const written: string[] = [];
 * const output = new WritableStream<Uint8Array>({
 *   write: (chunk) => void written.push(new TextDecoder().decode(chunk)),
 * });
 * const duplex = duplexFromStreams(new Blob(["hello\n"]).stream(), output);
 * const buffer = new Uint8Array(16);
 * const n = await duplex.read(buffer);
 * assert.equal(new TextDecoder().decode(buffer.subarray(0, n ?? 0)), "hello\n");
 * assert.equal(await duplex.read(buffer), null); // end of stream
 * assert.equal(await duplex.write(new TextEncoder().encode("bye")), 3);
 * await duplex.closeWrite?.();
 * assert.deepEqual(written, ["bye"]);
 * duplex.close();
 * ```
 *
 * @example Give a SocketStream a pair of Web streams
 * ```ts
 * import assert from "node:assert/strict";
 * import { duplexFromStreams } from "@netkit/netkit/io";
 * import { SocketStream } from "@netkit/netkit/net";
 *
 * const input = new Blob(["hello\r\nworld\n"]).stream();
 * await using stream = new SocketStream(duplexFromStreams(input, new WritableStream()));
 * assert.equal(await stream.readLine(), "hello");
 * assert.equal(await stream.readLine(), "world");
 * ```
 */
export function duplexFromStreams(
  readable: ReadableStream<Uint8Array>,
  writable: WritableStream<Uint8Array>,
): Duplex {
  const reader = readable.getReader();
  const writer = writable.getWriter();
  let pending: Uint8Array | null = null;
  return {
    async read(p) {
      if (!pending || pending.length === 0) {
        const { value, done } = await reader.read();
        if (done) return null;
        pending = value;
      }
      const n = Math.min(p.length, pending.length);
      p.set(pending.subarray(0, n));
      pending = pending.subarray(n);
      return n;
    },
    async write(p) {
      await writer.write(p.slice());
      return p.length;
    },
    async closeWrite() {
      await writer.close();
    },
    close() {
      reader.cancel().catch(() => {});
      writer.abort().catch(() => {});
    },
  };
}
