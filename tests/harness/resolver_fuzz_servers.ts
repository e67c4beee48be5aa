/**
 * Seeded random name servers that misbehave, for the random differential test of
 * `resolve-hostname` against glibc's getent (tests/cmd/resolve-hostname_random_test.ts): one
 * seed gives a zone (names with A and AAAA records, PTR records with odd and hostile names), what
 * each of one or two servers does with each question (answers, NXDOMAIN, no data, SERVFAIL,
 * REFUSED, silence, a truncated answer to ask again over TCP, a CNAME before the answer — two
 * links, 8 to 10, one through a name that is no host name, a loop —, records of another name, a
 * cut-off message), a resolv.conf (search list, ndots, attempts, `timeout:1`,
 * rotate) and nsswitch.conf, and the names and addresses to ask about. A
 * {@linkcode ScriptedDnsServer} answers as the script says on port 53 of a loopback address
 * (resolv.conf cannot name a port).
 *
 * @module
 */

import {
  decodeDnsMessage,
  type DnsMessage,
  type DnsRecord,
  encodeDnsName,
} from "../../lib/dns/message.ts";
import { DNS_RCODE, DNS_TYPE } from "../../lib/dns/codes.ts";
import { encodeDnsMessage } from "../../lib/dns/encode_message.ts";
import { listenDnsPort } from "./dns_peers.ts";
import { seededRandom } from "./seeded_random.ts";

/** What a server does with one question. */
export type Behaviour =
  | "answer"
  | "nxdomain"
  | "nodata"
  | "servfail"
  | "refused"
  | "silent"
  | "truncated"
  | "cname"
  | "other-name"
  | "cut"
  | "cname-long"
  | "cname-hostile"
  | "cname-loop"
  | "cname-junk"
  | "odd-records"
  | "cname-loop-far"
  | "case-0x20";

/** One server's script: the behaviour of each `name|type` (lower case, no final dot). */
export type ServerScript = Record<string, Behaviour>;

/** A zone: the addresses and PTR targets of each name (lower case, no final dot). */
export interface Zone {
  /** name -> IPv4 addresses. */
  a: Record<string, string[]>;
  /** name -> IPv6 addresses. */
  aaaa: Record<string, string[]>;
  /** name -> the name a `cname` behaviour points to. */
  cname: Record<string, string>;
  /** Reverse name (`4.3.2.1.in-addr.arpa`) -> PTR targets as wire-format names. */
  ptr: Record<string, number[][]>;
  /** name -> the links of its `cname-long` chain (8 + the name's length % 3 when absent). */
  links?: Record<string, number>;
}

/**
 * The first seed whose scripted servers also draw (from a stream of their own, so that the seeds
 * before it stay as they were) chains of 8 to 20 links, CNAME records with bytes after their
 * target's name, answers with an address record of the wrong length and an NS record before the
 * addresses, and CNAME loops (inside one answer, or across two questions) for names asked with a
 * final dot only.
 */
export const ODD_RECORDS_FROM_SEED = 1_300_000;

/**
 * The first seed whose scripted servers also draw (from a stream of their own) answers whose
 * question section and records name the name in other letters' case (as a server of DNS 0x20
 * or a case-changing middlebox sends them).
 */
export const CASE_ANSWERS_FROM_SEED = 1_400_000;

/** One generated configuration of scripted servers. */
export interface ServerFuzzConfig {
  seed: number;
  "resolv.conf": string;
  hosts: string;
  "nsswitch.conf": string;
  env: Record<string, string>;
  zone: Zone;
  /** One script per server, in the order of `addresses`. */
  scripts: ServerScript[];
  names: string[];
  reverse: string[];
}

const DOMAINS = ["corp.test", "lab.test", "test"];
const LABELS = ["web", "db", "mail", "svc", "host", "gw", "api", "x"];

