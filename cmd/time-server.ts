/**
 * `time-server`: the lecture's time server (the lecture: the networking lecture notes netkit
 * implements). Answers each connection with the time (daytime,
 * RFC 867, or time, RFC 868) and closes it.
 *
 * @module
 */

import { runMain } from "../lib/cli/run_main.ts";
import {
  parseCommandLine,
  parseCount,
  parseSeconds,
  reportUsageError,
  UsageError,
} from "../lib/cli/command_line.ts";
import { parsePort } from "../lib/net/socket.ts";
import type { TimeProtocol } from "../lib/time/server.ts";

/** The usage text. */
export const usage = `Usage: time-server [--port 12345] [--host ::] [--concurrency 4]
                   [--protocol daytime|time] [--udp] [--quiet] [--timeout SECONDS]

Answer every TCP connection with the current time (UTC) and close it; with --udp, answer
every UDP datagram with one holding the time instead.

  --port N            listen on port N; 0 picks a free port (default 12345)
  --host ADDRESS      listen on ADDRESS (default ::, IPv4 and IPv6)
  --concurrency N     serve at most N connections at once (default 4)
  --protocol NAME     daytime: a line like "Tue Nov 24 01:08:48 2026" (RFC 867, default);
                      time: 4 bytes, seconds since 1900 (RFC 868)
  --udp               serve over UDP instead of TCP (RFCs 867 and 868 define both)
  --quiet             do not log each connection on stderr
  --timeout SECONDS   close a connection not answered within this long (default 5)

Prints "Server listening on port N." once ready. SIGINT or SIGTERM stops it: no more
connections are accepted, those in flight finish, exit 0. Exit 1 when it cannot listen,
2 for a usage error.`;

const spec = {
  name: "time-server",
  usage,
  options: {
    port: { type: "string", default: "12345" },
    host: { type: "string" },
    concurrency: { type: "string", default: "4" },
    protocol: { type: "string", default: "daytime" },
    quiet: { type: "boolean", default: false },
    udp: { type: "boolean", default: false },
    timeout: { type: "string", default: "5" },
  },
  maxPositionals: 0,
} as const;

/** Runs the server until SIGINT or SIGTERM; returns the exit code. */
export async function main(args: string[], signal?: AbortSignal): Promise<number> {
  const parsed = parseCommandLine(args, spec);
  if (typeof parsed === "number") return parsed;
  const values = parsed.values as Record<string, string | boolean>;
  let port: number, concurrency: number, timeoutMs: number;
  const protocol = values.protocol as TimeProtocol;
  try {
    try {
      port = parsePort(values.port as string, { allowZero: true });
    } catch (error) {
      throw new UsageError(`--port: ${(error as Error).message}`);
    }
    concurrency = parseCount(values.concurrency as string, "--concurrency", 1, 65536);
    timeoutMs = parseSeconds(values.timeout as string, "--timeout");
    if (timeoutMs <= 0) throw new UsageError("--timeout takes more than 0 seconds");
    if (protocol !== "daytime" && protocol !== "time") {
      throw new UsageError(`--protocol takes "daytime" or "time", not "${protocol}"`);
    }
  } catch (error) {
    return reportUsageError(spec, error);
  }

  const { runTimeServer } = await import("./_time_server/command.ts");
  return await runTimeServer({
    port,
    hostname: values.host as string | undefined,
    protocol,
    concurrency,
    timeoutMs,
    quiet: values.quiet === true,
    udp: values.udp === true,
    signal,
  });
}

if (import.meta.main) await runMain("time-server", main);
