/**
 * Starts a Deno program that serves on a fresh loopback port (lexical-server, `deno serve`, a
 * bare `Deno.serve`), waits until it accepts connections, and stops it on dispose. Used by the
 * lexical-server tests and benchmark.
 *
 * @module
 */

import { holdFreePort, PeerExitedError, waitUntilListening } from "./peers.ts";

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
 * Runs `deno ARGS`, where `argsFor(port)` gives the arguments for a free port, and waits until the
 * program itself listens on it. A port found free can be taken before the program binds it (by
 * anything on the machine that listens on port 0): the program then ends at once, and it is run
 * again on another port, up to five times; and a connection that goes through to whoever took it
 * is not mistaken for the program's ({@linkcode waitUntilListening}).
 *
 * @throws {Error} with the program's stderr when it does not listen within 30 s, or ends before it
 * listens five times.
 */
export async function startDenoServer(
  argsFor: (port: number) => string[],
  options: DenoServerOptions = {},
): Promise<DenoServer> {
  for (let attempt = 1;; attempt++) {
    // Held until the program listens (holdFreePort): no bind to port 0 is given it meanwhile.
    using held = holdFreePort(options.portFreeOn);
    const port = held.port;
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
      await waitUntilListening(child, "deno", port, options.portFreeOn ?? "127.0.0.1");
    } catch (error) {
      const { stderr } = await stop("SIGKILL");
      if (error instanceof PeerExitedError && attempt < 5) continue;
      throw new Error(`The server did not start: ${stderr}`, { cause: error });
    }
    return { port, pid: child.pid, stop, [Symbol.asyncDispose]: async () => void await stop() };
  }
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
