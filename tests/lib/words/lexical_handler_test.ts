import assert from "node:assert/strict";
import { createLexicalHandler } from "../../../lib/words/lexical_handler.ts";
import { buildWordIndex } from "../../../lib/words/word_index.ts";
import { QueueFullError } from "../../../lib/async/worker_pool.ts";

const index = buildWordIndex(["lexical", "alexic", "axle", "lax", "ax", "xi", "quick", "quack"]);
const finder = (rack: string) => Promise.resolve(index.find(rack));
const info = { remoteAddr: { transport: "tcp" as const, hostname: "192.0.2.7", port: 40000 } };

function get(path: string, init?: RequestInit): Request {
  return new Request(`http://localhost${path}`, init);
}

Deno.test("lexical handler answers JSON with time, cached and possibilities", async () => {
  const handler = createLexicalHandler({ find: finder });
  const response = await handler(get("/api/LeXiCaL"), info);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
  const body = await response.json();
  assert.deepEqual(Object.keys(body), ["time", "cached", "possibilities"]);
  assert.equal(typeof body.time, "number");
  assert.ok(body.time >= 0);
  assert.equal(body.cached, false);
  assert.deepEqual(body.possibilities, ["lexical", "alexic", "axle", "lax", "ax", "xi"]);
});

Deno.test("lexical handler caches by sorted rack, across prefixes and case", async () => {
  const handler = createLexicalHandler({ find: finder });
  assert.equal((await (await handler(get("/LeXiCaL"))).json()).cached, false);
  const again = await (await handler(get("/api/v1/lexical"))).json();
  assert.equal(again.cached, true);
  assert.equal((await (await handler(get("/callxie"))).json()).cached, true);
  const stats = await (await handler(get("/-/stats"))).json();
  assert.equal(stats.requests, 4);
  assert.equal(stats.hits, 2);
  assert.equal(stats.misses, 1);
  assert.equal(stats.computations, 1);
});

Deno.test("lexical handler computes once for 100 concurrent requests for one rack", async () => {
  let calls = 0;
  const handler = createLexicalHandler({ find: (rack) => (calls++, finder(rack)) });
  const responses = await Promise.all(Array.from({ length: 100 }, () => handler(get("/xal"))));
  const bodies = await Promise.all(responses.map((response) => response.json()));
  assert.ok(bodies.every((body) => body.possibilities.join() === "lax,ax"));
  assert.equal(calls, 1);
  const stats = handler.stats();
  assert.equal(stats.computations, 1);
  assert.equal(stats.misses, 100);
  assert.equal(stats.joined, 99);
});

Deno.test("lexical handler takes a blank as %3F", async () => {
  const handler = createLexicalHandler({ find: finder });
  const body = await (await handler(get("/qu%3Fck"))).json();
  assert.deepEqual(body.possibilities, ["quack", "quick"]);
});

Deno.test("lexical handler refuses bad racks with 400 or 414 and a JSON error", async () => {
  const table: [string, number][] = [
    ["/", 400],
    ["/api/", 400],
    ["/abc1", 400],
    ["/a%20b", 400],
    ["/%ZZ", 400],
    ["/%C3%A9", 400],
    ["/a-b", 400],
    ["/..", 400],
    ["/%00", 400],
    ["/" + "a".repeat(33), 414],
    ["/" + "%3F".repeat(33), 414],
    ["/" + "a".repeat(100_000), 414],
  ];
  let calls = 0;
  const handler = createLexicalHandler({ find: (rack) => (calls++, finder(rack)) });
  for (const [path, status] of table) {
    const response = await handler(get(path));
    assert.equal(response.status, status, path.slice(0, 20));
    assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
    assert.equal(typeof (await response.json()).error, "string");
  }
  assert.equal(calls, 0);
  assert.equal(handler.stats().rejected, table.length);
});

