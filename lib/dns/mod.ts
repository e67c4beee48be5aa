/**
 * Name resolution as gethostbyname does it, with a DNS client of its own: the RFC 1035 message
 * codec, UDP queries with TCP fall-back, the hosts file, a resolver (address literal, then hosts
 * file, then DNS, following CNAMEs), and typed errors for NXDOMAIN, no data, server failure and
 * time-outs. Every lookup takes a `signal` and two deadlines: `attemptTimeoutMs`, each server's
 * time for each question (resolv.conf's `timeout:`), and `timeoutMs`, the whole lookup (hosts
 * file, servers, rounds, search list, CNAME questions; no default, as for the HTTP client's whole
 * exchange); `queryDns`'s `timeoutMs` is its one question, UDP and TCP together. Under least
 * privilege (`--allow-net=SERVER:PORT` and a named server) it works, over TCP where no UDP socket
 * may be bound, and a permission Deno refuses is a `MissingPermissionError` (from
 * `@netkit/netkit/io`) that names the flag to grant. `lookupAddresses` gives both families in
 * getaddrinfo's order: `sortAddresses` (RFC 6724 as glibc 2.36 applies it, its merge sort
 * included) with the policy of `/etc/gai.conf`, which `readGaiConf` reads as glibc does (`label`,
 * `precedence` and `scopev4` lines replacing whole tables, malformed lines skipped, read once a
 * process and again on a change only after `reload yes`).
 *
 * @module
 */

export * from "./message.ts";
export * from "./encode_message.ts";
export * from "./client.ts";
export * from "./hosts_file.ts";
export * from "./resolver.ts";
export * from "./errors.ts";
export * from "./resolv_conf.ts";
export * from "./nsswitch.ts";
export * from "./host_name.ts";
export * from "./invalid_host_name_error.ts";
export * from "./address_order.ts";
export * from "./gai_conf.ts";
