/**
 * netkit's address order beside glibc's on random configurations: each seed generates an
 * `/etc/gai.conf` (none, commented out, "prefer IPv4", random `label` / `precedence` / `scopev4`
 * / `reload` lines and junk), a hosts file and the records of a name server (dnsmasq, or on three
 * seeds in ten a scripted one answering some names with NXDOMAIN, SERVFAIL, REFUSED or no data for
 * one family) whose names hold addresses of every kind RFC 6724 tells apart (loopback,
 * IPv4-mapped, 6to4, Teredo, ULA, site-local, link-local, global and private IPv4 and IPv6,
 * 169.254/16, IPv4-compatible, repeats); from seed 1,600,000 on also options lines of several of
 * glibc 2.36's options (`ndots:0`, `ndots:15`, `no-aaaa`, `single-request`, `use-vc`, ...) in
 * resolv.conf or `RES_OPTIONS`, search lists of six to nine domains over 256 bytes (also as
 * `LOCALDOMAIN`) with names asked without their domain, `search` then `domain`, a hosts line of 10
 * to 40 aliases, names in upper case or with a final dot, TTL 0 records and a scripted server
 * answering in other letters' case (DNS 0x20) (tests/harness/order_fuzz.ts). In a mount namespace with the files over `/etc`, each name is
 * asked of glibc and netkit (tests/harness/order_fuzz_probe.ts), and:
 *
 * - the order: `resolve-hostname --ahosts` prints what `getent ahosts` prints, byte for byte;
 *   `lookupAddresses` of family 4 and 6 gives `getent ahostsv4`'s and `ahostsv6`'s canonical name
 *   and addresses, in order (ahostsv6 not where its AI_V4MAPPED mapped IPv4 addresses in);
 * - the lecture's C calls (tests/harness/glibc_calls.c): `gethostbyname` and
 *   `gethostbyname2(AF_INET6)` give `resolveHost`'s official name, aliases and addresses for
 *   IPv4 and IPv6, in order, or the error that matches its kind (h_errno HOST_NOT_FOUND:
 *   not-found; NO_DATA: no-data; TRY_AGAIN: a server failure or time-out); `getaddrinfo` with
 *   AI_CANONNAME for each family, with AI_ADDRCONFIG and with AI_NUMERICHOST gives
 *   `lookupAddresses`'s canonical name and addresses in order (EAI_NONAME: not-found or a name
 *   refused; EAI_NODATA: no-data; EAI_AGAIN: a failure or time-out); `getnameinfo` with
 *   NI_NAMEREQD gives `resolveAddress`'s first name, or fails where it fails.
 *
 * What cannot be compared: glibc asks the kernel for each destination's source address (a
 * connected UDP socket) where netkit guesses it from the interfaces (lib/dns/address_order.ts);
 * the generator draws an address only where the kernel's source (the same C program) and
 * `guessSourceAddress` agree on this host. On a host with loopback and interfaces holding the
 * default routes they agree on every kind but those policy routing or a missing default route
 * decides. A `scopev4` line without `/BITS` is never drawn: glibc 2.36 crashes on it
 * (lib/dns/gai_conf.ts). Kept on purpose (cmd/README.md) and not counted: a literal of the other
 * family is no data to netkit where gethostbyname says HOST_NOT_FOUND (getaddrinfo's
 * EAI_ADDRFAMILY counts as no data); a CNAME whose target has no address of the family asked is
 * followed by netkit (no data) where glibc fails (NO_RECOVERY, EAI_NONAME).
 *
 * A failure prints each difference with its seed and configuration; replay one with
 * `NETKIT_FUZZ_FIRST_SEED=SEED NETKIT_FUZZ_SEEDS=1`, hunt with `NETKIT_FUZZ_SEEDS=N`
 * (`NETKIT_FUZZ_SEED=SEED` runs that one seed; `NETKIT_FUZZ_KEEP=1` keeps the run's directory and
 * prints where). As root, against the name server on port 53 of a loopback address of its own;
 * ignored with the reason where namespaces, getent, dnsmasq or gcc cannot be had.
 */

