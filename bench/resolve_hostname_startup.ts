/**
 * Wall time of one `resolve-hostname NAME` against `deno run -A` of an empty script (the anchor,
 * issue 16's goal: ≤ 1.3×), in interleaved rounds (every case once per round, so other work on
 * the machine falls on all cases alike). The anchor is run the way the command is: from a
 * directory inside this checkout, so that Deno finds the same deno.json and lock file for both
 * (reading them costs every script there ~0.3-0.5 ms); the same empty script outside any
 * checkout is a row of its own (the anchor of the figures before 2026-11-30's seventh session).
 *
 * - `resolve-hostname localhost`: an answer from the hosts file (nsswitch.conf read, `files`
 *   first);
 * - `resolve-hostname --nameserver 127.0.0.1:PORT www.test`: an answer from DNS, a local dnsmasq
 *   (a CNAME chain of two links to three A records);
 * - the floor: a bare Deno script that reads nsswitch.conf and the hosts file synchronously and
 *   prints the answer (what any Deno program must spend to answer `localhost`), beside the anchor;
 * - with `--before OTHER_CHECKOUT`, the lookups from another tree too (e.g. an archive of main),
 *   with `--system-dns` the namespace's one too;
 * - with `--system-dns` (root, unshare, dnsmasq): `resolve-hostname www.test` answered through the
 *   system's configuration, as most names are: in a mount namespace whose resolv.conf names
 *   dnsmasq on port 53 of a loopback address (tests/harness/etc_namespace.ts), against the empty
 *   script run through the same namespace (its set-up, ~5 ms, falls on both), and a script that
 *   asks `Deno.resolveDns` the same three questions (A, CNAME, AAAA) in it;
 * - with `--big-hosts LINES` (root, unshare, getent): a blocklist hosts file of LINES lines
 *   (`0.0.0.0 NAME`, StevenBlack/Pi-hole style; tests/harness/blocklist_hosts.ts) over
 *   `/etc/hosts` in a mount namespace (`hosts: files dns`): `resolve-hostname NAME` for the
 *   name on its last line (`target.test`), on its first lines (`localhost`), with `--ahosts`,
 *   and `-x` of the last line's address, against `getent hosts`, `getent ahosts` and
 *   `getent ahostsv4` of the same names, the empty script and a bare script that reads the file
 *   (the floor), all in that namespace (with `--before`, the other tree's `resolve-hostname`
 *   too).
 *
 * Prints a Markdown table: median, 10th-90th percentile, the median's ratio to the anchor, and
 * the median of each round's ratio to the anchor's time in the same round ("paired", which a
 * busy machine moves less).
 * With `--cpu`, each run goes through `perf stat -e task-clock` and the table gives the CPU time
 * too (all threads): on a shared machine it moves far less with the load than the wall time does.
 *
 *     deno run -A bench/resolve_hostname_startup.ts [--runs N] [--before OTHER_CHECKOUT] [--cpu]
 *       [--system-dns] [--big-hosts LINES]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { DNSMASQ_RECORDS, startDnsmasq, startDnsmasqOnPort53 } from "../tests/harness/dns_peers.ts";
import { etcNamespaceCommand, etcNamespaceUnavailable } from "../tests/harness/etc_namespace.ts";
import { blocklistHostsFile } from "../tests/harness/blocklist_hosts.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    runs: { type: "string", default: "30" },
    before: { type: "string" },
    cpu: { type: "boolean", default: false },
    "system-dns": { type: "boolean", default: false },
    "big-hosts": { type: "string" },
  },
});
const runs = Number(values.runs);
/** Issue 16's goal for resolve-hostname, times the anchor. */
const GOAL = 1.3;
/** This checkout. */
const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

