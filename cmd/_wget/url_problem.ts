/**
 * GNU Wget 1.21.3's words for a URL it cannot take (url.c's `url_error`), said as
 * `URL: PROBLEM.` in place of netkit's own: a URL without a scheme that starts with `/` or `:`
 * (GNU's rewrite_shorthand_url leaves it, so it has none), a scheme other than http and https
 * (ftp and ftps aside: netkit refuses them in its own words), no host, a bad port, a bad IPv6
 * address.
 *
 * @module
 */

import { inetPton } from "../../lib/net/inet.ts";
import { quoteName } from "./quote_name.ts";

/**
 * Whether GNU wget takes `url` for one without a scheme it can add (`/path`, `:x`, `//host/x`):
 * GNU says `Scheme missing.` where netkit's URL reader would take `http://` before it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { schemeMissing } from "./url_problem.ts";
 *
 * assert.equal(schemeMissing("/foo/bar"), true);
 * assert.equal(schemeMissing("//host/x"), true);
 * assert.equal(schemeMissing("localhost:8080/x"), false);
 * assert.equal(schemeMissing("http://h/"), false);
 * ```
 */
export function schemeMissing(url: string): boolean {
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url) && /^[/:]/.test(url);
}

/**
 * GNU wget's problem with `url` (no final period), or undefined when GNU would take it or netkit's
 * own words stand (an ftp:// URL, a URL netkit refuses for another reason).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gnuUrlProblem } from "./url_problem.ts";
 *
 * assert.equal(gnuUrlProblem("/foo/bar"), "Scheme missing");
 * assert.equal(gnuUrlProblem("http://:80/"), "Invalid host name");
 * assert.equal(gnuUrlProblem("http://h:99999/"), "Bad port number");
 * assert.equal(gnuUrlProblem("http://[::1"), "Unterminated IPv6 numeric address");
 * assert.equal(gnuUrlProblem("http://[zz]/"), "Invalid IPv6 numeric address");
 * assert.match(gnuUrlProblem("x://y") ?? "", /^Unsupported scheme .x.$/);
 * assert.equal(gnuUrlProblem("ftp://h/"), undefined);
 * assert.equal(gnuUrlProblem("http://h/"), undefined);
 * ```
 */
export function gnuUrlProblem(url: string): string | undefined {
  if (schemeMissing(url)) return "Scheme missing";
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(url);
  if (!scheme) return undefined;
  const name = scheme[1]!;
  if (/^ftps?$/i.test(name)) return undefined;
  if (!/^https?$/i.test(name)) return `Unsupported scheme ${quoteName(name)}`;
  const rest = url.slice(scheme[0].length);
  const authority = rest.slice(0, rest.search(/[/?#]|$/));
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
  let port: string | undefined;
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close < 0) return "Unterminated IPv6 numeric address";
    if (!validIpv6(hostPort.slice(1, close))) return "Invalid IPv6 numeric address";
    const after = hostPort.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) return undefined;
    port = after === "" ? undefined : after.slice(1);
  } else {
    const colon = hostPort.indexOf(":");
    const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    if (host === "") return "Invalid host name";
    port = colon < 0 ? undefined : hostPort.slice(colon + 1);
  }
  if (port !== undefined && port !== "" && (!/^\d+$/.test(port) || Number(port) > 65535)) {
    return "Bad port number";
  }
  return undefined;
}

/**
 * Whether `text` is an IPv6 address (what goes between the brackets of a URL's host): inet_pton's
 * rules, as GNU's is_valid_ipv6_address follows them.
 */
function validIpv6(text: string): boolean {
  try {
    inetPton(text, 6);
    return true;
  } catch {
    return false;
  }
}
