import assert from "node:assert/strict";
import { HOST_IS_LITTLE_ENDIAN, htonl, htons, ntohl, ntohs } from "../../../lib/net/byte_order.ts";

Deno.test("htons() and htonl() give the bytes a big-endian machine would hold", () => {
  const short = new Uint16Array([htons(0x1234)]);
  assert.deepEqual(new Uint8Array(short.buffer), new Uint8Array([0x12, 0x34]));
  const long = new Uint32Array([htonl(0x7f000001)]);
  assert.deepEqual(new Uint8Array(long.buffer), new Uint8Array([127, 0, 0, 1]));
});

Deno.test("ntohs() and ntohl() undo htons() and htonl() over the whole range's edges", () => {
  for (const value of [0, 1, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff]) {
    assert.equal(ntohs(htons(value)), value);
  }
  for (const value of [0, 1, 0xff, 0x7fffffff, 0x80000000, 0xdeadbeef, 0xffffffff]) {
    assert.equal(ntohl(htonl(value)), value);
    assert.ok(htonl(value) >= 0, "unsigned");
  }
  assert.equal(htonl(0x11223344), HOST_IS_LITTLE_ENDIAN ? 0x44332211 : 0x11223344);
});

Deno.test("htons() and htonl() reject what does not fit", () => {
  for (const bad of [-1, 65536, 1.5, NaN, Infinity]) assert.throws(() => htons(bad), RangeError);
  for (const bad of [-1, 2 ** 32, 0.5, NaN]) assert.throws(() => ntohl(bad), RangeError);
});
