/**
 * Scrabble racks: the letters a player holds, `?` for a blank tile that stands for any letter.
 *
 * @module
 */

import { markNetkitError } from "../io/netkit_error.ts";

/** The most tiles a rack may hold. */
export const MAX_RACK_LETTERS = 32;

/** Why a rack was refused. */
export type RackProblem = "empty" | "invalid" | "too-long";

/** A rack that is empty, holds something other than letters and `?`, or is too long. */
export class RackError extends RangeError {
  /** What is wrong with the rack. */
  readonly problem: RackProblem;

  /** Builds the error for `problem`, with a message naming the rack. */
  constructor(problem: RackProblem, message: string) {
    super(message);
    this.name = "RackError";
    this.problem = problem;
    markNetkitError(this, "INVALID_RACK");
  }
}

/**
 * Checks a rack and returns it in lowercase: ASCII letters in any case and `?` (a blank tile).
 *
 * @param text The rack as typed, e.g. `"LeXiCaL"` or `"qu?ck"`.
 * @returns The rack in lowercase.
 * @throws {RackError} for an empty rack, any other character, or more than
 * {@linkcode MAX_RACK_LETTERS} tiles.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRack } from "@netkit/netkit/words";
 *
 * assert.equal(parseRack("LeXi?aL"), "lexi?al");
 * ```
 */
export function parseRack(text: string): string {
  if (text.length === 0) throw new RackError("empty", "The rack is empty");
  if (text.length > MAX_RACK_LETTERS) {
    throw new RackError(
      "too-long",
      `The rack "${text.slice(0, 40)}${
        text.length > 40 ? "\u2026" : ""
      }" holds more than ${MAX_RACK_LETTERS} tiles`,
    );
  }
  if (!/^[A-Za-z?]+$/.test(text)) {
    throw new RackError("invalid", `The rack "${text}" holds something other than letters and "?"`);
  }
  return text.toLowerCase();
}

/**
 * The canonical form of a rack: its tiles sorted, so that anagrams share one cache entry.
 *
 * @param rack A rack already checked by {@linkcode parseRack}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sortRack } from "@netkit/netkit/words";
 *
 * assert.equal(sortRack("lexical"), "aceillx");
 * ```
 */
export function sortRack(rack: string): string {
  return rack.split("").sort().join("");
}
