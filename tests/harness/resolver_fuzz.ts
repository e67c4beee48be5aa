/**
 * A seeded generator of name-resolution configurations, for the random differential test of
 * `resolve-hostname` against glibc's getent (tests/cmd/resolve-hostname_random_test.ts): one
 * seed gives one resolv.conf, hosts file, nsswitch.conf, environment (`LOCALDOMAIN`,
 * `RES_OPTIONS`), the records a dnsmasq serves, and the names and addresses to ask about; the
 * same seed gives the same configuration, so that a difference replays.
 *
 * @module
 */

import { seededRandom } from "./seeded_random.ts";

/**
 * nsswitch.conf `hosts:` lines that name a source twice (a second DNS walk, each family's source
 * in step). The questions test draws those without `myhostname`.
 */
export const HOSTS_LINES_NAMING_A_SOURCE_TWICE: readonly string[] = [
  "dns files dns",
  "dns dns",
  "dns [NOTFOUND=continue] dns",
  "files dns files",
  "dns [!UNAVAIL=return] dns files",
  "dns [NOTFOUND=return] dns",
  "files dns [SUCCESS=continue] dns",
  "dns myhostname dns files",
  "dns [UNAVAIL=continue] files dns",
];

/** The addresses a configuration may name as servers. */
export interface FuzzServers {
  /** Loopback addresses where the test's dnsmasq answers on port 53 (one or more). */
  live: string[];
  /** A loopback address where nothing listens (a dead server). */
  dead: string;
}

/** One generated configuration and what to ask of it. */
export interface FuzzConfig {
  seed: number;
  "resolv.conf": string;
  hosts: string;
  "nsswitch.conf": string;
  /** `LOCALDOMAIN` and `RES_OPTIONS`, when set. */
  env: Record<string, string>;
  /** The text of a `HOSTALIASES` file, when there is one. */
  hostAliases?: string;
  /** The text of `/etc/host.conf`, when the test's own (else the system's stays). */
  "host.conf"?: string;
  /** dnsmasq options: `--host-record=…`, `--cname=…`. */
  records: string[];
  /** Names to look up, each as `getent hosts/ahosts/ahostsv4/ahostsv6` and netkit. */
  names: string[];
  /** Addresses to look up in reverse (`getent hosts ADDRESS`, `resolve-hostname -x`). */
  reverse: string[];
}

/** The first seed that draws the options, search lists and hosts lines of 1,400,000 on. */
export const NEW_FORMS_FROM_SEED = 1_400_000;

/**
 * resolv.conf options glibc 2.36 knows, drawn together from {@linkcode NEW_FORMS_FROM_SEED} (and by
 * the questions and order generators from their seed 1,600,000; the order of the list is part of
 * every seed's draw).
 */
export const GLIBC_RESOLV_OPTIONS = [
  "ndots:0",
  "ndots:15",
  "attempts:1 timeout:1",
  "rotate",
  "no-aaaa",
  "single-request",
  "single-request-reopen",
  "edns0",
  "trust-ad",
  "no-tld-query",
  "use-vc",
];

/** Domains the configurations are made of; `nx.test` has nothing in it. */
const DOMAINS = ["corp.test", "lab.test", "test", "sub.corp.test", "nx.test", "a.b.test"];
const LABELS = ["web", "db", "mail", "svc", "host", "x", "a1", "gw", "only4", "only6", "dual"];
/** IPv6 prefixes whose RFC 6724 labels and precedences differ. */
const IPV6_PREFIXES = ["fd00::", "2001:db8::", "fd12:3456::", "2002:c000:204::", "64:ff9b::"];

/** Address literals and hostile names glibc takes or refuses in its own ways. */
const ODD_NAMES = [
  "127.1",
  "0x7f.1",
  "127.0.0.1",
  "0177.0.0.1",
  "10.1",
  "127.0.0.256",
  "1.2.3.4.5",
  "::1",
  "::ffff:127.0.0.1",
  "::ffff:10.200.0.1",
  "fe80::1%lo",
  "::1%1",
  "fe80::1%999",
  "::1%lo",
  "fe80::1%nosuch",
  "FE80::1%lo",
  "[::1]",
  "localhost",
  "localhost.",
  "LOCALHOST",
  "ip6-localhost",
  "localhost.localdomain",
  "vm",
  "_gateway",
  `${"l".repeat(63)}.test`,
  `${"l".repeat(64)}.test`,
  `${"abcdefghi.".repeat(25)}test`,
  `${"abcdefghi.".repeat(26)}test`,
  "web.test..",
  "web..test",
  ".web.test",
  "..",
  ".",
  "bücher.test",
  "xn--bcher-kva.test",
  "ü",
  "a_b.test",
  "-a.test",
  "a-.test",
  "a*b",
  "1.2.3.4.in-addr.arpa",
  "0",
  "0x",
  "123",
];

/** International labels, in Unicode and in their `xn--` form. */
const INTERNATIONAL: [string, string][] = [
  ["bücher", "xn--bcher-kva"],
  ["café", "xn--caf-dma"],
  ["straße", "xn--strae-oqa"],
  ["日本", "xn--wgv71a"],
];

