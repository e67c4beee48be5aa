import assert, { equal } from "node:assert/strict";
import { warmUpTls } from "../../../lib/net/tls_warm_up.ts";
import { listenTlsOnLoopback, makeCertificate } from "../../harness/nginx.ts";
import { tempDir } from "../../harness/peers.ts";

Deno.test("warmUpTls() settles, again and again, and TLS works after it", async () => {
  await using dir = await tempDir();
  const files = await makeCertificate(dir.path);
  const ready = warmUpTls();
  equal(await ready, undefined);
  equal(await warmUpTls(), undefined);
  using listener = await listenTlsOnLoopback(files);
  const serving = (async () => {
    using conn = await listener.accept();
    await conn.handshake();
    await conn.write(new TextEncoder().encode("hi"));
  })();
  using conn = await Deno.connectTls({
    hostname: "127.0.0.1",
    port: listener.addr.port,
    caCerts: [await Deno.readTextFile(files.cert)],
  });
  const buffer = new Uint8Array(2);
  assert.equal(await conn.read(buffer), 2);
  equal(new TextDecoder().decode(buffer), "hi");
  await serving;
});
