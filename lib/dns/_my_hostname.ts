/**
 * systemd's `myhostname` NSS source (nsswitch.conf's `hosts: files myhostname dns`, the default of
 * Fedora and Arch), as far as this host's interfaces tell it: `localhost` and every name under
 * `.localhost` (RFC 6761) or `localhost.localdomain` are the loopback addresses; the host's own
 * name is the addresses of its interfaces (IPv4 first, then global before link-local, then in
 * interface order; 127.0.0.2 and ::1 when it has none); and the reverse. `_gateway` and
 * `_outbound`, which need the kernel's route table, are not served: the resolver goes on to the
 * next source, as for a source it does not know.
 *
 * @module
 */

import type { HostsMatch } from "./hosts_file.ts";
import { inetNtop, inetPton, type IpFamily } from "../net/inet.ts";
import { hostNameQuietly } from "./_quietly.ts";

/** Whether `name` is a local host name as systemd's is_localhost() says, in any case. */
export function isLocalhostName(name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, "");
  return lower === "localhost" || lower === "localhost.localdomain" ||
    lower.endsWith(".localhost") || lower.endsWith(".localhost.localdomain");
}

/** Whether `name` is this host's name (as typed, or with one final dot), as myhostname matches it. */
function isOwnName(name: string, hostName: string): boolean {
  return name === hostName || name === `${hostName}.`;
}

/** Whether `myhostname` may serve `name`: a localhost name or, maybe, the host's own name. */
export function mayServe(name: string): boolean {
  if (isLocalhostName(name)) return true;
  const hostName = hostNameQuietly();
  return hostName !== undefined && isOwnName(name, hostName);
}

/**
 * The host's addresses of one family as systemd's local_addresses() orders them: loopback ones
 * left out; global before link-local, then by interface, then by address. A link-local IPv6
 * address keeps its scope (`fe80::1%2`), as getaddrinfo gives it. Undefined when the interfaces
 * may not be listed.
 */
function localAddresses(family: IpFamily): string[] | undefined {
  let nics: Deno.NetworkInterfaceInfo[];
  try {
    if (
      Deno.permissions.querySync({ name: "sys", kind: "networkInterfaces" }).state !== "granted"
    ) {
      return undefined;
    }
    nics = Deno.networkInterfaces();
  } catch {
    return undefined;
  }
  const order = [...new Set(nics.map((nic) => nic.name))];
  const found = nics.flatMap((nic, index) => {
    if (nic.family !== (family === 4 ? "IPv4" : "IPv6")) return [];
    const bytes = inetPton(nic.address.replace(/%.*$/, ""));
    if (family === 4 ? bytes[0] === 127 : nic.address === "::1") return [];
    const linkLocal = family === 6 && bytes[0] === 0xfe && ((bytes[1] ?? 0) & 0xc0) === 0x80;
    const text = inetNtop(bytes);
    return [{
      text: linkLocal && nic.scopeid ? `${text}%${nic.scopeid}` : text,
      scope: linkLocal ? 1 : 0,
      interface: nic.scopeid || order.indexOf(nic.name) + 1,
      bytes,
      index,
    }];
  });
  found.sort((a, b) =>
    a.scope - b.scope || a.interface - b.interface || compareBytes(a.bytes, b.bytes) ||
    a.index - b.index
  );
  return found.map((address) => address.text);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** What `myhostname` answers for `name`, or undefined when it does not serve the name. */
export function myHostnameEntry(name: string, family: IpFamily): HostsMatch | undefined {
  if (isLocalhostName(name)) {
    return {
      officialName: "localhost",
      aliases: [],
      addresses: [family === 4 ? "127.0.0.1" : "::1"],
    };
  }
  const hostName = hostNameQuietly();
  if (hostName === undefined || !isOwnName(name, hostName)) return undefined;
  const addresses = localAddresses(family);
  if (addresses === undefined) return undefined;
  if (addresses.length > 0) return { officialName: hostName, aliases: [], addresses };
  // No address of the family: the stand-ins, 127.0.0.2 (which maps back to the name) and ::1.
  return family === 4
    ? { officialName: hostName, aliases: [], addresses: ["127.0.0.2"] }
    : { officialName: hostName, aliases: ["localhost"], addresses: ["::1"] };
}

/**
 * What `myhostname` answers for an address (canonical text): `localhost` for 127.0.0.1, and for
 * ::1 with the host's name as an alias; the host's name for 127.0.0.2 (its stand-in address) and
 * for the addresses of its interfaces. Undefined when it does not serve the address, or the
 * host's name may not be read.
 */
export function myHostnameNames(address: string): string[] | undefined {
  if (address === "127.0.0.1") return ["localhost"];
  const hostName = hostNameQuietly();
  if (hostName === undefined) return undefined;
  if (address === "::1") return ["localhost", hostName];
  if (address === "127.0.0.2") return [hostName];
  const family = address.includes(":") ? 6 : 4;
  const own = localAddresses(family)?.some((local) => local.replace(/%.*$/, "") === address);
  return own ? [hostName] : undefined;
}
