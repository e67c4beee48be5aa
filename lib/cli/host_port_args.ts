/**
 * The command line shared by the clients that take `HOST PORT [--timeout SECONDS]`
 * (time-client, telnet), parsed and checked in one place.
 *
 * @module
 */

import { parseCommandLine, parseSeconds, reportUsageError, UsageError } from "./command_line.ts";
import { parsePort } from "../net/socket.ts";

/** What {@linkcode parseHostPortArgs} found. */
export interface HostPortArgs {
  /** The host as typed. */
  host: string;
  /** The checked port, 1 to 65535. */
  port: number;
  /** `--timeout` in milliseconds (10 s when not given). */
  timeoutMs: number;
}

/**
 * Parses `HOST PORT [--timeout SECONDS]`, answering `--help`, `--version` and usage errors as
 * {@linkcode parseCommandLine} does.
 *
 * @param args The arguments after the command's name.
 * @param spec The command's name and usage text.
 * @returns The parsed arguments, or the exit code to return at once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHostPortArgs } from "@netkit/netkit/cli";
 *
 * const parsed = parseHostPortArgs(["::1", "13", "--timeout", "2"], { name: "demo", usage: "" });
 * assert.ok(typeof parsed !== "number");
 * assert.equal(parsed.port, 13);
 * assert.equal(parsed.timeoutMs, 2000);
 * ```
 */
export function parseHostPortArgs(
  args: string[],
  spec: { name: string; usage: string },
): HostPortArgs | number {
  const fullSpec = {
    ...spec,
    options: { timeout: { type: "string", default: "10" } },
    minPositionals: 2,
    maxPositionals: 2,
  } as const;
  const parsed = parseCommandLine(args, fullSpec);
  if (typeof parsed === "number") return parsed;
  const [host, portText] = parsed.positionals;
  try {
    // parseCommandLine() checked minPositionals above.
    if (host === undefined || portText === undefined) {
      throw new UsageError("Expected HOST and PORT");
    }
    const port = parsePort(portText);
    const timeoutMs = parseSeconds(parsed.values.timeout as string, "--timeout");
    if (timeoutMs <= 0) throw new UsageError("--timeout takes more than 0 seconds");
    return { host, port, timeoutMs };
  } catch (error) {
    return reportUsageError(fullSpec, error);
  }
}
