/**
 * The telnet protocol's in-band commands (RFC 854), handled the minimal way: every option the
 * server asks for or offers is refused (DO → WONT, WILL → DONT), and no command ever reaches the
 * output. Bytes without IAC pass through untouched, so raw services (HTTP, Redis) are unaffected.
 *
 * @module
 */

/**
 * The telnet command bytes (RFC 854) this module deals in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TELNET } from "@netkit/netkit/telnet";
 *
 * assert.equal(TELNET.IAC, 255);
 * assert.equal(TELNET.DO, 253);
 * ```
 */
export const TELNET = {
  /** Interpret As Command: starts every command; doubled, it is a data byte 255. */
  IAC: 255,
  /** "Please don't use this option." */
  DONT: 254,
  /** "Please use this option." */
  DO: 253,
  /** "I won't use this option." */
  WONT: 252,
  /** "I will use this option." */
  WILL: 251,
  /** Subnegotiation begins. */
  SB: 250,
  /** Go ahead. */
  GA: 249,
  /** No operation. */
  NOP: 241,
  /** Subnegotiation ends. */
  SE: 240,
} as const;

const { IAC, DONT, DO, WONT, WILL, SB, SE } = TELNET;

/** What {@linkcode TelnetFilter.filter} makes of a chunk. */
export interface TelnetFiltered {
  /** The bytes to show: the chunk without telnet commands. */
  data: Uint8Array;
  /** The bytes to send back to the server (option refusals); empty when none. */
  reply: Uint8Array;
}

// The filter's states: in data, after IAC, after IAC DO/DONT/WILL/WONT, inside IAC SB … IAC SE,
// and after an IAC inside that.
const State = {
  Data: 0,
  Command: 1,
  Option: 2,
  Subnegotiation: 3,
  SubnegotiationCommand: 4,
} as const;

const EMPTY = new Uint8Array(0);

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
  #state: number = State.Data;
  #command = 0;

  /**
   * Filters one chunk from the server.
   *
   * @param chunk Bytes as read; not modified.
   * @returns The data to show (the chunk itself when it holds no IAC) and the reply to send.
   */
  filter(chunk: Uint8Array): TelnetFiltered {
    if (this.#state === State.Data && chunk.indexOf(IAC) < 0) {
      return { data: chunk, reply: EMPTY };
    }
    const data = new Uint8Array(chunk.length);
    let length = 0;
    const reply: number[] = [];
    for (const byte of chunk) {
      switch (this.#state) {
        case State.Data:
          if (byte === IAC) this.#state = State.Command;
          else data[length++] = byte;
          break;
        case State.Command:
          if (byte === IAC) {
            data[length++] = IAC;
            this.#state = State.Data;
          } else if (byte >= WILL && byte <= DONT) {
            this.#command = byte;
            this.#state = State.Option;
          } else if (byte === SB) {
            this.#state = State.Subnegotiation;
          } else {
            // NOP, GA, AYT, SE out of place and the like: nothing to show, nothing to answer.
            this.#state = State.Data;
          }
          break;
        case State.Option:
          // Refuse what is asked or offered; a DONT or WONT agrees with us already.
          if (this.#command === DO) reply.push(IAC, WONT, byte);
          else if (this.#command === WILL) reply.push(IAC, DONT, byte);
          this.#state = State.Data;
          break;
        case State.Subnegotiation:
          if (byte === IAC) this.#state = State.SubnegotiationCommand;
          break;
        case State.SubnegotiationCommand:
          // IAC SE ends it; IAC IAC is a data byte inside it; both skipped.
          this.#state = byte === SE ? State.Data : State.Subnegotiation;
          break;
      }
    }
    return { data: data.subarray(0, length), reply: new Uint8Array(reply) };
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
