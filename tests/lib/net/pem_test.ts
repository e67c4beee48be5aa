import assert, { equal, match } from "node:assert/strict";
import { pemFromDer } from "../../../lib/net/pem.ts";

/** openssl's DER forms of one certificate and key, compared with its own PEM. */
async function openssl(args: string[]): Promise<Uint8Array> {
  const { success, stdout } = await new Deno.Command("openssl", {
    args,
    stdout: "piped",
    stderr: "null",
  })
    .output();
  assert.ok(success, args.join(" "));
  return stdout;
}

const HAS_OPENSSL =
  new Deno.Command("sh", { args: ["-c", "command -v openssl"] }).outputSync().success;

Deno.test({
  name: "pemFromDer() gives back openssl's PEM for a certificate and PKCS#1, PKCS#8 and EC keys",
  ignore: !HAS_OPENSSL,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const key = `${dir}/key.pem`;
      const cert = `${dir}/cert.pem`;
      await openssl(["genrsa", "-traditional", "-out", key, "1024"]);
      await openssl(["req", "-x509", "-key", key, "-out", cert, "-days", "1", "-subj", "/CN=t"]);
      const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
      const certDer = await openssl(["x509", "-in", cert, "-outform", "DER"]);
      equal(pemFromDer(certDer, "certificate"), await Deno.readTextFile(cert));
      const rsaDer = await openssl(["rsa", "-in", key, "-outform", "DER", "-traditional"]);
      equal(
        pemFromDer(rsaDer, "private key"),
        text(await openssl(["rsa", "-in", key, "-traditional"])),
      );
      const pk8 = ["pkcs8", "-topk8", "-nocrypt", "-in", key];
      const pk8Der = await openssl([...pk8, "-outform", "DER"]);
      equal(pemFromDer(pk8Der, "private key"), text(await openssl(pk8)));
      const ec = `${dir}/ec.pem`;
      await openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", ec]);
      const ecDer = await openssl(["ec", "-in", ec, "-outform", "DER"]);
      match(pemFromDer(ecDer, "private key"), /^-----BEGIN EC PRIVATE KEY-----\n/);
      equal(pemFromDer(ecDer, "private key"), text(await openssl(["ec", "-in", ec])));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("pemFromDer() refuses what is not one DER structure", () => {
  const bad = [
    new TextEncoder().encode("-----BEGIN CERTIFICATE-----\n"),
    new Uint8Array([]),
    new Uint8Array([0x30]),
    new Uint8Array([0x30, 0x05, 0x02, 0x01]), // shorter than it says
    new Uint8Array([0x30, 0x01, 0x00, 0x00]), // longer than it says
    new Uint8Array([0x30, 0x85, 1, 1, 1, 1, 1]), // a length of five bytes
  ];
  for (const der of bad) assert.throws(() => pemFromDer(der, "certificate"), SyntaxError);
});
