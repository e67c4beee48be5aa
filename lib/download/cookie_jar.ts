/**
 * An in-memory cookie jar as wget keeps one: `Set-Cookie` taken in by RFC 6265's rules (host-only
 * or domain cookies, path, `Secure`, `Expires`/`Max-Age`), the `Cookie` header for a request, and
 * Netscape's `cookies.txt` format (curl's, browsers' exporters' and GNU wget's) to load and save.
 *
 * @module
 */

import type { HttpUrl } from "../http/url.ts";
import { parseHttpDate } from "./http_date.ts";

/** One cookie. */
export interface Cookie {
  /** The cookie's name, as set. */
  name: string;
  /** Its value, as set (no quotes removed). */
  value: string;
  /** The host (host-only) or the domain it was set for, lower case, without a leading dot. */
  domain: string;
  /** False for a host-only cookie (no `Domain` attribute): sent to that host only. */
  includeSubdomains: boolean;
  /** The path it is sent under (`/` and below when set so). */
  path: string;
  /** Sent over https only. */
  secure: boolean;
  /**
   * The port of the URL that set a host-only cookie, when not the scheme's default: GNU wget
   * writes it in `cookies.txt` as `host:port` (RFC 6265 matches cookies without regard to ports).
   */
  port?: number | undefined;
  /** Expiry in milliseconds since the epoch; undefined for a session cookie. */
  expires?: number | undefined;
  /** Set with `HttpOnly` (kept in `cookies.txt` as `#HttpOnly_`). */
  httpOnly: boolean;
}

/**
 * The most cookies kept from servers' `Set-Cookie`, so that a hostile server cannot fill the
 * memory (the oldest of them goes first). The user's own cookies (`--load-cookies`, {@linkcode
 * CookieJar.add}) are all kept, as GNU wget keeps them: a browser's export of 50,000 cookies
 * loaded and saved again must lose none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MAX_COOKIES } from "@netkit/netkit/download";
 *
 * assert.ok(MAX_COOKIES >= 3000);
 * ```
 */
export const MAX_COOKIES = 3000;

const IP_ADDRESS = /^(\d+\.){3}\d+$|:/;

/**
 * Cookies by RFC 6265, in memory.
 *
 * @example Keep a cookie and send it back
 * ```ts
 * import assert from "node:assert/strict";
 * import { CookieJar } from "@netkit/netkit/download";
 * import { parseHttpUrl } from "@netkit/netkit/http";
 *
 * const jar = new CookieJar();
 * const url = parseHttpUrl("http://www.example.org/app/login");
 * jar.setCookie(url, "sid=42; Path=/app; Domain=example.org");
 * assert.equal(jar.cookieHeader(parseHttpUrl("http://api.example.org/app/x")), "sid=42");
 * assert.equal(jar.cookieHeader(parseHttpUrl("http://www.example.org/other")), undefined);
 * ```
 */
export class CookieJar {
  /** Every cookie by its name, domain and path, oldest (least recently set) first. */
  readonly #byKey = new Map<string, KeptCookie>();
  /** The same cookies by domain, so that a request looks only at its host's and its parents'. */
  readonly #byDomain = new Map<string, KeptCookie[]>();
  /** The cookies servers set, oldest first: at most MAX_COOKIES of them. */
  readonly #fromServers = new Set<KeptCookie>();
  readonly #now: () => number;
  /**
   * Told of a cookie refused because the host that set it is not in its `Domain` (`host`, and the
   * domain without its leading dot, as written): GNU wget says `Cookie coming from HOST attempted
   * to set domain to DOMAIN`.
   */
  onForeignDomain: ((host: string, domain: string) => void) | undefined;

  /** An empty jar; `now` is the clock for expiry (tests inject one). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The cookies kept (expired ones dropped), in the order they were set. */
  get cookies(): readonly Cookie[] {
    const now = this.#now();
    const live: Cookie[] = [];
    for (const kept of this.#byKey.values()) {
      if (isExpired(kept.cookie, now)) this.#remove(kept);
      else live.push(kept.cookie);
    }
    return live;
  }

