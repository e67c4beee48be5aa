/**
 * An HTTP/1.1 client on {@linkcode SocketStream}: URL parsing, request building and bodies,
 * response heads and body framing (length, chunked, until close), kept-alive connections in a
 * per-origin pool, TLS, and typed errors.
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