/**
 * `records` without the CNAME chains a search-list walk may go past where glibc stops: a chain
 * whose end has one family only answers a question of the other with the CNAME alone, which
 * glibc's res_search takes as the answer (and getaddrinfo then finds nothing, NO_RECOVERY), and
 * netkit as no data, going on with the search list on purpose (cmd/README.md). The walk finds
 * something further on where a wildcard domain is served and searched, or another name has the alias's first
 * label (`api6.sub.corp.test` then `api6.lab.test` for `api6`); there the chain is left out, all
 * its links (seed 5240). Filtered once every draw is made, so that each seed's other parts stay
 * as they were.
 */
function withoutChainsWalkedPast(
  records: string[],
  chains: { end: string; aliases: string[] }[],
  familyOf: Map<string, number>,
  allNames: string[],
  wildSearched: boolean,
): string[] {
  const wildcard = wildSearched &&
    records.some((record) => record.startsWith("--address=/wild.test/"));
  const firstLabel = (name: string) => name.slice(0, name.indexOf(".")).toLowerCase();
  const dropped = new Set<string>();
  for (const chain of chains) {
    if ((familyOf.get(chain.end) ?? 0) === 0) continue;
    const walkedPast = wildcard ||
      chain.aliases.some((alias) =>
        allNames.some((other) => other !== alias && firstLabel(other) === firstLabel(alias))
      );
    if (walkedPast) { for (const alias of chain.aliases) dropped.add(alias); }
  }
  return records.filter((record) =>
    !record.startsWith("--cname=") || !dropped.has(record.slice(8, record.indexOf(",")))
  );
}

/**
 * The configuration of seed `seed`, with `servers` as the name servers resolv.conf may name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateFuzzConfig } from "./resolver_fuzz.ts";
 *
 * const servers = { live: ["127.0.0.2"], dead: "127.0.0.3" };
 * assert.deepEqual(generateFuzzConfig(7, servers), generateFuzzConfig(7, servers));
 * ```
 */
