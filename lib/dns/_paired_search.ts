/**
 * Both families' walks of the search list in step, as glibc's getaddrinfo asks DNS for both at
 * once (gethostbyname4_r: `res_search` with A and AAAA questions together): each name of the list
 * is asked for both families, and the walk goes on to the next name only when neither family
 * found an address at this one. `lookupAddresses` (`_lookup_both.ts`) runs one lookup per
 * family; it pairs their option objects here, and the DNS part (`_dns_lookup.ts`'s searchChain)
 * of each asks {@linkcode PairedSearch.after} after every name whether to go on. Without the
 * pairing the family that found nothing walked on alone, asking the servers names glibc never
 * sends (the rest of the search list, the bare name).
 *
 * @module
 */

import type { IpFamily } from "../net/inet.ts";

/** What one family's walk did at a name of the search list. */
type Step = "found" | "failed";

/** The two walks of one `lookupAddresses` call. */
export class PairedSearch {
  /** Each family's steps, by the index of the name on the (shared) list of candidates. */
  #steps = new Map<IpFamily, Map<number, Step>>([[4, new Map()], [6, new Map()]]);
  /** The families whose walk has ended (or never reached DNS). */
  #left = new Set<IpFamily>();
  /** Wakes the walks waiting for the other family. */
  #waiting: (() => void)[] = [];

  /**
   * Records what `family` did at candidate `index` and, when it found nothing, waits for the
   * other family's step there: `true` to go on to the next name, `false` to stop (the other
   * family found an address at this name, so the lookup ends here, as glibc's does).
   */
  async after(family: IpFamily, index: number, step: Step): Promise<boolean> {
    this.#steps.get(family)!.set(index, step);
    this.#wake();
    if (step === "found") return false;
    const other: IpFamily = family === 4 ? 6 : 4;
    while (true) {
      const theirs = this.#steps.get(other)!;
      const there = theirs.get(index);
      if (there !== undefined) return there === "failed";
      // The other walk skipped this name (its search list ended) or went past it: on alone.
      if (this.#left.has(other) || [...theirs.keys()].some((i) => i > index)) return true;
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  /** Records that `family`'s walk skipped candidate `index` without asking. */
  skipped(family: IpFamily, index: number): void {
    this.#steps.get(family)!.set(index, "failed");
    this.#wake();
  }

  /** Records that `family`'s lookup is over: the other family no longer waits for it. */
  leave(family: IpFamily): void {
    this.#left.add(family);
    this.#wake();
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/** The pairing of each family's options object, set by `lookupAddresses`. */
const PAIRED = new WeakMap<object, PairedSearch>();

/** Pairs the options objects of the two families' lookups; returns the pairing. */
export function pairSearches(options4: object, options6: object): PairedSearch {
  const paired = new PairedSearch();
  PAIRED.set(options4, paired);
  PAIRED.set(options6, paired);
  return paired;
}

/** The pairing of a lookup's options object, if `lookupAddresses` made one. */
export function pairedSearchOf(options: object): PairedSearch | undefined {
  return PAIRED.get(options);
}
