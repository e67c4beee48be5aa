/**
 * `resolve-hostname` beside glibc's `getent ahostsv4` on the same system configuration: as root,
 * in a mount namespace (`unshare -m`) where the test's resolv.conf, hosts file and nsswitch.conf
 * are bind-mounted over `/etc`, against dnsmasq on port 53 of a loopback address (resolv.conf
 * cannot name a port). Search lists with ndots 1 and 2, a final dot, LOCALDOMAIN, RES_OPTIONS,
 * nsswitch orders, a dead first server, hostile names, names with master files' escapes. Ignored, with the reason, where namespaces,
 * dnsmasq or getent cannot be had.
 */

import assert from "node:assert/strict";
import { startDnsmasqOnPort53 as startDnsmasqAt } from "../harness/dns_peers.ts";
import { tempDir } from "../harness/peers.ts";
import {
  etcNamespaceUnavailable,
  resolveHostnameCommand,
  runWithEtcFiles,
} from "../harness/etc_namespace.ts";
import { ROOT } from "../harness/run.ts";
import { loopbackAddresses } from "../harness/loopback_address.ts";

const IGNORE = etcNamespaceUnavailable(["getent", "dnsmasq"]);

/**
 * Loopback addresses of this file's own (tests/harness/loopback_address.ts): one for its DNS
 * server, one where nothing listens, a dead name server (ICMP port unreachable).
 */
const [SERVER, DEAD_SERVER] = loopbackAddresses(2) as [string, string];

const RECORDS = [
  "--host-record=myhost.corp.test,10.0.1.1",
  "--host-record=x.test,10.0.2.1",
  "--host-record=x.test.corp.test,10.0.2.2",
  "--host-record=y.lab.test,10.0.3.1",
  "--host-record=both.test,10.0.4.1",
  "--host-record=dnsonly.test,10.0.5.1",
  "--cname=alias.test,myhost.corp.test",
  "--ptr-record=1.2.0.10.in-addr.arpa,mapped.test",
  `--host-record=svc.corp.test,${SERVER}`,
  "--host-record=dual.test,10.0.7.1,2001:db8::7",
  "--host-record=ula.test,10.0.7.2,fd00::7",
  "--host-record=lo6.test,127.0.0.9,::1",
  "--host-record=many.test,10.0.8.1,10.0.8.2,fd00::8:1,2001:db8::8:2,::1",
  // In DNS with IPv6 only, in the hosts file with IPv4 only: glibc's getaddrinfo stops at the file.
  "--host-record=half.test,fd00::62",
];

const HOSTS = "127.0.0.1 localhost\n::1 localhost ip6-localhost\n10.0.4.9 both.test both\n" +
  "10.0.6.1 filesonly.test\n10.0.6.2 half.test\n";

interface Answer {
  /** The canonical name, or undefined when the name did not resolve. */
  name: string | undefined;
  addresses: string[];
}

interface Setup {
  resolvConf: string;
  nsswitch: string;
  env?: Record<string, string>;
}

/** Runs `argv` in a mount namespace with the setup's files over /etc; its stdout. */
async function inNamespace(dir: string, setup: Setup, argv: string[]): Promise<string> {
  const files = { "resolv.conf": setup.resolvConf, hosts: HOSTS, "nsswitch.conf": setup.nsswitch };
  return (await runWithEtcFiles(dir, files, argv, setup.env)).stdout;
}

async function getent(dir: string, setup: Setup, name: string): Promise<Answer> {
  const text = await inNamespace(dir, setup, ["getent", "ahostsv4", name]);
  const lines = text.trim().split("\n").filter((line) => line !== "");
  const addresses = [...new Set(lines.map((line) => line.split(/\s+/)[0] ?? ""))];
  const first = (lines[0] ?? "").split(/\s+/);
  return { name: first[2], addresses: lines.length === 0 ? [] : addresses };
}

async function netkit(dir: string, setup: Setup, name: string): Promise<Answer> {
  const text = await inNamespace(dir, setup, resolveHostnameCommand("--json", name));
  const answer = JSON.parse(text.trim() || "{}") as { officialName?: string; addresses?: string[] };
  return { name: answer.officialName, addresses: answer.addresses ?? [] };
}

const ALL_SOURCES = "hosts: files dns\n";

