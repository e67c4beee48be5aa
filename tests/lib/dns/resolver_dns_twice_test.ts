/**
 * `lookupAddresses` of both families where nsswitch.conf names DNS twice (`hosts: dns dns`): the
 * second DNS walk of each family asked on the pair's sockets for a name both walks were done
 * with, which were closed under its questions and its own left open, with a read pending, so the
 * lookup settled but the process never ended (found by tests/cmd/resolve-hostname_random_test.ts,
 * seed 980061: a refused name server), where the test sanitizers saw nothing: the lookups run
 * in a program of their own, which must end by itself.
 */

import assert from "node:assert/strict";
import { DnsNotFoundError } from "../../../lib/dns/errors.ts";
import { decodeDnsMessage, DNS_RCODE } from "../../../lib/dns/message.ts";
import { lookupAddresses } from "../../../lib/dns/resolver.ts";
import { answerTo, startDnsServerAt } from "../../harness/dns_peers.ts";
import { tempDir } from "../../harness/peers.ts";

/** A loopback address of this file's own, by the process (127.98.X.Y); `test` is 0 to 3. */
const address = (test: number) =>
  `127.98.${(Deno.pid >> 8) & 255}.${((Deno.pid & 63) << 2) | test}`;
const IGNORE = Deno.uid() === 0 ? undefined : "needs root for port 53";

/** Writes resolv.conf and nsswitch.conf (`hosts: dns dns`) naming `server`; their options. */
async function dnsTwice(dir: string, server: string) {
  const resolvConf = `${dir}/resolv.conf`;
  const nsswitchConf = `${dir}/nsswitch.conf`;
  await Deno.writeTextFile(resolvConf, `nameserver ${server}\noptions timeout:1 attempts:2\n`);
  await Deno.writeTextFile(nsswitchConf, "hosts: dns dns\n");
  return { resolvConf, nsswitchConf, hostsFile: false as const };
}

Deno.test("lookupAddresses of both families, DNS twice in nsswitch.conf, a refused server: the program ends", async () => {
  await using dir = await tempDir();
  // Nothing listens there: each question's socket reads ECONNREFUSED (port unreachable).
  const options = await dnsTwice(dir.path, address(0));
  // In a program of its own: the sockets left open kept a program alive after its lookups, where
  // the test's sanitizers saw nothing. Killed after a minute (it then never ended).
  const resolver = new URL("../../../lib/dns/resolver.ts", import.meta.url).href;
  const program = `import { lookupAddresses } from ${JSON.stringify(resolver)};
    for (const family of [0, 4, 6, 0]) {
      await lookupAddresses("some.test", { ...${JSON.stringify(options)}, family }).then(
        () => console.log("found"),
        (error) => console.log(error.message.includes("refused") ? "refused" : error.message),
      );
    }`;
  const run = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--unstable-net", program],
    stdout: "piped",
    stderr: "inherit",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.equal(new TextDecoder().decode(run.stdout), "refused\n".repeat(4));
  assert.deepEqual([run.code, run.signal], [0, null], "the program did not end by itself");
});

Deno.test({
  name:
    `lookupAddresses of both families, DNS twice in nsswitch.conf, NXDOMAIN: each DNS source asks both families again${
      IGNORE ? ` (ignored: ${IGNORE})` : ""
    }`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using dir = await tempDir();
    const server = address(1);
    const asked: string[] = [];
    await using _server = startDnsServerAt(server, 53, (wire) => {
      const query = decodeDnsMessage(wire);
      asked.push(`${query.questions[0]!.type}`);
      return answerTo(query, { rcode: DNS_RCODE.NXDOMAIN });
    });
    const options = await dnsTwice(dir.path, server);
    await assert.rejects(lookupAddresses("some.test", { ...options, family: 0 }), DnsNotFoundError);
    // A (1) and AAAA (28), once for each DNS source of the line.
    assert.deepEqual(asked.sort(), ["1", "1", "28", "28"]);
  },
});
