/**
 * The files named by wget's TLS options (--ca-certificate, --ca-directory, --certificate,
 * --private-key, and .wgetrc's ca_certificate): GNU wget (GnuTLS's ssl_init) reads them when it
 * sets up its first HTTPS connection, once a run, so a plain-HTTP run never opens them, and one
 * that cannot be read is an ERROR line and the run goes on. netkit's wget beside GNU's on
 * loopback servers: exit codes, files left, and those lines.
 */

import { deepEqual, equal } from "node:assert/strict";
import { peerTest, tempDir } from "../harness/peers.ts";
import { assertSame, type Outcome, sideBySide } from "../harness/wget_side_by_side.ts";
import { makeCertificate } from "../harness/nginx.ts";
import { etcNamespaceUnavailable } from "../harness/etc_namespace.ts";

/** The lines of the TLS files' set-up, in the order said. */
function tlsLines(outcome: Outcome): string[] {
  return outcome.stderr.split("\n").filter((line) =>
    /^(ERROR: Failed to open cert|ERROR: Cannot open directory|Loaded CA certificate|ERROR: GnuTLS)|and its key are not/
      .test(line)
  );
}

peerTest(
  "wget reads the TLS options' files at the first HTTPS connection, as GNU wget: a plain-HTTP run never opens them, a missing CA file is GNU's ERROR line and exit 5 for HTTPS only",
  ["wget", "openssl"],
  async () => {
    await using dir = await tempDir();
    const good = await makeCertificate(dir.path, "DNS:localhost,IP:127.0.0.1", "good-", {
      ca: true,
    });
    const der = `${dir.path}/good.der`;
    await new Deno.Command("openssl", {
      args: ["x509", "-in", good.cert, "-outform", "DER", "-out", der],
    }).output();
    const missing = `${dir.path}/missing.pem`;
    const notPem = `${dir.path}/not-a-certificate.txt`;
    await Deno.writeTextFile(notPem, "not a certificate\n");
    const noDir = `${dir.path}/no-such-directory`;
    const page = (path: string): Response =>
      path === "/a.txt" || path === "/b.txt"
        ? new Response(`${path}\n`)
        : new Response("not found\n", { status: 404 });
    await using secure = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      cert: await Deno.readTextFile(good.cert),
      key: await Deno.readTextFile(good.key),
      onListen: () => {},
    }, (request) => page(new URL(request.url).pathname));
    const https = `https://127.0.0.1:${secure.addr.port}`;
    await using plain = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (
      request,
    ) => {
      const path = new URL(request.url).pathname;
      if (path !== "/index.html") return page(path);
      const html = `<a href="${https}/a.txt">a</a> <a href="b.txt">b</a>\n`;
      return new Response(html, { headers: { "content-type": "text/html" } });
    });
    const http = `http://127.0.0.1:${plain.addr.port}`;
    const wgetrc = `${dir.path}/wgetrc`;
    await Deno.writeTextFile(wgetrc, `ca_certificate = ${missing}\n`);
    // No .wgetrc of the user's for the other cases (GNU wget refuses WGETRC=/dev/null).
    const noWgetrc = `${dir.path}/empty-wgetrc`;
    await Deno.writeTextFile(noWgetrc, "");

    const cases: { args: string[]; env?: Record<string, string>; code: number; lines: string[] }[] =
      [
        // Plain HTTP: the files are never opened (netkit said exit 3 here).
        { args: [`--ca-certificate=${missing}`, `${http}/a.txt`], code: 0, lines: [] },
        { args: [`--certificate=${missing}`, `${http}/a.txt`], code: 0, lines: [] },
        {
          args: [`--certificate=${good.cert}`, `--private-key=${missing}`, `${http}/a.txt`],
          code: 0,
          lines: [],
        },
        { args: [`--ca-directory=${noDir}`, `${http}/a.txt`], code: 0, lines: [] },
        { args: [`${http}/a.txt`], env: { WGETRC: wgetrc }, code: 0, lines: [] },
        // HTTPS: GNU's line, the server not trusted (exit 5), the next URL fetched all the same.
        {
          args: [`--ca-certificate=${missing}`, `${https}/a.txt`, `${http}/b.txt`],
          code: 5,
          lines: [`ERROR: Failed to open cert ${missing}: (-64).`],
        },
        {
          args: [`${https}/a.txt`, `${https}/b.txt`],
          env: { WGETRC: wgetrc },
          code: 5,
          lines: [`ERROR: Failed to open cert ${missing}: (-64).`],
        },
        // -r over HTTP linking to HTTPS: the line once, at the first HTTPS request.
        {
          args: ["-r", "-H", "-nd", `--ca-certificate=${missing}`, `${http}/index.html`],
          code: 5,
          lines: [`ERROR: Failed to open cert ${missing}: (-64).`],
        },
        // A file without a PEM certificate: GnuTLS's count of them, 0.
        {
          args: [`--ca-certificate=${der}`, `${https}/a.txt`],
          code: 5,
          lines: [`ERROR: Failed to open cert ${der}: (0).`],
        },
        // A client certificate or key that cannot be read: not sent, unsaid.
        {
          args: [`--ca-certificate=${good.cert}`, `--certificate=${missing}`, `${https}/a.txt`],
          code: 0,
          lines: [`Loaded CA certificate '${good.cert}'`],
        },
        {
          args: [
            `--ca-certificate=${good.cert}`,
            `--certificate=${good.cert}`,
            `--private-key=${missing}`,
            `${https}/a.txt`,
          ],
          code: 0,
          lines: [`Loaded CA certificate '${good.cert}'`],
        },
        // A key file alone, without its certificate: none sent, unsaid.
        {
          args: [`--ca-certificate=${good.cert}`, `--private-key=${good.key}`, `${https}/a.txt`],
          code: 0,
          lines: [`Loaded CA certificate '${good.cert}'`],
        },
        // Types that differ: GNU's line (netkit said its own), the files read as the key's type.
        {
          args: [
            `--ca-certificate=${good.cert}`,
            `--certificate=${good.cert}`,
            "--certificate-type=DER",
            `--private-key=${good.key}`,
            `${https}/a.txt`,
          ],
          code: 0,
          lines: [
            `Loaded CA certificate '${good.cert}'`,
            "ERROR: GnuTLS requires the key and the cert to be of the same type.",
          ],
        },
        // A client certificate file that is not of its type (text for PEM, text for DER): not
        // sent, unsaid (netkit said its own line).
        {
          args: [`--ca-certificate=${good.cert}`, `--certificate=${notPem}`, `${https}/a.txt`],
          code: 0,
          lines: [`Loaded CA certificate '${good.cert}'`],
        },
        {
          args: [
            `--ca-certificate=${good.cert}`,
            `--certificate=${notPem}`,
            "--certificate-type=DER",
            `${https}/a.txt`,
          ],
          code: 0,
          lines: [`Loaded CA certificate '${good.cert}'`],
        },
        // A CA directory that is not there: said, and the CA file read all the same.
        {
          args: [`--ca-directory=${noDir}`, `--ca-certificate=${good.cert}`, `${https}/a.txt`],
          code: 0,
          lines: [`ERROR: Cannot open directory ${noDir}.`, `Loaded CA certificate '${good.cert}'`],
        },
        // -q: nothing said.
        { args: ["-q", `--ca-certificate=${missing}`, `${https}/a.txt`], code: 5, lines: [] },
      ];
    for (const { args, env, code, lines } of cases) {
      const what = [...Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`), ...args].join(" ");
      const outcome = await sideBySide(dir.path, undefined, {
        args: ["-t", "1", "-T", "20", ...args],
        env: { WGETRC: noWgetrc, ...env },
      });
      assertSame(outcome, what);
      equal(outcome.gnu.code, code, `${what}: GNU's exit code\n${outcome.gnu.stderr}`);
      deepEqual(tlsLines(outcome.gnu), lines, `${what}: GNU's lines\n${outcome.gnu.stderr}`);
      deepEqual(
        tlsLines(outcome.netkit),
        lines,
        `${what}: netkit's lines\n${outcome.netkit.stderr}`,
      );
      if (args[0] === "-q") equal(outcome.netkit.stderr, outcome.gnu.stderr, what);
    }
  },
);

