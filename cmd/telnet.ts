/**
 * `telnet`: a TCP client. On a terminal it is a telnet client (character mode, the server's
 * echo, terminal type and size, an escape prompt); on a pipe it sends each line with CR LF and
 * prints what comes back; with `--raw` it passes every byte unchanged, like `nc`.
 *
 * @module
 */

import { classifyOutputError, reportOutputError, runMain } from "../lib/cli/run_main.ts";
import {
  parseCommandLine,
  parseSeconds,
  reportUsageError,
  UsageError,
} from "../lib/cli/command_line.ts";
import { createClientSocket, parsePort } from "../lib/net/socket.ts";
import { MissingPermissionError } from "../lib/io/missing_permission_error.ts";
import { SocketError } from "../lib/net/socket_error.ts";
import type { TelnetSessionMode } from "../lib/telnet/session.ts";

/** The usage text. */
export const usage = `Usage: telnet [-l USER] [-e CHAR | -E] [--raw] [--timeout SECONDS] HOST [PORT]
       e.g. printf 'PING\\r\\n' | telnet 127.0.0.1 6379

Connect to HOST:PORT (PORT a number or a service name such as http; default 23, telnet).

On a terminal, telnet is a telnet client: it prints "Trying ADDRESS...", "Connected to HOST."
and "Escape character is '^]'.", accepts the server's echo and goes to character mode (the
terminal raw, every key sent as typed, Ctrl-C included), sends the terminal type ($TERM) and
the window size (again on resize), and USER for -l. The escape character opens a "telnet>"
prompt: quit, close, send ip|ao|ayt|brk|eof|..., status, mode line|character, z, ?.

On a pipe, each line read from stdin is sent with CR LF; what the server sends is printed on
stdout as it arrives. At the end of stdin the sending side is closed and the server's answer is
still printed until it closes. Telnet option requests are refused and never printed.

Telnet or not: on port 23 the server's bytes are telnet; on any other port they are telnet
only when the server's first byte is IAC (a telnet server negotiates first), and otherwise
passed through untouched (HTTP, Redis, binary). --raw passes every byte both ways unchanged.

  -l USER             on a terminal, log in as USER (sent as NEW-ENVIRON USER)
  -e CHAR             the escape character: a character, or ^X for Ctrl-X (default ^])
  -E                  no escape character
  --raw               no telnet at all, no CR LF added: bytes pass unchanged both ways
  --timeout SECONDS   give up connecting after this long (default 10)

Exit 0 once the server has closed the connection ("Connection closed by foreign host." on
stderr) or after quit, 1 when it cannot be reached or the connection fails (or SIGTERM or
SIGHUP ended it), 2 for a usage error, 3 when stdout cannot be written (one line on stderr;
a closed pipe, as with | head, is quiet).`;

const spec = {
  name: "telnet",
  usage,
  options: {
    login: { type: "string", short: "l" },
    escape: { type: "string", short: "e" },
    "no-escape": { type: "boolean", short: "E", default: false },
    raw: { type: "boolean", default: false },
    timeout: { type: "string", default: "10" },
  },
  minPositionals: 1,
  maxPositionals: 2,
} as const;

/**
 * Reads `-e`'s value: one character, `^X` for a control character, `^?` for DEL.
 *
 * @throws {UsageError} for anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseEscapeCharacter } from "./telnet.ts";
 *
 * assert.equal(parseEscapeCharacter("^]"), 0x1d);
 * ```
 */
export function parseEscapeCharacter(text: string): number {
  if (text.length === 2 && text[0] === "^") {
    const c = text.charAt(1).toUpperCase();
    if (c === "?") return 0x7f;
    const code = c.charCodeAt(0);
    if (code >= 0x40 && code <= 0x5f) return code - 0x40;
  }
  if (text.length === 1 && text.charCodeAt(0) < 0x80) return text.charCodeAt(0);
  throw new UsageError(`-e takes one character or ^X, not "${text}"`);
}

/** Reads the port: a number, or a service name from the services file. */
async function resolvePort(text: string): Promise<number> {
  if (/^[0-9]+$/.test(text)) return parsePort(text);
  const { lookupService } = await import("../lib/net/services.ts");
  let entries;
  try {
    ({ entries } = await lookupService(text, { protocol: "tcp" }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [entry] = entries;
  if (entry === undefined) throw new UsageError(`unknown service "${text}"`);
  return entry.port;
}

/**
 * Whether `host` is an address written as it will be printed (a dotted quad, an IPv6 literal):
 * then "Trying ADDRESS..." comes before connecting; otherwise it names the address connected to.
 */
function isPlainAddress(host: string): boolean {
  return /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(host) || host.includes(":");
}

/** Runs the session; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, spec);
  if (typeof parsed === "number") return parsed;
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const [host = "", portText = "23"] = parsed.positionals; // parseCommandLine checked there is one
  let port: number, timeoutMs: number, escape: number | null;
  try {
    port = await resolvePort(portText);
    timeoutMs = parseSeconds(values.timeout as string, "--timeout");
    if (timeoutMs <= 0) throw new UsageError("--timeout takes more than 0 seconds");
    escape = values["no-escape"] ? null : parseEscapeCharacter((values.escape as string) ?? "^]");
    if (values.raw && values.login !== undefined) {
      throw new UsageError("-l needs telnet, not --raw");
    }
  } catch (error) {
    return reportUsageError(spec, error);
  }
  const mode: TelnetSessionMode = values.raw ? "raw" : port === 23 ? "telnet" : "auto";
  const terminal = mode !== "raw" && Deno.stdin.isTerminal();
  const say = (line: string) => {
    if (terminal) console.log(line);
  };

  const bareHost = host.replace(/^\[(.*)\]$/, "$1");
  let conn: Deno.TcpConn;
  try {
    if (isPlainAddress(bareHost)) say(`Trying ${bareHost}...`);
    conn = await createClientSocket(host, port, { connectTimeoutMs: timeoutMs });
    if (!isPlainAddress(bareHost)) say(`Trying ${(conn.remoteAddr as Deno.NetAddr).hostname}...`);
  } catch (error) {
    if (!(error instanceof SocketError || error instanceof MissingPermissionError)) throw error;
    console.error(`telnet: ${error.message}`);
    return 1;
  }

  if (terminal) {
    say(`Connected to ${bareHost}.`);
    const { runTerminalSession, showCharacter } = await import("./_telnet/terminal.ts");
    say(`Escape character is '${showCharacter(escape)}'.`);
    return await runTerminalSession(conn, {
      host: bareHost,
      escape,
      user: values.login as string | undefined,
      mode: mode as "telnet" | "auto",
    });
  }

  const { runTelnetSession } = await import("../lib/telnet/session.ts");
  try {
    await runTelnetSession(conn, {
      input: Deno.stdin.readable,
      output: Deno.stdout,
      host,
      port,
      mode,
    });
  } catch (error) {
    // stdout closed (`| head -1`: quiet, 0) or full (`> /dev/full`: one line, 3), as lib/cli says.
    if (classifyOutputError(error) !== null) return reportOutputError("telnet", error);
    if (!(error instanceof SocketError || error instanceof MissingPermissionError)) throw error;
    console.error(`telnet: ${error.message}`);
    return 1;
  }
  console.error("Connection closed by foreign host.");
  return 0;
}

if (import.meta.main) await runMain("telnet", main);
