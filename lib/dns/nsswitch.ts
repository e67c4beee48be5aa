/**
 * The `hosts:` line of `/etc/nsswitch.conf`: which sources answer host names, in which order, and
 * when a lookup stops. netkit's resolver serves the `files` (hosts file) and `dns` sources, and
 * of `myhostname` the localhost names, the host's own and `_gateway`; other sources
 * (`mdns4_minimal`, `resolve`, ...) are skipped as unavailable.
 *
 * @module
 */

import { readParsedConfigFile } from "../internal/config_file.ts";
import { withPermissionNamed } from "./_permission_named.ts";

/** The file read by default. */
export const NSSWITCH_CONF_FILE = "/etc/nsswitch.conf";
const MAX_NSSWITCH_BYTES = 1 << 20;

/** A source's outcome, as nsswitch.conf names it. */
export type NssStatus = "success" | "notfound" | "unavail" | "tryagain";

/** One source of the `hosts:` line and what ends the lookup after it. */
export interface NssSource {
  /** The service, e.g. `files` or `dns`. */
  name: string;
  /** The outcomes after which the lookup stops (`[NOTFOUND=return]`, `[!UNAVAIL=return]`). */
  returnOn: ReadonlySet<NssStatus>;
}

/**
 * The sources when the file or its `hosts:` line is missing: `files dns`, as glibc 2.36 does
 * (checked with getent: a name in both the hosts file and DNS answers from the file).
 */
export const DEFAULT_HOSTS_SOURCES: readonly NssSource[] = [
  { name: "files", returnOn: new Set(["success"]) },
  { name: "dns", returnOn: new Set(["success"]) },
];

const STATUSES: readonly NssStatus[] = ["success", "notfound", "unavail", "tryagain"];

function parseActions(text: string, returnOn: Set<NssStatus>): void {
  for (const item of text.split(/\s+/).filter((word) => word !== "")) {
    const match = /^(!?)([a-zA-Z]+)=([a-zA-Z]+)$/.exec(item);
    if (!match) continue;
    const [, negate = "", statusText = "", actionText = ""] = match;
    const status = statusText.toLowerCase() as NssStatus;
    if (!STATUSES.includes(status)) continue;
    const action = actionText.toLowerCase();
    const affected = negate === "!" ? STATUSES.filter((s) => s !== status) : [status];
    for (const s of affected) {
      if (action === "return") returnOn.add(s);
      else if (action === "continue") returnOn.delete(s);
    }
  }
}

/**
 * Parses the `hosts:` line of nsswitch.conf text.
 *
 * @param text The file's content.
 * @returns The sources in order; {@linkcode DEFAULT_HOSTS_SOURCES} when there is no `hosts:`
 * line or it names none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHostsSources } from "@netkit/netkit/dns";
 *
 * const sources = parseHostsSources("hosts: dns [NOTFOUND=return] files\n");
 * assert.deepEqual(sources.map((s) => s.name), ["dns", "files"]);
 * assert.equal(sources[0]?.returnOn.has("notfound"), true);
 * ```
 */
export function parseHostsSources(text: string): NssSource[] {
  for (const rawLine of text.split("\n")) {
    const line = rawLine.replace(/#.*/, "");
    const match = /^\s*hosts\s*:(.*)$/.exec(line);
    if (!match) continue;
    const sources: NssSource[] = [];
    for (const token of (match[1] ?? "").matchAll(/\[([^\]]*)\]|([^\s[]+)/g)) {
      const actions = token[1];
      const name = token[2];
      if (name !== undefined) {
        sources.push({ name: name.toLowerCase(), returnOn: new Set<NssStatus>(["success"]) });
      } else if (actions !== undefined) {
        const last = sources[sources.length - 1];
        if (last) parseActions(actions, last.returnOn as Set<NssStatus>);
      }
    }
    return sources.length > 0 ? sources : [...DEFAULT_HOSTS_SOURCES];
  }
  return [...DEFAULT_HOSTS_SOURCES];
}

/**
 * Reads the `hosts:` sources of the system.
 *
 * @param path The file; a missing (or oversized) one gives {@linkcode DEFAULT_HOSTS_SOURCES}.
 * @throws {MissingPermissionError} when Deno's permissions refuse to read the file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readHostsSources } from "@netkit/netkit/dns";
 *
 * const sources = await readHostsSources("/nonexistent/nsswitch.conf");
 * assert.deepEqual(sources.map((s) => s.name), ["files", "dns"]);
 * ```
 */
export async function readHostsSources(path: string = NSSWITCH_CONF_FILE): Promise<NssSource[]> {
  try {
    return await readParsedConfigFile(path, MAX_NSSWITCH_BYTES, parseHostsSources, "nsswitch");
  } catch (error) {
    // No file (or an absurd one): the default order. A file Deno may not read is no missing file.
    if (error instanceof Deno.errors.NotCapable) {
      throw await withPermissionNamed(error, "reading the name service order", {
        kind: "read",
        target: path,
      });
    }
    return [...DEFAULT_HOSTS_SOURCES];
  }
}
