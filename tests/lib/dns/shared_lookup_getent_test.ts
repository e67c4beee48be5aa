/**
 * Lookups at once through the system's configuration answer as glibc's getaddrinfo does: in a
 * mount namespace with one resolv.conf, hosts and nsswitch.conf (dnsmasq on port 53), 40 lookups
 * of one name (one shared lookup, `_shared_lookup.ts`) and 40 of distinct names, started together
 * in a fresh process (each lazily loaded module imported once for all), each give what `getent
 * ahosts` gives for its name, in its order.
 */

import assert from "node:assert/strict";
import { startDnsmasqOnPort53 } from "../../harness/dns_peers.ts";
import { tempDir } from "../../harness/peers.ts";
import { etcNamespaceUnavailable, runWithEtcFiles } from "../../harness/etc_namespace.ts";
import { loopbackAddress } from "../../harness/loopback_address.ts";

const IGNORE = etcNamespaceUnavailable(["getent", "dnsmasq"]);
const SERVER = loopbackAddress();
const AT_ONCE = 40;

/** The addresses `getent ahosts` printed, each once, in its order. */
function ahostsAddresses(stdout: string): string[] {
  return [...new Set(stdout.trim().split("\n").map((line) => line.split(/\s+/)[0] ?? ""))];
}

Deno.test({
  name:
    `lookupAddresses(): ${AT_ONCE} lookups of one name and ${AT_ONCE} of distinct names at once answer as getent ahosts${
      IGNORE ? ` (ignored: ${IGNORE})` : ""
    }`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using _dnsmasq = await startDnsmasqOnPort53(SERVER, [
      "--host-record=same.test,10.0.0.7,fd00::7",
      ...Array.from({ length: AT_ONCE }, (_, i) => `--host-record=n${i}.test,10.0.1.${i + 1}`),
      "--address=/test/fd00::9",
    ]);
    await using dir = await tempDir();
    const files = {
      "resolv.conf": `nameserver ${SERVER}\n`,
      hosts: "127.0.0.1 localhost\n",
      "nsswitch.conf": "hosts: files dns\n",
    };
    const names = [
      ...Array.from({ length: AT_ONCE }, () => "same.test"),
      ...Array.from({ length: AT_ONCE }, (_, i) => `n${i}.test`),
    ];
    const resolver = new URL("../../../lib/dns/resolver.ts", import.meta.url).href;
    const program = `
      const { lookupAddresses } = await import(${JSON.stringify(resolver)});
      const names = ${JSON.stringify(names)};
      const found = await Promise.all(names.map((name) =>
        lookupAddresses(name).then((f) => f.addresses.map((a) => a.address), (e) => String(e))
      ));
      console.log(JSON.stringify(found));`;
    const ours = await runWithEtcFiles(dir.path, files, [
      Deno.execPath(),
      "eval",
      "--unstable-net",
      program,
    ]);
    assert.equal(ours.code, 0, ours.stderr);
    const found = JSON.parse(ours.stdout) as (string[] | string)[];
    const expected = new Map<string, string[]>();
    for (const name of new Set(names)) {
      const glibc = await runWithEtcFiles(dir.path, files, ["getent", "ahosts", name]);
      assert.equal(glibc.code, 0, `getent ahosts ${name}: ${glibc.stderr}`);
      expected.set(name, ahostsAddresses(glibc.stdout));
    }
    assert.deepEqual(expected.get("same.test")?.toSorted(), ["10.0.0.7", "fd00::7"]);
    assert.ok(expected.get("n0.test")?.includes("10.0.1.1"), String(expected.get("n0.test")));
    for (const [i, name] of names.entries()) assert.deepEqual(found[i], expected.get(name), name);
  },
});
