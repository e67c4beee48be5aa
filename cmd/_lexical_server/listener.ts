/**
 * One lexical-server listener: a word finder, the lexical handler over it, and netkit's HTTP
 * server in front. `lexical-server` runs one in its main thread and, with `--listeners N`, N - 1
 * more in workers (`listener_worker.ts`), all on one port with `reusePort`.
 *
 * @module
 */

import type { HttpServer } from "../../lib/http/server.ts";
import type { WordFinder } from "../../lib/words/finder.ts";
import { type LexicalServerSettings, startLexicalHandler } from "./command.ts";

/** What a listener needs: plain data, so it can be posted to a worker. */
export interface ListenerConfig {
  /** The finder's settings. */
  settings: LexicalServerSettings;
  /** The port (0: any; the other listeners then take the first one's). */
  port: number;
  /** The address; undefined: `::`, else `0.0.0.0` where the system has no IPv6. */
  hostname: string | undefined;
  /** HTTPS: the PEM texts. */
  tls: { cert: string; key: string } | undefined;
  /** The server's limits. */
  limits: {
    headerTimeoutMs?: number | undefined;
    idleTimeoutMs?: number | undefined;
    maxConnections?: number | undefined;
  };
  /** No "Received a connection request" lines. */
  quiet: boolean;
  /** Common-log-format lines too. */
  accessLog: boolean;
  /** Share the port with other listeners (needs `--unstable-net`). */
  reusePort: boolean;
}

/** Where starting a listener failed: loading the finder, or listening. */
export class ListenerError extends Error {
  /** The step that failed. */
  readonly step: "load" | "listen";
  /** Builds the error. */
  constructor(step: "load" | "listen", message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ListenerError";
    this.step = step;
  }
}

/**
 * Starts a listener; the caller shuts its server down and then closes its finder.
 *
 * @throws {ListenerError} naming the step that failed.
 *
 * @example
 * ```ts ignore
 * import { startListener } from "./listener.ts";
 *
 * const { server, finder } = await startListener({
 *   settings: { finder: "worker", workers: 1 },
 *   port: 0,
 *   hostname: "127.0.0.1",
 *   tls: undefined,
 *   limits: {},
 *   quiet: true,
 *   accessLog: false,
 *   reusePort: false,
 * }, () => {});
 * await server.shutdown();
 * await finder.close();
 * ```
 */
export async function startListener(
  config: ListenerConfig,
  writeLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<{ server: HttpServer; finder: WordFinder }> {
  let started;
  try {
    started = await startLexicalHandler(
      config.settings,
      config.quiet ? undefined : writeLine,
      (line) => writeLine(`lexical-server: ${line}`),
    );
  } catch (error) {
    throw new ListenerError("load", (error as Error).message, { cause: error });
  }
  const { serveHttp } = await import("../../lib/http/server.ts");
  const { lexicalErrorResponse } = await import("../../lib/words/lexical_handler.ts");
  const handler = started.handler;
  const listen = (hostname: string) =>
    serveHttp(handler, {
      port: config.port,
      hostname,
      ...config.tls,
      ...config.limits,
      reusePort: config.reusePort || undefined,
      signal,
      fastPath: handler.fastPath,
      errorResponse: lexicalErrorResponse,
      accessLog: config.accessLog ? writeLine : undefined,
      onError: () => new Response('{"error":"Internal error"}', { status: 500 }),
    });
  let server: HttpServer;
  try {
    try {
      server = listen(config.hostname ?? "::");
    } catch (error) {
      // No IPv6 on this system: the default falls back to IPv4.
      if (config.hostname !== undefined || error instanceof Deno.errors.AddrInUse) throw error;
      server = listen("0.0.0.0");
    }
  } catch (error) {
    await started.finder.close();
    throw new ListenerError("listen", (error as Error).message, { cause: error });
  }
  handler.reportServer(() => server.stats());
  return { server, finder: started.finder };
}
