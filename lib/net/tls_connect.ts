/**
 * TLS for the HTTP client, loaded with `import()` only for `https://` URLs so that plain HTTP
 * starts without it.
 *
 * Deno's per-connection TLS options can add trusted roots (`caCerts`) and skip the host name check
 * (`unsafelyDisableHostnameVerification`), but cannot skip the chain check: that exists only as the
 * process-wide flag `--unsafely-ignore-certificate-errors`. So an unchecked connection goes through
 * `node:tls` with `rejectUnauthorized: false`, which Deno implements per connection.
 *
 * Extra roots (`caCerts`, wget's `--ca-certificate`) go through `node:tls` too, checked: Deno's own
 * verifier refuses a self-signed certificate that is itself the trusted root when it says it is a
 * CA (`openssl req -x509` makes such certificates; rustls reports `CaUsedAsEndEntity`), which
 * OpenSSL, GnuTLS, curl and GNU wget accept. The system's roots stay trusted beside them, unless
 * `systemRoots: false` (wget's `--ca-directory`) says to trust `caCerts` alone: node:tls too.
 *
 * Verification failures read as GNU wget's do ("self-signed certificate", "doesn't have a known
 * issuer", "name mismatch"), never as a TLS library's debug text.
 *
 * @module
 */

import type * as NodeTls from "node:tls";
import type * as NodeStream from "node:stream";
import type * as NodeNet from "node:net";
import type * as NodeCrypto from "node:crypto";
import { startDeadline } from "../internal/deadline.ts";
import { classifySocketError, SocketError } from "./socket_error.ts";
import { type ConnectStrategy, createClientSocket, reportingReached } from "./socket.ts";
import { TlsError } from "./tls_error.ts";
import { DEFAULT_CONNECT_TIMEOUT_MS } from "./timeouts.ts";
import { type Duplex, duplexFromStreams } from "../io/duplex.ts";
import { formatHostPort } from "./host_port.ts";
import {
  type CertificateProblems,
  certificateProblems,
  hasCertificateProblems,
} from "./certificate_problems.ts";

// Computed specifiers: a literal `import("node:tls")` puts node: modules in the graph Deno builds
// when any command starts, about 1 ms of wget's start-up even when no https URL is given.
const NODE_TLS = "node:tls";
const NODE_STREAM = "node:stream";
const NODE_NET = "node:net";
const NODE_CRYPTO = "node:crypto";

/** An HTTP proxy to reach the server through, with `CONNECT` (`https_proxy`). */
export interface TlsTunnel {
  /** The proxy's host. */
  host: string;
  /** The proxy's port. */
  port: number;
  /** Extra headers for the `CONNECT` request, e.g. `Proxy-Authorization`. */
  headers?: ReadonlyArray<readonly [string, string]>;
}

/** Options of {@linkcode connectTls}. */
export interface TlsConnectOptions {
  /** Extra trusted roots, PEM. */
  caCerts?: string[];
  /**
   * False to trust `caCerts` alone, not the system's roots beside them (GNU wget's set-up when
   * `--ca-directory` is given): with no `caCerts` then, no certificate is trusted.
   * @default {true}
   */
  systemRoots?: boolean | undefined;
  /** False to accept any certificate (`--no-check-certificate`). @default {true} */
  checkCertificate?: boolean;
  /**
   * Give up connecting after this many milliseconds: the TCP connection (name lookup included),
   * then the TLS handshake, each within it; `Infinity` for no timer of its own.
   * @default {10000} (`DEFAULT_CONNECT_TIMEOUT_MS`, as for `createClientSocket`)
   */
  connectTimeoutMs?: number | undefined;
  /**
   * The former name of `connectTimeoutMs`, still read when that is not given.
   * @deprecated Use `connectTimeoutMs`; `timeoutMs` names the deadline of a whole operation.
   */
  timeoutMs?: number | undefined;
  /** Abort the connect and the handshake from outside; rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Reach the server through this proxy's `CONNECT` tunnel. */
  tunnel?: TlsTunnel | undefined;
  /** A client certificate and its private key, PEM, for servers that ask for one. */
  clientCertificate?: { cert: string; key: string } | undefined;
  /** Choose the addresses to connect to: the server's, or the `tunnel` proxy's. */
  connectVia?: ConnectStrategy | undefined;
  /**
   * With `checkCertificate: false`: told what is wrong with a certificate accepted all the same
   * (GNU wget's `WARNING: The certificate of 'HOST' is not trusted.`), after the handshake.
   */
  onCertificateWarning?: ((problems: CertificateProblems) => void) | undefined;
}

