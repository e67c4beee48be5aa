/**
 * Telnet (RFC 854) as the lecture (the networking lecture notes netkit implements) uses it, to
 * talk to text services by hand, and to log in to a telnet server: the protocol's numbers, a
 * negotiator that answers option requests by a policy (ECHO, SGA, TTYPE, NAWS, NEW-ENVIRON for a
 * terminal; nothing for a pipe), a filter that refuses all, line and data encoding, and a session
 * between a pipe and a connection (telnet, automatic or raw).
 *
 * @module
 */

export * from "./protocol.ts";
export * from "./negotiator.ts";
export * from "./filter.ts";
export * from "./session.ts";
