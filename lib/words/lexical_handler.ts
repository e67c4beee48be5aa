/**
 * The lexical API: `GET /<any/prefix>/<letters>` answers, as JSON, the words the letters can form.
 * A plain `(Request, info) => Response` handler, so it runs under netkit's `serveHttp`,
 * `Deno.serve`, `deno serve`, or a test that calls it directly; on `serveHttp` its
 * {@linkcode LexicalHandler.fastPath} answers cached racks without building a Request or Response.
 *
 * @module
 */

import { connectionLogger } from "../net/connection_log.ts";
import { type CacheAnswer, LruCache } from "../async/lru_cache.ts";
import { MAX_RACK_LETTERS, parseRack, RackError, sortRack } from "./rack.ts";
import { QueueFullError } from "../async/worker_pool.ts";
import { type KnownResponse, PreparedHead } from "../http/server_response.ts";
import type { HttpServerStats } from "../http/server.ts";

/** The default number of racks the cache keeps. */
export const DEFAULT_CACHE_SIZE = 10_000;

/** The default bound on the cached answers' total size: 64 MiB of JSON. */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/** The default bound on one answer's list of words: 1 MiB of JSON. */
export const DEFAULT_MAX_ANSWER_BYTES = 1024 * 1024;

/** How many racks one client (one address) may have computing at once by default. */
export const DEFAULT_MAX_MISSES_PER_CLIENT = 8;

/** The path that answers the counters instead of a rack. */
export const STATS_PATH = "/-/stats";

/** The path that answers the counters in Prometheus's text format. */
export const METRICS_PATH = "/-/metrics";

/** The upper bounds, in seconds, of the answer-time histogram's buckets. */
const LATENCY_BUCKETS = [0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];

/** Options for {@linkcode createLexicalHandler}. */
export interface LexicalHandlerOptions {
  /** Answers a checked, sorted, lowercase rack (e.g. a word finder's `find`). */
  find(rack: string): Promise<string[]>;
  /** How many racks the cache keeps. @default {10000} */
  cacheSize?: number | undefined;
  /**
   * The most bytes of JSON the cache keeps (a rack of blanks answers megabytes). @default {64 MiB}
   */
  cacheBytes?: number;
  /** Receives `Received a connection request from ADDRESS.` per request; none when absent. */
  log?: ((line: string) => void) | undefined;
  /**
   * Receives one line per failed computation, `Word finder failed for rack "RACK": MESSAGE`
   * (a subprocess finder's message ends with the last line it wrote on stderr).
   */
  logError?: ((line: string) => void) | undefined;
  /**
   * The most bytes of JSON one answer's `possibilities` may take: a rack of many blanks makes
   * most of the dictionary (SOWPODS: 267,751 words, 3.2 MB). Beyond it the list holds the
   * longest words that fit, and the answer says `"truncated": true`. @default {1048576}
   */
  maxAnswerBytes?: number | undefined;
  /**
   * How many cache misses one client address may have computing at once; beyond it, 503 with
   * `Retry-After`, so one client's costly racks cannot fill the finder's queue. @default {8}
   */
  maxMissesPerClient?: number | undefined;
}

/** The counters answered at {@linkcode STATS_PATH}. */
export interface LexicalStats {
  /** Requests received, of every kind. */
  requests: number;
  /** Rack requests answered from the cache. */
  hits: number;
  /** Rack requests not in the cache. */
  misses: number;
  /** Misses that waited for a computation already under way. */
  joined: number;
  /** Racks computed. */
  computations: number;
  /** Computations that failed. */
  failures: number;
  /** Requests refused: bad rack, bad method, overload. */
  rejected: number;
  /** Racks in the cache. */
  cached: number;
}

/** A lexical handler, with its counters. */
export interface LexicalHandler {
  /** Answers one request (synchronously for a cache hit); never throws or rejects. */
  (request: Request, info?: { remoteAddr: Deno.Addr }): Response | Promise<Response>;
  /** The counters, as {@linkcode STATS_PATH} reports them. */
  stats(): LexicalStats;
  /** The metrics text {@linkcode METRICS_PATH} answers. */
  metrics(): string;
  /**
   * Adds the HTTP server's counters (responses by status, open connections, connections closed
   * by each timeout) to {@linkcode METRICS_PATH}.
   */
  reportServer(stats: () => HttpServerStats): void;
  /**
   * The same answer as the handler's for a GET or HEAD of a cached rack, as known bytes (for
   * `serveHttp`'s `fastPath`); undefined for anything else, which the handler then answers. The
   * answer is valid until the next call (one object, filled in afresh).
   */
  fastPath(
    method: string,
    target: string,
    info: { remoteAddr: Deno.Addr },
  ): KnownResponse | undefined;
}

