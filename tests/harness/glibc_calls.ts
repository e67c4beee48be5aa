/**
 * The lecture's C calls (`gethostbyname`, `gethostbyname2`, `getaddrinfo`, `getnameinfo`) and
 * glibc's source-address step, from a small C program (tests/harness/glibc_calls.c) compiled
 * with gcc at test time: one process makes many calls and prints one JSON object per call.
 *
 * @module
 */

import { ROOT } from "./run.ts";
import { missingPeer } from "./peers.ts";

/** What one call printed (see glibc_calls.c for the fields). */
export interface GlibcCall {
  call: string;
  name: string;
  /** `HOST_NOT_FOUND`, `NO_DATA`, `TRY_AGAIN`, … or `EAI_NONAME`, `EAI_AGAIN`, …. */
  error?: string;
  officialName?: string;
  aliases?: string[];
  family?: 4 | 6;
  addresses?: string[];
  canonicalName?: string | null;
  host?: string;
  source?: string | null;
}

/** Why the program cannot be built here (no gcc), or undefined. */
export function glibcCallsUnavailable(): string | undefined {
  const missing = missingPeer(["gcc"]);
  return missing === undefined ? undefined : `${missing} is not installed`;
}

/** Compiles the program into `dir`; returns its path. */
export async function compileGlibcCalls(dir: string): Promise<string> {
  const path = `${dir}/glibc_calls`;
  const output = await new Deno.Command("gcc", {
    args: ["-O1", "-Wall", "-o", path, `${ROOT}/tests/harness/glibc_calls.c`],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(`gcc failed: ${new TextDecoder().decode(output.stderr).trim()}`);
  }
  return path;
}

/** Parses the program's output: one call a line. */
export function parseGlibcCalls(stdout: string): GlibcCall[] {
  return stdout.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}

/**
 * The kernel's source address for `address` (a UDP socket connected to it: glibc's step), or
 * null where connect fails, at once (a synchronous process, a few milliseconds).
 */
export function kernelSourceAddress(program: string, address: string): string | null {
  const output = new Deno.Command(program, {
    args: ["source", address],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  return parseGlibcCalls(new TextDecoder().decode(output.stdout))[0]?.source ?? null;
}
