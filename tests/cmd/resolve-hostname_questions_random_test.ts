/**
 * The questions name servers see from `resolve-hostname`, beside those they see from glibc's
 * getent, on random configurations: what users meet in their DNS logs, in query counts (cost, rate
 * limits) and in leaks (a search domain's name under `ndots`, the bare name under `no-tld-query`,
 * an AAAA question under `no-aaaa`, any question under `hosts: files`).
 *
 * Two tests, each on the same seeds. The first generates (tests/harness/resolver_questions_fuzz.ts)
 * a resolv.conf naming one to three scripted servers (search or domain, ndots, attempts,
 * `timeout:1`, rotate, no-tld-query, single-request, single-request-reopen, use-vc, no-aaaa, edns0,
 * trust-ad, inet6), `LOCALDOMAIN` and `RES_OPTIONS` now and then, nsswitch.conf's `hosts:` line, a
 * hosts file, a zone and what each server does with each question: answers, NXDOMAIN, no data,
 * SERVFAIL, REFUSED, a truncated answer, a CNAME, silence now and then
 * (tests/harness/resolver_fuzz_servers.ts); from seed 1,600,000 on also options lines of several
 * of glibc 2.36's options (`ndots:0`, `ndots:15`, `rotate`, `no-aaaa`, `use-vc`, ...) in resolv.conf
 * or `RES_OPTIONS`, search lists of six to nine domains over 256 bytes (also as `LOCALDOMAIN`),
 * `search` then `domain`, hosts lines of 10 to 40 aliases and names in upper case or with a final
 * dot (answers in other letters' case, DNS 0x20, come from seed 1,400,000). The second takes tests/harness/resolver_fuzz.ts's
 * configurations (odd hosts files and resolv.conf lines, every nsswitch line it knows, HOSTALIASES,
 * a dead server, address literals and hostile names) with servers that answer from its records
 * (tests/harness/resolver_questions_zone.ts; from seed 1,400,000 on with that generator's options
 * lines, long search lists, many aliases, upper-case names and TTL 0 records). The servers listen on port 53 of random loopback
 * addresses (resolv.conf cannot name a port) and log every message they receive: transport, name, type,
 * class, the RD, AD and CD flags, and EDNS0 (the OPT record's UDP size, version and DO bit). In a
 * mount namespace with the files over `/etc`, one probe process
 * (tests/harness/resolver_questions_probe.ts) runs each program in turn while the test empties the
 * logs before it and reads them after it (a datagram of its own to each server tells when the
 * last ones were read):
 *
 * | glibc                  | netkit                                                           |
 * | ---------------------- | ---------------------------------------------------------------- |
 * | `getent ahosts NAME`   | `resolve-hostname --ahosts NAME`                                 |
 * | `getent ahostsv4 NAME` | `resolve-hostname NAME`                                          |
 * | `getent ahostsv6 NAME` | `resolve-hostname6 NAME` (glibc's A questions left out, below)   |
 * | `getent hosts NAME`    | `resolve-hostname6 NAME`, then, when it fails, `resolve-hostname` |
 * | `getent hosts ADDRESS` | `resolve-hostname -x ADDRESS`                                    |
 *
 * Compared per run: the questions of each type (A, AAAA, PTR, other) in the order they came, each
 * with its server, transport, name as sent, class, flags and EDNS0; and the order in which the
 * names were first asked. glibc sends a name's A and AAAA questions together (netkit sends them
 * concurrently), so the two families are compared each on its own, not interleaved.
 *
 * Differences accepted (cmd/README.md), and steered or normalised here:
 * - under `rotate` glibc starts at a random server in each process (netkit in each question): the
 *   servers then do the same, and the questions are compared without the server;
 * - `getent ahostsv6` is getaddrinfo with AI_V4MAPPED, which asks for IPv4 addresses too when
 *   IPv6 gave none (a step `resolve-hostname6` has not): its A questions are left out, and it is
 *   not compared when it printed a mapped address (an earlier source's IPv4 answer) or under
 *   `no-aaaa` (where its AAAA questions go out as A ones);
 * - glibc's pairing of a name's two questions: after a truncated answer to one, both again over
 *   TCP; under single-request, no AAAA question after a truncated, silent, SERVFAIL or REFUSED A
 *   one; on one TCP connection, which a silent server closes: those questions are left out;
 * - a CNAME chain to a name without records of the type asked (netkit asks about its end and
 *   goes on with the search list; glibc stops): the rest of that type's questions are left out;
 * - names gethostbyname or getaddrinfo for one family treat apart on purpose (`0x7f.1`, scoped
 *   literals, international names, `127.0.0.256` for `getent hosts`; names that are no host
 *   names for `getent ahostsv4` and `ahostsv6`; a label ending in `-`; the root, `.`);
 * - the servers never fail one family of a name and answer the other (or fail them in ways that
 *   differ by silence), search domains are listed once, and what the answers differ in on
 *   purpose the scripted servers do not do (`generateServerFuzzConfig` without `known`).
 *
 * A failure prints each difference with its seed, the configuration and both lists. By default a
 * fixed set of seeds runs (1-24 for each test, one with a silent server, and the seeds of
 * FOUND_SEEDS; about twelve seconds); to hunt:
 *
 *     NETKIT_FUZZ_SEEDS=300 NETKIT_FUZZ_FIRST=1000 deno test -A --unstable-net tests/cmd/resolve-hostname_questions_random_test.ts
 *
 * to replay some, `NETKIT_FUZZ_SEED=1042,1077`; to keep the directories of the seeds that differ
 * (the files, the questions asked and both logs, as `logs.json`), `NETKIT_FUZZ_KEEP=1`. As root;
 * ignored, with the reason, where namespaces or getent cannot be had.
 */

