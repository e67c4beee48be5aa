/**
 * Forward proxies as wget and curl take them from the environment: `http_proxy`, `https_proxy`
 * (or their upper-case forms), and `no_proxy` with host suffixes, address literals and `*`.
 *
 * @module
 */

import { type HttpUrl, parseHttpUrl } from "../http/url.ts";

/** The proxy settings: URLs of proxies and the hosts that bypass them. */
export interface ProxySettings {
  /** The proxy for `http://` URLs, e.g. `http://127.0.0.1:3128`. */
  http?: string | undefined;
  /** The proxy for `https://` URLs (a `CONNECT` tunnel). */
  https?: string | undefined;
  /** Comma-separated hosts that go direct: `example.org` (and its subdomains), `.example.org`, `127.0.0.1`, `*`. */
  noProxy?: string | undefined;
}

/**
 * The environment variables {@linkcode proxySettingsFromEnv} reads.
 *
 * @example Read them one by one (a program granted only these may read no others)
 * ```ts
 * import assert from "node:assert/strict";
 * import { PROXY_VARIABLES, proxySettingsFromEnv } from "@netkit/netkit/download";
 *
 * const env = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, undefined]));
 * assert.deepEqual(proxySettingsFromEnv(env), { http: undefined, https: undefined, noProxy: undefined });
 * ```
 */
export const PROXY_VARIABLES = [
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
] as const;

/**
 * The proxy settings in an environment: lower-case names first (`http_proxy`), then upper-case
 * (`HTTP_PROXY`), as curl and wget read them. Empty values count as unset.
 *
 * @param env The environment, e.g. `Deno.env.toObject()`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { proxySettingsFromEnv } from "@netkit/netkit/download";
 *
 * const settings = proxySettingsFromEnv({ HTTP_PROXY: "proxy:3128", no_proxy: "localhost" });
 * assert.deepEqual(settings, { http: "proxy:3128", https: undefined, noProxy: "localhost" });
 * ```
 */
export function proxySettingsFromEnv(env: Record<string, string | undefined>): ProxySettings {
  const pick = (name: string) => env[name] || env[name.toUpperCase()] || undefined;
  return { http: pick("http_proxy"), https: pick("https_proxy"), noProxy: pick("no_proxy") };
}

/**
 * The proxy to use for `url`, or undefined to go direct: none is set for its scheme, or
 * `noProxy` names its host.
 *
 * @param url The URL to fetch.
 * @param settings The proxies and exceptions.
 * @returns The proxy's URL (a value without a scheme is `http://`).
 * @throws {UrlError} when the proxy's URL is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { proxyForUrl } from "@netkit/netkit/download";
 * import { parseHttpUrl } from "@netkit/netkit/http";
 *
 * const settings = { http: "127.0.0.1:3128", noProxy: "example.org,10.0.0.1,.b.test" };
 * assert.equal(proxyForUrl(parseHttpUrl("http://a.test/"), settings)?.port, 3128);
 * assert.equal(proxyForUrl(parseHttpUrl("http://www.example.org/"), settings), undefined);
 * // A leading dot names the subdomains alone, as for GNU wget.
 * assert.equal(proxyForUrl(parseHttpUrl("http://x.b.test/"), settings), undefined);
 * assert.equal(proxyForUrl(parseHttpUrl("http://b.test/"), settings)?.port, 3128);
 * assert.equal(proxyForUrl(parseHttpUrl("http://10.0.0.1/"), settings), undefined);
 * assert.equal(proxyForUrl(parseHttpUrl("https://a.test/"), settings), undefined);
 * ```
 */
export function proxyForUrl(url: HttpUrl, settings: ProxySettings): HttpUrl | undefined {
  const proxy = url.scheme === "https" ? settings.https : settings.http;
  if (!proxy || bypassesProxy(url.host, settings.noProxy ?? "")) return undefined;
  return parseHttpUrl(proxy);
}

/** Whether `host` matches an entry of a `no_proxy` list. */
function bypassesProxy(host: string, noProxy: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, "");
  // An address matches only itself; a name matches an entry and the entry's subdomains.
  const isAddress = name.includes(":") || /^[0-9.]+$/.test(name);
  for (const raw of noProxy.split(",")) {
    let entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    // An entry may carry a port or brackets ("[::1]:8080", "host:80"): the host part decides.
    const bracketed = /^\[([^\]]+)\]/.exec(entry);
    if (bracketed) entry = bracketed[1] ?? "";
    else if ((entry.match(/:/g) ?? []).length === 1) entry = entry.slice(0, entry.indexOf(":"));
    // `.example.org` names the subdomains only, as GNU wget's sufmatch reads it (not
    // `example.org` itself); `*.example.org` the domain too.
    const subdomainsOnly = entry.startsWith(".");
    entry = entry.replace(/^\*?\./, "").replace(/\.$/, "");
    if (name === entry && !subdomainsOnly) return true;
    if (!isAddress && name.endsWith(`.${entry}`)) return true;
  }
  return false;
}
