import assert from "node:assert/strict";
import { formatCTime } from "../../../lib/time/ctime.ts";
import { peerTest } from "../../harness/peers.ts";

Deno.test("formatCTime() pads the day of the month with a space", () => {
  assert.equal(formatCTime(new Date("2026-11-04T01:08:48Z")), "Wed Nov  4 01:08:48 2026");
  assert.equal(formatCTime(new Date("2026-11-24T01:08:48Z")), "Tue Nov 24 01:08:48 2026");
});

Deno.test("formatCTime() writes the year as glibc does, unpadded and signed", () => {
  assert.equal(formatCTime(new Date("0001-01-01T00:00:00Z")), "Mon Jan  1 00:00:00 1");
  assert.equal(formatCTime(new Date("+010000-01-01T00:00:00Z")), "Sat Jan  1 00:00:00 10000");
  assert.equal(formatCTime(new Date("-000002-12-17T14:13:20Z")), "Thu Dec 17 14:13:20 -2");
});

Deno.test("formatCTime() rejects an invalid date", () => {
  assert.throws(() => formatCTime(new Date("nonsense")), RangeError);
});

/** Instants worth checking: edges of days, months, leap years, eras, and a spread of random ones. */
function sampleInstants(): number[] {
  const instants = [
    0,
    -1,
    1,
    951782399,
    951782400,
    2147483647,
    2147483648,
    4102444799,
    -2208988800,
  ];
  for (let year = 1900; year <= 2100; year += 7) {
    for (const month of [0, 1, 2, 11]) {
      const start = Date.UTC(year, month, 1) / 1000;
      instants.push(start - 1, start, start + 86399);
    }
  }
  let seed = 12345;
  for (let i = 0; i < 2000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    instants.push(Math.floor((seed / 2 ** 31) * 2 * 253402300799) - 253402300799);
  }
  return instants;
}

peerTest(
  "formatCTime() matches `date -u +%c` under LC_ALL=C over many instants",
  ["date"],
  async () => {
    const instants = sampleInstants();
    const child = new Deno.Command("date", {
      args: ["-u", "-f", "-", "+%c"],
      env: { LC_ALL: "C", TZ: "UTC" },
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(instants.map((t) => `@${t}\n`).join("")));
    await writer.close();
    const { code, stdout } = await child.output();
    assert.equal(code, 0);
    const expected = new TextDecoder().decode(stdout).trimEnd().split("\n");
    assert.equal(expected.length, instants.length);
    instants.forEach((t, i) => assert.equal(formatCTime(new Date(t * 1000)), expected[i], `@${t}`));
  },
);