const deno = Deno.execPath();
// Inside the checkout, as the command: Deno reads the same deno.json and lock file for both.
await Deno.mkdir(`${root}/bench/out`, { recursive: true }); // git ignores bench/out/
const scratch = await Deno.makeTempDir({
  dir: `${root}/bench/out`,
  prefix: "netkit_resolve_startup_",
});
const empty = `${scratch}/empty.ts`;
await Deno.writeTextFile(empty, "");
// Outside any checkout: no deno.json, no lock file (the anchor before the seventh session).
const outside = await Deno.makeTempDir({ prefix: "netkit_resolve_startup_" });
const emptyOutside = `${outside}/empty.ts`;
await Deno.writeTextFile(emptyOutside, "");
const floor = `${scratch}/floor.ts`;
await Deno.writeTextFile(
  floor,
  `const d = new TextDecoder();
const ns = d.decode(Deno.readFileSync("/etc/nsswitch.conf"));
const hosts = d.decode(Deno.readFileSync("/etc/hosts"));
const name = Deno.args[0];
let out = "";
if (/^hosts:.*files/m.test(ns)) {
  for (const line of hosts.split("\\n")) {
    const f = line.replace(/#.*/, "").trim().split(/\\s+/);
    if (f.length > 1 && f.slice(1).includes(name) && !f[0].includes(":")) {
      out = \`Official name is "\${f[1]}"\\nIP Addresses:\\n+ \${f[0]}\\n\`;
      break;
    }
  }
}
Deno.stdout.writeSync(new TextEncoder().encode(out));
`,
);

// What any Deno program must spend to answer \`--nameserver IP:PORT www.test\`: the hosts file read
// (the command looks there first), a random id, one UDP question and its answer's CNAME chain and
// A records, printed. No checks: the floor, not a resolver.
const floorDns = `${scratch}/floor_dns.ts`;
await Deno.writeTextFile(
  floorDns,
  `const [server, name] = Deno.args;
const [host, port] = server.split(":");
const hosts = new TextDecoder().decode(Deno.readFileSync("/etc/hosts"));
for (const line of hosts.split("\\n")) {
  if (line.replace(/#.*/, "").trim().split(/\\s+/).slice(1).includes(name)) Deno.exit(0);
}
const id = crypto.getRandomValues(new Uint16Array(1))[0];
const query = [id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
for (const label of name.split(".")) query.push(label.length, ...new TextEncoder().encode(label));
query.push(0, 0, 1, 0, 1);
const socket = Deno.listenDatagram({ transport: "udp", hostname: "127.0.0.1", port: 0 });
await socket.send(new Uint8Array(query), { transport: "udp", hostname: host, port: Number(port) });
const [b] = await socket.receive();
socket.close();
const readName = (at) => {
  const labels = [];
  let end = -1;
  while (b[at] !== 0) {
    if ((b[at] & 0xc0) === 0xc0) {
      if (end < 0) end = at + 2;
      at = ((b[at] & 0x3f) << 8) | b[at + 1];
    } else {
      labels.push(new TextDecoder().decode(b.subarray(at + 1, at + 1 + b[at])));
      at += 1 + b[at];
    }
  }
  return [labels.join("."), end < 0 ? at + 1 : end];
};
let at = readName(12)[1] + 4;
let official = name;
const addresses = [];
for (let i = 0; i < ((b[6] << 8) | b[7]); i++) {
  const rdata = readName(at)[1] + 10;
  const type = (b[rdata - 10] << 8) | b[rdata - 9];
  if (type === 5) official = readName(rdata)[0];
  if (type === 1) addresses.push(b.subarray(rdata, rdata + 4).join("."));
  at = rdata + ((b[rdata - 2] << 8) | b[rdata - 1]);
}
const text = \`Official name is "\${official}"\\nIP Addresses:\\n\` +
  addresses.map((a) => \`+ \${a}\\n\`).join("");
Deno.stdout.writeSync(new TextEncoder().encode(text));
`,
);

await using dnsmasq = await startDnsmasq();
const server = `127.0.0.1:${dnsmasq.port}`;

/** With --system-dns: the command that runs a program in the namespace, and the dnsmasq. */
const systemDns = values["system-dns"] ? await startSystemDns() : undefined;
const resolveDnsScript = `${scratch}/resolve_dns.ts`;
await Deno.writeTextFile(
  resolveDnsScript,
  `for (const type of ["A", "CNAME", "AAAA"] as const) await Deno.resolveDns("www.test", type);\n`,
);

/** dnsmasq on port 53 of 127.0.0.55 and the namespace whose resolv.conf names it. */
async function startSystemDns() {
  const unavailable = etcNamespaceUnavailable(["dnsmasq"]);
  if (unavailable) throw new Error(`--system-dns: ${unavailable}`);
  const address = "127.0.0.55";
  const server = await startDnsmasqOnPort53(address, DNSMASQ_RECORDS);
  const prefix = await etcNamespaceCommand(scratch, {
    "resolv.conf": `nameserver ${address}\n`,
    "nsswitch.conf": "hosts: files dns\n",
  });
  return { prefix, server };
}

