/**
 * GNU wget's time periods (`-T`, `-w`, `--waitretry`, the three timeouts): seconds, or with a
 * suffix `s`, `m`, `h`, `d` or `w` (`1.5m`, `2h`).
 *
 * @module
 */

import { UsageError } from "../../lib/cli/command_line.ts";

const UNIT_SECONDS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * Reads a time period as GNU wget does.
 *
 * @returns Milliseconds.
 * @throws {UsageError} for anything else, naming the option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseWgetTime } from "./time.ts";
 *
 * assert.equal(parseWgetTime("1m", "--wait"), 60_000);
 * assert.equal(parseWgetTime("0.5", "--timeout"), 500);
 * assert.throws(() => parseWgetTime("1x", "--wait"));
 * ```
 */
export function parseWgetTime(text: string, option: string): number {
  const match = /^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([smhdw]?)\s*$/i.exec(text);
  if (!match) {
    throw new UsageError(`${option} takes a time such as 10, 1.5m, 2h or 1d, not "${text}"`);
  }
  return Math.round(Number(match[1]) * UNIT_SECONDS[match[2]!.toLowerCase()]! * 1000);
}
