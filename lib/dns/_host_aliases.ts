/**
 * The `HOSTALIASES` file of hostname(7), as glibc's res_hostalias reads it: a single-label name
 * its user gave an alias is asked of DNS under the alias, as it is (no search list).
 *
 * @module
 */

import { readParsedConfigFile } from "../internal/config_file.ts";
import { readEnvQuietly } from "./_quietly.ts";

/** The largest aliases file read; a larger one counts as none. */
const MAX_HOST_ALIASES_BYTES = 1 << 20;

/** One line: the name, and its alias (undefined where the line names none). */
type HostAliasLine = [name: string, alias: string | undefined];

/**
 * The lines of an aliases file as glibc reads them: the name is the text up to the line's first
 * blank (empty for a blank or indented line), the alias the next word after it. A last line
 * with no blank at all (no newline either) is not read.
 */
function parseHostAliases(text: string): HostAliasLine[] {
  const lines = text.split("\n");
  const last = lines.pop() ?? "";
  // fgets keeps the newline, which counts as a blank: only the unterminated last line may have none.
  const read = /\s/.test(last) ? [...lines, last] : lines;
  return read.map((line) => {
    const cut = line.search(/\s/);
    const name = cut < 0 ? line : line.slice(0, cut);
    const alias = cut < 0 ? undefined : /^\s*(\S+)/.exec(line.slice(cut + 1))?.[1];
    return [name, alias];
  });
}

/** Two names as glibc's ns_samename compares them: in any case, a final dot or none. */
function sameName(a: string, b: string): boolean {
  return a.replace(/\.$/, "").toLowerCase() === b.replace(/\.$/, "").toLowerCase();
}

/**
 * The alias `HOSTALIASES` gives a name without dots, or undefined: no variable (or one Deno
 * may not read), a file that cannot be read, no line for the name, or a line without an alias
 * (which ends the search, as in glibc).
 *
 * @param name A host name in ASCII, without dots.
 * @returns The alias, without a final dot.
 */
export async function hostAlias(name: string): Promise<string | undefined> {
  const path = readEnvQuietly("HOSTALIASES");
  if (!path) return undefined;
  let lines: HostAliasLine[];
  try {
    lines = await readParsedConfigFile(path, MAX_HOST_ALIASES_BYTES, parseHostAliases, "aliases");
  } catch {
    return undefined; // as glibc, which only tries to open it
  }
  const line = lines.find(([key]) => sameName(key, name));
  return line?.[1]?.replace(/\.$/, "");
}
