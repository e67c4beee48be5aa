/**
 * The options of the resolver's lookups ({@linkcode ResolveOptions}), the steps a trace is told and
 * the entry a lookup gives ({@linkcode HostEntry}), apart from the resolver so that its parts
 * loaded on demand (DNS, both families) can name them.
 *
 * @module
 */

import type { NameServer } from "./client.ts";
import type { NssStatus } from "./nsswitch.ts";
import type { IpFamily } from "../net/inet.ts";

/** Options of {@linkcode resolveHost}, {@linkcode resolveAddress} and {@linkcode lookupAddresses}. */
export interface ResolveOptions {
  /** IPv4 (A records) or IPv6 (AAAA records). @default {4} */
  family?: IpFamily;
  /**
   * The DNS server to ask, as `IP[:PORT]` / `[IPv6]:PORT` or an object, or several, asked in
   * order (the next after a time-out, a failure, or a refused TCP probe a few milliseconds in);
   * default: resolv.conf's.
   */
  nameServer?: string | NameServer | readonly (string | NameServer)[];
  /** The hosts file; `false` skips it. A missing default file is skipped. @default {"/etc/hosts"} */
  hostsFile?: string | false;
  /**
   * How long each server gets for each question (one attempt: glibc's resolv.conf `timeout`), in
   * milliseconds. A server that does not answer in time is left for the next one.
   * Default: on the system path, resolv.conf's `timeout` as glibc spreads it over the servers
   * (the first server the whole of it, the i-th of n `timeout << i / n`, at least a second), in
   * `attempts` rounds; with a `nameServer`, 5000 (`DEFAULT_DNS_TIMEOUT_MS`) for each, one round.
   */
  attemptTimeoutMs?: number;
  /**
   * Time allowed for the whole lookup: the hosts file, every server and round, every name of
   * the search list and every CNAME follow-up question together. When it runs out the lookup
   * rejects with a `DnsTimeoutError` whose `scope` is `"lookup"`, and its sockets are
   * closed. `Infinity` sets no deadline. As the HTTP client's `timeoutMs`, it has no default:
   * without it a lookup is bounded only by its attempts (servers x rounds x `attemptTimeoutMs`
   * for each name asked).
   * @default {undefined} (no deadline for the whole; each attempt has its own)
   */
  timeoutMs?: number;
  /**
   * The resolv.conf to read when no `nameServer` is given: its name servers, search list,
   * `ndots`, `timeout`, `attempts` and `rotate` (with `LOCALDOMAIN` and `RES_OPTIONS` applied, as
   * glibc does).
   * @default {"/etc/resolv.conf"}
   */
  resolvConf?: string;
  /** Abort the lookup: it rejects with `signal.reason` at once and its sockets are closed. */
  signal?: AbortSignal | undefined;
  /**
   * The nsswitch.conf whose `hosts:` line orders the hosts file (`files`) and DNS (`dns`) when
   * no `nameServer` is given; `false` keeps the fixed order hosts file, then DNS.
   * @default {"/etc/nsswitch.conf"}
   */
  nsswitchConf?: string | false;
  /** Told each step of the lookup (sources, questions and their outcome), e.g. for `--debug`. */
  trace?: (step: ResolveStep) => void;
}

/** One step of a lookup, as {@linkcode ResolveOptions.trace} is told it. */
export type ResolveStep =
  | {
    /** A source of nsswitch.conf's `hosts:` line was asked. */
    step: "source";
    /** `files`, `dns`, or a source netkit does not serve (skipped). */
    source: string;
    /** What it gave: `success`, `notfound`, `unavail`, `tryagain`, or `skipped`. */
    outcome: NssStatus | "skipped";
  }
  | {
    /** A question was sent to a name server. */
    step: "query";
    /** The name asked (after the search list). */
    name: string;
    /** `A`, `AAAA` or `PTR`. */
    type: string;
    /** The server, as `HOST:PORT`. */
    server: string;
    /** The response code of the answer, when one came. */
    rcode?: number;
    /** What went wrong, when no answer came. */
    error?: string;
  };

/** What {@linkcode resolveHost} found: the fields of C's `struct hostent`. */
export interface HostEntry {
  /** The canonical name: the end of the CNAME chain, or the hosts file's first name. */
  officialName: string;
  /** The other names: the CNAMEs followed, or the hosts file's aliases. */
  aliases: string[];
  /** The addresses of the family asked, as text. */
  addresses: string[];
  /** Where the answer came from (`myhostname`: nsswitch.conf's source of that name). */
  source: "literal" | "hosts-file" | "myhostname" | "dns";
}
