/**
 * wget: download files over HTTP and HTTPS, with GNU wget's options and exit codes. The command
 * line is read as GNU Wget 1.21.3 reads it, in `cmd/_wget/command_line.ts` (loaded only when an
 * argument starts with `-`); the work is in `cmd/_wget/command.ts`, loaded once there are URLs to
 * fetch.
 *
 * @module
 */

import { runMain } from "../lib/cli/run_main.ts";
import type { WgetValues } from "./_wget/command.ts";
import { warmUpTls } from "../lib/net/tls_warm_up.ts";
import { needsTls } from "./_wget/spec.ts";

export { usage } from "./_wget/spec.ts";

/** Runs wget; returns GNU wget's exit code. */
export async function main(args: string[]): Promise<number> {
  // The usual command line holds URLs only: no option to read, and the reader is not loaded.
  const parsed = args.some((arg) => arg.startsWith("-"))
    ? (await import("./_wget/command_line.ts")).parseWgetCommandLine(args)
    : { values: {}, positionals: args.slice(), optionsEnd: args.length, wgetrcs: undefined };
  if (typeof parsed === "number") return parsed;
  const values = parsed.values as WgetValues & { background?: boolean };
  if (values.background) {
    const { goBackground } = await import("./_wget/background.ts");
    const logGiven = values["output-file"] !== undefined || values["append-output"] !== undefined;
    return goBackground(args, parsed.optionsEnd, logGiven, values.quiet === true);
  }
  // The first TLS handshake of a process pays ~20 ms of one-time set-up: started now, on another
  // thread, it overlaps with loading the modules below.
  const tlsReady = needsTls(values, parsed.positionals) ? warmUpTls() : undefined;
  try {
    const { runWget } = await import("./_wget/command.ts");
    // The .wgetrc files the command-line reader read (else runWget reads them).
    return await runWget(values, parsed.positionals, parsed.wgetrcs);
  } finally {
    await tlsReady;
  }
}

if (import.meta.main) await runMain("wget", main);
