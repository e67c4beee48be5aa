/**
 * Seeded configurations for the random test of the questions name servers see
 * (tests/cmd/resolve-hostname_questions_random_test.ts): {@linkcode generateServerFuzzConfig}'s
 * zone, scripted servers, resolv.conf and names (unchanged, so its seeds stay its own), with more
 * drawn from a second generator of the same seed: resolv.conf options that change what is sent
 * (`edns0`, `trust-ad`, `no-aaaa`, `single-request-reopen`, `inet6`, `ndots`), `domain` in place
 * of `search`, `LOCALDOMAIN` and `RES_OPTIONS`, nsswitch.conf's `hosts:` line (`files` alone
 * too) and a hosts file naming some of the zone's names (a DNS question for those is a leak),
 * and names with one dot fewer (for `ndots`).
 *
 * @module
 */

import { generateServerFuzzConfig, type ServerFuzzConfig } from "./resolver_fuzz_servers.ts";
import { seededRandom } from "./seeded_random.ts";
import { GLIBC_RESOLV_OPTIONS, HOSTS_LINES_NAMING_A_SOURCE_TWICE } from "./resolver_fuzz.ts";

/** Options that change the questions, the name servers' logs or their order. */
const OPTIONS = [
  "edns0",
  "trust-ad",
  "no-aaaa",
  "single-request",
  "single-request-reopen",
  "use-vc",
  "no-tld-query",
  "rotate",
  "inet6",
  "ndots:0",
  "ndots:1",
  "ndots:2",
  "ndots:3",
  "attempts:1",
];

const DOMAINS = ["corp.test", "lab.test", "test", "nx.test"];

/** nsswitch.conf `hosts:` lines whose sources glibc has here (no mdns, no systemd-resolved). */
const HOSTS_LINES = [
  "files dns",
  "files dns",
  "dns files",
  "dns",
  "files",
  "files [NOTFOUND=return] dns",
  "dns [NOTFOUND=return] files",
  "dns [!UNAVAIL=return] files",
  "files [SUCCESS=continue] dns",
  "dns [UNAVAIL=return] files",
];

/** nsswitch.conf `hosts:` lines that name a source twice, but the one with `myhostname`. */
const TWICE_LINES = HOSTS_LINES_NAMING_A_SOURCE_TWICE.filter((line) =>
  !line.includes("myhostname")
);

/**
 * The first seed that also draws (from a stream of its own, so that the seeds before it stay as
 * they were) an options line of several of glibc 2.36's options (`ndots:0`, `ndots:15`, `rotate`,
 * `no-aaaa`, `single-request`, `use-vc`, ...) in resolv.conf or `RES_OPTIONS`, a search list of
 * six to nine domains over 256 bytes (in resolv.conf or `LOCALDOMAIN`), `search` then `domain`,
 * a hosts line of 10 to 40 aliases, and names in upper case or with a final dot. (Answers in
 * other letters' case and TTL 0 records come with the zone's servers and records from seed
 * 1,400,000.)
 */
export const QUESTIONS_NEW_FORMS_FROM_SEED = 1_600_000;

/** What {@linkcode newForms} adds to a configuration. */
interface NewForms {
  options?: string;
  optionsInEnv: boolean;
  /** Search domains, each once (glibc asks a domain listed twice twice: cmd/README.md). */
  search?: string[];
  searchInEnv: boolean;
  /** `search A B` then `domain C`: the last of the two wins. */
  domainAfterSearch?: string[];
  /** Lines for the hosts file (each ending with a newline). */
  hosts: string;
  names: string[];
}

