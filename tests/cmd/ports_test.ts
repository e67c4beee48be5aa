import assert from "node:assert/strict";
import { main } from "../../cmd/ports.ts";
import { tempDir } from "../harness/peers.ts";
import { runCommand } from "../harness/run.ts";

Deno.test("ports prints name, number and protocol from a services file", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/services`;
  await Deno.writeTextFile(
    path,
    "smtp 25/tcp mail\nsubmission 587/tcp\ndomain 53/tcp\ndomain 53/udp\n",
  );
  const run = await runCommand("ports", ["--services", path, "smtp", "587", "53"]);
  assert.equal(run.code, 0);
  assert.equal(
    run.stdout,
    "smtp 25/tcp (also mail)\nsubmission 587/tcp\ndomain 53/tcp\ndomain 53/udp\n",
  );
  assert.equal(run.stderr, "");
});

Deno.test("ports answers from the embedded table without a services file", async () => {
  const run = await runCommand("ports", [
    "--services",
    "/nonexistent/services",
    "ssh",
    "ipp",
    "--json",
  ]);
  assert.equal(run.code, 0);
  const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line));
  assert.equal(lines[0].source, "embedded");
  assert.equal(lines[0].services[0].port, 22);
  assert.equal(lines[1].services[0].port, 631);
  assert.match(run.stderr, /embedded table/);
});

Deno.test("ports exits 1 for an unknown service and 2 for usage errors", async () => {
  const unknown = await runCommand("ports", [
    "--services",
    "/nonexistent",
    "ssh",
    "no-such-service",
  ]);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stdout, "ssh 22/tcp\n");
  assert.match(unknown.stderr, /Unknown service "no-such-service"/);
  assert.equal(await main([]), 2);
  assert.equal(await main(["99999"]), 2);
  assert.equal(await main(["--bogus", "ssh"]), 2);
  assert.equal(await main(["--help"]), 0);
});