/** A wire-format name of labels (each an array of bytes or a string of ASCII). */
function wireName(labels: (string | number[])[]): number[] {
  const out: number[] = [];
  for (const label of labels) {
    const bytes = typeof label === "string" ? [...label].map((c) => c.charCodeAt(0)) : label;
    out.push(bytes.length, ...bytes);
  }
  out.push(0);
  return out;
}

/** PTR targets glibc and netkit may take, mend or refuse differently. */
const ODD_PTRS: (string | number[])[][] = [
  ["ptr", "test"],
  ["PTR", "Corp", "Test"],
  ["has space", "test"],
  ["semi;colon", "test"],
  ["at@sign", "test"],
  ["back\\slash", "test"],
  ["dot.inside", "test"],
  ["under_score", "test"],
  ["-lead", "test"],
  ["trail-", "test"],
  ["*", "test"],
  [[0xc3, 0xbc], "test"],
  [[0x00, 0x41], "test"],
  [[0x0a], "test"],
  ["xn--bcher-kva", "test"],
  ["l".repeat(63), "test"],
  [..."abcdefghi".split("").map(() => "abcdefghijklmnopqrstuvwxy"), "test"],
  ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "test"],
  ["single"],
  [],
];

/** Labels glibc's res_hnok refuses, for CNAME targets (`cname-hostile`). */
const HOSTILE_LABELS = ["has space", "semi;colon", "*", "-lead", "at@sign"];

/**
 * The configuration of seed `seed` for scripted servers at `addresses` (one or two); `silence`
 * lets a server stay silent (each such question costs getent and netkit a timeout). `known`
 * lets the servers do what glibc and netkit answer differently on purpose (cmd/README.md): cut
 * messages, a server that fails one family's question and answers the other's, and CNAME chains
 * to a name without records of the type asked. `loops` lets names asked with a final dot only
 * loop (not for a test of the questions sent, which differ: cmd/README.md).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateServerFuzzConfig } from "./resolver_fuzz_servers.ts";
 *
 * const a = generateServerFuzzConfig(3, ["127.0.0.2", "127.0.0.3"], false);
 * assert.deepEqual(a, generateServerFuzzConfig(3, ["127.0.0.2", "127.0.0.3"], false));
 * ```
 */
