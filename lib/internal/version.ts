/**
 * netkit's version, printed by every command's `--version` and sent in wget's `User-Agent`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import config from "../../deno.json" with { type: "json" };
 * import { VERSION } from "./version.ts";
 *
 * assert.match(VERSION, /^\d+\.\d+\.\d+$/);
 * assert.equal(VERSION, config.version); // the package's version in deno.json
 * ```
 */
export const VERSION = "0.1.0";
