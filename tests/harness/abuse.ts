/**
 * Abuse helpers for servers on loopback, shared by `tests/abuse_test.ts` (small numbers) and
 * `bench/abuse.ts` (the full run): a well-behaved client that keeps asking and records each
 * latency, malformed HTTP requests, slowloris connections, a flood of connections that say
 * nothing, and a reading of a process's memory and open file descriptors from `/proc`.
 * Every helper stops by itself: each connection has a deadline.
 *
 * @module
 */

import { Rng } from "../fuzz/_harness.ts";
import { type DenoServer, startDenoServer } from "./deno_server.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A process's memory and descriptors, read from `/proc/PID`. */
export interface ProcessSample {
  /** Resident set size, KiB (`VmRSS`). */
  rssKiB: number;
  /** Peak resident set size, KiB (`VmHWM`). */
  hwmKiB: number;
  /** Open file descriptors (entries of `/proc/PID/fd`). */
  fds: number;
}

/** Reads `VmRSS`, `VmHWM` and the open descriptors of process `pid` (Linux only). */
export function sampleProcess(pid: number): ProcessSample {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1]);
  let fds = 0;
  for (const _ of Deno.readDirSync(`/proc/${pid}/fd`)) fds++;
  return { rssKiB: field("VmRSS"), hwmKiB: field("VmHWM"), fds };
}

/** Starts `cmd/COMMAND.ts --quiet EXTRA… --port P --host 127.0.0.1` in its own process. */
export function startQuietServer(command: string, extra: string[] = []): Promise<DenoServer> {
  const script = new URL(`../../cmd/${command}.ts`, import.meta.url).pathname;
  return startDenoServer(
    (
      port,
    ) => ["run", "-A", script, "--quiet", ...extra, "--port", `${port}`, "--host", "127.0.0.1"],
    { keepStderr: false },
  );
}

/**
 * The TCP connections process `pid` holds on its listening `port` (IPv4 or IPv6), established
 * or half-closed, read from `/proc/net/tcp*` and matched to the process's own descriptors:
 * unlike a count of all its descriptors, untouched by what else it opens or has not closed yet
 * (Linux only).
 */
export function heldConnections(pid: number, port: number): number {
  const inodes = new Set<string>();
  for (const entry of Deno.readDirSync(`/proc/${pid}/fd`)) {
    try {
      const target = Deno.readLinkSync(`/proc/${pid}/fd/${entry.name}`);
      const socket = /^socket:\[(\d+)\]$/.exec(target);
      if (socket) inodes.add(socket[1]!);
    } catch {
      // Closed meanwhile.
    }
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  let held = 0;
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = Deno.readTextFileSync(table);
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address, state (0A is LISTEN), inode.
      const [local, state, inode] = [fields[1], fields[3], fields[9]];
      if (local === undefined || inode === undefined || state === "0A") continue;
      if (local.endsWith(`:${hexPort}`) && inodes.has(inode)) held++;
    }
  }
  return held;
}

/** Polls `read` until it returns true or `timeoutMs` passes; resolves with the final answer. */
export async function eventually(
  read: () => boolean,
  timeoutMs: number,
  everyMs = 50,
): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!read()) {
    if (performance.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return true;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}

/** Closes `conn`, ignoring a connection already closed. */
function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Closed already.
  }
}

/**
 * Connects to 127.0.0.1:`port`, writes `request` (if any) and reads until the server closes
 * (or, with `untilHead`, until a response head has come: a kept-alive connection ends there), at
 * most `maxBytes` kept and `timeoutMs` in all.
 *
 * @returns What came back (possibly cut), or how it ended: `"timeout"`, `"reset"`, `"refused"`.
 */
export async function exchange(
  port: number,
  request: Uint8Array | string | undefined,
  options: { timeoutMs?: number; maxBytes?: number; untilHead?: boolean } = {},
): Promise<{ bytes: Uint8Array; end: "closed" | "timeout" | "reset" | "refused" }> {
  const maxBytes = options.maxBytes ?? 64 * 1024;
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
  } catch {
    return { bytes: new Uint8Array(), end: "refused" };
  }
  const timer = setTimeout(() => closeQuietly(conn), options.timeoutMs ?? 10_000);
  let timedOut = false;
  const parts: Uint8Array[] = [];
  let length = 0;
  let end: "closed" | "timeout" | "reset" = "closed";
  try {
    if (request !== undefined) {
      const bytes = typeof request === "string" ? encoder.encode(request) : request;
      // The server may answer and close before reading it all: a failed write is not the end.
      const writing = (async () => {
        for (let offset = 0; offset < bytes.length;) {
          offset += await conn.write(bytes.subarray(offset));
        }
      })().catch(() => {});
      void writing;
    }
    const buffer = new Uint8Array(16 * 1024);
    while (true) {
      const n = await conn.read(buffer);
      if (n === null) break;
      if (length < maxBytes) {
        parts.push(buffer.slice(0, Math.min(n, maxBytes - length)));
        length += Math.min(n, maxBytes - length);
      }
      if (options.untilHead && decoder.decode(parts.at(-1)).includes("\r\n\r\n")) break;
    }
  } catch (error) {
    timedOut = error instanceof Deno.errors.BadResource || error instanceof Deno.errors.Interrupted;
    end = timedOut ? "timeout" : "reset";
  } finally {
    clearTimeout(timer);
    closeQuietly(conn);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return { bytes, end };
}

