import assert from "node:assert/strict";
import {
  DnsBadResponseError,
  DnsCnameChainError,
  DnsNoDataError,
  DnsNotFoundError,
  DnsServerError,
  DnsTimeoutError,
} from "../../../lib/dns/errors.ts";
import {
  decodeDnsMessage,
  DNS_RCODE,
  DNS_TYPE,
  type DnsMessage,
  type DnsRecord,
  MAX_CNAME_LINKS,
} from "../../../lib/dns/message.ts";
import { lookupAddresses, resolveAddress, resolveHost } from "../../../lib/dns/resolver.ts";
import {
  answerTo,
  dig,
  startDnsmasq,
  startDnsServerAt,
  startFakeDnsServer,
} from "../../harness/dns_peers.ts";
import { freePort, peerTest, tempDir } from "../../harness/peers.ts";
import { myHostnameInstalled } from "../../../lib/dns/_my_hostname.ts";
import { loopbackAddress, loopbackAddresses } from "../../harness/loopback_address.ts";

const CNAME = DNS_TYPE.CNAME;

peerTest(
  "resolveHost() agrees with dig against dnsmasq: CNAME chains, A and AAAA, no data, NXDOMAIN",
  ["dnsmasq", "dig"],
  async (t) => {
    await using dnsmasq = await startDnsmasq();
    const options = {
      nameServer: `127.0.0.1:${dnsmasq.port}`,
      hostsFile: false,
      attemptTimeoutMs: 3000,
    } as const;

    await t.step("a CNAME chain of two links ends at the official name", async () => {
      const entry = await resolveHost("www.test", options);
      const digged = await dig(dnsmasq.port, "www.test", "A");
      assert.equal(digged.status, "NOERROR");
      const cnames = digged.answers.filter((r) => r.type === "CNAME");
      assert.deepEqual(entry.aliases, cnames.map((r) => r.name));
      assert.equal(entry.officialName, cnames.at(-1)!.data);
      assert.equal(entry.officialName, "web.test");
      const addresses = digged.answers.filter((r) => r.type === "A").map((r) => r.data);
      assert.deepEqual([...entry.addresses].sort(), addresses.sort());
      assert.equal(entry.addresses.length, 3);
      assert.equal(entry.source, "dns");
    });

    await t.step("AAAA through the same chain", async () => {
      const entry = await resolveHost("www.test", { ...options, family: 6 });
      const digged = await dig(dnsmasq.port, "www.test", "AAAA");
      assert.deepEqual(
        entry.addresses,
        digged.answers.filter((r) => r.type === "AAAA").map((r) => r.data),
      );
      assert.deepEqual(entry.addresses, ["fd00::1"]);
    });

    await t.step("a name with only AAAA: no data for IPv4, an answer for IPv6", async () => {
      assert.equal((await dig(dnsmasq.port, "six.test", "A")).answers.length, 0);
      await assert.rejects(resolveHost("six.test", options), DnsNoDataError);
      const entry = await resolveHost("six.test", { ...options, family: 6 });
      assert.deepEqual(entry, {
        officialName: "six.test",
        aliases: [],
        addresses: ["fd00::6"],
        source: "dns",
      });
    });

    await t.step("NXDOMAIN", async () => {
      assert.equal((await dig(dnsmasq.port, "nx.test", "A")).status, "NXDOMAIN");
      await assert.rejects(resolveHost("nx.test", options), DnsNotFoundError);
      await assert.rejects(resolveHost("nx.test", { ...options, family: 6 }), DnsNotFoundError);
    });

    await t.step("REFUSED outside the local domain", async () => {
      assert.equal((await dig(dnsmasq.port, "x.example", "A")).status, "REFUSED");
      await assert.rejects(resolveHost("x.example", options), {
        name: "DnsServerError",
        rcodeName: "REFUSED",
      });
    });

    await t.step("a truncated answer is fetched again over TCP", async () => {
      const entry = await resolveHost("many.test", options);
      const digged = await dig(dnsmasq.port, "many.test", "A", ["+tcp"]);
      assert.equal(entry.addresses.length, 40);
      assert.deepEqual([...entry.addresses].sort(), digged.answers.map((r) => r.data).sort());
    });

    await t.step("PTR records, several for one address: the first, as gethostbyaddr", async () => {
      for (const address of ["10.0.0.5", "10.0.0.1", "fd00::6"]) {
        const names = await resolveAddress(address, options);
        const digged = await dig(dnsmasq.port, "", "", ["-x", address]);
        assert.deepEqual(names, digged.answers.slice(0, 1).map((r) => r.data), address);
      }
      assert.equal((await dig(dnsmasq.port, "", "", ["-x", "10.0.0.5"])).answers.length, 2);
      assert.equal((await resolveAddress("10.0.0.5", options)).length, 1);
      assert.equal((await dig(dnsmasq.port, "", "", ["-x", "10.0.0.99"])).status, "NXDOMAIN");
      await assert.rejects(resolveAddress("10.0.0.99", options), DnsNotFoundError);
    });
  },
);

peerTest(
  "resolveHost() takes the hosts file before DNS, and DNS when the file lacks the name",
  ["dnsmasq"],
  async () => {
    await using dnsmasq = await startDnsmasq();
    await using dir = await tempDir();
    const hostsFile = `${dir.path}/hosts`;
    await Deno.writeTextFile(
      hostsFile,
      "# test hosts\n10.9.9.9\tweb.test\tweb\n\n10.9.9.10 other.test web\nfd00::99 web.test\n",
    );
    const options = { nameServer: `127.0.0.1:${dnsmasq.port}`, hostsFile, attemptTimeoutMs: 3000 };
    assert.deepEqual(await resolveHost("WEB", options), {
      officialName: "web.test",
      aliases: ["web", "web", "other.test"], // glibc's order, repeats kept (checked with getent)
      addresses: ["10.9.9.9", "10.9.9.10"],
      source: "hosts-file",
    });
    assert.deepEqual((await resolveHost("web.test", { ...options, family: 6 })).addresses, [
      "fd00::99",
    ]);
    // As glibc's files source (checked with getent): a name with a final dot matches no line of
    // the hosts file, so DNS answers it.
    const absolute = await resolveHost("web.test.", { ...options, family: 6 });
    assert.equal(absolute.source, "dns");
    assert.equal((await resolveHost("www.test", options)).source, "dns");
    assert.deepEqual(await resolveAddress("10.9.9.10", options), ["other.test", "web"]);
    assert.deepEqual(await resolveAddress("fd00:0:0::99", options), ["web.test"]);
    assert.deepEqual(await resolveAddress("10.0.0.5", options).then((n) => n.length), 1);
  },
);