import assert from "node:assert/strict";
import { etcNamespaceCommand, etcNamespaceUnavailable } from "../harness/etc_namespace.ts";
import { tempDir } from "../harness/peers.ts";
import { generateQuestionsFuzzConfig } from "../harness/resolver_questions_fuzz.ts";
import type {
  QuestionsProbeAnswer,
  QuestionsProbeRequest,
} from "../harness/resolver_questions_probe.ts";
import {
  type ReceivedMessage,
  type ScriptedDnsServer,
  type ServerFuzzConfig,
  startScriptedDnsServer,
} from "../harness/resolver_fuzz_servers.ts";
import { ROOT } from "../harness/run.ts";
import { generateFuzzConfig } from "../harness/resolver_fuzz.ts";
import { recordsAnswer } from "../harness/resolver_questions_zone.ts";
import { addressFamily, inetAton } from "../../lib/net/inet.ts";
import { isValidAnswerName } from "../../lib/dns/host_name.ts";
import { loopbackAddresses } from "../harness/loopback_address.ts";

const IGNORE = etcNamespaceUnavailable(["getent"]);
const IGNORED = IGNORE ? ` (ignored: ${IGNORE})` : "";

/** The scripted servers' loopback addresses (tests/harness/loopback_address.ts), one to three. */
const SCRIPTED = loopbackAddresses(3);

/** The seeds run by default: few enough for the suite, chosen only to be fixed. */
const DEFAULT_SEEDS = 24;

/**
 * Seeds run by default after the first DEFAULT_SEEDS, each for what it once found: 20827, records
 * (a PTR answer naming an international host record, `日本.sub.corp.test`, which the records
 * server could not encode: its loop ended and the test waited for it forever); 960140, records
 * (`hosts: systemd dns [SUCCESS=continue] FILES`: gethostbyname passes over sources glibc cannot
 * load, so DNS's IPv6 answer counted and no A question followed).
 */
const FOUND_SEEDS = [20827, 960140];

