/**
 * URL parsing for the HTTP client: `http://` and `https://` only, default ports filled in, IPv6
 * literals unbracketed for connecting and bracketed again for `Host`, userinfo kept for Basic auth.
 *
 * @module
 */

import { markNetkitError } from "../io/netkit_error.ts";
import { percentDecode } from "../internal/percent_decode.ts";
import { formatHostPort } from "../net/host_port.ts";

/** An `http://` or `https://` URL, split into what a client needs. */
export interface HttpUrl {
  /** `"http"` or `"https"`. */
  scheme: "http" | "https";
  /** Host name or address literal, without brackets (`::1`, not `[::1]`). */
  host: string;
  /** The port, the scheme's default (80 or 443) when the URL names none. */
  port: number;
  /** Path and query as sent in the request line (`/a/b?c=d`), never empty. */
  target: string;
  /** User name from the userinfo, percent-decoded; `""` when there is none. */
  username: string;
  /** Password from the userinfo, percent-decoded; `""` when there is none. */
  password: string;
  /** The whole URL, normalised, without userinfo or fragment. */
  href: string;
}

/**
 * The parts of a parsed URL that {@linkcode parseHttpUrl} and {@linkcode searchOf} read: a WHATWG
 * `URL`, or a plain object holding what its getters would give (a caller that split a canonical
 * href itself, without the parser).
 */
export type UrlParts = Readonly<
  Pick<
    URL,
    | "href"
    | "protocol"
    | "host"
    | "hostname"
    | "port"
    | "pathname"
    | "search"
    | "username"
    | "password"
    | "hash"
  >
>;

/** The default port of each scheme. */
export const DEFAULT_PORTS: Readonly<Record<HttpUrl["scheme"], number>> = { http: 80, https: 443 };

/** A URL that cannot be fetched: unparsable, or a scheme other than http and https. */
export class UrlError extends SyntaxError {
  /** The URL as given. */
  readonly url: string;
  /** Builds the error for `url`. */
  constructor(message: string, url: string) {
    super(message);
    this.name = "UrlError";
    this.url = url;
    markNetkitError(this, "INVALID_URL");
  }
}

/**
 * Parses an `http://` or `https://` URL. A URL without a scheme (`localhost:8080/x`) is taken as
 * `http://`, as GNU wget does; one that starts with `/` or `:` (`/x`, `//host/x`) has none to
 * take, as for GNU wget (`UrlError`, GNU's "Scheme missing").
 *
 * @param text The URL as the user or a `Location` header wrote it, or a `URL` parsed already
 * (read, never changed; `base` is then not used) or its parts ({@linkcode UrlParts}).
 * @param base Where a relative URL (`/next`, `../x`) is resolved from.
 * @returns The parts a client needs.
 * @throws {UrlError} for an unparsable URL, a missing host, port 0, or another scheme (`ftp:`,
 * `file:`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHttpUrl } from "@netkit/netkit/http";
 *
 * const url = parseHttpUrl("http://user:pw@[::1]:8080/a%20b?q=1#top");
 * assert.equal(url.host, "::1");
 * assert.equal(url.port, 8080);
 * assert.equal(url.target, "/a%20b?q=1");
 * assert.equal(url.username, "user");
 * assert.equal(url.password, "pw");
 * assert.equal(parseHttpUrl("https://example.org").port, 443);
 * assert.equal(parseHttpUrl(new URL("http://h/x#y")).href, "http://h/x");
 * ```
 */
