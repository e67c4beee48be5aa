/**
 * The port a server prints once it listens, for servers started on port 0: the kernel picks a free
 * port as it binds, so no other process can take it first (a port found free beforehand and then
 * handed to the server can be).
 *
 * @module
 */

/**
 * Reads `stream` until `pattern` (whose first group is the port) matches what it printed, then
 * releases the stream: the caller may read the rest (with a reader or `for await`; `new Response()`
 * refuses a stream read from), or leave it unread.
 *
 * @param stream The server's stdout or stderr.
 * @param pattern Matched against everything read so far; its first group is the port.
 * @returns The port, and the text read up to the match (and a little past it, as read).
 * @throws {Error} with the text read when the stream ends before the pattern matches.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPrintedPort } from "./printed_port.ts";
 *
 * const stream = new Blob(["starting\nServer listening on port 4321.\nmore\n"]).stream();
 * const { port } = await readPrintedPort(stream, /listening on port (\d+)\./);
 * assert.equal(port, 4321);
 * assert.deepEqual(await Array.fromAsync(stream), []); // Read with the match: nothing is left.
 * ```
 */
export async function readPrintedPort(
  stream: ReadableStream<Uint8Array>,
  pattern: RegExp,
): Promise<{ port: number; seen: string }> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`The server ended before it printed its port:\n${seen}`);
      seen += decoder.decode(value, { stream: true });
      const port = Number(pattern.exec(seen)?.[1]);
      if (port > 0) return { port, seen };
    }
  } finally {
    reader.releaseLock();
  }
}
