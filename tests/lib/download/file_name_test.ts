import assert, { equal } from "node:assert/strict";
import {
  contentDispositionFileName,
  DEFAULT_INDEX_NAME,
  fileNameFromUrl,
  MAX_NAME_LENGTH,
  safeFileName,
} from "../../../lib/download/file_name.ts";
import { parseHttpUrl } from "../../../lib/http/url.ts";
import { localPathForUrl } from "../../../lib/download/disk_layout.ts";

Deno.test("fileNameFromUrl() names files as GNU wget does", () => {
  const cases: [string, string][] = [
    ["http://h/", "index.html"],
    ["http://h", "index.html"],
    ["http://h/dir/", "index.html"],
    ["http://h/a/b.tar.gz", "b.tar.gz"],
    ["http://h/a%20b", "a b"],
    ["http://h/page?x=1&y=2", "page?x=1&y=2"],
    // Checked with GNU wget 1.21.3: a directory's query is kept, an empty one as `?`.
    ["http://h/?q", "index.html?q"],
    ["http://h/dir/?", "index.html?"],
    ["http://h/a?", "a?"],
    ["http://h/x#frag", "x"],
    ["http://h/../../etc/passwd", "passwd"],
    ["http://h/%2E%2E/%2E%2E/x", "x"],
    ["http://h/a%2F..%2F..%2Fb", "a%2F..%2F..%2Fb"],
    ["http://h/%2E%2E", "index.html"],
    ["http://h/%00%0A%1B", "%00%0A%1B"],
    ["http://h/%ZZ", "%ZZ"],
    ["http://h/x?a=%2F", "x?a=%2F"],
    // GNU decodes the last segment twice, the query once.
    ["http://h/pct%2541.txt", "pctA.txt"],
    ["http://h/d%2541?a=%2541%252F", "dA?a=%41%2F"],
    // A `%` left after the first decoding is no escape, and stays (GNU's url_unescape).
    ["http://h/%25%2541", "%A"],
    ["http://h/x%0A%2541%25zz?q=%2541%25", "x%0AA%zz?q=%41%"],
    // A byte that is no part of a UTF-8 character is `%XX`, the rest decoded (as `-r`'s).
    ["http://h/a%FF%20b?q=%FE%20", "a%FF b?q=%FE "],
  ];
  for (const [url, name] of cases) equal(fileNameFromUrl(parseHttpUrl(url)), name, url);
});

Deno.test("fileNameFromUrl() names a file as -r -nd does (one spelling of GNU's decoding)", () => {
  const targets = [
    "/pct%2541.txt",
    "/%25%2541",
    "/a%252Fb%2F..",
    "/%C3%A9t%C3%A9%2541?q=%2541%252F",
    "/a%FF%20b?q=%FE%20",
    "/%E2%82%AC%E2%82",
    "/x%0A%7F%00",
    "/dir/?q=%25%2541",
  ];
  for (const target of targets) {
    const url = `http://h${target}`;
    equal(fileNameFromUrl(parseHttpUrl(url)), localPathForUrl(url, { directories: false }), url);
  }
});

Deno.test("safeFileName() leaves no separator, control character, dot name or overlong name", () => {
  const cases: [string, string][] = [
    ["plain.txt", "plain.txt"],
    ["", DEFAULT_INDEX_NAME],
    [".", DEFAULT_INDEX_NAME],
    ["..", DEFAULT_INDEX_NAME],
    ["/", "%2F"],
    ["/etc/passwd", "%2Fetc%2Fpasswd"],
    ["a\x7fb\tc", "a%7Fb%09c"],
    ["...", "..."],
  ];
  for (const [input, output] of cases) {
    equal(safeFileName(input, DEFAULT_INDEX_NAME), output, input);
  }
  equal(safeFileName("x".repeat(1000), "f").length, MAX_NAME_LENGTH);
});

Deno.test("safeFileName() cuts long names by UTF-8 bytes, between characters", () => {
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  for (const char of ["é", "€", "😀", "x"]) {
    const name = safeFileName(char.repeat(300), "f");
    assert(bytes(name) <= MAX_NAME_LENGTH && bytes(name) > MAX_NAME_LENGTH - 4, char);
    equal(name, char.repeat(name.length / char.length), char);
  }
  equal(safeFileName("a" + "😀".repeat(100), "f"), "a" + "😀".repeat(58));
});

Deno.test("contentDispositionFileName() takes a safe base name or none", () => {
  const cases: [string, string | undefined][] = [
    ['attachment; filename="report.pdf"', "report.pdf"],
    ["attachment; filename=report.pdf", "report.pdf"],
    ["attachment; FILENAME = report.pdf ; size=3", "report.pdf"],
    // GNU wget's reading: the quoted value ends at the first quote, "a \", whose last backslash
    // leaves no name.
    ['attachment; filename="a \\"quoted\\" name"', undefined],
    ['attachment; filename="C:\\Users\\x\\report.pdf"', "report.pdf"],
    ['attachment; filename="100%25.txt"', "100%.txt"],
    ['attachment; filename="a%2Fb%20c%3Bd.txt"', "a%2Fb c;d.txt"],
    [
      "attachment; filename*=UTF-8''%E2%82%AC%20rates.txt; filename=\"fallback.txt\"",
      "€ rates.txt",
    ],
    ["attachment; filename*=ISO-8859-1''x.txt; filename=y.txt", "y.txt"],
    ['attachment; filename="../../../etc/cron.d/evil"', "evil"],
    ['attachment; filename="C:\\\\Windows\\\\evil.dll"', "evil.dll"],
    ['attachment; filename="/abs/path"', "path"],
    ['attachment; filename=".hidden"', "hidden"],
    ['attachment; filename="..."', undefined],
    ['attachment; filename=".."', undefined],
    ['attachment; filename=""', undefined],
    ['attachment; filename="dir/"', undefined],
    ["attachment; filename*=UTF-8''..%2F..%2Fx", "x"],
    ['attachment; filename="a\u0000b\nc"', "a%00b%0Ac"],
    ["inline", undefined],
    ["", undefined],
  ];
  for (const [header, name] of cases) equal(contentDispositionFileName(header), name, header);
});
