/**
 * What the resolver reads from the process only where Deno permits it, without asking: an
 * environment variable, the host's name. What may not be read counts as unset.
 *
 * @module
 */

/** The variable's value, or undefined when it is unset or may not be read. */
export function readEnvQuietly(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
      return undefined;
    }
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** The host's name, or undefined when it may not be read. */
export function hostNameQuietly(): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "sys", kind: "hostname" }).state !== "granted") {
      return undefined;
    }
    return Deno.hostname();
  } catch {
    return undefined;
  }
}
