/**
 * What a response holds for a recursive download, from its `Content-Type`: a page to read for
 * links (HTML, XHTML), a stylesheet (CSS), or anything else.
 *
 * @module
 */

/**
 * The kind of a response by its `Content-Type`, as GNU wget tells them apart (`text/html` and
 * `application/xhtml+xml` are pages, `text/css` stylesheets); only the first two hold links.
 * A response without the header is a page too, as GNU wget takes it (for the CGIs that forget
 * it): read for links, given `.html` by `-E`. `wget --spider -r` fetches a URL whose HEAD answer
 * is a page or a stylesheet, and no other.
 *
 * @param contentType The header's value, parameters and all; undefined or null when there is
 * none.
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
 * assert.equal(pageKind(undefined), "html");
 * assert.equal(pageKind(""), "other");
 * ```
 */
export function pageKind(contentType: string | null | undefined): "html" | "css" | "other" {
  if (contentType === undefined || contentType === null) return "html";
  const type = contentType.split(";")[0]?.trim().toLowerCase();
  if (type === "text/html" || type === "application/xhtml+xml") return "html";
  if (type === "text/css") return "css";
  return "other";
}

/**
 * GNU wget's `-E` (`--adjust-extension`): `name` with `.html` added when the response is a page
 * (or has no `Content-Type`) and the name does not end in `.html` or `.htm`, with `.css` added when it is a stylesheet and
 * the name does not end in `.css`; otherwise `name` as it is.
 *
 * @param name The file name (or path) the URL gave.
 * @param contentType The response's `Content-Type`; undefined or null when it has none.
 * @returns The name to save under.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withPageExtension } from "@netkit/netkit/download";
 *
 * assert.equal(withPageExtension("search.html?q=c", "text/html"), "search.html?q=c.html");
 * assert.equal(withPageExtension("a.HTM", "text/html"), "a.HTM");
 * assert.equal(withPageExtension("style.css?v=1", "text/css; charset=utf-8"), "style.css?v=1.css");
 * assert.equal(withPageExtension("logo", "image/png"), "logo");
 * assert.equal(withPageExtension("cgi", undefined), "cgi.html");
 * ```
 */
export function withPageExtension(
  name: string,
  contentType: string | null | undefined,
): string {
  const kind = pageKind(contentType);
  if (kind === "html" && !/\.html?$/i.test(name)) return `${name}.html`;
  if (kind === "css" && !/\.css$/i.test(name)) return `${name}.css`;
  return name;
}

/**
 * Where GNU wget's `-K` keeps a converted file's original: `FILE.orig`, or, when `-E` added the
 * extension, the name with its last four characters replaced by `orig` (`page.orig` for
 * `page.html`; GNU wget 1.21 does the same to an added `.css`: `sheetorig`).
 *
 * @param path The converted file.
 * @param extensionAdded Whether `-E` added `.html` or `.css` to its name.
 * @returns The backup's path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backupPathFor } from "@netkit/netkit/download";
 *
 * assert.equal(backupPathFor("d/index.html", false), "d/index.html.orig");
 * assert.equal(backupPathFor("d/page?q=1.html", true), "d/page?q=1.orig");
 * assert.equal(backupPathFor("d/sheet.css", true), "d/sheetorig");
 * ```
 */
export function backupPathFor(path: string, extensionAdded: boolean): string {
  return extensionAdded ? `${path.slice(0, -4)}orig` : `${path}.orig`;
}
