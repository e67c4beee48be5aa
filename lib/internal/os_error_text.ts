/**
 * The C library's words for a system error, as other programs print them.
 *
 * @module
 */

/**
 * `error`'s message without what Deno appends to the system's text (` (os error 28)`, and for
 * some calls the call and path after it): `No space left on device`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { osErrorText } from "./os_error_text.ts";
 *
 * const full = new Error("No space left on device (os error 28): write 'x'");
 * assert.equal(osErrorText(full), "No space left on device");
 * assert.equal(osErrorText("plain"), "plain");
 * ```
 */
export function osErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\(os error \d+\).*$/s, "");
}
