/**
 * The part of systemd's `myhostname` NSS source (nsswitch.conf's `hosts: files myhostname dns`,
 * the default of Fedora and Arch) that answers the same on every host: `localhost` and every name
 * under `.localhost` (RFC 6761) or `localhost.localdomain` are the loopback addresses, and the
 * loopback addresses are `localhost`. The host's own name, `_gateway` and `_outbound`, which need
 * the kernel's address and route tables and an order of their own, are not served (nor the
 * reverse of an interface's address): the resolver goes on to the next source, as for a source
 * it does not know.
 *
 * @module
 */

import type { HostsMatch } from "./hosts_file.ts";
import type { IpFamily } from "../net/inet.ts";
import { hostNameQuietly } from "./_quietly.ts";

/** Whether `name` is a local host name as systemd's is_localhost() says, in any case. */
export function isLocalhostName(name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, "");
  return lower === "localhost" || lower === "localhost.localdomain" ||
    lower.endsWith(".localhost") || lower.endsWith(".localhost.localdomain");
}

/** What `myhostname` answers for `name`, or undefined when it does not serve the name. */
export function myHostnameEntry(name: string, family: IpFamily): HostsMatch | undefined {
  if (!isLocalhostName(name)) return undefined;
  return {
    officialName: "localhost",
    aliases: [],
    addresses: [family === 4 ? "127.0.0.1" : "::1"],
  };
}

/**
 * What `myhostname` answers for an address (canonical text): `localhost` for 127.0.0.1, and for
 * ::1 with the host's name as an alias; the host's name for 127.0.0.2 (its stand-in address).
 * Undefined when it does not serve the address, or the host's name may not be read.
 */
export function myHostnameNames(address: string): string[] | undefined {
  if (address === "127.0.0.1") return ["localhost"];
  if (address !== "::1" && address !== "127.0.0.2") return undefined;
  const hostName = hostNameQuietly();
  if (hostName === undefined) return undefined;
  return address === "::1" ? ["localhost", hostName] : [hostName];
}
