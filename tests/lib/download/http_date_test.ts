import assert from "node:assert/strict";
import { parseHttpDate } from "../../../lib/download/http_date.ts";

Deno.test("parseHttpDate() reads GNU wget's four date forms, in UTC", () => {
  const time = Date.UTC(1998, 0, 29, 22, 12, 57);
  for (
    const text of [
      "Thu, 29 Jan 1998 22:12:57 GMT",
      "Thu, 29 Jan 1998 22:12:57",
      "thursday, 29 january 1998 22:12:57 +0100",
      "Thursday, 29-Jan-98 22:12:57 GMT",
      "Thu Jan 29 22:12:57 1998",
      "Thu, 29-Jan-1998 22:12:57 GMT",
      "  Thu,  29 Jan 1998 22:12:57   ",
    ]
  ) assert.equal(parseHttpDate(text), time, text);
  assert.equal(parseHttpDate("Fri, 01 Jan 2100 00:00:00 GMT"), Date.UTC(2100, 0, 1));
  assert.equal(parseHttpDate("Sunday, 06-Nov-08 08:49:37 GMT"), Date.UTC(2008, 10, 6, 8, 49, 37));
});

Deno.test("parseHttpDate() takes no other text for a date, where Date.parse would", () => {
  for (
    const text of [
      "0",
      "2020",
      "yesterday",
      "2020-01-01T00:00:00Z",
      "Wed, 32 Foo 2020 99:00:00 GMT",
      "Wed, 01 Jan 2020 24:00:00 GMT",
      "Wed, 01 Jan 2020 00:00:00 PST",
      "01 Jan 2020 00:00:00 GMT",
      "",
      null,
      undefined,
    ]
  ) assert.ok(Number.isNaN(parseHttpDate(text)), String(text));
});

Deno.test("parseHttpDate() reads the form servers send as it reads the same date in lower case", () => {
  // The exact form (`Sun, 06 Nov 1994 08:49:37 GMT`) has a path of its own; lower case takes
  // the regular expressions'.
  const texts = [
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "Sun, 31 Feb 2021 23:59:60 GMT",
    "Sun, 30 Feb 2021 23:59:61 GMT",
    "Sun, 06 Nov 0100 08:49:37 GMT",
    "Sun, 06 Nov 0099 08:49:37 GMT",
    "Sun, 06 Nov 0050 08:49:37 GMT",
    "Sun, 06 Nov 9999 08:49:37 GMT",
    "Sun, 06 Nov 1994 24:49:37 GMT",
    "Sun, 06 Nov 1994 08:60:37 GMT",
    "Sun, 06 Nov 1994 08:49:62 GMT",
    "Sun, 00 Nov 1994 08:49:37 GMT",
    "Sun, 32 Nov 1994 08:49:37 GMT",
    "Sun, 6  Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 08:49:37 PST",
    "Sun, 06 Nov 1994 08:49:37 GMX",
    "Sun, 06 Nov 1994 8:49:37  GMT",
    "Sun, 06 Nox 1994 08:49:37 GMT",
    "Sux, 06 Nov 1994 08:49:37 GMT",
    "Sun, 0a Nov 1994 08:49:37 GMT",
  ];
  for (const text of texts) {
    assert.equal(parseHttpDate(text), parseHttpDate(text.toLowerCase()), text);
  }
  let seed = 15;
  for (let i = 0; i < 2000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    // Any second from the year 100 to 9999, as toUTCString() writes it (the servers' form).
    const time = -59_011_459_200_000 + Math.floor((seed / 2147483648) * 312_413_126_400) * 1000;
    const text = new Date(time).toUTCString();
    assert.equal(parseHttpDate(text), time, text);
    assert.equal(parseHttpDate(text.toLowerCase()), time, text);
  }
  assert.equal(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), Date.UTC(1994, 10, 6, 8, 49, 37));
});

Deno.test("parseHttpDate() takes the second before the epoch (time_t -1) for no date, as GNU", () => {
  for (
    const text of [
      "Wed, 31 Dec 1969 23:59:59 GMT",
      "wed, 31 dec 1969 23:59:59 gmt",
      "Wednesday, 31-Dec-69 23:59:59 GMT",
      "Wed Dec 31 23:59:59 1969",
    ]
  ) assert.ok(Number.isNaN(parseHttpDate(text)), text);
  // The seconds either side are times like any other, before the epoch and at it.
  assert.equal(parseHttpDate("Wed, 31 Dec 1969 23:59:58 GMT"), -2000);
  assert.equal(parseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  assert.equal(parseHttpDate("Fri, 01 Jan 1960 00:00:00 GMT"), Date.UTC(1960, 0, 1));
  assert.equal(parseHttpDate("Sun, 07 Feb 2106 06:28:16 GMT"), Date.UTC(2106, 1, 7, 6, 28, 16));
});
