/**
 * netkit: network utilities and a small socket library for Deno.
 *
 * The layers, bottom up: socket helpers ({@linkcode createClientSocket},
 * {@linkcode createServerSocket}), a buffered {@linkcode SocketStream}, then the protocols and
 * services built on them. Each command in `cmd/` is a thin shell over these.
 *
 * @example Ask a daytime server for the time
 * ```ts ignore
 * import { createClientSocket, SocketStream } from "./mod.ts";
 *
 * await using stream = new SocketStream(await createClientSocket("127.0.0.1", 13));
 * console.log(await stream.readLine());
 * ```
 *
 * @module
 */

export * from "./lib/internal/version.ts";
export * from "./lib/net/socket_error.ts";
export * from "./lib/net/host_port.ts";
export * from "./lib/net/socket.ts";
export * from "./lib/net/socket_stream.ts";
export * from "./lib/http/url.ts";
export * from "./lib/http/errors.ts";
export * from "./lib/http/request.ts";
export * from "./lib/http/response.ts";
export * from "./lib/http/chunked.ts";
export * from "./lib/http/client.ts";
export * from "./lib/download/file_name.ts";
export * from "./lib/download/download.ts";
export * from "./lib/download/progress.ts";
export * from "./lib/net/byte_order.ts";
export * from "./lib/net/inet.ts";
export * from "./lib/net/sockaddr.ts";
export * from "./lib/dns/message.ts";
export * from "./lib/dns/errors.ts";
export * from "./lib/dns/client.ts";
export * from "./lib/dns/hosts_file.ts";
export * from "./lib/dns/resolver.ts";
export * from "./lib/net/services.ts";
export * from "./lib/async/task_pool.ts";
export * from "./lib/time/ctime.ts";
export * from "./lib/time/rfc868_time.ts";
export * from "./lib/io/buffered_line_writer.ts";
export * from "./lib/time/server.ts";
export * from "./lib/net/connection_log.ts";
export * from "./lib/process/shutdown_signal.ts";
export * from "./lib/cli/host_port_args.ts";
export * from "./lib/time/daytime_client.ts";
export * from "./lib/telnet/filter.ts";
export * from "./lib/telnet/session.ts";

export * from "./lib/words/rack.ts";
export * from "./lib/words/word_index.ts";
export * from "./lib/words/dictionary.ts";
export * from "./lib/async/worker_pool.ts";
export * from "./lib/process/subprocess.ts";
export * from "./lib/words/finder.ts";
export * from "./lib/async/lru_cache.ts";
export * from "./lib/words/lexical_handler.ts";
