/**
 * The write path of `SocketStream` (safe for several writers: queued writes, two buffers, group
 * flushes) against its anchor, main's single-writer `SocketStream` at 70f25f5
 * (`bench/_main_socket_stream.ts`), in one run, on loopback.
 *
 * Each case sends the same bytes to a reader on the other end of a fresh loopback connection
 * (same process, 256 KiB reads) and reports MB/s, the median of interleaved rounds:
 *
 * - `small, flush at end`: 100-byte writes, one flush at the end.
 * - `small, flush each`: 100-byte writes, each followed by `flush()`.
 * - `text, flush at end`: the same with 100-character strings.
 * - `1 MiB writes`: writes larger than the buffer, which go straight out.
 *
 * The new stream runs each case with 1 writer and with 50 concurrent writers (each doing its
 * share in the same way); the anchor only with 1, as it corrupts data with more. The goal: the
 * new stream's concurrent write path costs at most 10 % over the anchor's single writer.
 *
 * A second table checks that serialized reads cost nothing on one reader: `readLine()` over a
 * million 44-byte lines, and `copyTo()` of 512 MiB into a sink that drops the bytes.
 *
 *   deno run -A bench/socket_stream.ts [--rounds 7] [--mib 32]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { SocketStream } from "../lib/net/socket_stream.ts";
import { MainSocketStream } from "./_main_socket_stream.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "7" },
    mib: { type: "string", default: "32" },
  },
});
const ROUNDS = Number(values.rounds);
const TOTAL = Number(values.mib) * 1024 * 1024;

interface Writer {
  write(data: string | Uint8Array): Promise<void>;
  flush(): Promise<void>;
  closeWrite(): Promise<void>;
  close(): void;
}

type Make = (conn: Deno.TcpConn) => Writer;
const makeNew: Make = (conn) => new SocketStream(conn);
const makeMain: Make = (conn) => new MainSocketStream(conn);

interface Case {
  name: string;
  piece: Uint8Array | string;
  flushEach: boolean;
}

const small = new Uint8Array(100).map((_, i) => 0x41 + (i % 26));
const CASES: Case[] = [
  { name: "small, flush at end", piece: small, flushEach: false },
  { name: "small, flush each", piece: small, flushEach: true },
  { name: "text, flush at end", piece: "x".repeat(99) + "\n", flushEach: false },
  { name: "1 MiB writes", piece: new Uint8Array(1024 * 1024).fill(0x61), flushEach: false },
];

/** Sends `TOTAL` bytes through one stream with `writers` concurrent tasks; returns MB/s. */
async function run(make: Make, test: Case, writers: number): Promise<number> {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const server = await accepted;
  const pieceBytes = typeof test.piece === "string" ? test.piece.length : test.piece.length;
  const pieces = Math.floor(TOTAL / pieceBytes);
  const expected = pieces * pieceBytes;
  const reading = (async () => {
    const buffer = new Uint8Array(256 * 1024);
    let total = 0;
    while (true) {
      const n = await server.read(buffer);
      if (n === null) break;
      total += n;
    }
    server.close();
    return total;
  })();
  const stream = make(client);
  const start = performance.now();
  await Promise.all(Array.from({ length: writers }, async (_, w) => {
    const share = Math.floor(pieces / writers) + (w < pieces % writers ? 1 : 0);
    for (let i = 0; i < share; i++) {
      await stream.write(test.piece);
      if (test.flushEach) await stream.flush();
    }
  }));
  await stream.closeWrite();
  const received = await reading;
  const ms = performance.now() - start;
  stream.close();
  if (received !== expected) throw new Error(`${test.name}: ${received} of ${expected} bytes`);
  return expected / 1e6 / (ms / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const VARIANTS = [
  { label: "main (anchor), 1 writer", make: makeMain, writers: 1 },
  { label: "new, 1 writer", make: makeNew, writers: 1 },
  { label: "new, 50 writers", make: makeNew, writers: 50 },
];

console.log(
  `SocketStream write path, ${values.mib} MiB per run, median of ${ROUNDS} interleaved rounds\n`,
);
console.log("| case | " + VARIANTS.map((v) => v.label).join(" | ") + " | 50 writers vs anchor |");
console.log("|---|" + VARIANTS.map(() => "---:|").join("") + "---:|");
let worst = Infinity;
for (const test of CASES) {
  const results = VARIANTS.map(() => [] as number[]);
  // Warm up each variant once, then interleave the rounds so that machine noise hits all alike.
  for (const v of VARIANTS) await run(v.make, test, v.writers);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, v] of VARIANTS.entries()) results[i]!.push(await run(v.make, test, v.writers));
  }
  const medians = results.map(median);
  const [anchor = NaN, , crowd = NaN] = medians;
  const ratio = crowd / anchor;
  worst = Math.min(worst, ratio);
  console.log(
    `| ${test.name} | ` + medians.map((m) => `${m.toFixed(0)} MB/s`).join(" | ") +
      ` | ${(ratio * 100).toFixed(0)} % |`,
  );
}
console.log(
  `\nGoal: 50 concurrent writers keep at least 90 % of the anchor's single-writer throughput; ` +
    `worst case ${(worst * 100).toFixed(0)} %.`,
);