import assert from "node:assert/strict";
import { startDnsmasqOnPort53 } from "../harness/dns_peers.ts";
import {
  dualStackNamespaceUnavailable,
  resolveHostnameCommand,
  runWithEtcFilesAbsent,
} from "../harness/etc_namespace.ts";
import {
  compileGlibcCalls,
  type GlibcCall,
  glibcCallsUnavailable,
  kernelSourceAddress,
} from "../harness/glibc_calls.ts";
import { generateOrderFuzzConfig, type OrderFuzzConfig } from "../harness/order_fuzz.ts";
import type {
  NetkitAnswer,
  OrderProbeName,
  OrderProbeResult,
} from "../harness/order_fuzz_probe.ts";
import { tempDir } from "../harness/peers.ts";
import { startScriptedDnsServer } from "../harness/resolver_fuzz_servers.ts";
import { ROOT } from "../harness/run.ts";
import { guessSourceAddress } from "../../lib/dns/address_order.ts";
import { inetPton } from "../../lib/net/inet.ts";
import { loopbackAddress } from "../harness/loopback_address.ts";
import { failureKind } from "../harness/lookup_failure_kind.ts";

const IGNORE = dualStackNamespaceUnavailable(["getent", "dnsmasq"]) ?? glibcCallsUnavailable();
const IGNORED = IGNORE ? ` (ignored: ${IGNORE})` : "";

/** A loopback address of the test's own for dnsmasq (random: tests/harness/loopback_address.ts). */
const SERVER = loopbackAddress();

/** The seeds run by default: fixed, few enough for the suite (~15 s on an idle machine). */
const DEFAULT_SEEDS = 20;
const ONE_SEED = Deno.env.get("NETKIT_FUZZ_SEED");
const SEED_COUNT = ONE_SEED ? 1 : Number(Deno.env.get("NETKIT_FUZZ_SEEDS") ?? DEFAULT_SEEDS);
const FIRST_SEED = Number(ONE_SEED ?? Deno.env.get("NETKIT_FUZZ_FIRST_SEED") ?? 1);
const KEEP = Deno.env.get("NETKIT_FUZZ_KEEP") === "1";

/** The STREAM lines of getent ahosts(v4|v6): their addresses and the canonical name. */
function parseAhosts(stdout: string): { canonicalName?: string; addresses: string[] } {
  const lines = stdout.split("\n").filter((line) => / STREAM /.test(line));
  const canonicalName = lines[0]?.split(/\s+/)[2];
  return {
    ...(canonicalName ? { canonicalName } : {}),
    addresses: lines.map((line) => line.split(/\s+/)[0] ?? ""),
  };
}

const isMapped = (address: string) => /^::ffff:[0-9.]+$/i.test(address);

/**
 * A function that compares glibc's answer with netkit's about `name` and adds a sentence to
 * `differences` when they differ (not when `known` says the difference is kept on purpose).
 */
function differenceRecorder(
  name: string,
  differences: string[],
  known: (name: string, glibc: unknown, ours: unknown) => boolean = () => false,
): (what: string, glibc: unknown, ours: unknown) => void {
  return (what, glibc, ours) => {
    if (known(name, glibc, ours)) return;
    try {
      assert.deepEqual(ours, glibc);
    } catch {
      differences.push(
        `${name}: ${what}: glibc ${JSON.stringify(glibc)}, netkit ${JSON.stringify(ours)}`,
      );
    }
  };
}

/** The differences of one name, for the address order (getent beside --ahosts and lookups). */
function compareOrder(probe: OrderProbeName): string[] {
  const differences: string[] = [];
  const differ = differenceRecorder(probe.name, differences);
  const { getent, netkit } = probe;
  differ("getent ahosts / --ahosts", getent.ahosts.stdout, netkit.ahosts.stdout);
  differ("getent ahosts / --ahosts found", getent.ahosts.code === 0, netkit.ahosts.code === 0);
  const asLookup = (answer: NetkitAnswer) =>
    "error" in answer ? { addresses: [] } : {
      ...(answer.canonicalName ? { canonicalName: answer.canonicalName } : {}),
      addresses: answer.addresses ?? [],
    };
  differ(
    "getent ahostsv4 / lookupAddresses(4)",
    parseAhosts(getent.ahostsv4.stdout),
    asLookup(netkit.lookup4),
  );
  // getent ahostsv6 asks with AI_V4MAPPED, which lookupAddresses has no counterpart of: where
  // it mapped IPv4 addresses in (a name without IPv6 ones) not compared; mapped addresses left
  // out of both (glibc drops a hosts file's once the name has an IPv6 address).
  const v6 = parseAhosts(getent.ahostsv6.stdout);
  const ours6 = asLookup(netkit.lookup6);
  const unmapped = (addresses: string[]) => addresses.filter((address) => !isMapped(address));
  if (unmapped(v6.addresses).length > 0) {
    differ(
      "getent ahostsv6 / lookupAddresses(6)",
      { ...v6, addresses: unmapped(v6.addresses) },
      { ...ours6, addresses: unmapped(ours6.addresses) },
    );
  } else {
    differ("getent ahostsv6 / lookupAddresses(6) IPv6 addresses", [], unmapped(ours6.addresses));
  }
  return differences;
}

