/**
 * systemd's `myhostname` NSS source (nsswitch.conf's `hosts: files myhostname dns`, the default of
 * Fedora and Arch), as far as this host's interfaces tell it: `localhost` and every name under
 * `.localhost` (RFC 6761) or `localhost.localdomain` are the loopback addresses; the host's own
 * name is the addresses of its interfaces (IPv4 first, then global before link-local, then in
 * interface order; 127.0.0.2 and ::1 when it has none); `_gateway` is the gateways of the default
 * routes (from /proc/net/route and ipv6_route); and the reverse. `_outbound`, which needs the
 * kernel's choice of a source address, is not served: the resolver goes on to the next source, as
 * for a source it does not know.
 *
 * @module
 */

import type { HostsMatch } from "./hosts_file.ts";
import { inetNtop, inetPton, type IpFamily } from "../net/inet.ts";
import { hostNameQuietly } from "./_quietly.ts";
import { interfaceList } from "./_interface_list.ts";

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

/** Whether `name` is `_gateway`, in any case, as systemd's is_gateway_hostname() says. */
function isGatewayName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === "_gateway" || lower === "_gateway.";
}

/** Whether `myhostname` may serve `name`: a localhost name, `_gateway`, or the host's own name. */
export function mayServe(name: string): boolean {
  if (isLocalhostName(name) || isGatewayName(name)) return true;
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
  // Read at most every 100 ms, shared by the lookups meanwhile (_interface_list.ts).
  const nics = interfaceList();
  if (nics === undefined) return undefined;
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

/** A file's text, or undefined when it may not or cannot be read. */
function readQuietly(path: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return undefined;
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}

/** An interface's index, from /sys/class/net; 0 when it cannot be read. */
function interfaceIndex(name: string): number {
  if (!/^[\w.:-]+$/.test(name)) return 0;
  return Number(readQuietly(`/sys/class/net/${name}/ifindex`)?.trim() ?? 0) || 0;
}

/**
 * The gateways of the default routes of one family, as systemd's local_gateways() orders them:
 * by metric, then interface, then address; a link-local IPv6 one with its scope. Undefined when
 * the route table may not be read.
 */
function localGateways(family: IpFamily): string[] | undefined {
  const found: { text: string; metric: number; interface: number; bytes: Uint8Array }[] = [];
  if (family === 4) {
    const table = readQuietly("/proc/net/route");
    if (table === undefined) return undefined;
    for (const line of table.split("\n").slice(1)) {
      const [iface, destination, gateway, flags, , , metric, mask] = line.trim().split(/\s+/);
      if (destination !== "00000000" || mask !== "00000000" || !gateway) continue;
      // RTF_UP and RTF_GATEWAY; the address is the kernel's 32-bit number, printed natively.
      if ((parseInt(flags ?? "0", 16) & 3) !== 3 || gateway === "00000000") continue;
      const word = (gateway.match(/../g) ?? []).map((byte) => parseInt(byte, 16));
      const bytes = Uint8Array.from(LITTLE_ENDIAN ? word.reverse() : word);
      found.push({
        text: inetNtop(bytes),
        metric: Number(metric) || 0,
        interface: interfaceIndex(iface ?? ""),
        bytes,
      });
    }
  } else {
    const table = readQuietly("/proc/net/ipv6_route");
    if (table === undefined) return undefined;
    for (const line of table.split("\n")) {
      const fields = line.trim().split(/\s+/);
      const [destination, prefix, , sourcePrefix, nextHop, metric] = fields;
      const iface = fields[9] ?? "";
      if (!/^0{32}$/.test(destination ?? "") || prefix !== "00" || sourcePrefix !== "00") continue;
      if (nextHop === undefined || /^0{32}$/.test(nextHop) || !/^[0-9a-f]{32}$/i.test(nextHop)) {
        continue;
      }
      const bytes = Uint8Array.from((nextHop.match(/../g) ?? []).map((b) => parseInt(b, 16)));
      const index = interfaceIndex(iface);
      const linkLocal = bytes[0] === 0xfe && ((bytes[1] ?? 0) & 0xc0) === 0x80;
      found.push({
        text: linkLocal && index ? `${inetNtop(bytes)}%${index}` : inetNtop(bytes),
        metric: parseInt(metric ?? "0", 16) || 0,
        interface: index,
        bytes,
      });
    }
  }
  found.sort((a, b) =>
    a.metric - b.metric || a.interface - b.interface || compareBytes(a.bytes, b.bytes)
  );
  return found.map((gateway) => gateway.text);
}

/** Whether this machine is little-endian: /proc/net/route prints addresses as native numbers. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

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
  if (isGatewayName(name)) {
    const gateways = localGateways(family);
    return gateways && gateways.length > 0
      ? { officialName: "_gateway", aliases: [], addresses: gateways }
      : undefined;
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
  const bare = (list: string[] | undefined) => list?.map((text) => text.replace(/%.*$/, ""));
  if (bare(localAddresses(family))?.includes(address)) return [hostName];
  return bare(localGateways(family))?.includes(address) ? ["_gateway"] : undefined;
}

/** Whether the module was found, once per process (a package installed meanwhile is not seen). */
let installed: boolean | undefined;

/**
 * The directories the dynamic loader searches for a library not in its cache: Debian's multiarch
 * ones, then Fedora's and the generic ones.
 */
function libraryDirectories(): string[] {
  const triplet = `${Deno.build.arch}-linux-gnu`;
  return [`/lib/${triplet}`, `/usr/lib/${triplet}`, "/lib64", "/usr/lib64", "/lib", "/usr/lib"];
}

/**
 * Whether glibc could load systemd's module (`libnss_myhostname.so.2`, Debian's
 * `libnss-myhostname`) here: a regular file in one of the loader's directories (a symbolic link
 * followed). Without it glibc's nsswitch loop counts `myhostname` as UNAVAIL, as any module it
 * cannot load: `hosts: myhostname [!UNAVAIL=return] dns` goes on to DNS, and the host's own
 * name is not answered. True where the directories may not be read (nothing is asked of the
 * user): the source is then served, as on a host that has it.
 */
export const myHostnameInstalled = (function myHostnameInstalled(): boolean {
  if (installed !== undefined) return installed;
  installed = false;
  for (const dir of libraryDirectories()) {
    try {
      if (Deno.permissions.querySync({ name: "read", path: dir }).state !== "granted") {
        installed = true;
        break;
      }
      if (Deno.statSync(`${dir}/libnss_myhostname.so.2`).isFile) {
        installed = true;
        break;
      }
    } catch {
      // Not there (or no such directory): the next one.
    }
  }
  return installed;
}).bind(undefined);
