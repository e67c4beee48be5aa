import { deepEqual, equal, match } from "node:assert/strict";
import { digestAuthorization, parseDigestChallenge } from "../../../lib/download/_digest_auth.ts";

Deno.test("digestAuthorization() gives RFC 2617's own example answer", () => {
  const challenge = parseDigestChallenge([
    'Digest realm="testrealm@host.com", qop="auth,auth-int", ' +
    'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
  ]);
  deepEqual(challenge, {
    realm: "testrealm@host.com",
    nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
    opaque: "5ccc069c403ebaf9f0171e9517f40e41",
    qop: "auth",
    algorithm: undefined,
  });
  const value = digestAuthorization(
    { username: "Mufasa", password: "Circle Of Life" },
    challenge!,
    {
      method: "GET",
      uri: "/dir/index.html",
      cnonce: "0a4f113b",
    },
  );
  match(value, /response="6629fae49393a05397450978507c4ef1"/);
  match(
    value,
    /, qop=auth, nc=00000001, cnonce="0a4f113b", opaque="5ccc069c403ebaf9f0171e9517f40e41"$/,
  );
});

Deno.test("parseDigestChallenge() skips what it cannot answer", () => {
  equal(parseDigestChallenge(['Basic realm="x"']), undefined);
  equal(parseDigestChallenge(['Digest realm="x"']), undefined); // no nonce
  equal(parseDigestChallenge(['Digest realm="x", nonce="n", algorithm=SHA-256']), undefined);
  equal(parseDigestChallenge(['Digest realm="x", nonce="n"'])?.qop, undefined);
});
