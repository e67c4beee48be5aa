/**
 * `resolve-hostname` beside glibc's getent on random configurations: each seed generates a
 * resolv.conf (name servers, one sometimes dead; `search` or `domain`; `options`; comments and odd
 * lines), `LOCALDOMAIN` and `RES_OPTIONS` now and then, a hosts file (both families, aliases,
 * upper case, a name on several lines, junk), nsswitch.conf's `hosts:` line (in the forms glibc's
 * parser reads: sources it cannot load, action lists in any case and spacing, lines it refuses),
 * now and then a host.conf (`multi`, `reorder`, `trim`, and their `RESOLV_*` variables), the
 * records of a dnsmasq (A, AAAA, CNAME chains, names inside and outside the search domains, names
 * at DNS's length limits under a long search domain, names of many labels under an `ndots` of 0
 * to 15, PTR records of one to three names, odd, long and invalid ones), `hosts:` lines naming a
 * source twice (`dns files dns`), and names to ask (hits, misses, search-list names, final dots,
 * upper case, address literals, hostile names, master files' escapes); from seed 1,400,000 on also
 * options lines of several of glibc 2.36's options (`ndots:0`, `ndots:15`, `rotate`, `no-aaaa`,
 * `single-request`, `use-vc`, ...), search lists of six to nine domains over 256 bytes, `domain`
 * after `search`, hosts lines of 10 to 40 aliases and TTL 0 records, and scripted servers whose
 * answers name the name in other letters' case (DNS 0x20) (tests/harness/resolver_fuzz.ts).
 * Then, in a mount namespace with the files over `/etc`, each name is asked of `getent hosts`,
 * `ahosts`, `ahostsv4` and `ahostsv6` and of netkit
 * (`resolve-hostname --json`, `resolve-hostname6 --json`, `--ahosts`, `lookupAddresses` of each
 * family), and each address of `getent hosts ADDRESS` and `resolve-hostname -x`
 * (tests/harness/resolver_fuzz_probe.ts); the answers must agree:
 *
 * - `--ahosts` prints what `getent ahosts` prints, byte for byte;
 * - `lookupAddresses` (family 4: wget -4) gives `getent ahostsv4`'s canonical name and addresses,
 *   in order; `resolve-hostname` (gethostbyname, which does not sort) the same addresses;
 *   `lookupAddresses` (family 6) gives `getent ahostsv6`'s, but where getent's AI_V4MAPPED mapped
 *   IPv4 addresses in (mapped addresses left out of both);
 * - `getent hosts NAME` (gethostbyname2 for IPv6, then for IPv4) gives the official name,
 *   aliases and addresses of `resolve-hostname6`, or when that finds nothing `resolve-hostname`
 *   (not for the literals gethostbyname refuses and netkit takes on purpose: `0x7f.1`,
 *   `fe80::1%lo`); `getent hosts ADDRESS` the names of `resolve-hostname -x ADDRESS`.
 *
 * Where glibc is odd and netkit is not on purpose (cmd/README.md), the generator does not go:
 * names without dots in DNS have both families; an indented last hosts line ends with a newline;
 * no CNAME chain to a name of one family where a search walk can go past it (seed 5240).
 *
 * A failure prints each difference with its seed, the configuration and the two answers; replay
 * one with `NETKIT_FUZZ_FIRST_SEED=SEED NETKIT_FUZZ_SEEDS=1`. By default a fixed, small set of
 * seeds runs (48, then those of FOUND_SEEDS; about fifteen seconds on an idle machine);
 * `NETKIT_FUZZ_SEEDS=N` runs N seeds from `NETKIT_FUZZ_FIRST_SEED` (default 1) to hunt for
 * differences:
 *
 *     NETKIT_FUZZ_SEEDS=300 deno test -A --unstable-net tests/cmd/resolve-hostname_random_test.ts
 *
 * As root, against dnsmasq on port 53 of loopback addresses of the test's own (resolv.conf cannot
 * name a port). Ignored, with the reason, where namespaces, getent or dnsmasq cannot be had.
 */