const JSON_TYPE = "application/json; charset=utf-8";
const MAX_SEGMENT_CHARS = MAX_RACK_LETTERS * 3;

/**
 * Builds the lexical API's handler. Its cache is keyed by the sorted lowercase rack, so
 * `/LeXiCaL` and `/api/lexical` share an entry; concurrent misses for one rack compute once.
 *
 * Answers: 200 `{"time": seconds, "cached": bool, "possibilities": [words]}` (and
 * `"truncated": true` when the words would take more than `maxAnswerBytes`); 400 for an empty
 * rack or one with anything but letters (a blank is `%3F`); 414 for more than 32 tiles; 405 with
 * `Allow` for methods other than GET and HEAD; 503 with `Retry-After` when the finder is
 * overloaded or the client already has `maxMissesPerClient` racks computing; 500 when it fails.
 * Every error body is JSON `{"error": message}`.
 *
 * @example Call the handler without a socket
 * ```ts
 * import assert from "node:assert/strict";
 * import { createLexicalHandler } from "@netkit/netkit/words";
 *
 * const handler = createLexicalHandler({ find: (rack) => Promise.resolve([rack]) });
 * const response = await handler(new Request("http://localhost/api/CBA"));
 * const body = await response.json();
 * assert.equal(response.status, 200);
 * assert.equal(body.cached, false);
 * assert.deepEqual(body.possibilities, ["abc"]); // the rack, lowercased and sorted
 * ```
 */