export function generateServerFuzzConfig(
  seed: number,
  addresses: string[],
  silence: boolean,
  known = false,
  loops = true,
): ServerFuzzConfig {
  const random = seededRandom(seed * 7919 + 17);
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;

  const zone: Zone = { a: {}, aaaa: {}, cname: {}, ptr: {} };
  const names: string[] = [];
  for (let i = int(3, 7); i > 0; i--) {
    const name = `${pick(LABELS)}${chance(0.3) ? int(1, 3) : ""}.${pick(DOMAINS)}`;
    if (names.includes(name)) continue;
    names.push(name);
    const family = pick([4, 6, 0, 0]);
    zone.a[name] = family === 6
      ? []
      : Array.from({ length: int(1, 3) }, () => `10.${int(0, 3)}.${int(0, 3)}.${int(1, 9)}`);
    zone.aaaa[name] = family === 4
      ? []
      : Array.from({ length: int(1, 2) }, () => `fd00::${int(1, 3)}:${int(1, 9)}`);
    zone.a[name] = [...new Set(zone.a[name])];
    zone.aaaa[name] = [...new Set(zone.aaaa[name])];
  }
  // Never a name's own: a chain back to the name asked (records and a CNAME at one name, which
  // RFC 1034 forbids) is followed by glibc and not by netkit, which takes the records at once.
  // A chain whose end has no record of the type asked: netkit asks about the end, glibc does
  // not (cmd/README.md); unless `known`, a chain ends at a name of both families.
  for (const name of names) {
    const others = names.filter((n) =>
      n !== name && (known || (zone.a[n]!.length > 0 && zone.aaaa[n]!.length > 0))
    );
    if (others.length > 0) zone.cname[name] = pick(others);
  }

  // Reverse: some of the zone's IPv4 addresses have PTR records, one to three, odd or hostile.
  const reverse = new Set<string>();
  for (const address of Object.values(zone.a).flat()) {
    if (!chance(0.5)) continue;
    const reverseName = `${address.split(".").reverse().join(".")}.in-addr.arpa`;
    zone.ptr[reverseName] = Array.from(
      { length: pick([1, 1, 2, 3]) },
      () => wireName(chance(0.5) ? pick(ODD_PTRS) : [pick(names)]),
    );
    reverse.add(address);
  }
  reverse.add(`10.${int(0, 3)}.${int(0, 3)}.${int(1, 9)}`);

  const behaviours: Behaviour[] = [
    "answer",
    "answer",
    "answer",
    "answer",
    "nxdomain",
    "nodata",
    "servfail",
    "refused",
    "truncated",
    "cname",
    "other-name",
    ...(known ? ["cut" as const] : []),
  ];
  const options: string[] = [];
  if (chance(0.5)) options.push(`ndots:${int(0, 2)}`);
  options.push(`attempts:${int(1, 2)}`);
  const rotate = chance(0.25);
  if (rotate) options.push("rotate");
  if (chance(0.1)) options.push("single-request");
  const useVc = chance(0.1);
  if (useVc) options.push("use-vc");
  if (chance(0.1)) options.push("no-tld-query");
  // Each server asked for one second at most: a silent one costs a second a try.
  options.push("timeout:1");

  const servers = addresses.slice(0, int(1, addresses.length));
  // glibc's rotate starts at a random server in each process: with rotate the servers agree.
  const scripts: ServerScript[] = [];
  let silent = silence ? 1 : 0;
  for (let s = 0; s < servers.length; s++) {
    if (s > 0 && (rotate || chance(0.3))) {
      scripts.push({ ...scripts[0]! });
      continue;
    }
    const script: ServerScript = {};
    const questions = [...names, ...Object.keys(zone.ptr), "nope.test"];
    for (const name of questions) {
      const both = pick(behaviours);
      for (const type of ["A", "AAAA", "PTR"]) {
        let behaviour = chance(0.7) ? both : pick(behaviours);
        if (silent > 0 && chance(0.05)) {
          behaviour = "silent";
          silent--;
        }
        script[`${name}|${type}`] = behaviour;
      }
    }
    scripts.push(script);
  }

  // A first server that fails one family's question (SERVFAIL, REFUSED, silence) and answers the other's
  // ends glibc's lookup of both (send_dg takes the answer it has); netkit asks the next server for
  // the failed one (cmd/README.md): the other servers then do as the first for that name.
  // Silence too: glibc asks both families together (over TCP after a truncated answer, on one
  // connection, which a silent server closes), netkit each alone.
  const failing = (behaviour: Behaviour | undefined) =>
    behaviour === "servfail" || behaviour === "refused" || behaviour === "silent";
  // glibc's getaddrinfo gives nothing when a server fails the A question and answers the AAAA
  // one, netkit the IPv6 address (cmd/README.md): such a server fails both.
  for (const script of known ? [] : scripts) {
    for (const name of names) {
      // A truncated answer to one family and silence on the other: glibc asks both again over
      // TCP on one connection, which the silent server closes, and gets neither; netkit asks the
      // truncated one alone and has its answer (cmd/README.md; seed 5352): that one is answered
      // over UDP instead, as glibc then takes it.
      for (const [one, other] of [["A", "AAAA"], ["AAAA", "A"]] as const) {
        if (script[`${name}|${one}`] === "truncated" && script[`${name}|${other}`] === "silent") {
          script[`${name}|${one}`] = "answer";
        }
      }
      // Under use-vc glibc asks both families on one connection, which a silent server closes:
      // the other family's answer (NXDOMAIN, REFUSED) is lost with it, and glibc goes on as
      // after a failure, where netkit, asking each alone, has it (cmd/README.md; seeds 20352,
      // 20576): both silent.
      if (useVc && (script[`${name}|A`] === "silent") !== (script[`${name}|AAAA`] === "silent")) {
        script[`${name}|A`] = script[`${name}|AAAA`] = "silent";
      }
      const a = script[`${name}|A`];
      if (failing(a) && !failing(script[`${name}|AAAA`])) script[`${name}|AAAA`] = a!;
    }
  }
  for (const script of known ? [] : scripts.slice(1)) {
    for (const name of names) {
      const a = scripts[0]![`${name}|A`];
      const aaaa = scripts[0]![`${name}|AAAA`];
      if (failing(a) !== failing(aaaa)) {
        script[`${name}|A`] = a!;
        script[`${name}|AAAA`] = aaaa!;
      }
    }
  }

  // From a stream of its own, so that the draws above stay each seed's: some `cname` answers of
  // A and AAAA questions become a chain of 8 to 10 links, or one through a name that is no host
  // name (glibc follows it without naming it), the same at every server (rotate); with `known`
  // also a loop (netkit goes on with the search list after it, glibc stops).
  const more = seededRandom(seed * 15_485_863 + 7);
  const longer: Behaviour[] = [
    "cname-long",
    "cname-hostile",
    ...(known ? ["cname-loop" as const] : []),
  ];
  for (const key of Object.keys(scripts[0] ?? {})) {
    if (key.endsWith("|PTR") || more() >= 0.4) continue;
    const behaviour = longer[Math.floor(more() * longer.length)]!;
    for (const script of scripts) {
      if (script[key] === "cname") script[key] = behaviour;
    }
  }

  if (seed >= ODD_RECORDS_FROM_SEED) {
    const odd = seededRandom(seed * 104_729 + 13);
    for (const key of Object.keys(scripts[0] ?? {})) {
      if (key.endsWith("|PTR") || odd() >= 0.3) continue;
      const was = scripts[0]![key];
      const name = key.slice(0, key.indexOf("|"));
      let now: Behaviour | undefined;
      // Not for a name without records of the type: an answer of an NS record and a bad address
      // record alone stops glibc's search list (NO_RECOVERY), netkit goes on as after no data,
      // as after a CNAME to a name without records (cmd/README.md; seeds 1300033, 1300070).
      const has = key.endsWith("|A") ? zone.a[name] : zone.aaaa[name];
      if (was === "cname") now = "cname-junk";
      else if (was === "answer" && (has ?? []).length > 0) now = "odd-records";
      else if (was === "cname-long") (zone.links ??= {})[name] = 8 + Math.floor(odd() * 13);
      if (now === undefined) continue;
      for (const script of scripts) {
        if (script[key] === was) script[key] = now;
      }
    }
  }

  if (seed >= CASE_ANSWERS_FROM_SEED) {
    const cased = seededRandom(seed * 7_919_731 + 29);
    for (const key of Object.keys(scripts[0] ?? {})) {
      const was = scripts[0]![key];
      if (was !== "answer" || cased() >= 0.35) continue;
      for (const script of scripts) {
        if (script[key] === was) script[key] = "case-0x20";
      }
    }
  }

  const search = Array.from({ length: int(0, 3) }, () => pick([...DOMAINS, "nx.test"]));
  const resolvConf = [
    ...servers.map((server) => `nameserver ${server}`),
    ...(search.length > 0 ? [`search ${search.join(" ")}`] : []),
    `options ${options.join(" ")}`,
  ].join("\n") + "\n";
  const hostsLine = pick(["files dns", "dns", "dns files", "dns [!UNAVAIL=return] files"]);
  const hosts = `127.0.0.1\tlocalhost\n10.9.9.9\tfallback.test fallback\n`;

  const asked = new Set<string>();
  for (let i = int(3, 6); i > 0; i--) {
    const name = pick(names);
    const roll = random();
    asked.add(
      roll < 0.35
        ? name.slice(0, name.indexOf("."))
        : roll < 0.45
        ? `${name}.`
        : roll < 0.5
        ? name.toUpperCase()
        : name,
    );
  }
  asked.add(pick(["nope", "nope.test", "fallback", `${pick(LABELS)}`]));

  // A name asked with a final dot only, no search list walked: a CNAME loop (inside one answer,
  // or across two questions, which glibc does not follow and netkit does) fails both.
  // Not for the questions test: after a loop inside one answer netkit asks the name as it is
  // again (cmd/README.md; seed 1300080), and it asks the second name of a loop across two.
  if (seed >= ODD_RECORDS_FROM_SEED && loops) {
    const loopDraws = seededRandom(seed * 7_368_787 + 29);
    for (const name of names) {
      // No other form asked that a search list can make the name of.
      const reaches = [...asked].filter((each) => {
        const bare = each.toLowerCase().replace(/\.$/, "");
        return each !== `${name}.` && (bare === name || name.startsWith(`${bare}.`));
      });
      if (!asked.has(`${name}.`) || reaches.length > 0 || loopDraws() >= 0.5) continue;
      const loop: Behaviour = loopDraws() < 0.5 ? "cname-loop-far" : "cname-loop";
      // One family's loop beside the other's failure at a server: the next server is asked for
      // the failed family by netkit, not by glibc (cmd/README.md; seed 1300147): both loop then.
      let types = loopDraws() < 0.5 ? ["A", "AAAA"] : [loopDraws() < 0.5 ? "A" : "AAAA"];
      const other = types[0] === "A" ? "AAAA" : "A";
      if (scripts.some((script) => failing(script[`${name}|${other}`]))) types = ["A", "AAAA"];
      for (const type of types) {
        for (const script of scripts) script[`${name}|${type}`] = loop;
      }
    }
  }

  return {
    seed,
    "resolv.conf": resolvConf,
    hosts,
    "nsswitch.conf": `passwd: files\nhosts: ${hostsLine}\n`,
    env: {},
    zone,
    scripts,
    names: [...asked],
    reverse: [...reverse],
  };
}