/** With --big-hosts: the command that runs a program in the namespace with the blocklist file. */
const bigHosts = values["big-hosts"] ? await startBigHosts(Number(values["big-hosts"])) : undefined;

/** The namespace whose /etc/hosts is a blocklist file of `lines` lines, `target.test` last. */
async function startBigHosts(lines: number) {
  const unavailable = etcNamespaceUnavailable(["getent"]);
  if (unavailable) throw new Error(`--big-hosts: ${unavailable}`);
  const hosts = blocklistHostsFile(lines, { last: ["10.9.9.9 target.test"] });
  const prefix = await etcNamespaceCommand(scratch, {
    hosts,
    "nsswitch.conf": "hosts: files dns\n",
  });
  return { prefix, lines: hosts.split("\n").length - 1, bytes: hosts.length };
}

interface Case {
  label: string;
  argv: string[];
  /** The program runs in the --system-dns namespace. */
  inNamespace?: boolean;
  /** The program runs through this prefix (a namespace), and is compared with `anchor`. */
  prefix?: string[];
  /** The case this one's ratios are taken to (the first case when undefined). */
  anchor?: Case;
  /** Run as it is, not through `deno run -A`. */
  native?: boolean;
  /** Wall times, ms. */
  times: number[];
  /** CPU times (perf's task-clock), ms, with `--cpu`. */
  cpu: number[];
}
const command = (tree: string) => `${tree}/cmd/resolve-hostname.ts`;
const lookups = (tree: string, suffix: string): [string, string[]][] => [
  [`\`resolve-hostname localhost\`${suffix}`, [command(tree), "localhost"]],
  [
    `\`resolve-hostname --nameserver DNSMASQ www.test\`${suffix}`,
    [command(tree), "--nameserver", server, "www.test"],
  ],
];
const cases: Case[] = [
  ["empty `deno run` in the checkout (anchor)", [empty]] as [string, string[]],
  ["empty `deno run` outside any checkout", [emptyOutside]] as [string, string[]],
  ["bare script, `localhost` (floor)", [floor, "localhost"]] as [string, string[]],
  ["bare script, `--nameserver DNSMASQ www.test` (floor)", [floorDns, server, "www.test"]] as [
    string,
    string[],
  ],
  ...lookups(root, ""),
  ...(values.before ? lookups(values.before, ", before") : []),
].map(([label, argv]): Case => ({ label, argv, times: [], cpu: [] }));
if (systemDns) {
  const inNamespace = (label: string, argv: string[]): Case => ({
    label,
    argv,
    inNamespace: true,
    times: [],
    cpu: [],
  });
  cases.push(
    inNamespace("empty `deno run` in the namespace (its anchor)", [empty]),
    inNamespace("`Deno.resolveDns` A, CNAME, AAAA, in the namespace", [resolveDnsScript]),
    inNamespace("`resolve-hostname www.test`, system DNS, in the namespace", [
      command(root),
      "www.test",
    ]),
    ...(values.before
      ? [
        inNamespace("`resolve-hostname www.test`, system DNS, in the namespace, before", [
          command(values.before),
          "www.test",
        ]),
      ]
      : []),
  );
}

if (bigHosts) {
  const prefix = bigHosts.prefix;
  // What any Deno program pays to look at the file: read it as text.
  const readHosts = `${scratch}/read_hosts.ts`;
  await Deno.writeTextFile(readHosts, `Deno.readTextFileSync("/etc/hosts");\n`);
  const anchor: Case = {
    label: `empty \`deno run\` in the ${bigHosts.lines}-line hosts namespace (its anchor)`,
    argv: [empty],
    prefix,
    times: [],
    cpu: [],
  };
  const row = (label: string, argv: string[], native = false): Case => ({
    label,
    argv,
    prefix,
    anchor,
    native,
    times: [],
    cpu: [],
  });
  const trees: [string, string][] = [
    [root, ""],
    ...(values.before ? [[values.before, ", before"]] as [string, string][] : []),
  ];
  cases.push(
    anchor,
    row("bare script reading `/etc/hosts` whole (floor)", [readHosts]),
    row("`getent hosts target.test` (last line)", ["getent", "hosts", "target.test"], true),
    row("`getent ahosts target.test`", ["getent", "ahosts", "target.test"], true),
    row("`getent ahostsv4 target.test`", ["getent", "ahostsv4", "target.test"], true),
    row("`getent hosts localhost` (first lines)", ["getent", "hosts", "localhost"], true),
    row("`getent hosts 10.9.9.9` (last line)", ["getent", "hosts", "10.9.9.9"], true),
    ...trees.flatMap(([tree, suffix]) => [
      row(`\`resolve-hostname target.test\`${suffix}`, [command(tree), "target.test"]),
      row(`\`resolve-hostname --ahosts target.test\`${suffix}`, [
        command(tree),
        "--ahosts",
        "target.test",
      ]),
      row(`\`resolve-hostname localhost\`${suffix}`, [command(tree), "localhost"]),
      row(`\`resolve-hostname -x 10.9.9.9\`${suffix}`, [command(tree), "-x", "10.9.9.9"]),
    ]),
  );
}

