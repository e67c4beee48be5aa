/**
 * The deadlines of netkit, named for what they bound, with one default each, used by every
 * package (sockets, streams, HTTP, DNS over TCP, the time client). Import these rather than
 * repeating the numbers.
 *
 * | option             | bounds                                                  | default |
 * | ------------------ | ------------------------------------------------------- | ------- |
 * | `connectTimeoutMs` | opening a connection (name lookup, TCP, TLS handshake)  | 10 s    |
 * | `readTimeoutMs`    | one read that waits for the peer to send anything       | 900 s   |
 * | `writeTimeoutMs`   | one write that waits for the peer to take anything      | 30 s    |
 * | `closeTimeoutMs`   | the last flush of a stream or log writer being closed   | 10 s    |
 * | `attemptTimeoutMs` | one question to one DNS server, within a lookup         | 5 s (a) |
 * | `timeoutMs`        | a whole operation (an HTTP exchange, a DNS lookup)      | per API |
 *
 * (a) `DEFAULT_DNS_TIMEOUT_MS`; on the system path resolv.conf's `timeout:` as glibc spreads it.
 *
 * A whole operation's `timeoutMs` has the default its operation needs, none where the operation
 * may rightly take hours: none for an HTTP exchange (`sendHttpRequest`, a download of any size,
 * bounded by its read and write deadlines) and for a DNS lookup (bounded by its attempts); 10 s
 * for a daytime or time query (a few bytes); 5 s for one DNS question to one server (`queryDns`);
 * 5 s for serving one time-server connection, 30 s for one word-finder child (a server's defence
 * against a client or task that never ends).
 *
 * Read and write deadlines are idle deadlines: they restart whenever bytes move, so a long
 * transfer that keeps moving never times out. 900 s is GNU wget's `--read-timeout` default (a
 * server may think that long); a peer that takes no byte at all for 30 s has stopped reading
 * (nginx gives it 60 s, `send_timeout`). `Infinity` turns a deadline off. A deadline that passes fails the call with an error of code
 * `TIMEOUT` (a `SocketError` with `failure: "timed-out"` for sockets and streams) and closes the
 * connection, whose state is then unknown.
 *
 * @module
 */

import { CLOSE_TIMEOUT_MS } from "../internal/close_timeout.ts";

/**
 * How long opening a connection may take, name lookup and TLS handshake included: 10 s.
 *
 * @example Give a slow network twice the default
 * ```ts
 * import assert from "node:assert/strict";
 * import { createClientSocket, DEFAULT_CONNECT_TIMEOUT_MS } from "@netkit/netkit/net";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const connectTimeoutMs = 2 * DEFAULT_CONNECT_TIMEOUT_MS;
 * using conn = await createClientSocket("127.0.0.1", listener.addr.port, { connectTimeoutMs });
 * assert.equal(conn.remoteAddr.port, listener.addr.port);
 * ```
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/**
 * How long one read may wait for the peer to send anything: 900 s (GNU wget's default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_READ_TIMEOUT_MS } from "@netkit/netkit/net";
 *
 * assert.equal(DEFAULT_READ_TIMEOUT_MS / 1000, 900);
 * ```
 */
export const DEFAULT_READ_TIMEOUT_MS = 900_000;
/**
 * How long one write may wait for the peer to take anything: 30 s.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_WRITE_TIMEOUT_MS } from "@netkit/netkit/net";
 *
 * assert.equal(DEFAULT_WRITE_TIMEOUT_MS / 1000, 30);
 * ```
 */
export const DEFAULT_WRITE_TIMEOUT_MS = 30_000;
/**
 * How long closing a stream (`await using`, `flushAndClose()`) waits for its buffered bytes to
 * go out before it drops them and closes anyway: 10 s.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_CLOSE_TIMEOUT_MS } from "@netkit/netkit/net";
 *
 * assert.equal(DEFAULT_CLOSE_TIMEOUT_MS / 1000, 10);
 * ```
 */
export const DEFAULT_CLOSE_TIMEOUT_MS: number = CLOSE_TIMEOUT_MS;