/** name, setup, and what getent must give (so a broken namespace cannot pass by agreeing). */
const CASES: [string, string, Setup, string[]][] = [
  ["a single label, search list", "myhost", {
    resolvConf: `nameserver ${SERVER}\nsearch corp.test\n`,
    nsswitch: ALL_SOURCES,
  }, ["10.0.1.1"]],
  ["ndots:1, a dotted name asked as it is first", "x.test", {
    resolvConf: `nameserver ${SERVER}\nsearch corp.test\noptions ndots:1\n`,
    nsswitch: ALL_SOURCES,
  }, ["10.0.2.1"]],
  ["ndots:2, the search list first", "x.test", {
    resolvConf: `nameserver ${SERVER}\nsearch corp.test\noptions ndots:2\n`,
    nsswitch: ALL_SOURCES,
  }, ["10.0.2.2"]],
  ["a final dot, no search", "x.test.", {
    resolvConf: `nameserver ${SERVER}\nsearch corp.test\noptions ndots:2\n`,
    nsswitch: ALL_SOURCES,
  }, ["10.0.2.1"]],
  ["RES_OPTIONS=ndots:2 over the file", "x.test", {
    resolvConf: `nameserver ${SERVER}\nsearch corp.test\n`,
    nsswitch: ALL_SOURCES,
    env: { RES_OPTIONS: "ndots:2" },
  }, ["10.0.2.2"]],
  ["LOCALDOMAIN replaces the search list", "y", {
    resolvConf: `nameserver ${SERVER}\nsearch corp.test\n`,
    nsswitch: ALL_SOURCES,
    env: { LOCALDOMAIN: "lab.test" },
  }, ["10.0.3.1"]],
  ["the last of domain and search wins", "myhost", {
    resolvConf: `nameserver ${SERVER}\nsearch lab.test\ndomain corp.test\n`,
    nsswitch: ALL_SOURCES,
  }, ["10.0.1.1"]],
  ["a CNAME through the search list", "alias", {
    resolvConf: `nameserver ${SERVER}\nsearch test\n`,
    nsswitch: ALL_SOURCES,
  }, ["10.0.1.1"]],
  ["hosts: files dns, a name in both", "both.test", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: ALL_SOURCES,
  }, ["10.0.4.9"]],
  ["hosts: dns files, a name in both", "both.test", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: "hosts: dns files\n",
  }, ["10.0.4.1"]],
  ["hosts: files, a name only in DNS", "dnsonly.test", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: "hosts: files\n",
  }, []],
  ["hosts: dns, a name only in the hosts file", "filesonly.test", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: "hosts: dns\n",
  }, []],
  ["hosts: dns [NOTFOUND=return] files", "filesonly.test", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: "hosts: dns [NOTFOUND=return] files\n",
  }, []],
  ["no hosts: line (glibc's default, files then dns)", "both.test", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: "passwd: files\n",
  }, ["10.0.4.9"]],
  ["a dead first server", "dnsonly.test", {
    resolvConf: `nameserver ${DEAD_SERVER}\nnameserver ${SERVER}\noptions timeout:1\n`,
    nsswitch: ALL_SOURCES,
  }, ["10.0.5.1"]],
  ["a name cut by '#' is not another name", "both.test#ü", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: ALL_SOURCES,
  }, []],
  ["a name cut by '/' is not another name", "both.test/ü", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: ALL_SOURCES,
  }, []],
  ["user@name is not the name", "nobody@both.test/ü", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: ALL_SOURCES,
  }, []],
  ["an empty label", "both..test", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: ALL_SOURCES,
  }, []],
  // DNS reads master files' escapes (glibc's res_hnok and ns_name_pton): \DDD in decimal, \X.
  ["a decimal escape asks the name it stands for", "\\100nsonly.test", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: ALL_SOURCES,
  }, ["10.0.5.1"]],
  ["an escaped letter, through the search list", "m\\yhost", {
    resolvConf: `nameserver ${SERVER}\nsearch corp.test\n`,
    nsswitch: ALL_SOURCES,
  }, ["10.0.1.1"]],
  ["an escaped dot is inside its label: no host name", "x\\.test", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: ALL_SOURCES,
  }, []],
  ["the hosts file compares the text as typed", "\\102ilesonly.test", {
    resolvConf: `nameserver ${SERVER}\n`,
    nsswitch: ALL_SOURCES,
  }, []],
];

function startDnsmasqOnPort53() {
  return startDnsmasqAt(SERVER, RECORDS);
}

Deno.test({
  name: `resolve-hostname -x of an IPv4-mapped address asks the IPv4 zone, as getent${
    IGNORE ? ` (ignored: ${IGNORE})` : ""
  }`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using _peer = await startDnsmasqOnPort53();
    await using dir = await tempDir();
    const setup = { resolvConf: `nameserver ${SERVER}\n`, nsswitch: ALL_SOURCES };
    const glibc = await inNamespace(dir.path, setup, ["getent", "hosts", "::ffff:10.0.2.1"]);
    assert.match(glibc, /mapped\.test/);
    const ours = await inNamespace(
      dir.path,
      setup,
      resolveHostnameCommand("--json", "-x", "::ffff:10.0.2.1"),
    );
    assert.match(ours, /"mapped\.test"/);
  },
});

