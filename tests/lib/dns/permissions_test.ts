import assert from "node:assert/strict";
import { DNS_TYPE } from "../../../lib/dns/message.ts";
import { answerTo, startDnsmasq, startFakeDnsServer } from "../../harness/dns_peers.ts";
import { peerTest } from "../../harness/peers.ts";
import { run } from "../../harness/run.ts";

const SCRIPT = new URL("../../fixtures/dns_least_privilege.ts", import.meta.url).pathname;

/**
 * Runs the fixture under exactly `--allow-net=GRANT` and returns what it printed. With
 * `stable`, deno.json's `"unstable": ["net"]` is left out, so there is no `Deno.listenDatagram`
 * and the UDP question goes through `node:dgram`, as in a program that imports netkit.
 */
async function resolveUnder(
  grant: string,
  port: number,
  name = "web.test",
  address = "127.0.0.1",
  stable = false,
) {
  const args = [
    "run",
    "--no-prompt",
    ...(stable ? ["--no-config"] : []),
    `--allow-net=${grant}`,
    SCRIPT,
    String(port),
    name,
    address,
  ];
  const { code, stdout, stderr } = await run(Deno.execPath(), args);
  assert.equal(code, 0, `the script died: ${stderr}`);
  assert.equal(stderr, "", "nothing uncaught, nothing printed");
  return JSON.parse(stdout);
}

/** A fake server that answers A 10.0.0.1 over UDP and TCP. */
function startAnsweringServer(hostname = "127.0.0.1") {
  const answer = (query: Parameters<typeof answerTo>[0]) =>
    answerTo(query, {
      answers: [{
        name: query.questions[0]?.name ?? "",
        type: DNS_TYPE.A,
        class: 1,
        ttl: 60,
        data: "10.0.0.1",
      }],
    });
  return startFakeDnsServer(answer, answer, hostname);
}

Deno.test("resolveHost() under --allow-net=127.0.0.1:PORT alone answers as Deno.resolveDns does, over TCP", async () => {
  await using server = await startAnsweringServer();
  const result = await resolveUnder(`127.0.0.1:${server.port}`, server.port);
  assert.deepEqual(result.netkit, ["10.0.0.1"]);
  assert.deepEqual(result.netkit, result.deno);
  assert.equal(server.tcpQueries, 1, "no UDP socket could be bound: the question went over TCP");
  assert.deepEqual(result.withHostsFile, {
    name: "MissingPermissionError",
    message:
      'Missing permission for reading the hosts file (or pass hostsFile: false): read access to "/etc/hosts" (grant it with --allow-read=/etc/hosts)',
    flag: "--allow-read=/etc/hosts",
    notCapable: true,
  });
  assert.equal(result.systemServers.name, "MissingPermissionError");
  // The system's lookup order comes first, then its name servers: each refusal names its file.
  assert.equal(result.systemServers.flag, "--allow-read=/etc/nsswitch.conf");
});

Deno.test("resolveHost() binds only 127.0.0.1:0 for a loopback server, so that grant is enough for UDP", async () => {
  await using server = await startAnsweringServer();
  const result = await resolveUnder(`127.0.0.1:${server.port},127.0.0.1:0`, server.port);
  assert.equal(result.listenDatagram, true, "deno.json's unstable net gives Deno.listenDatagram");
  assert.deepEqual(result.netkit, ["10.0.0.1"]);
  assert.deepEqual(result.netkit, result.deno);
  assert.equal(server.tcpQueries, 0);
  // Deno.resolveDns and netkit: one UDP question each.
  assert.equal(server.queries.length, 2);
});

Deno.test("resolveHost() without Deno.listenDatagram (no --unstable-net) asks over node:dgram, the same", async () => {
  await using server = await startAnsweringServer();
  const result = await resolveUnder(
    `127.0.0.1:${server.port},127.0.0.1:0`,
    server.port,
    "web.test",
    "127.0.0.1",
    true,
  );
  assert.equal(result.listenDatagram, false, "the fixture ran without --unstable-net");
  assert.deepEqual(result.netkit, ["10.0.0.1"]);
  assert.deepEqual(result.netkit, result.deno);
  assert.equal(server.tcpQueries, 0);
  assert.equal(server.queries.length, 2);
});

Deno.test("resolveHost() asks an IPv6 loopback server under [::1]:PORT alone, and over UDP with [::1]:0", async () => {
  await using server = await startAnsweringServer("::1");
  const narrow = await resolveUnder(`[::1]:${server.port}`, server.port, "web.test", "::1");
  assert.deepEqual(narrow.netkit, ["10.0.0.1"]);
  assert.deepEqual(narrow.netkit, narrow.deno);
  assert.equal(server.tcpQueries, 1);
  const wider = await resolveUnder(`[::1]:${server.port},[::1]:0`, server.port, "web.test", "::1");
  assert.deepEqual(wider.netkit, ["10.0.0.1"]);
  assert.equal(server.tcpQueries, 1, "the second time over UDP");
});

Deno.test("resolveHost() names the grant UDP needs when the server takes no TCP", async () => {
  await using server = await startFakeDnsServer((query) => answerTo(query));
  const result = await resolveUnder(`127.0.0.1:${server.port}`, server.port);
  assert.equal(result.netkit.name, "MissingPermissionError");
  assert.equal(result.netkit.flag, "--allow-net=127.0.0.1:0");
  assert.equal(result.netkit.notCapable, true);
});

peerTest(
  "resolveHost() against dnsmasq under --allow-net=127.0.0.1:PORT alone agrees with Deno.resolveDns",
  ["dnsmasq"],
  async () => {
    await using dnsmasq = await startDnsmasq();
    for (const name of ["web.test", "www.test", "many.test"]) {
      const result = await resolveUnder(`127.0.0.1:${dnsmasq.port}`, dnsmasq.port, name);
      assert.ok(Array.isArray(result.netkit), JSON.stringify(result.netkit));
      assert.deepEqual(result.netkit, result.deno, name);
    }
  },
);
