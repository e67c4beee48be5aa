/**
 * The inside of a comparison that counts the questions a name server sees: run in the mount
 * namespace that holds the test's resolv.conf (tests/harness/etc_namespace.ts), it makes netkit's
 * lookups one after another in one process, and before each asks the test's server about a
 * marker name of its own (`mark-N.probe`, straight to the server, no search list), so that the
 * server's log of questions can be cut into each lookup's share ({@linkcode splitAtMarks}). The
 * glibc side does the same with tests/harness/glibc_calls.c, a `gai:4:- mark-N.probe.` call
 * before each.
 *
 * Usage: `deno run -A tests/harness/marked_lookups_probe.ts SERVER CALL NAME [CALL NAME...]`,
 * where SERVER is the name server's address (port 53) and CALL one of `host4`, `host6`
 * (resolveHost), `lookup0`, `lookup4` (lookupAddresses), `ahosts` (resolve-hostname --ahosts's
 * output), `connect:PORT` (createClientSocket, then an HTTP GET: the answer's first line). It
 * prints one JSON object a line ({@linkcode MarkedLookup}).
 *
 * @module
 */

import { resolverMain } from "../../cmd/_resolve/main.ts";
import { queryDns } from "../../lib/dns/client.ts";
import { DNS_TYPE } from "../../lib/dns/message.ts";
import { lookupAddresses, resolveHost } from "../../lib/dns/resolver.ts";
import { createClientSocket } from "../../lib/net/socket.ts";

/** What one call gave: its answer, or its error's class name and kind. */
export interface MarkedLookup {
  call: string;
  name: string;
  officialName?: string;
  aliases?: string[];
  canonicalName?: string;
  addresses?: string[];
  /** `ahosts`: what resolve-hostname printed, and its exit code. */
  stdout?: string;
  code?: number;
  /** `connect:PORT`: the HTTP answer's status line. */
  status?: string;
  error?: string;
  failure?: string;
}

/** The marker name asked before call `index`. */
export function markName(index: number): string {
  return `mark-${index}.probe`;
}

/**
 * Cuts a server's log of question names (lower case, in arrival order) at the marker names:
 * the questions of each call, by its index (what came before the first marker is dropped).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitAtMarks } from "./marked_lookups_probe.ts";
 *
 * const log = ["mark-0.probe", "A x.test", "mark-1.probe", "A y.test", "AAAA y.test"];
 * const calls = splitAtMarks(log, (entry) => entry);
 * assert.deepEqual(calls, [["A x.test"], ["A y.test", "AAAA y.test"]]);
 * ```
 */
export function splitAtMarks<T>(log: T[], nameOf: (entry: T) => string): T[][] {
  const calls: T[][] = [];
  for (const entry of log) {
    const mark = /^mark-(\d+)\.probe$/.exec(nameOf(entry));
    if (mark) calls[Number(mark[1])] = [];
    else calls.at(-1)?.push(entry);
  }
  return calls;
}

const decoder = new TextDecoder();

async function call(kind: string, name: string): Promise<MarkedLookup> {
  try {
    if (kind === "host4" || kind === "host6") {
      const entry = await resolveHost(name, { family: kind === "host4" ? 4 : 6 });
      return {
        call: kind,
        name,
        officialName: entry.officialName,
        aliases: entry.aliases,
        addresses: entry.addresses,
      };
    }
    if (kind === "lookup0" || kind === "lookup4") {
      const found = await lookupAddresses(name, { family: kind === "lookup0" ? 0 : 4 });
      return {
        call: kind,
        name,
        canonicalName: found.canonicalName,
        addresses: found.addresses.map(({ address }) => address),
      };
    }
    if (kind === "ahosts") {
      let stdout = "";
      const code = await resolverMain(["--ahosts", "--", name], 4, {
        stdout: {
          writeSync(p: Uint8Array) {
            stdout += decoder.decode(p);
            return p.length;
          },
        },
        stderr: { writeSync: (p: Uint8Array) => p.length },
      });
      return { call: kind, name, stdout, code };
    }
    const port = /^connect:(\d+)$/.exec(kind)?.[1];
    if (port === undefined) throw new TypeError(`Unknown call ${kind}`);
    using conn = await createClientSocket(name, Number(port));
    await conn.write(new TextEncoder().encode(`GET / HTTP/1.0\r\nHost: ${name}\r\n\r\n`));
    const buffer = new Uint8Array(4096);
    const read = await conn.read(buffer);
    const status = decoder.decode(buffer.subarray(0, read ?? 0)).split("\r\n")[0];
    return { call: kind, name, ...(status === undefined ? {} : { status }) };
  } catch (error) {
    const failure = (error as { failure?: unknown }).failure;
    return {
      call: kind,
      name,
      error: (error as Error).name,
      ...(typeof failure === "string" ? { failure } : {}),
    };
  }
}

if (import.meta.main) {
  const [server, ...rest] = Deno.args;
  if (server === undefined) {
    throw new TypeError("Usage: marked_lookups_probe.ts SERVER CALL NAME…");
  }
  for (let i = 0; i + 1 < rest.length; i += 2) {
    // The marker: straight to the server, answered or not (NXDOMAIN), over UDP.
    await queryDns(markName(i / 2), DNS_TYPE.A, {
      nameServer: { hostname: server, port: 53 },
      timeoutMs: 2000,
    }).catch(() => {});
    console.log(JSON.stringify(await call(rest[i]!, rest[i + 1]!)));
  }
}
