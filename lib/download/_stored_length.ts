/**
 * The length of a response's body as it is stored: its `Content-Length`, or undefined when
 * `--compression` stores a gzip body decoded (the header counts the encoded bytes; GNU wget then
 * takes the length for unknown, and `-N` after a HEAD compares the times alone), or under
 * `--ignore-length`.
 *
 * @module
 */

import type { HttpResponse } from "../http/client.ts";

/**
 * `response.contentLength`, unless `compression` decodes its gzip body or `ignoreLength`
 * (`--ignore-length`: GNU wget then takes every length for unknown, a HEAD's too).
 */
export function storedLength(
  response: HttpResponse,
  compression: "none" | "auto" | "gzip" | undefined,
  ignoreLength = false,
): number | undefined {
  if (ignoreLength) return undefined;
  const encoding = response.head.headers.get("Content-Encoding")?.trim().toLowerCase();
  const decoded = (compression ?? "none") !== "none" &&
    (encoding === "gzip" || encoding === "x-gzip");
  return decoded ? undefined : response.contentLength;
}
