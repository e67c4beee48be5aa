/**
 * What every netkit command shares: argument parsing on `node:util`'s `parseArgs` with `--help`,
 * `--version` and usage errors handled the same way everywhere, and strict number options.
 *
 * Exit codes: `--help` and `--version` print on stdout and give 0; a usage error prints
 * `NAME: MESSAGE` and the usage text on stderr and gives {@linkcode EXIT_USAGE} (2).
 *
 * @module
 */

import type { ParseArgsOptionsConfig } from "node:util";
// node:util's parseArgs, re-implemented: loading node:util would cost every command ~5 ms of
// start-up (see lib/_parse_args.ts).
import { parseArgs } from "./_parse_args.ts";
import { VERSION } from "../internal/version.ts";
import { NetkitError } from "../io/netkit_error.ts";

/** The exit code of a usage error. */
export const EXIT_USAGE = 2;

/** A command was called with arguments it cannot use. Code `USAGE`. */
export class UsageError extends NetkitError {
  /** Builds the error; the message is printed after the command's name. */
  constructor(message: string) {
    super("USAGE", message);
    this.name = "UsageError";
  }
}

/** What {@linkcode parseCommandLine} found. */
export interface ParsedCommandLine {
  /** Option values by name (`string`, `boolean`, or arrays of them for `multiple`). */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** The arguments that are not options. */
  positionals: string[];
}

/** How a command describes itself to {@linkcode parseCommandLine}. */
export interface CommandLineSpec {
  /** The command's name, as users type it (`time-client`). */
  name: string;
  /** The usage text printed for `--help` and after a usage error. */
  usage: string;
  /** The command's options, as `node:util`'s `parseArgs` takes them. */
  options?: ParseArgsOptionsConfig;
  /** The fewest positional arguments accepted. @default {0} */
  minPositionals?: number;
  /** The most positional arguments accepted. @default {Infinity} */
  maxPositionals?: number;
}

/**
 * Parses a command's arguments. `--help` and `--version` are answered here, as are usage errors.
 *
 * @param args The arguments after the command's name.
 * @param spec The command's name, usage text and options.
 * @returns The parsed arguments, or the exit code to return at once (0 after `--help` or
 * `--version`, 2 after a usage error, already reported).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCommandLine } from "@netkit/netkit/cli";
 *
 * const parsed = parseCommandLine(["--port", "13", "x"], {
 *   name: "demo",
 *   usage: "Usage: demo [--port N] NAME",
 *   options: { port: { type: "string" } },
 *   minPositionals: 1,
 * });
 * assert.ok(typeof parsed !== "number"); // a number is the exit code after --help or an error
 * assert.equal(parsed.values.port, "13");
 * assert.deepEqual(parsed.positionals, ["x"]);
 * ```
 */
export function parseCommandLine(
  args: string[],
  spec: CommandLineSpec,
): ParsedCommandLine | number {
  return parsedCommandLine(args, spec);
}

/** {@linkcode parseCommandLine}, compiled with the module (see below). */
const parsedCommandLine = (function parsedCommandLine(
  args: string[],
  spec: CommandLineSpec,
): ParsedCommandLine | number {
  // The usual command line holds operands only: with no argument starting with "-" there is no
  // option, --help or --version to look for, and the parser is not run at all. (It is compiled
  // with its module all the same: a first call compiling it cost `resolve-hostname --nameserver`
  // ~0.5 ms, and a command without options nothing measurable.)
  for (let i = 0; i < args.length; i++) {
    if (args[i]?.startsWith("-")) return parseWithOptions(args, spec);
  }
  const values: ParsedCommandLine["values"] = {};
  for (const [name, option] of Object.entries(spec.options ?? {})) {
    if (option.default !== undefined) values[name] = option.default;
  }
  return countedPositionals(spec, values, args.slice());
}).bind(undefined);

