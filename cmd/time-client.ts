/**
 * `time-client`: the lecture's time client (the lecture: the networking lecture notes netkit
 * implements). Prints the line a daytime server sends.
 *
 * @module
 */

import { parseHostPortArgs } from "../lib/cli/host_port_args.ts";
import { requestDaytime } from "../lib/time/daytime_client.ts";
import { SocketError } from "../lib/net/socket_error.ts";

/** The usage text. */
export const usage = `Usage: time-client HOST PORT [--timeout SECONDS]
       e.g. time-client 127.0.0.1 12345

Print the line a daytime server (RFC 867) sends.

  --timeout SECONDS   give up connecting, or waiting for the line, after this long (default 10)

Exit 0 on success, 1 when the server cannot be reached, 2 for a usage error.`;

/** Runs the client; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseHostPortArgs(args, { name: "time-client", usage });
  if (typeof parsed === "number") return parsed;
  const { host, port, timeoutMs } = parsed;
  let line: string | null;
  try {
    line = await requestDaytime(host, port, { timeoutMs });
  } catch (error) {
    if (!(error instanceof SocketError)) {
      console.error(`time-client: ${(error as Error).message}`);
      return 1;
    }
    console.error("Time server could not be reached.");
    console.error("Aborting");
    return 1;
  }
  if (line === null) {
    console.error("time-client: The server closed the connection without sending the time");
    return 1;
  }
  console.log(line);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
