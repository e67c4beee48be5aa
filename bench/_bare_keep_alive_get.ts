/**
 * The floor of `bench/wget_many.ts`: the least a `deno run` program can do for the same work, with
 * no netkit code — one kept-alive connection (TLS when the URLs are `https://`, trusting the CA
 * file given), one `GET` per URL of the list, each body saved to a new file named after the last
 * segment of its path. Nothing else: no options, no checks beyond what the loop needs, no
 * messages. If this loop alone takes more than a goal allows, no Deno program can meet the goal.
 * With `--create-early` each file is created as soon as its request is sent, while the server
 * answers, instead of after the answer's head (as `bench/_bare_mirror.ts` does): the kernel's
 * work of creating a file then overlaps the server's.
 *
 * Run: `deno run -A bench/_bare_keep_alive_get.ts [--create-early] LIST [CA_FILE]` (the URLs of
 * LIST share one origin whose server sends `Content-Length`, as nginx does for static files).
 *
 * @module
 */

const createEarly = Deno.args.includes("--create-early");
const [listFile, caFile] = Deno.args.filter((arg) => arg !== "--create-early");
if (listFile === undefined) throw new Error("usage: _bare_keep_alive_get.ts LIST [CA_FILE]");
const urls = Deno.readTextFileSync(listFile).split("\n").filter((line) => line !== "");
const first = /^(https?):\/\/([^/:]+):(\d+)/.exec(urls[0] ?? "");
if (first === null) throw new Error("the list holds no http(s)://HOST:PORT/ URL");
const [, scheme, hostname, port] = first;

const tcp = await Deno.connect({ hostname: hostname!, port: Number(port) });
tcp.setNoDelay(true);
const conn: Deno.Conn = scheme === "https"
  ? await Deno.startTls(tcp, {
    hostname: hostname!,
    caCerts: caFile === undefined ? [] : [Deno.readTextFileSync(caFile)],
  })
  : tcp;

const encoder = new TextEncoder();
const buffer = new Uint8Array(256 * 1024);
let start = 0;
let end = 0;

/** Reads more bytes into the buffer; the server never closes first here. */
async function fill(): Promise<void> {
  if (start === end) start = end = 0;
  const n = await conn.read(buffer.subarray(end));
  if (n === null) throw new Error("the server closed the connection");
  end += n;
}

/** The index just past the head's blank line, or -1 while the head is incomplete. */
function headEnd(): number {
  for (let i = start; i + 3 < end; i++) {
    if (buffer[i] === 13 && buffer[i + 1] === 10 && buffer[i + 2] === 13 && buffer[i + 3] === 10) {
      return i + 4;
    }
  }
  return -1;
}

const decoder = new TextDecoder();
for (const url of urls) {
  const path = url.slice(first[0].length) || "/";
  await conn.write(
    encoder.encode(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: */*\r\n\r\n`),
  );
  const name = path.slice(path.lastIndexOf("/") + 1) || "index.html";
  const early = createEarly ? Deno.openSync(name, { write: true, createNew: true }) : undefined;
  let bodyStart = headEnd();
  while (bodyStart < 0) {
    await fill();
    bodyStart = headEnd();
  }
  const head = decoder.decode(buffer.subarray(start, bodyStart));
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? "0");
  start = bodyStart;
  const file = early ?? Deno.openSync(name, { write: true, createNew: true });
  let left = length;
  while (left > 0) {
    if (start === end) await fill();
    const written = file.writeSync(buffer.subarray(start, start + Math.min(left, end - start)));
    start += written;
    left -= written;
  }
  file.close();
}
conn.close();
