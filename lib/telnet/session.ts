/**
 * A telnet session, the engine of `cmd/telnet.ts`: lines from the input go to the server with
 * CR LF, the server's bytes go to the output as they come (telnet commands stripped and refused),
 * and the end of input half-closes the connection while the server's answer keeps coming.
 *
 * @module
 */

import type { ByteWriter } from "../io/duplex.ts";
import { writeAll } from "../io/write_all.ts";
import { classifySocketError, SocketError } from "../net/socket_error.ts";
import { encodeTelnetLine, TelnetFilter } from "./filter.ts";
import { TELNET } from "./protocol.ts";

/** Input without a line ending longer than this is sent on without waiting for the end: 64 KiB. */
const MAX_PENDING_INPUT_BYTES = 64 * 1024;

/** The connection a session runs over; `Deno.TcpConn` is one. */
export interface TelnetConnection {
  /** Reads from the server; `null` once it has closed. */
  read(p: Uint8Array): Promise<number | null>;
  /** Writes to the server. */
  write(p: Uint8Array): Promise<number>;
  /** Closes the write side only. */
  closeWrite(): Promise<void>;
  /** Closes the connection. */
  close(): void;
}

/**
 * How a session treats the bytes: `telnet` takes telnet commands out of the server's bytes and
 * refuses its options; `raw` passes every byte unchanged both ways, input included (no CR LF
 * added), like `nc`; `auto` is telnet when the server's first byte is IAC (a telnet server
 * negotiates before anything else) and otherwise raw from the server, with input lines still
 * sent with CR LF.
 */
export type TelnetSessionMode = "telnet" | "auto" | "raw";

/** Options of {@linkcode runTelnetSession}. */
export interface TelnetSessionOptions {
  /** How bytes are treated. @default {"telnet"} */
  mode?: TelnetSessionMode;
  /** What the user types, e.g. `Deno.stdin.readable`. */
  input: ReadableStream<Uint8Array>;
  /** Where the server's bytes go, e.g. `Deno.stdout`. */
  output: ByteWriter;
  /** Peer name for error messages. */
  host?: string;
  /** Peer port for error messages. */
  port?: number;
}

/** How a session ended. */
export interface TelnetSessionResult {
  /** Whether the input had ended (and the write side was closed) before the server closed. */
  inputEnded: boolean;
}

/**
 * Runs a session until the server closes the connection, then closes it on this side too.
 *
 * Option refusals answer the server as its requests arrive. Requests that arrive after the input
 * has ended cannot be answered (the write side is closed by then); their data is still shown.
 *
 * @param conn The open connection; the session owns it from now on.
 * @returns Once the server has closed and everything it sent is in the output.
 * @throws {SocketError} when the connection fails (reset) while reading or writing.
 *
 * @example Talk to a server that answers one line and closes
 * ```ts
 * import assert from "node:assert/strict";
 * import { runTelnetSession } from "@netkit/netkit/telnet";
 *
 * // The server reads one line (telnet sends the typed LF as CRLF), answers and closes.
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const served = (async () => {
 *   using peer = await listener.accept();
 *   let asked = "";
 *   const buffer = new Uint8Array(64);
 *   while (!asked.endsWith("\n")) {
 *     const n = await peer.read(buffer);
 *     if (n === null) break;
 *     asked += new TextDecoder().decode(buffer.subarray(0, n));
 *   }
 *   await peer.write(new TextEncoder().encode(asked === "PING\r\n" ? "+PONG\r\n" : "-ERR\r\n"));
 * })();
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * let shown = "";
 * await runTelnetSession(conn, {
 *   input: new Blob(["PING\n"]).stream(),
 *   output: { write: (p) => (shown += new TextDecoder().decode(p), Promise.resolve(p.length)) },
 * });
 * await served;
 * assert.equal(shown, "+PONG\r\n");
 * ```
 */
