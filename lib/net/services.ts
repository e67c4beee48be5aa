/**
 * The services database (`/etc/services`, services(5)): which well-known port a service name
 * stands for and back, as `getservbyname` / `getservbyport` answer. When the file is missing (a
 * minimal container), an embedded table of the common IANA well-known ports answers instead.
 *
 * @module
 */

import { configLines, readConfigFile } from "../internal/config_file.ts";
import { quoteForMessage } from "../internal/quote.ts";

/** The system's services file. */
export const SERVICES_FILE_PATH = "/etc/services";
/** The largest services file read. */
export const MAX_SERVICES_FILE_BYTES = 4 * 1024 * 1024;

/** One line of a services file. */
export interface ServiceEntry {
  /** The official service name (`smtp`). */
  name: string;
  /** The port, 0 to 65535. */
  port: number;
  /** The protocol (`tcp`, `udp`, `sctp`, ...). */
  protocol: string;
  /** Other names (`mail`). */
  aliases: string[];
}

/**
 * Parses the text of a services file: `NAME PORT/PROTOCOL [ALIAS...] [# comment]`. Lines that do
 * not fit are skipped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseServices } from "@netkit/netkit/net";
 *
 * const entries = parseServices("smtp\t\t25/tcp\t\tmail\t# Simple Mail Transfer\nbad line\n");
 * assert.deepEqual(entries, [{ name: "smtp", port: 25, protocol: "tcp", aliases: ["mail"] }]);
 * ```
 */
export function parseServices(text: string): ServiceEntry[] {
  const entries: ServiceEntry[] = [];
  for (const fields of configLines(text)) {
    const [name, portAndProtocol, ...aliases] = fields;
    if (name === undefined || portAndProtocol === undefined) continue;
    const match = /^([0-9]{1,5})\/([A-Za-z0-9-]+)$/.exec(portAndProtocol);
    const protocol = match?.[2];
    if (!match || protocol === undefined || Number(match[1]) > 65535) continue;
    entries.push({
      name,
      port: Number(match[1]),
      protocol: protocol.toLowerCase(),
      aliases,
    });
  }
  return entries;
}

/** Options of {@linkcode lookupService}. */
export interface LookupServiceOptions {
  /** The services file; when it cannot be read, the embedded table. @default {"/etc/services"} */
  servicesFile?: string;
  /** Only this protocol (`tcp`, `udp`). */
  protocol?: string | undefined;
  /** A table already loaded with {@linkcode loadServiceTable}; `servicesFile` is then unused. */
  table?: ServiceTable;
}

/** What {@linkcode lookupService} found, and where. */
export interface ServiceLookup {
  /** The matching lines, in file order; empty when the service is unknown. */
  entries: ServiceEntry[];
  /** The file read, or `"embedded"` when the embedded table answered. */
  source: string;
}

/** A parsed services table and where it came from; {@linkcode loadServiceTable} makes one. */
export interface ServiceTable {
  /** Every line of the table, in file order. */
  entries: ServiceEntry[];
  /** The file read, or `"embedded"` when the embedded table stood in. */
  source: string;
}

/**
 * Reads and parses a services file once, for callers that look up several services; a missing,
 * unreadable or oversized file gives the embedded table.
 *
 * @param path The services file. @default {"/etc/services"}
 *
 * @example Several lookups, one read
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadServiceTable, lookupService } from "@netkit/netkit/net";
 *
 * const table = await loadServiceTable("/nonexistent");
 * const ssh = await lookupService("ssh", { table });
 * const smtp = await lookupService("25", { table });
 * assert.equal(ssh.entries[0]?.port, 22);
 * assert.equal(smtp.entries[0]?.name, "smtp");
 * ```
 */
export async function loadServiceTable(path: string = SERVICES_FILE_PATH): Promise<ServiceTable> {
  try {
    const text = await readConfigFile(path, MAX_SERVICES_FILE_BYTES);
    return { entries: parseServices(text), source: path };
  } catch {
    // Missing, unreadable or too large: the embedded table.
  }
  const { WELL_KNOWN_SERVICES } = await import("./_well_known_services.ts");
  return { entries: parseServices(WELL_KNOWN_SERVICES), source: "embedded" };
}

/**
 * Finds a service by name or alias (any case), or by port number.
 *
 * @param query A name (`smtp`, `mail`) or a port (`25`).
 * @returns The matching entries (one per protocol) and where they came from.
 * @throws {RangeError} for a number above 65535; {SyntaxError} for an empty or spaced query.
 *
 * @example From the embedded table
 * ```ts
 * import assert from "node:assert/strict";
 * import { lookupService } from "@netkit/netkit/net";
 *
 * const { entries, source } = await lookupService("ssh", { servicesFile: "/nonexistent" });
 * assert.equal(source, "embedded");
 * assert.equal(entries[0]?.port, 22);
 * ```
 */
export async function lookupService(
  query: string,
  options: LookupServiceOptions = {},
): Promise<ServiceLookup> {
  if (query === "" || /\s/.test(query)) {
    throw new SyntaxError(`Invalid service name ${quoteForMessage(query)}`);
  }
  let port: number | undefined;
  if (/^[0-9]+$/.test(query)) {
    port = Number(query);
    if (query.length > 5 || port > 65535) {
      throw new RangeError(`Invalid port ${quoteForMessage(query)}: expected 0 to 65535`);
    }
  }
  const { entries, source } = options.table ?? await loadServiceTable(options.servicesFile);
  const wanted = query.toLowerCase();
  const protocol = options.protocol?.toLowerCase();
  const matches = entries.filter((entry) =>
    (protocol === undefined || entry.protocol === protocol) &&
    (port !== undefined ? entry.port === port : entry.name.toLowerCase() === wanted ||
      entry.aliases.some((alias) => alias.toLowerCase() === wanted))
  );
  return { entries: matches, source };
}