export function createLexicalHandler(options: LexicalHandlerOptions): LexicalHandler {
  const cache = new LruCache<string, string>(options.cacheSize ?? DEFAULT_CACHE_SIZE, {
    maxWeight: options.cacheBytes ?? DEFAULT_CACHE_BYTES,
    weigh: (json) => json.length,
  });
  const log = options.log;
  // One line per client address, built once while requests keep coming from it.
  const logAddress = log && connectionLogger(log);
  const find = options.find;
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  if (!(maxAnswerBytes >= 2)) {
    throw new RangeError(`The answer bound ${maxAnswerBytes} is less than 2 bytes`);
  }
  const computeJson = async (rack: string) => possibilitiesJson(await find(rack), maxAnswerBytes);
  let requests = 0;
  let rejected = 0;
  const maxMissesPerClient = options.maxMissesPerClient ?? DEFAULT_MAX_MISSES_PER_CLIENT;
  const pendingByClient = new Map<string, number>();
  const latency = { buckets: LATENCY_BUCKETS.map(() => 0), count: 0, sum: 0 };
  const observe = (seconds: number) => {
    latency.count++;
    latency.sum += seconds;
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]!) {
        latency.buckets[i]!++;
        break;
      }
    }
  };

  const stats = (): LexicalStats => ({
    requests,
    hits: cache.stats.hits,
    misses: cache.stats.misses,
    joined: cache.stats.joined,
    computations: cache.stats.computations,
    failures: cache.stats.failures,
    rejected,
    cached: cache.size,
  });

  const fail = (status: number, message: string, head: boolean, headers?: [string, string][]) => {
    rejected++;
    return reply(status, JSON.stringify({ error: message }), head, headers);
  };

  const handler = (
    request: Request,
    info?: { remoteAddr: Deno.Addr },
  ): Response | Promise<Response> => {
    requests++;
    if (logAddress) {
      if (info) logAddress(info.remoteAddr);
      else log!("Received a connection request from unknown.");
    }
    const method = request.method;
    const head = method === "HEAD";
    if (method !== "GET" && !head) {
      return fail(405, `The method "${method.slice(0, 20)}" is not allowed`, false, [
        ["allow", "GET, HEAD"],
      ]);
    }
    const url = request.url;
    const path = pathOf(url);
    if (path === STATS_PATH) return reply(200, JSON.stringify(stats()), head);
    if (path === METRICS_PATH) {
      const text = metrics();
      return new Response(head ? null : text, {
        headers: {
          "content-type": "text/plain; version=0.0.4; charset=utf-8",
          ...(head ? { "content-length": String(encoder.encode(text).length) } : {}),
        },
      });
    }
    if (url.includes("?", url.indexOf(path))) {
      return fail(
        400,
        'A "?" starts a query string, which the rack may not have: write a blank tile as %3F',
        head,
      );
    }
    const segment = path.slice(path.lastIndexOf("/") + 1);
    if (segment.length > MAX_SEGMENT_CHARS) {
      return fail(414, `The rack holds more than ${MAX_RACK_LETTERS} tiles`, head);
    }
    let rack: string;
    try {
      rack = sortRack(parseRack(decodeURIComponent(segment)));
    } catch (error) {
      if (error instanceof RackError) {
        return fail(error.problem === "too-long" ? 414 : 400, error.message, head);
      }
      return fail(400, "The rack is not valid percent-encoding", head);
    }
    const started = performance.now();
    // The fair share counts the racks a client makes the finder compute: a hit costs nothing, and
    // neither does joining a computation already under way.
    const client = info && cache.get(rack) === undefined && !cache.isComputing(rack)
      ? clientOf(info.remoteAddr)
      : undefined;
    if (client !== undefined && (pendingByClient.get(client) ?? 0) >= maxMissesPerClient) {
      return fail(503, `This client has ${maxMissesPerClient} racks computing already`, head, [
        ["retry-after", "1"],
      ]);
    }
    // A hit is answered synchronously: no promise, no microtask, no closure, on the hot path.
    const answer = cache.getOrCompute(rack, computeJson);
    if (!(answer instanceof Promise)) return answered(answer, started, head, observe);
    if (client !== undefined) pendingByClient.set(client, (pendingByClient.get(client) ?? 0) + 1);
    return answer.then((computed) => answered(computed, started, head, observe), (error) => {
      if (error instanceof QueueFullError) {
        return fail(503, "The server is busy", head, [["retry-after", "1"]]);
      }
      const message = (error as Error)?.message ?? String(error);
      options.logError?.(`Word finder failed for rack "${rack}": ${message}`);
      return fail(500, `The word finder failed: ${message}`, head);
    }).finally(() => {
      if (client === undefined) return;
      const pending = pendingByClient.get(client)! - 1;
      if (pending === 0) pendingByClient.delete(client);
      else pendingByClient.set(client, pending);
    });
  };
  // The fast path's memo: a raw rack segment -> its rack, the cached JSON it was built from, and
  // the answer's tail pre-encoded. Checked against the cache on every use; bounded.
  const fastEntries = new Map<string, FastEntry>();
  let fastBytes = 0;
  // The last target answered and its entry: a kept-alive client repeating its request hands the
  // same target again (serveHttp reuses a repeated head's parse), known without a lookup.
  let lastTarget: string | undefined;
  let lastEntry: FastEntry | undefined;
  // The answer handed back each time: serveHttp copies it at once.
  const answerParts: [Uint8Array, Uint8Array] = [EMPTY, EMPTY];
  const known: KnownResponse = { head: OK_HEAD, body: answerParts };
  const fastPath = (
    method: string,
    target: string,
    info: { remoteAddr: Deno.Addr },
  ): KnownResponse | undefined => {
    if (method !== "GET" && method !== "HEAD") return undefined;
    const started = performance.now();
    let entry: FastEntry | undefined;
    let segment: string | undefined;
    if (target === lastTarget) {
      entry = lastEntry;
    } else {
      if (target.charCodeAt(0) !== 47 || target.includes("?")) return undefined;
      if (target === STATS_PATH || target === METRICS_PATH) return undefined;
      segment = target.slice(target.lastIndexOf("/") + 1);
      entry = fastEntries.get(segment);
    }
    if (entry !== undefined && cache.get(entry.rack) !== entry.json) {
      fastEntries.delete(entry.segment);
      fastBytes -= entry.tail.length;
      entry = lastTarget = lastEntry = undefined;
    }
    if (entry === undefined) {
      segment ??= target.slice(target.lastIndexOf("/") + 1);
      if (segment.length === 0 || segment.length > MAX_SEGMENT_CHARS) return undefined;
      let rack: string;
      try {
        rack = sortRack(parseRack(segment.includes("%") ? decodeURIComponent(segment) : segment));
      } catch {
        return undefined;
      }
      const json = cache.get(rack);
      if (json === undefined) return undefined;
      const tail = encoder.encode(`,"cached":true,"possibilities":${json}}`);
      entry = { segment, rack, json, tail };
      if (fastEntries.size >= FAST_ENTRIES || fastBytes > FAST_BYTES) {
        fastEntries.clear();
        fastBytes = 0;
      }
      fastEntries.set(segment, entry);
      fastBytes += entry.tail.length;
    }
    lastTarget = target;
    lastEntry = entry;
    cache.stats.hits++;
    requests++;
    logAddress?.(info.remoteAddr);
    const seconds = Math.round((performance.now() - started) * 1000) / 1e6;
    observe(seconds);
    answerParts[0] = timePrefix(seconds);
    answerParts[1] = entry.tail;
    return known;
  };
  let serverStats: (() => HttpServerStats) | undefined;
  const metrics = () => metricsText(stats(), latency, serverStats?.());
  const reportServer = (report: () => HttpServerStats) => {
    serverStats = report;
  };
  return Object.assign(handler, { stats, fastPath, metrics, reportServer });
}

