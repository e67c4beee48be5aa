import assert from "node:assert/strict";
import {
  encodeTelnetLine,
  TELNET_DO,
  TELNET_DONT,
  TELNET_IAC,
  TELNET_SB,
  TELNET_SE,
  TELNET_WILL,
  TELNET_WONT,
  TelnetFilter,
} from "../lib/telnet.ts";

const NOP = 241;
const GA = 249;

function filterAll(chunks: number[][]): { data: number[]; reply: number[] } {
  const filter = new TelnetFilter();
  const data: number[] = [];
  const reply: number[] = [];
  for (const chunk of chunks) {
    const out = filter.filter(new Uint8Array(chunk));
    data.push(...out.data);
    reply.push(...out.reply);
  }
  return { data, reply };
}

const bytes = (text: string) => [...new TextEncoder().encode(text)];

Deno.test("TelnetFilter passes bytes without TELNET_IAC through untouched, as the same array", () => {
  const all = new Uint8Array(255).map((_, i) => i); // 0..254
  const out = new TelnetFilter().filter(all);
  assert.equal(out.data, all);
  assert.equal(out.reply.length, 0);
});

Deno.test("TelnetFilter refuses TELNET_DO with TELNET_WONT and TELNET_WILL with TELNET_DONT", () => {
  const { data, reply } = filterAll([[
    ...bytes("a"),
    TELNET_IAC,
    TELNET_DO,
    1,
    TELNET_IAC,
    TELNET_WILL,
    3,
    ...bytes("b"),
  ]]);
  assert.deepEqual(data, bytes("ab"));
  assert.deepEqual(reply, [TELNET_IAC, TELNET_WONT, 1, TELNET_IAC, TELNET_DONT, 3]);
});

Deno.test("TelnetFilter does not answer TELNET_DONT or TELNET_WONT", () => {
  const { data, reply } = filterAll([[
    TELNET_IAC,
    TELNET_DONT,
    1,
    TELNET_IAC,
    TELNET_WONT,
    3,
    ...bytes("x"),
  ]]);
  assert.deepEqual(data, bytes("x"));
  assert.deepEqual(reply, []);
});

Deno.test("TelnetFilter turns TELNET_IAC TELNET_IAC into one data byte 255", () => {
  assert.deepEqual(filterAll([[1, TELNET_IAC, TELNET_IAC, 2]]).data, [1, 255, 2]);
});

Deno.test("TelnetFilter skips subnegotiation, TELNET_IAC TELNET_IAC inside it included", () => {
  const { data, reply } = filterAll([
    [
      ...bytes("a"),
      TELNET_IAC,
      TELNET_SB,
      24,
      1,
      TELNET_IAC,
      TELNET_IAC,
      7,
      TELNET_IAC,
      TELNET_SE,
      ...bytes("b"),
    ],
  ]);
  assert.deepEqual(data, bytes("ab"));
  assert.deepEqual(reply, []);
});

Deno.test("TelnetFilter drops two-byte commands (NOP, GA, a stray TELNET_SE)", () => {
  assert.deepEqual(
    filterAll([[1, TELNET_IAC, NOP, 2, TELNET_IAC, GA, 3, TELNET_IAC, TELNET_SE, 4]]).data,
    [1, 2, 3, 4],
  );
});

Deno.test("TelnetFilter handles every split of a stream across two reads", () => {
  const stream = [
    ...bytes("hello "),
    TELNET_IAC,
    TELNET_DO,
    1,
    TELNET_IAC,
    TELNET_WILL,
    3,
    TELNET_IAC,
    TELNET_IAC,
    TELNET_IAC,
    TELNET_SB,
    31,
    0,
    80,
    TELNET_IAC,
    TELNET_IAC,
    TELNET_IAC,
    TELNET_SE,
    TELNET_IAC,
    NOP,
    ...bytes("world"),
  ];
  const expected = filterAll([stream]);
  assert.deepEqual(expected.data, [...bytes("hello "), 255, ...bytes("world")]);
  assert.deepEqual(expected.reply, [TELNET_IAC, TELNET_WONT, 1, TELNET_IAC, TELNET_DONT, 3]);
  for (let cut = 0; cut <= stream.length; cut++) {
    assert.deepEqual(filterAll([stream.slice(0, cut), stream.slice(cut)]), expected, `cut ${cut}`);
  }
  assert.deepEqual(filterAll(stream.map((b) => [b])), expected, "one byte at a time");
});

Deno.test("encodeTelnetLine() appends CR LF and doubles TELNET_IAC", () => {
  assert.deepEqual([...encodeTelnetLine("")], [13, 10]);
  assert.deepEqual([...encodeTelnetLine("GET / HTTP/1.0")], [...bytes("GET / HTTP/1.0"), 13, 10]);
  assert.deepEqual([...encodeTelnetLine(new Uint8Array([1, 255, 2]))], [1, 255, 255, 2, 13, 10]);
});
