/**
 * `time-client`: the lecture's time client (the lecture: the networking lecture notes netkit
 * implements). Prints the line a daytime server sends, or the time a time (RFC 868) server sends
 * as the same `%c` line, over TCP or UDP.
 *
 * @module
 */

import { runMain } from "../lib/cli/run_main.ts";
import {
  parseCommandLine,
  parseSeconds,
  reportUsageError,
  UsageError,
} from "../lib/cli/command_line.ts";
import { parsePort } from "../lib/net/socket.ts";
import { formatHostPort } from "../lib/net/host_port.ts";
import { SocketError } from "../lib/net/socket_error.ts";

/** The usage text. */
export const usage =
  `Usage: time-client HOST PORT [--protocol daytime|time] [--udp] [--timeout SECONDS]
       e.g. time-client 127.0.0.1 12345

Print the line a daytime server (RFC 867) sends, or, with --protocol time, the time a time
server (RFC 868) sends, as a line like "Tue Nov 24 01:08:48 2026" (UTC).

  --protocol NAME     daytime (default) or time
  --udp               ask over UDP (one datagram each way) instead of TCP
  --timeout SECONDS   give up connecting, or waiting for the answer, after this long (default 10)

On failure it prints why (cannot resolve the name, connection refused, timed out after N s,
closed without sending the time), then "Time server could not be reached." and "Aborting".
Exit 0 on success, 1 when the time could not be had, 2 for a usage error.`;

const spec = {
  name: "time-client",
  usage,
  options: {
    protocol: { type: "string", default: "daytime" },
    udp: { type: "boolean", default: false },
    timeout: { type: "string", default: "10" },
  },
  minPositionals: 2,
  maxPositionals: 2,
} as const;

/** Why the time could not be had, in one line. */
function describeFailure(error: unknown, host: string, port: number, timeoutMs: number): string {
  const where = `"${formatHostPort(host, port)}"`;
  if (!(error instanceof SocketError)) return (error as Error).message;
  if (error.failure === "not-found") return `Cannot resolve "${host}": host not found`;
  if (error.failure === "timed-out") {
    const after = `timed out after ${timeoutMs / 1000} s`;
    return error.step === "connect"
      ? `Cannot connect to ${where}: ${after}`
      : `No answer from ${where}: ${after}`;
  }
  return error.message;
}

/** Runs the client; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, spec);
  if (typeof parsed === "number") return parsed;
  const values = parsed.values as Record<string, string | boolean>;
  const [host = "", portText = ""] = parsed.positionals; // parseCommandLine checked there are two
  let port: number, timeoutMs: number;
  const protocol = values.protocol as string;
  try {
    port = parsePort(portText);
    timeoutMs = parseSeconds(values.timeout as string, "--timeout");
    if (timeoutMs <= 0) throw new UsageError("--timeout takes more than 0 seconds");
    if (protocol !== "daytime" && protocol !== "time") {
      throw new UsageError(`--protocol takes "daytime" or "time", not "${protocol}"`);
    }
  } catch (error) {
    return reportUsageError(spec, error);
  }
  const transport = values.udp ? "udp" : "tcp";

  let line: string | null;
  try {
    if (protocol === "daytime") {
      const { requestDaytime } = await import("../lib/time/daytime_client.ts");
      line = await requestDaytime(host, port, { timeoutMs, transport });
    } else {
      const { requestRfc868Time } = await import("../lib/time/time_client.ts");
      const { formatCTime } = await import("../lib/time/ctime.ts");
      const date = await requestRfc868Time(host, port, { timeoutMs, transport });
      line = date === null ? null : formatCTime(date);
    }
  } catch (error) {
    console.error(`time-client: ${describeFailure(error, host, port, timeoutMs)}`);
    console.error("Time server could not be reached.");
    console.error("Aborting");
    return 1;
  }
  if (line === null) {
    const where = formatHostPort(host, port);
    console.error(`time-client: "${where}" closed the connection without sending the time`);
    console.error("Time server could not be reached.");
    console.error("Aborting");
    return 1;
  }
  console.log(line);
  return 0;
}

if (import.meta.main) await runMain("time-client", main);
