/**
 * The time of an HTTP date header (`Last-Modified`) as GNU wget reads one (its `http_atotm`):
 * RFC 1123 (`Thu, 29 Jan 1998 22:12:57 GMT`), RFC 850 (`Thursday, 29-Jan-98 22:12:57 GMT`),
 * asctime (`Thu Jan 29 22:12:57 1998`) and the cookies' form (`Thu, 29-Jan-1998 22:12:57`), in
 * UTC whatever zone follows, names in any case; anything else is no time. `Date.parse` is not
 * used: it takes `0` for the year 2000 and `yesterday`-like text in its own ways.
 *
 * @module
 */

const DAY = "(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*";
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*";
const TIME = "(\\d{1,2}):(\\d{1,2}):(\\d{1,2})";
/** What may follow the time (GNU's check_end): nothing, blanks, `GMT...`, or `+D...`/`-D...`. */
const END = "\\s*(?:$|GMT|[+-]\\d)";

/** day, month, year, hour, minute, second by the groups' order of each form. */
const FORMS: { pattern: RegExp; order: [number, number, number, number, number, number] }[] = [
  {
    pattern: new RegExp(
      `^\\s*${DAY}\\s*,\\s*(\\d{1,2})\\s+${MONTH}\\s+(\\d{1,4})\\s+${TIME}${END}`,
      "i",
    ),
    order: [1, 2, 3, 4, 5, 6],
  },
  {
    pattern: new RegExp(`^\\s*${DAY}\\s*,\\s*(\\d{1,2})-${MONTH}-(\\d{1,2})\\s+${TIME}${END}`, "i"),
    order: [1, 2, 3, 4, 5, 6],
  },
  {
    pattern: new RegExp(
      `^\\s*${DAY}\\s+${MONTH}\\s+(\\d{1,2})\\s+${TIME}\\s+(\\d{1,4})${END}`,
      "i",
    ),
    order: [2, 1, 6, 3, 4, 5],
  },
  {
    pattern: new RegExp(`^\\s*${DAY}\\s*,\\s*(\\d{1,2})-${MONTH}-(\\d{1,4})\\s+${TIME}${END}`, "i"),
    order: [1, 2, 3, 4, 5, 6],
  },
];

/** RFC 9110's preferred form's day names and months, as servers send them. */
const FIXDATE_DAYS = new Set(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
const FIXDATE_MONTHS = new Map(
  MONTHS.map((name, i) => [name[0]!.toUpperCase() + name.slice(1), i]),
);

/**
 * The milliseconds since the epoch of `text`, or NaN when it is none of GNU's date forms, or is
 * the second before the epoch: GNU's http_atotm returns that second's time_t, -1, for "no date",
 * so GNU wget sets no time from "Wed, 31 Dec 1969 23:59:59 GMT" and -N fetches the file again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHttpDate } from "@netkit/netkit/download";
 *
 * assert.equal(parseHttpDate("Thu, 29 Jan 1998 22:12:57 GMT"), Date.UTC(1998, 0, 29, 22, 12, 57));
 * assert.equal(parseHttpDate("Thursday, 29-Jan-98 22:12:57 GMT"), Date.UTC(1998, 0, 29, 22, 12, 57));
 * // What GNU wget cannot read is no time ("Last-modified header invalid").
 * assert.ok(Number.isNaN(parseHttpDate("garbage")));
 * assert.ok(Number.isNaN(parseHttpDate("Wed, 31 Dec 1969 23:59:59 GMT")));
 * ```
 */
export function parseHttpDate(text: string | null | undefined): number {
  if (!text) return NaN;
  if (text === lastText) return lastTime;
  const time = fixdateTime(text) ?? parseDateForms(text);
  lastText = text;
  lastTime = time === TIME_T_MINUS_ONE_MS ? NaN : time;
  return lastTime;
}

/**
 * The last date read and its time: a mirror reads one a file, and a site's files often share
 * their Last-Modified (written in one second), so the same text comes again and again.
 */
let lastText = "";
let lastTime = NaN;

/** 1969-12-31 23:59:59 UTC: time_t -1, GNU's "no date". */
const TIME_T_MINUS_ONE_MS = -1000;

/**
 * The time of a date in RFC 9110's preferred form exactly as servers send it (`Sun, 06 Nov 1994
 * 08:49:37 GMT`: 29 characters, names capitalised, a year from 100): a date the first of
 * {@linkcode FORMS} reads the same, found without its regular expression (a mirror reads one a
 * file). Undefined for anything else, left to {@linkcode parseDateForms}.
 */
function fixdateTime(text: string): number | undefined {
  if (
    text.length !== 29 || text[3] !== "," || text[4] !== " " || text[7] !== " " ||
    text[11] !== " " || text[16] !== " " || text[19] !== ":" || text[22] !== ":" ||
    text[25] !== " " || !text.endsWith("GMT") || !FIXDATE_DAYS.has(text.slice(0, 3))
  ) return undefined;
  const month = FIXDATE_MONTHS.get(text.slice(8, 11));
  const day = digitsAt(text, 5, 2);
  const year = digitsAt(text, 12, 4);
  const hour = digitsAt(text, 17, 2);
  const minute = digitsAt(text, 20, 2);
  const second = digitsAt(text, 23, 2);
  if (
    month === undefined || day < 1 || day > 31 || year < 100 || hour < 0 || hour > 23 ||
    minute < 0 || minute > 59 || second < 0 || second > 61
  ) return undefined;
  // (Date.UTC reads a year below 100 as 19xx: none comes here.)
  return Date.UTC(year, month, day, hour, minute, second);
}

/** The number of the `count` ASCII digits at `at` in `text`, or -1 when one is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** `text` read by each of {@linkcode FORMS} in turn: its time, or NaN. */
function parseDateForms(text: string): number {
  for (const [index, { pattern, order }] of FORMS.entries()) {
    const match = text.match(pattern);
    if (!match) continue;
    const [day, month, year, hour, minute, second] = order.map((i) => match[i]!);
    let fullYear = Number(year);
    // RFC 850's two digits, as strptime's %y: 69-99 are 19xx, 00-68 20xx.
    if (index === 1) fullYear += fullYear >= 69 ? 1900 : 2000;
    const values = [Number(day), Number(hour), Number(minute), Number(second)];
    const [d, h, m, s] = values as [number, number, number, number];
    if (d < 1 || d > 31 || h > 23 || m > 59 || s > 61) continue;
    const date = new Date(0);
    date.setUTCFullYear(fullYear, MONTHS.indexOf(month!.toLowerCase().slice(0, 3)), d);
    date.setUTCHours(h, m, s, 0);
    return date.getTime();
  }
  return NaN;
}
