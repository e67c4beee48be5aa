/**
 * Where wget's log goes (stderr, or the `-o`/`-a` file), written as GNU wget writes it: the log is
 * not the download, so a write that fails (a full disk, `2>/dev/full`, EIO) is dropped and the
 * download goes on, its exit code its own; a log whose reader has gone (EPIPE: `wget URL 2>&1 |
 * head -1`) ends wget at once with exit 1, as GNU's (it ignores SIGPIPE, and its log code exits
 * with the generic error on EPIPE). The document itself (`-O -` on `/dev/full`) is another
 * matter: its write failure is exit 3 (lib/cli/run_main.ts, cmd/_wget/command.ts).
 *
 * @module
 */

/** What the log is written to: stderr, a file, or a test's buffer. */
export interface LogSink {
  /** Writes some of `p`, returning how many bytes were written. */
  writeSync(p: Uint8Array): number;
}

/** GNU wget's exit code when its log's reader has gone (WGET_EXIT_GENERIC_ERROR). */
export const EXIT_LOG_CLOSED = 1;

/** The reader of the log has gone: EPIPE (Deno's BrokenPipe). */
function readerGone(error: unknown): boolean {
  return error instanceof Deno.errors.BrokenPipe ||
    (error as { code?: unknown } | null)?.code === "EPIPE";
}

/**
 * `sink` as wget's log: each write whole (a short write continued), a failed one dropped, and
 * `onClosed` called when the reader has gone (by default: exit 1 at once, as GNU wget).
 *
 * @example A log on a full disk drops the line; the caller goes on
 * ```ts
 * import assert from "node:assert/strict";
 * import { forgivingLog } from "./log_output.ts";
 *
 * const full = {
 *   writeSync(): number {
 *     throw Object.assign(new Error("No space left on device"), { code: "ENOSPC" });
 *   },
 * };
 * const log = forgivingLog(full);
 * assert.equal(log.writeSync(new TextEncoder().encode("--DATE--  URL\n")), 14);
 *
 * let closed = 0;
 * const gone = forgivingLog({
 *   writeSync(): number {
 *     throw new Deno.errors.BrokenPipe("Broken pipe");
 *   },
 * }, () => closed++);
 * gone.writeSync(new Uint8Array(1));
 * assert.equal(closed, 1);
 * ```
 */
export function forgivingLog(
  sink: LogSink,
  onClosed: () => void = () => Deno.exit(EXIT_LOG_CLOSED),
): LogSink {
  return {
    writeSync(p: Uint8Array): number {
      try {
        for (let at = 0; at < p.length;) {
          const written = sink.writeSync(p.subarray(at));
          if (written <= 0) break;
          at += written;
        }
      } catch (error) {
        if (readerGone(error)) onClosed();
        // Anything else (ENOSPC, EIO, EDQUOT, EFBIG, EBADF): the line is lost, as GNU's.
      }
      return p.length;
    },
  };
}
