/**
 * Installs the real peers the tests talk to (nginx, xinetd, redis-server, dnsmasq, dig, curl, tmux,
 * telnetd, Debian's telnet, BusyBox, GNU wget, nc, openssl, wrk, tinyproxy, Apache httpd, lighttpd, Chromium, systemd's
 * myhostname NSS module) and the documentation trees the wget tests mirror from Debian's packages when they are missing and this is root with
 * apt-get. Run by `deno task test` before the tests. Where it cannot install, it says so in one
 * line per peer and the tests that need it are reported as ignored, never as passed.
 *
 * @module
 */

import { missingDocument, PEER_DOCUMENTS, PEER_PACKAGES, peerPath } from "./peers.ts";
import { myHostnameInstalled } from "../../lib/dns/_my_hostname.ts";

/**
 * systemd's myhostname NSS module (Debian's libnss-myhostname), which the resolver tests compare
 * netkit's myhostname source with. Its package adds `myhostname` to the system's nsswitch.conf;
 * the file is put back as it was, so the host itself resolves as before.
 */
const MYHOSTNAME_PACKAGE = "libnss-myhostname";
const NSSWITCH_CONF = "/etc/nsswitch.conf";

async function run(argv: string[]): Promise<boolean> {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError("The command line is empty");
  const child = new Deno.Command(program, {
    args,
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdout: "null",
    stderr: "inherit",
  });
  return (await child.output()).success;
}

const missing = Object.entries(PEER_PACKAGES).filter(([command]) => !peerPath(command));
const packages = [...new Set(missing.map(([, pkg]) => pkg))];
for (const [directory, pkg] of Object.entries(PEER_DOCUMENTS)) {
  if (missingDocument([directory])) packages.push(pkg);
}
if (!myHostnameInstalled()) packages.push(MYHOSTNAME_PACKAGE);
if (packages.length > 0) {
  const nsswitch = await Deno.readTextFile(NSSWITCH_CONF).catch(() => undefined);
  const isRoot = Deno.uid?.() === 0;
  const hasApt = peerPath("apt-get") !== undefined;
  if (isRoot && hasApt) {
    console.error(`install_peers: installing ${packages.join(" ")}`);
    const ok = await run(["apt-get", "update", "-qq"]) &&
      await run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", ...packages]);
    if (!ok) console.error("install_peers: apt-get failed; tests needing these peers are ignored");
    if (nsswitch !== undefined && await Deno.readTextFile(NSSWITCH_CONF) !== nsswitch) {
      await Deno.writeTextFile(NSSWITCH_CONF, nsswitch);
    }
  } else {
    console.error(
      `install_peers: cannot install ${packages.join(" ")} (${
        isRoot ? "no apt-get" : "not root"
      }); tests needing them are ignored`,
    );
  }
}