Deno.test("resolveHost() answers an address literal itself, without DNS", async () => {
  const options = { nameServer: "127.0.0.1:1", hostsFile: false } as const;
  assert.deepEqual(await resolveHost("192.0.2.1", options), {
    officialName: "192.0.2.1",
    aliases: [],
    addresses: ["192.0.2.1"],
    source: "literal",
  });
  assert.equal(
    (await resolveHost("::FFFF:1.2.3.4", { ...options, family: 6 })).officialName,
    "::FFFF:1.2.3.4", // as typed, as gethostbyname's h_name
  );
  assert.deepEqual(
    (await resolveHost("::FFFF:1.2.3.4", { ...options, family: 6 })).addresses,
    ["::ffff:1.2.3.4"],
  );
  await assert.rejects(resolveHost("192.0.2.1", { ...options, family: 6 }), DnsNoDataError);
  await assert.rejects(resolveHost("::1", options), DnsNoDataError);
});

Deno.test("resolveHost() rejects names DNS cannot carry with SyntaxError, before any query", async () => {
  await using server = await startFakeDnsServer(() => undefined);
  const options = {
    nameServer: `127.0.0.1:${server.port}`,
    hostsFile: false,
    attemptTimeoutMs: 300,
  } as const;
  for (
    const bad of [
      "",
      ".",
      "a..b",
      " web.test",
      "web test",
      "a\nb",
      "x".repeat(64),
      `${"a.".repeat(127)}a`,
    ]
  ) {
    await assert.rejects(resolveHost(bad, options), SyntaxError, JSON.stringify(bad));
  }
  assert.equal(server.queries.length, 0);
  await assert.rejects(resolveHost("a.test", { family: 5 as 4 }), RangeError);
  await assert.rejects(resolveAddress("web.test", options), SyntaxError);
});

Deno.test("resolveHost() asks for an international name in xn-- form", async () => {
  await using server = await startFakeDnsServer((query) => {
    const [question] = query.questions;
    assert.ok(question, "a query with no question");
    return answerTo(query, {
      answers: [{ name: question.name, type: DNS_TYPE.A, data: "10.0.0.8" }],
    });
  });
  const options = {
    nameServer: `127.0.0.1:${server.port}`,
    hostsFile: false,
    attemptTimeoutMs: 1000,
  } as const;
  const entry = await resolveHost("bücher.test", options);
  assert.equal(server.queries[0]?.questions[0]?.name, "xn--bcher-kva.test");
  assert.equal(entry.officialName, "xn--bcher-kva.test");
});

/** A fake server that serves CNAME links one per answer and addresses at `end`. */
function chainServer(links: Record<string, string>, end: Record<string, string>) {
  return startFakeDnsServer((query: DnsMessage) => {
    const [question] = query.questions;
    assert.ok(question, "a query with no question");
    const name = question.name;
    const answers: DnsRecord[] = [];
    if (links[name]) answers.push({ name, type: CNAME, data: links[name] });
    else if (end[name]) answers.push({ name, type: DNS_TYPE.A, data: end[name] });
    else return answerTo(query, { rcode: DNS_RCODE.NXDOMAIN });
    return answerTo(query, { answers });
  });
}

Deno.test("resolveHost() follows a CNAME chain across several questions", async () => {
  await using server = await chainServer({ "a.test": "b.test", "b.test": "c.test" }, {
    "c.test": "10.0.0.3",
  });
  const entry = await resolveHost("a.test", {
    nameServer: `127.0.0.1:${server.port}`,
    hostsFile: false,
    attemptTimeoutMs: 1000,
  });
  assert.deepEqual(entry.aliases, ["a.test", "b.test"]);
  assert.equal(entry.officialName, "c.test");
  assert.equal(server.queries.length, 3);
});

Deno.test("resolveHost() detects a CNAME loop, inside one answer and across questions", async () => {
  await using server = await startFakeDnsServer((query) =>
    answerTo(query, {
      answers: [
        { name: "loop1.test", type: CNAME, data: "loop2.test" },
        { name: "loop2.test", type: CNAME, data: "LOOP1.test" },
      ],
    })
  );
  const options = {
    nameServer: `127.0.0.1:${server.port}`,
    hostsFile: false,
    attemptTimeoutMs: 1000,
  } as const;
  const error = await resolveHost("loop1.test", options).catch((e) => e);
  assert.ok(error instanceof DnsCnameChainError);
  assert.equal(error.failure, "cname-loop");
  await using server2 = await chainServer({ "x.test": "y.test", "y.test": "x.test" }, {});
  await assert.rejects(
    resolveHost("x.test", { ...options, nameServer: `127.0.0.1:${server2.port}` }),
    { failure: "cname-loop" },
  );
  assert.equal(server2.queries.length, 2);
});

Deno.test("resolveHost() stops a CNAME chain longer than the limit", async () => {
  const links: Record<string, string> = {};
  for (let i = 0; i < 20; i++) links[`c${i}.test`] = `c${i + 1}.test`;
  await using server = await chainServer(links, { "c20.test": "10.0.0.20" });
  await assert.rejects(
    resolveHost("c0.test", {
      nameServer: `127.0.0.1:${server.port}`,
      hostsFile: false,
      attemptTimeoutMs: 1000,
    }),
    { failure: "cname-too-long" },
  );
  assert.equal(server.queries.length, MAX_CNAME_LINKS + 1);
  // A chain of exactly the limit is fine.
  const entry = await resolveHost(`c${20 - MAX_CNAME_LINKS}.test`, {
    nameServer: `127.0.0.1:${server.port}`,
    hostsFile: false,
  });
  assert.equal(entry.officialName, "c20.test");
});