export function parseHttpUrl(text: string | UrlParts, base?: HttpUrl | string): HttpUrl {
  // Parsed already: read, never changed (a copy drops its userinfo or fragment).
  if (typeof text !== "string") return httpUrlOf(text, text.href, undefined);
  const trimmed = text.trim();
  let parsed: URL;
  try {
    if (base !== undefined) {
      parsed = new URL(trimmed, typeof base === "string" ? base : base.href);
    } else if (/^[/:]/.test(trimmed)) {
      // GNU wget adds no http:// before a `/` or a `:` (its rewrite_shorthand_url): no scheme.
      throw new UrlError(`Scheme missing in "${text}"`, text);
    } else {
      const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(trimmed)
        ? trimmed
        : `http://${trimmed}`;
      parsed = new URL(withScheme);
    }
  } catch (error) {
    if (error instanceof UrlError) throw error;
    throw new UrlError(`Invalid URL "${text}"`, text);
  }
  return httpUrlOf(parsed, text, parsed);
}

/**
 * The parts of `parsed` (`text` as written, for errors), without its userinfo and fragment:
 * cleared in `parsed` itself when it is `ours` (a `URL` made for this call), else in a copy.
 */
function httpUrlOf(parsed: UrlParts, text: string, ours: URL | undefined): HttpUrl {
  const scheme = parsed.protocol.slice(0, -1).toLowerCase();
  if (scheme !== "http" && scheme !== "https") {
    throw new UrlError(`Unsupported scheme "${scheme}" in "${text}": only http and https`, text);
  }
  const bracketed = parsed.hostname;
  if (bracketed === "") throw new UrlError(`No host in URL "${text}"`, text);
  const host = bracketed.startsWith("[") ? bracketed.slice(1, -1) : bracketed;
  const port = parsed.port === "" ? DEFAULT_PORTS[scheme] : Number(parsed.port);
  // WHATWG URL accepts port 0, which no server listens on.
  if (port === 0) throw new UrlError(`Invalid port "0" in URL "${text}"`, text);
  const rawUsername = parsed.username;
  const rawPassword = parsed.password;
  const username = rawUsername === "" ? "" : percentDecode(rawUsername);
  const password = rawPassword === "" ? "" : percentDecode(rawPassword);
  // Each setter reparses the whole URL: set only what is there (a list of URLs parses each).
  const hashed = parsed.hash !== "" || parsed.href.endsWith("#");
  if (rawUsername !== "" || rawPassword !== "" || hashed) {
    const cleared = ours ?? new URL(parsed.href);
    if (rawUsername !== "") cleared.username = "";
    if (rawPassword !== "") cleared.password = "";
    if (hashed) cleared.hash = "";
    parsed = cleared;
  }
  return {
    scheme,
    host,
    port,
    target: (parsed.pathname || "/") + searchOf(parsed),
    username,
    password,
    href: parsed.href,
  };
}

/**
 * The `Host` header value for `url`: the port only when it is not the scheme's default, an IPv6
 * literal in brackets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hostHeader, parseHttpUrl } from "@netkit/netkit/http";
 *
 * assert.equal(hostHeader(parseHttpUrl("http://[::1]:8080/")), "[::1]:8080");
 * assert.equal(hostHeader(parseHttpUrl("https://example.org:443/")), "example.org");
 * ```
 */
export function hostHeader(url: HttpUrl): string {
  return formatHostPort(url.host, url.port === DEFAULT_PORTS[url.scheme] ? undefined : url.port);
}

/**
 * A URL's query as written, with its `?`, and `?` alone for an empty one: `URL.search` is `""`
 * both for `a.html` and for `a.html?`, two URLs a request and a file name must tell apart (GNU
 * wget, curl and browsers ask for `/a.html?`; GNU wget saves it as `a.html?`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { searchOf } from "@netkit/netkit/http";
 *
 * assert.equal(searchOf(new URL("http://h/a.html?q=1#f")), "?q=1");
 * assert.equal(searchOf(new URL("http://h/a.html?#f?")), "?");
 * assert.equal(searchOf(new URL("http://h/a.html#f?")), "");
 * ```
 */
export function searchOf(url: UrlParts): string {
  if (url.search !== "") return url.search;
  // No `#` stands before the fragment's: the first one starts it.
  const hash = url.href.indexOf("#");
  return (hash < 0 ? url.href : url.href.slice(0, hash)).endsWith("?") ? "?" : "";
}