/** The status code of an HTTP response's first line, or undefined. */
export function statusOf(bytes: Uint8Array): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(decoder.decode(bytes.subarray(0, 64)));
  return match ? Number(match[1]) : undefined;
}

/** What a good client saw. */
export interface GoodClientReport {
  /** Each request's latency, ms, in order. */
  latencies: number[];
  /** Descriptions of the requests that failed. */
  failures: string[];
}

/**
 * Runs `probe` every `intervalMs` (one at a time) until `signal` aborts, timing each. A probe
 * throws to count as a failure.
 */
export async function goodClient(
  probe: () => Promise<void>,
  intervalMs: number,
  signal: AbortSignal,
): Promise<GoodClientReport> {
  const report: GoodClientReport = { latencies: [], failures: [] };
  while (!signal.aborted) {
    const started = performance.now();
    try {
      await probe();
    } catch (error) {
      report.failures.push(error instanceof Error ? error.message : String(error));
    }
    const elapsed = performance.now() - started;
    report.latencies.push(elapsed);
    await pause(Math.max(0, intervalMs - elapsed), signal);
  }
  return report;
}

/** A probe: GET `path` on a new connection; it must answer 200 with a JSON body. */
export function httpProbe(port: number, path: string): () => Promise<void> {
  return async () => {
    const { bytes, end } = await exchange(
      port,
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      { timeoutMs: 10_000 },
    );
    const status = statusOf(bytes);
    if (status !== 200) throw new Error(`GET ${path}: ${status ?? end}`);
    const text = decoder.decode(bytes);
    JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4));
  };
}

/** A probe: a daytime connection must give one line and close. */
export function daytimeProbe(port: number): () => Promise<void> {
  return async () => {
    const { bytes, end } = await exchange(port, undefined, { timeoutMs: 10_000 });
    const text = decoder.decode(bytes);
    if (!/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n$/.test(text)) {
      throw new Error(`daytime: ${JSON.stringify(text)} (${end})`);
    }
  };
}

/** The kinds of malformed request {@linkcode malformedRequest} makes. */
export const MALFORMED_KINDS = [
  "random bytes",
  "bad request line",
  "huge header",
  "many headers",
  "bad method",
  "huge path",
] as const;

/** Builds malformed request number `i` (its kind is `MALFORMED_KINDS[i % 6]`). */
export function malformedRequest(rng: Rng, i: number): Uint8Array {
  const kind = MALFORMED_KINDS[i % MALFORMED_KINDS.length];
  switch (kind) {
    case "random bytes":
      return rng.bytes(1 + rng.int(2048));
    case "bad request line":
      return encoder.encode(
        rng.pick([
          "GET\r\n\r\n",
          "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
          "G\0T /abc HTTP/1.1\r\nHost: x\r\n\r\n",
          " / HTTP/1.1\r\n\r\n",
          "GET /abc HTTP/1.1 extra\r\n\r\n",
          "GET /abc\r\n\r\n",
          "\r\n\r\n\r\n",
          "GET /abc HTTP/1.1\n\rHost: x\n\r\n\r",
          "GET /abc HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
          "GET /abc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n",
          "GET /abc HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
          "GET /abc HTTP/1.1\r\n: novalue\r\n\r\n",
        ]),
      );
    case "huge header":
      return encoder.encode(
        `GET /abc HTTP/1.1\r\nHost: x\r\nX-Big: ${
          "a".repeat(64 * 1024 + rng.int(1 << 20))
        }\r\n\r\n`,
      );
    case "many headers":
      return encoder.encode(
        `GET /abc HTTP/1.1\r\nHost: x\r\n${"X-H: v\r\n".repeat(200 + rng.int(10_000))}\r\n`,
      );
    case "bad method":
      return encoder.encode(
        `${
          rng.pick([
            "BREW",
            "get",
            "G(T",
            "DELETE",
            "POST",
            "X".repeat(1 + rng.int(5000)),
            "PR\u00cdI",
          ])
        } /abc HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
    case "huge path":
      return encoder.encode(
        `GET /${"%41".repeat(1000 + rng.int(100_000))} HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
  }
  throw new RangeError(`No malformed request kind for ${i}`);
}

/** What the malformed requests got back: a count per status code or per way of ending. */
export type Outcomes = Record<string, number>;

/**
 * Sends `count` malformed requests, `concurrency` at a time, each on its own connection, and
 * tallies the answers (`"400"`, `"431"`, `"closed"` for a close without an answer, …).
 */
export async function sendMalformed(
  port: number,
  count: number,
  options: { concurrency?: number; seed?: number; timeoutMs?: number } = {},
): Promise<Outcomes> {
  const rng = new Rng(options.seed ?? 1);
  const outcomes: Outcomes = {};
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const { bytes, end } = await exchange(port, malformedRequest(rng, i), {
        timeoutMs: options.timeoutMs ?? 10_000,
        maxBytes: 4096,
        untilHead: true,
      });
      const key = `${MALFORMED_KINDS[i % MALFORMED_KINDS.length]}: ${
        statusOf(bytes) ?? (bytes.length ? "other" : end)
      }`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 32 }, worker));
  return outcomes;
}