Deno.test("resolveHost() tells SERVFAIL, REFUSED, NOTIMP, garbage and silence apart", async () => {
  const cases: [string, (q: DnsMessage) => Uint8Array | undefined, object][] = [
    ["SERVFAIL", (q) => answerTo(q, { rcode: DNS_RCODE.SERVFAIL }), {
      name: "DnsServerError",
      rcodeName: "SERVFAIL",
      code: "ESERVFAIL",
    }],
    ["REFUSED", (q) => answerTo(q, { rcode: DNS_RCODE.REFUSED }), {
      name: "DnsServerError",
      rcodeName: "REFUSED",
      code: "EREFUSED",
    }],
    ["NOTIMP", (q) => answerTo(q, { rcode: DNS_RCODE.NOTIMP }), {
      name: "DnsServerError",
      rcodeName: "NOTIMP",
      code: "ENOTIMP",
    }],
    ["garbage", (q) => new Uint8Array([q.id >> 8, q.id & 0xff, 0x81, 0x80, 0, 9]), {
      name: "DnsBadResponseError",
      code: "EBADRESP",
    }],
    ["silence", () => undefined, { name: "DnsTimeoutError", code: "TIMEOUT" }],
    ["no data", (q) => answerTo(q), { name: "DnsNoDataError", code: "ENODATA" }],
  ];
  for (const [what, answer, expected] of cases) {
    await using server = await startFakeDnsServer(answer);
    await assert.rejects(
      resolveHost("a.test", {
        nameServer: `127.0.0.1:${server.port}`,
        hostsFile: false,
        attemptTimeoutMs: 500,
      }),
      expected,
      what,
    );
  }
  // The classes, for callers that prefer instanceof.
  await using silent = await startFakeDnsServer(() => undefined);
  const error = await resolveAddress("10.0.0.1", {
    nameServer: `127.0.0.1:${silent.port}`,
    hostsFile: false,
    attemptTimeoutMs: 300,
  }).catch((e) => e);
  assert.ok(error instanceof DnsTimeoutError);
  assert.equal(error.query, "10.0.0.1");
  assert.match(error.message, /"10\.0\.0\.1"/);
  assert.ok(!(error instanceof DnsServerError) && !(error instanceof DnsBadResponseError));
});

Deno.test("resolveHost() gives up at once, as glibc, when nothing listens on a loopback port", async () => {
  const port = await startFakeDnsServer(() => undefined).then(async (server) => {
    await server[Symbol.asyncDispose]();
    return server.port;
  });
  // glibc learns it from ICMP port unreachable; netkit from the host's table of UDP sockets.
  // attemptTimeoutMs is long: a wait for it would show as a hang, not a pass.
  await assert.rejects(
    resolveHost("a.test", {
      nameServer: `127.0.0.1:${port}`,
      hostsFile: false,
      attemptTimeoutMs: 60_000,
    }),
    { name: "SocketError", failure: "refused" },
  );
});

Deno.test("resolveHost() waits for a loopback server whose UDP port is not bound but whose TCP port accepts", async () => {
  // As Docker's 127.0.0.11:53, forwarded by a firewall rule to a port of its own: nothing is
  // bound to UDP port 53 there, but the server answers, so only a refused TCP port makes it dead.
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepting = (async () => {
    try {
      for await (const conn of listener) conn.close();
    } catch {
      // Closed.
    }
  })();
  await assert.rejects(
    resolveHost("a.test", {
      nameServer: `127.0.0.1:${listener.addr.port}`,
      hostsFile: false,
      attemptTimeoutMs: 300,
    }),
    DnsTimeoutError,
  );
  listener.close();
  await accepting;
});

Deno.test("resolveHost() fails on a hosts file that was named but is missing", async () => {
  await assert.rejects(
    resolveHost("a.test", { hostsFile: "/nonexistent/hosts", nameServer: "127.0.0.1:1" }),
    Deno.errors.NotFound,
  );
});

