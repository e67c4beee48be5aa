/**
 * The client side of telnet's option negotiation (RFCs 854 and 855): it takes the commands out
 * of what a server sends, answers its option requests by a policy (accept some, refuse the
 * rest), keeps each option's state so that no request is answered twice (the loop RFC 1143
 * warns of), and answers the subnegotiations of the options it accepted: TTYPE (RFC 1091), NAWS
 * (RFC 1073) and NEW-ENVIRON (RFC 1572).
 *
 * @module
 */

import { TELNET, TELNET_OPTION } from "./protocol.ts";

const { IAC, DONT, DO, WONT, WILL, SB, SE } = TELNET;

/** A terminal's size in character cells. */
export interface WindowSize {
  /** Columns, 0 to 65535. */
  columns: number;
  /** Rows, 0 to 65535. */
  rows: number;
}

/** Options of {@linkcode TelnetNegotiator}. */
export interface TelnetNegotiatorOptions {
  /**
   * Options the server may turn on at its side: its `WILL` is answered `DO`, any other `WONT`...
   * `DONT`. E.g. ECHO and SGA for a terminal. @default {[]}
   */
  remoteOptions?: Iterable<number>;
  /**
   * Options this side turns on when the server asks: its `DO` is answered `WILL`, any other
   * `WONT`. TTYPE, NAWS and NEW-ENVIRON are answered when asked for. @default {[]}
   */
  localOptions?: Iterable<number>;
  /** The terminal type sent for TTYPE, e.g. `$TERM`. @default {"UNKNOWN"} */
  terminalType?: string;
  /** The window size sent for NAWS. @default {() => ({ columns: 80, rows: 24 })} */
  windowSize?: () => WindowSize;
  /** Variables sent for NEW-ENVIRON when the server asks, e.g. `{ USER: "alice" }`. */
  environment?: Record<string, string>;
  /** Drop the NUL of a CR NUL pair in the data, as RFC 854 says a client should. @default {true} */
  dropNulAfterCr?: boolean;
}

/** What {@linkcode TelnetNegotiator.receive} makes of a chunk. */
export interface TelnetReceived {
  /** The bytes to show: the chunk without telnet commands. */
  data: Uint8Array;
  /** The bytes to send back to the server (answers); empty when none. */
  reply: Uint8Array;
  /** Whether an option changed state in this chunk (e.g. the server now echoes). */
  changed: boolean;
}

// The parser's states: in data, after IAC, after IAC DO/DONT/WILL/WONT, inside IAC SB ... IAC SE,
// and after an IAC inside that.
const State = {
  Data: 0,
  Command: 1,
  Option: 2,
  Subnegotiation: 3,
  SubnegotiationCommand: 4,
} as const;

/** The longest subnegotiation kept; longer ones are skipped unanswered. */
const MAX_SUBNEGOTIATION_BYTES = 4096;

const EMPTY = new Uint8Array(0);

// Subnegotiation codes: TTYPE and NEW-ENVIRON share IS and SEND; NEW-ENVIRON's item types.
const IS = 0;
const SEND = 1;
const VAR = 0;
const VALUE = 1;
const ESC = 2;
const USERVAR = 3;

/**
 * Negotiates telnet options for a client. Keeps its state between chunks, so a command split
 * across reads is handled, and between calls, so an option already on is not answered again.
 *
 * @example Accept the server's echo, refuse what is not in the policy
 * ```ts
 * import assert from "node:assert/strict";
 * import { TELNET, TELNET_OPTION, TelnetNegotiator } from "@netkit/netkit/telnet";
 *
 * const { IAC, WILL, DO, DONT } = TELNET;
 * const { ECHO } = TELNET_OPTION;
 * const negotiator = new TelnetNegotiator({ remoteOptions: [ECHO] });
 * const { data, reply } = negotiator.receive(new Uint8Array([IAC, WILL, ECHO, IAC, WILL, 99, 0x41]));
 * assert.deepEqual([...data], [0x41]);
 * assert.deepEqual([...reply], [IAC, DO, ECHO, IAC, DONT, 99]);
 * assert.equal(negotiator.isRemoteEnabled(ECHO), true);
 * ```
 */
