import assert from "node:assert/strict";
import { DNS_TYPE } from "../../../lib/dns/message.ts";
import { lookupAddresses } from "../../../lib/dns/resolver.ts";
import { answerTo, startFakeDnsServer } from "../../harness/dns_peers.ts";
import { orderAddresses, sortAddresses } from "../../../lib/dns/address_order.ts";
import { DEFAULT_GAI_CONFIG, parseGaiConf } from "../../../lib/dns/gai_conf.ts";

/** A host with loopback, a global IPv4 and a ULA IPv6 (as this project's test machines). */
const HOST = ["127.0.0.1", "::1", "10.1.2.3", "fd00::2", "fe80::1"];

Deno.test("sortAddresses() applies RFC 6724's rules with glibc's default policy table", () => {
  const cases: [string[], readonly string[], string[]][] = [
    // Rule 6: ::1 (precedence 50) before IPv4 (10).
    [["127.0.0.9", "::1"], HOST, ["::1", "127.0.0.9"]],
    // Rule 5: a global IPv6 whose label differs from the ULA source loses to IPv4.
    [["2001:db8::7", "10.0.7.1"], HOST, ["10.0.7.1", "2001:db8::7"]],
    // Matching labels (ULA to ULA): precedence 40 beats IPv4's 10.
    [["10.0.7.2", "fd00::7"], HOST, ["fd00::7", "10.0.7.2"]],
    // Rule 1: no IPv6 source that reaches a global address: IPv6 last.
    [["2001:db8::1", "192.0.2.1"], ["127.0.0.1", "::1", "192.0.2.9"], ["192.0.2.1", "2001:db8::1"]],
    // Rule 8: smaller scope first (link-local before global), both usable.
    [["fd00::9", "fe80::9%eth0"], HOST, ["fe80::9%eth0", "fd00::9"]],
    // Rule 1: a link-local address without a zone cannot be connected to (EINVAL): last, as
    // getent ahosts puts it.
    [["fe80::9", "fd00::9"], HOST, ["fd00::9", "fe80::9"]],
    // Rule 2: 169.254/16 has scope 2, but its source is the interface's (scope 14), not loopback.
    [["169.254.1.1", "10.0.0.1"], HOST, ["10.0.0.1", "169.254.1.1"]],
    // An IPv4-mapped AAAA counts as IPv6: scope 14 (not 127/8's 2), so rule 8 puts 127.0.0.2 first.
    [["::ffff:127.0.0.1", "127.0.0.2"], HOST, ["127.0.0.2", "::ffff:127.0.0.1"]],
    // Rule 10: otherwise the order given.
    [["10.0.0.2", "10.0.0.1"], HOST, ["10.0.0.2", "10.0.0.1"]],
  ];
  for (const [addresses, sources, expected] of cases) {
    assert.deepEqual(
      sortAddresses(addresses, sources, { policy: DEFAULT_GAI_CONFIG }),
      expected,
      addresses.join(" "),
    );
  }
});

Deno.test("sortAddresses() keeps a scope suffix and returns a new array", () => {
  const input = ["fe80::1%lo", "127.0.0.1"];
  const sorted = sortAddresses(input, HOST, { policy: DEFAULT_GAI_CONFIG });
  assert.notEqual(sorted, input);
  assert.deepEqual([...sorted].sort(), [...input].sort());
});

Deno.test("sortAddresses() sorts as glibc's merge sort where RFC 6724's rules are no total order", () => {
  // One precedence and label for all: rule 9 orders only the IPv4 pair, rule 10 the rest; glibc's
  // msort (getent ahosts on a random gai.conf) gives this, an insertion sort another.
  const policy = parseGaiConf("precedence ::/0 0\nlabel ::ffff:10.0.0.0/104 0\n");
  const addresses = [
    "2600:1::8",
    "192.0.2.9",
    "192.168.0.7",
    "2002:cb00:7100::3",
    "fed0:1::8",
    "192.0.2.9",
  ];
  assert.deepEqual(
    sortAddresses(addresses, ["127.0.0.1/8", "::1/128", "192.0.2.2/24", "fd00::2/64"], { policy }),
    ["2600:1::8", "192.0.2.9", "192.168.0.7", "2002:cb00:7100::3", "192.0.2.9", "fed0:1::8"],
  );
});

