/**
 * The fuzz targets: each parser netkit exposes to untrusted input, with seeds, a dictionary and
 * the typed errors that count as a clean rejection.
 *
 * @module
 */

import type { FuzzTarget } from "./_harness.ts";
import { parsePort } from "../../lib/net/socket.ts";
import { inetNtop, inetPton } from "../../lib/net/inet.ts";
import { parseHostsFile } from "../../lib/dns/hosts_file.ts";
import { decodeDnsMessage, DNS_TYPE, DnsFormatError } from "../../lib/dns/message.ts";
import { encodeDnsMessage } from "../../lib/dns/encode_message.ts";
import type { Duplex } from "../../lib/io/duplex.ts";
import { LineTooLongError, SocketStream } from "../../lib/net/socket_stream.ts";
import { bodyFraming, readHttpResponseHead } from "../../lib/http/response.ts";
import { copyChunkedBody } from "../../lib/http/chunked.ts";
import { createLexicalHandler } from "../../lib/words/lexical_handler.ts";
import {
  checkRequestLinePrefix,
  findHeadEnd,
  parseChunkSize,
  parseRequestHead,
  RequestHeadError,
} from "../../lib/http/request_parser.ts";
import { hostHeader, parseHttpUrl, UrlError } from "../../lib/http/url.ts";
import {
  extractCssLinks,
  extractHtmlLinks,
  extractHtmlLinksFromChunks,
} from "../../lib/download/links.ts";
import { localPathForUrl } from "../../lib/download/disk_layout.ts";
import {
  ConnectionClosedError,
  HeaderLimitError,
  HttpProtocolError,
} from "../../lib/http/errors.ts";

const decoder = new TextDecoder();

/** A duplex that reads `input` in pieces of 1 to 16 bytes, so lines straddle reads. */
export function bytesInPieces(input: Uint8Array): Duplex {
  let offset = 0;
  return {
    read(p) {
      if (offset >= input.length) return Promise.resolve(null);
      const n = Math.min(p.length, 1 + ((input[offset] ?? 0) % 16), input.length - offset);
      p.set(input.subarray(offset, offset + n));
      offset += n;
      return Promise.resolve(n);
    },
    write: (p) => Promise.resolve(p.length),
    close() {},
  };
}

