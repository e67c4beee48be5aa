import assert from "node:assert/strict";
import { WELL_KNOWN_SERVICES } from "../../../lib/net/_well_known_services.ts";
import { lookupService, parseServices } from "../../../lib/net/services.ts";
import { tempDir } from "../../harness/peers.ts";

Deno.test("parseServices() reads names, ports, protocols and aliases, skipping garbage", () => {
  const text = [
    "# comment",
    "smtp\t\t25/tcp\t\tmail # Simple Mail",
    "domain 53/udp",
    "bad 70000/tcp",
    "bad2 25",
    "bad3 x/tcp",
    "lonely",
    "\0\xff 1/tcp",
    "sctp-thing 9/SCTP alias1 alias2\r",
  ].join("\n");
  assert.deepEqual(parseServices(text), [
    { name: "smtp", port: 25, protocol: "tcp", aliases: ["mail"] },
    { name: "domain", port: 53, protocol: "udp", aliases: [] },
    { name: "\0\xff", port: 1, protocol: "tcp", aliases: [] },
    { name: "sctp-thing", port: 9, protocol: "sctp", aliases: ["alias1", "alias2"] },
  ]);
});

Deno.test("the embedded table holds the lecture's well-known ports", () => {
  const entries = parseServices(WELL_KNOWN_SERVICES);
  const port = (name: string) => entries.find((e) => e.name === name)?.port;
  assert.equal(port("ssh"), 22);
  assert.equal(port("smtp"), 25);
  assert.equal(port("submission"), 587);
  assert.equal(port("domain"), 53);
  assert.equal(port("ipp"), 631);
  assert.equal(port("http"), 80);
  assert.equal(port("https"), 443);
  assert.ok(entries.length > 50);
});

Deno.test("lookupService() finds by name, alias and number, in a given file", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/services`;
  await Deno.writeTextFile(path, "smtp 25/tcp mail\nmyproto 4242/tcp\nmyproto 4242/udp\n");
  assert.deepEqual(await lookupService("MAIL", { servicesFile: path }), {
    entries: [{ name: "smtp", port: 25, protocol: "tcp", aliases: ["mail"] }],
    source: path,
  });
  assert.equal((await lookupService("4242", { servicesFile: path })).entries.length, 2);
  assert.equal(
    (await lookupService("myproto", { servicesFile: path, protocol: "UDP" })).entries[0]?.protocol,
    "udp",
  );
  assert.deepEqual((await lookupService("ssh", { servicesFile: path })).entries, []);
});

Deno.test("lookupService() falls back to the embedded table when the file is missing", async () => {
  const found = await lookupService("53", { servicesFile: "/nonexistent/services" });
  assert.equal(found.source, "embedded");
  assert.deepEqual(found.entries.map((e) => `${e.name} ${e.port}/${e.protocol}`), [
    "domain 53/tcp",
    "domain 53/udp",
  ]);
});

Deno.test("lookupService() rejects queries that cannot be services", async () => {
  await assert.rejects(lookupService(""), SyntaxError);
  await assert.rejects(lookupService("a b"), SyntaxError);
  await assert.rejects(lookupService("65536"), RangeError);
  await assert.rejects(lookupService("0000080"), RangeError);
});
