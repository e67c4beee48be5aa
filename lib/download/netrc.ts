/**
 * The `.netrc` file that GNU wget, curl and ftp read for credentials: `machine NAME login USER
 * password PASS`, a `default` entry for any other host, `macdef` blocks skipped.
 *
 * @module
 */

/** Credentials for one host. */
export interface NetrcCredentials {
  /** The `login` value. */
  username: string;
  /** The `password` value (`""` when the entry has none). */
  password: string;
}

/**
 * Parses `.netrc` text into a lookup by host name: the first `machine` entry that names the
 * host, else the `default` entry (as curl takes it; GNU wget does not for HTTP: pass
 * `useDefault: false`), else undefined.
 *
 * @param text The file's contents.
 * @param options Whether the `default` entry counts.
 * @returns A function from host name to credentials.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseNetrc } from "@netkit/netkit/download";
 *
 * const lookup = parseNetrc("machine a.test login u password p\ndefault login anon password x");
 * assert.deepEqual(lookup("a.test"), { username: "u", password: "p" });
 * assert.deepEqual(lookup("b.test"), { username: "anon", password: "x" });
 * const asWget = parseNetrc("default login anon password x", { useDefault: false });
 * assert.equal(asWget("b.test"), undefined);
 * ```
 */
export function parseNetrc(
  text: string,
  options: { useDefault?: boolean } = {},
): (host: string) => NetrcCredentials | undefined {
  const machines = new Map<string, NetrcCredentials>();
  let fallback: NetrcCredentials | undefined;
  const lines = text.split("\n");
  const tokens: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim().startsWith("#")) continue;
    const words = line.trim().split(/\s+/).filter(Boolean);
    const macro = words.indexOf("macdef");
    if (macro >= 0) {
      tokens.push(...words.slice(0, macro));
      // A macro's body runs to the next blank line.
      while (i + 1 < lines.length && (lines[i + 1] ?? "").trim() !== "") i++;
      continue;
    }
    tokens.push(...words);
  }
  let current: { host?: string; entry: NetrcCredentials } | undefined;
  const finish = () => {
    if (!current) return;
    if (current.host === undefined) fallback ??= current.entry;
    else if (!machines.has(current.host)) machines.set(current.host, current.entry);
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === "machine" || token === "default") {
      finish();
      const entry = { username: "", password: "" };
      current = token === "machine"
        ? { host: (tokens[++i] ?? "").toLowerCase(), entry }
        : { entry };
    } else if (current && (token === "login" || token === "user")) {
      current.entry.username = tokens[++i] ?? "";
    } else if (current && (token === "password" || token === "passwd")) {
      current.entry.password = tokens[++i] ?? "";
    } else if (token === "account") {
      i++;
    }
  }
  finish();
  const useDefault = options.useDefault ?? true;
  return (host) => machines.get(host.toLowerCase()) ?? (useDefault ? fallback : undefined);
}