/** `parsePort` on arbitrary text. */
export const portTarget: FuzzTarget = {
  name: "parsePort",
  seeds: ["80", "0", "65535", "65536", " 80", "0x50", "８０"],
  dictionary: ["0", "9", "-", "+", " ", "e", "."],
  run(input) {
    const port = parsePort(decoder.decode(input));
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Bad port ${port}`);
  },
  isExpectedError: (error) => error instanceof RangeError,
};

/** `SocketStream.readLine` over arbitrary bytes, with a small line limit. */
export const lineReaderTarget: FuzzTarget = {
  name: "SocketStream.readLine",
  seeds: ["a\r\nb\n\nc", "\r\r\n\n", "x".repeat(100) + "\n"],
  dictionary: ["\r\n", "\n", "\r", "\0"],
  async run(input) {
    const stream = new SocketStream(bytesInPieces(input), { maxLineBytes: 256 });
    let total = 0;
    for await (const line of stream) total += line.length + 1;
    if (total > input.length * 3 + 1) throw new Error("Read more than was sent");
  },
  isExpectedError: (error) => error instanceof LineTooLongError,
};

/** `inetPton` on arbitrary text; whatever it accepts must survive a round trip through inetNtop. */
export const inetTarget: FuzzTarget = {
  name: "inetPton",
  seeds: ["127.0.0.1", "::1", "::ffff:1.2.3.4", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8", "1.2.3.1e2"],
  dictionary: [":", "::", ".", "0", "ffff", "255", "%eth0", " "],
  run(input) {
    const bytes = inetPton(decoder.decode(input));
    const again = inetPton(inetNtop(bytes));
    if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) {
      throw new Error("inetNtop(inetPton(x)) does not round-trip");
    }
  },
  isExpectedError: (error) => error instanceof SyntaxError,
};

/** `parseHostsFile` never throws, whatever the file holds. */
export const hostsFileTarget: FuzzTarget = {
  name: "parseHostsFile",
  seeds: [
    "127.0.0.1\tlocalhost loopback # me\n::1 localhost6\n",
    "# only a comment\n\n10.0.0.1 a b c d\r\nbad\n",
  ],
  dictionary: ["\n", "\t", "#", " ", "::1", "127.0.0.1", "\0"],
  run(input) {
    for (const entry of parseHostsFile(decoder.decode(input))) {
      // A line with the address alone is kept without names (glibc reads it, an empty name).
      if (entry.family !== 4 && entry.family !== 6) throw new Error("Entry without a family");
      if (entry.names.some((name) => name === "")) throw new Error("Entry with an empty name");
    }
  },
  isExpectedError: () => false,
};

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

/** `decodeDnsMessage` on mutated answers: a DnsFormatError or a message, never a loop. */
export const dnsMessageTarget: FuzzTarget = {
  name: "decodeDnsMessage",
  seeds: [
    // A compressed answer: names and the CNAME target point back into the question.
    fromHex(
      "1234818000010002000000000377777704746573740000010001c00c000500010000003c0006037765" +
        "62c010c026000100010000003c00040a000001",
    ),
    encodeDnsMessage({
      id: 1,
      response: true,
      questions: [{ name: "www.test", type: DNS_TYPE.A }],
      answers: [
        { name: "www.test", type: DNS_TYPE.CNAME, data: "web.test" },
        { name: "web.test", type: DNS_TYPE.A, data: "10.0.0.1" },
        { name: "web.test", type: DNS_TYPE.AAAA, data: "fd00::1" },
      ],
    }),
  ],
  dictionary: ["\xc0\x0c", "\xc0", "\x00", "\x3f"],
  run(input) {
    decodeDnsMessage(input);
  },
  isExpectedError: (error) => error instanceof DnsFormatError,
};

const isHttpError = (error: unknown) =>
  error instanceof HttpProtocolError || error instanceof HeaderLimitError ||
  error instanceof ConnectionClosedError;

/**
 * `readHttpResponseHead` then `bodyFraming` (for GET and HEAD) on mutated response heads, read in
 * pieces of 1 to 16 bytes: a head and a sane framing, or a typed HTTP error.
 */
export const httpResponseHeadTarget: FuzzTarget = {
  name: "readHttpResponseHead+bodyFraming",
  seeds: [
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello",
    "HTTP/1.0 301 Moved\nLocation: /x\n folded\n\n",
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
    "HTTP/1.1 206 Partial\r\nContent-Length: 7, 7\r\nTransfer-Encoding: identity\r\n\r\n",
    "HTTP/1.1 204 No Content\r\nContent-Length: 99999999999999999999\r\n\r\n",
  ],
  dictionary: [
    "\r\n",
    "\n",
    " ",
    ":",
    "\t",
    "\0",
    ",",
    "\xff",
    "é",
    "HTTP/1.1 ",
    "Content-Length: ",
    "Transfer-Encoding: chunked",
    "gzip, ",
    "-1",
    "999999999999999",
  ],
  async run(input) {
    const stream = new SocketStream(bytesInPieces(input), { maxLineBytes: 4096 });
    const head = await readHttpResponseHead(stream, { maxHeaderBytes: 4096, maxHeaderCount: 20 });
    if (head.status < 100 || head.status > 999) throw new Error(`Status ${head.status}`);
    for (const method of ["GET", "HEAD"]) {
      const framing = bodyFraming(method, head);
      if (framing.kind === "length" && !Number.isSafeInteger(framing.length)) {
        throw new Error(`Length ${framing.length}`);
      }
      if (method === "HEAD" && framing.kind !== "none") throw new Error("HEAD with a body");
    }
  },
  isExpectedError: isHttpError,
};

/** `copyChunkedBody` on mutated chunked bodies: never more bytes out than came in. */
export const chunkedTarget: FuzzTarget = {
  name: "copyChunkedBody",
  seeds: [
    "4;a=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-T: 1\r\n\r\n",
    'E ; q="x"\r\n in\r\n\r\nchunks.\r\n000\n\n',
    "FFFFFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n",
  ],
  dictionary: ["\r\n", "\n", ";", "0", "F", "f", "-", " ", "\0", "x", "0000000000000"],
  async run(input) {
    const stream = new SocketStream(bytesInPieces(input), { maxLineBytes: 1024 });
    let written = 0;
    const sink = {
      write(p: Uint8Array) {
        written += p.length;
        return Promise.resolve(p.length);
      },
    };
    const result = await copyChunkedBody(stream, sink, { maxTrailerBytes: 1024 });
    if (result.bytes !== written || written > input.length) {
      throw new Error(`Reported ${result.bytes} bytes, wrote ${written} of ${input.length}`);
    }
  },
  isExpectedError: isHttpError,
};

/**
 * `parseHttpUrl` on mutated URLs, alone and against a base: whatever it accepts has a host, a
 * port in range, a request target without spaces or fragment, and a clean `Host` header.
 */
export const httpUrlTarget: FuzzTarget = {
  name: "parseHttpUrl",
  seeds: [
    "http://u:p@[::1]:8080/a/b?c#d",
    "https://example.org/x%20y",
    "h:1/p",
    "../up/%2e%2e/x?y",
    "//other.test:99/",
  ],
  dictionary: [
    "[",
    "]",
    ":",
    "@",
    "/",
    "\\",
    "%",
    "%2e",
    "..",
    "#",
    "?",
    " ",
    "\0",
    "é",
    "9",
    "file:",
    "ftp://",
    ":65536",
  ],
  run(input) {
    const text = decoder.decode(input);
    const url = parseHttpUrl(text, input.length % 2 ? "http://base.test:8/dir/page" : undefined);
    if (url.host === "" || url.port < 1 || url.port > 65535) {
      throw new Error(`Bad host ${url.href}`);
    }
    if (!url.target.startsWith("/") || /[\s#]/.test(url.target)) {
      throw new Error(`Bad target ${JSON.stringify(url.target)}`);
    }
    if (/[\s/@]/.test(hostHeader(url).replace(/^\[[0-9a-f:.]+\]/, ""))) {
      throw new Error(`Bad Host header ${JSON.stringify(hostHeader(url))}`);
    }
  },
  isExpectedError: (error) => error instanceof UrlError,
};

const LEXICAL_STATUSES = new Set([200, 400, 405, 414, 500, 503]);
const LEXICAL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "get"];

/** A finder for the handler under fuzz: quick, and failing or busy for some racks. */
function fakeFind(rack: string): Promise<string[]> {
  if (rack.startsWith("zz")) return Promise.reject(new Error("Finder crashed"));
  return Promise.resolve([rack, rack.slice(1), 'é"\\\u2028']);
}

const lexicalHandler = createLexicalHandler({ find: fakeFind, cacheSize: 64 });

/**
 * The lexical-server handler on generated requests: `METHOD PATH` (the method a token, else picked
 * by the first byte). Every answer is one of the documented statuses, JSON of the documented shape
 * (none for HEAD), with `Allow` on a 405. The handler itself never throws.
 */
export const lexicalHandlerTarget: FuzzTarget = {
  name: "lexical-server handler",
  seeds: [
    "GET /api/LeXiCaL",
    "GET /a/b/c/qu%3Fck",
    "HEAD /%3F%3F",
    "GET /-/stats",
    "POST /lexical",
    "GET /" + "a".repeat(33),
    "GET /%E2%82%AC%zz%",
    "BREW /x/y?z=1#frag",
    "GET /" + "%41".repeat(40),
  ],
  dictionary: ["/", "%", "%3F", "%3f", "%00", "%FF", "%C3%A9", "?", "#", "..", "%2F", "zz", "é"],
  async run(input) {
    const text = decoder.decode(input);
    const space = text.indexOf(" ");
    const token = space > 0 ? text.slice(0, space) : "";
    const method = /^[A-Za-z]{1,40}$/.test(token) && !/^(connect|trace|track)$/i.test(token)
      ? token
      : LEXICAL_METHODS[(input[0] ?? 0) % LEXICAL_METHODS.length] ?? "GET";
    const path = space > 0 ? text.slice(space + 1) : text;
    const request = new Request(`http://localhost/${path.replace(/^\/+/, "")}`, { method });
    const response = await lexicalHandler(request, {
      remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 },
    });
    const status = response.status;
    if (!LEXICAL_STATUSES.has(status)) throw new Error(`Status ${status}`);
    if (!response.headers.get("content-type")?.startsWith("application/json")) {
      throw new Error("Not JSON");
    }
    if (status === 405 && response.headers.get("allow") !== "GET, HEAD") {
      throw new Error("No Allow");
    }
    const body = await response.text();
    if (request.method === "HEAD") {
      if (body !== "") throw new Error("A body for HEAD");
      return;
    }
    const json = JSON.parse(body);
    const ok = status !== 200
      ? typeof json.error === "string"
      : new URL(request.url).pathname === "/-/stats"
      ? typeof json.requests === "number"
      : typeof json.time === "number" && typeof json.cached === "boolean" &&
        Array.isArray(json.possibilities) &&
        json.possibilities.every((word: unknown) => typeof word === "string");
    if (!ok) throw new Error(`Unexpected body ${body.slice(0, 100)}`);
  },
  isExpectedError: () => false,
};

