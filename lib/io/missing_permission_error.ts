/**
 * The error netkit throws where Deno's permission check refused an operation: a
 * `Deno.errors.NotCapable` (so existing `instanceof` checks keep working) that says which
 * permission to grant, as a descriptor and as the command-line flag.
 *
 * @module
 */

import { markNetkitError } from "./netkit_error.ts";

/** The permission kinds Deno names in its refusals, and the flag that grants each. */
const FLAGS: Record<string, string> = {
  read: "--allow-read",
  write: "--allow-write",
  net: "--allow-net",
  env: "--allow-env",
  run: "--allow-run",
  sys: "--allow-sys",
  ffi: "--allow-ffi",
  import: "--allow-import",
};

/** A permission as a descriptor: a kind and what it is for (a path, `host:port`, a program). */
export interface MissingPermission {
  /** The kind: `"net"`, `"read"`, `"run"`, .... */
  kind: string;
  /** What the permission is for: a path, `host:port`, a program; empty when Deno did not say. */
  target: string;
}

/**
 * Deno's permission check refused an operation; `permission` says what to grant and `flag` is
 * the command-line flag that grants it (`--allow-net=127.0.0.1:0`). Code `MISSING_PERMISSION`:
 * it stays a `Deno.errors.NotCapable` and carries the brand of `NetkitError` too.
 *
 * @example Turn a refusal into an error that names the flag
 * ```ts
 * import assert from "node:assert/strict";
 * import { MissingPermissionError } from "@netkit/netkit/io";
 *
 * const error = new MissingPermissionError({ kind: "read", target: "/etc/hosts" }, "reading hosts");
 * assert.ok(error instanceof Deno.errors.NotCapable);
 * assert.equal(error.code, "MISSING_PERMISSION");
 * assert.equal(error.flag, "--allow-read=/etc/hosts");
 * assert.equal(
 *   error.message,
 *   'Missing permission for reading hosts: read access to "/etc/hosts" (grant it with --allow-read=/etc/hosts)',
 * );
 * ```
 */
export class MissingPermissionError extends Deno.errors.NotCapable {
  /** Always `"MISSING_PERMISSION"`. */
  declare readonly code: "MISSING_PERMISSION";
  /** The permission that was missing. */
  readonly permission: MissingPermission;
  /** The flag that grants it, e.g. `--allow-read=/etc/hosts`. */
  readonly flag: string;

  /**
   * Builds the error.
   *
   * @param permission The permission that was refused.
   * @param step What was being done, for the message (`"binding a UDP socket"`).
   * @param options The original refusal as `cause`.
   */
  constructor(permission: MissingPermission, step: string, options: { cause?: unknown } = {}) {
    const base = FLAGS[permission.kind] ?? `--allow-${permission.kind}`;
    const flag = permission.target === "" ? base : `${base}=${permission.target}`;
    const what = permission.target === ""
      ? `${permission.kind} access`
      : `${permission.kind} access to "${permission.target}"`;
    super(`Missing permission for ${step}: ${what} (grant it with ${flag})`, options);
    this.name = "MissingPermissionError";
    markNetkitError(this, "MISSING_PERMISSION");
    this.permission = permission;
    this.flag = flag;
  }

  /**
   * Turns Deno's refusal into a {@linkcode MissingPermissionError}; any other error is returned
   * unchanged. The permission comes from `permission` when given, else from Deno's message
   * (`Requires net access to "0.0.0.0:0", ...`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { MissingPermissionError } from "@netkit/netkit/io";
   *
   * const refusal = new Deno.errors.NotCapable(
   *   'Requires net access to "0.0.0.0:0", run again with the --allow-net flag',
   * );
   * const error = MissingPermissionError.from(refusal, "binding a UDP socket");
   * assert.ok(error instanceof MissingPermissionError);
   * assert.equal(error.flag, "--allow-net=0.0.0.0:0");
   * const other = new TypeError("no");
   * assert.equal(MissingPermissionError.from(other, "x"), other);
   * ```
   */
  static from(error: unknown, step: string, permission?: MissingPermission): unknown {
    if (error instanceof MissingPermissionError) return error;
    if (!(error instanceof Deno.errors.NotCapable)) return error;
    const parsed = /Requires (\w+) access(?: to "([^"]*)")?/.exec(error.message);
    const found = permission ??
      (parsed?.[1] !== undefined ? { kind: parsed[1], target: parsed[2] ?? "" } : undefined);
    if (!found) return error;
    return new MissingPermissionError(found, step, { cause: error });
  }
}
