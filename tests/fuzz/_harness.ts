/**
 * A small deterministic fuzzer: a seeded PRNG, mutators over seed inputs, and a runner that
 * checks every input either passes or fails with an expected typed error, within a time bound.
 * Used by `tests/fuzz_test.ts` (a short run inside the test command) and `deno task fuzz` (long).
 *
 * @module
 */

/** xorshift128+ reduced to 32-bit outputs: fast, seedable, the same sequence everywhere. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** Seeds the generator; the same seed gives the same sequence. */
  constructor(seed: number) {
    this.#a = seed >>> 0 || 0x9e3779b9;
    this.#b = 0x243f6a88 ^ seed;
    this.#c = 0xb7e15162;
    this.#d = 0x6a09e667;
    for (let i = 0; i < 16; i++) this.next();
  }

  /** The next unsigned 32-bit value. */
  next(): number {
    let t = this.#d;
    const s = this.#a;
    this.#d = this.#c;
    this.#c = this.#b;
    this.#b = s;
    t ^= t << 11;
    t ^= t >>> 8;
    this.#a = (t ^ s ^ (s >>> 19)) >>> 0;
    return this.#a;
  }

  /** A whole number from 0 to `n - 1`. */
  int(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError("pick() needs a non-empty list");
    return item;
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next() & 0xff;
    return out;
  }
}

const encoder = new TextEncoder();

/** Turns text into bytes, leaving bytes as they are. */
export function toBytes(input: string | Uint8Array): Uint8Array {
  return typeof input === "string" ? encoder.encode(input) : input;
}

/**
 * Mutates `input` once or a few times: bit flips, byte inserts and deletes, chunk duplication,
 * splicing in a dictionary token, truncation, and blowing a chunk up to many kilobytes.
 */
