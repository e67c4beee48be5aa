/**
 * HTTP Digest authentication (RFC 2617, MD5 and MD5-sess, `qop=auth` or none), as GNU wget
 * answers a `WWW-Authenticate: Digest ...` challenge. Private to the download package.
 *
 * @module
 */

import { createHash } from "node:crypto";

/** The parameters of a `Digest` challenge that the answer uses. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string | undefined;
  /** `auth` when the server offers it (alone or in a list), else undefined (RFC 2069's form). */
  qop?: "auth" | undefined;
  /** As the server named it (`MD5`, `MD5-sess`); undefined when it named none. */
  algorithm?: string | undefined;
}

/**
 * The `Digest` challenge among `WWW-Authenticate` values, or undefined when there is none that
 * can be answered (no realm or nonce, an algorithm other than MD5 and MD5-sess).
 */
export function parseDigestChallenge(values: readonly string[]): DigestChallenge | undefined {
  for (const value of values) {
    const match = /^\s*digest\s+(.*)$/is.exec(value);
    if (!match) continue;
    const params = new Map<string, string>();
    // name=token or name="quoted, with commas" -- GNU's reading: a quote ends the value.
    for (const param of match[1]!.matchAll(/([\w-]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
      params.set(param[1]!.toLowerCase(), param[2] ?? param[3] ?? "");
    }
    const realm = params.get("realm");
    const nonce = params.get("nonce");
    const algorithm = params.get("algorithm");
    if (realm === undefined || nonce === undefined) continue;
    if (algorithm !== undefined && !/^md5(-sess)?$/i.test(algorithm)) continue;
    const qops = (params.get("qop") ?? "").split(",").map((q) => q.trim().toLowerCase());
    return {
      realm,
      nonce,
      opaque: params.get("opaque"),
      qop: qops.includes("auth") ? "auth" : undefined,
      algorithm,
    };
  }
  return undefined;
}

function md5(text: string): string {
  return createHash("md5").update(text).digest("hex");
}

/**
 * The `Authorization` value answering `challenge` for `method` on `uri` (the request target),
 * in GNU wget's form and order; `cnonce` is the client's nonce (8 hex digits).
 */
export function digestAuthorization(
  credentials: { username: string; password: string },
  challenge: DigestChallenge,
  request: { method: string; uri: string; cnonce: string },
): string {
  const { username, password } = credentials;
  const { realm, nonce, qop, opaque, algorithm } = challenge;
  const { method, uri, cnonce } = request;
  let a1 = md5(`${username}:${realm}:${password}`);
  if (algorithm !== undefined && /^md5-sess$/i.test(algorithm)) {
    a1 = md5(`${a1}:${nonce}:${cnonce}`);
  }
  const a2 = md5(`${method}:${uri}`);
  const response = qop === "auth"
    ? md5(`${a1}:${nonce}:00000001:${cnonce}:auth:${a2}`)
    : md5(`${a1}:${nonce}:${a2}`);
  let value = `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", ` +
    `response="${response}"`;
  if (qop === "auth") value += `, qop=auth, nc=00000001, cnonce="${cnonce}"`;
  if (opaque !== undefined) value += `, opaque="${opaque}"`;
  if (algorithm !== undefined) value += `, algorithm="${algorithm}"`;
  return value;
}
