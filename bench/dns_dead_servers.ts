/**
 * What it costs when every name server is dead (nothing listens on their loopback addresses; the
 * default 5 s timeout, 2 attempts): glibc's `getent ahostsv4` against `resolve-hostname`, one
 * process each, with an empty `deno run` as the floor netkit's process stands on, in alternating
 * rounds of one run, in a mount namespace with the configuration over /etc. Needs root (unshare).
 * Run alone with `deno run -A bench/dns_dead_servers.ts`.
 *
 * @module
 */

import { tempDir } from "../tests/harness/peers.ts";
import { resolveHostnameCommand, runWithEtcFiles } from "../tests/harness/etc_namespace.ts";

const ROUNDS = 5;
const DEAD = ["127.86.0.1", "127.86.0.2", "127.86.0.3"];
const CONFIGS: [string, string][] = [
  ["one dead server", `nameserver ${DEAD[0]}\n`],
  ["three dead servers", DEAD.map((server) => `nameserver ${server}\n`).join("")],
  ["a dead server, a search list of two", `nameserver ${DEAD[0]}\nsearch a.test b.test\n`],
];

await using dir = await tempDir();
await Deno.writeTextFile(`${dir.path}/empty.ts`, "");
const programs: [string, string[]][] = [
  ["getent ahostsv4 (glibc)", ["getent", "ahostsv4", "myhost"]],
  ["resolve-hostname", resolveHostnameCommand("myhost")],
  ["empty deno run (floor)", [Deno.execPath(), "run", "-A", `${dir.path}/empty.ts`]],
];

console.log(`Wall time of one process, ms, ${ROUNDS} alternating rounds (min–max)`);
console.log(`| configuration | ${programs.map(([name]) => name).join(" | ")} |`);
console.log(`| --- | ${programs.map(() => "---:").join(" | ")} |`);
for (const [what, resolvConf] of CONFIGS) {
  const files = { "resolv.conf": resolvConf, hosts: "127.0.0.1 localhost\n" };
  const times = programs.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, argv]] of programs.entries()) {
      const run = await runWithEtcFiles(dir.path, files, argv);
      if (i < 2 && run.code === 0) throw new Error(`${argv[0]} resolved a name it cannot`);
      times[i]!.push(run.ms);
    }
  }
  const range = (list: number[]) =>
    `${Math.min(...list).toFixed(0)}–${Math.max(...list).toFixed(0)}`;
  console.log(`| ${what} | ${times.map(range).join(" | ")} |`);
}