interface Reader {
  readLine(): Promise<string | null>;
  copyTo(dest: { write(p: Uint8Array): Promise<number> }): Promise<number>;
  close(): void;
}

/** A loopback pair whose server side sends `total` bytes of `chunk`, repeated, then closes. */
async function sender(chunk: Uint8Array, total: number) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const server = await accepted;
  listener.close();
  const sending = (async () => {
    for (let sent = 0; sent < total; sent += chunk.length) {
      let offset = 0;
      while (offset < chunk.length) offset += await server.write(chunk.subarray(offset));
    }
    server.close();
  })();
  return { client, sending };
}

const LINES = 1_000_000;
const linesChunk = new TextEncoder().encode(
  Array.from(
    { length: 10_000 },
    (_, i) => `line ${String(i).padStart(5, "0")} of some text, padded\r\n`,
  )
    .join(""),
);
/** Reads a million lines; returns millions of lines per second. */
async function readLines(make: (conn: Deno.TcpConn) => Reader): Promise<number> {
  const { client, sending } = await sender(linesChunk, linesChunk.length * (LINES / 10_000));
  const stream = make(client);
  const start = performance.now();
  let lines = 0;
  while ((await stream.readLine()) !== null) lines++;
  const ms = performance.now() - start;
  await sending;
  stream.close();
  if (lines !== LINES) throw new Error(`${lines} of ${LINES} lines`);
  return LINES / 1e6 / (ms / 1000);
}

/** Copies 512 MiB to a sink; returns MB/s. */
async function copyAll(make: (conn: Deno.TcpConn) => Reader): Promise<number> {
  const size = 512 * 1024 * 1024;
  const { client, sending } = await sender(new Uint8Array(256 * 1024), size);
  const stream = make(client);
  const start = performance.now();
  const copied = await stream.copyTo({ write: (p) => Promise.resolve(p.length) });
  const ms = performance.now() - start;
  await sending;
  stream.close();
  if (copied !== size) throw new Error(`${copied} of ${size} bytes`);
  return size / 1e6 / (ms / 1000);
}

const readers: [string, (conn: Deno.TcpConn) => Reader][] = [
  ["main (anchor)", (conn) => new MainSocketStream(conn)],
  ["new", (conn) => new SocketStream(conn)],
];
console.log(`\nSocketStream read path, one reader, median of ${ROUNDS} interleaved rounds\n`);
console.log("| case | main (anchor) | new | new vs anchor |");
console.log("|---|---:|---:|---:|");
for (
  const [name, measure, unit] of [
    ["readLine(), 1M lines", readLines, "M lines/s"],
    ["copyTo(), 512 MiB", copyAll, "MB/s"],
  ] as const
) {
  const results: number[][] = [[], []];
  for (const [, make] of readers) await measure(make);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, make]] of readers.entries()) results[i]!.push(await measure(make));
  }
  const [anchor = NaN, now = NaN] = results.map(median);
  const digits = unit === "MB/s" ? 0 : 2;
  console.log(
    `| ${name} | ${anchor.toFixed(digits)} ${unit} | ${now.toFixed(digits)} ${unit} | ` +
      `${(now / anchor * 100).toFixed(0)} % |`,
  );
}
