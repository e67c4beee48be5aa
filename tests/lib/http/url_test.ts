import assert, { deepEqual, equal, throws } from "node:assert/strict";
import { hostHeader, parseHttpUrl, UrlError } from "../../../lib/http/url.ts";

Deno.test("parseHttpUrl() fills default ports and splits path, query and userinfo", () => {
  const cases: [string, Partial<ReturnType<typeof parseHttpUrl>>][] = [
    ["http://example.org", { scheme: "http", host: "example.org", port: 80, target: "/" }],
    ["https://example.org/a?b=c#frag", { port: 443, target: "/a?b=c" }],
    ["HTTP://EXAMPLE.org:8080/x", { scheme: "http", host: "example.org", port: 8080 }],
    ["http://[::1]:8080/", { host: "::1", port: 8080 }],
    ["http://[::1]/", { host: "::1", port: 80 }],
    ["http://u%40x:p%3Aw@h/", { username: "u@x", password: "p:w", href: "http://h/" }],
    ["localhost:8080/x", { scheme: "http", host: "localhost", port: 8080, target: "/x" }],
    ["http://h/a b", { target: "/a%20b" }],
  ];
  for (const [text, expected] of cases) {
    const url = parseHttpUrl(text);
    for (const [key, value] of Object.entries(expected)) {
      equal(url[key as keyof typeof url], value, `${text} ${key}`);
    }
  }
});

Deno.test("parseHttpUrl() rejects other schemes and broken URLs with a UrlError", () => {
  for (
    const text of [
      "ftp://h/x",
      "file:///etc/passwd",
      "http://",
      "http://[::1/",
      "http://h:99999/",
      "http://h:0/",
      "h:0",
      "http://h:00/x",
      "javascript:alert(1)",
      "",
      // No scheme GNU wget would add (its "Scheme missing"): not http://foo/bar.
      "/foo/bar",
      "//host/x",
      ":x",
    ]
  ) {
    throws(() => parseHttpUrl(text), UrlError, text);
  }
});

Deno.test("parseHttpUrl() resolves a relative Location against its base", () => {
  const base = parseHttpUrl("http://h:81/a/b/c");
  equal(parseHttpUrl("../d", base).href, "http://h:81/a/d");
  equal(parseHttpUrl("/x?y", base).target, "/x?y");
  equal(parseHttpUrl("https://other/", base).scheme, "https");
  equal(parseHttpUrl("//other:99/z", base).port, 99);
});

Deno.test("hostHeader() brackets IPv6 and omits default ports", () => {
  deepEqual(
    [
      "http://h/",
      "http://h:80/",
      "https://h:443/",
      "http://h:8080/",
      "https://[::1]/",
      "http://[fe80::1]:81/",
    ]
      .map((u) => hostHeader(parseHttpUrl(u))),
    ["h", "h", "h", "h:8080", "[::1]", "[fe80::1]:81"],
  );
  assert(true);
});

Deno.test("parseHttpUrl() reads a URL parsed already as its text, and leaves it as it was", () => {
  for (
    const text of [
      "http://h/a?b",
      "https://u:p%41@[::1]:8443/x/../y?q#f",
      "http://h/a?#",
      "HTTP://H:80/",
      "http://h/a#",
    ]
  ) {
    const parsed = new URL(text);
    const before = parsed.href;
    deepEqual(parseHttpUrl(parsed), parseHttpUrl(text));
    equal(parsed.href, before);
  }
  throws(() => parseHttpUrl(new URL("ftp://h/")), UrlError);
  throws(() => parseHttpUrl(new URL("http://h:0/")), UrlError);
});