/** The draws of {@linkcode QUESTIONS_NEW_FORMS_FROM_SEED} on, from a stream of their own. */
function newForms(seed: number, zoneNames: string[]): NewForms {
  const random = seededRandom(seed * 4_256_233 + 41);
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const forms: NewForms = { optionsInEnv: false, searchInEnv: false, hosts: "", names: [] };
  const labelOf = (name: string) => name.slice(0, name.indexOf("."));
  if (chance(0.4)) {
    const words = Array.from({ length: int(1, 4) }, () => pick(GLIBC_RESOLV_OPTIONS));
    forms.options = [...new Set(words)].join(" ");
    forms.optionsInEnv = chance(0.3);
  }
  if (chance(0.3)) {
    const domains = [...new Set(Array.from({ length: int(2, 4) }, () => pick(DOMAINS)))];
    for (let i = 0; domains.join(" ").length <= 256 || domains.length < 6; i++) {
      domains.splice(int(0, domains.length), 0, `f${i}${"q".repeat(int(30, 60))}.test`);
    }
    forms.search = domains;
    forms.searchInEnv = chance(0.25);
    for (let i = int(1, 2); i > 0 && zoneNames.length > 0; i--) {
      forms.names.push(pick([labelOf(pick(zoneNames)), "nope"]));
    }
  }
  if (chance(0.15)) {
    const [first, second] = [pick(DOMAINS), pick(DOMAINS)];
    forms.domainAfterSearch = [
      `search ${first}${second === first ? "" : ` ${second}`}`,
      `domain ${pick(DOMAINS)}`,
    ];
    if (zoneNames.length > 0) forms.names.push(labelOf(pick(zoneNames)));
  }
  if (chance(0.25) && zoneNames.length > 0) {
    // A hosts line of many aliases, named after a zone name now and then (a leak where files
    // comes first), one alias asked in upper case or with a final dot.
    const name = chance(0.5) ? pick(zoneNames) : `many.${pick(DOMAINS)}`;
    const aliases = [
      ...new Set(Array.from({ length: int(10, 40) }, (_, i) => `al${i}.${pick(DOMAINS)}`)),
    ];
    forms.hosts = `10.7.${int(0, 3)}.${int(1, 9)} ${name} ${aliases.join(pick([" ", "\t"]))}\n`;
    const alias = pick(aliases);
    forms.names.push(
      name,
      pick([alias, alias.toUpperCase(), `${alias}.`, `${alias.toUpperCase()}.`]),
    );
  }
  if (chance(0.3)) {
    for (let i = int(1, 3); i > 0 && zoneNames.length > 0; i--) {
      const name = pick(zoneNames);
      forms.names.push(
        pick([labelOf(name).toUpperCase(), `${name.toUpperCase()}.`, mixedCase(name, random)]),
      );
    }
  }
  return forms;
}

/** `name` with some letters in upper case. */
function mixedCase(name: string, random: () => number): string {
  return [...name].map((c) => random() < 0.4 ? c.toUpperCase() : c).join("");
}

/**
 * The configuration of seed `seed` for scripted servers at `addresses` (up to as many); `silence` lets a
 * server stay silent now and then (each such question costs getent and netkit a second).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateQuestionsFuzzConfig } from "./resolver_questions_fuzz.ts";
 *
 * const a = generateQuestionsFuzzConfig(5, ["127.0.0.2", "127.0.0.3"], false);
 * assert.deepEqual(a, generateQuestionsFuzzConfig(5, ["127.0.0.2", "127.0.0.3"], false));
 * ```
 */
