/**
 * A real nginx on loopback for the wget tests and benchmark: a temporary config with everything
 * (pid, logs, temp paths) inside the given directory, `daemon off;`, a free port on 127.0.0.1 and
 * [::1], and optionally HTTPS with a certificate made by openssl.
 *
 * @module
 */

import { holdFreePort, type PeerProcess, retryPeerStart, startPeer } from "./peers.ts";

/** A running nginx. */
export interface Nginx extends AsyncDisposable {
  /** The HTTP port, on 127.0.0.1 and [::1]. */
  port: number;
  /** The HTTPS port on 127.0.0.1, when asked for. */
  tlsPort?: number | undefined;
  /** The port of the second server (`NginxOptions.second`) on its address, when asked for. */
  secondPort?: number | undefined;
  /** The document root. */
  root: string;
}

/** Options of {@linkcode startNginx}. */
export interface NginxOptions {
  /**
   * Extra directives inside the HTTP `server` block; a function of the ports chosen when they
   * name them (a redirect to the HTTPS port).
   */
  serverConfig?:
    | string
    | ((
      ports: { port: number; tlsPort?: number | undefined; secondPort?: number | undefined },
    ) => string)
    | undefined;
  /** Extra directives in the `http` block, before the servers (a `log_format`). */
  httpConfig?: string;
  /** Serve HTTPS too, with this certificate and key (PEM files). */
  tls?: { cert: string; key: string };
  /** Extra directives inside the HTTPS `server` block (with `tls`). */
  tlsServerConfig?: string;
  /**
   * A second HTTP server, on another loopback address (`127.0.0.2`: another host to wget) and a
   * free port of its own, serving `dir/second` with `serverConfig`.
   */
  second?: { address: string; serverConfig?: string };
}

/** Starts nginx serving `dir/www` (created), everything else under `dir`. */
export async function startNginx(dir: string, options: NginxOptions = {}): Promise<Nginx> {
  const root = `${dir}/www`;
  await Deno.mkdir(root, { recursive: true });
  if (options.second) await Deno.mkdir(`${dir}/second`, { recursive: true });
  // nginx's workers drop root's rights: let them into the (0700) temporary directory.
  await Deno.chmod(dir, 0o755);
  // Ports afresh on each try, held until nginx listens (holdFreePort): one taken all the same
  // makes nginx end, or is seen to be another process's, and it starts again (startPeer).
  return await retryPeerStart(async () => {
    using held = holdFreePort();
    using heldTls = options.tls ? holdFreePort() : undefined;
    const second = options.second;
    using heldSecond = second ? holdFreePort(second.address) : undefined;
    const port = held.port;
    const tlsPort = heldTls?.port;
    const secondPort = heldSecond?.port;
    const temp = (name: string) => `${name}_temp_path ${dir}/${name}_temp;`;
    const tlsServer = options.tls
      ? `server {
        listen 127.0.0.1:${tlsPort} ssl;
        ssl_certificate ${options.tls.cert};
        ssl_certificate_key ${options.tls.key};
        root ${root};
        ${options.tlsServerConfig ?? ""}
      }`
      : "";
    const secondServer = second
      ? `server {
        listen ${second.address}:${secondPort};
        root ${dir}/second;
        ${second.serverConfig ?? ""}
      }`
      : "";
    const config = `daemon off;
  worker_processes 1;
  pid ${dir}/nginx.pid;
  error_log ${dir}/error.log;
  events { worker_connections 128; }
  http {
    access_log off;
    ${["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(temp).join("\n  ")}
    types { text/html html; text/plain txt; }
    default_type application/octet-stream;
    sendfile on;
    ${options.httpConfig ?? ""}
    server {
      listen 127.0.0.1:${port};
      listen [::1]:${port};
      root ${root};
      ${
      typeof options.serverConfig === "function"
        ? options.serverConfig({ port, tlsPort, secondPort })
        : options.serverConfig ?? ""
    }
    }
    ${tlsServer}
    ${secondServer}
  }
  `;
    await Deno.writeTextFile(`${dir}/nginx.conf`, config);
    // Every address it listens on is its own: nginx holding [::1]:PORT while another process
    // holds 127.0.0.1:PORT (nginx retries a failed bind for 2.5 s before it ends) is not ready.
    const endpoints = [
      { hostname: "127.0.0.1", port },
      { hostname: "::1", port },
      ...(tlsPort === undefined ? [] : [{ hostname: "127.0.0.1", port: tlsPort }]),
      ...(second && secondPort !== undefined
        ? [{ hostname: second.address, port: secondPort }]
        : []),
    ];
    const peer: PeerProcess = await startPeer(
      ["nginx", "-p", dir, "-e", `${dir}/error.log`, "-c", `${dir}/nginx.conf`],
      endpoints,
    );
    return {
      port,
      tlsPort,
      secondPort,
      root,
      [Symbol.asyncDispose]: () => peer[Symbol.asyncDispose](),
    };
  });
}