/** What slowloris saw. */
export interface SlowlorisReport {
  /** Connections opened. */
  opened: number;
  /** Connections the server closed (or reset) before the end. */
  closedByServer: number;
  /** When the server closed them, ms after opening (sorted). */
  closedAfterMs: number[];
  /** Bytes trickled in all. */
  bytesSent: number;
}

/**
 * Opens `connections` connections that send a request line and then one header byte every
 * `byteIntervalMs`, never ending the head, for `durationMs`; then closes what is left.
 */
export async function slowloris(
  port: number,
  options: { connections: number; durationMs: number; byteIntervalMs?: number },
): Promise<SlowlorisReport> {
  const interval = options.byteIntervalMs ?? 1000;
  const stop = AbortSignal.timeout(options.durationMs);
  const report: SlowlorisReport = { opened: 0, closedByServer: 0, closedAfterMs: [], bytesSent: 0 };
  const one = async () => {
    let conn: Deno.TcpConn;
    try {
      conn = await Deno.connect({ hostname: "127.0.0.1", port });
    } catch {
      return;
    }
    report.opened++;
    const opened = performance.now();
    let closed = false;
    const reading = (async () => {
      try {
        while ((await conn.read(new Uint8Array(1024))) !== null);
      } catch {
        // Reset, or closed by us.
      }
      if (!stop.aborted) {
        closed = true;
        report.closedByServer++;
        report.closedAfterMs.push(Math.round(performance.now() - opened));
      }
    })();
    try {
      await conn.write(encoder.encode("GET /abc HTTP/1.1\r\nHost: x\r\nX-Slow: "));
      while (!stop.aborted && !closed) {
        await pause(interval, stop);
        if (stop.aborted || closed) break;
        await conn.write(encoder.encode("a"));
        report.bytesSent++;
      }
    } catch {
      // The server closed it; the reader counts that.
    }
    await pause(0);
    closeQuietly(conn);
    await reading;
  };
  await Promise.all(Array.from({ length: options.connections }, one));
  report.closedAfterMs.sort((a, b) => a - b);
  return report;
}

/** A flood of silent connections, held open until {@linkcode Flood.release}. */
export interface Flood {
  /** Connections made. */
  opened: number;
  /** Connect attempts that failed. */
  failed: number;
  /** Connections the server closed while they were held. */
  closedByServer: number;
  /** Closes every connection; resolves when their readers have seen the end. */
  release(): Promise<void>;
}

/**
 * Opens `connections` connections that say nothing, `concurrency` connects at a time. With
 * `read: false` they never read either (so `closedByServer` stays 0: nothing watches).
 */
export async function connectionFlood(
  port: number,
  connections: number,
  options: { concurrency?: number; read?: boolean } = {},
): Promise<Flood> {
  const open: Deno.TcpConn[] = [];
  const readers: Promise<void>[] = [];
  let releasing = false;
  const flood: Flood = {
    opened: 0,
    failed: 0,
    closedByServer: 0,
    async release() {
      releasing = true;
      for (const conn of open) closeQuietly(conn);
      await Promise.all(readers);
    },
  };
  let next = 0;
  const worker = async () => {
    while (next < connections) {
      next++;
      try {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        open.push(conn);
        flood.opened++;
        if (options.read === false) continue;
        readers.push((async () => {
          try {
            while ((await conn.read(new Uint8Array(256))) !== null);
          } catch {
            // Reset, or closed by us.
          }
          if (!releasing) flood.closedByServer++;
        })());
      } catch {
        flood.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 64 }, worker));
  return flood;
}

/** Summary figures of latencies, ms. */
export function latencySummary(
  latencies: number[],
): { count: number; p50: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}
