/**
 * Telnet (RFC 854) as the lecture (the networking lecture notes netkit implements) uses it, to
 * talk to text services by hand: a filter that takes
 * the protocol's commands out of the data and refuses options, line encoding, and an interactive
 * session between a terminal and a connection.
 *
 * @module
 */

export * from "./filter.ts";
export * from "./session.ts";