import assert from "node:assert/strict";
import { startDnsmasqOnPort53 } from "../harness/dns_peers.ts";
import { etcNamespaceUnavailable, runWithEtcFiles } from "../harness/etc_namespace.ts";
import { tempDir } from "../harness/peers.ts";
import { loopbackAddresses } from "../harness/loopback_address.ts";
import { type FuzzConfig, generateFuzzConfig } from "../harness/resolver_fuzz.ts";
import type { ProbeName, ProbeResult, ProbeRun } from "../harness/resolver_fuzz_probe.ts";
import {
  generateServerFuzzConfig,
  type ServerFuzzConfig,
  startScriptedDnsServer,
} from "../harness/resolver_fuzz_servers.ts";
import { ROOT } from "../harness/run.ts";
import { inetAton, inetPton } from "../../lib/net/inet.ts";
import { toUnicodeHostName } from "../../lib/dns/host_name.ts";

const IGNORE = etcNamespaceUnavailable(["getent", "dnsmasq"]);
const IGNORED = IGNORE ? ` (ignored: ${IGNORE})` : "";

/**
 * Loopback addresses of the test's own (tests/harness/loopback_address.ts): two for dnsmasq (so
 * that resolv.conf can name two live servers), one for a dead server, two for the scripted ones.
 */
const [LIVE_1, LIVE_2, DEAD, ...SCRIPTED] = loopbackAddresses(5) as [string, string, string];
const SERVERS = { live: [LIVE_1, LIVE_2], dead: DEAD };

/** The seeds run by default: few enough for the suite, chosen only to be fixed. */
const DEFAULT_SEEDS = 48;
const SEED_COUNT = Number(Deno.env.get("NETKIT_FUZZ_SEEDS") ?? DEFAULT_SEEDS);
const FIRST_SEED = Number(Deno.env.get("NETKIT_FUZZ_FIRST_SEED") ?? 1);
/**
 * Seeds run by default after the first DEFAULT_SEEDS, each for what it once found: 960140
 * (`hosts: systemd dns [SUCCESS=continue] FILES`: gethostbyname and gethostbyaddr pass over
 * sources glibc cannot load, so DNS's answer counts); 980061 (`hosts: dns myhostname dns` with a
 * refused server: the probe never ended, the second DNS walk's sockets left open).
 */
const FOUND_SEEDS = [960140, 980061];
const HUNTING = Deno.env.get("NETKIT_FUZZ_SEEDS") !== undefined ||
  Deno.env.get("NETKIT_FUZZ_FIRST_SEED") !== undefined;

/** What getent hosts printed: the addresses (one per line) and the first line's names. */
function parseGetentHosts(stdout: string): { addresses: string[]; names: string[] } {
  const lines = stdout.split("\n").filter((line) => line !== "");
  return {
    addresses: lines.map((line) => line.split(/\s+/)[0] ?? ""),
    names: (lines[0] ?? "").trim().split(/\s+/).slice(1),
  };
}

/** What getent ahosts(v4|v6) printed: the addresses of its STREAM lines and the canonical name. */
function parseGetentAhosts(stdout: string): { addresses: string[]; canonicalName?: string } {
  const lines = stdout.split("\n").filter((line) => / STREAM /.test(line));
  const canonicalName = lines[0]?.split(/\s+/)[2];
  return {
    addresses: lines.map((line) => line.split(/\s+/)[0] ?? ""),
    ...(canonicalName ? { canonicalName } : {}),
  };
}

/** resolve-hostname --json's answer: its entry, or undefined when the name did not resolve. */
function parseJson(run: ProbeRun):
  | { officialName: string; aliases: string[]; addresses: string[]; names?: string[] }
  | undefined {
  const json = JSON.parse(run.stdout.trim() || "{}");
  return json.error === undefined && (json.addresses || json.names) ? json : undefined;
}

/** Whether getent hosts takes `key` for an address (inet_pton of either family). */
function isAddress(key: string): boolean {
  try {
    inetPton(key);
    return true;
  } catch {
    return false;
  }
}

/** Whether `address` is an IPv4-mapped IPv6 address. */
function isMapped(address: string): boolean {
  return address.toLowerCase().startsWith("::ffff:") && address.includes(".");
}

/** An address with its scope as the interface's number, as getaddrinfo gives it (`%lo`: `%1`). */
function numericScope(address: string): string {
  return address.replace(/%lo$/, "%1");
}

/**
 * Whether netkit (as getaddrinfo) takes `name` for an address literal where gethostbyname2 does
 * not (glibc's __nss_hostname_digits_dots takes inet_aton's forms only when they are all digits
 * and dots, and no scoped IPv6 address): `0x7f.1`, `fe80::1%lo`. netkit's resolve-hostname takes
 * them, as getaddrinfo, `getent ahosts` and ping do (cmd/README.md).
 */
