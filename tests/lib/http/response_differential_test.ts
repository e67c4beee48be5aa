/**
 * readHttpResponseHead's whole-head fast path against its line reader: the same bytes, delivered
 * in one read (the fast path may take the head) and one byte a read (only the line reader can),
 * must give the same head, or the same error, and leave the same bytes for the body.
 */

import { deepEqual, ok } from "node:assert/strict";
import { type HttpResponseHead, readHttpResponseHead } from "../../../lib/http/response.ts";
import { streamOf } from "../../harness/byte_source.ts";
import { seededRandom } from "../../harness/seeded_random.ts";

const encoder = new TextEncoder();
const BOM = [0xef, 0xbb, 0xbf];

/** One generated case: the bytes, and the limits to read them with. */
interface Case {
  bytes: Uint8Array;
  maxHeaderBytes?: number;
  maxHeaderCount?: number;
  maxLineBytes?: number;
}

function generate(seed: number): Case {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const out: number[] = [];
  const put = (part: string | number[]) => {
    if (typeof part === "string") out.push(...encoder.encode(part));
    else out.push(...part);
  };
  // Half the cases are hostile; the others hold only what the fast path takes.
  const hostile = chance(0.5);
  const odd = (p: number) => hostile && chance(p);
  const eol = () => put(odd(0.1) ? "\r\r\n" : pick(["\r\n", "\n"]));
  // Per line, for the limits: the line reader's byte count (line without ending, plus 2) and
  // header count.
  const head = (interim: boolean) => {
    if (odd(0.15)) { for (let i = pick([1, 2]); i > 0; i--) put(pick(["\r\n", "\n"])); }
    if (odd(0.05)) put(BOM);
    put(
      interim
        ? pick(["HTTP/1.1 100 Continue", "HTTP/1.1 103 Early Hints", "HTTP/1.1 102"])
        : !odd(0.6)
        ? pick(["HTTP/1.1 200 OK", "HTTP/1.0 404 Not Found", "HTTP/1.1 204", "HTTP/1.1 200 "])
        : pick([
          "HTTP/1.1 200 OK",
          "HTTP/1.1 200 OK",
          "HTTP/1.0 404 Not Found",
          "HTTP/1.1 204",
          "HTTP/1.1 200 ",
          "HTTP/1.1 301\tMoved",
          "HTTP/1.1 101 Switching Protocols",
          "HTTP/2 200 OK",
          "HTTP/1.1 99 Low",
          "ICY 200 OK",
          "HTTP/1.1 200 OK\rX",
          "HTTP/1.1 200 \u2028",
        ]),
    );
    eol();
    const n = Math.floor(random() * 9);
    for (let i = 0; i < n; i++) {
      if (i > 0 && chance(0.1) || odd(0.05)) {
        put(pick([" ", "\t", "  "]));
        put(pick(["folded", "", "more: text", " x "]));
        eol();
        continue;
      }
      if (odd(0.04)) put(BOM);
      put(
        !odd(0.3)
          ? pick(["Content-Type", "X-A", "x-a", "Set-Cookie", "Content-Length", "Link"])
          : pick(["Bad Name", "", "X\u00e9", "X(", "X ", " X", "\u00ff"]),
      );
      put(odd(0.1) ? pick(["", " : ", " :"]) : pick([":", ": ", ":\t"]));
      const value = pick<string | number[]>(
        !hostile ? ["", "text/html", "a:b:c", " spaced ", "5"] : [
          "",
          "text/html",
          "a:b:c",
          " spaced ",
          "5",
          [0xff, 0xfe],
          [0xe2, 0x82],
          [0xf0, 0x9f, 0x98],
          [0xe2, 0x82, 0xac],
          "caf\u00e9",
          "a\rb",
          [0x41, ...BOM, 0x42],
          "\u2028",
        ],
      );
      put(value);
      if (odd(0.1)) put([0xe2]);
      eol();
    }
    if (!odd(0.1)) put(pick(["\r\n", "\n"]));
  };
  for (let i = chance(0.2) ? pick([1, 2]) : 0; i > 0; i--) head(true);
  head(false);
  if (chance(0.6)) {
    put(pick<string | number[]>(["body", "\r\nHTTP/1.1 200 OK\r\n\r\n", [0, 0xff, 0x0a], "\n\n"]));
  }
  const bytes = new Uint8Array(out);
  const limits: Case = { bytes };
  // Limits at, just under and just over what the head takes, for the line reader's counting.
  const { headBytes, headerCount } = measure(bytes);
  if (chance(0.3)) limits.maxHeaderBytes = headBytes + pick([-1, 0, 1, -3]);
  if (chance(0.3)) limits.maxHeaderCount = Math.max(0, headerCount + pick([-1, 0, 1]));
  if (chance(0.3)) limits.maxLineBytes = limits.maxHeaderBytes ?? pick([8, 20, 40, 64]);
  return limits;
}

/** Roughly what the heads take by the line reader's count: every line up to the last blank one. */
function measure(bytes: Uint8Array): { headBytes: number; headerCount: number } {
  let headBytes = 0;
  let headerCount = 0;
  let start = 0;
  let lastBlank = 0;
  let lastCount = 0;
  while (true) {
    const lf = bytes.indexOf(0x0a, start);
    if (lf < 0) break;
    const length = lf - start - (bytes[lf - 1] === 0x0d && lf > start ? 1 : 0);
    headBytes += length + 2;
    if (length === 0) {
      lastBlank = headBytes;
      lastCount = headerCount;
    } else if (bytes[start] !== 0x48 && bytes[start] !== 0x20 && bytes[start] !== 0x09) {
      headerCount++;
    }
    start = lf + 1;
  }
  return { headBytes: lastBlank || headBytes, headerCount: lastCount || headerCount };
}

