/**
 * The shared body of `resolve-hostname` and `resolve-hostname6`: the lecture's dialogue (the
 * lecture: the networking lecture notes netkit implements; the dialogue: a welcome line,
 * `Enter a host name: ` until end of input, the official name and one `+ ADDRESS` line per
 * address), host arguments, `--json` and `-x ADDRESS` reverse lookups; the failure sentences
 * that say what went wrong are in `failure.ts`, loaded after a failed lookup only.
 *
 * Unlike the rest of `lib/`, this module talks to the user, through the writers it is given, so
 * that the two commands stay one-liners.
 *
 * @module
 */

import {
  type CommandLineSpec,
  type ParsedCommandLine,
  parseSeconds,
  reportUsageError,
  UsageError,
} from "../../lib/cli/command_line.ts";
import { toUnicodeHostName } from "../../lib/dns/host_name.ts";
import type { IpFamily } from "../../lib/net/inet.ts";
import type { Outcome } from "./failure.ts";
import {
  type HostEntry,
  lookupAddresses,
  resolveAddress,
  resolveHost,
  type ResolveOptions,
  type ResolveStep,
} from "../../lib/dns/resolver.ts";
import type { SocketStream } from "../../lib/net/socket_stream.ts";
// The resolver's own imports, named here too so that Deno fetches them with this module's first
// level: a module first named a level deeper is fetched only once the level above it is compiled.
// main.ts's `import("./command.ts")` loads four levels without them, three with them (private
// `_quietly.ts` stays last): ~0.85 ms less for every `resolve-hostname NAME` (bench/README.md).
// Nothing here is used by name.
import "../../lib/dns/hosts_file.ts";
import "../../lib/dns/nsswitch.ts";
import "../../lib/dns/invalid_host_name_error.ts";
import "../../lib/internal/config_file.ts";
import "../../lib/internal/quote.ts";
import "../../lib/net/inet.ts";

/** Where the command reads and writes; the process's streams by default. */
export interface ResolverCommandIo {
  /** Host names typed by the user. */
  stdin?: ReadableStream<Uint8Array>;
  /** Results and the dialogue. */
  stdout?: { writeSync(p: Uint8Array): number };
  /** Errors. */
  stderr?: { writeSync(p: Uint8Array): number };
}

const encoder = new TextEncoder();

const writeText =
  (function writeText(out: { writeSync(p: Uint8Array): number }, text: string): void {
    const bytes = encoder.encode(text);
    let offset = 0;
    while (offset < bytes.length) offset += out.writeSync(bytes.subarray(offset));
  }).bind(undefined);

/**
 * One line of `--debug`: a source and its outcome, or a question and its answer (`rcodeName`
 * from `codes.ts`, loaded for `--debug` only: a hosts-file answer needs no DNS code).
 */
function describeStep(step: ResolveStep, rcodeName: (rcode: number) => string): string {
  if (step.step === "source") return `source ${step.source}: ${step.outcome}`;
  const outcome = step.rcode !== undefined ? rcodeName(step.rcode) : `no answer (${step.error})`;
  return `asked ${step.server} for ${step.type} ${step.name}: ${outcome}`;
}