export class TelnetNegotiator {
  #state: number = State.Data;
  #command = 0;
  #afterCr = false;
  #subnegotiation: number[] = [];
  readonly #acceptRemote: Set<number>;
  readonly #acceptLocal: Set<number>;
  readonly #remote = new Set<number>();
  readonly #local = new Set<number>();
  readonly #remotePending = new Set<number>();
  readonly #localPending = new Set<number>();
  readonly #terminalType: string;
  readonly #windowSize: () => WindowSize;
  readonly #environment: Record<string, string>;
  readonly #dropNulAfterCr: boolean;

  /** Builds a negotiator with the given policy. */
  constructor(options: TelnetNegotiatorOptions = {}) {
    this.#acceptRemote = new Set(options.remoteOptions ?? []);
    this.#acceptLocal = new Set(options.localOptions ?? []);
    this.#terminalType = options.terminalType ?? "UNKNOWN";
    this.#windowSize = options.windowSize ?? (() => ({ columns: 80, rows: 24 }));
    this.#environment = options.environment ?? {};
    this.#dropNulAfterCr = options.dropNulAfterCr ?? true;
  }

  /** Whether the server has the option on at its side (it said WILL, we said DO). */
  isRemoteEnabled(option: number): boolean {
    return this.#remote.has(option);
  }

  /** Whether this side has the option on (the server said DO, we said WILL). */
  isLocalEnabled(option: number): boolean {
    return this.#local.has(option);
  }

