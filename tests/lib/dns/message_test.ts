import assert from "node:assert/strict";
import {
  decodeDnsMessage,
  DNS_RCODE,
  DNS_TYPE,
  DnsFormatError,
  encodeDnsName,
  rcodeName,
  reverseLookupName,
} from "../../../lib/dns/message.ts";
import { encodeDnsMessage } from "../../../lib/dns/encode_message.ts";

/** A response for web.test with compressed names, written by hand as a server would send it. */
function compressedResponse(): Uint8Array {
  return new Uint8Array([
    0x12,
    0x34,
    0x81,
    0x80,
    0,
    1,
    0,
    2,
    0,
    0,
    0,
    0,
    // question at offset 12: www.test A IN
    3,
    0x77,
    0x77,
    0x77,
    4,
    0x74,
    0x65,
    0x73,
    0x74,
    0,
    0,
    1,
    0,
    1,
    // answer 1: name -> pointer to 12, CNAME, IN, ttl 60, rdata = "web" + pointer to "test" (16)
    0xc0,
    12,
    0,
    5,
    0,
    1,
    0,
    0,
    0,
    60,
    0,
    6,
    3,
    0x77,
    0x65,
    0x62,
    0xc0,
    16,
    // answer 2: name -> pointer to the CNAME target (offset 38), A 10.0.0.1
    0xc0,
    38,
    0,
    1,
    0,
    1,
    0,
    0,
    0,
    60,
    0,
    4,
    10,
    0,
    0,
    1,
  ]);
}

Deno.test("decodeDnsMessage() follows compression pointers", () => {
  const message = decodeDnsMessage(compressedResponse());
  assert.equal(message.id, 0x1234);
  assert.equal(message.response, true);
  assert.equal(message.recursionAvailable, true);
  assert.equal(message.rcode, DNS_RCODE.NOERROR);
  assert.deepEqual(message.questions, [{ name: "www.test", type: DNS_TYPE.A, class: 1 }]);
  assert.deepEqual(message.answers.map((r) => [r.name, r.type, r.data]), [
    ["www.test", DNS_TYPE.CNAME, "web.test"],
    ["web.test", DNS_TYPE.A, "10.0.0.1"],
  ]);
});

Deno.test("encodeDnsMessage() and decodeDnsMessage() round-trip every section and flag", () => {
  const message = {
    id: 65535,
    response: true,
    opcode: 0,
    authoritative: true,
    truncated: true,
    recursionDesired: true,
    recursionAvailable: false,
    rcode: DNS_RCODE.NXDOMAIN,
    questions: [{ name: "a.test", type: DNS_TYPE.AAAA, class: 1 }],
    answers: [
      { name: "a.test", type: DNS_TYPE.AAAA, class: 1, ttl: 300, data: "fd00::1" },
      { name: "a.test", type: DNS_TYPE.TXT, class: 1, ttl: 1, data: new Uint8Array([2, 104, 105]) },
    ],
    authorities: [{ name: "test", type: DNS_TYPE.NS, class: 1, ttl: 0, data: "ns.test" }],
    additionals: [{ name: "9.test", type: DNS_TYPE.PTR, class: 1, ttl: 0, data: "x.test" }],
  };
  assert.deepEqual(decodeDnsMessage(encodeDnsMessage(message)), message);
});

Deno.test("decodeDnsMessage() writes odd label bytes as dig does", () => {
  const wire = new Uint8Array([
    ...[0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0],
    ...[3, 0x61, 0x2e, 0x20, 1, 0x5c, 0, 0, 1, 0, 1],
  ]);
  assert.equal(decodeDnsMessage(wire).questions[0]?.name, "a\\046\\032.\\092");
});

/** Hostile messages, each of which must be a DnsFormatError. */
const HOSTILE: [string, number[]][] = [
  ["an empty message", []],
  ["a short header", [0, 1, 0x81, 0x80, 0, 1]],
  ["a question count with no question", [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0]],
  ["a label past the end", [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 9, 0x61]],
  ["a name without its end", [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0x61]],
  ["a pointer to itself", [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]],
  ["a forward pointer", [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 14, 0, 0, 1, 0, 1]],
  [
    "a pointer loop through a label",
    [
      0,
      1,
      0x81,
      0x80,
      0,
      2,
      0,
      0,
      0,
      0,
      0,
      0,
      1,
      0x61,
      0,
      0,
      1,
      0,
      1,
      1,
      0x62,
      0xc0,
      19,
      0,
      1,
      0,
      1,
    ],
  ],
  ["a cut pointer", [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0]],
  ["an extended label type", [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 1, 0, 1]],
  ["a question without its type", [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]],
  [
    "record data past the end",
    [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 16, 0, 1, 0, 0, 0, 0, 0xff, 0xff, 1],
  ],
  [
    "a CNAME whose name overruns its data",
    [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 0, 1, 0, 0, 0, 0, 0, 2, 1, 0x61, 0],
  ],
  ["an answer count of 65535 with nothing", [0, 1, 0x81, 0x80, 0, 0, 0xff, 0xff, 0, 0, 0, 0]],
];

