/**
 * The host's interface list (`Deno.networkInterfaces()`), read at most once every
 * {@linkcode INTERFACE_LIST_MAX_AGE_MS} and shared by the lookups of that stretch: RFC 6724's
 * sort (`address_order.ts`), `AI_ADDRCONFIG` (`_lookup_both.ts`) and the myhostname source
 * (`_my_hostname.ts`) each asked for it on every lookup, ~0.1 ms a read (Deno builds an object
 * for each address), which 1,000 lookups at once paid 1,000 times.
 *
 * Why a short age and not a signal of change: glibc's `__check_pf` keeps its list only while
 * nscd's netlink timestamp says it is current, and without nscd (the usual host) asks the kernel
 * again on every getaddrinfo; Deno offers no netlink socket and no file whose stamp changes with
 * an address, so nothing cheaper than the read itself tells that the list changed. A list at
 * most 100 ms old is one a lookup could have read itself: a lookup already mixes instants (glibc
 * reads the list after the DNS answer, which takes as long as it takes), and 100 ms is a tenth of
 * resolv.conf's shortest `timeout`. Read at most ten times a second, the list costs a busy
 * program ~0.1 % of a core, where 1,000 lookups at once paid ~100 ms.
 *
 * @module
 */

/** How long a read of the list is shared, in milliseconds. */
export const INTERFACE_LIST_MAX_AGE_MS = 100;

/** The last read: when (`performance.now()`), and what it gave. */
let lastRead: { at: number; list: Deno.NetworkInterfaceInfo[] } | undefined;

/**
 * The host's interfaces, as `Deno.networkInterfaces()` lists them, from a read made at most
 * {@linkcode INTERFACE_LIST_MAX_AGE_MS} before `now`; undefined where `sys` permission for them
 * is not granted or the read fails. The permission is asked (never prompted for) with each read,
 * not with each call: a lookup's query cost ~13 us of its ~300 (lookups of both families against
 * a server on loopback). A list read under the permission is shared for its age, as if the
 * lookups had read it then: a revoke counts with the next read, within that age; a permission
 * refused is asked again on the next call, so that a grant counts at once. The list is shared:
 * callers must not change it.
 *
 * @param now The time, as `performance.now()` gives it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { interfaceList } from "./_interface_list.ts";
 *
 * const now = performance.now() + 1_000_000; // later than any read made so far
 * const first = interfaceList(now);
 * // Within the age, the same read: the very same array.
 * assert.equal(interfaceList(now + 50), first);
 * ```
 */
export function interfaceList(
  now: number = performance.now(),
): readonly Deno.NetworkInterfaceInfo[] | undefined {
  // `now < at`: a caller's clock behind the last read's; read again rather than trust it.
  if (
    lastRead !== undefined && now - lastRead.at < INTERFACE_LIST_MAX_AGE_MS && now >= lastRead.at
  ) {
    return lastRead.list;
  }
  lastRead = undefined;
  try {
    if (
      Deno.permissions.querySync({ name: "sys", kind: "networkInterfaces" }).state !== "granted"
    ) {
      return undefined;
    }
    lastRead = { at: now, list: Deno.networkInterfaces() };
    return lastRead.list;
  } catch {
    return undefined;
  }
}