export async function runTelnetSession(
  conn: TelnetConnection,
  options: TelnetSessionOptions,
): Promise<TelnetSessionResult> {
  const host = options.host ?? "";
  const port = options.port ?? 0;
  const failure = (step: "read" | "write", error: unknown) =>
    new SocketError({ step, host, port, failure: classifySocketError(error), cause: error });

  // Writes to the server (typed lines and option refusals) go out one after another.
  let sending: Promise<void> = Promise.resolve();
  let sendError: unknown = null;
  const send = (bytes: Uint8Array): Promise<void> => {
    sending = sending.then(() => writeAll(conn, bytes)).catch((error) => {
      sendError ??= error;
    });
    return sending;
  };

  const mode = options.mode ?? "telnet";
  // Whether the server speaks telnet: known at once unless automatic, then from its first byte.
  let speaksTelnet: boolean | null = mode === "auto" ? null : mode === "telnet";
  const encodeLine = (line: Uint8Array): Uint8Array => {
    if (speaksTelnet) return encodeTelnetLine(line);
    const out = new Uint8Array(line.length + 2);
    out.set(line);
    out.set([0x0d, 0x0a], line.length);
    return out;
  };

  const inputReader = options.input.getReader();
  let inputEnded = false;
  let serverClosed = false;

  const pumpInput = async (): Promise<void> => {
    let pending = new Uint8Array(0);
    while (true) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await inputReader.read();
      } catch {
        break; // Cancelled because the server closed, or the input failed: end of input.
      }
      if (chunk.done || serverClosed) break;
      if (mode === "raw") {
        await send(chunk.value);
        continue;
      }
      // Copy only when part of a line is waiting from the last chunk.
      let joined = chunk.value;
      if (pending.length > 0) {
        joined = new Uint8Array(pending.length + chunk.value.length);
        joined.set(pending);
        joined.set(chunk.value, pending.length);
      }
      let start = 0;
      for (
        let newline = joined.indexOf(0x0a);
        newline >= 0;
        newline = joined.indexOf(0x0a, start)
      ) {
        const end = newline > start && joined[newline - 1] === 0x0d ? newline - 1 : newline;
        await send(encodeLine(joined.subarray(start, end)));
        start = newline + 1;
      }
      pending = joined.slice(start);
      if (pending.length > MAX_PENDING_INPUT_BYTES) {
        // A line this long is likely not a line at all: send it on as it is (IAC still doubled,
        // no CR LF added) rather than hold it in memory.
        await send(encodeLine(pending).subarray(0, -2));
        pending = new Uint8Array(0);
      }
    }
    if (serverClosed) return;
    if (pending.length > 0) await send(encodeLine(pending));
    inputEnded = true;
    await sending;
    try {
      await conn.closeWrite();
    } catch {
      // The server has gone already; the read side reports it.
    }
  };
  // It never rejects; once the server has closed nobody waits for it (the input may never end).
  pumpInput();

  const filter = new TelnetFilter();
  const buffer = new Uint8Array(64 * 1024);
  try {
    while (true) {
      let n: number | null;
      try {
        n = await conn.read(buffer);
      } catch (error) {
        throw failure("read", error);
      }
      if (n === null) break;
      speaksTelnet ??= buffer[0] === TELNET.IAC;
      if (!speaksTelnet) {
        await writeAll(options.output, buffer.subarray(0, n));
        continue;
      }
      const { data, reply } = filter.filter(buffer.subarray(0, n));
      if (reply.length > 0) send(reply);
      if (data.length > 0) await writeAll(options.output, data);
    }
    serverClosed = true;
    if (sendError !== null && !inputEnded) {
      // A failed write before the server's close is worth reporting only if nothing else explains it.
      const kind = classifySocketError(sendError);
      if (kind !== "reset" && kind !== "closed") throw failure("write", sendError);
    }
    return { inputEnded };
  } finally {
    serverClosed = true;
    inputReader.cancel().catch(() => {});
    try {
      conn.close();
    } catch {
      // Closed already.
    }
  }
}
