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

export * from "./lib/version.ts";
export * from "./lib/socket_error.ts";
export * from "./lib/host_port.ts";
export * from "./lib/socket.ts";
export * from "./lib/socket_stream.ts";
export * from "./lib/http_url.ts";
export * from "./lib/http_error.ts";
export * from "./lib/http_request.ts";
export * from "./lib/http_response.ts";
export * from "./lib/chunked.ts";
export * from "./lib/http_client.ts";
export * from "./lib/download_name.ts";
export * from "./lib/download.ts";
export * from "./lib/progress.ts";
export * from "./lib/byte_order.ts";
export * from "./lib/inet.ts";
export * from "./lib/sockaddr.ts";
export * from "./lib/dns_message.ts";
export * from "./lib/dns_error.ts";
export * from "./lib/dns_client.ts";
export * from "./lib/hosts_file.ts";
export * from "./lib/resolver.ts";
export * from "./lib/services.ts";
export * from "./lib/task_pool.ts";
export * from "./lib/ctime.ts";
export * from "./lib/rfc868_time.ts";
export * from "./lib/buffered_line_writer.ts";
export * from "./lib/time_server.ts";
export * from "./lib/connection_log.ts";
export * from "./lib/shutdown_signal.ts";
export * from "./lib/host_port_args.ts";
export * from "./lib/daytime_client.ts";
export * from "./lib/telnet.ts";
export * from "./lib/telnet_session.ts";

export * from "./lib/rack.ts";
export * from "./lib/word_index.ts";
export * from "./lib/dictionary.ts";
export * from "./lib/worker_pool.ts";
export * from "./lib/subprocess.ts";
export * from "./lib/word_finder.ts";
export * from "./lib/lru_cache.ts";
export * from "./lib/lexical_handler.ts";