export function generateQuestionsFuzzConfig(
  seed: number,
  addresses: string[],
  silence: boolean,
): ServerFuzzConfig {
  const base = generateServerFuzzConfig(seed, addresses, silence, false, false);
  const random = seededRandom(seed * 104_729 + 31);
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;

  const lines = base["resolv.conf"].trimEnd().split("\n");
  // More options, on the options line or a line of their own (the last of a kind wins).
  const extra = Array.from({ length: int(0, 3) }, () => pick(OPTIONS));
  if (chance(0.5) && extra.length > 0) lines.push(`options ${extra.join(" ")}`);
  else {
    const at = lines.findIndex((line) => line.startsWith("options "));
    lines[at] = `${lines[at]} ${extra.join(" ")}`.trimEnd();
  }
  // `domain` in place of `search` (the last of the two wins), or after it.
  if (chance(0.15)) {
    const at = lines.findIndex((line) => line.startsWith("search "));
    const domain = `domain ${pick(DOMAINS)}`;
    if (at >= 0 && chance(0.5)) lines[at] = domain;
    else lines.push(domain);
  }
  // A search domain listed twice is asked twice by glibc, once by netkit (cmd/README.md): each
  // domain once.
  const at = lines.findIndex((line) => line.startsWith("search "));
  if (at >= 0) lines[at] = `search ${[...new Set(lines[at]!.slice(7).split(" "))].join(" ")}`;
  const env: Record<string, string> = {};
  if (chance(0.1)) {
    const domains = Array.from({ length: int(0, 2) }, () => pick(DOMAINS));
    env.LOCALDOMAIN = [...new Set(domains)].join(" ");
  }
  if (chance(0.15)) {
    env.RES_OPTIONS = Array.from({ length: int(1, 2) }, () => pick(OPTIONS)).join(" ");
  }

  // The hosts file: now and then a zone name (in one family or both), which DNS must not be
  // asked about where files comes first.
  let hosts = base.hosts;
  const zoneNames = Object.keys(base.zone.a);
  const names = [...base.names];
  if (seed >= QUESTIONS_NEW_FORMS_FROM_SEED) {
    const more = newForms(seed, zoneNames);
    if (more.options !== undefined) {
      if (more.optionsInEnv) {
        env.RES_OPTIONS = `${env.RES_OPTIONS ?? ""} ${more.options}`.trim();
      } else lines.push(`options ${more.options}`);
    }
    if (more.search !== undefined) {
      if (more.searchInEnv) env.LOCALDOMAIN = more.search.join(" ");
      else lines.push(`search ${more.search.join(" ")}`);
    }
    if (more.domainAfterSearch !== undefined) lines.push(...more.domainAfterSearch);
    hosts += more.hosts;
    for (const name of more.names) if (!names.includes(name)) names.push(name);
  }
  for (let i = chance(0.4) ? int(1, 2) : 0; i > 0; i--) {
    const name = pick(zoneNames);
    const address = chance(0.5) ? `10.8.${int(0, 3)}.${int(1, 9)}` : `fd08::${int(1, 9)}`;
    hosts += `${address}\t${name}${chance(0.5) ? ` ${name.slice(0, name.indexOf("."))}` : ""}\n`;
  }

  // Names: the base's, and now and then one with its last label cut off (`web.corp`).
  if (chance(0.4)) {
    const name = pick(zoneNames);
    const cut = name.slice(0, name.lastIndexOf("."));
    if (cut.includes(".") && !names.includes(cut)) names.push(cut);
  }
  // Addresses: the base's IPv4 ones, now and then one IPv4-mapped (asked in the IPv4 zone) and
  // an IPv6 one of the zone.
  const reverse = [...base.reverse];
  if (chance(0.3)) reverse.push(`::ffff:${pick(base.reverse)}`);
  const ipv6 = Object.values(base.zone.aaaa).flat();
  if (chance(0.3) && ipv6.length > 0) reverse.push(pick(ipv6));

  // glibc's rotate starts at a random server in each process: with rotate the servers agree.
  const resolvConf = lines.join("\n") + "\n";
  const rotate = /\brotate\b/.test(`${resolvConf} ${env.RES_OPTIONS ?? ""}`);
  const scripts = (rotate ? base.scripts.map(() => base.scripts[0]!) : base.scripts)
    .map((script) => ({ ...script }));
  // A server that fails one family's question of a name (SERVFAIL, REFUSED, silence) and answers
  // the other's: glibc keeps the pair's answers from that server (or, after a silence, asks the
  // pair again one by one), netkit asks the next server for the failed family (cmd/README.md).
  // Here such a server fails both.
  const failing = (behaviour: string | undefined) =>
    behaviour === "servfail" || behaviour === "refused" || behaviour === "silent";
  for (const script of scripts) {
    for (const key of Object.keys(script)) {
      if (!key.endsWith("|A")) continue;
      const name = key.slice(0, -2);
      const a = script[`${name}|A`];
      const aaaa = script[`${name}|AAAA`];
      if (failing(a) && !failing(aaaa)) script[`${name}|AAAA`] = a!;
      else if (failing(aaaa) && !failing(a)) script[`${name}|A`] = aaaa!;
      // Silence beside SERVFAIL or REFUSED: over TCP glibc asks both on one connection, which
      // the silent server closes; netkit takes the error code over TCP as the answer. Both silent.
      else if ((a === "silent") !== (aaaa === "silent")) {
        script[`${name}|A`] = script[`${name}|AAAA`] = "silent";
      }
    }
  }

  // A hosts line naming a source twice, from a stream of its own (the other parts stay as they
  // were): each DNS source walks the search list again for both families, A before AAAA, and
  // neither family after a source where either found an address (glibc's gethostbyname4_r has
  // one status for both).
  let hostsLine = pick(HOSTS_LINES);
  const twice = seededRandom(seed * 7_919 + 37);
  if (twice() < 0.25) hostsLine = TWICE_LINES[Math.floor(twice() * TWICE_LINES.length)]!;

  return {
    ...base,
    "resolv.conf": resolvConf,
    scripts,
    hosts,
    "nsswitch.conf": `passwd: files\nhosts: ${hostsLine}\n`,
    env,
    names,
    reverse,
  };
}