Deno.test("lexical handler answers 405 with Allow for other methods", async () => {
  const handler = createLexicalHandler({ find: finder });
  for (const method of ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW"]) {
    const response = await handler(get("/abc", { method }));
    assert.equal(response.status, 405, method);
    assert.equal(response.headers.get("allow"), "GET, HEAD");
    assert.match((await response.json()).error, /not allowed/);
  }
});

Deno.test("lexical handler answers HEAD with headers and no body", async () => {
  const handler = createLexicalHandler({ find: finder });
  const response = await handler(get("/lexical", { method: "HEAD" }));
  assert.equal(response.status, 200);
  assert.equal(response.body, null);
  assert.ok(Number(response.headers.get("content-length")) > 50);
});

Deno.test("lexical handler answers 503 when the finder is busy and 500 when it fails", async () => {
  let mode: "busy" | "fail" | "ok" = "busy";
  const handler = createLexicalHandler({
    find: (rack) => {
      if (mode === "busy") return Promise.reject(new QueueFullError(1));
      if (mode === "fail") return Promise.reject(new Error("exploded"));
      return finder(rack);
    },
  });
  assert.equal((await handler(get("/lax"))).status, 503);
  mode = "fail";
  const failed = await handler(get("/lax"));
  assert.equal(failed.status, 500);
  assert.match((await failed.json()).error, /exploded/);
  mode = "ok";
  const body = await (await handler(get("/lax"))).json();
  assert.equal(body.cached, false, "failures are not cached");
  assert.equal(handler.stats().failures, 2);
});

Deno.test("lexical handler logs one line per request with the peer's address", async () => {
  const lines: string[] = [];
  const handler = createLexicalHandler({ find: finder, log: (line) => lines.push(line) });
  await handler(get("/lax"), info);
  await handler(get("/lax", { method: "POST" }));
  assert.deepEqual(lines, [
    "Received a connection request from 192.0.2.7.",
    "Received a connection request from unknown.",
  ]);
});

Deno.test("lexical handler does not cache answers beyond cacheBytes", async () => {
  const handler = createLexicalHandler({ find: finder, cacheBytes: 20 });
  await handler(get("/lexical"));
  assert.equal((await (await handler(get("/lexical"))).json()).cached, false);
  assert.equal(handler.stats().cached, 0);
});

Deno.test("lexical handler refuses a query string or a literal ? with 400 naming %3F", async () => {
  const handler = createLexicalHandler({ find: finder });
  for (const path of ["/qu?ck", "/api/lexical?x=1", "/abc?"]) {
    const response = await handler(get(path), info);
    assert.equal(response.status, 400, path);
    assert.match((await response.json()).error, /%3F/);
  }
  assert.equal((await handler(get("/qu%3Fck"), info)).status, 200);
});

Deno.test("LexicalHandler.fastPath answers cached racks only, as the handler would", async () => {
  const lines: string[] = [];
  const handler = createLexicalHandler({ find: finder, log: (line) => lines.push(line) });
  assert.equal(handler.fastPath("GET", "/api/lexical", info), undefined, "a miss");
  await (await handler(get("/api/lexical"), info)).text();
  const known = handler.fastPath("GET", "/x/LEXICAL", info)!;
  assert.equal(known.head.status, 200);
  const body = JSON.parse(
    (known.body as string[]).map((part) =>
      typeof part === "string" ? part : new TextDecoder().decode(part)
    ).join(""),
  );
  assert.deepEqual(Object.keys(body), ["time", "cached", "possibilities"]);
  assert.equal(body.cached, true);
  assert.deepEqual(body.possibilities, ["lexical", "alexic", "axle", "lax", "ax", "xi"]);
  assert.ok(handler.fastPath("HEAD", "/callxie", info));
  const others: [string, string][] = [
    ["POST", "/lexical"],
    ["GET", "/lexical?x"],
    ["GET", "/-/stats"],
  ];
  for (const [method, target] of others) {
    assert.equal(handler.fastPath(method, target, info), undefined, `${method} ${target}`);
  }
  const stats = handler.stats();
  assert.equal(stats.requests, 3);
  assert.equal(stats.hits, 2);
  assert.equal(lines.length, 3);
});

