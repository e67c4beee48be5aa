/**
 * A link's URL split without the WHATWG URL parser: the walker's links are canonical hrefs (the
 * parser's own output, or `resolveLinkFast`'s, equal to it), and for the shapes most have
 * (`http://host:port/path?query`, a lower-case host name or dotted IPv4 address, no userinfo, no
 * escapes of dots, no dot segments) the parts a `URL` would give are slices of the text. Anything
 * else is left to `new URL()`. tests/lib/download/_link_url_test.ts compares the two on many
 * hostile hrefs, seeded. Private to `lib/download/`.
 *
 * @module
 */

import type { UrlParts } from "../http/url.ts";

/**
 * `scheme://host[:port]/path[?query]` as the parser writes it: a lower-case scheme, a host of
 * lower-case letters, digits, `-` and `.`, a port of 1 to 5 digits not starting with 0, a path of
 * characters the parser keeps as they are (`%` only before two hex digits), a query of the same
 * and `?` and `%`; no userinfo, brackets, backslash, fragment, space or non-ASCII.
 */
const CANONICAL =
  /^(https?:)\/\/([a-z0-9.-]+)(?::([1-9][0-9]{0,4}))?(\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*)(\?[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*)?$/;

/** A path the parser changes: a `.` or `..` segment, or an escaped dot (`%2e`, a dot segment's). */
const DOT_SEGMENT = /\/\.\.?(?:\/|$)|%2e/i;

/** The last label of a host that the parser reads as IPv4 (a number, decimal or hex). */
const NUMERIC_LABEL = /(?:^|\.)(?:[0-9]+|0x[0-9a-f]*)\.?$/;

/** A dotted IPv4 address as the parser writes it (four decimals 0 to 255, no leading zero). */
const DOTTED_QUAD =
  /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

/** The default port of each scheme here: the parser drops it. */
const DEFAULT_PORT: Readonly<Record<string, string>> = { "http:": "80", "https:": "443" };

/**
 * The scheme, host name and port that last passed the host's tests: a site's links share them,
 * so the tests (which depend on these three only) are run once a host, not once a link.
 */
let passedProtocol = "";
let passedHostname = "";
let passedPort = "";

/** The parts of `href` as a `URL` would give them; undefined for a shape not handled here. */
export function splitLinkUrl(href: string): UrlParts | undefined {
  const match = CANONICAL.exec(href);
  if (match === null) return undefined;
  const protocol = match[1]!;
  const hostname = match[2]!;
  const port = match[3] ?? "";
  const pathname = match[4]!;
  const query = match[5] ?? "";
  if (hostname !== passedHostname || port !== passedPort || protocol !== passedProtocol) {
    if (
      // An empty label, a name the IDNA rules read (`xn--`), or a host the parser takes for IPv4.
      hostname.startsWith(".") || hostname.includes("..") || hostname.includes("xn--") ||
      (NUMERIC_LABEL.test(hostname) && !DOTTED_QUAD.test(hostname)) ||
      port === DEFAULT_PORT[protocol] || (port !== "" && Number(port) > 65535)
    ) {
      return undefined;
    }
    passedProtocol = protocol;
    passedHostname = hostname;
    passedPort = port;
  }
  if (DOT_SEGMENT.test(pathname)) return undefined;
  return {
    href,
    protocol,
    host: port === "" ? hostname : `${hostname}:${port}`,
    hostname,
    port,
    pathname,
    // `URL.search` is "" for a lone `?` too.
    search: query.length > 1 ? query : "",
    username: "",
    password: "",
    hash: "",
  };
}

/**
 * `href` parsed: split here when it has a canonical shape ({@linkcode splitLinkUrl}), else by
 * `new URL()`, which throws a `TypeError` for what it cannot parse.
 */
export function parseLinkUrl(href: string): UrlParts {
  return splitLinkUrl(href) ?? new URL(href);
}
