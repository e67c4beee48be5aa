/**
 * The runtime's ceiling: the least a Deno daytime server can do. Accept, write a fixed line,
 * close; no pool, no clock, no logging. `deno run -A bench/_deno_accept_loop.ts [PORT]`
 *
 * @module
 */

const listener = Deno.listen({ hostname: "127.0.0.1", port: Number(Deno.args[0] ?? 0) });
console.log(`Server listening on port ${listener.addr.port}.`);
const line = new TextEncoder().encode("Tue Nov 24 01:08:48 2026\n");
const close = (conn: Deno.Conn) => {
  try {
    conn.close();
  } catch {
    // Reset by the peer.
  }
};
for await (const conn of listener) {
  conn.write(line).then(() => close(conn), () => close(conn));
}
