/**
 * The lecture's `subprocess_t` (the lecture: the networking lecture notes netkit implements) on
 * `Deno.Command`: start a program, maybe feed its stdin, read its stdout line by line, read or
 * collect its stderr, learn its exit status, and kill it when the caller gives up.
 *
 * @module
 */

import { DEFAULT_MAX_LINE_BYTES, SocketStream } from "../net/socket_stream.ts";
import { duplexFromStreams } from "../io/duplex.ts";
import { MissingPermissionError } from "../io/missing_permission_error.ts";

/** Where a child's standard stream goes. */
export type SubprocessStdio = "piped" | "inherit" | "null";

/** How long disposal waits after SIGTERM before it sends SIGKILL. */
const KILL_GRACE_MS = 2000;

/** The most stderr bytes kept in `"collect"` mode, by default. */
export const DEFAULT_MAX_STDERR_BYTES = 65_536;

/** Options for {@linkcode subprocess}. */
export interface SubprocessOptions {
  /** `"piped"` to write to the child's stdin through {@linkcode Subprocess.stdin}. @default {"null"} */
  stdin?: SubprocessStdio;
  /** `"piped"` to read the child's output with {@linkcode Subprocess.lines}. @default {"piped"} */
  stdout?: SubprocessStdio;
  /**
   * The child's stderr. `"collect"`: read in the background (so a chatty child never blocks on
   * it) and kept, the last `maxStderrBytes` of it, for {@linkcode Subprocess.stderrText}.
   * `"piped"`: a stream, {@linkcode Subprocess.stderr}, that the caller reads, alongside stdout
   * (a child blocks once a pipe nobody reads is full, as with any pipe). @default {"inherit"}
   */
  stderr?: SubprocessStdio | "collect";
  /** In `"collect"` mode, how much of the end of stderr to keep. @default {65536} */
  maxStderrBytes?: number;
  /**
   * Kills the child (SIGTERM) when aborted; then `status`, `lines()` and `stderrText()` reject
   * with `signal.reason` at once.
   */
  signal?: AbortSignal | undefined;
  /** The longest stdout line accepted. @default {65536} */
  maxLineBytes?: number;
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
  /** The child's working directory. */
  cwd?: string;
  /**
   * Start the child as the leader of a new process group (a new session, as `setsid` makes;
   * `Deno.Command`'s `detached`) and send every signal to the whole group, so that the
   * programs it starts are stopped with it; disposal then also kills (SIGKILL) whatever is left
   * of the group once the child has ended. Ignored on Windows. @default {false}
   */
  processGroup?: boolean;
}

/** A running child process. */
export interface Subprocess extends AsyncDisposable {
  /** The child's process id. */
  readonly pid: number;
  /** The child's stdin when `stdin: "piped"`, else null. Close it to send end of file. */
  readonly stdin: WritableStream<Uint8Array> | null;
  /** The child's stderr when `stderr: "piped"`, else null. */
  readonly stderr: ReadableStream<Uint8Array> | null;
  /**
   * Settles when the child ends: its exit code, or the signal that killed it. Rejects with the
   * `signal`'s reason when the caller aborts.
   */
  readonly status: Promise<Deno.CommandStatus>;
  /**
   * The child's stdout, line by line (CRLF or LF, without the ending), when `stdout: "piped"`.
   *
   * @throws {LineTooLongError} for a line over `maxLineBytes`.
   * @throws The `signal`'s reason when the caller aborts.
   */
  lines(): AsyncIterableIterator<string>;
  /**
   * With `stderr: "collect"`: what the child wrote on stderr (its last `maxStderrBytes`, decoded
   * as UTF-8), once it has closed its stderr (usually on exit).
   *
   * @throws {TypeError} when stderr is not `"collect"`.
   * @throws The `signal`'s reason when the caller aborts.
   */
  stderrText(): Promise<string>;
  /** Sends a signal; harmless once the child has ended. */
  kill(signal?: Deno.Signal): void;
}

/**
 * Starts `argv[0]` with the arguments `argv[1...]`.
 *
 * @param argv The program (a path, or a name looked up in `PATH`) and its arguments.
 * @returns The running child; dispose it (`await using`) to kill it if still running (SIGTERM, then
 * SIGKILL after 2 s) and reap it.
 * @throws {Deno.errors.NotFound} when the program does not exist, {TypeError} for an empty argv.
 * @throws {MissingPermissionError} when Deno's permissions do not allow running it.
 * @throws The `signal`'s reason when it is already aborted.
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
 * @example Collect what a child says on stderr
 * ```ts
 * import assert from "node:assert/strict";
 * import { subprocess } from "@netkit/netkit/process";
 *
 * await using child = subprocess(["sh", "-c", "echo out; echo oops >&2; exit 1"], {
 *   stderr: "collect",
 * });
 * for await (const _ of child.lines());
 * assert.equal((await child.status).code, 1);
 * assert.equal(await child.stderrText(), "oops\n");
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
 * @example Give up: aborting the signal kills the child, and `status` rejects with the reason
 * ```ts
 * import assert from "node:assert/strict";
 * import { subprocess } from "@netkit/netkit/process";
 *
 * const stop = new AbortController();
 * await using child = subprocess(["sleep", "60"], { stdout: "null", signal: stop.signal });
 * stop.abort(new Error("no more waiting"));
 * await assert.rejects(child.status, /no more waiting/);
 * ```
 */
