/**
 * The pairing of each family's options object of a `lookupAddresses` call of both families: set
 * by `_paired_search.ts`'s pairSearches, read by `_dns_lookup.ts`'s walk. Apart from the pairing's
 * code so that a lookup of one family (a command's usual lookup) reads it without loading that.
 *
 * @module
 */

/**
 * Each options object's pairing (`_paired_search.ts`'s PairedSearch, untyped here: that module
 * imports this one), if `lookupAddresses` made one (a WeakMap: the object alone, not its copies).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAIRINGS } from "./_pairings.ts";
 *
 * assert.equal(PAIRINGS.get({ family: 4 }), undefined); // a lookup of one family: no pairing
 * ```
 */
export const PAIRINGS: WeakMap<object, object> = new WeakMap();
