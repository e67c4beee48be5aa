/**
 * The floor for bench/http_io.ts: an accept loop on `Deno.listen` that finds request heads and
 * writes one pre-encoded answer per head (a pipelined batch in one write), no parsing, no limits.
 * `deno run -A bench/_http_answer_loop.ts PORT BODY_FILE [--streams] [--nodelay]`:
 * `--streams` reads and writes through `conn.readable` / `conn.writable` instead of `read()` into
 * one reused buffer; `--nodelay` sets TCP_NODELAY on each connection.
 *
 * @module
 */

const [portText, bodyFile] = Deno.args;
const useStreams = Deno.args.includes("--streams");
const noDelay = Deno.args.includes("--nodelay");
const encoder = new TextEncoder();
const body = await Deno.readFile(bodyFile!);

function encodeAnswer(): Uint8Array {
  const head = encoder.encode(
    `HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ndate: ${
      new Date().toUTCString()
    }\r\ncontent-length: ${body.length}\r\n\r\n`,
  );
  const bytes = new Uint8Array(head.length + body.length);
  bytes.set(head);
  bytes.set(body, head.length);
  return bytes;
}
let answer = encodeAnswer();
setInterval(() => answer = encodeAnswer(), 1000);

/** How many whole heads (ending in CRLF CRLF) `bytes` holds, and where the last one ends. */
function countHeads(bytes: Uint8Array, end: number): [number, number] {
  let count = 0;
  let from = 0;
  for (;;) {
    const cr = bytes.indexOf(13, from);
    if (cr < 0 || cr + 3 >= end) return [count, from];
    if (bytes[cr + 1] === 10 && bytes[cr + 2] === 13 && bytes[cr + 3] === 10) {
      count++;
      from = cr + 4;
    } else {
      from = cr + 1;
    }
  }
}

function answers(count: number): Uint8Array {
  if (count === 1) return answer;
  const all = new Uint8Array(answer.length * count);
  for (let i = 0; i < count; i++) all.set(answer, i * answer.length);
  return all;
}

async function serveReads(conn: Deno.Conn): Promise<void> {
  const buffer = new Uint8Array(4096);
  let end = 0;
  for (;;) {
    const n = await conn.read(end === 0 ? buffer : buffer.subarray(end));
    if (n === null) return;
    end += n;
    const [count, stop] = countHeads(buffer, end);
    if (count === 0) continue;
    buffer.copyWithin(0, stop, end);
    end -= stop;
    const bytes = answers(count);
    for (let written = 0; written < bytes.length;) {
      written += await conn.write(bytes.subarray(written));
    }
  }
}

async function serveStreams(conn: Deno.Conn): Promise<void> {
  const reader = conn.readable.getReader();
  const writer = conn.writable.getWriter();
  let pending = new Uint8Array(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    let bytes = value;
    if (pending.length > 0) {
      bytes = new Uint8Array(pending.length + value.length);
      bytes.set(pending);
      bytes.set(value, pending.length);
    }
    const [count, stop] = countHeads(bytes, bytes.length);
    pending = bytes.slice(stop);
    if (count > 0) await writer.write(answers(count));
  }
}

const listener = Deno.listen({ hostname: "127.0.0.1", port: Number(portText) });
Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
for await (const conn of listener) {
  if (noDelay) conn.setNoDelay(true);
  (useStreams ? serveStreams(conn) : serveReads(conn)).catch(() => {}).finally(() => {
    try {
      conn.close();
    } catch {
      // Closed.
    }
  });
}