export function mutate(rng: Rng, input: Uint8Array, dictionary: readonly string[]): Uint8Array {
  let data: Uint8Array = input.slice();
  const rounds = 1 + rng.int(4);
  for (let round = 0; round < rounds; round++) {
    const at = rng.int(data.length + 1);
    switch (rng.int(8)) {
      case 0:
        if (data.length) {
          const flip = rng.int(data.length);
          const byte = data[flip];
          if (byte !== undefined) data[flip] = byte ^ (1 << rng.int(8));
        }
        break;
      case 1:
        data = concat(data.subarray(0, at), rng.bytes(1 + rng.int(4)), data.subarray(at));
        break;
      case 2:
        data = concat(data.subarray(0, at), data.subarray(at + 1 + rng.int(8)));
        break;
      case 3: {
        const end = Math.min(data.length, at + 1 + rng.int(16));
        data = concat(data.subarray(0, end), data.subarray(at, end), data.subarray(end));
        break;
      }
      case 4:
        if (dictionary.length) {
          data = concat(data.subarray(0, at), toBytes(rng.pick(dictionary)), data.subarray(at));
        }
        break;
      case 5:
        data = data.subarray(0, at);
        break;
      case 6: {
        const piece = data.subarray(at, at + 1 + rng.int(4));
        const times = 1 + rng.int(rng.int(8) === 0 ? 20_000 : 64);
        const blown = new Uint8Array(piece.length * times);
        for (let i = 0; i < times; i++) blown.set(piece, i * piece.length);
        data = concat(data.subarray(0, at), blown, data.subarray(at));
        break;
      }
      default:
        if (data.length) data[rng.int(data.length)] = rng.pick([0, 0x0a, 0x0d, 0x20, 0x3a, 0xff]);
    }
  }
  return data;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** What a fuzz target is: seeds, a dictionary, the code under test, and which errors are fine. */
export interface FuzzTarget {
  /** Name shown in reports. */
  name: string;
  /** Valid and near-valid inputs to start mutating from. */
  seeds: readonly (string | Uint8Array)[];
  /** Tokens worth splicing in (`"\r\n"`, `"::"`, `"chunked"`). */
  dictionary?: readonly string[];
  /** The code under test; it may return a promise. */
  run(input: Uint8Array): unknown;
  /** True for the typed errors that count as a clean rejection. */
  isExpectedError(error: unknown): boolean;
}

/** Options of {@linkcode fuzz}. */
export interface FuzzOptions {
  /** How many inputs to try. */
  iterations: number;
  /** The PRNG seed; the same seed replays the same inputs. */
  seed?: number;
  /**
   * An input taking longer than this counts as a hang. Generous: on a loaded 2-core machine a GC
   * pause and a starved thread took one honest input past 2 s. @default {10000}
   */
  hangMs?: number;
}

/** What a fuzz run saw. */
export interface FuzzReport {
  /** The target's name. */
  name: string;
  /** Inputs tried. */
  iterations: number;
  /** Inputs accepted. */
  accepted: number;
  /** Inputs rejected with an expected typed error. */
  rejected: number;
  /** The slowest input's time in milliseconds. */
  slowestMs: number;
  /** Wall time of the run in milliseconds. */
  totalMs: number;
  /** RSS growth over the run in bytes (after a final garbage pass where available). */
  rssGrowth: number;
  /** Growth of the JavaScript heap in use over the run, in bytes (after the same garbage pass). */
  heapGrowth: number;
}

/** A fuzz input that crashed, hung or threw an unexpected error. */
export class FuzzFailure extends Error {
  /** The input, for replaying. */
  readonly input: Uint8Array;
  /** Builds the failure. */
  constructor(message: string, input: Uint8Array, cause?: unknown) {
    super(message, { cause });
    this.name = "FuzzFailure";
    this.input = input;
  }
}

/**
 * Runs `target` on its seeds, then on `iterations` mutated or random inputs.
 *
 * @throws {FuzzFailure} on the first input that throws an unexpected error or hangs.
 */
export async function fuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const rng = new Rng(options.seed ?? 1);
  const hangMs = options.hangMs ?? 10_000;
  const seeds = target.seeds.map(toBytes);
  const dictionary = target.dictionary ?? [];
  const report: FuzzReport = {
    name: target.name,
    iterations: 0,
    accepted: 0,
    rejected: 0,
    slowestMs: 0,
    totalMs: 0,
    rssGrowth: 0,
    heapGrowth: 0,
  };
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  const before = Deno.memoryUsage();
  const started = performance.now();
  for (let i = 0; i < seeds.length + options.iterations; i++) {
    const seed = seeds[i];
    let input: Uint8Array;
    if (seed !== undefined) input = seed;
    else if (seeds.length === 0 || rng.int(16) === 0) input = rng.bytes(rng.int(256));
    else input = mutate(rng, rng.pick(seeds), dictionary);
    const t0 = performance.now();
    try {
      const result = target.run(input);
      if (result instanceof Promise) await withTimeout(result, hangMs, input, target.name);
      report.accepted++;
    } catch (error) {
      if (error instanceof FuzzFailure) throw error;
      if (!target.isExpectedError(error)) {
        throw new FuzzFailure(
          `${target.name}: unexpected ${describe(error)} for input ${preview(input)}`,
          input,
          error,
        );
      }
      report.rejected++;
    }
    const elapsed = performance.now() - t0;
    report.slowestMs = Math.max(report.slowestMs, elapsed);
    if (elapsed > hangMs) {
      throw new FuzzFailure(
        `${target.name}: input took ${elapsed.toFixed(0)} ms: ${preview(input)}`,
        input,
      );
    }
    report.iterations++;
  }
  report.totalMs = performance.now() - started;
  collect?.();
  const after = Deno.memoryUsage();
  report.rssGrowth = after.rss - before.rss;
  report.heapGrowth = after.heapUsed - before.heapUsed;
  return report;
}

async function withTimeout(
  promise: Promise<unknown>,
  ms: number,
  input: Uint8Array,
  name: string,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FuzzFailure(`${name}: hung over ${ms} ms on ${preview(input)}`, input)),
      ms,
    );
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function preview(input: Uint8Array): string {
  const text = JSON.stringify(new TextDecoder().decode(input.subarray(0, 80)));
  return input.length > 80 ? `${text}… (${input.length} bytes)` : text;
}