  /**
   * Takes in one `Set-Cookie` value received from `url`; one the rules refuse (a domain the
   * host is not in, a bad name) is ignored, as a browser ignores it.
   */
  setCookie(url: HttpUrl, header: string): void {
    const [pair = "", ...attributes] = header.split(";");
    const equals = pair.indexOf("=");
    if (equals <= 0) return;
    const name = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim().replace(/^"(.*)"$/, "$1");
    if (name === "" || /[\s;,=]/.test(name)) return;
    const host = url.host.toLowerCase();
    const cookie: Cookie = {
      name,
      value,
      domain: host,
      includeSubdomains: false,
      path: defaultPath(url.target),
      secure: false,
      httpOnly: false,
      port: url.port === (url.scheme === "https" ? 443 : 80) ? undefined : url.port,
    };
    let maxAge: number | undefined;
    for (const attribute of attributes) {
      const at = attribute.indexOf("=");
      const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
      const text = at < 0 ? "" : attribute.slice(at + 1).trim();
      if (key === "domain" && text !== "") {
        const domain = text.replace(/^\./, "").toLowerCase();
        // The host must be in the domain; an address matches only itself.
        const inside = host === domain || (!IP_ADDRESS.test(host) && host.endsWith(`.${domain}`));
        if (!inside) {
          this.onForeignDomain?.(url.host, text.replace(/^\./, ""));
          return;
        }
        if (domain !== host || !IP_ADDRESS.test(host)) {
          cookie.domain = domain;
          cookie.includeSubdomains = !IP_ADDRESS.test(domain);
          cookie.port = undefined;
        }
      } else if (key === "path" && text.startsWith("/")) {
        cookie.path = text;
      } else if (key === "secure") {
        cookie.secure = true;
      } else if (key === "httponly") {
        cookie.httpOnly = true;
      } else if (key === "max-age" && /^-?\d+$/.test(text)) {
        maxAge = Number(text);
      } else if (key === "expires") {
        // GNU's http_atotm, as for Last-Modified: a date it cannot read ("0", ISO 8601, a zone
        // other than GMT, time_t -1) leaves a session cookie, where Date.parse took most.
        const time = parseHttpDate(text);
        if (!Number.isNaN(time)) cookie.expires = time;
      }
    }
    if (maxAge !== undefined) cookie.expires = this.#now() + maxAge * 1000;
    this.#add(cookie, true);
  }

  /**
   * Adds `cookie`, replacing one of the same name, domain and path (an expired one removes it).
   * Every cookie added so is kept; those servers set ({@linkcode CookieJar.setCookie}) are kept up
   * to {@linkcode MAX_COOKIES}.
   */
  add(cookie: Cookie): void {
    this.#add(cookie, false);
  }

  #add(cookie: Cookie, fromServer: boolean): void {
    const key = cookieKey(cookie);
    const replaced = this.#byKey.get(key);
    if (replaced) this.#remove(replaced);
    if (isExpired(cookie, this.#now())) return;
    const kept = { key, cookie };
    this.#byKey.set(key, kept);
    const sameDomain = this.#byDomain.get(cookie.domain);
    if (sameDomain) sameDomain.push(kept);
    else this.#byDomain.set(cookie.domain, [kept]);
    if (!fromServer) return;
    this.#fromServers.add(kept);
    if (this.#fromServers.size > MAX_COOKIES) {
      this.#remove(this.#fromServers.values().next().value!);
    }
  }

  #remove(kept: KeptCookie): void {
    this.#byKey.delete(kept.key);
    this.#fromServers.delete(kept);
    const sameDomain = this.#byDomain.get(kept.cookie.domain) ?? [];
    const at = sameDomain.indexOf(kept);
    if (at >= 0) sameDomain.splice(at, 1);
    if (sameDomain.length === 0) this.#byDomain.delete(kept.cookie.domain);
  }

