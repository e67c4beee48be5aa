/**
 * Loopback addresses of a test's own, for servers that must sit on a fixed port: a DNS server on
 * port 53, since resolv.conf cannot name a port.
 *
 * Every address is drawn at random from 127.100.0.0 to 127.227.255.254 (over eight million; the
 * fixed addresses of tests and benchmarks stay below 127.100). The test files of one run share a
 * process (`deno test --parallel` runs them as workers: one `Deno.pid`), and other runs go on
 * beside it on the same machine, so an address made from the pid and a second octet picked by
 * hand collides as soon as two files pick the same octet, or two runs' pids differ in the last
 * bit only; a random draw needs no such bookkeeping. A dead server's address (one nobody
 * answers on) is drawn the same way.
 *
 * @module
 */

/** The first second octet of the drawn addresses; fixed addresses of tests stay below. */
const FIRST_OCTET = 100;
/** How many second octets the draws take. */
const OCTETS = 128;

/**
 * A random loopback address in 127.100.0.0–127.227.255.254 (no `.0` or `.255` last part).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loopbackAddress } from "./loopback_address.ts";
 *
 * assert.match(loopbackAddress(), /^127\.(1\d\d|2[0-2]\d)\.\d+\.\d+$/);
 * ```
 */
export function loopbackAddress(): string {
  const [a = 0, b = 0, c = 0] = crypto.getRandomValues(new Uint8Array(3));
  return `127.${FIRST_OCTET + (a % OCTETS)}.${b}.${1 + (c % 254)}`;
}

/**
 * `count` distinct random loopback addresses ({@linkcode loopbackAddress}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loopbackAddresses } from "./loopback_address.ts";
 *
 * assert.equal(new Set(loopbackAddresses(3)).size, 3);
 * ```
 */
export function loopbackAddresses(count: number): string[] {
  const addresses = new Set<string>();
  while (addresses.size < count) addresses.add(loopbackAddress());
  return [...addresses];
}

/** How long an address and port may stay taken after the socket's close ({@linkcode bindFixedPort}). */
const FREED_WITHIN_MS = 10_000;
/** The pause between two tries of {@linkcode bindFixedPort}. */
const RETRY_EVERY_MS = 10;

/**
 * Runs `bind` (a listen on a fixed address and port, `where`: `ADDRESS:PORT`), again while it fails
 * with `AddrInUse`, for up to ten seconds; then the error says who holds the address (`ss`).
 *
 * A socket closed in one test file can stay bound for a moment after its close: the files of a
 * parallel run are workers of one process, and a child that another worker spawns (getent, wget,
 * netkit) starts as a copy of the whole process, every open socket included, until it runs its
 * program (close-on-exec). Binding the same address and port again at once then fails with
 * `AddrInUse`, in a parallel run only (measured: 28 of 15,500 immediate rebinds of one UDP port
 * while another worker spawned `true` in a loop; none alone). The wait is that window, a few
 * milliseconds even under load; it blocks this worker only (`Atomics.wait`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bindFixedPort } from "./loopback_address.ts";
 *
 * using listener = bindFixedPort("127.0.0.1:0", () => Deno.listen({ hostname: "127.0.0.1", port: 0 }));
 * assert.ok(listener.addr.port > 0);
 * ```
 */
export function bindFixedPort<T>(where: string, bind: () => T): T {
  const until = performance.now() + FREED_WITHIN_MS;
  while (true) {
    try {
      return bind();
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
      if (performance.now() > until) {
        throw new Deno.errors.AddrInUse(
          `${where} is still taken after ${FREED_WITHIN_MS / 1000} s; held by:\n${holders(where)}`,
          { cause: error },
        );
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RETRY_EVERY_MS);
    }
  }
}

/** The sockets bound to `where` (`ADDRESS:PORT`) as `ss` lists them, with their processes. */
function holders(where: string): string {
  try {
    const { stdout } = new Deno.Command("ss", { args: ["-Hanp"], stdout: "piped", stderr: "null" })
      .outputSync();
    const lines = new TextDecoder().decode(stdout).split("\n")
      .filter((line) => line.split(/\s+/)[4] === where);
    return lines.join("\n") || "(nothing now)";
  } catch (error) {
    return `(ss failed: ${error})`;
  }
}
