import assert from "node:assert/strict";
import { main as main4 } from "../../cmd/resolve-hostname.ts";
import { main as main6 } from "../../cmd/resolve-hostname6.ts";
import { DNS_RCODE, DNS_TYPE, type DnsMessage, type DnsRecord } from "../../lib/dns/message.ts";
import { resolverMain } from "../../cmd/_resolve/main.ts";
import { explainResolveFailure } from "../../cmd/_resolve/failure.ts";
import { DnsTimeoutError } from "../../lib/dns/errors.ts";
import { SocketError } from "../../lib/net/socket_error.ts";
import { answerTo, startDnsmasq, startFakeDnsServer } from "../harness/dns_peers.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { runCommand } from "../harness/run.ts";

/** A fake server with fixed answers, so the dialogue's text can be compared exactly. */
function fixedServer() {
  return startFakeDnsServer((query: DnsMessage) => {
    const [question] = query.questions;
    assert.ok(question, "a query with no question");
    const { name, type } = question;
    if (name === "www.test") {
      const answers: DnsRecord[] = [{ name: "www.test", type: DNS_TYPE.CNAME, data: "web.test" }];
      if (type === DNS_TYPE.A) {
        answers.push({ name: "web.test", type: DNS_TYPE.A, data: "10.0.0.1" });
        answers.push({ name: "web.test", type: DNS_TYPE.A, data: "10.0.0.2" });
      } else {
        answers.push({ name: "web.test", type: DNS_TYPE.AAAA, data: "fd00::1" });
      }
      return answerTo(query, { answers });
    }
    if (name === "six.test" && type === DNS_TYPE.AAAA) {
      return answerTo(query, { answers: [{ name, type, data: "fd00::6" }] });
    }
    if (name === "six.test") return answerTo(query);
    if (name === "fail.test") return answerTo(query, { rcode: DNS_RCODE.SERVFAIL });
    if (name === "refuse.test") return answerTo(query, { rcode: DNS_RCODE.REFUSED });
    if (name === "silent.test") return undefined;
    return answerTo(query, { rcode: DNS_RCODE.NXDOMAIN });
  });
}

/** Runs the command in this process with captured output. */
async function run(args: string[], family: 4 | 6 = 4, stdin = "") {
  let stdout = "";
  let stderr = "";
  const decoder = new TextDecoder();
  const code = await resolverMain(args, family, {
    stdin: new Blob([stdin]).stream(),
    stdout: { writeSync: (p) => (stdout += decoder.decode(p), p.length) },
    stderr: { writeSync: (p) => (stderr += decoder.decode(p), p.length) },
  });
  return { code, stdout, stderr };
}

Deno.test("resolve-hostname holds the lecture's dialogue, end to end through stdin", async () => {
  await using server = await fixedServer();
  await using dir = await tempDir();
  const hosts = `${dir.path}/hosts`;
  await Deno.writeTextFile(hosts, "10.7.7.7 files.test files\n");
  const result = await runCommand(
    "resolve-hostname",
    ["--nameserver", `127.0.0.1:${server.port}`, "--hosts-file", hosts],
    "www.test\nfiles\n\n  nx.test  \nsix.test\n192.0.2.1\n",
  );
  assert.equal(
    result.stdout,
    [
      "Welcome to the IPv4 address resolver!",
      'Enter a host name: Official name is "web.test"',
      "IP Addresses:",
      "+ 10.0.0.1",
      "+ 10.0.0.2",
      'Enter a host name: Official name is "files.test"',
      "IP Addresses:",
      "+ 10.7.7.7",
      "Enter a host name: Enter a host name: " +
      "nx.test could not be resolved to an address.  Did you mistype it?",
      "Enter a host name: six.test could not be resolved to an address.  " +
      "The name exists, but has no IPv4 address.",
      'Enter a host name: Official name is "192.0.2.1"',
      "IP Addresses:",
      "+ 192.0.2.1",
      "Enter a host name: ",
      "",
    ].join("\n"),
  );
  assert.equal(result.code, 1);
  assert.equal(result.stderr, "");
});

