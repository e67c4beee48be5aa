import assert from "node:assert/strict";
import { parseRobotsTxt } from "../../../lib/download/robots.ts";

Deno.test("parseRobotsTxt() takes the group naming wget over the * group", () => {
  const rules = parseRobotsTxt(
    "User-agent: *\nDisallow: /all/\n\nUser-agent: Googlebot\nUser-agent: WGET\nDisallow: /w/\n",
  );
  assert.equal(rules.allows("/all/x"), true);
  assert.equal(rules.allows("/w/x"), false);
});

Deno.test("parseRobotsTxt() falls back to the * group, then to allowing everything", () => {
  assert.equal(parseRobotsTxt("User-agent: *\nDisallow: /p").allows("/private"), false);
  assert.equal(parseRobotsTxt("User-agent: other\nDisallow: /").allows("/x"), true);
  assert.equal(parseRobotsTxt("").allows("/x"), true);
  assert.equal(parseRobotsTxt("User-agent: *\nDisallow:\n").allows("/x"), true);
});

Deno.test("RobotsRules.allows() picks the longest match, Allow winning a tie", () => {
  const rules = parseRobotsTxt(
    "User-agent: *\nDisallow: /a\nAllow: /a/b\nDisallow: /a/b/c\nAllow: /x\nDisallow: /x\n",
  );
  assert.equal(rules.allows("/a/z"), false);
  assert.equal(rules.allows("/a/b/z"), true);
  assert.equal(rules.allows("/a/b/c/z"), false);
  assert.equal(rules.allows("/x"), true);
});

Deno.test("RobotsRules.allows() understands * and $, comments and CRLF", () => {
  const rules = parseRobotsTxt(
    "User-agent: *\r\nDisallow: /*.gif$ # images\r\nDisallow: /tmp*/old\r\n",
  );
  assert.equal(rules.allows("/a/b.gif"), false);
  assert.equal(rules.allows("/a/b.gif?x"), true);
  assert.equal(rules.allows("/tmp1/old/x"), false);
  assert.equal(rules.allows("/tmp1/new"), true);
});

Deno.test("RobotsRules.allows() compares percent-encoding case-insensitively", () => {
  const rules = parseRobotsTxt("User-agent: *\nDisallow: /%7ejoe/\nDisallow: /a%2fb\n");
  assert.equal(rules.allows("/~joe/x"), false);
  assert.equal(rules.allows("/a%2Fb"), false);
  assert.equal(rules.allows("/a/b"), true);
});
