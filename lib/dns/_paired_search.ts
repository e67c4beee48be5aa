/**
 * Both families' walks of the search list in step, as glibc's getaddrinfo asks DNS for both at
 * once (gethostbyname4_r: `res_search` with A and AAAA questions together): each name of the list
 * is asked for both families, and the walk goes on to the next name only when neither family
 * found an address at this one. `lookupAddresses` (`_lookup_both.ts`) runs one lookup per
 * family; it pairs their option objects here, and the DNS part (`_dns_lookup.ts`'s searchChain)
 * of each asks {@linkcode PairedSearch.after} after every name whether to go on. Without the
 * pairing the family that found nothing walked on alone, asking the servers names glibc never
 * sends (the rest of the search list, the bare name). At each name the A question goes out
 * first, then the AAAA one, as glibc sends the pair ({@linkcode PairedSearch.pace}).
 *
 * @module
 */

import type { IpFamily } from "../net/inet.ts";
import { PAIRINGS } from "./_pairings.ts";

/** What one family's walk did at a name of the search list. */
export interface SearchStep {
  /** Whether it found an address there. */
  found: boolean;
  /** Whether its error there ends the search list (a failure other than NXDOMAIN, no data, SERVFAIL). */
  ended: boolean;
  /** Whether its error there was no data (NOERROR without records). */
  noData: boolean;
}

/** What a family's walk does after a name: stop, or go on, and whether the list has ended. */
export interface SearchNext {
  /** The other family found an address at this name: the lookup ends here. */
  stop: boolean;
  /**
   * Whether the search list has ended for both: glibc's res_search reads one answer code for the
   * pair, the A answer's unless that was no data, then the AAAA answer's.
   */
  ended: boolean;
}

/**
 * The turns of one family's questions about one name of the list, for `lookupChain`
 * ({@linkcode PairedSearch.pace}).
 */
export interface QuestionPace {
  /** Settles when this family may send its next question (undefined: at once). */
  turn(): Promise<void> | undefined;
  /** Records that this family is sending its next question (its socket has it). */
  asked(): void;
  /**
   * What `make` gives for the first family of the pair to ask about the name, and the same for
   * the other: the servers in the order to ask them, so that `options rotate` turns once a pair.
   */
  shared<T>(make: () => T): T;
  /**
   * What `make` gives for the first family of the pair to ask about the name, and the same for
   * the other, closed once both walks are done with the name: the sockets the pair's questions
   * share (`_ask_server.ts`'s PairSockets), as glibc's res_send asks both on one socket.
   */
  held<T extends { close(): void }>(make: () => T): T;
}

/**
 * The two families of one `lookupAddresses` call, over every DNS source of nsswitch.conf's
 * `hosts:` line: each family's n-th DNS walk (`hosts: dns files dns` walks the search list twice)
 * is paired with the other's n-th ({@linkcode PairedSearch.walk}), as glibc's getaddrinfo asks
 * gethostbyname4_r for both at each source. A pass of its own for each: the steps, turns, shared
 * servers and held sockets of the first walk told the second nothing true (its A questions no
 * longer went before the AAAA ones: the pair's turns read as taken).
 */
export class PairedSearch {
  /** Each family's walks so far, the last one under way. */
  #walks = new Map<IpFamily, number>([[4, 0], [6, 0]]);
  /** The passes by their number (from 1). */
  #passes = new Map<number, SearchPass>();
  /** The families whose lookup is over: they walk no pass more. */
  #over = new Set<IpFamily>();
  /** Whether each family found an address at each source, by the source's place on the line. */
  #sources = new Map<IpFamily, Map<number, boolean>>([[4, new Map()], [6, new Map()]]);
  /** Wakes the lookups waiting for the other family's outcome at a source. */
  #sourceWaiting: (() => void)[] = [];

  /**
   * Begins `family`'s next DNS walk: the pass it shares with the other family's walk of that
   * number.
   */
  walk(family: IpFamily): SearchPass {
    const number = this.#walks.get(family)! + 1;
    this.#walks.set(family, number);
    let pass = this.#passes.get(number);
    if (pass === undefined) this.#passes.set(number, pass = new SearchPass(this.#over));
    return pass;
  }