/**
 * The words as a JSON array, within `max` bytes: when the whole list is longer, the words that fit
 * (the list is longest first) followed by `,"truncated":true`, which the answer's object then
 * carries after `possibilities`.
 */
function possibilitiesJson(words: string[], max: number): string {
  const json = JSON.stringify(words);
  // Printable ASCII (JSON escapes the control characters) is a byte a character; else count.
  const ascii = /^[ -~]*$/.test(json);
  if ((ascii ? json.length : encoder.encode(json).length) <= max) return json;
  let size = 2; // [ and ]
  let count = 0;
  for (const word of words) {
    const quoted = JSON.stringify(word);
    const bytes = (ascii ? quoted.length : encoder.encode(quoted).length) + (count > 0 ? 1 : 0);
    if (size + bytes > max) break;
    size += bytes;
    count++;
  }
  return `${JSON.stringify(words.slice(0, count))},"truncated":true`;
}

/** `{"time":SECONDS` as UTF-8; a hit takes a few microseconds, so few values recur. */
const TIME_PREFIXES = new Map<number, Uint8Array>();
function timePrefix(seconds: number): Uint8Array {
  let bytes = TIME_PREFIXES.get(seconds);
  if (bytes === undefined) {
    if (TIME_PREFIXES.size >= 256) TIME_PREFIXES.clear();
    bytes = encoder.encode(`{"time":${seconds}`);
    TIME_PREFIXES.set(seconds, bytes);
  }
  return bytes;
}

/** The fast path's memo entry for a raw rack segment. */
interface FastEntry {
  segment: string;
  rack: string;
  json: string;
  tail: Uint8Array;
}
const EMPTY = new Uint8Array(0);
const FAST_ENTRIES = 4096;
const FAST_BYTES = 16 * 1024 * 1024;
const OK_HEAD = new PreparedHead(200, [["content-type", "application/json; charset=utf-8"]]);
const ERROR_HEADS = new Map<number, PreparedHead>();

/**
 * A server error answer (400, 413, 414, 431, 503, ...) as the lexical API's JSON,
 * `{"error": message}`: `serveHttp`'s `errorResponse` for lexical-server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lexicalErrorResponse } from "@netkit/netkit/words";
 *
 * const known = lexicalErrorResponse(414, "The request line is too long");
 * assert.equal(known.head.status, 414);
 * assert.deepEqual(JSON.parse(known.body as string), { error: "The request line is too long" });
 * ```
 */
export function lexicalErrorResponse(status: number, message: string): KnownResponse {
  let head = ERROR_HEADS.get(status);
  if (!head) {
    head = new PreparedHead(status, [["content-type", JSON_TYPE]]);
    ERROR_HEADS.set(status, head);
  }
  return { head, body: JSON.stringify({ error: message }) };
}

