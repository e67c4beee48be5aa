import { deepEqual, equal, match } from "node:assert/strict";
import { digestAuthorization, readDigestChallenge } from "../../../lib/download/_digest_auth.ts";

Deno.test("digestAuthorization() gives RFC 2617's own example answer", () => {
  const { challenge, warning } = readDigestChallenge(
    'Digest realm="testrealm@host.com", qop="auth", ' +
      'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
  );
  equal(warning, undefined);
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

Deno.test("readDigestChallenge() reads as GNU's digest_authentication_encode", () => {
  // No realm or nonce: nothing to answer (GNU's ATTRMISSING).
  equal(readDigestChallenge('Digest realm="x"').challenge, undefined);
  // A qop other than auth (a list too) is dropped with GNU's warning; the algorithm is kept.
  const list = readDigestChallenge('Digest realm="x", nonce="n", qop="auth,auth-int"');
  equal(list.warning, "Unsupported quality of protection 'auth,auth-int'.");
  equal(list.challenge?.qop, undefined);
  // Else an algorithm other than MD5 and MD5-sess, answered as MD5.
  const sha = readDigestChallenge('Digest realm="x", nonce="n", algorithm=SHA-256');
  equal(sha.warning, "Unsupported algorithm 'SHA-256'.");
  equal(sha.challenge?.algorithm, undefined);
  // The parameters up to the first that does not read: another challenge's stops them.
  equal(readDigestChallenge('Digest realm="r", nonce="n", Basic realm="q"').challenge?.realm, "r");
  // Names as written, a later one winning.
  const named = readDigestChallenge('Digest Realm="a", realm="b", nonce="n", realm="c"');
  equal(named.challenge?.realm, "c");
});
