/**
 * Building an HTTP/1.1 request head: request line, `Host`, `User-Agent`, `Accept`, `Connection`
 * (`close`, or `keep-alive` for a pooled connection), Basic auth from the URL's userinfo, the body's
 * framing (`Content-Length` or `Transfer-Encoding: chunked`), and the caller's extra headers, each
 * checked so that no header can smuggle a line break.
 *
 * @module
 */

import { hostHeader, type HttpUrl } from "./url.ts";
import { VERSION } from "../internal/version.ts";

/** The `User-Agent` sent unless the caller sets another. */
export const DEFAULT_USER_AGENT = `netkit-wget/${VERSION}`;

/** Options of {@linkcode buildHttpRequest}. */
export interface HttpRequestOptions {
  /** The method. @default {"GET"} */
  method?: string;
  /** Extra headers; one with the name of a default header (`User-Agent`, `Accept`) replaces it. */
  headers?: ReadonlyArray<readonly [string, string]>;
  /** The `User-Agent`; an empty string sends none (as GNU wget's `-U ""`). @default {DEFAULT_USER_AGENT} */
  userAgent?: string;
}

/** Options of {@linkcode buildHttpRequest} that the client sets for each exchange. */
export interface HttpRequestHeadOptions extends HttpRequestOptions {
  /** Ask the server to keep the connection open (`Connection: keep-alive`). @default {false} */
  keepAlive?: boolean | undefined;
  /**
   * How the body is framed: its length in bytes (`Content-Length`) or `"chunked"`; undefined
   * when there is none (then POST, PUT and PATCH still say `Content-Length: 0`). The caller's own
   * `Content-Length` and `Transfer-Encoding` headers are always replaced: framing is the
   * client's, so that no header can desynchronise a kept-alive connection.
   */
  bodyLength?: number | "chunked" | undefined;
}