export function subprocess(argv: string[], options: SubprocessOptions = {}): Subprocess {
  const [command, ...args] = argv;
  if (command === undefined) throw new TypeError("The command line is empty");
  const stdoutMode = options.stdout ?? "piped";
  const stderrMode = options.stderr ?? "inherit";
  const maxStderrBytes = options.maxStderrBytes ?? DEFAULT_MAX_STDERR_BYTES;
  if (!Number.isSafeInteger(maxStderrBytes) || maxStderrBytes < 0) {
    throw new RangeError(
      `Invalid maxStderrBytes "${maxStderrBytes}": expected a whole number from 0`,
    );
  }
  const signal = options.signal;
  signal?.throwIfAborted();
  const commandOptions: Deno.CommandOptions = {
    args,
    stdin: options.stdin ?? "null",
    stdout: stdoutMode,
    stderr: stderrMode === "collect" ? "piped" : stderrMode,
  };
  if (options.env !== undefined) commandOptions.env = options.env;
  if (options.cwd !== undefined) commandOptions.cwd = options.cwd;
  const group = options.processGroup === true && Deno.build.os !== "windows";
  if (group) commandOptions.detached = true;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command, commandOptions).spawn();
  } catch (error) {
    throw MissingPermissionError.from(error, `running "${command}"`);
  }
  let ended = false;
  // The group's id is the child's pid; a negative pid signals the whole group (kill(2)).
  const killGroup = (how: Deno.Signal) => {
    try {
      Deno.kill(-child.pid, how);
    } catch {
      // The group is gone.
    }
  };
  const kill = (how: Deno.Signal = "SIGTERM") => {
    if (ended) return;
    if (group) return killGroup(how);
    try {
      child.kill(how);
    } catch {
      // Already gone.
    }
  };
  // Rejects with the caller's reason on abort; never settles otherwise.
  const { promise: aborted, reject: abortWith } = Promise.withResolvers<never>();
  aborted.catch(() => {});
  const onAbort = () => {
    kill();
    abortWith(signal!.reason);
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  const exited = child.status.finally(() => {
    ended = true;
    signal?.removeEventListener("abort", onAbort);
  });
  const status = Promise.race([exited, aborted]);
  status.catch(() => {});
  const stdout = stdoutMode === "piped" ? child.stdout : null;
  const stderr = stderrMode === "piped" ? child.stderr : null;
  const collected = stderrMode === "collect" ? collectTail(child.stderr, maxStderrBytes) : null;
  collected?.catch(() => {});
  return {
    pid: child.pid,
    stdin: options.stdin === "piped" ? child.stdin : null,
    stderr,
    status,
    kill,
    lines() {
      if (!stdout) throw new TypeError('The child\'s stdout is not "piped"');
      const stream = new SocketStream(duplexFromStreams(stdout, new WritableStream()), {
        maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
        // A child may stay quiet for as long as it likes: no read deadline (streams have one).
        readTimeoutMs: Infinity,
        // An abort rejects the pending read with the caller's reason. (Not a race of each read
        // against an abort promise: each race would stay attached to that promise, and with it
        // every line read, until the child's handle is dropped.)
        signal,
      });
      return readLines(stream);
    },
    stderrText() {
      if (!collected) return Promise.reject(new TypeError('The child\'s stderr is not "collect"'));
      return Promise.race([collected, aborted]);
    },
    async [Symbol.asyncDispose]() {
      kill();
      if (stdout && !stdout.locked) await stdout.cancel().catch(() => {});
      if (stderr && !stderr.locked) await stderr.cancel().catch(() => {});
      // A child that ignores SIGTERM gets SIGKILL after a grace period: disposal never hangs.
      const grace = setTimeout(() => kill("SIGKILL"), KILL_GRACE_MS);
      try {
        await exited;
      } finally {
        clearTimeout(grace);
      }
      // The child's own children may outlive it (a background job, a daemon): the group goes too.
      // Its id cannot name another group while any member lives (Linux keeps the id in use).
      if (group) killGroup("SIGKILL");
      await collected?.catch(() => {});
    },
  };
}

/** Reads `stream` to its end, keeping only its last `max` bytes, and decodes them. */
async function collectTail(stream: ReadableStream<Uint8Array>, max: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  for await (const chunk of stream) {
    chunks.push(chunk);
    kept += chunk.length;
    // Drop whole chunks from the front while what stays still holds `max` bytes.
    while (chunks.length > 1 && kept - chunks[0]!.length >= max) kept -= chunks.shift()!.length;
  }
  const all = new Uint8Array(kept);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(all.subarray(Math.max(0, kept - max)));
}

async function* readLines(stream: SocketStream): AsyncGenerator<string> {
  try {
    while (true) {
      const line = await stream.readLine();
      if (line === null) return;
      yield line;
    }
  } finally {
    stream.close();
  }
}
