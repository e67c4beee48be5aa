/**
 * Process-group checks for the tests of `subprocess({ processGroup: true })` and the subprocess
 * word finder: which processes of a group are still alive, read from /proc (Linux).
 *
 * @module
 */

/**
 * The pids of the live processes (not zombies) whose process group is `pgid`.
 *
 * @example
 * ```ts ignore
 * assert.deepEqual(liveGroupMembers(pgid), []);
 * ```
 */
export function liveGroupMembers(pgid: number): number[] {
  const live: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    let stat: string;
    try {
      stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
    } catch {
      continue; // Ended meanwhile.
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z" && state !== "X") live.push(Number(entry.name));
  }
  return live;
}

/**
 * Waits until no live process is left in the group `pgid` (a killed process takes a moment to
 * go), and returns the pids still alive after `timeoutMs` (none when all went).
 */
export async function groupGone(pgid: number, timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = liveGroupMembers(pgid);
    if (live.length === 0 || Date.now() > deadline) return live;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
