/**
 * `resolverMain()`, the body of `resolve-hostname` and `resolve-hostname6`: it answers `--help`
 * and usage errors with only the spec (`spec.ts`) loaded, and loads the resolver (`command.ts`:
 * DNS client, hosts file, dialogue) only for real work, so that the commands start fast.
 *
 * @module
 */

import { parseCommandLine } from "../../lib/cli/command_line.ts";
import type { IpFamily } from "../../lib/net/inet.ts";
import { resolverSpec } from "./spec.ts";

/**
 * Runs `resolve-hostname` (family 4) or `resolve-hostname6` (family 6) on the process's streams.
 *
 * @returns The exit code: 0 every name resolved, 1 some did not, 2 usage error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolverMain } from "./main.ts";
 *
 * assert.equal(await resolverMain(["--version"], 4), 0);
 * ```
 */
export async function resolverMain(args: string[], family: IpFamily): Promise<number> {
  const parsed = parseCommandLine(args, resolverSpec(family));
  if (typeof parsed === "number") return parsed;
  const { runParsedResolverCommand } = await import("./command.ts");
  return await runParsedResolverCommand(parsed, family);
}
