/**
 * A bounded least-recently-used cache with single-flight: concurrent misses for one key share one
 * computation.
 *
 * @module
 */

/** Counters kept by {@linkcode LruCache.getOrCompute}. */
export interface LruCacheStats {
  /** Answers found in the cache. */
  hits: number;
  /** Answers not in the cache (including those that joined a computation under way). */
  misses: number;
  /** Misses that joined a computation already under way instead of starting one. */
  joined: number;
  /** Computations started. */
  computations: number;
  /** Computations that failed (their result was not cached). */
  failures: number;
  /** Entries dropped to stay within the capacity. */
  evictions: number;
}

/** What {@linkcode LruCache.getOrCompute} found. */
export interface CacheAnswer<V> {
  /** The value. */
  value: V;
  /** True if it came from the cache, false if it was computed for this call (or a concurrent one). */
  cached: boolean;
}

/** Options for {@linkcode LruCache}. */
export interface LruCacheOptions<V> {
  /** The most total weight kept (e.g. bytes); a heavier single value is not cached. @default {Infinity} */
  maxWeight?: number;
  /** A value's weight. @default {() => 1} */
  weigh?: (value: V) => number;
}

/**
 * A bounded LRU cache with single-flight computation, bounded by entry count and, optionally, by
 * total weight (bytes), so a few huge values cannot exhaust memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LruCache } from "@netkit/netkit/async";
 *
 * const cache = new LruCache<string, number>(2);
 * let runs = 0;
 * const compute = () => Promise.resolve(++runs);
 * const [a, b] = await Promise.all([cache.getOrCompute("k", compute), cache.getOrCompute("k", compute)]);
 * assert.equal(a.value, 1);
 * assert.equal(b.value, 1);
 * assert.equal(runs, 1); // two concurrent callers, one computation
 * assert.equal((await cache.getOrCompute("k", compute)).cached, true);
 * ```
 */
export class LruCache<K, V> {
  readonly #capacity: number;
  readonly #maxWeight: number;
  readonly #weigh: (value: V) => number;
  readonly #entries = new Map<K, { value: V; weight: number }>();
  #weight = 0;
  readonly #inFlight = new Map<K, Promise<V>>();
  /** The counters; read them, do not change them. */
  readonly stats: LruCacheStats = {
    hits: 0,
    misses: 0,
    joined: 0,
    computations: 0,
    failures: 0,
    evictions: 0,
  };

  /**
   * Builds an empty cache.
   *
   * @param capacity The most entries kept; 0 keeps none (single-flight still applies).
   * @throws {RangeError} for a negative or fractional capacity, or a negative weight bound.
   */
  constructor(capacity: number, options: LruCacheOptions<V> = {}) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`The cache capacity must be a whole number from 0, not "${capacity}"`);
    }
    this.#capacity = capacity;
    this.#maxWeight = options.maxWeight ?? Infinity;
    if (!(this.#maxWeight >= 0)) {
      throw new RangeError(`The cache weight bound must be from 0, not "${this.#maxWeight}"`);
    }
    this.#weigh = options.weigh ?? (() => 1);
  }

  /** The total weight of the entries. */
  get weight(): number {
    return this.#weight;
  }

  /** How many entries the cache holds. */
  get size(): number {
    return this.#entries.size;
  }

  /** The most entries kept. */
  get capacity(): number {
    return this.#capacity;
  }

  /** The value for `key`, now the most recently used, or undefined. Counts nothing. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * Stores `value` as the most recently used, evicting the least recently used while over the
   * count or weight bound. A value heavier than the whole bound is not stored.
   */
  set(key: K, value: V): void {
    this.#delete(key);
    const weight = this.#weigh(value);
    if (this.#capacity === 0 || weight > this.#maxWeight) return;
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    while (this.#entries.size > this.#capacity || this.#weight > this.#maxWeight) {
      this.#delete(this.#entries.keys().next().value as K);
      this.stats.evictions++;
    }
  }

  #delete(key: K): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#weight -= entry.weight;
  }

  /**
   * Whether a computation of `key` is under way (a {@linkcode getOrCompute} for it would join it).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { LruCache } from "@netkit/netkit/async";
   *
   * const cache = new LruCache<string, number>(4);
   * const computing = cache.getOrCompute("k", () => Promise.resolve(1));
   * assert.equal(cache.isComputing("k"), true);
   * await computing;
   * assert.equal(cache.isComputing("k"), false);
   * ```
   */
  isComputing(key: K): boolean {
    return this.#inFlight.has(key);
  }

  /**
   * The cached value for `key`, or the result of `compute(key)`, which runs once however many callers
   * miss at the same time. A failed computation is not cached; every waiting caller gets its error.
   */
  getOrCompute(key: K, compute: (key: K) => Promise<V>): CacheAnswer<V> | Promise<CacheAnswer<V>> {
    const value = this.get(key);
    if (value !== undefined) {
      this.stats.hits++;
      return { value, cached: true };
    }
    this.stats.misses++;
    let pending = this.#inFlight.get(key);
    if (pending) {
      this.stats.joined++;
    } else {
      this.stats.computations++;
      pending = this.#compute(key, compute);
      this.#inFlight.set(key, pending);
    }
    return pending.then((value) => ({ value, cached: false }));
  }

  async #compute(key: K, compute: (key: K) => Promise<V>): Promise<V> {
    try {
      const value = await compute(key);
      this.set(key, value);
      return value;
    } catch (error) {
      this.stats.failures++;
      throw error;
    } finally {
      this.#inFlight.delete(key);
    }
  }
}
