/**
 * Whether a name server that has not answered yet is dead, for the resolver's probe
 * (`_dns_lookup.ts`), apart from it: loaded only when a question has waited
 * `PROBE_DELAY_MS` without an answer, so that a lookup answered sooner does not load it
 * (~0.1 ms of a command's start-up).
 *
 * @module
 */

import type { NameServer } from "./name_server.ts";
import { inetPton } from "../net/inet.ts";

/** The files listing this network namespace's UDP sockets. */
const PROC_UDP_FILES = ["/proc/net/udp", "/proc/net/udp6"] as const;

/** Whether this machine is little-endian: /proc prints each 32-bit word of an address natively. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An address's bytes as /proc/net/udp{,6} prints them: each 4-byte word in native order, hex. */
function procAddress(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 4) {
    const word = Array.from(bytes.subarray(i, i + 4));
    if (LITTLE_ENDIAN) word.reverse();
    text += word.map((b) => b.toString(16).padStart(2, "0")).join("");
  }
  return text.toUpperCase();
}

/**
 * Whether a UDP socket on this host is bound where a loopback server's questions go (its
 * address, or the wildcard, on its port), from /proc/net/udp and udp6; undefined when they
 * cannot be read (another system, no read permission). What glibc learns from ICMP port
 * unreachable, which Deno's UDP sockets do not report.
 */
async function loopbackUdpBound(server: Required<NameServer>): Promise<boolean | undefined> {
  const port = `:${server.port.toString(16).toUpperCase().padStart(4, "0")}`;
  // The unspecified address reaches the loopback one: that is where a server would be bound.
  const hostname = { "0.0.0.0": "127.0.0.1", "::": "::1" }[server.hostname] ?? server.hostname;
  const bytes = inetPton(hostname);
  const wanted = new Set(
    bytes.length === 4
      ? [
        procAddress(bytes) + port,
        "00000000" + port,
        procAddress(new Uint8Array(16)) + port,
        procAddress(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, ...bytes)) + port,
      ]
      : [procAddress(bytes) + port, procAddress(new Uint8Array(16)) + port],
  );
  try {
    for (const path of PROC_UDP_FILES) {
      if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return undefined;
    }
    const tables = await Promise.all(PROC_UDP_FILES.map((path) => Deno.readTextFile(path)));
    for (const table of tables) {
      for (const line of table.split("\n")) {
        // "  12: 3500007F:0035 00000000:0000 07 ...": the local address is the second field.
        const local = line.trim().split(/\s+/)[1];
        if (local !== undefined && wanted.has(local)) return true;
      }
    }
    return false;
  } catch {
    return undefined;
  }
}

/**
 * Whether a server that has not answered yet is dead: a refused TCP connection to its port (RFC
 * 7766 has name servers serve TCP). For the last server of the list, which has no next one to
 * move on to and may serve UDP only and take its time to recurse, only where the host's own
 * sockets tell that nothing serves its UDP port too (a loopback server, {@linkcode
 * loopbackUdpBound}): both checks must agree, since a firewall rule may send the port elsewhere
 * (Docker's 127.0.0.11:53 is forwarded to another port, on both transports).
 */
async function serverIsDead(
  nameServer: Required<NameServer>,
  last: boolean,
  signal: AbortSignal,
): Promise<Deno.errors.ConnectionRefused | undefined> {
  // The resolver probes the last server only where it is a loopback one.
  if (last && await loopbackUdpBound(nameServer) !== false) return undefined;
  try {
    const conn = await Deno.connect({
      hostname: nameServer.hostname,
      port: nameServer.port,
      signal,
    });
    conn.close();
    return undefined;
  } catch (error) {
    // Anything but a refusal (no permission, aborted, unreachable): wait for the UDP answer.
    return error instanceof Deno.errors.ConnectionRefused ? error : undefined;
  }
}

/** A probe of one server under way, and the questions waiting for its outcome. */
interface SharedProbe {
  outcome: Promise<Deno.errors.ConnectionRefused | undefined>;
  waiters: number;
  stop: AbortController;
}

/** The probes under way, by server (and whether it is probed as the last one). */
const probesUnderWay = new Map<string, SharedProbe>();

/**
 * {@linkcode serverIsDead}, one probe at a time for each server: the questions whose answers are
 * late together wait for one probe, as a thousand lookups started at once do, rather than each
 * making its own (a TCP connection each, and for the last server a read of the host's whole UDP
 * socket table, which those questions' own sockets have made long: quadratic work, seconds of
 * it). A question that settles stops waiting (undefined, as when `signal` aborts); the probe is
 * stopped when no question waits for it any more.
 *
 * @param signal Aborted when this question no longer needs the outcome.
 */
export function serverIsDeadShared(
  nameServer: Required<NameServer>,
  last: boolean,
  signal: AbortSignal,
): Promise<Deno.errors.ConnectionRefused | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  const key = `${nameServer.hostname} ${nameServer.port}${last ? " last" : ""}`;
  let probe = probesUnderWay.get(key);
  if (probe === undefined) {
    const stop = new AbortController();
    const started: SharedProbe = {
      outcome: serverIsDead(nameServer, last, stop.signal),
      waiters: 0,
      stop,
    };
    probesUnderWay.set(key, started);
    started.outcome.finally(() => {
      if (probesUnderWay.get(key) === started) probesUnderWay.delete(key);
    });
    probe = started;
  }
  const joined = probe;
  joined.waiters++;
  return new Promise((resolve) => {
    let left = false;
    const leave = (outcome: Deno.errors.ConnectionRefused | undefined) => {
      if (left) return;
      left = true;
      signal.removeEventListener("abort", onAbort);
      if (--joined.waiters === 0) {
        if (probesUnderWay.get(key) === joined) probesUnderWay.delete(key);
        joined.stop.abort();
      }
      resolve(outcome);
    };
    const onAbort = () => leave(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    joined.outcome.then(leave, () => leave(undefined));
  });
}