/** The response `script` and `zone` give to `query`, and whether it is cut for UDP. */
export function scriptedAnswer(
  query: DnsMessage,
  script: ServerScript,
  zone: Zone,
  overTcp: boolean,
): Uint8Array | undefined {
  const question = query.questions[0];
  if (question === undefined) return undefined;
  const name = question.name.toLowerCase().replace(/\.$/, "");
  const typeName = question.type === DNS_TYPE.A
    ? "A"
    : question.type === DNS_TYPE.AAAA
    ? "AAAA"
    : question.type === DNS_TYPE.PTR
    ? "PTR"
    : "other";
  const reply = (fields: Partial<DnsMessage>) =>
    encodeDnsMessage({
      id: query.id,
      response: true,
      authoritative: true,
      recursionDesired: query.recursionDesired,
      recursionAvailable: true,
      questions: query.questions,
      ...fields,
    });
  // The second question of a loop across two: `far-NAME` points back to NAME.
  const far = /^far-(.*)$/.exec(name)?.[1];
  if (far !== undefined && script[`${far}|${typeName}`] === "cname-loop-far") {
    return reply({ answers: [{ name: question.name, type: DNS_TYPE.CNAME, data: far }] });
  }
  const known = name in zone.a || name in zone.ptr;
  const behaviour: Behaviour = script[`${name}|${typeName}`] ?? (known ? "answer" : "nxdomain");
  const recordsOf = (owner: string, target: string): DnsRecord[] => {
    if (typeName === "A") {
      return (zone.a[target] ?? []).map((data) => ({ name: owner, type: DNS_TYPE.A, data }));
    }
    if (typeName === "AAAA") {
      return (zone.aaaa[target] ?? []).map((data) => ({ name: owner, type: DNS_TYPE.AAAA, data }));
    }
    if (typeName === "PTR") {
      return (zone.ptr[target] ?? []).map((wire) => ({
        name: owner,
        type: DNS_TYPE.PTR,
        data: new Uint8Array(wire),
      }));
    }
    return [];
  };
  if (!known) return reply({ rcode: DNS_RCODE.NXDOMAIN });
  switch (behaviour) {
    case "silent":
      return undefined;
    case "nxdomain":
      return reply({ rcode: DNS_RCODE.NXDOMAIN });
    case "nodata":
      return reply({});
    case "servfail":
      return reply({ rcode: DNS_RCODE.SERVFAIL });
    case "refused":
      return reply({ rcode: DNS_RCODE.REFUSED });
    case "truncated":
      return overTcp
        ? reply({ answers: recordsOf(question.name, name) })
        : reply({ truncated: true });
    case "cname": {
      const target = zone.cname[name];
      if (target === undefined) return reply({ answers: recordsOf(question.name, name) });
      const alias = `alias-${name}`;
      return reply({
        answers: [
          { name: question.name, type: DNS_TYPE.CNAME, data: alias },
          { name: alias, type: DNS_TYPE.CNAME, data: target },
          ...recordsOf(target, target),
        ],
      });
    }
    case "cname-long": {
      // 8 to 10 links inside one answer to the name's CNAME target.
      const target = zone.cname[name];
      if (target === undefined) return reply({ answers: recordsOf(question.name, name) });
      const links = zone.links?.[name] ?? 8 + name.length % 3;
      const owners = [
        question.name,
        ...Array.from({ length: links - 1 }, (_, i) => `l${i}-${name}`),
      ];
      return reply({
        answers: [
          ...owners.map((owner, i) => ({
            name: owner,
            type: DNS_TYPE.CNAME,
            data: owners[i + 1] ?? target,
          })),
          ...recordsOf(target, target),
        ],
      });
    }
    case "cname-hostile": {
      // Through a name that is no host name to the target, or to that name owning the records.
      const target = zone.cname[name];
      if (target === undefined) return reply({ answers: recordsOf(question.name, name) });
      const hostile = `${HOSTILE_LABELS[name.length % HOSTILE_LABELS.length]}.${name}`;
      return reply({
        answers: name.length % 2 === 0
          ? [
            { name: question.name, type: DNS_TYPE.CNAME, data: hostile },
            { name: hostile, type: DNS_TYPE.CNAME, data: target },
            ...recordsOf(target, target),
          ]
          : [
            { name: question.name, type: DNS_TYPE.CNAME, data: hostile },
            ...recordsOf(hostile, target),
          ],
      });
    }
    case "cname-loop": {
      const back = `loop-${name}`;
      return reply({
        answers: [
          { name: question.name, type: DNS_TYPE.CNAME, data: back },
          { name: back, type: DNS_TYPE.CNAME, data: question.name },
        ],
      });
    }
    case "cname-loop-far":
      // A CNAME to a name without records, which asked points back.
      return reply({
        answers: [{ name: question.name, type: DNS_TYPE.CNAME, data: `far-${name}` }],
      });
    case "cname-junk": {
      // The two links of `cname`, each target's name followed by one to four bytes of junk.
      const target = zone.cname[name];
      if (target === undefined) return reply({ answers: recordsOf(question.name, name) });
      const alias = `alias-${name}`;
      const junk = (to: string) =>
        new Uint8Array([...encodeDnsName(to), ...[7, 0, 0xc0, 12].slice(0, 1 + name.length % 4)]);
      return reply({
        answers: [
          { name: question.name, type: DNS_TYPE.CNAME, data: junk(alias) },
          { name: alias, type: DNS_TYPE.CNAME, data: junk(target) },
          ...recordsOf(target, target),
        ],
      });
    }
    case "odd-records": {
      // An NS record of the name (a byte after its name), an address record of the type asked
      // of the wrong length, then the name's records.
      const wrong = typeName === "A" ? 5 : typeName === "AAAA" ? 4 + name.length % 12 : 0;
      return reply({
        answers: [
          {
            name: question.name,
            type: DNS_TYPE.NS,
            data: new Uint8Array([...encodeDnsName(`ns.${name}`), 0]),
          },
          ...(wrong === 0 ? [] : [{
            name: question.name,
            type: question.type,
            data: new Uint8Array(wrong).fill(10),
          }]),
          ...recordsOf(question.name, name),
        ],
      });
    }
    case "other-name": {
      const other = zone.cname[name] ?? name;
      return reply({
        answers: [...recordsOf(`${other}.other`, name), ...recordsOf(question.name, name)],
      });
    }
    case "case-0x20": {
      // Every other letter's case flipped, in the question section and the records' owners.
      const flipped = [...question.name].map((c, i) =>
        i % 2 === 0 ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c
      ).join("");
      return reply({
        questions: [{ ...question, name: flipped }],
        answers: recordsOf(flipped, name),
      });
    }
    case "cut": {
      const whole = reply({ answers: recordsOf(question.name, name) });
      // A message that ends inside its answer section (or header): malformed.
      return whole.subarray(0, Math.max(7, whole.length - 3));
    }
    default:
      return reply({ answers: recordsOf(question.name, name) });
  }
}