for (const [what, bytes] of HOSTILE) {
  Deno.test(`decodeDnsMessage() rejects ${what}`, () => {
    assert.throws(() => decodeDnsMessage(new Uint8Array(bytes)), DnsFormatError);
  });
}

Deno.test("decodeDnsMessage() keeps an address record of the wrong length as bytes, as glibc skips it", () => {
  // An A record of 5 bytes, an AAAA record of 4, then an A record of 4.
  const bytes = [0, 1, 0x81, 0x80, 0, 0, 0, 3, 0, 0, 0, 0];
  bytes.push(0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5);
  bytes.push(0, 0, 28, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4);
  bytes.push(0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 10, 0, 0, 1);
  const { answers } = decodeDnsMessage(new Uint8Array(bytes));
  assert.deepEqual(answers.map(({ data }) => data), [
    new Uint8Array([1, 2, 3, 4, 5]),
    new Uint8Array([1, 2, 3, 4]),
    "10.0.0.1",
  ]);
});

Deno.test("decodeDnsMessage() reads a CNAME or NS name to its end where data follows it", () => {
  for (const type of [DNS_TYPE.CNAME, DNS_TYPE.NS, DNS_TYPE.PTR]) {
    // The name `a` (3 bytes), then two bytes of junk, then an A record the junk must not eat.
    const bytes = [0, 1, 0x81, 0x80, 0, 0, 0, 2, 0, 0, 0, 0];
    bytes.push(0, 0, type, 0, 1, 0, 0, 0, 0, 0, 5, 1, 0x61, 0, 9, 9);
    bytes.push(0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 10, 0, 0, 2);
    const { answers } = decodeDnsMessage(new Uint8Array(bytes));
    assert.deepEqual(answers.map(({ data }) => data), ["a", "10.0.0.2"], String(type));
  }
});

Deno.test("decodeDnsMessage() rejects a name longer than 255 bytes made of pointers", () => {
  // Four questions, each a 63-byte label then a pointer to the question before: the fourth
  // name is 4 * 64 + 1 = 257 bytes long.
  const bytes: number[] = [0, 1, 0x81, 0x80, 0, 4, 0, 0, 0, 0, 0, 0];
  let previous = -1;
  for (let i = 0; i < 4; i++) {
    const here = bytes.length;
    bytes.push(63, ...new Array(63).fill(0x61));
    if (previous < 0) bytes.push(0);
    else bytes.push(0xc0 | (previous >> 8), previous & 0xff);
    bytes.push(0, 1, 0, 1);
    previous = here;
  }
  assert.throws(() => decodeDnsMessage(new Uint8Array(bytes)), DnsFormatError);
  bytes[5] = 3; // three questions: the longest name is 193 bytes
  assert.equal(decodeDnsMessage(new Uint8Array(bytes)).questions.length, 3);
});

Deno.test("encodeDnsName() takes one final dot and rejects what DNS cannot carry", () => {
  assert.deepEqual(encodeDnsName("a.b."), new Uint8Array([1, 0x61, 1, 0x62, 0]));
  assert.deepEqual(encodeDnsName("."), new Uint8Array([0]));
  for (const bad of ["a..b", ".a", "a.b..", "x".repeat(64), "é.test", `${"a.".repeat(128)}a`]) {
    assert.throws(() => encodeDnsName(bad), DnsFormatError, bad);
  }
  assert.equal(encodeDnsName(`${"a".repeat(63)}.${"b".repeat(63)}`).length, 129);
});

Deno.test("encodeDnsMessage() refuses bad record data and oversized messages", () => {
  assert.throws(
    () => encodeDnsMessage({ answers: [{ name: "a", type: DNS_TYPE.A, data: "::1" }] }),
    SyntaxError,
  );
  const huge = new Uint8Array(40_000);
  assert.throws(
    () =>
      encodeDnsMessage({
        answers: [1, 2].map(() => ({ name: "a", type: DNS_TYPE.TXT, data: huge })),
      }),
    RangeError,
  );
});

Deno.test("reverseLookupName() builds in-addr.arpa and ip6.arpa names", () => {
  assert.equal(reverseLookupName("192.0.2.1"), "1.2.0.192.in-addr.arpa");
  assert.equal(
    reverseLookupName("2001:db8::567:89ab"),
    "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
  );
  assert.throws(() => reverseLookupName("web.test"), SyntaxError);
});

Deno.test("rcodeName() names the codes and numbers the rest", () => {
  assert.equal(rcodeName(2), "SERVFAIL");
  assert.equal(rcodeName(5), "REFUSED");
  assert.equal(rcodeName(11), "RCODE 11");
});