/** The system's bundle of trusted roots, which GnuTLS's system trust (GNU wget's) reads. */
const SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

const NAMESPACE = etcNamespaceUnavailable(["openssl", "wget"]) ?? bundleMissing();

/** Why the system's bundle cannot be stood in for (it is not there), or undefined. */
function bundleMissing(): string | undefined {
  try {
    return Deno.statSync(SYSTEM_BUNDLE).isFile ? undefined : `${SYSTEM_BUNDLE} is not a file`;
  } catch (error) {
    return `no ${SYSTEM_BUNDLE}: ${error}`;
  }
}

Deno.test({
  name:
    "wget --ca-directory trusts its certificates (and --ca-certificate's) alone, not the system roots beside them, as GNU wget: a server whose CA is a system root only is refused" +
    (NAMESPACE ? ` (ignored: ${NAMESPACE})` : ""),
  ignore: NAMESPACE !== undefined,
  async fn() {
    await using dir = await tempDir();
    // A CA and a server certificate it signs (rustls takes such a root, unlike a self-signed
    // server certificate that is a CA too).
    const openssl = async (args: string[]) => {
      const { success, stderr } = await new Deno.Command("openssl", {
        args,
        stdout: "null",
        stderr: "piped",
      })
        .output();
      if (!success) throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(stderr)}`);
    };
    const d = dir.path;
    await openssl([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${d}/ca.key`,
      "-out",
      `${d}/ca.pem`,
      "-days",
      "2",
      "-subj",
      "/CN=netkit test CA",
    ]);
    await openssl([
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${d}/server.key`,
      "-out",
      `${d}/server.csr`,
      "-subj",
      "/CN=localhost",
    ]);
    await Deno.writeTextFile(
      `${d}/ext`,
      "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n",
    );
    await openssl([
      "x509",
      "-req",
      "-in",
      `${d}/server.csr`,
      "-CA",
      `${d}/ca.pem`,
      "-CAkey",
      `${d}/ca.key`,
      "-CAcreateserial",
      "-out",
      `${d}/server.pem`,
      "-days",
      "2",
      "-extfile",
      `${d}/ext`,
    ]);
    await using server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      cert: await Deno.readTextFile(`${d}/server.pem`),
      key: await Deno.readTextFile(`${d}/server.key`),
      onListen: () => {},
    }, () => new Response("a\n"));
    const url = `https://127.0.0.1:${server.addr.port}/a.txt`;
    // The system's bundle and the test CA, in the place of the system's bundle, in a mount
    // namespace of the run's own: the system is left as it is. netkit (Deno) is told to take the
    // system's roots (DENO_TLS_CA_STORE=system) rather than its own copy of Mozilla's.
    const bundle = `${d}/bundle.crt`;
    await Deno.writeTextFile(
      bundle,
      (await Deno.readTextFile(SYSTEM_BUNDLE)) + (await Deno.readTextFile(`${d}/ca.pem`)),
    );
    const wrapper = [
      "unshare",
      "-m",
      "sh",
      "-c",
      `mount --bind "$0" ${SYSTEM_BUNDLE} && exec "$@"`,
      bundle,
    ];
    await Deno.mkdir(`${d}/empty`);
    await Deno.mkdir(`${d}/cas`);
    await Deno.copyFile(`${d}/ca.pem`, `${d}/cas/ca.pem`);
    const rc = `${d}/rc`;
    await Deno.writeTextFile(rc, `ca_directory = ${d}/empty\n`);
    const noWgetrc = `${d}/empty-wgetrc`;
    await Deno.writeTextFile(noWgetrc, "");
    const cases: { args: string[]; env?: Record<string, string>; code: number }[] = [
      // The CA is a system root: trusted.
      { args: [], code: 0 },
      // A directory without it, or none (empty): the system's roots are not read, refused.
      { args: [`--ca-directory=${d}/empty`], code: 5 },
      { args: ["--ca-directory="], code: 5 },
      { args: [], env: { WGETRC: rc }, code: 5 },
      // The directory or the CA file vouch for it.
      { args: [`--ca-directory=${d}/cas`], code: 0 },
      { args: [`--ca-directory=${d}/empty`, `--ca-certificate=${d}/ca.pem`], code: 0 },
    ];
    for (const { args, env, code } of cases) {
      const what = [...Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`), ...args].join(" ");
      const outcome = await sideBySide(d, undefined, {
        args: ["-t", "1", "-T", "20", ...args, url],
        env: { WGETRC: noWgetrc, DENO_TLS_CA_STORE: "system", ...env },
        wrapper,
      });
      assertSame(outcome, what);
      equal(outcome.gnu.code, code, `${what}: GNU's exit code\n${outcome.gnu.stderr}`);
      if (code === 5) {
        const refusal = (stderr: string) =>
          stderr.split("\n").filter((line) => line.startsWith("ERROR: The certificate"));
        deepEqual(refusal(outcome.netkit.stderr), refusal(outcome.gnu.stderr), what);
      }
    }
  },
});
