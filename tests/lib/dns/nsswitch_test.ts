import assert from "node:assert/strict";
import { parseHostsSources } from "../../../lib/dns/nsswitch.ts";

const names = (text: string) => parseHostsSources(text).map((source) => source.name);

Deno.test("parseHostsSources() reads the hosts: line, its order and its actions", () => {
  assert.deepEqual(names("passwd: files\nhosts:   files mdns4_minimal [NOTFOUND=return] dns\n"), [
    "files",
    "mdns4_minimal",
    "dns",
  ]);
  const sources = parseHostsSources("hosts: dns [!UNAVAIL=return] files # comment\n");
  assert.deepEqual(sources.map((s) => s.name), ["dns", "files"]);
  assert.deepEqual([...(sources[0]?.returnOn ?? [])].sort(), ["notfound", "success", "tryagain"]);
  const cont = parseHostsSources("hosts: dns [SUCCESS=continue NOTFOUND=return] files");
  assert.deepEqual([...(cont[0]?.returnOn ?? [])], ["notfound"]);
});

Deno.test("parseHostsSources() falls back to glibc's default, files then dns", () => {
  for (const text of ["", "passwd: files\n", "hosts:\n", "#hosts: dns\n"]) {
    assert.deepEqual(names(text), ["files", "dns"], JSON.stringify(text));
  }
});
