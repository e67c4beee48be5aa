/**
 * The order in which GNU wget walks one of its string sets (`downloaded_html_set`,
 * `downloaded_css_set`): its own open-addressing hash table (`hash.c`), read cell by cell. `-k`
 * converts the saved files in this order, and says so in its log ("Converting links in FILE...").
 * Private to `lib/download/`.
 *
 * @module
 */

/** GNU wget's table sizes (`hash.c`'s `primes`), as far as a run of files can need them. */
// deno-fmt-ignore
const PRIMES = [
  13, 19, 29, 41, 59, 79, 107, 149, 197, 263, 347, 457, 599, 787, 1031, 1361, 1777, 2333, 3037,
  3967, 5167, 6719, 8737, 11369, 14783, 19219, 24989, 32491, 42257, 54941, 71429, 92861, 120721,
  156941, 204047, 265271, 344857, 448321, 582821, 757693, 985003, 1280519, 1664681, 2164111,
  2813353, 3657361, 4754591, 6180989, 8035301,
];

const ENCODER = new TextEncoder();

/** GNU's `hash_string` (`h = h * 31 + c` over the bytes as signed chars, 32 bits). */
function hashString(key: string): number {
  const bytes = ENCODER.encode(key);
  if (bytes.length === 0) return 0;
  let h = ((bytes[0]! << 24) >> 24) >>> 0;
  for (let i = 1; i < bytes.length; i++) {
    h = (Math.imul(h, 31) + ((bytes[i]! << 24) >> 24)) >>> 0;
  }
  return h;
}

/** The cell `key` is in, or the empty cell it would go to (linear probing). */
function findCell(cells: (string | undefined)[], key: string, hash: number): number {
  let i = hash % cells.length;
  while (cells[i] !== undefined && cells[i] !== key) i = i + 1 === cells.length ? 0 : i + 1;
  return i;
}

/**
 * `keys`, added in this order to a GNU `make_string_hash_table (0)` (13 cells, grown to the next
 * prime at least twice the size when 3/4 full), in the order GNU's `string_set_to_array` reads
 * them back. A key added twice counts once.
 */
export function gnuHashOrder(keys: Iterable<string>): string[] {
  let prime = 0;
  const nextSize = (atLeast: number): number => {
    while (prime < PRIMES.length - 1 && PRIMES[prime]! < atLeast) prime++;
    return PRIMES[prime++] ?? PRIMES[PRIMES.length - 1]!;
  };
  let cells: (string | undefined)[] = new Array(nextSize(1));
  const hashes = new Map<string, number>();
  let threshold = Math.trunc(cells.length * 0.75);
  let count = 0;
  for (const key of keys) {
    const hash = hashString(key);
    let cell = findCell(cells, key, hash);
    if (cells[cell] !== undefined) continue;
    hashes.set(key, hash);
    if (count >= threshold) {
      const old = cells;
      cells = new Array(nextSize(old.length * 2));
      threshold = Math.trunc(cells.length * 0.75);
      for (const moved of old) {
        if (moved !== undefined) cells[findCell(cells, moved, hashes.get(moved)!)] = moved;
      }
      cell = findCell(cells, key, hash);
    }
    count++;
    cells[cell] = key;
  }
  return cells.filter((key): key is string => key !== undefined);
}
