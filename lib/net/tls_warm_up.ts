/**
 * The one-time cost of a process's first TLS handshake, paid early on another thread.
 *
 * Deno's TLS (rustls on AWS-LC) seeds AWS-LC's random generator the first time a process draws
 * randomness from it, and AWS-LC gathers CPU jitter entropy for that seed: about 20 ms of CPU on
 * the thread that asks, once per process (measured here: the first `Deno.startTls` handshake 21-22
 * ms, every later one ~1.1 ms, whether or not `caCerts` are given and with either
 * `DENO_TLS_CA_STORE`; the root store is not the cost). WebCrypto's elliptic-curve key generation
 * draws from the same generator, and Deno runs it on its blocking thread pool: started as a
 * program begins, the seeding overlaps with module loading and the TCP connect, and the first
 * handshake then costs ~2.5 ms on the main thread.
 *
 * @module
 */

/**
 * Starts the TLS stack's one-time random-generator seeding on a background thread, for a program
 * that will open a TLS connection soon. Calling it again (or after a handshake) costs a fraction
 * of a millisecond.
 *
 * @returns A promise that settles once the seeding is done; it never rejects. Await it before the
 * program (or test) ends, so that no operation is left pending.
 *
 * @example Warm up, then connect
 * ```ts
 * import assert from "node:assert/strict";
 * import { warmUpTls } from "@netkit/netkit/net";
 *
 * const ready = warmUpTls();
 * // ... load modules, parse arguments, resolve and connect meanwhile ...
 * assert.equal(await ready, undefined);
 * ```
 */
export function warmUpTls(): Promise<void> {
  // P-256 key generation: the cheapest WebCrypto call that draws from AWS-LC's generator.
  return crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"])
    .then(() => {}, () => {});
}
