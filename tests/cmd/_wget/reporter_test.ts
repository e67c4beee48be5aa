import assert from "node:assert/strict";
import { WgetReporter, type WgetReporterOptions } from "../../../cmd/_wget/reporter.ts";
import type { DownloadEvents, DownloadResult } from "../../../lib/download/download.ts";
import { HttpStatusError } from "../../../lib/http/errors.ts";
import { parseHttpUrl } from "../../../lib/http/url.ts";
import { UnexpectedEofError } from "../../../lib/io/unexpected_eof_error.ts";

/** A -nv reporter writing into a string (`text()`), with `options` besides. */
function nonVerboseReporter(options: WgetReporterOptions = {}) {
  const lines: string[] = [];
  const decoder = new TextDecoder();
  const reporter = new WgetReporter({
    nonVerbose: true,
    ...options,
    log: { writeSync: (p) => (lines.push(decoder.decode(p)), p.length) },
  });
  return { reporter, text: () => lines.join("") };
}

/** A file's result, as the recursion reports it. */
function saved(name: string, fields: Partial<DownloadResult> = {}): DownloadResult {
  const url = `http://h/${name}`;
  return { url, finalUrl: url, path: name, bytes: 1, size: 1, status: 200, ...fields };
}

/** The reporter told of an answer (another URL's, under --max-threads). */
function answered(reporter: WgetReporter, status: number, reason: string, type: string): void {
  reporter.events.response?.(
    {
      status,
      head: { reason, headers: new Headers({ "content-type": type }) },
    } as unknown as Parameters<NonNullable<typeof reporter.events.response>>[0],
  );
}

Deno.test("WgetReporter.finish() under -nv gives each file the length its own answer announced, whatever started since", () => {
  // --max-threads: another download's body starts before this one's line is printed.
  const { reporter, text } = nonVerboseReporter();
  reporter.events.start?.({ path: "a.html", offset: 0, total: 10 });
  reporter.events.start?.({ path: "b.html", offset: 0, total: 20 });
  reporter.finish(saved("a.html", { bytes: 10, size: 10, total: 10 }));
  reporter.finish(saved("c.html", { bytes: 5, size: 5, total: undefined }));
  assert.match(text(), / URL:http:\/\/h\/a\.html \[10\/10\] -> "a\.html" \[1\]\n/);
  assert.match(text(), / URL:http:\/\/h\/c\.html \[5\] -> "c\.html" \[1\]\n/);
});

Deno.test("WgetReporter.finish() under -N says a file's Last-Modified is missing by its own answer, whatever answered since", () => {
  // --max-threads: the last answer the reporter saw (a 404 of another URL) had no Last-Modified.
  const { reporter, text } = nonVerboseReporter({ timestamping: true });
  reporter.finish(saved("a.html", { total: 1, hasLastModified: true }));
  assert.doesNotMatch(text(), /Last-modified header missing/);
  reporter.finish(saved("b.html", { total: 1, hasLastModified: false }));
  assert.match(text(), /Last-modified header missing -- time-stamps turned off\.\n/);
});

Deno.test("WgetReporter.finish() under --spider -r -nv judges a HEAD by its own answer's type and words, whatever answered since", () => {
  for (
    const [status, reason, type] of [[200, "OK", "text/html"], [404, "Not Found", "text/html"]]
  ) {
    // --max-threads: the last answer the reporter saw was another URL's (a page, a 404 page).
    const { reporter, text } = nonVerboseReporter({ spider: true, recursive: true });
    answered(reporter, status as number, reason as string, type as string);
    const { path: _, ...head } = saved("a.txt", {
      bytes: 0,
      contentType: "text/plain",
      reason: "OK",
    });
    reporter.finish(head);
    assert.match(text(), / URL: http:\/\/h\/a\.txt 200 OK\n/);
  }
});