peerTest(
  "dnsmasq refuses to serve a CNAME loop, so the loop tests use a server of our own",
  ["dnsmasq"],
  async () => {
    const { code, stderr } = await new Deno.Command("dnsmasq", {
      args: [
        "--no-daemon",
        "--no-resolv",
        "--no-hosts",
        `--port=${freePort()}`,
        "--listen-address=127.0.0.1",
        "--bind-interfaces",
        "--cname=loop1.test,loop2.test",
        "--cname=loop2.test,loop1.test",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.notEqual(code, 0);
    assert.match(new TextDecoder().decode(stderr), /CNAME loop/);
  },
);

Deno.test("resolveHost(), resolveAddress() and lookupAddresses() reject with the caller's reason when aborted", async () => {
  await using server = await startFakeDnsServer(() => undefined);
  const options = {
    nameServer: `127.0.0.1:${server.port}`,
    hostsFile: false,
    attemptTimeoutMs: 60_000,
  } as const;
  for (
    const lookup of [
      (signal: AbortSignal) => resolveHost("silent.test", { ...options, signal }),
      (signal: AbortSignal) => resolveAddress("10.1.2.3", { ...options, signal }),
      (signal: AbortSignal) => lookupAddresses("silent.test", { ...options, signal }),
    ]
  ) {
    const controller = new AbortController();
    const reason = new Error("stop now");
    const before = server.queries.length;
    const asking = lookup(controller.signal);
    while (server.queries.length === before) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort(reason);
    await assert.rejects(asking, (error) => error === reason);
    await assert.rejects(lookup(AbortSignal.abort(reason)), (error) => error === reason);
  }
});

Deno.test({
  name: "resolveHost() waits for the only system server's slow UDP answer, though it takes no TCP" +
    (Deno.uid() === 0 ? "" : " (ignored: port 53 needs root)"),
  ignore: Deno.uid() !== 0,
  async fn() {
    // resolv.conf names no port: the server must be on port 53, of a loopback address of its own.
    const address = loopbackAddress();
    const server = Deno.listenDatagram({ transport: "udp", hostname: address, port: 53 });
    const answering = (async () => {
      const [wire, client] = await server.receive();
      const query = decodeDnsMessage(wire);
      // A recursive lookup upstream: far past the 5 ms after which a server is probed over TCP.
      await new Promise((resolve) => setTimeout(resolve, 60));
      const name = query.questions[0]?.name ?? "";
      await server.send(
        answerTo(query, {
          answers: [{ name, type: DNS_TYPE.A, class: 1, ttl: 60, data: "10.9.9.9" }],
        }),
        client,
      );
    })();
    await using dir = await tempDir();
    const resolvConf = `${dir.path}/resolv.conf`;
    await Deno.writeTextFile(resolvConf, `nameserver ${address}\noptions timeout:5\n`);
    try {
      const entry = await resolveHost("slow.test", {
        resolvConf,
        hostsFile: false,
        nsswitchConf: false,
      });
      assert.deepEqual(entry.addresses, ["10.9.9.9"]);
    } finally {
      await answering;
      server.close();
    }
  },
});

/** Why myhostname cannot answer here (glibc could not load it, nor will netkit), else undefined. */
const NO_MYHOSTNAME = myHostnameInstalled()
  ? undefined
  : "libnss-myhostname is not installed (tests/harness/install_peers.ts installs it)";

Deno.test({
  name: `resolveHost() and resolveAddress() answer localhost names from nsswitch.conf's myhostname${
    NO_MYHOSTNAME ? ` (ignored: ${NO_MYHOSTNAME})` : ""
  }`,
  ignore: NO_MYHOSTNAME !== undefined,
}, async () => {
  await using dir = await tempDir();
  const nsswitchConf = `${dir.path}/nsswitch.conf`;
  await Deno.writeTextFile(nsswitchConf, "hosts: files myhostname\n");
  const options = { nsswitchConf, hostsFile: false } as const;
  for (const name of ["localhost", "App.LocalHost", "x.localhost.localdomain.", "localhost."]) {
    assert.deepEqual(await resolveHost(name, options), {
      officialName: "localhost",
      aliases: [],
      addresses: ["127.0.0.1"],
      source: "myhostname",
    });
    assert.deepEqual((await resolveHost(name, { ...options, family: 6 })).addresses, ["::1"]);
  }
  // The host's own name (as typed, case and all): its interfaces' addresses, 127.0.0.2 if none;
  // but a host named as localhost (localhost, box.localhost, localhost.localdomain: some
  // containers' and distributions' default) is answered as localhost, as glibc's getent does.
  const hostname = Deno.hostname();
  const own = await resolveHost(hostname, options);
  if (/^(.+\.)?localhost(\.localdomain)?\.?$/i.test(hostname)) {
    assert.deepEqual([own.officialName, own.addresses], ["localhost", ["127.0.0.1"]]);
  } else {
    assert.equal(own.officialName, hostname);
    const v4 = Deno.networkInterfaces().filter((nic) =>
      nic.family === "IPv4" && !nic.address.startsWith("127.")
    ).map((nic) => nic.address);
    assert.deepEqual([...own.addresses].sort(), v4.length > 0 ? v4.sort() : ["127.0.0.2"]);
  }
  // Not served (_outbound): not found, as with no source answering.
  await assert.rejects(resolveHost("_outbound", options), DnsNotFoundError);
  await assert.rejects(resolveHost("localhostx", options), DnsNotFoundError);
  assert.deepEqual(await resolveAddress("127.0.0.1", options), ["localhost"]);
  assert.deepEqual(await resolveAddress("::1", options), ["localhost", hostname]);
  await assert.rejects(resolveAddress("127.0.0.3", options), DnsNotFoundError);
});

/**
 * A name server that never answers but is alive (its TCP port accepts, so the resolver's probe
 * does not find it dead and it waits out each attempt). Port 0 of 127.0.0.1 by default.
 */
function startSilentServer(hostname = "127.0.0.1", port = 0) {
  return startDnsServerAt(hostname, port, () => undefined);
}

/** The error `lookup` rejected with (it must reject). */
function rejection(lookup: Promise<unknown>): Promise<unknown> {
  return lookup.then(() => assert.fail("the lookup resolved"), (e: unknown) => e);
}

Deno.test("resolveHost(), resolveAddress() and lookupAddresses(): timeoutMs bounds the whole lookup, not each server's attempt", async () => {
  await using first = startSilentServer();
  await using second = startSilentServer();
  await using third = startSilentServer();
  // Each attempt alone would take 2 s: the three servers, 6 s. The whole lookup has 200 ms.
  const options = {
    nameServer: [first.server, second.server, third.server],
    hostsFile: false,
    attemptTimeoutMs: 2000,
    timeoutMs: 200,
  } as const;
  const lookups: [string, () => Promise<unknown>][] = [
    ["resolveHost", () => resolveHost("silent.test", options)],
    ["resolveAddress", () => resolveAddress("10.1.2.3", options)],
    ["lookupAddresses", () => lookupAddresses("silent.test", options)],
  ];
  for (const [what, lookup] of lookups) {
    const error = await rejection(lookup());
    assert.ok(error instanceof DnsTimeoutError, `${what}: ${error}`);
    assert.equal(error.scope, "lookup", what);
    assert.equal(error.timeoutMs, 200, what);
    assert.equal(error.query, what === "resolveAddress" ? "10.1.2.3" : "silent.test");
    assert.match(error.message, /: the lookup did not finish within 0\.2 s$/, what);
  }
  // Settled by the whole lookup's deadline (the error's scope), before the first attempt's ended:
  // an ended attempt would have moved on to the second server.
  assert.ok(first.questions >= 3, "the first server was asked");
  assert.equal(second.questions + third.questions, 0, "the lookup's deadline came first");
});

Deno.test("resolveHost() with attemptTimeoutMs moves on from a silent server to the next within a whole-lookup timeoutMs", async () => {
  await using silent = startSilentServer();
  await using answering = await startFakeDnsServer((query) =>
    answerTo(query, {
      answers: [{ name: "www.test", type: DNS_TYPE.A, class: 1, ttl: 60, data: "10.0.0.7" }],
    })
  );
  const entry = await resolveHost("www.test", {
    nameServer: [silent.server, `127.0.0.1:${answering.port}`],
    hostsFile: false,
    attemptTimeoutMs: 200,
    timeoutMs: 60_000,
  });
  assert.deepEqual(entry.addresses, ["10.0.0.7"]);
  assert.equal(silent.questions >= 1, true);
});

Deno.test("resolveHost(): the caller's abort goes through a whole-lookup timeoutMs with its own reason", async () => {
  await using silent = startSilentServer();
  const controller = new AbortController();
  const reason = new Error("stop now");
  const asking = resolveHost("silent.test", {
    nameServer: silent.server,
    hostsFile: false,
    timeoutMs: 60_000,
    signal: controller.signal,
  });
  while (silent.questions === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  controller.abort(reason);
  await assert.rejects(asking, (error) => error === reason);
});

Deno.test({
  name:
    "resolveHost(): timeoutMs bounds the system path's servers, rounds and search list together" +
    (Deno.uid() === 0 ? "" : " (ignored: port 53 needs root)"),
  ignore: Deno.uid() !== 0,
  async fn() {
    // resolv.conf names no port: three silent servers on port 53 of loopback addresses of their own.
    const addresses = loopbackAddresses(3);
    await using first = startSilentServer(addresses[0], 53);
    await using second = startSilentServer(addresses[1], 53);
    await using third = startSilentServer(addresses[2], 53);
    await using dir = await tempDir();
    const resolvConf = `${dir.path}/resolv.conf`;
    // Each name: 3 servers x 2 rounds of 2 s; three names (two search domains, then as typed).
    await Deno.writeTextFile(
      resolvConf,
      addresses.map((a) => `nameserver ${a}\n`).join("") +
        "search one.test two.test\noptions timeout:2 attempts:2\n",
    );
    const options = { resolvConf, hostsFile: false, nsswitchConf: false } as const;
    for (
      const lookup of [
        () => resolveHost("host", { ...options, timeoutMs: 200 }),
        () => resolveHost("host", { ...options, attemptTimeoutMs: 2000, timeoutMs: 200 }),
        () => lookupAddresses("host", { ...options, timeoutMs: 200 }),
      ]
    ) {
      const error = await rejection(lookup());
      assert.ok(error instanceof DnsTimeoutError, String(error));
      assert.equal(error.scope, "lookup");
      assert.equal(error.query, "host");
    }
    assert.ok(first.questions >= 3, "the first server was asked");
    assert.equal(second.questions + third.questions, 0, "the deadline came first");
  },
});

Deno.test("resolveHost() names the answer as asked, not as its records' owner is spelt", async () => {
  // As glibc's h_name (checked with getent): the question's name, or the last CNAME's target as
  // the CNAME spells it.
  await using server = await startFakeDnsServer((query) => {
    const question = query.questions[0]!;
    const answers: DnsRecord[] = question.name === "alias.test"
      ? [
        { name: "ALIAS.TEST", type: CNAME, class: 1, ttl: 60, data: "Target.Test" },
        { name: "TARGET.TEST", type: DNS_TYPE.A, class: 1, ttl: 60, data: "10.0.0.2" },
      ]
      : [{ name: "UP.Test", type: DNS_TYPE.A, class: 1, ttl: 60, data: "10.0.0.1" }];
    return answerTo(query, { answers });
  });
  const options = { nameServer: `127.0.0.1:${server.port}`, hostsFile: false } as const;
  assert.equal((await resolveHost("up.test", options)).officialName, "up.test");
  assert.deepEqual(await resolveHost("alias.test", options), {
    officialName: "Target.Test",
    aliases: ["alias.test"],
    addresses: ["10.0.0.2"],
    source: "dns",
  });
});

Deno.test("lookupAddresses() names a hosts-file name by its first line, of either family", async () => {
  // As getaddrinfo's canonical name (checked with getent ahosts).
  await using dir = await tempDir();
  const hostsFile = `${dir.path}/hosts`;
  for (
    const [text, name] of [["10.0.0.1 a.test x\nfd00::1 b.test x\n", "a.test"], [
      "fd00::1 b.test x\n10.0.0.1 a.test x\n",
      "b.test",
    ]]
  ) {
    await Deno.writeTextFile(hostsFile, text!);
    const found = await lookupAddresses("x", { hostsFile, nsswitchConf: false });
    assert.equal(found.canonicalName, name);
    // In RFC 6724 order, which depends on this host's own addresses.
    assert.deepEqual(found.addresses.map((a) => a.address).sort(), ["10.0.0.1", "fd00::1"]);
  }
});

Deno.test("lookupAddresses() names a DNS name after its A answer's CNAME chain, as getaddrinfo", async () => {
  // glibc's dns source asks A before AAAA and takes the canonical name from the first answer
  // with an address (gaih_getanswer; checked with getent ahosts): the AAAA answer's chain, when
  // it differs, does not name the lookup.
  for (const cnameFor of [DNS_TYPE.A, DNS_TYPE.AAAA]) {
    await using server = await startFakeDnsServer((query) => {
      const [question] = query.questions;
      assert.ok(question, "a query with no question");
      const data = question.type === DNS_TYPE.A ? "10.0.0.1" : "fd00::1";
      const owner = question.type === cnameFor ? "target.test" : question.name;
      return answerTo(query, {
        answers: [
          ...(owner === question.name ? [] : [{ name: question.name, type: CNAME, data: owner }]),
          { name: owner, type: question.type, data },
        ],
      });
    });
    const found = await lookupAddresses("asked.test", {
      nameServer: `127.0.0.1:${server.port}`,
      hostsFile: false,
      attemptTimeoutMs: 1000,
    });
    assert.equal(found.canonicalName, cnameFor === DNS_TYPE.A ? "target.test" : "asked.test");
    assert.deepEqual(found.addresses.map((a) => a.address).sort(), ["10.0.0.1", "fd00::1"]);
  }
});

Deno.test({
  name: `resolveHost() sees an edit of the hosts file or nsswitch.conf at the next lookup${
    NO_MYHOSTNAME ? ` (ignored: ${NO_MYHOSTNAME})` : ""
  }`,
  ignore: NO_MYHOSTNAME !== undefined,
}, async () => {
  // The parses are kept between lookups and taken at once while the files are unchanged.
  await using dir = await tempDir();
  const hostsFile = `${dir.path}/hosts`;
  const nsswitchConf = `${dir.path}/nsswitch.conf`;
  await Deno.writeTextFile(hostsFile, "10.0.0.1 edited.test\n127.0.0.9 localhost\n");
  await Deno.writeTextFile(nsswitchConf, "hosts: files myhostname\n");
  const lookUp = (name: string) => resolveHost(name, { hostsFile, nsswitchConf });
  assert.deepEqual((await lookUp("edited.test")).addresses, ["10.0.0.1"]);
  assert.deepEqual((await lookUp("edited.test")).addresses, ["10.0.0.1"]);
  // Another size, so that the change shows even within the same millisecond.
  await Deno.writeTextFile(hostsFile, "10.0.0.22 edited.test\n127.0.0.9 localhost\n");
  assert.deepEqual((await lookUp("edited.test")).addresses, ["10.0.0.22"]);
  assert.deepEqual((await lookUp("localhost")).addresses, ["127.0.0.9"]);
  // Another size here too (two blanks): the same size within the same millisecond looks unchanged.
  await Deno.writeTextFile(nsswitchConf, "hosts: myhostname  files\n");
  const local = await lookUp("localhost");
  assert.equal(local.source, "myhostname");
  assert.deepEqual(local.addresses, ["127.0.0.1"]);
  await Deno.writeTextFile(hostsFile, "10.0.0.3 other.test\n");
  await assert.rejects(lookUp("edited.test"), DnsNotFoundError);
});

peerTest(
  "lookupAddresses() for IPv4 takes an IPv4-mapped literal for its IPv4 address, as getent ahostsv4",
  ["getent"],
  async () => {
    // Found by tests/cmd/resolve-hostname_random_test.ts (seed 9): getaddrinfo with AF_INET maps
    // it back; resolveHost (gethostbyname) does not.
    for (const literal of ["::ffff:127.0.0.1", "::FFFF:7f00:2"]) {
      const getent = await new Deno.Command("getent", {
        args: ["ahostsv4", literal],
        stdout: "piped",
      }).output();
      const glibc = new TextDecoder().decode(getent.stdout).split("\n")[0]?.split(/\s+/);
      const found = await lookupAddresses(literal, { family: 4, hostsFile: false });
      assert.deepEqual(
        [found.addresses[0]?.address, found.canonicalName],
        [glibc?.[0], glibc?.[2]],
      );
      await assert.rejects(resolveHost(literal, { family: 4, hostsFile: false }));
    }
  },
);

/** A UDP name server of {@linkcode startPort53Server}. */
interface Port53Server extends AsyncDisposable {
  address: string;
  /** The queries received, in order. */
  received: Uint8Array[];
}

/**
 * A UDP name server on port 53 of a loopback address of this file's own (resolv.conf names no
 * port; one at a time): `answer` gives each query's reply, undefined for silence.
 */
function startPort53Server(answer: (query: DnsMessage) => Uint8Array | undefined): Port53Server {
  const address = `127.96.${(Deno.pid >> 8) & 255}.${(Deno.pid & 255) | 1}`;
  const server = Deno.listenDatagram({ transport: "udp", hostname: address, port: 53 });
  const received: Uint8Array[] = [];
  const serving = (async () => {
    try {
      while (true) {
        const [wire, client] = await server.receive();
        received.push(wire);
        const reply = answer(decodeDnsMessage(wire));
        if (reply) await server.send(reply, client);
      }
    } catch {
      // Closed.
    }
  })();
  return {
    address,
    received,
    async [Symbol.asyncDispose]() {
      server.close();
      await serving;
    },
  };
}

/** `wire`'s question as `NAME TYPE`. */
function questionOf(wire: Uint8Array): string {
  const question = decodeDnsMessage(wire).questions[0];
  return `${question?.name} ${question?.type}`;
}

/** A test with a port-53 server (root only), given a resolv.conf path and its directory. */
function port53Test(name: string, fn: (resolvConf: string, dir: string) => Promise<void>): void {
  Deno.test({
    name: name + (Deno.uid() === 0 ? "" : " (ignored: port 53 needs root)"),
    ignore: Deno.uid() !== 0,
    async fn() {
      await using dir = await tempDir();
      await fn(`${dir.path}/resolv.conf`, dir.path);
    },
  });
}

port53Test(
  "resolveHost() sends resolv.conf's edns0 (an OPT record for 1200 bytes) and trust-ad (AD)",
  async (resolvConf) => {
    const options = { resolvConf, hostsFile: false, nsswitchConf: false } as const;
    let received: Uint8Array[];
    {
      await using server = startPort53Server((query) => {
        const name = query.questions[0]?.name ?? "";
        return answerTo(query, {
          answers: [{ name, type: DNS_TYPE.A, class: 1, ttl: 60, data: "10.9.9.9" }],
        });
      });
      received = server.received;
      const nameserver = `nameserver ${server.address}\n`;
      await Deno.writeTextFile(resolvConf, `${nameserver}options edns0 trust-ad\n`);
      assert.deepEqual((await resolveHost("a.test", options)).addresses, ["10.9.9.9"]);
      await Deno.writeTextFile(resolvConf, nameserver);
      assert.deepEqual((await resolveHost("b.test", options)).addresses, ["10.9.9.9"]);
      // Under no-aaaa, the A question sent in an AAAA one's place has no OPT record (glibc 2.36's
      // res-noaaaa.c sets its arcount to 0); the AD bit stays.
      await Deno.writeTextFile(resolvConf, `${nameserver}options edns0 trust-ad no-aaaa\n`);
      await assert.rejects(resolveHost("c.test", { ...options, family: 6 }), DnsNoDataError);
    }
    const [formed, plain, replacement] = received.map((wire) => ({
      ad: (wire[3]! & 0x20) !== 0,
      rd: (wire[2]! & 0x01) !== 0,
      type: decodeDnsMessage(wire).questions[0]?.type,
      additionals: decodeDnsMessage(wire).additionals,
    }));
    // As glibc 2.36's res_mkquery and __res_nopt: root owner, type OPT, class 1200 (the UDP
    // payload size, RESOLV_EDNS_BUFFER_SIZE), TTL 0 (version 0, no DO bit), no data.
    assert.deepEqual(formed, {
      ad: true,
      rd: true,
      type: DNS_TYPE.A,
      additionals: [{ name: ".", type: 41, class: 1200, ttl: 0, data: new Uint8Array(0) }],
    });
    assert.deepEqual(plain, { ad: false, rd: true, type: DNS_TYPE.A, additionals: [] });
    assert.deepEqual(replacement, { ad: true, rd: true, type: DNS_TYPE.A, additionals: [] });
  },
);

port53Test(
  "resolveHost() sends resolv.conf's servers each question once a try, as glibc",
  async (resolvConf) => {
    // A silent server: glibc's send_dg sends once and waits `timeout`, `attempts` times; nothing
    // is resent within a try (queryDns resends).
    let received: Uint8Array[];
    {
      await using server = startPort53Server(() => undefined);
      received = server.received;
      await Deno.writeTextFile(
        resolvConf,
        `nameserver ${server.address}\noptions timeout:1 attempts:2\n`,
      );
      await assert.rejects(
        resolveHost("silent.test", { resolvConf, hostsFile: false, nsswitchConf: false }),
        DnsTimeoutError,
      );
    }
    assert.equal(received.length, 2);
  },
);

port53Test(
  "resolveHost() takes a late answer to a server's first try during its second, as glibc (same socket, same id)",
  async (resolvConf) => {
    // The server answers the first try's question only once the second try's has come: glibc's
    // res_send keeps the socket and the query of a server from try to try, and reads it then;
    // a socket a try, closed at the try's end, lost it (a server slower than `timeout` but
    // quicker than `attempts` of them answered getent and timed netkit out).
    const address = `127.96.${(Deno.pid >> 8) & 255}.${(Deno.pid & 255) | 1}`;
    const server = Deno.listenDatagram({ transport: "udp", hostname: address, port: 53 });
    const received: DnsMessage[] = [];
    const serving = (async () => {
      let first: [DnsMessage, Deno.Addr] | undefined;
      try {
        while (true) {
          const [wire, client] = await server.receive();
          const query = decodeDnsMessage(wire);
          received.push(query);
          if (first === undefined) first = [query, client];
          else if (received.length === 2) {
            const [late, to] = first;
            const answers = [{ name: "late.test", type: DNS_TYPE.A, data: "10.0.0.5" }];
            await server.send(answerTo(late, { answers }), to);
          }
        }
      } catch {
        // Closed.
      }
    })();
    try {
      await Deno.writeTextFile(resolvConf, `nameserver ${address}\noptions timeout:1 attempts:2\n`);
      const entry = await resolveHost("late.test", {
        resolvConf,
        hostsFile: false,
        nsswitchConf: false,
      });
      assert.deepEqual(entry.addresses, ["10.0.0.5"]);
      assert.equal(received.length, 2);
      assert.equal(received[1]?.id, received[0]?.id);
    } finally {
      server.close();
      await serving;
    }
  },
);

port53Test(
  "resolveHost() aborted in a second try of a silent server rejects with the reason and leaves no socket open",
  async (resolvConf) => {
    const controller = new AbortController();
    const reason = new Error("stopped in the second try");
    // Silent; the second try's question aborts the lookup (the sanitizers see any socket left).
    await using server = startPort53Server(() => {
      if (server.received.length === 2) controller.abort(reason);
      return undefined;
    });
    await Deno.writeTextFile(
      resolvConf,
      `nameserver ${server.address}\noptions timeout:1 attempts:3\n`,
    );
    await assert.rejects(
      resolveHost("silent.test", {
        resolvConf,
        hostsFile: false,
        nsswitchConf: false,
        signal: controller.signal,
      }),
      (error) => error === reason,
    );
  },
);

port53Test(
  "resolveHost() under use-vc asks each server once, whatever attempts says, as glibc",
  async (resolvConf) => {
    // glibc's res_send: "Use VC; at most one attempt per server" (it sets the try counter to
    // its end). A server that reads the question and never answers is asked once, not twice.
    const address = `127.96.${(Deno.pid >> 8) & 255}.${(Deno.pid & 255) & ~1}`;
    const listener = Deno.listen({ hostname: address, port: 53 });
    let questions = 0;
    const connections: Promise<void>[] = [];
    const accepting = (async () => {
      for await (const conn of listener) {
        connections.push((async () => {
          // Each question on a connection of its own: a connection that carried one counts.
          const buffer = new Uint8Array(512);
          let read = 0;
          try {
            for (let n; (n = await conn.read(buffer)) !== null;) {
              if (read === 0 && n > 0) questions++;
              read += n;
            }
          } catch {
            // The client went away.
          } finally {
            conn.close();
          }
        })());
      }
    })();
    await Deno.writeTextFile(
      resolvConf,
      `nameserver ${address}\noptions use-vc timeout:1 attempts:2\n`,
    );
    try {
      await assert.rejects(
        resolveHost("silent.test", { resolvConf, hostsFile: false, nsswitchConf: false }),
        DnsTimeoutError,
      );
    } finally {
      listener.close();
      await accepting.catch(() => {});
      await Promise.all(connections);
    }
    assert.equal(questions, 1);
  },
);

port53Test(
  "lookupAddresses() asks both families of each search-list name in step, as glibc",
  async (resolvConf) => {
    // glibc's gethostbyname4_r asks A and AAAA of each name together and stops at the first name
    // with an address of either: `web.a.test` has an IPv4 address and no IPv6 one, so neither
    // `web.b.test` nor `web` is asked for its AAAA records (nor, under no-aaaa, anything twice).
    const options = { resolvConf, hostsFile: false, nsswitchConf: false } as const;
    const found: string[][] = [];
    let received: Uint8Array[];
    {
      await using server = startPort53Server((query) => {
        const question = query.questions[0]!;
        const here = question.name === "web.a.test";
        const answers: DnsRecord[] = here && question.type === DNS_TYPE.A
          ? [{ name: question.name, type: DNS_TYPE.A, class: 1, ttl: 60, data: "10.0.0.1" }]
          : [];
        return answerTo(query, { rcode: here ? DNS_RCODE.NOERROR : DNS_RCODE.NXDOMAIN, answers });
      });
      received = server.received;
      for (const option of ["", "options no-aaaa\n"]) {
        await Deno.writeTextFile(
          resolvConf,
          `nameserver ${server.address}\nsearch a.test b.test\n${option}`,
        );
        const lookup = await lookupAddresses("web", options);
        found.push(lookup.addresses.map(({ address }) => address));
      }
    }
    const asked = received.map(questionOf);
    assert.deepEqual(found, [["10.0.0.1"], ["10.0.0.1"]]);
    assert.deepEqual(asked.slice(0, 2).sort(), ["web.a.test 1", "web.a.test 28"]);
    assert.deepEqual(asked.slice(2), ["web.a.test 1"]);
  },
);

port53Test(
  "lookupAddresses() ends the search list for both families by the pair's answer code, as glibc",
  async (resolvConf) => {
    // glibc's res_search reads one code for the A and AAAA answers of a name: the A answer's,
    // unless that was no data, then the AAAA answer's. REFUSED ends the search list (the name is
    // still asked as it is, last), SERVFAIL and no data go on. So `b.test` is never asked:
    // `web.a.test` is A REFUSED and AAAA SERVFAIL, `mail.a.test` A no data and AAAA REFUSED.
    const codes: Record<string, number> = {
      "web.a.test 1": DNS_RCODE.REFUSED,
      "web.a.test 28": DNS_RCODE.SERVFAIL,
      "mail.a.test 1": DNS_RCODE.NOERROR,
      "mail.a.test 28": DNS_RCODE.REFUSED,
    };
    const options = { resolvConf, hostsFile: false, nsswitchConf: false } as const;
    let received: Uint8Array[];
    {
      await using server = startPort53Server((query) => {
        const key = `${query.questions[0]?.name} ${query.questions[0]?.type}`;
        return answerTo(query, { rcode: codes[key] ?? DNS_RCODE.NXDOMAIN, answers: [] });
      });
      received = server.received;
      await Deno.writeTextFile(
        resolvConf,
        `nameserver ${server.address}\nsearch a.test b.test\noptions attempts:1\n`,
      );
      for (const name of ["web", "mail"]) await assert.rejects(lookupAddresses(name, options));
    }
    assert.deepEqual(received.map(questionOf).sort(), [
      "mail 1",
      "mail 28",
      "mail.a.test 1",
      "mail.a.test 28",
      "web 1",
      "web 28",
      "web.a.test 1",
      "web.a.test 28",
    ]);
  },
);

port53Test(
  "lookupAddresses() answers from the hosts file after a myhostname that cannot, asking DNS nothing",
  async (resolvConf, dir) => {
    // `hosts: myhostname files dns`: myhostname has no `web.test` (NOTFOUND, go on), the hosts
    // file has it in IPv6 only, and glibc's getaddrinfo, asking the file for both families at
    // once, ends there: no A question leaks to DNS.
    const nsswitchConf = `${dir}/nsswitch.conf`;
    const hostsFile = `${dir}/hosts`;
    await Deno.writeTextFile(nsswitchConf, "hosts: myhostname files dns\n");
    await Deno.writeTextFile(hostsFile, "fd00::7 web.test\n");
    let found: string[];
    let received: Uint8Array[];
    {
      await using server = startPort53Server((query) =>
        answerTo(query, { rcode: DNS_RCODE.NXDOMAIN })
      );
      received = server.received;
      await Deno.writeTextFile(resolvConf, `nameserver ${server.address}\n`);
      const lookup = await lookupAddresses("web.test", { resolvConf, nsswitchConf, hostsFile });
      found = lookup.addresses.map(({ address }) => address);
    }
    assert.deepEqual(found, ["fd00::7"]);
    assert.deepEqual(received.map(questionOf), []);
  },
);

port53Test(
  "resolveAddress() takes a hosts-file line with the address alone, asking DNS nothing",
  async (resolvConf, dir) => {
    // glibc's files source reads `10.9.9.9` alone with an empty name, and gethostbyaddr takes it:
    // `getent hosts 10.9.9.9` succeeds, and no PTR question leaks to DNS.
    const nsswitchConf = `${dir}/nsswitch.conf`;
    const hostsFile = `${dir}/hosts`;
    await Deno.writeTextFile(nsswitchConf, "hosts: files dns\n");
    await Deno.writeTextFile(hostsFile, "127.0.0.1 localhost\n10.9.9.9\n");
    let names: string[];
    let received: Uint8Array[];
    {
      await using server = startPort53Server((query) =>
        answerTo(query, { rcode: DNS_RCODE.NXDOMAIN })
      );
      received = server.received;
      await Deno.writeTextFile(resolvConf, `nameserver ${server.address}\n`);
      names = await resolveAddress("10.9.9.9", { resolvConf, nsswitchConf, hostsFile });
    }
    assert.deepEqual(names, []);
    assert.deepEqual(received.map(questionOf), []);
  },
);

Deno.test("lookupAddresses() sends a name's A question before its AAAA one, server by server, as getaddrinfo", async () => {
  // Found in a Kubernetes pod's search list (tests/cmd/resolve-hostname_containers_test.ts): the
  // AAAA question went out first, and after a failure the pair's order depended on which answer
  // came back first. glibc's send_dg sends A, then AAAA, at each server.
  const log: string[] = [];
  const record =
    (server: string, answer: (query: DnsMessage) => Uint8Array) => (query: DnsMessage) => {
      const [question] = query.questions;
      log.push(`${server} ${question?.type === DNS_TYPE.A ? "A" : "AAAA"} ${question?.name}`);
      return answer(query);
    };
  await using failing = await startFakeDnsServer(
    record("first", (query) => answerTo(query, { rcode: DNS_RCODE.SERVFAIL })),
  );
  await using answering = await startFakeDnsServer(
    record("second", (query) => answerTo(query, { rcode: DNS_RCODE.NXDOMAIN })),
  );
  for (let round = 0; round < 10; round++) {
    log.length = 0;
    await assert.rejects(
      lookupAddresses("pair.test", {
        nameServer: [`127.0.0.1:${failing.port}`, `127.0.0.1:${answering.port}`],
        hostsFile: false,
        attemptTimeoutMs: 1000,
      }),
      DnsNotFoundError,
    );
    assert.deepEqual(log, [
      "first A pair.test",
      "first AAAA pair.test",
      "second A pair.test",
      "second AAAA pair.test",
    ]);
  }
});