function literalForGetaddrinfoOnly(name: string): boolean {
  if (/^[0-9.]*$/.test(name)) return false;
  return /^0x/i.test(name) && /^[0-9a-fA-FxX.]+$/.test(name) || /%/.test(name);
}

/**
 * Whether gethostbyname answers `name` where getaddrinfo and netkit look it up: a name of digits
 * and dots that is no address (`127.0.0.256`: gethostbyname says no at once), and an
 * international name (gethostbyname asks DNS for no UTF-8 name; getaddrinfo with AI_IDN, as
 * getent ahosts, and netkit ask for its `xn--` form).
 */
function gethostbynameRefuses(name: string): boolean {
  const digitsAndDots = /^[0-9][0-9.]*$/.test(name) && !name.endsWith(".");
  const nonAscii = [...name].some((character) => character.charCodeAt(0) > 0x7f);
  return digitsAndDots && inetAton(name) === undefined || nonAscii;
}

/** A name as getent ahosts prints it: getaddrinfo with AI_CANONIDN gives Unicode. */
function unicodeName(name: string | undefined): string | undefined {
  try {
    return name === undefined ? undefined : toUnicodeHostName(name);
  } catch {
    return name;
  }
}

/**
 * Whether netkit refuses `name` as no host name where glibc asks DNS for it: a label that ends in
 * `-` (RFC 1123 allows none; glibc's res_hnok only refuses a `-` at the name's start).
 */
function hyphenAtLabelEnd(name: string): boolean {
  return name.split(".").some((label) => label.endsWith("-"));
}

/**
 * Whether nsswitch.conf names a source glibc cannot load here (`resolve`, `systemd`, `FILES`,
 * `Dns`, ...): getaddrinfo counts it UNAVAIL, and fails (EAI_SYSTEM) when it is the last source
 * asked, where gethostbyname passes over it (an answer a `[SUCCESS=continue]` passed on counts).
 */
function namesUnloadableSource(nsswitch: string): boolean {
  return /\b(resolve|mdns4_minimal|systemd|FILES|Dns)\b/.test(nsswitch);
}

/**
 * The differences between getent and netkit on one name, as sentences; `unloadable` when
 * nsswitch.conf names a source glibc cannot load ({@linkcode namesUnloadableSource}).
 */
function compareName(probe: ProbeName, unloadable = false): string[] {
  const differences: string[] = [];
  const { name, getent, netkit } = probe;
  // Refused on purpose, unless the hosts file has it (cmd/README.md).
  if (hyphenAtLabelEnd(name) && parseJson(netkit.json4) === undefined) return differences;
  const differ = (what: string, glibc: unknown, ours: unknown) => {
    try {
      assert.deepEqual(ours, glibc);
    } catch {
      differences.push(
        `${JSON.stringify(name)}: ${what}: getent ${JSON.stringify(glibc)}, netkit ${
          JSON.stringify(ours)
        }`,
      );
    }
  };

  differ("ahosts", getent.ahosts.stdout, netkit.ahosts.stdout);
  differ("ahosts found", getent.ahosts.code === 0, netkit.ahosts.code === 0);

  const v4 = parseGetentAhosts(getent.ahostsv4.stdout);
  const json4 = parseJson(netkit.json4);
  // gethostbyname keeps the sources' order, getaddrinfo sorts (RFC 6724): compared as sets. An
  // IPv4-mapped literal is IPv4 to getaddrinfo, to gethostbyname no IPv4 address. Where a source
  // glibc cannot load came last, getaddrinfo failed and gethostbyname did not (seed 1100258):
  // lookupAddresses is compared with getaddrinfo below, and resolve-hostname6 with
  // gethostbyname2 (`getent hosts`).
  const byNameOnly = unloadable && "error" in netkit.lookup4 &&
    parseJson(netkit.json4) !== undefined;
  if (!(isAddress(name) && isMapped(name)) && !byNameOnly) {
    differ(
      "ahostsv4 / resolve-hostname addresses",
      [...v4.addresses].sort(),
      [...json4?.addresses ?? []].sort(),
    );
  }
  if (json4 && v4.canonicalName) {
    differ("ahostsv4 / resolve-hostname name", v4.canonicalName, unicodeName(json4.officialName));
  }
  const lookup4 = "error" in netkit.lookup4
    ? undefined
    : { ...netkit.lookup4, canonicalName: unicodeName(netkit.lookup4.canonicalName) };
  differ("ahostsv4 / lookupAddresses(4)", v4, lookup4 ?? { addresses: [] });

  // getent ahostsv6 asks with AI_V4MAPPED, which lookupAddresses has no counterpart of: an
  // answer with mapped addresses (IPv4 ones, mapped where a source had no IPv6 one) is not
  // compared, and mapped addresses are dropped from both (glibc drops those a hosts file lists
  // once it has an IPv6 address, so that a name with only such lines has none).
  const v6 = parseGetentAhosts(getent.ahostsv6.stdout);
  const lookup6 = "error" in netkit.lookup6 ? undefined : netkit.lookup6;
  if (!v6.addresses.some(isMapped)) {
    let ours = (lookup6?.addresses ?? []).map(numericScope).filter((a) => !isMapped(a));
    // getaddrinfo for IPv6 alone asks gethostbyname3_r, whose hostent has no scope: myhostname's
    // link-local address comes without it, unusable, so RFC 6724 puts it last (netkit keeps the
    // scope, and so its place). Compared without scopes, as sets.
    let glibc = v6.addresses;
    if (glibc.some((address) => /^fe80:[^%]*$/i.test(address))) {
      ours = ours.map((address) => address.replace(/%.*$/, "")).sort();
      glibc = glibc.map((address) => address.replace(/%.*$/, "")).sort();
    }
    differ("ahostsv6 / lookupAddresses(6) addresses", glibc, ours);
    if (v6.canonicalName && ours.length > 0) {
      differ(
        "ahostsv6 / lookupAddresses(6) name",
        v6.canonicalName,
        unicodeName(lookup6?.canonicalName),
      );
    }
  }

  // getent hosts: a key inet_pton takes is looked up in reverse (compared with -x separately).
  if (!isAddress(name) && !literalForGetaddrinfoOnly(name) && !gethostbynameRefuses(name)) {
    const hosts = parseGetentHosts(getent.hosts.stdout);
    const json6 = parseJson(netkit.json6);
    const entry = json6 ?? json4;
    const ours = entry === undefined ? { addresses: [], names: [] } : {
      // A hostent has no scope: getent prints fe80::1, not fe80::1%2.
      addresses: entry.addresses.map((address) => address.replace(/%.*$/, "")),
      names: [entry.officialName, ...entry.aliases],
    };
    differ(`hosts (resolve-hostname${json6 ? "6" : ""})`, hosts, ours);
  }
  return differences;
}

