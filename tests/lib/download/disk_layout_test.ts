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
    ["http://[::1]:8080/x", {}, "[::1]:8080/x"],
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
