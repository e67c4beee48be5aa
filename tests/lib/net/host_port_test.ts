import { deepEqual as assertEquals } from "node:assert/strict";
import { formatHostPort } from "../../../lib/net/host_port.ts";

Deno.test("formatHostPort() brackets IPv6 addresses only", () => {
  const table: [string, number | undefined, string][] = [
    ["127.0.0.1", 13, "127.0.0.1:13"],
    ["example.org", 80, "example.org:80"],
    ["::1", 8080, "[::1]:8080"],
    ["::ffff:127.0.0.1", 0, "[::ffff:127.0.0.1]:0"],
    ["fe80::1%eth0", 22, "[fe80::1%eth0]:22"],
    ["::", undefined, "[::]"],
    ["localhost", undefined, "localhost"],
  ];
  for (const [host, port, shown] of table) assertEquals(formatHostPort(host, port), shown);
});
