/**
 * wget's HSTS store as GNU Wget 1.21.3 keeps it: on unless `--no-hsts` (`hsts = off`), in
 * `--hsts-file FILE` (`hsts_file = FILE`) or else `~/.wget-hsts`, read before the first request
 * and written back after the run when it changed (lib/download/hsts.ts).
 *
 * @module
 */

import { type HstsStore, openHstsStore, saveHstsStore } from "../../lib/download/hsts.ts";
import { parseHttpUrl } from "../../lib/http/url.ts";
import { homeDirectory } from "./home.ts";

/** The run's store and how to write it back. */
export interface WgetHsts {
  /** The known hosts, for the downloads. */
  store: HstsStore;
  /** Writes the store back to its file when the run changed it (GNU's save_hsts). */
  save(): void;
}

/**
 * Opens the run's store as GNU wget does (its load_hsts): undefined with `--no-hsts`, or when the
 * file is refused (said with `notice`, as GNU says it unless `-q`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openWgetHsts } from "./hsts.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const file = `${dir}/hsts`;
 * await Deno.writeTextFile(file, "example.com\t0\t1\t1700000000\t99999999999\n");
 * const hsts = openWgetHsts({ "hsts-file": file }, () => {});
 * assert.equal(hsts?.store.size, 1);
 * assert.equal(openWgetHsts({ "no-hsts": true, "hsts-file": file }, () => {}), undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function openWgetHsts(
  values: { "no-hsts"?: boolean | undefined; "hsts-file"?: string | undefined },
  notice: (line: string) => void,
): WgetHsts | undefined {
  if (values["no-hsts"]) return undefined;
  const home = homeDirectory();
  const path = values["hsts-file"] ?? (home === undefined ? undefined : `${home}/.wget-hsts`);
  if (path === undefined) {
    notice("ERROR: could not open HSTS store. HSTS will be disabled.");
    return undefined;
  }
  const { store, notices } = openHstsStore(path);
  for (const line of notices) notice(line);
  if (!store) return undefined;
  return { store, save: () => saveHstsStore(store, path) };
}

/**
 * The https:// URL `url` (a command line's, as written) is fetched as, when `store` knows its host;
 * undefined otherwise (and for a URL that does not parse: the download says so).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { peekHsts } from "./hsts.ts";
 * import { HstsStore } from "../../lib/download/hsts.ts";
 * import { parseHttpUrl } from "../../lib/http/url.ts";
 *
 * const store = new HstsStore();
 * store.record(parseHttpUrl("https://example.com/"), "max-age=60");
 * assert.equal(peekHsts(store, "example.com/a"), "https://example.com/a");
 * assert.equal(peekHsts(store, "http://example.org/"), undefined);
 * ```
 */
export function peekHsts(store: HstsStore | undefined, url: string): string | undefined {
  if (!store) return undefined;
  try {
    return store.peek(parseHttpUrl(url))?.href;
  } catch {
    return undefined;
  }
}
