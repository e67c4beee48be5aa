/**
 * The interface list shared by the lookups of 100 ms (`_interface_list.ts`): RFC 6724's sort,
 * `AI_ADDRCONFIG` and myhostname read it once for many lookups, and a change shows once the
 * read is older than that. `Deno.networkInterfaces` is stubbed with lists of our own.
 */

import assert from "node:assert/strict";
import { lookupAddresses } from "@netkit/netkit/dns";
import { INTERFACE_LIST_MAX_AGE_MS, interfaceList } from "../../../lib/dns/_interface_list.ts";

const LOOPBACK: Deno.NetworkInterfaceInfo[] = [
  {
    family: "IPv4",
    name: "lo",
    address: "127.0.0.1",
    netmask: "255.0.0.0",
    scopeid: null,
    cidr: "127.0.0.1/8",
    mac: "00:00:00:00:00:00",
  },
  {
    family: "IPv6",
    name: "lo",
    address: "::1",
    netmask: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    scopeid: 0,
    cidr: "::1/128",
    mac: "00:00:00:00:00:00",
  },
];
const V4: Deno.NetworkInterfaceInfo = {
  family: "IPv4",
  name: "eth0",
  address: "192.0.2.2",
  netmask: "255.255.255.0",
  scopeid: null,
  cidr: "192.0.2.2/24",
  mac: "02:00:00:00:00:01",
};
const V6: Deno.NetworkInterfaceInfo = {
  family: "IPv6",
  name: "eth0",
  address: "2001:db8::2",
  netmask: "ffff:ffff:ffff:ffff::",
  scopeid: 0,
  cidr: "2001:db8::2/64",
  mac: "02:00:00:00:00:01",
};

/** Deno.networkInterfaces replaced by `lists()`'s list, its reads counted, until disposed. */
function stubInterfaces(lists: () => Deno.NetworkInterfaceInfo[]) {
  const original = Deno.networkInterfaces;
  const state = { reads: 0 };
  Deno.networkInterfaces = () => {
    state.reads++;
    return lists();
  };
  return {
    state,
    [Symbol.dispose]() {
      Deno.networkInterfaces = original;
    },
  };
}

/** Resolves after `ms` of performance.now(). */
async function sleepPast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, until - performance.now())));
  }
}

Deno.test("interfaceList(): one read within the age, a new one after it", () => {
  let list = [...LOOPBACK, V4];
  using stub = stubInterfaces(() => list);
  const at = performance.now() + 1_000_000; // past any read other tests made
  const first = interfaceList(at);
  assert.deepEqual(first, [...LOOPBACK, V4]);
  list = [...LOOPBACK, V4, V6];
  assert.equal(interfaceList(at + INTERFACE_LIST_MAX_AGE_MS - 1), first);
  assert.equal(stub.state.reads, 1);
  assert.deepEqual(interfaceList(at + INTERFACE_LIST_MAX_AGE_MS), [...LOOPBACK, V4, V6]);
  assert.equal(stub.state.reads, 2);
  // A clock behind the last read: read again.
  assert.deepEqual(interfaceList(at), [...LOOPBACK, V4, V6]);
  assert.equal(stub.state.reads, 3);
});

Deno.test("interfaceList(): the permission asked with each read, not each call; a refusal asked again at once", () => {
  using stub = stubInterfaces(() => [...LOOPBACK, V4]);
  const querySync = Deno.permissions.querySync;
  let state: Deno.PermissionState = "granted";
  let queries = 0;
  Deno.permissions.querySync = ((descriptor: Deno.PermissionDescriptor) => {
    if (descriptor.name !== "sys") return querySync.call(Deno.permissions, descriptor);
    queries++;
    return { state, partial: false, onchange: null } as unknown as Deno.PermissionStatus;
  }) as typeof querySync;
  try {
    const at = performance.now() + 2_000_000; // past any read other tests made
    const first = interfaceList(at);
    for (let i = 1; i < 10; i++) assert.equal(interfaceList(at + i), first);
    assert.equal(queries, 1); // each call asked before
    assert.equal(stub.state.reads, 1);
    // Revoked: counts with the next read (the list read under the grant is shared for its age).
    state = "denied";
    assert.equal(interfaceList(at + INTERFACE_LIST_MAX_AGE_MS - 1), first);
    assert.equal(interfaceList(at + INTERFACE_LIST_MAX_AGE_MS), undefined);
    assert.equal(queries, 2);
    // Refused: asked again on each call, so that a grant counts at once.
    assert.equal(interfaceList(at + INTERFACE_LIST_MAX_AGE_MS + 1), undefined);
    assert.equal(queries, 3);
    state = "granted";
    assert.deepEqual(interfaceList(at + INTERFACE_LIST_MAX_AGE_MS + 2), [...LOOPBACK, V4]);
    assert.equal(queries, 4);
    assert.equal(stub.state.reads, 2);
  } finally {
    Deno.permissions.querySync = querySync;
  }
});

Deno.test("interfaceList(): undefined where sys permission for the interfaces is refused", {
  permissions: { read: true, sys: ["hostname"] },
}, () => {
  assert.equal(interfaceList(), undefined);
});

Deno.test("lookupAddresses(): lookups at once sort by one read of the interfaces; a change shows after 100 ms", async () => {
  const hosts = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(hosts, "10.1.2.3 dual.test\n2001:db8::5 dual.test\n");
    let list = [...LOOPBACK, V4];
    using stub = stubInterfaces(() => list);
    await sleepPast(INTERFACE_LIST_MAX_AGE_MS); // no read of an earlier test's left
    const options = { hostsFile: hosts, nsswitchConf: false } as const;
    const order = async () =>
      (await lookupAddresses("dual.test", options)).addresses.map((a) => a.address);
    // No IPv6 address but loopback: the IPv6 destination has no source and comes last (RFC 6724
    // rule 1), as getaddrinfo orders it.
    const orders = await Promise.all(Array.from({ length: 20 }, order));
    for (const found of orders) assert.deepEqual(found, ["10.1.2.3", "2001:db8::5"]);
    // Fewer reads than lookups (each lookup read the list itself before).
    assert.ok(stub.state.reads < 20, `${stub.state.reads} reads for 20 lookups`);
    // A global IPv6 address: IPv6 first (rule 6, precedence), once the last read is old enough.
    list = [...LOOPBACK, V4, V6];
    await sleepPast(INTERFACE_LIST_MAX_AGE_MS);
    assert.deepEqual(await order(), ["2001:db8::5", "10.1.2.3"]);
  } finally {
    await Deno.remove(hosts);
  }
});
