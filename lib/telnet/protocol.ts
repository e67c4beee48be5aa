/**
 * The telnet protocol's numbers: the command bytes of RFC 854 and the option codes of the RFCs
 * netkit's client negotiates (857 ECHO, 858 SGA, 1091 TTYPE, 1073 NAWS, 1184 LINEMODE, 1572
 * NEW-ENVIRON).
 *
 * @module
 */

/**
 * The telnet command bytes (RFC 854).
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
  /** Erase line. */
  EL: 248,
  /** Erase character. */
  EC: 247,
  /** Are you there. */
  AYT: 246,
  /** Abort output. */
  AO: 245,
  /** Interrupt process. */
  IP: 244,
  /** Break. */
  BRK: 243,
  /** Data mark (the end of a Synch). */
  DM: 242,
  /** No operation. */
  NOP: 241,
  /** Subnegotiation ends. */
  SE: 240,
  /** End of record. */
  EOR: 239,
  /** Abort process. */
  ABORT: 238,
  /** Suspend process. */
  SUSP: 237,
  /** End of file. */
  EOF: 236,
} as const;

/**
 * The telnet options netkit's client knows by name (the IANA registry's codes).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TELNET_OPTION } from "@netkit/netkit/telnet";
 *
 * assert.equal(TELNET_OPTION.NAWS, 31);
 * ```
 */
export const TELNET_OPTION = {
  /** RFC 857: the side that has it on echoes what it receives. */
  ECHO: 1,
  /** RFC 858: suppress go-ahead, i.e. full duplex, character at a time. */
  SGA: 3,
  /** RFC 859. */
  STATUS: 5,
  /** RFC 860. */
  TIMING_MARK: 6,
  /** RFC 1091: the terminal type. */
  TTYPE: 24,
  /** RFC 1073: negotiate about window size. */
  NAWS: 31,
  /** RFC 1079: terminal speed. */
  TSPEED: 32,
  /** RFC 1372: remote flow control. */
  LFLOW: 33,
  /** RFC 1184: line mode. */
  LINEMODE: 34,
  /** RFC 1096: X display location. */
  XDISPLOC: 35,
  /** RFC 1408: the old environment option. */
  ENVIRON: 36,
  /** RFC 1572: environment variables (USER). */
  NEW_ENVIRON: 39,
} as const;