Deno.test("resolve-hostname6 says IPv6 and lists AAAA records", async () => {
  await using server = await fixedServer();
  const result = await runCommand(
    "resolve-hostname6",
    ["--nameserver", `127.0.0.1:${server.port}`, "--hosts-file", ""],
    "www.test\nsix.test\n",
  );
  assert.equal(
    result.stdout,
    [
      "Welcome to the IPv6 address resolver!",
      'Enter a host name: Official name is "web.test"',
      "IPv6 Addresses:",
      "+ fd00::1",
      'Enter a host name: Official name is "six.test"',
      "IPv6 Addresses:",
      "+ fd00::6",
      "Enter a host name: ",
      "",
    ].join("\n"),
  );
  assert.equal(result.code, 0);
});

Deno.test("resolve-hostname ends the prompt's line at end of input (Ctrl-D)", async () => {
  const result = await run(["--hosts-file", ""]);
  assert.equal(result.stdout, "Welcome to the IPv4 address resolver!\nEnter a host name: \n");
  assert.equal(result.code, 0);
});

Deno.test("resolve-hostname explains server failure, refusal and silence", async () => {
  await using server = await fixedServer();
  const result = await run([
    "--nameserver",
    `127.0.0.1:${server.port}`,
    "--hosts-file",
    "",
    "--timeout",
    "0.4",
    "fail.test",
    "refuse.test",
    "silent.test",
    "bad..name",
    "www.test",
  ]);
  assert.equal(result.code, 1);
  const where = `127.0.0.1:${server.port}`;
  assert.equal(
    result.stderr,
    [
      `fail.test could not be resolved to an address.  The name server ${where} failed to answer (SERVFAIL).`,
      `refuse.test could not be resolved to an address.  The name server ${where} refused to answer (REFUSED).`,
      `silent.test could not be resolved to an address.  The name server ${where} did not answer within 0.4 seconds.`,
      "bad..name could not be resolved to an address.  It is not a valid host name (it has an empty label).",
      "",
    ].join("\n"),
  );
  assert.match(result.stdout, /^Official name is "web.test"\nIP Addresses:\n\+ 10.0.0.1\n/);
});

Deno.test("resolve-hostname --json prints one object per name", async () => {
  await using server = await fixedServer();
  const result = await run([
    "--json",
    "--nameserver",
    `127.0.0.1:${server.port}`,
    "--hosts-file",
    "",
    "www.test",
    "nx.test",
  ]);
  const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line));
  assert.deepEqual(lines[0], {
    query: "www.test",
    officialName: "web.test",
    aliases: ["www.test"],
    addresses: ["10.0.0.1", "10.0.0.2"],
    source: "dns",
  });
  assert.equal(lines[1].error.kind, "not-found");
  assert.equal(result.code, 1);
});

Deno.test("resolve-hostname reports a line too long for a host name, and goes on with the next", async () => {
  const result = await run(["--hosts-file", ""], 4, "x".repeat(10_000) + "\n127.0.0.1\n");
  assert.equal(result.code, 1);
  assert.match(result.stderr, /too long/);
  assert.match(result.stdout, /Official name is "127\.0\.0\.1"/);
});

Deno.test("resolve-hostname says an address of the other family is one, not that the name exists", async () => {
  const v4 = await run(["--hosts-file", "", "::1"], 4);
  assert.equal(v4.code, 1);
  assert.equal(
    v4.stderr,
    "::1 could not be resolved to an address.  It is an IPv6 address, not an IPv4 one.\n",
  );
  const v6 = await run(["--hosts-file", "", "127.0.0.1"], 6);
  assert.match(v6.stderr, /It is an IPv4 address, not an IPv6 one\.\n$/);
  // The other forms glibc takes for an address: inet_aton's, and a scoped IPv6 address.
  for (const literal of ["127.1", "0x7f.1"]) {
    const short = await run(["--hosts-file", "", literal], 6);
    assert.match(short.stderr, /It is an IPv4 address, not an IPv6 one\.\n$/, literal);
  }
  const scoped = await run(["--hosts-file", "", "fe80::1%lo"], 4);
  assert.match(scoped.stderr, /It is an IPv6 address, not an IPv4 one\.\n$/);
});

