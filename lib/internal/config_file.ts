/**
 * What the system's line-based files (`/etc/hosts`, `/etc/services`) share: a bounded read, and
 * lines split into whitespace-separated fields with `#` comments removed.
 *
 * @module
 */

import { readFull } from "./read_full.ts";

/** Reads a whole text file, refusing one over `maxBytes` rather than holding it in memory. */
export async function readConfigFile(path: string, maxBytes: number): Promise<string> {
  using file = await Deno.open(path);
  const { size } = await file.stat();
  if (size > maxBytes) {
    throw new RangeError(`File "${path}" is ${size} bytes, more than ${maxBytes}`);
  }
  return new TextDecoder().decode(await readFull(file, new Uint8Array(size)));
}

/** The fields of each line that has any, comments (`#` to the end of the line) removed. */
export function configLines(text: string): string[][] {
  const lines: string[][] = [];
  for (const rawLine of text.split("\n")) {
    const hash = rawLine.indexOf("#");
    const line = hash >= 0 ? rawLine.slice(0, hash) : rawLine;
    const fields = line.split(/[ \t\r\f\v]+/).filter((field) => field !== "");
    if (fields.length > 0) lines.push(fields);
  }
  return lines;
}
