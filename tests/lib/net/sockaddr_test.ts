import assert from "node:assert/strict";
import {
  AF_INET,
  AF_INET6,
  decodeSockaddr,
  encodeSockaddrIn,
  encodeSockaddrIn6,
} from "../../../lib/net/sockaddr.ts";
import { peerTest, tempDir } from "../../harness/peers.ts";

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

const C_PROGRAM = `
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static void dump(const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
  printf("\\n");
}

int main(void) {
  struct sockaddr_in in4;
  memset(&in4, 0, sizeof in4);
  in4.sin_family = AF_INET;
  in4.sin_port = htons(8080);
  inet_pton(AF_INET, "192.0.2.33", &in4.sin_addr);
  dump(&in4, sizeof in4);

  struct sockaddr_in6 in6;
  memset(&in6, 0, sizeof in6);
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(443);
  in6.sin6_flowinfo = htonl(0x12345);
  inet_pton(AF_INET6, "fe80::1:2", &in6.sin6_addr);
  in6.sin6_scope_id = 7;
  dump(&in6, sizeof in6);
  return 0;
}
`;

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

peerTest("the sockaddr encoders match what C on this machine lays out", ["gcc"], async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/sockaddr.c`, C_PROGRAM);
  const compile = await new Deno.Command("gcc", {
    args: ["-o", `${dir.path}/sockaddr`, `${dir.path}/sockaddr.c`],
    stderr: "inherit",
  }).output();
  assert.ok(compile.success, "gcc failed");
  const run = await new Deno.Command(`${dir.path}/sockaddr`, { stdout: "piped" }).output();
  const [in4, in6] = new TextDecoder().decode(run.stdout).trim().split("\n");
  assert.equal(hex(encodeSockaddrIn("192.0.2.33", 8080)), in4);
  assert.equal(hex(encodeSockaddrIn6("fe80::1:2", 443, { flowInfo: 0x12345, scopeId: 7 })), in6);
  assert.ok(in6 !== undefined, "the C program printed no sockaddr_in6");
  const decoded = decodeSockaddr(Uint8Array.from(in6.match(/../g)!, (h) => parseInt(h, 16)));
  assert.deepEqual(decoded, {
    family: AF_INET6,
    address: "fe80::1:2",
    port: 443,
    flowInfo: 0x12345,
    scopeId: 7,
  });
});
