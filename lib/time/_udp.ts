/**
 * One UDP exchange for the time clients: send one datagram to a server, wait for the first
 * datagram back from that address and port, within a deadline. `node:dgram`, which needs no
 * unstable flag, loaded on first use.
 *
 * @module
 */

import type * as NodeDgram from "node:dgram";
import { MissingPermissionError } from "../io/missing_permission_error.ts";
import { formatHostPort } from "../net/host_port.ts";
import { classifySocketError, SocketError, type SocketFailure } from "../net/socket_error.ts";

// A computed specifier (as lib/dns/client.ts does): a literal `import("node:dgram")` would put
// Node's compatibility layer in the graph Deno loads at start-up, for every time-client run.
const NODE_DGRAM = "node:dgram";

/** The failure of a `node:dgram` error, whose lookup errors carry a code and no Deno class. */
function classify(error: unknown): SocketFailure {
  const code = (error as { code?: unknown }).code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") return "not-found";
  return classifySocketError(error);
}

/**
 * Throws a {@linkcode MissingPermissionError} unless Deno lets this process bind a UDP socket to
 * `address:port`. Checked before binding: `node:dgram` reports a refused bind as an uncaught
 * error that no caller could catch (as lib/dns/client.ts checks its own binds).
 */
export function requireUdpBind(address: string, port: number, step: string): void {
  const host = formatHostPort(address, port);
  let state: Deno.PermissionState;
  try {
    state = Deno.permissions.querySync({ name: "net", host }).state;
  } catch {
    return; // No answer: the bind decides.
  }
  if (state !== "granted") throw new MissingPermissionError({ kind: "net", target: host }, step);
}

/** Whether two address texts name one address (`::ffff:127.0.0.1` is `127.0.0.1`). */
function sameAddress(a: string, b: string): boolean {
  const plain = (text: string) => text.toLowerCase().replace(/^::ffff:(?=[0-9.]+$)/, "");
  return plain(a) === plain(b);
}

/**
 * Sends `payload` to `host:port` and resolves with the first datagram that comes back from it.
 *
 * @throws {SocketError} step `resolve` (name not found), `write`, or `read` with failure
 * `timed-out` when nothing came back within `timeoutMs`, `aborted` when `signal` aborted.
 * @throws {MissingPermissionError} when Deno's permissions do not reach the socket's bind.
 */
export async function exchangeDatagram(
  host: string,
  port: number,
  payload: Uint8Array,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<Uint8Array> {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  // Sending binds the family's wildcard address, port 0.
  requireUdpBind(bare.includes(":") ? "::" : "0.0.0.0", 0, "asking over UDP");
  const { default: dgram }: { default: typeof NodeDgram } = await import(NODE_DGRAM);
  const socket = dgram.createSocket(bare.includes(":") ? "udp6" : "udp4");
  const isLiteral = bare.includes(":") || /^[0-9.]+$/.test(bare);
  return await new Promise<Uint8Array>((resolve, reject) => {
    let done = false;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      try {
        socket.close(settle);
      } catch {
        settle();
      }
    };
    const fail = (
      step: "resolve" | "read" | "write",
      failure: SocketFailure,
      cause?: unknown,
    ) => finish(() => reject(new SocketError({ step, host: bare, port, failure, cause })));
    const onAbort = () => fail("read", "aborted", options.signal?.reason);
    const timer = setTimeout(() => fail("read", "timed-out"), options.timeoutMs);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.signal?.aborted) return onAbort();
    socket.on("error", (error: Error) => {
      const failure = classify(error);
      fail(failure === "not-found" ? "resolve" : "read", failure, error);
    });
    socket.on("message", (packet: Uint8Array, from: { address: string; port: number }) => {
      // Not the server's answer: another port, or (for an address literal) another address.
      if (from.port !== port || (isLiteral && !sameAddress(from.address, bare))) return;
      const bytes = new Uint8Array(packet.buffer, packet.byteOffset, packet.byteLength).slice();
      finish(() => resolve(bytes));
    });
    socket.send(payload, port, bare, (error: Error | null) => {
      if (!error) return;
      const failure = classify(error);
      fail(failure === "not-found" ? "resolve" : "write", failure, error);
    });
  });
}
