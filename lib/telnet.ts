/**
 * The telnet protocol's in-band commands (RFC 854), handled the minimal way: every option the
 * server asks for or offers is refused (DO → WONT, WILL → DONT), and no command ever reaches the
 * output. Bytes without IAC pass through untouched, so raw services (HTTP, Redis) are unaffected.
 *
 * @module
 */

/** Interpret As Command: starts every telnet command; doubled, it is a data byte 255. */
export const TELNET_IAC = 255;
/** "Please don't use this option." */
export const TELNET_DONT = 254;
/** "Please use this option." */
export const TELNET_DO = 253;
/** "I won't use this option." */
export const TELNET_WONT = 252;
/** "I will use this option." */
export const TELNET_WILL = 251;
/** Subnegotiation begins. */
export const TELNET_SB = 250;
/** Subnegotiation ends. */
export const TELNET_SE = 240;

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
 * import { TELNET_DO, TELNET_IAC, TELNET_WONT, TelnetFilter } from "./telnet.ts";
 *
 * const filter = new TelnetFilter();
 * const { data, reply } = filter.filter(new Uint8Array([0x68, TELNET_IAC, TELNET_DO, 1, 0x69]));
 * console.assert(new TextDecoder().decode(data) === "hi");
 * console.assert(reply.join() === [TELNET_IAC, TELNET_WONT, 1].join());
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
    if (this.#state === State.Data && chunk.indexOf(TELNET_IAC) < 0) {
      return { data: chunk, reply: EMPTY };
    }
    const data = new Uint8Array(chunk.length);
    let length = 0;
    const reply: number[] = [];
    for (const byte of chunk) {
      switch (this.#state) {
        case State.Data:
          if (byte === TELNET_IAC) this.#state = State.Command;
          else data[length++] = byte;
          break;
        case State.Command:
          if (byte === TELNET_IAC) {
            data[length++] = TELNET_IAC;
            this.#state = State.Data;
          } else if (byte >= TELNET_WILL && byte <= TELNET_DONT) {
            this.#command = byte;
            this.#state = State.Option;
          } else if (byte === TELNET_SB) {
            this.#state = State.Subnegotiation;
          } else {
            // NOP, GA, AYT, SE out of place and the like: nothing to show, nothing to answer.
            this.#state = State.Data;
          }
          break;
        case State.Option:
          // Refuse what is asked or offered; a DONT or WONT agrees with us already.
          if (this.#command === TELNET_DO) reply.push(TELNET_IAC, TELNET_WONT, byte);
          else if (this.#command === TELNET_WILL) reply.push(TELNET_IAC, TELNET_DONT, byte);
          this.#state = State.Data;
          break;
        case State.Subnegotiation:
          if (byte === TELNET_IAC) this.#state = State.SubnegotiationCommand;
          break;
        case State.SubnegotiationCommand:
          // IAC SE ends it; IAC IAC is a data byte inside it; both skipped.
          this.#state = byte === TELNET_SE ? State.Data : State.Subnegotiation;
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
 * import { encodeTelnetLine } from "./telnet.ts";
 *
 * console.assert(new TextDecoder().decode(encodeTelnetLine("PING")) === "PING\r\n");
 * ```
 */
export function encodeTelnetLine(line: string | Uint8Array): Uint8Array {
  const bytes = typeof line === "string" ? new TextEncoder().encode(line) : line;
  let extra = 0;
  for (const byte of bytes) if (byte === TELNET_IAC) extra++;
  const out = new Uint8Array(bytes.length + extra + 2);
  let i = 0;
  for (const byte of bytes) {
    out[i++] = byte;
    if (byte === TELNET_IAC) out[i++] = TELNET_IAC;
  }
  out[i++] = 0x0d;
  out[i] = 0x0a;
  return out;
}
