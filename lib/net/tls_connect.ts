/**
 * TLS for the HTTP client, loaded with `import()` only for `https://` URLs so that plain HTTP
 * starts without it.
 *
 * Deno's per-connection TLS options can add trusted roots (`caCerts`) and skip the host name check
 * (`unsafelyDisableHostnameVerification`), but cannot skip the chain check: that exists only as the
 * process-wide flag `--unsafely-ignore-certificate-errors`. So an unchecked connection goes through
 * `node:tls` with `rejectUnauthorized: false`, which Deno implements per connection.
 *
 * @module
 */

import type * as NodeTls from "node:tls";
import type * as NodeStream from "node:stream";
import { startDeadline } from "../internal/deadline.ts";
import { classifySocketError, SocketError } from "./socket_error.ts";
import { createClientSocket } from "./socket.ts";
import { TlsError } from "./tls_error.ts";
import { type Duplex, duplexFromStreams } from "../io/duplex.ts";
import { formatHostPort } from "./host_port.ts";

// Computed specifiers: a literal `import("node:tls")` puts node: modules in the graph Deno builds
// when any command starts, about 1 ms of wget's start-up even when no https URL is given.
const NODE_TLS = "node:tls";
const NODE_STREAM = "node:stream";

/** Options of {@linkcode connectTls}. */
export interface TlsConnectOptions {
  /** Extra trusted roots, PEM. */
  caCerts?: string[];
  /** False to accept any certificate (`--no-check-certificate`). @default {true} */
  checkCertificate?: boolean;
  /** Connect and handshake timeout. */
  timeoutMs?: number;
  /** Abort from outside. */
  signal?: AbortSignal;
}

/**
 * Opens a TLS connection to `host:port`, handshake done, SNI set to `host` when it is a name,
 * TCP_NODELAY set (small records go out at once).
 */
export async function connectTls(
  host: string,
  port: number,
  options: TlsConnectOptions,
): Promise<Duplex> {
  if (options.checkCertificate === false) return await connectUnchecked(host, port, options);
  const tcp = await createClientSocket(host, port, options);
  // Without TCP_NODELAY the handshake's small records wait on Nagle's algorithm and the peer's
  // delayed ACK, about 40 ms per connection. The option stays on the socket under TLS.
  tcp.setNoDelay(true);
  let conn: Deno.TlsConn | undefined;
  const deadline = startDeadline(options.timeoutMs ?? 10_000, () => {
    try {
      (conn ?? tcp).close();
    } catch {
      // Closed already.
    }
  });
  try {
    const tlsOptions: Deno.StartTlsOptions = { hostname: host };
    if (options.caCerts !== undefined) tlsOptions.caCerts = options.caCerts;
    conn = await Deno.startTls(tcp, tlsOptions);
    await conn.handshake();
    return conn;
  } catch (error) {
    try {
      (conn ?? tcp).close();
    } catch {
      // Already closed by the deadline.
    }
    if (deadline.passed) {
      throw new SocketError({ step: "connect", host, port, failure: "timed-out", cause: error });
    }
    throw tlsError(host, port, error);
  } finally {
    deadline.cancel();
  }
}

function tlsError(host: string, port: number, error: unknown): Error {
  const where = formatHostPort(host, port);
  const message = error instanceof Error ? error.message : String(error);
  const certificate = /certificate|UnknownIssuer|not valid for name/i.exec(message);
  if (certificate) {
    const detail = message.replace(/^invalid peer certificate:\s*/, "");
    return new TlsError(`Cannot verify the certificate of "${where}": ${detail}`, true, {
      cause: error,
    });
  }
  const failure = classifySocketError(error);
  if (failure === "reset" || failure === "closed" || failure === "timed-out") {
    return new SocketError({ step: "connect", host, port, failure, cause: error });
  }
  return new TlsError(`TLS handshake with "${where}" failed: ${message}`, false, { cause: error });
}

async function connectUnchecked(
  host: string,
  port: number,
  options: TlsConnectOptions,
): Promise<Duplex> {
  const tls: typeof NodeTls = await import(NODE_TLS);
  const { Duplex: NodeDuplex }: typeof NodeStream = await import(NODE_STREAM);
  const isAddress = /^[0-9.]+$/.test(host) || host.includes(":");
  const socket = tls.connect({
    host,
    port,
    rejectUnauthorized: false,
    ...(isAddress ? {} : { servername: host }),
    ...(options.caCerts ? { ca: options.caCerts } : {}),
  });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    const deadline = startDeadline(options.timeoutMs ?? 10_000, () => {
      socket.destroy();
      reject(new SocketError({ step: "connect", host, port, failure: "timed-out" }));
    });
    socket.once("secureConnect", () => {
      deadline.cancel();
      resolve();
    });
    socket.once("error", (error: Error & { code?: string }) => {
      deadline.cancel();
      socket.destroy();
      const failure = error.code === "ECONNREFUSED"
        ? "refused"
        : error.code === "ECONNRESET"
        ? "reset"
        : classifySocketError(error);
      reject(
        failure === "other"
          ? new TlsError(
            `TLS handshake with "${formatHostPort(host, port)}" failed: ${error.message}`,
            false,
          )
          : new SocketError({ step: "connect", host, port, failure, cause: error }),
      );
    });
  });
  const { readable, writable } = NodeDuplex.toWeb(socket);
  const duplex = duplexFromStreams(
    readable as ReadableStream<Uint8Array>,
    writable as WritableStream<Uint8Array>,
  );
  return {
    read: (p) => duplex.read(p),
    write: (p) => duplex.write(p),
    close: () => {
      duplex.close();
      socket.destroy();
    },
  };
}
