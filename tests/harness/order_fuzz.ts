/**
 * A seeded generator of address sets and `/etc/gai.conf` files, for the random differential test
 * of netkit's address order against glibc's getaddrinfo
 * (tests/cmd/resolve-hostname_order_random_test.ts): one seed gives a gai.conf (none, commented
 * out, "prefer IPv4", random `label` / `precedence` / `scopev4` / `reload` lines, junk), a hosts
 * file and the records of a dnsmasq whose names hold addresses of every kind RFC 6724 tells
 * apart (loopback, IPv4-mapped, 6to4, Teredo, ULA, site-local, link-local, global and private
 * IPv4 and IPv6, IPv4 link-local, IPv4-compatible, duplicates), and the names and addresses to
 * ask about. The same seed gives the same configuration on the same host.
 *
 * @module
 */

import type { Behaviour, ServerScript, Zone } from "./resolver_fuzz_servers.ts";
import { GLIBC_RESOLV_OPTIONS } from "./resolver_fuzz.ts";
import { seededRandom } from "./seeded_random.ts";

/** One generated configuration and what to ask of it. */
export interface OrderFuzzConfig {
  seed: number;
  /** The text of `/etc/gai.conf`, or undefined for no such file. */
  gaiConf: string | undefined;
  hosts: string;
  "resolv.conf": string;
  "nsswitch.conf": string;
  /** `LOCALDOMAIN` and `RES_OPTIONS`, when set (from {@linkcode ORDER_NEW_FORMS_FROM_SEED}). */
  env: Record<string, string>;
  /** dnsmasq options: `--host-record=…`, `--cname=…`, `--mx-host=…`. */
  records: string[];
  /**
   * Whether a scripted server (tests/harness/resolver_fuzz_servers.ts) answers instead of
   * dnsmasq, with `zone` and `script`: each DNS name answered, NXDOMAIN, SERVFAIL, REFUSED, or
   * no data for one family (both families alike otherwise, a difference kept on purpose
   * apart: cmd/README.md).
   */
  scripted: boolean;
  zone: Zone;
  script: ServerScript;
  /** Names to look up. */
  names: string[];
  /** Addresses to look up in reverse. */
  reverse: string[];
}

/**
 * The first seed that also draws (from a stream of its own, so that the seeds before it stay as
 * they were) an options line of several of glibc 2.36's options (`ndots:0`, `ndots:15`,
 * `no-aaaa`, `single-request`, `use-vc`, ...) in resolv.conf or `RES_OPTIONS`, a search list of
 * six to nine domains over 256 bytes (in resolv.conf or `LOCALDOMAIN`), `search` then `domain`, a
 * hosts line of 10 to 40 aliases, names in upper case, with a final dot or without their domain,
 * TTL 0 records, and a scripted server answering in other letters' case (DNS 0x20).
 */
export const ORDER_NEW_FORMS_FROM_SEED = 1_600_000;

/** The kinds of address drawn, each a maker from a random integer source. */
const KINDS: Record<string, (int: (low: number, high: number) => number) => string> = {
  loopback4: (int) => `127.${int(0, 1)}.${int(0, 1)}.${int(1, 9)}`,
  loopback6: () => "::1",
  mapped: (int) =>
    `::ffff:${
      [`127.0.0.${int(1, 9)}`, `10.${int(0, 3)}.0.${int(1, 9)}`, `192.0.2.${int(1, 9)}`][int(0, 2)]
    }`,
  sixToFour: (int) => `2002:${["c000:204", "a00:1", "cb00:7100"][int(0, 2)]}::${int(1, 9)}`,
  teredo: (int) => `2001:0:${["4136:e378", "5ef5:79fd"][int(0, 1)]}::${int(1, 9)}`,
  ula: (int) => [`fd00::${int(3, 9)}`, `fd12:3456::${int(1, 9)}`, `fc00::${int(1, 9)}`][int(0, 2)]!,
  siteLocal: (int) => [`fec0::${int(1, 9)}`, `fed0:1::${int(1, 9)}`][int(0, 1)]!,
  linkLocal: (int) => `fe80::${int(1, 9)}`,
  global6: (int) =>
    [`2001:db8::${int(1, 9)}`, `2600:${int(1, 9)}::${int(1, 9)}`, `2a00:1450::${int(1, 9)}`][
      int(0, 2)
    ]!,
  compat: (int) => `::10.0.0.${int(1, 9)}`,
  global4: (int) =>
    [
      `192.0.2.${int(3, 9)}`,
      `198.51.100.${int(1, 9)}`,
      `8.8.${int(4, 8)}.${int(1, 9)}`,
      `203.0.113.${int(1, 9)}`,
      `192.0.${int(0, 3)}.${int(1, 9)}`,
    ][int(0, 4)]!,
  private4: (int) =>
    [
      `10.${int(0, 3)}.${int(0, 3)}.${int(1, 9)}`,
      `172.${int(16, 31)}.0.${int(1, 9)}`,
      `192.168.${int(0, 2)}.${int(1, 9)}`,
    ][int(0, 2)]!,
  linkLocal4: (int) => `169.254.${int(0, 2)}.${int(1, 9)}`,
};