Deno.test({
  name:
    `resolve-hostname answers as glibc's getent on the same resolv.conf, hosts and nsswitch.conf${
      IGNORE ? ` (ignored: ${IGNORE})` : ""
    }`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _peer = await startDnsmasqOnPort53();
    await using dir = await tempDir();
    for (const [what, name, setup, expected] of CASES) {
      await t.step(`${what}: ${name}`, async () => {
        const glibc = await getent(dir.path, setup, name);
        assert.deepEqual(glibc.addresses, expected, "getent itself");
        const ours = await netkit(dir.path, setup, name);
        assert.deepEqual(ours.addresses, glibc.addresses);
        if (glibc.addresses.length > 0) assert.equal(ours.name, glibc.name);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname --ahosts prints what getent ahosts prints, order included (RFC 6724)${
    IGNORE ? ` (ignored: ${IGNORE})` : ""
  }`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _peer = await startDnsmasqOnPort53();
    await using dir = await tempDir();
    const setup = { resolvConf: `nameserver ${SERVER}\n`, nsswitch: ALL_SOURCES };
    const names = [
      "dual.test",
      "ula.test",
      "lo6.test",
      "many.test",
      "localhost",
      "127.1",
      "half.test",
    ];
    for (const name of names) {
      await t.step(name, async () => {
        const glibc = await inNamespace(dir.path, setup, ["getent", "ahosts", name]);
        assert.notEqual(glibc, "", "getent itself");
        const ours = await inNamespace(dir.path, setup, resolveHostnameCommand("--ahosts", name));
        assert.equal(ours, glibc);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname --ahosts takes and prints scoped IPv6 literals as getent ahosts${
    IGNORE ? ` (ignored: ${IGNORE})` : ""
  }`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    // Found by tests/cmd/resolve-hostname_random_test.ts (seeds 3, 8, 29): the scope as its
    // interface's number, padded as getent pads it; a name scope only on a link-local address
    // and for an interface there is (getaddrinfo fails on `::1%lo` and `fe80::1%nosuch`).
    const setup = { resolvConf: `nameserver ${DEAD_SERVER}\n`, nsswitch: "hosts: files\n" };
    const literals: [string, boolean][] = [
      ["fe80::1%lo", true],
      ["FE80::1%lo", true],
      ["::1%1", true],
      ["fe80::1%999", true],
      ["fe80::1%0", true],
      ["ff02::1%lo", true],
      ["::1%lo", false],
      ["fe80::1%nosuch", false],
    ];
    for (const [literal, taken] of literals) {
      await t.step(literal, async () => {
        const glibc = await inNamespace(dir.path, setup, ["getent", "ahosts", literal]);
        assert.equal(glibc !== "", taken, "getent itself");
        const ours = await inNamespace(
          dir.path,
          setup,
          resolveHostnameCommand("--ahosts", literal),
        );
        assert.equal(ours, glibc);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname --ahosts orders loopback IPv4 addresses as glibc (rule 9 in the subnet)${
    IGNORE ? ` (ignored: ${IGNORE})` : ""
  }`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const lists = [
      ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.1"],
      ["127.0.0.9", "127.0.0.1", "127.1.2.3", "127.0.0.3", "10.1.1.1"],
    ];
    for (const list of lists) {
      await t.step(list.join(" "), async () => {
        const hosts = list.map((address) => `${address} order.test\n`).join("");
        const files = { hosts, "nsswitch.conf": "hosts: files\n" };
        const glibc = await runWithEtcFiles(dir.path, files, ["getent", "ahosts", "order.test"]);
        assert.notEqual(glibc.stdout, "", "getent itself");
        const ours = await runWithEtcFiles(
          dir.path,
          files,
          resolveHostnameCommand("--ahosts", "order.test"),
        );
        assert.equal(ours.stdout, glibc.stdout);
      });
    }
  },
});

Deno.test({
  name: `createClientSocket (and so wget) resolves a short name through the search list, as glibc${
    IGNORE ? ` (ignored: ${IGNORE})` : ""
  }`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using _peer = await startDnsmasqOnPort53();
    await using dir = await tempDir();
    using listener = Deno.listen({ hostname: SERVER, port: 0 });
    const accepted = (async () => {
      using conn = await listener.accept();
      await conn.write(new TextEncoder().encode("hello\n"));
    })();
    const setup = { resolvConf: `nameserver ${SERVER}\nsearch corp.test\n`, nsswitch: ALL_SOURCES };
    const program = `import { createClientSocket } from "${ROOT}/lib/net/socket.ts";\n` +
      `using conn = await createClientSocket("svc", ${listener.addr.port});\n` +
      "const buf = new Uint8Array(6); await conn.read(buf); console.log(new TextDecoder().decode(buf).trim());\n";
    await Deno.writeTextFile(`${dir.path}/client.ts`, program);
    const glibc = await inNamespace(dir.path, setup, ["getent", "ahostsv4", "svc"]);
    assert.match(glibc, new RegExp(`^${SERVER.replaceAll(".", "\\.")} `));
    const ours = await inNamespace(dir.path, setup, [
      Deno.execPath(),
      "run",
      "-A",
      `${dir.path}/client.ts`,
    ]);
    await accepted;
    assert.equal(ours, "hello\n");
  },
});
