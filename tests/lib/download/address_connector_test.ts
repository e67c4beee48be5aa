import assert, { deepEqual, equal } from "node:assert/strict";
import { createAddressConnector } from "../../../lib/download/address_connector.ts";
import { SocketError } from "../../../lib/net/socket_error.ts";
import { createClientSocket } from "../../../lib/net/socket.ts";
import { TlsError } from "../../../lib/net/tls_error.ts";
import { MissingPermissionError } from "../../../lib/io/missing_permission_error.ts";

/** A port where nothing listens on either loopback address. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

const fixed = (...addresses: string[]) => () =>
  Promise.resolve({ addresses: addresses.map((address) => ({ address })) });

Deno.test("createAddressConnector() tries each address in turn and reports each, as GNU wget", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const lines: string[] = [];
  const connect = createAddressConnector({
    lookup: fixed("::1", "127.0.0.1"),
    events: {
      resolved: ({ host, addresses }) => lines.push(`resolved ${host} ${addresses.join(",")}`),
      attempted: ({ address, reason }) => lines.push(`${address} ${reason ?? "connected"}`),
    },
  });
  using conn = await connect("dual.test", port, (a) => createClientSocket(a, port));
  equal(conn.remoteAddr.hostname, "127.0.0.1");
  deepEqual(lines, [
    "resolved dual.test ::1,127.0.0.1",
    "::1 Connection refused",
    "127.0.0.1 connected",
  ]);
});

Deno.test("createAddressConnector() looks a name up once, and puts --prefer-family first", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  let lookups = 0;
  const tried: string[] = [];
  const connect = createAddressConnector({
    preferFamily: 4,
    lookup: (_name, options) => {
      lookups++;
      equal(options.family, 0);
      return fixed("::1", "127.0.0.1")();
    },
    events: { attempted: ({ address }) => tried.push(address ?? "") },
  });
  for (let i = 0; i < 2; i++) {
    using _conn = await connect("dual.test", port, (a) => createClientSocket(a, port));
  }
  equal(lookups, 1);
  deepEqual(tried, ["127.0.0.1", "127.0.0.1"]);
});

Deno.test("createAddressConnector() throws the last refusal once every address refused", async () => {
  const port = closedPort();
  const connect = createAddressConnector({ lookup: fixed("127.0.0.1", "::1") });
  await assert.rejects(connect("dual.test", port, (a) => createClientSocket(a, port)), (error) => {
    assert.ok(error instanceof SocketError);
    equal(error.failure, "refused");
    equal(error.host, "::1");
    return true;
  });
});

Deno.test("createAddressConnector() passes other failures on at once (a TLS error is no reason to try the next)", async () => {
  let calls = 0;
  const connect = createAddressConnector({ lookup: fixed("::1", "127.0.0.1") });
  await assert.rejects(
    connect("dual.test", 443, () => {
      calls++;
      return Promise.reject(new TlsError("Cannot verify", true));
    }),
    TlsError,
  );
  equal(calls, 1);
});

Deno.test("createAddressConnector(): a literal of the other family, a missing name and a slow lookup fail as lookups", async () => {
  const failures: string[] = [];
  const events = { resolveFailed: ({ reason }: { reason: string }) => failures.push(reason) };
  const never = (_name: string, options: { signal?: AbortSignal }) =>
    new Promise<never>((_resolve, reject) =>
      options.signal?.addEventListener("abort", () => reject(options.signal?.reason))
    );
  const cases = [
    createAddressConnector({ family: 4, events })("[::1]", 80, () => Promise.resolve(0)),
    createAddressConnector({
      events,
      lookup: () => Promise.reject(Object.assign(new Error("no"), { name: "DnsNotFoundError" })),
    })("nowhere.test", 80, () => Promise.resolve(0)),
    createAddressConnector({ events, lookup: never, dnsTimeoutMs: 10 })(
      "slow.test",
      80,
      () => Promise.resolve(0),
    ),
  ];
  // The lookup timeout's timer does not hold the process open (a real lookup's socket does).
  const hold = setTimeout(() => {}, 60_000);
  const steps: string[] = [];
  for (const pending of cases) {
    await assert.rejects(pending, (error) => {
      assert.ok(error instanceof SocketError);
      steps.push(`${error.step} ${error.failure}`);
      return true;
    });
  }
  clearTimeout(hold);
  deepEqual(steps, ["resolve not-found", "resolve not-found", "resolve timed-out"]);
  deepEqual(failures, [
    "Address family for hostname not supported",
    "Name or service not known",
    "timed out",
  ]);
});

Deno.test("createAddressConnector() lets a missing permission through as it is", async () => {
  const denied = new MissingPermissionError(
    { kind: "read", target: "/etc/hosts" },
    "reading hosts",
  );
  const connect = createAddressConnector({ lookup: () => Promise.reject(denied) });
  await assert.rejects(
    connect("host.test", 80, () => Promise.resolve(0)),
    (error) => error === denied,
  );
});

Deno.test("createAddressConnector() shares one lookup among parallel connections, and forgets a failed one", async () => {
  let lookups = 0;
  let fail = true;
  const connect = createAddressConnector({
    lookup: () => {
      lookups++;
      if (fail) return Promise.reject(Object.assign(new Error("no"), { name: "DnsServerError" }));
      return fixed("127.0.0.1")();
    },
  });
  const attempt = () => connect("host.test", 80, (address) => Promise.resolve(address));
  await Promise.allSettled([attempt(), attempt(), attempt()]);
  equal(lookups, 1);
  fail = false;
  deepEqual(await Promise.all([attempt(), attempt()]), ["127.0.0.1", "127.0.0.1"]);
  equal(lookups, 2);
});

Deno.test("createAddressConnector().addressesOf() answers from the connections' lookups, literals as themselves", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  let lookups = 0;
  const lines: string[] = [];
  const connect = createAddressConnector({
    family: 4,
    lookup: (name) => {
      lookups++;
      return name === "gone.test"
        ? Promise.reject(Object.assign(new Error("no"), { name: "DnsNotFoundError" }))
        : fixed("127.0.0.1", "127.0.0.2")();
    },
    events: {
      resolved: ({ host }) => lines.push(`resolved ${host}`),
      resolveFailed: ({ host, reason }) => lines.push(`failed ${host}: ${reason}`),
    },
  });
  deepEqual(await connect.addressesOf("multi.test"), ["127.0.0.1", "127.0.0.2"]);
  using _conn = await connect("multi.test", port, (a) => createClientSocket(a, port));
  deepEqual(await connect.addressesOf("multi.test"), ["127.0.0.1", "127.0.0.2"]);
  equal(lookups, 1);
  deepEqual(await connect.addressesOf("127.0.0.9"), ["127.0.0.9"]);
  // -4 with an IPv6 literal, a name without addresses: failed as a connection's lookup fails.
  await assertRejectsResolve(connect.addressesOf("[::1]"));
  await assertRejectsResolve(connect.addressesOf("gone.test"));
  deepEqual(lines, [
    "resolved multi.test",
    "failed ::1: Address family for hostname not supported",
    "failed gone.test: Name or service not known",
  ]);
});

async function assertRejectsResolve(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(() => undefined, (error) => error);
  assert(error instanceof SocketError && error.step === "resolve", String(error));
}
