/**
 * The floor of `bench/http_exchange.ts`: the same GETs with no netkit code, on one raw kept-alive
 * connection (a new one when the server ends one): the request written as one string, the head
 * found by its CRLFCRLF in one buffer and decoded once, the body skipped by its
 * `Content-Length` (as nginx sends for static files). If this loop alone takes more than a goal
 * allows, no Deno client can meet it.
 *
 * Run: `deno run -A bench/_exchange_floor.ts LIST`.
 *
 * @module
 */

const list = Deno.args.at(-1);
if (list === undefined) throw new Error("usage: _exchange_floor.ts LIST");
const urls = Deno.readTextFileSync(list).split("\n").filter((line) => line !== "");
const first = new URL(urls[0]!);
const connect = async () => {
  const conn = await Deno.connect({ hostname: first.hostname, port: Number(first.port) });
  conn.setNoDelay(true);
  return conn;
};
let conn = await connect();
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const buffer = new Uint8Array(256 * 1024);
let start = 0;
let end = 0;
const fill = async () => {
  if (start === end) start = end = 0;
  const n = await conn.read(buffer.subarray(end));
  if (n === null) throw new Error("The server closed the connection");
  end += n;
};
let bytes = 0;
for (const url of urls) {
  const path = url.slice(first.origin.length);
  await conn.write(encoder.encode(
    `GET ${path} HTTP/1.1\r\nHost: ${first.host}\r\nAccept: */*\r\n` +
      "Accept-Encoding: identity\r\nConnection: keep-alive\r\n\r\n",
  ));
  let headEnd = -1;
  while (headEnd < 0) {
    for (let i = start; i + 3 < end; i++) {
      if (
        buffer[i] === 13 && buffer[i + 1] === 10 && buffer[i + 2] === 13 && buffer[i + 3] === 10
      ) {
        headEnd = i + 4;
        break;
      }
    }
    if (headEnd < 0) await fill();
  }
  const head = decoder.decode(buffer.subarray(start, headEnd));
  start = headEnd;
  let left = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? "0");
  while (left > 0) {
    if (start === end) await fill();
    const n = Math.min(left, end - start);
    start += n;
    left -= n;
    bytes += n;
  }
  if (/\r\nconnection:\s*close/i.test(head)) {
    // nginx ends a connection after `keepalive_requests` (1,000) requests.
    conn.close();
    conn = await connect();
    start = end = 0;
  }
}
conn.close();
if (bytes === 0) throw new Error("No body bytes came");
