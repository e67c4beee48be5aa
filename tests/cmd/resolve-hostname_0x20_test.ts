/**
 * `resolve-hostname` beside glibc's getent on answers that spell the name asked in other letters'
 * case, in the question section and the records' owners (as a server of DNS 0x20, or a
 * middlebox, sends them): glibc's official and canonical names are the name as the answer's
 * question section spells it (nss_dns unpacks it from the answer), netkit's were the name as
 * asked (random seed 1401000 of the misbehaving servers' test); and an `xn--` canonical name in
 * Unicode keeps its letters' case, as libidn2 keeps it (seed 1401096). As root, in a mount namespace
 * with the test's resolv.conf, hosts and nsswitch.conf over `/etc`, against a server of the
 * test's own on port 53 of a loopback address (resolv.conf cannot name a port). Ignored, with the
 * reason, where namespaces or getent cannot be had.
 */

import assert from "node:assert/strict";
import { decodeDnsMessage, DNS_TYPE } from "../../lib/dns/message.ts";
import { encodeDnsMessage } from "../../lib/dns/encode_message.ts";
import { startDnsServerAt } from "../harness/dns_peers.ts";
import { loopbackAddress } from "../harness/loopback_address.ts";
import { tempDir } from "../harness/peers.ts";
import {
  ahostsSideBySide,
  etcNamespaceUnavailable,
  resolveHostnameCommand,
  runWithEtcFiles,
} from "../harness/etc_namespace.ts";

const IGNORE = etcNamespaceUnavailable(["getent"]);
const IGNORED = IGNORE ? ` (ignored: ${IGNORE})` : "";

const SERVER = loopbackAddress();

/** Every other letter's case flipped. */
const flipped = (name: string) =>
  [...name].map((c, i) =>
    i % 2 === 0 ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c
  )
    .join("");

/**
 * `case.test` has 10.0.0.8 and fd00::8, answered in other letters' case; `xn--bcher-kva.test` the
 * same, answered as asked; anything else NXDOMAIN.
 */
function answer(query: Uint8Array): Uint8Array | undefined {
  const message = decodeDnsMessage(query);
  const question = message.questions[0];
  if (question === undefined) return undefined;
  const asked = question.name.toLowerCase().replace(/\.$/, "");
  const known = asked === "case.test" || asked === "xn--bcher-kva.test";
  // The international name answered as asked (its case kept, as dnsmasq answers).
  const spelt = asked === "case.test" ? flipped(question.name) : question.name;
  return encodeDnsMessage({
    id: message.id,
    response: true,
    recursionDesired: message.recursionDesired,
    recursionAvailable: true,
    rcode: known ? 0 : 3,
    questions: [{ ...question, name: spelt }],
    answers: !known
      ? []
      : question.type === DNS_TYPE.A
      ? [{ name: spelt, type: DNS_TYPE.A, ttl: 60, data: "10.0.0.8" }]
      : question.type === DNS_TYPE.AAAA
      ? [{ name: spelt, type: DNS_TYPE.AAAA, ttl: 60, data: "fd00::8" }]
      : [],
  });
}

Deno.test({
  name:
    `resolve-hostname --ahosts keeps the case of an xn-- name's letters in Unicode, as getent${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    const files = {
      "resolv.conf": `nameserver ${SERVER}\noptions timeout:1 attempts:1\n`,
      hosts: "127.0.0.1 localhost\n",
      "nsswitch.conf": "passwd: files\nhosts: files dns\n",
    };
    // Random seed 1401096: glibc's AI_CANONIDN (libidn2) keeps the basic letters' case.
    const { glibc, netkit } = await ahostsSideBySide(dir.path, files, "XN--BCHER-KVA.TEST.");
    assert.match(glibc, /STREAM B\u00fcCHER\.TEST\n/, `getent itself: ${glibc}`);
    assert.equal(netkit, glibc);
  },
});

Deno.test({
  name:
    `resolve-hostname names a host as the answer's question section spells it, as getent${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    const files = {
      "resolv.conf": `nameserver ${SERVER}\noptions timeout:1 attempts:1\n`,
      hosts: "127.0.0.1 localhost\n",
      "nsswitch.conf": "passwd: files\nhosts: files dns\n",
    };
    for (const name of ["case.test", "case.test."]) {
      await t.step(name, async () => {
        const v4 = await runWithEtcFiles(dir.path, files, ["getent", "ahostsv4", name]);
        const [address, , canonical] = v4.stdout.trim().split(/\s+/);
        assert.equal(address, "10.0.0.8", `getent itself: ${v4.stdout}`);
        assert.equal(canonical, "CaSe.tEsT", `getent itself: ${v4.stdout}`);
        const { glibc, netkit } = await ahostsSideBySide(dir.path, files, name);
        assert.equal(netkit, glibc);
        const ours = await runWithEtcFiles(dir.path, files, resolveHostnameCommand("--json", name));
        const json = JSON.parse(ours.stdout || "{}");
        assert.equal(json.officialName, canonical, ours.stdout + ours.stderr);
        const hosts = await runWithEtcFiles(dir.path, files, ["getent", "hosts", name]);
        const six = await runWithEtcFiles(
          dir.path,
          files,
          [...resolveHostnameCommand("--json", name)].map((arg) =>
            arg === "cmd/resolve-hostname.ts" ? "cmd/resolve-hostname6.ts" : arg
          ),
        );
        const [first, official] = hosts.stdout.trim().split(/\s+/);
        assert.equal(first, "fd00::8", `getent itself: ${hosts.stdout}`);
        assert.equal(JSON.parse(six.stdout || "{}").officialName, official, six.stdout);
      });
    }
  },
});
