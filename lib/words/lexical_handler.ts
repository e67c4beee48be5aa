/**
 * The lexical API: `GET /<any/prefix>/<letters>` answers, as JSON, the words the letters can form.
 * A plain `(Request, info) => Response` handler, so it runs under `Deno.serve`, `deno serve`, or a
 * test that calls it directly.
 *
 * @module
 */

import { connectionLogger } from "../net/connection_log.ts";
import { type CacheAnswer, LruCache } from "../async/lru_cache.ts";
import { MAX_RACK_LETTERS, parseRack, RackError, sortRack } from "./rack.ts";
import { QueueFullError } from "../async/worker_pool.ts";

/** The default number of racks the cache keeps. */
export const DEFAULT_CACHE_SIZE = 10_000;

/** The default bound on the cached answers' total size: 64 MiB of JSON. */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/** The path that answers the counters instead of a rack. */
export const STATS_PATH = "/-/stats";

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
}

const JSON_TYPE = "application/json; charset=utf-8";
const MAX_SEGMENT_CHARS = MAX_RACK_LETTERS * 3;

/**
 * Builds the lexical API's handler. Its cache is keyed by the sorted lowercase rack, so
 * `/LeXiCaL` and `/api/lexical` share an entry; concurrent misses for one rack compute once.
 *
 * Answers: 200 `{"time": seconds, "cached": bool, "possibilities": [words]}`; 400 for an empty
 * rack or one with anything but letters (a blank is `%3F`); 414 for more than 32 tiles; 405 with
 * `Allow` for methods other than GET and HEAD; 503 when the finder is overloaded; 500 when it fails.
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
  const computeJson = async (rack: string) => JSON.stringify(await find(rack));
  let requests = 0;
  let rejected = 0;

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
    const path = pathOf(request.url);
    if (path === STATS_PATH) return reply(200, JSON.stringify(stats()), head);
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
    // A hit is answered synchronously: no promise, no microtask, no closure, on the hot path.
    const answer = cache.getOrCompute(rack, computeJson);
    if (!(answer instanceof Promise)) return answered(answer, started, head);
    return answer.then((computed) => answered(computed, started, head), (error) => {
      if (error instanceof QueueFullError) return fail(503, "The server is busy", head);
      return fail(500, `The word finder failed: ${(error as Error)?.message ?? error}`, head);
    });
  };
  return Object.assign(handler, { stats });
}

const JSON_HEADERS: [string, string][] = [["content-type", JSON_TYPE]];
const encoder = new TextEncoder();

function answered(answer: CacheAnswer<string>, started: number, head: boolean): Response {
  const seconds = Math.round((performance.now() - started) * 1000) / 1e6;
  const body = `{"time":${seconds},"cached":${answer.cached},"possibilities":${answer.value}}`;
  return reply(200, body, head);
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