/** Prefixes a random `label` or `precedence` line names. */
const PREFIXES = [
  "::1/128",
  "::/0",
  "::/96",
  "::ffff:0:0/96",
  "2002::/16",
  "2001::/32",
  "fc00::/7",
  "fd00::/8",
  "fec0::/10",
  "fe80::/10",
  "2001:db8::/32",
  "2000::/3",
  "::ffff:127.0.0.0/104",
  "::ffff:10.0.0.0/104",
  "::ffff:192.0.2.0/120",
  "::ffff:169.254.0.0/112",
];

/** `scopev4` networks, in both of its forms. */
const SCOPE_NETWORKS = [
  "::ffff:169.254.0.0/112",
  "::ffff:127.0.0.0/104",
  "0.0.0.0/0",
  "10.0.0.0/8",
  "192.0.2.0/24",
  "127.0.0.0/8",
  "::ffff:0.0.0.0/96",
  "172.16.0.0/12",
  "192.168.0.0/16",
];

/**
 * Lines glibc 2.36 skips (or reads oddly): an unknown keyword, values missing or out of range,
 * a line without `/BITS` for `label` and `precedence` (not for `scopev4`: glibc crashes there).
 */
const JUNK = [
  "label",
  "precedence ::1",
  "label ::1/129 3",
  "scopev4 10.0.0.0/33 5",
  "scopev4 ::ffff:10.0.0.0/95 5",
  "scopev4 fd00::/8 5",
  "precedence ::1/128 -1",
  "foo bar baz",
  "label ::1/128 2147483648",
  "# label ::1/128 9",
  "   ",
  "",
  "precedence 10.0.0.0/8 5",
  "label ::1/+128 +3",
  "precedence ::ffff:0:0/96 100 extra words",
  "label\t::/0\t1",
  "precedence ::1 30",
  "PRECEDENCE ::1/128 5",
  "label ::1/12/8 3",
  "precedence ::/ 45",
  "label fd00::/8",
];

/** The Debian default file's useful lines, all commented out. */
const COMMENTED = `# Configuration for getaddrinfo(3).
#
#reload  yes
#label ::1/128       0
#label ::/0          1
#precedence  ::1/128       50
#precedence  ::ffff:0:0/96  100
#scopev4 ::ffff:169.254.0.0/112  2
`;

/**
 * The configuration of seed `seed`: addresses only where `comparable(address)` says glibc's
 * source (the kernel's) and netkit's guessed one agree on this host; names served from the hosts
 * file, from dnsmasq at `server`, or both.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateOrderFuzzConfig } from "./order_fuzz.ts";
 *
 * const config = generateOrderFuzzConfig(3, "127.0.0.53", () => true);
 * assert.deepEqual(config, generateOrderFuzzConfig(3, "127.0.0.53", () => true));
 * ```
 */
