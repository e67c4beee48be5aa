/**
 * The inside of one run of the random resolver test: run in the mount namespace that holds the
 * configuration's files (and with its environment), it asks glibc's getent and netkit about
 * every name and address of the configuration and prints what each said, as one JSON object
 * ({@linkcode ProbeResult}), for the test to compare. getent is one process per question (it
 * reads the files each time); netkit answers in this one process, through `resolverMain()` (the
 * body of `resolve-hostname` and `resolve-hostname6`) and `lookupAddresses()` (what wget and
 * `createClientSocket` use), so that a configuration costs one Deno start-up.
 *
 * Usage: `deno run -A tests/harness/resolver_fuzz_probe.ts QUESTIONS.json`, where the file holds
 * `{ "names": [...], "reverse": [...] }`.
 *
 * @module
 */

import { resolverMain } from "../../cmd/_resolve/main.ts";
import { lookupAddresses } from "../../lib/dns/resolver.ts";

/** What one program printed, and its exit code. */
export interface ProbeRun {
  code: number;
  stdout: string;
}

/** What `lookupAddresses` gave: the canonical name and addresses, or the error's name. */
export type ProbeLookup = { canonicalName: string; addresses: string[] } | { error: string };

/** Everything asked about one name. */
export interface ProbeName {
  name: string;
  getent: Record<"hosts" | "ahosts" | "ahostsv4" | "ahostsv6", ProbeRun>;
  netkit: {
    /** `resolve-hostname --json NAME`. */
    json4: ProbeRun;
    /** `resolve-hostname6 --json NAME`. */
    json6: ProbeRun;
    /** `resolve-hostname --ahosts NAME`. */
    ahosts: ProbeRun;
    /** `lookupAddresses(NAME, { family: 4 })` and `{ family: 6 }`. */
    lookup4: ProbeLookup;
    lookup6: ProbeLookup;
  };
}

/** Everything asked about one address. */
export interface ProbeAddress {
  address: string;
  /** `getent hosts ADDRESS`. */
  getent: ProbeRun;
  /** `resolve-hostname --json -x ADDRESS`. */
  netkit: ProbeRun;
}

/** The probe's output. */
export interface ProbeResult {
  names: ProbeName[];
  reverse: ProbeAddress[];
}

const decoder = new TextDecoder();

/** `getent DATABASE -- KEY`: what it printed and its exit code. */
export async function getent(database: string, key: string): Promise<ProbeRun> {
  const output = await new Deno.Command("getent", {
    args: [database, "--", key],
    stdout: "piped",
    stderr: "null",
  }).output();
  return { code: output.code, stdout: decoder.decode(output.stdout) };
}

/** Runs `resolve-hostname` (`family` 4) or `resolve-hostname6` with `args` in this process. */
export async function netkit(args: string[], family: 4 | 6): Promise<ProbeRun> {
  let stdout = "";
  const sink = {
    writeSync(p: Uint8Array) {
      stdout += decoder.decode(p);
      return p.length;
    },
  };
  const code = await resolverMain([...args], family, {
    stdout: sink,
    stderr: { writeSync: (p) => p.length },
  });
  return { code, stdout };
}

async function lookup(name: string, family: 4 | 6): Promise<ProbeLookup> {
  try {
    const found = await lookupAddresses(name, { family });
    return {
      canonicalName: found.canonicalName,
      addresses: found.addresses.map(({ address }) => address),
    };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

/** Asks getent and netkit about `names` and `reverse`. */
export async function probe(names: string[], reverse: string[]): Promise<ProbeResult> {
  const result: ProbeResult = { names: [], reverse: [] };
  for (const name of names) {
    result.names.push({
      name,
      getent: {
        hosts: await getent("hosts", name),
        ahosts: await getent("ahosts", name),
        ahostsv4: await getent("ahostsv4", name),
        ahostsv6: await getent("ahostsv6", name),
      },
      netkit: {
        json4: await netkit(["--json", "--", name], 4),
        json6: await netkit(["--json", "--", name], 6),
        ahosts: await netkit(["--ahosts", "--", name], 4),
        lookup4: await lookup(name, 4),
        lookup6: await lookup(name, 6),
      },
    });
  }
  for (const address of reverse) {
    result.reverse.push({
      address,
      getent: await getent("hosts", address),
      netkit: await netkit(["--json", "-x", address], 4),
    });
  }
  return result;
}

if (import.meta.main) {
  const questions = JSON.parse(await Deno.readTextFile(Deno.args[0]!)) as {
    names: string[];
    reverse: string[];
  };
  console.log(JSON.stringify(await probe(questions.names, questions.reverse)));
}