Deno.test("resolve-hostname refuses names getent refuses, saying why, and asks no server", async () => {
  for (
    const [name, why] of [
      ["both.test..", "it has an empty label"],
      ["both.test#ü", 'the label "test#ü" is not a host name label'],
      ["nobody@both.test/ü", "a label may hold only letters"],
      ["a".repeat(64) + ".test", "longer than 63 bytes"],
    ]
  ) {
    // No name server can be reached at port 9 of 127.0.0.1: an answer would have to come from
    // the check itself.
    const result = await run(["--hosts-file", "", "--nameserver", "127.0.0.1:9", name!], 4);
    assert.equal(result.code, 1, name);
    assert.ok(result.stderr.includes("It is not a valid host name ("), result.stderr);
    assert.ok(result.stderr.includes(why!), result.stderr);
  }
});

Deno.test("resolve-hostname rejects bad options with exit 2", async () => {
  for (
    const args of [
      ["--nameserver", "dns.test"],
      ["--nameserver", "127.0.0.1:99999"],
      ["--timeout", "soon"],
      ["--timeout", "0"],
      ["--bogus"],
    ]
  ) {
    const result = await run(args);
    assert.equal(result.code, 2, args.join(" "));
  }
  const missing = await run(["--hosts-file", "/nonexistent/hosts", "a.test"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /Cannot read hosts file/);
  assert.equal(await main4(["--version"]), 0);
  assert.equal(await main6(["--help"]), 0);
});

peerTest(
  "resolve-hostname resolves names and addresses from dnsmasq, and a hosts file first",
  ["dnsmasq"],
  async () => {
    await using dnsmasq = await startDnsmasq();
    await using dir = await tempDir();
    const hosts = `${dir.path}/hosts`;
    await Deno.writeTextFile(hosts, "# written by the test\n10.8.8.8\tfiles.test\n");
    const nameserver = `127.0.0.1:${dnsmasq.port}`;
    const result = await run([
      "--nameserver",
      nameserver,
      "--hosts-file",
      hosts,
      "www.test",
      "files.test",
      "-x",
      "10.0.0.5",
      "-x",
      "10.8.8.8",
    ]);
    assert.equal(result.code, 0, result.stderr);
    const blocks = result.stdout.split("Official name is ").slice(1);
    assert.match(blocks[0] ?? "", /^"web.test"\nIP Addresses:\n(\+ 10\.0\.0\.[123]\n){3}$/);
    assert.equal(blocks[1], '"files.test"\nIP Addresses:\n+ 10.8.8.8\n');
    // Two PTR records: the first names the address, as glibc's gethostbyaddr takes it.
    assert.match(blocks[2] ?? "", /^"(second-)?ptr.test"\nIP Addresses:\n\+ 10\.0\.0\.5\n$/);
    assert.equal(blocks[3], '"files.test"\nIP Addresses:\n+ 10.8.8.8\n');

    const six = await run(["--nameserver", nameserver, "--hosts-file", "", "six.test"], 6);
    assert.equal(six.stdout, 'Official name is "six.test"\nIPv6 Addresses:\n+ fd00::6\n');
    const nx = await run(["--nameserver", nameserver, "--hosts-file", "", "nx.test", "www.test"]);
    assert.equal(nx.code, 1);
    assert.equal(nx.stderr, "nx.test could not be resolved to an address.  Did you mistype it?\n");
  },
);

Deno.test("resolve-hostname asks a name server on IPv6 written as [ADDRESS]:PORT", async () => {
  await using server = await startFakeDnsServer(
    (query) =>
      answerTo(query, { answers: [{ name: "v6.test", type: DNS_TYPE.A, data: "10.6.6.6" }] }),
    undefined,
    "::1",
  );
  const result = await run(["--nameserver", `[::1]:${server.port}`, "--hosts-file", "", "v6.test"]);
  assert.equal(result.stdout, 'Official name is "v6.test"\nIP Addresses:\n+ 10.6.6.6\n');
  assert.equal(result.code, 0);
});

Deno.test("resolve-hostname --debug tells each source and question on stderr", async () => {
  await using server = await fixedServer();
  const result = await run([
    "--nameserver",
    `127.0.0.1:${server.port}`,
    "--hosts-file",
    "",
    "--timeout",
    "0.3",
    "--debug",
    "fail.test",
    "silent.test",
  ]);
  assert.equal(result.code, 1);
  const lines = result.stderr.split("\n").filter((line) => line.startsWith("resolve-hostname: "));
  assert.deepEqual(lines, [
    "resolve-hostname: source files: notfound",
    `resolve-hostname: asked 127.0.0.1:${server.port} for A fail.test: SERVFAIL`,
    "resolve-hostname: source dns: unavail",
    "resolve-hostname: source files: notfound",
    `resolve-hostname: asked 127.0.0.1:${server.port} for A silent.test: no answer (Cannot resolve ` +
    `"silent.test": the name server 127.0.0.1:${server.port} did not answer within 0.3 s)`,
    "resolve-hostname: source dns: unavail",
  ]);
});

peerTest(
  "resolve-hostname asks repeated --nameserver servers in order, moving on from a dead one at once",
  ["dnsmasq"],
  async () => {
    await using dnsmasq = await startDnsmasq();
    const live = `127.0.0.1:${dnsmasq.port}`;
    // A port where nothing listens, on either transport.
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const dead = `127.0.0.1:${probe.addr.port}`;
    probe.close();
    const common = ["--hosts-file", "", "--timeout", "30", "--debug", "www.test"];

    const failOver = await run(["--nameserver", dead, "--nameserver", live, ...common]);
    assert.equal(failOver.code, 0, failOver.stderr);
    assert.match(failOver.stdout, /^Official name is "web.test"\n/);
    const questions = (stderr: string) =>
      stderr.split("\n").flatMap((line) => {
        const question = line.replace(/^resolve-hostname: /, "");
        return question.startsWith("asked ") ? [question] : [];
      });
    const asked = questions(failOver.stderr);
    assert.equal(asked.length, 2, failOver.stderr);
    assert.match(
      asked[0] ?? "",
      new RegExp(`^asked ${dead} for A www.test: no answer \\(.*refused`),
    );
    assert.match(asked[1] ?? "", new RegExp(`^asked ${live} for A www.test: NOERROR`));

    // In order: a live first server is the only one asked.
    const inOrder = await run(["--nameserver", live, "--nameserver", dead, ...common]);
    assert.equal(inOrder.code, 0, inOrder.stderr);
    const askedFirst = questions(inOrder.stderr);
    assert.deepEqual(askedFirst.map((line) => line.split(" ")[1]), [live]);

    // Every server dead: the lecture's line, then why.
    // (The last one is not probed, a server named last may serve UDP only: its time-out ends it.)
    const none = await run([
      "--nameserver",
      dead,
      "--nameserver",
      dead,
      ...common,
      "--timeout",
      "1",
    ]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /www\.test could not be resolved to an address\./);
  },
);

Deno.test("explainResolveFailure() says 1 second, not 1 seconds", () => {
  const where = { server: "127.0.0.1:53" };
  assert.equal(
    explainResolveFailure(new DnsTimeoutError("a.test", 1000, where), 4),
    "The name server 127.0.0.1:53 did not answer within 1 second.",
  );
  assert.match(
    explainResolveFailure(new DnsTimeoutError("a.test", 5000, where), 4),
    /5 seconds\.$/,
  );
  // The whole lookup's deadline (the library's timeoutMs) names the lookup, not a server.
  assert.equal(
    explainResolveFailure(new DnsTimeoutError("a.test", 200, { scope: "lookup" }), 4),
    "The lookup did not finish within 0.2 seconds.",
  );
});

Deno.test("explainResolveFailure() tells a name server out of reach (a SocketError, known by name)", () => {
  const error = new SocketError({
    step: "connect",
    host: "127.0.0.1",
    port: 53,
    failure: "refused",
  });
  assert.equal(
    explainResolveFailure(error, 4),
    `The name server could not be reached: ${error.message}.`,
  );
  // Anything else keeps its own message.
  assert.equal(explainResolveFailure(new Error("odd"), 4), "odd.");
});