export function generateFuzzConfig(seed: number, servers: FuzzServers): FuzzConfig {
  const random = seededRandom(seed);
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const shuffled = <T>(items: readonly T[]): T[] => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  const upperSome = (name: string) =>
    [...name].map((c) => chance(0.4) ? c.toUpperCase() : c).join("");
  const ipv4 = (first = 10) => `${first}.${int(0, 3)}.${int(0, 3)}.${int(1, 9)}`;
  const ipv6 = () => `${pick(IPV6_PREFIXES)}${int(1, 9)}:${int(1, 9)}`;

  // DNS: names with and without dots, in and out of the search domains, one family or both.
  const records: string[] = [];
  const dnsNames: string[] = [];
  const dnsAddresses: string[] = [];
  /** The families each DNS name has (0: both). */
  const familyOf = new Map<string, number>();
  for (let i = int(2, 7); i > 0; i--) {
    const label = pick(LABELS);
    const name = chance(0.1) ? label : `${label}.${pick(DOMAINS.filter((d) => d !== "nx.test"))}`;
    if (dnsNames.includes(name)) continue;
    // A name without dots has both families: dnsmasq (no upstream) refuses the question of the
    // family such a name lacks, and glibc's getaddrinfo then drops the other family's answer,
    // where netkit keeps it (cmd/README.md).
    const picked = label === "only4" ? 4 : label === "only6" ? 6 : pick([4, 6, 0, 0]);
    const family = name.includes(".") ? picked : 0;
    const addresses: string[] = [];
    for (let n = int(1, 3); n > 0; n--) {
      addresses.push(family === 4 || (family === 0 && chance(0.5)) ? ipv4() : ipv6());
    }
    if (family === 0 && !addresses.some((a) => a.includes(":"))) addresses.push(ipv6());
    if (family === 0 && !addresses.some((a) => a.includes("."))) addresses.push(ipv4());
    const unique = [...new Set(addresses)];
    records.push(`--host-record=${name},${unique.join(",")}`);
    familyOf.set(name, family);
    dnsNames.push(name);
    dnsAddresses.push(...unique);
  }
  // A name with no address, only an MX record (no data for A and AAAA), and now and then a
  // wildcard domain, where every name exists (a search list with it finds any name).
  if (chance(0.3)) {
    const name = `${pick(LABELS)}.${pick(DOMAINS.filter((d) => d !== "nx.test"))}`;
    if (!dnsNames.includes(name)) records.push(`--mx-host=${name},${pick(dnsNames)}`);
  }
  if (chance(0.15)) {
    records.push(`--address=/wild.test/${ipv4()}`);
    if (chance(0.5)) records.push(`--address=/wild.test/${ipv6()}`);
  }
  // CNAME chains of one to three links, ending at a record.
  const aliases: string[] = [];
  const chains: { end: string; aliases: string[] }[] = [];
  for (let i = int(0, 3); i > 0; i--) {
    let target = pick(dnsNames);
    const chain = { end: target, aliases: [] as string[] };
    chains.push(chain);
    for (let link = int(1, 3); link > 0; link--) {
      const alias = `${pick(["www", "ftp", "api", "cn"])}${int(1, 9)}.${
        pick(DOMAINS.filter((d) => d !== "nx.test"))
      }`;
      if (dnsNames.includes(alias) || aliases.includes(alias)) break;
      records.push(`--cname=${alias},${target}`);
      aliases.push(alias);
      chain.aliases.push(alias);
      target = alias;
    }
  }

  // The hosts file: IPv4 and IPv6 lines, aliases, upper case, one name on several lines,
  // comments, odd spacing and junk.
  const hostsLines: string[] = [];
  const hostsNames: string[] = [];
  const hostsAddresses: string[] = [];
  if (chance(0.8)) hostsLines.push("127.0.0.1\tlocalhost");
  if (chance(0.6)) hostsLines.push("::1\tlocalhost ip6-localhost ip6-loopback");
  for (let i = int(0, 6); i > 0; i--) {
    const address = pick([
      () => ipv4(),
      () => ipv4(),
      () => ipv6(),
      () => `127.0.${int(0, 1)}.${int(1, 9)}`,
      () => "::1",
      () => `::ffff:${ipv4()}`,
      () => pick(dnsAddresses.length > 0 ? dnsAddresses : ["10.0.0.1"]),
    ])();
    const names: string[] = [];
    for (let n = int(1, 3); n > 0; n--) {
      const name = chance(0.3) && dnsNames.length > 0
        ? pick(dnsNames)
        : chance(0.2) && hostsNames.length > 0
        ? pick(hostsNames)
        : chance(0.3)
        ? pick(LABELS)
        : `${pick(LABELS)}.${pick(DOMAINS)}`;
      names.push(chance(0.15) ? upperSome(name) : name);
    }
    const blank = () => pick([" ", "\t", "  ", " \t "]);
    let line = `${chance(0.1) ? blank() : ""}${address}${blank()}${names.join(blank())}`;
    if (chance(0.1)) line += `${blank()}# a comment`;
    if (chance(0.05)) line += blank();
    // A CR before the newline (a file from another system), a name with a final dot.
    if (chance(0.05)) line += "\r";
    if (chance(0.05)) line += ` ${pick(LABELS)}.${pick(DOMAINS)}.`;
    hostsLines.push(line);
    hostsNames.push(...names);
    hostsAddresses.push(address);
  }
  for (let i = int(0, 2); i > 0; i--) {
    hostsLines.push(pick([
      "# a comment line",
      "",
      "junk",
      "10.1.2 short.test",
      "999.1.1.1 bad.test",
      "10.9.9.9",
      "fe80::1%lo scoped.test",
      "10.9.9.8 # only a comment",
      "#10.9.9.7 commented.test",
    ]));
  }
  // A last line without a newline, but not an indented one: glibc's __nss_readline moves an
  // indented line left without its final NUL, so such a line's name gets its last characters
  // twice ("\tx.test" reads as "x.testt"), which netkit does not copy (cmd/README.md).
  const lines = shuffled(hostsLines);
  const hosts = lines.join("\n") + (chance(0.9) || /^\s/.test(lines.at(-1) ?? "") ? "\n" : "");

  // nsswitch.conf's hosts: line.
  const hostsLine = pick([
    "files dns",
    "files dns",
    "dns files",
    "files",
    "dns",
    "files [NOTFOUND=return] dns",
    "dns [NOTFOUND=return] files",
    "files myhostname dns",
    "myhostname files dns",
    "files dns myhostname",
    "dns [!UNAVAIL=return] files",
    "files [SUCCESS=continue] dns",
    "files mdns4_minimal [NOTFOUND=return] dns",
    "files resolve [!UNAVAIL=return] dns",
    "dns [UNAVAIL=return] files",
    "dns [TRYAGAIN=return] files myhostname",
    "myhostname [!UNAVAIL=return] dns files",
    "files [NOTFOUND=continue] dns [SUCCESS=return] myhostname",
  ]);
  const nsswitch = chance(0.1)
    ? "passwd: files\n"
    : `passwd: files\nhosts:${pick([" ", "\t", "     "])}${hostsLine}\n`;

  // resolv.conf: name servers (one sometimes dead), search or domain, options, comments.
  const resolvLines: string[] = [];
  const nameServers = shuffled([
    ...servers.live.slice(0, int(0, servers.live.length)),
    ...(chance(0.3) ? [servers.dead] : []),
  ]);
  if (nameServers.length === 0 && chance(0.8)) nameServers.push(servers.live[0]!);
  for (const server of nameServers) {
    const trailer = chance(0.1) ? pick([" # the test's", "\t", " 10.9.9.9"]) : "";
    resolvLines.push(`nameserver${pick([" ", "\t"])}${server}${trailer}`);
  }
  const domains = () => {
    const list: string[] = [];
    for (let n = int(0, chance(0.1) ? 9 : 6); n > 0; n--) {
      const domain = pick([...DOMAINS, ...DOMAINS, ".", "other", "corp.test.", "wild.test"]);
      list.push(chance(0.05) ? `.${domain}` : domain);
    }
    return list;
  };
  for (let i = int(0, 2); i > 0; i--) {
    if (chance(0.7)) {
      const list = domains();
      resolvLines.push(`search${list.length === 0 ? "" : " "}${list.join(pick([" ", "\t"]))}`);
    } else {
      resolvLines.push(`domain ${pick(DOMAINS)}`);
    }
  }
  const option = () =>
    pick([
      `ndots:${int(0, 3)}`,
      `ndots:${int(0, chance(0.1) ? 20 : 3)}`,
      `attempts:${int(1, 3)}`,
      "timeout:1",
      "rotate",
      "no-tld-query",
      "use-vc",
      "no-aaaa",
      "edns0",
      "single-request",
      "trust-ad",
      "inet6",
    ]);
  for (let i = int(0, 2); i > 0; i--) {
    const options = Array.from({ length: int(1, 3) }, option);
    resolvLines.push(`options ${options.join(" ")}`);
  }
  // Every server asked for one second at most: a silent server (there is none) cannot stall it.
  resolvLines.push("options timeout:1");
  for (let i = int(0, 2); i > 0; i--) {
    resolvLines.push(pick([
      "# a comment",
      "; a comment",
      "",
      "bogus line",
      "sortlist",
      "sortlist 10.1.0.0/255.255.0.0 10.3.0.0",
      "sortlist 10.2.0.0&255.255.0.0;10.0.0.0",
      "sortlist 10.0.3.0/255.255.255.0",
    ]));
  }
  if (chance(0.2) && resolvLines.length > 0) resolvLines.push(pick(resolvLines));
  const resolvConf = shuffled(resolvLines).join("\n") + "\n";

  const env: Record<string, string> = {};
  if (chance(0.15)) env.LOCALDOMAIN = chance(0.1) ? "" : domains().join(" ");
  if (chance(0.15)) env.RES_OPTIONS = Array.from({ length: int(1, 2) }, option).join(" ");
  // A HOSTALIASES file (hostname(7)): single labels to other names.
  let hostAliases: string | undefined;
  if (chance(0.1)) {
    hostAliases = Array.from(
      { length: int(1, 3) },
      () => `${pick(LABELS)}${pick([" ", "\t"])}${pick(dnsNames)}${chance(0.2) ? " more" : ""}`,
    ).join("\n") + "\n";
  }

  // The names to ask: DNS names whole, by their first label, with a final dot, in upper case;
  // CNAMEs, hosts-file names, misses, address literals and hostile names.
  const names = new Set<string>();
  const variant = (name: string) => {
    const roll = random();
    if (roll < 0.3 && name.includes(".")) return name.slice(0, name.indexOf("."));
    if (roll < 0.4) return `${name}.`;
    if (roll < 0.5) return upperSome(name);
    if (roll < 0.55) return `${name}..`;
    return name;
  };
  for (let i = int(3, 6); i > 0; i--) names.add(variant(pick(dnsNames)));
  for (let i = int(0, 2); i > 0 && aliases.length > 0; i--) names.add(variant(pick(aliases)));
  for (let i = int(1, 3); i > 0 && hostsNames.length > 0; i--) names.add(variant(pick(hostsNames)));
  for (let i = int(1, 2); i > 0; i--) {
    names.add(pick([pick(LABELS), `${pick(LABELS)}.${pick(DOMAINS)}`, "nope", "nope.test"]));
  }
  for (let i = int(1, 3); i > 0; i--) names.add(pick(ODD_NAMES));

  const reverse = new Set<string>();
  for (let i = int(1, 3); i > 0; i--) {
    reverse.add(pick([
      ...dnsAddresses,
      ...hostsAddresses,
      "127.0.0.1",
      "::1",
      "10.9.9.9",
      `::ffff:${pick(dnsAddresses.filter((a) => !a.includes(":")).concat(["10.0.0.1"]))}`,
    ]));
  }

  // Drawn from a stream of their own, after every other draw, so that each seed's other parts
  // stay as they were: a CNAME chain of 8 to 10 links (one answer: dnsmasq gives the whole
  // chain), and an international name (dnsmasq serves it in its `xn--` form) asked in Unicode,
  // in upper case, by its first label or in its `xn--` form.
  const more = seededRandom(seed * 7_368_787 + 5);
  const pickMore = <T>(items: readonly T[]): T => items[Math.floor(more() * items.length)]!;
  if (more() < 0.2) {
    let target = pickMore(dnsNames);
    const chain = { end: target, aliases: [] as string[] };
    const domain = pickMore(DOMAINS.filter((d) => d !== "nx.test"));
    for (let link = 8 + Math.floor(more() * 3); link > 0; link--) {
      const alias = `long${link}.${domain}`;
      records.push(`--cname=${alias},${target}`);
      chain.aliases.push(alias);
      target = alias;
    }
    chains.push(chain);
    aliases.push(...chain.aliases);
    names.add(more() < 0.5 ? target : pickMore(chain.aliases));
    if (more() < 0.3) names.add(target.slice(0, target.indexOf(".")));
  }
  if (more() < 0.2) {
    const [unicode, ascii] = pickMore(INTERNATIONAL);
    const domain = pickMore(DOMAINS.filter((d) => d !== "nx.test"));
    const addresses = [ipv4(), ...(more() < 0.5 ? [ipv6()] : [])];
    records.push(`--host-record=${unicode}.${domain},${addresses.join(",")}`);
    familyOf.set(`${ascii}.${domain}`, addresses.length === 2 ? 0 : 4);
    if (more() < 0.4) {
      const alias = `idn.${domain}`;
      records.push(`--cname=${alias},${ascii}.${domain}`);
      chains.push({ end: `${ascii}.${domain}`, aliases: [alias] });
      aliases.push(alias);
      names.add(pickMore([alias, "idn"]));
    }
    dnsNames.push(`${ascii}.${domain}`);
    const asked = pickMore([
      `${unicode}.${domain}`,
      `${unicode.toUpperCase()}.${domain}`,
      `${ascii}.${domain}`,
      unicode,
      `${unicode}.${domain}.`,
    ]);
    names.add(asked);
  }

  // host.conf and its variables, from a stream of their own (the other parts stay as they were):
  // `multi` on, off or unset (a name's every hosts line, or its first), `reorder` (an address of
  // a network of the host first: lo's 127/8, and 192.0.2.0/24 where the test machine has it),
  // `trim` lists, the commands glibc ignores, comments and junk; `RESOLV_MULTI`,
  // `RESOLV_REORDER`, `RESOLV_ADD_TRIM_DOMAINS`, `RESOLV_OVERRIDE_TRIM_DOMAINS`.
  const conf = seededRandom(seed * 9_176_131 + 3);
  const pickConf = <T>(items: readonly T[]): T => items[Math.floor(conf() * items.length)]!;
  let hostConf: string | undefined;
  let hostsText = hosts;
  if (conf() < 0.4) {
    const trimList = () =>
      Array.from(
        { length: 1 + Math.floor(conf() * 3) },
        () => pickConf([".corp.test", "corp.test", ".test", ".lab.test", ".TEST", "b.test", ""]),
      ).join(pickConf([" ", ",", ", ", ";", ":", "\t"]));
    const lines: string[] = [];
    for (let i = Math.floor(conf() * 5); i > 0; i--) {
      lines.push(pickConf([
        "multi on",
        "multi off",
        "MULTI On",
        "multi\ton # comment",
        "multi offish",
        "multi",
        "multi yes",
        "reorder on",
        "reorder off",
        "Reorder ON",
        `trim ${trimList()}`,
        "order hosts,bind",
        "nospoof on",
        "spoof warn",
        "spoofalert on",
        "# multi off",
        "",
        "  multi on",
        "bogus",
      ]));
    }
    hostConf = lines.join("\n") + (conf() < 0.9 ? "\n" : "");
    // Addresses of the host's own networks, for `reorder` to move: on lines of names that
    // already have some.
    for (let i = Math.floor(conf() * 3); i > 0 && hostsNames.length > 0; i--) {
      const address = pickConf(["127.0.0.5", "127.1.2.3", "192.0.2.77", "192.0.2.2"]);
      const line = `${address}\t${pickConf(hostsNames)}`;
      hostsText = conf() < 0.5
        ? `${line}\n${hostsText}`
        : `${hostsText}${hostsText === "" || hostsText.endsWith("\n") ? "" : "\n"}${line}\n`;
    }
    if (conf() < 0.2) env.RESOLV_MULTI = pickConf(["on", "off", "OFF", "bogus"]);
    if (conf() < 0.2) env.RESOLV_REORDER = pickConf(["on", "off"]);
    if (conf() < 0.15) env.RESOLV_ADD_TRIM_DOMAINS = trimList();
    if (conf() < 0.1) env.RESOLV_OVERRIDE_TRIM_DOMAINS = trimList();
  }

  // Names at DNS's length limits, from a stream of their own (the other parts stay as they
  // were): a search domain of long labels (a `search` line last or first in resolv.conf, or
  // `LOCALDOMAIN`), a name served under it, and names asked whose search-list names are 252 to
  // 255 bytes, or that are themselves 253 or 254 bytes, with and without a final dot.
  const long = seededRandom(seed * 5_003_221 + 7);
  const pickLong = <T>(items: readonly T[]): T => items[Math.floor(long() * items.length)]!;
  const longInt = (low: number, high: number) => low + Math.floor(long() * (high - low + 1));
  let resolvText = resolvConf;
  if (long() < 0.25) {
    const labels = Array.from(
      { length: longInt(2, 3) },
      (_, i) => "stuv"[i]!.repeat(longInt(40, 63)),
    );
    const domain = `${labels.join(".")}.test`;
    const line = `search ${domain}${long() < 0.5 ? " corp.test" : ""}`;
    const where = long();
    if (where < 0.4) resolvText = `${resolvText}${line}\n`;
    else if (where < 0.7) resolvText = `${line}\n${resolvText}`;
    else env.LOCALDOMAIN = `${domain} ${env.LOCALDOMAIN ?? "lab.test"}`;
    // A name of `length` bytes, of labels of one random size (a final dot made a letter).
    const fill = (length: number) => {
      const size = longInt(40, 63);
      const text = Array.from({ length: 7 }, () => "n".repeat(size)).join(".").slice(0, length);
      return text.endsWith(".") ? `${text.slice(0, -1)}n` : text;
    };
    const served = `web.${domain}`;
    records.push(`--host-record=${served},${ipv4()}${long() < 0.5 ? `,${ipv6()}` : ""}`);
    names.add(pickLong(["web", "web.", served, `${served}.`, "WEB"]));
    for (let i = longInt(1, 3); i > 0; i--) {
      const total = longInt(252, 255);
      // A single label whose search-list name is `total` bytes long, when it can be one.
      const label = total - domain.length - 1;
      if (label >= 1 && label <= 63) {
        const asked = "q".repeat(label);
        names.add(asked);
        if (long() < 0.5) records.push(`--host-record=${asked}.${domain},${ipv4()}`);
      }
      const whole = fill(longInt(252, 255));
      names.add(long() < 0.3 ? `${whole}.` : whole);
      if (long() < 0.3 && whole.length <= 253) records.push(`--host-record=${whole},${ipv4()}`);
    }
  }

  // nsswitch.conf's hosts line in the forms glibc's parser reads, from a stream of its own (the
  // other parts stay as they were): sources glibc cannot load (UNAVAIL: `resolve`, `FILES`, a
  // module without hosts functions), action lists of one to three items in any case, negated,
  // with blanks inside and around them, before or after the line's own bracket; no
  // colon, no blank after it; a comment after; an earlier hosts line; a line glibc refuses
  // (which spoils the file: nothing is asked).
  const nss = seededRandom(seed * 3_141_593 + 11);
  const pickNss = <T>(items: readonly T[]): T => items[Math.floor(nss() * items.length)]!;
  let nsswitchText = nsswitch;
  if (nss() < 0.3) {
    const anyCase = (word: string) =>
      nss() < 0.7 ? word : [...word].map((c) => nss() < 0.5 ? c.toUpperCase() : c).join("");
    const gap = () => pickNss(["", "", " ", "\t"]);
    const item = () => {
      const status = anyCase(pickNss(["SUCCESS", "NOTFOUND", "UNAVAIL", "TRYAGAIN"]));
      // Not `merge`, which netkit reads as `continue` on purpose (cmd/README.md).
      const action = anyCase(pickNss(["return", "continue", "RETURN"]));
      return `${nss() < 0.25 ? "!" : ""}${status}${gap()}=${gap()}${action}`;
    };
    const hostsLineOf = () => {
      const sources: string[] = [];
      for (let n = 1 + Math.floor(nss() * 4); n > 0; n--) {
        let source = pickNss([
          "files",
          "files",
          "dns",
          "dns",
          "myhostname",
          "resolve",
          "mdns4_minimal",
          "systemd",
          "FILES",
          "Dns",
        ]);
        if (nss() < 0.4) {
          const items = Array.from({ length: 1 + Math.floor(nss() * 3) }, item);
          source += `${pickNss(["", " ", "  "])}[${gap()}${
            items.join(pickNss([" ", "  ", "\t"]))
          }${gap()}]`;
        }
        sources.push(source);
      }
      const refused = nss() < 0.08
        ? ` ${
          pickNss([
            "[NOTFOUND=bogus]",
            "[FOO=return]",
            "[]",
            "[NOTFOUND=return",
            "[! NOTFOUND=return]",
          ])
        }`
        : "";
      return `${pickNss(["hosts:", "hosts:", "hosts", "hosts :"])}${
        pickNss([" ", "\t", "", "   "])
      }${sources.join(pickNss([" ", "\t", "  "]))}${refused}${nss() < 0.15 ? " # a comment" : ""}`;
    };
    const lines = ["passwd: files"];
    if (nss() < 0.2) lines.push(hostsLineOf());
    lines.push(hostsLineOf());
    if (nss() < 0.1) {
      lines.push(pickNss(["group: files [NOTFOUND=bogus]", "networks: files", "shadow files"]));
    }
    nsswitchText = lines.join("\n") + "\n";
  }

  // resolv.conf lines in the forms glibc's res_init reads, from a stream of their own (the other
  // parts stay as they were): options repeated and contradicting (the last wins), out of range or
  // with junk after the number, `options` words on a `search` line, `domain` with two words, a CR
  // at a line's end (kept in the word), capitalised or indented keywords (no setting), a keyword
  // alone. Never `attempts:0`, which netkit reads as one round (cmd/README.md).
  const form = seededRandom(seed * 8_388_593 + 17);
  const pickForm = <T>(items: readonly T[]): T => items[Math.floor(form() * items.length)]!;
  if (form() < 0.25) {
    const extra: string[] = [];
    for (let i = 1 + Math.floor(form() * 3); i > 0; i--) {
      extra.push(pickForm([
        "options ndots:2 ndots:0",
        "options ndots:0 ndots:3",
        "options ndots:-1",
        "options ndots:16",
        "options ndots:2x",
        "options ndots: 2",
        "options  no-tld-query\tndots:1",
        "options timeout:0",
        "options debug no-reload single-request-reopen",
        `search ${pickForm(DOMAINS)} options ndots:2`,
        `search\t${pickForm(DOMAINS)}\t${pickForm(DOMAINS)}  `,
        `search ${pickForm(DOMAINS)}\r`,
        `domain ${pickForm(DOMAINS)} ${pickForm(DOMAINS)}`,
        `domain ${pickForm(DOMAINS)}\r`,
        `Search ${pickForm(DOMAINS)}`,
        ` search ${pickForm(DOMAINS)}`,
        "search",
        "domain",
        "options",
        `search ${pickForm(DOMAINS)} ${pickForm(DOMAINS)} ${pickForm(DOMAINS)} ${
          pickForm(DOMAINS)
        } ${pickForm(DOMAINS)} ${pickForm(DOMAINS)} ${pickForm(DOMAINS)} ${pickForm(DOMAINS)}`,
      ]));
    }
    const lines = resolvText.trimEnd().split("\n");
    for (const line of extra) lines.splice(Math.floor(form() * (lines.length + 1)), 0, line);
    resolvText = lines.join("\n") + "\n";
  }

  // Names written with the escapes of DNS master files, from a stream of their own (the other
  // parts stay as they were): a DNS name or a search-list label with a letter as `\X` or `\DDD`,
  // and escapes that leave no host name (a dot or a blank inside a label, two digits short, over
  // 255, a final backslash). Not with a HOSTALIASES file, which glibc reads by the text as typed
  // and netkit by the name it stands for (cmd/README.md).
  const esc = seededRandom(seed * 6_700_417 + 13);
  const pickEsc = <T>(items: readonly T[]): T => items[Math.floor(esc() * items.length)]!;
  if (esc() < 0.2 && hostAliases === undefined && dnsNames.length > 0) {
    for (let i = 1 + Math.floor(esc() * 2); i > 0; i--) {
      const base = variant(pickEsc(dnsNames));
      const letters = [...base].flatMap((c, at) => /[a-z0-9]/i.test(c) ? [at] : []);
      const at = letters.length > 0 ? pickEsc(letters) : -1;
      if (at < 0) continue;
      const char = base[at]!;
      const escaped = esc() < 0.5
        ? `\\${char}`
        : `\\${String(char.charCodeAt(0)).padStart(3, "0")}`;
      names.add(`${base.slice(0, at)}${escaped}${base.slice(at + 1)}`);
    }
    if (esc() < 0.5) {
      const name = pickEsc(dnsNames);
      const dot = name.indexOf(".");
      names.add(pickEsc([
        `${name}\\`,
        `\\1${name}`,
        `\\256${name}`,
        `\\032${name}`,
        dot < 0 ? `${name}\\.test` : `${name.slice(0, dot)}\\.${name.slice(dot + 1)}`,
        dot < 0 ? `${name}\\046test` : `${name.slice(0, dot)}\\046${name.slice(dot + 1)}`,
      ]));
    }
  }

  // Reverse zones, nsswitch.conf lines naming a source twice and hosts-file lines of more kinds,
  // from a stream of their own (the other parts stay as they were; fuzz21d).
  const more2 = seededRandom(seed * 2_750_159 + 19);
  const pick2 = <T>(items: readonly T[]): T => items[Math.floor(more2() * items.length)]!;
  const int2 = (low: number, high: number) => low + Math.floor(more2() * (high - low + 1));
  // PTR records of their own: one to three names for an address (glibc takes the first that is
  // a host name, and fails at one that is not), odd and long names, both families, asked as
  // they are and IPv4-mapped; a name with an empty label (`a..b.test`: dnsmasq sends its first
  // label, then the rest inside the record's data, which glibc reads as the name `a`).
  if (more2() < 0.35) {
    for (let i = int2(1, 3); i > 0; i--) {
      const v6 = more2() < 0.35;
      const last = int2(1, 9);
      const third = int2(0, 3);
      const address = v6 ? `fd99::${last}` : `10.8.${third}.${last}`;
      const arpa = v6
        ? `${[..."fd99".padEnd(31, "0") + last].reverse().join(".")}.ip6.arpa`
        : `${last}.${third}.8.10.in-addr.arpa`;
      for (let n = int2(1, 3); n > 0; n--) {
        records.push(`--ptr-record=${arpa},${
          pick2([
            () => `${pick2(LABELS)}.${pick2(DOMAINS)}`,
            () => upperSome(`${pick2(LABELS)}.${pick2(DOMAINS)}`),
            () => pick2(LABELS),
            () => "a_b.test",
            () => "-lead.test",
            () => "trail-.test",
            () => "has space.test",
            () => "a..b.test",
            () => "*.test",
            () => "x.",
            () => "bücher.test",
            () => `${"l".repeat(63)}.test`,
            () => `${"abcdefghi.".repeat(24)}test`,
            () => pick2(dnsNames.length > 0 ? dnsNames : ["web.test"]),
          ])()
        }`);
      }
      reverse.add(address);
      if (!v6 && more2() < 0.3) reverse.add(`::ffff:${address}`);
    }
  }
  // A hosts line naming a source twice: a second DNS walk, each family's source in step.
  if (more2() < 0.15) {
    nsswitchText = `passwd: files\nhosts: ${pick2(HOSTS_LINES_NAMING_A_SOURCE_TWICE)}\n`;
  }
  // Hosts lines: a name on lines of both families and as another line's alias, scoped IPv6
  // addresses, tabs and comments right after a name, a DNS name with a hosts-file address.
  if (more2() < 0.3) {
    const extra: string[] = [];
    for (let i = int2(1, 4); i > 0; i--) {
      const name = hostsNames.length > 0 && more2() < 0.5
        ? pick2(hostsNames)
        : `${pick2(LABELS)}.${pick2(DOMAINS)}`;
      extra.push(
        pick2([
          () => `10.6.${int2(0, 3)}.${int2(1, 9)}\t${name}`,
          () => `fd06::${int2(1, 9)}\t\t${name} ${pick2(LABELS)}`,
          () => `fe80::${int2(1, 9)}%lo ${name}`,
          () => `10.6.0.${int2(1, 9)} ${pick2(LABELS)} ${name}`,
          () => `10.6.1.${int2(1, 9)} ${name}#comment`,
          () => `10.6.2.${int2(1, 9)}\t${name}\t# comment`,
          () => `${pick2(dnsAddresses.length > 0 ? dnsAddresses : ["10.0.0.1"])} ${name}`,
        ])(),
      );
      names.add(more2() < 0.7 ? name : `${name}.`);
    }
    hostsText = `${hostsText}${hostsText === "" || hostsText.endsWith("\n") ? "" : "\n"}${
      extra.join("\n")
    }\n`;
  }

  // A name of many labels under a search domain, asked whole, with a final dot, or cut to its
  // first labels (the search list makes it whole), under an `ndots` of 0 to 15 (RES_OPTIONS, or
  // an options line last).
  if (more2() < 0.2) {
    const domain = pick2(DOMAINS.filter((d) => d !== "nx.test"));
    const labels = Array.from({ length: int2(4, 11) }, () => pick2(LABELS));
    const whole = `${labels.join(".")}.${domain}`;
    records.push(`--host-record=${whole},${ipv4()}${more2() < 0.5 ? `,${ipv6()}` : ""}`);
    names.add(pick2([whole, `${whole}.`, labels.join("."), labels.slice(0, 3).join(".")]));
    names.add(labels.join("."));
    const ndots = `ndots:${int2(0, 15)}`;
    if (more2() < 0.5) env.RES_OPTIONS = `${env.RES_OPTIONS ?? ""} ${ndots}`.trim();
    else resolvText = `${resolvText}options ${ndots}\nsearch ${domain} ${pick2(DOMAINS)}\n`;
  }

  // From NEW_FORMS_FROM_SEED on, from a stream of their own (the seeds before it stay as they
  // were): an options line of several of glibc 2.36's options, a search list of six to nine
  // domains over 256 bytes (glibc lifted both limits), a `domain` line after `search` (the last
  // wins), a hosts line of many aliases, names in upper case or with a final dot, TTL 0 records.
  if (seed >= NEW_FORMS_FROM_SEED) {
    const form3 = seededRandom(seed * 4_256_249 + 23);
    const pick3 = <T>(items: readonly T[]): T => items[Math.floor(form3() * items.length)]!;
    const int3 = (low: number, high: number) => low + Math.floor(form3() * (high - low + 1));
    if (form3() < 0.35) {
      const words = Array.from({ length: int3(1, 4) }, () => pick3(GLIBC_RESOLV_OPTIONS));
      const line = [...new Set(words)].join(" ");
      if (form3() < 0.3) env.RES_OPTIONS = `${env.RES_OPTIONS ?? ""} ${line}`.trim();
      else resolvText = `${resolvText}options ${line}\n`;
    }
    if (form3() < 0.25) {
      const domains = [...new Set(Array.from({ length: int3(3, 5) }, () => pick3(DOMAINS)))];
      for (let i = 0; domains.join(" ").length <= 256 || domains.length < 6; i++) {
        domains.splice(int3(0, domains.length), 0, `f${i}${"q".repeat(int3(30, 60))}.test`);
      }
      const line = `search ${domains.join(" ")}`;
      if (form3() < 0.25) env.LOCALDOMAIN = domains.join(" ");
      else resolvText = `${resolvText}${line}\n`;
      for (let i = int3(1, 2); i > 0; i--) names.add(pick3([...LABELS, "nope"]));
    }
    if (form3() < 0.15) {
      // `domain` after `search`: the last of the two lines wins.
      resolvText = `${resolvText}search ${pick3(DOMAINS)} ${pick3(DOMAINS)}\ndomain ${
        pick3(DOMAINS)
      }\n`;
      names.add(pick3(LABELS));
    }
    if (form3() < 0.25) {
      const name = `${pick3(LABELS)}.${pick3(DOMAINS)}`;
      const many = Array.from({ length: int3(10, 40) }, (_, i) => `al${i}.${pick3(DOMAINS)}`);
      const unique = [...new Set(many)];
      const line = `10.7.${int3(0, 3)}.${int3(1, 9)} ${name} ${unique.join(pick3([" ", "\t"]))}`;
      hostsText = `${hostsText}${
        hostsText === "" || hostsText.endsWith("\n") ? "" : "\n"
      }${line}\n`;
      names.add(name);
      const alias = pick3(unique);
      names.add(pick3([alias, alias.toUpperCase(), `${alias}.`, `${alias.toUpperCase()}.`]));
    }
    if (form3() < 0.3) {
      for (let i = int3(1, 3); i > 0 && dnsNames.length > 0; i--) {
        const name = pick3([...dnsNames, ...hostsNames, ...aliases]);
        names.add(pick3([name.toUpperCase(), `${name}.`, `${name.toUpperCase()}.`]));
      }
    }
    if (form3() < 0.2) {
      const name = `ttl0.${pick3(DOMAINS.filter((d) => d !== "nx.test"))}`;
      const v6 = form3() < 0.5;
      records.push(`--host-record=${name},${ipv4()}${v6 ? `,${ipv6()}` : ""},0`);
      familyOf.set(name, v6 ? 0 : 4);
      dnsNames.push(name);
      names.add(pick3([name, "ttl0", name.toUpperCase()]));
    }
  }

  return {
    seed,
    "resolv.conf": resolvText,
    hosts: hostsText,
    ...(hostConf === undefined ? {} : { "host.conf": hostConf }),
    "nsswitch.conf": nsswitchText,
    env,
    ...(hostAliases === undefined ? {} : { hostAliases }),
    records: withoutChainsWalkedPast(
      records,
      chains,
      familyOf,
      [...dnsNames, ...aliases],
      `${resolvConf}\n${env.LOCALDOMAIN ?? ""}`.includes("wild.test"),
    ),
    names: [...names].filter((name) => name !== ""),
    reverse: [...reverse],
  };
}