export function generateOrderFuzzConfig(
  seed: number,
  server: string,
  comparable: (address: string) => boolean,
): OrderFuzzConfig {
  const random = seededRandom(seed);
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const kinds = Object.keys(KINDS);
  const address = (): string => {
    for (let tries = 0; tries < 20; tries++) {
      const made = KINDS[pick(kinds)]!(int);
      if (comparable(made)) return made;
    }
    return `127.0.0.${int(1, 9)}`;
  };

  // gai.conf: none, commented out, prefer IPv4, or random lines.
  let gaiConf: string | undefined;
  const style = random();
  if (style < 0.12) {
    gaiConf = undefined;
  } else if (style < 0.22) {
    gaiConf = COMMENTED;
  } else if (style < 0.4) {
    gaiConf = `${chance(0.5) ? COMMENTED : ""}precedence ::ffff:0:0/96  100\n`;
  } else {
    const lines: string[] = [];
    for (let i = int(1, 7); i > 0; i--) {
      const roll = random();
      const blank = () => pick([" ", "\t", "  "]);
      if (roll < 0.3) {
        lines.push(`label${blank()}${pick(PREFIXES)}${blank()}${int(0, 12)}`);
      } else if (roll < 0.6) {
        lines.push(
          `precedence${blank()}${pick(PREFIXES)}${blank()}${
            pick([0, 5, 10, 20, 30, 35, 40, 45, 50, 60, 100])
          }`,
        );
      } else if (roll < 0.75) {
        lines.push(`scopev4${blank()}${pick(SCOPE_NETWORKS)}${blank()}${pick([2, 5, 8, 14])}`);
      } else if (roll < 0.8) {
        lines.push(`reload ${pick(["yes", "no", "YES"])}`);
      } else {
        lines.push(pick(JUNK));
      }
      if (chance(0.1)) lines[lines.length - 1] += `${blank()}# a comment`;
    }
    gaiConf = lines.join("\n") + (chance(0.9) ? "\n" : "");
  }

  // Names: in the hosts file, in DNS, or both (then the hosts file answers: files dns).
  const hostsLines: string[] = [];
  if (chance(0.7)) hostsLines.push("127.0.0.1\tlocalhost");
  if (chance(0.5)) hostsLines.push("::1\tlocalhost ip6-localhost ip6-loopback");
  const names: string[] = [];
  const hostsAddresses: string[] = [];
  for (let n = int(1, 3); n > 0; n--) {
    const name = `h${n}.test`;
    names.push(name);
    const drawn: string[] = [];
    for (let i = int(2, 6); i > 0; i--) {
      // Now and then a repeat of an address already listed.
      drawn.push(chance(0.1) && drawn.length > 0 ? pick(drawn) : address());
    }
    // One line per address, or several on one name's lines with aliases.
    for (const each of drawn) {
      const aliases = chance(0.3) ? ` alias${n}.test` : "";
      hostsLines.push(`${each}${pick([" ", "\t"])}${name}${aliases}`);
    }
    hostsAddresses.push(...drawn);
  }
  const records: string[] = [];
  const dnsAddresses: string[] = [];
  const scripted = chance(0.3);
  const zone: Zone = { a: {}, aaaa: {}, cname: {}, ptr: {} };
  const script: ServerScript = {};
  for (let n = int(1, 3); n > 0; n--) {
    const name = `d${n}.test`;
    names.push(name);
    const drawn = new Set<string>();
    for (let i = int(1, 6); i > 0; i--) drawn.add(address());
    // dnsmasq takes an IPv4-mapped address for an A record: AAAA only for true IPv6 ones.
    const usable = [...drawn].filter((each) => !/^::ffff:.*\./i.test(each) && !/^::\d/.test(each));
    if (usable.length === 0) usable.push(`10.0.0.${int(1, 9)}`);
    records.push(`--host-record=${name},${usable.join(",")}`);
    dnsAddresses.push(...usable);
    zone.a[name] = usable.filter((each) => !each.includes(":"));
    zone.aaaa[name] = usable.filter((each) => each.includes(":"));
    const behaviour = pick<Behaviour | "nodata4" | "nodata6">([
      "answer",
      "answer",
      "answer",
      "nxdomain",
      "servfail",
      "refused",
      "nodata4",
      "nodata6",
    ]);
    for (const type of ["A", "AAAA"]) {
      script[`${name}|${type}`] = behaviour === "nodata4"
        ? (type === "A" ? "nodata" : "answer")
        : behaviour === "nodata6"
        ? (type === "AAAA" ? "nodata" : "answer")
        : behaviour;
    }
    if (!scripted && chance(0.3)) {
      records.push(`--cname=c${n}.test,${name}`);
      names.push(`c${n}.test`);
    }
  }
  if (!scripted && chance(0.3)) {
    records.push(`--mx-host=mx.test,d1.test`);
    names.push("mx.test");
  }
  names.push(pick(["nope.test", "alias1.test", "h1", "localhost"]));
  if (chance(0.3)) names.push(pick([...hostsAddresses, ...dnsAddresses]));

  const reverse = new Set<string>();
  for (let i = int(1, 3); i > 0; i--) {
    reverse.add(pick([...hostsAddresses, ...dnsAddresses, "127.0.0.1", "::1", "10.9.9.9"]));
  }

  let resolvConf = `nameserver ${server}\n${chance(0.3) ? "search test\n" : ""}options timeout:1\n`;
  const nsswitch = `hosts: ${pick(["files dns", "files dns", "dns files"])}\n`;
  let hosts = hostsLines.join("\n") + "\n";
  const env: Record<string, string> = {};

  // From ORDER_NEW_FORMS_FROM_SEED on, from a stream of their own (the seeds before it stay as
  // they were).
  if (seed >= ORDER_NEW_FORMS_FROM_SEED) {
    const form = seededRandom(seed * 4_256_249 + 43);
    const int3 = (low: number, high: number) => low + Math.floor(form() * (high - low + 1));
    const pick3 = <T>(items: readonly T[]): T => items[Math.floor(form() * items.length)]!;
    const dnsNames = names.filter((name) => /^d[0-9]\.test$/.test(name));
    const hostsNames = names.filter((name) => /^h[0-9]\.test$/.test(name));
    if (form() < 0.4) {
      const words = Array.from({ length: int3(1, 4) }, () => pick3(GLIBC_RESOLV_OPTIONS));
      const line = [...new Set(words)].join(" ");
      if (form() < 0.3) env.RES_OPTIONS = line;
      else resolvConf += `options ${line}\n`;
    }
    if (form() < 0.3) {
      // Names without their domain found through a search list of six to nine domains.
      const domains = ["test", ...(form() < 0.5 ? ["nx.test"] : [])];
      for (let i = 0; domains.join(" ").length <= 256 || domains.length < 6; i++) {
        domains.splice(int3(0, domains.length), 0, `f${i}${"q".repeat(int3(30, 60))}.test`);
      }
      if (form() < 0.25) env.LOCALDOMAIN = domains.join(" ");
      else resolvConf += `search ${domains.join(" ")}\n`;
      names.push(pick3([...dnsNames, ...hostsNames]).replace(/\.test$/, ""));
    }
    if (form() < 0.15) {
      // `search` then `domain`: the last of the two wins.
      resolvConf += `search nx.test\ndomain ${pick3(["test", "nx.test"])}\n`;
      names.push(pick3([...dnsNames, ...hostsNames]).replace(/\.test$/, ""));
    }
    if (form() < 0.25 && hostsNames.length > 0) {
      // A line of many aliases for a name of the hosts file, one of them asked.
      const name = pick3(hostsNames);
      const aliases = Array.from({ length: int3(10, 40) }, (_, i) => `al${i}.${name}`);
      hosts += `${address()} ${name} ${aliases.join(pick3([" ", "\t"]))}\n`;
      names.push(pick3(aliases));
    }
    if (form() < 0.35) {
      for (let i = int3(1, 2); i > 0; i--) {
        const name = pick3(names.filter((each) => /^[a-z]/.test(each)));
        names.push(pick3([name.toUpperCase(), `${name}.`, `${name.toUpperCase()}.`]));
      }
    }
    if (form() < 0.2 && !scripted) {
      // TTL 0: the records of one name given again with a TTL of 0.
      const at = int3(0, records.length - 1);
      if (records[at]?.startsWith("--host-record=")) records[at] = `${records[at]},0`;
    }
    if (scripted && form() < 0.5) {
      for (const key of Object.keys(script)) {
        if (script[key] === "answer" && form() < 0.5) script[key] = "case-0x20";
      }
    }
  }

  return {
    seed,
    gaiConf,
    hosts,
    "resolv.conf": resolvConf,
    "nsswitch.conf": nsswitch,
    env,
    records,
    scripted,
    zone,
    script,
    names: [...new Set(names)],
    reverse: [...reverse],
  };
}