/** Whether `name` is an address literal of either family, as inet_pton takes it. */
function isLiteral(name: string): boolean {
  try {
    inetPton(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a difference of failures is one netkit keeps on purpose: a literal of the other family
 * is no data to netkit (the cmd says "It is an IPv6 address, not an IPv4 one.") where
 * `gethostbyname` says HOST_NOT_FOUND; a CNAME (`c1.test`) whose target has no address of the
 * family asked, which dnsmasq answers with the CNAME alone, is asked about by netkit (no data)
 * where glibc fails (NO_RECOVERY, EAI_NONAME; cmd/README.md).
 */
function knownFailure(name: string, glibc: unknown, ours: unknown): boolean {
  const kind = (value: unknown) => (value as { error?: string }).error;
  if (kind(ours) !== "no-data") return false;
  if (isLiteral(name)) return kind(glibc) === "not-found";
  return /^c[0-9]\.test\.?$/i.test(name) &&
    (kind(glibc) === "fail" || kind(glibc) === "not-found");
}

/**
 * Whether netkit's failure `ours` is an error code a server answered over TCP under `use-vc`
 * (REFUSED, NOTIMP, FORMERR): netkit names it as the server's answer (`DnsServerError`, "refused to
 * answer"), where glibc's res_query calls it NO_RECOVERY (getaddrinfo: EAI_NONAME) over TCP and,
 * the same code from every server over UDP, TRY_AGAIN (cmd/README.md; seed 1600117).
 */
function answeredOverTcp(config: OrderFuzzConfig, ours: NetkitAnswer): boolean {
  const options = `${config["resolv.conf"]}\n${config.env.RES_OPTIONS ?? ""}`;
  return /\buse-vc\b/.test(options) && "error" in ours && ours.error === "DnsServerError" &&
    ours.rcodeName !== undefined && ours.rcodeName !== "SERVFAIL";
}

/** The differences of one name, for the lecture's C calls. */
function compareCalls(probe: OrderProbeName, config: OrderFuzzConfig): string[] {
  const differences: string[] = [];
  const record = differenceRecorder(probe.name, differences, knownFailure);
  const { glibc, netkit } = probe;
  // `theirs` and `ours` compared unless glibc failed where netkit's failure is an error code
  // answered over TCP (answeredOverTcp).
  const differ = (what: string, theirs: unknown, ours: unknown, answer?: NetkitAnswer) => {
    const glibcKind = (theirs as { error?: string }).error;
    const excused = answer !== undefined && answeredOverTcp(config, answer) &&
      (glibcKind === "fail" || glibcKind === "not-found");
    if (!excused) record(what, theirs, ours);
  };
  // A name that is no host name (`fe80::1.`): getaddrinfo for one family asks DNS for it (nss_dns
  // checks no name for gethostbyname3_r), netkit refuses it, as glibc's other calls (cmd/README.md;
  // seed 1600080).
  const refusedName = "error" in netkit.lookup0 && netkit.lookup0.error === "InvalidHostNameError";
  const hostent = (call: GlibcCall) =>
    call.error !== undefined
      ? { error: failureKind(call.error) }
      : { officialName: call.officialName, aliases: call.aliases, addresses: call.addresses };
  const entry = (answer: NetkitAnswer) =>
    "error" in answer
      ? { error: failureKind(answer.error, answer.failure) }
      : { officialName: answer.officialName, aliases: answer.aliases, addresses: answer.addresses };
  differ("gethostbyname / resolveHost", hostent(glibc.ghbn!), entry(netkit.host4), netkit.host4);
  differ(
    "gethostbyname2(AF_INET6) / resolveHost(6)",
    hostent(glibc.ghbn2!),
    entry(netkit.host6),
    netkit.host6,
  );
  const addrinfo = (call: GlibcCall) =>
    call.error !== undefined
      ? { error: failureKind(call.error) }
      : { canonicalName: call.canonicalName, addresses: call.addresses };
  const lookup = (answer: NetkitAnswer) =>
    "error" in answer
      ? { error: failureKind(answer.error, answer.failure) }
      : { canonicalName: answer.canonicalName, addresses: answer.addresses };
  differ(
    "getaddrinfo(AF_UNSPEC) / lookupAddresses(0)",
    addrinfo(glibc["gai:0:c"]!),
    lookup(netkit.lookup0),
    netkit.lookup0,
  );
  if (!refusedName) {
    differ(
      "getaddrinfo(AF_INET) / lookupAddresses(4)",
      addrinfo(glibc["gai:4:c"]!),
      lookup(netkit.lookup4),
      netkit.lookup4,
    );
    differ(
      "getaddrinfo(AF_INET6) / lookupAddresses(6)",
      addrinfo(glibc["gai:6:c"]!),
      lookup(netkit.lookup6),
      netkit.lookup6,
    );
  }
  differ(
    "getaddrinfo(AI_ADDRCONFIG) / lookupAddresses(addressConfig)",
    addrinfo(glibc["gai:0:ca"]!),
    lookup(netkit.lookup0AddressConfig),
    netkit.lookup0AddressConfig,
  );
  // AI_NUMERICHOST: a literal gives what any lookup of it gives.
  const numeric = glibc["gai:0:n"]!;
  if (numeric.error === undefined) {
    differ(
      "getaddrinfo(AI_NUMERICHOST) / lookupAddresses(0) addresses",
      numeric.addresses,
      "error" in netkit.lookup0 ? netkit.lookup0 : netkit.lookup0.addresses,
    );
  }
  return differences;
}

/** The differences of getnameinfo(NI_NAMEREQD) beside resolveAddress. */
function compareReverse(result: OrderProbeResult): string[] {
  return result.reverse.flatMap(({ address, glibc, netkit }) => {
    const ours = "error" in netkit ? { error: failureKind(netkit.error, netkit.failure) } : {
      host: netkit.names?.[0],
    };
    const theirs = glibc.error !== undefined
      ? { error: failureKind(glibc.error) }
      : { host: glibc.host };
    try {
      assert.deepEqual(ours, theirs);
      return [];
    } catch {
      return [
        `-x ${address}: getnameinfo ${JSON.stringify(theirs)}, resolveAddress ${
          JSON.stringify(ours)
        }`,
      ];
    }
  });
}

/** The configuration as a report shows it, to replay it by hand. */
function describe(config: OrderFuzzConfig): string {
  const block = (title: string, text: string) =>
    `--- ${title}\n${text.endsWith("\n") || text === "" ? text : `${text}\n`}`;
  return [
    block("/etc/gai.conf", config.gaiConf ?? "(none)"),
    block("/etc/hosts", config.hosts),
    block("/etc/resolv.conf", config["resolv.conf"]),
    block("/etc/nsswitch.conf", config["nsswitch.conf"]),
    block("environment", Object.entries(config.env).map(([k, v]) => `${k}=${v}`).join("\n")),
    config.scripted
      ? block("scripted server", `${JSON.stringify(config.zone)}\n${JSON.stringify(config.script)}`)
      : block("dnsmasq", config.records.join("\n")),
  ].join("");
}

/** Whether glibc's source for `address` (the kernel's) is netkit's guess, asked once each. */
function comparableOn(program: string): (address: string) => boolean {
  const known = new Map<string, boolean>();
  return (address) => {
    let same = known.get(address);
    if (same === undefined) {
      same = (guessSourceAddress(address) ?? null) === kernelSourceAddress(program, address);
      known.set(address, same);
    }
    return same;
  };
}

/** Runs one seed; returns its probe's answers and configuration. */
async function runSeed(
  seed: number,
  dir: string,
  program: string,
  comparable: (address: string) => boolean,
): Promise<{ config: OrderFuzzConfig; result: OrderProbeResult }> {
  const config = generateOrderFuzzConfig(seed, SERVER, comparable);
  await using _server = config.scripted
    ? await startScriptedDnsServer(SERVER, config.script, config.zone)
    : await startDnsmasqOnPort53(SERVER, [
      "--local=/in-addr.arpa/",
      "--local=/ip6.arpa/",
      ...config.records,
    ]);
  const questions = `${dir}/questions.json`;
  await Deno.writeTextFile(questions, JSON.stringify(config));
  // Files of any name go over /etc (runWithEtcFilesAbsent copies each key's text in).
  const files: Record<string, string> = {
    hosts: config.hosts,
    "resolv.conf": config["resolv.conf"],
    "nsswitch.conf": config["nsswitch.conf"],
    ...(config.gaiConf === undefined ? {} : { "gai.conf": config.gaiConf }),
  };
  const run = await runWithEtcFilesAbsent(
    dir,
    files,
    config.gaiConf === undefined ? ["gai.conf"] : [],
    [Deno.execPath(), "run", "-A", `${ROOT}/tests/harness/order_fuzz_probe.ts`, questions, program],
    config.env,
  );
  if (run.code !== 0) {
    throw new Error(
      `seed ${seed}: the probe failed (exit ${run.code}): ${run.stderr.trim()}\n${
        describe(config)
      }`,
    );
  }
  return { config, result: JSON.parse(run.stdout) as OrderProbeResult };
}

Deno.test({
  name:
    `netkit orders addresses and answers the lecture's C calls as glibc, on ${SEED_COUNT} random gai.conf and address sets${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using scratch = await tempDir();
    // NETKIT_FUZZ_KEEP=1: a directory left behind (each seed's files and questions), to look into.
    const dir = KEEP ? { path: await Deno.makeTempDir({ prefix: "netkit_order_" }) } : scratch;
    if (KEEP) console.log(`order test directory: ${dir.path}`);
    const program = await compileGlibcCalls(dir.path);
    const comparable = comparableOn(program);
    const runs: { config: OrderFuzzConfig; result: OrderProbeResult }[] = [];
    for (let seed = FIRST_SEED; seed < FIRST_SEED + SEED_COUNT; seed++) {
      const seedDir = `${dir.path}/${seed}`;
      await Deno.mkdir(seedDir);
      runs.push(await runSeed(seed, seedDir, program, comparable));
    }
    const report = (
      compare: (probe: OrderProbeName, config: OrderFuzzConfig) => string[],
      reverse: boolean,
    ) =>
      runs.flatMap(({ config, result }) => {
        const found = [
          ...result.names.flatMap((probe) => compare(probe, config)),
          ...(reverse ? compareReverse(result) : []),
        ];
        return found.length === 0
          ? []
          : [`seed ${config.seed}: ${found.join(`\nseed ${config.seed}: `)}\n${describe(config)}`];
      });
    await t.step("getent ahosts, ahostsv4, ahostsv6 beside --ahosts and lookupAddresses", () => {
      const differences = report(compareOrder, false);
      assert.equal(differences.length, 0, `differences from glibc:\n\n${differences.join("\n")}`);
    });
    await t.step(
      "gethostbyname(2), getaddrinfo, getnameinfo beside resolveHost, lookupAddresses, resolveAddress",
      () => {
        const differences = report(compareCalls, true);
        assert.equal(differences.length, 0, `differences from glibc:\n\n${differences.join("\n")}`);
      },
    );
  },
});

Deno.test({
  name: `resolve-hostname --ahosts parts an address's lines where getent ahosts does${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn() {
    // A hosts file listing 192.168.0.7 twice, IPv4 preferred: glibc sorts each address once per
    // socket type, and its merge sort parts 192.0.2.9's lines on a host in 192.0.2.0/24 (RFC
    // 6724's rules tie in a circle there). Compared where the sources agree with the kernel's.
    await using dir = await tempDir();
    const program = await compileGlibcCalls(dir.path);
    const addresses = ["192.168.0.7", "::ffff:10.0.0.1", "192.0.2.9", "fe80::1", "192.168.0.7"];
    const comparable = comparableOn(program);
    if (!addresses.every(comparable)) return;
    const files: Record<string, string> = {
      hosts: addresses.map((address) => `${address} t.test\n`).join(""),
      "gai.conf": "precedence ::ffff:0:0/96 100\n",
    };
    const glibc = await runWithEtcFilesAbsent(dir.path, files, [], ["getent", "ahosts", "t.test"]);
    const netkit = await runWithEtcFilesAbsent(
      dir.path,
      files,
      [],
      resolveHostnameCommand("--ahosts", "t.test"),
    );
    assert.equal(glibc.code, 0);
    assert.equal(netkit.stdout, glibc.stdout);
  },
});