/** {@linkcode parseCommandLine} of a command line with options (or `-` operands). */
const parseWithOptions =
  (function parseWithOptions(args: string[], spec: CommandLineSpec): ParsedCommandLine | number {
    const before = args.includes("--") ? args.slice(0, args.indexOf("--")) : args;
    const shortHelp = !Object.values(spec.options ?? {}).some((option) => option.short === "h");
    if (before.includes("--help") || (shortHelp && before.includes("-h"))) {
      console.log(spec.usage);
      return 0;
    }
    if (before.includes("--version")) {
      console.log(`${spec.name} (netkit) ${VERSION}`);
      return 0;
    }
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(args, spec.options ?? {});
    } catch (error) {
      return reportUsageError(spec, error);
    }
    return countedPositionals(spec, { ...parsed.values }, parsed.positionals);
  }).bind(undefined);

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** The parsed command line, or a usage error for too few or too many operands. */
const countedPositionals = (function countedPositionals(
  spec: CommandLineSpec,
  values: ParsedCommandLine["values"],
  positionals: string[],
): ParsedCommandLine | number {
  const min = spec.minPositionals ?? 0;
  const max = spec.maxPositionals ?? Infinity;
  if (positionals.length < min) return reportUsageError(spec, new UsageError("missing argument"));
  if (positionals.length > max) {
    return reportUsageError(spec, new UsageError(`unexpected argument "${positionals[max]}"`));
  }
  return { values, positionals };
}).bind(undefined);

/**
 * Prints a usage error (`NAME: MESSAGE`, then the usage text) on stderr.
 *
 * @returns {@linkcode EXIT_USAGE}, for the command to return.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EXIT_USAGE, reportUsageError, UsageError } from "@netkit/netkit/cli";
 *
 * // Catch what it prints (a command would let it go to stderr).
 * const printed: unknown[] = [];
 * const consoleError = console.error;
 * console.error = (line: unknown) => void printed.push(line);
 * let code;
 * try {
 *   code = reportUsageError(
 *     { name: "ports", usage: "Usage: ports NAME|PORT..." },
 *     new UsageError('unknown option "-z"'),
 *   );
 * } finally {
 *   console.error = consoleError;
 * }
 * assert.equal(code, EXIT_USAGE);
 * assert.deepEqual(printed, ['ports: unknown option "-z"', "Usage: ports NAME|PORT..."]);
 * ```
 */
export function reportUsageError(
  spec: Pick<CommandLineSpec, "name" | "usage">,
  error: unknown,
): number {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`${spec.name}: ${firstLine(message)}`);
  console.error(spec.usage);
  return EXIT_USAGE;
}

function firstLine(text: string): string {
  const [first = ""] = text.split("\n");
  return first.replace(/\. To specify a positional argument.*$/, "");
}

/**
 * Reads a non-negative number of seconds (`"10"`, `"0.5"`) for options like `--timeout`.
 *
 * @returns Milliseconds.
 * @throws {UsageError} for anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSeconds, UsageError } from "@netkit/netkit/cli";
 *
 * assert.equal(parseSeconds("1.5", "--timeout"), 1500);
 * assert.throws(() => parseSeconds("-1", "--timeout"), UsageError);
 * ```
 */
export function parseSeconds(text: string, option: string): number {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) {
    throw new UsageError(`${option} takes a number of seconds, not "${text}"`);
  }
  return Math.round(Number(text) * 1000);
}

/**
 * Reads a whole number within bounds for options like `--workers` or `-t`.
 *
 * @throws {UsageError} for anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCount, UsageError } from "@netkit/netkit/cli";
 *
 * assert.equal(parseCount("4", "--workers", 1, 64), 4);
 * assert.throws(() => parseCount("65", "--workers", 1, 64), UsageError);
 * ```
 */
export function parseCount(text: string, option: string, min: number, max: number): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${option} takes a whole number from ${min} to ${max}, not "${text}"`);
  }
  return Number(text);
}