/**
 * A hostile page for `wget -r`: whatever HTML (and CSS) arrives, every link found is an absolute
 * URL, the page read in pieces gives the same links, and the path each link would be saved under
 * stays inside the download directory (no empty, `.` or `..` element, no control character), under
 * each layout.
 */
export const pageLinksTarget: FuzzTarget = {
  name: "extractHtmlLinks+localPathForUrl",
  seeds: [
    `<a href="../../etc/passwd">x</a><img src="/%2e%2e/%2E%2E/x" srcset="a 1x, b 2x">`,
    `<base href="http://h:8/d/"><link rel=stylesheet href=s.css><style>@import "i.css";</style>`,
    `<p style="background:url('..%2f..%2fx')"><meta http-equiv=refresh content="0; url=/%00">`,
    `<a href="?q=%2F..%2F..&amp;x=1">q</a><iframe src="//other.test/%0a"></iframe>`,
  ],
  dictionary: [
    "<a href=",
    "<img src=",
    "<base href=",
    " srcset=",
    "<style>",
    "</style>",
    "url(",
    "@import ",
    "..",
    "%2e%2e",
    "%2F",
    "%00",
    "%0a",
    "/",
    "?",
    "#",
    '"',
    "'",
    "&amp;",
    "&#47;",
    ">",
    "http://",
    "\\",
  ],
  run(input) {
    const html = decoder.decode(input);
    const page = "http://site.test:8080/dir/page.html";
    const whole = extractHtmlLinks(html, page).links;
    const pieces = [];
    for (let i = 0; i < html.length; i += 7) pieces.push(html.slice(i, i + 7));
    const streamed = extractHtmlLinksFromChunks(pieces, page).links;
    if (streamed.length !== whole.length) {
      throw new Error(`${whole.length} links whole, ${streamed.length} in pieces`);
    }
    for (const link of [...whole, ...extractCssLinks(html, page)]) {
      const url = new URL(link.url);
      if (url.hash !== "") throw new Error(`Fragment kept in ${link.url}`);
      if (url.protocol !== "http:" && url.protocol !== "https:") continue;
      for (const layout of [{}, { directories: false }, { hostDirectories: false, cutDirs: 2 }]) {
        const path = localPathForUrl(url, layout);
        for (const part of path.split("/")) {
          // deno-lint-ignore no-control-regex
          if (part === "" || part === "." || part === ".." || /[\x00-\x1f\x7f]/.test(part)) {
            throw new Error(`Unsafe path ${JSON.stringify(path)} for ${link.url}`);
          }
        }
      }
    }
  },
  isExpectedError: () => false,
};

