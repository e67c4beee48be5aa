import assert from "node:assert/strict";
import {
  decodeRfc868Time,
  encodeRfc868Time,
  RFC868_EPOCH_OFFSET,
  writeRfc868Time,
} from "../../../lib/time/rfc868_time.ts";

Deno.test("encodeRfc868Time() gives big-endian seconds since 1900", () => {
  assert.deepEqual([...encodeRfc868Time(new Date("1900-01-01T00:00:00Z"))], [0, 0, 0, 0]);
  assert.deepEqual([...encodeRfc868Time(new Date(0))], [0x83, 0xaa, 0x7e, 0x80]);
  // RFC 868's own examples.
  for (
    const [iso, count] of [
      ["1970-01-01T00:00:00Z", 2_208_988_800],
      ["1976-01-01T00:00:00Z", 2_398_291_200],
      ["1980-01-01T00:00:00Z", 2_524_521_600],
      ["1983-05-01T00:00:00Z", 2_629_584_000],
    ] as const
  ) {
    const bytes = encodeRfc868Time(new Date(iso));
    assert.equal(new DataView(bytes.buffer).getUint32(0), count, iso);
  }
  // Fractions of a second are dropped, not rounded.
  const almost = encodeRfc868Time(new Date(999));
  assert.equal(new DataView(almost.buffer).getUint32(0), RFC868_EPOCH_OFFSET);
});

Deno.test("encodeRfc868Time() wraps modulo 2^32 after 2036", () => {
  const wrap = new Date((2 ** 32 - RFC868_EPOCH_OFFSET) * 1000);
  assert.equal(wrap.toISOString(), "2036-02-07T06:28:16.000Z");
  assert.deepEqual([...encodeRfc868Time(wrap)], [0, 0, 0, 0]);
  assert.deepEqual([...encodeRfc868Time(new Date(wrap.getTime() - 1000))], [255, 255, 255, 255]);
});

Deno.test("decodeRfc868Time() round-trips from 1968 to 2104", () => {
  for (
    const iso of [
      "1968-01-20T03:14:08Z",
      "1970-01-01T00:00:00Z",
      "2026-11-24T01:08:48Z",
      "2036-02-07T06:28:16Z",
      "2104-02-26T09:42:23Z",
    ]
  ) {
    const date = new Date(iso);
    assert.equal(decodeRfc868Time(encodeRfc868Time(date)).toISOString(), date.toISOString());
  }
});

Deno.test("RFC 868 functions reject bad input", () => {
  assert.throws(() => encodeRfc868Time(new Date(NaN)), RangeError);
  assert.throws(() => writeRfc868Time(new Date(0), new Uint8Array(5), 2), RangeError);
  assert.throws(() => writeRfc868Time(new Date(0), new Uint8Array(4), -1), RangeError);
  for (const length of [0, 3, 5]) {
    assert.throws(() => decodeRfc868Time(new Uint8Array(length)), RangeError);
  }
});

Deno.test("writeRfc868Time() writes at an offset and leaves the rest alone", () => {
  const buffer = new Uint8Array([9, 9, 9, 9, 9, 9]);
  writeRfc868Time(new Date(0), buffer, 1);
  assert.deepEqual([...buffer], [9, 0x83, 0xaa, 0x7e, 0x80, 9]);
});

Deno.test("decodeRfc868Time(bytes, near) reads the era nearest the reader's clock, as rdate", () => {
  const era = 2 ** 32 * 1000;
  const near = new Date("2110-01-01T00:00:00Z");
  // Within 2^31 s either side of the clock: read as sent, whatever the era (1968-2104 without it).
  for (const iso of ["2110-01-01T00:00:00Z", "2045-01-01T00:00:00Z", "2177-12-31T23:59:59Z"]) {
    const date = new Date(iso);
    assert.equal(decodeRfc868Time(encodeRfc868Time(date), near).toISOString(), date.toISOString());
  }
  assert.equal(
    decodeRfc868Time(encodeRfc868Time(near)).toISOString(),
    new Date(near.getTime() - era).toISOString(),
    "without near, 2110 is read in 1968-2104",
  );
  // The edges: the count's difference from the clock as a signed 32-bit number, -2^31 to 2^31 - 1.
  const half = 2 ** 31 * 1000;
  const ahead = new Date(near.getTime() + half - 1000);
  assert.equal(decodeRfc868Time(encodeRfc868Time(ahead), near).getTime(), ahead.getTime());
  const tooFar = new Date(near.getTime() + half);
  assert.equal(decodeRfc868Time(encodeRfc868Time(tooFar), near).getTime(), tooFar.getTime() - era);
  const behind = new Date(near.getTime() - half);
  assert.equal(decodeRfc868Time(encodeRfc868Time(behind), near).getTime(), behind.getTime());
  // A clock inside a second: its fraction is dropped, as time(2) drops it.
  const fraction = new Date(near.getTime() + 999);
  assert.equal(decodeRfc868Time(encodeRfc868Time(near), fraction).getTime(), near.getTime());
  assert.throws(() => decodeRfc868Time(new Uint8Array(4), new Date(NaN)), RangeError);
});