const JSON_HEADERS: [string, string][] = [["content-type", JSON_TYPE]];
const encoder = new TextEncoder();

function answered(
  answer: CacheAnswer<string>,
  started: number,
  head: boolean,
  observe: (seconds: number) => void,
): Response {
  const seconds = Math.round((performance.now() - started) * 1000) / 1e6;
  observe(seconds);
  const body = `{"time":${seconds},"cached":${answer.cached},"possibilities":${answer.value}}`;
  return reply(200, body, head);
}

/** The Prometheus text exposition of the handler's (and the server's) counters. */
function metricsText(
  stats: LexicalStats,
  latency: { buckets: number[]; count: number; sum: number },
  server: HttpServerStats | undefined,
): string {
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, samples: [string, number][]) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  metric("lexical_requests_total", "counter", "Requests received.", [["", stats.requests]]);
  metric("lexical_cache_hits_total", "counter", "Racks answered from the cache.", [[
    "",
    stats.hits,
  ]]);
  metric("lexical_cache_misses_total", "counter", "Racks not in the cache.", [["", stats.misses]]);
  metric("lexical_computations_total", "counter", "Racks computed.", [["", stats.computations]]);
  metric("lexical_computation_failures_total", "counter", "Computations that failed.", [[
    "",
    stats.failures,
  ]]);
  metric("lexical_rejected_total", "counter", "Requests refused by the handler.", [[
    "",
    stats.rejected,
  ]]);
  metric("lexical_cached_racks", "gauge", "Racks in the cache.", [["", stats.cached]]);
  let cumulative = 0;
  const buckets: [string, number][] = LATENCY_BUCKETS.map((bound, i) => {
    cumulative += latency.buckets[i]!;
    return [`_bucket{le="${bound}"}`, cumulative];
  });
  buckets.push(['_bucket{le="+Inf"}', latency.count]);
  buckets.push(["_sum", Math.round(latency.sum * 1e6) / 1e6], ["_count", latency.count]);
  metric("lexical_answer_seconds", "histogram", "Time to answer a rack.", buckets);
  if (server) {
    metric(
      "http_responses_total",
      "counter",
      "Responses sent, by status.",
      Object.entries(server.responses).map(([status, count]) => [`{status="${status}"}`, count]),
    );
    metric("http_open_connections", "gauge", "Connections open now.", [["", server.connections]]);
    metric("http_connections_accepted_total", "counter", "Connections accepted.", [[
      "",
      server.accepted,
    ]]);
    metric(
      "http_connections_closed_total",
      "counter",
      "Connections closed by the server, by cause.",
      [
        ['{reason="header_timeout"}', server.headerTimeouts],
        ['{reason="idle_timeout"}', server.idleTimeouts],
        ['{reason="write_timeout"}', server.writeTimeouts],
        ['{reason="body_timeout"}', server.bodyTimeouts],
        ['{reason="evicted"}', server.evicted],
        ['{reason="refused"}', server.refused],
      ],
    );
    metric("http_accept_errors_total", "counter", "Failed accepts (e.g. out of descriptors).", [[
      "",
      server.acceptErrors,
    ]]);
  }
  return lines.join("\n") + "\n";
}

function reply(status: number, body: string, head: boolean, extra?: [string, string][]): Response {
  const headers = extra ? [...JSON_HEADERS, ...extra] : JSON_HEADERS;
  const response = new Response(head ? null : body, { status, headers });
  if (head) response.headers.set("content-length", String(encoder.encode(body).length));
  return response;
}

/** The path of an absolute URL, without query, read without building a URL object. */
function pathOf(url: string): string {
  const scheme = url.indexOf("://");
  const start = url.indexOf("/", scheme < 0 ? 0 : scheme + 3);
  if (start < 0) return "/";
  let end = url.indexOf("?", start);
  if (end < 0) end = url.length;
  const hash = url.indexOf("#", start);
  if (hash >= 0 && hash < end) end = hash;
  return url.slice(start, end);
}

/** The client a fair share is counted for: its address (IPv4-mapped IPv6 as IPv4). */
function clientOf(address: Deno.Addr): string {
  if (address.transport !== "tcp" && address.transport !== "udp") return address.transport;
  return address.hostname.replace(/^::ffff:(?=\d+\.)/i, "");
}
