/**
 * Bytes in and out: the reader, writer and duplex shapes every stream of netkit works over, an
 * adapter from Web streams, a write-all loop over partial writes, a line writer that batches
 * small writes, and the errors every package builds on: {@linkcode NetkitError} (a `code` to
 * branch on), the one end-of-stream error {@linkcode UnexpectedEofError}, and
 * {@linkcode LineTooLongError}.
 *
 * @module
 */

export * from "./duplex.ts";
export * from "./write_all.ts";
export * from "./buffered_line_writer.ts";
export * from "./missing_permission_error.ts";
export * from "./netkit_error.ts";
export * from "./unexpected_eof_error.ts";
export * from "./line_too_long_error.ts";
export * from "./concat_bytes.ts";
