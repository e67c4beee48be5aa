/**
 * HTTP Digest authentication (RFC 2617, MD5 and MD5-sess, `qop=auth` or none), as GNU Wget 1.21.3
 * answers a `WWW-Authenticate: Digest ...` challenge (its digest_authentication_encode). Private to the download package.
 *
 * @module
 */

import { createHash } from "node:crypto";

/** The parameters of a `Digest` challenge that the answer uses. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string | undefined;
  /** `auth` when the server asks for it (exactly), else undefined (RFC 2069's form). */
  qop?: "auth" | undefined;
  /** As the server named it (`MD5`, `MD5-sess`); undefined when it named none. */
  algorithm?: string | undefined;
}

/** What GNU's digest_authentication_encode makes of a `Digest` challenge. */
export interface DigestReading {
  /** The parameters answered; undefined when the realm or the nonce is missing (ATTRMISSING). */
  challenge?: DigestChallenge | undefined;
  /** GNU's line for a `qop` other than `auth` or an algorithm other than MD5 and MD5-sess. */
  warning?: string | undefined;
}

/**
 * A `Digest` challenge read as GNU Wget 1.21.3 reads it: `text` from the scheme's name on (the
 * rest of its header, other challenges after it included), its `name=value` parameters in turn
 * up to the first that does not read, names matched as written (`realm`, `nonce`, `opaque`,
 * `qop`, `algorithm`; a later one wins). A `qop` other than `auth` (`auth,auth-int` too) is
 * dropped with GNU's warning, else an algorithm other than `MD5` and `MD5-sess`; the answer is
 * then RFC 2069's, or plain MD5.
 */
export function readDigestChallenge(text: string): DigestReading {
  const params = new Map<string, string>();
  let at = 6; // past `Digest`
  for (;;) {
    const param = extractParam(text, at);
    if (param === undefined) break;
    at = param.end;
    if (/^(?:realm|opaque|nonce|qop|algorithm)$/.test(param.name)) {
      params.set(param.name, param.value);
    }
  }
  let qop = params.get("qop");
  let algorithm = params.get("algorithm");
  let warning: string | undefined;
  if (qop !== undefined && qop !== "auth") {
    warning = `Unsupported quality of protection '${qop}'.`;
    qop = undefined;
  } else if (algorithm !== undefined && algorithm !== "MD5" && algorithm !== "MD5-sess") {
    warning = `Unsupported algorithm '${algorithm}'.`;
    algorithm = undefined;
  }
  const realm = params.get("realm");
  const nonce = params.get("nonce");
  if (realm === undefined || nonce === undefined) return { warning };
  return {
    challenge: { realm, nonce, opaque: params.get("opaque"), qop: qop && "auth", algorithm },
    warning,
  };
}

/** C's isspace. */
function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";
}

/**
 * GNU's extract_param with `,` from `start`: the parameter's name, its value (`""` for none, as
 * GNU's copy of no value), and where the next starts; undefined when none reads.
 */
function extractParam(
  text: string,
  start: number,
): { name: string; value: string; end: number } | undefined {
  let p = start;
  while (isSpace(text[p])) p++;
  if (p >= text.length) return undefined;
  const nameStart = p;
  while (p < text.length && !isSpace(text[p]) && text[p] !== "=" && text[p] !== ",") p++;
  if (p === nameStart) return undefined;
  const name = text.slice(nameStart, p);
  while (isSpace(text[p])) p++;
  if (p >= text.length || text[p] === ",") {
    return { name, value: "", end: p < text.length ? p + 1 : p };
  }
  if (text[p] !== "=") return undefined;
  p++;
  while (isSpace(text[p])) p++;
  let value: string;
  if (text[p] === '"') {
    const close = text.indexOf('"', p + 1);
    if (close < 0) return undefined;
    value = text.slice(p + 1, close);
    p = close + 1;
    // (Anything after the closing quote, up to the separator, is skipped.)
    while (p < text.length && text[p] !== ",") p++;
  } else {
    const valueStart = p;
    while (p < text.length && text[p] !== ",") p++;
    value = text.slice(valueStart, p).replace(/[ \t\n\v\f\r]+$/, "");
  }
  return { name, value, end: p < text.length ? p + 1 : p };
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
  if (algorithm === "MD5-sess") {
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
