/**
 * `resolve-hostname -x ADDRESS` beside `getent hosts ADDRESS` on PTR answers of several names,
 * odd names and a record whose name does not fill its data: dnsmasq's `--ptr-record=…,a..b.test`
 * sends the name `a` (its empty label ends the name) and the rest inside the record's data,
 * which glibc's getanswer_ptr reads as `a` and netkit refused as a malformed answer (found by
 * fuzz21d, by hand, widening the random test's reverse zones). glibc takes the first PTR record
 * that is a host name and fails at one that is not.
 *
 * As root, against dnsmasq on port 53 of a loopback address of its own (resolv.conf cannot name
 * a port), in a mount namespace with the files over `/etc`.
 */

import assert from "node:assert/strict";
import { startDnsmasqOnPort53 } from "../harness/dns_peers.ts";
import {
  etcNamespaceUnavailable,
  resolveHostnameCommand,
  runWithEtcFiles,
} from "../harness/etc_namespace.ts";
import { loopbackAddress } from "../harness/loopback_address.ts";
import { tempDir } from "../harness/peers.ts";

const IGNORE = etcNamespaceUnavailable(["getent", "dnsmasq"]);
const SERVER = loopbackAddress();

/** An address's PTR names, as dnsmasq is told them (it answers them in the reverse order). */
const CASES: [string, string[]][] = [
  ["10.9.7.1", ["a..b.test"]],
  ["10.9.7.2", ["ok.test", "a..b.test"]],
  ["10.9.7.3", ["a..b.test", "ok.test"]],
  ["10.9.7.4", ["good.test", "-bad.test"]],
  ["10.9.7.5", ["-bad.test", "good.test"]],
  ["10.9.7.6", ["one.test", "Two.Test", "a_b.test"]],
  ["10.9.7.7", ["has space.test", "ok.test"]],
  ["10.9.7.8", ["x."]],
];

/** `10.9.7.1`'s zone name, `1.7.9.10.in-addr.arpa`. */
function arpa(address: string): string {
  return `${address.split(".").reverse().join(".")}.in-addr.arpa`;
}

Deno.test({
  name: `resolve-hostname -x reads PTR answers as getent hosts does${
    IGNORE ? ` (ignored: ${IGNORE})` : ""
  }`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _dnsmasq = await startDnsmasqOnPort53(SERVER, [
      "--local=/in-addr.arpa/",
      ...CASES.flatMap(([address, names]) =>
        names.map((name) => `--ptr-record=${arpa(address)},${name}`)
      ),
    ]);
    await using dir = await tempDir();
    const files = {
      "resolv.conf": `nameserver ${SERVER}\noptions timeout:1\n`,
      hosts: "127.0.0.1 localhost\n",
      "nsswitch.conf": "passwd: files\nhosts: files dns\n",
    };
    for (const [address, names] of CASES) {
      for (const asked of [address, `::ffff:${address}`]) {
        await t.step(`${asked}: ${names.join(", ")}`, async () => {
          const glibc = await runWithEtcFiles(dir.path, files, ["getent", "hosts", asked]);
          const ours = await runWithEtcFiles(
            dir.path,
            files,
            resolveHostnameCommand("--json", "-x", asked),
          );
          const json = JSON.parse(ours.stdout.trim() || "{}");
          const glibcNames = glibc.stdout.trim().split(/\s+/).slice(1);
          assert.deepEqual(json.names ?? [], glibcNames, ours.stdout + ours.stderr);
        });
      }
    }
  },
});