/** The seeds to run: `NETKIT_FUZZ_SEED=a,b`, or `NETKIT_FUZZ_SEEDS` from `NETKIT_FUZZ_FIRST`. */
function seedsToRun(): number[] {
  const list = Deno.env.get("NETKIT_FUZZ_SEED");
  if (list) return list.split(",").map(Number);
  const count = Deno.env.get("NETKIT_FUZZ_SEEDS");
  const first = Number(Deno.env.get("NETKIT_FUZZ_FIRST") ?? 1);
  if (count === undefined && first === 1) {
    return [...Array.from({ length: DEFAULT_SEEDS }, (_, i) => i + 1), ...FOUND_SEEDS];
  }
  return Array.from({ length: Number(count ?? DEFAULT_SEEDS) }, (_, i) => first + i);
}

/** Keep the directories of the seeds that differ (NETKIT_FUZZ_KEEP=1), to look into. */
const KEEP = Deno.env.get("NETKIT_FUZZ_KEEP") === "1";

/** A silent server costs each program a second a question: on one seed in sixteen. */
function silenceFor(seed: number): boolean {
  return seed % 16 === 0;
}

const TYPE_NAMES: Record<number, string> = { 1: "A", 28: "AAAA", 12: "PTR" };

/** One message as the comparison reads it: everything but the arrival order. */
function describeMessage(message: ReceivedMessage, withServer: boolean): string {
  const flags = [
    message.rd ? "rd" : "",
    message.ad ? "ad" : "",
    message.cd ? "cd" : "",
  ].filter((flag) => flag !== "").join(",");
  const edns = message.edns === undefined
    ? ""
    : ` edns(${message.edns.udpSize}${
      message.edns.version === 0 ? "" : ` v${message.edns.version}`
    }${message.edns.dnssecOk ? " do" : ""})`;
  const odd = [
    message.class === 1 ? "" : ` class ${message.class}`,
    message.questionCount === 1 ? "" : ` ${message.questionCount} questions`,
    message.opcode === 0 ? "" : ` opcode ${message.opcode}`,
  ].join("");
  const server = withServer ? `server ${message.server + 1} ` : "";
  return `${server}${message.transport} ${message.name} ${flags}${edns}${odd}`;
}

/** A program's questions as compared: each type's in order, and the names in first-asked order. */
function questionTrace(
  messages: ReceivedMessage[],
  withServer: boolean,
  dropTypes: number[] = [],
): Record<string, string[]> {
  const trace: Record<string, string[]> = { A: [], AAAA: [], PTR: [], other: [], names: [] };
  for (const message of messages) {
    if (dropTypes.includes(message.type)) continue;
    const type = TYPE_NAMES[message.type] ?? "other";
    trace[type]!.push(
      `${describeMessage(message, withServer)}${type === "other" ? ` type ${message.type}` : ""}`,
    );
    const name = message.name.toLowerCase();
    if (!trace.names!.includes(name)) trace.names!.push(name);
  }
  return trace;
}

/** The probe process in its namespace, asked one program at a time. */
interface Probe extends AsyncDisposable {
  /** Runs one request; returns its answer and the messages the servers received meanwhile. */
  run(request: QuestionsProbeRequest): Promise<[QuestionsProbeAnswer, ReceivedMessage[]]>;
}