/** Internal: a connection that only looks at the certificate (rejectUnauthorized false). */
const INSPECT = Symbol("inspect the certificate");

/**
 * Opens a TLS connection to `host:port`, handshake done, SNI set to `host` when it is a name,
 * TCP_NODELAY set (small records go out at once).
 */
export async function connectTls(
  host: string,
  port: number,
  options: TlsConnectOptions = {},
): Promise<Duplex> {
  // The address a `connectVia` strategy connected to, for a node:tls retry to go straight back
  // to it (without trying, or reporting, the others again).
  let reached: string | undefined;
  const via = options.connectVia;
  const recording = via && reportingReached(via, (address) => (reached = address));
  const direct = (): ConnectStrategy | undefined => {
    const again = reached;
    return again === undefined ? via : (_name, _port, connectTo) => connectTo(again);
  };
  try {
    return await connectChecked(host, port, { ...options, connectVia: recording }, direct);
  } catch (error) {
    if (!(error instanceof TlsError) || !error.verification || error.problems) throw error;
    // What is wrong, all of it (rustls and OpenSSL name one failure): a second handshake that
    // only looks at the certificate, on the same address.
    let problems: CertificateProblems | undefined;
    try {
      const probe = await connectWithNodeTls(host, port, {
        ...options,
        connectVia: direct(),
        [INSPECT]: (found: CertificateProblems) => (problems = found),
      } as TlsConnectOptions);
      probe.close();
    } catch {
      // The probe failed: the first error stands.
    }
    if (problems === undefined || !hasCertificateProblems(problems)) throw error;
    throw new TlsError(error.message, true, { cause: error.cause, problems });
  }
}

/** {@linkcode connectTls} but for the account of a failed verification. */
async function connectChecked(
  host: string,
  port: number,
  options: TlsConnectOptions,
  direct: () => ConnectStrategy | undefined,
): Promise<Duplex> {
  const where = formatHostPort(host, port);
  if (
    options.checkCertificate === false || options.tunnel || options.clientCertificate ||
    options.systemRoots === false || (options.caCerts?.length && NODE_VERIFIED.has(where))
  ) {
    return await connectWithNodeTls(host, port, options);
  }
  try {
    return await connectWithDenoTls(host, port, options);
  } catch (error) {
    // rustls refuses a self-signed certificate that is its own trusted root when it is marked
    // as a CA; node:tls (like OpenSSL and GnuTLS) takes it. Only then, and from then on for this
    // server, the handshake goes through node:tls, which costs more to load and to run.
    const ca = options.caCerts?.length;
    if (!ca || !(error instanceof TlsError) || !/CaUsedAsEndEntity/.test(causeText(error))) {
      throw error;
    }
    NODE_VERIFIED.add(where);
    return await connectWithNodeTls(host, port, { ...options, connectVia: direct() });
  }
}

/** The connect deadline of `options`: `connectTimeoutMs`, else the former `timeoutMs`. */
function connectTimeoutOf(options: TlsConnectOptions): number {
  return options.connectTimeoutMs ?? options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
}

/** Servers whose certificate only node:tls accepts (see {@linkcode connectTls}). */
const NODE_VERIFIED = new Set<string>();