  /**
   * Records whether `family`'s lookup found an address at source `at` of nsswitch.conf's `hosts:`
   * line; when it did not, waits for the other family's outcome there (or its lookup's end) and
   * tells whether that found one (their shared status is then SUCCESS, as gethostbyname4_r's).
   */
  async afterSource(family: IpFamily, at: number, found: boolean): Promise<boolean> {
    this.#sources.get(family)!.set(at, found);
    this.#wakeSources();
    if (found) return false;
    const other: IpFamily = family === 4 ? 6 : 4;
    while (true) {
      const theirs = this.#sources.get(other)!.get(at);
      if (theirs !== undefined) return theirs;
      if (this.#over.has(other)) return false;
      await new Promise<void>((resolve) => this.#sourceWaiting.push(resolve));
    }
  }

  #wakeSources(): void {
    const waiting = this.#sourceWaiting;
    this.#sourceWaiting = [];
    for (const resolve of waiting) resolve();
  }

  /**
   * Records that `family`'s lookup is over (every source asked, or found): the other family's
   * walks, this one's and any later, no longer wait for it.
   */
  leave(family: IpFamily): void {
    this.#over.add(family);
    for (const pass of this.#passes.values()) pass.wake();
    this.#wakeSources();
  }
}

/** One DNS walk of each family, in step (the n-th of each, {@linkcode PairedSearch.walk}). */
export class SearchPass {
  /** Each family's steps, by the index of the name on the (shared) list of candidates. */
  #steps = new Map<IpFamily, Map<number, SearchStep>>([[4, new Map()], [6, new Map()]]);
  /** The families whose walk has ended. */
  #left = new Set<IpFamily>();
  /** The families whose whole lookup is over (the pairing's, shared by its passes). */
  #over: ReadonlySet<IpFamily>;
  /** Wakes the walks waiting for the other family. */
  #waiting: (() => void)[] = [];
  /** How many questions each family has sent about each name, by the name's index. */
  #asked = new Map<IpFamily, Map<number, number>>([[4, new Map()], [6, new Map()]]);
  /** What the pair shares about each name, by the name's index ({@linkcode QuestionPace.shared}). */
  #shared = new Map<number, unknown>();
  /** The families whose walk asks no question at all (the IPv6 one under `no-aaaa`). */
  #silent = new Set<IpFamily>();
  /** How each family's walk ended: its error, or undefined (found). */
  #outcomes = new Map<IpFamily, unknown>();
  /** What the pair holds about each name until both are done with it ({@linkcode QuestionPace.held}). */
  #held = new Map<number, { close(): void }>();

  /** A pass of the pairing whose families' lookups are over when in `over`. */
  constructor(over: ReadonlySet<IpFamily>) {
    this.#over = over;
  }

  /** Whether `family`'s walk of this pass is over, or will never be: its lookup is over. */
  #gone(family: IpFamily): boolean {
    return this.#left.has(family) || this.#over.has(family);
  }

  /**
   * Records what `family` did at candidate `index` and, when it found nothing, waits for the
   * other family's step there to tell what comes next ({@linkcode SearchNext}).
   */
  async after(family: IpFamily, index: number, step: SearchStep): Promise<SearchNext> {
    this.#steps.get(family)!.set(index, step);
    this.wake();
    if (step.found) return { stop: true, ended: step.ended };
    const other: IpFamily = family === 4 ? 6 : 4;
    while (true) {
      const theirs = this.#steps.get(other)!;
      const there = theirs.get(index);
      if (there !== undefined) {
        if (there.found) return { stop: true, ended: step.ended };
        const a = family === 4 ? step : there;
        const aaaa = family === 4 ? there : step;
        return { stop: false, ended: a.noData ? aaaa.ended : a.ended };
      }
      // The other walk is over, or went past this name without asking it: on alone.
      if (this.#gone(other) || [...theirs.keys()].some((i) => i > index)) {
        return { stop: false, ended: step.ended };
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
  }

  /**
   * The turns of `family`'s questions about candidate `index`: the IPv6 walk's n-th question
   * waits until the IPv4 walk has sent its n-th about the name, or is done with it (answered,
   * failed, skipped, over), so that a server sees A before AAAA, as glibc's send_dg sends them
   * (found in a Kubernetes pod's search list, tests/cmd/resolve-hostname_containers_test.ts:
   * AAAA went first at the first name, and the pair's order flipped from name to name, as
   * whichever walk was woken last by {@linkcode PairedSearch.after} went on first). The IPv4
   * walk's next question waits until the IPv6 walk has sent as many (or is done with the name),
   * so that the pairs alternate, A then AAAA, from server to server and from try to try, as
   * send_dg sends a pair a try (under `single-request`, where a question goes only once the one
   * before it is answered, the next try's A question went before this try's AAAA one after a
   * SERVFAIL to A). Both ask the same servers in the same order: under `options rotate` glibc
   * turns once a pair (found beside `getent ahosts`: netkit turned once a question, and sent A
   * and AAAA to two servers).
   */
  pace(family: IpFamily, index: number): QuestionPace {
    let count = 0;
    return {
      turn: () =>
        family === 6
          ? this.#askedBy(4, index, count + 1)
          : count === 0
          ? undefined
          : this.#askedBy(6, index, count),
      asked: () => {
        this.#asked.get(family)!.set(index, ++count);
        this.wake();
      },
      shared: <T>(make: () => T): T => {
        if (!this.#shared.has(index)) this.#shared.set(index, make());
        return this.#shared.get(index) as T;
      },
      held: <T extends { close(): void }>(make: () => T): T => {
        let held = this.#held.get(index);
        if (held === undefined) this.#held.set(index, held = make());
        return held as T;
      },
    };
  }

  /** Whether `family`'s walk is done with candidate `index`: over, or a step there or later. */
  #doneWith(family: IpFamily, index: number): boolean {
    if (this.#gone(family)) return true;
    for (const i of this.#steps.get(family)!.keys()) if (i >= index) return true;
    return false;
  }

  /**
   * Settles once `family`'s walk has sent `count` questions about candidate `index`, or is done
   * with it; undefined when it has already.
   */
  #askedBy(family: IpFamily, index: number, count: number): Promise<void> | undefined {
    const ready = () =>
      this.#silent.has(family) || (this.#asked.get(family)!.get(index) ?? 0) >= count ||
      this.#doneWith(family, index);
    if (ready()) return undefined;
    return (async () => {
      while (!ready()) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    })();
  }

  /**
   * Records that `family`'s walk asks no question (the IPv6 one under `no-aaaa`, which waits for
   * the IPv4 one's outcome before it leaves): the other's questions never wait for it.
   */
  silent(family: IpFamily): void {
    this.#silent.add(family);
    this.wake();
  }

  /** Records that `family`'s walk skipped candidate `index` without asking (its list ended). */
  skipped(family: IpFamily, index: number): void {
    this.#steps.get(family)!.set(index, { found: false, ended: true, noData: false });
    this.wake();
  }

  /**
   * Records that `family`'s walk of this pass is over: the other family no longer waits for it.
   * `failure`, the error it ended with, is kept for {@linkcode SearchPass.failureOf}.
   */
  leave(family: IpFamily, failure?: unknown): void {
    if (!this.#left.has(family)) this.#outcomes.set(family, failure);
    this.#left.add(family);
    this.wake();
  }

  /**
   * The error `family`'s walk ended with, once it is over (undefined: it found an address, or
   * its lookup ended before this pass). Under `no-aaaa` the IPv6 walk, which asks nothing, takes
   * the IPv4 walk's outcome to nsswitch.conf, as glibc's one lookup of both (gethostbyname4_r)
   * has one status.
   */
  async failureOf(family: IpFamily): Promise<unknown> {
    while (!this.#gone(family)) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    return this.#outcomes.get(family);
  }

  /** Wakes the walks waiting for the other family, and lets go of what both are done with. */
  wake(): void {
    // What both walks are done with is let go of (the sockets of a name asked).
    for (const [index, held] of this.#held) {
      if (this.#doneWith(4, index) && this.#doneWith(6, index)) {
        this.#held.delete(index);
        held.close();
      }
    }
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/**
 * Pairs the options objects of the two families' lookups (`_pairings.ts`, where `_dns_lookup.ts`
 * finds it); returns the pairing.
 */
export function pairSearches(options4: object, options6: object): PairedSearch {
  const paired = new PairedSearch();
  PAIRINGS.set(options4, paired);
  PAIRINGS.set(options6, paired);
  return paired;
}
