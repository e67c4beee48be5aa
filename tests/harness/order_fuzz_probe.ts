/**
 * The inside of one run of the random address-order test: run in the mount namespace that holds
 * the configuration's files (gai.conf, hosts, resolv.conf, nsswitch.conf), it asks glibc
 * (`getent ahosts`, `ahostsv4`, `ahostsv6`, and the lecture's C calls through
 * tests/harness/glibc_calls.c) and netkit (`resolve-hostname --ahosts`, `lookupAddresses` of each
 * family, `resolveHost` of each family, `resolveAddress`) about every name and address, and
 * prints what each said as one JSON object ({@linkcode OrderProbeResult}).
 *
 * Usage: `deno run -A tests/harness/order_fuzz_probe.ts QUESTIONS.json GLIBC_CALLS`, where the
 * file holds `{ "names": [...], "reverse": [...] }` and GLIBC_CALLS is the compiled program.
 *
 * @module
 */

import { resolverMain } from "../../cmd/_resolve/main.ts";
import { lookupAddresses, resolveAddress, resolveHost } from "../../lib/dns/resolver.ts";
import { type GlibcCall, parseGlibcCalls } from "./glibc_calls.ts";
import { getent } from "./resolver_fuzz_probe.ts";

/** What one program printed, and its exit code. */
export interface OrderProbeRun {
  code: number;
  stdout: string;
}

/** What a netkit call gave, or the error's class name and `failure` (a DnsError's kind). */
export type NetkitAnswer =
  | {
    canonicalName?: string;
    officialName?: string;
    aliases?: string[];
    addresses?: string[];
    names?: string[];
  }
  | { error: string; failure?: string; rcodeName?: string };

/** Everything asked about one name. */
export interface OrderProbeName {
  name: string;
  getent: Record<"ahosts" | "ahostsv4" | "ahostsv6", OrderProbeRun>;
  /** The C calls, by their name in glibc_calls.c (`ghbn`, `ghbn2`, `gai:0:c`, …). */
  glibc: Record<string, GlibcCall>;
  netkit: {
    ahosts: OrderProbeRun;
    lookup0: NetkitAnswer;
    lookup0AddressConfig: NetkitAnswer;
    lookup4: NetkitAnswer;
    lookup6: NetkitAnswer;
    host4: NetkitAnswer;
    host6: NetkitAnswer;
  };
}

/** Everything asked about one address. */
export interface OrderProbeAddress {
  address: string;
  glibc: GlibcCall;
  netkit: NetkitAnswer;
}

/** The probe's output. */
export interface OrderProbeResult {
  names: OrderProbeName[];
  reverse: OrderProbeAddress[];
}

/** The calls made of each name, by their name in glibc_calls.c. */
export const NAME_CALLS = ["ghbn", "ghbn2", "gai:0:c", "gai:4:c", "gai:6:c", "gai:0:ca", "gai:0:n"];

const decoder = new TextDecoder();

async function ahosts(name: string): Promise<OrderProbeRun> {
  let stdout = "";
  const sink = {
    writeSync(p: Uint8Array) {
      stdout += decoder.decode(p);
      return p.length;
    },
  };
  const code = await resolverMain(["--ahosts", "--", name], 4, {
    stdout: sink,
    stderr: { writeSync: (p) => p.length },
  });
  return { code, stdout };
}

async function answer(call: () => Promise<NetkitAnswer>): Promise<NetkitAnswer> {
  try {
    return await call();
  } catch (error) {
    const { failure, rcodeName } = error as { failure?: unknown; rcodeName?: unknown };
    return {
      error: (error as Error).name,
      ...(typeof failure === "string" ? { failure } : {}),
      // A DnsServerError's answer code (`REFUSED`).
      ...(typeof rcodeName === "string" ? { rcodeName } : {}),
    };
  }
}

const lookup = (name: string, family: 0 | 4 | 6, addressConfig = false) =>
  answer(async () => {
    const found = await lookupAddresses(name, { family, addressConfig });
    return {
      canonicalName: found.canonicalName,
      addresses: found.addresses.map(({ address }) => address),
    };
  });

const host = (name: string, family: 4 | 6) =>
  answer(async () => {
    const entry = await resolveHost(name, { family });
    return {
      officialName: entry.officialName,
      aliases: entry.aliases,
      addresses: entry.addresses,
    };
  });

/** Asks glibc and netkit about `names` and `reverse`. */
export async function probe(
  names: string[],
  reverse: string[],
  program: string,
): Promise<OrderProbeResult> {
  // All C calls in one process, in order.
  const args = [
    ...names.flatMap((name) => NAME_CALLS.flatMap((call) => [call, name])),
    ...reverse.flatMap((address) => ["gni", address]),
  ];
  const output = await new Deno.Command(program, { args, stdout: "piped", stderr: "inherit" })
    .output();
  const calls = parseGlibcCalls(decoder.decode(output.stdout));
  const result: OrderProbeResult = { names: [], reverse: [] };
  let next = 0;
  for (const name of names) {
    const glibc: Record<string, GlibcCall> = {};
    for (const call of NAME_CALLS) glibc[call] = calls[next++]!;
    result.names.push({
      name,
      getent: {
        ahosts: await getent("ahosts", name),
        ahostsv4: await getent("ahostsv4", name),
        ahostsv6: await getent("ahostsv6", name),
      },
      glibc,
      netkit: {
        ahosts: await ahosts(name),
        lookup0: await lookup(name, 0),
        lookup0AddressConfig: await lookup(name, 0, true),
        lookup4: await lookup(name, 4),
        lookup6: await lookup(name, 6),
        host4: await host(name, 4),
        host6: await host(name, 6),
      },
    });
  }
  for (const address of reverse) {
    result.reverse.push({
      address,
      glibc: calls[next++]!,
      netkit: await answer(async () => ({ names: await resolveAddress(address) })),
    });
  }
  return result;
}

if (import.meta.main) {
  const questions = JSON.parse(await Deno.readTextFile(Deno.args[0]!)) as {
    names: string[];
    reverse: string[];
  };
  console.log(JSON.stringify(await probe(questions.names, questions.reverse, Deno.args[1]!)));
}
