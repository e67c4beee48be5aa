/**
 * The lecture's `subprocess_t` (the lecture: the networking lecture notes netkit implements) on
 * `Deno.Command`: start a program, maybe feed its stdin, read its stdout line by line, learn its
 * exit status, and kill it when the caller gives up.
 *
 * @module
 */

import { DEFAULT_MAX_LINE_BYTES, SocketStream } from "../net/socket_stream.ts";
import { duplexFromStreams } from "../io/duplex.ts";

/** Where a child's standard stream goes. */
export type SubprocessStdio = "piped" | "inherit" | "null";

/** Options for {@linkcode subprocess}. */
export interface SubprocessOptions {
  /** `"piped"` to write to the child's stdin through {@linkcode Subprocess.stdin}. @default {"null"} */
  stdin?: SubprocessStdio;
  /** `"piped"` to read the child's output with {@linkcode Subprocess.lines}. @default {"piped"} */
  stdout?: SubprocessStdio;
  /** The child's stderr. @default {"inherit"} */
  stderr?: SubprocessStdio;
  /** Kills the child (SIGTERM) when aborted. */
  signal?: AbortSignal;
  /** The longest stdout line accepted. @default {65536} */
  maxLineBytes?: number;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
  /** The child's working directory. */
  cwd?: string;
}

/** A running child process. */
export interface Subprocess extends AsyncDisposable {
  /** The child's process id. */
  readonly pid: number;
  /** The child's stdin when `stdin: "piped"`, else null. Close it to send end of file. */
  readonly stdin: WritableStream<Uint8Array> | null;
  /** Settles when the child ends: its exit code, or the signal that killed it. */
  readonly status: Promise<Deno.CommandStatus>;
  /**
   * The child's stdout, line by line (CRLF or LF, without the ending), when `stdout: "piped"`.
   *
   * @throws {LineTooLongError} for a line over `maxLineBytes`.
   */
  lines(): AsyncIterableIterator<string>;
  /** Sends a signal; harmless once the child has ended. */
  kill(signal?: Deno.Signal): void;
}

/**
 * Starts `argv[0]` with the arguments `argv[1…]`.
 *
 * @param argv The program (a path, or a name looked up in `PATH`) and its arguments.
 * @returns The running child; dispose it (`await using`) to kill it if still running and reap it.
 * @throws {Deno.errors.NotFound} when the program does not exist, {TypeError} for an empty argv.
 *
 * @example Read a child's output line by line
 * ```ts
 * import assert from "node:assert/strict";
 * import { subprocess } from "@netkit/netkit/process";
 *
 * await using child = subprocess(["sh", "-c", "echo one; echo two"]);
 * const lines = [];
 * for await (const line of child.lines()) lines.push(line);
 * assert.deepEqual(lines, ["one", "two"]);
 * assert.equal((await child.status).code, 0);
 * ```
 *
 * @example Feed its stdin; closing it sends end of file
 * ```ts
 * import assert from "node:assert/strict";
 * import { subprocess } from "@netkit/netkit/process";
 *
 * await using child = subprocess(["tr", "a-z", "A-Z"], { stdin: "piped" });
 * assert.ok(child.stdin);
 * const writer = child.stdin.getWriter();
 * await writer.write(new TextEncoder().encode("lexical\nserver\n"));
 * await writer.close();
 * const lines = [];
 * for await (const line of child.lines()) lines.push(line);
 * assert.deepEqual(lines, ["LEXICAL", "SERVER"]);
 * assert.equal((await child.status).success, true);
 * ```
 *
 * @example Give up: aborting the signal kills the child
 * ```ts
 * import assert from "node:assert/strict";
 * import { subprocess } from "@netkit/netkit/process";
 *
 * const stop = new AbortController();
 * await using child = subprocess(["sleep", "60"], { stdout: "null", signal: stop.signal });
 * stop.abort();
 * const status = await child.status;
 * assert.equal(status.success, false);
 * assert.equal(status.signal, "SIGTERM");
 * ```
 */
export function subprocess(argv: string[], options: SubprocessOptions = {}): Subprocess {
  const [command, ...args] = argv;
  if (command === undefined) throw new TypeError("The command line is empty");
  const stdoutMode = options.stdout ?? "piped";
  options.signal?.throwIfAborted();
  const commandOptions: Deno.CommandOptions = {
    args,
    stdin: options.stdin ?? "null",
    stdout: stdoutMode,
    stderr: options.stderr ?? "inherit",
  };
  if (options.env !== undefined) commandOptions.env = options.env;
  if (options.cwd !== undefined) commandOptions.cwd = options.cwd;
  const child = new Deno.Command(command, commandOptions).spawn();
  let ended = false;
  const kill = (signal: Deno.Signal = "SIGTERM") => {
    if (ended) return;
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  };
  const onAbort = () => kill();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const status = child.status.finally(() => {
    ended = true;
    options.signal?.removeEventListener("abort", onAbort);
  });
  const stdout = stdoutMode === "piped" ? child.stdout : null;
  return {
    pid: child.pid,
    stdin: options.stdin === "piped" ? child.stdin : null,
    status,
    kill,
    lines() {
      if (!stdout) throw new TypeError('The child\'s stdout is not "piped"');
      const stream = new SocketStream(duplexFromStreams(stdout, new WritableStream()), {
        maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
        // A child may stay quiet for as long as it likes: no read deadline (streams have one).
        readTimeoutMs: Infinity,
      });
      return readLines(stream);
    },
    async [Symbol.asyncDispose]() {
      kill();
      if (stdout && !stdout.locked) await stdout.cancel().catch(() => {});
      await status;
    },
  };
}

async function* readLines(stream: SocketStream): AsyncGenerator<string> {
  try {
    yield* stream;
  } finally {
    stream.close();
  }
}
