/**
 * Least-privilege runs: a fixture started under `--allow-net=127.0.0.1:PORT` and nothing else
 * tries what the grant does not reach, and reports, per attempt, the error it got.
 *
 * @module
 */

import { NetkitError } from "../../lib/io/netkit_error.ts";
import { run } from "./run.ts";

/** What a fixture reports for one attempt: "allowed", or the error's kind. */
export type AttemptOutcome = "allowed" | {
  name: string;
  code: string | undefined;
  flag: string | undefined;
  netkit: boolean;
  notCapable: boolean;
};

/** Inside a fixture: makes each attempt, in order, and prints the outcomes as one JSON line. */
export async function reportAttempts(attempts: Record<string, () => Promise<unknown>>) {
  const result: Record<string, AttemptOutcome> = {};
  for (const [label, attempt] of Object.entries(attempts)) {
    try {
      await attempt();
      result[label] = "allowed";
    } catch (error) {
      const { name, code, flag } = error as { name: string; code?: string; flag?: string };
      result[label] = {
        name,
        code,
        flag,
        netkit: error instanceof NetkitError,
        notCapable: error instanceof Deno.errors.NotCapable,
      };
    }
  }
  console.log(JSON.stringify(result));
}

/** The outcome of an attempt refused for want of `--allow-net=TARGET`. */
export function refusedNet(target: string): AttemptOutcome {
  return {
    name: "MissingPermissionError",
    code: "MISSING_PERMISSION",
    flag: `--allow-net=${target}`,
    netkit: true,
    notCapable: true,
  };
}

/**
 * Runs `tests/fixtures/NAME` with `--allow-net=127.0.0.1:PORT` alone (PORT a port free at the
 * time, also passed as the fixture's argument) and returns the port and what the fixture printed.
 */
export async function runWithNetGrant(
  fixture: string,
): Promise<{ port: number; outcomes: Record<string, AttemptOutcome> }> {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const script = new URL(`../fixtures/${fixture}`, import.meta.url).pathname;
  const { code, stdout, stderr } = await run(Deno.execPath(), [
    "run",
    "--no-prompt",
    `--allow-net=127.0.0.1:${port}`,
    script,
    String(port),
  ]);
  if (code !== 0) throw new Error(`${fixture} exited with ${code}: ${stderr}`);
  return { port, outcomes: JSON.parse(stdout) };
}