/**
 * One message a scripted server received, as its DNS log would show it: what a user sees of the
 * questions a resolver sends (their names, types, flags and EDNS0), without the query id.
 */
export interface ReceivedMessage {
  /** The order of arrival at every scripted server of this process (one counter for all). */
  sequence: number;
  /** The server's index in the list it was started from (set by the caller). */
  server: number;
  transport: "udp" | "tcp";
  /** The first question's name as sent (its case kept). */
  name: string;
  type: number;
  class: number;
  /** How many questions the message holds (1 from every stub resolver). */
  questionCount: number;
  opcode: number;
  /** RD, AD and CD: the id-independent flags a client sets. */
  rd: boolean;
  ad: boolean;
  cd: boolean;
  /** The EDNS0 OPT record, when present: its UDP payload size, version and DO bit. */
  edns?: { udpSize: number; version: number; dnssecOk: boolean };
}

/** The arrival counter shared by every scripted server of the process. */
let arrivals = 0;

/** `wire` (a query that decoded as `query`) as a {@linkcode ReceivedMessage}. */
function receivedMessage(
  wire: Uint8Array,
  query: DnsMessage,
  transport: "udp" | "tcp",
  server: number,
): ReceivedMessage {
  const flags = ((wire[2] ?? 0) << 8) | (wire[3] ?? 0);
  const question = query.questions[0];
  const opt = query.additionals.find((record) => record.type === DNS_TYPE_OPT);
  const ttl = opt?.ttl ?? 0;
  return {
    sequence: arrivals++,
    server,
    transport,
    name: question?.name ?? "",
    type: question?.type ?? 0,
    class: question?.class ?? 0,
    questionCount: query.questions.length,
    opcode: query.opcode,
    rd: query.recursionDesired,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    ...(opt === undefined ? {} : {
      edns: {
        udpSize: opt.class ?? 0,
        version: (ttl >>> 16) & 0xff,
        dnssecOk: (ttl & 0x8000) !== 0,
      },
    }),
  };
}

