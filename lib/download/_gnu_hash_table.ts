/**
 * GNU wget's hash table (src/hash.c): open addressing with linear probing in a table whose size
 * is a prime of GNU's list, grown to the next listed prime past twice the size when it is 75%
 * full, removals rehashing the cells that follow. Kept for the order its iteration gives: GNU
 * writes its HSTS store (`~/.wget-hsts`) in the table's cell order, and netkit writes the same
 * file in the same order. Private to `lib/download/`.
 *
 * @module
 */

/** GNU's table sizes (hash.c's `primes`), as far as a store of known hosts can need. */
const PRIMES = [
  13,
  19,
  29,
  41,
  59,
  79,
  107,
  149,
  197,
  263,
  347,
  457,
  599,
  787,
  1031,
  1361,
  1777,
  2333,
  3037,
  3967,
  5167,
  6719,
  8737,
  11369,
  14783,
  19219,
  24989,
  32491,
  42257,
  54941,
  71429,
  92861,
  120721,
  156941,
  204047,
  265271,
  344857,
  448321,
  582821,
  757693,
  985003,
  1280519,
  1664681,
  2164111,
  2813353,
  3657361,
  4754591,
  6180989,
  8035301,
  10445899,
  13579681,
  17653589,
  22949669,
  29834603,
  38784989,
  50420551,
  65546729,
  85210757,
  110774011,
  144006217,
  187208107,
  243370577,
  316381771,
  411296309,
  534685237,
  695090819,
  903618083,
  1174703521,
  1527114613,
  1837299131,
  2147483647,
];

/** One occupied cell. */
interface Cell<K, V> {
  key: K;
  value: V;
}

/**
 * A map with GNU wget's hash table's iteration order, given GNU's hash function of a key
 * (an unsigned number) and its equality test.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GnuHashTable } from "./_gnu_hash_table.ts";
 *
 * // Keys hashed to themselves: 13 cells at first, so 14 sits in cell 1, before 5.
 * const table = new GnuHashTable<number, string>((key) => key, (a, b) => a === b);
 * table.put(5, "five");
 * table.put(14, "fourteen");
 * assert.deepEqual([...table].map(([key]) => key), [14, 5]);
 * assert.equal(table.get(5), "five");
 * table.remove(14);
 * assert.deepEqual([...table].map(([key]) => key), [5]);
 * ```
 */
export class GnuHashTable<K, V> implements Iterable<[K, V]> {
  #cells: (Cell<K, V> | undefined)[];
  #primeOffset = 0;
  #threshold: number;
  #count = 0;
  readonly #hash: (key: K) => number;
  readonly #equals: (a: K, b: K) => boolean;

  /** An empty table, as GNU's `hash_table_new (0, hash, equals)`. */
  constructor(hash: (key: K) => number, equals: (a: K, b: K) => boolean) {
    this.#hash = hash;
    this.#equals = equals;
    const size = this.#primeSize(1);
    this.#cells = new Array(size).fill(undefined);
    this.#threshold = Math.trunc(size * 0.75);
  }

  /** How many keys it holds. */
  get size(): number {
    return this.#count;
  }

  /** The value of `key`, or undefined. */
  get(key: K): V | undefined {
    return this.#cells[this.#find(key)]?.value;
  }

  /** Whether `key` is there. */
  has(key: K): boolean {
    return this.#cells[this.#find(key)] !== undefined;
  }

  /** Sets `key`'s value (GNU's `hash_table_put`: an existing key keeps its cell). */
  put(key: K, value: V): void {
    let index = this.#find(key);
    const cell = this.#cells[index];
    if (cell) {
      cell.key = key;
      cell.value = value;
      return;
    }
    if (this.#count >= this.#threshold) {
      this.#grow();
      index = this.#find(key);
    }
    this.#count++;
    this.#cells[index] = { key, value };
  }

  /** Removes `key`, moving the cells after it as GNU's `hash_table_remove` does. */
  remove(key: K): boolean {
    const cells = this.#cells;
    const size = cells.length;
    let index = this.#find(key);
    if (cells[index] === undefined) return false;
    cells[index] = undefined;
    this.#count--;
    for (index = (index + 1) % size; cells[index] !== undefined; index = (index + 1) % size) {
      const cell = cells[index]!;
      let moved = this.#hash(cell.key) % size;
      let inPlace = false;
      for (; cells[moved] !== undefined; moved = (moved + 1) % size) {
        if (cells[moved] === cell) {
          inPlace = true;
          break;
        }
      }
      if (!inPlace) {
        cells[moved] = cell;
        cells[index] = undefined;
      }
    }
    return true;
  }

  /** The keys and values in cell order (GNU's `hash_table_iterate`). */
  *[Symbol.iterator](): Iterator<[K, V]> {
    for (const cell of this.#cells) if (cell) yield [cell.key, cell.value];
  }

  /** The cell of `key`, or the empty cell where it would go. */
  #find(key: K): number {
    const cells = this.#cells;
    const size = cells.length;
    let index = this.#hash(key) % size;
    while (cells[index] !== undefined && !this.#equals(key, cells[index]!.key)) {
      index = (index + 1) % size;
    }
    return index;
  }

  /** GNU's `prime_size`: the first listed prime from the last offset that is at least `size`. */
  #primeSize(size: number): number {
    for (let i = this.#primeOffset; i < PRIMES.length; i++) {
      if (PRIMES[i]! >= size) {
        this.#primeOffset = i + 1;
        return PRIMES[i]!;
      }
    }
    throw new RangeError("hash table too large");
  }

  /** GNU's `grow_hash_table`. */
  #grow(): void {
    const old = this.#cells;
    const size = this.#primeSize(old.length * 2);
    const cells: (Cell<K, V> | undefined)[] = new Array(size).fill(undefined);
    for (const cell of old) {
      if (!cell) continue;
      let index = this.#hash(cell.key) % size;
      while (cells[index] !== undefined) index = (index + 1) % size;
      cells[index] = cell;
    }
    this.#cells = cells;
    this.#threshold = Math.trunc(size * 0.75);
  }
}
