/**
 * The requests a real server wrote in its access log (Apache's, lighttpd's, nginx's, Python's
 * http.server's), read back for the side-by-side tests: each line's `"METHOD TARGET HTTP/x"
 * STATUS`, after a marker request of the test's own has reached the log (lighttpd holds its lines
 * back until its buffer fills, a few seconds, or a SIGHUP).
 *
 * @module
 */

/**
 * A log line's request as `METHOD TARGET STATUS`, or undefined for a line without one (Python's
 * `code 404, message File not found`). The line holds the request line in double quotes and the
 * status after it, as the combined format and Python's log do.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loggedRequest } from "./access_log.ts";
 *
 * assert.equal(
 *   loggedRequest('127.0.0.1 - - [01/Dec/2026 17:12:28] "GET /a%20b/ HTTP/1.1" 200 -'),
 *   "GET /a%20b/ 200",
 * );
 * assert.equal(loggedRequest('"HEAD /x?C=N;O=D HTTP/1.0" 304'), "HEAD /x?C=N;O=D 304");
 * assert.equal(loggedRequest("127.0.0.1 - - [01/Dec/2026] code 404, message File not found"), undefined);
 * ```
 */
export function loggedRequest(line: string): string | undefined {
  const match = /"(\S+) (\S+) HTTP\/[\d.]+" (\d{3})/.exec(line);
  return match ? `${match[1]} ${match[2]} ${match[3]}` : undefined;
}

/** How many characters `log` holds now (0 when it is not there yet): where to read from next. */
export async function logLength(log: string): Promise<number> {
  return (await Deno.readTextFile(log).catch(() => "")).length;
}

/** Up to how long a marker request may take to reach the log. */
const MARKER_LOGGED_WITHIN_MS = 15_000;

/** A server whose access log {@linkcode requestsLoggedSince} reads. */
export interface LoggingServer {
  /** Its port on `127.0.0.1`. */
  port: number;
  /** Its access log. */
  log: string;
  /** Makes it write out the lines it holds back (lighttpd's SIGHUP), if it holds any. */
  flushLog?: () => void;
}

/**
 * The requests `server` logged since `from` characters of its log (see {@linkcode logLength}),
 * in the order they arrived where the log says when each began ({@linkcode inArrivalOrder}), else
 * in the log's order, as {@linkcode loggedRequest} gives them. A request of its own
 * (`GET /.log-marker-UUID`, HTTP/1.0) goes first, and the log is read once it shows it: every
 * request before it is there too, or (Apache) comes within {@linkcode LATE_LINE_WITHIN_MS}.
 */
export async function requestsLoggedSince(server: LoggingServer, from: number): Promise<string[]> {
  const { log, port } = server;
  const hostname = "127.0.0.1";
  const marker = `/.log-marker-${crypto.randomUUID()}`;
  const conn = await Deno.connect({ hostname, port });
  await conn.write(new TextEncoder().encode(`GET ${marker} HTTP/1.0\r\nHost: ${hostname}\r\n\r\n`));
  // The answer (a 404) to its end: the server closes an HTTP/1.0 connection after it.
  await new Response(conn.readable).arrayBuffer();
  const deadline = Date.now() + MARKER_LOGGED_WITHIN_MS;
  for (let poll = 0;; poll++) {
    // Again now and then: a flush that came before the server logged the marker leaves it held.
    if (poll % 10 === 0) server.flushLog?.();
    const text = (await Deno.readTextFile(log).catch(() => "")).slice(from);
    const end = text.indexOf(marker);
    if (end >= 0) {
      const lines = await linesBeganBefore(log, from, text, end);
      return inArrivalOrder(lines).flatMap((line) => loggedRequest(line) ?? []);
    }
    if (Date.now() > deadline) throw new Error(`${log} does not show ${marker}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * How long a request's line may still come after the marker's, when both began before it: Apache
 * writes a line from the worker that served the request, once its answer has left, so the line of
 * a client's last request on a connection of its own can follow the marker's.
 */
const LATE_LINE_WITHIN_MS = 300;

/** When the request of a log line that starts with it began (Apache's `%{begin:usec}t`). */
function beganAt(line: string): number | undefined {
  const began = /^(\d+) /.exec(line)?.[1];
  return began === undefined ? undefined : Number(began);
}

/**
 * The lines of requests made before the marker, whose line starts at `end` of `text` (the log from
 * `from` characters on): those before the marker's line where the log does not say when requests
 * began; where it does (Apache), read again after {@linkcode LATE_LINE_WITHIN_MS}, every line of a
 * request that began before the marker's.
 */
async function linesBeganBefore(
  log: string,
  from: number,
  text: string,
  end: number,
): Promise<string[]> {
  const markerBegan = beganAt(text.slice(text.lastIndexOf("\n", end) + 1));
  if (markerBegan === undefined) return text.slice(0, end).split("\n");
  await new Promise((resolve) => setTimeout(resolve, LATE_LINE_WITHIN_MS));
  const again = (await Deno.readTextFile(log)).slice(from);
  return again.split("\n").filter((line) => (beganAt(line) ?? Infinity) < markerBegan);
}

/**
 * `lines` in the order their requests arrived, where each line starts with the time its request
 * began, in microseconds (Apache's `%{begin:usec}t`); otherwise as they are. Apache writes a line
 * when the answer's last bytes have left, and a client that has read them may send its next
 * request, on another connection or on the same one (the event MPM logs after the write completes),
 * before the line is written: two requests in a row can be logged the other way round.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inArrivalOrder } from "./access_log.ts";
 *
 * assert.deepEqual(
 *   inArrivalOrder(['1700000000000002 "GET /b HTTP/1.1" 200', '1700000000000001 "GET /a HTTP/1.1" 200']),
 *   ['1700000000000001 "GET /a HTTP/1.1" 200', '1700000000000002 "GET /b HTTP/1.1" 200'],
 * );
 * assert.deepEqual(inArrivalOrder(['"GET /b HTTP/1.1" 200', '"GET /a HTTP/1.1" 200']), [
 *   '"GET /b HTTP/1.1" 200',
 *   '"GET /a HTTP/1.1" 200',
 * ]);
 * ```
 */
export function inArrivalOrder(lines: string[]): string[] {
  const logged = lines.filter((line) => line !== "");
  const began = logged.map((line) => /^(\d+) /.exec(line)?.[1]);
  if (began.some((time) => time === undefined)) return logged;
  return logged
    .map((line, index) => ({ line, began: Number(began[index]) }))
    .sort((a, b) => a.began - b.began)
    .map(({ line }) => line);
}
