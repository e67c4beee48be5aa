/**
 * The lecture's time service (the lecture: the networking lecture notes netkit implements).
 * The daytime protocol (RFC 867) with `ctime(3)`'s format, the binary time protocol (RFC 868), a
 * server for both, and clients for both over TCP or UDP.
 *
 * @module
 */

export * from "./ctime.ts";
export * from "./rfc868_time.ts";
export * from "./server.ts";
export * from "./udp_server.ts";
export * from "./daytime_client.ts";
export * from "./time_client.ts";
