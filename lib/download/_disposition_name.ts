/**
 * The file name a `Content-Disposition` header offers, named as GNU wget names it: as the last part
 * of a URL's path, put through the caller's naming rule (`--restrict-file-names`). Shared by
 * `download()` and the recursive walker. Private to `lib/download/`.
 *
 * @module
 */

import { contentDispositionFileName } from "./file_name.ts";

/**
 * The name `header` offers, given to `nameOfUrl` as the last segment of a URL's path
 * (`http://h/NAME`, percent-encoded) when there is a naming rule; undefined when it offers none.
 */
export function dispositionName(
  header: string | null | undefined,
  nameOfUrl: ((url: string) => string) | undefined,
): string | undefined {
  const name = header ? contentDispositionFileName(header) : undefined;
  if (name === undefined || nameOfUrl === undefined) return name;
  return nameOfUrl(`http://h/${encodeURIComponent(name)}`);
}
