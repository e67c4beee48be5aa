/**
 * An HTTP/1.1 client on {@linkcode SocketStream}: URL parsing, request building and bodies,
 * response heads and body framing (length, chunked, until close), kept-alive connections in a
 * per-origin pool, TLS, and typed errors.
 *
 * The server: {@linkcode serveHttp}, an HTTP/1.1 server with the handler contract of `Deno.serve`
 * and the limits it lacks, its request parser, and a fast path for responses whose bytes are known.
 *
 * @module
 */

export * from "./url.ts";
export * from "./request.ts";
export * from "./response.ts";
export * from "./chunked.ts";
export * from "./client.ts";
export * from "./pool.ts";
export * from "./errors.ts";
export * from "./request_parser.ts";
export * from "./server_response.ts";
export * from "./server.ts";