function causeText(error: Error): string {
  return error.cause instanceof Error ? error.cause.message : String(error.cause);
}

async function connectWithDenoTls(
  host: string,
  port: number,
  options: TlsConnectOptions,
): Promise<Duplex> {
  const tcp = options.connectVia
    ? await options.connectVia(host, port, (address) => createClientSocket(address, port, options))
    : await createClientSocket(host, port, options);
  // Without TCP_NODELAY the handshake's small records wait on Nagle's algorithm and the peer's
  // delayed ACK, about 40 ms per connection. The option stays on the socket under TLS.
  tcp.setNoDelay(true);
  let conn: Deno.TlsConn | undefined;
  const stop = () => {
    try {
      (conn ?? tcp).close();
    } catch {
      // Closed already.
    }
  };
  const deadline = startDeadline(connectTimeoutOf(options), stop);
  // The signal stops the handshake too, not only the TCP connect.
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    options.signal?.throwIfAborted();
    const tlsOptions: Deno.StartTlsOptions = { hostname: host };
    if (options.caCerts !== undefined) tlsOptions.caCerts = options.caCerts;
    conn = await Deno.startTls(tcp, tlsOptions);
    await conn.handshake();
    return conn;
  } catch (error) {
    stop();
    options.signal?.throwIfAborted();
    if (deadline.passed) {
      throw new SocketError({ step: "connect", host, port, failure: "timed-out", cause: error });
    }
    throw tlsError(host, port, error);
  } finally {
    deadline.cancel();
    options.signal?.removeEventListener("abort", stop);
  }
}

/** rustls's names for certificate failures (`invalid peer certificate: UnknownIssuer`), in words. */
const RUSTLS_REASONS: [RegExp, string][] = [
  [/CaUsedAsEndEntity|SelfSigned/i, "self-signed certificate"],
  [/UnknownIssuer|UnknownRevocationStatus/i, "the certificate doesn't have a known issuer"],
  [/NotValidForName/i, "name mismatch: the certificate is not valid for the host name"],
  [/Expired/i, "the certificate has expired"],
  [/NotValidYet/i, "the certificate is not valid yet"],
  [/Revoked/i, "the certificate has been revoked"],
  [/BadSignature|UnsupportedSignatureAlgorithm/i, "the certificate's signature is invalid"],
];

/** OpenSSL's verification codes, as `node:tls` reports them, in words. */
const NODE_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed certificate in the chain",
  UNABLE_TO_GET_ISSUER_CERT: "the certificate doesn't have a known issuer",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the certificate doesn't have a known issuer",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the certificate doesn't have a known issuer",
  ERR_TLS_CERT_ALTNAME_INVALID: "name mismatch: the certificate is not valid for the host name",
  CERT_HAS_EXPIRED: "the certificate has expired",
  CERT_NOT_YET_VALID: "the certificate is not valid yet",
  CERT_REVOKED: "the certificate has been revoked",
  CERT_SIGNATURE_FAILURE: "the certificate's signature is invalid",
};

function verificationError(host: string, port: number, reason: string, cause: unknown): TlsError {
  return new TlsError(
    `Cannot verify the certificate of "${formatHostPort(host, port)}": ${reason}`,
    true,
    { cause },
  );
}

function tlsError(host: string, port: number, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/certificate/i.test(message)) {
    const known = RUSTLS_REASONS.find(([pattern]) => pattern.test(message));
    return verificationError(host, port, known?.[1] ?? "invalid certificate", error);
  }
  return handshakeError(host, port, error);
}

/**
 * A handshake that failed for another reason than the certificate: a peer that closed, reset or
 * spoke something else (`https://` to a plain HTTP port) is a network failure, as GNU wget's
 * "Unable to establish SSL connection".
 */
