/**
 * Starts a Deno program that serves on a fresh loopback port (lexical-server, `deno serve`, a
 * bare `Deno.serve`), waits until it accepts connections, and stops it on dispose. Used by the
 * lexical-server tests and benchmark.
 *
 * @module
 */

import { freePort, waitForPort } from "./peers.ts";

/** A running server process. */
export interface DenoServer extends AsyncDisposable {
  /** The port it listens on. */
  port: number;
  /** Its process id (for /proc/PID/status). */
  pid: number;
  /** Sends `signal` (default SIGTERM), waits for the end; its exit code and collected stderr. */
  stop(signal?: Deno.Signal): Promise<{ code: number; stderr: string }>;
}

/** Options of {@linkcode startDenoServer}. */
export interface DenoServerOptions {
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Keep stderr for {@linkcode DenoServer.stop} (else it is read and dropped). @default {true} */
  keepStderr?: boolean;
  /**
   * Where the port must be free: `"::"` for a server that listens on both families (a port free
   * on 127.0.0.1 may be taken on IPv6 by a test running in parallel). @default {"127.0.0.1"}
   */
  portFreeOn?: string;
}

/**
 * Runs `deno ARGS`, where `argsFor(port)` gives the arguments for a free port.
 *
 * @throws {Error} with the program's stderr when nothing listens within 30 s.
 */
export async function startDenoServer(
  argsFor: (port: number) => string[],
  options: DenoServerOptions = {},
): Promise<DenoServer> {
  const port = freePort(options.portFreeOn);
  const child = new Deno.Command(Deno.execPath(), {
    args: argsFor(port),
    env: options.env ?? {},
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = options.keepStderr === false
    ? child.stderr.pipeTo(new WritableStream()).then(() => "", () => "")
    : new Response(child.stderr).text();
  let stopped: Promise<{ code: number; stderr: string }> | undefined;
  const stop = (signal: Deno.Signal = "SIGTERM") => {
    stopped ??= (async () => {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
      const status = await child.status;
      return { code: status.code, stderr: await stderr };
    })();
    return stopped;
  };
  try {
    await waitForPort(port);
  } catch (error) {
    throw new Error(`The server did not start: ${(await stop("SIGKILL")).stderr}`, {
      cause: error,
    });
  }
  return { port, pid: child.pid, stop, [Symbol.asyncDispose]: async () => void await stop() };
}

const LEXICAL_SERVER = new URL("../../cmd/lexical-server.ts", import.meta.url).pathname;

/** `deno run -A cmd/lexical-server.ts ARGS` on 127.0.0.1 and a free port. */
export function startLexicalServer(
  args: string[],
  options: DenoServerOptions = {},
): Promise<DenoServer> {
  return startDenoServer(
    (port) => ["run", "-A", LEXICAL_SERVER, ...args, "--port", String(port), "--host", "127.0.0.1"],
    options,
  );
}
