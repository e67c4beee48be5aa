/**
 * Why netkit's system path does not take its answers from `Deno.resolveDns` (issue #16: "measure,
 * choose, and say why"): glibc (`getent ahostsv4`), netkit's `resolve-hostname --json` and a
 * script calling `Deno.resolveDns(NAME, "A")` answer the same questions on the same system
 * configuration — as root, in a mount namespace (`unshare -m`) with this run's resolv.conf, hosts
 * and nsswitch.conf bind-mounted over `/etc`, dnsmasq on port 53 of a loopback address and a dead
 * first name server where a case asks for one. Prints one row per case: each one's addresses and
 * wall time, and whether it agrees with glibc. Needs root, unshare and dnsmasq. Run alone with
 * `deno run -A bench/dns_system_path.ts`.
 *
 * @module
 */

import { startDnsmasqOnPort53 } from "../tests/harness/dns_peers.ts";
import { tempDir } from "../tests/harness/peers.ts";
import { resolveHostnameCommand, runWithEtcFiles } from "../tests/harness/etc_namespace.ts";

const LIVE = "127.87.0.1";
const DEAD = "127.88.0.1";
const HOSTS = "127.0.0.1 localhost\n10.0.4.9 both.test both\n10.0.6.1 filesonly.test\n";

await using _dnsmasq = await startDnsmasqOnPort53(LIVE, [
  "--host-record=myhost.corp.test,10.0.1.1",
  "--host-record=both.test,10.0.4.1",
  "--host-record=x.test,10.0.2.1",
  "--host-record=x.test.corp.test,10.0.2.2",
]);
await using dir = await tempDir();

/** case, name, resolv.conf, nsswitch.conf's hosts line */
const CASES: [string, string, string, string][] = [
  ["search list", "myhost", `nameserver ${LIVE}\nsearch corp.test\n`, "files dns"],
  [
    "ndots:2 tries the search list first",
    "x.test",
    `nameserver ${LIVE}\nsearch corp.test\noptions ndots:2\n`,
    "files dns",
  ],
  ["hosts: dns (files not asked)", "filesonly.test", `nameserver ${LIVE}\n`, "dns"],
  ["hosts: dns files (DNS first)", "both.test", `nameserver ${LIVE}\n`, "dns files"],
  ["final dot: no hosts-file line", "filesonly.test.", `nameserver ${LIVE}\n`, "files dns"],
  [
    "dead first server",
    "myhost.corp.test",
    `nameserver ${DEAD}\nnameserver ${LIVE}\noptions timeout:2\n`,
    "files dns",
  ],
  // The resolver's default timeout, 5 s, as on most hosts.
  [
    "dead first server, no such name",
    "nosuch.test",
    `nameserver ${DEAD}\nnameserver ${LIVE}\n`,
    "files dns",
  ],
  [
    "dead first server, final dot",
    "myhost.corp.test.",
    `nameserver ${DEAD}\nnameserver ${LIVE}\n`,
    "files dns",
  ],
];

const probe = `${dir.path}/probe.ts`;
await Deno.writeTextFile(
  probe,
  `try { console.log(JSON.stringify(await Deno.resolveDns(Deno.args[0], "A"))); }
   catch (e) { console.log(JSON.stringify(e.name)); }`,
);

/** Runs argv in a mount namespace with the case's files over /etc; output and wall time. */
async function inNamespace(resolvConf: string, hosts: string, argv: string[]) {
  const files = { "resolv.conf": resolvConf, hosts: HOSTS, "nsswitch.conf": `hosts: ${hosts}\n` };
  const run = await runWithEtcFiles(dir.path, files, argv);
  return { text: run.stdout.trim(), ms: run.ms };
}

const show = (addresses: string[]) => addresses.length ? addresses.join(" ") : "(none)";
console.log("| case | name | glibc getent | netkit | Deno.resolveDns |");
console.log("|---|---|---|---|---|");
for (const [label, name, resolvConf, hosts] of CASES) {
  const glibc = await inNamespace(resolvConf, hosts, ["getent", "ahostsv4", name]);
  const glibcAddresses = [
    ...new Set(glibc.text.split("\n").filter(Boolean).map((line) => line.split(/\s+/)[0] ?? "")),
  ];
  const netkit = await inNamespace(resolvConf, hosts, resolveHostnameCommand("--json", name));
  const netkitAddresses = (JSON.parse(netkit.text || "{}").addresses ?? []) as string[];
  const deno = await inNamespace(resolvConf, hosts, [Deno.execPath(), "run", "-A", probe, name]);
  const denoAnswer = JSON.parse(deno.text || '"none"');
  const denoAddresses = Array.isArray(denoAnswer) ? denoAnswer as string[] : [];
  const verdict = (addresses: string[]) =>
    show(addresses) === show(glibcAddresses) ? "same" : "DIFFERS";
  console.log(
    `| ${label} | ${name} | ${show(glibcAddresses)} (${glibc.ms.toFixed(0)} ms) | ${
      show(netkitAddresses)
    } ${verdict(netkitAddresses)} (${netkit.ms.toFixed(0)} ms) | ${show(denoAddresses)} ${
      verdict(denoAddresses)
    } (${deno.ms.toFixed(0)} ms) |`,
  );
}
console.log(
  "\n(times are whole processes: getent is native; netkit and the Deno.resolveDns script each " +
    "start a Deno runtime)",
);
