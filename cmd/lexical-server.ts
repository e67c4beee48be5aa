/**
 * lexical-server: the lecture's lexical word finder API over HTTP (the lecture: the networking
 * lecture notes netkit implements).
 *
 * Runs alone (`deno run -A cmd/lexical-server.ts 13133`) on netkit's own HTTP server
 * (`serveHttp`, with header, idle and write timeouts and a connection limit), or under
 * `deno serve --parallel`, which uses the default export (settings then come from
 * `NETKIT_FINDER`, `NETKIT_WORKERS`, `NETKIT_CACHE_SIZE`, `NETKIT_WORD_FINDER`).
 *
 * @module
 */

import { runMain } from "../lib/cli/run_main.ts";
import {
  parseCommandLine,
  parseCount,
  parseSeconds,
  reportUsageError,
  UsageError,
} from "../lib/cli/command_line.ts";
import { parsePort } from "../lib/net/socket.ts";
import type { LexicalHandler } from "../lib/words/lexical_handler.ts";
import type { ListenerConfig } from "./_lexical_server/listener.ts";
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
                      [--header-timeout SECONDS] [--idle-timeout SECONDS]
                      [--max-connections N] [--cert FILE --key FILE] [--access-log]
                      [--listeners N] [--max-misses-per-client N] [--max-answer-bytes N]

Answer GET /<any/prefix>/<letters> with JSON {"time", "cached", "possibilities"}: the words
the letters can form (a blank tile is %3F). GET /-/stats answers the cache counters as
JSON, GET /-/metrics the cache, latency and connection counters in Prometheus's format.

  --port N              port to listen on (default 13133; a bare first argument works too)
  --host ADDRESS        address to listen on (default ::, IPv4 and IPv6; 0.0.0.0 where the
                        system has no IPv6)
  --header-timeout S    close a connection whose request head has not all arrived after S
                        seconds (default 20)
  --idle-timeout S      close a kept-alive connection idle for S seconds (default 60)
  --max-connections N   at most N open connections; beyond it idle ones are closed first,
                        then new ones answered 503 (default 1000)
  --cert FILE --key FILE  serve HTTPS with this PEM certificate chain and key
  --finder KIND         worker: a pool of workers sharing one index (default);
                        subprocess: run scrabble-word-finder for every cache miss, each
                        in its own process group, killed whole (its children too) after
                        30 s; its stderr's last line goes to the log when it fails
  --workers N           workers in the pool (default: the number of cores)
  --cache-size N        racks kept in the cache (default 10000)
  --dict FILE           a word list, one word per line (default: SOWPODS, built in)
  --finder-command PATH the scrabble-word-finder program for --finder subprocess (default:
                        $NETKIT_WORD_FINDER, else deno run cmd/scrabble-word-finder.ts)
  --quiet               do not log requests
  --access-log          also log one line per answer in the common log format (on stderr)
  --max-misses-per-client N  racks one client address may have computing at once; beyond it,
                        503 with Retry-After (default 8: its fair share of the finder)
  --max-answer-bytes N  the most bytes of JSON one answer's word list may take (default
                        1048576); a longer list (a rack of many blanks makes most of the
                        dictionary: 3.2 MB) is cut to the longest words that fit, and the
                        answer then says "truncated": true after "possibilities"
  --listeners N         N listeners on the port (reusePort), each in its own thread with its
                        own finder and cache, to use every core (default 1; needs
                        deno run --unstable-net)

Logs "Received a connection request from ADDRESS." per request on stderr. SIGINT or SIGTERM
stops it: no new connections, requests in flight answered (up to 10 s), then exit.
Exit codes: 0 stopped by a signal, 1 cannot listen or load, 2 usage error.

Under \`deno serve --parallel cmd/lexical-server.ts\` (settings from NETKIT_FINDER,
NETKIT_WORKERS, NETKIT_CACHE_SIZE, NETKIT_WORD_FINDER) it runs on Deno.serve, which has no
header or idle timeout, no connection limit, no fast path for cached racks, and answers an
HTTP/1.1 request without Host; the options above do not apply there.`;

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
    "access-log": { type: "boolean" as const },
    listeners: { type: "string" as const },
    "max-misses-per-client": { type: "string" as const },
    "max-answer-bytes": { type: "string" as const },
    "header-timeout": { type: "string" as const },
    "idle-timeout": { type: "string" as const },
    "max-connections": { type: "string" as const },
    cert: { type: "string" as const },
    key: { type: "string" as const },
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
  let limits: {
    headerTimeoutMs?: number | undefined;
    idleTimeoutMs?: number | undefined;
    maxConnections?: number | undefined;
  };
  let tls: { cert: string; key: string } | undefined;
  let listeners: number;
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
    const seconds = (option: string) => {
      const text = values[option] as string | undefined;
      if (text === undefined) return undefined;
      const ms = parseSeconds(text, `--${option}`);
      if (ms <= 0) throw new UsageError(`--${option} takes more than 0 seconds`);
      return ms;
    };
    const maxConnections = values["max-connections"] as string | undefined;
    limits = {
      headerTimeoutMs: seconds("header-timeout"),
      idleTimeoutMs: seconds("idle-timeout"),
      maxConnections: maxConnections === undefined
        ? undefined
        : parseCount(maxConnections, "--max-connections", 1, 1_000_000),
    };
    const listenersText = values.listeners as string | undefined;
    listeners = listenersText === undefined ? 1 : parseCount(listenersText, "--listeners", 1, 64);
    const cert = values.cert as string | undefined;
    const key = values.key as string | undefined;
    if ((cert === undefined) !== (key === undefined)) {
      throw new UsageError("give --cert and --key together");
    }
    if (cert !== undefined && key !== undefined) tls = { cert, key };
  } catch (error) {
    return reportUsageError(spec, error);
  }
  let tlsFiles: { cert: string; key: string } | undefined;
  if (tls) {
    try {
      tlsFiles = { cert: await Deno.readTextFile(tls.cert), key: await Deno.readTextFile(tls.key) };
    } catch (error) {
      console.error(
        `lexical-server: Cannot read the certificate or key: ${(error as Error).message}`,
      );
      return 1;
    }
  }
  if (
    listeners > 1 && typeof (Deno as { listenDatagram?: unknown }).listenDatagram !== "function"
  ) {
    // Deno.listen({ reusePort }) ends the process (exit 70) without the flag: ask first.
    console.error(
      "lexical-server: --listeners needs the unstable net API: deno run --unstable-net",
    );
    return 1;
  }
  const config: ListenerConfig = {
    settings,
    port,
    hostname: values.host as string | undefined,
    tls: tlsFiles,
    limits,
    quiet: values.quiet === true,
    accessLog: values["access-log"] === true,
    reusePort: listeners > 1,
  };
  const { serveLexicalServer } = await import("./_lexical_server/serve.ts");
  return await serveLexicalServer(config, listeners);
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
