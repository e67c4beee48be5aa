import assert from "node:assert/strict";
import { WgetReporter } from "../../../cmd/_wget/reporter.ts";

Deno.test("WgetReporter.finish() under -nv gives each file the length its own answer announced, whatever started since", () => {
  // --max-threads: another download's body starts before this one's line is printed.
  const lines: string[] = [];
  const decoder = new TextDecoder();
  const reporter = new WgetReporter({
    nonVerbose: true,
    log: { writeSync: (p) => (lines.push(decoder.decode(p)), p.length) },
  });
  reporter.events.start?.({ path: "a.html", offset: 0, total: 10 });
  reporter.events.start?.({ path: "b.html", offset: 0, total: 20 });
  reporter.finish({
    url: "http://h/a.html",
    finalUrl: "http://h/a.html",
    path: "a.html",
    bytes: 10,
    size: 10,
    total: 10,
    status: 200,
  });
  reporter.finish({
    url: "http://h/c.html",
    finalUrl: "http://h/c.html",
    path: "c.html",
    bytes: 5,
    size: 5,
    total: undefined,
    status: 200,
  });
  assert.match(lines.join(""), / URL:http:\/\/h\/a\.html \[10\/10\] -> "a\.html" \[1\]\n/);
  assert.match(lines.join(""), / URL:http:\/\/h\/c\.html \[5\] -> "c\.html" \[1\]\n/);
});

Deno.test("WgetReporter.finish() under -N says a file's Last-Modified is missing by its own answer, whatever answered since", () => {
  const lines: string[] = [];
  const decoder = new TextDecoder();
  const reporter = new WgetReporter({
    nonVerbose: true,
    timestamping: true,
    log: { writeSync: (p) => (lines.push(decoder.decode(p)), p.length) },
  });
  // --max-threads: the last answer the reporter saw (a 404 of another URL) had no Last-Modified.
  reporter.finish({
    url: "http://h/a.html",
    finalUrl: "http://h/a.html",
    path: "a.html",
    bytes: 1,
    size: 1,
    total: 1,
    hasLastModified: true,
    status: 200,
  });
  assert.doesNotMatch(lines.join(""), /Last-modified header missing/);
  reporter.finish({
    url: "http://h/b.html",
    finalUrl: "http://h/b.html",
    path: "b.html",
    bytes: 1,
    size: 1,
    total: 1,
    hasLastModified: false,
    status: 200,
  });
  assert.match(lines.join(""), /Last-modified header missing -- time-stamps turned off\.\n/);
});

Deno.test("WgetReporter.finish() under --spider -r -nv judges a HEAD by its own answer's type, whatever answered since", () => {
  const lines: string[] = [];
  const decoder = new TextDecoder();
  const reporter = new WgetReporter({
    nonVerbose: true,
    spider: true,
    recursive: true,
    log: { writeSync: (p) => (lines.push(decoder.decode(p)), p.length) },
  });
  // --max-threads: the last answer the reporter saw was another URL's page (text/html, a GET next).
  reporter.events.response?.(
    {
      status: 200,
      head: { reason: "OK", headers: new Headers({ "content-type": "text/html" }) },
    } as unknown as Parameters<NonNullable<typeof reporter.events.response>>[0],
  );
  reporter.finish({
    url: "http://h/a.txt",
    finalUrl: "http://h/a.txt",
    bytes: 0,
    status: 200,
    contentType: "text/plain",
  });
  assert.match(lines.join(""), / URL: http:\/\/h\/a\.txt 200 OK\n/);
});

Deno.test("WgetReporter.finish() under --spider -r -nv keeps a HEAD's status words when another URL's 404 came last", () => {
  const lines: string[] = [];
  const decoder = new TextDecoder();
  const reporter = new WgetReporter({
    nonVerbose: true,
    spider: true,
    recursive: true,
    log: { writeSync: (p) => (lines.push(decoder.decode(p)), p.length) },
  });
  reporter.events.response?.(
    {
      status: 404,
      head: { reason: "Not Found", headers: new Headers({ "content-type": "text/html" }) },
    } as unknown as Parameters<NonNullable<typeof reporter.events.response>>[0],
  );
  reporter.finish({
    url: "http://h/a.txt",
    finalUrl: "http://h/a.txt",
    bytes: 0,
    status: 200,
    contentType: "text/plain",
  });
  assert.match(lines.join(""), / URL: http:\/\/h\/a\.txt 200 OK\n/);
});