  /**
   * Asks the server to turn an option of its side on (`DO`) or off (`DONT`), e.g. ECHO for
   * `mode line`. Returns the bytes to send; empty when the option is in that state already.
   */
  requestRemote(option: number, enable: boolean): Uint8Array {
    if (enable) {
      if (this.#remote.has(option) || this.#remotePending.has(option)) return EMPTY;
      this.#remotePending.add(option);
      return new Uint8Array([IAC, DO, option]);
    }
    this.#remotePending.delete(option);
    if (!this.#remote.delete(option)) return EMPTY;
    return new Uint8Array([IAC, DONT, option]);
  }

  /**
   * Offers to turn an option of this side on (`WILL`) or says it is off (`WONT`). Returns the
   * bytes to send; empty when the option is in that state already.
   */
  requestLocal(option: number, enable: boolean): Uint8Array {
    if (enable) {
      if (this.#local.has(option) || this.#localPending.has(option)) return EMPTY;
      this.#localPending.add(option);
      return new Uint8Array([IAC, WILL, option]);
    }
    this.#localPending.delete(option);
    if (!this.#local.delete(option)) return EMPTY;
    return new Uint8Array([IAC, WONT, option]);
  }

  /**
   * The NAWS subnegotiation with the current window size, to send after a resize; empty when
   * the server has not asked for NAWS.
   */
  windowSizeMessage(): Uint8Array {
    if (!this.#local.has(TELNET_OPTION.NAWS)) return EMPTY;
    const { columns, rows } = this.#windowSize();
    const clamp = (n: number) => Math.max(0, Math.min(65535, Math.floor(n)));
    const [c, r] = [clamp(columns), clamp(rows)];
    return subnegotiation(TELNET_OPTION.NAWS, [c >> 8, c & 0xff, r >> 8, r & 0xff]);
  }

  /**
   * Takes one chunk from the server apart.
   *
   * @param chunk Bytes as read; not modified.
   * @returns The data to show (the chunk itself when it holds nothing to take out), the
   * answers to send, and whether an option changed.
   */
  receive(chunk: Uint8Array): TelnetReceived {
    if (
      this.#state === State.Data && chunk.indexOf(IAC) < 0 &&
      !(this.#dropNulAfterCr && this.#holdsCrNul(chunk))
    ) {
      if (chunk.length > 0) this.#afterCr = chunk[chunk.length - 1] === 0x0d;
      return { data: chunk, reply: EMPTY, changed: false };
    }
    const data = new Uint8Array(chunk.length);
    let length = 0;
    const reply: number[] = [];
    let changed = false;
    const pushData = (byte: number) => {
      if (!(byte === 0 && this.#afterCr && this.#dropNulAfterCr)) data[length++] = byte;
      this.#afterCr = byte === 0x0d;
    };
    for (const byte of chunk) {
      switch (this.#state) {
        case State.Data:
          if (byte === IAC) this.#state = State.Command;
          else pushData(byte);
          break;
        case State.Command:
          if (byte === IAC) {
            pushData(IAC);
            this.#state = State.Data;
          } else if (byte >= WILL && byte <= DONT) {
            this.#command = byte;
            this.#state = State.Option;
          } else if (byte === SB) {
            this.#subnegotiation = [];
            this.#state = State.Subnegotiation;
          } else {
            // NOP, GA, DM, AYT, a stray SE and the like: nothing to show, nothing to answer.
            this.#state = State.Data;
          }
          break;
        case State.Option:
          if (this.#negotiate(this.#command, byte, reply)) changed = true;
          this.#state = State.Data;
          break;
        case State.Subnegotiation:
          if (byte === IAC) this.#state = State.SubnegotiationCommand;
          else this.#keep(byte);
          break;
        case State.SubnegotiationCommand:
          if (byte === SE) {
            const answer = this.#subnegotiate(this.#subnegotiation);
            if (answer) reply.push(...answer);
            this.#subnegotiation = [];
            this.#state = State.Data;
          } else {
            // IAC IAC is a data byte 255 inside it; anything else is out of place, kept as is.
            this.#keep(byte);
            this.#state = State.Subnegotiation;
          }
          break;
      }
    }
    return { data: data.subarray(0, length), reply: new Uint8Array(reply), changed };
  }

  /** Whether a NUL in `chunk` follows a CR (in it, or at the end of the last chunk). */
  #holdsCrNul(chunk: Uint8Array): boolean {
    if (this.#afterCr && chunk[0] === 0) return true;
    for (let cr = chunk.indexOf(0x0d); cr >= 0; cr = chunk.indexOf(0x0d, cr + 1)) {
      if (chunk[cr + 1] === 0) return true;
    }
    return false;
  }

  #keep(byte: number): void {
    if (this.#subnegotiation.length < MAX_SUBNEGOTIATION_BYTES) this.#subnegotiation.push(byte);
  }

  /** Answers one DO/DONT/WILL/WONT; returns whether an option changed state. */
  #negotiate(command: number, option: number, reply: number[]): boolean {
    switch (command) {
      case WILL:
        if (this.#remote.has(option)) return false;
        if (this.#remotePending.delete(option)) {
          this.#remote.add(option);
          return true;
        }
        if (this.#acceptRemote.has(option)) {
          this.#remote.add(option);
          reply.push(IAC, DO, option);
          return true;
        }
        reply.push(IAC, DONT, option);
        return false;
      case WONT:
        if (this.#remotePending.delete(option)) return false;
        if (!this.#remote.delete(option)) return false;
        reply.push(IAC, DONT, option);
        return true;
      case DO: {
        if (this.#local.has(option)) return false;
        const requested = this.#localPending.delete(option);
        if (requested || this.#acceptLocal.has(option)) {
          if (!requested) reply.push(IAC, WILL, option);
          this.#local.add(option);
          // NAWS: the size follows the WILL at once (RFC 1073).
          if (option === TELNET_OPTION.NAWS) reply.push(...this.windowSizeMessage());
          return true;
        }
        reply.push(IAC, WONT, option);
        return false;
      }
      default: // DONT
        if (this.#localPending.delete(option)) return false;
        if (!this.#local.delete(option)) return false;
        reply.push(IAC, WONT, option);
        return true;
    }
  }

  /** Answers a subnegotiation of an option this side has on; null when there is nothing to say. */
  #subnegotiate(payload: number[]): Uint8Array | null {
    const [option, code] = payload;
    if (option === undefined || !this.#local.has(option) || code !== SEND) return null;
    if (option === TELNET_OPTION.TTYPE) {
      return subnegotiation(option, [IS, ...new TextEncoder().encode(this.#terminalType)]);
    }
    if (option === TELNET_OPTION.NEW_ENVIRON) {
      return subnegotiation(option, [IS, ...this.#environmentAnswer(payload.slice(2))]);
    }
    return null;
  }

  /** The NEW-ENVIRON IS list for a SEND list: the asked variables we have, or all of them. */
  #environmentAnswer(asked: number[]): number[] {
    const names: string[] = [];
    let current: number[] | null = null;
    let escaped = false;
    for (const byte of asked) {
      if (!escaped && (byte === VAR || byte === USERVAR)) {
        if (current) names.push(new TextDecoder().decode(new Uint8Array(current)));
        current = [];
      } else if (!escaped && byte === ESC) {
        escaped = true;
      } else {
        escaped = false;
        current?.push(byte);
      }
    }
    if (current) names.push(new TextDecoder().decode(new Uint8Array(current)));
    const wanted = names.length === 0 || names.every((name) => name === "")
      ? Object.keys(this.#environment)
      : names.filter((name) => Object.hasOwn(this.#environment, name));
    const out: number[] = [];
    for (const name of wanted) {
      out.push(name === "USER" || name === "DISPLAY" ? VAR : USERVAR, ...escapeEnviron(name));
      out.push(VALUE, ...escapeEnviron(this.#environment[name] ?? ""));
    }
    return out;
  }
}

/** A name or value of NEW-ENVIRON with its codes 0 to 3 escaped (RFC 1572). */
function escapeEnviron(text: string): number[] {
  const out: number[] = [];
  for (const byte of new TextEncoder().encode(text)) {
    if (byte <= USERVAR) out.push(ESC);
    out.push(byte);
  }
  return out;
}

/** IAC SB option payload IAC SE, with each 255 of the payload doubled. */
function subnegotiation(option: number, payload: number[]): Uint8Array {
  const out = [IAC, SB, option];
  for (const byte of payload) {
    out.push(byte);
    if (byte === IAC) out.push(IAC);
  }
  out.push(IAC, SE);
  return new Uint8Array(out);
}

/**
 * Encodes what the user typed for the server: each byte 255 doubled, and each CR not followed
 * by LF sent as CR NUL (RFC 854: a bare CR must be followed by NUL).
 *
 * @param bytes Keystrokes as read from a terminal in raw mode.
 * @returns New bytes, or `bytes` itself when nothing needs changing.
 *
 * @example Enter in character mode
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeTelnetData } from "@netkit/netkit/telnet";
 *
 * assert.deepEqual([...encodeTelnetData(new Uint8Array([0x6c, 0x73, 0x0d]))], [0x6c, 0x73, 0x0d, 0]);
 * assert.deepEqual([...encodeTelnetData(new Uint8Array([0xff]))], [0xff, 0xff]);
 * ```
 */
export function encodeTelnetData(bytes: Uint8Array): Uint8Array {
  if (bytes.indexOf(IAC) < 0 && bytes.indexOf(0x0d) < 0) return bytes;
  const out: number[] = [];
  bytes.forEach((byte, i) => {
    out.push(byte);
    if (byte === IAC) out.push(IAC);
    else if (byte === 0x0d && bytes[i + 1] !== 0x0a) out.push(0);
  });
  return new Uint8Array(out);
}
