/**
 * Decoding a `Transfer-Encoding: chunked` body straight to its destination: each chunk's data is
 * copied in bulk by {@linkcode SocketStream.copyTo}, never byte by byte; chunk extensions are
 * ignored and trailers are read within limits.
 *
 * @module
 */

import { quoteForMessage } from "../internal/quote.ts";
import { ConnectionClosedError, HeaderLimitError, HttpProtocolError } from "./errors.ts";
import type { ByteWriter } from "../io/duplex.ts";
import { LineTooLongError, type SocketStream, UnexpectedEofError } from "../net/socket_stream.ts";

/** Options of {@linkcode copyChunkedBody}. */
export interface ChunkedOptions {
  /** Called with the running count of body bytes after each write. */
  onProgress?: ((copied: number) => void) | undefined;
  /** The most bytes of trailer lines. @default {65536} */
  maxTrailerBytes?: number;
  /** The most trailer lines. @default {100} */
  maxTrailerCount?: number;
}

/** What a chunked body held besides its data. */
export interface ChunkedResult {
  /** Body bytes written. */
  bytes: number;
  /** Trailer lines, as `[name, value]`. */
  trailers: [string, string][];
}

// At most 13 hex digits keeps every size below 2^53, so sizes stay exact numbers.
const CHUNK_SIZE_LINE = /^0*([0-9A-Fa-f]{1,13})[ \t]*(?:;.*)?$/;

/**
 * Copies a chunked body from `stream` to `dest`.
 *
 * @param stream The connection, positioned at the first chunk-size line.
 * @param dest Where the decoded body goes.
 * @param options Progress callback and trailer limits.
 * @returns The byte count and the trailers.
 * @throws {HttpProtocolError} for a bad chunk-size line (or a size of 2^52 or more) or missing
 * CRLF after a chunk.
 * @throws {HeaderLimitError} for trailers past the limits.
 * @throws {ConnectionClosedError} when the connection closes before the last chunk.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { copyChunkedBody } from "@netkit/netkit/http";
 * import { duplexFromStreams } from "@netkit/netkit/io";
 * import { SocketStream } from "@netkit/netkit/net";
 *
 * const wire = "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n";
 * const input = new Blob([wire]).stream();
 * await using stream = new SocketStream(duplexFromStreams(input, new WritableStream()));
 * let body = "";
 * const sink = {
 *   write: (p: Uint8Array) => (body += new TextDecoder().decode(p), Promise.resolve(p.length)),
 * };
 * const result = await copyChunkedBody(stream, sink);
 * assert.equal(body, "hello world");
 * assert.equal(result.bytes, 11);
 * assert.deepEqual(result.trailers, [["X-Sum", "1"]]);
 * ```
 */
export async function copyChunkedBody(
  stream: SocketStream,
  dest: ByteWriter,
  options: ChunkedOptions = {},
): Promise<ChunkedResult> {
  const maxTrailerBytes = options.maxTrailerBytes ?? 64 * 1024;
  const maxTrailerCount = options.maxTrailerCount ?? 100;
  const onProgress = options.onProgress;
  let total = 0;
  const readLine = async (where: string): Promise<string> => {
    let line: string | null;
    try {
      line = await stream.readLine();
    } catch (error) {
      if (error instanceof LineTooLongError) {
        throw new HttpProtocolError(`Chunked body: ${where} line too long`);
      }
      throw error;
    }
    if (line === null) {
      throw new ConnectionClosedError(`Server closed the connection inside a chunked body`);
    }
    return line;
  };
  while (true) {
    const sizeLine = await readLine("chunk size");
    const hex = CHUNK_SIZE_LINE.exec(sizeLine.trim())?.[1];
    if (hex === undefined) {
      throw new HttpProtocolError(`Invalid chunk size line ${quoteForMessage(sizeLine)}`);
    }
    const size = parseInt(hex, 16);
    if (size === 0) break;
    const base = total;
    try {
      await stream.copyTo(dest, size, onProgress && ((n) => onProgress(base + n)));
    } catch (error) {
      if (error instanceof UnexpectedEofError) {
        throw new ConnectionClosedError(
          `Server closed the connection inside a chunk, after ${base + error.received} body bytes`,
        );
      }
      throw error;
    }
    total += size;
    const end = await readLine("chunk end");
    if (end !== "") throw new HttpProtocolError(`Missing line end after a chunk of ${size} bytes`);
  }
  const trailers: [string, string][] = [];
  let trailerBytes = 0;
  while (true) {
    const line = await readLine("trailer");
    if (line === "") break;
    trailerBytes += line.length + 2;
    if (trailerBytes > maxTrailerBytes) throw new HeaderLimitError("bytes", maxTrailerBytes);
    if (trailers.length >= maxTrailerCount) throw new HeaderLimitError("count", maxTrailerCount);
    const colon = line.indexOf(":");
    if (colon <= 0) throw new HttpProtocolError(`Invalid trailer line ${quoteForMessage(line)}`);
    trailers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { bytes: total, trailers };
}
