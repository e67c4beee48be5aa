import { deepEqual, equal } from "node:assert/strict";
import { CookieJar, MAX_COOKIES } from "../../../lib/download/cookie_jar.ts";
import { parseHttpUrl } from "../../../lib/http/url.ts";

const url = (text: string) => parseHttpUrl(text);

Deno.test("CookieJar.setCookie() refuses foreign domains and bad names, keeps the rest", () => {
  const jar = new CookieJar(() => 1_000_000);
  const from = url("http://www.example.org/a/b");
  const table: [string, boolean][] = [
    ["ok=1", true],
    ["=nameless", false],
    ["no-equals", false],
    ["bad name=1", false],
    ["evil=1; Domain=example.com", false],
    ["wide=1; Domain=.example.org; Path=/", true],
    ["sub=1; Domain=deeper.www.example.org", false],
    ["old=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT", false],
    ["gone=1; Max-Age=0", false],
  ];
  for (const [header, kept] of table) {
    const before = jar.cookies.length;
    jar.setCookie(from, header);
    equal(jar.cookies.length - before, kept ? 1 : 0, header);
  }
  // Default path: the request's directory; a cookie for /a is not sent to /other.
  equal(jar.cookieHeader(url("http://www.example.org/a/c")), "ok=1; wide=1");
  equal(jar.cookieHeader(url("http://www.example.org/other")), "wide=1");
  equal(jar.cookieHeader(url("http://api.example.org/")), "wide=1");
  equal(jar.cookieHeader(url("http://example.com/")), undefined);
});

Deno.test("CookieJar: Secure only over https, paths match on segments, addresses only themselves", () => {
  const jar = new CookieJar();
  jar.setCookie(url("https://h.test/"), "s=1; Secure; Path=/app");
  jar.setCookie(url("http://10.0.0.1/"), "ip=1; Domain=0.0.1");
  jar.setCookie(url("http://10.0.0.1/"), "ip2=1");
  equal(jar.cookieHeader(url("http://h.test/app")), undefined);
  equal(jar.cookieHeader(url("https://h.test/app/x")), "s=1");
  equal(jar.cookieHeader(url("https://h.test/application")), undefined);
  equal(jar.cookieHeader(url("http://10.0.0.1/")), "ip2=1");
  equal(jar.cookieHeader(url("http://110.0.0.1/")), undefined);
});

Deno.test("CookieJar.save() and load() round-trip cookies.txt, GNU's host:port included", () => {
  const jar = new CookieJar(() => 0);
  jar.setCookie(url("http://127.0.0.1:8080/"), "a=1; Max-Age=60");
  jar.setCookie(url("http://www.example.org/"), "b=2; Domain=example.org; Max-Age=60; HttpOnly");
  jar.setCookie(url("http://www.example.org/"), "session=3");
  const text = jar.save({ keepSessionCookies: true });
  const lines = text.split("\n").filter((line) => line !== "" && !line.startsWith("# "));
  deepEqual(lines, [
    "127.0.0.1:8080\tFALSE\t/\tFALSE\t60\ta\t1",
    "#HttpOnly_.example.org\tTRUE\t/\tFALSE\t60\tb\t2",
    "www.example.org\tFALSE\t/\tFALSE\t0\tsession\t3",
  ]);
  equal(jar.save().includes("session"), false);
  const copy = new CookieJar(() => 0);
  copy.load(text + "bad line\n\tFALSE\n");
  equal(copy.save({ keepSessionCookies: true }), text);
  equal(copy.cookieHeader(url("http://127.0.0.1/")), "a=1");
});

Deno.test("CookieJar keeps at most MAX_COOKIES cookies from servers, and every one loaded", () => {
  const jar = new CookieJar();
  const lines = Array.from(
    { length: MAX_COOKIES * 2 },
    (_, i) => `h.test\tFALSE\t/\tFALSE\t0\tl${i}\t1`,
  );
  jar.load(lines.join("\n"));
  equal(jar.cookies.length, MAX_COOKIES * 2);
  const from = url("http://h.test/");
  for (let i = 0; i < MAX_COOKIES + 10; i++) jar.setCookie(from, `c${i}=1`);
  equal(jar.cookies.length, MAX_COOKIES * 3);
  equal(jar.cookies[0]?.name, "l0");
  equal(jar.cookies[MAX_COOKIES * 2]?.name, "c10");
  // A server's cookie replacing a loaded one counts as the server's.
  jar.setCookie(from, "l0=2");
  equal(jar.cookies.length, MAX_COOKIES * 3 - 1);
  equal(jar.cookies.at(-1)?.value, "2");
});

Deno.test("CookieJar.cookieHeader() finds a host's and its domains' cookies among 50,000", () => {
  const jar = new CookieJar(() => 1_000);
  const lines = Array.from(
    { length: 50_000 },
    (_, i) => `.d${i}.test\tTRUE\t/\tFALSE\t0\tc${i}\t1`,
  );
  jar.load(lines.join("\n"));
  jar.setCookie(url("http://a.b.d7.test/x/y"), "deep=1; Path=/x");
  jar.setCookie(url("http://a.b.d7.test/"), "host=1");
  jar.setCookie(url("http://a.b.d7.test/"), "gone=1; Max-Age=-1");
  jar.setCookie(url("http://b.d7.test/"), "parent=1; Domain=b.d7.test");
  jar.setCookie(url("http://b.d7.test/"), "sibling=1");
  // GNU wget's order: longer domains, then longer paths, then names.
  equal(jar.cookieHeader(url("http://a.b.d7.test/x/z")), "deep=1; host=1; parent=1; c7=1");
  equal(jar.cookieHeader(url("http://D7.test/")), "c7=1");
  equal(jar.cookieHeader(url("http://d77.test/")), "c77=1");
  equal(jar.cookieHeader(url("http://xd7.test/")), undefined);
});

Deno.test("CookieJar.setCookie() reads Expires as GNU wget: a date it cannot read is a session's", () => {
  const jar = new CookieJar(() => Date.UTC(2026, 11, 1));
  const from = url("http://h.test/");
  const table: [string, number | undefined][] = [
    ["Fri, 01 Jan 2100 00:00:00 GMT", Date.UTC(2100, 0, 1)],
    ["Friday, 01-Jan-2100 00:00:00 GMT", Date.UTC(2100, 0, 1)],
    ["Sun, 07 Feb 2106 06:28:16 GMT", 2 ** 32 * 1000],
    ["Wed, 31 Dec 1969 23:59:59 GMT", undefined], // time_t -1, GNU's "no date"
    ["2100-01-01T00:00:00Z", undefined],
    ["0", undefined],
    ["Fri, 01 Jan 2100 00:00:00 PST", undefined],
    ["1 Jan 2100", undefined],
  ];
  for (const [i, [expires, time]] of table.entries()) {
    jar.setCookie(from, `c${i}=1; Expires=${expires}`);
    const cookie = jar.cookies.find((c) => c.name === `c${i}`);
    equal(cookie?.expires, time, expires);
  }
  jar.setCookie(from, "past=1; Expires=Wed, 31 Dec 1969 23:59:58 GMT");
  equal(jar.cookies.some((c) => c.name === "past"), false);
});
