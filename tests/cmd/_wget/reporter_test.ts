import assert from "node:assert/strict";
import { WgetReporter, type WgetReporterOptions } from "../../../cmd/_wget/reporter.ts";
import type { DownloadResult } from "../../../lib/download/download.ts";

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
