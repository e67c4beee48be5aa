/**
 * wget-style downloads over the HTTP client: redirects, retries, resume, safe file names from URLs
 * and Content-Disposition, unique names, progress lines, and GNU wget's exit codes.
 *
 * @module
 */

export * from "./address_connector.ts";
export * from "./cookie_jar.ts";
export * from "./download.ts";
export * from "./file_name.ts";
export * from "./hsts.ts";
export * from "./http_date.ts";
export * from "./netrc.ts";
export * from "./page_kind.ts";
export * from "./progress.ts";
export * from "./accept_rules.ts";
export * from "./convert_links.ts";
export * from "./disk_layout.ts";
export * from "./restrict_file_names.ts";
export * from "./links.ts";
export * from "./recursive.ts";
export * from "./robots.ts";
export * from "./proxy.ts";
