/**
 * A blocklist hosts file as many hosts run (StevenBlack/hosts, Pi-hole): the usual header of
 * localhost lines, then one `0.0.0.0 NAME` line per blocked name, 100,000-300,000 of them.
 *
 * @module
 */

import { seededRandom } from "./seeded_random.ts";

/** Lines to put among the blocked names. */
export interface BlocklistLines {
  /** Before the header. */
  first?: string[];
  /** In the middle of the blocked names. */
  middle?: string[];
  /** After them. */
  last?: string[];
}

/** StevenBlack/hosts' header (its localhost lines, IPv6 ones included). */
const HEADER = [
  "# Title: StevenBlack/hosts",
  "#",
  "127.0.0.1 localhost",
  "127.0.0.1 localhost.localdomain",
  "127.0.0.1 local",
  "255.255.255.255 broadcasthost",
  "::1 localhost",
  "::1 ip6-localhost",
  "::1 ip6-loopback",
  "fe80::1%lo0 localhost",
  "ff00::0 ip6-localnet",
  "ff00::0 ip6-mcastprefix",
  "ff02::1 ip6-allnodes",
  "ff02::2 ip6-allrouters",
  "ff02::3 ip6-allhosts",
  "0.0.0.0 0.0.0.0",
  "",
  "# Custom host records are listed here.",
  "",
  "# End of custom host records.",
];

const WORDS = ["ads", "track", "metrics", "pixel", "cdn", "stats", "analytics", "banner", "srv"];
const ENDS = ["com", "net", "org", "io", "de", "ru", "info"];

/**
 * The text of a blocklist hosts file of about `lines` lines (`extra` included), the same for the
 * same arguments; its names are `WORD123456.WORD-N.TLD` (N the line number), unique.
 */
export function blocklistHostsFile(lines: number, extra: BlocklistLines = {}): string {
  const random = seededRandom(lines);
  const pick = (items: string[]) => items[Math.floor(random() * items.length)]!;
  const out = [...extra.first ?? [], ...HEADER];
  const blocked = lines - out.length - (extra.middle?.length ?? 0) - (extra.last?.length ?? 0);
  for (let i = 0; i < blocked; i++) {
    if (i === Math.floor(blocked / 2)) out.push(...extra.middle ?? []);
    const name = `${pick(WORDS)}${Math.floor(random() * 1e6)}.${pick(WORDS)}-${i}.${pick(ENDS)}`;
    out.push(`0.0.0.0 ${name}`);
  }
  out.push(...extra.last ?? []);
  return out.join("\n") + "\n";
}