Deno.test("lexical handler answers /-/metrics in Prometheus's text format, with the server's counters", async () => {
  const handler = createLexicalHandler({ find: finder });
  await (await handler(get("/lexical"), info)).text();
  await (await handler(get("/lexical"), info)).text();
  handler.reportServer(() => ({
    connections: 3,
    accepted: 9,
    responses: { 200: 2 },
    headerTimeouts: 4,
    idleTimeouts: 1,
    writeTimeouts: 0,
    bodyTimeouts: 0,
    evicted: 0,
    refused: 0,
    acceptErrors: 0,
  }));
  const response = await handler(get("/-/metrics"), info);
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  for (
    const line of [
      "lexical_requests_total 3",
      "lexical_cache_hits_total 1",
      "lexical_cache_misses_total 1",
      "lexical_computations_total 1",
      'lexical_answer_seconds_bucket{le="+Inf"} 2',
      "lexical_answer_seconds_count 2",
      'http_responses_total{status="200"} 2',
      "http_open_connections 3",
      'http_connections_closed_total{reason="header_timeout"} 4',
      'http_connections_closed_total{reason="idle_timeout"} 1',
    ]
  ) {
    assert.ok(text.split("\n").includes(line), `${line} in\n${text}`);
  }
  assert.match(text, /^# TYPE lexical_answer_seconds histogram$/m);
});

Deno.test("lexical handler gives each client a fair share of computations: 503 beyond it", async () => {
  const waiting: (() => void)[] = [];
  const handler = createLexicalHandler({
    find: (rack) => new Promise((resolve) => waiting.push(() => resolve([rack]))),
    maxMissesPerClient: 2,
  });
  const greedy = { remoteAddr: { transport: "tcp" as const, hostname: "192.0.2.1", port: 1 } };
  const other = { remoteAddr: { transport: "tcp" as const, hostname: "192.0.2.2", port: 1 } };
  const first = handler(get("/aaa"), greedy);
  const second = handler(get("/bbb"), greedy);
  const refused = await handler(get("/ccc"), greedy);
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get("retry-after"), "1");
  assert.match((await refused.json()).error, /2 racks computing/);
  const fair = handler(get("/ddd"), other);
  for (const release of waiting) release();
  for (const response of await Promise.all([first, second, fair])) {
    assert.equal(response.status, 200);
    await response.body?.cancel();
  }
  // Done computing: the greedy client may ask again, and a cached rack is never refused.
  const again = handler(get("/eee"), greedy);
  waiting.at(-1)!();
  assert.equal((await again).status, 200);
  assert.equal((await handler(get("/aaa"), greedy)).status, 200);
});

Deno.test("lexical handler bounds an answer's word list and says it was truncated", async () => {
  // ["lexical","alexic","axle","lax","ax","xi"] is 43 bytes of JSON.
  const handler = createLexicalHandler({ find: finder, maxAnswerBytes: 30 });
  const first = await (await handler(get("/api/lexical"), info)).json();
  assert.deepEqual(Object.keys(first), ["time", "cached", "possibilities", "truncated"]);
  assert.deepEqual(first.possibilities, ["lexical", "alexic", "axle"]); // 27 bytes: the longest
  assert.equal(first.truncated, true);
  const known = handler.fastPath("GET", "/api/lexical", info)!;
  const cached = JSON.parse(
    (known.body as (string | Uint8Array)[]).map((part) =>
      typeof part === "string" ? part : new TextDecoder().decode(part)
    ).join(""),
  );
  assert.deepEqual(cached.possibilities, first.possibilities);
  assert.equal(cached.truncated, true);
  assert.equal(cached.cached, true);
  // A list that fits is whole and says nothing.
  const whole = await (await handler(get("/api/axe"), info)).json();
  assert.deepEqual(Object.keys(whole), ["time", "cached", "possibilities"]);
  assert.throws(() => createLexicalHandler({ find: finder, maxAnswerBytes: 1 }), RangeError);
});
