/**
 * `resolve-hostname` beside glibc's getent on answers whose records glibc 2.36 (Debian's, whose
 * nss_dns walks the answer with `ns_rr_cursor`) reads past: a CNAME whose target name is shorter
 * than its data (bytes after the name), an NS record of the name with such bytes, an A record of 5
 * bytes before a good one, an AAAA record of 3 bytes before a good one. glibc reads each record to
 * its data's end, takes a name up to its own end and skips an address record of the wrong length;
 * netkit refused the whole answer as malformed. Each name is asked of `getent hosts`, `ahosts` and
 * `ahostsv4` and of `resolve-hostname --json` and `--ahosts`; and CNAME loops, inside one answer
 * and across two questions, asked with a final dot (both fail; netkit names the loop). As root,
 * in a mount namespace with the test's resolv.conf, hosts and nsswitch.conf over `/etc`, against
 * a server of the test's own on port 53 of a loopback address (resolv.conf cannot name a port).
 * Ignored, with the reason, where namespaces or getent cannot be had.
 */

import assert from "node:assert/strict";
import { decodeDnsMessage, DNS_TYPE, encodeDnsName } from "../../lib/dns/message.ts";
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

const u16 = (n: number) => [n >> 8, n & 0xff];
const wire = (name: string) => [...encodeDnsName(name)];
/** One answer record of class IN, its data as given (any length). */
const record = (owner: string, type: number, data: number[]) => [
  ...wire(owner),
  ...u16(type),
  ...u16(1),
  0,
  0,
  0,
  60,
  ...u16(data.length),
  ...data,
];
const IPV4 = (text: string) => text.split(".").map(Number);
const FD00 = (last: number) => [0xfd, ...new Array(14).fill(0), last];

/** The answer records of each name, by the question's type (A 1, AAAA 28). */
const ANSWERS: Record<string, (asked: string, type: number) => number[][]> = {
  // A CNAME whose data goes on for three bytes after the target's name.
  "junk.test": (asked, type) => [
    record(asked, DNS_TYPE.CNAME, [...wire("target.test"), 9, 9, 9]),
    type === DNS_TYPE.A
      ? record("target.test", DNS_TYPE.A, IPV4("10.0.0.1"))
      : record("target.test", DNS_TYPE.AAAA, FD00(1)),
  ],
  // An NS record of the name in the answer, one byte after its name.
  "ns.test": (asked, type) =>
    type === DNS_TYPE.A
      ? [record(asked, DNS_TYPE.NS, [...wire("ns.test"), 7]), record(asked, 1, IPV4("10.0.0.4"))]
      : [],
  // An A record of 5 bytes before one of 4.
  "a5.test": (asked, type) =>
    type === DNS_TYPE.A
      ? [record(asked, DNS_TYPE.A, [1, 2, 3, 4, 5]), record(asked, DNS_TYPE.A, IPV4("10.0.0.2"))]
      : [],
  // An AAAA record of 3 bytes before one of 16; an IPv4 address too.
  "aaaa3.test": (asked, type) =>
    type === DNS_TYPE.AAAA
      ? [record(asked, DNS_TYPE.AAAA, [1, 2, 3]), record(asked, DNS_TYPE.AAAA, FD00(2))]
      : [record(asked, DNS_TYPE.A, IPV4("10.0.0.5"))],
};

/** CNAME loops: inside one answer, and across two questions (`far.test` -> `back.test` -> it). */
const LOOPS: Record<string, (asked: string, type: number) => number[][]> = {
  "loop.test": (asked) => [
    record(asked, DNS_TYPE.CNAME, wire("round.test")),
    record("round.test", DNS_TYPE.CNAME, wire(asked)),
  ],
  "far.test": (asked) => [record(asked, DNS_TYPE.CNAME, wire("back.test"))],
  "back.test": (asked) => [record(asked, DNS_TYPE.CNAME, wire("far.test"))],
};

/** The server's answer to `query`: the name's records after a header and the question. */
function answer(query: Uint8Array): Uint8Array | undefined {
  const message = decodeDnsMessage(query);
  const question = message.questions[0];
  if (question === undefined) return undefined;
  const key = question.name.toLowerCase().replace(/\.$/, "");
  const records = ANSWERS[key] ?? LOOPS[key];
  const head = encodeDnsMessage({
    id: message.id,
    response: true,
    recursionDesired: message.recursionDesired,
    recursionAvailable: true,
    rcode: records === undefined ? 3 : 0,
    questions: message.questions,
  });
  if (records === undefined) return head;
  const found = records(question.name, question.type);
  const out = new Uint8Array([...head, ...found.flat()]);
  out.set(u16(found.length), 6);
  return out;
}

Deno.test({
  name:
    `resolve-hostname reads past a record's odd data as glibc (bytes after a CNAME's or NS name, an address record of the wrong length)${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    const etc = {
      "resolv.conf": `nameserver ${SERVER}\noptions timeout:1 attempts:1\n`,
      hosts: "127.0.0.1 localhost\n",
      "nsswitch.conf": "hosts: files dns\n",
    };
    for (const name of Object.keys(ANSWERS)) {
      await t.step(name, async () => {
        const hosts = await runWithEtcFiles(dir.path, etc, ["getent", "hosts", name]);
        assert.equal(hosts.code, 0, `getent itself: ${hosts.stderr}`);
        const { glibc, netkit } = await ahostsSideBySide(dir.path, etc, name);
        assert.equal(netkit, glibc);
        const v4 = await runWithEtcFiles(dir.path, etc, ["getent", "ahostsv4", name]);
        const [address, , canonical] = v4.stdout.trim().split(/\s+/);
        const ours = await runWithEtcFiles(dir.path, etc, resolveHostnameCommand("--json", name));
        const json = JSON.parse(ours.stdout || "{}");
        assert.deepEqual(json.addresses, [address], ours.stdout);
        assert.equal(json.officialName, canonical);
        // getent hosts: gethostbyname2(AF_INET6) first, IPv4 when there is no IPv6 address.
        const [first, official, ...aliases] = hosts.stdout.trim().split(/\s+/);
        if (first === address) {
          assert.equal(json.officialName, official);
          assert.deepEqual(json.aliases, aliases);
        }
      });
    }
  },
});

Deno.test({
  name:
    `resolve-hostname fails on a CNAME loop as getent, inside one answer or across two questions${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startDnsServerAt(SERVER, 53, answer);
    await using dir = await tempDir();
    const etc = {
      "resolv.conf": `nameserver ${SERVER}\nsearch test\noptions timeout:1 attempts:1\n`,
      hosts: "127.0.0.1 localhost\n",
      "nsswitch.conf": "hosts: files dns\n",
    };
    // With a final dot: the name alone is asked (glibc stops after the first answer, which has
    // no address, NO_RECOVERY; netkit follows the CNAME to back.test and finds the loop).
    for (const name of ["loop.test.", "far.test."]) {
      await t.step(name, async () => {
        for (const database of ["hosts", "ahosts", "ahostsv4", "ahostsv6"]) {
          const glibc = await runWithEtcFiles(dir.path, etc, ["getent", database, name]);
          assert.equal(glibc.code, 2, `getent ${database} itself: ${glibc.stdout}`);
        }
        const { netkit } = await ahostsSideBySide(dir.path, etc, name);
        assert.equal(netkit, "");
        const ours = await runWithEtcFiles(dir.path, etc, resolveHostnameCommand("--json", name));
        assert.equal(ours.code, 1, ours.stdout);
        assert.match(JSON.parse(ours.stdout).error.message, /loop/i);
      });
    }
  },
});
