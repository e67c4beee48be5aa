/**
 * resolveHost()'s failure is the last nsswitch source's, as glibc's h_errno and getaddrinfo's
 * error (found by tests/cmd/resolve-hostname_order_random_test.ts): `hosts: dns files` with DNS
 * saying no data or refusing, then the hosts file finding nothing, is HOST_NOT_FOUND /
 * EAI_NONAME; `hosts: files dns` keeps DNS's NO_DATA / EAI_NODATA.
 */

import assert from "node:assert/strict";
import { DnsNoDataError, DnsNotFoundError, DnsServerError } from "../../../lib/dns/errors.ts";
import { decodeDnsMessage, DNS_RCODE } from "../../../lib/dns/message.ts";
import { lookupAddresses, resolveHost } from "../../../lib/dns/resolver.ts";
import { answerTo, startDnsServerAt } from "../../harness/dns_peers.ts";
import { tempDir } from "../../harness/peers.ts";

/**
 * Port 53 of a loopback address of this file's own (127.96), for resolv.conf: one per test, as a
 * port a server just closed may still be taken for a moment (AddrInUse).
 */
const serverAddress = (test: number) =>
  `127.96.${(Deno.pid >> 8) & 255}.${((Deno.pid & 63) << 2) | test}`;
const IGNORE = Deno.uid() === 0 ? undefined : "needs root for port 53";

for (const [test, rcode] of [DNS_RCODE.NOERROR, DNS_RCODE.REFUSED].entries()) {
  const SERVER = serverAddress(test + 1);
  const what = rcode === DNS_RCODE.NOERROR ? "no data" : "REFUSED";
  Deno.test({
    name: `resolveHost() fails as its last source: DNS's ${what}, then files finding nothing${
      IGNORE ? ` (ignored: ${IGNORE})` : ""
    }`,
    ignore: IGNORE !== undefined,
    async fn() {
      await using dir = await tempDir();
      await using _server = startDnsServerAt(
        SERVER,
        53,
        (wire) => answerTo(decodeDnsMessage(wire), { rcode }),
      );
      const resolvConf = `${dir.path}/resolv.conf`;
      const hostsFile = `${dir.path}/hosts`;
      const nsswitchConf = `${dir.path}/nsswitch.conf`;
      await Deno.writeTextFile(resolvConf, `nameserver ${SERVER}\noptions timeout:1 attempts:1\n`);
      await Deno.writeTextFile(hostsFile, "127.0.0.1 localhost\n");
      const options = { resolvConf, hostsFile, nsswitchConf };
      await Deno.writeTextFile(nsswitchConf, "hosts: dns files\n");
      await assert.rejects(resolveHost("some.test", options), DnsNotFoundError);
      await assert.rejects(
        lookupAddresses("some.test", { ...options, family: 6 }),
        DnsNotFoundError,
      );
      await Deno.writeTextFile(nsswitchConf, "hosts: files dns\n");
      const dnsError = rcode === DNS_RCODE.NOERROR ? DnsNoDataError : DnsServerError;
      await assert.rejects(resolveHost("some.test", options), dnsError);
    },
  });
}