/** Reads and drops bytes up to the next LF; false when the input ends first. */
async function skipRestOfLine(input: SocketStream): Promise<boolean> {
  const byte = new Uint8Array(1);
  while (true) {
    const n = await input.readSome(byte);
    if (n === null) return false;
    if (n === 1 && byte[0] === 0x0a) return true;
  }
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/**
 * The lecture's lines for an entry, as its C program prints a `struct hostent`: the addresses
 * without a scope (`fe80::1`, not `fe80::1%2`), which a hostent cannot carry (`--json` keeps it).
 */
const formatEntry = (function formatEntry(entry: HostEntry, family: IpFamily): string {
  const heading = family === 4 ? "IP Addresses:" : "IPv6 Addresses:";
  const lines = [`Official name is "${entry.officialName}"`, heading];
  for (const address of entry.addresses) {
    const scope = address.indexOf("%");
    lines.push(`+ ${scope < 0 ? address : address.slice(0, scope)}`);
  }
  return lines.join("\n") + "\n";
}).bind(undefined);

const lookUp = (async function lookUp(
  query: string,
  family: IpFamily,
  options: ResolveOptions,
): Promise<Outcome> {
  try {
    const entry = await resolveHost(query, { ...options, family });
    return {
      ok: true,
      text: formatEntry(entry, family),
      json: { query, ...entry },
    };
  } catch (error) {
    return (await import("./failure.ts")).describeFailure(query, error, family, false);
  }
}).bind(undefined);

/**
 * Both families, as `getent ahosts` prints them: STREAM, DGRAM and RAW lines per address, the
 * canonical name in Unicode (getent asks getaddrinfo for AI_CANONIDN), one family on a host of
 * one (AI_ADDRCONFIG). getaddrinfo sorts its list of each address three times, once per socket
 * type, and RFC 6724's rules, no total order, can part an address's three lines where a hosts
 * file lists it twice: the list is sorted as getaddrinfo sorts it.
 */
async function lookUpBoth(query: string, options: ResolveOptions): Promise<Outcome> {
  try {
    // getent ahosts asks getaddrinfo with AI_ADDRCONFIG.
    const found = await lookupAddresses(query, {
      ...options,
      family: 0,
      addressConfig: true,
      sorted: false,
    });
    const types = ["STREAM", "DGRAM", "RAW"];
    const listed = found.addresses.flatMap((entry) => types.map((type) => ({ ...entry, type })));
    // Loaded here only: the sorter reads gai.conf and the interfaces (a lookup of one family,
    // the command's usual one, never sorts).
    const ordered = listed.length <= 3 ? listed : (await import("../../lib/dns/address_order.ts"))
      .orderAddresses(listed.map(({ address }) => address)).map((i) => listed[i]!);
    const lines = ordered.map(({ address, type }, i) =>
      `${ahostsAddress(address)} ${type.padEnd(6)} ${
        i === 0 ? toUnicodeHostName(found.canonicalName) : ""
      }`
    );
    const addresses = ordered.filter(({ type }) => type === "STREAM")
      .map(({ address, family }) => ({ address, family }));
    return {
      ok: true,
      text: lines.join("\n") + "\n",
      json: { query, canonicalName: found.canonicalName, addresses },
    };
  } catch (error) {
    return (await import("./failure.ts")).describeFailure(query, error, 4, false);
  }
}

/**
 * An address as `getent ahosts` prints it: a scope as the interface's number (getaddrinfo's
 * `sin6_scope_id`: `fe80::1%1` for `fe80::1%lo`, none for 0), and padded to 15 columns as getent
 * pads it, the address and the scope each counted apart (`::1%1` + 8 blanks, not 10).
 */
function ahostsAddress(address: string): string {
  const cut = address.indexOf("%");
  if (cut < 0) return address.padEnd(15);
  const bare = address.slice(0, cut);
  const name = address.slice(cut + 1);
  const numeric = /^[0-9]+$/.test(name);
  let index = numeric ? Number(name) : undefined;
  if (!numeric) {
    try {
      index = Number(Deno.readTextFileSync(`/sys/class/net/${name}/ifindex`).trim()) || undefined;
    } catch {
      // Unreadable: printed by name.
    }
  }
  const scope = index === undefined ? `%${name}` : index === 0 ? "" : `%${index}`;
  return bare + scope.padEnd(Math.max(0, 15 - bare.length - scope.length));
}

async function lookUpAddress(query: string, options: ResolveOptions): Promise<Outcome> {
  try {
    const names = await resolveAddress(query, options);
    // A hosts-file line with the address alone names it with nothing, as getent's empty name.
    const lines = [`Official name is "${names[0] ?? ""}"`];
    if (names.length > 1) lines.push(`Aliases: ${names.slice(1).map((n) => `"${n}"`).join(", ")}`);
    lines.push(query.includes(":") ? "IPv6 Addresses:" : "IP Addresses:", `+ ${query}`);
    return { ok: true, text: lines.join("\n") + "\n", json: { query, names } };
  } catch (error) {
    return (await import("./failure.ts")).describeFailure(query, error, 4, true);
  }
}

/**
 * Runs `resolve-hostname` (family 4) or `resolve-hostname6` (family 6) once its arguments are
 * parsed with `spec` (`resolverSpec(family)`): what `resolverMain()` loads once `--help` and usage
 * errors are out of the way.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCommandLine } from "../../lib/cli/command_line.ts";
 * import { resolverSpec } from "./main.ts";
 * import { runParsedResolverCommand } from "./command.ts";
 *
 * const spec = resolverSpec(6);
 * const parsed = parseCommandLine(["--hosts-file", "", "::1"], spec);
 * assert.ok(typeof parsed !== "number");
 * let stdout = "";
 * const sink = { writeSync: (p: Uint8Array) => (stdout += new TextDecoder().decode(p), p.length) };
 * assert.equal(await runParsedResolverCommand(parsed, spec, 6, { stdout: sink, stderr: sink }), 0);
 * assert.equal(stdout, 'Official name is "::1"\nIPv6 Addresses:\n+ ::1\n');
 * ```
 */
export const runParsedResolverCommand = (async function runParsedResolverCommand(
  parsed: ParsedCommandLine,
  spec: CommandLineSpec,
  family: IpFamily,
  io: ResolverCommandIo = {},
): Promise<number> {
  const { values, positionals } = parsed;
  const options: ResolveOptions = {};
  // Each part of the command in a function of its own, called only when needed: the first call
  // of a function compiles all of it, at every start-up.
  if (values.nameserver !== undefined || values.timeout !== undefined) {
    const code = await takeServerOptions(values, spec, options);
    if (code !== undefined) return code;
  }
  const hostsFile = values["hosts-file"];
  if (hostsFile !== undefined) {
    options.hostsFile = hostsFile === "" ? false : String(hostsFile);
  }
  const name = spec.name;
  const stdout = io.stdout ?? Deno.stdout;
  const stderr = io.stderr ?? Deno.stderr;
  if (values.debug === true) {
    const { rcodeName } = await import("../../lib/dns/codes.ts");
    options.trace = (step) => writeText(stderr, `${name}: ${describeStep(step, rcodeName)}\n`);
  }
  if (typeof options.hostsFile === "string") {
    try {
      await Deno.stat(options.hostsFile);
    } catch (error) {
      writeText(
        stderr,
        `${name}: Cannot read hosts file "${options.hostsFile}": ${(error as Error).message}\n`,
      );
      return 2;
    }
  }
  const reverse = (values.reverse ?? []) as string[];
  const output: Output = { json: values.json === true, stdout, stderr, failures: 0 };
  if (positionals.length === 0 && reverse.length === 0) {
    return await runDialogue(name, family, options, output, io.stdin ?? Deno.stdin.readable);
  }
  const ahosts = values.ahosts === true;
  for (const host of positionals) {
    report(
      output,
      await (ahosts ? lookUpBoth(host, options) : lookUp(host, family, options)),
      false,
    );
  }
  for (const address of reverse) report(output, await lookUpAddress(address, options), false);
  return output.failures === 0 ? 0 : 1;
}).bind(undefined);

/**
 * Reads `--nameserver` and `--timeout` into `options`; the exit code after a usage error (already
 * reported), or undefined.
 */
const takeServerOptions = (async function takeServerOptions(
  values: ParsedCommandLine["values"],
  spec: CommandLineSpec,
  options: ResolveOptions,
): Promise<number | undefined> {
  try {
    if (Array.isArray(values.nameserver) && values.nameserver.length > 0) {
      const { parseNameServer } = await import("../../lib/dns/name_server.ts");
      options.nameServer = values.nameserver.map((server) => parseNameServer(String(server)));
    }
    if (values.timeout !== undefined) {
      // Each server's time for each question, as resolv.conf's `timeout:` (not the whole lookup).
      options.attemptTimeoutMs = parseSeconds(String(values.timeout), "--timeout");
      if (options.attemptTimeoutMs <= 0) {
        throw new UsageError("--timeout must be more than 0 seconds");
      }
    }
  } catch (error) {
    return reportUsageError(
      spec,
      error instanceof UsageError ? error : new UsageError((error as Error).message),
    );
  }
  return undefined;
}).bind(undefined);

/** Where outcomes go, and how many failed. */
interface Output {
  json: boolean;
  stdout: { writeSync(p: Uint8Array): number };
  stderr: { writeSync(p: Uint8Array): number };
  failures: number;
}

/** Prints an outcome: a failure of a name given as an argument on stderr, all else on stdout. */
const report = (function report(output: Output, outcome: Outcome, interactive: boolean): void {
  if (!outcome.ok) output.failures++;
  if (output.json) writeText(output.stdout, JSON.stringify(outcome.json) + "\n");
  else if (outcome.ok || interactive) writeText(output.stdout, outcome.text);
  else writeText(output.stderr, outcome.text);
}).bind(undefined);

/** The lecture's dialogue: host names read from `stdin` one per line until end of input. */
async function runDialogue(
  name: string,
  family: IpFamily,
  options: ResolveOptions,
  output: Output,
  stdin: ReadableStream<Uint8Array>,
): Promise<number> {
  // Its line reader is loaded only here: a name on the command line starts faster without it.
  const [{ duplexFromStreams }, { LineTooLongError, SocketStream }] = await Promise.all([
    import("../../lib/io/duplex.ts"),
    import("../../lib/net/socket_stream.ts"),
  ]);
  const { json, stdout, stderr } = output;
  if (!json) writeText(stdout, `Welcome to the IPv${family} address resolver!\n`);
  const input = new SocketStream(duplexFromStreams(stdin, new WritableStream()), {
    maxLineBytes: 4096,
  });
  try {
    while (true) {
      if (!json) writeText(stdout, "Enter a host name: ");
      let line: string | null;
      try {
        line = await input.readLine();
      } catch (error) {
        if (!(error instanceof LineTooLongError)) throw error;
        writeText(stderr, `${name}: That line is too long for a host name\n`);
        output.failures++;
        // Skip the rest of that line, and go on with the next one.
        if (!(await skipRestOfLine(input))) break;
        continue;
      }
      if (line === null) {
        if (!json) writeText(stdout, "\n"); // end of input: end the prompt's line
        break;
      }
      const host = line.trim();
      if (host === "") continue;
      report(output, await lookUp(host, family, options), true);
    }
  } finally {
    input.close();
  }
  return output.failures === 0 ? 0 : 1;
}