/** The OPT pseudo-record of EDNS0 (RFC 6891). */
const DNS_TYPE_OPT = 41;

/** The name of the question {@linkcode ScriptedDnsServer.flush} sends, which is not logged. */
const FLUSH_NAME = "flush.scripted-server.invalid";

/** A server of {@linkcode startScriptedDnsServer}. */
export interface ScriptedDnsServer extends AsyncDisposable {
  /** The UDP questions received, as `NAME TYPE`. */
  questions: string[];
  /** Every message received, over UDP and TCP, in order of arrival (the caller may empty it). */
  received: ReceivedMessage[];
  /**
   * Resolves once every datagram sent to the server before the call has been read (and logged):
   * sends one of its own and waits for the answer, which comes after them.
   */
  flush(): Promise<void>;
}

/**
 * A DNS server on port 53 of `hostname` (UDP and TCP) answering as `script` and `zone` say
 * ({@linkcode scriptedAnswer}), or as `answer` says; `index` names it in
 * {@linkcode ScriptedDnsServer.received}; needs root.
 */
export function startScriptedDnsServer(
  hostname: string,
  script: ServerScript,
  zone: Zone,
  index = 0,
  answer: (query: DnsMessage, overTcp: boolean) => Uint8Array | undefined = (query, overTcp) =>
    scriptedAnswer(query, script, zone, overTcp),
): ScriptedDnsServer {
  // Bound again for each seed: listenDnsPort waits out a close another worker's child delays.
  const [udp, tcp] = listenDnsPort(hostname, 53);
  const questions: string[] = [];
  const received: ReceivedMessage[] = [];
  // What ended the UDP loop: the socket's close, or an error (an answer that cannot be encoded),
  // which flush() then throws, where it would wait for an answer forever.
  let failure: unknown;
  const serving = (async () => {
    try {
      while (true) {
        const [wire, from] = await udp.receive();
        let query: DnsMessage;
        try {
          query = decodeDnsMessage(wire);
        } catch {
          continue;
        }
        if (query.questions[0]?.name === FLUSH_NAME) {
          await udp.send(wire.slice(0, 12), from);
          continue;
        }
        received.push(receivedMessage(wire, query, "udp", index));
        questions.push(query.questions.map((q) => `${q.name} ${q.type}`).join(","));
        const reply = answer(query, false);
        if (reply) await udp.send(reply, from);
      }
    } catch (error) {
      // Closed, or failed.
      failure = error;
    }
  })();
  const connections = new Set<Promise<void>>();
  const serveConnection = async (conn: Deno.TcpConn) => {
    try {
      while (true) {
        const head = await readExactly(conn, 2);
        if (head === undefined) break;
        const body = await readExactly(conn, new DataView(head.buffer).getUint16(0));
        if (body === undefined) break;
        const query = decodeDnsMessage(body);
        received.push(receivedMessage(body, query, "tcp", index));
        const reply = answer(query, true);
        if (reply === undefined) break;
        const framed = new Uint8Array(2 + reply.length);
        new DataView(framed.buffer).setUint16(0, reply.length);
        framed.set(reply, 2);
        let sent = 0;
        while (sent < framed.length) sent += await conn.write(framed.subarray(sent));
      }
    } catch {
      // The client went away.
    } finally {
      conn.close();
    }
  };
  const accepting = (async () => {
    try {
      for await (const conn of tcp) {
        const serving = serveConnection(conn);
        connections.add(serving);
        serving.finally(() => connections.delete(serving));
      }
    } catch {
      // Closed.
    }
  })();
  return {
    questions,
    received,
    async flush() {
      const client = Deno.listenDatagram({
        transport: "udp",
        hostname: "127.0.0.1",
        port: 0,
      });
      try {
        const query = encodeDnsMessage({
          id: 1,
          recursionDesired: true,
          questions: [{ name: FLUSH_NAME, type: DNS_TYPE.A }],
        });
        await client.send(query, { transport: "udp", hostname, port: 53 });
        const answered = client.receive();
        const stopped = serving.then(() => {
          throw new Error(`the scripted server ${hostname} stopped`, { cause: failure });
        });
        // The loser of the race fails later (the socket closed, the server disposed of): handled.
        answered.catch(() => {});
        stopped.catch(() => {});
        await Promise.race([answered, stopped]);
      } finally {
        client.close();
      }
    },
    async [Symbol.asyncDispose]() {
      udp.close();
      tcp.close();
      await Promise.all([serving, accepting, ...connections]);
    },
  };
}

async function readExactly(conn: Deno.TcpConn, length: number): Promise<Uint8Array | undefined> {
  const buffer = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = await conn.read(buffer.subarray(got));
    if (n === null) return undefined;
    got += n;
  }
  return buffer;
}
