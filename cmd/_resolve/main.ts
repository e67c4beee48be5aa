/**
 * What `resolve-hostname` and `resolve-hostname6` need before any lookup -- their usage text and
 * options -- and `resolverMain()`, their body: it answers `--help` and usage errors with only
 * this module loaded, and loads the resolver (`command.ts`: DNS client, hosts file, dialogue)
 * only for real work, so that the commands start fast. (One module, not two: each module a
 * command loads costs ~50-75 microseconds of its start-up.)
 *
 * @module
 */

import { type CommandLineSpec, parseCommandLine } from "../../lib/cli/command_line.ts";
import type { IpFamily } from "../../lib/net/inet.ts";
import type { ResolverCommandIo } from "./command.ts";

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/**
 * Runs `resolve-hostname` (family 4) or `resolve-hostname6` (family 6) with `args`, on the
 * process's streams or those of `io`.
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
 *
 * @example Resolve an address literal, output captured
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolverMain } from "./main.ts";
 *
 * let stdout = "";
 * let stderr = "";
 * const code = await resolverMain(["--hosts-file", "", "127.0.0.1"], 4, {
 *   stdout: { writeSync: (p: Uint8Array) => (stdout += new TextDecoder().decode(p), p.length) },
 *   stderr: { writeSync: (p: Uint8Array) => (stderr += new TextDecoder().decode(p), p.length) },
 * });
 * assert.equal(code, 0);
 * assert.equal(stdout, 'Official name is "127.0.0.1"\nIP Addresses:\n+ 127.0.0.1\n');
 * assert.equal(stderr, "");
 * ```
 */
export const resolverMain = (async function resolverMain(
  args: string[],
  family: IpFamily,
  io: ResolverCommandIo = {},
): Promise<number> {
  const spec = resolverSpec(family);
  const parsed = parseCommandLine(args, spec);
  if (typeof parsed === "number") return parsed;
  const { runParsedResolverCommand } = await import("./command.ts");
  return await runParsedResolverCommand(parsed, spec, family, io);
}).bind(undefined);

/** `DEFAULT_DNS_TIMEOUT_MS` of dns_client.ts in seconds (a test keeps them equal). */
const DEFAULT_TIMEOUT_SECONDS = 5;

/**
 * The usage text of `resolve-hostname` (family 4) or `resolve-hostname6` (family 6).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolverUsage } from "./main.ts";
 *
 * assert.match(resolverUsage(6), /^Usage: resolve-hostname6 /);
 * ```
 */
export const resolverUsage = (function resolverUsage(family: IpFamily): string {
  const name = family === 4 ? "resolve-hostname" : "resolve-hostname6";
  const kind = family === 4 ? "IPv4" : "IPv6";
  return `Usage: ${name} [OPTIONS] [HOST...]
       ${name} [OPTIONS] -x ADDRESS [-x ADDRESS...]

Print the official name and every ${kind} address of each HOST. With no HOST and no -x, ask
for host names one at a time until end of input (Ctrl-D).

  -x, --reverse ADDRESS    print the names of ADDRESS (PTR records) instead
  --nameserver IP[:PORT]   ask this DNS server ([IPv6]:PORT with a port); repeat it
                           for more, asked in order, the next one at once when
                           one refuses; default: the nameserver lines of resolv.conf
  --hosts-file FILE        read FILE instead of /etc/hosts ("" skips the hosts file)
  --timeout SECONDS        give up on each DNS server after this long, for each question,
                           as resolv.conf's timeout: (default ${DEFAULT_TIMEOUT_SECONDS})
  --ahosts                 list both families' addresses, in the order to try them (RFC 6724),
                           as \`getent ahosts\` prints them
  --json                   print one JSON object per line for each name
  --debug                  tell on stderr which sources and name servers were asked, and what
                           each answered
  -h, --help               print this help
  --version                print the version

Exit status: 0 every name resolved, 1 some did not, 2 usage error.`;
}).bind(undefined);

/**
 * The command-line spec of `resolve-hostname` (family 4) or `resolve-hostname6` (family 6).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolverSpec } from "./main.ts";
 *
 * assert.equal(resolverSpec(4).name, "resolve-hostname");
 * ```
 */
export const resolverSpec = (function resolverSpec(family: IpFamily): CommandLineSpec {
  return {
    name: family === 4 ? "resolve-hostname" : "resolve-hostname6",
    usage: resolverUsage(family),
    options: {
      reverse: { type: "string", short: "x", multiple: true },
      nameserver: { type: "string", multiple: true },
      "hosts-file": { type: "string" },
      timeout: { type: "string" },
      json: { type: "boolean" },
      debug: { type: "boolean" },
      ahosts: { type: "boolean" },
    },
  };
}).bind(undefined);
