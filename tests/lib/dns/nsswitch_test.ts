import assert from "node:assert/strict";
import { parseHostsSources } from "../../../lib/dns/nsswitch.ts";

const names = (text: string) => parseHostsSources(text).map((source) => source.name);
const returns = (text: string, index = 0) =>
  [...(parseHostsSources(text)[index]?.returnOn ?? [])].sort();

Deno.test("parseHostsSources() reads the hosts: line, its order and its actions", () => {
  assert.deepEqual(names("passwd: files\nhosts:   files mdns4_minimal [NOTFOUND=return] dns\n"), [
    "files",
    "mdns4_minimal",
    "dns",
  ]);
  assert.deepEqual(names("hosts: dns [!UNAVAIL=return] files # comment\n"), ["dns", "files"]);
  assert.deepEqual(returns("hosts: dns [!UNAVAIL=return] files"), [
    "notfound",
    "success",
    "tryagain",
  ]);
  assert.deepEqual(returns("hosts: dns [SUCCESS=continue NOTFOUND=return] files"), ["notfound"]);
});

Deno.test("parseHostsSources() falls back to glibc's default, files then dns", () => {
  for (const text of ["", "passwd: files\n", "#hosts: dns\n", "HOSTS: dns\n"]) {
    assert.deepEqual(names(text), ["files", "dns"], JSON.stringify(text));
  }
});

Deno.test("parseHostsSources() follows glibc 2.36's grammar (checked with getent)", () => {
  // The last hosts: line wins; the colon may be left out or doubled.
  assert.deepEqual(names("hosts: files\nhosts: dns\n"), ["dns"]);
  assert.deepEqual(names("hosts dns files\n"), ["dns", "files"]);
  assert.deepEqual(names("  hosts::dns\n"), ["dns"]);
  // Blanks inside brackets, names of statuses and actions in any case; source names keep theirs.
  assert.deepEqual(returns("hosts: dns [ notfound = Return ]files"), ["notfound", "success"]);
  assert.deepEqual(names("hosts: Files dns[NOTFOUND=return]files"), ["Files", "dns", "files"]);
  // MERGE is an action glibc takes; here it goes on as CONTINUE does.
  assert.deepEqual(returns("hosts: files [SUCCESS=merge] dns"), []);
  // No source at all: an empty line, or an action list where a source should be.
  assert.deepEqual(names("hosts:\n"), []);
  assert.deepEqual(names("hosts: [NOTFOUND=return] dns files\n"), []);
  assert.deepEqual(names("hosts: dns [NOTFOUND=return] [UNAVAIL=return] files\n"), ["dns"]);
});

Deno.test("parseHostsSources() ends a comment at a CR too, as glibc (checked with getent)", () => {
  assert.deepEqual(names("hosts: dns #files\rmyhostname\n"), ["dns", "myhostname"]);
  assert.deepEqual(names("hosts: dns #files\n"), ["dns"]);
  assert.deepEqual(names("hosts: dns\r\n"), ["dns"]);
  // Unicode blanks separate as the other blanks do.
  assert.deepEqual(names("hosts:\u00a0files\u3000dns\n"), ["files", "dns"]);
});

Deno.test("parseHostsSources() asks nothing when glibc cannot parse the file", () => {
  for (
    const text of [
      "hosts: dns [NOTFOUND=bogus] files\n",
      "hosts: dns [NOTFOUND=return files\n",
      "hosts: dns [] files\n",
      "hosts: dns [! UNAVAIL=return] files\n",
      "hosts: dns [NOTFOUND] files\n",
      "hosts: dns [FOUND=return] files\n",
      "hosts: dns [constructor=return] files\n",
      // A bad line of another database glibc knows spoils the whole file...
      "passwd: files [bogus]\nhosts: files dns\n",
      "hosts: files dns\ngroup: files [x=y]\n",
    ]
  ) {
    assert.deepEqual(names(text), [], JSON.stringify(text));
  }
  // ...but not one of a database it does not know (sudoers, automount, ...).
  assert.deepEqual(names("sudoers: files [bogus]\nhosts: files\n"), ["files"]);
});

Deno.test("parseHostsSources() finds the hosts: line among lines that only hold the word", () => {
  // Lines without "[" are passed over unless "hosts" is in them; these must still be read.
  assert.deepEqual(names("networks: hosts\nhosts: dns\n"), ["dns"]);
  assert.deepEqual(names("ethers: myhosts\n  hosts\tfiles\nrpc: hostsfile\n"), ["files"]);
  assert.deepEqual(names("hosts: dns\nhostsx: files\nxhosts: files\n"), ["dns"]);
  assert.deepEqual(names("hosts: dns # hosts: files\n"), ["dns"]);
  assert.deepEqual(names("hosts: dns\n# hosts: files\n"), ["dns"]);
  assert.deepEqual(names("group: files [NOTFOUND=return]\nhosts: files\n"), ["files"]);
  assert.deepEqual(names("group: files [NOTFOUND=bogus]\nhosts: files\n"), []);
});

Deno.test("parseHostsSources() ends a line at a NUL, as glibc (checked with getent)", () => {
  assert.deepEqual(names("hosts: dns\0 files\n"), ["dns"]);
  assert.deepEqual(names("hosts: files\0\n"), ["files"]);
  assert.deepEqual(names("hosts:\0 files\n"), []);
  assert.deepEqual(names("hosts: files dns\npasswd: files\0 [bogus]\n"), ["files", "dns"]);
});
