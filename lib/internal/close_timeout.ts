/**
 * How long closing a writer waits for its buffered bytes to go out before it gives them up: 10 s.
 * One number for every package (`SocketStream`'s `closeTimeoutMs`, `BufferedLineWriter`'s), kept
 * here so that lib/io, below lib/net, can use it; lib/net exports it as `DEFAULT_CLOSE_TIMEOUT_MS`.
 *
 * @module
 */

/** 10 s: see the module. */
export const CLOSE_TIMEOUT_MS = 10_000;