/** An answer as the events see it: `status`, its reason, and the headers named. */
function response(status: number, reason: string, headers: Record<string, string> = {}) {
  const fields = new Map(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`),
  ];
  return {
    status,
    ok: status >= 200 && status < 300,
    contentLength: headers["Content-Length"] === undefined
      ? undefined
      : Number(headers["Content-Length"]),
    head: { reason, lines, headers: { get: (name: string) => fields.get(name.toLowerCase()) } },
  } as unknown as Parameters<NonNullable<DownloadEvents["response"]>>[0];
}

// --max-threads: each URL's fetch has a log of its own (WgetReporter.downloadLog()); the events of
// two fetches interleave, and each line is said by its own fetch's request, answer and tries.

Deno.test("WgetReporter.downloadLog() under -nv -S names the URL of its own HEAD answered 500, whatever was asked since", () => {
  // Seed 26 of the server random test under --max-threads 3: another fetch's GET went out between
  // this HEAD and its answer, and the line named that GET's URL.
  const { reporter, text } = nonVerboseReporter({ serverResponse: true });
  const head = reporter.downloadLog();
  const other = reporter.downloadLog();
  head.events.request?.(parseHttpUrl("http://h/x/n50"), "HEAD");
  other.events.request?.(parseHttpUrl("http://h/d/i27.png"), "GET");
  head.events.response?.(response(500, "Internal Server Error", { "Content-Length": "36" }));
  assert.match(text(), /^http:\/\/h\/x\/n50:$/m);
  assert.doesNotMatch(text(), /i27\.png:/);
});

Deno.test("WgetReporter.downloadLog() under -N says Last-modified is missing by its own answer, whatever another fetch was answered", () => {
  // Seeds 50, 89, 193, 254: a fetch whose body failed said so (or not) by the last answer seen,
  // another fetch's.
  const { reporter, text } = nonVerboseReporter({ timestamping: true });
  const untimed = reporter.downloadLog();
  const timed = reporter.downloadLog();
  untimed.events.request?.(parseHttpUrl("http://h/a.png"), "GET");
  untimed.events.response?.(response(200, "OK", { "Content-Length": "9" }));
  timed.events.request?.(parseHttpUrl("http://h/b.png"), "GET");
  timed.events.response?.(response(404, "Not Found", { "Last-Modified": "Wed, 01 Jan 2020" }));
  timed.fail(new HttpStatusError(404, "Not Found", "http://h/b.png"));
  assert.doesNotMatch(text(), /Last-modified header missing/);
  untimed.fail(new UnexpectedEofError(9, 3));
  assert.equal(text().match(/Last-modified header missing/g)?.length, 1);
});

Deno.test('WgetReporter.downloadLog() under -nv says "No data received." of its own request, whatever another fetch was answered', () => {
  const { reporter, text } = nonVerboseReporter();
  const cut = reporter.downloadLog();
  const answered = reporter.downloadLog();
  cut.events.request?.(parseHttpUrl("http://h/a.html"), "GET");
  answered.events.request?.(parseHttpUrl("http://h/b.html"), "GET");
  answered.events.response?.(response(200, "OK", { "Content-Length": "1" }));
  cut.events.retry?.(new UnexpectedEofError(1, 0), 1, 0);
  assert.match(text(), /^No data received\.$/m);
});

Deno.test("WgetReporter.downloadLog() under -nv numbers each file's try by its own retries", () => {
  const { reporter, text } = nonVerboseReporter();
  const retried = reporter.downloadLog();
  const once = reporter.downloadLog();
  retried.events.request?.(parseHttpUrl("http://h/a.html"), "GET");
  once.events.request?.(parseHttpUrl("http://h/b.html"), "GET");
  retried.events.retry?.(new HttpStatusError(503, "Service Unavailable", "http://h/a.html"), 1, 0);
  once.finish(saved("b.html"));
  retried.finish(saved("a.html"));
  assert.match(text(), / URL:http:\/\/h\/b\.html \[1\] -> "b\.html" \[1\]\n/);
  assert.match(text(), / URL:http:\/\/h\/a\.html \[1\] -> "a\.html" \[2\]\n/);
});

Deno.test("WgetReporter.downloadLog() says a request reuses a connection, whatever connection another fetch opened meanwhile", () => {
  const lines: string[] = [];
  const decoder = new TextDecoder();
  const reporter = new WgetReporter({
    log: { writeSync: (p) => (lines.push(decoder.decode(p)), p.length) },
  });
  const reusing = reporter.downloadLog();
  const opening = reporter.downloadLog();
  reusing.events.request?.(parseHttpUrl("http://h/a.html"), "GET");
  opening.events.request?.(parseHttpUrl("http://h/b.html"), "GET");
  reporter.connectorEvents.attempted?.({ host: "h", address: "127.0.0.1", port: 80 });
  opening.events.connected?.({ host: "h", port: 80, address: "127.0.0.1", reused: false });
  reusing.events.connected?.({ host: "h", port: 80, address: "127.0.0.1", reused: true });
  const text = lines.join("");
  assert.equal(text.match(/^Connecting to /gm)?.length, 1);
  assert.match(text, /^Reusing existing connection to h:80\.$/m);
});
