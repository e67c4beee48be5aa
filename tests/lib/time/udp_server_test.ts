import assert from "node:assert/strict";
import { run } from "../../harness/run.ts";

Deno.test("UDP time client and server refuse a bind the grant does not reach with a MissingPermissionError", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const other = port === 65535 ? port - 1 : port + 1;
  const script = new URL("../../fixtures/time_udp_least_privilege.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await run(Deno.execPath(), [
    "run",
    "--no-prompt",
    `--allow-net=127.0.0.1:${port}`,
    script,
    String(port),
  ]);
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), {
    client: {
      name: "MissingPermissionError",
      code: "MISSING_PERMISSION",
      flag: "--allow-net=0.0.0.0:0",
    },
    server: {
      name: "MissingPermissionError",
      code: "MISSING_PERMISSION",
      flag: `--allow-net=127.0.0.1:${other}`,
    },
  });
});