function handshakeError(host: string, port: number, error: unknown): Error {
  const failure = classifySocketError(error);
  if (failure !== "other") {
    return new SocketError({ step: "connect", host, port, failure, cause: error });
  }
  return new TlsError(
    `Unable to establish a TLS connection with "${formatHostPort(host, port)}"`,
    false,
    { cause: error },
  );
}

async function connectWithNodeTls(
  host: string,
  port: number,
  options: TlsConnectOptions,
): Promise<Duplex> {
  const tls: typeof NodeTls = await import(NODE_TLS);
  const { Duplex: NodeDuplex }: typeof NodeStream = await import(NODE_STREAM);
  const isAddress = /^[0-9.]+$/.test(host) || host.includes(":");
  const inspect = (options as { [INSPECT]?: (problems: CertificateProblems) => void })[INSPECT];
  const verify = options.checkCertificate !== false && inspect === undefined;
  // Who is told what is wrong with the certificate, and node:crypto to look at it with.
  const tell = inspect ?? (verify ? undefined : options.onCertificateWarning);
  const crypto: typeof NodeCrypto | undefined = tell ? await import(NODE_CRYPTO) : undefined;
  const socket = options.tunnel
    ? await openTunnel(host, port, options.tunnel, options)
    : options.connectVia
    ? await options.connectVia(host, port, (address) => openNodeSocket(address, port, options))
    : undefined;
  // node:tls's `ca` replaces the system roots; GNU wget's --ca-certificate adds to them (also
  // unchecked: what is wrong is still told), unless told to trust the given roots alone.
  const ca = options.systemRoots === false
    ? options.caCerts ?? []
    : options.caCerts?.length
    ? [...tls.rootCertificates, ...options.caCerts]
    : undefined;
  const tlsSocket = tls.connect({
    // With a tunnel, `host` still names the server for the certificate's name check.
    ...(socket ? { socket, host } : { host, port }),
    rejectUnauthorized: verify,
    ...(isAddress ? {} : { servername: host }),
    ...(ca ? { ca } : {}),
    ...(options.clientCertificate ?? {}),
  });
  tlsSocket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    const deadline = startDeadline(connectTimeoutOf(options), () => {
      options.signal?.removeEventListener("abort", onAbort);
      tlsSocket.destroy();
      reject(new SocketError({ step: "connect", host, port, failure: "timed-out" }));
    });
    const onAbort = () => {
      deadline.cancel();
      tlsSocket.destroy();
      reject(options.signal?.reason);
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    tlsSocket.once("secureConnect", () => {
      deadline.cancel();
      options.signal?.removeEventListener("abort", onAbort);
      if (tell && crypto) {
        const problems = inspectCertificate(tls, crypto, tlsSocket, host, ca);
        if (problems && (inspect || hasCertificateProblems(problems))) tell(problems);
      }
      resolve();
    });
    tlsSocket.once("error", (error: Error & { code?: string }) => {
      deadline.cancel();
      options.signal?.removeEventListener("abort", onAbort);
      tlsSocket.destroy();
      const reason = error.code === undefined ? undefined : NODE_REASONS[error.code];
      if (reason !== undefined) return reject(verificationError(host, port, reason, error));
      const failure = error.code === "ECONNREFUSED"
        ? "refused"
        : error.code === "ECONNRESET"
        ? "reset"
        : classifySocketError(error);
      reject(
        failure === "other"
          ? handshakeError(host, port, error)
          : new SocketError({ step: "connect", host, port, failure, cause: error }),
      );
    });
  });
  // An alert after the handshake (TLS 1.3 servers refuse a client certificate then) closes the
  // web streams, whose own error says only "The stream is closing or is closed": the alert is
  // what a read or write that fails reports instead.
  let alert: Error | undefined;
  tlsSocket.on("error", (error: Error & { code?: string }) => (alert ??= alertError(error)));
  const { readable, writable } = NodeDuplex.toWeb(tlsSocket);
  const duplex = duplexFromStreams(
    readable as ReadableStream<Uint8Array>,
    writable as WritableStream<Uint8Array>,
  );
  let closedBySocket = false;
  const closed = new Promise<void>((resolve) =>
    tlsSocket.once("close", () => {
      closedBySocket = true;
      resolve();
    })
  );
  const explain = async (error: unknown): Promise<never> => {
    // The streams may close a moment before the alert's error event: wait for the socket's
    // close (which comes after it), a second at most.
    if (!alert) {
      const wait = startDeadline(1000);
      await Promise.race([closed, wait.expired]);
      wait.cancel();
    }
    if (alert) throw alert;
    // Closed under the stream without an alert to show (the runtime may drop it): say so in
    // words, not with the web stream's "The stream is closing or is closed".
    if (closedBySocket && error instanceof TypeError) {
      const hint = options.clientCertificate ? " (did it refuse the client certificate?)" : "";
      throw new Error(`the server closed the TLS session${hint}`, { cause: error });
    }
    throw error;
  };
  return {
    read: (p) => duplex.read(p).catch(explain),
    write: (p) => duplex.write(p).catch(explain),
    close: () => {
      duplex.close();
      tlsSocket.destroy();
    },
  };
}