  /**
   * The `Cookie` header for a request to `url`, as GNU wget's cookie_header makes it: of the
   * cookies of the same name and value, the last in its order of looking (the host's, then each
   * parent domain's, each newest first) is sent; longer domains first, then longer paths, then by
   * name and value (its sort that finds the duplicates). Undefined when none match.
   */
  cookieHeader(url: HttpUrl): string | undefined {
    // Asked once per request: an empty jar (most runs) answers without a walk.
    if (this.#byKey.size === 0) return undefined;
    const host = url.host.toLowerCase();
    const path = url.target.split("?")[0] ?? "/";
    const now = this.#now();
    const matching: KeptCookie[] = [];
    const take = (domain: string, hostOnlyToo: boolean) => {
      // A copy (an expired cookie is removed from the list on the way), newest first.
      for (const kept of [...(this.#byDomain.get(domain) ?? [])].reverse()) {
        const c = kept.cookie;
        if (!hostOnlyToo && !c.includeSubdomains) continue;
        if (isExpired(c, now)) this.#remove(kept);
        else if (pathMatches(path, c.path) && (!c.secure || url.scheme === "https")) {
          matching.push(kept);
        }
      }
    };
    take(host, true);
    // A domain cookie of each domain the host is in: every name after one of its dots.
    if (!IP_ADDRESS.test(host)) {
      for (let dot = host.indexOf("."); dot >= 0; dot = host.indexOf(".", dot + 1)) {
        take(host.slice(dot + 1), false);
      }
    }
    if (matching.length === 0) return undefined;
    const pairOf = ({ cookie: c }: KeptCookie) => `${c.name}=${c.value}`;
    const last = new Map(matching.map((kept, i) => [pairOf(kept), i]));
    const sent = matching.filter((kept, i) => last.get(pairOf(kept)) === i);
    const byBytes = (a: string, b: string) => a < b ? -1 : a > b ? 1 : 0;
    sent.sort((a, b) =>
      b.cookie.domain.length - a.cookie.domain.length ||
      b.cookie.path.length - a.cookie.path.length ||
      byBytes(a.cookie.name, b.cookie.name) || byBytes(a.cookie.value, b.cookie.value)
    );
    return sent.map(pairOf).join("; ");
  }

  /**
   * Adds the cookies of a Netscape `cookies.txt` (tab-separated: domain, subdomains flag, path,
   * secure, expiry in seconds or 0, name, value; `#HttpOnly_` before a domain). Bad lines are
   * skipped.
   */
  load(text: string): void {
    for (const raw of text.split("\n")) {
      let line = raw.replace(/\r$/, "");
      let httpOnly = false;
      if (line.startsWith("#HttpOnly_")) {
        httpOnly = true;
        line = line.slice("#HttpOnly_".length);
      }
      if (line.trim() === "" || line.startsWith("#")) continue;
      const fields = line.split("\t");
      if (fields.length < 7) continue;
      const [field = "", flag, path = "/", secure, expiry, name = "", ...rest] = fields;
      // GNU wget writes "host:port" for a cookie set on another port than the default.
      const withPort = /^(.*[^:]):(\d+)$/.exec(field);
      const domain = withPort && !field.startsWith("[") ? withPort[1] ?? field : field;
      const port = withPort ? Number(withPort[2]) : undefined;
      const seconds = Number(expiry);
      if (name === "" || !Number.isFinite(seconds)) continue;
      this.add({
        name,
        value: rest.join("\t"),
        domain: domain.replace(/^\./, "").toLowerCase(),
        includeSubdomains: flag === "TRUE",
        path,
        secure: secure === "TRUE",
        expires: seconds === 0 ? undefined : seconds * 1000,
        httpOnly,
        port,
      });
    }
  }

  /**
   * The jar as a Netscape `cookies.txt`; session cookies only with `keepSessionCookies` (then
   * with expiry 0), as GNU wget writes it.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { CookieJar } from "@netkit/netkit/download";
   * import { parseHttpUrl } from "@netkit/netkit/http";
   *
   * const jar = new CookieJar(() => 0);
   * jar.setCookie(parseHttpUrl("http://127.0.0.1/"), "a=1; Max-Age=60");
   * assert.match(jar.save(), /^127\.0\.0\.1\tFALSE\t\/\tFALSE\t60\ta\t1$/m);
   * ```
   */
  save(options: { keepSessionCookies?: boolean } = {}): string {
    let text = "# HTTP Cookie File\n# Generated by netkit wget.\n# Edit at your own risk.\n\n";
    for (const c of this.cookies) {
      if (c.expires === undefined && !options.keepSessionCookies) continue;
      const port = c.port === undefined || c.includeSubdomains ? "" : `:${c.port}`;
      const dot = c.includeSubdomains ? "." : "";
      const domain = `${c.httpOnly ? "#HttpOnly_" : ""}${dot}${c.domain}${port}`;
      const expiry = c.expires === undefined ? 0 : Math.floor(c.expires / 1000);
      const flags = [c.includeSubdomains ? "TRUE" : "FALSE", c.path, c.secure ? "TRUE" : "FALSE"];
      text += [domain, ...flags, expiry, c.name, c.value].join("\t") + "\n";
    }
    return text;
  }
}

/** A cookie in the jar, with its key. */
interface KeptCookie {
  key: string;
  cookie: Cookie;
}

/** What a cookie replaces: one of the same name, domain and path. */
function cookieKey(cookie: Cookie): string {
  return JSON.stringify([cookie.name, cookie.domain, cookie.path]);
}

function isExpired(cookie: Cookie, now: number): boolean {
  return cookie.expires !== undefined && cookie.expires <= now;
}

/** RFC 6265's default path: the request path up to its last `/`, or `/`. */
function defaultPath(target: string): string {
  const path = target.split("?")[0] ?? "/";
  if (!path.startsWith("/")) return "/";
  const last = path.lastIndexOf("/");
  return last <= 0 ? "/" : path.slice(0, last);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}