/** The differences of one configuration's probe. */
function compareProbe(result: ProbeResult, nsswitch = ""): string[] {
  const unloadable = namesUnloadableSource(nsswitch);
  const differences = result.names.flatMap((probe) => compareName(probe, unloadable));
  for (const { address, getent, netkit } of result.reverse) {
    const glibc = parseGetentHosts(getent.stdout).names;
    const ours = parseJson(netkit)?.names ?? [];
    try {
      assert.deepEqual(ours, glibc);
    } catch {
      differences.push(
        `-x ${address}: getent ${JSON.stringify(glibc)}, netkit ${JSON.stringify(ours)}`,
      );
    }
  }
  return differences;
}

/** The configuration as a report shows it, to replay it by hand. */
function describeConfig(config: FuzzConfig): string {
  const block = (title: string, text: string) =>
    `--- ${title}\n${text.endsWith("\n") || text === "" ? text : `${text}\n`}`;
  return [
    block("/etc/resolv.conf", config["resolv.conf"]),
    block("/etc/hosts", config.hosts),
    block("/etc/nsswitch.conf", config["nsswitch.conf"]),
    ...(config["host.conf"] === undefined ? [] : [block("/etc/host.conf", config["host.conf"])]),
    block("environment", Object.entries(config.env).map(([k, v]) => `${k}=${v}`).join("\n")),
    ...(config.hostAliases === undefined ? [] : [block("HOSTALIASES", config.hostAliases)]),
    block("dnsmasq", config.records.join("\n")),
  ].join("");
}

/** Runs one seed: starts its dnsmasq, probes in a namespace, returns the differences. */
async function runSeed(seed: number, dir: string): Promise<string[]> {
  const config = generateFuzzConfig(seed, SERVERS);
  await using _dnsmasq = await startDnsmasqOnPort53(SERVERS.live[0]!, [
    `--listen-address=${SERVERS.live[1]}`,
    // Authoritative for the reverse zones too: an unknown address is NXDOMAIN, not REFUSED.
    "--local=/in-addr.arpa/",
    "--local=/ip6.arpa/",
    ...config.records,
  ]);
  const questions = `${dir}/questions.json`;
  await Deno.writeTextFile(questions, JSON.stringify(config));
  const env = { ...config.env };
  if (config.hostAliases !== undefined) {
    env.HOSTALIASES = `${dir}/aliases`;
    await Deno.writeTextFile(env.HOSTALIASES, config.hostAliases);
  }
  return await probeAndCompare(seed, dir, config, questions, env, describeConfig(config));
}

