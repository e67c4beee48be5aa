/**
 * A refused permission turned into a {@linkcode MissingPermissionError} that names what to grant,
 * with that error's module loaded only when a permission was refused. Its users load this module
 * on their error paths too: an answer from the hosts file loads neither.
 *
 * @module
 */

import type { MissingPermission } from "../io/missing_permission_error.ts";

/**
 * `error` as a {@linkcode MissingPermissionError} when it is Deno's `NotCapable`, else as it is
 * (see `MissingPermissionError.from`).
 */
export async function withPermissionNamed(
  error: unknown,
  step: string,
  permission: MissingPermission,
): Promise<unknown> {
  if (!(error instanceof Deno.errors.NotCapable)) return error;
  const { MissingPermissionError } = await import("../io/missing_permission_error.ts");
  return MissingPermissionError.from(error, step, permission);
}
