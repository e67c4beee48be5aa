import assert from "node:assert/strict";
import { parseHttpDate } from "../../../lib/download/_http_date.ts";

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
