/**
 * GNU wget's time periods (`-T`, `-w`, `--waitretry`, the three timeouts): seconds, or with a
 * suffix `s`, `m`, `h`, `d` or `w` (`1.5m`, `2h`).
 *
 * @module
 */

import { UsageError } from "../../lib/cli/command_line.ts";
import { quoteName } from "./quote_name.ts";

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
  // GNU's cmd_time: a sign, digits with one dot at most, then the unit; -0 is 0.
  const match = /^\s*([-+]?)([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([smhdw]?)\s*$/i.exec(text);
  if (!match) throw new UsageError(`${option}: Invalid time period ${quoteName(text)}`);
  const seconds = Number(match[2]) * UNIT_SECONDS[match[3]!.toLowerCase()]!;
  if (match[1] === "-" && seconds !== 0) {
    throw new UsageError(`${option}: Negative time period ${quoteName(text)}`);
  }
  return Math.round(seconds * 1000);
}
