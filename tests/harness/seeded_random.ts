/** Test helper: a deterministic random generator, so that a generated case that fails replays. */

/**
 * A generator of numbers in [0, 1) from `seed` (mulberry32): the same seed gives the same
 * sequence.
 */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The draws the random generators make from one {@linkcode seededRandom} stream. */
export interface RandomDraws {
  /** A number in [0, 1). */
  random: () => number;
  /** An integer from `min` to `max`, both included. */
  int: (min: number, max: number) => number;
  /** One of `items`. */
  pick: <T>(items: readonly T[]) => T;
  /** True with probability `p`. */
  chance: (p: number) => boolean;
}

/**
 * Draws from the stream of `seed`: each draw takes one number of it, so a generator written with
 * them draws the same sequence as one calling `random()` itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { randomDraws, seededRandom } from "./seeded_random.ts";
 *
 * const { int, pick, chance } = randomDraws(7);
 * const random = seededRandom(7);
 * assert.equal(int(1, 6), 1 + Math.floor(random() * 6));
 * assert.equal(pick(["a", "b", "c"]), ["a", "b", "c"][Math.floor(random() * 3)]);
 * assert.equal(chance(0.5), random() < 0.5);
 * ```
 */
export function randomDraws(seed: number): RandomDraws {
  const random = seededRandom(seed);
  return {
    random,
    int: (min, max) => min + Math.floor(random() * (max - min + 1)),
    pick: (items) => items[Math.floor(random() * items.length)]!,
    chance: (p) => random() < p,
  };
}
