import assert from "node:assert/strict";
import {
  AF_INET,
  AF_INET6,
  decodeSockaddr,
  encodeSockaddrIn,
  encodeSockaddrIn6,
} from "../lib/sockaddr.ts";

Deno.test("encodeSockaddrIn() lays out struct sockaddr_in as Linux on x86 does", () => {
  assert.deepEqual(
    encodeSockaddrIn("127.0.0.1", 8080),
    new Uint8Array([2, 0, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
  );
});

Deno.test("encodeSockaddrIn6() lays out struct sockaddr_in6 as Linux on x86 does", () => {
  const bytes = encodeSockaddrIn6("fe80::1", 443, { flowInfo: 0x12345, scopeId: 3 });
  assert.equal(bytes.length, 28);
  assert.deepEqual([...bytes.subarray(0, 8)], [10, 0, 0x01, 0xbb, 0, 0x01, 0x23, 0x45]);
  assert.deepEqual([...bytes.subarray(8, 10)], [0xfe, 0x80]);
  assert.equal(bytes[23], 1);
  assert.deepEqual([...bytes.subarray(24)], [3, 0, 0, 0]);
});

Deno.test("decodeSockaddr() reads back what the encoders wrote", () => {
  assert.deepEqual(decodeSockaddr(encodeSockaddrIn("192.0.2.1", 0)), {
    family: AF_INET,
    address: "192.0.2.1",
    port: 0,
  });
  assert.deepEqual(decodeSockaddr(encodeSockaddrIn6("::ffff:1.2.3.4", 65535, { scopeId: 7 })), {
    family: AF_INET6,
    address: "::ffff:1.2.3.4",
    port: 65535,
    flowInfo: 0,
    scopeId: 7,
  });
  // A longer buffer, as a sockaddr_storage is, reads up to the structure's size.
  const storage = new Uint8Array(128);
  storage.set(encodeSockaddrIn6("::1", 53));
  assert.equal(decodeSockaddr(storage).address, "::1");
});

Deno.test("decodeSockaddr() rejects short buffers and unknown families", () => {
  assert.throws(() => decodeSockaddr(new Uint8Array(0)), RangeError);
  assert.throws(() => decodeSockaddr(encodeSockaddrIn("1.2.3.4", 1).subarray(0, 15)), RangeError);
  assert.throws(() => decodeSockaddr(encodeSockaddrIn6("::1", 1).subarray(0, 27)), RangeError);
  assert.throws(() => decodeSockaddr(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0])), RangeError);
  assert.throws(() => decodeSockaddr("x" as unknown as Uint8Array), TypeError);
});

Deno.test("the encoders reject bad addresses and ports", () => {
  assert.throws(() => encodeSockaddrIn("::1", 1), SyntaxError);
  assert.throws(() => encodeSockaddrIn6("1.2.3.4", 1), SyntaxError);
  for (const port of [-1, 65536, 1.5]) assert.throws(() => encodeSockaddrIn("1.2.3.4", port));
  assert.throws(() => encodeSockaddrIn6("::1", 1, { scopeId: -1 }), RangeError);
});
