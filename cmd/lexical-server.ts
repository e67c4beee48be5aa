/**
 * lexical-server: the lecture's lexical word finder API over HTTP (the lecture: the networking
 * lecture notes netkit implements).
 *
 * Runs alone (`deno run -A cmd/lexical-server.ts 13133`) or under `deno serve --parallel`, which
 * uses the default export (settings then come from `NETKIT_FINDER`, `NETKIT_WORKERS`,
 * `NETKIT_CACHE_SIZE`, `NETKIT_WORD_FINDER`).
 *
 * @module
 */

import { runMain } from "../lib/cli/run_main.ts";
import { parseCommandLine, reportUsageError, UsageError } from "../lib/cli/command_line.ts";
import { formatHostPort } from "../lib/net/host_port.ts";
import { parsePort } from "../lib/net/socket.ts";
import type { LexicalHandler } from "../lib/words/lexical_handler.ts";
import {
  type LexicalServerSettings,
  lexicalSettingsFromEnv,
  readLexicalSettings,
  startedByDenoServe,
  startLexicalHandler,
} from "./_lexical_server/command.ts";
import { shutdownSignal } from "../lib/process/shutdown_signal.ts";

/** The usage text. */
export const usage = `Usage: lexical-server [PORT] [--port 13133] [--host ADDRESS]
                      [--finder worker|subprocess] [--workers N] [--cache-size N]
                      [--dict FILE] [--finder-command PATH] [--quiet]

Answer GET /<any/prefix>/<letters> with JSON {"time", "cached", "possibilities"}: the words
the letters can form (a blank tile is %3F). GET /-/stats answers the cache counters.

  --port N              port to listen on (default 13133; a bare first argument works too)
  --host ADDRESS        address to listen on (default 0.0.0.0)
  --finder KIND         worker: a pool of workers sharing one index (default);
                        subprocess: run scrabble-word-finder for every cache miss
  --workers N           workers in the pool (default: the number of cores)
  --cache-size N        racks kept in the cache (default 10000)
  --dict FILE           a word list, one word per line (default: SOWPODS, built in)
  --finder-command PATH the scrabble-word-finder program for --finder subprocess (default:
                        $NETKIT_WORD_FINDER, else deno run cmd/scrabble-word-finder.ts)
  --quiet               do not log requests

Logs "Received a connection request from ADDRESS." per request on stderr. SIGINT or SIGTERM
stops it. Exit codes: 0 stopped by a signal, 1 cannot listen or load, 2 usage error.`;

const spec = {
  name: "lexical-server",
  usage,
  options: {
    port: { type: "string" as const },
    host: { type: "string" as const },
    finder: { type: "string" as const },
    workers: { type: "string" as const },
    "cache-size": { type: "string" as const },
    dict: { type: "string" as const },
    "finder-command": { type: "string" as const },
    quiet: { type: "boolean" as const },
  },
  maxPositionals: 1,
};

/** Runs the server until SIGINT or SIGTERM; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, spec);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  let port: number;
  let settings: LexicalServerSettings;
  try {
    if (positionals.length > 0 && values.port !== undefined) {
      throw new UsageError("give the port once, as PORT or --port");
    }
    const portText = (values.port as string | undefined) ?? positionals[0] ?? "13133";
    try {
      port = parsePort(portText, { allowZero: true });
    } catch {
      throw new UsageError(`the port must be a number from 0 to 65535, not "${portText}"`);
    }
    settings = readLexicalSettings(values);
  } catch (error) {
    return reportUsageError(spec, error);
  }
  const quiet = values.quiet === true;
  const { BufferedLineWriter } = await import("../lib/io/buffered_line_writer.ts");
  await using log = new BufferedLineWriter(Deno.stderr, { flushDelayMs: 50 });
  let started;
  try {
    started = await startLexicalHandler(
      settings,
      quiet ? undefined : (line) => log.writeLine(line),
    );
  } catch (error) {
    console.error(`lexical-server: Cannot load the word finder: ${(error as Error).message}`);
    return 1;
  }
  await using finder = started.finder;
  using shutdown = shutdownSignal();
  try {
    const server = Deno.serve({
      port,
      hostname: (values.host as string | undefined) ?? "0.0.0.0",
      signal: shutdown.signal,
      onListen: ({ hostname, port }) => {
        const where = formatHostPort(hostname, port);
        console.error(`lexical-server: Listening on http://${where}/ (${finder.kind})`);
      },
      onError: () => new Response('{"error":"Internal error"}', { status: 500 }),
    }, started.handler);
    await server.finished;
  } catch (error) {
    console.error(`lexical-server: Cannot listen on port ${port}: ${(error as Error).message}`);
    return 1;
  }
  return 0;
}

let served: Promise<LexicalHandler> | undefined;

/**
 * The entry point of `deno serve --parallel cmd/lexical-server.ts`: each serving thread builds its
 * own handler and worker pool on its first request.
 */
export default {
  async fetch(request: Request, info: Deno.ServeHandlerInfo): Promise<Response> {
    served ??= startLexicalHandler(lexicalSettingsFromEnv()).then((started) => {
      // deno serve stops serving on these signals; the pool's workers must not keep it alive.
      shutdownSignal().signal.addEventListener("abort", () => void started.finder.close());
      return started.handler;
    });
    return (await served)(request, info);
  },
} satisfies Deno.ServeDefaultExport;

if (import.meta.main && !startedByDenoServe()) await runMain("lexical-server", main);
