/**
 * `ports`: the well-known port of a service, or the service on a port, from `/etc/services`
 * (or the embedded table of common IANA ports when that file is missing).
 *
 * @module
 */

import { runMain } from "../lib/cli/run_main.ts";
import { parseCommandLine, reportUsageError } from "../lib/cli/command_line.ts";
import { loadServiceTable, lookupService, type ServiceEntry } from "../lib/net/services.ts";

/** The usage text. */
export const usage = `Usage: ports [OPTIONS] NAME|NUMBER...

Print the name, port number and protocol of each service, looked up by name (or alias) or by
port number in /etc/services; where that file is missing, in an embedded table of the common
IANA well-known ports.

  -p, --protocol PROTO   only this protocol (tcp, udp, \u2026)
  --services FILE        read FILE instead of /etc/services
  --json                 print one JSON object per line for each query
  -h, --help             print this help
  --version              print the version

Exit status: 0 every service found, 1 some were not, 2 usage error.

Examples:
  ports ssh          ssh 22/tcp
  ports 53           domain 53/tcp, domain 53/udp`;

function formatEntry(entry: ServiceEntry): string {
  const also = entry.aliases.length > 0 ? ` (also ${entry.aliases.join(", ")})` : "";
  return `${entry.name} ${entry.port}/${entry.protocol}${also}`;
}

/** Runs the command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const spec = {
    name: "ports",
    usage,
    options: {
      protocol: { type: "string", short: "p" },
      services: { type: "string" },
      json: { type: "boolean" },
    },
    minPositionals: 1,
  } as const;
  const parsed = parseCommandLine(args, spec);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  const table = await loadServiceTable(values.services as string | undefined);
  if (values.services !== undefined && table.source === "embedded") {
    console.error(`ports: Cannot read "${values.services}"; using the embedded table`);
  }
  const options = { table, protocol: values.protocol as string | undefined };
  let missing = 0;
  for (const query of positionals) {
    let found;
    try {
      found = await lookupService(query, options);
    } catch (error) {
      return reportUsageError(spec, error);
    }
    if (values.json) {
      console.log(JSON.stringify({ query, source: found.source, services: found.entries }));
    }
    if (found.entries.length === 0) {
      missing++;
      console.error(`ports: Unknown service "${query}"`);
      continue;
    }
    if (!values.json) { for (const entry of found.entries) console.log(formatEntry(entry)); }
  }
  return missing === 0 ? 0 : 1;
}

if (import.meta.main) await runMain("ports", main);
