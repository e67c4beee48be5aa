/**
 * Headless Chromium for the tests: the DOM it shows for a URL once the page has loaded
 * (`--dump-dom`), in a profile of the test's own, with the flags a root process in a container on
 * a closed network needs.
 *
 * @module
 */

import assert from "node:assert/strict";
import { peerPath } from "./peers.ts";

/**
 * The DOM headless Chromium shows for `url` (its `--dump-dom`), with the profile in `profile`
 * (a new directory) and `extra` flags; fails the test, with Chromium's last words, when it fails.
 */
export async function chromiumDom(url: string, profile: string, extra: string[] = []) {
  const { success, stdout, stderr } = await new Deno.Command(peerPath("chromium")!, {
    args: [
      "--headless=new",
      "--no-sandbox", // root, in a container
      "--disable-gpu",
      "--no-first-run",
      // No connections of its own (they are refused here, many at a time).
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      ...extra,
      "--dump-dom",
      url,
    ],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.ok(success, new TextDecoder().decode(stderr).slice(-2000));
  return new TextDecoder().decode(stdout);
}

/** Text as `--dump-dom` writes it, read: `&quot;`, `&amp;`, `&lt;`, `&gt;` and `&#39;`. */
export function dumpedText(html: string): string {
  return html.replace(
    /&(quot|amp|lt|gt|#39);/g,
    (_, name: string) => ({ quot: '"', amp: "&", lt: "<", gt: ">", "#39": "'" })[name]!,
  );
}
