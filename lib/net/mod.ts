/**
 * Sockets and the buffered stream over them, the first layers of netkit: {@linkcode
 * createClientSocket} and {@linkcode createServerSocket} (IPv4 and IPv6), {@linkcode SocketStream}
 * (bounded lines, exact reads, bulk copies, buffered writes safe for several writers, half-close,
 * cancellation and deadlines), {@linkcode StreamGroup} to close a server's streams at shutdown,
 * the default deadlines of the whole library (`timeouts.ts`), {@linkcode SocketError} naming the
 * step that failed, TLS connect (and {@linkcode warmUpTls}, a first handshake's one-time cost paid
 * early), and the address tools of the lecture (the networking lecture
 * notes netkit implements): `inet_pton`/`inet_ntop`,
 * byte order, `sockaddr` layouts, host:port formatting and the services table.
 *
 * @module
 */

export * from "./socket.ts";
export * from "./pem.ts";
export * from "./socket_stream.ts";
export * from "./stream_group.ts";
export * from "./timeouts.ts";
export * from "./socket_error.ts";
export * from "./host_port.ts";
export * from "./tls_connect.ts";
export * from "./certificate_problems.ts";
export * from "./tls_warm_up.ts";
export * from "./tls_error.ts";
export * from "./inet.ts";
export * from "./byte_order.ts";
export * from "./sockaddr.ts";
export * from "./services.ts";
export * from "./connection_log.ts";
