/**
 * The DNS peers' port holding (tests/harness/dns_peers.ts): a port held over TCP and UDP until
 * disposal, taken by nobody else meanwhile, and free over both after.
 */

import assert from "node:assert/strict";
import { holdFreeDnsPort } from "./dns_peers.ts";
import { PortBindError, reservePort } from "./reserved_port.ts";

const IGNORE = Deno.build.os !== "linux";

/** Whether `transport`'s `port` can be bound without `SO_REUSEADDR` (nobody has it). */
function bindable(port: number, transport: "tcp" | "udp"): boolean {
  try {
    using _ = reservePort("127.0.0.1", { port, transport, reuseAddress: false });
    return true;
  } catch (error) {
    if (error instanceof PortBindError && error.inUse) return false;
    throw error;
  }
}

Deno.test({
  name: "holdFreeDnsPort holds one port over TCP and UDP until disposal",
  ignore: IGNORE,
  fn() {
    const held = holdFreeDnsPort();
    try {
      assert.equal(bindable(held.port, "tcp"), false);
      assert.equal(bindable(held.port, "udp"), false);
    } finally {
      held[Symbol.dispose]();
    }
    assert.equal(bindable(held.port, "tcp"), true);
    assert.equal(bindable(held.port, "udp"), true);
  },
});

Deno.test({
  name: "reservePort throws PortBindError (EADDRINUSE) for a port another socket has",
  ignore: IGNORE,
  fn() {
    const udp = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
    const port = (udp.addr as Deno.NetAddr).port;
    try {
      using _ = reservePort("127.0.0.1", { transport: "udp", port });
      assert.fail("bound a port another socket has");
    } catch (error) {
      assert.ok(error instanceof PortBindError, String(error));
      assert.equal(error.inUse, true);
      assert.equal(error.errno, 98);
      assert.equal(error.port, port);
    } finally {
      udp.close();
    }
  },
});