for (let round = -2; round < runs; round++) {
  for (const c of cases) {
    const argv = c.native ? [...c.argv] : [deno, "run", "-A", ...c.argv];
    if (c.inNamespace) argv.unshift(...systemDns!.prefix);
    if (c.prefix) argv.unshift(...c.prefix);
    if (values.cpu) argv.unshift("perf", "stat", "-x,", "-e", "task-clock");
    const started = performance.now();
    const out = await new Deno.Command(argv[0]!, {
      args: argv.slice(1),
      stdout: "piped",
      stderr: "piped",
    }).output();
    const elapsed = performance.now() - started;
    const stderr = new TextDecoder().decode(out.stderr);
    if (!out.success) throw new Error(`${c.label} exited with ${out.code}: ${stderr}`);
    // The DNS floor answers as the command does (the same official name, three addresses).
    const printed = new TextDecoder().decode(out.stdout);
    if (c.argv[0] === floorDns && !/^Official name is "web\.test"\n(.*\n){4}$/.test(printed)) {
      throw new Error(`${c.label} printed ${JSON.stringify(printed)}`);
    }
    if (round < 0) continue;
    c.times.push(elapsed);
    // perf's line: "12.34,msec,task-clock,...".
    const line = stderr.split("\n").find((text) => text.includes(",task-clock,"));
    if (line) c.cpu.push(Number(line.split(",")[0]));
  }
}
await Deno.remove(scratch, { recursive: true });
await Deno.remove(outside, { recursive: true });

const quantile = (list: number[], q: number) =>
  [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(list.length * q))] ?? 0;
const anchorCpu = quantile(cases[0]!.cpu, 0.5);
console.log(`${runs} interleaved rounds; goal: resolve-hostname ≤ ${GOAL}× the anchor\n`);
if (bigHosts) {
  console.log(`--big-hosts: /etc/hosts of ${bigHosts.lines} lines, ${bigHosts.bytes} bytes\n`);
}
console.log(
  `| case | median | p10-p90 | × anchor | paired |${values.cpu ? " CPU | CPU × anchor |" : ""}`,
);
console.log(
  `| ---- | -----: | ------: | -------: | -----: |${values.cpu ? " --: | -----------: |" : ""}`,
);
// The namespace's rows against the empty script run through the same namespace.
const namespaceAnchor = cases.find((c) => c.inNamespace);
for (const c of cases) {
  const base = c.anchor ?? (c.inNamespace ? namespaceAnchor! : cases[0]!);
  const median = quantile(c.times, 0.5);
  const ratio = median / quantile(base.times, 0.5);
  const cpu = quantile(c.cpu, 0.5);
  const cpuRatio = cpu / (c.inNamespace || c.anchor ? quantile(base.cpu, 0.5) : anchorCpu);
  const cpuCells = values.cpu ? ` ${cpu.toFixed(2)} ms | ${cpuRatio.toFixed(3)} |` : "";
  const range = `${quantile(c.times, 0.1).toFixed(1)}-${quantile(c.times, 0.9).toFixed(1)}`;
  // Each round's time over its anchor's in the same round: a busy minute falls on both.
  const paired = quantile(c.times.map((time, round) => time / base.times[round]!), 0.5);
  console.log(
    `| ${c.label} | ${median.toFixed(2)} ms | ${range} ms | ${ratio.toFixed(3)} | ` +
      `${paired.toFixed(3)} |` + cpuCells,
  );
}
await systemDns?.server[Symbol.asyncDispose]();
