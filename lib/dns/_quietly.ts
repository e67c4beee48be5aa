/**
 * What the resolver reads from the process only where Deno permits it, without asking: an
 * environment variable, the host's name. What may not be read counts as unset.
 *
 * @module
 */

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** The variable's value, or undefined when it is unset or may not be read. */
export const readEnvQuietly = (function readEnvQuietly(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") {
      return undefined;
    }
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}).bind(undefined);

/** The host's name, or undefined when it may not be read. */
export const hostNameQuietly = (function hostNameQuietly(): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "sys", kind: "hostname" }).state !== "granted") {
      return undefined;
    }
    return Deno.hostname();
  } catch {
    return undefined;
  }
}).bind(undefined);