/**
 * Runs the probe on `questions` in a namespace with `config`'s files and `env`; returns the
 * differences, each with the seed and `description` (the configuration).
 */
async function probeAndCompare(
  seed: number,
  dir: string,
  config: Pick<FuzzConfig, "resolv.conf" | "hosts" | "nsswitch.conf" | "host.conf">,
  questions: string,
  env: Record<string, string>,
  description: string,
): Promise<string[]> {
  const run = await runWithEtcFiles(
    dir,
    {
      "resolv.conf": config["resolv.conf"],
      hosts: config.hosts,
      "nsswitch.conf": config["nsswitch.conf"],
      ...(config["host.conf"] === undefined ? {} : { "host.conf": config["host.conf"] }),
    },
    [Deno.execPath(), "run", "-A", `${ROOT}/tests/harness/resolver_fuzz_probe.ts`, questions],
    env,
  );
  if (run.code !== 0) {
    return [
      `seed ${seed}: the probe failed (exit ${run.code}): ${run.stderr.trim()}\n${description}`,
    ];
  }
  const differences = compareProbe(JSON.parse(run.stdout) as ProbeResult, config["nsswitch.conf"]);
  return differences.length === 0
    ? []
    : [`seed ${seed}: ${differences.join("\nseed " + seed + ": ")}\n${description}`];
}

Deno.test({
  name: `resolve-hostname answers as getent on ${SEED_COUNT} random configurations${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using dir = await tempDir();
    const reports: string[] = [];
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SEED_COUNT; seed++) {
      reports.push(...await runSeed(seed, dir.path));
    }
    for (const seed of HUNTING ? [] : FOUND_SEEDS) reports.push(...await runSeed(seed, dir.path));
    assert.equal(reports.length, 0, `differences from getent:\n\n${reports.join("\n")}`);
  },
});

/** The scripted configuration as a report shows it. */
function describeServerConfig(config: ServerFuzzConfig): string {
  return [
    `--- /etc/resolv.conf\n${config["resolv.conf"]}`,
    `--- /etc/nsswitch.conf\n${config["nsswitch.conf"]}`,
    `--- zone\n${JSON.stringify(config.zone)}\n`,
    ...config.scripts.map((script, i) => `--- server ${i + 1}\n${JSON.stringify(script)}\n`),
  ].join("");
}

/** Runs one seed against scripted servers; returns the differences. */
async function runServerSeed(seed: number, dir: string): Promise<string[]> {
  // A silent server costs a second a question: on one seed in eight.
  const config = generateServerFuzzConfig(seed, SCRIPTED, seed % 8 === 0, KNOWN);
  const servers: AsyncDisposable[] = [];
  try {
    for (const [i, script] of config.scripts.entries()) {
      servers.push(await startScriptedDnsServer(SCRIPTED[i]!, script, config.zone));
    }
    const questions = `${dir}/questions.json`;
    await Deno.writeTextFile(questions, JSON.stringify(config));
    return await probeAndCompare(
      seed,
      dir,
      config,
      questions,
      config.env,
      describeServerConfig(config),
    );
  } finally {
    for (const server of servers) await server[Symbol.asyncDispose]();
  }
}

/**
 * `NETKIT_FUZZ_KNOWN=1`: the scripted servers also do what glibc and netkit answer differently on
 * purpose (cut messages, one family failed, CNAME chains to no record; cmd/README.md).
 */
const KNOWN = Deno.env.get("NETKIT_FUZZ_KNOWN") === "1";

/** The scripted seeds run by default (silence on one of them). */
const DEFAULT_SERVER_SEEDS = 16;
const SERVER_SEED_COUNT = Number(Deno.env.get("NETKIT_FUZZ_SEEDS") ?? DEFAULT_SERVER_SEEDS);

Deno.test({
  name:
    `resolve-hostname answers as getent against ${SERVER_SEED_COUNT} random misbehaving name servers${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    await using dir = await tempDir();
    const reports: string[] = [];
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SERVER_SEED_COUNT; seed++) {
      reports.push(...await runServerSeed(seed, dir.path));
    }
    assert.equal(reports.length, 0, `differences from getent:\n\n${reports.join("\n")}`);
  },
});