/** The server's request head parser (and chunk-size lines) on arbitrary bytes. */
export const httpRequestHeadTarget: FuzzTarget = {
  name: "parseRequestHead",
  seeds: [
    "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "POST /x?y HTTP/1.1\r\nHost: a:80\r\nContent-Length: 3\r\n\r\nabc",
    "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n0\r\n\r\n",
    "GET http://h/p HTTP/1.0\nConnection: keep-alive\n\n",
    "OPTIONS * HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
    "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n folded\r\n\r\n",
  ],
  dictionary: [
    "\r\n",
    "\n",
    "\r",
    " ",
    "\t",
    ":",
    "Host: ",
    "Content-Length: ",
    "Transfer-Encoding: chunked",
    "Connection: close",
    "HTTP/1.0",
    "HTTP/1.1",
    "HTTP/2.0",
    ",",
    "\x00",
    "\xff",
  ],
  run(input) {
    const end = findHeadEnd(input, 0, input.length);
    // Found in pieces, the end is the same: a dripped head is read the same way.
    let from = 0;
    let piecewise = -1;
    for (
      let stop = Math.min(1, input.length);
      piecewise < 0;
      stop = Math.min(stop + 7, input.length)
    ) {
      piecewise = findHeadEnd(input, 0, stop, from);
      from = Math.max(0, stop - 3);
      if (stop === input.length) break;
    }
    if (piecewise !== end && !(end < 0 && piecewise < 0)) {
      throw new Error(`findHeadEnd: ${end} at once, ${piecewise} in pieces`);
    }
    if (end < 0) {
      const lf = input.indexOf(10);
      if (lf >= 0) parseChunkSize(input, 0, lf, 1 << 20);
      return;
    }
    const head = parseRequestHead(input, 0, end);
    // An accepted head: no part of it, checked as it arrives, may have been refused.
    let checked = 0;
    for (let stop = 1; stop <= end; stop += Math.max(3, Math.ceil(end / 64))) {
      checked = checkRequestLinePrefix(input, 0, stop, checked);
    }
    if (!head.method || !head.target || (head.minor !== 0 && head.minor !== 1)) {
      throw new Error(`Bad head ${JSON.stringify(head)}`);
    }
    if (head.chunked && head.contentLength >= 0) throw new Error("Both framings accepted");
    for (const [name, value] of head.headers) {
      if (/[\r\n]/.test(name + value) || name !== name.toLowerCase()) {
        throw new Error(`Bad field ${JSON.stringify([name, value])}`);
      }
    }
  },
  isExpectedError: (error) => error instanceof RequestHeadError,
};

/** Every target, for `deno task fuzz` and the short run in the tests. */
export const ALL_TARGETS: FuzzTarget[] = [
  portTarget,
  lineReaderTarget,
  inetTarget,
  hostsFileTarget,
  dnsMessageTarget,
  httpResponseHeadTarget,
  chunkedTarget,
  httpUrlTarget,
  lexicalHandlerTarget,
  pageLinksTarget,
  httpRequestHeadTarget,
];