/**
 * What is wrong with the certificate of a connection made without `rejectUnauthorized` (GNU
 * wget's GnuTLS terms); undefined when the peer showed none.
 */
function inspectCertificate(
  tls: typeof NodeTls,
  crypto: typeof NodeCrypto,
  socket: NodeTls.TLSSocket,
  host: string,
  ca: string[] | undefined,
): CertificateProblems | undefined {
  const peer = socket.getPeerCertificate(true);
  if (!peer || !peer.raw) return undefined;
  const verifyError = socket.authorized ? undefined : String(socket.authorizationError ?? "");
  return certificateProblems(host, {
    verifyError: verifyError || undefined,
    validFrom: peer.valid_from,
    validTo: peer.valid_to,
    nameMismatch: tls.checkServerIdentity(host, peer) !== undefined,
    issuerKnown: () => issuedByRoot(crypto, peer, ca ?? tls.rootCertificates),
  });
}

/** The chain `peer` heads ends at one of `roots` (PEM): issued and signed by it, or it itself. */
function issuedByRoot(
  crypto: typeof NodeCrypto,
  peer: NodeTls.DetailedPeerCertificate,
  roots: readonly string[],
): boolean {
  let top = peer;
  for (
    let depth = 0;
    depth < 10 && top.issuerCertificate && top.issuerCertificate !== top;
    depth++
  ) {
    top = top.issuerCertificate;
  }
  const { X509Certificate } = crypto;
  const last = new X509Certificate(top.raw);
  return roots.some((pem) => {
    try {
      const root = new X509Certificate(pem);
      return root.fingerprint256 === last.fingerprint256 ||
        (last.checkIssued(root) && last.verify(root.publicKey));
    } catch {
      return false;
    }
  });
}

/**
 * A TLS alert from the peer in words: OpenSSL's code `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`
 * becomes "the server sent the TLS alert "certificate required"", and the client certificate is
 * named when the alert is about it.
 */
function alertError(error: Error & { code?: string }): Error {
  const match = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)$/.exec(error.code ?? "");
  if (!match) return error;
  const name = match[1]!.toLowerCase().replace(/_/g, " ");
  const about = /certificate|unknown ca|access denied/.test(name)
    ? " (it wants a client certificate it trusts)"
    : "";
  return new Error(`the server sent the TLS alert "${name}"${about}`, { cause: error });
}

