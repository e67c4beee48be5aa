/**
 * What a response holds for a recursive download, from its `Content-Type`: a page to read for
 * links (HTML, XHTML), a stylesheet (CSS), or anything else.
 *
 * @module
 */

/**
 * The kind of a response by its `Content-Type`, as GNU wget tells them apart (`text/html` and
 * `application/xhtml+xml` are pages, `text/css` stylesheets); only the first two hold links.
 * `wget --spider -r` fetches a URL whose HEAD answer is either, and no other.
 *
 * @param contentType The header's value, parameters and all; undefined when there is none.
 * @returns `"html"`, `"css"` or `"other"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pageKind } from "@netkit/netkit/download";
 *
 * assert.equal(pageKind("text/html; charset=utf-8"), "html");
 * assert.equal(pageKind("TEXT/CSS"), "css");
 * assert.equal(pageKind("image/png"), "other");
 * assert.equal(pageKind(undefined), "other");
 * ```
 */
export function pageKind(contentType: string | undefined): "html" | "css" | "other" {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "text/html" || type === "application/xhtml+xml") return "html";
  if (type === "text/css") return "css";
  return "other";
}
