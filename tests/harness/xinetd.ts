/**
 * xinetd for tests: its built-in services (daytime, time, echo) or a program of its own (telnetd),
 * on one free port of 127.0.0.1, from a configuration written for the test.
 *
 * @module
 */

import { freePort, startPeer, tempDir } from "./peers.ts";

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
 * Starts xinetd in the foreground with `services` on a free port, once it serves: its TCP port
 * accepts, or (UDP only, which cannot be probed by connecting) its log says it started.
 */
export async function startXinetd(services: XinetdService[]): Promise<Xinetd> {
  const dir = await tempDir();
  try {
    const port = freePort();
    const config = `${dir.path}/xinetd.conf`;
    const log = `${dir.path}/xinetd.log`;
    await Deno.writeTextFile(config, xinetdConfig(services, port));
    const probe = services.some((service) => service.socketType === "stream") ? port : undefined;
    const xinetd = await startPeer([
      "xinetd",
      ...["-dontfork", "-f", config, "-filelog", log, "-pidfile", `${dir.path}/xinetd.pid`],
    ], probe);
    for (let waited = 0; probe === undefined; waited += 25) {
      if ((await Deno.readTextFile(log).catch(() => "")).includes("Started working")) break;
      if (waited > 10_000) {
        await xinetd[Symbol.asyncDispose]();
        throw new Error("xinetd did not start within 10 s");
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
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