Deno.test("lookupAddresses() keeps DNS's A answer before its AAAA answer where the rules tie", async () => {
  // An IPv4-mapped AAAA and an A record share precedence and label in any gai.conf and differ in
  // family (no rule 9): rule 10 keeps glibc's order, the A answer's first (gaih_getanswer).
  await using server = await startFakeDnsServer((query) => {
    const [question] = query.questions;
    assert.ok(question, "a query with no question");
    const data = question.type === DNS_TYPE.A ? "10.0.0.2" : "::ffff:10.0.0.1";
    return answerTo(query, { answers: [{ name: question.name, type: question.type, data }] });
  });
  const found = await lookupAddresses("tie.test", {
    nameServer: `127.0.0.1:${server.port}`,
    hostsFile: false,
    attemptTimeoutMs: 1000,
  });
  assert.deepEqual(found.addresses.map((a) => a.address), ["10.0.0.2", "::ffff:10.0.0.1"]);
});

Deno.test("orderAddresses() sorts getaddrinfo's list of each address per socket type as glibc", () => {
  // getent ahosts on this hosts file and gai.conf ("precedence ::ffff:0:0/96 100") prints
  // 192.0.2.9's DGRAM and RAW lines first and its STREAM line after ::ffff:10.0.0.1's: the rules
  // tie in a circle (rule 9 for IPv4 pairs only), and glibc's merge sort parts the copies.
  const policy = parseGaiConf("precedence ::ffff:0:0/96 100\n");
  const lines = ["192.168.0.7", "::ffff:10.0.0.1", "192.0.2.9", "fe80::1", "192.168.0.7"]
    .flatMap((address) => ["STREAM", "DGRAM", "RAW"].map((type) => `${address} ${type}`));
  const order = orderAddresses(
    lines.map((line) => line.split(" ")[0]!),
    ["127.0.0.1/8", "::1/128", "192.0.2.2/24", "fd00::2/64", "fe80::1/64"],
    { policy },
  );
  assert.deepEqual(order.map((i) => lines[i]), [
    "192.0.2.9 DGRAM",
    "192.0.2.9 RAW",
    "192.168.0.7 STREAM",
    "192.168.0.7 DGRAM",
    "192.168.0.7 RAW",
    "::ffff:10.0.0.1 STREAM",
    "::ffff:10.0.0.1 DGRAM",
    "::ffff:10.0.0.1 RAW",
    "192.0.2.9 STREAM",
    "192.168.0.7 STREAM",
    "192.168.0.7 DGRAM",
    "192.168.0.7 RAW",
    "fe80::1 STREAM",
    "fe80::1 DGRAM",
    "fe80::1 RAW",
  ]);
});

Deno.test("sortAddresses() sorts anew when the sources or the policy change (its kept rows are theirs)", () => {
  const addresses = ["10.0.7.1", "fd00::7", "2001:db8::7"];
  const preferIpv4 = parseGaiConf("precedence ::ffff:0:0/96  100\n");
  const noIpv6 = ["127.0.0.1", "::1", "10.1.2.3"];
  // Alternating, so that each sort follows one made with other sources or another policy.
  for (let round = 0; round < 3; round++) {
    assert.deepEqual(sortAddresses(addresses, HOST, { policy: DEFAULT_GAI_CONFIG }), [
      "fd00::7",
      "10.0.7.1",
      "2001:db8::7",
    ]);
    assert.deepEqual(sortAddresses(addresses, HOST, { policy: preferIpv4 }), [
      "10.0.7.1",
      "fd00::7",
      "2001:db8::7",
    ]);
    // No IPv6 source but loopback: both IPv6 destinations are unusable (rule 1).
    assert.deepEqual(sortAddresses(addresses, noIpv6, { policy: DEFAULT_GAI_CONFIG }), [
      "10.0.7.1",
      "fd00::7",
      "2001:db8::7",
    ]);
    // An address that is none still throws, whatever was kept.
    assert.throws(() => sortAddresses(["10.0.7.1", "nope"], HOST), SyntaxError);
  }
});
