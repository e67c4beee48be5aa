/**
 * xinetd for tests: its built-in services (daytime, time, echo) or a program of its own (telnetd),
 * on one free port of 127.0.0.1, from a configuration written for the test.
 *
 * @module
 */

import { holdFreePort, PeerExitedError, retryPeerStart, startPeer, tempDir } from "./peers.ts";

/** One `service` block of xinetd's configuration. */
export interface XinetdService {
  /** The service's name, as in /etc/services: `daytime`, `time`, `echo`, `telnet`. */
  name: string;
  /** TCP (`stream`, one process per connection) or UDP (`dgram`, `wait = yes`). */
  socketType: "stream" | "dgram";
  /** The program xinetd starts for each connection, as `user`; absent: xinetd's built-in one. */
  server?: { path: string; user: string };
}

/** xinetd listening on `port` of 127.0.0.1; disposing it stops it and removes its files. */
export interface Xinetd extends AsyncDisposable {
  port: number;
}

/** The configuration of `services`, all on `port` of 127.0.0.1. */
function xinetdConfig(services: XinetdService[], port: number): string {
  const blocks = services.map(({ name, socketType, server }) => {
    const udp = socketType === "dgram";
    const how = server
      ? ["type = UNLISTED", `user = ${server.user}`, `server = ${server.path}`]
      : ["type = INTERNAL UNLISTED", `id = ${name}-${socketType}`];
    return [
      `service ${name}`,
      "{",
      ...[
        ...how,
        `socket_type = ${socketType}`,
        `protocol = ${udp ? "udp" : "tcp"}`,
        `wait = ${udp ? "yes" : "no"}`,
        `port = ${port}`,
        "bind = 127.0.0.1",
        "disable = no",
      ].map((line) => `  ${line}`),
      "}",
    ].join("\n");
  });
  return `defaults\n{\n}\n${blocks.join("\n")}\n`;
}

/**
 * Starts xinetd in the foreground with `services` on a port found free, once its log says it
 * serves every one of them. A port found free can be taken before xinetd binds it, and xinetd
 * then keeps running with the services it could bind ("Started working: 0 available services"):
 * it is stopped and started again on another port ({@linkcode retryPeerStart}).
 */
export function startXinetd(services: XinetdService[]): Promise<Xinetd> {
  return retryPeerStart(() => startXinetdOnce(services));
}

/** {@linkcode startXinetd}'s one try, on one port; {@linkcode PeerExitedError} if it was taken. */
async function startXinetdOnce(services: XinetdService[]): Promise<Xinetd> {
  const dir = await tempDir();
  try {
    // Held until xinetd has bound it (holdFreePort): no bind to port 0 is given it meanwhile.
    using held = holdFreePort();
    const port = held.port;
    const config = `${dir.path}/xinetd.conf`;
    const log = `${dir.path}/xinetd.log`;
    await Deno.writeTextFile(config, xinetdConfig(services, port));
    const xinetd = await startPeer([
      "xinetd",
      ...["-dontfork", "-f", config, "-filelog", log, "-pidfile", `${dir.path}/xinetd.pid`],
    ]);
    try {
      const available = await availableServices(log, xinetd.child);
      if (available !== services.length) {
        throw new PeerExitedError(
          `xinetd serves ${available} of ${services.length} services on port ${port} (taken)`,
        );
      }
    } catch (error) {
      await xinetd[Symbol.asyncDispose]();
      throw error;
    }
    return {
      port,
      async [Symbol.asyncDispose]() {
        await xinetd[Symbol.asyncDispose]();
        await dir[Symbol.asyncDispose]();
      },
    };
  } catch (error) {
    await dir[Symbol.asyncDispose]();
    throw error;
  }
}

/**
 * How many services xinetd's log at `log` says it started, once it says so ("Started working: N
 * available services", written after every bind was tried), waiting up to 30 s; throws
 * {@linkcode PeerExitedError} if `child` ends first.
 */
async function availableServices(log: string, child: Deno.ChildProcess): Promise<number> {
  let ended = false;
  child.status.then(() => ended = true, () => {});
  for (let waited = 0; waited <= 30_000; waited += 25) {
    if (ended) throw new PeerExitedError("xinetd ended before it started working");
    const text = await Deno.readTextFile(log).catch(() => "");
    const started = text.match(/Started working: (\d+) available service/);
    if (started) return Number(started[1]);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("xinetd did not start within 30 s");
}
