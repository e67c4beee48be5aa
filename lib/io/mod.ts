/**
 * Bytes in and out: the reader, writer and duplex shapes every stream of netkit works over, an
 * adapter from Web streams, a write-all loop over partial writes, and a line writer that batches
 * small writes.
 *
 * @module
 */

export * from "./duplex.ts";
export * from "./write_all.ts";
export * from "./buffered_line_writer.ts";
export * from "./missing_permission_error.ts";
