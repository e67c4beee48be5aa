/**
 * The body of `time-server` once its options are checked: listen, print the port, log each
 * connection in batches, serve until SIGINT or SIGTERM. Unlike the rest of `lib/`, it talks to
 * the user (stdout, stderr), so that `cmd/time-server.ts` stays thin; the command loads it only
 * after parsing, which keeps `--help` fast.
 *
 * @module
 */

import { BufferedLineWriter } from "../../lib/io/buffered_line_writer.ts";
import { connectionLogger } from "../../lib/net/connection_log.ts";
import { shutdownSignal } from "../../lib/process/shutdown_signal.ts";
import { createServerSocket } from "../../lib/net/socket.ts";
import { MissingPermissionError } from "../../lib/io/missing_permission_error.ts";
import { SocketError } from "../../lib/net/socket_error.ts";
import { serveTime, type TimeProtocol } from "../../lib/time/server.ts";
import { startUdpTimeServer, type UdpTimeServer } from "../../lib/time/udp_server.ts";

/** What {@linkcode runTimeServer} serves. */
export interface TimeServerCommandOptions {
  /** The port; 0 picks a free one. */
  port: number;
  /** The address to listen on. @default {"::" (falling back to 0.0.0.0)} */
  hostname?: string | undefined;
  /** daytime (RFC 867) or time (RFC 868). */
  protocol: TimeProtocol;
  /** Connections answered at once. */
  concurrency: number;
  /** Close a connection not answered within this long. */
  timeoutMs: number;
  /** Log nothing per connection. */
  quiet?: boolean;
  /** Serve over UDP instead of TCP. */
  udp?: boolean;
  /** Stop as SIGINT would (tests). */
  signal?: AbortSignal | undefined;
}

/**
 * Runs the time server until SIGINT, SIGTERM or `signal`: prints `Server listening on port N.`,
 * logs `Received a connection request from ADDRESS.` per connection on stderr unless quiet.
 *
 * @returns The exit code: 0 once stopped, 1 when it cannot listen (said on stderr).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runTimeServer } from "./command.ts";
 *
 * const code = await runTimeServer({
 *   port: 0,
 *   hostname: "127.0.0.1",
 *   protocol: "daytime",
 *   concurrency: 1,
 *   timeoutMs: 1000,
 *   signal: AbortSignal.abort(),
 * });
 * assert.equal(code, 0);
 * ```
 */
export async function runTimeServer(options: TimeServerCommandOptions): Promise<number> {
  if (options.udp) return await runUdpTimeServer(options);
  let listener: Deno.TcpListener;
  try {
    // No hostname: the library's default, "::", with its fallback to 0.0.0.0 where IPv6 is absent.
    listener = createServerSocket(options.port, { hostname: options.hostname });
  } catch (error) {
    if (!(error instanceof SocketError || error instanceof MissingPermissionError)) throw error;
    console.error(`time-server: ${error.message}`);
    return 1;
  }

  using shutdown = shutdownSignal(options.signal);
  await using log = new BufferedLineWriter(Deno.stderr);
  console.log(`Server listening on port ${listener.addr.port}.`);
  await serveTime(listener, {
    protocol: options.protocol,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    signal: shutdown.signal,
    onConnection: options.quiet ? undefined : connectionLogger((line) => log.writeLine(line)),
    // A client that resets is routine; failing to accept (out of descriptors) is not.
    onError: (error) => {
      if (error.step === "accept") log.writeLine(`time-server: ${error.message}`);
    },
  });
  return 0;
}

/** The `--udp` server: answers datagrams until SIGINT, SIGTERM or `signal`. */
async function runUdpTimeServer(options: TimeServerCommandOptions): Promise<number> {
  using shutdown = shutdownSignal(options.signal);
  await using log = new BufferedLineWriter(Deno.stderr);
  const logRequest = options.quiet ? undefined : connectionLogger((line) => log.writeLine(line));
  let server: UdpTimeServer;
  try {
    server = await startUdpTimeServer(options.port, {
      ...(options.hostname !== undefined ? { hostname: options.hostname } : {}),
      protocol: options.protocol,
      ...(logRequest ? { onRequest: logRequest } : {}),
    });
  } catch (error) {
    if (!(error instanceof SocketError || error instanceof MissingPermissionError)) throw error;
    console.error(`time-server: ${error.message}`);
    return 1;
  }
  await using _server = server;
  console.log(`Server listening on port ${server.port}.`);
  if (!shutdown.signal.aborted) {
    await new Promise((resolve) =>
      shutdown.signal.addEventListener("abort", resolve, { once: true })
    );
  }
  return 0;
}
