/**
 * netkit's version, printed by every command's `--version` and sent in wget's `User-Agent`.
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 *
 * console.assert(/^\d+\.\d+\.\d+$/.test(VERSION));
 * ```
 */
export const VERSION = "0.1.0";
