import assert from "node:assert/strict";
import { refusedNet, runWithNetGrant } from "../../harness/least_privilege.ts";

Deno.test("UDP time client and server refuse a bind the grant does not reach with a MissingPermissionError", async () => {
  const { port, outcomes } = await runWithNetGrant("time_udp_least_privilege.ts");
  assert.deepEqual(outcomes, {
    client: refusedNet("0.0.0.0:0"),
    server: refusedNet(`127.0.0.1:${port === 65535 ? port - 1 : port + 1}`),
  });
});
