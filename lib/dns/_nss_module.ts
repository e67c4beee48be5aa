/**
 * Whether glibc could load an NSS service's module (`libnss_NAME.so.2`) on this host. glibc's
 * nsswitch loop counts a service whose module it cannot load as UNAVAIL: `hosts: myhostname
 * [!UNAVAIL=return] dns` goes on to DNS, and the host's own name is not answered, on a host
 * without systemd's `libnss-myhostname` package (Debian's default), whatever the file names.
 *
 * @module
 */

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** What was found, by service, once per process (a package installed meanwhile is not seen). */
const installed = new Map<string, boolean>();

/**
 * The directories the dynamic loader searches for a library not in its cache: Debian's multiarch
 * ones, then Fedora's and the generic ones.
 */
function libraryDirectories(): string[] {
  const triplet = `${Deno.build.arch}-linux-gnu`;
  return [`/lib/${triplet}`, `/usr/lib/${triplet}`, "/lib64", "/usr/lib64", "/lib", "/usr/lib"];
}

/**
 * Whether `libnss_SERVICE.so.2` is a regular file in one of the loader's directories (a symbolic
 * link followed). True where the directories may not be read (nothing is asked of the user): the
 * resolver then serves the source, as it would on a host that has it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nssModuleInstalled } from "./_nss_module.ts";
 *
 * assert.equal(nssModuleInstalled("no-such-service"), false);
 * ```
 */
export const nssModuleInstalled = (function nssModuleInstalled(service: string): boolean {
  let found = installed.get(service);
  if (found !== undefined) return found;
  found = false;
  for (const dir of libraryDirectories()) {
    try {
      if (Deno.permissions.querySync({ name: "read", path: dir }).state !== "granted") {
        found = true;
        break;
      }
      if (Deno.statSync(`${dir}/libnss_${service}.so.2`).isFile) {
        found = true;
        break;
      }
    } catch {
      // Not there (or no such directory): the next one.
    }
  }
  installed.set(service, found);
  return found;
}).bind(undefined);
