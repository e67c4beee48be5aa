/**
 * `telnet`: a line-mode TCP client. Typed (or piped) lines go to the server with CR LF, the
 * server's bytes are printed as they come, telnet option requests are refused.
 *
 * @module
 */

import { parseHostPortArgs } from "../lib/cli/host_port_args.ts";
import { createClientSocket } from "../lib/net/socket.ts";
import { SocketError } from "../lib/net/socket_error.ts";
import { runTelnetSession } from "../lib/telnet/session.ts";

/** The usage text. */
export const usage = `Usage: telnet HOST PORT [--timeout SECONDS]
       e.g. printf 'PING\\r\\n' | telnet 127.0.0.1 6379

Connect to HOST:PORT. Each line read from stdin is sent with CR LF; what the server sends is
printed on stdout as it arrives. At the end of stdin the sending side is closed and the
server's answer is still printed until it closes. Telnet option requests are refused and never
printed; other bytes pass through untouched.

  --timeout SECONDS   give up connecting after this long (default 10)

Exit 0 once the server has closed the connection ("Connection closed by foreign host." on
stderr), 1 when it cannot be reached or the connection fails, 2 for a usage error.`;

/** Runs the session; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseHostPortArgs(args, { name: "telnet", usage });
  if (typeof parsed === "number") return parsed;
  const { host, port, timeoutMs } = parsed;
  try {
    const conn = await createClientSocket(host, port, { timeoutMs });
    await runTelnetSession(conn, { input: Deno.stdin.readable, output: Deno.stdout, host, port });
  } catch (error) {
    if (error instanceof Deno.errors.BrokenPipe) return 0; // stdout closed, e.g. `| head -1`
    if (!(error instanceof SocketError)) throw error;
    console.error(`telnet: ${error.message}`);
    return 1;
  }
  console.error("Connection closed by foreign host.");
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