/**
 * Makes a self-signed certificate with openssl, for 127.0.0.1 and localhost unless `names` (an
 * openssl subjectAltName value) says otherwise; returns the paths. With `ca`, the command of
 * wget's issue exactly (`-subj /CN=localhost`, openssl's default extensions): a certificate that
 * is a CA too, which rustls refuses as its own trusted root and GNU wget accepts. With `asOf` (a
 * date libfaketime's `faketime` takes, `2020-01-01`), made as of that day and valid two days from
 * it: expired now.
 */
export async function makeCertificate(
  dir: string,
  names = "IP:127.0.0.1,DNS:localhost",
  prefix = "",
  options: { ca?: boolean; asOf?: string } = {},
): Promise<{ cert: string; key: string }> {
  const cert = `${dir}/${prefix}cert.pem`;
  const key = `${dir}/${prefix}key.pem`;
  const { success, stderr } = await new Deno.Command(options.asOf ? "faketime" : "openssl", {
    args: [
      ...(options.asOf ? [options.asOf, "openssl"] : []),
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "2",
      "-subj",
      options.ca ? "/CN=localhost" : `/CN=${names.replace(/^[A-Z]+:/, "").split(",")[0]}`,
      "-addext",
      `subjectAltName=${names}`,
      ...(options.ca ? [] : ["-addext", "basicConstraints=critical,CA:FALSE"]),
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) throw new Error(`openssl failed: ${new TextDecoder().decode(stderr)}`);
  return { cert, key };
}

/** A TLS listener on 127.0.0.1 (a free port) with the certificate and key files `makeCertificate` made. */
export async function listenTlsOnLoopback(files: { cert: string; key: string }): Promise<
  Deno.TlsListener
> {
  return Deno.listenTls({
    hostname: "127.0.0.1",
    port: 0,
    cert: await Deno.readTextFile(files.cert),
    key: await Deno.readTextFile(files.key),
  });
}

/** Writes `size` bytes of a repeated pseudo-random 1 MiB block to `path`, quickly. */
export async function writeBigFile(path: string, size: number, seed = 1): Promise<void> {
  const block = new Uint8Array(1024 * 1024);
  let x = seed >>> 0 || 1;
  const words = new Uint32Array(block.buffer);
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  let left = size;
  while (left > 0) {
    const n = Math.min(left, block.length);
    let offset = 0;
    while (offset < n) offset += await file.write(block.subarray(offset, n));
    left -= n;
  }
}

/** The sha256 of a file, hex, computed by `sha256sum` (no need to hold the file in memory). */
export async function sha256File(path: string): Promise<string> {
  const { stdout, success } = await new Deno.Command("sha256sum", { args: [path], stdout: "piped" })
    .output();
  if (!success) throw new Error(`sha256sum failed on "${path}"`);
  const [hash = ""] = new TextDecoder().decode(stdout).split(" ");
  return hash;
}
