import assert from "node:assert/strict";
import { encodeTelnetLine, TELNET, TelnetFilter } from "../../../lib/telnet/filter.ts";

const { DO, DONT, GA, IAC, NOP, SB, SE, WILL, WONT } = TELNET;

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

Deno.test("TelnetFilter passes bytes without IAC through untouched, as the same array", () => {
  const all = new Uint8Array(255).map((_, i) => i); // 0..254
  const out = new TelnetFilter().filter(all);
  assert.equal(out.data, all);
  assert.equal(out.reply.length, 0);
});

Deno.test("TelnetFilter refuses DO with WONT and WILL with DONT", () => {
  const { data, reply } = filterAll([[
    ...bytes("a"),
    IAC,
    DO,
    1,
    IAC,
    WILL,
    3,
    ...bytes("b"),
  ]]);
  assert.deepEqual(data, bytes("ab"));
  assert.deepEqual(reply, [IAC, WONT, 1, IAC, DONT, 3]);
});

Deno.test("TelnetFilter does not answer DONT or WONT", () => {
  const { data, reply } = filterAll([[
    IAC,
    DONT,
    1,
    IAC,
    WONT,
    3,
    ...bytes("x"),
  ]]);
  assert.deepEqual(data, bytes("x"));
  assert.deepEqual(reply, []);
});

Deno.test("TelnetFilter turns IAC IAC into one data byte 255", () => {
  assert.deepEqual(filterAll([[1, IAC, IAC, 2]]).data, [1, 255, 2]);
});

Deno.test("TelnetFilter skips subnegotiation, IAC IAC inside it included", () => {
  const { data, reply } = filterAll([
    [
      ...bytes("a"),
      IAC,
      SB,
      24,
      1,
      IAC,
      IAC,
      7,
      IAC,
      SE,
      ...bytes("b"),
    ],
  ]);
  assert.deepEqual(data, bytes("ab"));
  assert.deepEqual(reply, []);
});

Deno.test("TelnetFilter drops two-byte commands (NOP, GA, a stray SE)", () => {
  assert.deepEqual(
    filterAll([[1, IAC, NOP, 2, IAC, GA, 3, IAC, SE, 4]]).data,
    [1, 2, 3, 4],
  );
});

Deno.test("TelnetFilter handles every split of a stream across two reads", () => {
  const stream = [
    ...bytes("hello "),
    IAC,
    DO,
    1,
    IAC,
    WILL,
    3,
    IAC,
    IAC,
    IAC,
    SB,
    31,
    0,
    80,
    IAC,
    IAC,
    IAC,
    SE,
    IAC,
    NOP,
    ...bytes("world"),
  ];
  const expected = filterAll([stream]);
  assert.deepEqual(expected.data, [...bytes("hello "), 255, ...bytes("world")]);
  assert.deepEqual(expected.reply, [IAC, WONT, 1, IAC, DONT, 3]);
  for (let cut = 0; cut <= stream.length; cut++) {
    assert.deepEqual(filterAll([stream.slice(0, cut), stream.slice(cut)]), expected, `cut ${cut}`);
  }
  assert.deepEqual(filterAll(stream.map((b) => [b])), expected, "one byte at a time");
});

Deno.test("encodeTelnetLine() appends CR LF and doubles IAC", () => {
  assert.deepEqual([...encodeTelnetLine("")], [13, 10]);
  assert.deepEqual([...encodeTelnetLine("GET / HTTP/1.0")], [...bytes("GET / HTTP/1.0"), 13, 10]);
  assert.deepEqual([...encodeTelnetLine(new Uint8Array([1, 255, 2]))], [1, 255, 255, 2, 13, 10]);
});
