/**
 * The C library's `strftime("%c")` in the C locale, in UTC: what `date -u +%c` prints under
 * `LC_ALL=C`, and what a daytime server (RFC 867) sends.
 *
 * @module
 */

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Formats `date` as glibc's `%c` in the C locale, in UTC: `%a %b %e %H:%M:%S %Y`, with the day of
 * the month padded with a space and the year as is (`1`, `-2`, `10000`), as glibc prints it.
 *
 * @param date The instant to format.
 * @returns The text, without a line ending, e.g. `Tue Nov 24 01:08:48 2026`.
 * @throws {RangeError} for an invalid date.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatCTime } from "@netkit/netkit/time";
 *
 * assert.equal(formatCTime(new Date(0)), "Thu Jan  1 00:00:00 1970");
 * assert.equal(formatCTime(new Date("2026-11-24T01:08:48Z")), "Tue Nov 24 01:08:48 2026");
 * ```
 */
export function formatCTime(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new RangeError(`Invalid date "${date}"`);
  const day = date.getUTCDate();
  return `${DAY_NAMES[date.getUTCDay()]} ${MONTH_NAMES[date.getUTCMonth()]} ${
    day < 10 ? ` ${day}` : day
  } ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${
    twoDigits(date.getUTCSeconds())
  } ${date.getUTCFullYear()}`;
}
