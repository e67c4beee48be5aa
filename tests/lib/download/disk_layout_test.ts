import assert from "node:assert/strict";
import { localPathForUrl } from "../../../lib/download/disk_layout.ts";

Deno.test("localPathForUrl() lays files out as GNU wget: HOST[:PORT]/dir/file?query", () => {
  const table: [string, object, string][] = [
    ["http://h/", {}, "h/index.html"],
    ["http://h:80/a/", {}, "h/a/index.html"],
    ["https://h:8443/a/b.css", {}, "h:8443/a/b.css"],
    ["http://H/a%20b/c%3Fd", {}, "h/a b/c?d"],
    ["http://h/s.html?q=a%2Fb&n=1", {}, "h/s.html?q=a%2Fb&n=1"],
    ["http://h/a/b/c/d.png", { cutDirs: 2 }, "h/c/d.png"],
    ["http://h/a/b/c/d.png", { cutDirs: 9, hostDirectories: false }, "d.png"],
    ["http://h/a//b/c.png", { cutDirs: 1 }, "h/b/c.png"],
    ["http://h/a/b.png", { directories: false }, "b.png"],
    ["http://h/a/", { directories: false }, "index.html"],
    ["https://h/a/b", { protocolDirectories: true }, "https/h/a/b"],
    // GNU wget names an IPv6 host's directory without the brackets.
    ["http://[::1]:8080/x", {}, "::1:8080/x"],
    ["http://[fe80::1]/", {}, "fe80::1/index.html"],
  ];
  for (const [url, layout, path] of table) assert.equal(localPathForUrl(url, layout), path, url);
});

Deno.test("localPathForUrl() never leaves the directory, whatever the URL says", () => {
  const hostile = [
    "http://h/..%2F..%2Fetc%2Fpasswd",
    "http://h/%2E%2E/%2E%2E/x",
    "http://h/a/%2e%2e%2f%2e%2e%2fx",
    "http://h/%00/%0A%0D/x%7F",
    "http://h/..",
    "http://h/a/../../../../b",
    "http://h/%2e/",
    "http://h/?/../../x",
    `http://h/${"%2F..".repeat(50)}`,
  ];
  for (const url of hostile) {
    for (const layout of [{}, { directories: false }, { hostDirectories: false, cutDirs: 3 }]) {
      const path = localPathForUrl(url, layout);
      const parts = path.split("/");
      assert.ok(!path.startsWith("/"), path);
      for (const part of parts) {
        assert.ok(part !== "" && part !== "." && part !== "..", `${url} -> ${path}`);
        // deno-lint-ignore no-control-regex
        assert.doesNotMatch(part, /[\x00-\x1f\x7f]/, path);
      }
    }
  }
});

Deno.test("localPathForUrl() applies --restrict-file-names as GNU wget", async (t) => {
  const { parseRestrictFileNames } = await import("../../../lib/download/restrict_file_names.ts");
  const table: [string, string, string][] = [
    ["http://h:81/a:b/c*d?q=1", "windows", "h+81/a%3Ab/c%2Ad@q=1"],
    ["http://h/%C3%A9T%C3%A9.TXT", "ascii", "h/%C3%A9T%C3%A9.TXT"],
    ["http://h/%C3%89T%C3%89.TXT", "lowercase", "h/Ét%C3%89.txt".replace("%C3%89", "É")],
    ["http://h/a%09b", "nocontrol", "h/a\tb"],
    ["http://h/pct%2541.txt", "unix", "h/pctA.txt"],
    ["http://h/pct%252F.txt", "unix", "h/pct%2F.txt"],
  ];
  for (const [url, modes, path] of table) {
    await t.step(`${modes} ${url}`, () => {
      assert.equal(localPathForUrl(url, { restrict: parseRestrictFileNames(modes) }), path);
    });
  }
  assert.throws(() => parseRestrictFileNames("dos"), SyntaxError);
});

Deno.test("localPathForUrl() with one layout object for many URLs names each as alone", () => {
  const layouts = [
    {},
    { cutDirs: 1 },
    { hostDirectories: false },
    { protocolDirectories: true },
    { restrict: { os: "windows" as const, control: true, ascii: false } },
  ];
  const urls = [
    "http://h/a/b/c.html",
    "http://h:8080/a/b/d.html",
    "https://h/a/b/c.html",
    "http://other/a/b/c.html",
    "http://h/a/x/c.html",
    "http://h/a/b/",
    "http://h/a/b/?q=1",
    "http://h/c.html",
    "http://h/a%3Ab/c.html",
  ];
  for (const shared of layouts) {
    for (const url of [...urls, ...urls.toReversed()]) {
      // A fresh copy of the layout each time: nothing remembered.
      assert.equal(localPathForUrl(url, shared), localPathForUrl(url, { ...shared }), url);
    }
  }
});

Deno.test("localPathForUrl() cuts no name past 4096 bytes of path, as GNU wget's failed pathconf", () => {
  // GNU wget measures each name's limit with pathconf(2) on the path before it; past the
  // system's PATH_MAX that fails, and the name is kept whole, unsaid (names random seeds 2433
  // and 1901483: one "The destination name is too long" line more than GNU's).
  const long = "d".repeat(240);
  const url = `http://h/${`${long}/`.repeat(20)}${long}.html`;
  const said: number[] = [];
  const path = localPathForUrl(url, {}, (bytes) => said.push(bytes));
  const names = path.split("/");
  // "h/" and 17 names of 237 bytes with their "/" make 4031 bytes, under 4096: the 18th is cut.
  assert.deepEqual(names.slice(1, 19).map((name) => name.length), Array(18).fill(236));
  assert.deepEqual(names.slice(19).map((name) => name.length), [240, 240, 245]);
  assert.deepEqual(said, Array(18).fill(240));
});
