import assert from "node:assert/strict";
import { chromiumDom, dumpedText } from "../harness/chromium.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { startLexicalServer } from "../harness/deno_server.ts";
import { makeCertificate } from "../harness/nginx.ts";

// 7 letters and 2 blanks: 21,212 words, 182 KB of JSON. The first load is a miss answered by the
// handler (a body over 64 KiB goes out chunked), the second a hit from the fast path.
const RACK = "aeinrst%3F%3F";

/** What headless Chromium shows for `url`: the text of the page's <pre>, where it puts JSON. */
async function chromiumJson(url: string, profile: string, extra: string[] = []) {
  const dom = await chromiumDom(url, profile, extra);
  const pre = dom.match(/<pre>([\s\S]*?)<\/pre>/)?.[1];
  assert.ok(pre !== undefined, `no <pre> in ${dom.slice(0, 500)}`);
  return JSON.parse(dumpedText(pre));
}

peerTest(
  "headless Chromium loads lexical-server's JSON intact, over HTTP and HTTPS",
  ["chromium", "openssl"],
  async () => {
    await using dir = await tempDir("netkit_lexical_chromium_");
    const { cert, key } = await makeCertificate(dir.path);
    const caCert = await Deno.readTextFile(cert);
    for (const tls of [false, true]) {
      const scheme = tls ? "https" : "http";
      await using server = await startLexicalServer([
        "--quiet",
        "--workers",
        "1",
        ...(tls ? ["--cert", cert, "--key", key] : []),
      ]);
      const url = `${scheme}://127.0.0.1:${server.port}/api/${RACK}`;
      const extra = tls ? ["--ignore-certificate-errors"] : [];
      const miss = await chromiumJson(url, `${dir.path}/profile-${scheme}-1`, extra);
      const hit = await chromiumJson(url, `${dir.path}/profile-${scheme}-2`, extra);
      // The oracle: the same answer fetched by Deno (the certificate trusted explicitly).
      using client = Deno.createHttpClient(tls ? { caCerts: [caCert] } : {});
      const expected = await (await fetch(url, { client })).json();
      for (const [seen, cached] of [[miss, false], [hit, true]] as const) {
        assert.deepEqual(Object.keys(seen), ["time", "cached", "possibilities"], scheme);
        assert.equal(seen.cached, cached, scheme);
        assert.equal(typeof seen.time, "number");
        assert.equal(seen.possibilities.length, 21_212, scheme);
        assert.deepEqual(seen.possibilities, expected.possibilities, scheme);
      }
    }
  },
);