async function startProbe(
  dir: string,
  config: ServerFuzzConfig,
  servers: ScriptedDnsServer[],
): Promise<Probe> {
  const [unshare, ...prefix] = await etcNamespaceCommand(dir, {
    "resolv.conf": config["resolv.conf"],
    hosts: config.hosts,
    "nsswitch.conf": config["nsswitch.conf"],
  });
  const child = new Deno.Command(unshare!, {
    args: [
      ...prefix,
      Deno.execPath(),
      "run",
      "-A",
      `${ROOT}/tests/harness/resolver_questions_probe.ts`,
    ],
    // Deno's update check asks the system's resolver for dl.deno.land: not netkit's question.
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...config.env },
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderr = new Response(child.stderr).text();
  let buffered = "";
  const readLine = async (): Promise<string> => {
    while (!buffered.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the probe ended: ${await stderr}`);
      buffered += value;
    }
    const newline = buffered.indexOf("\n");
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    return line;
  };
  const encoder = new TextEncoder();
  return {
    async run(request) {
      for (const server of servers) server.received.length = 0;
      await writer.write(encoder.encode(JSON.stringify(request) + "\n"));
      const answer = JSON.parse(await readLine()) as QuestionsProbeAnswer;
      for (const server of servers) await server.flush();
      const messages = servers.flatMap((server) => server.received.splice(0))
        .sort((a, b) => a.sequence - b.sequence);
      return [answer, messages];
    },
    async [Symbol.asyncDispose]() {
      await writer.close().catch(() => {});
      await reader.cancel().catch(() => {});
      await stderr.catch(() => "");
      await child.status;
    },
  };
}

/** One comparison's two runs, for the report. */
interface Compared {
  what: string;
  glibc: ReceivedMessage[];
  netkit: ReceivedMessage[];
}

/** The differences of one seed, and every comparison made (for NETKIT_FUZZ_KEEP). */
async function compareSeed(
  config: ServerFuzzConfig,
  probe: Probe,
  cnames = new Map<string, string>(),
  hasRecords: (name: string, type: number) => boolean = () => true,
): Promise<{ differences: string[]; compared: Compared[] }> {
  const optionsText = `${config["resolv.conf"]} ${config.env.RES_OPTIONS ?? ""}`;
  const rotate = /\brotate\b/.test(optionsText);
  const noAaaa = /\bno-aaaa\b/.test(optionsText);
  const useVc = /\buse-vc\b/.test(optionsText);
  const singleRequest = /\bsingle-request/.test(optionsText);
  const differences: string[] = [];
  const compared: Compared[] = [];
  // A server that truncates one family's answer of a name and not the other's: glibc's pairing
  // asks both again over TCP (send_dg leaves for send_vc with both questions, dropping the answer
  // it has), and under single-request never sends the second over UDP; netkit asks the truncated
  // one over TCP. The other family's questions to that server about that name are not compared.
  const pairedTruncation = (message: ReceivedMessage) => {
    const script = config.scripts[message.server] ?? {};
    const name = message.name.toLowerCase().replace(/\.$/, "");
    const own = script[`${name}|${TYPE_NAMES[message.type]}`];
    const other = script[`${name}|${message.type === 1 ? "AAAA" : "A"}`];
    return (message.type === 1 || message.type === 28) && own !== "truncated" &&
      other === "truncated";
  };
  // Under single-request glibc sends a name's AAAA question only once the A one is answered:
  // where the A answer is truncated (then both go over TCP) or never comes, the server sees no
  // AAAA question over UDP; nor after SERVFAIL or REFUSED (send_dg waits for a second answer it
  // never asked for, and times out: cmd/README.md). netkit sends the AAAA one once the A one's
  // try is over, whatever its outcome. Those AAAA questions are not compared.
  const singleRequestUnsent = (message: ReceivedMessage) => {
    if (!singleRequest || message.type !== 28 || message.transport !== "udp") return false;
    const script = config.scripts[message.server] ?? {};
    const a = script[`${message.name.toLowerCase().replace(/\.$/, "")}|A`];
    return a === "truncated" || a === "silent" || a === "servfail" || a === "refused";
  };
  // A silent server closes a TCP connection after the question it does not answer (the old
  // seeds' servers do so): glibc sends both families' questions on one connection, and the
  // second is never read. The TCP questions of such a name are not compared.
  const silentOverTcp = (message: ReceivedMessage) => {
    if (message.transport !== "tcp") return false;
    const script = config.scripts[message.server] ?? {};
    const name = message.name.toLowerCase().replace(/\.$/, "");
    return script[`${name}|A`] === "silent" || script[`${name}|AAAA`] === "silent";
  };
  // A CNAME chain whose end has no record of the type asked: netkit asks about the end, and
  // goes on with the search list as after no data; glibc takes the answer's CNAME records for
  // an answer, fails (NO_RECOVERY) and asks nothing more (cmd/README.md). Questions about a
  // chain's end after the question that led to it are not compared, nor, after a chain to no
  // record of the type, the rest of that type's questions.
  const withoutChainEnds = (messages: ReceivedMessage[]) => {
    if (cnames.size === 0) return messages;
    const ends = new Set<string>();
    const cut = new Set<number>();
    return messages.filter((message) => {
      const name = message.name.toLowerCase().replace(/\.$/, "");
      if (ends.has(name) || cut.has(message.type)) return false;
      let end = name;
      for (let links = 0; links < 10 && cnames.has(end); links++) end = cnames.get(end)!;
      if (end !== name) {
        ends.add(end);
        if (!hasRecords(end, message.type)) cut.add(message.type);
      }
      return true;
    });
  };
  const compare = (
    what: string,
    glibc: ReceivedMessage[],
    netkit: ReceivedMessage[],
    dropFromGlibc: number[] = [],
    paired = false,
  ) => {
    compared.push({ what, glibc, netkit });
    const kept = (messages: ReceivedMessage[]) =>
      paired
        ? messages.filter((message) =>
          !(!useVc && pairedTruncation(message)) && !singleRequestUnsent(message) &&
          !silentOverTcp(message)
        )
        : messages;
    const ours = questionTrace(withoutChainEnds(kept(netkit)), !rotate);
    const theirs = questionTrace(withoutChainEnds(kept(glibc)), !rotate, dropFromGlibc);
    for (const key of Object.keys(theirs)) {
      try {
        assert.deepEqual(ours[key], theirs[key]);
      } catch {
        differences.push(
          `${what}: ${key === "names" ? "names in order" : `${key} questions`}:\n` +
            `    glibc:  ${JSON.stringify(theirs[key])}\n    netkit: ${JSON.stringify(ours[key])}`,
        );
      }
    }
  };
  for (const name of config.names) {
    // A label that ends in `-`: netkit refuses such a name on purpose, glibc asks DNS for it.
    if (name.split(".").some((label) => label.endsWith("-"))) continue;
    // The root, `.`: glibc asks DNS for its addresses, netkit refuses it as no host name.
    if (name === ".") continue;
    // getaddrinfo for one family (gethostbyname3_r, which nss_dns does not check with res_hnok,
    // as it checks gethostbyname2_r and gethostbyname4_r) asks DNS for a name that is no host
    // name, `[::1]`; netkit refuses it as the others do (cmd/README.md).
    const hostNameOk = addressFamily(name) !== undefined ||
      isValidAnswerName(name.replace(/\.$/, "")) ||
      [...name].some((character) => character.charCodeAt(0) > 0x7f);
    const [, ahosts] = await probe.run({ getent: ["ahosts", name] });
    const [, ahostsv4] = await probe.run({ getent: ["ahostsv4", name] });
    const [v6answer, ahostsv6] = await probe.run({ getent: ["ahostsv6", name] });
    const [, hosts] = await probe.run({ getent: ["hosts", name] });
    const [, ourAhosts] = await probe.run({ netkit: ["--ahosts", "--", name], family: 4 });
    const [our4answer, our4] = await probe.run({ netkit: ["--json", "--", name], family: 4 });
    const [our6answer, our6] = await probe.run({ netkit: ["--json", "--", name], family: 6 });
    compare(`getent ahosts ${name} / resolve-hostname --ahosts`, ahosts, ourAhosts, [], true);
    if (hostNameOk) compare(`getent ahostsv4 ${name} / resolve-hostname`, ahostsv4, our4);
    if (!noAaaa && !/::ffff:/i.test(v6answer.stdout) && hostNameOk) {
      compare(`getent ahostsv6 ${name} / resolve-hostname6`, ahostsv6, our6, [1]);
    }
    void our4answer;
    if (addressFamily(name) !== undefined) {
      // getent hosts looks an address up in reverse.
      const [, ours] = await probe.run({ netkit: ["--json", "-x", name], family: 4 });
      compare(`getent hosts ${name} / resolve-hostname -x`, hosts, ours);
    } else if (!gethostbynameOnly(name)) {
      // gethostbyname2 for IPv6, then for IPv4; resolve-hostname asked again only when needed.
      const ourHosts = our6answer.code === 0 ? our6 : [...our6, ...our4];
      compare(`getent hosts ${name} / resolve-hostname6, resolve-hostname`, hosts, ourHosts);
    }
  }
  for (const address of config.reverse) {
    const [, glibc] = await probe.run({ getent: ["hosts", address] });
    const [, ours] = await probe.run({ netkit: ["--json", "-x", address], family: 4 });
    compare(`getent hosts ${address} / resolve-hostname -x`, glibc, ours);
  }
  return { differences, compared };
}

/**
 * Whether gethostbyname2 (getent hosts) treats `name` unlike getaddrinfo and netkit, on purpose
 * (cmd/README.md): `0x7f.1` and scoped IPv6 literals it asks DNS for, a name of digits and dots
 * that is no address (`127.0.0.256`) and an international name it asks nothing for.
 */
function gethostbynameOnly(name: string): boolean {
  const nonAscii = [...name].some((character) => character.charCodeAt(0) > 0x7f);
  const digitsAndDots = /^[0-9][0-9.]*$/.test(name) && !name.endsWith(".");
  return nonAscii || name.includes("%") || /^0x/i.test(name) ||
    digitsAndDots && inetAton(name) === undefined;
}

/** The configuration as a report shows it. */
function describeConfig(config: ServerFuzzConfig): string {
  return [
    `--- /etc/resolv.conf\n${config["resolv.conf"]}`,
    `--- /etc/hosts\n${config.hosts}`,
    `--- /etc/nsswitch.conf\n${config["nsswitch.conf"]}`,
    `--- environment\n${Object.entries(config.env).map(([k, v]) => `${k}=${v}\n`).join("")}`,
    `--- zone\n${JSON.stringify(config.zone)}\n`,
    ...config.scripts.map((script, i) => `--- server ${i + 1}\n${JSON.stringify(script)}\n`),
  ].join("");
}

/** Runs one seed: starts its servers and the probe; returns the differences. */
async function runSeed(seed: number, parent: string): Promise<string[]> {
  const config = generateQuestionsFuzzConfig(seed, SCRIPTED, silenceFor(seed));
  const dir = `${parent}/seed-${seed}`;
  await Deno.mkdir(dir, { recursive: true });
  const servers: ScriptedDnsServer[] = [];
  let result: { differences: string[]; compared: Compared[] };
  try {
    for (const [i, script] of config.scripts.entries()) {
      servers.push(await startScriptedDnsServer(SCRIPTED[i]!, script, config.zone, i));
    }
    await using probe = await startProbe(dir, config, servers);
    result = await compareSeed(config, probe);
  } finally {
    for (const server of servers) await server[Symbol.asyncDispose]();
  }
  return await report(`seed ${seed}`, dir, config, result);
}

/** A seed's report (none when it had no difference); its directory kept under NETKIT_FUZZ_KEEP. */
async function report(
  title: string,
  dir: string,
  config: ServerFuzzConfig,
  result: { differences: string[]; compared: Compared[] },
  records: string[] = [],
): Promise<string[]> {
  if (result.differences.length === 0) {
    await Deno.remove(dir, { recursive: true });
    return [];
  }
  if (KEEP) {
    await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify({ ...config, records }, null, 1));
    await Deno.writeTextFile(`${dir}/logs.json`, JSON.stringify(result.compared, null, 1));
  } else {
    await Deno.remove(dir, { recursive: true });
  }
  const zone = records.length > 0 ? `--- records\n${records.join("\n")}\n` : "";
  return [
    `${title}${KEEP ? ` (kept in ${dir})` : ""}:\n  ${result.differences.join("\n  ")}\n${
      describeConfig(config)
    }${zone}`,
  ];
}

/**
 * Runs one seed of the configurations of tests/harness/resolver_fuzz.ts (hosts files, nsswitch
 * lines, search lists, options, HOSTALIASES, hostile names and literals, a dead server) against
 * servers answering from its records; returns the differences.
 */
async function runRecordsSeed(seed: number, parent: string): Promise<string[]> {
  const generated = generateFuzzConfig(seed, {
    live: SCRIPTED.slice(0, 2),
    dead: SCRIPTED[2]!,
  });
  // A search domain listed twice is asked twice by glibc, once by netkit (cmd/README.md): each
  // domain once, as res_search trims it (a leading and a final dot, case).
  const once = (list: string) => {
    const seen = new Set<string>();
    return list.split(/[ \t]+/).filter((domain) => {
      const key = domain.toLowerCase().replace(/^\./, "").replace(/(.)\.$/, "$1");
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }).join(" ");
  };
  generated["resolv.conf"] = generated["resolv.conf"].split("\n").map((line) =>
    /^search[ \t]/.test(line) ? `search ${once(line.slice(7))}` : line
  ).join("\n");
  if (generated.env.LOCALDOMAIN) generated.env.LOCALDOMAIN = once(generated.env.LOCALDOMAIN);
  const dir = `${parent}/records-${seed}`;
  await Deno.mkdir(dir, { recursive: true });
  const env = { ...generated.env };
  if (generated.hostAliases !== undefined) {
    env.HOSTALIASES = `${dir}/aliases`;
    await Deno.writeTextFile(env.HOSTALIASES, generated.hostAliases);
  }
  const config: ServerFuzzConfig = {
    seed,
    "resolv.conf": generated["resolv.conf"],
    hosts: generated.hosts,
    "nsswitch.conf": generated["nsswitch.conf"],
    env,
    zone: { a: {}, aaaa: {}, cname: {}, ptr: {} },
    scripts: [],
    names: generated.names,
    reverse: generated.reverse,
  };
  const cnames = new Map(
    generated.records.filter((record) => record.startsWith("--cname=")).map((record) => {
      const [alias = "", target = ""] = record.slice(8).split(",");
      return [alias.toLowerCase(), target.toLowerCase()];
    }),
  );
  const hostRecords = new Map(
    generated.records.filter((record) => record.startsWith("--host-record=")).map((record) => {
      const [name = "", ...fields] = record.slice(14).split(",");
      // Without a last field of digits, the records' TTL.
      return [name.toLowerCase(), fields.filter((field) => !/^[0-9]+$/.test(field))];
    }),
  );
  const wild = generated.records.filter((record) => record.startsWith("--address="))
    .map((record) => record.split("/")[2] ?? "");
  const servers: ScriptedDnsServer[] = [];
  let result: { differences: string[]; compared: Compared[] };
  try {
    for (const [i, address] of SCRIPTED.slice(0, 2).entries()) {
      servers.push(
        await startScriptedDnsServer(address, {}, config.zone, i, recordsAnswer(generated.records)),
      );
    }
    await using probe = await startProbe(dir, config, servers);
    result = await compareSeed(config, probe, cnames, (name, type) => {
      const addresses = hostRecords.get(name) ??
        (name === "wild.test" || name.endsWith(".wild.test") ? wild : []);
      return addresses.some((address) => address.includes(":") === (type === 28));
    });
  } finally {
    for (const server of servers) await server[Symbol.asyncDispose]();
  }
  return await report(`records seed ${seed}`, dir, config, result, generated.records);
}

const SEEDS = seedsToRun();

/** One test: `runOne` on each seed; fails with every report. */
function questionsTest(what: string, runOne: (seed: number, parent: string) => Promise<string[]>) {
  Deno.test({
    name:
      `resolve-hostname asks the name servers what getent asks on ${SEEDS.length} ${what}${IGNORED}`,
    ignore: IGNORE !== undefined,
    async fn() {
      await using dir = await tempDir();
      const parent = KEEP ? await Deno.makeTempDir({ prefix: "netkit-questions-" }) : dir.path;
      const reports: string[] = [];
      for (const seed of SEEDS) reports.push(...await runOne(seed, parent));
      assert.equal(reports.length, 0, `questions unlike getent's:\n\n${reports.join("\n")}`);
    },
  });
}

questionsTest("random configurations", runSeed);
questionsTest("random hosts, nsswitch and resolv.conf files", runRecordsSeed);
