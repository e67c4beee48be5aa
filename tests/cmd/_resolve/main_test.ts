import assert, { deepEqual as assertEquals } from "node:assert/strict";
import { DEFAULT_DNS_TIMEOUT_MS } from "../../../lib/dns/client.ts";
import { resolverMain, resolverSpec, resolverUsage } from "../../../cmd/_resolve/main.ts";
import { captureConsole } from "../../harness/run.ts";

Deno.test("resolverUsage() names the command and the DNS client's default timeout", () => {
  for (const family of [4, 6] as const) {
    const usage = resolverUsage(family);
    assert(usage.startsWith(`Usage: ${resolverSpec(family).name} `), usage);
    assert(usage.includes(`(default ${DEFAULT_DNS_TIMEOUT_MS / 1000})`), usage);
  }
});

Deno.test("resolverMain() answers --help and usage errors without loading the resolver", async () => {
  const help = await captureConsole(() => resolverMain(["--help"], 6));
  assertEquals([help.result, help.stdout, help.stderr], [0, `${resolverUsage(6)}\n`, ""]);
  const bad = await captureConsole(() => resolverMain(["--bogus"], 4));
  assertEquals([bad.result, bad.stdout], [2, ""]);
  assert(bad.stderr.startsWith("resolve-hostname: "), bad.stderr);
});
