/**
 * wget: download files over HTTP and HTTPS, with GNU wget's options and exit codes. The options
 * are in `cmd/_wget/spec.ts`; the work is in `cmd/_wget/command.ts`, loaded once there are URLs to
 * fetch.
 *
 * @module
 */

import { runMain } from "../lib/cli/run_main.ts";
import { parseCommandLine } from "../lib/cli/command_line.ts";
import type { WgetValues } from "./_wget/command.ts";
import { warmUpTls } from "../lib/net/tls_warm_up.ts";
import { needsTls, normaliseArgs, settleDirectoryOptions, SPEC } from "./_wget/spec.ts";

export { usage } from "./_wget/spec.ts";

/** Runs wget; returns GNU wget's exit code. */
export async function main(args: string[]): Promise<number> {
  const normalised = normaliseArgs(args);
  const parsed = parseCommandLine(normalised, SPEC);
  if (typeof parsed === "number") return parsed;
  settleDirectoryOptions(normalised, parsed.values);
  if (parsed.values.background) {
    const { goBackground } = await import("./_wget/background.ts");
    const logGiven = parsed.values["output-file"] !== undefined ||
      parsed.values["append-output"] !== undefined;
    return goBackground(normalised, logGiven, parsed.values.quiet === true);
  }
  // The first TLS handshake of a process pays ~20 ms of one-time set-up: started now, on another
  // thread, it overlaps with loading the modules below.
  const tlsReady = needsTls(parsed.values, parsed.positionals) ? warmUpTls() : undefined;
  try {
    const { runWget } = await import("./_wget/command.ts");
    return await runWget(parsed.values as WgetValues, parsed.positionals, SPEC);
  } finally {
    await tlsReady;
  }
}

if (import.meta.main) await runMain("wget", main);
