/**
 * GNU wget's `--restrict-file-names`: which bytes of a URL may stand in a file's name as they are
 * and which are escaped as `%XX`, and the case of the name; shared by the recursion's layout
 * (`disk_layout.ts`) and the naming of one URL's file.
 *
 * @module
 */

/** GNU wget's `--restrict-file-names` modes, parsed by {@linkcode parseRestrictFileNames}. */
export interface FileNameRestrictions {
  /** `unix` escapes `/`; `windows` also `\\ | : " * ? < >`, and names the query `@`, the port `+`. */
  os: "unix" | "windows";
  /** Escape control characters (all but `nocontrol`). */
  control: boolean;
  /** Escape bytes above 127 (`ascii`). */
  ascii: boolean;
  /** Change the case of the whole name, escapes included (`lowercase`, `uppercase`). */
  case?: "lower" | "upper" | undefined;
}

/**
 * GNU wget's default on a Unix system: `unix` (only `/` escaped), control characters escaped too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRestrictFileNames, UNIX_FILE_NAMES } from "@netkit/netkit/download";
 *
 * assert.deepEqual(parseRestrictFileNames("unix"), UNIX_FILE_NAMES);
 * ```
 */
export const UNIX_FILE_NAMES: Readonly<FileNameRestrictions> = Object.freeze({
  os: "unix",
  control: true,
  ascii: false,
});

/**
 * Parses `--restrict-file-names` (`unix`, `windows`, `nocontrol`, `ascii`, `lowercase`,
 * `uppercase`, comma-separated).
 *
 * @throws {SyntaxError} for an unknown mode.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRestrictFileNames } from "@netkit/netkit/download";
 *
 * assert.deepEqual(parseRestrictFileNames("windows,lowercase"), {
 *   os: "windows", control: true, ascii: false, case: "lower",
 * });
 * assert.throws(() => parseRestrictFileNames("dos"), SyntaxError);
 * ```
 */
export function parseRestrictFileNames(text: string): FileNameRestrictions {
  const result: FileNameRestrictions = { ...UNIX_FILE_NAMES };
  for (const mode of text.split(",")) {
    switch (mode.trim().toLowerCase()) {
      case "unix":
        result.os = "unix";
        break;
      case "windows":
        result.os = "windows";
        break;
      case "nocontrol":
        result.control = false;
        break;
      case "ascii":
        result.ascii = true;
        break;
      case "lowercase":
        result.case = "lower";
        break;
      case "uppercase":
        result.case = "upper";
        break;
      default:
        throw new SyntaxError(`Unknown file name restriction "${mode}"`);
    }
  }
  return result;
}