type Outcome =
  | { head: Plain; interim: Plain[]; rest: number[] }
  | { error: string; interim: Plain[] };

interface Plain {
  version: string;
  status: number;
  reason: string;
  headers: [string, string][];
  lines: string[];
}

const plain = (head: HttpResponseHead): Plain => ({
  version: head.version,
  status: head.status,
  reason: head.reason,
  headers: head.headers.entries.map(([name, value]) => [name, value]),
  lines: [...head.lines],
});

async function read(c: Case, piece: number): Promise<{ outcome: Outcome; fast: number }> {
  await using stream = streamOf(c.bytes, piece, c.maxLineBytes);
  // Counts the heads the fast path took (it alone skips buffered bytes).
  let fast = 0;
  const skip = stream.skipBuffered.bind(stream);
  stream.skipBuffered = (n) => {
    fast++;
    skip(n);
  };
  const interim: Plain[] = [];
  const options = {
    onInterim: (head: HttpResponseHead) => interim.push(plain(head)),
    ...(c.maxHeaderBytes === undefined ? {} : { maxHeaderBytes: c.maxHeaderBytes }),
    ...(c.maxHeaderCount === undefined ? {} : { maxHeaderCount: c.maxHeaderCount }),
  };
  let head: HttpResponseHead;
  try {
    head = await readHttpResponseHead(stream, options);
  } catch (error) {
    const e = error as Error;
    return { outcome: { error: `${e.name}: ${e.message}`, interim }, fast };
  }
  const rest: number[] = [];
  await stream.copyTo({
    write: (p) => {
      rest.push(...p);
      return Promise.resolve(p.length);
    },
  });
  return { outcome: { head: plain(head), interim, rest }, fast };
}

const show = (bytes: Uint8Array) => JSON.stringify(new TextDecoder().decode(bytes));

Deno.test("readHttpResponseHead() reads a head whole as it reads it line by line (4000 seeded cases)", async () => {
  let fastHeads = 0;
  let fastInPieces = 0;
  let errors = 0;
  for (let seed = 1; seed <= 4000; seed++) {
    const c = generate(seed);
    const whole = await read(c, 1 << 20);
    const bytewise = await read(c, 1);
    fastHeads += whole.fast;
    if ("error" in whole.outcome) errors++;
    deepEqual(
      whole.outcome,
      bytewise.outcome,
      `seed ${seed}: ${show(c.bytes)} limits ${
        JSON.stringify({ ...c, bytes: undefined })
      } read whole vs byte by byte`,
    );
    // One byte a read never lets the fast path see a whole head.
    deepEqual(bytewise.fast, 0);
    // Pieces of a few bytes: a head may be whole in the buffer after some reads, or an interim
    // one taken whole and the next not.
    const pieces = await read(c, 2 + seed % 29);
    deepEqual(pieces.outcome, bytewise.outcome, `seed ${seed}: in pieces of ${2 + seed % 29}`);
    fastInPieces += pieces.fast;
  }
  // The generator exercises both paths and both outcomes.
  ok(fastHeads > 1000, `fast path took only ${fastHeads} heads`);
  ok(fastInPieces > 100, `fast path took only ${fastInPieces} heads read in pieces`);
  ok(errors > 400 && errors < 3000, `${errors} errors of 4000`);
});

Deno.test("readHttpResponseHead() reads heads exactly at and one past each limit alike, whole or byte by byte", async () => {
  const heads = [
    "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\nbody",
    "HTTP/1.1 200 OK\nA: 1\n folded\nB:\n\nbody",
    "HTTP/1.1 100 Continue\r\nX: y\r\n\r\nHTTP/1.1 204\r\nA: 1\r\n\r\n",
    "HTTP/1.1 103 Hints\n\nHTTP/1.1 103 Hints\nLink: a\n\nHTTP/1.0 200 OK\r\nA: 1\r\n\r\nrest",
  ];
  let fastAtLimit = 0;
  for (const text of heads) {
    const bytes = encoder.encode(text);
    const { headBytes, headerCount } = measure(bytes);
    const firstHead = text.search(/\r?\n\r?\n/) + text.match(/\r?\n\r?\n/)![0].length;
    const cases: Case[] = [
      { bytes, maxHeaderBytes: headBytes },
      { bytes, maxHeaderBytes: headBytes - 1 },
      { bytes, maxHeaderCount: headerCount },
      { bytes, maxHeaderCount: headerCount - 1 },
      { bytes, maxLineBytes: firstHead },
      { bytes, maxLineBytes: firstHead - 1 },
    ];
    for (const [i, c] of cases.entries()) {
      const whole = await read(c, 1 << 20);
      const bytewise = await read(c, 1);
      deepEqual(whole.outcome, bytewise.outcome, `${JSON.stringify(text)} case ${i}`);
      // At the limits (even cases) the head is read; one past them (odd ones) it is refused,
      // except for the line limit, which the line reader meets line by line.
      if (i < 4) deepEqual("error" in whole.outcome, i % 2 === 1, `${JSON.stringify(text)} ${i}`);
      if (i % 2 === 0) fastAtLimit += whole.fast;
    }
  }
  ok(fastAtLimit >= heads.length * 3, `fast path took ${fastAtLimit} heads at the limits`);
});
