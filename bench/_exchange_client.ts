/**
 * One contender of `bench/http_exchange.ts`: GETs every URL of a list in turn through a netkit
 * checkout's `sendHttpRequest` on one pooled connection, each body copied with `copyBodyTo` into
 * a sink that drops it (`write` and `writeSync`, as the recursion's file sink offers): the
 * client's whole way through an exchange and nothing else, no files, no links.
 *
 * Run: `deno run -A bench/_exchange_client.ts CHECKOUT LIST`.
 *
 * @module
 */

const [checkout, list] = Deno.args;
if (checkout === undefined || list === undefined) {
  throw new Error("usage: _exchange_client.ts CHECKOUT LIST");
}
const { sendHttpRequest } = await import(`${checkout}/lib/http/client.ts`);
const { HttpConnectionPool } = await import(`${checkout}/lib/http/pool.ts`);
const urls = Deno.readTextFileSync(list).split("\n").filter((line) => line !== "");
await using pool = new HttpConnectionPool();
const sink = {
  write: (p: Uint8Array) => Promise.resolve(p.length),
  writeSync: (p: Uint8Array) => p.length,
};
let bytes = 0;
for (const url of urls) {
  const response = await sendHttpRequest(url, {
    pool,
    headers: [["Accept-Encoding", "identity"]],
  });
  bytes += await response.copyBodyTo(sink);
}
if (bytes === 0) throw new Error("No body bytes came");