const FRAMING_HEADERS = new Set(["content-length", "transfer-encoding"]);
const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Any C0 control except horizontal tab, or DEL: never allowed inside a header value.
// deno-lint-ignore no-control-regex
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * Builds the request head for `url`, ending with the blank line.
 *
 * @param url The parsed URL.
 * @param options Method, extra headers, user agent, keep-alive, body framing.
 * @returns The head as text (send it as UTF-8).
 * @throws {TypeError} for a method or header name that is not a token, or a value with CR, LF or
 * another control character.
 * @throws {RangeError} for a body length that is not a whole number of bytes.
 *
 * @example A GET, and a POST on a kept-alive connection
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildHttpRequest, parseHttpUrl } from "@netkit/netkit/http";
 *
 * const head = buildHttpRequest(parseHttpUrl("http://[::1]:8080/x"), { userAgent: "t" });
 * assert.equal(
 *   head,
 *   "GET /x HTTP/1.1\r\nHost: [::1]:8080\r\nUser-Agent: t\r\nAccept: *\/*\r\n" +
 *     "Connection: close\r\n\r\n",
 * );
 * const post = buildHttpRequest(parseHttpUrl("http://h/form"), {
 *   method: "POST",
 *   keepAlive: true,
 *   bodyLength: 3,
 *   headers: [["Content-Type", "text/plain"], ["Content-Length", "999"]],
 * });
 * assert(post.endsWith("Connection: keep-alive\r\nContent-Length: 3\r\nContent-Type: text/plain\r\n\r\n"));
 * ```
 */
export function buildHttpRequest(url: HttpUrl, options: HttpRequestHeadOptions = {}): string {
  return requestHead(url, options);
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** {@linkcode buildHttpRequest}, compiled with the module (see above). */
const requestHead = (function requestHead(url: HttpUrl, options: HttpRequestHeadOptions): string {
  const method = options.method ?? "GET";
  if (method !== "GET" && !TOKEN.test(method)) throw new TypeError(`Invalid method "${method}"`);
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const extra = options.headers ?? [];
  if (url.username === "" && url.password === "" && addsOnly(extra)) {
    return plainHead(url, method, userAgent, options, extra);
  }
  // Each field with its lower-case name and whether its value, and its name, are checked: this
  // function's own names and fixed values need not be (the same error comes first either way:
  // those could never raise one).
  const fields: Field[] = [{ name: "Host", lower: "host", value: hostHeader(url), check: VALUE }];
  if (userAgent !== "") {
    fields.push({ name: "User-Agent", lower: "user-agent", value: userAgent, check: VALUE });
  }
  fields.push({ name: "Accept", lower: "accept", value: "*/*", check: NONE });
  if (url.username !== "" || url.password !== "") {
    fields.push({
      name: "Authorization",
      lower: "authorization",
      value: `Basic ${basicCredentials(url.username, url.password)}`,
      check: NONE,
    });
  }
  fields.push({
    name: "Connection",
    lower: "connection",
    value: options.keepAlive ? "keep-alive" : "close",
    check: NONE,
  });
  const bodyLength = options.bodyLength ??
    (METHODS_WITH_BODY.has(method.toUpperCase()) ? 0 : undefined);
  if (bodyLength === "chunked") {
    fields.push({
      name: "Transfer-Encoding",
      lower: "transfer-encoding",
      value: "chunked",
      check: NONE,
    });
  } else if (bodyLength !== undefined) {
    if (!Number.isSafeInteger(bodyLength) || bodyLength < 0) {
      throw new RangeError(`Invalid body length "${bodyLength}"`);
    }
    fields.push({
      name: "Content-Length",
      lower: "content-length",
      value: String(bodyLength),
      check: NONE,
    });
  }
  for (let i = 0; i < extra.length; i++) {
    const [name, value] = extra[i]!;
    const lower = name.toLowerCase();
    if (FRAMING_HEADERS.has(lower)) continue;
    const field: Field = { name, lower, value: value.trim(), check: NAME_AND_VALUE };
    let existing = 0;
    while (existing < fields.length && fields[existing]!.lower !== lower) existing++;
    fields[existing] = field;
  }
  let head = `${method} ${url.target} HTTP/1.1\r\n`;
  for (let i = 0; i < fields.length; i++) {
    const { name, value, check } = fields[i]!;
    if (check === NAME_AND_VALUE && !TOKEN.test(name)) {
      throw new TypeError(`Invalid header name "${name}"`);
    }
    if (check !== NONE && BAD_VALUE.test(value)) {
      throw new TypeError(`Invalid value for header "${name}"`);
    }
    head += `${name}: ${value}\r\n`;
  }
  return head + "\r\n";
}).bind(undefined);

/** The default headers' names, lower-cased: a caller's header by one of them replaces it. */
const DEFAULT_NAMES = new Set(["host", "user-agent", "accept", "authorization", "connection"]);

/**
 * Whether the caller's headers only add to the defaults: none replaces one, none is framing
 * (left out) and no two share a name (the later replaces the earlier). The usual request: its
 * head is written straight, without `requestHead`'s list of fields.
 */
const addsOnly = (function addsOnly(headers: ReadonlyArray<readonly [string, string]>): boolean {
  for (let i = 0; i < headers.length; i++) {
    const lower = headers[i]![0].toLowerCase();
    if (DEFAULT_NAMES.has(lower) || FRAMING_HEADERS.has(lower)) return false;
    for (let j = 0; j < i; j++) {
      const other = headers[j]![0];
      if (other.length === lower.length && other.toLowerCase() === lower) return false;
    }
  }
  return true;
}).bind(undefined);

/** The last defaults written (`Host` to `Connection`), for a run of requests to one host. */
let lastHost = "";
let lastAgent = "";
let lastKeepAlive = false;
let lastDefaults = "";

/**
 * `requestHead` for a URL without userinfo whose extra headers only add to the defaults (see
 * `addsOnly`): the same head, the same errors in the same order, the default lines made once
 * for a run of requests to one host.
 */
const plainHead = (function plainHead(
  url: HttpUrl,
  method: string,
  userAgent: string,
  options: HttpRequestHeadOptions,
  headers: ReadonlyArray<readonly [string, string]>,
): string {
  const bodyLength = options.bodyLength ??
    (METHODS_WITH_BODY.has(method.toUpperCase()) ? 0 : undefined);
  let framing = "";
  if (bodyLength === "chunked") framing = "Transfer-Encoding: chunked\r\n";
  else if (bodyLength !== undefined) {
    if (!Number.isSafeInteger(bodyLength) || bodyLength < 0) {
      throw new RangeError(`Invalid body length "${bodyLength}"`);
    }
    framing = `Content-Length: ${bodyLength}\r\n`;
  }
  const host = hostHeader(url);
  const keepAlive = options.keepAlive ? true : false;
  if (host !== lastHost || userAgent !== lastAgent || keepAlive !== lastKeepAlive) {
    if (BAD_VALUE.test(host)) throw new TypeError(`Invalid value for header "Host"`);
    if (userAgent !== "" && BAD_VALUE.test(userAgent)) {
      throw new TypeError(`Invalid value for header "User-Agent"`);
    }
    lastDefaults = `Host: ${host}\r\n${userAgent === "" ? "" : `User-Agent: ${userAgent}\r\n`}` +
      `Accept: */*\r\nConnection: ${keepAlive ? "keep-alive" : "close"}\r\n`;
    lastHost = host;
    lastAgent = userAgent;
    lastKeepAlive = keepAlive;
  }
  let head = `${method} ${url.target} HTTP/1.1\r\n${lastDefaults}${framing}`;
  for (let i = 0; i < headers.length; i++) {
    const [name, raw] = headers[i]!;
    const value = raw.trim();
    if (!TOKEN.test(name)) throw new TypeError(`Invalid header name "${name}"`);
    if (BAD_VALUE.test(value)) throw new TypeError(`Invalid value for header "${name}"`);
    head += `${name}: ${value}\r\n`;
  }
  return head + "\r\n";
}).bind(undefined);

/** A header of a request head being built. */
interface Field {
  name: string;
  /** `name` lower-cased, to find it again. */
  lower: string;
  value: string;
  /** What is checked when it is written: nothing, the value, or the name and the value. */
  check: Check;
}

const NONE = 0;
const VALUE = 1;
const NAME_AND_VALUE = 2;
type Check = typeof NONE | typeof VALUE | typeof NAME_AND_VALUE;

/**
 * Encodes `user:password` for a Basic `Authorization` header (UTF-8, then base64).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicCredentials } from "@netkit/netkit/http";
 *
 * assert.equal(basicCredentials("Aladdin", "open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
 * ```
 */
export function basicCredentials(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
