/**
 * The length of a response's body as it is stored: its `Content-Length`, or undefined when
 * `--compression` stores a gzip body decoded (the header counts the encoded bytes; GNU wget then
 * takes the length for unknown, and `-N` after a HEAD compares the times alone).
 *
 * @module
 */

import type { HttpResponse } from "../http/client.ts";

/** `response.contentLength`, unless `compression` decodes its gzip body. */
export function storedLength(
  response: HttpResponse,
  compression: "none" | "auto" | "gzip" | undefined,
): number | undefined {
  const encoding = response.head.headers.get("Content-Encoding")?.trim().toLowerCase();
  const decoded = (compression ?? "none") !== "none" &&
    (encoding === "gzip" || encoding === "x-gzip");
  return decoded ? undefined : response.contentLength;
}
