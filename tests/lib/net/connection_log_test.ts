import { deepEqual as assertEquals } from "node:assert/strict";
import { connectionLogger } from "../../../lib/net/connection_log.ts";

Deno.test("connectionLogger() names the client, IPv4-mapped addresses as IPv4", () => {
  const lines: string[] = [];
  const log = connectionLogger((line) => lines.push(line));
  const table: [Deno.Addr, string][] = [
    [{ transport: "tcp", hostname: "127.0.0.1", port: 1 }, "127.0.0.1"],
    [{ transport: "tcp", hostname: "127.0.0.1", port: 2 }, "127.0.0.1"],
    [{ transport: "tcp", hostname: "::ffff:10.0.0.1", port: 1 }, "10.0.0.1"],
    [{ transport: "tcp", hostname: "::ffff:a00:1", port: 1 }, "::ffff:a00:1"],
    [{ transport: "tcp", hostname: "::1", port: 1 }, "::1"],
    [{ transport: "unix", path: "/tmp/s" }, "unix"],
  ];
  for (const [address] of table) log(address);
  assertEquals(
    lines,
    table.map(([, shown]) => `Received a connection request from ${shown}.`),
  );
});
