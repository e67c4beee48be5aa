/**
 * One clock for many short-lived deadlines: entries are kept in a set, and a single
 * `Atomics.waitAsync` wait is armed for the soonest of them. Adding and removing an entry costs a
 * set operation; no timer is made per entry. For work that starts and ends many times a second
 * with deadlines of seconds (DNS questions): a timer each cost them ~1.5 KB of heap and two timer
 * operations, and a SharedArrayBuffer each (startDeadline's start-up path) far more in garbage
 * collection. The wait arms again only when an entry is due before the armed one, or when it ends
 * with entries left, so a steady stream of questions re-arms about once per deadline period.
 *
 * Like `startDeadline`'s wait, the clock does not keep the process alive: use it only beside an
 * operation that does (a pending read), and remove each entry when its operation ends.
 *
 * @module
 */

/** Something to do at a time. */
export interface ClockEntry {
  /** When, in `performance.now()` milliseconds. */
  due: number;
  /** Called once the time has come (not if removed first). */
  fire(): void;
}

const entries = new Set<ClockEntry>();
/** The cell the armed wait waits on; undefined when none is armed. */
let armedCell: Int32Array | undefined;
/** When the armed wait ends (Infinity when none is armed). */
let armedUntil = Infinity;

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** Adds `entry`; it fires at `entry.due` unless removed first. */
export const schedule = (function schedule(entry: ClockEntry): void {
  entries.add(entry);
  if (entry.due < armedUntil) arm(entry.due);
}).bind(undefined);

/** Removes `entry`: it will not fire. Harmless when it has fired or was never added. */
export const unschedule = (function unschedule(entry: ClockEntry): void {
  entries.delete(entry);
}).bind(undefined);

const arm = (function arm(due: number): void {
  if (armedCell !== undefined) {
    // Wakes the wait armed before, which then sees it was replaced and does nothing.
    Atomics.store(armedCell, 0, 1);
    Atomics.notify(armedCell, 0);
  }
  const cell = new Int32Array(new SharedArrayBuffer(4));
  armedCell = cell;
  armedUntil = due;
  const wait = Atomics.waitAsync(cell, 0, 0, Math.max(0, due - performance.now()));
  const woken = wait.async ? wait.value : Promise.resolve(wait.value);
  woken.then(() => {
    if (armedCell !== cell) return;
    armedCell = undefined;
    armedUntil = Infinity;
    // Timer resolution: what is due within a millisecond fires now, soonest first (a wait that
    // ended late, on a busy machine, finds several due).
    const now = performance.now() + 1;
    const due = [...entries].filter((entry) => entry.due <= now).sort((a, b) => a.due - b.due);
    for (const entry of due) {
      // Removed, or moved later, by an entry fired before it.
      if (entry.due > now || !entries.delete(entry)) continue;
      entry.fire(); // may schedule again, and so arm
    }
    if (armedCell !== undefined) return;
    let next = Infinity;
    for (const entry of entries) next = Math.min(next, entry.due);
    if (next !== Infinity) arm(next);
  });
}).bind(undefined);