/** A connected `node:net` socket to `address:port`, for a TLS session over it. */
async function openNodeSocket(
  address: string,
  port: number,
  options: TlsConnectOptions,
): Promise<NodeNet.Socket> {
  const net: typeof NodeNet = await import(NODE_NET);
  const socket = net.connect({ host: address, port });
  return await new Promise<NodeNet.Socket>((resolve, reject) => {
    const fail = (error: SocketError | unknown) => {
      deadline.cancel();
      options.signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      reject(error);
    };
    const deadline = startDeadline(connectTimeoutOf(options), () => {
      fail(new SocketError({ step: "connect", host: address, port, failure: "timed-out" }));
    });
    const onAbort = () => fail(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("error", (error: Error & { code?: string }) => {
      const failure = error.code === "ECONNREFUSED" ? "refused" : classifySocketError(error);
      fail(new SocketError({ step: "connect", host: address, port, failure, cause: error }));
    });
    socket.once("connect", () => {
      deadline.cancel();
      options.signal?.removeEventListener("abort", onAbort);
      resolve(socket);
    });
  });
}

/**
 * Opens a TCP connection to the proxy and asks it with `CONNECT` for a tunnel to `host:port`.
 * @throws {SocketError} when the proxy cannot be reached; {TlsError} (not a verification
 * failure) when it refuses the tunnel, as GNU wget's "Proxy tunneling failed".
 */
async function openTunnel(
  host: string,
  port: number,
  tunnel: TlsTunnel,
  options: TlsConnectOptions,
): Promise<NodeNet.Socket> {
  const net: typeof NodeNet = await import(NODE_NET);
  const authority = formatHostPort(host, port);
  // With a `connectVia` strategy the proxy's addresses are its to choose (and connected here).
  const via = options.connectVia;
  const socket = via
    ? await via(
      tunnel.host,
      tunnel.port,
      (address) => openNodeSocket(address, tunnel.port, options),
    )
    : net.connect({ host: tunnel.host, port: tunnel.port });
  socket.setNoDelay(true);
  const fail = (error: Error) => {
    socket.destroy();
    return error;
  };
  return await new Promise<NodeNet.Socket>((resolve, reject) => {
    let head = "";
    const deadline = startDeadline(connectTimeoutOf(options), () => {
      reject(
        fail(
          new SocketError({
            step: "connect",
            host: tunnel.host,
            port: tunnel.port,
            failure: "timed-out",
          }),
        ),
      );
    });
    const onData = (chunk: Uint8Array) => {
      head += new TextDecoder("latin1").decode(chunk);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) {
        if (head.length > 16 * 1024) {
          deadline.cancel();
          reject(fail(tunnelError(authority, "an endless response", undefined)));
        }
        return;
      }
      deadline.cancel();
      socket.off("data", onData);
      socket.pause();
      const statusLine = head.slice(0, head.indexOf("\r\n"));
      const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
      if (!match || match[1] !== "200" || end + 4 !== head.length) {
        return reject(fail(tunnelError(authority, statusLine, undefined)));
      }
      resolve(socket);
    };
    socket.on("data", onData);
    socket.once("error", (error: Error & { code?: string }) => {
      deadline.cancel();
      const failure = error.code === "ECONNREFUSED" ? "refused" : classifySocketError(error);
      reject(
        fail(
          new SocketError({
            step: "connect",
            host: tunnel.host,
            port: tunnel.port,
            failure,
            cause: error,
          }),
        ),
      );
    });
    socket.once("end", () => {
      deadline.cancel();
      reject(fail(tunnelError(authority, "the proxy closed the connection", undefined)));
    });
    const ask = () => {
      let request = `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n`;
      for (const [name, value] of tunnel.headers ?? []) {
        if (/[\r\n]/.test(name + value)) continue;
        request += `${name}: ${value}\r\n`;
      }
      socket.write(request + "\r\n");
    };
    if (via) ask();
    else socket.once("connect", ask);
  });
}

function tunnelError(authority: string, answer: string, cause: unknown): TlsError {
  return new TlsError(
    `Proxy tunnelling to "${authority}" failed: ${answer.replace(/^HTTP\/1\.[01] /, "")}`,
    false,
    { cause },
  );
}
