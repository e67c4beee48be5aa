/**
 * The telnet protocol's in-band commands (RFC 854), handled the minimal way: every option the
 * server asks for or offers is refused (DO -> WONT, WILL -> DONT), and no command ever reaches the
 * output. Bytes without IAC pass through untouched; a NUL after CR is dropped (RFC 854).
 *
 * @module
 */

import { TELNET } from "./protocol.ts";
import { TelnetNegotiator } from "./negotiator.ts";

export { TELNET };

const { IAC } = TELNET;

/** What {@linkcode TelnetFilter.filter} makes of a chunk. */
export interface TelnetFiltered {
  /** The bytes to show: the chunk without telnet commands. */
  data: Uint8Array;
  /** The bytes to send back to the server (option refusals); empty when none. */
  reply: Uint8Array;
}

/**
 * Strips telnet commands from what a server sends and answers its option requests with
 * refusals. Keeps its state between chunks, so a command split across reads is handled.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TELNET, TelnetFilter } from "@netkit/netkit/telnet";
 *
 * const filter = new TelnetFilter();
 * const { data, reply } = filter.filter(new Uint8Array([0x68, TELNET.IAC, TELNET.DO, 1, 0x69]));
 * assert.equal(new TextDecoder().decode(data), "hi");
 * assert.deepEqual(reply, new Uint8Array([TELNET.IAC, TELNET.WONT, 1])); // refuse to echo
 * ```
 */
export class TelnetFilter {
  readonly #negotiator = new TelnetNegotiator();

  /**
   * Filters one chunk from the server.
   *
   * @param chunk Bytes as read; not modified.
   * @returns The data to show (the chunk itself when it holds no IAC) and the reply to send.
   */
  filter(chunk: Uint8Array): TelnetFiltered {
    const { data, reply } = this.#negotiator.receive(chunk);
    return { data, reply };
  }
}

/**
 * Encodes a line to send to a telnet server: the text as UTF-8, each byte 255 doubled (so it is
 * not taken for a command), then CR LF.
 *
 * @param line The line without its ending.
 * @returns New bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeTelnetLine } from "@netkit/netkit/telnet";
 *
 * assert.equal(new TextDecoder().decode(encodeTelnetLine("PING")), "PING\r\n");
 * ```
 */
export function encodeTelnetLine(line: string | Uint8Array): Uint8Array {
  const bytes = typeof line === "string" ? new TextEncoder().encode(line) : line;
  let extra = 0;
  for (const byte of bytes) if (byte === IAC) extra++;
  const out = new Uint8Array(bytes.length + extra + 2);
  let i = 0;
  for (const byte of bytes) {
    out[i++] = byte;
    if (byte === IAC) out[i++] = IAC;
  }
  out[i++] = 0x0d;
  out[i] = 0x0a;
  return out;
}
